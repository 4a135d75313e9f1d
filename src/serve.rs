//! [ssr] The three commands `main` runs: serve the portal, `check-config`,
//! and the stand-alone sandbox.

mod shutdown;

use std::net::{Ipv4Addr, SocketAddr};

use leptos::prelude::*;

use crate::config::sources::{self, Sources};
use crate::config::Config;
use crate::http::{ops, router};
use crate::sandbox::{Sandbox, SandboxConfig};
use crate::state::build_state;
use crate::telemetry::logging::{self, LogFormat};
use crate::telemetry::metrics;

/// `check-config`: the effective configuration (secrets redacted), then
/// every problem, one per line. The exit status: 0 clean, 1 problems.
pub fn check_config(sources: &Sources) -> i32 {
    if let Some(path) = sources.file_path() {
        println!("# config file: {}", path.display());
    }
    for line in sources::describe(sources) {
        println!("{line}");
    }
    match Config::load(sources) {
        Ok(config) => {
            if config.store.is_memory() {
                println!("warning: PORTAL_STORE (`store`) is `memory`: for tests only. Every restart forgets every reset and limit, and its generated HMAC key changes per process, so decoy questions change at each restart; use sqlite: (one instance) or redis:// (several)");
            }
            if let Some(palette) = &config.palette {
                println!("{}", palette.describe());
            }
            println!("# no problems");
            0
        }
        Err(problems) => {
            println!("# {} problem(s):", problems.len());
            for problem in &problems {
                println!("problem: {problem}");
            }
            1
        }
    }
}

/// Read the configuration (all of its problems at once), build
/// everything, serve until SIGTERM/SIGINT, then drain.
pub async fn run(sources: Sources) -> Result<(), String> {
    let config = Config::load(&sources);
    logging::init(match &config {
        Ok(config) => config.log_format,
        Err(_) => LogFormat::Text,
    });
    let mut config = config.map_err(|problems| match problems.as_slice() {
        [one] => one.clone(),
        _ => format!(
            "the configuration has {} problem(s); nothing was started:\n  {}",
            problems.len(),
            problems.join("\n  ")
        ),
    })?;
    let conf = get_configuration(None).map_err(|e| format!("leptos configuration: {e}"))?;
    let mut leptos_options = conf.leptos_options;
    // Bind first: with port 0 the OS picks a port, and everything derived from
    // the address (the default public origin, the log line) uses the real one.
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    config.bound_to(addr);
    leptos_options.site_addr = addr;
    if config.store.is_memory() {
        tracing::warn!(
            event = "memory_store",
            "PORTAL_STORE is `memory`: for tests only; a restart forgets every reset and limit and changes the decoy questions"
        );
    }
    if !config.is_https() {
        tracing::warn!(
            event = "plain_http",
            "serving over plain http: session cookies are not marked Secure (development only)"
        );
    }
    let sandbox = config.is_sandbox();
    let grace = config.shutdown_grace;
    let metrics_addr = config.metrics_addr;
    metrics::handle();
    let state = build_state(leptos_options, config).await?;
    if let Some(metrics_addr) = metrics_addr {
        let bound = ops::serve(metrics_addr, state.clone()).await?;
        tracing::info!(event = "metrics_listening", addr = %bound);
    }
    let readiness = state.readiness.clone();
    let app = router(state);
    tracing::info!(event = "listening", %addr, sandbox);
    shutdown::serve_until_signalled(listener, app, readiness, grace).await
}

/// `autoshares-portal sandbox [--port N]`: only the simulated API, on
/// loopback, with its control routes under `/__sandbox/`.
pub async fn run_standalone_sandbox(args: &[String]) -> Result<(), String> {
    tracing_subscriber::fmt().init();
    let port = match args {
        [] => 4010,
        [flag, port] if flag == "--port" => port
            .parse()
            .map_err(|_| "--port needs a number".to_string())?,
        _ => return Err("usage: autoshares-portal sandbox [--port N]".into()),
    };
    let sandbox = Sandbox::new(SandboxConfig::default());
    let addr = sandbox
        .spawn(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .await
        .map_err(|e| format!("the sandbox could not listen on port {port}: {e}"))?;
    println!(
        "AutoShares sandbox on http://{addr} (app key: {})",
        crate::sandbox::DEFAULT_APP_KEY
    );
    let _ = tokio::signal::ctrl_c().await;
    Ok(())
}

//! [ssr] Configuration, application state, sessions, middleware, and the
//! router that ties them to the Leptos app.

pub mod access_log;
pub mod assets;
pub mod boundary;
pub mod client_ip;
pub mod config;
pub mod dev_pages;
pub mod error_page;
pub mod form_fields;
pub mod gateway;
pub mod html;
pub mod identity;
pub mod language;
pub mod limits;
pub mod logging;
pub mod memo;
pub mod metrics;
pub mod page_data;
pub mod pages;
pub mod readiness;
pub mod security;
pub mod session;
pub mod settings;
pub mod shutdown;
pub mod state;
pub mod steps;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::routing::get;
use axum::{middleware, Router};
use leptos::prelude::*;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::autoshares::client::AutoSharesClient;
use crate::autoshares::config::ApiConfig;
use crate::sandbox::{Sandbox, SandboxConfig};
use crate::store::{BucketRate, Store};
use config::{Config, HmacKey, Upstream};
use limits::Limiter;
use state::AppState;

/// Largest request body accepted (SECURITY.md #23).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Start the sandbox if configured, and connect the client to the upstream.
pub async fn build_state(
    leptos_options: LeptosOptions,
    config: Config,
) -> Result<AppState, String> {
    let (base_url, sandbox) = match &config.upstream {
        Upstream::Remote(url) => (url.clone(), None),
        Upstream::Sandbox { port, token_prefix } => {
            let sandbox = Sandbox::new(SandboxConfig {
                // The sandbox accepts whatever key the portal is configured with,
                // so a canary key can be tested end to end.
                app_key: config.app_key.expose().to_string(),
                token_prefix: token_prefix.clone(),
                ..SandboxConfig::default()
            });
            let addr = sandbox
                .clone()
                .spawn(SocketAddr::from((Ipv4Addr::LOCALHOST, *port)))
                .await
                .map_err(|e| format!("the sandbox could not listen on port {port}: {e}"))?;
            tracing::info!(event = "sandbox_started", %addr);
            let url = url::Url::parse(&format!("http://{addr}/"))
                .map_err(|_| "the sandbox address is not a URL".to_string())?;
            (url, Some(sandbox))
        }
    };
    let mut api = ApiConfig::new(base_url, config.app_key.clone());
    api.api_version = config.api_version.clone();
    api.timeout = config.upstream_timeout;
    let client = AutoSharesClient::new(api).map_err(|e| format!("upstream client: {e}"))?;
    let bucket = BucketRate {
        per_minute: config.ip_rate_per_minute,
        burst: config.ip_burst,
    };
    let store = Store::open(&config.store, bucket, config.max_sessions).await?;
    let hmac_key = match &config.hmac_key {
        Some(key) => key.clone(),
        None => HmacKey(store.kept_secret("hmac-key").await?),
    };
    tracing::info!(event = "store_opened", store = %config.store);
    let assets = Arc::new(assets::load(&leptos_options));
    let decoys = Arc::new(identity::decoy_questions(
        config.decoy_list.as_deref(),
        config.languages.default,
    ));
    Ok(AppState::new(state::Shared {
        site: Arc::new(config.site_settings()),
        assets,
        decoys,
        leptos_options,
        limiter: Arc::new(Limiter::new(
            store.counters.clone(),
            config.identifier_budget,
        )),
        hmac_key,
        config: Arc::new(config),
        client,
        sandbox,
        gateway: gateway::Gateway::default(),
        store,
        readiness: Arc::default(),
    }))
}

/// The whole portal as one router.
pub fn router(state: AppState) -> Router {
    let config = &state.config;

    let session_layer = SessionManagerLayer::new(state.store.sessions.clone())
        .with_name(if config.is_https() {
            "__Host-reset"
        } else {
            "reset"
        })
        .with_secure(config.is_https())
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        // The store keeps a flow a little past its absolute lifetime, so an
        // expired flow can still be recognised and explained.
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            i64::try_from(config.flow_limits.absolute_secs).unwrap_or(1800) + 300,
        )));

    // Pages: rendered from the session, read before the render.
    let pages = pages::page_routes(&state)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            page_data::load,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            language::switch,
        ));
    // Posts: the server functions (and the sandbox's dev pages). Only they
    // carry the post checks, so a page view pays for none of them.
    let mut posts = pages::server_fn_routes(&state);
    if state.sandbox.is_some() {
        posts = posts.merge(dev_pages::routes());
    }
    let posts = posts
        .layer(middleware::from_fn(security::see_other))
        .layer(middleware::from_fn(security::fn_errors_are_portal_errors))
        .layer(middleware::from_fn(form_fields::exact_fields_only))
        .layer(middleware::from_fn(security::form_posts_only))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::rate_limit,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::same_origin_only,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES));
    // Files are served ahead of the app; only what isn't one renders the
    // not-found page.
    let (pkg_path, pkg) = assets::pkg(&state.leptos_options);
    let memo = {
        let hashed = state.assets.hashed;
        let pkg_path = pkg_path.clone();
        let languages = state.config.languages.clone();
        memo::Memo::new(
            Arc::new(move |request| {
                if pages::is_pristine_start(request) {
                    // The start page is kept per language.
                    Some(language::of_request(request.headers(), &languages).code())
                } else if hashed && assets::is_plain_get_of_hashed_file(request, &pkg_path) {
                    Some("")
                } else {
                    None
                }
            }),
            Arc::new(pages::prepare_kept),
        )
    };
    let not_found = tower::service_fn({
        let render = pages::not_found(&state);
        move |request| {
            let render = render.clone();
            async move { Ok::<_, std::convert::Infallible>(render(request).await) }
        }
    });
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readiness::readyz))
        .merge(pages)
        .merge(posts)
        .nest_service(&pkg_path, pkg)
        .fallback_service(assets::public(&state.leptos_options, not_found))
        .layer(session_layer)
        .layer(middleware::from_fn(security::no_bare_server_errors))
        .layer(middleware::from_fn_with_state(
            pages::refused(&state),
            error_page::render,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        // Outermost, so every layer inside sees plain bodies. Files that
        // arrive precompressed (Content-Encoding set) pass untouched.
        .layer(middleware::from_fn(html::end_at_html_close))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(memo, memo::memoized))
        .layer(middleware::from_fn(access_log::access_log))
        .with_state(state)
}

/// `check-config`: the effective configuration (secrets redacted), then
/// every problem, one per line. The exit status: 0 clean, 1 problems.
pub fn check_config(sources: &settings::Sources) -> i32 {
    if let Some(path) = sources.file_path() {
        println!("# config file: {}", path.display());
    }
    for line in settings::describe(sources) {
        println!("{line}");
    }
    match Config::load(sources) {
        Ok(_) => {
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
pub async fn run(sources: settings::Sources) -> Result<(), String> {
    let config = Config::load(&sources);
    logging::init(match &config {
        Ok(config) => config.log_format,
        Err(_) => config::LogFormat::Text,
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
        let bound = metrics::serve(metrics_addr, state.clone()).await?;
        tracing::info!(event = "metrics_listening", addr = %bound);
    }
    let readiness = state.readiness.clone();
    let app = router(state);
    tracing::info!(event = "listening", %addr, sandbox);
    shutdown::serve_until_signalled(listener, app, readiness, grace).await
}

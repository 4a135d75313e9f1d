//! [ssr] Serving until told to stop, then draining.
//!
//! On SIGTERM (systemd, Kubernetes) or SIGINT (Ctrl-C): `/readyz` turns
//! 503 at once, the listener stops accepting, idle keep-alive connections
//! close, and requests in flight get up to `PORTAL_SHUTDOWN_GRACE_SECS` to
//! finish. Then the process exits 0 (also when the grace ran out: what was
//! cut short is logged).

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use tokio::sync::Notify;

use crate::state::Readiness;
use crate::telemetry::metrics;

/// SIGTERM or SIGINT, whichever comes first.
async fn signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(term) => term,
            Err(e) => {
                tracing::error!(event = "sigterm_unavailable", error = %e);
                let _ = tokio::signal::ctrl_c().await;
                return "SIGINT";
            }
        };
        tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = tokio::signal::ctrl_c() => "SIGINT",
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    }
}

pub async fn serve_until_signalled(
    listener: tokio::net::TcpListener,
    app: Router,
    readiness: Arc<Readiness>,
    grace: Duration,
) -> Result<(), String> {
    let signalled = Arc::new(Notify::new());
    let draining = {
        let signalled = signalled.clone();
        async move {
            let which = signal().await;
            readiness.start_draining();
            metrics::draining();
            tracing::info!(
                event = "draining",
                signal = which,
                grace_secs = grace.as_secs(),
                "stopped accepting; requests in flight may finish"
            );
            signalled.notify_one();
        }
    };
    let serve = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(draining)
    .into_future();
    tokio::pin!(serve);
    let grace_over = async {
        signalled.notified().await;
        let since = Instant::now();
        tokio::time::sleep(grace).await;
        since
    };
    tokio::select! {
        served = &mut serve => {
            served.map_err(|e| format!("server error: {e}"))?;
            tracing::info!(event = "stopped", "every request in flight finished");
        }
        since = grace_over => {
            tracing::warn!(
                event = "stopped_grace_expired",
                waited_secs = since.elapsed().as_secs(),
                "requests still in flight were cut short"
            );
        }
    }
    Ok(())
}

//! [ssr] The operators' listener: `/metrics` and `/readyz`, on
//! `PORTAL_METRICS_ADDR` only (and `/readyz` on the public port too).
//!
//! `GET /readyz`: can this instance serve resets?
//!
//! `/healthz` only says the process answers. Readiness asks AutoShares: a
//! secret-question lookup for a made-up login proves the app key is
//! accepted (any envelope answer will do). A rejected key is this
//! instance's misconfiguration, so readiness fails (503) and the operator
//! sees why. An unreachable AutoShares fails every instance alike: taking
//! them out of rotation would only swap the portal's calm "try again" page
//! for a load balancer error, so that stays 200 and says "unavailable".
//! The answer is cached for [`crate::state::CACHE_FOR`], so probes can't flood upstream.
//!
//! From the moment a shutdown signal arrives the answer is 503
//! `"draining": true`, so a load balancer stops sending new traders here
//! while the requests in flight finish.
//!
//! The state store is asked on every probe (one round trip): an instance
//! that can't reach it can't serve a single step, so it answers 503 with
//! `"store": "unavailable"` until the store is back.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics::gauge;

use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::error::AutoSharesError;
use crate::state::{AppState, UpstreamHealth};
use crate::telemetry;

/// The login the probe looks up: made up, so no trader is touched.
const PROBE_LOGIN: &str = "portal-readiness-probe";

pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.readiness.is_draining() {
        let body = serde_json::json!({ "ready": false, "draining": true });
        return (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
    }
    let now = Instant::now();
    let upstream = match state.readiness.cached(now) {
        Some(upstream) => upstream,
        None => {
            let upstream = probe(&state).await;
            state.readiness.remember(now, upstream);
            upstream
        }
    };
    let store_ok = state.store.ping().await.is_ok();
    let status = if upstream == UpstreamHealth::AppKeyRejected || !store_ok {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let body = serde_json::json!({
        "ready": status == StatusCode::OK,
        "upstream": upstream.as_str(),
        "store": if store_ok { "ok" } else { "unavailable" },
    });
    (status, Json(body)).into_response()
}

async fn probe(state: &AppState) -> UpstreamHealth {
    let call = state
        .gateway
        .call(
            Endpoint::SecretQuestion,
            state.client.secret_question(PROBE_LOGIN),
        )
        .await;
    let Ok(outcome) = call else {
        return UpstreamHealth::Unavailable;
    };
    match outcome {
        Ok(_) | Err(AutoSharesError::Rejected { .. }) => UpstreamHealth::Ok,
        Err(AutoSharesError::AppKeyRejected) => {
            tracing::error!(
                event = "readiness_app_key_rejected",
                "not ready: AutoShares rejects the portal's app key; fix AUTOSHARES_APP_KEY"
            );
            UpstreamHealth::AppKeyRejected
        }
        Err(AutoSharesError::Unavailable(reason)) => {
            tracing::warn!(event = "readiness_upstream_unavailable", reason = %reason);
            UpstreamHealth::Unavailable
        }
    }
}

/// `GET /metrics`: the gauges read now, then everything in text format.
async fn metrics(State(state): State<AppState>) -> Response {
    if let Ok(live) = state.store.live_sessions().await {
        gauge!(telemetry::metrics::LIVE_SESSIONS).set(live as f64);
    }
    gauge!(telemetry::metrics::UPSTREAM_IN_FLIGHT).set(state.gateway.in_use() as f64);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        telemetry::metrics::handle().render(),
    )
        .into_response()
}

/// Serve `/metrics` and `/readyz` on the operators' address, in the
/// background, for the life of the process.
pub async fn serve(addr: SocketAddr, state: AppState) -> Result<SocketAddr, String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("metrics: cannot listen on {addr}: {e}"))?;
    let bound = listener
        .local_addr()
        .map_err(|e| format!("metrics: cannot read the listening address: {e}"))?;
    let app = Router::new()
        .route("/metrics", get(metrics))
        .route("/readyz", get(readyz))
        .with_state(state);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(event = "metrics_listener_failed", error = %e);
        }
    });
    // Histograms keep their samples until upkeep folds them in.
    tokio::spawn(async {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            telemetry::metrics::handle().run_upkeep();
        }
    });
    Ok(bound)
}

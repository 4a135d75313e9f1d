//! [ssr] `GET /readyz`: can this instance serve resets?
//!
//! `/healthz` only says the process answers. Readiness asks AutoShares: a
//! secret-question lookup for a made-up login proves the app key is
//! accepted (any envelope answer will do). A rejected key is this
//! instance's misconfiguration, so readiness fails (503) and the operator
//! sees why. An unreachable AutoShares fails every instance alike: taking
//! them out of rotation would only swap the portal's calm "try again" page
//! for a load balancer error, so that stays 200 and says "unavailable".
//! The answer is cached for [`CACHE_FOR`], so probes can't flood upstream.
//!
//! From the moment a shutdown signal arrives the answer is 503
//! `"draining": true`, so a load balancer stops sending new traders here
//! while the requests in flight finish.
//!
//! The state store is asked on every probe (one round trip): an instance
//! that can't reach it can't serve a single step, so it answers 503 with
//! `"store": "unavailable"` until the store is back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::state::AppState;
use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::error::AutoSharesError;

/// How long one upstream probe answers for.
pub const CACHE_FOR: Duration = Duration::from_secs(30);
/// The login the probe looks up: made up, so no trader is touched.
const PROBE_LOGIN: &str = "portal-readiness-probe";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upstream {
    Ok,
    AppKeyRejected,
    Unavailable,
}

impl Upstream {
    fn as_str(self) -> &'static str {
        match self {
            Upstream::Ok => "ok",
            Upstream::AppKeyRejected => "app_key_rejected",
            Upstream::Unavailable => "unavailable",
        }
    }
}

/// The last probe, shared by all requests.
#[derive(Default)]
pub struct Readiness {
    last: Mutex<Option<(Instant, Upstream)>>,
    draining: AtomicBool,
}

impl Readiness {
    /// A shutdown signal arrived: answer 503 from now on.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::Release);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }

    fn cached(&self, now: Instant) -> Option<Upstream> {
        let last = self.last.lock().ok()?;
        last.filter(|(at, _)| now.duration_since(*at) < CACHE_FOR)
            .map(|(_, upstream)| upstream)
    }

    fn remember(&self, now: Instant, upstream: Upstream) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some((now, upstream));
        }
    }
}

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
    let status = if upstream == Upstream::AppKeyRejected || !store_ok {
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

async fn probe(state: &AppState) -> Upstream {
    let call = state
        .gateway
        .call(
            Endpoint::SecretQuestion,
            state.client.secret_question(PROBE_LOGIN),
        )
        .await;
    let Ok(outcome) = call else {
        return Upstream::Unavailable;
    };
    match outcome {
        Ok(_) | Err(AutoSharesError::Rejected { .. }) => Upstream::Ok,
        Err(AutoSharesError::AppKeyRejected) => {
            tracing::error!(
                event = "readiness_app_key_rejected",
                "not ready: AutoShares rejects the portal's app key; fix AUTOSHARES_APP_KEY"
            );
            Upstream::AppKeyRejected
        }
        Err(AutoSharesError::Unavailable(reason)) => {
            tracing::warn!(event = "readiness_upstream_unavailable", reason = %reason);
            Upstream::Unavailable
        }
    }
}

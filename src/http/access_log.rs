//! [ssr] The outermost layer: every request gets an id, a `request` span
//! that carries it (so every log line of the request names it), an
//! `X-Request-Id` response header, and one entry in the HTTP metrics.
//!
//! The `request` event itself (method, path without the query, status,
//! milliseconds) logs at debug level under the `access` target, so it costs
//! one level check unless the filter asks for it
//! (`RUST_LOG=info,access=debug`). The browser tests count asset fetches
//! with it.
//!
//! An `X-Request-Id` from the proxy in front (nginx's `$request_id`) is
//! kept when it is short and plain, so one id follows the request through
//! both logs; anything else is replaced.

use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use super::{form_fields, ASSET_PREFIX, SERVER_FN_PREFIX};
use crate::flow::{Step, EXPIRED_PATH};
use crate::telemetry::metrics;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The proxy's id if it is plain (1–64 of `[A-Za-z0-9_-]`), else a new one.
fn request_id(request: &Request) -> HeaderValue {
    request
        .headers()
        .get(&REQUEST_ID)
        .filter(|v| {
            let b = v.as_bytes();
            (1..=64).contains(&b.len())
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
        })
        .cloned()
        .unwrap_or_else(|| {
            let id = format!("{:032x}", rand::random::<u128>());
            HeaderValue::from_str(&id).unwrap_or_else(|_| HeaderValue::from_static("unknown"))
        })
}

/// The route label of a request path: a closed set, so a scanner probing
/// random paths adds no series. Page labels are the pages' own paths.
pub fn route(path: &str) -> &'static str {
    if let Some(step) = Step::from_path(path) {
        return step.path();
    }
    match path {
        EXPIRED_PATH => EXPIRED_PATH,
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        _ if path.starts_with(ASSET_PREFIX) => "/pkg",
        _ if path.starts_with(SERVER_FN_PREFIX) => {
            form_fields::server_fn_name(path).unwrap_or("/api/other")
        }
        _ if path.starts_with("/dev/") => "/dev",
        _ if path.ends_with(".svg") => "/static",
        _ => "other",
    }
}

pub async fn access_log(request: Request, next: Next) -> Response {
    let id = request_id(&request);
    let route = route(request.uri().path());
    let started = Instant::now();
    let span = tracing::info_span!("request", request_id = id.to_str().unwrap_or_default());
    let logged = tracing::enabled!(target: "access", tracing::Level::DEBUG)
        .then(|| (request.method().clone(), request.uri().path().to_owned()));
    let mut response = next.run(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    metrics::http_request(route, response.status(), elapsed);
    if let Some((method, path)) = logged {
        span.in_scope(|| {
            tracing::debug!(
                target: "access",
                event = "request",
                %method,
                %path,
                status = response.status().as_u16(),
                ms = elapsed.as_secs_f64() * 1000.0,
            )
        });
    }
    response.headers_mut().insert(REQUEST_ID, id);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_a_closed_set() {
        assert_eq!(route("/"), "/");
        assert_eq!(route("/pkg/app.abc.wasm"), "/pkg");
        assert_eq!(route("/api/no_such_fn"), "/api/other");
        assert_eq!(route("/wp-admin/setup.php"), "other");
    }
}

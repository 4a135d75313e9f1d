//! [ssr] The outermost layers: every request gets an id (tower-http's
//! request-id layers), a `request` span that carries it (tower-http's
//! `TraceLayer`, so every log line of the request names it), an
//! `X-Request-Id` response header, and one entry in the HTTP metrics.
//!
//! The `request` event itself (method, path without the query, status,
//! milliseconds) logs at debug level under the `access` target, so it costs
//! one level check unless the filter asks for it
//! (`RUST_LOG=info,access=debug`). The browser tests count asset fetches
//! with it.
//!
//! An `X-Request-Id` from a trusted proxy in front (nginx's `$request_id`)
//! is kept when it is short and plain, so one id follows the request
//! through both logs; anything else is replaced.

use std::time::Instant;

use axum::body::Body;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

use super::client_ip::TrustedProxies;
use super::{form_fields, ASSET_PREFIX, SERVER_FN_PREFIX};
use crate::flow::{Step, EXPIRED_PATH};
use crate::telemetry::metrics;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Whether a proxy's id is plain (1–64 of `[A-Za-z0-9_-]`): one id then
/// follows the request through both logs.
fn is_plain(id: &HeaderValue) -> bool {
    let b = id.as_bytes();
    (1..=64).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
}

/// A new id: 32 hex characters.
#[derive(Clone, Copy)]
struct RandomId;

impl MakeRequestId for RandomId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let id = format!("{:032x}", rand::random::<u128>());
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

/// An id is kept only when a trusted proxy sent it and it is plain;
/// anything else is dropped, so a new one is made in its place (a client
/// can't plant an id in the operators' logs).
async fn keep_trusted_request_id(
    State(trusted): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let from_proxy = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(peer)| trusted.contains(peer.ip()));
    let keep = from_proxy && request.headers().get(&REQUEST_ID).is_some_and(is_plain);
    if !keep {
        request.headers_mut().remove(&REQUEST_ID);
    }
    next.run(request).await
}

/// The `request` span, named by the request's id.
fn span(request: &axum::http::Request<Body>) -> tracing::Span {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!("request", request_id = id)
}

/// Wrap `router` in the access-log layers (outer to inner): drop an id no
/// trusted proxy sent, set one, copy it to the response, open the span,
/// record.
pub fn around<S>(router: Router<S>, trusted: TrustedProxies) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router
        .layer(middleware::from_fn(record))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(span)
                .on_request(())
                .on_response(())
                .on_body_chunk(())
                .on_eos(())
                .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, RandomId))
        .layer(middleware::from_fn_with_state(
            Arc::new(trusted),
            keep_trusted_request_id,
        ))
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

/// Inside the span: one entry in the HTTP metrics, and the `request`
/// event itself (method, path without the query, status, milliseconds) at
/// debug level under the `access` target, so it costs one level check
/// unless the filter asks for it (`RUST_LOG=info,access=debug`).
async fn record(request: Request, next: Next) -> Response {
    let route = route(request.uri().path());
    let started = Instant::now();
    let logged = tracing::enabled!(target: "access", tracing::Level::DEBUG)
        .then(|| (request.method().clone(), request.uri().path().to_owned()));
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    metrics::http_request(route, response.status(), elapsed);
    if let Some((method, path)) = logged {
        tracing::debug!(
            target: "access",
            event = "request",
            %method,
            %path,
            status = response.status().as_u16(),
            ms = elapsed.as_secs_f64() * 1000.0,
        );
    }
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

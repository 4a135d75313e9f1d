//! [ssr] One `request` event per response: method, path (never the query),
//! status and milliseconds. It logs at debug level under the `access`
//! target, so it costs one level check unless the filter asks for it
//! (`RUST_LOG=info,access=debug`). The browser tests count asset fetches
//! with it.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub async fn access_log(request: Request, next: Next) -> Response {
    if !tracing::enabled!(target: "access", tracing::Level::DEBUG) {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::debug!(
        target: "access",
        event = "request",
        %method,
        %path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
    );
    response
}

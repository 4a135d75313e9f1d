//! [ssr] The one way a refusal reaches a trader.
//!
//! Anything that refuses a request returns `PortalError` as its response
//! ([`IntoResponse`] below: the status, with the error riding along in the
//! response's extensions). One layer, [`render`], then answers it the way
//! the client can use, in the trader's language:
//! - a browser's form post about the form itself (unavailable, unexpected
//!   fields) goes back to its page with the error (`__err`), so nothing the
//!   trader did is lost;
//! - any other browser request gets a page of its own in the portal's frame
//!   and CSS (`pages::RefusedPage`): 429, 403, 413, 415, 503;
//! - a server-function call (no `text/html` in `Accept`) gets the JSON its
//!   client decodes.
//!
//! A bare 413 from the body limit is answered the same way.
//! (This follows axum's error-handling example: one error type with one
//! `IntoResponse`; the render needs the request, hence the layer.)

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::error::ServerFnUrlError;

use super::security::wants_html;
use crate::error::{Answer, PortalError, Refused};

/// The status a refusal is answered with (its class decides).
pub fn status(error: &PortalError) -> StatusCode {
    StatusCode::from_u16(error.class().status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        let mut response = status(&self).into_response();
        response.extensions_mut().insert(Refused(self));
        response
    }
}

/// Renders the refusal page for a request carrying `Refused` (see
/// `pages::refused`).
pub type RenderPage =
    Arc<dyn Fn(Request) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync>;

/// The request headers a refusal's answer depends on.
const KEPT: [header::HeaderName; 4] = [
    header::ACCEPT,
    header::ACCEPT_LANGUAGE,
    header::COOKIE,
    header::REFERER,
];

pub async fn render(State(page): State<RenderPage>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let mut headers = HeaderMap::new();
    for name in KEPT {
        if let Some(value) = request.headers().get(&name) {
            headers.insert(name, value.clone());
        }
    }
    let mut response = next.run(request).await;
    let error = match response.extensions_mut().remove::<Refused>() {
        Some(Refused(error)) => error,
        None if response.status() == StatusCode::PAYLOAD_TOO_LARGE => PortalError::TooLarge,
        None => return response,
    };
    answer(&page, method, uri, headers, error).await
}

async fn answer(
    page: &RenderPage,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    error: PortalError,
) -> Response {
    let status = status(&error);
    if !wants_html(&headers) {
        let body = serde_json::to_string(&error).unwrap_or_default();
        return (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    }
    if method == Method::POST && error.class().answer == Answer::BackToTheForm {
        let referer = headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("/");
        let back = ServerFnUrlError::new(uri.path(), error)
            .to_url(referer)
            .map(|url| url.to_string())
            .unwrap_or_else(|_| "/".to_string());
        return (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    }
    let mut request = Request::new(Body::empty());
    *request.uri_mut() = uri;
    *request.headers_mut() = headers;
    request.extensions_mut().insert(Refused(error));
    let mut response = page(request).await;
    *response.status_mut() = status;
    response
}

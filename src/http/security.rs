//! [ssr] HTTP-level defences: CSRF origin check, per-IP rate limit,
//! security headers, and 303 for form-post redirects.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::PortalError;
use crate::state::AppState;
use crate::store::limits::{minutes, ClientNet, Limited};

/// security: `csrf-origin-check`: a state-changing request must come from our own pages.
/// `Sec-Fetch-Site: same-origin` or an `Origin` equal to the public origin;
/// anything else is refused before it can reach a server function.
pub async fn same_origin_only(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    if is_same_origin(request.headers(), &state.config.public_origin) {
        next.run(request).await
    } else {
        tracing::warn!(event = "csrf_rejected", path = %request.uri().path());
        crate::telemetry::metrics::csrf_rejected();
        PortalError::CrossSite.into_response()
    }
}

pub fn is_same_origin(headers: &HeaderMap, public_origin: &str) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match (text("sec-fetch-site"), text("origin")) {
        (Some("same-origin"), _) => true,
        (Some(_), _) => false,
        (None, Some(origin)) => origin == public_origin,
        (None, None) => false,
    }
}

/// The network the client counts as: the address the trusted proxies
/// vouch for (or the peer's), grouped as `ipv6_prefix` says.
pub fn client_net(state: &AppState, request: &Request) -> Option<ClientNet> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())?;
    let ip = state.config.trusted_proxies.client(peer, request.headers());
    Some(ClientNet::of(ip, state.config.ipv6_prefix))
}

/// security: `per-ip-bucket`, `network-grouped-addresses`: a token bucket
/// per client network (an IPv4 address, an IPv6 prefix) for every post.
pub async fn rate_limit(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(net) = client_net(&state, &request) else {
        return next.run(request).await;
    };
    // The steps key their per-network budgets on it.
    request.extensions_mut().insert(net);
    match state.limiter.take_token(net).await {
        Ok(()) => next.run(request).await,
        // The store can't count: nothing gets through (fail closed), and
        // the trader is sent back to the page they posted from, which says
        // so calmly.
        Err(Limited::StoreDown(_)) => PortalError::Unavailable.into_response(),
        Err(Limited::Wait(wait)) => {
            tracing::warn!(event = "rate_limited", what = "ip");
            crate::telemetry::metrics::rate_limited("ip");
            PortalError::RateLimited {
                minutes: minutes(wait),
            }
            .into_response()
        }
    }
}

/// A plain form post (or a page load) accepts HTML; the hydrated client's
/// server-function calls don't.
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// No bare 500 ever reaches a trader. The session layer answers an empty
/// 500 when it can't save the session after the step ran (the store went
/// away mid-request); whatever else fails with 500 is treated the same: a
/// post goes back to its page with "temporarily unavailable", anything
/// else gets that message as a small page, with 503.
pub async fn no_bare_server_errors(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    tracing::warn!(event = "server_error_answered_calmly", %path);
    PortalError::Unavailable.into_response()
}

/// security: `post-only-server-fns`: server functions (`/api/…`) take form posts only: our
/// forms and the hydrated client both send `application/x-www-form-urlencoded`.
pub async fn form_posts_only(request: Request, next: Next) -> Response {
    if request.method() != Method::POST
        || !request.uri().path().starts_with(super::SERVER_FN_PREFIX)
    {
        return next.run(request).await;
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        next.run(request).await
    } else {
        PortalError::UnsupportedForm.into_response()
    }
}

/// A form post that succeeded or failed is answered with "see other" (303),
/// so the browser follows with a GET and a refresh never re-posts.
pub async fn see_other(request: Request, next: Next) -> Response {
    let is_post = request.method() == Method::POST;
    let mut response = next.run(request).await;
    if is_post && response.status() == StatusCode::FOUND {
        *response.status_mut() = StatusCode::SEE_OTHER;
    }
    response
}

/// A JSON client's server-function error (the framework answers it 500
/// with the error's JSON) goes out through `PortalError`'s one response
/// like every other refusal (`error_page`): a step error is the trader's (a
/// wrong code, an expired reset), 422, not the server's. tower-sessions
/// never saves a session on a 5xx: with 500, a JSON client's wrong codes
/// and answers were never counted, so its flow could not be burned
/// (security: `wrong-answer-lockout`).
///
/// A browser's form post is left as the framework answers it: back to its
/// page with `__err` (a redirect, so the session layer saves what the step
/// kept, such as the login typed before AutoShares failed).
pub async fn fn_errors_are_portal_errors(request: Request, next: Next) -> Response {
    let browser = wants_html(request.headers());
    let response = next.run(request).await;
    if browser
        || !response
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let body = axum::body::to_bytes(response.into_body(), super::MAX_BODY_BYTES)
        .await
        .unwrap_or_default();
    serde_json::from_slice::<PortalError>(&body)
        .unwrap_or(PortalError::BadRequest)
        .into_response()
}

/// security: `nonce-csp`, `security-headers` for every response, errors
/// included, by tower-http's header layers. HTML pages get their nonce CSP
/// from the shell, files their `Cache-Control` from `assets`; anything
/// without one gets the locked-down value here. HSTS only over https.
pub fn with_headers<S>(router: Router<S>, https: bool) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let always =
        |name, value| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    let unless_set =
        |name, value| SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value));
    let router = router
        .layer(always(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(always(header::X_FRAME_OPTIONS, "DENY"))
        .layer(always(header::REFERRER_POLICY, "same-origin"))
        .layer(always(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
        .layer(unless_set(header::CACHE_CONTROL, "no-store"))
        .layer(unless_set(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ));
    if https {
        router.layer(always(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        router
    }
}

/// The CSP for a page with no script at all (the cached start page).
pub const NO_SCRIPT_PAGE_CSP: &str = "default-src 'self'; script-src 'none'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
     object-src 'none'; form-action 'self'";

/// The CSP for an HTML page carrying this nonce.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_origin_rules() {
        let origin = "https://reset.example.com";
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            origin
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            origin
        ));
        assert!(!is_same_origin(
            &headers(&[
                ("sec-fetch-site", "same-site"),
                ("origin", "https://reset.example.com")
            ]),
            origin
        ));
        assert!(is_same_origin(
            &headers(&[("origin", "https://reset.example.com")]),
            origin
        ));
        assert!(!is_same_origin(
            &headers(&[("origin", "https://evil.example")]),
            origin
        ));
        assert!(!is_same_origin(&headers(&[]), origin));
    }
}

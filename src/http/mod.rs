//! [ssr] The public router and its middleware, one concern a file.

pub mod access_log;
pub mod assets;
pub mod client_ip;
pub mod dev_pages;
pub mod form_fields;
pub mod html;
pub mod language;
pub mod memo;
pub mod ops;
pub mod page_data;
pub mod refusal;
pub mod render;
pub mod security;

use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::get;
use axum::{middleware, Router};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::state::AppState;
use crate::steps;

/// Where the server functions are mounted: every form posts here.
pub const SERVER_FN_PREFIX: &str = "/api/";
/// Where the built CSS/JS/WASM are served (`site-pkg-dir`).
pub const ASSET_PREFIX: &str = "/pkg/";

/// Largest request body accepted (security: `body-size-limit`).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The whole portal as one router.
///
/// The layers, from the outermost (first to see a request) inwards:
/// 1. `access_log::around`: request id (tower-http), the `request` span
///    (tower-http `TraceLayer`), HTTP metrics and the access event;
/// 2. `memo`: the kept start page and hashed assets, answered from memory;
/// 3. compression (br, gzip);
/// 4. `html`: pages end at `</html>`;
/// 5. `security::with_headers`: nosniff, frame, referrer, COOP, CSP and
///    `Cache-Control` fallbacks, HSTS over https;
/// 6. `refusal::render`: a `PortalError` answer becomes its page or JSON;
/// 7. `security::no_bare_server_errors`;
/// 8. `give_leases_back_after_save` (a post's step lease goes back after
///    the session layer saved), then the session layer;
/// 9. then per route: pages get `language::switch` and `page_data::load`;
///    posts get the body limit, `same_origin_only`, `rate_limit`,
///    `form_posts_only`, `form_fields::exact_fields_only`,
///    `fn_errors_are_portal_errors` and `see_other`, outer to inner.
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
    let pages = render::page_routes(&state)
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
    let mut posts = render::server_fn_routes(&state);
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
    let (pkg_path, pkg) = assets::pkg(&state.leptos_options, state.made_files.clone());
    let memo = {
        let hashed = state.assets.hashed;
        let pkg_path = pkg_path.clone();
        let languages = state.config.languages.clone();
        memo::Memo::new(
            Arc::new(move |request| {
                if render::is_pristine_start(request) {
                    // The start page is kept per language.
                    Some(language::of_request(request.headers(), &languages).code())
                } else if hashed && assets::is_plain_get_of_hashed_file(request, &pkg_path) {
                    Some("")
                } else {
                    None
                }
            }),
            Arc::new(render::prepare_kept),
        )
    };
    let not_found = tower::service_fn({
        let render = render::not_found(&state);
        move |request| {
            let render = render.clone();
            async move { Ok::<_, std::convert::Infallible>(render(request).await) }
        }
    });
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ops::readyz))
        .merge(pages)
        .merge(posts)
        .nest_service(&pkg_path, pkg)
        .fallback_service(assets::public(&state.leptos_options, not_found))
        .layer(session_layer)
        .layer(middleware::from_fn(
            steps::outcome::give_leases_back_after_save,
        ))
        .layer(middleware::from_fn(security::no_bare_server_errors))
        .layer(middleware::from_fn_with_state(
            render::refused(&state),
            refusal::render,
        ));
    let app = security::with_headers(app, state.config.is_https())
        // A refused body (413) was never read: the connection can't carry
        // another request, so say it closes (hyper then closes it).
        .layer(SetResponseHeaderLayer::overriding(
            header::CONNECTION,
            |response: &axum::response::Response| {
                (response.status() == StatusCode::PAYLOAD_TOO_LARGE)
                    .then(|| HeaderValue::from_static("close"))
            },
        ))
        // Every layer below this one sees plain bodies. Files that arrive
        // precompressed (Content-Encoding set) pass compression untouched.
        .layer(middleware::from_fn(html::end_at_html_close))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(memo, memo::memoized));
    access_log::around(app, state.config.trusted_proxies.clone()).with_state(state)
}

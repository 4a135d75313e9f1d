//! [ssr] The pages and the server functions, routed by axum.
//!
//! Each page path renders `app::shell(page)`; `/api/…` runs the server
//! functions; anything else that isn't a file renders the not-found page
//! with a 404. Every render and every server function gets the same
//! context (`context`).

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos::server::ServerActionError;

use super::page_data;
use super::security::page_csp;
use crate::app::{shell, Page};
use crate::flow::Step;
use crate::state::AppState;

/// One route per page path.
pub fn page_routes(state: &AppState) -> Router<AppState> {
    // Leptos's renders and resources spawn on tokio (what `leptos_routes`
    // would set up). Err only means it is set already.
    let _ = any_spawner::Executor::init_tokio();
    let mut router = Router::new();
    for page in Page::routed() {
        let render =
            leptos_axum::render_app_to_stream_with_context(context(state), move || shell(page));
        router = router.route(page.path(), get(move |request: Request| render(request)));
    }
    router
}

/// `/api/…`: the server functions, each a form post.
pub fn server_fn_routes(state: &AppState) -> Router<AppState> {
    let run = context(state);
    Router::new().route(
        &format!("{}{{*fn_name}}", super::SERVER_FN_PREFIX),
        post(move |request: Request| {
            let run = run.clone();
            async move { leptos_axum::handle_server_fns_with_context(run, request).await }
        }),
    )
}

/// The not-found page, answered 404, for the file server's fallback.
pub fn not_found(
    state: &AppState,
) -> impl Fn(Request) -> std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send>>
       + Clone
       + Send
       + Sync
       + 'static {
    let render =
        leptos_axum::render_app_to_stream_with_context(away_from_start(context(state)), || {
            shell(Page::NotFound)
        });
    move |request: Request| {
        let render = render.clone();
        Box::pin(async move {
            let mut response = render(request).await.into_response();
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
        })
    }
}

/// The page a refused request gets (`error_page`): the error arrives in
/// the request's extensions.
pub fn refused(state: &AppState) -> super::refusal::RenderPage {
    let render =
        leptos_axum::render_app_to_stream_with_context(away_from_start(context(state)), || {
            shell(Page::Refused)
        });
    std::sync::Arc::new(move |request: Request| {
        let render = render.clone();
        Box::pin(async move { render(request).await.into_response() })
    })
}

/// The context of a page that isn't at a path of its own: its language
/// switcher links to the start page.
fn away_from_start(
    context: impl Fn() + Clone + Send + Sync + 'static,
) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        context();
        provide_context(crate::i18n::SwitchToStart);
    }
}

/// What every render and server function can use.
fn context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let state = state.clone();
    move || {
        // Islands mode: only `#[island]` components hydrate, so the rest of
        // the page renders without hydration markers.
        if let Some(shared) = Owner::current_shared_context() {
            shared.set_is_hydrating(false);
        }
        set_page_csp();
        provide_language(&state);
        provide_posted_error();
        if let Some(refused) = use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<crate::error::Refused>().cloned())
        {
            provide_context(refused);
        }
        page_data::provide();
        provide_context(state.site.clone());
        provide_context(state.assets.clone());
        provide_context(state.clone());
    }
}

/// The request's language, and the deployment's offer for the switcher.
/// Pages vary by `Accept-Language` and by the `lang` cookie.
fn provide_language(state: &AppState) {
    let lang = use_context::<axum::http::request::Parts>()
        .map(|parts| super::language::of_request(&parts.headers, &state.config.languages))
        .unwrap_or(state.config.languages.default);
    provide_context(lang);
    provide_context(state.config.languages.clone());
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            header::VARY,
            HeaderValue::from_static("accept-encoding, accept-language, cookie"),
        );
    }
}

/// The page's Content-Security-Policy, with this response's nonce.
fn set_page_csp() {
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(value) = HeaderValue::from_str(&page_csp(&nonce.to_string())) {
            response.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// A failed plain post comes back with `?__err=…&__path=…`; each page's
/// `ServerAction` reads its own error from this context.
fn provide_posted_error() {
    let Some(parts) = use_context::<axum::http::request::Parts>() else {
        return;
    };
    let Some(query) = parts.uri.query() else {
        return;
    };
    let mut err = None;
    let mut path = None;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match name.as_ref() {
            "__err" => err = Some(value),
            "__path" => path = Some(value),
            _ => {}
        }
    }
    if let (Some(err), Some(path)) = (err, path) {
        provide_context(ServerActionError::new(&path, &err));
    }
}

/// Whether this request gets the start page a visitor without a session
/// sees. That page is the same bytes for everyone (no session, no error, no
/// script: the deployment's brand and an empty form), so its answers are
/// kept in memory (`memo`), compressed as each client asked. It is a
/// trader's first request, and the one a flood of visitors repeats.
///
/// Anything that could change the page renders it fresh: a cookie (a
/// session may hold a draft login), a query (`__err` after a failed post),
/// a method other than GET.
pub fn is_pristine_start(request: &Request) -> bool {
    request.method() == Method::GET
        && request.uri().path() == Step::Start.path()
        && request.uri().query().is_none()
        && !request.headers().contains_key(header::COOKIE)
}

/// A kept start page allows no script at all: it has none, and the nonce
/// its render was given is spent.
pub fn prepare_kept(path: &str, headers: &mut HeaderMap) {
    if path == Step::Start.path() {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(super::security::NO_SCRIPT_PAGE_CSP),
        );
    }
}

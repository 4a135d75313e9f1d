//! The HTML shell and the routed application. Nothing else lives here.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::pages::{
    code::CodePage, done::DonePage, expired::ExpiredPage, password::PasswordPage,
    question::QuestionPage, start::StartPage,
};
use crate::site::use_assets;

/// The document around the app, rendered on the server only. It also sets
/// the page's Content-Security-Policy with this response's nonce.
///
/// Islands mode: only `#[island]` components hydrate, so the rest of the
/// page renders without hydration markers. (Leptos's `HydrationScripts`
/// sets this too; the pages with an island load their scripts themselves,
/// see `IslandScripts`.)
pub fn shell(_options: LeptosOptions) -> impl IntoView {
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(value) = axum::http::HeaderValue::from_str(&crate::server::security::page_csp(
            &nonce.to_string(),
        )) {
            response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let css = use_assets().map(|assets| assets.css.clone());
    view! {
        {css.map(|href| view! { <Stylesheet id="leptos" href=href/> })}
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <div class="app">
            <Router>
                <Routes fallback=|| view! { <p class="card">"Page not found."</p> }>
                    <Route path=path!("/") view=StartPage ssr=SsrMode::Async/>
                    <Route path=path!("/question") view=QuestionPage ssr=SsrMode::Async/>
                    <Route path=path!("/code") view=CodePage ssr=SsrMode::Async/>
                    <Route path=path!("/password") view=PasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/done") view=DonePage ssr=SsrMode::Async/>
                    <Route path=path!("/expired") view=ExpiredPage ssr=SsrMode::Async/>
                </Routes>
            </Router>
        </div>
    }
}

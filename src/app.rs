//! The HTML shell and the pages it can hold. Nothing else lives here.
//!
//! There is no client-side router: every page is a server render chosen by
//! axum (`http::render`), and every step is a form post answered with a
//! redirect. (leptos_router alone cost 43 % of a bare app's throughput in
//! our measurement, for nothing an islands app uses.)

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet};

use crate::flow::{Step, EXPIRED_PATH};
use crate::i18n::{t_with, use_lang};
use crate::pages::{
    code::CodePage, done::DonePage, expired::ExpiredPage, not_found::NotFoundPage,
    password::PasswordPage, question::QuestionPage, refused::RefusedPage, start::StartPage,
};
use crate::site::{use_assets, use_site};

/// The page a request renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Step(Step),
    Expired,
    NotFound,
    /// A request refused with a page of its own (429, 403, 413, 415, 503):
    /// the error comes as context (`error::Refused`).
    Refused,
}

impl Page {
    /// Every page with a path of its own.
    pub fn routed() -> impl Iterator<Item = Page> {
        Step::ALL.into_iter().map(Page::Step).chain([Page::Expired])
    }

    /// Where it is served (the not-found page answers any other path).
    pub fn path(self) -> &'static str {
        match self {
            Page::Step(step) => step.path(),
            Page::Expired => EXPIRED_PATH,
            Page::NotFound => "/404",
            Page::Refused => "/refused",
        }
    }
}

/// The document around a page, rendered on the server only.
pub fn shell(page: Page) -> impl IntoView {
    let lang = use_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() dir=lang.dir()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <MetaTags/>
            </head>
            <body>
                <App page=page/>
            </body>
        </html>
    }
}

#[component]
pub fn App(page: Page) -> impl IntoView {
    provide_meta_context();
    let css = use_assets().map(|assets| assets.css.clone());
    let favicon = use_site().favicon_url.clone();
    let description = t_with(
        "meta-description",
        &[("broker", use_site().broker_name.as_str().into())],
    );
    let body = match page {
        Page::Step(Step::Start) => view! { <StartPage/> }.into_any(),
        Page::Step(Step::Question) => view! { <QuestionPage/> }.into_any(),
        Page::Step(Step::Code) => view! { <CodePage/> }.into_any(),
        Page::Step(Step::Password) => view! { <PasswordPage/> }.into_any(),
        Page::Step(Step::Done) => view! { <DonePage/> }.into_any(),
        Page::Expired => view! { <ExpiredPage/> }.into_any(),
        Page::NotFound => view! { <NotFoundPage/> }.into_any(),
        Page::Refused => view! { <RefusedPage/> }.into_any(),
    };
    view! {
        {css.map(|href| view! { <Stylesheet id="leptos" href=href/> })}
        <Link rel="icon" href=favicon/>
        <Meta name="description" content=description/>
        <div class="app">{body}</div>
    }
}

//! Shown when a reset expired, was burned, or never existed in this
//! browser session.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::frame::PageFrame;

#[component]
pub fn ExpiredPage() -> impl IntoView {
    view! {
        <Title text="This reset expired"/>
        <PageFrame>
            <h1>"This reset expired"</h1>
            <p class="lead">
                "For your security, a password reset only lasts a few minutes. "
                "Nothing was changed. Please start again."
            </p>
            <a class="button primary" href="/">"Start again"</a>
        </PageFrame>
    }
}

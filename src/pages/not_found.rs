//! Any path that is neither a page nor a file.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::frame::PageFrame;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="Page not found"/>
        <PageFrame>
            <h1>"Page not found"</h1>
            <p class="lead">"There is nothing at this address."</p>
            <a class="button primary" href="/">"Reset your password"</a>
        </PageFrame>
    }
}

//! Any path that is neither a page nor a file.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::frame::PageFrame;
use crate::i18n::t;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text=t("not-found-title")/>
        <PageFrame>
            <h1>{t("not-found-title")}</h1>
            <p class="lead">{t("not-found-lead")}</p>
            <a class="button primary" href="/">{t("start-title")}</a>
        </PageFrame>
    }
}

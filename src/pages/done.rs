//! Done: the password was changed; a link leads to the broker's sign-in.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::step_page::StepPage;
use crate::flow::Step;
use crate::i18n::{t, t_with};
use crate::site::use_site;

#[component]
pub fn DonePage() -> impl IntoView {
    let site = use_site();
    view! {
        <Title text=t("done-title")/>
        <StepPage step=Step::Done render=move |_| view! {
            <div class="success-mark" aria-hidden="true"></div>
            <h1>{t("done-heading")}</h1>
            <p class="lead">{t("done-lead")}</p>
            <a class="button primary" href=site.sign_in_url.clone()>
                {t_with("done-sign-in", &[("broker", site.broker_name.as_str().into())])}
            </a>
        }/>
    }
}

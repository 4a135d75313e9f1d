//! Done: the password was changed; a link leads to the broker's sign-in.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::step_page::StepPage;
use crate::flow::Step;
use crate::site::use_site;

#[component]
pub fn DonePage() -> impl IntoView {
    let site = use_site();
    view! {
        <Title text="Password changed"/>
        <StepPage step=Step::Done render=move |_| view! {
            <div class="success-mark" aria-hidden="true"></div>
            <h1>"Your password has been changed"</h1>
            <p class="lead">"You can now sign in with your new password."</p>
            <a class="button primary" href=site.sign_in_url.clone()>
                {format!("Sign in to {}", site.broker_name)}
            </a>
        }/>
    }
}

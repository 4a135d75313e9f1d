//! Done: the password was changed; a link leads to the broker's sign-in.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::frame::Settings;
use crate::components::step_page::StepPage;
use crate::flow::Step;

#[component]
pub fn DonePage() -> impl IntoView {
    let settings = use_context::<Settings>();
    view! {
        <Title text="Password changed"/>
        <StepPage step=Step::Done reload=Signal::stored(0) render=move |_| view! {
            <div class="success-mark" aria-hidden="true"></div>
            <h1>"Your password has been changed"</h1>
            <p class="lead">"You can now sign in with your new password."</p>
            <Suspense fallback=|| ()>
                {move || settings.map(|settings| Suspend::new(async move {
                    let site = settings.await.ok();
                    let href = site.as_ref().map_or_else(|| "/".to_string(), |s| s.sign_in_url.clone());
                    let name = site.map_or_else(|| "AutoShares".to_string(), |s| s.broker_name);
                    view! { <a class="button primary" href=href>{format!("Sign in to {name}")}</a> }
                }))}
            </Suspense>
        }/>
    }
}

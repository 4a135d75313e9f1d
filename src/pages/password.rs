//! Step 4: the new password, twice. The rules are visible up front and
//! tick live with JavaScript on; the server checks them either way.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::last_error;
use crate::components::field::{error_for, FormError};
use crate::components::frame::Settings;
use crate::components::password_checklist::PasswordChecklist;
use crate::components::start_over::StartOverButton;
use crate::components::step_page::StepPage;
use crate::components::use_hydrated;
use crate::error::{Field, PortalError};
use crate::flow::Step;
use crate::password_policy::PasswordPolicy;
use crate::server_fns::SubmitPassword;

#[component]
pub fn PasswordPage() -> impl IntoView {
    let submit = ServerAction::<SubmitPassword>::new();
    let error = last_error(submit);
    let settings = use_context::<Settings>();
    view! {
        <Title text="Choose a new password"/>
        <StepPage step=Step::Password reload=Signal::stored(0) render=move |page| {
            let login = page.login.unwrap_or_default();
            view! {
                <h1>"Choose a new password"</h1>
                <p class="lead">
                    "For " <strong class="login">{login.clone()}</strong>
                    ". A long phrase you don't use anywhere else is best."
                </p>
                <Suspense fallback=|| ()>
                    {move || {
                        let login = login.clone();
                        settings.map(|settings| Suspend::new(async move {
                            let site = settings.await.ok();
                            let policy = site.as_ref().map(|s| s.policy).unwrap_or_default();
                            let broker = site.map(|s| s.broker_name).unwrap_or_default();
                            let personal = vec![login, broker];
                            view! { <PasswordForm submit=submit error=error policy=policy personal=personal/> }
                        }))
                    }}
                </Suspense>
                <StartOverButton/>
            }
        }/>
    }
}

#[component]
fn PasswordForm(
    submit: ServerAction<SubmitPassword>,
    error: Signal<Option<PortalError>>,
    policy: PasswordPolicy,
    personal: Vec<String>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let reveal = RwSignal::new(false);
    let hydrated = use_hydrated();
    let kind = Signal::derive(move || if reveal.get() { "text" } else { "password" });
    let password_error = error_for(error, Field::Password);
    let confirmation_error = error_for(error, Field::Confirmation);
    view! {
        <ActionForm action=submit attr:class="form" attr:novalidate=true>
            <FormError error=error_for(error, Field::Form)/>
            <PasswordInput
                id="password"
                label="New password"
                kind=kind
                max_chars=policy.max_chars
                described_by="password-rules password-error"
                error=password_error
                typed=password
                autofocus=true
            />
            <PasswordChecklist policy=policy password=password confirmation=confirmation personal=personal/>
            <PasswordInput
                id="confirmation"
                label="Confirm new password"
                kind=kind
                max_chars=policy.max_chars
                described_by="confirmation-error"
                error=confirmation_error
                typed=confirmation
            />
            <Show when=move || hydrated.get()>
                <button
                    type="button"
                    class="link reveal"
                    aria-pressed=move || reveal.get().to_string()
                    on:click=move |_| reveal.update(|r| *r = !*r)
                >
                    {move || if reveal.get() { "Hide passwords" } else { "Show passwords" }}
                </button>
            </Show>
            <button type="submit" class="primary" disabled=move || submit.pending().get()>
                "Change password"
            </button>
        </ActionForm>
    }
}

/// One password field: label, input (masked unless revealed), error.
#[component]
fn PasswordInput(
    id: &'static str,
    label: &'static str,
    kind: Signal<&'static str>,
    max_chars: u32,
    described_by: &'static str,
    error: Signal<Option<String>>,
    /// What the trader typed, for the live checklist.
    typed: RwSignal<String>,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=kind
                autocomplete="new-password"
                maxlength=max_chars
                autofocus=autofocus
                aria-describedby=described_by
                aria-invalid=move || error.get().is_some().then_some("true")
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            <p class="field-error" id=format!("{id}-error") aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

//! Step 3: the code AutoShares emailed. The trader can ask for a new one.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::last_error;
use crate::components::field::{error_for, FormError, TextField};
use crate::components::start_over::StartOverButton;
use crate::components::step_page::StepPage;
use crate::error::Field;
use crate::flow::Step;
use crate::server_fns::{ResendCode, SubmitCode};

#[component]
pub fn CodePage() -> impl IntoView {
    let submit = ServerAction::<SubmitCode>::new();
    let resend = ServerAction::<ResendCode>::new();
    let submit_error = last_error(submit);
    // A failed resend, or a submit error about no single field, goes above the form.
    let form_error = last_error(resend)
        .or_else(|| submit_error.clone().filter(|e| e.field() == Field::Form))
        .map(|e| e.to_string());
    view! {
        <Title text="Check your email"/>
        <StepPage step=Step::Code render=move |page| {
            let submit_error = submit_error.clone(); let form_error = form_error.clone();
            view! {
            <h1>"Check your email"</h1>
            <p class="lead">
                "We've emailed a code to the address on file for "
                <strong class="login">{page.login.clone()}</strong>
                ". It can take a minute to arrive; check your spam folder too."
            </p>
            {(page.codes_sent > 1).then(|| view! {
                <p class="notice" role="status">"We've sent a new code. Use the newest one."</p>
            })}
            <ActionForm action=submit attr:class="form" attr:novalidate=true>
                <FormError error=form_error.clone()/>
                <TextField
                    id="code"
                    name="code"
                    label="Code from the email"
                    error=error_for(&submit_error, Field::Code)
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    maxlength=32
                    autofocus=true
                />
                <button type="submit" class="primary">"Verify code"</button>
            </ActionForm>
            <div class="secondary-actions">
                <ActionForm action=resend attr:class="inline-form">
                    <button type="submit" class="link">"Send a new code"</button>
                </ActionForm>
                <StartOverButton/>
            </div>
        }}/>
    }
}

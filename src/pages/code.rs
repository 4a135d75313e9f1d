//! Step 3: the code AutoShares emailed. The trader can ask for a new one.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{last_error, title};
use crate::components::challenge::{ChallengeBox, ChallengeField};
use crate::components::field::{error_for, ErrorSummary, TextField};
use crate::components::start_over::StartOverButton;
use crate::components::step_page::StepPage;
use crate::error::Field;
use crate::flow::Step;
use crate::i18n::{t, t_with};
use crate::server_fns::{ResendCode, SubmitCode};

#[component]
pub fn CodePage() -> impl IntoView {
    let submit = ServerAction::<SubmitCode>::new();
    let resend = ServerAction::<ResendCode>::new();
    let submit_error = last_error(submit);
    // The summary names a failed resend or a failed submit.
    let summary = last_error(resend).or_else(|| submit_error.clone());
    let page_title = title(t("code-title"), &summary);
    view! {
        <Title text=page_title/>
        <StepPage step=Step::Code render=move |page| {
            let challenged = page.challenge.is_some();
            let submit_error = submit_error.clone(); let summary = summary.clone();
            view! {
            <h1>{t("code-title")}</h1>
            <p class="lead">
                {t_with("code-lead", &[("login", page.login.clone().unwrap_or_default().into())])}
            </p>
            {(page.codes_sent > 1).then(|| view! {
                <p class="notice" role="status">{t("code-new-sent")}</p>
            })}
            <ChallengeBox challenge=page.challenge.clone()/>
            <ActionForm action=submit attr:class="form" attr:novalidate=true>
                <ChallengeField challenged=challenged/>
                <ErrorSummary error=summary.clone()/>
                <TextField
                    id="code"
                    name="code"
                    label=t("code-label")
                    error=error_for(&submit_error, Field::Code)
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    maxlength=32
                    autofocus=summary.is_none()
                />
                <button type="submit" class="primary">{t("code-verify")}</button>
            </ActionForm>
            <div class="secondary-actions">
                <ActionForm action=resend attr:class="inline-form">
                    <ChallengeField challenged=challenged/>
                    <button type="submit" class="link">{t("code-send-new")}</button>
                </ActionForm>
                <StartOverButton/>
            </div>
        }}/>
    }
}

//! Step 2: the secret question, shown as text; the trader types the answer.

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
use crate::server_fns::SubmitAnswer;

#[component]
pub fn QuestionPage() -> impl IntoView {
    let submit = ServerAction::<SubmitAnswer>::new();
    let error = last_error(submit);
    view! {
        <Title text=title(t("question-title"), &error)/>
        <StepPage step=Step::Question render=move |page| {
            let challenged = page.challenge.is_some();
            let error = error.clone();
            view! {
            <h1>{t("question-title")}</h1>
            <p class="lead">
                {t_with("question-lead", &[("login", page.login.clone().unwrap_or_default().into())])}
            </p>
            <ChallengeBox challenge=page.challenge.clone()/>
            <ActionForm action=submit attr:class="form" attr:novalidate=true>
                <ChallengeField challenged=challenged/>
                <ErrorSummary error=error.clone()/>
                <TextField
                    id="answer"
                    name="answer"
                    label=page.question.clone().unwrap_or_default()
                    hint=t("question-hint")
                    error=error_for(&error, Field::Answer)
                    autocomplete="off"
                    maxlength=256
                    autofocus=error.is_none()
                />
                <button type="submit" class="primary">{t("button-continue")}</button>
            </ActionForm>
            <StartOverButton/>
        }}/>
    }
}

//! Step 2: the secret question, shown as text; the trader types the answer.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::last_error;
use crate::components::field::{error_for, FormError, TextField};
use crate::components::start_over::StartOverButton;
use crate::components::step_page::StepPage;
use crate::error::Field;
use crate::flow::Step;
use crate::server_fns::SubmitAnswer;

#[component]
pub fn QuestionPage() -> impl IntoView {
    let submit = ServerAction::<SubmitAnswer>::new();
    let error = last_error(submit);
    view! {
        <Title text="Answer your secret question"/>
        <StepPage step=Step::Question render=move |page| {
            let error = error.clone();
            view! {
            <h1>"Answer your secret question"</h1>
            <p class="lead">
                "Resetting the password for " <strong class="login">{page.login.clone()}</strong> "."
            </p>
            <ActionForm action=submit attr:class="form" attr:novalidate=true>
                <FormError error=error_for(&error, Field::Form)/>
                <TextField
                    id="answer"
                    name="answer"
                    label=page.question.clone().unwrap_or_default()
                    hint="Type the answer you chose when you set up your account."
                    error=error_for(&error, Field::Answer)
                    autocomplete="off"
                    maxlength=256
                    autofocus=true
                />
                <button type="submit" class="primary">"Continue"</button>
            </ActionForm>
            <StartOverButton/>
        }}/>
    }
}

//! Step 1: the trader types a login or email.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{last_error, title};
use crate::components::challenge::{ChallengeBox, ChallengeField};
use crate::components::field::{error_for, ErrorSummary, TextField};
use crate::components::step_page::StepPage;
use crate::error::{Field, PortalError};
use crate::flow::Step;
use crate::flow::MAX_LOGIN_CHARS;
use crate::i18n::t;
use crate::server_fns::SubmitLogin;

#[component]
pub fn StartPage() -> impl IntoView {
    let submit = ServerAction::<SubmitLogin>::new();
    let error = last_error(submit);
    view! {
        <Title text=title(t("start-title"), &error)/>
        <StepPage step=Step::Start render=move |page| {
            let challenged = page.challenge.is_some();
            // The start page before a login is typed never carries a
            // proof (`steps::challenge_for`): under pressure the first
            // post comes back asking for one, with its login, and goes
            // again by itself once it is solved.
            let resend = matches!(error, Some(PortalError::ChallengeRequired { .. }));
            let error = error.clone();
            view! {
            <h1>{t("start-title")}</h1>
            <p class="lead">
                {t("start-lead")}
            </p>
            <ChallengeBox challenge=page.challenge.clone() resend=resend/>
            <ActionForm action=submit attr:class="form" attr:novalidate=true>
                <ChallengeField challenged=challenged/>
                <ErrorSummary error=error.clone()/>
                <TextField
                    id="login"
                    name="login"
                    label=t("start-login-label")
                    error=error_for(&error, Field::Login)
                    value=page.draft_login.unwrap_or_default()
                    autocomplete="username"
                    maxlength=MAX_LOGIN_CHARS
                    autofocus=error.is_none()
                />
                <button type="submit" class="primary">{t("button-continue")}</button>
            </ActionForm>
        }}/>
    }
}

//! Step 1: the trader types a login or email.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::last_error;
use crate::components::field::{error_for, FormError, TextField};
use crate::components::step_page::StepPage;
use crate::error::Field;
use crate::flow::Step;
use crate::flow::MAX_LOGIN_CHARS;
use crate::server_fns::SubmitLogin;

#[component]
pub fn StartPage() -> impl IntoView {
    let submit = ServerAction::<SubmitLogin>::new();
    let error = last_error(submit);
    view! {
        <Title text="Reset your password"/>
        <StepPage step=Step::Start render=move |page| {
            let error = error.clone();
            view! {
            <h1>"Reset your password"</h1>
            <p class="lead">
                "Enter the login or email you use to sign in. We'll email you a code to set a new password."
            </p>
            <ActionForm action=submit attr:class="form" attr:novalidate=true>
                <FormError error=error_for(&error, Field::Form)/>
                <TextField
                    id="login"
                    name="login"
                    label="Login or email"
                    error=error_for(&error, Field::Login)
                    value=page.draft_login.unwrap_or_default()
                    autocomplete="username"
                    maxlength=MAX_LOGIN_CHARS
                    autofocus=true
                />
                <button type="submit" class="primary">"Continue"</button>
            </ActionForm>
        }}/>
    }
}

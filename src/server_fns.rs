//! The `#[server]` functions: one per action a trader can take. Each body
//! is one call into
//! `steps`, which holds the logic; forms post here with or
//! without JavaScript.

use leptos::prelude::*;

use crate::error::PortalError;

#[server(endpoint = "login")]
pub async fn submit_login(login: String) -> Result<(), PortalError> {
    crate::steps::submit_login(login).await
}

#[server(endpoint = "answer")]
pub async fn submit_answer(answer: String) -> Result<(), PortalError> {
    crate::steps::submit_answer(answer).await
}

#[server(endpoint = "code")]
pub async fn submit_code(code: String) -> Result<(), PortalError> {
    crate::steps::submit_code(code).await
}

#[server(endpoint = "resend")]
pub async fn resend_code() -> Result<(), PortalError> {
    crate::steps::resend_code().await
}

#[server(endpoint = "password")]
pub async fn submit_password(password: String, confirmation: String) -> Result<(), PortalError> {
    crate::steps::submit_password(password, confirmation).await
}

#[server(endpoint = "start-over")]
pub async fn start_over() -> Result<(), PortalError> {
    crate::steps::start_over().await
}

//! Step 4: the new password, twice. The rules are visible up front; the
//! fields are the page's island, so they tick live with JavaScript on. The
//! server checks every rule either way.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{last_error, title};
use crate::components::field::{error_for, ErrorSummary};
use crate::components::island_scripts::IslandScripts;
use crate::components::password_fields::{PasswordFields, PasswordWords};
use crate::components::start_over::StartOverButton;
use crate::components::step_page::StepPage;
use crate::error::Field;
use crate::flow::Step;
use crate::i18n::{t, t_with};
use crate::server_fns::SubmitPassword;
use crate::site::use_site;

#[component]
pub fn PasswordPage() -> impl IntoView {
    let submit = ServerAction::<SubmitPassword>::new();
    let error = last_error(submit);
    let site = use_site();
    view! {
        <Title text=title(t("password-title"), &error)/>
        <StepPage step=Step::Password render=move |page| {
            if page.password_sent {
                return view! { <PasswordSent/> }.into_any();
            }
            let login = page.login.unwrap_or_default();
            let site = site.clone();
            let policy = site.policy;
            let personal = vec![login.clone(), site.broker_name.clone()];
            let password_error = error_for(&error, Field::Password);
            let confirmation_error = error_for(&error, Field::Confirmation);
            view! {
                <h1>{t("password-title")}</h1>
                <p class="lead">
                    {t_with("password-lead", &[("login", login.clone().into())])}
                </p>
                <ActionForm action=submit attr:class="form" attr:novalidate=true>
                    <ErrorSummary error=error.clone()/>
                    <PasswordFields
                        policy=policy
                        words=PasswordWords::for_page(&policy)
                        personal=personal
                        password_error=password_error
                        confirmation_error=confirmation_error
                        autofocus=error.is_none()
                    />
                    <button type="submit" class="primary">{t("password-change")}</button>
                </ActionForm>
                <StartOverButton/>
                <IslandScripts/>
            }
            .into_any()
        }/>
    }
}

/// The new password went to AutoShares and its answer was lost (a crash,
/// a failover, a timeout): the token may be spent, so no form, only where
/// to go next.
#[component]
fn PasswordSent() -> impl IntoView {
    let site = use_site();
    view! {
        <Title text=t("sent-title")/>
        <h1>{t("sent-title")}</h1>
        <p class="lead">{t("sent-lead")}</p>
        <a class="button primary" href=site.sign_in_url.clone()>
            {t_with("done-sign-in", &[("broker", site.broker_name.as_str().into())])}
        </a>
        <StartOverButton/>
    }
}

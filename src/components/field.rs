//! A labelled input with its hint and its error, tied together with
//! `aria-describedby` and `aria-invalid`.

use leptos::prelude::*;

use crate::error::{Field, PortalError};
use crate::i18n::t;

/// The message of the posted error, if it belongs to `field`.
pub fn error_for(error: &Option<PortalError>, field: Field) -> Option<String> {
    error.as_ref().and_then(|e| e.message_for(field))
}

#[component]
pub fn TextField(
    /// Element id; also the prefix of the hint and error ids.
    id: &'static str,
    /// Form field name: the server function's argument.
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    error: Option<String>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] autofocus: bool,
    #[prop(optional)] maxlength: Option<u32>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described_by = match hint {
        Some(_) => format!("{id}-hint {error_id}"),
        None => error_id.clone(),
    };
    let invalid = error.is_some();
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                autofocus=autofocus
                maxlength=maxlength
                spellcheck="false"
                autocapitalize="none"
                aria-describedby=described_by
                aria-invalid=invalid.then_some("true")
            />
            <p class="field-error" id=error_id aria-live="polite">{error}</p>
        </div>
    }
}

/// After a failed post: the GOV.UK error summary at the top of the form.
/// It names the problem as a link to its field (or as text, when it is
/// about no single field), and takes the focus when the page loads
/// (`autofocus`; no script), so a screen reader starts there. The page's
/// `<title>` says "Error:" too (`pages::title`).
#[component]
pub fn ErrorSummary(error: Option<PortalError>) -> impl IntoView {
    error.map(|error| {
        let message = error.message();
        let item = match field_id(error.field()) {
            Some(id) => view! { <a href=format!("#{id}")>{message}</a> }.into_any(),
            None => view! { <span>{message}</span> }.into_any(),
        };
        view! {
            <div
                class="form-error error-summary"
                role="alert"
                tabindex="-1"
                autofocus=true
                aria-labelledby="error-summary-title"
            >
                <h2 id="error-summary-title">{t("error-summary-title")}</h2>
                <ul>
                    <li>{item}</li>
                </ul>
            </div>
        }
    })
}

/// The id of the input a field's error is about.
fn field_id(field: Field) -> Option<&'static str> {
    match field {
        Field::Login => Some("login"),
        Field::Answer => Some("answer"),
        Field::Code => Some("code"),
        Field::Password => Some("password"),
        Field::Confirmation => Some("confirmation"),
        Field::Form => None,
    }
}

//! A labelled input with its hint and its error, tied together with
//! `aria-describedby` and `aria-invalid`.

use leptos::prelude::*;

use crate::error::{Field, PortalError};

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
    #[prop(optional)] hint: Option<&'static str>,
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

/// An error that belongs to no single field, above the form.
#[component]
pub fn FormError(error: Option<String>) -> impl IntoView {
    view! {
        <div class="form-error" role="alert" aria-live="assertive">
            {error}
        </div>
    }
}

//! The password step's fields: the new password twice, the rules, and the
//! show/hide toggle. The page's one island: the only part of the portal
//! that runs in the browser.
//!
//! It is one island because its parts share signals (what was typed ticks
//! the rules; the toggle unmasks both fields). It takes small serializable
//! props, has no router pieces and calls no server function, so the WASM
//! links little beyond the rules. Server-rendered, the same markup is a
//! plain form: the rules are a static list, the toggle is absent, and the
//! server checks every rule on submit either way.

use leptos::prelude::*;

use serde::{Deserialize, Serialize};

use crate::password_policy::{PasswordPolicy, Rule};

/// The island's words, in the trader's language: looked up on the server
/// and handed over as props, so the WASM carries no catalog.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordWords {
    pub new_password: String,
    pub confirmation: String,
    pub rules: String,
    /// One per [`Rule::ALL`], in order.
    pub rule_labels: Vec<String>,
    pub done: String,
    pub show: String,
    pub hide: String,
}

impl PasswordWords {
    pub fn for_page(policy: &PasswordPolicy) -> PasswordWords {
        use crate::i18n::t;
        PasswordWords {
            new_password: t("password-new-label"),
            confirmation: t("password-confirm-label"),
            rules: t("password-rules-label"),
            rule_labels: Rule::ALL.iter().map(|rule| rule.label(policy)).collect(),
            done: t("password-rule-done"),
            show: t("password-show"),
            hide: t("password-hide"),
        }
    }
}

/// What the page hands the island: plain data, serialized into the HTML.
#[island]
pub fn PasswordFields(
    policy: PasswordPolicy,
    words: PasswordWords,
    /// What the password may not be: the login and the broker's name.
    personal: Vec<String>,
    /// The server's message for the new password, after a failed post.
    password_error: Option<String>,
    /// The server's message for the confirmation, after a failed post.
    confirmation_error: Option<String>,
    /// Take the focus on load (not when the error summary takes it).
    autofocus: bool,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let reveal = RwSignal::new(false);
    // Effects run only in the browser: this flips once the island is live,
    // and is the tests' proof that the WASM hydrated.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let kind = Signal::derive(move || if reveal.get() { "text" } else { "password" });
    let personal = StoredValue::new(personal);
    let PasswordWords {
        new_password,
        confirmation: confirmation_label,
        rules: rules_label,
        rule_labels,
        done,
        show,
        hide,
    } = words;
    let toggle = StoredValue::new((show, hide));
    let rules = Rule::ALL
        .into_iter()
        .zip(rule_labels)
        .map(|(rule, label)| {
            let done = done.clone();
            let met = move || {
                personal.with_value(|personal| {
                    policy.holds(rule, &password.get(), &confirmation.get(), personal)
                })
            };
            view! {
                <li class:met=met>
                    <span class="tick" aria-hidden="true"></span>
                    <span>{label}</span>
                    <span class="sr-only">{move || if met() { format!(" {done}") } else { String::new() }}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="password-fields" data-hydrated=move || live.get().then_some("true")>
            <PasswordInput
                id="password"
                label=new_password
                kind=kind
                described_by="password-rules password-error"
                error=password_error
                typed=password
                autofocus=autofocus
            />
            <ul class="rules" id="password-rules" aria-label=rules_label>{rules}</ul>
            <PasswordInput
                id="confirmation"
                label=confirmation_label
                kind=kind
                described_by="confirmation-error"
                error=confirmation_error
                typed=confirmation
            />
            <Show when=move || live.get()>
                <button
                    type="button"
                    class="link reveal"
                    aria-pressed=move || reveal.get().to_string()
                    on:click=move |_| reveal.update(|r| *r = !*r)
                >
                    {move || toggle.with_value(|(show, hide)| {
                        if reveal.get() { hide.clone() } else { show.clone() }
                    })}
                </button>
            </Show>
        </div>
    }
}

/// One password field: label, input (masked unless revealed), error.
#[component]
fn PasswordInput(
    id: &'static str,
    label: String,
    kind: Signal<&'static str>,
    described_by: &'static str,
    error: Option<String>,
    /// What the trader typed, for the live checklist.
    typed: RwSignal<String>,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    let invalid = error.is_some();
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=kind
                autocomplete="new-password"
                autofocus=autofocus
                aria-describedby=described_by
                aria-invalid=invalid.then_some("true")
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            <p class="field-error" id=format!("{id}-error") aria-live="polite">{error}</p>
        </div>
    }
}

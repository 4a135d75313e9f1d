//! The password rules, visible before the trader types. With JavaScript
//! on they tick as the trader types; without it they are a plain list and
//! the server checks them on submit.

use leptos::prelude::*;

use crate::password_policy::{PasswordPolicy, Rule};

#[component]
pub fn PasswordChecklist(
    policy: PasswordPolicy,
    #[prop(into)] password: Signal<String>,
    #[prop(into)] confirmation: Signal<String>,
    /// What the password may not be: the login and the broker's name.
    personal: Vec<String>,
) -> impl IntoView {
    let personal = StoredValue::new(personal);
    let items = Rule::ALL
        .into_iter()
        .map(|rule| {
            let met = move || {
                personal.with_value(|personal| {
                    policy.holds(rule, &password.get(), &confirmation.get(), personal)
                })
            };
            view! {
                <li class:met=met>
                    <span class="tick" aria-hidden="true"></span>
                    <span>{rule.label(&policy)}</span>
                    <span class="sr-only">{move || if met() { " (done)" } else { "" }}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="rules" id="password-rules" aria-label="Password rules">{items}</ul>
    }
}

//! The proof of work a step page carries while a budget it spends is close
//! to spent (`steps::challenge` decides when, and checks the answer).
//!
//! With JavaScript, a small plain script ([`SOLVER`], served from memory
//! under a hashed name) solves it while the trader types and fills every
//! form's `altcha` field; a form sent before that waits for it. Without
//! JavaScript, the page says what is going on, that the check needs it
//! now, and when the step works without it. A page without a challenge
//! renders none of this and loads no script. (A second island would have
//! loaded the whole WASM, 283 KB, for what 2 KB of script does with the
//! browser's own PBKDF2.)

use leptos::prelude::*;

use crate::flow::ChallengeView;
use crate::i18n::{t, t_with};
use crate::site::use_assets;

/// The solver, as it is served.
pub const SOLVER: &str = include_str!("challenge.js");

/// The name of the form field carrying the solution (ALTCHA's own).
pub const FIELD: &str = "altcha";

/// The challenge, its progress and the no-script explanation: once per
/// page, above its forms. `resend`: this page answers a post refused for
/// want of a proof, and the solver sends its form again once it is solved
/// (at most once a minute per tab: a refusal again never loops).
#[component]
pub fn ChallengeBox(
    challenge: Option<ChallengeView>,
    #[prop(optional)] resend: bool,
) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    let script = use_assets().map(|assets| assets.challenge_js.clone());
    challenge.map(|challenge| {
        view! {
            <div
                class="challenge"
                id="challenge"
                data-challenge=challenge.json
                data-max=challenge.max_tries
                data-resend=resend.then_some("true")
            >
                <p
                    class="notice"
                    role="status"
                    hidden=true
                    data-checking=t("challenge-checking")
                    data-done=t("challenge-done")
                    data-failed=t("challenge-failed")
                ></p>
                <progress max="100" value="0" hidden=true aria-hidden="true"></progress>
                <noscript>
                    <p class="notice">
                        {t_with("challenge-noscript", &[("minutes", challenge.minutes.into())])}
                    </p>
                </noscript>
                {script.map(|src| view! { <script src=src nonce=nonce defer></script> })}
            </div>
        }
    })
}

/// The field the solver fills: inside each form a challenged step posts.
#[component]
pub fn ChallengeField(challenged: bool) -> impl IntoView {
    challenged.then(|| view! { <input type="hidden" name=FIELD value=""/> })
}

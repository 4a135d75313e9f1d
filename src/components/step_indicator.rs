//! "Step 2 of 4", for eyes and screen readers.

use leptos::prelude::*;

use crate::flow::Step;
use crate::i18n::t_with;

#[component]
pub fn StepIndicator(step: Step) -> impl IntoView {
    step.number().map(|n| {
        let dots = (1..=Step::COUNT)
            .map(|i| {
                let class = if i < n {
                    "dot done"
                } else if i == n {
                    "dot current"
                } else {
                    "dot"
                };
                view! { <span class=class></span> }
            })
            .collect_view();
        view! {
            <div class="steps">
                <span class="dots" aria-hidden="true">{dots}</span>
                <span class="step-text">{t_with("step-of", &[("n", n.into()), ("count", Step::COUNT.into())])}</span>
            </div>
        }
    })
}

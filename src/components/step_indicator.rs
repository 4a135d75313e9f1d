//! "Step 2 of 4", for eyes and screen readers.

use leptos::prelude::*;

use crate::flow::Step;

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
                <span class="step-text">{format!("Step {n} of {}", Step::COUNT)}</span>
            </div>
        }
    })
}

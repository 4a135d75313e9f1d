//! "Start over": throws the flow away. A form of its own, so it works
//! without JavaScript too.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::i18n::t;
use crate::server_fns::StartOver;

#[component]
pub fn StartOverButton() -> impl IntoView {
    let start_over = ServerAction::<StartOver>::new();
    view! {
        <ActionForm action=start_over attr:class="inline-form">
            <button type="submit" class="link">{t("start-over")}</button>
        </ActionForm>
    }
}

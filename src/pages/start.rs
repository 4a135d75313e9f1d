//! Step 1: the trader types a login or email.

use leptos::prelude::*;

#[component]
pub fn StartPage() -> impl IntoView {
    view! { <main><h1>"Reset your password"</h1></main> }
}

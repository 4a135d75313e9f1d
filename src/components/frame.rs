//! The page around every step: brand, sandbox banner, card.

use leptos::prelude::*;

use crate::site::use_site;

#[component]
pub fn PageFrame(children: Children) -> impl IntoView {
    let site = use_site();
    view! {
        {site.sandbox.then(|| view! {
            <div class="sandbox-banner" role="note">
                "Sandbox: no real accounts. "
                <a href="/dev/mailbox">"Open the demo mailbox"</a>
            </div>
        })}
        <header class="brand">
            <img class="logo" src=site.logo_url.clone() alt="" width="32" height="32"/>
            <span class="broker">{site.broker_name.clone()}</span>
        </header>
        <main class="card">{children()}</main>
        <footer class="foot">
            <p>"We will never ask for your current password on this page."</p>
        </footer>
    }
}

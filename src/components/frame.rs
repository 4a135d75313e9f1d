//! The page around every step: brand, sandbox banner, card.

use leptos::prelude::*;

use crate::site::SiteSettings;

/// The site settings resource, provided once by `App`.
pub type Settings = OnceResource<Result<SiteSettings, crate::error::PortalError>>;

#[component]
pub fn PageFrame(children: Children) -> impl IntoView {
    let settings = use_context::<Settings>();
    let brand = move || {
        settings.map(|settings| {
            Suspend::new(async move {
                let site = settings.await.ok();
                let name = site
                    .as_ref()
                    .map_or_else(|| "AutoShares".to_string(), |s| s.broker_name.clone());
                let logo = site
                    .as_ref()
                    .map_or_else(|| "/logo.svg".to_string(), |s| s.logo_url.clone());
                let sandbox = site.as_ref().is_some_and(|s| s.sandbox);
                view! {
                    {sandbox.then(|| view! {
                        <div class="sandbox-banner" role="note">
                            "Sandbox: no real accounts. "
                            <a href="/dev/mailbox">"Open the demo mailbox"</a>
                        </div>
                    })}
                    <header class="brand">
                        <img class="logo" src=logo alt="" width="32" height="32"/>
                        <span class="broker">{name}</span>
                    </header>
                }
            })
        })
    };
    view! {
        <Suspense fallback=|| ()>{brand}</Suspense>
        <main class="card">{children()}</main>
        <footer class="foot">
            <p>"We will never ask for your current password on this page."</p>
        </footer>
    }
}

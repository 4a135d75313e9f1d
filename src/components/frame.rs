//! The page around every step: brand, sandbox banner, card.

use leptos::prelude::*;

use crate::i18n::{t, use_lang, Languages, SwitchToStart};
use crate::site::use_site;

#[component]
pub fn PageFrame(children: Children) -> impl IntoView {
    let site = use_site();
    view! {
        {site.sandbox.then(|| view! {
            <div class="sandbox-banner" role="note">
                {t("sandbox-banner")} " "
                <a href="/dev/mailbox">{t("sandbox-mailbox")}</a>
            </div>
        })}
        <header class="brand">
            <img class="logo" src=site.logo_url.clone() alt="" width="32" height="32"/>
            <span class="broker">{site.broker_name.clone()}</span>
        </header>
        <main class="card">{children()}</main>
        <footer class="foot">
            <p>{t("footer-never-ask")}</p>
            <LanguageSwitcher/>
        </footer>
    }
}

/// Links to this page in each other offered language. Plain links (no
/// script): `?lang=xx` sets the `lang` cookie and comes back here
/// (`http::language`), keeping the trader's place in the flow.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let current = use_lang();
    let offered = use_context::<Languages>().unwrap_or_default().offered;
    let base = if use_context::<SwitchToStart>().is_some() {
        "/"
    } else {
        ""
    };
    (offered.len() > 1).then(|| {
        let links = offered
            .into_iter()
            .map(|lang| {
                let here = lang == current;
                view! {
                    <li>
                        <a
                            href=format!("{base}?lang={}", lang.code())
                            lang=lang.code()
                            dir=lang.dir()
                            hreflang=lang.code()
                            aria-current=here.then_some("true")
                        >
                            {lang.native_name()}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <nav class="languages" aria-label=t("language-switcher")>
                <ul>{links}</ul>
            </nav>
        }
    })
}

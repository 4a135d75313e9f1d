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
            <BrokerHelpLine/>
            <p>{t("footer-never-ask")}</p>
            <LegalLinks/>
            <LanguageSwitcher/>
        </footer>
    }
}

/// The broker's support line (in the page's language) and help link.
#[component]
fn BrokerHelpLine() -> impl IntoView {
    let site = use_site();
    let help = &site.help;
    let text = help.support_text(use_lang()).map(str::to_string);
    let link = help.support_url.clone().map(|url| {
        view! { <a href=url>{t("footer-help")}</a> }
    });
    (text.is_some() || link.is_some()).then(|| {
        view! {
            <p class="support">
                {text.map(|text| view! { <span>{text}</span> " " })}
                {link}
            </p>
        }
    })
}

/// The broker's privacy notice and terms, when set.
#[component]
fn LegalLinks() -> impl IntoView {
    let site = use_site();
    let links: Vec<_> = [
        (site.help.privacy_url.clone(), "footer-privacy"),
        (site.help.terms_url.clone(), "footer-terms"),
    ]
    .into_iter()
    .filter_map(|(url, label)| url.map(|url| view! { <li><a href=url>{t(label)}</a></li> }))
    .collect();
    (!links.is_empty()).then(|| {
        view! {
            <nav class="legal" aria-label=t("footer-legal")>
                <ul>{links}</ul>
            </nav>
        }
    })
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

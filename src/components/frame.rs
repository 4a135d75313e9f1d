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
                {text.map(|text| {
                    let runs = numbers_apart(&text)
                        .into_iter()
                        .map(|(number, run)| {
                            if number {
                                view! { <bdi dir="ltr">{run}</bdi> }.into_any()
                            } else {
                                run.into_any()
                            }
                        })
                        .collect::<Vec<_>>();
                    view! { <span>{runs}</span> " " }
                })}
                {link}
            </p>
        }
    })
}

/// The support text in runs, with each phone number apart (`true`): a
/// number like "+1 212 555 0100" is shown left to right (`<bdi dir="ltr">`),
/// as it is dialled, also in Arabic, where the bidirectional algorithm
/// would otherwise move its "+" to the far end. A number: an optional "+"
/// or "(", then digits, spaces, dashes, dots and brackets, holding 6 digits or more.
fn numbers_apart(text: &str) -> Vec<(bool, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut runs: Vec<(bool, String)> = Vec::new();
    let mut push = |number: bool, run: String| {
        if run.is_empty() {
            return;
        }
        match runs.last_mut() {
            Some((last, text)) if *last == number && !number => text.push_str(&run),
            _ => runs.push((number, run)),
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            || ("+(".contains(chars[i]) && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        let after_word = i > 0 && chars[i - 1].is_alphanumeric();
        if starts && !after_word {
            let mut end = i + 1;
            while end < chars.len() && (chars[end].is_ascii_digit() || " -().".contains(chars[end]))
            {
                end += 1;
            }
            // The number ends at its last digit.
            while end > i && !chars[end - 1].is_ascii_digit() {
                end -= 1;
            }
            let run: String = chars[i..end].iter().collect();
            if run.chars().filter(char::is_ascii_digit).count() >= 6 {
                push(true, run);
                i = end;
                continue;
            }
        }
        push(false, chars[i].to_string());
        i += 1;
    }
    runs
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

#[cfg(test)]
mod tests {
    use super::numbers_apart;

    fn numbers(text: &str) -> Vec<String> {
        numbers_apart(text)
            .into_iter()
            .filter_map(|(number, run)| number.then_some(run))
            .collect()
    }

    #[test]
    fn phone_numbers_are_set_apart_and_nothing_is_lost() {
        let text = "هل تحتاج إلى مساعدة؟ اتصل بنا على +1 212 555 0100، من 8 إلى 20";
        assert_eq!(numbers(text), ["+1 212 555 0100"]);
        let joined: String = numbers_apart(text)
            .into_iter()
            .map(|(_, run)| run)
            .collect();
        assert_eq!(joined, text);
        assert_eq!(
            numbers("Call (212) 555-0100 or +44 20 7946 0958."),
            ["(212) 555-0100", "+44 20 7946 0958"].map(str::to_string)
        );
        // Hours, years and words with digits are left alone.
        assert!(numbers("8am-8pm ET, since 2024, ticket A123456").is_empty());
    }
}

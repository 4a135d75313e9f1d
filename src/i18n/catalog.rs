//! [ssr] The Fluent catalogs, compiled in (`fluent-templates`), and the
//! choice of a request's language.
//!
//! `fluent-templates` over `leptos_i18n`: the pages render on the server
//! only, so a plain Fluent loader is all they need; it keeps Fluent's own
//! syntax (plurals by CLDR category: Arabic's six forms) and adds nothing
//! to the WASM. Lookups never fall back to another language silently: the
//! tests below fail on any id missing from any language, and a miss that
//! still happens at run time is logged as an error.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

use super::{Arg, Lang, Languages};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./src/locales",
        fallback_language: "en",
        // No bidi isolation marks around arguments: `dir` on the page
        // orders text, and the marks would end up in titles and tests.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn lang_id(lang: Lang) -> &'static LanguageIdentifier {
    static IDS: OnceLock<Vec<(Lang, LanguageIdentifier)>> = OnceLock::new();
    let ids = IDS.get_or_init(|| {
        Lang::ALL
            .into_iter()
            .filter_map(|lang| lang.code().parse().ok().map(|id| (lang, id)))
            .collect()
    });
    ids.iter()
        .find(|(l, _)| *l == lang)
        .or_else(|| ids.first())
        .map(|(_, id)| id)
        .unwrap_or_else(|| unreachable_lang())
}

#[cold]
fn unreachable_lang() -> &'static LanguageIdentifier {
    static ROOT: OnceLock<LanguageIdentifier> = OnceLock::new();
    ROOT.get_or_init(LanguageIdentifier::default)
}

/// Message `id` in `lang`. A miss (which the tests rule out) is logged and
/// answered in English, so a trader still reads a sentence.
pub fn lookup(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let args: Option<HashMap<Cow<'static, str>, FluentValue>> = (!args.is_empty()).then(|| {
        args.iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Num(n) => FluentValue::from(*n),
                    Arg::Text(s) => FluentValue::from(s.clone()),
                };
                (Cow::Owned(name.to_string()), value)
            })
            .collect()
    });
    match LOCALES.lookup_single_language(lang_id(lang), id, args.as_ref()) {
        Ok(text) => text,
        Err(_) => {
            tracing::error!(event = "message_missing", lang = lang.code(), id);
            LOCALES.lookup_complete(lang_id(Lang::En), id, args.as_ref())
        }
    }
}

/// The language for a request: the `lang` cookie if it names an offered
/// language, else the best match of `Accept-Language` (q-values honoured,
/// `pt` matches `pt-BR`), else the deployment's default.
pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>, offered: &Languages) -> Lang {
    if let Some(lang) = cookie.and_then(Lang::from_code) {
        if offered.offered.contains(&lang) {
            return lang;
        }
    }
    let Some(header) = accept_language else {
        return offered.default;
    };
    // Ordered by q-value (fluent-langneg's own parser keeps header order).
    let requested: Vec<LanguageIdentifier> = accept_language::parse(header)
        .iter()
        .filter_map(|tag| tag.parse().ok())
        .collect();
    let available: Vec<LanguageIdentifier> = offered
        .offered
        .iter()
        .map(|lang| lang_id(*lang).clone())
        .collect();
    let default = lang_id(offered.default).clone();
    fluent_langneg::negotiate_languages(
        &requested,
        &available,
        Some(&default),
        fluent_langneg::NegotiationStrategy::Lookup,
    )
    .first()
    .and_then(|id| Lang::from_code(&id.to_string()))
    .unwrap_or(offered.default)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files every language has.
    const FILES: [&str; 2] = ["portal.ftl", "strength.ftl"];

    /// The message ids of one language's files.
    fn ids(lang: Lang) -> Vec<String> {
        FILES
            .into_iter()
            .flat_map(|file| {
                let path = format!(
                    "{}/src/locales/{}/{file}",
                    env!("CARGO_MANIFEST_DIR"),
                    lang.code()
                );
                let text =
                    std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{path} is missing"));
                text.lines()
                    .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
                    .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Every zxcvbn warning and suggestion has its message in every
    /// language (their ids are built in code, so the scan below can't
    /// see them).
    #[test]
    fn every_strength_reason_is_translated() {
        use crate::password_policy::strength::{Suggestion, Warning};
        let ids: Vec<&str> = Warning::ALL
            .iter()
            .map(|w| w.id())
            .chain(Suggestion::ALL.iter().map(|s| s.id()))
            .collect();
        assert_eq!(ids.len(), 27);
        for lang in Lang::ALL {
            let theirs = super::tests::ids(lang);
            for id in &ids {
                assert!(
                    theirs.iter().any(|t| t == id),
                    "{}: {id} is missing",
                    lang.code()
                );
                let text = LOCALES.lookup_single_language::<&str>(lang_id(lang), id, None);
                assert!(
                    text.is_ok_and(|t| !t.trim().is_empty()),
                    "{}: {id}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn every_language_has_every_message_and_no_other() {
        let english = ids(Lang::En);
        assert!(english.len() > 60);
        for lang in Lang::ALL {
            let theirs = ids(lang);
            let missing: Vec<_> = english.iter().filter(|id| !theirs.contains(id)).collect();
            let extra: Vec<_> = theirs.iter().filter(|id| !english.contains(id)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}: missing {missing:?}, extra {extra:?} (copy src/locales/en/portal.ftl and translate)",
                lang.code()
            );
            // Each resolves in its own language, with every variable given.
            let args: HashMap<Cow<'static, str>, FluentValue> = [
                "broker", "login", "minutes", "max", "min", "n", "count", "title",
            ]
            .into_iter()
            .map(|name| (Cow::Borrowed(name), FluentValue::from(2)))
            .collect();
            for id in &english {
                let text = LOCALES.lookup_single_language(lang_id(lang), id, Some(&args));
                assert!(
                    text.as_ref().is_ok_and(|t| !t.trim().is_empty()),
                    "{}: {id} does not resolve: {text:?}",
                    lang.code()
                );
            }
        }
    }

    /// Every id the code looks up exists in English (so, by the test
    /// above, everywhere).
    #[test]
    fn every_id_the_code_uses_exists() {
        let english = ids(Lang::En);
        let mut used = Vec::new();
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut dirs = vec![std::path::PathBuf::from(src)];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let code = std::fs::read_to_string(&path).unwrap();
                    for call in ["t(\"", "t_with(\"", "text(lang, \""] {
                        for (at, _) in code.match_indices(call) {
                            // `t(` itself, not the end of `Request(`.
                            let before = code[..at].chars().next_back().unwrap_or(' ');
                            if before.is_alphanumeric() || before == '_' {
                                continue;
                            }
                            if let Some(id) = code[at + call.len()..].split('"').next() {
                                used.push((id.to_string(), path.display().to_string()));
                            }
                        }
                    }
                }
            }
        }
        assert!(used.len() > 40, "the scan found the lookups");
        for (id, file) in used {
            assert!(
                english.contains(&id),
                "{id} (used in {file}) is not in en/portal.ftl"
            );
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        let minutes = |lang, n| lookup(lang, "attempts-wait", &[("minutes", Arg::Num(n))]);
        assert_eq!(
            minutes(Lang::En, 1),
            "Please wait 1 minute, then start again."
        );
        assert_eq!(
            minutes(Lang::En, 15),
            "Please wait 15 minutes, then start again."
        );
        // Arabic has six forms: 0, 1, 2, 3-10, 11-99, 100+ read differently.
        let arabic: Vec<String> = [0, 1, 2, 3, 11, 100]
            .into_iter()
            .map(|n| minutes(Lang::Ar, n))
            .collect();
        let mut distinct = arabic.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() >= 5, "{arabic:#?}");
        for lang in Lang::ALL {
            for n in [0, 1, 2, 5, 15, 120] {
                let text = minutes(lang, n);
                assert!(
                    !text.contains('{') && !text.is_empty(),
                    "{lang:?} {n}: {text}"
                );
            }
        }
    }

    #[test]
    fn the_language_is_negotiated() {
        let all = Languages::default();
        assert_eq!(negotiate(None, None, &all), Lang::En);
        assert_eq!(
            negotiate(None, Some("es-MX,es;q=0.9,en;q=0.5"), &all),
            Lang::Es
        );
        assert_eq!(negotiate(None, Some("pt"), &all), Lang::PtBr);
        assert_eq!(negotiate(None, Some("de;q=0.2, fr;q=0.8"), &all), Lang::Fr);
        assert_eq!(negotiate(None, Some("ja, zh;q=0.5"), &all), Lang::En);
        assert_eq!(negotiate(Some("ar"), Some("fr"), &all), Lang::Ar);
        let narrow = Languages {
            default: Lang::De,
            offered: vec![Lang::De, Lang::Fr],
        };
        assert_eq!(negotiate(Some("ar"), Some("es"), &narrow), Lang::De);
        assert_eq!(negotiate(None, Some("fr-CA"), &narrow), Lang::Fr);
    }
}

//! The portal's words in the test's language, from the portal's own
//! Fluent files (`src/locales`), so one scenario runs in English and in
//! Arabic. The language of a test is a task-local (`LANG`), set by
//! `in_both_modes!` for its Arabic variants.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{ArcLoader, LanguageIdentifier, Loader};

tokio::task_local! {
    /// The language the current test's pages ask for.
    pub static LANG: &'static str;
}

/// The current test's language (`en` unless `LANG` is set).
pub fn current_lang() -> &'static str {
    LANG.try_with(|lang| *lang).unwrap_or("en")
}

fn loader() -> &'static ArcLoader {
    static LOADER: OnceLock<ArcLoader> = OnceLock::new();
    LOADER.get_or_init(|| {
        let dir = crate::repo_root().join("src/locales");
        let en: LanguageIdentifier = "en".parse().expect("en");
        ArcLoader::builder(&dir, en)
            .customize(|bundle| bundle.set_use_isolating(false))
            .build()
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
    })
}

/// Whether `text` is a Fluent message id (`button-continue`) rather than
/// words to match.
pub fn is_id(text: &str) -> bool {
    text.contains('-')
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Message `id` in `lang`; a missing message fails the test.
pub fn tr(lang: &str, id: &str) -> String {
    tr_with(lang, id, &[])
}

/// Message `id` in `lang` with text arguments.
pub fn tr_text(lang: &str, id: &str, args: &[(&str, &str)]) -> String {
    let lang: LanguageIdentifier = lang.parse().expect("a language tag");
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Owned(k.to_string()), FluentValue::from(v.to_string())))
        .collect();
    loader()
        .try_lookup_with_args(&lang, id, &args)
        .unwrap_or_else(|| panic!("no message {id:?} in {lang}"))
}

/// Message `id` in `lang` with numeric arguments.
pub fn tr_with(lang: &str, id: &str, args: &[(&str, u32)]) -> String {
    let lang: LanguageIdentifier = lang.parse().expect("a language tag");
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Owned(k.to_string()), FluentValue::from(*v)))
        .collect();
    loader()
        .try_lookup_with_args(&lang, id, &args)
        .unwrap_or_else(|| panic!("no message {id:?} in {lang}"))
}

//! The trader's language, and the portal's words in it.
//!
//! Every word a trader reads comes from `src/locales/<lang>/portal.ftl`
//! (Fluent), looked up on the server while the page renders: the browser
//! never loads a catalog (the password island gets its few words as props).
//! [`Lang`] is the closed set of languages the portal ships; a broker can
//! narrow it and pick the default (`PORTAL_LANGUAGES`,
//! `PORTAL_DEFAULT_LANGUAGE`).
//!
//! A message missing from any language is a test failure
//! (`catalog::tests`), not something found at run time.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod catalog;

/// A language the portal ships.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Es,
    PtBr,
    Fr,
    De,
    Ar,
}

impl Lang {
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Es, Lang::PtBr, Lang::Fr, Lang::De, Lang::Ar];

    /// The BCP 47 tag: `<html lang>`, the cookie, the `.ftl` directory.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::PtBr => "pt-BR",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Ar => "ar",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::PtBr => "Português (Brasil)",
            Lang::Fr => "Français",
            Lang::De => "Deutsch",
            Lang::Ar => "العربية",
        }
    }

    /// Text direction: `<html dir>`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::En | Lang::Es | Lang::PtBr | Lang::Fr | Lang::De => "ltr",
        }
    }

    /// A tag as a cookie, a setting or a link carries it (any case).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(code.trim()))
    }
}

impl std::str::FromStr for Lang {
    type Err = ();

    fn from_str(code: &str) -> Result<Lang, ()> {
        Lang::from_code(code).ok_or(())
    }
}

/// The languages this deployment offers, default first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Languages {
    pub default: Lang,
    /// Offered in the switcher, in this order; holds `default`.
    pub offered: Vec<Lang>,
}

impl Default for Languages {
    fn default() -> Self {
        Languages {
            default: Lang::En,
            offered: Lang::ALL.to_vec(),
        }
    }
}

/// Context for pages not served at a path of their own (not found, a
/// refusal): the switcher's links go to the start page, since `?lang=` on
/// the request's own path would not render this page again.
#[derive(Clone, Copy, Debug)]
pub struct SwitchToStart;

/// One argument of a message: a number (plurals choose by it) or text.
#[derive(Clone, Debug)]
pub enum Arg {
    Num(u32),
    Text(String),
}

impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Num(n)
    }
}

impl From<u8> for Arg {
    fn from(n: u8) -> Arg {
        Arg::Num(u32::from(n))
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_string())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

/// Message `id` in `lang`, with `args`.
pub fn text(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    #[cfg(feature = "ssr")]
    {
        catalog::lookup(lang, id, args)
    }
    #[cfg(not(feature = "ssr"))]
    {
        // The browser renders no page text (islands get theirs as props).
        let _ = (lang, args);
        id.to_string()
    }
}

/// The language of the page being rendered.
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

/// Message `id` in the page's language.
pub fn t(id: &str) -> String {
    text(use_lang(), id, &[])
}

/// Message `id` in the page's language, with `args`.
pub fn t_with(id: &str, args: &[(&str, Arg)]) -> String {
    text(use_lang(), id, args)
}

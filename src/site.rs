//! What every page knows about the deployment: the broker's brand, the
//! sign-in link, the password policy, whether this is the sandbox, and the
//! names of the built CSS/JS/WASM files. The server builds both once at
//! start-up and provides them to each render as context.

use std::sync::Arc;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::password_policy::PasswordPolicy;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettings {
    pub broker_name: String,
    pub logo_url: String,
    pub favicon_url: String,
    pub sign_in_url: String,
    pub sandbox: bool,
    pub policy: PasswordPolicy,
    pub help: BrokerHelp,
}

/// Where a trader gets help and reads the broker's legal notices: the
/// footer of every page. Each is optional; the URLs are checked at start.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerHelp {
    /// `support_text`: for every language without its own.
    pub support_text: Option<String>,
    /// `support_text_<lang>`.
    pub support_text_in: Vec<(Lang, String)>,
    pub support_url: Option<String>,
    pub privacy_url: Option<String>,
    pub terms_url: Option<String>,
}

impl BrokerHelp {
    /// The support line in `lang`: its own, else the shared one.
    pub fn support_text(&self, lang: Lang) -> Option<&str> {
        self.support_text_in
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, text)| text.as_str())
            .or(self.support_text.as_deref())
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            broker_name: "AutoShares".into(),
            logo_url: "/logo.svg".into(),
            favicon_url: "/favicon.svg".into(),
            sign_in_url: "/".into(),
            sandbox: false,
            policy: PasswordPolicy::default(),
            help: BrokerHelp::default(),
        }
    }
}

/// The site settings of this render (the defaults outside a server render).
pub fn use_site() -> Arc<SiteSettings> {
    use_context::<Arc<SiteSettings>>().unwrap_or_default()
}

/// Where the built front-end files are, as absolute URL paths. Release
/// builds put a content hash in each name (cargo-leptos `hash-files`), so
/// a name never changes meaning and can be cached for a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assets {
    pub css: String,
    pub js: String,
    pub wasm: String,
    /// The proof-of-work solver, made at start (`steps::challenge`).
    pub challenge_js: String,
    /// Whether the names carry content hashes (a release build).
    pub hashed: bool,
}

impl Assets {
    /// The names under `/{pkg}/`: `{name}.{hash}.css` when a hash is known.
    pub fn named(pkg: &str, name: &str, hashes: &AssetHashes) -> Assets {
        let file = |hash: &Option<String>, ext: &str| match hash {
            Some(hash) => format!("/{pkg}/{name}.{hash}.{ext}"),
            None => format!("/{pkg}/{name}.{ext}"),
        };
        Assets {
            css: file(&hashes.css, "css"),
            js: file(&hashes.js, "js"),
            wasm: file(&hashes.wasm, "wasm"),
            challenge_js: String::new(),
            hashed: hashes.css.is_some() && hashes.js.is_some() && hashes.wasm.is_some(),
        }
    }
}

/// The hashes cargo-leptos wrote to its hash file (`css: …`, `js: …`,
/// `wasm: …`, one per line).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssetHashes {
    pub css: Option<String>,
    pub js: Option<String>,
    pub wasm: Option<String>,
}

impl AssetHashes {
    pub fn parse(text: &str) -> AssetHashes {
        let mut hashes = AssetHashes::default();
        for line in text.lines() {
            let Some((kind, hash)) = line.split_once(':') else {
                continue;
            };
            let hash = Some(hash.trim().to_string()).filter(|h| !h.is_empty());
            match kind.trim() {
                "css" => hashes.css = hash,
                "js" => hashes.js = hash,
                "wasm" => hashes.wasm = hash,
                _ => {}
            }
        }
        hashes
    }
}

/// The built files' names in this render.
pub fn use_assets() -> Option<Arc<Assets>> {
    use_context::<Arc<Assets>>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_s_own_support_line_wins_over_the_shared_one() {
        let help = BrokerHelp {
            support_text: Some("Call us".into()),
            support_text_in: vec![(Lang::Es, "Llámenos".into())],
            ..BrokerHelp::default()
        };
        assert_eq!(help.support_text(Lang::Es), Some("Llámenos"));
        assert_eq!(help.support_text(Lang::Ar), Some("Call us"));
        assert_eq!(BrokerHelp::default().support_text(Lang::En), None);
    }

    #[test]
    fn hashed_names_come_from_the_hash_file() {
        let hashes = AssetHashes::parse("js: AbC\nwasm: dEf\ncss: x_1\n\n");
        let assets = Assets::named("pkg", "portal", &hashes);
        assert_eq!(assets.css, "/pkg/portal.x_1.css");
        assert_eq!(assets.js, "/pkg/portal.AbC.js");
        assert_eq!(assets.wasm, "/pkg/portal.dEf.wasm");
    }

    #[test]
    fn without_a_hash_file_the_plain_names_are_used() {
        let assets = Assets::named("pkg", "portal", &AssetHashes::parse(""));
        assert_eq!(assets.css, "/pkg/portal.css");
        assert_eq!(assets.wasm, "/pkg/portal.wasm");
    }
}

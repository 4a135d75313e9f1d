//! What every page knows about the deployment: the broker's brand, the
//! sign-in link, the password policy, whether this is the sandbox, and the
//! names of the built CSS/JS/WASM files. The server builds both once at
//! start-up and provides them to each render as context.

use std::sync::Arc;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::password_policy::PasswordPolicy;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettings {
    pub broker_name: String,
    pub logo_url: String,
    pub sign_in_url: String,
    pub sandbox: bool,
    pub policy: PasswordPolicy,
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            broker_name: "AutoShares".into(),
            logo_url: "/logo.svg".into(),
            sign_in_url: "/".into(),
            sandbox: false,
            policy: PasswordPolicy::default(),
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

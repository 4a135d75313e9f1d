//! [ssr] Breached passwords (`pwned_passwords_url`): Have I Been Pwned's
//! k-anonymity range API. Only the first 5 hex characters of the new
//! password's SHA-1 leave the portal; the answer lists every known suffix
//! with that prefix (padded with decoys of count 0: `Add-Padding: true`,
//! so the answer's size says nothing), and the match happens here.
//!
//! A 2 s timeout, and a small cache of recent prefixes (ten minutes, at
//! most 1,024 of them) so a trader who retries doesn't ask twice. When the
//! service can't be reached, `pwned_passwords_fail_open` decides: let the
//! password through (logged, the default, as Ory Kratos does) or refuse
//! with the unavailable message.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha1::{Digest, Sha1};

use crate::config::PwnedSettings;
use crate::error::PortalError;
use crate::telemetry::metrics;

const TIMEOUT: Duration = Duration::from_secs(2);
const KEEP_FOR: Duration = Duration::from_secs(600);
const KEEP_AT_MOST: usize = 1024;

/// What the range API said about one password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Breached,
    NotFound,
    /// The service could not be asked (timeout, error, odd answer).
    Unknown,
}

type Suffixes = Arc<HashSet<String>>;

pub struct BreachCheck {
    settings: PwnedSettings,
    client: reqwest::Client,
    cache: Mutex<HashMap<String, (Instant, Suffixes)>>,
}

impl BreachCheck {
    pub fn new(settings: PwnedSettings) -> Result<BreachCheck, String> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("autoshares-portal")
            .build()
            .map_err(|e| format!("breached-passwords client: {e}"))?;
        Ok(BreachCheck {
            settings,
            client,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// `Ok` unless the password is breached (or unknown, failing closed).
    pub async fn check(&self, password: &str, ident: &str) -> Result<(), PortalError> {
        let verdict = self.verdict(password).await;
        let result = match verdict {
            Verdict::Breached => "breached",
            Verdict::NotFound => "not_found",
            Verdict::Unknown if self.settings.fail_open => "unknown_let_through",
            Verdict::Unknown => "unknown_refused",
        };
        metrics::breach_check(result);
        match verdict {
            Verdict::Breached => {
                tracing::info!(event = "password_breached", ident);
                Err(PortalError::PasswordBreached)
            }
            Verdict::NotFound => Ok(()),
            Verdict::Unknown if self.settings.fail_open => {
                tracing::warn!(event = "breach_check_unavailable", ident, fail_open = true);
                Ok(())
            }
            Verdict::Unknown => {
                tracing::warn!(event = "breach_check_unavailable", ident, fail_open = false);
                Err(PortalError::Unavailable)
            }
        }
    }

    pub async fn verdict(&self, password: &str) -> Verdict {
        let digest = hex::encode_upper(Sha1::digest(password.as_bytes()));
        let (prefix, suffix) = digest.split_at(5);
        let suffixes = match self.cached(prefix) {
            Some(suffixes) => suffixes,
            None => match self.fetch(prefix).await {
                Some(suffixes) => suffixes,
                None => return Verdict::Unknown,
            },
        };
        if suffixes.contains(suffix) {
            Verdict::Breached
        } else {
            Verdict::NotFound
        }
    }

    fn cached(&self, prefix: &str) -> Option<Suffixes> {
        let cache = self.cache.lock().ok()?;
        cache
            .get(prefix)
            .filter(|(at, _)| at.elapsed() < KEEP_FOR)
            .map(|(_, suffixes)| suffixes.clone())
    }

    async fn fetch(&self, prefix: &str) -> Option<Suffixes> {
        let url = self.settings.url.join(prefix).ok()?;
        let response = self
            .client
            .get(url)
            .header("Add-Padding", "true")
            .send()
            .await
            .ok()?;
        if !response.status().is_success() {
            return None;
        }
        let body = response.text().await.ok()?;
        let suffixes: Suffixes = Arc::new(parse_range(&body)?);
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= KEEP_AT_MOST {
                cache.retain(|_, (at, _)| at.elapsed() < KEEP_FOR);
                if cache.len() >= KEEP_AT_MOST {
                    cache.clear();
                }
            }
            cache.insert(prefix.to_string(), (Instant::now(), suffixes.clone()));
        }
        Some(suffixes)
    }
}

/// `SUFFIX:COUNT` lines; padding lines (count 0) are not breaches. `None`
/// for an answer that isn't this format at all.
fn parse_range(body: &str) -> Option<HashSet<String>> {
    let mut found = HashSet::new();
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (suffix, count) = line.split_once(':')?;
        let count: u64 = count.trim().parse().ok()?;
        if suffix.len() != 35 || !suffix.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        if count > 0 {
            found.insert(suffix.to_ascii_uppercase());
        }
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_lines_are_not_breaches_and_garbage_is_no_answer() {
        let body = "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n\
                    00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0\r\n";
        let found = parse_range(body).unwrap();
        assert!(found.contains("0018A45C4D1DEF81644B54AB7F969B88D65"));
        assert!(!found.contains("00D4F6E8FA6EECAD2A3AA415EEC418D38EC"));
        assert_eq!(parse_range("<html>busy</html>"), None);
        assert_eq!(parse_range(""), Some(HashSet::new()));
    }
}

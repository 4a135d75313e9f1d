//! [ssr] What the portal derives from a login: a hashed identifier for logs
//! and rate limits, and a stable decoy question for unknown logins.

use hmac::{Hmac, Mac};
use icu_casemap::CaseMapperBorrowed;
use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::DefaultIgnorableCodePoint;
use icu_properties::CodePointSetData;
use sha2::Sha256;

use crate::error::PortalError;
use crate::flow::MAX_LOGIN_CHARS;

/// The made-up questions unknown logins may see: the broker's own
/// (`PORTAL_DECOY_QUESTIONS_FILE`), else the built-in ones in the
/// deployment's default language. They must read like the broker's real
/// questions, or a decoy gives an unknown login away.
pub fn decoy_questions(configured: Option<&[String]>, default: crate::i18n::Lang) -> Vec<String> {
    match configured {
        Some(list) => list.to_vec(),
        None => (1..=6u8)
            .map(|n| crate::i18n::text(default, &format!("decoy-{n}"), &[]))
            .collect(),
    }
}

/// A login or email as a trader typed it at step 1, accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login(String);

impl Login {
    /// Trim surrounding whitespace; refuse empty, over-long, control and
    /// bidi characters (security: `safe-upstream-url`).
    pub fn parse(raw: &str) -> Result<Login, PortalError> {
        let login = raw.trim();
        if login.is_empty() {
            return Err(PortalError::LoginMissing);
        }
        if login.chars().count() > MAX_LOGIN_CHARS as usize {
            return Err(PortalError::LoginTooLong);
        }
        if login.chars().any(|c| c.is_control() || is_bidi_control(c)) {
            return Err(PortalError::LoginInvalid);
        }
        // Invisible characters (U+200B, U+00AD, …) make a login that looks
        // like another one (security: `normalized-login-keys`).
        let invisible = CodePointSetData::new::<DefaultIgnorableCodePoint>();
        if login.chars().any(|c| invisible.contains(c)) {
            return Err(PortalError::LoginInvisible);
        }
        Ok(Login(login.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The canonical form of a login, for counting and hashing one identifier
/// however it is typed: NFKC, full case folding, NFKC again (Unicode's
/// NFKC_Casefold shape), so `ＡＬＩＣＥ`, `Alice` and `alice` are one login.
/// Budgets, lockouts and decoys all key on it.
pub fn canonical(login: &str) -> String {
    let nfkc = ComposingNormalizerBorrowed::new_nfkc();
    let folded = CaseMapperBorrowed::new()
        .fold_string(&nfkc.normalize(login.trim()))
        .into_owned();
    nfkc.normalize(&folded).into_owned()
}

fn mac(key: &[u8], purpose: &str, login: &str) -> Vec<u8> {
    keyed(key, purpose, &canonical(login))
}

/// HMAC-SHA256 of `text` under the portal's key, for one `purpose` (so a
/// digest made for one use never matches one made for another). The text
/// is taken as it is: logins go through [`canonical`] first (see `mac`).
pub fn keyed(key: &[u8], purpose: &str, text: &str) -> Vec<u8> {
    // HMAC accepts keys of any length; new_from_slice cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return Vec::new();
    };
    mac.update(purpose.as_bytes());
    mac.update(&[0]);
    mac.update(text.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The identifier as logs and limits see it: 16 hex chars of a keyed hash.
pub fn ident_hash(key: &[u8], login: &str) -> String {
    let bytes = mac(key, "ident", login);
    hex::encode(bytes.get(..8).unwrap_or_default())
}

/// The decoy question for `login`: always the same one for the same login.
pub fn decoy_question(key: &[u8], login: &str, questions: &[String]) -> String {
    let bytes = mac(key, "decoy", login);
    let n = bytes.first().copied().map_or(0, usize::from);
    questions
        .get(n % questions.len().max(1))
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_login(raw: &str) -> Result<String, PortalError> {
        Login::parse(raw).map(Login::into_inner)
    }

    #[test]
    fn look_alike_logins_are_one_login_or_refused() {
        let key = b"k";
        let alice = ident_hash(key, "alice");
        for same in ["ALICE", " Alice ", "ＡＬＩＣＥ", "ａｌｉｃｅ"] {
            assert_eq!(ident_hash(key, same), alice, "{same}");
        }
        // Full case folding, not just lower case: ß folds to ss.
        assert_eq!(canonical("STRASSE"), canonical("straße"));
        for invisible in [
            "al\u{200B}ice",
            "al\u{00AD}ice",
            "alice\u{FEFF}",
            "al\u{2060}ice",
        ] {
            assert_eq!(
                parse_login(invisible),
                Err(PortalError::LoginInvisible),
                "{invisible:?}"
            );
        }
    }

    #[test]
    fn logins_are_trimmed_and_checked() {
        assert_eq!(parse_login("  alice "), Ok("alice".into()));
        assert_eq!(parse_login("   "), Err(PortalError::LoginMissing));
        assert_eq!(parse_login("a\u{0007}b"), Err(PortalError::LoginInvalid));
        assert_eq!(parse_login("a\u{202E}b"), Err(PortalError::LoginInvalid));
        assert_eq!(
            parse_login(&"a".repeat(255)),
            Err(PortalError::LoginTooLong)
        );
        assert_eq!(parse_login("a&b=c#?+x y"), Ok("a&b=c#?+x y".into()));
    }

    #[test]
    fn the_hash_ignores_case_and_depends_on_the_key() {
        assert_eq!(ident_hash(b"k1", "Alice"), ident_hash(b"k1", "alice"));
        assert_ne!(ident_hash(b"k1", "alice"), ident_hash(b"k2", "alice"));
        assert_eq!(ident_hash(b"k1", "alice").len(), 16);
        assert!(!ident_hash(b"k1", "alice").contains("alice"));
    }

    #[test]
    fn decoys_are_stable_per_login_and_in_the_brokers_language() {
        let english = decoy_questions(None, crate::i18n::Lang::En);
        let q = decoy_question(b"key", "nobody", &english);
        assert_eq!(q, decoy_question(b"key", "NOBODY", &english));
        assert!(english.contains(&q) && q.ends_with('?'));
        let spanish = decoy_questions(None, crate::i18n::Lang::Es);
        assert_eq!(spanish.len(), 6);
        assert!(spanish.iter().all(|q| !english.contains(q)), "{spanish:?}");
        let own = vec!["¿Color favorito?".to_string(), "¿Ciudad natal?".to_string()];
        assert!(own.contains(&decoy_question(b"key", "nobody", &own)));
    }

    proptest::proptest! {
        #[test]
        fn clean_login_never_panics(raw in ".*") {
            let _ = parse_login(&raw);
        }
    }
}

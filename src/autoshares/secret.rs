//! [ssr] Secrets in types whose `Debug` and `Display` redact them, so a
//! stray `{:?}` or `{}` can't leak them into a log or a page.

use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret of kind `K` (a string unless said otherwise). Read it only
/// through `expose()`.
pub struct Redacted<K, V = String> {
    value: V,
    kind: PhantomData<K>,
}

impl<K, V> Redacted<K, V> {
    pub fn new(value: V) -> Self {
        Self {
            value,
            kind: PhantomData,
        }
    }
}

impl<K> Redacted<K, String> {
    pub fn expose(&self) -> &str {
        &self.value
    }
}

impl<K> Redacted<K, Vec<u8>> {
    pub fn expose(&self) -> &[u8] {
        &self.value
    }
}

impl<K, V: Clone> Clone for Redacted<K, V> {
    fn clone(&self) -> Self {
        Self::new(self.value.clone())
    }
}

impl<K, V> fmt::Debug for Redacted<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<K, V> fmt::Display for Redacted<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Stored in the server-side session only.
impl<K, V: Serialize> Serialize for Redacted<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<'de, K, V: Deserialize<'de>> Deserialize<'de> for Redacted<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        V::deserialize(deserializer).map(Self::new)
    }
}

pub enum AppKeyKind {}
pub enum ResetTokenKind {}
pub enum SecretAnswerKind {}
pub enum ResetCodeKind {}
pub enum NewPasswordKind {}
pub enum HmacKeyKind {}

/// The broker's secret `Et-App-Key`.
pub type AppKey = Redacted<AppKeyKind>;
/// The one-time bearer token from step C.
pub type ResetToken = Redacted<ResetTokenKind>;
/// The trader's answer to the secret question.
pub type SecretAnswer = Redacted<SecretAnswerKind>;
/// The code AutoShares emailed.
pub type ResetCode = Redacted<ResetCodeKind>;
/// A new password (and its confirmation).
pub type NewPassword = Redacted<NewPasswordKind>;
/// The portal's own keyed-hash secret (identifier hashes, decoy choice).
pub type HmacKey = Redacted<HmacKeyKind, Vec<u8>>;

/// The longest code accepted: AutoShares' codes are short; anything longer
/// can't be one.
pub const MAX_CODE_CHARS: usize = 12;

impl ResetCode {
    /// The code as typed, with spaces and dashes dropped (codes are often
    /// copied as `123 456` or `123-456`). `Err(CodeMissing)` when nothing
    /// is left; `Ok(None)` when it can't be a code (too long, or not
    /// letters and digits): a wrong code that needs no upstream call.
    pub fn parse(raw: &str) -> Result<Option<ResetCode>, crate::error::PortalError> {
        let code: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if code.is_empty() {
            return Err(crate::error::PortalError::CodeMissing);
        }
        let well_formed =
            code.len() <= MAX_CODE_CHARS && code.chars().all(|c| c.is_ascii_alphanumeric());
        Ok(well_formed.then(|| ResetCode::new(code)))
    }
}

impl SecretAnswer {
    /// The answer exactly as typed (AutoShares compares it), unless it is
    /// blank.
    pub fn parse(raw: String) -> Result<SecretAnswer, crate::error::PortalError> {
        if raw.trim().is_empty() {
            return Err(crate::error::PortalError::AnswerMissing);
        }
        Ok(SecretAnswer::new(raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let key = AppKey::new("CanaryKey".into());
        let token = ResetToken::new("CanaryToken".into());
        for shown in [
            format!("{key:?}"),
            format!("{key}"),
            format!("{token:?}"),
            format!("{token}"),
            format!("{:?}", Some(&token)),
        ] {
            assert!(!shown.contains("Canary"), "{shown}");
        }
        assert_eq!(key.expose(), "CanaryKey");
    }

    #[test]
    fn codes_and_answers_parse_their_own_input() {
        use crate::error::PortalError;
        let code = |raw: &str| ResetCode::parse(raw).map(|c| c.map(|c| c.expose().to_string()));
        assert_eq!(code(" 123 456 "), Ok(Some("123456".into())));
        assert_eq!(code("123-456"), Ok(Some("123456".into())));
        assert_eq!(code(" - "), Err(PortalError::CodeMissing));
        assert_eq!(code("1234567890123"), Ok(None));
        assert_eq!(code("12345é"), Ok(None));
        assert_eq!(
            SecretAnswer::parse("  ".into()).map(|a| a.expose().to_string()),
            Err(PortalError::AnswerMissing)
        );
        assert_eq!(
            SecretAnswer::parse(" Rex ".into()).map(|a| a.expose().to_string()),
            Ok(" Rex ".into())
        );
    }

    #[test]
    fn serde_round_trips_the_plain_value() {
        let token = ResetToken::new("t-1".into());
        let json = serde_json::to_string(&token).unwrap();
        assert_eq!(json, "\"t-1\"");
        let back: ResetToken = serde_json::from_str(&json).unwrap();
        assert_eq!(back.expose(), "t-1");
    }
}

//! [ssr] The flow, sealed before it reaches the store (security:
//! `encrypted-store-at-rest`): AES-256-GCM with a fresh nonce per write,
//! its key derived with HKDF-SHA256 from the portal's secret. The flow
//! holds the secret answer (to send a new code) and the reset token; a
//! copy of the store alone reveals neither.
//!
//! With SQLite and no configured secret, the secret lives in its own 0600
//! file beside the database (`store::sqlite::kept_secret`), never in it.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use hkdf::Hkdf;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::Sha256;

/// What the key is derived for: a new purpose needs a new label.
const PURPOSE: &[u8] = b"autoshares-portal flow seal v1";
const NONCE_BYTES: usize = 12;

#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer([redacted])")
    }
}

impl Sealer {
    /// The sealer whose key HKDF derives from `secret`.
    pub fn new(secret: &[u8]) -> Sealer {
        let mut key = [0u8; 32];
        // 32 bytes is far below HKDF-SHA256's limit (255 × 32): never fails.
        let _ = Hkdf::<Sha256>::new(None, secret).expand(PURPOSE, &mut key);
        Sealer {
            cipher: Aes256Gcm::new(&key.into()),
        }
    }

    /// `value` as MessagePack, encrypted, as hex (nonce first).
    pub fn seal<T: Serialize>(&self, value: &T) -> Option<String> {
        let plain = rmp_serde::to_vec(value).ok()?;
        let nonce: [u8; NONCE_BYTES] = rand::random();
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_slice())
            .ok()?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Some(hex::encode(out))
    }

    /// What `seal` sealed, or `None` if it was sealed with another key,
    /// altered, or is not a sealed value at all.
    pub fn open<T: DeserializeOwned>(&self, sealed: &str) -> Option<T> {
        let bytes = hex::decode(sealed).ok()?;
        if bytes.len() <= NONCE_BYTES {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let plain = self.cipher.decrypt(Nonce::from_slice(nonce), sealed).ok()?;
        rmp_serde::from_slice(&plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_hides_its_text() {
        let sealer = Sealer::new(b"the portal's secret");
        let sealed = sealer.seal(&("alice", "Peterson")).unwrap();
        assert!(!sealed.contains(&hex::encode("Peterson")));
        assert_eq!(
            sealer.open::<(String, String)>(&sealed),
            Some(("alice".into(), "Peterson".into()))
        );
        assert_ne!(
            sealer.seal(&"x"),
            sealer.seal(&"x"),
            "a fresh nonce each time"
        );
        let other = Sealer::new(b"another secret");
        assert_eq!(other.open::<(String, String)>(&sealed), None);
        let mut altered = sealed.clone();
        altered.replace_range(40..41, if &sealed[40..41] == "0" { "1" } else { "0" });
        assert_eq!(sealer.open::<(String, String)>(&altered), None);
    }
}

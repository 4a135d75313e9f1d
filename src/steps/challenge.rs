//! [ssr] Proof of work when a budget is close to spent (security:
//! `proof-of-work`).
//!
//! When a budget a step spends (the login's, the network's, the portal's)
//! is [`ChallengePolicy::level`] full, the step's page carries an ALTCHA v2
//! challenge (the `altcha` crate: PBKDF2/SHA-256, HMAC-signed, expiring in
//! [`CHALLENGE_TTL`]) and the step refuses a post without its solution. The
//! browser solves it with a small script of ours; nothing leaves the portal.
//! A solution counts once: its nonce is leased in the store until the
//! challenge expires, so a replay fails on every instance.
//!
//! The level is signed into the challenge (`data.level`), so a challenge
//! fetched while the portal was calm does not pass once it is not.

use std::collections::BTreeMap;
use std::time::Duration;

use altcha::{
    create_challenge, verify_solution, Challenge, CreateChallengeOptions, Payload,
    VerifySolutionOptions,
};
use base64::Engine;

use super::identity::keyed;
use crate::flow::ChallengeView;
use crate::store::counters::{millis, Millis};
use crate::store::limits::{until, ChallengePolicy, Level, Limiter, Pressure};
use crate::store::{CounterKey, StoreError};
use crate::telemetry::metrics;

/// The `altcha` field of a post, taken out of its form before the server
/// function reads it (`http::form_fields`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofOffered(pub String);

/// How long a challenge may be solved and posted.
pub const CHALLENGE_TTL: Duration = Duration::from_secs(10 * 60);

/// The KDF every challenge uses: WebCrypto has it natively.
const ALGORITHM: &str = "PBKDF2/SHA-256";

/// Why a post's proof of work was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// None was sent (no JavaScript, or a script that never ran).
    Missing,
    /// Not base64 JSON of an ALTCHA payload.
    Malformed,
    /// The signature or the solution does not hold.
    Forged,
    Expired,
    /// Signed for a lower level than the budgets ask for now.
    TooEasy,
    /// Already spent by an earlier post.
    Replayed,
}

impl Failure {
    /// The metric's `result` label.
    pub fn label(self) -> &'static str {
        match self {
            Failure::Missing => "missing",
            Failure::Malformed => "malformed",
            Failure::Forged => "forged",
            Failure::Expired => "expired",
            Failure::TooEasy => "too_easy",
            Failure::Replayed => "replayed",
        }
    }
}

/// A solution that holds: its nonce (spent in the store next) and expiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub nonce: String,
    pub expires_at: Millis,
}

/// The portal's challenges: the secrets they are signed with (derived
/// from the portal's HMAC key, so every instance agrees) and the policy.
pub struct Challenges {
    signature_secret: String,
    key_secret: String,
    pub policy: ChallengePolicy,
}

impl Challenges {
    pub fn new(hmac_key: &[u8], policy: ChallengePolicy) -> Self {
        Self {
            signature_secret: hex::encode(keyed(hmac_key, "altcha-challenge", "")),
            key_secret: hex::encode(keyed(hmac_key, "altcha-key", "")),
            policy,
        }
    }

    /// A new challenge of `level`, expiring [`CHALLENGE_TTL`] after `now`.
    /// Its answer is a random counter in the level's range; the derived
    /// key is signed, so checking a solution is one HMAC.
    pub fn issue(&self, level: Level, now: Millis) -> Result<Challenge, altcha::Error> {
        let counter = rand::random_range(level.counters());
        let expires_at = now.saturating_add(millis(CHALLENGE_TTL)) / 1000;
        let mut data = BTreeMap::new();
        data.insert("level".to_string(), level.label().into());
        create_challenge(CreateChallengeOptions {
            algorithm: ALGORITHM.to_string(),
            cost: self.policy.cost,
            counter: Some(counter),
            data: Some(data),
            expires_at: u64::try_from(expires_at).ok(),
            hmac_signature_secret: Some(self.signature_secret.clone()),
            hmac_key_signature_secret: Some(self.key_secret.clone()),
            ..Default::default()
        })
    }

    /// What a page carries for a challenge of `pressure`, or nothing if it
    /// can't be made (logged; the step will refuse with the same message a
    /// trader without JavaScript reads).
    pub fn view(&self, pressure: Pressure, now: Millis) -> Option<ChallengeView> {
        let challenge = match self.issue(pressure.level, now) {
            Ok(challenge) => challenge,
            Err(err) => {
                tracing::error!(event = "challenge_not_issued", error = %err);
                return None;
            }
        };
        let json = serde_json::to_string(&challenge).ok()?;
        metrics::challenge("issued", pressure.level.label());
        Some(ChallengeView {
            json,
            max_tries: *pressure.level.counters().end(),
            minutes: pressure.minutes_left(now),
        })
    }

    /// Whether `payload` (base64 JSON, as ALTCHA's widget posts it) solves
    /// a challenge of ours, unexpired, of at least `required`. Pure: the
    /// store is asked afterwards ([`spend`]).
    pub fn check(&self, payload: &str, required: Level) -> Result<Checked, Failure> {
        if payload.is_empty() {
            return Err(Failure::Missing);
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(payload.trim())
            .map_err(|_| Failure::Malformed)?;
        let payload: Payload = serde_json::from_slice(&bytes).map_err(|_| Failure::Malformed)?;
        let params = &payload.challenge.parameters;
        // Only our own kind of challenge: the algorithm and the cost are
        // signed, but the cheapest check comes first.
        if params.algorithm != ALGORITHM || params.key_signature.is_none() {
            return Err(Failure::Forged);
        }
        let result = verify_solution(VerifySolutionOptions {
            hmac_key_signature_secret: Some(self.key_secret.clone()),
            ..VerifySolutionOptions::new(
                &payload.challenge,
                &payload.solution,
                &self.signature_secret,
            )
        })
        .map_err(|_| Failure::Malformed)?;
        if result.expired {
            return Err(Failure::Expired);
        }
        if !result.verified {
            return Err(Failure::Forged);
        }
        let level = params
            .data
            .as_ref()
            .and_then(|data| data.get("level"))
            .and_then(|level| level.as_str())
            .and_then(Level::from_label)
            .ok_or(Failure::Forged)?;
        if level < required {
            return Err(Failure::TooEasy);
        }
        let expires_at = params
            .expires_at
            .and_then(|secs| i64::try_from(secs).ok())
            .ok_or(Failure::Forged)?
            .saturating_mul(1000);
        Ok(Checked {
            nonce: params.nonce.clone(),
            expires_at,
        })
    }
}

/// Spend a checked solution: true the first time on any instance, false
/// for a replay. The nonce is held until the challenge expires (after
/// that, [`Challenges::check`] refuses it anyway).
pub async fn spend(limiter: &Limiter, checked: &Checked, now: Millis) -> Result<bool, StoreError> {
    let ttl = until(checked.expires_at, now).max(Duration::from_secs(1));
    limiter
        .once(&CounterKey::ChallengeSpent(checked.nonce.clone()), ttl, now)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::counters::now_millis;
    use crate::store::limits::Budgets;
    use crate::store::memory::MemoryCounters;
    use crate::store::BucketRate;
    use altcha::{solve_challenge, Solution, SolveChallengeOptions};
    use std::sync::Arc;

    fn challenges() -> Challenges {
        Challenges::new(
            b"a test key of enough length",
            ChallengePolicy {
                at_percent: 80,
                cost: 100,
            },
        )
    }

    fn solve(challenge: &Challenge) -> Solution {
        solve_challenge(SolveChallengeOptions::new(challenge))
            .unwrap()
            .unwrap()
    }

    fn payload(challenge: &Challenge, solution: &Solution) -> String {
        let payload = Payload {
            challenge: challenge.clone(),
            solution: solution.clone(),
        };
        base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&payload).unwrap())
    }

    #[test]
    fn a_solved_challenge_passes_at_its_level_and_below() {
        let c = challenges();
        let challenge = c.issue(Level::Raised, now_millis()).unwrap();
        let solution = solve(&challenge);
        assert!(Level::Raised.counters().contains(&solution.counter));
        let posted = payload(&challenge, &solution);
        assert!(c.check(&posted, Level::Normal).is_ok());
        assert!(c.check(&posted, Level::Raised).is_ok());
        assert_eq!(c.check(&posted, Level::High), Err(Failure::TooEasy));
    }

    #[test]
    fn forged_expired_and_malformed_solutions_are_refused() {
        let c = challenges();
        let now = now_millis();
        let challenge = c.issue(Level::Normal, now).unwrap();
        let solution = solve(&challenge);
        // A wrong key.
        let mut wrong = solution.clone();
        wrong.derived_key = "00".repeat(32);
        assert_eq!(
            c.check(&payload(&challenge, &wrong), Level::Normal),
            Err(Failure::Forged)
        );
        // A level raised by hand breaks the signature.
        let mut raised = challenge.clone();
        if let Some(data) = raised.parameters.data.as_mut() {
            data.insert("level".into(), "high".into());
        }
        assert_eq!(
            c.check(&payload(&raised, &solution), Level::High),
            Err(Failure::Forged)
        );
        // Signed with another key.
        let other = Challenges::new(b"another key", c.policy);
        let theirs = other.issue(Level::Normal, now).unwrap();
        assert_eq!(
            c.check(&payload(&theirs, &solve(&theirs)), Level::Normal),
            Err(Failure::Forged)
        );
        // Issued eleven minutes ago: expired.
        let old = c.issue(Level::Normal, now - 11 * 60_000).unwrap();
        assert_eq!(
            c.check(&payload(&old, &solve(&old)), Level::Normal),
            Err(Failure::Expired)
        );
        assert_eq!(c.check("", Level::Normal), Err(Failure::Missing));
        assert_eq!(
            c.check("not base64!", Level::Normal),
            Err(Failure::Malformed)
        );
        assert_eq!(c.check("e30=", Level::Normal), Err(Failure::Malformed));
    }

    #[tokio::test]
    async fn a_solution_is_spent_once() {
        let limiter = Limiter::new(
            Arc::new(MemoryCounters::new(BucketRate {
                per_minute: 30,
                burst: 10,
            })),
            Budgets::default(),
        );
        let c = challenges();
        let now = now_millis();
        let challenge = c.issue(Level::Normal, now).unwrap();
        let checked = c
            .check(&payload(&challenge, &solve(&challenge)), Level::Normal)
            .unwrap();
        assert!(spend(&limiter, &checked, now).await.unwrap());
        assert!(!spend(&limiter, &checked, now).await.unwrap());
        assert!(!spend(&limiter, &checked, now + 60_000).await.unwrap());
    }
}

//! [ssr] Rate limits: a token bucket per client address, and sliding
//! windows per hashed identifier (wrong answers, code emails). Wrong
//! answers that fill their window lock the identifier out, for twice as
//! long each time (security: `wrong-answer-lockout`).
//!
//! This is the policy; the counting happens in the state store
//! ([`crate::store::Counters`]), so every instance sharing a store counts
//! as one and a restart refills nobody's budget. When the store can't
//! count, nothing is allowed: limits fail closed.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::store::counters::millis;
use crate::store::{CounterKey, Counters, Lockout, LockoutPolicy, Millis, StoreError};

/// What a window counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Counted {
    WrongAnswer,
    CodeEmail,
}

impl Counted {
    fn window(self) -> Duration {
        match self {
            Counted::WrongAnswer => Duration::from_secs(15 * 60),
            Counted::CodeEmail => Duration::from_secs(60 * 60),
        }
    }

    fn key(self, ident: &str) -> CounterKey {
        match self {
            Counted::WrongAnswer => CounterKey::WrongAnswers(ident.to_string()),
            Counted::CodeEmail => CounterKey::CodeEmails(ident.to_string()),
        }
    }
}

/// Events allowed per identifier in each window (security: `wrong-answer-lockout`, `code-email-cap`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdentifierBudget {
    /// Wrong answers per 15 minutes.
    pub wrong_answers: u32,
    /// Code emails per hour.
    pub code_emails: u32,
}

impl Default for IdentifierBudget {
    fn default() -> Self {
        Self {
            wrong_answers: 5,
            code_emails: 3,
        }
    }
}

/// Why something is not allowed now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Limited {
    /// Over the limit: allowed again after this long.
    Wait(Duration),
    /// The store can't count, so nothing is allowed (fail closed).
    StoreDown(StoreError),
}

impl From<StoreError> for Limited {
    fn from(err: StoreError) -> Self {
        Limited::StoreDown(err)
    }
}

pub struct Limiter {
    counters: Arc<dyn Counters>,
    budget: IdentifierBudget,
    lockouts: LockoutPolicy,
}

impl Limiter {
    pub fn new(counters: Arc<dyn Counters>, budget: IdentifierBudget) -> Self {
        Self {
            counters,
            budget,
            lockouts: LockoutPolicy::default(),
        }
    }

    pub fn budget(&self) -> IdentifierBudget {
        self.budget
    }

    /// Take one token for this address, or say how long until one is free.
    pub async fn take_ip(&self, ip: IpAddr) -> Result<(), Limited> {
        self.counters.take_token(ip).await?.map_err(Limited::Wait)
    }

    /// Whether one more event is allowed for this identifier now; if not,
    /// how long until it is.
    pub async fn check(&self, what: Counted, ident: &str, now: Millis) -> Result<(), Limited> {
        if what == Counted::WrongAnswer {
            let key = CounterKey::Lockout(ident.to_string());
            if let Some(lockout) = self.counters.lockout(&key, &self.lockouts, now).await? {
                if lockout.until > now {
                    return Err(Limited::Wait(until(lockout.until, now)));
                }
            }
        }
        let window = self
            .counters
            .window(&what.key(ident), what.window(), now)
            .await?;
        match window.oldest {
            Some(oldest) if window.count >= self.max(what) => {
                Err(Limited::Wait(until(oldest + millis(what.window()), now)))
            }
            _ => Ok(()),
        }
    }

    /// Record one event for this identifier. A wrong answer that fills the
    /// window starts a lockout, twice as long as the one before it; that
    /// lockout comes back.
    pub async fn record(
        &self,
        what: Counted,
        ident: &str,
        now: Millis,
    ) -> Result<Option<Lockout>, StoreError> {
        let locks = what == Counted::WrongAnswer;
        let max = self.max(what);
        let count = self
            .counters
            .hit(&what.key(ident), what.window(), locks.then_some(max), now)
            .await?;
        if !locks || count < max {
            return Ok(None);
        }
        let lockout = self
            .counters
            .strike(&CounterKey::Lockout(ident.to_string()), &self.lockouts, now)
            .await?;
        tracing::warn!(
            event = "identifier_locked_out",
            ident,
            strikes = lockout.strikes,
            minutes = minutes(until(lockout.until, now))
        );
        Ok(Some(lockout))
    }

    fn max(&self, what: Counted) -> u32 {
        match what {
            Counted::WrongAnswer => self.budget.wrong_answers,
            Counted::CodeEmail => self.budget.code_emails,
        }
        .max(1)
    }
}

/// The time from `now` to `at`, none if it has passed.
pub fn until(at: Millis, now: Millis) -> Duration {
    Duration::from_millis(u64::try_from(at.saturating_sub(now)).unwrap_or(0))
}

/// Whole minutes, rounded up, for "try again in N minutes".
pub fn minutes(wait: Duration) -> u32 {
    u32::try_from(wait.as_secs().div_ceil(60))
        .unwrap_or(u32::MAX)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::counters::now_millis;
    use crate::store::memory::MemoryCounters;
    use crate::store::BucketRate;

    const MIN: Millis = 60_000;

    fn limiter() -> Limiter {
        let counters = MemoryCounters::new(BucketRate {
            per_minute: 30,
            burst: 10,
        });
        Limiter::new(Arc::new(counters), IdentifierBudget::default())
    }

    async fn wait(limiter: &Limiter, what: Counted, ident: &str, now: Millis) -> Duration {
        match limiter.check(what, ident, now).await {
            Err(Limited::Wait(wait)) => wait,
            other => panic!("expected a wait, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn the_bucket_allows_a_burst_then_refuses_per_address() {
        let limiter = limiter();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..10 {
            assert!(limiter.take_ip(ip).await.is_ok());
        }
        match limiter.take_ip(ip).await {
            Err(Limited::Wait(wait)) => assert!(wait <= Duration::from_secs(2), "{wait:?}"),
            other => panic!("{other:?}"),
        }
        assert!(limiter.take_ip("127.0.0.2".parse().unwrap()).await.is_ok());
    }

    #[tokio::test]
    async fn code_emails_are_capped_per_identifier_per_hour() {
        let limiter = limiter();
        let t0 = now_millis();
        for _ in 0..3 {
            assert!(limiter.check(Counted::CodeEmail, "h1", t0).await.is_ok());
            limiter.record(Counted::CodeEmail, "h1", t0).await.unwrap();
        }
        assert_eq!(
            minutes(wait(&limiter, Counted::CodeEmail, "h1", t0).await),
            60
        );
        assert!(limiter.check(Counted::CodeEmail, "h2", t0).await.is_ok());
        assert!(limiter
            .check(Counted::CodeEmail, "h1", t0 + 60 * MIN)
            .await
            .is_ok());
    }

    #[tokio::test]
    async fn wrong_answers_lock_out_for_twice_as_long_each_time() {
        let limiter = limiter();
        let mut now = now_millis();
        for expected in [15, 30, 60, 120] {
            for i in 0..5 {
                assert!(limiter.check(Counted::WrongAnswer, "h1", now).await.is_ok());
                let lockout = limiter
                    .record(Counted::WrongAnswer, "h1", now)
                    .await
                    .unwrap();
                assert_eq!(lockout.is_some(), i == 4);
            }
            let wait = wait(&limiter, Counted::WrongAnswer, "h1", now).await;
            assert_eq!(minutes(wait), expected);
            assert!(limiter.check(Counted::WrongAnswer, "h2", now).await.is_ok());
            let end = now + millis(wait);
            assert!(limiter
                .check(Counted::WrongAnswer, "h1", end - 1000)
                .await
                .is_err());
            now = end;
            assert!(limiter.check(Counted::WrongAnswer, "h1", now).await.is_ok());
        }
    }

    #[tokio::test]
    async fn lockouts_are_forgotten_after_a_quiet_day() {
        let limiter = limiter();
        let t0 = now_millis();
        for _ in 0..5 {
            limiter
                .record(Counted::WrongAnswer, "h1", t0)
                .await
                .unwrap();
        }
        let later = t0 + 15 * MIN + 24 * 60 * MIN;
        for _ in 0..5 {
            limiter
                .record(Counted::WrongAnswer, "h1", later)
                .await
                .unwrap();
        }
        assert_eq!(
            minutes(wait(&limiter, Counted::WrongAnswer, "h1", later).await),
            15
        );
    }

    #[tokio::test]
    async fn fewer_than_five_wrong_answers_in_the_window_never_lock() {
        let limiter = limiter();
        let t0 = now_millis();
        for i in 0..20 {
            let t = t0 + i * 4 * MIN;
            assert!(
                limiter.check(Counted::WrongAnswer, "h1", t).await.is_ok(),
                "{i}"
            );
            limiter.record(Counted::WrongAnswer, "h1", t).await.unwrap();
        }
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(minutes(Duration::from_secs(1)), 1);
        assert_eq!(minutes(Duration::from_secs(61)), 2);
    }
}

//! [ssr] The counters behind rate limits and lockouts, one trait for every
//! engine.
//!
//! The trait speaks in atomic operations, so several instances sharing one
//! engine count as one: a hit is added and counted in one step, a strike
//! reads and raises the lockout in one step. On Redis each is one Lua
//! script; on SQLite one transaction; in memory one lock.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use super::{Health, StoreError};

/// Milliseconds since the Unix epoch: wall-clock time, which every
/// instance (and a restarted one) agrees on, unlike `Instant`.
pub type Millis = i64;

pub fn now_millis() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

pub fn millis(d: Duration) -> Millis {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// What a counter counts, and for whom. Identifiers are already keyed
/// hashes: no login ever reaches a store key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CounterKey {
    /// Wrong answers to the secret question, per identifier.
    WrongAnswers(String),
    /// Code emails, per identifier.
    CodeEmails(String),
    /// The lockout (and its strikes) of an identifier.
    Lockout(String),
    /// Wrong codes, per identifier.
    WrongCodes(String),
    /// Wrong codes, per client network (an IPv4 address or an IPv6 prefix).
    NetworkWrongCodes(String),
    /// Wrong codes, the whole portal.
    PortalWrongCodes,
    /// Code emails, the whole portal.
    PortalCodeEmails,
    /// Whether an abuse window was already reported, per budget name.
    AbuseReported(&'static str),
    /// The lease that lets one step of a flow run at a time, per hashed
    /// session id.
    StepLease(String),
    /// A proof of work already spent, per challenge nonce: held until the
    /// challenge expires, so a solution counts once across instances.
    ChallengeSpent(String),
}

impl CounterKey {
    /// The key as stored.
    pub fn as_key(&self) -> String {
        match self {
            CounterKey::WrongAnswers(ident) => format!("wrong-answers:{ident}"),
            CounterKey::CodeEmails(ident) => format!("code-emails:{ident}"),
            CounterKey::Lockout(ident) => format!("lockout:{ident}"),
            CounterKey::WrongCodes(ident) => format!("wrong-codes:{ident}"),
            CounterKey::NetworkWrongCodes(net) => format!("network-wrong-codes:{net}"),
            CounterKey::PortalWrongCodes => "portal-wrong-codes".to_string(),
            CounterKey::PortalCodeEmails => "portal-code-emails".to_string(),
            CounterKey::AbuseReported(budget) => format!("abuse-reported:{budget}"),
            CounterKey::StepLease(session) => format!("step-lease:{session}"),
            CounterKey::ChallengeSpent(nonce) => format!("challenge-spent:{nonce}"),
        }
    }
}

/// The per-address token bucket: `per_minute` tokens a minute, at most
/// `burst` saved up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BucketRate {
    pub per_minute: u32,
    pub burst: u32,
}

impl BucketRate {
    pub fn per_minute(self) -> f64 {
        f64::from(self.per_minute.max(1))
    }

    pub fn burst(self) -> f64 {
        f64::from(self.burst.max(1))
    }

    /// How long an empty bucket takes to fill: after that, a stored bucket
    /// is the same as none.
    pub fn full_after(self) -> Duration {
        Duration::from_secs_f64(self.burst() * 60.0 / self.per_minute())
    }
}

/// Events in a sliding window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WindowCount {
    pub count: u32,
    /// When the oldest event in the window happened.
    pub oldest: Option<Millis>,
}

/// One event taken in a window before it happened ([`Counters::reserve`]):
/// kept when it happened, given back ([`Counters::release`]) when the
/// outcome proves it did not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reserved {
    pub key: CounterKey,
    /// The event's id in its window.
    pub id: String,
    /// Events in the window, this one included.
    pub count: u32,
}

/// One reservation asked for: `key`'s window of length `window` may hold
/// `max` events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ask {
    pub key: CounterKey,
    pub window: Duration,
    pub max: u32,
}

/// A lockout: how many in a row, and until when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lockout {
    pub strikes: u32,
    pub until: Millis,
}

/// How long lockouts last: the first one `first`, each further one twice
/// as long, never more than `max`; `forget_after` quiet time after a
/// lockout ends, the strikes start again from one (security: `wrong-answer-lockout`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub first: Duration,
    pub max: Duration,
    pub forget_after: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            first: Duration::from_secs(15 * 60),
            max: Duration::from_secs(24 * 60 * 60),
            forget_after: Duration::from_secs(24 * 60 * 60),
        }
    }
}

impl LockoutPolicy {
    /// The length of the `strikes`-th lockout in a row.
    pub fn length(&self, strikes: u32) -> Duration {
        self.first
            .saturating_mul(2u32.saturating_pow(strikes.saturating_sub(1)))
            .min(self.max)
    }

    /// The lockout after one more strike than `previous` (if it still
    /// counts at `now`).
    pub fn next(&self, previous: Option<Lockout>, now: Millis) -> Lockout {
        let strikes = match previous {
            Some(l) if now.saturating_sub(l.until) < millis(self.forget_after) => {
                l.strikes.saturating_add(1)
            }
            _ => 1,
        };
        Lockout {
            strikes,
            until: now.saturating_add(millis(self.length(strikes))),
        }
    }

    /// Whether a stored lockout still matters at `now` (active, or its
    /// strikes not yet forgotten).
    pub fn remembers(&self, lockout: &Lockout, now: Millis) -> bool {
        now.saturating_sub(lockout.until) < millis(self.forget_after)
    }
}

/// The operations every engine provides. Each is atomic on its engine.
#[async_trait]
pub trait Counters: Send + Sync {
    /// Take one token from `addr`'s bucket, or say how long until one is free.
    async fn take_token(&self, addr: IpAddr) -> Result<Result<(), Duration>, StoreError>;

    /// The events in `key`'s window of length `window` ending at `now`.
    async fn window(
        &self,
        key: &CounterKey,
        window: Duration,
        now: Millis,
    ) -> Result<WindowCount, StoreError>;

    /// How many events each `(key, window)` holds in the window ending at
    /// `now`, read only, in one store call where the engine allows (the
    /// pressure a page reads to decide on a proof of work).
    async fn counts(
        &self,
        asks: &[(CounterKey, Duration)],
        now: Millis,
    ) -> Result<Vec<u32>, StoreError> {
        let mut counts = Vec::with_capacity(asks.len());
        for (key, window) in asks {
            counts.push(self.window(key, *window, now).await?.count);
        }
        Ok(counts)
    }

    /// The lockout stored for `key`, unless forgotten.
    async fn lockout(
        &self,
        key: &CounterKey,
        policy: &LockoutPolicy,
        now: Millis,
    ) -> Result<Option<Lockout>, StoreError>;

    /// One more strike: the lockout `policy.next` gives after the stored
    /// one, stored and returned.
    async fn strike(
        &self,
        key: &CounterKey,
        policy: &LockoutPolicy,
        now: Millis,
    ) -> Result<Lockout, StoreError>;

    /// Take one event in each asked window that has fewer than its `max`
    /// events, in one store call (one transaction, one lock, one script
    /// per key on Redis), each atomically; a full window comes back as it
    /// is (to say how long to wait).
    async fn reserve_many(
        &self,
        asks: &[Ask],
        now: Millis,
    ) -> Result<Vec<Result<Reserved, WindowCount>>, StoreError>;
    /// Give reserved events back: they did not happen.
    async fn release_many(&self, reserved: &[Reserved]) -> Result<(), StoreError>;
    /// Empty `key`'s window (a lockout started in its place).
    async fn clear(&self, key: &CounterKey) -> Result<(), StoreError>;
    /// Take the lease `key` for `holder` until `ttl` from `now`, unless
    /// someone else holds it; whether it was taken. The holder that has
    /// it extends it the same way. A crashed holder's lease expires by
    /// itself.
    async fn lease(
        &self,
        key: &CounterKey,
        holder: &str,
        ttl: Duration,
        now: Millis,
    ) -> Result<bool, StoreError>;
    /// Give the lease back, if `holder` still holds it, and with it the
    /// reservations `unspent` (as [`Counters::release_many`]), in one
    /// store operation: the end of a step is one round trip.
    async fn unlease(
        &self,
        key: &CounterKey,
        holder: &str,
        unspent: &[Reserved],
    ) -> Result<(), StoreError>;
    /// One round trip, for readiness.
    async fn ping(&self) -> Result<(), StoreError>;
}

/// Any engine's counters, with every call reported to [`Health`] and
/// bounded by [`super::STORE_TIMEOUT`].
pub struct Watched {
    inner: Arc<dyn Counters>,
    health: Arc<Health>,
}

impl Watched {
    pub fn new(inner: Arc<dyn Counters>, health: Arc<Health>) -> Self {
        Self { inner, health }
    }
}

#[async_trait]
impl Counters for Watched {
    async fn take_token(&self, addr: IpAddr) -> Result<Result<(), Duration>, StoreError> {
        self.health.watch(self.inner.take_token(addr)).await
    }

    async fn window(
        &self,
        key: &CounterKey,
        window: Duration,
        now: Millis,
    ) -> Result<WindowCount, StoreError> {
        self.health.watch(self.inner.window(key, window, now)).await
    }

    async fn counts(
        &self,
        asks: &[(CounterKey, Duration)],
        now: Millis,
    ) -> Result<Vec<u32>, StoreError> {
        self.health.watch(self.inner.counts(asks, now)).await
    }

    async fn lockout(
        &self,
        key: &CounterKey,
        policy: &LockoutPolicy,
        now: Millis,
    ) -> Result<Option<Lockout>, StoreError> {
        self.health
            .watch(self.inner.lockout(key, policy, now))
            .await
    }

    async fn strike(
        &self,
        key: &CounterKey,
        policy: &LockoutPolicy,
        now: Millis,
    ) -> Result<Lockout, StoreError> {
        self.health.watch(self.inner.strike(key, policy, now)).await
    }

    async fn reserve_many(
        &self,
        asks: &[Ask],
        now: Millis,
    ) -> Result<Vec<Result<Reserved, WindowCount>>, StoreError> {
        self.health.watch(self.inner.reserve_many(asks, now)).await
    }

    async fn release_many(&self, reserved: &[Reserved]) -> Result<(), StoreError> {
        self.health.watch(self.inner.release_many(reserved)).await
    }

    async fn clear(&self, key: &CounterKey) -> Result<(), StoreError> {
        self.health.watch(self.inner.clear(key)).await
    }

    async fn lease(
        &self,
        key: &CounterKey,
        holder: &str,
        ttl: Duration,
        now: Millis,
    ) -> Result<bool, StoreError> {
        self.health
            .watch(self.inner.lease(key, holder, ttl, now))
            .await
    }

    async fn unlease(
        &self,
        key: &CounterKey,
        holder: &str,
        unspent: &[Reserved],
    ) -> Result<(), StoreError> {
        self.health
            .watch(self.inner.unlease(key, holder, unspent))
            .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.health.watch(self.inner.ping()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockouts_double_up_to_the_cap_and_are_forgotten() {
        let p = LockoutPolicy::default();
        assert_eq!(p.length(1), Duration::from_secs(15 * 60));
        assert_eq!(p.length(3), Duration::from_secs(60 * 60));
        assert_eq!(p.length(50), p.max);
        let first = p.next(None, 0);
        assert_eq!(first.strikes, 1);
        let second = p.next(Some(first), first.until);
        assert_eq!(second.strikes, 2);
        assert_eq!(second.until - first.until, millis(p.length(2)));
        let much_later = second.until + millis(p.forget_after);
        assert!(!p.remembers(&second, much_later));
        assert_eq!(p.next(Some(second), much_later).strikes, 1);
    }
}

//! [ssr] Rate limits: a token bucket per client IP, and sliding windows per
//! hashed identifier (wrong answers, code emails). Wrong answers that fill
//! their window lock the identifier out, for twice as long each time
//! (SECURITY.md #12). In memory: one portal process. A multi-instance
//! deployment needs a shared store (README).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
}

/// Events allowed per identifier in each window (SECURITY.md #12, #13).
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

/// The first lockout after a full window of wrong answers; each further
/// one doubles, up to [`MAX_LOCKOUT`].
const FIRST_LOCKOUT: Duration = Duration::from_secs(15 * 60);
const MAX_LOCKOUT: Duration = Duration::from_secs(24 * 60 * 60);
/// A day without a lockout forgets the earlier ones.
const STRIKES_FORGOTTEN_AFTER: Duration = Duration::from_secs(24 * 60 * 60);
/// Above this many tracked identifiers, idle entries are dropped.
const MAX_TRACKED: usize = 100_000;

/// An identifier locked out after too many wrong answers.
struct Lockout {
    /// How many lockouts in a row (each one doubles the next).
    strikes: u32,
    until: Instant,
}

impl Lockout {
    fn length(strikes: u32) -> Duration {
        FIRST_LOCKOUT
            .saturating_mul(2u32.saturating_pow(strikes.saturating_sub(1)))
            .min(MAX_LOCKOUT)
    }
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

pub struct Limiter {
    budget: IdentifierBudget,
    per_minute: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
    windows: Mutex<HashMap<(Counted, String), VecDeque<Instant>>>,
    lockouts: Mutex<HashMap<String, Lockout>>,
}

impl Limiter {
    pub fn new(per_minute: u32, burst: u32, budget: IdentifierBudget) -> Self {
        Self {
            budget,
            per_minute: f64::from(per_minute.max(1)),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
            windows: Mutex::new(HashMap::new()),
            lockouts: Mutex::new(HashMap::new()),
        }
    }

    /// Take one token for this IP, or say how long until one is free.
    pub fn take_ip(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() > 100_000 {
            // Bounded memory under a flood of addresses: full buckets are
            // indistinguishable from absent ones, so drop them.
            let (rate, burst) = (self.per_minute, self.burst);
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * rate / 60.0 < burst
            });
        }
        let bucket = buckets.entry(ip).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let refill = now.duration_since(bucket.updated).as_secs_f64() * self.per_minute / 60.0;
        bucket.tokens = (bucket.tokens + refill).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) * 60.0 / self.per_minute;
            Err(Duration::from_secs_f64(wait))
        }
    }

    /// Whether one more event is allowed for this identifier now; if not,
    /// how long until it is.
    pub fn check(&self, what: Counted, ident: &str, now: Instant) -> Result<(), Duration> {
        if what == Counted::WrongAnswer {
            if let Ok(lockouts) = self.lockouts.lock() {
                if let Some(lockout) = lockouts.get(ident).filter(|l| l.until > now) {
                    return Err(lockout.until - now);
                }
            }
        }
        let Ok(mut windows) = self.windows.lock() else {
            return Ok(());
        };
        let events = windows.entry((what, ident.to_string())).or_default();
        prune(events, what.window(), now);
        match events.front() {
            Some(oldest) if events.len() >= self.max(what) => {
                Err(what.window() - now.duration_since(*oldest))
            }
            _ => Ok(()),
        }
    }

    /// Record one event for this identifier. A wrong answer that fills the
    /// window starts a lockout, twice as long as the one before it.
    pub fn record(&self, what: Counted, ident: &str, now: Instant) {
        let Ok(mut windows) = self.windows.lock() else {
            return;
        };
        if windows.len() > MAX_TRACKED {
            windows.retain(|(what, _), events| {
                prune(events, what.window(), now);
                !events.is_empty()
            });
        }
        let events = windows.entry((what, ident.to_string())).or_default();
        prune(events, what.window(), now);
        events.push_back(now);
        if what != Counted::WrongAnswer || events.len() < self.max(what) {
            return;
        }
        events.clear();
        drop(windows);
        let Ok(mut lockouts) = self.lockouts.lock() else {
            return;
        };
        if lockouts.len() > MAX_TRACKED {
            lockouts
                .retain(|_, l| now.saturating_duration_since(l.until) < STRIKES_FORGOTTEN_AFTER);
        }
        let strikes = match lockouts.get(ident) {
            Some(l) if now.saturating_duration_since(l.until) < STRIKES_FORGOTTEN_AFTER => {
                l.strikes + 1
            }
            _ => 1,
        };
        let until = now + Lockout::length(strikes);
        tracing::warn!(
            event = "identifier_locked_out",
            ident,
            strikes,
            minutes = minutes(until - now)
        );
        lockouts.insert(ident.to_string(), Lockout { strikes, until });
    }

    fn max(&self, what: Counted) -> usize {
        match what {
            Counted::WrongAnswer => self.budget.wrong_answers,
            Counted::CodeEmail => self.budget.code_emails,
        }
        .max(1) as usize
    }
}

/// Drop the events that have left the window.
fn prune(events: &mut VecDeque<Instant>, window: Duration, now: Instant) {
    while events
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        events.pop_front();
    }
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

    #[test]
    fn the_bucket_allows_a_burst_then_refills() {
        let limiter = Limiter::new(30, 10, IdentifierBudget::default());
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..10 {
            assert!(limiter.take_ip(ip, t0).is_ok());
        }
        let wait = limiter.take_ip(ip, t0).unwrap_err();
        assert!(wait <= Duration::from_secs(2), "{wait:?}");
        assert!(limiter.take_ip(ip, t0 + Duration::from_secs(2)).is_ok());
        // Another address is unaffected.
        assert!(limiter.take_ip("127.0.0.2".parse().unwrap(), t0).is_ok());
    }

    #[test]
    fn code_emails_are_capped_per_identifier_per_hour() {
        let limiter = Limiter::new(30, 10, IdentifierBudget::default());
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(Counted::CodeEmail, "h1", t0).is_ok());
            limiter.record(Counted::CodeEmail, "h1", t0);
        }
        let wait = limiter.check(Counted::CodeEmail, "h1", t0).unwrap_err();
        assert_eq!(minutes(wait), 60);
        assert!(limiter.check(Counted::CodeEmail, "h2", t0).is_ok());
        assert!(limiter
            .check(Counted::CodeEmail, "h1", t0 + Duration::from_secs(3600))
            .is_ok());
    }

    #[test]
    fn wrong_answers_lock_out_for_twice_as_long_each_time() {
        let limiter = Limiter::new(30, 10, IdentifierBudget::default());
        let mut now = Instant::now();
        for expected in [15, 30, 60, 120] {
            for _ in 0..5 {
                assert!(limiter.check(Counted::WrongAnswer, "h1", now).is_ok());
                limiter.record(Counted::WrongAnswer, "h1", now);
            }
            let wait = limiter.check(Counted::WrongAnswer, "h1", now).unwrap_err();
            assert_eq!(minutes(wait), expected);
            // Another identifier is unaffected.
            assert!(limiter.check(Counted::WrongAnswer, "h2", now).is_ok());
            // Still locked a second before the end, free at the end.
            assert!(limiter
                .check(
                    Counted::WrongAnswer,
                    "h1",
                    now + wait - Duration::from_secs(1)
                )
                .is_err());
            now += wait;
            assert!(limiter.check(Counted::WrongAnswer, "h1", now).is_ok());
        }
    }

    #[test]
    fn lockouts_are_capped_and_forgotten_after_a_quiet_day() {
        assert_eq!(Lockout::length(1), FIRST_LOCKOUT);
        assert_eq!(Lockout::length(50), MAX_LOCKOUT);
        let limiter = Limiter::new(30, 10, IdentifierBudget::default());
        let t0 = Instant::now();
        for _ in 0..5 {
            limiter.record(Counted::WrongAnswer, "h1", t0);
        }
        let later = t0 + FIRST_LOCKOUT + STRIKES_FORGOTTEN_AFTER;
        for _ in 0..5 {
            limiter.record(Counted::WrongAnswer, "h1", later);
        }
        let wait = limiter
            .check(Counted::WrongAnswer, "h1", later)
            .unwrap_err();
        assert_eq!(minutes(wait), 15);
    }

    #[test]
    fn fewer_than_five_wrong_answers_in_the_window_never_lock() {
        let limiter = Limiter::new(30, 10, IdentifierBudget::default());
        let t0 = Instant::now();
        for i in 0..20u64 {
            // Four per window, spread out: the window slides, no lockout.
            let t = t0 + Duration::from_secs(i * 4 * 60);
            assert!(limiter.check(Counted::WrongAnswer, "h1", t).is_ok(), "{i}");
            limiter.record(Counted::WrongAnswer, "h1", t);
        }
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(minutes(Duration::from_secs(1)), 1);
        assert_eq!(minutes(Duration::from_secs(61)), 2);
    }
}

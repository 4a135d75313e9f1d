//! [ssr] Rate limits: a token bucket per client IP, and sliding windows per
//! hashed identifier (wrong answers, code emails). In memory: one portal
//! process. A multi-instance deployment needs a shared store (README).

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
}

impl Limiter {
    pub fn new(per_minute: u32, burst: u32, budget: IdentifierBudget) -> Self {
        Self {
            budget,
            per_minute: f64::from(per_minute.max(1)),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
            windows: Mutex::new(HashMap::new()),
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

    /// Whether one more event fits this identifier's window; if not, how
    /// long until the oldest leaves it.
    pub fn check(&self, what: Counted, ident: &str, now: Instant) -> Result<(), Duration> {
        let window = what.window();
        let max = match what {
            Counted::WrongAnswer => self.budget.wrong_answers,
            Counted::CodeEmail => self.budget.code_emails,
        } as usize;
        let Ok(mut windows) = self.windows.lock() else {
            return Ok(());
        };
        let events = windows.entry((what, ident.to_string())).or_default();
        while events
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            events.pop_front();
        }
        match events.front() {
            Some(oldest) if events.len() >= max => Err(window - now.duration_since(*oldest)),
            _ => Ok(()),
        }
    }

    /// Record one event for this identifier.
    pub fn record(&self, what: Counted, ident: &str, now: Instant) {
        if let Ok(mut windows) = self.windows.lock() {
            windows
                .entry((what, ident.to_string()))
                .or_default()
                .push_back(now);
        }
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
    fn minutes_round_up() {
        assert_eq!(minutes(Duration::from_secs(1)), 1);
        assert_eq!(minutes(Duration::from_secs(61)), 2);
    }
}

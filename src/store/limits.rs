//! [ssr] Rate limits and budgets: a token bucket per client network, and
//! sliding windows per hashed identifier, per network and for the whole
//! portal. Wrong answers that fill their window lock the identifier out,
//! for twice as long each time (security: `wrong-answer-lockout`).
//!
//! Every budget a step spends is *reserved* before its upstream call, in
//! one atomic store operation ("take one if under the limit"), and given
//! back only when the outcome proves it was not spent (security:
//! `reserve-budget-first`): posts that arrive together can't all see the
//! same unspent budget.
//!
//! This is the policy; the counting happens in the state store
//! ([`crate::store::Counters`]), so every instance sharing a store counts
//! as one and a restart refills nobody's budget. When the store can't
//! count, nothing is allowed: limits fail closed.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use ipnet::Ipv6Net;

use crate::store::counters::millis;
use crate::store::{
    Ask, CounterKey, Counters, Lockout, LockoutPolicy, Millis, Reserved, StoreError, WindowCount,
};

/// Every budget a step may spend: a sliding window in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Budget {
    /// Wrong answers per login (15 minutes); filling it locks the login out.
    WrongAnswers,
    /// Code emails per login (an hour).
    CodeEmails,
    /// Wrong codes per login (an hour).
    WrongCodes,
    /// Wrong codes per client network (an hour).
    NetworkWrongCodes,
    /// Wrong codes, the whole portal (10 minutes).
    PortalWrongCodes,
    /// Code emails, the whole portal (an hour).
    PortalCodeEmails,
}

/// What an upstream call's answer proves happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// AutoShares accepted: a code was emailed, an answer or a code was right.
    Accepted,
    /// AutoShares refused: a wrong answer, a wrong code.
    Rejected,
    /// No answer (unavailable, timed out, never sent): nothing happened.
    NotSent,
}

impl Budget {
    pub fn window(self) -> Duration {
        match self {
            Budget::WrongAnswers => Duration::from_secs(15 * 60),
            Budget::PortalWrongCodes => Duration::from_secs(10 * 60),
            Budget::CodeEmails
            | Budget::WrongCodes
            | Budget::NetworkWrongCodes
            | Budget::PortalCodeEmails => Duration::from_secs(60 * 60),
        }
    }

    /// The verdict that spends this budget: a code email is spent when
    /// AutoShares accepted the request, a wrong answer or code when it
    /// refused. Any other verdict gives the reservation back.
    pub fn spent_on(self) -> Verdict {
        match self {
            Budget::CodeEmails | Budget::PortalCodeEmails => Verdict::Accepted,
            Budget::WrongAnswers
            | Budget::WrongCodes
            | Budget::NetworkWrongCodes
            | Budget::PortalWrongCodes => Verdict::Rejected,
        }
    }

    /// The metric's `kind` label, and the name in logs.
    pub fn label(self) -> &'static str {
        match self {
            Budget::WrongAnswers => "wrong_answers",
            Budget::CodeEmails => "code_emails",
            Budget::WrongCodes => "wrong_codes",
            Budget::NetworkWrongCodes => "network_wrong_codes",
            Budget::PortalWrongCodes => "portal_wrong_codes",
            Budget::PortalCodeEmails => "portal_code_emails",
        }
    }

    /// Whether the budget is the whole portal's (no subject).
    pub fn is_portal_wide(self) -> bool {
        match self {
            Budget::PortalWrongCodes | Budget::PortalCodeEmails => true,
            Budget::WrongAnswers
            | Budget::CodeEmails
            | Budget::WrongCodes
            | Budget::NetworkWrongCodes => false,
        }
    }

    fn key(self, subject: &str) -> CounterKey {
        let subject = subject.to_string();
        match self {
            Budget::WrongAnswers => CounterKey::WrongAnswers(subject),
            Budget::CodeEmails => CounterKey::CodeEmails(subject),
            Budget::WrongCodes => CounterKey::WrongCodes(subject),
            Budget::NetworkWrongCodes => CounterKey::NetworkWrongCodes(subject),
            Budget::PortalWrongCodes => CounterKey::PortalWrongCodes,
            Budget::PortalCodeEmails => CounterKey::PortalCodeEmails,
        }
    }
}

/// How many events each budget allows in its window (every one a
/// setting; the README explains the defaults).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budgets {
    /// Wrong answers per login per 15 minutes.
    pub wrong_answers: u32,
    /// Code emails per login per hour.
    pub code_emails: u32,
    /// Wrong codes per login per hour.
    pub wrong_codes_per_login: u32,
    /// Wrong codes per client network per hour.
    pub wrong_codes_per_network: u32,
    /// Wrong codes, the whole portal, per 10 minutes.
    pub portal_wrong_codes: u32,
    /// Code emails, the whole portal, per hour.
    pub portal_code_emails: u32,
}

impl Default for Budgets {
    fn default() -> Self {
        Self {
            wrong_answers: 5,
            code_emails: 3,
            wrong_codes_per_login: 10,
            wrong_codes_per_network: 10,
            portal_wrong_codes: 30,
            portal_code_emails: 100,
        }
    }
}

impl Budgets {
    pub fn max(&self, budget: Budget) -> u32 {
        match budget {
            Budget::WrongAnswers => self.wrong_answers,
            Budget::CodeEmails => self.code_emails,
            Budget::WrongCodes => self.wrong_codes_per_login,
            Budget::NetworkWrongCodes => self.wrong_codes_per_network,
            Budget::PortalWrongCodes => self.portal_wrong_codes,
            Budget::PortalCodeEmails => self.portal_code_emails,
        }
        .max(1)
    }
}

/// When a step asks the browser for a proof of work, and how hard
/// (security: `proof-of-work`): once a budget the step spends holds
/// `at_percent` of its events, at [`Level::Normal`]; halfway from there to
/// full, [`Level::Raised`]; full (a portal-wide budget still serving clean
/// networks), [`Level::High`]. Below it, no trader ever sees one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChallengePolicy {
    /// 0 turns proofs of work off.
    pub at_percent: u32,
    /// PBKDF2 iterations per try.
    pub cost: u32,
}

impl Default for ChallengePolicy {
    fn default() -> Self {
        Self {
            at_percent: 80,
            cost: 1000,
        }
    }
}

/// How hard a proof of work is: how many tries the browser makes, on
/// average (each one PBKDF2 with [`ChallengePolicy::cost`] iterations).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Normal,
    Raised,
    High,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Normal, Level::Raised, Level::High];

    /// The counters a challenge of this level hides its answer among: the
    /// browser counts up from 0, so it makes about the range's middle in
    /// tries, never more than its end.
    pub fn counters(self) -> std::ops::RangeInclusive<u32> {
        match self {
            Level::Normal => 300..=1_000,
            Level::Raised => 1_500..=4_500,
            Level::High => 5_000..=15_000,
        }
    }

    /// The metric's `level` label, and the name signed into a challenge.
    pub fn label(self) -> &'static str {
        match self {
            Level::Normal => "normal",
            Level::Raised => "raised",
            Level::High => "high",
        }
    }

    pub fn from_label(label: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.label() == label)
    }
}

impl ChallengePolicy {
    /// The level a budget asks for with `count` of its `max` events
    /// already in the window, if any.
    pub fn level(&self, count: u32, max: u32) -> Option<Level> {
        if self.at_percent == 0 {
            return None;
        }
        let max = u64::from(max.max(1));
        let percent = u64::from(count) * 100 / max;
        let at = u64::from(self.at_percent.min(100));
        if u64::from(count) >= max {
            Some(Level::High)
        } else if percent >= at.midpoint(100) {
            Some(Level::Raised)
        } else if percent >= at {
            Some(Level::Normal)
        } else {
            None
        }
    }
}

/// What a step's budgets ask of the browser now: a proof of work of
/// `level`, until `until` at the latest (when every event that made the
/// budget this full has left its window).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pressure {
    pub level: Level,
    pub until: Millis,
}

impl Pressure {
    /// The harder of two pressures, and the later end.
    pub fn join(a: Option<Pressure>, b: Option<Pressure>) -> Option<Pressure> {
        match (a, b) {
            (Some(a), Some(b)) => Some(Pressure {
                level: a.level.max(b.level),
                until: a.until.max(b.until),
            }),
            (a, None) => a,
            (None, b) => b,
        }
    }

    /// Whole minutes from `now` until no proof is asked, at the latest:
    /// what the page and the refusal both tell the trader.
    pub fn minutes_left(self, now: Millis) -> u32 {
        minutes(until(self.until, now))
    }
}

/// The network a client counts as (security: `network-grouped-addresses`):
/// an IPv4 address, or the IPv6 prefix of `ipv6_prefix` bits (IPv4-mapped
/// IPv6 counts as IPv4). One attacker with a /64 is one network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientNet {
    addr: IpAddr,
    prefix: Option<u8>,
}

impl ClientNet {
    pub fn of(ip: IpAddr, ipv6_prefix: u8) -> ClientNet {
        match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientNet {
                    addr: IpAddr::V4(v4),
                    prefix: None,
                },
                None => {
                    let prefix = ipv6_prefix.min(128);
                    let net = Ipv6Net::new(v6, prefix).map_or(v6, |n| n.trunc().addr());
                    ClientNet {
                        addr: IpAddr::V6(net),
                        prefix: Some(prefix),
                    }
                }
            },
            IpAddr::V4(_) => ClientNet {
                addr: ip,
                prefix: None,
            },
        }
    }

    /// The network's first address: what its token bucket is keyed by.
    pub fn addr(self) -> IpAddr {
        self.addr
    }
}

impl fmt::Display for ClientNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.prefix {
            Some(prefix) => write!(f, "{}/{prefix}", self.addr),
            None => write!(f, "{}", self.addr),
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
    budgets: Budgets,
    lockouts: LockoutPolicy,
}

impl Limiter {
    pub fn new(counters: Arc<dyn Counters>, budgets: Budgets) -> Self {
        Self {
            counters,
            budgets,
            lockouts: LockoutPolicy::default(),
        }
    }

    pub fn budgets(&self) -> Budgets {
        self.budgets
    }

    /// How full these budgets are now, as the proof of work they ask for
    /// (read only: nothing is spent), in one store call.
    pub async fn pressure(
        &self,
        asks: &[(Budget, String)],
        policy: &ChallengePolicy,
        now: Millis,
    ) -> Result<Option<Pressure>, StoreError> {
        let keys: Vec<(CounterKey, Duration)> = asks
            .iter()
            .map(|(budget, subject)| (budget.key(subject), budget.window()))
            .collect();
        let counts = self.counters.counts(&keys, now).await?;
        Ok(asks
            .iter()
            .zip(counts)
            .fold(None, |pressure, ((budget, _), count)| {
                Pressure::join(pressure, self.pressure_of(*budget, count, policy, now))
            }))
    }

    /// The pressure of one budget holding `count` events at `now`.
    pub fn pressure_of(
        &self,
        budget: Budget,
        count: u32,
        policy: &ChallengePolicy,
        now: Millis,
    ) -> Option<Pressure> {
        policy
            .level(count, self.budgets.max(budget))
            .map(|level| Pressure {
                level,
                until: now.saturating_add(millis(budget.window())),
            })
    }

    /// Take one token for this network, or say how long until one is free.
    pub async fn take_token(&self, net: ClientNet) -> Result<(), Limited> {
        self.counters
            .take_token(net.addr())
            .await?
            .map_err(Limited::Wait)
    }

    /// Reserve one event of `budget` for `subject` (a hashed identifier or
    /// a network; ignored for the portal-wide budgets), or say how long
    /// until one is free.
    pub async fn reserve(
        &self,
        budget: Budget,
        subject: &str,
        now: Millis,
    ) -> Result<Reserved, Limited> {
        let mut taken = self
            .reserve_all(&[(budget, subject.to_string())], now)
            .await?;
        taken
            .pop()
            .unwrap_or(Err(Limited::StoreDown(StoreError::new("no answer"))))
    }

    /// Reserve one event of each budget, in one store call; each comes
    /// back taken, or refused with how long until it has room. A login
    /// that is locked out gets no wrong-answer reservation until the
    /// lockout ends.
    pub async fn reserve_all(
        &self,
        asks: &[(Budget, String)],
        now: Millis,
    ) -> Result<Vec<Result<Reserved, Limited>>, StoreError> {
        let mut locked = vec![None; asks.len()];
        for (slot, (budget, subject)) in locked.iter_mut().zip(asks) {
            if *budget == Budget::WrongAnswers {
                let key = CounterKey::Lockout(subject.clone());
                if let Some(lockout) = self.counters.lockout(&key, &self.lockouts, now).await? {
                    if lockout.until > now {
                        *slot = Some(until(lockout.until, now));
                    }
                }
            }
        }
        let store_asks: Vec<Ask> = asks
            .iter()
            .zip(&locked)
            .filter(|(_, locked)| locked.is_none())
            .map(|((budget, subject), _)| Ask {
                key: budget.key(subject),
                window: budget.window(),
                max: self.budgets.max(*budget),
            })
            .collect();
        let mut taken = self
            .counters
            .reserve_many(&store_asks, now)
            .await?
            .into_iter();
        Ok(asks
            .iter()
            .zip(locked)
            .map(|((budget, _), locked)| match locked {
                Some(wait) => Err(Limited::Wait(wait)),
                None => match taken.next() {
                    Some(Ok(reserved)) => Ok(reserved),
                    Some(Err(WindowCount { oldest, .. })) => {
                        Err(Limited::Wait(oldest.map_or(budget.window(), |oldest| {
                            until(oldest + millis(budget.window()), now)
                        })))
                    }
                    None => Err(Limited::StoreDown(StoreError::new("no answer"))),
                },
            })
            .collect())
    }

    /// Give reservations back, in one store call. If the store can't,
    /// they stay counted: the budget errs on the safe side.
    pub async fn release_all(&self, reserved: &[Reserved]) {
        if reserved.is_empty() {
            return;
        }
        if let Err(err) = self.counters.release_many(reserved).await {
            tracing::warn!(event = "budget_release_failed", error = %err);
        }
    }

    /// A wrong answer was kept: when it filled the window, the login is
    /// locked out (twice as long as the last time) and the window starts
    /// afresh; that lockout comes back.
    pub async fn wrong_answer_kept(
        &self,
        reserved: &Reserved,
        ident: &str,
        now: Millis,
    ) -> Result<Option<Lockout>, StoreError> {
        if reserved.count < self.budgets.max(Budget::WrongAnswers) {
            return Ok(None);
        }
        let lockout = self
            .counters
            .strike(&CounterKey::Lockout(ident.to_string()), &self.lockouts, now)
            .await?;
        self.counters.clear(&reserved.key).await?;
        tracing::warn!(
            event = "identifier_locked_out",
            ident,
            strikes = lockout.strikes,
            minutes = minutes(until(lockout.until, now))
        );
        Ok(Some(lockout))
    }

    /// The first time in a window that a portal-wide budget is crossed:
    /// true once per window across every instance.
    pub async fn first_crossing(&self, budget: Budget, now: Millis) -> Result<bool, StoreError> {
        self.once(
            &CounterKey::AbuseReported(budget.label()),
            budget.window(),
            now,
        )
        .await
    }

    /// True the first time `key` is asked for in `ttl` from `now`, on any
    /// instance: a lease that lasts `ttl`, taken by a holder of its own
    /// each time (its holder could renew it). What happens once per key: an
    /// abuse window reported, a proof of work spent.
    pub async fn once(
        &self,
        key: &CounterKey,
        ttl: Duration,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let holder = format!("{:016x}", rand::random::<u64>());
        self.counters.lease(key, &holder, ttl, now).await
    }

    /// Take the step lease of a session for `ttl` (security:
    /// `one-step-per-flow`).
    pub async fn lease_step(
        &self,
        session: &str,
        holder: &str,
        ttl: Duration,
        now: Millis,
    ) -> Result<bool, StoreError> {
        self.counters
            .lease(
                &CounterKey::StepLease(session.to_string()),
                holder,
                ttl,
                now,
            )
            .await
    }

    /// Give a session's step lease back, and with it the reservations
    /// its step did not spend, in one store call.
    pub async fn release_step(
        &self,
        session: &str,
        holder: &str,
        unspent: &[Reserved],
    ) -> Result<(), StoreError> {
        self.counters
            .unlease(&CounterKey::StepLease(session.to_string()), holder, unspent)
            .await
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
        Limiter::new(Arc::new(counters), Budgets::default())
    }

    async fn wait(limiter: &Limiter, what: Budget, ident: &str, now: Millis) -> Duration {
        match limiter.reserve(what, ident, now).await {
            Err(Limited::Wait(wait)) => wait,
            other => panic!("expected a wait, got {other:?}"),
        }
    }

    /// Whether one more is allowed now, without spending it.
    async fn allowed(limiter: &Limiter, what: Budget, ident: &str, now: Millis) -> bool {
        match limiter.reserve(what, ident, now).await {
            Ok(reserved) => {
                limiter.release_all(&[reserved]).await;
                true
            }
            Err(_) => false,
        }
    }

    /// One wrong answer, kept; the lockout it started, if any.
    async fn wrong_answer(limiter: &Limiter, ident: &str, now: Millis) -> Option<Lockout> {
        let reserved = limiter
            .reserve(Budget::WrongAnswers, ident, now)
            .await
            .unwrap();
        limiter
            .wrong_answer_kept(&reserved, ident, now)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_portal_wide_budget_is_reported_once_per_window() {
        let limiter = limiter();
        let t0 = now_millis();
        let budget = Budget::PortalWrongCodes;
        assert!(limiter.first_crossing(budget, t0).await.unwrap());
        assert!(!limiter.first_crossing(budget, t0 + MIN).await.unwrap());
        assert!(!limiter.first_crossing(budget, t0 + 9 * MIN).await.unwrap());
        assert!(limiter.first_crossing(budget, t0 + 10 * MIN).await.unwrap());
    }

    #[tokio::test]
    async fn the_bucket_allows_a_burst_then_refuses_per_address() {
        let limiter = limiter();
        let net = |ip: &str| ClientNet::of(ip.parse().unwrap(), 64);
        for _ in 0..10 {
            assert!(limiter.take_token(net("127.0.0.1")).await.is_ok());
        }
        match limiter.take_token(net("127.0.0.1")).await {
            Err(Limited::Wait(wait)) => assert!(wait <= Duration::from_secs(2), "{wait:?}"),
            other => panic!("{other:?}"),
        }
        assert!(limiter.take_token(net("127.0.0.2")).await.is_ok());
    }

    #[test]
    fn ipv6_addresses_count_by_prefix_and_mapped_ones_as_ipv4() {
        let net = |ip: &str, prefix| ClientNet::of(ip.parse().unwrap(), prefix).to_string();
        assert_eq!(net("2001:db8:1:2:aaaa::1", 64), "2001:db8:1:2::/64");
        assert_eq!(net("2001:db8:1:2:bbbb::9", 64), "2001:db8:1:2::/64");
        assert_eq!(net("2001:db8:1:2:bbbb::9", 48), "2001:db8:1::/48");
        assert_eq!(net("::ffff:192.0.2.7", 64), "192.0.2.7");
        assert_eq!(net("192.0.2.7", 64), "192.0.2.7");
        assert_ne!(net("2001:db8:1:3::1", 64), net("2001:db8:1:2::1", 64));
    }

    #[tokio::test]
    async fn code_emails_are_capped_per_identifier_per_hour() {
        let limiter = limiter();
        let t0 = now_millis();
        for _ in 0..3 {
            assert!(limiter.reserve(Budget::CodeEmails, "h1", t0).await.is_ok());
        }
        assert_eq!(
            minutes(wait(&limiter, Budget::CodeEmails, "h1", t0).await),
            60
        );
        assert!(allowed(&limiter, Budget::CodeEmails, "h2", t0).await);
        assert!(allowed(&limiter, Budget::CodeEmails, "h1", t0 + 60 * MIN).await);
    }

    #[tokio::test]
    async fn a_released_reservation_frees_its_place() {
        let limiter = limiter();
        let t0 = now_millis();
        let mut held = Vec::new();
        for _ in 0..3 {
            held.push(limiter.reserve(Budget::CodeEmails, "h1", t0).await.unwrap());
        }
        assert!(!allowed(&limiter, Budget::CodeEmails, "h1", t0).await);
        limiter.release_all(&held[1..2]).await;
        assert!(limiter.reserve(Budget::CodeEmails, "h1", t0).await.is_ok());
        assert!(!allowed(&limiter, Budget::CodeEmails, "h1", t0).await);
    }

    #[tokio::test]
    async fn parallel_reservations_never_exceed_the_budget() {
        let limiter = Arc::new(limiter());
        let t0 = now_millis();
        let tries = (0..40).map(|_| {
            let limiter = limiter.clone();
            tokio::spawn(async move { limiter.reserve(Budget::WrongCodes, "h1", t0).await.is_ok() })
        });
        let mut granted = 0;
        for t in tries {
            granted += u32::from(t.await.unwrap());
        }
        assert_eq!(granted, Budgets::default().wrong_codes_per_login);
    }

    #[tokio::test]
    async fn wrong_answers_lock_out_for_twice_as_long_each_time() {
        let limiter = limiter();
        let mut now = now_millis();
        for expected in [15, 30, 60, 120] {
            for i in 0..5 {
                let lockout = wrong_answer(&limiter, "h1", now).await;
                assert_eq!(lockout.is_some(), i == 4);
            }
            let wait = wait(&limiter, Budget::WrongAnswers, "h1", now).await;
            assert_eq!(minutes(wait), expected);
            assert!(allowed(&limiter, Budget::WrongAnswers, "h2", now).await);
            let end = now + millis(wait);
            assert!(!allowed(&limiter, Budget::WrongAnswers, "h1", end - 1000).await);
            now = end;
            assert!(allowed(&limiter, Budget::WrongAnswers, "h1", now).await);
        }
    }

    #[tokio::test]
    async fn lockouts_are_forgotten_after_a_quiet_day() {
        let limiter = limiter();
        let t0 = now_millis();
        for _ in 0..5 {
            wrong_answer(&limiter, "h1", t0).await;
        }
        let later = t0 + 15 * MIN + 24 * 60 * MIN;
        for _ in 0..5 {
            wrong_answer(&limiter, "h1", later).await;
        }
        assert_eq!(
            minutes(wait(&limiter, Budget::WrongAnswers, "h1", later).await),
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
                allowed(&limiter, Budget::WrongAnswers, "h1", t).await,
                "{i}"
            );
            assert_eq!(wrong_answer(&limiter, "h1", t).await, None, "{i}");
        }
    }

    #[test]
    fn a_proof_of_work_is_asked_from_80_percent_and_grows_to_full() {
        let policy = ChallengePolicy::default();
        assert_eq!(policy.level(23, 30), None);
        assert_eq!(policy.level(24, 30), Some(Level::Normal));
        assert_eq!(policy.level(26, 30), Some(Level::Normal));
        assert_eq!(policy.level(27, 30), Some(Level::Raised));
        assert_eq!(policy.level(30, 30), Some(Level::High));
        assert_eq!(policy.level(90, 30), Some(Level::High));
        assert_eq!(policy.level(3, 5), None);
        assert_eq!(policy.level(4, 5), Some(Level::Normal));
        let off = ChallengePolicy {
            at_percent: 0,
            ..policy
        };
        assert_eq!(off.level(30, 30), None);
        for level in Level::ALL {
            assert_eq!(Level::from_label(level.label()), Some(level));
        }
    }

    #[tokio::test]
    async fn pressure_reads_the_budgets_without_spending_them() {
        let limiter = limiter();
        let t0 = now_millis();
        let policy = ChallengePolicy::default();
        let asks = [(Budget::WrongCodes, "h1".to_string())];
        for _ in 0..7 {
            limiter.reserve(Budget::WrongCodes, "h1", t0).await.unwrap();
        }
        assert_eq!(limiter.pressure(&asks, &policy, t0).await.unwrap(), None);
        limiter.reserve(Budget::WrongCodes, "h1", t0).await.unwrap();
        let pressure = limiter.pressure(&asks, &policy, t0).await.unwrap().unwrap();
        assert_eq!(pressure.level, Level::Normal);
        assert_eq!(pressure.until, t0 + 60 * MIN);
        assert_eq!(
            limiter.pressure(&asks, &policy, t0).await.unwrap(),
            Some(pressure)
        );
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(minutes(Duration::from_secs(1)), 1);
        assert_eq!(minutes(Duration::from_secs(61)), 2);
    }
}

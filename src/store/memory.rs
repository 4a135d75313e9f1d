//! [ssr] The `memory` store: one process, forgotten at exit. For tests,
//! and for a single instance that may lose its flows on restart.
//!
//! Sessions: tower-sessions' `MemoryStore` never forgets an expired record, so memory
//! grows with every reset ever started. This store purges expired records
//! on a timer, and holds at most `capacity` records: past that, expired
//! ones go first, then the ones closest to expiry (a flood of new sessions
//! ends the oldest idle resets rather than the process).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use time::OffsetDateTime;
use tokio::sync::Mutex;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::counters::{
    millis, now_millis, Ask, BucketRate, CounterKey, Counters, Lockout, LockoutPolicy, Millis,
    Reserved, WindowCount,
};
use super::records::{create_fresh, Records};
use super::{StoreError, SWEEP_EVERY};

/// Sessions kept at most, by default: `.ci/bench` measures about 2.8 KB of
/// resident memory per abandoned reset, so about 280 MB when full.
pub const DEFAULT_MAX_SESSIONS: usize = 100_000;
/// How often expired records are dropped.
pub const PURGE_EVERY: Duration = SWEEP_EVERY;

#[derive(Clone, Debug)]
pub struct MemorySessions {
    records: Arc<Mutex<HashMap<Id, Record>>>,
    capacity: usize,
}

impl MemorySessions {
    pub fn new(capacity: usize) -> Self {
        Self {
            records: Arc::default(),
            capacity: capacity.max(1),
        }
    }

    /// Records held that have not expired.
    pub async fn live(&self) -> u64 {
        let now = OffsetDateTime::now_utc();
        let records = self.records.lock().await;
        records.values().filter(|r| r.expiry_date > now).count() as u64
    }

    /// Drop expired records every [`PURGE_EVERY`], for as long as the store
    /// lives.
    pub fn purge_in_background(&self) {
        let records = Arc::downgrade(&self.records);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(PURGE_EVERY).await;
                let Some(records) = records.upgrade() else {
                    return;
                };
                let removed = purge(&mut *records.lock().await, OffsetDateTime::now_utc());
                if removed > 0 {
                    tracing::debug!(event = "sessions_purged", removed);
                }
            }
        });
    }

    /// Insert or replace `record`, making room first when the store is full.
    fn insert(&self, records: &mut HashMap<Id, Record>, record: &Record) {
        let full = !records.contains_key(&record.id) && records.len() >= self.capacity;
        if full && purge(records, OffsetDateTime::now_utc()) == 0 {
            let soonest = records
                .iter()
                .min_by_key(|(_, r)| r.expiry_date)
                .map(|(id, _)| *id);
            if let Some(id) = soonest {
                records.remove(&id);
                tracing::warn!(event = "session_evicted", capacity = self.capacity);
            }
        }
        records.insert(record.id, record.clone());
    }
}

/// Remove expired records; how many went.
fn purge(records: &mut HashMap<Id, Record>, now: OffsetDateTime) -> usize {
    let before = records.len();
    records.retain(|_, r| r.expiry_date > now);
    before - records.len()
}

#[async_trait]
impl Records for MemorySessions {
    async fn create_pointed(
        &self,
        record: &Record,
        pointer: Option<&Record>,
    ) -> session_store::Result<bool> {
        let mut records = self.records.lock().await;
        if records.contains_key(&record.id) {
            return Ok(false);
        }
        self.insert(&mut records, record);
        if let Some(pointer) = pointer.filter(|p| records.contains_key(&p.id)) {
            self.insert(&mut records, pointer);
        }
        Ok(true)
    }
}

#[async_trait]
impl SessionStore for MemorySessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        create_fresh(self, record).await
    }

    /// Update only: a record deleted meanwhile (a rotated or ended
    /// session) is not brought back by a late save.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let mut records = self.records.lock().await;
        if records.contains_key(&record.id) {
            self.insert(&mut records, record);
        }
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc();
        Ok(self
            .records
            .lock()
            .await
            .get(session_id)
            .filter(|r| r.expiry_date > now)
            .cloned())
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        self.records.lock().await.remove(session_id);
        Ok(())
    }
}

/// Counters in this process: governor's keyed limiter for the per-address
/// buckets, sliding windows and lockouts in maps. A poisoned lock fails
/// closed, as an unreachable store does.
pub struct MemoryCounters {
    buckets: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
    windows: std::sync::Mutex<HashMap<CounterKey, Window>>,
    lockouts: std::sync::Mutex<HashMap<CounterKey, (Lockout, Millis)>>,
    /// Lease → (holder, expiry).
    leases: std::sync::Mutex<HashMap<CounterKey, (String, Millis)>>,
}

/// A window's events: (when, id), oldest first.
struct Window {
    events: VecDeque<(Millis, u64)>,
    length: Millis,
}

impl Window {
    fn prune(&mut self, now: Millis) {
        while self
            .events
            .front()
            .is_some_and(|(t, _)| now - *t >= self.length)
        {
            self.events.pop_front();
        }
    }

    /// `key`'s window (made if missing), pruned to `now`.
    fn of<'w>(
        windows: &'w mut HashMap<CounterKey, Window>,
        key: &CounterKey,
        window: Duration,
        now: Millis,
    ) -> &'w mut Window {
        let w = windows.entry(key.clone()).or_insert_with(|| Window {
            events: VecDeque::new(),
            length: millis(window),
        });
        w.length = millis(window);
        w.prune(now);
        w
    }

    /// Take one event at `now` if fewer than `max` are here.
    fn reserve(
        &mut self,
        key: &CounterKey,
        max: u32,
        now: Millis,
    ) -> Result<Reserved, WindowCount> {
        if self.count() >= max {
            return Err(WindowCount {
                count: self.count(),
                oldest: self.events.front().map(|(t, _)| *t),
            });
        }
        let id: u64 = rand::random();
        self.events.push_back((now, id));
        Ok(Reserved {
            key: key.clone(),
            id: id.to_string(),
            count: self.count(),
        })
    }

    fn count(&self) -> u32 {
        u32::try_from(self.events.len()).unwrap_or(u32::MAX)
    }
}

fn poisoned<T>(_: T) -> StoreError {
    StoreError::new("a counter lock was poisoned")
}

impl MemoryCounters {
    pub fn new(rate: BucketRate) -> Self {
        let per_minute = NonZeroU32::new(rate.per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(rate.burst).unwrap_or(NonZeroU32::MIN);
        Self {
            buckets: RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)),
            clock: DefaultClock::default(),
            windows: Default::default(),
            lockouts: Default::default(),
            leases: Default::default(),
        }
    }

    /// Drop full buckets, empty windows and forgotten lockouts every
    /// [`SWEEP_EVERY`], for as long as the counters live.
    pub fn sweep_in_background(self: &Arc<Self>) {
        let counters = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(SWEEP_EVERY).await;
                let Some(counters) = counters.upgrade() else {
                    return;
                };
                counters.sweep(now_millis());
            }
        });
    }

    fn sweep(&self, now: Millis) {
        self.buckets.retain_recent();
        if let Ok(mut windows) = self.windows.lock() {
            windows.retain(|_, w| {
                w.prune(now);
                !w.events.is_empty()
            });
        }
        if let Ok(mut lockouts) = self.lockouts.lock() {
            lockouts.retain(|_, (l, forget_after)| now.saturating_sub(l.until) < *forget_after);
        }
        if let Ok(mut leases) = self.leases.lock() {
            leases.retain(|_, (_, expires)| *expires > now);
        }
    }
}

#[async_trait]
impl Counters for MemoryCounters {
    async fn take_token(&self, addr: IpAddr) -> Result<Result<(), Duration>, StoreError> {
        Ok(self
            .buckets
            .check_key(&addr)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now())))
    }

    async fn window(
        &self,
        key: &CounterKey,
        window: Duration,
        now: Millis,
    ) -> Result<WindowCount, StoreError> {
        let mut windows = self.windows.lock().map_err(poisoned)?;
        let Some(w) = windows.get_mut(key) else {
            return Ok(WindowCount::default());
        };
        w.length = millis(window);
        w.prune(now);
        Ok(WindowCount {
            count: w.count(),
            oldest: w.events.front().map(|(t, _)| *t),
        })
    }

    async fn lockout(
        &self,
        key: &CounterKey,
        policy: &LockoutPolicy,
        now: Millis,
    ) -> Result<Option<Lockout>, StoreError> {
        let lockouts = self.lockouts.lock().map_err(poisoned)?;
        Ok(lockouts
            .get(key)
            .map(|(l, _)| *l)
            .filter(|l| policy.remembers(l, now)))
    }

    async fn strike(
        &self,
        key: &CounterKey,
        policy: &LockoutPolicy,
        now: Millis,
    ) -> Result<Lockout, StoreError> {
        let mut lockouts = self.lockouts.lock().map_err(poisoned)?;
        let next = policy.next(lockouts.get(key).map(|(l, _)| *l), now);
        lockouts.insert(key.clone(), (next, millis(policy.forget_after)));
        Ok(next)
    }

    async fn reserve_many(
        &self,
        asks: &[Ask],
        now: Millis,
    ) -> Result<Vec<Result<Reserved, WindowCount>>, StoreError> {
        let mut windows = self.windows.lock().map_err(poisoned)?;
        Ok(asks
            .iter()
            .map(|ask| {
                Window::of(&mut windows, &ask.key, ask.window, now).reserve(&ask.key, ask.max, now)
            })
            .collect())
    }

    async fn release_many(&self, reserved: &[Reserved]) -> Result<(), StoreError> {
        let mut windows = self.windows.lock().map_err(poisoned)?;
        release_in(&mut windows, reserved);
        Ok(())
    }

    async fn clear(&self, key: &CounterKey) -> Result<(), StoreError> {
        self.windows.lock().map_err(poisoned)?.remove(key);
        Ok(())
    }

    async fn lease(
        &self,
        key: &CounterKey,
        holder: &str,
        ttl: Duration,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let mut leases = self.leases.lock().map_err(poisoned)?;
        match leases.get(key) {
            Some((held, expires)) if *expires > now && held != holder => Ok(false),
            Some(_) | None => {
                leases.insert(key.clone(), (holder.to_string(), now + millis(ttl)));
                Ok(true)
            }
        }
    }

    async fn unlease(
        &self,
        key: &CounterKey,
        holder: &str,
        unspent: &[Reserved],
    ) -> Result<(), StoreError> {
        // Windows before leases, as nowhere else holds both.
        let mut windows = self.windows.lock().map_err(poisoned)?;
        let mut leases = self.leases.lock().map_err(poisoned)?;
        release_in(&mut windows, unspent);
        if leases.get(key).is_some_and(|(h, _)| h == holder) {
            leases.remove(key);
        }
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.windows.lock().map(|_| ()).map_err(poisoned)
    }
}

/// Take reserved events out of their windows: they did not happen.
fn release_in(windows: &mut HashMap<CounterKey, Window>, reserved: &[Reserved]) {
    for one in reserved {
        if let Some(w) = windows.get_mut(&one.key) {
            w.events.retain(|(_, id)| id.to_string() != one.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn held(store: &MemorySessions) -> usize {
        store.records.lock().await.len()
    }

    fn record(expires_in_secs: i64) -> Record {
        Record {
            id: Id::default(),
            data: Default::default(),
            expiry_date: OffsetDateTime::now_utc() + time::Duration::seconds(expires_in_secs),
        }
    }

    #[tokio::test]
    async fn expired_records_are_not_loaded_and_are_purged() {
        let store = MemorySessions::new(10);
        let mut live = record(600);
        let mut dead = record(-1);
        store.create(&mut live).await.unwrap();
        store.create(&mut dead).await.unwrap();
        assert!(store.load(&live.id).await.unwrap().is_some());
        assert!(store.load(&dead.id).await.unwrap().is_none());
        let removed = purge(&mut *store.records.lock().await, OffsetDateTime::now_utc());
        assert_eq!(removed, 1);
        assert_eq!(held(&store).await, 1);
    }

    #[tokio::test]
    async fn a_full_store_drops_expired_then_the_soonest_to_expire() {
        let store = MemorySessions::new(3);
        let mut soon = record(60);
        let mut later = record(600);
        let mut dead = record(-1);
        for r in [&mut soon, &mut later, &mut dead] {
            store.create(r).await.unwrap();
        }
        // Full: the expired one goes.
        let mut fourth = record(900);
        store.create(&mut fourth).await.unwrap();
        assert_eq!(held(&store).await, 3);
        assert!(store.load(&soon.id).await.unwrap().is_some());
        // Full of live ones: the soonest to expire goes.
        let mut fifth = record(900);
        store.create(&mut fifth).await.unwrap();
        assert_eq!(held(&store).await, 3);
        assert!(store.load(&soon.id).await.unwrap().is_none());
        assert!(store.load(&later.id).await.unwrap().is_some());
        assert!(store.load(&fifth.id).await.unwrap().is_some());
        // Saving a record already held never evicts.
        store.save(&later).await.unwrap();
        assert_eq!(held(&store).await, 3);
    }
}

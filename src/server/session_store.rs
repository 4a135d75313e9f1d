//! [ssr] The in-memory session store, bounded.
//!
//! tower-sessions' `MemoryStore` never forgets an expired record, so memory
//! grows with every reset ever started. This store purges expired records
//! on a timer, and holds at most `capacity` records: past that, expired
//! ones go first, then the ones closest to expiry (a flood of new sessions
//! ends the oldest idle resets rather than the process).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use time::OffsetDateTime;
use tokio::sync::Mutex;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// Sessions kept at most, by default: `.ci/bench` measures about 2.8 KB of
/// resident memory per abandoned reset, so about 280 MB when full.
pub const DEFAULT_MAX_SESSIONS: usize = 100_000;
/// How often expired records are dropped.
pub const PURGE_EVERY: Duration = Duration::from_secs(60);

#[derive(Clone, Debug)]
pub struct FlowStore {
    records: Arc<Mutex<HashMap<Id, Record>>>,
    capacity: usize,
}

impl FlowStore {
    pub fn new(capacity: usize) -> Self {
        Self {
            records: Arc::default(),
            capacity: capacity.max(1),
        }
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
impl SessionStore for FlowStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let mut records = self.records.lock().await;
        while records.contains_key(&record.id) {
            record.id = Id::default();
        }
        self.insert(&mut records, record);
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.insert(&mut *self.records.lock().await, record);
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

#[cfg(test)]
mod tests {
    use super::*;

    async fn held(store: &FlowStore) -> usize {
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
        let store = FlowStore::new(10);
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
        let store = FlowStore::new(3);
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

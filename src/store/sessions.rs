//! [ssr] The session store the session layer uses: one of the engines'
//! tower-sessions stores, with every call reported to [`Health`].
//!
//! It also gives a rotated id a grace (security: `rotated-id-grace`). A
//! step rotates the session id; if its answer is lost (the instance dies,
//! the connection drops), the browser still holds the old id. So a
//! rotation never deletes the old record: the new one is written and, in
//! the same store operation (a transaction, a script, one lock), the old
//! id's record becomes a pointer to it that lasts `session_grace_secs`. A
//! request with the old id follows the pointer and moves the flow back
//! under the id it holds (the new id then points there): there is always
//! exactly one record with the flow, never a copy. A crash between the rotation and the write leaves the old record
//! whole. The pointer records hold nothing else and expire on their own.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::memory::MemorySessions;
use super::records::Records;
use super::redis::RedisSessions;
use super::sqlite::SqliteSessions;
use super::{Health, StoreError};

/// The engine's own session store.
#[derive(Clone, Debug)]
pub enum Engine {
    Memory(MemorySessions),
    Sqlite(SqliteSessions),
    Redis(RedisSessions),
}

/// Run `$call` (a method call on `$store`) on whichever store `$engine` is.
macro_rules! on_engine {
    ($engine:expr, $store:ident => $call:expr) => {
        match $engine {
            Engine::Memory($store) => $call.await,
            Engine::Sqlite($store) => $call.await,
            Engine::Redis($store) => $call.await,
        }
    };
}

/// In a rotated session's data until its new record is written: the id
/// it was rotated from.
const ROTATED_FROM: &str = "__rotated_from";
/// The only key of a pointer record: the id that holds the flow now.
const SUCCESSOR: &str = "__successor";
/// Put in a record reached through a pointer (never stored): the session
/// layer must send the cookie again, so the browser's cookie and the
/// flow's id agree (`steps::session` takes it out, which marks the session
/// changed).
pub const FOLLOWED: &str = "__followed";
/// How long a session write keeps trying while the store is away (a
/// Redis failover takes a few seconds): the step behind it already
/// happened upstream (a code exchanged, a password set), and the trader
/// should not have to do it again. Past it, the trader gets the calm
/// "try again" page.
const WRITE_PATIENCE: Duration = Duration::from_secs(6);
/// The pause before each new try.
const WRITE_RETRY_PAUSE: Duration = Duration::from_millis(250);
/// Pointers followed at most, one after another (a trader whose answers
/// were lost twice in a row).
const MAX_HOPS: usize = 3;

/// The session store for the session layer: the engine's, watched.
#[derive(Clone, Debug)]
pub struct SessionBackend {
    engine: Engine,
    health: Arc<Health>,
    /// How long a rotated id still leads to its flow; zero: not at all.
    grace: Duration,
    /// Ids being rotated now, whose records the rotation must not delete.
    rotating: Arc<Mutex<HashSet<Id>>>,
}

impl SessionBackend {
    pub fn new(engine: Engine, health: Arc<Health>, grace: Duration) -> Self {
        Self {
            engine,
            health,
            grace,
            rotating: Arc::default(),
        }
    }

    /// Rotate `session`'s id, keeping the old one as a pointer for the
    /// grace. Use this, not `Session::cycle_id` alone.
    pub async fn rotate(&self, session: &tower_sessions::Session) -> Result<(), StoreError> {
        let old = session.id();
        if let (Some(old), false) = (old, self.grace.is_zero()) {
            if let Ok(mut rotating) = self.rotating.lock() {
                rotating.insert(old);
            }
            session
                .insert(ROTATED_FROM, old.to_string())
                .await
                .map_err(StoreError::new)?;
        }
        session.cycle_id().await.map_err(StoreError::new)
    }

    /// A pointer record from `from` to `to`, for the grace.
    fn pointer(&self, from: Id, to: Id) -> Record {
        let grace = time::Duration::try_from(self.grace).unwrap_or(time::Duration::MINUTE);
        Record {
            id: from,
            data: [(SUCCESSOR.to_string(), serde_json::json!(to.to_string()))].into(),
            expiry_date: OffsetDateTime::now_utc() + grace,
        }
    }

    /// The record `id` leads to: its own, or, for a pointer, the flow's,
    /// moved back under `id`.
    async fn follow(&self, id: &Id, first: Record) -> session_store::Result<Option<Record>> {
        let mut record = first;
        for _ in 0..MAX_HOPS {
            let Some(next) = successor(&record) else {
                if record.id == *id {
                    return Ok(Some(record));
                }
                // The browser holding `id` never got the newer cookie: the
                // flow moves back under `id`, and the newer id points here.
                let newer = record.id;
                record.id = *id;
                on_engine!(&self.engine, store => store.save(&record))?;
                let pointer = self.pointer(newer, *id);
                on_engine!(&self.engine, store => store.save(&pointer))?;
                tracing::info!(event = "session_rotation_followed");
                record
                    .data
                    .insert(FOLLOWED.to_string(), serde_json::json!(true));
                return Ok(Some(record));
            };
            match on_engine!(&self.engine, store => store.load(&next))? {
                Some(found) => record = found,
                None => return Ok(None),
            }
        }
        Ok(None)
    }

    /// Sessions held now: memory and Redis count their own (SQLite's
    /// file answers through `Store::live_sessions`).
    pub async fn live(&self) -> Result<u64, StoreError> {
        match &self.engine {
            Engine::Memory(store) => Ok(store.live().await),
            Engine::Redis(store) => store.live().await,
            Engine::Sqlite(_) => Err(StoreError::new("ask the SQLite file")),
        }
    }

    /// `write`, tried again while the store is away, for [`WRITE_PATIENCE`].
    /// Every write here may be repeated: a create that landed but whose
    /// answer was lost makes the next try pick a fresh id, and saves and
    /// deletes are idempotent.
    async fn patiently<T, F>(&self, write: impl Fn() -> F) -> session_store::Result<T>
    where
        F: std::future::Future<Output = session_store::Result<T>>,
    {
        let deadline = tokio::time::Instant::now() + WRITE_PATIENCE;
        loop {
            match write().await {
                Ok(done) => return Ok(done),
                Err(err) if tokio::time::Instant::now() + WRITE_RETRY_PAUSE >= deadline => {
                    return Err(err);
                }
                Err(_) => tokio::time::sleep(WRITE_RETRY_PAUSE).await,
            }
        }
    }

    async fn watch<T>(
        &self,
        call: impl std::future::Future<Output = session_store::Result<T>>,
    ) -> session_store::Result<T> {
        self.health
            .watch(async { call.await.map_err(StoreError::new) })
            .await
            .map_err(|e| session_store::Error::Backend(e.0))
    }
}

#[async_trait]
impl SessionStore for SessionBackend {
    /// A created record always gets a fresh id. tower-sessions creates
    /// with the id it last had: after a `flush` (done, burned, expired),
    /// that is the id of the record it just deleted, so the ended session
    /// would come back under its old id.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let rotated_from = record
            .data
            .remove(ROTATED_FROM)
            .and_then(|old| old.as_str().and_then(|old| old.parse::<Id>().ok()));
        // The record under a fresh id and, in the same store operation,
        // the old id's record turned into a pointer to it: the flow is
        // never without a record, nor in two.
        let created = self
            .patiently(|| {
                self.watch(async {
                    loop {
                        let mut fresh = record.clone();
                        fresh.id = Id::default();
                        let pointer = rotated_from.map(|old| self.pointer(old, fresh.id));
                        let pointer = pointer.as_ref();
                        let written =
                            on_engine!(&self.engine, store => store.create_pointed(&fresh, pointer));
                        if written? {
                            return Ok(fresh.id);
                        }
                    }
                })
            })
            .await?;
        record.id = created;
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.patiently(|| {
            self.watch(async { on_engine!(&self.engine, store => store.save(record)) })
        })
        .await
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        self.watch(async {
            match on_engine!(&self.engine, store => store.load(session_id))? {
                Some(record) => self.follow(session_id, record).await,
                None => Ok(None),
            }
        })
        .await
    }

    /// A rotation's delete keeps the old record (it becomes a pointer once
    /// the new one is written); every other delete deletes.
    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        let rotating = self
            .rotating
            .lock()
            .map(|mut rotating| rotating.remove(session_id))
            .unwrap_or(false);
        if rotating {
            return Ok(());
        }
        self.patiently(|| {
            self.watch(async { on_engine!(&self.engine, store => store.delete(session_id)) })
        })
        .await
    }
}

/// The id a pointer record leads to; `None` for a session's own record.
fn successor(record: &Record) -> Option<Id> {
    record
        .data
        .get(SUCCESSOR)
        .and_then(|to| to.as_str())
        .and_then(|to| to.parse::<Id>().ok())
}

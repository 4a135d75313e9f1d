//! [ssr] The session store the session layer uses: one of the engines'
//! tower-sessions stores, with every call reported to [`Health`].

use std::sync::Arc;

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::memory::MemorySessions;
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

/// The session store for the session layer: the engine's, watched.
#[derive(Clone, Debug)]
pub struct SessionBackend {
    engine: Engine,
    health: Arc<Health>,
}

impl SessionBackend {
    pub fn new(engine: Engine, health: Arc<Health>) -> Self {
        Self { engine, health }
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
        record.id = Id::default();
        self.watch(async { on_engine!(&self.engine, store => store.create(record)) })
            .await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.watch(async { on_engine!(&self.engine, store => store.save(record)) })
            .await
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        self.watch(async { on_engine!(&self.engine, store => store.load(session_id)) })
            .await
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        self.watch(async { on_engine!(&self.engine, store => store.delete(session_id)) })
            .await
    }
}

//! [ssr] What each engine's session store does beyond tower-sessions'
//! `SessionStore`: the one write a rotation needs (security:
//! `rotated-id-grace`, `store::sessions`).

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

#[async_trait]
pub trait Records: SessionStore {
    /// Write `record` if its id is free and, only then and in the same
    /// store operation (a transaction, a script, one lock), `pointer` over
    /// a record that still exists. Whether it was written (`false`: the id
    /// is taken, and nothing changed).
    async fn create_pointed(
        &self,
        record: &Record,
        pointer: Option<&Record>,
    ) -> session_store::Result<bool>;
}

/// A record as SQLite and Redis store it: MessagePack.
pub fn encode(record: &Record) -> session_store::Result<Vec<u8>> {
    rmp_serde::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))
}

/// `SessionStore::create` for an engine: `record` under the first free id,
/// starting from its own.
pub async fn create_fresh(store: &impl Records, record: &mut Record) -> session_store::Result<()> {
    while !store.create_pointed(record, None).await? {
        record.id = Id::default();
    }
    Ok(())
}

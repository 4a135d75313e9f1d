//! [ssr] Where the portal's state lives: sessions (the flows in progress)
//! and the shared counters behind the rate limits and lockouts.
//!
//! One setting, `PORTAL_STORE`, picks the engine:
//!
//! - `sqlite:<path>` (default `sqlite:data/portal.db`): one machine, survives
//!   restarts and crashes.
//! - `redis://…`, `rediss://…`, `redis-sentinel://…`:
//!   shared by several instances.
//! - `memory`: one process, forgotten at exit (tests).
//!
//! Every engine sits behind the same two faces: a tower-sessions
//! [`SessionStore`](tower_sessions::SessionStore) ([`SessionBackend`]) and
//! [`Counters`]. Every call to either reports to one [`Health`], which logs
//! one event per outage and answers `/readyz`.

pub mod counters;
pub mod health;
pub mod limits;
pub mod memory;
pub mod records;
pub mod redis;
pub mod sessions;
pub mod sqlite;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub use counters::{
    Ask, BucketRate, CounterKey, Counters, Lockout, LockoutPolicy, Millis, Reserved, WindowCount,
};
pub use health::Health;
pub use sessions::{Engine, SessionBackend};

/// How long one store call may take before it counts as a failure.
pub const STORE_TIMEOUT: Duration = Duration::from_secs(2);
/// How often expired sessions and counters are swept (SQLite, memory).
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// The store could not answer. What went wrong is logged (once per outage,
/// by [`Health`]); the trader only ever sees "temporarily unavailable".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the state store is unavailable: {0}")]
pub struct StoreError(pub String);

impl StoreError {
    pub fn new(what: impl fmt::Display) -> Self {
        Self(what.to_string())
    }
}

/// The engine `PORTAL_STORE` names.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreUrl {
    Memory,
    Sqlite(PathBuf),
    /// A URL the Redis client understands (single node, TLS, Sentinel).
    /// It may hold a password: `Debug` and `Display` hide it.
    Redis(String),
}

/// The default: an SQLite file under the working directory.
pub const DEFAULT_STORE: &str = "sqlite:data/portal.db";

const REDIS_SCHEMES: &[&str] = &["redis", "rediss", "redis-sentinel", "rediss-sentinel"];

/// Redis Cluster is refused: nothing here was tested on it, and `WAIT`
/// only speaks for the node that took the write.
const CLUSTER_SCHEMES: &[&str] = &["redis-cluster", "rediss-cluster"];

impl FromStr for StoreUrl {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw == "memory" {
            return Ok(StoreUrl::Memory);
        }
        if let Some(path) = raw.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(
                    "PORTAL_STORE=sqlite: needs a file path, e.g. sqlite:data/portal.db".into(),
                );
            }
            return Ok(StoreUrl::Sqlite(PathBuf::from(path)));
        }
        let scheme = raw.split_once("://").map(|(scheme, _)| scheme);
        if scheme.is_some_and(|s| CLUSTER_SCHEMES.contains(&s)) {
            return Err("PORTAL_STORE: Redis Cluster is not supported (it was never tested here, and a replica's acknowledgement speaks for one node only); use one Redis, or Redis behind Sentinel (redis-sentinel://)".into());
        }
        if scheme.is_some_and(|s| REDIS_SCHEMES.contains(&s)) {
            fred::prelude::Config::from_url(raw)
                .map_err(|_| "PORTAL_STORE is not a Redis URL the client can use (redis://[user:pass@]host:port[/db])".to_string())?;
            return Ok(StoreUrl::Redis(raw.to_string()));
        }
        Err("PORTAL_STORE must be sqlite:<path>, redis://host:port[/db] (or rediss://, redis-sentinel://), or memory".into())
    }
}

impl StoreUrl {
    /// The in-process store: for tests.
    pub fn is_memory(&self) -> bool {
        matches!(self, StoreUrl::Memory)
    }

    pub fn is_shared(&self) -> bool {
        matches!(self, StoreUrl::Redis(_))
    }

    /// The URL with any password replaced, for logs and `Debug`.
    pub fn redacted(&self) -> String {
        match self {
            StoreUrl::Memory => "memory".into(),
            StoreUrl::Sqlite(path) => format!("sqlite:{}", path.display()),
            StoreUrl::Redis(url) => match url::Url::parse(url) {
                Ok(mut parsed) if parsed.password().is_some() => {
                    let _ = parsed.set_password(Some("redacted"));
                    parsed.to_string()
                }
                Ok(parsed) => parsed.to_string(),
                Err(_) => "redis://[unparsable]".into(),
            },
        }
    }
}

impl fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Sessions and counters on one engine, watched by one [`Health`].
#[derive(Clone)]
pub struct Store {
    pub sessions: SessionBackend,
    pub counters: Arc<dyn Counters>,
    pub health: Arc<Health>,
    /// The file, when the engine is SQLite: it also keeps the portal's
    /// generated secrets.
    sqlite: Option<Arc<sqlite::SqliteDb>>,
}

impl Store {
    /// Connect to (or create) the store, prepare its tables, and start
    /// its sweeper. A store that can't be opened at start refuses the start.
    pub async fn open(
        url: &StoreUrl,
        bucket: BucketRate,
        max_sessions: usize,
        session_grace: Duration,
        replica_wait: redis::ReplicaWait,
    ) -> Result<Self, String> {
        let health = Arc::new(Health::default());
        let mut file = None;
        let (engine, counters): (Engine, Arc<dyn Counters>) = match url {
            StoreUrl::Memory => {
                let sessions = memory::MemorySessions::new(max_sessions);
                sessions.purge_in_background();
                let counters = Arc::new(memory::MemoryCounters::new(bucket));
                counters.sweep_in_background();
                (Engine::Memory(sessions), counters)
            }
            StoreUrl::Sqlite(path) => {
                let db = Arc::new(sqlite::SqliteDb::open(path, bucket).await?);
                db.sweep_in_background(health.clone());
                file = Some(db.clone());
                (Engine::Sqlite(db.sessions()), db)
            }
            StoreUrl::Redis(raw) => {
                let db = redis::RedisDb::connect(raw, bucket, replica_wait).await?;
                (Engine::Redis(db.sessions()), Arc::new(db))
            }
        };
        Ok(Self {
            sessions: SessionBackend::new(engine, health.clone(), session_grace),
            counters: Arc::new(counters::Watched::new(counters, health.clone())),
            health,
            sqlite: file,
        })
    }

    /// A random secret generated once and kept by the store, so a restart
    /// finds the same one: in the SQLite file; per process in memory.
    /// Redis keeps none: instances are given their secrets (config refuses
    /// a Redis store without `PORTAL_HMAC_KEY`).
    pub async fn kept_secret(&self, name: &'static str) -> Result<Vec<u8>, String> {
        match &self.sqlite {
            Some(db) => db
                .kept_secret(name)
                .await
                .map_err(|e| format!("PORTAL_STORE: cannot keep the portal's {name}: {e}")),
            None => Ok(rand::random::<[u8; 32]>().to_vec()),
        }
    }

    /// How many resets the store holds now (for the metrics gauge).
    pub async fn live_sessions(&self) -> Result<u64, StoreError> {
        match &self.sqlite {
            Some(db) => db.live_sessions().await,
            None => self.sessions.live().await,
        }
    }

    /// One round trip to the engine, for `/readyz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.counters.ping().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_names_one_engine_or_refuses_in_one_line() {
        assert_eq!("memory".parse::<StoreUrl>(), Ok(StoreUrl::Memory));
        assert_eq!(
            DEFAULT_STORE.parse::<StoreUrl>(),
            Ok(StoreUrl::Sqlite("data/portal.db".into()))
        );
        assert_eq!(
            "sqlite:///var/lib/portal/db".parse::<StoreUrl>(),
            Ok(StoreUrl::Sqlite("/var/lib/portal/db".into()))
        );
        for ok in [
            "redis://127.0.0.1:6379",
            "redis://user:pw@127.0.0.1:6379/2",
            "rediss://cache.example.com:6380",
            "redis-sentinel://10.0.0.1:26379/0?sentinelServiceName=portal",
        ] {
            assert!(
                matches!(ok.parse::<StoreUrl>(), Ok(StoreUrl::Redis(_))),
                "{ok}"
            );
        }
        for bad in [
            "",
            "postgres://x",
            "sqlite:",
            "memcached://x:1",
            "redis",
            "redis-cluster://10.0.0.1:7000?node=10.0.0.2:7000",
        ] {
            let err = bad.parse::<StoreUrl>().unwrap_err();
            assert!(err.starts_with("PORTAL_STORE"), "{bad}: {err}");
            assert!(!err.contains('\n'));
        }
    }

    #[test]
    fn a_redis_password_never_shows() {
        let url: StoreUrl = "redis://user:hunter22@127.0.0.1:6379/1".parse().unwrap();
        assert!(!format!("{url:?} {url}").contains("hunter22"));
        assert!(url.redacted().contains("127.0.0.1:6379"));
    }
}

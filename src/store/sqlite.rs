//! [ssr] The `sqlite:<path>` store, the default: one file on this machine,
//! so flows, windows, lockouts and buckets survive a restart or a crash.
//!
//! Sessions go through tower-sessions-rusqlite-store; the counters are
//! three small tables next to its one, on the same connection. Each
//! counter operation is one `IMMEDIATE` transaction, so it is atomic even
//! if two processes share the file. WAL mode, and a busy timeout below the
//! store timeout, so a locked file reads as "unavailable", not as a hang.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio_rusqlite::{params, rusqlite, Connection, OptionalExtension, TransactionBehavior};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions::ExpiredDeletion;
use tower_sessions_rusqlite_store::RusqliteStore;

use super::counters::{
    millis, now_millis, Ask, BucketRate, CounterKey, Counters, Lockout, LockoutPolicy, Millis,
    Reserved, WindowCount,
};
use super::records::{create_fresh, encode, Records};
use super::{Health, StoreError, SWEEP_EVERY};

const SCHEMA: &str = "
    create table if not exists counter_events (
        key text not null,
        at integer not null,
        expires integer not null
    );
    create index if not exists counter_events_by_key on counter_events (key, at);
    create index if not exists counter_events_by_expiry on counter_events (expires);
    create table if not exists lockouts (
        key text primary key not null,
        strikes integer not null,
        until integer not null,
        forget_at integer not null
    );
    create table if not exists portal_secrets (
        name text primary key not null,
        value blob not null
    );
    create table if not exists leases (
        key text primary key not null,
        holder text not null,
        expires integer not null
    );
    create table if not exists buckets (
        key text primary key not null,
        tokens real not null,
        updated integer not null,
        expires integer not null
    );
";

pub struct SqliteDb {
    /// The database file; its secret lives beside it (`<file>.key`).
    path: std::path::PathBuf,
    conn: Connection,
    sessions: RusqliteStore,
    bucket: BucketRate,
}

impl SqliteDb {
    /// Open (or create) the file and its tables; create its directory if
    /// it is missing.
    pub async fn open(path: &Path, bucket: BucketRate) -> Result<Self, String> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.exists() {
                // A directory the portal makes is its own: 0700.
                private_dir(dir).map_err(|e| {
                    format!("PORTAL_STORE: cannot create the directory of {shown}: {e}")
                })?;
            }
        }
        // The file is created 0600 before SQLite opens it (its -wal and
        // -shm files take the same mode).
        private_file(path).map_err(|e| format!("PORTAL_STORE: cannot create {shown}: {e}"))?;
        let conn = Connection::open(path)
            .await
            .map_err(|e| format!("PORTAL_STORE: cannot open {shown}: {e}"))?;
        let busy = super::STORE_TIMEOUT / 2;
        conn.call(move |c| -> rusqlite::Result<()> {
            c.busy_timeout(busy)?;
            c.pragma_update(None, "journal_mode", "wal")?;
            c.pragma_update(None, "synchronous", "normal")?;
            // Deleted records (a finished flow, a spent token) are
            // overwritten, not left in free pages.
            c.pragma_update(None, "secure_delete", "on")?;
            // A checkpoint copies the WAL into the file while the one
            // connection waits: every 1,000 pages (the default) was every
            // ~50 steps, the slowest 2 % of them. Every 10,000 pages
            // (~40 MB of WAL at most) makes it rarer.
            c.pragma_update(None, "wal_autocheckpoint", 10_000)?;
            c.execute_batch(SCHEMA)
        })
        .await
        .map_err(|e| format!("PORTAL_STORE: cannot prepare {shown}: {e}"))?;
        let sessions = RusqliteStore::new(conn.clone());
        sessions.migrate().await.map_err(|e| {
            format!("PORTAL_STORE: cannot prepare the session table in {shown}: {e}")
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            conn,
            sessions,
            bucket,
        })
    }

    pub fn sessions(&self) -> SqliteSessions {
        SqliteSessions {
            store: self.sessions.clone(),
            conn: self.conn.clone(),
        }
    }

    /// Delete expired sessions and counters every [`SWEEP_EVERY`].
    pub fn sweep_in_background(self: &Arc<Self>, health: Arc<Health>) {
        let db = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(SWEEP_EVERY).await;
                let Some(db) = db.upgrade() else {
                    return;
                };
                let swept = health.watch(db.sweep(now_millis())).await;
                if let Ok(removed) = swept {
                    tracing::debug!(event = "store_swept", removed);
                }
            }
        });
    }

    /// Remove what has expired; how many counter rows went.
    pub async fn sweep(&self, now: Millis) -> Result<usize, StoreError> {
        self.sessions
            .delete_expired()
            .await
            .map_err(StoreError::new)?;
        self.run(move |c| {
            Ok(
                c.execute("delete from counter_events where expires <= ?1", [now])?
                    + c.execute("delete from buckets where expires <= ?1", [now])?
                    + c.execute("delete from lockouts where forget_at <= ?1", [now])?
                    + c.execute("delete from leases where expires <= ?1", [now])?,
            )
        })
        .await
    }

    /// Sessions in the file that have not expired.
    pub async fn live_sessions(&self) -> Result<u64, StoreError> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        self.read(move |tx| {
            tx.query_row(
                "select count(*) from tower_sessions where expiry_date > ?1",
                [now],
                |row| row.get::<_, i64>(0),
            )
        })
        .await
        .map(|n| u64::try_from(n).unwrap_or(0))
    }

    /// The portal's secret when none is configured: kept in its own 0600
    /// file beside the database (`<file>.key`), never in it, so a copy of
    /// the database alone opens no sealed flow. Generated on first use; a
    /// secret an older portal kept in the database moves to the file (and
    /// out of the database), so identifiers hash as before.
    pub async fn kept_secret(&self, name: &'static str) -> Result<Vec<u8>, StoreError> {
        let mut file = self.path.clone().into_os_string();
        file.push(".key");
        let file = std::path::PathBuf::from(file);
        if let Ok(hex_text) = std::fs::read_to_string(&file) {
            return hex::decode(hex_text.trim())
                .map_err(|_| StoreError::new(format!("{} is not a hex secret", file.display())));
        }
        let older: Option<Vec<u8>> = self
            .run(move |tx| {
                tx.query_row(
                    "select value from portal_secrets where name = ?1",
                    [name],
                    |row| row.get(0),
                )
                .optional()
            })
            .await?;
        let secret = older
            .clone()
            .unwrap_or_else(|| rand::random::<[u8; 32]>().to_vec());
        write_private(&file, hex::encode(&secret).as_bytes())
            .map_err(|e| StoreError::new(format!("cannot write {}: {e}", file.display())))?;
        if older.is_some() {
            self.run(move |tx| {
                tx.execute("delete from portal_secrets where name = ?1", [name])
                    .map(drop)
            })
            .await?;
        }
        Ok(secret)
    }

    /// Run `f` in one immediate transaction on the connection's thread:
    /// it holds the write lock from the start, so a read-then-write can't
    /// interleave with another writer.
    async fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<R, StoreError> {
        self.in_transaction(TransactionBehavior::Immediate, f).await
    }

    /// Run a read-only `f`: a deferred transaction, which takes no write lock.
    async fn read<R: Send + 'static>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<R, StoreError> {
        self.in_transaction(TransactionBehavior::Deferred, f).await
    }

    async fn in_transaction<R: Send + 'static>(
        &self,
        behavior: TransactionBehavior,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<R, StoreError> {
        self.conn
            .call(move |c| -> rusqlite::Result<R> {
                let tx = c.transaction_with_behavior(behavior)?;
                let out = f(&tx)?;
                tx.commit()?;
                Ok(out)
            })
            .await
            .map_err(StoreError::new)
    }
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[async_trait]
impl Counters for SqliteDb {
    async fn take_token(&self, addr: IpAddr) -> Result<Result<(), Duration>, StoreError> {
        let rate = self.bucket;
        let key = format!("address:{addr}");
        let now = now_millis();
        self.run(move |tx| {
            let stored: Option<(f64, Millis)> = tx
                .prepare_cached("select tokens, updated from buckets where key = ?1")?
                .query_row([&key], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            let (tokens, updated) = stored.unwrap_or((rate.burst(), now));
            let elapsed = Duration::from_millis(u64::try_from(now - updated).unwrap_or(0));
            let tokens =
                (tokens + elapsed.as_secs_f64() * rate.per_minute() / 60.0).min(rate.burst());
            let (left, verdict) = if tokens >= 1.0 {
                (tokens - 1.0, Ok(()))
            } else {
                let wait = (1.0 - tokens) * 60.0 / rate.per_minute();
                (tokens, Err(Duration::from_secs_f64(wait)))
            };
            tx.prepare_cached(
                "insert into buckets (key, tokens, updated, expires) values (?1, ?2, ?3, ?4)
                 on conflict(key) do update set tokens = excluded.tokens,
                     updated = excluded.updated, expires = excluded.expires",
            )?
            .execute(params![key, left, now, now + millis(rate.full_after())])?;
            Ok(verdict)
        })
        .await
    }

    async fn window(
        &self,
        key: &CounterKey,
        window: Duration,
        now: Millis,
    ) -> Result<WindowCount, StoreError> {
        let key = key.as_key();
        let since = now - millis(window);
        self.read(move |tx| {
            tx.prepare_cached(
                "select count(*), min(at) from counter_events where key = ?1 and at > ?2",
            )?
            .query_row(params![key, since], |row| {
                Ok(WindowCount {
                    count: count(row.get(0)?),
                    oldest: row.get(1)?,
                })
            })
        })
        .await
    }

    async fn counts(
        &self,
        asks: &[(CounterKey, Duration)],
        now: Millis,
    ) -> Result<Vec<u32>, StoreError> {
        let asks: Vec<(String, Millis)> = asks
            .iter()
            .map(|(key, window)| (key.as_key(), now - millis(*window)))
            .collect();
        self.read(move |tx| {
            let mut select = tx
                .prepare_cached("select count(*) from counter_events where key = ?1 and at > ?2")?;
            asks.iter()
                .map(|(key, since)| {
                    select.query_row(params![key, since], |row| Ok(count(row.get(0)?)))
                })
                .collect()
        })
        .await
    }

    async fn lockout(
        &self,
        key: &CounterKey,
        policy: &LockoutPolicy,
        now: Millis,
    ) -> Result<Option<Lockout>, StoreError> {
        let key = key.as_key();
        let policy = *policy;
        self.read(move |tx| {
            let stored = read_lockout(tx, &key)?;
            Ok(stored.filter(|l| policy.remembers(l, now)))
        })
        .await
    }

    async fn strike(
        &self,
        key: &CounterKey,
        policy: &LockoutPolicy,
        now: Millis,
    ) -> Result<Lockout, StoreError> {
        let key = key.as_key();
        let policy = *policy;
        self.run(move |tx| {
            let next = policy.next(read_lockout(tx, &key)?, now);
            tx.execute(
                "insert into lockouts (key, strikes, until, forget_at) values (?1, ?2, ?3, ?4)
                 on conflict(key) do update set strikes = excluded.strikes,
                     until = excluded.until, forget_at = excluded.forget_at",
                params![
                    key,
                    next.strikes,
                    next.until,
                    next.until + millis(policy.forget_after)
                ],
            )?;
            Ok(next)
        })
        .await
    }

    async fn reserve_many(
        &self,
        asks: &[Ask],
        now: Millis,
    ) -> Result<Vec<Result<Reserved, WindowCount>>, StoreError> {
        let asks = asks.to_vec();
        self.run(move |tx| {
            asks.iter()
                .map(|ask| reserve_in(tx, ask, now))
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .await
    }

    async fn release_many(&self, reserved: &[Reserved]) -> Result<(), StoreError> {
        let rows = event_rows(reserved);
        if rows.is_empty() {
            return Ok(());
        }
        self.run(move |tx| release_in(tx, &rows)).await
    }

    async fn clear(&self, key: &CounterKey) -> Result<(), StoreError> {
        let key = key.as_key();
        self.run(move |tx| {
            tx.execute("delete from counter_events where key = ?1", [&key])
                .map(drop)
        })
        .await
    }

    async fn lease(
        &self,
        key: &CounterKey,
        holder: &str,
        ttl: Duration,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let key = key.as_key();
        let holder = holder.to_string();
        let expires = now + millis(ttl);
        self.run(move |tx| {
            tx.prepare_cached("delete from leases where key = ?1 and expires <= ?2")?
                .execute(params![key, now])?;
            let taken = tx
                .prepare_cached(
                    "insert into leases (key, holder, expires) values (?1, ?2, ?3)
                     on conflict(key) do update set expires = excluded.expires
                     where leases.holder = excluded.holder",
                )?
                .execute(params![key, holder, expires])?;
            Ok(taken == 1)
        })
        .await
    }

    async fn unlease(
        &self,
        key: &CounterKey,
        holder: &str,
        unspent: &[Reserved],
    ) -> Result<(), StoreError> {
        let key = key.as_key();
        let holder = holder.to_string();
        let rows = event_rows(unspent);
        self.run(move |tx| {
            release_in(tx, &rows)?;
            tx.prepare_cached("delete from leases where key = ?1 and holder = ?2")?
                .execute(params![key, holder])
                .map(drop)
        })
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.run(|tx| tx.query_row("select 1", [], |_| Ok(())))
            .await
    }
}

/// The rows of reserved events: (rowid, key).
fn event_rows(reserved: &[Reserved]) -> Vec<(i64, String)> {
    reserved
        .iter()
        .filter_map(|r| Some((r.id.parse::<i64>().ok()?, r.key.as_key())))
        .collect()
}

/// Delete reserved events inside the caller's transaction: they did not
/// happen.
fn release_in(tx: &rusqlite::Transaction<'_>, rows: &[(i64, String)]) -> rusqlite::Result<()> {
    let mut delete =
        tx.prepare_cached("delete from counter_events where rowid = ?1 and key = ?2")?;
    for (id, key) in rows {
        delete.execute(params![id, key])?;
    }
    Ok(())
}

/// One reservation inside the caller's transaction.
fn reserve_in(
    tx: &rusqlite::Transaction<'_>,
    ask: &Ask,
    now: Millis,
) -> rusqlite::Result<Result<Reserved, WindowCount>> {
    let key = ask.key.as_key();
    let length = millis(ask.window);
    tx.prepare_cached("delete from counter_events where key = ?1 and at <= ?2")?
        .execute(params![key, now - length])?;
    let (n, oldest): (i64, Option<Millis>) = tx
        .prepare_cached("select count(*), min(at) from counter_events where key = ?1")?
        .query_row([&key], |row| Ok((row.get(0)?, row.get(1)?)))?;
    if count(n) >= ask.max {
        return Ok(Err(WindowCount {
            count: count(n),
            oldest,
        }));
    }
    tx.prepare_cached("insert into counter_events (key, at, expires) values (?1, ?2, ?3)")?
        .execute(params![key, now, now + length])?;
    Ok(Ok(Reserved {
        key: ask.key.clone(),
        id: tx.last_insert_rowid().to_string(),
        count: count(n).saturating_add(1),
    }))
}

fn read_lockout(tx: &rusqlite::Transaction<'_>, key: &str) -> rusqlite::Result<Option<Lockout>> {
    tx.prepare_cached("select strikes, until from lockouts where key = ?1")?
        .query_row([key], |row| {
            Ok(Lockout {
                strikes: row.get(0)?,
                until: row.get(1)?,
            })
        })
        .optional()
}

/// tower-sessions-rusqlite-store's sessions, but for `save`, which only
/// updates a record that still exists (its own `save` inserts): a late
/// save never brings back a record a rotation or an ending deleted.
#[derive(Clone)]
pub struct SqliteSessions {
    store: RusqliteStore,
    conn: Connection,
}

impl std::fmt::Debug for SqliteSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteSessions")
    }
}

#[async_trait]
impl Records for SqliteSessions {
    async fn create_pointed(
        &self,
        record: &Record,
        pointer: Option<&Record>,
    ) -> session_store::Result<bool> {
        let created = row(record)?;
        let pointer = pointer.map(row).transpose()?;
        self.conn
            .call(move |c| -> rusqlite::Result<bool> {
                let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let written = tx
                    .prepare_cached(
                        "insert into tower_sessions (id, data, expiry_date) values (?1, ?2, ?3)
                         on conflict(id) do nothing",
                    )?
                    .execute(params![created.0, created.1, created.2])?;
                if written == 1 {
                    if let Some((id, data, expiry)) = &pointer {
                        tx.prepare_cached(UPDATE_SESSION)?
                            .execute(params![id, data, expiry])?;
                    }
                }
                tx.commit()?;
                Ok(written == 1)
            })
            .await
            .map_err(|e| session_store::Error::Backend(e.to_string()))
    }
}

/// A session record as its row holds it: (id, data, expiry_date).
fn row(record: &Record) -> session_store::Result<(String, Vec<u8>, i64)> {
    Ok((
        record.id.to_string(),
        encode(record)?,
        record.expiry_date.unix_timestamp(),
    ))
}

/// Update a session record that still exists (never insert one).
const UPDATE_SESSION: &str = "update tower_sessions set data = ?2, expiry_date = ?3 where id = ?1";

#[async_trait]
impl SessionStore for SqliteSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        create_fresh(self, record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (id, data, expiry) = row(record)?;
        self.conn
            .call(move |c| -> rusqlite::Result<()> {
                c.prepare_cached(UPDATE_SESSION)?
                    .execute(params![id, data, expiry])
                    .map(drop)
            })
            .await
            .map_err(|e| session_store::Error::Backend(e.to_string()))
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        self.store.load(session_id).await
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        self.store.delete(session_id).await
    }
}

/// Create `dir` (and its parents) readable by the portal alone.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Create `path` empty and 0600 if it doesn't exist yet.
fn private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

/// Write `bytes` to a new 0600 file at `path` (never over an existing one).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

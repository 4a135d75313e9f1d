//! [ssr] The Redis store: several portal instances share one Redis, so a
//! flow started on one continues on another and every limit adds up.
//!
//! The counters are Lua scripts, each one atomic on the server: no count
//! is ever read into Rust, changed and written back. Every key has a TTL,
//! so Redis itself forgets what has expired.
//!
//! Sessions: tower-sessions-redis-store (0.16, the newest) is built for
//! tower-sessions 0.14 and has no release for the 0.15 this portal uses,
//! so [`RedisSessions`] is the same four operations written here: a script
//! to create (`SET … NX PXAT`, and in the same script the pointer a
//! rotation leaves, `SET … XX PXAT`), `SET … XX PXAT` to save, `GET`,
//! `DEL`; records encoded with MessagePack as the SQLite store does.
//!
//! Replication is asynchronous: a write the master acknowledged may be
//! lost when Sentinel promotes a replica. With `redis_wait_replicas` set, a
//! session write (the last write of every step) is followed by `WAIT` on
//! the same connection, so the trader's answer goes out only once that
//! many replicas hold it, or the timeout passed (the write still counts;
//! `portal_replica_wait_timeouts_total` says how often). It covers the
//! step's earlier counter writes too: replication offsets only grow.

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use fred::prelude::*;
use fred::types::{Expiration, SetOptions};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::counters::{
    millis, now_millis, Ask, BucketRate, CounterKey, Counters, Lockout, LockoutPolicy, Millis,
    Reserved, WindowCount,
};
use super::records::{create_fresh, encode, Records};
use super::{StoreError, STORE_TIMEOUT};

/// Every key the portal writes starts with this.
const PREFIX: &str = "portal:";

const WINDOW: &str = r"
local since = tonumber(ARGV[1]) - tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', since)
local n = redis.call('ZCARD', KEYS[1])
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then return {n, tonumber(oldest[2])} end
return {n}
";

/// Each key's events since its own `ARGV[i]` (exclusive), read only.
const COUNTS: &str = r"
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('ZCOUNT', key, '(' .. ARGV[i], '+inf')
end
return out
";

/// Take one event in each key's window that has room, in one script (one
/// round trip for a call's budgets, atomic as a whole): ARGV is `now`, then `len, max, id` per key; the reply is `taken, n,
/// oldest` per key (`oldest` -1 when the window is empty or taken).
const RESERVE_MANY: &str = r"
local now = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local len = tonumber(ARGV[3 * i - 1])
  local max = tonumber(ARGV[3 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - len)
  local n = redis.call('ZCARD', key)
  if n >= max then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    out[#out + 1] = 0
    out[#out + 1] = n
    out[#out + 1] = oldest[2] and tonumber(oldest[2]) or -1
  else
    redis.call('ZADD', key, now, ARGV[3 * i + 1])
    redis.call('PEXPIRE', key, len)
    out[#out + 1] = 1
    out[#out + 1] = n + 1
    out[#out + 1] = -1
  end
end
return out
";

/// Give reserved events back: `ZREM KEYS[i] ARGV[i]` for each.
const RELEASE_MANY: &str = r"
for i, key in ipairs(KEYS) do
  redis.call('ZREM', key, ARGV[i])
end
return #KEYS
";

/// Take the lease, or extend it for the holder that has it.
const LEASE: &str = r"
local held = redis.call('GET', KEYS[1])
if not held then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if held == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
";
/// Give the lease `KEYS[1]` back if `ARGV[1]` holds it, and with it the
/// reserved events `ARGV[i]` of `KEYS[i]` (i >= 2).
const UNLEASE: &str = r"
for i = 2, #KEYS do
  redis.call('ZREM', KEYS[i], ARGV[i])
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";
/// A new session record (`KEYS[1]`, only if the id is free) and, with
/// it, a pointer over the record it was rotated from (`KEYS[2]`, only if
/// that still exists). Keys here are whole (session keys).
const CREATE_POINTED: &str = r"
if not redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2], 'NX') then
  return 0
end
if KEYS[2] then
  redis.call('SET', KEYS[2], ARGV[3], 'PXAT', ARGV[4], 'XX')
end
return 1
";
const STRIKE: &str = r"
local now = tonumber(ARGV[1])
local first = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local forget = tonumber(ARGV[4])
local prev = redis.call('HMGET', KEYS[1], 'strikes', 'until')
local strikes = 1
if prev[1] and prev[2] and (now - tonumber(prev[2])) < forget then
  strikes = tonumber(prev[1]) + 1
end
local len = max
if strikes <= 40 then len = math.min(max, first * (2 ^ (strikes - 1))) end
local until_ms = now + len
redis.call('HSET', KEYS[1], 'strikes', strikes, 'until', until_ms)
redis.call('PEXPIREAT', KEYS[1], until_ms + forget)
return {strikes, until_ms}
";

const BUCKET: &str = r"
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = burst
local updated = now
if b[1] and b[2] then
  tokens = tonumber(b[1])
  updated = tonumber(b[2])
end
local elapsed = math.max(0, now - updated)
tokens = math.min(burst, tokens + elapsed * rate / 60000)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) * 60000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', now)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return wait
";

/// The Prometheus counter of session writes whose replica wait timed out
/// (described in `telemetry::metrics`).
pub const REPLICA_WAIT_TIMEOUTS: &str = "portal_replica_wait_timeouts_total";

/// How many replicas must hold a session write before the step answers,
/// and how long to wait for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplicaWait {
    /// 0: don't wait.
    pub replicas: u32,
    pub timeout: Duration,
}

impl ReplicaWait {
    pub const NONE: ReplicaWait = ReplicaWait {
        replicas: 0,
        timeout: Duration::ZERO,
    };
}

/// How the replica waits went: counted, and logged once when they start
/// timing out and once when they stop, never once per step.
#[derive(Debug, Default)]
struct Lag {
    timeouts: AtomicU64,
    lagging: AtomicBool,
}

pub struct RedisDb {
    pool: Pool,
    bucket: BucketRate,
    wait: ReplicaWait,
    lag: Arc<Lag>,
}

fn failed(err: fred::error::Error) -> StoreError {
    StoreError::new(format!("redis: {}", err.kind().to_str()))
}

impl RedisDb {
    /// Connect; a Redis that can't be reached at start refuses the start.
    /// Later outages are waited out: the client reconnects on its own, and
    /// each command gives up after [`STORE_TIMEOUT`].
    pub async fn connect(url: &str, bucket: BucketRate, wait: ReplicaWait) -> Result<Self, String> {
        let config = Config::from_url(url)
            .map_err(|_| "PORTAL_STORE is not a Redis URL the client can use".to_string())?;
        let pool = Builder::from_config(config)
            .with_performance_config(|c| c.default_command_timeout = STORE_TIMEOUT)
            .with_connection_config(|c| {
                c.connection_timeout = STORE_TIMEOUT;
                c.internal_command_timeout = STORE_TIMEOUT;
                c.max_command_attempts = 1;
            })
            .set_policy(ReconnectPolicy::new_exponential(0, 100, 2_000, 2))
            .build_pool(2)
            .map_err(|e| format!("PORTAL_STORE: cannot set up the Redis client: {e}"))?;
        tokio::time::timeout(STORE_TIMEOUT * 2, pool.init())
            .await
            .map_err(|_| "PORTAL_STORE: Redis did not answer at start".to_string())?
            .map_err(|e| format!("PORTAL_STORE: cannot reach Redis: {}", e.kind().to_str()))?;
        Ok(Self {
            pool,
            bucket,
            wait,
            lag: Arc::default(),
        })
    }

    pub fn sessions(&self) -> RedisSessions {
        RedisSessions {
            pool: self.pool.clone(),
            wait: self.wait,
            lag: self.lag.clone(),
        }
    }

    /// Session writes whose replica wait timed out since the start.
    pub fn replica_wait_timeouts(&self) -> u64 {
        self.lag.timeouts.load(Ordering::Relaxed)
    }

    async fn script<R: FromValue>(
        &self,
        lua: &'static str,
        key: String,
        args: Vec<Value>,
    ) -> Result<R, StoreError> {
        self.script_over(lua, [key], args).await
    }

    /// A Lua script over several keys (given unprefixed), in one round trip.
    async fn script_over<R: FromValue>(
        &self,
        lua: &'static str,
        keys: impl IntoIterator<Item = String>,
        args: Vec<Value>,
    ) -> Result<R, StoreError> {
        let keys: Vec<String> = keys
            .into_iter()
            .map(|key| format!("{PREFIX}{key}"))
            .collect();
        self.pool.next().eval(lua, keys, args).await.map_err(failed)
    }
}

#[async_trait]
impl Counters for RedisDb {
    async fn take_token(&self, addr: IpAddr) -> Result<Result<(), Duration>, StoreError> {
        let rate = self.bucket;
        let wait: i64 = self
            .script(
                BUCKET,
                format!("address:{addr}"),
                vec![
                    now_millis().into(),
                    f64::from(rate.per_minute.max(1)).into(),
                    f64::from(rate.burst.max(1)).into(),
                    millis(rate.full_after()).max(1).into(),
                ],
            )
            .await?;
        Ok(match u64::try_from(wait) {
            Ok(0) | Err(_) => Ok(()),
            Ok(ms) => Err(Duration::from_millis(ms)),
        })
    }

    async fn window(
        &self,
        key: &CounterKey,
        window: Duration,
        now: Millis,
    ) -> Result<WindowCount, StoreError> {
        let reply: Vec<i64> = self
            .script(
                WINDOW,
                key.as_key(),
                vec![now.into(), millis(window).into()],
            )
            .await?;
        Ok(WindowCount {
            count: reply
                .first()
                .map_or(0, |n| u32::try_from(*n).unwrap_or(u32::MAX)),
            oldest: reply.get(1).copied(),
        })
    }

    async fn counts(
        &self,
        asks: &[(CounterKey, Duration)],
        now: Millis,
    ) -> Result<Vec<u32>, StoreError> {
        if asks.is_empty() {
            return Ok(Vec::new());
        }
        let keys = asks.iter().map(|(key, _)| key.as_key());
        let since: Vec<Value> = asks
            .iter()
            .map(|(_, window)| (now - millis(*window)).into())
            .collect();
        let reply: Vec<i64> = self.script_over(COUNTS, keys, since).await?;
        Ok(reply
            .into_iter()
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
            .collect())
    }

    async fn lockout(
        &self,
        key: &CounterKey,
        policy: &LockoutPolicy,
        now: Millis,
    ) -> Result<Option<Lockout>, StoreError> {
        let stored: Vec<Option<i64>> = self
            .pool
            .next()
            .hmget(
                format!("{PREFIX}{}", key.as_key()),
                vec!["strikes", "until"],
            )
            .await
            .map_err(failed)?;
        let lockout = match stored.as_slice() {
            [Some(strikes), Some(until)] => Some(Lockout {
                strikes: u32::try_from(*strikes).unwrap_or(u32::MAX),
                until: *until,
            }),
            _ => None,
        };
        Ok(lockout.filter(|l| policy.remembers(l, now)))
    }

    async fn strike(
        &self,
        key: &CounterKey,
        policy: &LockoutPolicy,
        now: Millis,
    ) -> Result<Lockout, StoreError> {
        let reply: Vec<i64> = self
            .script(
                STRIKE,
                key.as_key(),
                vec![
                    now.into(),
                    millis(policy.first).into(),
                    millis(policy.max).into(),
                    millis(policy.forget_after).into(),
                ],
            )
            .await?;
        match reply.as_slice() {
            [strikes, until] => Ok(Lockout {
                strikes: u32::try_from(*strikes).unwrap_or(u32::MAX),
                until: *until,
            }),
            _ => Err(StoreError::new(
                "redis: unexpected reply to the strike script",
            )),
        }
    }

    /// One Lua script per key: the keys of one step may live on different
    /// Cluster slots, and each script is atomic on its own.
    async fn reserve_many(
        &self,
        asks: &[Ask],
        now: Millis,
    ) -> Result<Vec<Result<Reserved, WindowCount>>, StoreError> {
        if asks.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = asks
            .iter()
            .map(|_| format!("{now}-{:016x}", rand::random::<u64>()))
            .collect();
        let keys = asks.iter().map(|ask| ask.key.as_key());
        let mut args: Vec<Value> = vec![now.into()];
        for (ask, id) in asks.iter().zip(&ids) {
            args.push(millis(ask.window).into());
            args.push(i64::from(ask.max).into());
            args.push(id.clone().into());
        }
        let reply: Vec<i64> = self.script_over(RESERVE_MANY, keys, args).await?;
        if reply.len() != 3 * asks.len() {
            return Err(StoreError::new(
                "redis: unexpected reply to the reserve script",
            ));
        }
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(asks
            .iter()
            .zip(ids)
            .zip(reply.chunks(3))
            .map(|((ask, id), answer)| match answer {
                [1, n, _] => Ok(Reserved {
                    key: ask.key.clone(),
                    id,
                    count: count(*n),
                }),
                [_, n, oldest] => Err(WindowCount {
                    count: count(*n),
                    oldest: (*oldest >= 0).then_some(*oldest),
                }),
                _ => Err(WindowCount::default()),
            })
            .collect())
    }

    async fn release_many(&self, reserved: &[Reserved]) -> Result<(), StoreError> {
        if reserved.is_empty() {
            return Ok(());
        }
        let keys = reserved.iter().map(|one| one.key.as_key());
        let ids: Vec<Value> = reserved.iter().map(|one| one.id.clone().into()).collect();
        let _: i64 = self.script_over(RELEASE_MANY, keys, ids).await?;
        Ok(())
    }

    async fn clear(&self, key: &CounterKey) -> Result<(), StoreError> {
        let _: i64 = self
            .pool
            .next()
            .del(format!("{PREFIX}{}", key.as_key()))
            .await
            .map_err(failed)?;
        Ok(())
    }

    async fn lease(
        &self,
        key: &CounterKey,
        holder: &str,
        ttl: Duration,
        _now: Millis,
    ) -> Result<bool, StoreError> {
        let taken: i64 = self
            .script(
                LEASE,
                key.as_key(),
                vec![holder.into(), millis(ttl).max(1).into()],
            )
            .await?;
        Ok(taken == 1)
    }

    async fn unlease(
        &self,
        key: &CounterKey,
        holder: &str,
        unspent: &[Reserved],
    ) -> Result<(), StoreError> {
        let keys = std::iter::once(key.as_key()).chain(unspent.iter().map(|r| r.key.as_key()));
        let args = std::iter::once(holder.into())
            .chain(unspent.iter().map(|r| r.id.clone().into()))
            .collect();
        let _: i64 = self.script_over(UNLEASE, keys, args).await?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.pool
            .next()
            .ping::<String>(None)
            .await
            .map(|_| ())
            .map_err(failed)
    }
}

/// Sessions in Redis, one string key each, expiring with the session.
#[derive(Clone)]
pub struct RedisSessions {
    pool: Pool,
    wait: ReplicaWait,
    lag: Arc<Lag>,
}

impl std::fmt::Debug for RedisSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedisSessions")
    }
}

impl RedisSessions {
    /// Session keys in Redis (they expire with their sessions). A SCAN in
    /// pages of 1,000: fine at scrape intervals; on a Cluster it counts
    /// the node the pool talks to.
    pub async fn live(&self) -> Result<u64, StoreError> {
        use futures::StreamExt;
        let keys = self
            .pool
            .next()
            .scan_buffered(format!("{PREFIX}session:*"), Some(1000), None);
        let counted = tokio::time::timeout(
            STORE_TIMEOUT,
            keys.fold(Ok(0u64), |total, key| async move {
                match (total, key) {
                    (Ok(n), Ok(_)) => Ok(n + 1),
                    (Ok(_), Err(e)) => Err(failed(e)),
                    (err, _) => err,
                }
            }),
        )
        .await;
        counted.unwrap_or_else(|_| Err(StoreError::new("redis: scan timed out")))
    }
}

fn session_key(id: &Id) -> String {
    format!("{PREFIX}session:{id}")
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn expires_at(record: &Record) -> i64 {
    let at = record.expiry_date.unix_timestamp_nanos() / 1_000_000;
    i64::try_from(at).unwrap_or(i64::MAX)
}

impl RedisSessions {
    /// Update `record` if it still exists (`XX`): a late save never brings
    /// a deleted record back. An expired record is deleted.
    async fn update(&self, record: &Record) -> session_store::Result<()> {
        let data = encode(record)?;
        // One connection for the write and its WAIT.
        let client = self.pool.next();
        if record.expiry_date <= OffsetDateTime::now_utc() {
            client
                .del::<i64, _>(session_key(&record.id))
                .await
                .map_err(|e| backend(e.kind().to_str()))?;
        } else {
            let _: Option<String> = client
                .set(
                    session_key(&record.id),
                    data.as_slice(),
                    Some(Expiration::PXAT(expires_at(record))),
                    Some(SetOptions::XX),
                    false,
                )
                .await
                .map_err(|e| backend(e.kind().to_str()))?;
        }
        self.replicated(client).await;
        Ok(())
    }

    /// Wait until `ReplicaWait::replicas` replicas hold what `client` wrote,
    /// at most `ReplicaWait::timeout`. Past it (or if `WAIT` fails) the
    /// write still counts: it is on the master, and the trader goes on.
    async fn replicated(&self, client: &Client) {
        if self.wait.replicas == 0 {
            return;
        }
        let millis = i64::try_from(self.wait.timeout.as_millis()).unwrap_or(i64::MAX);
        let acked: Result<i64, _> = client
            .wait(i64::from(self.wait.replicas), millis.max(1))
            .await;
        let short = match acked {
            Ok(n) => n < i64::from(self.wait.replicas),
            Err(_) => true,
        };
        if short {
            self.lag.timeouts.fetch_add(1, Ordering::Relaxed);
            metrics::counter!(REPLICA_WAIT_TIMEOUTS).increment(1);
            if !self.lag.lagging.swap(true, Ordering::AcqRel) {
                tracing::warn!(
                    event = "replica_wait_timeouts_started",
                    replicas = self.wait.replicas,
                    "session writes are not reaching the replicas in time: a failover now may lose steps"
                );
            }
        } else if self.lag.lagging.swap(false, Ordering::AcqRel) {
            tracing::info!(event = "replica_wait_timeouts_ended");
        }
    }
}

#[async_trait]
impl Records for RedisSessions {
    async fn create_pointed(
        &self,
        record: &Record,
        pointer: Option<&Record>,
    ) -> session_store::Result<bool> {
        if record.expiry_date <= OffsetDateTime::now_utc() {
            // Expired as it is created: there is nothing to keep.
            return Ok(true);
        }
        // PXAT in the past would be refused.
        let soonest = now_millis() + 1;
        let mut keys = vec![session_key(&record.id)];
        let mut args: Vec<Value> = vec![
            encode(record)?.as_slice().into(),
            expires_at(record).max(soonest).into(),
        ];
        if let Some(pointer) = pointer {
            keys.push(session_key(&pointer.id));
            args.push(encode(pointer)?.as_slice().into());
            args.push(expires_at(pointer).max(soonest).into());
        }
        // One connection for the script and its WAIT.
        let client = self.pool.next();
        let written: i64 = client
            .eval(CREATE_POINTED, keys, args)
            .await
            .map_err(|e| backend(e.kind().to_str()))?;
        self.replicated(client).await;
        Ok(written == 1)
    }
}

#[async_trait]
impl SessionStore for RedisSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        create_fresh(self, record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.update(record).await
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let data: Option<Vec<u8>> = self
            .pool
            .get(session_key(session_id))
            .await
            .map_err(|e| backend(e.kind().to_str()))?;
        data.map(|bytes| {
            rmp_serde::from_slice(&bytes).map_err(|e| session_store::Error::Decode(e.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        let client = self.pool.next();
        client
            .del::<i64, _>(session_key(session_id))
            .await
            .map(|_| ())
            .map_err(|e| backend(e.kind().to_str()))?;
        // A lost delete would bring an ended (even a burned) flow back.
        self.replicated(client).await;
        Ok(())
    }
}

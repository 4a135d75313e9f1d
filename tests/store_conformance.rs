//! One suite, three engines: the memory store, an SQLite file and a real
//! `redis-server` of the test's own must behave alike for sessions
//! (expiry, id cycling, delete) and counters (windows, lockouts, buckets,
//! expiry), and count exactly under concurrency.

mod support;

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use autoshares_portal::store::counters::{millis, now_millis};
use autoshares_portal::store::memory::{MemoryCounters, MemorySessions};
use autoshares_portal::store::redis::{RedisDb, ReplicaWait};
use autoshares_portal::store::sqlite::SqliteDb;
use autoshares_portal::store::{
    Ask, BucketRate, CounterKey, Counters, Engine, Health, LockoutPolicy, SessionBackend,
};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::{Session, SessionStore};

const RATE: BucketRate = BucketRate {
    per_minute: 60,
    burst: 5,
};
const MIN: i64 = 60_000;

fn record(expires_in_secs: i64, value: i64) -> Record {
    Record {
        id: Id::default(),
        data: [("flow".to_string(), serde_json::json!(value))].into(),
        expiry_date: OffsetDateTime::now_utc() + time::Duration::seconds(expires_in_secs),
    }
}

async fn sessions_conform<S: SessionStore + Clone>(engine: &str, store: S) {
    // Create, load, save, load.
    let mut live = record(600, 1);
    store.create(&mut live).await.unwrap();
    let loaded = store.load(&live.id).await.unwrap().expect(engine);
    assert_eq!(loaded.data, live.data, "{engine}");
    live.data.insert("flow".into(), serde_json::json!(2));
    store.save(&live).await.unwrap();
    assert_eq!(
        store.load(&live.id).await.unwrap().unwrap().data["flow"],
        2,
        "{engine}"
    );

    // A create that collides gets a new id; both records stay.
    let mut twin = record(600, 3);
    twin.id = live.id;
    store.create(&mut twin).await.unwrap();
    assert_ne!(twin.id, live.id, "{engine}: collision resolved");
    assert_eq!(store.load(&live.id).await.unwrap().unwrap().data["flow"], 2);
    assert_eq!(store.load(&twin.id).await.unwrap().unwrap().data["flow"], 3);

    // Expired records are never loaded.
    let mut expired = record(-1, 4);
    store.create(&mut expired).await.unwrap();
    assert!(store.load(&expired.id).await.unwrap().is_none(), "{engine}");

    // Delete.
    store.delete(&twin.id).await.unwrap();
    assert!(store.load(&twin.id).await.unwrap().is_none(), "{engine}");

    // A late save of a deleted record (a rotated or ended session) does
    // not bring it back: saves only update.
    store.save(&twin).await.unwrap();
    assert!(
        store.load(&twin.id).await.unwrap().is_none(),
        "{engine}: a save brought a deleted record back"
    );

    // cycle_id through the session API: the old id finds nothing, the new
    // one finds the same data.
    let session = Session::new(Some(live.id), Arc::new(store.clone()), None);
    assert_eq!(session.get::<i64>("flow").await.unwrap(), Some(2));
    session.cycle_id().await.unwrap();
    session.save().await.unwrap();
    let new_id = session.id().expect("a new id");
    assert_ne!(new_id, live.id, "{engine}");
    assert!(store.load(&live.id).await.unwrap().is_none(), "{engine}");
    assert_eq!(
        store.load(&new_id).await.unwrap().unwrap().data["flow"],
        2,
        "{engine}"
    );
}

/// A session as a browser holding `id` would see it through the portal's
/// backend.
fn browser(store: &SessionBackend, id: Option<Id>) -> Session {
    Session::new(id, Arc::new(store.clone()), None)
}

/// security `rotated-id-grace`: after a rotation, the old id leads to the
/// same one flow for the grace (moved back under it, never copied), a
/// rotation interrupted before its write keeps the old record whole, and
/// after the grace the old id finds nothing. A start over still deletes.
async fn rotation_grace_conforms(engine: &str, make: Engine) {
    let grace = Duration::from_secs(2);
    let store = SessionBackend::new(make, Arc::new(Health::default()), grace);

    // A flow at step 3 under id A; the step rotates to B and saves.
    let a_side = browser(&store, None);
    a_side.insert("flow", 3).await.unwrap();
    a_side.save().await.unwrap();
    let a = a_side.id().unwrap();
    store.rotate(&a_side).await.unwrap();
    a_side.insert("flow", 4).await.unwrap();
    a_side.save().await.unwrap();
    let b = a_side.id().unwrap();
    assert_ne!(a, b, "{engine}: the id rotates");

    // The answer carrying B was lost: the browser comes back with A and
    // finds the flow as the step left it, under A.
    let retry = browser(&store, Some(a));
    assert_eq!(retry.get::<i64>("flow").await.unwrap(), Some(4), "{engine}");
    // One flow, not two: B now leads to the very record A holds, and
    // reading through B moves it under B (the id last used holds it).
    retry.insert("flow", 5).await.unwrap();
    retry.save().await.unwrap();
    assert_eq!(retry.id(), Some(a), "{engine}: no new cookie needed");
    let other_tab = browser(&store, Some(b));
    assert_eq!(
        other_tab.get::<i64>("flow").await.unwrap(),
        Some(5),
        "{engine}"
    );

    // A rotation whose write never happened (the instance died between
    // the two) leaves the old record as it was.
    let c_side = browser(&store, None);
    c_side.insert("flow", 7).await.unwrap();
    c_side.save().await.unwrap();
    let c = c_side.id().unwrap();
    store.rotate(&c_side).await.unwrap();
    drop(c_side);
    assert_eq!(
        browser(&store, Some(c)).get::<i64>("flow").await.unwrap(),
        Some(7),
        "{engine}: a crash mid-rotation lost the flow"
    );

    // After the grace, the pointer is gone; the flow itself is not.
    tokio::time::sleep(grace + Duration::from_millis(1100)).await;
    assert_eq!(
        browser(&store, Some(a)).get::<i64>("flow").await.unwrap(),
        None,
        "{engine}: the pointer outlived the grace"
    );
    let kept = browser(&store, Some(b));
    assert_eq!(kept.get::<i64>("flow").await.unwrap(), Some(5), "{engine}");

    // Start over (a flush) deletes for real: no grace for an ended flow.
    kept.flush().await.unwrap();
    assert_eq!(
        browser(&store, Some(b)).get::<i64>("flow").await.unwrap(),
        None,
        "{engine}"
    );
}

/// One event added to `key`'s window (no limit); when the count reaches
/// `empty_at`, the window is emptied, as a lockout does with its window.
async fn hit(
    counters: &dyn Counters,
    key: &CounterKey,
    window: Duration,
    empty_at: Option<u32>,
    now: i64,
) -> u32 {
    let ask = Ask {
        key: key.clone(),
        window,
        max: u32::MAX,
    };
    let taken = counters.reserve_many(&[ask], now).await.unwrap();
    let count = match taken.as_slice() {
        [Ok(reserved)] => reserved.count,
        other => panic!("an unlimited reservation was refused: {other:?}"),
    };
    if empty_at.is_some_and(|at| count >= at) {
        counters.clear(key).await.unwrap();
    }
    count
}

async fn counters_conform(engine: &str, counters: Arc<dyn Counters>) {
    let key = CounterKey::WrongAnswers(format!("{engine}-window"));
    let window = Duration::from_secs(15 * 60);
    let t0 = now_millis();

    // Sliding window.
    assert_eq!(counters.window(&key, window, t0).await.unwrap().count, 0);
    for (i, expected) in [1, 2, 3].into_iter().enumerate() {
        let at = t0 + i64::try_from(i).unwrap() * MIN;
        assert_eq!(
            hit(&*counters, &key, window, None, at).await,
            expected,
            "{engine}"
        );
    }
    let w = counters.window(&key, window, t0 + 2 * MIN).await.unwrap();
    assert_eq!((w.count, w.oldest), (3, Some(t0)), "{engine}");
    // Several windows read at once, each with its own length; a key never
    // counted reads 0.
    let unseen = CounterKey::WrongCodes(format!("{engine}-unseen"));
    let read = counters
        .counts(
            &[
                (key.clone(), window),
                (unseen, window),
                (key.clone(), Duration::from_secs(90)),
            ],
            t0 + 2 * MIN,
        )
        .await
        .unwrap();
    assert_eq!(read, [3, 0, 2], "{engine}");
    // The first event leaves the window exactly one window later.
    let w = counters
        .window(&key, window, t0 + millis(window))
        .await
        .unwrap();
    assert_eq!((w.count, w.oldest), (2, Some(t0 + MIN)), "{engine}");

    // A hit that reaches `empty_at` empties the window.
    let full = CounterKey::WrongAnswers(format!("{engine}-full"));
    for expected in 1..=5 {
        let n = hit(&*counters, &full, window, Some(5), t0).await;
        assert_eq!(n, expected, "{engine}");
    }
    assert_eq!(
        counters.window(&full, window, t0).await.unwrap().count,
        0,
        "{engine}"
    );

    // Lockouts double, and a quiet day forgets them.
    let policy = LockoutPolicy::default();
    let lock = CounterKey::Lockout(format!("{engine}-lock"));
    assert_eq!(counters.lockout(&lock, &policy, t0).await.unwrap(), None);
    let mut now = t0;
    for (strikes, minutes) in [(1, 15), (2, 30), (3, 60)] {
        let l = counters.strike(&lock, &policy, now).await.unwrap();
        assert_eq!(l.strikes, strikes, "{engine}");
        assert_eq!(l.until - now, minutes * MIN, "{engine}");
        assert_eq!(
            counters.lockout(&lock, &policy, now).await.unwrap(),
            Some(l)
        );
        now = l.until;
    }
    let forgotten = now + millis(policy.forget_after);
    assert_eq!(
        counters.lockout(&lock, &policy, forgotten).await.unwrap(),
        None,
        "{engine}"
    );
    assert_eq!(
        counters
            .strike(&lock, &policy, forgotten)
            .await
            .unwrap()
            .strikes,
        1
    );

    // The per-address bucket: a burst, then a wait; another address is free.
    let a: IpAddr = "192.0.2.1".parse().unwrap();
    for i in 0..RATE.burst {
        assert_eq!(
            counters.take_token(a).await.unwrap(),
            Ok(()),
            "{engine} token {i}"
        );
    }
    let wait = counters.take_token(a).await.unwrap().expect_err(engine);
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_secs(1),
        "{engine}: {wait:?}"
    );
    assert_eq!(
        counters
            .take_token("192.0.2.2".parse().unwrap())
            .await
            .unwrap(),
        Ok(())
    );

    // 100 increments at once: exactly 100, each seeing a different count.
    let key = CounterKey::CodeEmails(format!("{engine}-parallel"));
    let hits: Vec<_> = (0..100)
        .map(|_| {
            let counters = counters.clone();
            let key = key.clone();
            tokio::spawn(async move { hit(&*counters, &key, window, None, now_millis()).await })
        })
        .collect();
    let mut seen = BTreeSet::new();
    for hit in hits {
        seen.insert(hit.await.unwrap());
    }
    assert_eq!(seen, (1..=100).collect(), "{engine}: every count seen once");
    assert_eq!(
        counters
            .window(&key, window, now_millis())
            .await
            .unwrap()
            .count,
        100,
        "{engine}"
    );

    // 40 reservations at once under a limit of 5: exactly 5 taken; one
    // given back makes room for exactly one more.
    let limited = Ask {
        key: CounterKey::WrongCodes(format!("{engine}-limited")),
        window,
        max: 5,
    };
    let tries: Vec<_> = (0..40)
        .map(|_| {
            let counters = counters.clone();
            let ask = limited.clone();
            tokio::spawn(async move { counters.reserve_many(&[ask], now_millis()).await })
        })
        .collect();
    let mut taken = Vec::new();
    for tried in tries {
        if let [Ok(reserved)] = tried.await.unwrap().unwrap().as_slice() {
            taken.push(reserved.clone());
        }
    }
    assert_eq!(taken.len(), 5, "{engine}: reservations past the limit");
    counters.release_many(&taken[..1]).await.unwrap();
    let again = counters
        .reserve_many(&[limited.clone(), limited.clone()], now_millis())
        .await
        .unwrap();
    assert!(again[0].is_ok() && again[1].is_err(), "{engine}: {again:?}");

    // A lease: one holder at a time, given back only by its holder.
    let lease = CounterKey::StepLease(format!("{engine}-lease"));
    let ttl = Duration::from_secs(30);
    assert!(
        counters.lease(&lease, "a", ttl, t0).await.unwrap(),
        "{engine}"
    );
    assert!(
        !counters.lease(&lease, "b", ttl, t0).await.unwrap(),
        "{engine}"
    );
    counters.unlease(&lease, "b", &[]).await.unwrap();
    assert!(
        !counters.lease(&lease, "b", ttl, t0).await.unwrap(),
        "{engine}"
    );
    // Its holder gives it back and, in the same call, a reservation its
    // step did not spend: the full window has room for exactly one more.
    counters.unlease(&lease, "a", &taken[1..2]).await.unwrap();
    assert!(
        counters.lease(&lease, "b", ttl, t0).await.unwrap(),
        "{engine}"
    );
    let after = counters
        .reserve_many(&[limited.clone(), limited.clone()], now_millis())
        .await
        .unwrap();
    assert!(
        after[0].is_ok() && after[1].is_err(),
        "{engine}: given back with the lease: {after:?}"
    );

    // Its holder renews it while a long step runs; once the holder stops
    // (an instance killed mid-step), it expires within one ttl.
    let renewed = CounterKey::StepLease(format!("{engine}-renewed"));
    let ttl = Duration::from_millis(1500);
    let pause = Duration::from_millis(1000);
    assert!(counters
        .lease(&renewed, "a", ttl, now_millis())
        .await
        .unwrap());
    tokio::time::sleep(pause).await;
    assert!(counters
        .lease(&renewed, "a", ttl, now_millis())
        .await
        .unwrap());
    tokio::time::sleep(pause).await;
    assert!(
        !counters
            .lease(&renewed, "b", ttl, now_millis())
            .await
            .unwrap(),
        "{engine}: the renewal did not hold"
    );
    tokio::time::sleep(ttl).await;
    assert!(
        counters
            .lease(&renewed, "b", ttl, now_millis())
            .await
            .unwrap(),
        "{engine}: a lease no longer renewed did not expire"
    );

    // Concurrent strikes: each one counted.
    let lock = CounterKey::Lockout(format!("{engine}-parallel-lock"));
    let strikes: Vec<_> = (0..10)
        .map(|_| {
            let counters = counters.clone();
            let lock = lock.clone();
            tokio::spawn(async move { counters.strike(&lock, &policy, t0).await })
        })
        .collect();
    let mut seen = BTreeSet::new();
    for strike in strikes {
        seen.insert(strike.await.unwrap().unwrap().strikes);
    }
    assert_eq!(seen, (1..=10).collect(), "{engine}");
    counters.ping().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_conforms() {
    sessions_conform("memory", MemorySessions::new(1000)).await;
    rotation_grace_conforms("memory", Engine::Memory(MemorySessions::new(1000))).await;
    counters_conform("memory", Arc::new(MemoryCounters::new(RATE))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_conforms_and_sweeps_what_expired() {
    let dir = support::TempDir::new("store-conformance");
    // The directory is created when missing.
    let path = dir.0.join("nested").join("portal.db");
    let db = Arc::new(SqliteDb::open(&path, RATE).await.unwrap());
    sessions_conform("sqlite", db.sessions()).await;
    rotation_grace_conforms("sqlite", Engine::Sqlite(db.sessions())).await;
    counters_conform("sqlite", db.clone()).await;
    assert!(path.exists());

    // The sweep removes expired counters, buckets and lockouts, not live ones.
    let live = CounterKey::CodeEmails("sweep".into());
    hit(&*db, &live, Duration::from_secs(3600), None, now_millis()).await;
    assert_eq!(
        db.sweep(now_millis()).await.unwrap(),
        0,
        "nothing live is swept"
    );
    let removed = db.sweep(now_millis() + 2 * 24 * 60 * MIN).await.unwrap();
    assert!(removed >= 100, "removed {removed}");
    assert_eq!(
        db.window(&live, Duration::from_secs(3600), now_millis())
            .await
            .unwrap()
            .count,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_conforms_and_every_key_expires() {
    let redis = support::Redis::start().await;
    let db = Arc::new(
        RedisDb::connect(&redis.url, RATE, ReplicaWait::NONE)
            .await
            .unwrap(),
    );
    sessions_conform("redis", db.sessions()).await;
    rotation_grace_conforms("redis", Engine::Redis(db.sessions())).await;
    counters_conform("redis", db.clone()).await;

    // Redis forgets by itself: every key the portal wrote carries a TTL.
    let port = redis.url.rsplit(':').next().unwrap();
    let cli = |args: &[&str]| {
        let out = std::process::Command::new("redis-cli")
            .args(["-p", port])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let keys = cli(&["--scan", "--pattern", "portal:*"]);
    let keys: Vec<&str> = keys.lines().collect();
    assert!(keys.len() >= 6, "{keys:?}");
    for key in keys {
        let ttl: i64 = cli(&["PTTL", key]).trim().parse().unwrap();
        assert!(ttl > 0, "{key} has no TTL ({ttl})");
    }
}

/// security `replica-acked-writes`: with `redis_wait_replicas = 1` a
/// session write returns only once the replica holds it; a replica that
/// doesn't answer costs at most the wait, and is counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_session_writes_wait_for_a_replica() {
    let master = support::Redis::start().await;
    let replica = support::Redis::replica_of(&master).await;
    let wait = ReplicaWait {
        replicas: 1,
        timeout: Duration::from_millis(300),
    };
    let db = RedisDb::connect(&master.url, RATE, wait).await.unwrap();
    let store = db.sessions();
    let on_replica = RedisDb::connect(&replica.url, RATE, ReplicaWait::NONE)
        .await
        .unwrap()
        .sessions();
    // Held by the replica the moment the write returns.
    for n in 0..20 {
        let mut written = record(600, n);
        store.create(&mut written).await.unwrap();
        let copy = on_replica.load(&written.id).await.unwrap();
        assert_eq!(copy.map(|r| r.data), Some(written.data), "write {n}");
    }
    assert_eq!(db.replica_wait_timeouts(), 0);

    // A frozen replica: the write waits out the timeout, then goes on.
    replica.pause();
    let started = std::time::Instant::now();
    let mut written = record(600, 99);
    store.create(&mut written).await.unwrap();
    let waited = started.elapsed();
    replica.resume();
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    assert!(waited < Duration::from_millis(1500), "{waited:?}");
    assert_eq!(db.replica_wait_timeouts(), 1);
    assert!(store.load(&written.id).await.unwrap().is_some());
}

//! The store across processes: real portal binaries, one standalone
//! sandbox process (so AutoShares' codes and tokens outlive any portal),
//! an SQLite file, and a `redis-server` of the test's own. Every step is a
//! plain form post, as a browser with JavaScript off sends it; the store
//! outage test also calls the steps as the hydrated client does.

mod support;

use reqwest::StatusCode;
use support::{Answer, Portal, Redis, Sandbox, TempDir, BIN};

const NEW_PASSWORD: &str = "a long new passphrase for the store test";

/// The message every store outage shows a trader.
const UNAVAILABLE: &str = "temporarily unavailable";

/// A portal against the sandbox process, on `store`, plus `extra` settings.
async fn start(sandbox: &Sandbox, store: &str, extra: &[(&str, &str)]) -> Portal {
    Portal::builder(BIN)
        .upstream(sandbox)
        .store(store)
        .envs(extra)
        .start()
        .await
}

fn assert_redirect(answer: &Answer, to: &str) {
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{answer:?}");
    assert!(
        answer.location.ends_with(to),
        "expected a redirect to {to}: {answer:?}"
    );
}

/// Steps 1 and 2 for alice: the question asked and answered, a code sent.
async fn answered(portal: &Portal) -> String {
    let step1 = portal.post("/api/login", "", &[("login", "alice")]).await;
    assert_redirect(&step1, "/question");
    let step2 = portal
        .post("/api/answer", &step1.cookie, &[("answer", "Peterson")])
        .await;
    assert_redirect(&step2, "/code");
    step2.cookie
}

async fn finish(code_portal: &Portal, password_portal: &Portal, sandbox: &Sandbox, cookie: &str) {
    let code = sandbox.latest_code("alice").await;
    let step3 = code_portal
        .post("/api/code", cookie, &[("code", &code)])
        .await;
    assert_redirect(&step3, "/password");
    let step4 = password_portal
        .post(
            "/api/password",
            &step3.cookie,
            &[("password", NEW_PASSWORD), ("confirmation", NEW_PASSWORD)],
        )
        .await;
    assert_redirect(&step4, "/done");
    assert_eq!(
        sandbox.sign_in_status("alice", NEW_PASSWORD).await,
        StatusCode::OK,
        "the new password works at the sandbox's /token"
    );
}

#[tokio::test]
async fn a_reset_survives_kill_9_on_sqlite() {
    let sandbox = Sandbox::start(BIN).await;
    let dir = TempDir::new("store-kill9");
    let store = format!("sqlite:{}", dir.file("portal.db"));
    let first = start(&sandbox, &store, &[]).await;
    let cookie = answered(&first).await;
    first.kill_9();

    let second = start(&sandbox, &store, &[]).await;
    let page = second.page("/code", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("one-time-code"),
        "the code step, not expired"
    );
    finish(&second, &second, &sandbox, &cookie).await;
}

#[tokio::test]
async fn a_reset_moves_between_instances_on_redis() {
    let sandbox = Sandbox::start(BIN).await;
    let redis = Redis::start().await;
    let a = start(&sandbox, &redis.url, &[]).await;
    let b = start(&sandbox, &redis.url, &[]).await;
    let step1 = a.post("/api/login", "", &[("login", "alice")]).await;
    assert_redirect(&step1, "/question");
    let step2 = b
        .post("/api/answer", &step1.cookie, &[("answer", "Peterson")])
        .await;
    assert_redirect(&step2, "/code");
    finish(&a, &b, &sandbox, &step2.cookie).await;
}

async fn wrong_answer(portal: &Portal, cookie: &str) -> Answer {
    portal
        .post("/api/answer", cookie, &[("answer", "not the answer")])
        .await
}

#[tokio::test]
async fn limits_add_up_across_instances_on_redis() {
    let sandbox = Sandbox::start(BIN).await;
    let redis = Redis::start().await;
    // Wide per-address buckets here; they get their own check below.
    // Proofs of work off: the fifth wrong answer would ask for one.
    let wide = [
        ("PORTAL_IP_BURST", "1000"),
        ("PORTAL_CHALLENGE_AT_PERCENT", "0"),
    ];
    let a = start(&sandbox, &redis.url, &wide).await;
    let b = start(&sandbox, &redis.url, &wide).await;

    // Wrong answers: 3 on A and 2 on B, in separate flows, lock alice out
    // on both.
    let on_a = a.post("/api/login", "", &[("login", "alice")]).await.cookie;
    for _ in 0..3 {
        let wrong = wrong_answer(&a, &on_a).await;
        assert_eq!(wrong.error(), "\"WrongAnswer\"", "{wrong:?}");
    }
    let on_b = b.post("/api/login", "", &[("login", "alice")]).await.cookie;
    let fourth = wrong_answer(&b, &on_b).await;
    assert_eq!(fourth.error(), "\"WrongAnswer\"", "{fourth:?}");
    let fifth = wrong_answer(&b, &on_b).await;
    assert_redirect(&fifth, "/expired");
    let page = b.page("/expired", &fifth.cookie).await;
    assert!(page.body.contains("Too many attempts"), "{}", page.body);
    assert!(page.body.contains("15 minutes"), "{}", page.body);
    // A is locked too: even the right answer is refused now.
    let right = a
        .post("/api/answer", &on_a, &[("answer", "Peterson")])
        .await;
    assert!(right.error().contains("TooManyAttempts"), "{right:?}");
    let before = sandbox.codes_sent("alice").await;
    assert_eq!(before, 0, "no code was sent to a locked-out login");

    // Code emails: bob (no question) gets one per flow; the hourly budget
    // of 3 is spent across both instances.
    for portal in [&a, &b, &a] {
        let sent = portal.post("/api/login", "", &[("login", "bob")]).await;
        assert_redirect(&sent, "/code");
    }
    let fourth = b.post("/api/login", "", &[("login", "bob")]).await;
    assert_eq!(
        fourth.error(),
        r#"{"TooManyCodes":{"max":3}}"#,
        "{fourth:?}"
    );
    assert_eq!(sandbox.codes_sent("bob").await, 3);
}

#[tokio::test]
async fn the_per_address_bucket_is_shared_across_instances_on_redis() {
    let sandbox = Sandbox::start(BIN).await;
    let redis = Redis::start().await;
    let narrow = [("PORTAL_IP_BURST", "4"), ("PORTAL_IP_RATE_PER_MINUTE", "1")];
    let a = start(&sandbox, &redis.url, &narrow).await;
    let b = start(&sandbox, &redis.url, &narrow).await;
    let mut statuses = Vec::new();
    for portal in [&a, &b, &a, &b, &a, &b] {
        let answer = portal.post("/api/login", "", &[("login", "nobody")]).await;
        statuses.push(answer.status);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::SEE_OTHER,
            StatusCode::SEE_OTHER,
            StatusCode::SEE_OTHER,
            StatusCode::SEE_OTHER,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::TOO_MANY_REQUESTS,
        ]
    );
}

#[tokio::test]
async fn lockouts_survive_a_restart_on_sqlite() {
    let sandbox = Sandbox::start(BIN).await;
    let dir = TempDir::new("store-lockout");
    let store = format!("sqlite:{}", dir.file("portal.db"));
    // No PORTAL_HMAC_KEY: the file keeps a generated one, so the restarted
    // portal hashes alice alike and finds her lockout.
    // Proofs of work off: the fifth wrong answer would ask for one.
    let no_key = [
        ("PORTAL_HMAC_KEY", ""),
        ("PORTAL_CHALLENGE_AT_PERCENT", "0"),
    ];
    let first = start(&sandbox, &store, &no_key).await;
    let cookie = first
        .post("/api/login", "", &[("login", "alice")])
        .await
        .cookie;
    for _ in 0..4 {
        wrong_answer(&first, &cookie).await;
    }
    assert_redirect(&wrong_answer(&first, &cookie).await, "/expired");
    drop(first);

    let second = start(&sandbox, &store, &no_key).await;
    let cookie = second
        .post("/api/login", "", &[("login", "alice")])
        .await
        .cookie;
    let right = second
        .post("/api/answer", &cookie, &[("answer", "Peterson")])
        .await;
    assert_eq!(
        right.error(),
        r#"{"TooManyAttempts":{"minutes":15}}"#,
        "{right:?}"
    );
    assert_eq!(sandbox.codes_sent("alice").await, 0);
}

#[tokio::test]
async fn a_frozen_redis_pauses_the_reset_calmly_and_it_resumes() {
    let sandbox = Sandbox::start(BIN).await;
    let redis = Redis::start().await;
    let portal = start(&sandbox, &redis.url, &[]).await;
    let cookie = answered(&portal).await;
    let ready = portal.page("/readyz", "").await;
    assert_eq!(ready.status, StatusCode::OK, "{ready:?}");

    redis.pause();
    let calls_before = sandbox.calls().await.total();
    // JavaScript off: back to the page, which says so calmly.
    let code = sandbox.latest_code("alice").await;
    let posted = portal.post("/api/code", &cookie, &[("code", &code)]).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{posted:?}");
    assert_eq!(posted.error(), "\"Unavailable\"", "{posted:?}");
    let page = portal.page("/code", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(UNAVAILABLE), "{}", page.body);
    // JavaScript on: the error the client decodes, never a 500.
    let called = portal.call("/api/code", &cookie, &[("code", &code)]).await;
    assert!(
        called.status.is_client_error() || called.status == StatusCode::SERVICE_UNAVAILABLE,
        "{called:?}"
    );
    assert_eq!(called.body, "\"Unavailable\"");
    let ready = portal.page("/readyz", "").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        ready.body.contains("\"store\":\"unavailable\""),
        "{}",
        ready.body
    );
    assert_eq!(
        sandbox.sign_in_status("alice", NEW_PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    // Limits fail closed: nothing reached AutoShares while the portal
    // could not count (the sign-in above is the sandbox's own /token).
    assert_eq!(sandbox.calls().await.total(), calls_before + 1);

    redis.resume();
    let ready = portal.page("/readyz", "").await;
    assert_eq!(ready.status, StatusCode::OK, "{ready:?}");
    // The same flow goes on with the same cookie and code.
    finish(&portal, &portal, &sandbox, &cookie).await;

    let log = portal.log_text();
    assert_eq!(
        log.matches("event=\"store_unavailable\"").count(),
        1,
        "{log}"
    );
    assert_eq!(log.matches("event=\"store_recovered\"").count(), 1, "{log}");
}

#[tokio::test]
async fn a_locked_sqlite_file_pauses_calmly_and_the_reset_resumes() {
    let sandbox = Sandbox::start(BIN).await;
    let dir = TempDir::new("store-locked");
    let path = dir.file("portal.db");
    let portal = start(&sandbox, &format!("sqlite:{path}"), &[]).await;
    let cookie = answered(&portal).await;
    // Readiness asks AutoShares at most every 30 s: ask now, so the probe
    // below makes no upstream call of its own.
    assert_eq!(portal.page("/readyz", "").await.status, StatusCode::OK);

    // Another process holds the write lock (as a stuck backup or a second
    // writer would): the portal waits its busy timeout, then says so.
    let locker = tokio_rusqlite::Connection::open(&path).await.unwrap();
    locker
        .call(|c| c.execute_batch("begin exclusive"))
        .await
        .unwrap();
    let calls_before = sandbox.calls().await.total();
    let code = sandbox.latest_code("alice").await;
    let posted = portal.post("/api/code", &cookie, &[("code", &code)]).await;
    assert_eq!(posted.error(), "\"Unavailable\"", "{posted:?}");
    let called = portal.call("/api/code", &cookie, &[("code", &code)]).await;
    assert_eq!(called.body, "\"Unavailable\"", "{called:?}");
    assert_ne!(called.status, StatusCode::INTERNAL_SERVER_ERROR);
    let ready = portal.page("/readyz", "").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE, "{ready:?}");
    assert_eq!(sandbox.calls().await.total(), calls_before, "fail closed");

    locker.call(|c| c.execute_batch("rollback")).await.unwrap();
    finish(&portal, &portal, &sandbox, &cookie).await;
}

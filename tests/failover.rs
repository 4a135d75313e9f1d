//! Game days (security M): a part dies while traders keep going, and the
//! test judges by what the traders saw. Every engine is the test's own:
//! real `redis-server`s and `redis-sentinel`s on free loopback ports.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use support::*;

/// Traders in the game day.
const TRADERS: usize = 12;

/// What one trader's post led to.
enum Went {
    /// On to this page.
    On(String),
    /// A calm error on the same page: a person tries again.
    Again,
}

/// A trader's post of one step, as a browser without JavaScript sends it.
/// The cookie is replaced by the one the answer set.
async fn post(
    portal: &Portal,
    cookie: &mut String,
    path: &str,
    from: &str,
    form: &[(&str, &str)],
    server_errors: &mut usize,
) -> Went {
    let response = portal
        .post_form(path, Some(cookie.as_str()), from, form)
        .await;
    let answer = Answer::read(response, cookie).await;
    if answer.status.is_server_error() {
        *server_errors += 1;
    }
    *cookie = answer.cookie.clone();
    if answer.location.contains("__err=") || answer.location.is_empty() {
        Went::Again
    } else {
        Went::On(answer.location)
    }
}

/// One trader finishing a reset from wherever they stand (`/code` or
/// `/password`), alternating instances, retrying a step that met an error
/// as a person would. Returns when they read "done", and when their first
/// step after `since` went through.
async fn finish(
    portals: &[Arc<Portal>],
    sandbox: &SandboxClient,
    login: String,
    mut cookie: String,
    mut at: String,
    since: Instant,
) -> Trip {
    let password = format!("Game-day passphrase for {login}");
    let deadline = Instant::now() + Duration::from_secs(45);
    let mut server_errors = 0;
    let mut resent = 0;
    let mut first_step = None;
    let mut turn = 0;
    while at != "/done" {
        if Instant::now() > deadline {
            return Trip {
                outcome: Err(format!("{login}: still at {at} after 45 s")),
                first_step,
                server_errors,
                resent,
            };
        }
        turn += 1;
        let portal = &portals[turn % portals.len()];
        let went = match at.as_str() {
            "/code" => {
                let unused = sandbox.mailbox(&login).await.into_iter().find(|m| !m.used);
                let Some(code) = unused.map(|mail| mail.code) else {
                    // The code was spent upstream but the step's outcome
                    // was not kept: a trader would ask for a new one.
                    resent += 1;
                    post(
                        portal,
                        &mut cookie,
                        "/api/resend",
                        "/code",
                        &[],
                        &mut server_errors,
                    )
                    .await;
                    continue;
                };
                post(
                    portal,
                    &mut cookie,
                    "/api/code",
                    "/code",
                    &[("code", &code)],
                    &mut server_errors,
                )
                .await
            }
            "/password" => {
                post(
                    portal,
                    &mut cookie,
                    "/api/password",
                    "/password",
                    &[("password", &password), ("confirmation", &password)],
                    &mut server_errors,
                )
                .await
            }
            lost => {
                return Trip {
                    outcome: Err(format!("{login}: sent to {lost}")),
                    first_step,
                    server_errors,
                    resent,
                };
            }
        };
        match went {
            Went::On(next) => {
                first_step.get_or_insert_with(|| since.elapsed());
                at = next;
            }
            Went::Again => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    if sandbox.sign_in_status(&login, &password).await != 200 {
        return Trip {
            outcome: Err(format!("{login}: done, but the password did not change")),
            first_step,
            server_errors,
            resent,
        };
    }
    Trip {
        outcome: Ok(()),
        first_step,
        server_errors,
        resent,
    }
}

/// How one trader's reset went.
struct Trip {
    outcome: Result<(), String>,
    /// When their first step after the start went through.
    first_step: Option<Duration>,
    /// Answers with a 5xx status.
    server_errors: usize,
    /// New codes asked for because a spent code's step was not kept.
    resent: usize,
}

/// security `replica-acked-writes`: two portals on Redis behind Sentinel
/// (a master, a replica, three sentinels), eight traders mid-reset. The
/// master is killed with `-9`; Sentinel promotes the replica; every
/// trader finishes on it, on either instance: no flow lost, no 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sentinel_failover_mid_reset_loses_no_flow() {
    let mut group = SentinelGroup::start().await;
    let sandbox = Sandbox::start(BIN).await;
    let client = sandbox.client().clone();
    assert!(client
        .add_users("gameday", TRADERS as u32)
        .await
        .is_success());
    let mut portals = Vec::new();
    for _ in 0..2 {
        let portal = Portal::builder(BIN)
            .upstream(&sandbox)
            .store(&group.url)
            .env("PORTAL_REDIS_WAIT_REPLICAS", "1")
            .env("PORTAL_IP_BURST", "10000")
            .start()
            .await;
        portals.push(Arc::new(portal));
    }

    // Every trader starts on one instance; half post their code on the
    // other before the master dies.
    let mut traders = Vec::new();
    for i in 0..TRADERS {
        let login = format!("gameday-{i}");
        let mut cookie = String::new();
        let mut errors = 0;
        let went = post(
            &portals[i % 2],
            &mut cookie,
            "/api/login",
            "/",
            &[("login", &login)],
            &mut errors,
        )
        .await;
        let Went::On(at) = went else {
            panic!("{login}: step 1 failed before the game day began")
        };
        assert_eq!(at, "/code", "{login}");
        let at = if i % 2 == 0 {
            let code = client.latest_code(&login).await;
            let went = post(
                &portals[(i + 1) % 2],
                &mut cookie,
                "/api/code",
                "/code",
                &[("code", &code)],
                &mut errors,
            )
            .await;
            let Went::On(at) = went else {
                panic!("{login}: step 3 failed before the game day began")
            };
            at
        } else {
            at
        };
        traders.push((login, cookie, at));
    }

    // AutoShares answers in 150 ms, so the traders' next steps are in
    // flight (between their upstream call and their session write) when
    // the master dies.
    for endpoint in ["code", "password", "token"] {
        let status = client
            .set_fault(endpoint, serde_json::json!({ "latency_ms": 150 }))
            .await;
        assert!(status.is_success(), "{endpoint}: {status}");
    }
    let started = Instant::now();
    let runs: Vec<_> = traders
        .into_iter()
        .map(|(login, cookie, at)| {
            let portals = portals.clone();
            let client = client.clone();
            tokio::spawn(async move { finish(&portals, &client, login, cookie, at, started).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(160)).await;
    group.kill_master();
    let killed = Instant::now();
    let mut lost = Vec::new();
    let mut first_steps = Vec::new();
    let mut server_errors = 0;
    let mut resent = 0;
    for run in runs {
        let trip = run.await.expect("a trader's task");
        if let Err(why) = trip.outcome {
            lost.push(why);
        }
        first_steps.extend(trip.first_step);
        server_errors += trip.server_errors;
        resent += trip.resent;
    }
    let first = first_steps.iter().min().copied();
    println!(
        "game day (sentinel): {TRADERS} resets, {} lost, {resent} steps redone, {server_errors} answers 5xx, first step {first:?} after the traders set off (the kill at 160 ms), all done {:?} after the kill",
        lost.len(),
        killed.elapsed()
    );
    assert!(group.promoted(), "Sentinel never promoted the replica");
    assert!(lost.is_empty(), "{lost:#?}");
    assert_eq!(server_errors, 0);
    assert_eq!(resent, 0, "a step that happened upstream was not kept");
}

//! Game days (security M): a part dies while traders keep going, and the
//! tests judge by what the traders saw. Every engine is the test's own:
//! real `redis-server`s, `redis-sentinel`s and `haproxy` on free loopback
//! ports, each stopped at the end.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::*;

/// What one trader's post led to.
enum Went {
    /// On to this page.
    On(String),
    /// A calm error on the same page, a 5xx or a dropped connection: a
    /// person tries again.
    Again,
}

/// What went wrong on the way, beyond the pages.
#[derive(Debug, Default)]
struct Seen {
    /// 500 answers (the portal must never give one).
    internal_errors: usize,
    /// 502, 503 and 504 answers (a balancer's, for an instance it lost).
    balancer_errors: usize,
    /// Connections dropped without an answer.
    dropped: usize,
    /// New codes sent because a spent code's step was not kept.
    resent: usize,
    /// Times a trader read "your password may already be changed".
    unsure: usize,
    /// ... and signing in showed it was not: they started over.
    unsure_not_set: usize,
    /// When the first step after the clock started went through.
    first_step: Option<Duration>,
    /// The longest a trader kept trying one step before it went through.
    longest_wait: Duration,
}

impl Seen {
    fn add(&mut self, other: &Seen) {
        self.internal_errors += other.internal_errors;
        self.balancer_errors += other.balancer_errors;
        self.dropped += other.dropped;
        self.resent += other.resent;
        self.unsure += other.unsure;
        self.unsure_not_set += other.unsure_not_set;
        self.longest_wait = self.longest_wait.max(other.longest_wait);
        self.first_step = match (self.first_step, other.first_step) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

/// One trader: their login, the cookie their browser holds, the page
/// they are on.
struct Trader {
    login: String,
    cookie: String,
    at: String,
    resets: usize,
}

impl Trader {
    fn new(login: String) -> Trader {
        Trader {
            login,
            cookie: String::new(),
            at: "/".into(),
            resets: 0,
        }
    }

    /// A post of one step, as a browser without JavaScript sends it; the
    /// cookie becomes the one the answer set.
    async fn post(
        &mut self,
        door: &Door,
        path: &str,
        form: &[(&str, &str)],
        seen: &mut Seen,
    ) -> Went {
        let sent = (!self.cookie.is_empty()).then_some(self.cookie.as_str());
        let response = match door.try_post_form(path, sent, &self.at, form).await {
            Ok(response) => response,
            Err(_) => {
                seen.dropped += 1;
                return Went::Again;
            }
        };
        let answer = Answer::read(response, &self.cookie).await;
        match answer.status.as_u16() {
            500 => seen.internal_errors += 1,
            502..=504 => seen.balancer_errors += 1,
            _ => {}
        }
        self.cookie = answer.cookie.clone();
        if answer.location.contains("__err=") || answer.location.is_empty() {
            Went::Again
        } else {
            Went::On(answer.location)
        }
    }

    /// One whole reset from wherever the trader stands, through `doors`
    /// in turn, each failed step tried again after 200 ms as a person
    /// would, until "done" (and the new password signs in) or `deadline`.
    /// `Err` says where the flow was lost.
    async fn reset(
        &mut self,
        doors: &[Door],
        sandbox: &SandboxClient,
        since: Instant,
        deadline: Instant,
        seen: &mut Seen,
    ) -> Result<(), String> {
        let password = format!("Game-day passphrase {} of {}", self.resets, self.login);
        let login = self.login.clone();
        let mut turn = 0;
        let mut trying_since = Instant::now();
        loop {
            if Instant::now() > deadline {
                return Err(format!("{login}: still at {} at the deadline", self.at));
            }
            turn += 1;
            let door = &doors[turn % doors.len()];
            let went = match self.at.as_str() {
                "/" => {
                    self.post(door, "/api/login", &[("login", &login)], seen)
                        .await
                }
                "/code" => {
                    let unused = sandbox.mailbox(&login).await.into_iter().find(|m| !m.used);
                    match unused.map(|mail| mail.code) {
                        Some(code) => self.post(door, "/api/code", &[("code", &code)], seen).await,
                        None => {
                            // The code was spent upstream but the step's
                            // outcome was not kept: a trader asks for a
                            // new one (and tries again in a moment if
                            // that is refused too).
                            match self.post(door, "/api/resend", &[], seen).await {
                                Went::On(_) => seen.resent += 1,
                                Went::Again => {
                                    tokio::time::sleep(Duration::from_millis(200)).await;
                                }
                            }
                            continue;
                        }
                    }
                }
                "/password" => {
                    let form = [("password", password.as_str()), ("confirmation", &password)];
                    self.post(door, "/api/password", &form, seen).await
                }
                lost => return Err(format!("{login}: sent to {lost}")),
            };
            match went {
                Went::On(next) if next == "/password" && self.at == "/password" => {
                    // "Your password may already be changed": the trader
                    // tries signing in, and starts over if that fails.
                    seen.unsure += 1;
                    if sandbox.sign_in_status(&login, &password).await == 200 {
                        break;
                    }
                    seen.unsure_not_set += 1;
                    self.post(door, "/api/start-over", &[], seen).await;
                    self.at = "/".into();
                }
                Went::On(next) => {
                    seen.first_step.get_or_insert_with(|| since.elapsed());
                    seen.longest_wait = seen.longest_wait.max(trying_since.elapsed());
                    trying_since = Instant::now();
                    if next == "/" {
                        return Err(format!("{login}: sent back to the start from {}", self.at));
                    }
                    self.at = next;
                    if self.at == "/done" {
                        break;
                    }
                }
                Went::Again => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
        if sandbox.sign_in_status(&login, &password).await != 200 {
            return Err(format!("{login}: done, but the password did not change"));
        }
        self.resets += 1;
        // The next reset begins at the start page, in the same browser.
        self.at = "/".into();
        Ok(())
    }
}

/// Every post of the sandbox's answers takes `millis`, so steps are in
/// flight when a part dies.
async fn slow_upstream(sandbox: &SandboxClient, millis: u64) {
    for endpoint in ["secret_question", "reset", "code", "password", "token"] {
        let status = sandbox
            .set_fault(endpoint, serde_json::json!({ "latency_ms": millis }))
            .await;
        assert!(status.is_success(), "{endpoint}: {status}");
    }
}

/// The budgets a game day's repeated resets would otherwise meet: these
/// tests are about parts dying, not about limits.
const ROOMY: &[(&str, &str)] = &[
    ("PORTAL_IP_BURST", "100000"),
    ("PORTAL_IP_RATE_PER_MINUTE", "100000"),
    ("PORTAL_CODE_EMAILS_PER_HOUR", "1000"),
    ("PORTAL_PORTAL_CODE_EMAILS_PER_HOUR", "100000"),
];

/// security `replica-acked-writes`: two portals on Redis behind Sentinel
/// (a master, a replica, three sentinels), twelve traders mid-reset. The
/// master is killed with `-9` while their next steps are in flight;
/// Sentinel promotes the replica; every trader finishes on it, on either
/// instance: no flow lost, no step to redo, no 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sentinel_failover_mid_reset_loses_no_flow() {
    const TRADERS: usize = 12;
    let mut group = SentinelGroup::start().await;
    let sandbox = Sandbox::start(BIN).await;
    let client = sandbox.client().clone();
    assert!(client
        .add_users("gameday", TRADERS as u32)
        .await
        .is_success());
    let mut doors = Vec::new();
    let mut portals = Vec::new();
    for _ in 0..2 {
        let portal = Portal::builder(BIN)
            .upstream(&sandbox)
            .store(&group.url)
            .env("PORTAL_REDIS_WAIT_REPLICAS", "1")
            .envs(ROOMY)
            .start()
            .await;
        doors.push(portal.door());
        portals.push(portal);
    }

    // Every trader starts on one instance; half post their code on the
    // other before the master dies.
    let mut traders = Vec::new();
    for i in 0..TRADERS {
        let mut trader = Trader::new(format!("gameday-{i}"));
        let mut seen = Seen::default();
        assert!(matches!(
            trader.post(&doors[i % 2], "/api/login", &[("login", &trader.login.clone())], &mut seen).await,
            Went::On(ref at) if at == "/code"
        ));
        trader.at = "/code".into();
        if i % 2 == 0 {
            let code = client.latest_code(&trader.login).await;
            assert!(matches!(
                trader.post(&doors[(i + 1) % 2], "/api/code", &[("code", &code)], &mut seen).await,
                Went::On(ref at) if at == "/password"
            ));
            trader.at = "/password".into();
        }
        traders.push(trader);
    }

    slow_upstream(&client, 150).await;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(45);
    let runs: Vec<_> = traders
        .into_iter()
        .map(|mut trader| {
            let doors = doors.clone();
            let client = client.clone();
            tokio::spawn(async move {
                let mut seen = Seen::default();
                let outcome = trader
                    .reset(&doors, &client, started, deadline, &mut seen)
                    .await;
                (outcome, seen)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(160)).await;
    group.kill_master();
    let killed = Instant::now();
    let mut lost = Vec::new();
    let mut seen = Seen::default();
    for run in runs {
        let (outcome, trip) = run.await.expect("a trader's task");
        lost.extend(outcome.err());
        seen.add(&trip);
    }
    println!(
        "game day (sentinel): {TRADERS} resets, {} lost, {seen:?}, all done {:?} after the kill (at 160 ms)",
        lost.len(),
        killed.elapsed()
    );
    assert!(group.promoted(), "Sentinel never promoted the replica");
    assert!(lost.is_empty(), "{lost:#?}");
    assert_eq!(seen.internal_errors, 0);
    // Both instances lived: every step that happened upstream was kept
    // (session writes keep trying across the failover).
    assert_eq!(seen.resent, 0, "a step that happened upstream was not kept");
    assert_eq!(seen.unsure, 0, "a trader was left unsure of their password");
}

/// Two portals on one Redis, each on fixed ports so a restart comes back
/// where haproxy looks for it.
struct Instance {
    backend: Backend,
    portal: Option<Portal>,
}

async fn instance(sandbox: &Sandbox, store: &str, backend: Backend) -> Portal {
    Portal::builder(BIN)
        .upstream(sandbox)
        .store(store)
        .envs(ROOMY)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", backend.port))
        .env(
            "PORTAL_METRICS_ADDR",
            format!("127.0.0.1:{}", backend.ops_port),
        )
        .start()
        .await
}

/// security `rotated-id-grace`, `idempotent-steps`, `password-put-recorded`:
/// haproxy (round robin, no sticky sessions, `/readyz` checked on the
/// operators' port) in front of two instances on one Redis; traders reset
/// without pause while instance A is killed with `-9` at 3 s and started
/// again at 6 s. Every reset finishes, none is sent back to the start,
/// the portal never answers 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_instance_killed_behind_haproxy_loses_no_flow() {
    const TRADERS: usize = 16;
    let redis = Redis::start().await;
    let sandbox = Sandbox::start(BIN).await;
    let client = sandbox.client().clone();
    assert!(client
        .add_users("balanced", TRADERS as u32)
        .await
        .is_success());
    slow_upstream(&client, 50).await;
    let mut instances = Vec::new();
    for _ in 0..2 {
        let backend = Backend {
            port: free_port(),
            ops_port: free_port(),
        };
        let portal = instance(&sandbox, &redis.url, backend).await;
        instances.push(Instance {
            backend,
            portal: Some(portal),
        });
    }
    let backends: Vec<Backend> = instances.iter().map(|i| i.backend).collect();
    let haproxy = Haproxy::start(&backends).await;
    let doors = vec![haproxy.door.clone()];

    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let runs: Vec<_> = (0..TRADERS)
        .map(|i| {
            let doors = doors.clone();
            let client = client.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut trader = Trader::new(format!("balanced-{i}"));
                let mut seen = Seen::default();
                let mut lost = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let deadline = Instant::now() + Duration::from_secs(40);
                    if let Err(why) = trader
                        .reset(&doors, &client, started, deadline, &mut seen)
                        .await
                    {
                        lost.push(why);
                        // A lost flow: the trader starts again.
                        trader = Trader {
                            resets: trader.resets + 1,
                            ..Trader::new(trader.login.clone())
                        };
                    }
                }
                (trader.resets, lost, seen)
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_secs(3)).await;
    if let Some(a) = instances[0].portal.take() {
        a.kill_9();
    }
    let killed = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;
    instances[0].portal = Some(instance(&sandbox, &redis.url, instances[0].backend).await);
    tokio::time::sleep(Duration::from_secs(4)).await;
    stop.store(true, Ordering::Relaxed);

    let mut resets = 0;
    let mut lost = Vec::new();
    let mut seen = Seen::default();
    for run in runs {
        let (done, trip_lost, trip) = run.await.expect("a trader's task");
        resets += done;
        lost.extend(trip_lost);
        seen.add(&trip);
    }
    println!(
        "game day (haproxy, A killed at 3 s, back at 6 s): {resets} resets in {:?}, {} lost, {seen:?}, killed {:?} before the end",
        started.elapsed(),
        lost.len(),
        killed.elapsed()
    );
    assert!(resets >= TRADERS, "only {resets} resets");
    // A step caught on the dead instance waits out its step lease (6 s,
    // renewed only while its holder lives), not longer.
    assert!(
        seen.longest_wait < Duration::from_secs(10),
        "{:?}",
        seen.longest_wait
    );
    assert!(lost.is_empty(), "{lost:#?}");
    assert_eq!(seen.internal_errors, 0);
    // A code the killed instance had exchanged upstream but not yet saved
    // died with it: that trader asks for a new code. At most one per
    // trader whose post was on the instance when it died.
    assert!(
        seen.resent <= TRADERS,
        "{} codes re-sent for one kill",
        seen.resent
    );
}

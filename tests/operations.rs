//! What operators run the portal with, on the real binary: Prometheus
//! metrics on their own listener, JSON logs with a request id, draining on
//! SIGTERM, and `check-config`.

#![cfg(feature = "ssr")]

mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use support::{Portal, Sandbox, TempDir, BIN};

/// A whole reset as bob (no secret question), with JavaScript off.
async fn reset_bob(portal: &Portal, sandbox: &Sandbox) {
    let login = portal.post("/api/login", "", &[("login", "bob")]).await;
    assert_eq!(login.location, "/code", "{login:?}");
    let code = sandbox.latest_code("bob").await;
    let coded = portal
        .post("/api/code", &login.cookie, &[("code", &code)])
        .await;
    assert_eq!(coded.location, "/password", "{coded:?}");
    let done = portal
        .post(
            "/api/password",
            &coded.cookie,
            &[
                ("password", "a long new passphrase"),
                ("confirmation", "a long new passphrase"),
            ],
        )
        .await;
    assert_eq!(done.location, "/done", "{done:?}");
}

/// Every sample of the scrape, by metric name and label set.
struct Scraped(prometheus_parse::Scrape);

impl Scraped {
    async fn from(portal: &Portal) -> Scraped {
        let text = reqwest::get(format!("{}/metrics", portal.metrics))
            .await
            .expect("the metrics listener answers")
            .text()
            .await
            .unwrap();
        let lines = text.lines().map(|l| Ok(l.to_string()));
        Scraped(prometheus_parse::Scrape::parse(lines).expect("valid Prometheus text"))
    }

    /// The value of `name` with (at least) these labels; counters,
    /// gauges and untyped samples.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        self.0
            .samples
            .iter()
            .filter(|s| s.metric == name)
            .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .map(|s| match &s.value {
                prometheus_parse::Value::Counter(v)
                | prometheus_parse::Value::Gauge(v)
                | prometheus_parse::Value::Untyped(v) => *v,
                prometheus_parse::Value::Histogram(buckets) => {
                    buckets.last().map_or(0.0, |b| b.count)
                }
                prometheus_parse::Value::Summary(_) => 0.0,
            })
            .reduce(|a, b| a + b)
    }

    fn count(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.value(name, labels)
            .unwrap_or_else(|| panic!("no {name} {labels:?} in the scrape"))
    }
}

#[tokio::test]
async fn metrics_move_after_a_reset() {
    let sandbox = Sandbox::start(BIN).await;
    let portal = Portal::builder(BIN)
        .upstream(&sandbox)
        .env("PORTAL_CODE_EMAILS_PER_HOUR", "1")
        .start()
        .await;

    let before = Scraped::from(&portal).await;
    assert_eq!(before.count("portal_build_info", &[]), 1.0);
    assert!(before
        .value("portal_step_outcomes_total", &[("step", "login")])
        .is_none());

    reset_bob(&portal, &sandbox).await;
    // A post from another origin, and a code email over bob's budget.
    let forged = reqwest::Client::new()
        .post(format!("{}/api/login", portal.base))
        .header("origin", "https://evil.example")
        .form(&[("login", "bob")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let again = portal.post("/api/login", "", &[("login", "bob")]).await;
    assert!(
        again.error().contains("TooManyCodes"),
        "{:?}",
        again.error()
    );
    let page = portal.page("/", "").await;
    assert_eq!(page.status, StatusCode::OK);

    let after = Scraped::from(&portal).await;
    let step = |step, outcome| {
        after.count(
            "portal_step_outcomes_total",
            &[("step", step), ("outcome", outcome)],
        )
    };
    assert_eq!(step("login", "advanced"), 1.0);
    assert_eq!(step("code", "advanced"), 1.0);
    assert_eq!(step("password", "advanced"), 1.0);
    assert_eq!(step("login", "rate_limited"), 1.0);
    assert_eq!(
        after.count("portal_rate_limited_total", &[("kind", "code_emails")]),
        1.0
    );
    assert_eq!(after.count("portal_csrf_rejections_total", &[]), 1.0);
    assert_eq!(
        after.count(
            "portal_http_requests_total",
            &[("route", "/api/login"), ("status", "303")]
        ),
        2.0,
        "the reset's login and the refused one (a plain post goes back with 303)"
    );
    assert_eq!(
        after.count(
            "portal_http_requests_total",
            &[("route", "/"), ("status", "200")]
        ),
        1.0
    );
    assert!(
        after.count(
            "portal_http_request_duration_seconds_count",
            &[("route", "/api/code")]
        ) >= 1.0
    );
    for endpoint in ["secret_question", "reset", "code", "password"] {
        assert!(
            after.count(
                "portal_upstream_calls_total",
                &[("endpoint", endpoint), ("outcome", "ok")]
            ) >= 1.0,
            "{endpoint}"
        );
        assert!(
            after.count(
                "portal_upstream_call_duration_seconds_count",
                &[("endpoint", endpoint)]
            ) >= 1.0
        );
    }
    assert_eq!(after.count("portal_upstream_in_flight", &[]), 0.0);
    // Each post's store time on its step lease and budgets: the reset's
    // three, and the refused login (which reserved and was refused).
    for (step, posts) in [("login", 2.0), ("code", 1.0), ("password", 1.0)] {
        assert_eq!(
            after.count("portal_step_guard_seconds_count", &[("step", step)]),
            posts,
            "{step}"
        );
        assert!(
            after.count("portal_step_guard_seconds_sum", &[("step", step)]) > 0.0,
            "{step}: timed"
        );
    }
    // The done page's session and the refused login's draft, held by the
    // store, and for the grace the pointers the flow's two rotations left
    // (code -> password, password -> done).
    assert_eq!(before.count("portal_live_sessions", &[]), 0.0);
    assert_eq!(after.count("portal_live_sessions", &[]), 4.0);
    let all: HashMap<_, _> = after
        .0
        .docs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(all.contains_key("portal_step_outcomes_total"), "HELP text");
    // Never on the public port.
    let public = portal.page("/metrics", "").await;
    assert_eq!(public.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn json_logs_carry_the_request_id_and_no_secrets() {
    let sandbox = Sandbox::start(BIN).await;
    let portal = Portal::builder(BIN)
        .upstream(&sandbox)
        .env("PORTAL_LOG_FORMAT", "json")
        .env("RUST_LOG", "info,access=debug")
        .start()
        .await;
    let answer = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/api/login", portal.base))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .form(&[("login", "bob")])
        .send()
        .await
        .unwrap();
    let id = answer.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(id.len(), 32, "{id}");
    let cookie = answer.headers()["set-cookie"].to_str().unwrap().to_string();
    let session_id = cookie
        .split(';')
        .next()
        .and_then(|c| c.split_once('='))
        .map(|(_, v)| v.to_string())
        .unwrap();
    let code = sandbox.latest_code("bob").await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let log = portal.log_text();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    assert!(lines.len() >= 4, "{log}");
    for line in &lines {
        assert!(line["timestamp"].is_string(), "{line}");
        assert!(line["level"].is_string(), "{line}");
        assert!(
            line["event"].is_string(),
            "every line names its event: {line}"
        );
    }
    let of_request: Vec<&str> = lines
        .iter()
        .filter(|l| l["span"]["request_id"] == id.as_str())
        .filter_map(|l| l["event"].as_str())
        .collect();
    assert!(
        of_request.contains(&"flow_started"),
        "{of_request:?}\n{log}"
    );
    assert!(of_request.contains(&"request"), "{of_request:?}");
    // What must never be logged, in this format too.
    for secret in ["sandbox-demo-key", code.as_str(), session_id.as_str()] {
        assert!(!log.contains(secret), "{secret} in the JSON log");
    }
}

/// SIGTERM while a step waits on a slow AutoShares (2 s): the step
/// finishes and its answer arrives whole, `/readyz` says 503 meanwhile,
/// and the process exits 0.
#[tokio::test]
async fn sigterm_lets_the_step_in_flight_finish() {
    let sandbox = Sandbox::start(BIN).await;
    let mut portal = Portal::builder(BIN).upstream(&sandbox).start().await;
    let ready = reqwest::get(format!("{}/readyz", portal.metrics))
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    let slow = sandbox
        .set_fault(
            "secret_question",
            serde_json::json!({"latency_ms": 2000, "remaining": 1}),
        )
        .await;
    assert!(slow.is_success());

    let started = Instant::now();
    let post = {
        let base = portal.base.clone();
        tokio::spawn(async move {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap()
                .post(format!("{base}/api/login"))
                .header("sec-fetch-site", "same-origin")
                .header("accept", "text/html")
                .form(&[("login", "bob")])
                .send()
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    portal.terminate();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let draining = reqwest::get(format!("{}/readyz", portal.metrics))
        .await
        .unwrap();
    assert_eq!(draining.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(draining.text().await.unwrap().contains("draining"));

    let answer = post.await.unwrap().expect("the answer arrives");
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()["location"], "/code", "the flow advanced");
    assert!(answer.headers().contains_key("set-cookie"));
    let _ = answer.bytes().await.expect("the body arrives whole");
    assert_eq!(
        sandbox.codes_sent("bob").await,
        1,
        "the step's upstream work finished"
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = portal.try_wait() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(status.code(), Some(0), "{}", portal.log_text());
    let log = portal.log_text();
    assert!(log.contains("event=\"draining\""), "{log}");
    assert!(log.contains("event=\"stopped\""), "{log}");
}

fn check_config(file: &str, env: &[(&str, &str)]) -> (i32, String) {
    let mut command = std::process::Command::new(BIN);
    command.env_clear().args(["check-config", "--config", file]);
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn check_config_names_every_problem_and_redacts_secrets() {
    let dir = TempDir::new("ops-config");
    let broken = dir.file("broken.toml");
    std::fs::write(
        &broken,
        "autoshares_api_url = \"https://api.example.com\"\n\
         autoshares_app_key = \"CanaryAppKey\"\n\
         autoshares_app_key_file = \"/nonexistent\"\n\
         ip_burst = \"ten\"\n\
         broker_nmae = \"Typo\"\n\
         store = \"redis://:CanaryPass@127.0.0.1:6379\"\n",
    )
    .unwrap();
    let (code, out) = check_config(&broken, &[]);
    assert_eq!(code, 1, "{out}");
    let problems: Vec<&str> = out.lines().filter(|l| l.starts_with("problem: ")).collect();
    for needle in [
        "unknown key `broker_nmae`",
        "not both",
        "PORTAL_IP_BURST",
        "PORTAL_SIGN_IN_URL",
        "PORTAL_HMAC_KEY is required",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "{needle} not among:\n{out}"
        );
    }
    assert_eq!(problems.len(), 5, "{out}");
    assert!(!out.contains("Canary"), "a secret was printed:\n{out}");

    let good = dir.file("good.toml");
    std::fs::write(
        &good,
        "autoshares_api_url = \"sandbox\"\nbroker_name = \"Good Broker\"\n",
    )
    .unwrap();
    let (code, out) = check_config(&good, &[("PORTAL_IP_BURST", "7")]);
    assert_eq!(code, 0, "{out}");
    // The same file named by PORTAL_CONFIG instead of --config.
    let by_env = std::process::Command::new(BIN)
        .env_clear()
        .env("PORTAL_CONFIG", &good)
        .arg("check-config")
        .output()
        .unwrap();
    assert_eq!(by_env.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&by_env.stdout).contains("= Good Broker   (file)"));
    assert!(
        out.contains("broker_name                = Good Broker   (file)"),
        "{out}"
    );
    assert!(
        out.contains("ip_burst                   = 7   (env PORTAL_IP_BURST)"),
        "{out}"
    );

    // The portal itself refuses the broken file with the same list.
    let out = std::process::Command::new(BIN)
        .env_clear()
        .env("PORTAL_LOG_FORMAT", "text")
        .args(["--config", &broken])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("5 problem(s)"), "{err}");
    assert!(err.contains("broker_nmae"), "{err}");
}

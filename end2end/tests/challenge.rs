//! Proof of work under attack (README, security: `proof-of-work`): once a
//! budget a step spends is 80 % full, its page carries an ALTCHA challenge
//! that the browser solves by itself; without JavaScript the page says
//! what is going on and for how long. Judged by what reached the sandbox
//! (its call counter) and what the trader saw.

use std::process::Command;

use base64::Engine;
use end2end::{portal_bin, start_portal, Browser, JsMode, PHONE};
use hmac::{Hmac, Mac};
use portal_harness::{Answer, Portal, Redis, Sandbox, TempDir};
use sha2::Sha256;

/// A network may guess 5 wrong codes an hour; 4 make it 80 % full.
const NETWORK_BUDGET: (&str, &str) = ("PORTAL_WRONG_CODES_PER_NETWORK_PER_HOUR", "5");

/// Four wrong codes from this test's address (the trader's network), in a
/// flow of `login` (a user without a secret question), on `portals` in turn.
async fn spend_four_wrong_codes(portals: &[&Portal], login: &str) {
    let started = portals[0].post("/api/login", "", &[("login", login)]).await;
    assert_eq!(started.location, "/code", "{started:?}");
    let mut cookie = started.cookie;
    for i in 0..4 {
        let wrong = portals[i % portals.len()]
            .post("/api/code", &cookie, &[("code", "000000")])
            .await;
        assert!(wrong.error().contains("WrongCode"), "{wrong:?}");
        cookie = wrong.cookie;
    }
}

/// Age every wrong code of `key_prefix` in the SQLite store by an hour and
/// a second: their window has passed.
fn let_the_hour_pass(db: &str, key_prefix: &str) {
    let sql = format!(
        "update counter_events set at = at - 3601000, expires = expires - 3601000 \
         where key like '{key_prefix}%';"
    );
    let out = Command::new("sqlite3")
        .arg(db)
        .arg(&sql)
        .output()
        .expect("sqlite3 runs");
    assert!(out.status.success(), "{out:?}");
}

end2end::in_both_modes! {
    async fn a_step_near_its_budget_asks_for_a_proof_of_work(mode) {
        let dir = TempDir::new("challenge");
        let db = dir.file("portal.db");
        let store = format!("sqlite:{db}");
        let portal = start_portal(&[NETWORK_BUDGET, ("PORTAL_STORE", &store)]).await;
        assert!(portal.sandbox().add_users("spray", 1).await.is_success());
        let browser = Browser::launch().await;
        let page = browser.page(mode, PHONE).await;

        // Calm: no challenge, and the start page loads no script at all.
        page.open(&portal.url("/")).await;
        assert_eq!(page.count("#challenge").await, 0);
        assert_eq!(page.count("script").await, 0, "the start page loads no script");

        spend_four_wrong_codes(&[&portal], "spray-0").await;
        page.fill_field("start-login-label", "bob").await;
        page.press("button-continue").await;
        page.wait_for_path("/code").await;
        assert_eq!(page.count("#challenge").await, 1, "the code page asks for a proof");
        let code = portal.sandbox().latest_code("bob").await;
        let calls = portal.sandbox().calls_to("code").await;

        match mode {
            JsMode::On => {
                // It solves by itself and says so.
                page.wait_for_text("#challenge [role=status]", "challenge-done").await;
                page.assert_accessible("a proof of work, solved").await;
                page.screenshot("challenge-solved").await;
                assert_eq!(portal.fetches(".js"), 1, "one script: the solver");
                page.fill_field("code-label", &code).await;
                page.press("code-verify").await;
                page.wait_for_path("/password").await;
                assert_eq!(portal.sandbox().calls_to("code").await, calls + 1);
                page.assert_no_page_errors();
            }
            JsMode::Off => {
                // What is going on, that it needs JavaScript now, and until when.
                let told = page.text("#challenge noscript .notice").await;
                let expected = page.t_with("challenge-noscript", &[("minutes", 60)]);
                assert_eq!(told, expected, "[{}]", page.lang);
                page.assert_accessible("a proof of work, without JavaScript").await;
                // Valid HTML, as the server sent it (the Nu HTML Checker).
                let sent = portal.page("/code", &page.cookie_header().await).await;
                assert!(sent.body.contains("id=\"challenge\""), "{}", sent.body);
                let file = dir.join("challenge.html");
                std::fs::write(&file, &sent.body).expect("write the page");
                let (errors, _) = end2end::nu_html_errors(&[file]);
                assert!(errors.is_empty(), "{errors:#?}");
                page.screenshot("challenge-noscript").await;
                // Posted anyway: refused with the same words, nothing upstream,
                // the trader still on the step.
                page.fill_field("code-label", &code).await;
                page.press("code-verify").await;
                page.wait_for_text(".error-summary", &page.t_with("error-challenge-required", &[("minutes", 60)])).await;
                assert_eq!(page.path(), "/code");
                assert_eq!(portal.sandbox().calls_to("code").await, calls);
                // Once the hour has passed, the step works without JavaScript.
                let_the_hour_pass(&db, "network-wrong-codes:");
                page.open(&portal.url("/code")).await;
                assert_eq!(page.count("#challenge").await, 0);
                page.fill_field("code-label", &code).await;
                page.press("code-verify").await;
                page.wait_for_path("/password").await;
                assert_eq!(portal.sandbox().calls_to("code").await, calls + 1);
            }
        }
    }
}

/// The start page before a login is typed never carries a proof (it is the
/// same page for everyone): under pressure, a trader's first post comes
/// back asking for one, with the login kept, and with JavaScript it goes
/// again by itself once solved: one press, one code email.
#[tokio::test]
async fn the_start_page_sends_its_login_again_once_the_proof_is_solved() {
    let portal = start_portal(&[("PORTAL_PORTAL_CODE_EMAILS_PER_HOUR", "5")]).await;
    assert!(portal.sandbox().add_users("busy", 4).await.is_success());
    // Four of the portal's five code emails this hour: 80 % spent.
    for i in 0..4 {
        let started = portal
            .post("/api/login", "", &[("login", &format!("busy-{i}"))])
            .await;
        assert_eq!(started.location, "/code", "{started:?}");
    }
    let emails = portal.sandbox().calls_to("reset").await;
    let browser = Browser::launch().await;
    let page = browser.page(JsMode::On, PHONE).await;
    page.open(&portal.url("/")).await;
    assert_eq!(
        page.count("#challenge").await,
        0,
        "the start page as everyone gets it"
    );
    page.fill_field("start-login-label", "bob").await;
    page.press("button-continue").await;
    // Refused for want of a proof, solved, sent again: no second press.
    page.wait_for_path("/code").await;
    assert_eq!(
        portal.sandbox().calls_to("reset").await,
        emails + 1,
        "one code email: the resent post's"
    );
    assert_eq!(
        challenges(&portal, "missing").await,
        1,
        "the first post, refused"
    );
    assert_eq!(challenges(&portal, "solved").await, 1, "the one sent again");
    page.assert_no_page_errors();
}

/// The challenge a page carries, as JSON (its `data-challenge`).
fn challenge_in(html: &str) -> altcha::Challenge {
    let start = html
        .find("data-challenge=\"")
        .map(|i| i + "data-challenge=\"".len())
        .unwrap_or_else(|| panic!("no challenge on the page:\n{html}"));
    let end = start + html[start..].find('"').expect("the attribute ends");
    let json = html[start..end]
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    serde_json::from_str(&json).expect("the challenge is ALTCHA JSON")
}

/// What a browser posts for `challenge`, solved with `solution`.
fn payload(challenge: &altcha::Challenge, solution: &altcha::Solution) -> String {
    let payload = altcha::Payload {
        challenge: challenge.clone(),
        solution: solution.clone(),
    };
    base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&payload).unwrap())
}

fn solve(challenge: &altcha::Challenge) -> altcha::Solution {
    altcha::solve_challenge(altcha::SolveChallengeOptions::new(challenge))
        .expect("solvable")
        .expect("solved in time")
}

/// The portal's challenge-signing secrets, derived from its HMAC key as the
/// portal derives them (`steps::challenge::Challenges::new`): what an
/// insider would need to sign a challenge of their own.
fn secret(key: &str, purpose: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key");
    mac.update(purpose.as_bytes());
    mac.update(&[0]);
    hex::encode(mac.finalize().into_bytes())
}

/// A flow of `login` at the code page on `portal`: its cookie and the
/// proof its page asks for, solved.
async fn at_code_with_proof(portal: &Portal, login: &str) -> (String, String) {
    let started = portal.post("/api/login", "", &[("login", login)]).await;
    assert_eq!(started.location, "/code", "{started:?}");
    let page = portal.page("/code", &started.cookie).await;
    let challenge = challenge_in(&page.body);
    (started.cookie, payload(&challenge, &solve(&challenge)))
}

/// A code post carrying `proof`.
async fn code_with_proof(portal: &Portal, cookie: &str, code: &str, proof: &str) -> Answer {
    portal
        .post("/api/code", cookie, &[("code", code), ("altcha", proof)])
        .await
}

/// `portal_challenges_total` for `result`, summed over levels.
async fn challenges(portal: &Portal, result: &str) -> u64 {
    let text = reqwest::get(format!("{}/metrics", portal.metrics))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .filter(|l| {
            l.starts_with("portal_challenges_total{") && l.contains(&format!("result=\"{result}\""))
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

#[tokio::test]
async fn forged_expired_and_replayed_proofs_are_refused_across_two_instances() {
    const KEY: &str = "a-challenge-test-secret-of-32-ch";
    let redis = Redis::start().await;
    let sandbox = Sandbox::start(portal_bin()).await;
    assert!(sandbox.add_users("spray", 3).await.is_success());
    let mut portals = Vec::new();
    for _ in 0..2 {
        portals.push(
            Portal::builder(portal_bin())
                .upstream(&sandbox)
                .store(&redis.url)
                .env("PORTAL_HMAC_KEY", KEY)
                .env("PORTAL_IP_BURST", "10000")
                .env(NETWORK_BUDGET.0, NETWORK_BUDGET.1)
                // Quick to solve here; the browser's times are in .ci/bench.
                .env("PORTAL_CHALLENGE_COST", "100")
                .start()
                .await,
        );
    }
    let (a, b) = (&portals[0], &portals[1]);
    spend_four_wrong_codes(&[a, b], "spray-0").await;
    let client = sandbox.client();
    let code_calls = || async { client.calls_to("code").await };

    // Flow X on A: without a proof, and with a forged one, refused.
    let (x, proof) = at_code_with_proof(a, "bob").await;
    let code = client.latest_code("bob").await;
    let before = code_calls().await;
    let bare = a.post("/api/code", &x, &[("code", &code)]).await;
    assert!(bare.error().contains("ChallengeRequired"), "{bare:?}");
    let mut forged: altcha::Payload = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(&proof)
            .unwrap(),
    )
    .unwrap();
    forged.solution.derived_key = "00".repeat(32);
    let forged =
        base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&forged).unwrap());
    let refused = code_with_proof(a, &bare.cookie, &code, &forged).await;
    assert!(refused.error().contains("ChallengeRequired"), "{refused:?}");
    assert_eq!(code_calls().await, before, "nothing reached AutoShares");
    assert_eq!(challenges(a, "missing").await, 1);
    assert_eq!(challenges(a, "forged").await, 1);

    // Its own proof goes through on A...
    let solved = code_with_proof(a, &refused.cookie, &code, &proof).await;
    assert_eq!(solved.location, "/password", "{solved:?}");
    assert_eq!(code_calls().await, before + 1);
    assert_eq!(challenges(a, "solved").await, 1);

    // ...and replayed in another flow on B, is refused.
    let (y, own) = at_code_with_proof(b, "spray-1").await;
    let code = client.latest_code("spray-1").await;
    let replayed = code_with_proof(b, &y, &code, &proof).await;
    assert!(
        replayed.error().contains("ChallengeRequired"),
        "{replayed:?}"
    );
    assert_eq!(challenges(b, "replayed").await, 1);

    // A challenge signed with the portal's own secrets but expired: refused.
    let expired = altcha::create_challenge(altcha::CreateChallengeOptions {
        algorithm: "PBKDF2/SHA-256".into(),
        cost: 100,
        counter: Some(700),
        data: Some([("level".to_string(), serde_json::json!("high"))].into()),
        expires_at: Some(1_000_000_000),
        hmac_signature_secret: Some(secret(KEY, "altcha-challenge")),
        hmac_key_signature_secret: Some(secret(KEY, "altcha-key")),
        ..Default::default()
    })
    .unwrap();
    let stale = payload(&expired, &solve(&expired));
    let refused = code_with_proof(b, &replayed.cookie, &code, &stale).await;
    assert!(refused.error().contains("ChallengeRequired"), "{refused:?}");
    assert_eq!(challenges(b, "expired").await, 1);
    assert_eq!(
        code_calls().await,
        before + 1,
        "no refused proof reached AutoShares"
    );

    // Its own fresh proof goes through on B.
    let solved = code_with_proof(b, &refused.cookie, &code, &own).await;
    assert_eq!(solved.location, "/password", "{solved:?}");
    assert_eq!(code_calls().await, before + 2);
}

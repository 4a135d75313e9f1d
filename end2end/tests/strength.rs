//! New passwords judged on the server: zxcvbn's verdict with its reason in
//! the trader's language, and breached passwords refused through a
//! Have I Been Pwned range API (a fake one, started here on loopback:
//! never the internet), failing open or closed as configured.

use std::process::Command;
use std::sync::{Arc, Mutex};

use end2end::{in_both_modes, start_portal, Browser, PHONE};
use portal_harness::Portal;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

in_both_modes! {
    async fn a_guessable_password_is_refused_with_its_reason(mode) {
        let portal = start_portal(&[]).await;
        let browser = Browser::launch().await;
        let page = browser.page(mode, PHONE).await;
        page.open(&portal.url("/")).await;
        page.fill_field("start-login-label", "bob").await;
        page.press("button-continue").await;
        page.wait_for_path("/code").await;
        let code = portal.sandbox().latest_code("bob").await;
        page.fill_field("code-label", &code).await;
        page.press("code-verify").await;
        page.wait_for_path("/password").await;

        // 16 characters, not the login, not on the common list: today's
        // rules took it. zxcvbn doesn't.
        let weak = "aaaaaaaaaaaaaaaa";
        page.fill_field("password-new-label", weak).await;
        page.fill_field("password-confirm-label", weak).await;
        page.press("password-change").await;
        page.wait_for_text("#password-error", &page.t("strength-too-weak")).await;
        let error = page.text("#password-error").await;
        assert!(
            error.contains(&page.t("strength-warning-repeats-like-aaa-are-easy-to-guess")),
            "[{}] the reason, translated: {error:?}",
            page.lang
        );
        assert_eq!(page.path(), "/password");
        assert_eq!(portal.sandbox().calls_to("password").await, 0, "nothing reached AutoShares");
        page.assert_accessible("a weak password refused").await;
        page.screenshot("strength-refused").await;

        let strong = format!("violet lantern {} river quietly", mode.label());
        page.fill_field("password-new-label", &strong).await;
        page.fill_field("password-confirm-label", &strong).await;
        page.press("password-change").await;
        page.wait_for_path("/done").await;
        assert_eq!(portal.sandbox().sign_in_status("bob", &strong).await, 200);
        page.assert_no_page_errors();
    }
}

/// The SHA-1 of `text`, upper-case hex, by the system's `sha1sum`.
fn sha1(text: &str) -> String {
    let mut child = Command::new("sha1sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha1sum runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("sha1sum output");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase()
}

/// A fake range API on loopback: `GET /range/{prefix}` answers every
/// suffix of `breached` under that prefix (count 3) plus two padding
/// lines (count 0). Records each request's path and `Add-Padding`.
struct RangeServer {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

async fn range_server(breached: &[&str]) -> RangeServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let hashes: Vec<String> = breached.iter().map(|p| sha1(p)).collect();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 4096];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            let path = request
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_string();
            let padded = request
                .lines()
                .any(|l| l.eq_ignore_ascii_case("add-padding: true"));
            if let Ok(mut seen) = log.lock() {
                seen.push(format!("{path} padding={padded}"));
            }
            let prefix = path.trim_start_matches("/range/").to_ascii_uppercase();
            let mut body = String::new();
            for hash in &hashes {
                if let Some(suffix) = hash.strip_prefix(&prefix) {
                    body.push_str(&format!("{suffix}:3\r\n"));
                }
            }
            body.push_str("0018A45C4D1DEF81644B54AB7F969B88D65:0\r\n");
            body.push_str("00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0\r\n");
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    RangeServer {
        url: format!("http://{addr}/range/"),
        seen,
    }
}

/// A reset of bob up to the password step; the session cookie.
async fn at_password(portal: &Portal) -> String {
    let at_code = portal.post("/api/login", "", &[("login", "bob")]).await;
    let code = portal.sandbox().latest_code("bob").await;
    let at_password = portal
        .post("/api/code", &at_code.cookie, &[("code", &code)])
        .await;
    assert_eq!(at_password.location, "/password", "{at_password:?}");
    at_password.cookie
}

async fn set_password(portal: &Portal, cookie: &str, password: &str) -> portal_harness::Answer {
    // Sent from the password page, as a browser without JavaScript would:
    // a refusal goes back there with the error.
    let response = portal
        .post_form(
            "/api/password",
            Some(cookie),
            "/password",
            &[("password", password), ("confirmation", password)],
        )
        .await;
    portal_harness::Answer::read(response, cookie).await
}

/// Where a refused password post sent the trader: back to the password
/// page with the error (the redirect names it in full).
fn back_to_password(portal: &Portal, refused: &portal_harness::Answer) -> String {
    let back = refused
        .location
        .trim_start_matches(&portal.base)
        .to_string();
    assert!(back.starts_with("/password?"), "{refused:?}");
    back
}

const BREACHED: &str = "violet lantern breached river";
/// A range API that can't be reached: port 1 refuses, and no test can
/// take it (a free port picked at random could be taken by another test).
const UNREACHABLE_RANGE_API: &str = "http://127.0.0.1:1/range/";
const FRESH: &str = "violet lantern fresh river";

#[tokio::test]
async fn a_breached_password_is_refused_and_only_a_prefix_leaves() {
    let range = range_server(&[BREACHED]).await;
    let portal = start_portal(&[
        ("PORTAL_PWNED_PASSWORDS_URL", range.url.as_str()),
        ("PORTAL_CODE_EMAILS_PER_HOUR", "100"),
    ])
    .await;
    let cookie = at_password(&portal).await;
    let refused = set_password(&portal, &cookie, BREACHED).await;
    let back = back_to_password(&portal, &refused);
    assert!(
        refused.error().contains("PasswordBreached"),
        "{}",
        refused.error()
    );
    assert_eq!(portal.sandbox().calls_to("password").await, 0);
    let page = portal.page(&back, &refused.cookie).await;
    assert!(page.body.contains("data breach"), "the message on the page");

    let done = set_password(&portal, &refused.cookie, FRESH).await;
    assert_eq!(done.location, "/done", "{done:?}");

    let seen = range.seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(seen.len(), 2, "one range call per password: {seen:?}");
    for (line, password) in seen.iter().zip([BREACHED, FRESH]) {
        let prefix = &sha1(password)[..5];
        assert_eq!(line, &format!("/range/{prefix} padding=true"));
        assert!(
            !line.contains(&sha1(password)[5..10]),
            "no more than the prefix"
        );
    }
}

#[tokio::test]
async fn an_unreachable_range_api_fails_open_by_default() {
    // Port 1: nothing listens there, and no test can take it meanwhile.
    let url = UNREACHABLE_RANGE_API.to_string();
    let portal = start_portal(&[("PORTAL_PWNED_PASSWORDS_URL", url.as_str())]).await;
    let cookie = at_password(&portal).await;
    let done = set_password(&portal, &cookie, FRESH).await;
    assert_eq!(done.location, "/done", "{done:?}");
    assert!(
        portal.logs_within("breach_check_unavailable").await,
        "{}",
        portal.log_text()
    );
}

#[tokio::test]
async fn an_unreachable_range_api_fails_closed_when_asked() {
    let url = UNREACHABLE_RANGE_API.to_string();
    let portal = start_portal(&[
        ("PORTAL_PWNED_PASSWORDS_URL", url.as_str()),
        ("PORTAL_PWNED_PASSWORDS_FAIL_OPEN", "false"),
    ])
    .await;
    let cookie = at_password(&portal).await;
    let refused = set_password(&portal, &cookie, FRESH).await;
    let back = back_to_password(&portal, &refused);
    assert!(
        refused.error().contains("Unavailable"),
        "{}",
        refused.error()
    );
    assert_eq!(portal.sandbox().calls_to("password").await, 0);
    // The trader's place is kept: the step still takes the password once
    // the check can be made (here: not at all, so still refused, calmly).
    let page = portal.page(&back, &refused.cookie).await;
    assert_eq!(page.status.as_u16(), 200);
}

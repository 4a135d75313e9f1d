//! The other holes an attacker's read found, each tried against the
//! release binary: ids after a flow ends, request ids from clients, asset
//! paths no file can have, and what `check-config` says.

use std::process::Command;

use end2end::{portal_bin, start_portal};
use portal_harness::{session_cookie, Portal};
use reqwest::StatusCode;

const NEW_PASSWORD: &str = "A-long-new-passphrase-7";

/// A session that ends (done, burned, expired) gets a new id: the one the
/// flow ran under never comes back.
#[tokio::test]
async fn a_session_that_ends_gets_a_new_id() {
    let portal = start_portal(&[]).await;

    // Done.
    let at_code = portal.post("/api/login", "", &[("login", "bob")]).await;
    let code = portal.sandbox().latest_code("bob").await;
    let at_password = portal
        .post("/api/code", &at_code.cookie, &[("code", &code)])
        .await;
    assert_eq!(at_password.location, "/password");
    let done = portal
        .post(
            "/api/password",
            &at_password.cookie,
            &[("password", NEW_PASSWORD), ("confirmation", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(done.location, "/done", "{done:?}");
    assert_ne!(done.cookie, at_password.cookie, "done: a new id");

    // Burned (five wrong codes).
    let flow = portal.post("/api/login", "", &[("login", "bob")]).await;
    let mut last = flow.cookie.clone();
    let mut burned = None;
    for _ in 0..5 {
        let answer = portal.post("/api/code", &last, &[("code", "000000")]).await;
        if answer.location.starts_with("/expired") {
            burned = Some(answer);
            break;
        }
        last = answer.cookie;
    }
    let burned = burned.expect("five wrong codes end the flow");
    assert_ne!(burned.cookie, last, "burned: a new id");

    // Expired (idle for longer than a second).
    let portal = start_portal(&[("PORTAL_FLOW_IDLE_SECS", "1")]).await;
    let flow = portal.post("/api/login", "", &[("login", "bob")]).await;
    tokio::time::sleep(std::time::Duration::from_millis(2200)).await;
    let expired = portal.get("/code", Some(&flow.cookie)).await;
    let renewed = session_cookie(expired.headers()).expect("the expired flow's session is renewed");
    assert_ne!(renewed, flow.cookie, "expired: a new id");
}

/// An `X-Request-Id` is believed only from a trusted proxy: a client can't
/// plant its own in the operators' logs.
#[tokio::test]
async fn a_request_id_is_taken_only_from_a_trusted_proxy() {
    let id_of = |portal: &Portal| {
        let request = portal
            .http()
            .get(portal.url("/healthz"))
            .header("x-request-id", "planted-by-a-client");
        async move {
            request.send().await.expect("answers").headers()["x-request-id"]
                .to_str()
                .unwrap()
                .to_string()
        }
    };
    let untrusting = start_portal(&[]).await;
    assert_ne!(id_of(&untrusting).await, "planted-by-a-client");
    let behind_proxy = start_portal(&[("PORTAL_TRUSTED_PROXIES", "127.0.0.1")]).await;
    assert_eq!(id_of(&behind_proxy).await, "planted-by-a-client");
}

/// A path no file name can have (a segment over 255 bytes) is simply not
/// found; before, the file server's I/O error became "unavailable".
#[tokio::test]
async fn an_asset_path_no_file_can_have_is_not_found() {
    let portal = start_portal(&[]).await;
    for path in [
        format!("/pkg/{}", "a".repeat(256)),
        "/pkg/a%00b.css".to_string(),
    ] {
        let answer = portal.get(&path, None).await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

/// `check-config` warns about the memory store (for tests only: its key,
/// and so every decoy question, changes at each restart) without calling
/// it a problem.
#[test]
fn check_config_warns_about_the_memory_store() {
    let output = Command::new(portal_bin())
        .arg("check-config")
        .env_clear()
        .env("AUTOSHARES_API_URL", "sandbox")
        .env("PORTAL_STORE", "memory")
        .output()
        .expect("check-config runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("warning: PORTAL_STORE (`store`) is `memory`"),
        "{text}"
    );
}

//! The foundation: the built portal starts, answers /healthz, renders its
//! start page with and without JavaScript, and its one island really
//! hydrates, from a WASM fetched once.

use std::time::Duration;

use end2end::{in_both_modes, start_portal, Browser, JsMode, Portal, TestPage, DESKTOP, PHONE};

#[tokio::test]
async fn health_answers_200() {
    let portal = start_portal(&[]).await;
    let status = portal
        .http()
        .get(portal.url("/healthz"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 200);
}

in_both_modes! {
    async fn the_start_page_renders_without_any_script(mode) {
        let portal = start_portal(&[]).await;
        let browser = Browser::launch().await;
        for viewport in [PHONE, DESKTOP] {
            let page = browser.page(mode, viewport).await;
            page.open(&portal.url("/")).await;
            assert!(!page.text("h1").await.is_empty(), "an h1");
            let lang = page
                .page
                .locator("html")
                .get_attribute("lang")
                .await
                .unwrap_or_default()
                .unwrap_or_default();
            assert!(!lang.is_empty(), "html[lang]");
            // Islands mode: a page without an island ships no JavaScript.
            assert_eq!(page.count("script").await, 0, "no script on the start page");
            assert_eq!(page.count("leptos-island").await, 0);
            page.screenshot("start").await;
            page.assert_no_page_errors();
        }
        assert_eq!(portal.fetches(".wasm"), 0, "the start page loads no WASM");
        assert_eq!(portal.fetches(".js"), 0, "the start page loads no JS");
    }
}

/// Walk to the password step as bob (no question) on a fresh page.
async fn to_the_password_step(page: &TestPage, portal: &Portal) {
    page.open(&portal.url("/")).await;
    page.fill_field("start-login-label", "bob").await;
    page.press("button-continue").await;
    page.wait_for_path("/code").await;
    page.fill_field("code-label", &portal.sandbox().latest_code("bob").await)
        .await;
    page.press("code-verify").await;
    page.wait_for_path("/password").await;
}

/// The island really hydrates (its checklist ticks live, no page error),
/// and one whole reset fetches the JS and the WASM once: the password page
/// shown a second time (after a failed post) takes them from the cache.
#[tokio::test]
async fn a_whole_reset_fetches_the_js_and_the_wasm_once() {
    let portal = start_portal(&[]).await;
    let browser = Browser::launch().await;
    let page = browser.page(JsMode::On, PHONE).await;
    to_the_password_step(&page, &portal).await;
    page.fill_field("password-new-label", "a long new passphrase")
        .await;
    assert_eq!(
        page.count("#password-rules li.met").await,
        4,
        "both lengths, not the login, not common: ticked live"
    );
    page.fill_field("password-confirm-label", "a long new passphrase")
        .await;
    assert_eq!(page.count("#password-rules li.met").await, 5);
    // A mismatch: the server answers with the password page again.
    page.fill_field("password-confirm-label", "a long new passphrasf")
        .await;
    page.press("password-change").await;
    page.wait_for_text("#confirmation-error", "error-password-mismatch")
        .await;
    page.settle().await;
    page.fill_field("password-new-label", "another long passphrase")
        .await;
    assert_eq!(page.count("#password-rules li.met").await, 4, "live again");
    page.fill_field("password-confirm-label", "another long passphrase")
        .await;
    page.press("password-change").await;
    page.wait_for_path("/done").await;
    page.assert_no_page_errors();
    assert_eq!(portal.fetches(".wasm"), 1, "the WASM once per visit");
    assert_eq!(portal.fetches(".js"), 1, "the JS once per visit");
}

#[tokio::test]
async fn a_broken_wasm_fails_the_hydration_check() {
    let portal = start_portal(&[]).await;
    let browser = Browser::launch().await;
    let page = browser.page(JsMode::On, DESKTOP).await;
    page.page
        .route("**/*.wasm", |route| async move { route.abort(None).await })
        .await
        .unwrap();
    page.page.goto(&portal.url("/"), None).await.unwrap();
    page.fill_field("start-login-label", "bob").await;
    page.press("button-continue").await;
    page.wait_for_path("/code").await;
    page.fill_field("code-label", &portal.sandbox().latest_code("bob").await)
        .await;
    page.press("code-verify").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while page.path() != "/password" && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(page.path(), "/password");
    let outcome = page.wait_hydrated(Duration::from_secs(3)).await;
    assert!(
        outcome.is_err(),
        "the harness must notice an island that never hydrates"
    );
    // The server-rendered form still works without the WASM: a plain post.
    page.fill_field("password-new-label", "a long new passphrase")
        .await;
    page.fill_field("password-confirm-label", "a long new passphrase")
        .await;
    assert_eq!(
        page.count("#password-rules li.met").await,
        0,
        "nothing ticks"
    );
    page.press("password-change").await;
    page.wait_for_path("/done").await;
}

#[tokio::test]
async fn dark_mode_screenshots() {
    let portal = start_portal(&[]).await;
    let browser = Browser::launch().await;
    for viewport in [PHONE, DESKTOP] {
        let page = browser.page_in(JsMode::On, viewport, "dark").await;
        page.open(&portal.url("/")).await;
        page.press("button-continue").await;
        page.wait_for_text("#login-error", "error-login-missing")
            .await;
        page.screenshot("start-dark-error").await;
        page.assert_no_page_errors();
    }
}

#[tokio::test]
async fn without_an_upstream_the_server_refuses_to_start_in_one_line() {
    let bin = end2end::portal_bin();
    let out = tokio::process::Command::new(&bin)
        .env_remove("AUTOSHARES_API_URL")
        .env("LEPTOS_OUTPUT_NAME", "autoshares-portal")
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("AUTOSHARES_API_URL"), "{stderr}");
}

#[tokio::test]
async fn the_sandbox_runs_standalone() {
    // Port 0: the sandbox picks a free port and prints where it listens.
    let sandbox = portal_harness::Sandbox::start(end2end::portal_bin()).await;
    let base = sandbox.url();
    let url = format!("{base}/v1.0/users/password/secret-question?username=alice");
    let http = reqwest::Client::new();
    let mut body = serde_json::Value::Null;
    for _ in 0..100 {
        if let Ok(r) = http
            .get(&url)
            .header("Et-App-Key", "sandbox-demo-key")
            .send()
            .await
        {
            body = r.json().await.unwrap();
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(body["IsSucceed"], true, "{body}");
    assert_eq!(body["Model"], "What street did you live on in third grade?");
}

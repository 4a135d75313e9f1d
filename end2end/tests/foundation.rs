//! The foundation: the built portal starts, answers /healthz, renders its
//! start page with and without JavaScript, and really hydrates.

use std::time::Duration;

use end2end::{Browser, JsMode, Portal, DESKTOP, PHONE};

#[tokio::test]
async fn health_answers_200() {
    let portal = Portal::start(&[]).await;
    let status = portal
        .http()
        .get(portal.url("/healthz"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 200);
}

#[tokio::test]
async fn the_start_page_renders_and_hydrates_in_both_modes() {
    let portal = Portal::start(&[]).await;
    let browser = Browser::launch().await;
    for mode in JsMode::BOTH {
        for viewport in [PHONE, DESKTOP] {
            let page = browser.page(mode, viewport).await;
            page.open(&portal.url("/")).await;
            assert!(!page.text("h1").await.is_empty(), "[{mode:?}] an h1");
            let lang = page
                .page
                .locator("html")
                .get_attribute("lang")
                .await
                .unwrap_or_default()
                .unwrap_or_default();
            assert!(!lang.is_empty(), "[{mode:?}] html[lang]");
            let hydrated = page.count("[data-hydrated=\"true\"]").await;
            match mode {
                // A client-only behaviour happened: an Effect ran in the browser.
                JsMode::Hydrated => assert_eq!(hydrated, 1, "the WASM hydrated the page"),
                // And with JavaScript off it cannot have.
                JsMode::NoJs => assert_eq!(hydrated, 0, "JavaScript was really off"),
            }
            page.screenshot("start").await;
            page.assert_no_page_errors();
        }
    }
}

#[tokio::test]
async fn a_broken_wasm_fails_the_hydration_check() {
    let portal = Portal::start(&[]).await;
    let browser = Browser::launch().await;
    let page = browser.page(JsMode::Hydrated, DESKTOP).await;
    page.page
        .route("**/*.wasm", |route| async move { route.abort(None).await })
        .await
        .unwrap();
    page.page.goto(&portal.url("/"), None).await.unwrap();
    let outcome = page.wait_hydrated(Duration::from_secs(3)).await;
    assert!(
        outcome.is_err(),
        "the harness must notice a page that never hydrates"
    );
    // The server-rendered page is still there without the WASM.
    assert!(!page.text("h1").await.is_empty(), "the SSR page has an h1");
    // A click before (or without) hydration is a plain form post, and works.
    page.fill("#login", "alice").await;
    page.click("form[action=\"/api/login\"] button[type=submit]")
        .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while page.path() != "/question" && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(page.path(), "/question");
    assert!(page.text("label[for=answer]").await.contains("third grade"));
}

#[tokio::test]
async fn dark_mode_screenshots() {
    let portal = Portal::start(&[]).await;
    let browser = Browser::launch().await;
    for viewport in [PHONE, DESKTOP] {
        let page = browser.page_in(JsMode::Hydrated, viewport, "dark").await;
        page.open(&portal.url("/")).await;
        page.click("form[action=\"/api/login\"] button[type=submit]")
            .await;
        page.wait_for_text("#login-error", "Enter the login or email")
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
    use tokio::io::AsyncBufReadExt;
    let bin = end2end::portal_bin();
    // Port 0: the sandbox picks a free port and prints where it listens.
    let mut child = tokio::process::Command::new(&bin)
        .args(["sandbox", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let banner = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if line.contains("AutoShares sandbox on") {
                return line;
            }
        }
        panic!("the sandbox exited without saying where it listens");
    })
    .await
    .expect("the sandbox printed its address in time");
    let base = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {banner:?}"))
        .to_string();
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

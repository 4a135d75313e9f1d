//! The leak scan: a whole reset with canary values for the app key and the
//! upstream token, with JavaScript on and off. No canary, answer, code or password may
//! appear in any response the browser got (HTML, server-function answers,
//! headers, cookies, redirect URLs), in the JS and WASM assets, or in the
//! server log.

use std::sync::{Arc, Mutex};

use end2end::{built_files, in_both_modes, start_portal, Browser, JsMode, PHONE};
use playwright_rs::protocol::ResponseObject;

const APP_KEY: &str = "CanaryAppKey-7d1e50";
const TOKEN_PREFIX: &str = "CanaryToken-9f3a17-";
const ANSWER: &str = "Peterson";
const ALICE_QUESTION: &str = "What street did you live on in third grade?";

in_both_modes! {
    async fn no_secret_reaches_a_response_or_the_log(mode) {
    // The log in both formats: JSON with JavaScript on, text with it off.
    let log_format = match mode {
        JsMode::On => "json",
        JsMode::Off => "text",
    };
    let portal = start_portal(&[
        ("AUTOSHARES_APP_KEY", APP_KEY),
        ("SANDBOX_TOKEN_PREFIX", TOKEN_PREFIX),
        ("PORTAL_CODE_EMAILS_PER_HOUR", "100"),
        ("PORTAL_LOG_FORMAT", log_format),
    ])
    .await;
    let browser = Browser::launch().await;
    let mut secrets = vec![
        APP_KEY.to_string(),
        TOKEN_PREFIX.to_string(),
        ANSWER.to_string(),
    ];
    let mut seen = Vec::<String>::new();

    {
        let page = browser.page(mode, PHONE).await;
        let responses: Arc<Mutex<Vec<ResponseObject>>> = Arc::default();
        {
            let responses = responses.clone();
            page.page
                .on_response(move |response| {
                    let responses = responses.clone();
                    async move {
                        if let Ok(mut r) = responses.lock() {
                            r.push(response);
                        }
                        Ok(())
                    }
                })
                .await
                .unwrap();
        }
        page.open(&portal.url("/")).await;
        page.fill_field("start-login-label", "alice").await;
        page.press("button-continue").await;
        page.wait_for_path("/question").await;
        // A wrong answer first, so an error travels too.
        page.fill_field(ALICE_QUESTION, "Wrong").await;
        page.press("button-continue").await;
        page.wait_for_text("#answer-error", "error-wrong-answer").await;
        page.fill_field(ALICE_QUESTION, ANSWER).await;
        page.press("button-continue").await;
        page.wait_for_path("/code").await;
        let code = portal.sandbox().latest_code("alice").await;
        secrets.push(code.clone());
        page.fill_field("code-label", &code).await;
        page.press("code-verify").await;
        page.wait_for_path("/password").await;
        let password = format!("CanaryPassword {mode:?} 51c2");
        secrets.push(password.clone());
        page.fill_field("password-new-label", &password).await;
        page.fill_field("password-confirm-label", &password).await;
        page.press("password-change").await;
        page.wait_for_path("/done").await;
        page.assert_no_page_errors();
        // The flow really used the canary key: the sandbox accepts only it.
        assert_eq!(
            portal.sandbox().sign_in_status("alice", &password).await,
            200
        );

        let responses = responses.lock().map(|r| r.clone()).unwrap_or_default();
        assert!(
            responses.len() >= 8,
            "[{mode:?}] only {} responses seen",
            responses.len()
        );
        for response in responses {
            seen.push(response.url().to_string());
            if let Ok(headers) = response.raw_headers().await {
                for h in headers {
                    seen.push(format!("{}: {}", h.name, h.value));
                }
            }
            if let Ok(body) = response.body().await {
                seen.push(String::from_utf8_lossy(&body).into_owned());
            }
        }
        for cookie in page.context.cookies(None).await.unwrap() {
            seen.push(format!("{}={}", cookie.name, cookie.value));
        }
        seen.push(page.page.url());
    }

    let assets = [built_files("js"), built_files("wasm")].concat();
    assert_eq!(assets.len(), 2, "{assets:?}");
    for asset in assets {
        let bytes = portal
            .http()
            .get(portal.url(&asset))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(bytes.len() > 1000, "{asset} was served");
        seen.push(String::from_utf8_lossy(&bytes).into_owned());
    }

    let everything = seen.join("\n");
    assert!(
        everything.contains(&end2end::tr(end2end::current_lang(), "done-heading")),
        "the scan saw the pages"
    );
    for secret in &secrets {
        assert!(
            !everything.contains(secret.as_str()),
            "{secret:?} reached the browser"
        );
    }
    let log = portal.log_text();
    assert!(log.contains("password_changed"), "the log was captured");
    if log_format == "json" {
        for line in log.lines().filter(|l| !l.trim().is_empty()) {
            let parsed: Result<serde_json::Value, _> = serde_json::from_str(line);
            assert!(parsed.is_ok(), "a log line that is not JSON: {line}");
        }
    }
    for secret in secrets.iter().map(String::as_str).chain(["alice"]) {
        assert!(!log.contains(secret), "{secret:?} reached the server log");
    }
}
}

//! Every page a trader can see is valid HTML, by the Nu HTML Checker
//! (npm `vnu-jar`, on Java): each step, each error state, the ended pages
//! and the 404 page, exactly as the server sent them.

use std::sync::{Arc, Mutex};

use end2end::{start_portal, Browser, JsMode, PHONE};
use playwright_rs::protocol::ResponseObject;

/// A page's URL and its HTML as sent.
type Document = (String, Vec<u8>);

const ALICE_QUESTION: &str = "What street did you live on in third grade?";

#[tokio::test]
async fn every_page_passes_the_nu_html_checker() {
    let portal = start_portal(&[("PORTAL_WRONG_ANSWERS_PER_15_MIN", "100")]).await;
    let browser = Browser::launch().await;
    let page = browser.page(JsMode::On, PHONE).await;
    // Each HTML document the browser gets, read as it arrives (a page's
    // body is gone once the browser has moved on).
    let documents: Arc<Mutex<Vec<Document>>> = Arc::default();
    {
        let documents = documents.clone();
        page.page
            .on_response(move |response: ResponseObject| {
                let documents = documents.clone();
                async move {
                    let html = response
                        .raw_headers()
                        .await
                        .unwrap_or_default()
                        .iter()
                        .any(|h| {
                            h.name.eq_ignore_ascii_case("content-type")
                                && h.value.starts_with("text/html")
                        });
                    if html && matches!(response.status(), 200 | 404) {
                        if let Ok(body) = response.body().await {
                            if let Ok(mut d) = documents.lock() {
                                d.push((response.url().to_string(), body));
                            }
                        }
                    }
                    Ok(())
                }
            })
            .await
            .expect("listen for responses");
    }

    // Start, with its error; question, with a wrong answer.
    page.open(&portal.url("/")).await;
    page.press("button-continue").await;
    page.wait_for_text("#login-error", "error-login-missing")
        .await;
    page.fill_field("start-login-label", "alice").await;
    page.press("button-continue").await;
    page.wait_for_path("/question").await;
    page.fill_field(ALICE_QUESTION, "Smith").await;
    page.press("button-continue").await;
    page.wait_for_text("#answer-error", "error-wrong-answer")
        .await;
    // The unavailable message.
    portal
        .sandbox()
        .fault_once("reset", "server_error_html")
        .await;
    page.fill_field(ALICE_QUESTION, "Peterson").await;
    page.press("button-continue").await;
    page.wait_for_text(".form-error", "error-unavailable").await;
    page.fill_field(ALICE_QUESTION, "Peterson").await;
    page.press("button-continue").await;
    // Code, with a wrong one and a resend.
    page.wait_for_path("/code").await;
    let code = portal.sandbox().latest_code("alice").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    page.fill_field("code-label", wrong).await;
    page.press("code-verify").await;
    page.wait_for_text("#code-error", "error-wrong-code").await;
    page.press("code-send-new").await;
    page.wait_for_text(".notice", "code-new-sent").await;
    page.fill_field("code-label", &portal.sandbox().latest_code("alice").await)
        .await;
    page.press("code-verify").await;
    // Password, with a mismatch; then done, and expired.
    page.wait_for_path("/password").await;
    page.fill_field("password-new-label", "a long new passphrase")
        .await;
    page.fill_field("password-confirm-label", "a long new passphrasf")
        .await;
    page.press("password-change").await;
    page.wait_for_text("#confirmation-error", "error-password-mismatch")
        .await;
    page.fill_field("password-new-label", "a long new passphrase")
        .await;
    page.fill_field("password-confirm-label", "a long new passphrase")
        .await;
    page.press("password-change").await;
    page.wait_for_path("/done").await;
    // The flow is done: its pages lead back to "done".
    page.open(&portal.url("/code")).await;
    page.wait_for_path("/done").await;
    page.open(&portal.url("/expired")).await;
    page.wait_for_path("/expired").await;
    // Too many attempts.
    page.open(&portal.url("/")).await;
    page.fill_field("start-login-label", "bob").await;
    page.press("button-continue").await;
    page.wait_for_path("/code").await;
    for _ in 0..5 {
        let before = portal.sandbox().calls().await.code;
        page.fill_field("code-label", "999999").await;
        page.press("code-verify").await;
        while portal.sandbox().calls().await.code == before {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let _ = page.page.wait_for_load_state(None).await;
    }
    page.wait_for_path("/expired").await;
    page.wait_for_text("h1", "attempts-title").await;
    // Not found.
    page.page
        .goto(&portal.url("/no-such-page"), None)
        .await
        .expect("open a missing page");

    // Every HTML document the browser got, as the server sent it.
    let dir = std::env::temp_dir().join(format!("portal-vnu-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let documents = documents.lock().map(|d| d.clone()).unwrap_or_default();
    let mut pages = Vec::new();
    for (url, body) in documents {
        let file = dir.join(format!("{:02}.html", pages.len()));
        std::fs::write(&file, &body).expect("write a page");
        pages.push((file, url));
    }
    let titles: Vec<String> = pages
        .iter()
        .map(|(file, _)| std::fs::read_to_string(file).unwrap_or_default())
        .filter_map(|html| {
            let start = html.find("<title>")? + "<title>".len();
            let end = html[start..].find("</title>")?;
            Some(html[start..start + end].to_string())
        })
        .collect();
    for title in [
        "Reset your password",
        "Answer your secret question",
        "Check your email",
        "Choose a new password",
        "Password changed",
        "This reset expired",
        "Too many attempts",
    ] {
        assert!(
            titles.iter().any(|t| t == title),
            "no page titled {title:?} was checked: {titles:?}"
        );
    }

    let files: Vec<_> = pages.iter().map(|(file, _)| file.clone()).collect();
    let (errors, report) = end2end::nu_html_errors(&files);
    let urls: Vec<String> = pages
        .iter()
        .map(|(file, url)| format!("{} = {url}", file.display()))
        .collect();
    assert!(
        errors.is_empty(),
        "the Nu HTML Checker found errors in {} pages:\n{}\npages:\n{}",
        pages.len(),
        errors.join("\n"),
        urls.join("\n")
    );
    assert!(
        report.contains("Bogus comment"),
        "the checker really read the pages (the one allowed error is there)"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

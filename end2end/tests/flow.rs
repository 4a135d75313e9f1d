//! The recovery flow in a real browser against the real sandbox. Every
//! scenario runs as two tests: JavaScript on, and off. Elements are found
//! the way a trader finds them: by their label or their name.

use std::time::Duration;

use end2end::{in_both_modes, start_portal, Browser, JsMode, Portal, TestPage, DESKTOP, PHONE};

const ALICE_QUESTION: &str = "What street did you live on in third grade?";

/// Generous per-identifier limits: these tests reset the same demo users
/// many times from one portal.
const ROOMY: &[(&str, &str)] = &[
    ("PORTAL_CODE_EMAILS_PER_HOUR", "1000"),
    ("PORTAL_WRONG_ANSWERS_PER_15_MIN", "1000"),
];

async fn enter_login(page: &TestPage, portal: &Portal, login: &str) {
    page.open(&portal.url("/")).await;
    page.fill_field("start-login-label", login).await;
    page.press("button-continue").await;
}

/// A phone-sized page that has entered `login` and landed on `path`.
async fn begin(
    browser: &Browser,
    portal: &Portal,
    mode: JsMode,
    login: &str,
    path: &str,
) -> TestPage {
    let page = browser.page(mode, PHONE).await;
    enter_login(&page, portal, login).await;
    page.wait_for_path(path).await;
    page
}

/// Answer alice's question.
async fn answer(page: &TestPage, text: &str) {
    page.fill_field(ALICE_QUESTION, text).await;
    page.press("button-continue").await;
}

async fn enter_code(page: &TestPage, code: &str) {
    page.fill_field("code-label", code).await;
    page.press("code-verify").await;
}

async fn new_password(page: &TestPage, password: &str, confirmation: &str) {
    page.fill_field("password-new-label", password).await;
    page.fill_field("password-confirm-label", confirmation)
        .await;
    page.press("password-change").await;
}

/// A fresh password per run, so each proof of effect is its own.
fn fresh_password(tag: &str, mode: JsMode) -> String {
    format!("correct horse {tag} {} battery", mode.label())
}

// 100 emoji are 100 code points but 200 UTF-16 units: a browser
// `maxlength` (which counts units) would cut such a password in half
// before the server, which counts code points, ever saw it.
in_both_modes! {
    async fn an_emoji_password_of_100_code_points_arrives_whole(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let page = begin(&browser, &portal, mode, "bob", "/code").await;
        let code = portal.sandbox().latest_code("bob").await;
        enter_code(&page, &code).await;
        page.wait_for_path("/password").await;
        // 100 different animals (37 apart, so no run zxcvbn reads as a
        // sequence or a repeat: a repeated pair scored 1 and was refused).
        let password: String = (0..100u32)
            .filter_map(|i| char::from_u32(0x1F400 + (i * 37) % 100))
            .collect();
        assert_eq!(password.chars().count(), 100);
        new_password(&page, &password, &password).await;
        page.wait_for_path("/done").await;
        assert_eq!(portal.sandbox().sign_in_status("bob", &password).await, 200);
    }
}

in_both_modes! {
    async fn happy_path_with_a_question_changes_the_password(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let mut old = "Alice-Old-Pass-1".to_string();
        for viewport in [PHONE, DESKTOP] {
            let page = browser.page(mode, viewport).await;
            page.open(&portal.url("/")).await;
            page.screenshot("1-start").await;
            page.assert_accessible("the start page").await;
            page.fill_field("start-login-label", "alice").await;
            page.press("button-continue").await;

            page.wait_for_path("/question").await;
            page.wait_for_text(".step-text", &page.t_with("step-of", &[("n", 2), ("count", 4)])).await;
            assert_eq!(page.text("label[for=answer]").await, ALICE_QUESTION);
            page.screenshot("2-question").await;
            page.assert_accessible("the question page").await;
            answer(&page, "Peterson").await;

            page.wait_for_path("/code").await;
            page.wait_for_text(".step-text", &page.t_with("step-of", &[("n", 3), ("count", 4)])).await;
            assert_eq!(
                page.count("#code[autocomplete=one-time-code][inputmode=numeric]")
                    .await,
                1
            );
            page.screenshot("3-code").await;
            page.assert_accessible("the code page").await;
            enter_code(&page, &portal.sandbox().latest_code("alice").await).await;

            page.wait_for_path("/password").await;
            page.wait_for_text(".step-text", &page.t_with("step-of", &[("n", 4), ("count", 4)])).await;
            // The rules are visible before typing.
            assert!(page
                .text("#password-rules")
                .await
                .contains(&page.t_with("password-rule-min", &[("min", 12)])));
            let password = format!("{}{}", fresh_password("alice", mode), viewport.0);
            page.fill_field("password-new-label", &password).await;
            page.fill_field("password-confirm-label", &password).await;
            let ticked = page.count("#password-rules li.met").await;
            match mode {
                // Client-only behaviour: the checklist ticks as the trader types.
                JsMode::On => {
                    assert_eq!(ticked, 5, "every rule ticks live");
                    page.press("password-show").await;
                    assert_eq!(
                        page.count("#password[type=text]").await,
                        1,
                        "reveal shows the text"
                    );
                    page.press("password-hide").await;
                    assert_eq!(page.count("#password[type=password]").await, 1);
                }
                JsMode::Off => {
                    assert_eq!(ticked, 0, "without JS the list is static");
                    assert_eq!(page.button("password-show").count().await.unwrap_or(0), 0);
                }
            }
            page.screenshot("4-password").await;
            page.assert_accessible("the password page").await;
            page.press("password-change").await;

            page.wait_for_path("/done").await;
            assert!(page
                .text("h1")
                .await
                .contains(&page.t("done-heading")));
            assert_eq!(
                page.count("a.button.primary[href=\"/dev/sign-in\"]").await,
                1
            );
            page.screenshot("5-done").await;
            page.assert_accessible("the done page").await;
            page.assert_no_page_errors();

            // Proof of effect: the new password signs in, the old one no longer does.
            assert_eq!(portal.sandbox().sign_in_status("alice", &password).await, 200);
            assert_eq!(portal.sandbox().sign_in_status("alice", &old).await, 401);
            old = password;
        }
    }

    async fn happy_path_without_a_question_goes_straight_to_the_code(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let page = browser.page(mode, PHONE).await;
        enter_login(&page, &portal, "bob@example.com").await;
        page.wait_for_path("/code").await;
        page.wait_for_text(".lead", "bob@example.com").await;
        enter_code(&page, &portal.sandbox().latest_code("bob").await).await;
        page.wait_for_path("/password").await;
        let password = fresh_password("bob", mode);
        new_password(&page, &password, &password).await;
        page.wait_for_path("/done").await;
        page.assert_no_page_errors();
        assert_eq!(portal.sandbox().sign_in_status("bob", &password).await, 200);
        assert_eq!(portal.sandbox().sign_in_status("bob", "Bob-Old-Pass-1").await, 401);
    }

    async fn a_wrong_answer_then_the_right_one(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let page = begin(&browser, &portal, mode, "alice", "/question").await;
        answer(&page, "Smith").await;
        page.wait_for_text("#answer-error", "error-wrong-answer")
            .await;
        assert_eq!(page.path(), "/question");
        assert_eq!(
            page.count("#answer[aria-invalid=true][aria-describedby~=answer-error]")
                .await,
            1
        );
        page.screenshot("2-question-wrong").await;
        page.assert_accessible("a wrong answer").await;
        // GOV.UK: the summary links to the field, has the focus, and the
        // title starts with "Error:".
        assert_eq!(page.count(".error-summary a[href=\"#answer\"]").await, 1);
        assert_eq!(
            page.page.evaluate_value("document.activeElement.classList.contains('error-summary')").await.unwrap(),
            "true"
        );
        assert_eq!(
            page.page.title().await.unwrap(),
            end2end::tr_text(
                page.lang,
                "error-title-prefix",
                &[("title", &page.t("question-title"))]
            )
        );
        answer(&page, "Peterson").await;
        page.wait_for_path("/code").await;
        page.assert_no_page_errors();
    }

    async fn a_wrong_code_then_the_right_one(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let page = begin(&browser, &portal, mode, "bob", "/code").await;
        let code = portal.sandbox().latest_code("bob").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        enter_code(&page, wrong).await;
        page.wait_for_text("#code-error", "error-wrong-code")
            .await;
        assert_eq!(page.path(), "/code");
        page.screenshot("3-code-wrong").await;
        page.assert_accessible("a wrong code").await;
        enter_code(&page, &code).await;
        page.wait_for_path("/password").await;
        page.assert_no_page_errors();
    }

    async fn send_a_new_code(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let page = begin(&browser, &portal, mode, "bob", "/code").await;
        let first = portal.sandbox().latest_code("bob").await;
        let sent_before = portal.sandbox().codes_sent("bob").await;
        page.press("code-send-new").await;
        page.wait_for_text(".notice", "code-new-sent").await;
        assert_eq!(portal.sandbox().codes_sent("bob").await, sent_before + 1);
        let second = portal.sandbox().latest_code("bob").await;
        assert_ne!(first, second);
        enter_code(&page, &second).await;
        page.wait_for_path("/password").await;
        page.assert_no_page_errors();
    }

    async fn the_portals_own_password_checks_make_no_upstream_call(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let page = begin(&browser, &portal, mode, "bob", "/code").await;
        enter_code(&page, &portal.sandbox().latest_code("bob").await).await;
        page.wait_for_path("/password").await;
        let calls = portal.sandbox().calls().await.password;
        new_password(&page, "a long new passphrase", "a long new passphrasf").await;
        page.wait_for_text("#confirmation-error", "error-password-mismatch")
            .await;
        assert_eq!(page.count("#confirmation[aria-invalid=true]").await, 1);
        new_password(&page, "short", "short").await;
        page.wait_for_text("#password-error", &page.t_with("error-password-too-short", &[("min", 12)]))
            .await;
        new_password(&page, "Password1234", "Password1234").await;
        page.wait_for_text("#password-error", "error-password-too-common")
            .await;
        if mode == JsMode::On {
            // After the post the island is live again: typing the same
            // common password ticks every rule but that one.
            page.fill_field("password-new-label", "Password1234").await;
            page.fill_field("password-confirm-label", "Password1234").await;
            assert_eq!(page.count("#password-rules li.met").await, 4);
        }
        assert_eq!(
            portal.sandbox().calls().await.password,
            calls,
            "[{mode:?}] no upstream call"
        );
        page.screenshot("4-password-errors").await;
        page.assert_accessible("password errors").await;
        let password = fresh_password("mismatch", mode);
        new_password(&page, &password, &password).await;
        page.wait_for_path("/done").await;
        page.assert_no_page_errors();
    }

    async fn an_upstream_fault_at_each_step_keeps_the_trader_where_they_were(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let unavailable = "error-unavailable";
        let page = browser.page(mode, PHONE).await;
        // Step 1: the lookup fails; the trader's login stays in the field.
        portal
            .sandbox()
            .fault_once("secret_question", "server_error_html")
            .await;
        enter_login(&page, &portal, "alice").await;
        page.wait_for_text(".form-error", unavailable).await;
        assert_eq!(page.path(), "/");
        assert_eq!(
            page.field_value("start-login-label").await,
            "alice",
            "[{mode:?}] input kept"
        );
        page.screenshot("1-start-unavailable").await;
        page.assert_accessible("upstream unavailable").await;
        page.press("button-continue").await;
        page.wait_for_path("/question").await;

        // Step 2: the reset request fails.
        portal.sandbox().fault_once("reset", "garbage_json").await;
        answer(&page, "Peterson").await;
        page.wait_for_text(".form-error", unavailable).await;
        assert_eq!(page.path(), "/question");
        answer(&page, "Peterson").await;
        page.wait_for_path("/code").await;

        // Step 3: the code exchange fails; the same code works on retry.
        let code = portal.sandbox().latest_code("alice").await;
        portal.sandbox().fault_once("code", "wrong_shape").await;
        enter_code(&page, &code).await;
        page.wait_for_text(".form-error", unavailable).await;
        assert_eq!(page.path(), "/code");
        enter_code(&page, &code).await;
        page.wait_for_path("/password").await;

        // Step 4: setting the password fails after the PUT went out, so
        // nobody can say whether it changed. The flow recorded the PUT
        // before sending it: the trader is told to try signing in, and is
        // never shown the form with a token that may be spent, not even
        // after a refresh (security: `password-put-recorded`).
        portal.sandbox().fault_once("password", "server_error_html").await;
        let password = fresh_password("fault", mode);
        new_password(&page, &password, &password).await;
        page.wait_for_text("h1", "sent-title").await;
        assert_eq!(page.path(), "/password");
        assert_eq!(page.count("input[type=password]").await, 0, "[{mode:?}]");
        page.screenshot("4-password-sent").await;
        page.assert_accessible("password may be changed").await;
        page.reload().await;
        page.wait_for_text("h1", "sent-title").await;
        assert_eq!(page.count("input[type=password]").await, 0, "[{mode:?}]");
        // This fault came before the change: signing in fails, and
        // starting over is the way on.
        assert_ne!(portal.sandbox().sign_in_status("alice", &password).await, 200);
        page.press("start-over").await;
        page.wait_for_path("/").await;
        page.assert_no_page_errors();
    }

    async fn an_idle_flow_expires_with_a_clear_page(mode) {
        let mut settings = ROOMY.to_vec();
        settings.push(("PORTAL_FLOW_IDLE_SECS", "2"));
        let portal = start_portal(&settings).await;
        let browser = Browser::launch().await;
        let page = begin(&browser, &portal, mode, "bob", "/code").await;
        let code = portal.sandbox().latest_code("bob").await;
        tokio::time::sleep(Duration::from_millis(2500)).await;
        enter_code(&page, &code).await;
        page.wait_for_path("/expired").await;
        page.wait_for_text("h1", "expired-title").await;
        page.assert_accessible("the expired page").await;
        page.screenshot("expired").await;
        // Refreshing a step page after expiry lands on the same explanation.
        page.open(&portal.url("/code")).await;
        page.wait_for_path("/expired").await;
        page.follow("start-again").await;
        page.wait_for_path("/").await;
        page.assert_no_page_errors();
    }

    async fn back_and_refresh_keep_the_trader_on_their_step(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let page = begin(&browser, &portal, mode, "alice", "/question").await;
        page.reload().await;
        page.wait_for_path("/question").await;
        // Start is behind the trader now: it sends them back to their step.
        page.back().await;
        page.wait_for_path("/question").await;

        answer(&page, "Peterson").await;
        page.wait_for_path("/code").await;
        page.reload().await;
        page.wait_for_path("/code").await;
        page.back().await;
        page.wait_for_path("/code").await;

        enter_code(&page, &portal.sandbox().latest_code("alice").await).await;
        page.wait_for_path("/password").await;
        page.reload().await;
        page.wait_for_path("/password").await;
        page.back().await;
        page.wait_for_path("/password").await;

        let password = fresh_password("back", mode);
        new_password(&page, &password, &password).await;
        page.wait_for_path("/done").await;
        page.reload().await;
        page.wait_for_path("/done").await;
        // The flow is gone: its pages lead back to "done" (a trader whose
        // last answer was lost reloads the password page and reads that
        // it worked), never to the form.
        page.open(&portal.url("/password")).await;
        page.wait_for_path("/done").await;
        page.assert_no_page_errors();
    }

    async fn start_over_throws_the_flow_away(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let page = begin(&browser, &portal, mode, "bob", "/code").await;
        page.press("start-over").await;
        page.wait_for_path("/").await;
        assert_eq!(page.field_value("start-login-label").await, "");
        page.open(&portal.url("/code")).await;
        page.wait_for_path("/expired").await;
        // And a new flow starts cleanly.
        enter_login(&page, &portal, "alice").await;
        page.wait_for_path("/question").await;
        page.assert_no_page_errors();
    }

    async fn an_upstream_question_is_shown_as_text(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let page = begin(&browser, &portal, mode, "mallory", "/question").await;
        assert_eq!(
            page.text("label[for=answer]").await,
            "<img src=x onerror=alert(1)>"
        );
        assert_eq!(page.count("img[src=x]").await, 0);
        page.assert_no_page_errors();
    }

    async fn five_wrong_codes_end_the_reset_with_a_clear_reason(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let page = begin(&browser, &portal, mode, "bob", "/code").await;
        let code = portal.sandbox().latest_code("bob").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let step = ("code", "/code", "#code-error", "error-wrong-code");
        five_wrong_tries_burn_the_flow(&page, &portal, step, async || {
            enter_code(&page, wrong).await
        })
        .await;
        page.screenshot("too-many-attempts").await;
    }

    async fn five_wrong_answers_end_the_reset_with_a_clear_reason(mode) {
        let portal = start_portal(ROOMY).await;
        let browser = Browser::launch().await;
        let page = begin(&browser, &portal, mode, "alice", "/question").await;
        let step = ("reset", "/question", "#answer-error", "error-wrong-answer");
        five_wrong_tries_burn_the_flow(&page, &portal, step, async || answer(&page, "Smith").await)
            .await;
    }
}

/// Four wrong tries keep the trader on the step with the error; the fifth
/// ends the reset and says why. Each try waits for its upstream call, since
/// the error text of the previous one is already on the page.
async fn five_wrong_tries_burn_the_flow(
    page: &TestPage,
    portal: &Portal,
    (endpoint, path, error, message): (&str, &str, &str, &str),
    try_once: impl AsyncFn(),
) {
    for attempt in 1..=4 {
        let before = portal.sandbox().calls_to(endpoint).await;
        try_once().await;
        while portal.sandbox().calls_to(endpoint).await == before {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        page.wait_for_text(error, message).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(page.path(), path, "attempt {attempt}");
    }
    try_once().await;
    page.wait_for_path("/expired").await;
    page.wait_for_text("h1", "attempts-title").await;
    page.assert_accessible("the too-many-attempts page").await;
    // ROOMY leaves the per-login budget wide, so the flow's own limit ends
    // it and no lockout runs: the page must not invent a wait (the lockout
    // wording, "wait 15 minutes", is checked over HTTP in store_processes).
    let lead = page.text(".lead").await;
    assert!(lead.contains(&page.t("attempts-check")), "{lead}");
    assert!(
        !lead.contains(&page.t_with("attempts-wait", &[("minutes", 15)])),
        "{lead}"
    );
    page.assert_no_page_errors();
}

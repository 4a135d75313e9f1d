//! Accessibility beyond axe-core (which runs inside the flow scenarios):
//! a whole reset by keyboard alone, no horizontal scroll at 320 px, text
//! at 200 % unclipped, and no transitions when motion is reduced. In
//! English and in Arabic (right to left).

use end2end::{start_portal, tr, Browser, JsMode, TestPage, DESKTOP, LANG, PHONE};

/// What has the focus: its id (or tag and text), and whether it is fully
/// on screen with a size.
async fn focused(page: &TestPage) -> (String, bool) {
    let probe: serde_json::Value = page
        .page
        .evaluate(
            "() => { const e = document.activeElement; const r = e.getBoundingClientRect();
               return { name: e.id || (e.tagName.toLowerCase() + ':' + e.textContent.trim()),
                        visible: e !== document.body && r.width > 0 && r.height > 0
                          && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight
                          && r.right <= innerWidth
                          && getComputedStyle(e).visibility !== 'hidden' }; }",
            None::<&()>,
        )
        .await
        .expect("read the focus");
    (
        probe["name"].as_str().unwrap_or_default().to_string(),
        probe["visible"].as_bool().unwrap_or(false),
    )
}

async fn key(page: &TestPage, key: &str) {
    page.page.keyboard().press(key, None).await.expect(key);
}

async fn typed(page: &TestPage, text: &str) {
    page.page
        .keyboard()
        .type_text(text, None)
        .await
        .expect("type");
}

/// Assert the focus is on `name` and visible.
async fn focus_is(page: &TestPage, name: &str) {
    let (now, visible) = focused(page).await;
    assert_eq!(now, name, "[{}] focus order", page.lang);
    assert!(visible, "[{}] the focused {name} is on screen", page.lang);
}

async fn by_keyboard_only() {
    let portal = start_portal(&[]).await;
    let browser = Browser::launch().await;
    let page = browser.page(JsMode::On, PHONE).await;
    page.open(&portal.url("/")).await;
    // Step 1: the field has the focus; type and press Enter.
    focus_is(&page, "login").await;
    typed(&page, "bob").await;
    key(&page, "Tab").await;
    focus_is(
        &page,
        &format!("button:{}", tr(page.lang, "button-continue")),
    )
    .await;
    key(&page, "Shift+Tab").await;
    focus_is(&page, "login").await;
    key(&page, "Enter").await;
    page.wait_for_path("/code").await;
    // Step 3: the code, then Enter on the button.
    focus_is(&page, "code").await;
    typed(&page, &portal.sandbox().latest_code("bob").await).await;
    key(&page, "Tab").await;
    focus_is(&page, &format!("button:{}", tr(page.lang, "code-verify"))).await;
    key(&page, "Enter").await;
    page.wait_for_path("/password").await;
    // Step 4: both fields, past the show/hide toggle, to the submit button.
    focus_is(&page, "password").await;
    typed(&page, "a long new passphrase").await;
    key(&page, "Tab").await;
    focus_is(&page, "confirmation").await;
    typed(&page, "a long new passphrase").await;
    key(&page, "Tab").await;
    focus_is(&page, &format!("button:{}", tr(page.lang, "password-show"))).await;
    key(&page, "Tab").await;
    focus_is(
        &page,
        &format!("button:{}", tr(page.lang, "password-change")),
    )
    .await;
    key(&page, "Enter").await;
    page.wait_for_path("/done").await;
    // Done: the sign-in link is reachable by Tab.
    let sign_in = end2end::tr_text(page.lang, "done-sign-in", &[("broker", "AutoShares")]);
    let mut reached = false;
    for _ in 0..4 {
        key(&page, "Tab").await;
        let (now, visible) = focused(&page).await;
        assert!(visible, "[{}] {now} is on screen", page.lang);
        if now == format!("a:{sign_in}") {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab reaches the sign-in link");
    page.assert_no_page_errors();
}

#[tokio::test]
async fn a_whole_reset_by_keyboard_alone() {
    by_keyboard_only().await
}

#[tokio::test]
async fn a_whole_reset_by_keyboard_alone_in_arabic() {
    LANG.scope("ar", by_keyboard_only()).await
}

/// Whether the page fits its window's width (no sideways scroll).
async fn fits_sideways(page: &TestPage) -> bool {
    page.page
        .evaluate(
            "() => document.documentElement.scrollWidth <= window.innerWidth",
            None::<&()>,
        )
        .await
        .expect("measure the page")
}

/// Every step at 320 px: nothing scrolls sideways. Then at 200 % text on
/// a desktop: nothing overflows its box (clipped text).
async fn narrow_and_zoomed() {
    let portal = start_portal(&[]).await;
    let browser = Browser::launch().await;
    let page = browser.page(JsMode::On, (320, 640)).await;
    let check = |what: &'static str| {
        let page = &page;
        async move {
            let fits = fits_sideways(page).await;
            assert!(fits, "[{}] {what} scrolls sideways at 320 px", page.lang);
            // Text at 200 % on a desktop screen (WCAG 1.4.4).
            page.page
                .set_viewport_size(playwright_rs::protocol::Viewport {
                    width: 1280,
                    height: 800,
                })
                .await
                .unwrap();
            page.page
                .evaluate::<(), serde_json::Value>(
                    "() => { document.documentElement.style.fontSize = '200%'; return true; }",
                    None,
                )
                .await
                .unwrap();
            let clipped: Vec<String> = page
                .page
                .evaluate(
                    "() => [...document.querySelectorAll('h1, p, label, button, a, li, input')]
                        .filter(e => e.scrollWidth > e.clientWidth + 1
                                     && getComputedStyle(e).overflowX !== 'visible')
                        .map(e => e.outerHTML.slice(0, 80))",
                    None::<&()>,
                )
                .await
                .unwrap();
            assert!(
                clipped.is_empty(),
                "[{}] {what} at 200 %: {clipped:?}",
                page.lang
            );
            let fits = fits_sideways(page).await;
            assert!(fits, "[{}] {what} at 200 % scrolls sideways", page.lang);
            page.page
                .evaluate::<(), serde_json::Value>(
                    "() => { document.documentElement.style.fontSize = ''; return true; }",
                    None,
                )
                .await
                .unwrap();
            page.page
                .set_viewport_size(playwright_rs::protocol::Viewport {
                    width: 320,
                    height: 640,
                })
                .await
                .unwrap();
        }
    };
    page.open(&portal.url("/")).await;
    check("the start page").await;
    page.fill_field("start-login-label", "alice").await;
    page.press("button-continue").await;
    page.wait_for_path("/question").await;
    check("the question page").await;
    page.fill_field("What street did you live on in third grade?", "Peterson")
        .await;
    page.press("button-continue").await;
    page.wait_for_path("/code").await;
    check("the code page").await;
    page.fill_field("code-label", &portal.sandbox().latest_code("alice").await)
        .await;
    page.press("code-verify").await;
    page.wait_for_path("/password").await;
    check("the password page").await;
    page.fill_field("password-new-label", "short").await;
    page.fill_field("password-confirm-label", "short").await;
    page.press("password-change").await;
    page.wait_for_text("#password-error", "12").await;
    check("password errors").await;
    page.fill_field("password-new-label", "a long new passphrase")
        .await;
    page.fill_field("password-confirm-label", "a long new passphrase")
        .await;
    page.press("password-change").await;
    page.wait_for_path("/done").await;
    check("the done page").await;
}

#[tokio::test]
async fn narrow_screens_and_large_text_in_english() {
    narrow_and_zoomed().await
}

#[tokio::test]
async fn narrow_screens_and_large_text_in_arabic() {
    LANG.scope("ar", narrow_and_zoomed()).await
}

/// With `prefers-reduced-motion: reduce` nothing transitions.
#[tokio::test]
async fn reduced_motion_turns_transitions_off() {
    let portal = start_portal(&[]).await;
    let browser = Browser::launch().await;
    let duration = |motion: &'static str| {
        let browser = &browser;
        let portal = &portal;
        async move {
            let page = browser.page_with_motion(JsMode::On, DESKTOP, motion).await;
            page.open(&portal.url("/")).await;
            page.page
                .evaluate_value(
                    "[...document.querySelectorAll('*')].map(e => getComputedStyle(e).transitionDuration).filter(d => d !== '0s').join(' ')",
                )
                .await
                .unwrap()
        }
    };
    assert_eq!(duration("reduce").await, "", "no transition at all");
    assert_ne!(
        duration("no-preference").await,
        "",
        "the check sees transitions when motion is allowed"
    );
}

/// The axe-core check can fail: an unlabelled field added to a portal
/// page is reported.
#[tokio::test]
async fn the_axe_check_notices_an_unlabelled_field() {
    let portal = start_portal(&[]).await;
    let url = portal.url("/");
    let outcome = tokio::spawn(async move {
        let browser = Browser::launch().await;
        let page = browser.page(JsMode::On, DESKTOP).await;
        page.open(&url).await;
        page.page
            .evaluate::<(), serde_json::Value>(
                "() => { document.querySelector('form').append(document.createElement('input')); return true; }",
                None,
            )
            .await
            .unwrap();
        page.assert_accessible("a page with an unlabelled input").await;
    })
    .await;
    let panic = outcome.expect_err("axe-core must report the unlabelled input");
    let message = panic
        .into_panic()
        .downcast::<String>()
        .map(|m| *m)
        .unwrap_or_default();
    assert!(message.contains("label"), "{message}");
}

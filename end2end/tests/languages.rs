//! Every language the portal ships, in a real browser: a whole reset in
//! each; the switcher without JavaScript; `<html lang dir>`.

use end2end::{start_portal, tr, Browser, JsMode, TestPage, DESKTOP, LANG, PHONE};

/// The attributes of `<html>`.
async fn html_lang_dir(page: &TestPage) -> (String, String) {
    let lang = page
        .page
        .locator("html")
        .get_attribute("lang")
        .await
        .unwrap()
        .unwrap_or_default();
    let dir = page
        .page
        .locator("html")
        .get_attribute("dir")
        .await
        .unwrap()
        .unwrap_or_default();
    (lang, dir)
}

/// bob (no secret question) resets his password in `lang`, the browser
/// asking for it through `Accept-Language`.
async fn reset_in(lang: &'static str) {
    let portal = start_portal(&[("PORTAL_CODE_EMAILS_PER_HOUR", "100")]).await;
    let browser = Browser::launch().await;
    let page = browser.page(JsMode::On, PHONE).await;
    assert_eq!(page.lang, lang);
    page.open(&portal.url("/")).await;
    let dir = if lang == "ar" { "rtl" } else { "ltr" };
    assert_eq!(
        html_lang_dir(&page).await,
        (lang.to_string(), dir.to_string())
    );
    assert_eq!(page.text("h1").await, tr(lang, "start-title"));
    page.fill_field("start-login-label", "bob").await;
    page.press("button-continue").await;
    page.wait_for_path("/code").await;
    page.fill_field("code-label", &portal.sandbox().latest_code("bob").await)
        .await;
    page.press("code-verify").await;
    page.wait_for_path("/password").await;
    // The island's words come in the page's language too.
    assert!(page
        .text("#password-rules")
        .await
        .contains(&tr(lang, "password-rule-not-common")));
    page.press("password-show").await;
    assert_eq!(page.button("password-hide").count().await.unwrap_or(0), 1);
    page.fill_field("password-new-label", "a long new passphrase")
        .await;
    page.fill_field("password-confirm-label", "a long new passphrase")
        .await;
    page.press("password-change").await;
    page.wait_for_path("/done").await;
    assert_eq!(page.text("h1").await, tr(lang, "done-heading"));
    page.assert_no_page_errors();
}

#[tokio::test]
async fn a_whole_reset_in_english() {
    LANG.scope("en", reset_in("en")).await
}

#[tokio::test]
async fn a_whole_reset_in_spanish() {
    LANG.scope("es", reset_in("es")).await
}

#[tokio::test]
async fn a_whole_reset_in_brazilian_portuguese() {
    LANG.scope("pt-BR", reset_in("pt-BR")).await
}

#[tokio::test]
async fn a_whole_reset_in_french() {
    LANG.scope("fr", reset_in("fr")).await
}

#[tokio::test]
async fn a_whole_reset_in_german() {
    LANG.scope("de", reset_in("de")).await
}

#[tokio::test]
async fn a_whole_reset_in_arabic() {
    LANG.scope("ar", reset_in("ar")).await
}

/// Without JavaScript, the switcher's links change the language and keep
/// the trader on their step; the choice outlives the reset (a cookie of
/// its own, not the session's).
#[tokio::test]
async fn the_switcher_works_without_javascript_and_keeps_the_step() {
    let portal = start_portal(&[]).await;
    let browser = Browser::launch().await;
    let page = browser.page(JsMode::Off, DESKTOP).await;
    page.open(&portal.url("/")).await;
    assert_eq!(html_lang_dir(&page).await, ("en".into(), "ltr".into()));
    page.fill_field("start-login-label", "bob").await;
    page.press("button-continue").await;
    page.wait_for_path("/code").await;
    page.follow("العربية").await;
    page.wait_for_text("h1", &tr("ar", "code-title")).await;
    assert_eq!(page.path(), "/code", "the trader stays on their step");
    assert_eq!(html_lang_dir(&page).await, ("ar".into(), "rtl".into()));
    let cookies = page.context.cookies(None).await.unwrap();
    let lang = cookies
        .iter()
        .find(|c| c.name == "lang")
        .map(|c| c.value.clone());
    assert_eq!(lang.as_deref(), Some("ar"));
    page.follow("Deutsch").await;
    page.wait_for_text("h1", &tr("de", "code-title")).await;
    assert_eq!(page.path(), "/code");
}

/// A broker can narrow the list and pick the default: the start page then
/// speaks the default to a browser asking for a language not offered, and
/// the switcher offers only the listed ones.
#[tokio::test]
async fn a_broker_narrows_the_languages() {
    let portal = start_portal(&[
        ("PORTAL_LANGUAGES", "de,fr"),
        ("PORTAL_DEFAULT_LANGUAGE", "de"),
    ])
    .await;
    let browser = Browser::launch().await;
    let page = browser.page(JsMode::Off, PHONE).await;
    page.open(&portal.url("/")).await;
    assert_eq!(html_lang_dir(&page).await, ("de".into(), "ltr".into()));
    assert_eq!(page.count("nav.languages a").await, 2);
    assert_eq!(page.count("nav.languages a[hreflang=fr]").await, 1);
}

//! The broker's own look: a dark brand colour (and its own dark-scheme
//! colour), a favicon, a support line per language and the help, privacy
//! and terms links. Every step is accessible (axe-core) in both JavaScript
//! modes, in English and Arabic; the button wears the brand colour in
//! both schemes; the footer's six languages sit on one line at 1280 px;
//! a colour that fails contrast is refused by `check-config` with its
//! ratio; and a first visit stays under 6 KB over the wire.

use std::process::Command;

use end2end::{in_both_modes, portal_bin, start_portal, Browser, JsMode, TestPage, DESKTOP, PHONE};

const BRAND: &str = "#6d1a36";
const BRAND_RGB: &str = "rgb(109, 26, 54)";
const BRAND_DARK: &str = "#e58fb0";
const BRAND_DARK_RGB: &str = "rgb(229, 143, 176)";
const SUPPORT_EN: &str = "Need help? Call +1 212 555 0100, 8am–8pm ET";
const SUPPORT_AR: &str = "هل تحتاج إلى مساعدة؟ اتصل بنا على 0100 555 212 1+";

const BRANDED: &[(&str, &str)] = &[
    ("PORTAL_BRAND_COLOR", BRAND),
    ("PORTAL_BRAND_COLOR_DARK", BRAND_DARK),
    ("PORTAL_FAVICON_URL", "/logo.svg"),
    ("PORTAL_SUPPORT_TEXT", SUPPORT_EN),
    ("PORTAL_SUPPORT_TEXT_AR", SUPPORT_AR),
    ("PORTAL_SUPPORT_URL", "https://help.broker.example/"),
    ("PORTAL_PRIVACY_URL", "https://broker.example/privacy"),
    ("PORTAL_TERMS_URL", "https://broker.example/terms"),
    ("PORTAL_CODE_EMAILS_PER_HOUR", "1000"),
];

/// The computed background of the page's main button.
async fn button_colour(page: &TestPage) -> String {
    page.page
        .evaluate(
            "() => getComputedStyle(document.querySelector('button.primary, a.primary')).backgroundColor",
            None::<&()>,
        )
        .await
        .expect("read the button's colour")
}

/// The footer as the trader sees it: support line, help, privacy and
/// terms links, favicon.
async fn assert_footer(page: &TestPage) {
    let support = page.text(".foot .support").await;
    let wanted = if page.lang == "ar" {
        SUPPORT_AR
    } else {
        SUPPORT_EN
    };
    assert!(
        support.contains(wanted),
        "[{}] support line: {support:?}",
        page.lang
    );
    assert!(support.contains(&page.t("footer-help")), "{support:?}");
    for (label, href) in [
        ("footer-help", "https://help.broker.example/"),
        ("footer-privacy", "https://broker.example/privacy"),
        ("footer-terms", "https://broker.example/terms"),
    ] {
        let found: String = page
            .page
            .evaluate(
                &format!(
                    "() => [...document.querySelectorAll('footer a')].filter(a => a.textContent.trim() === {:?}).map(a => a.getAttribute('href')).join(' ')",
                    page.t(label)
                ),
                None::<&()>,
            )
            .await
            .expect("read the footer's links");
        assert_eq!(found, href, "[{}] {label}", page.lang);
    }
    let icon: String = page
        .page
        .evaluate(
            "() => document.querySelector('link[rel=icon]').getAttribute('href')",
            None::<&()>,
        )
        .await
        .expect("read the favicon link");
    assert_eq!(icon, "/logo.svg");
}

in_both_modes! {
    async fn every_step_wears_the_brand_and_stays_accessible(mode) {
        let portal = start_portal(BRANDED).await;
        let browser = Browser::launch().await;
        let page = browser.page(mode, PHONE).await;
        page.open(&portal.url("/")).await;
        assert_eq!(button_colour(&page).await, BRAND_RGB, "[{}] start", page.lang);
        assert_footer(&page).await;
        page.assert_accessible("branded start").await;
        page.screenshot("brand-start").await;

        page.fill_field("start-login-label", "alice").await;
        page.press("button-continue").await;
        page.wait_for_path("/question").await;
        assert_eq!(button_colour(&page).await, BRAND_RGB);
        page.assert_accessible("branded question").await;
        page.fill_field("What street did you live on in third grade?", "Peterson").await;
        page.press("button-continue").await;

        page.wait_for_path("/code").await;
        assert_eq!(button_colour(&page).await, BRAND_RGB);
        page.assert_accessible("branded code").await;
        let code = portal.sandbox().latest_code("alice").await;
        page.fill_field("code-label", &code).await;
        page.press("code-verify").await;

        page.wait_for_path("/password").await;
        assert_eq!(button_colour(&page).await, BRAND_RGB);
        page.assert_accessible("branded password").await;
        page.screenshot("brand-password").await;
        let password = format!("maroon brand {} passphrase", mode.label());
        page.fill_field("password-new-label", &password).await;
        page.fill_field("password-confirm-label", &password).await;
        page.press("password-change").await;

        page.wait_for_path("/done").await;
        assert_eq!(button_colour(&page).await, BRAND_RGB, "the sign-in link");
        assert_footer(&page).await;
        page.assert_accessible("branded done").await;
        page.screenshot("brand-done").await;
        page.assert_no_page_errors();

        // The dark scheme wears the broker's dark colour, and passes too.
        let dark = browser.page_in(mode, PHONE, "dark").await;
        dark.open(&portal.url("/")).await;
        assert_eq!(button_colour(&dark).await, BRAND_DARK_RGB, "[{}] dark", dark.lang);
        dark.assert_accessible("branded start, dark").await;
        dark.screenshot("brand-start-dark").await;
    }
}

/// The six language names fit one line at 1280 px (they once wrapped the
/// sixth), and the footer wraps without sideways scroll on a phone.
async fn footer_fits(lang: &'static str) {
    end2end::LANG
        .scope(lang, async {
            let portal = start_portal(BRANDED).await;
            let browser = Browser::launch().await;
            for (size, one_line) in [(DESKTOP, true), (PHONE, false)] {
                let page = browser.page(JsMode::Off, size).await;
                page.open(&portal.url("/")).await;
                let (rows, fits): (usize, bool) = {
                    let probe: serde_json::Value = page
                        .page
                        .evaluate(
                            "() => ({ rows: new Set([...document.querySelectorAll('.languages li')].map(li => li.getBoundingClientRect().top)).size,
                                      fits: document.documentElement.scrollWidth <= innerWidth })",
                            None::<&()>,
                        )
                        .await
                        .expect("measure the footer");
                    (
                        probe["rows"].as_u64().unwrap_or(0) as usize,
                        probe["fits"].as_bool().unwrap_or(false),
                    )
                };
                assert_eq!(page.count(".languages li").await, 6);
                if one_line {
                    assert_eq!(rows, 1, "[{lang}] the six languages on one line at 1280 px");
                }
                assert!(fits, "[{lang}] no sideways scroll at {size:?}");
            }
        })
        .await
}

#[tokio::test]
async fn the_footer_fits_six_languages_on_one_line() {
    footer_fits("en").await
}

#[tokio::test]
async fn the_footer_fits_six_languages_on_one_line_in_arabic() {
    footer_fits("ar").await
}

/// `check-config` refuses a colour below 4.5:1 with the measured ratio and
/// the nearest colour that passes; a derived dark colour is described.
#[test]
fn check_config_refuses_a_pale_brand_colour() {
    let run = |color: &str| {
        Command::new(portal_bin())
            .arg("check-config")
            .env_clear()
            .env("AUTOSHARES_API_URL", "sandbox")
            .env("PORTAL_BRAND_COLOR", color)
            .output()
            .expect("check-config runs")
    };
    let refused = run("#7fb2e5");
    let text = String::from_utf8_lossy(&refused.stdout);
    assert_eq!(refused.status.code(), Some(1), "{text}");
    assert!(
        text.contains("problem: PORTAL_BRAND_COLOR (`brand_color`): #7fb2e5 has 2.05:1 against the page (#f3f5f8) in the light scheme"),
        "{text}"
    );
    assert!(text.contains("The nearest colour that passes: #"), "{text}");

    let passed = run(BRAND);
    let text = String::from_utf8_lossy(&passed.stdout);
    assert!(passed.status.success(), "{text}");
    assert!(
        text.contains(&format!("# brand colours: light {BRAND}")),
        "{text}"
    );
    assert!(text.contains("derived from brand_color"), "{text}");
}

/// Bytes of one answer as sent: status line, headers and body.
async fn wire_bytes(portal: &end2end::Portal, path: &str) -> (usize, String) {
    let response = portal
        .http()
        .get(portal.url(path))
        .header("accept-encoding", "br, gzip")
        .header("accept", "text/html,*/*")
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let head = "HTTP/1.1 200 OK\r\n".len()
        + response
            .headers()
            .iter()
            .map(|(k, v)| k.as_str().len() + v.len() + 4)
            .sum::<usize>()
        + 2;
    let body = response.bytes().await.expect("the body");
    (
        head + body.len(),
        String::from_utf8_lossy(&body).into_owned(),
    )
}

/// A first visit to the branded start page (the page, its one stylesheet,
/// the favicon and the logo) stays under 6 KB over the wire, and the
/// page links the branded stylesheet, not the stock one.
#[tokio::test]
async fn a_branded_first_visit_stays_under_6_kb() {
    let portal = start_portal(BRANDED).await;
    // reqwest doesn't decode brotli here: read the page's links in plain.
    let html = portal
        .http()
        .get(portal.url("/"))
        .send()
        .await
        .expect("GET /")
        .text()
        .await
        .expect("the page");
    let sheets: Vec<&str> = html
        .split("rel=\"stylesheet\"")
        .skip(1)
        .filter_map(|rest| rest.split("href=\"").nth(1)?.split('"').next())
        .collect();
    assert_eq!(sheets.len(), 1, "one stylesheet: {html}");
    let stock = end2end::built_files("css");
    assert!(
        !stock.contains(&sheets[0].to_string()),
        "the branded sheet, not {stock:?}"
    );
    assert!(!html.contains("<script"), "the start page loads no script");

    let mut total = 0;
    let mut parts = Vec::new();
    for path in ["/", sheets[0], "/logo.svg"] {
        let (bytes, _) = wire_bytes(&portal, path).await;
        parts.push(format!("{path} {bytes} B"));
        total += bytes;
    }
    let (_, css) = wire_bytes(&portal, sheets[0]).await;
    assert!(!css.is_empty());
    println!("first visit: {total} B ({})", parts.join(", "));
    assert!(total < 6_000, "first visit {total} B: {parts:?}");
}

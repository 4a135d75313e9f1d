//! The browser-test harness: starts the built portal (release binary, in
//! sandbox mode, through `portal-harness`, the launcher the portal's own
//! tests use too) and drives Debian's Chromium through playwright-rs. JavaScript on and off is a test configuration:
//! `in_both_modes!` declares each scenario as two tests, so a failure in
//! one mode can't hide the other.
//!
//! Nobody has to export anything: the Playwright driver variables are set
//! here, and `PLAYWRIGHT_SKIP_DRIVER_DOWNLOAD` comes from `.cargo/config.toml`
//! (and from `.ci/portal`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use playwright_rs::protocol::{AriaRole, BrowserContextOptions, GetByRoleOptions, Viewport};
use playwright_rs::{api::LaunchOptions, Playwright};

pub mod words;
pub use portal_harness::Portal;
pub use words::{current_lang, tr, tr_text, tr_with, LANG};

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// The repository root (end2end's parent).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The release binary: `PORTAL_BIN`, or the default build location.
pub fn portal_bin() -> PathBuf {
    std::env::var("PORTAL_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo_root().join("target/release/autoshares-portal"))
}

/// The site the release build wrote (`PORTAL_SITE_ROOT`, else target/site).
pub fn site_root() -> PathBuf {
    std::env::var("PORTAL_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo_root().join("target/site"))
}

/// The URL paths of the built files in `/pkg` whose names end in `.{ext}`
/// (the hashed CSS, JS, WASM; not their precompressed copies).
pub fn built_files(ext: &str) -> Vec<String> {
    let suffix = format!(".{ext}");
    std::fs::read_dir(site_root().join("pkg"))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(&suffix))
                .map(|name| format!("/pkg/{name}"))
                .collect()
        })
        .unwrap_or_default()
}

/// The Nu HTML Checker (npm `vnu-jar`, on Java) on these files: its
/// errors, and its whole report. The one error allowed is "Bogus comment",
/// for the `<!>` placeholder tachys 0.2.19 writes for every empty view
/// (`()`, `None`, the end of a list: src/view/tuples.rs:40,
/// src/view/iterators.rs:345, src/view/primitives.rs:86), in islands mode
/// too; every other error is returned.
pub fn nu_html_errors(files: &[PathBuf]) -> (Vec<String>, String) {
    let jar = repo_root().join("end2end/node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.exists(),
        "{} is missing: run .ci/portal setup",
        jar.display()
    );
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu"])
        .args(files)
        .output()
        .expect("run java -jar vnu.jar");
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    let errors = report
        .lines()
        .filter(|line| line.contains("error"))
        .filter(|line| !line.ends_with("error: Bogus comment."))
        .map(str::to_string)
        .collect();
    (errors, report)
}

/// The release portal in sandbox mode, set up for browser tests, plus
/// `extra` settings (the harness's environment, then these, then `extra`).
pub async fn start_portal(extra: &[(&str, &str)]) -> Portal {
    let bin = portal_bin();
    assert!(
        bin.exists(),
        "no portal binary at {}: run `cargo leptos build --release` first",
        bin.display()
    );
    Portal::builder(bin)
        .env("LEPTOS_SITE_ROOT", site_root().display().to_string())
        // `access=debug`: one line per request, so tests can count fetches.
        .env("RUST_LOG", "info,access=debug")
        // Browser tests post many forms from one address.
        .env("PORTAL_IP_BURST", "10000")
        .envs(extra)
        .start()
        .await
}

/// The browser's own navigation buttons.
#[derive(Clone, Copy, Debug)]
enum History {
    Reload,
    Back,
}

/// How a test runs the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsMode {
    /// JavaScript on: a page's islands must hydrate.
    On,
    /// JavaScript off: plain HTML forms only.
    Off,
}

impl JsMode {
    pub fn label(self) -> &'static str {
        match self {
            JsMode::On => "js",
            JsMode::Off => "nojs",
        }
    }
}

/// Declare one browser scenario as four tests: `<name>::js` and
/// `<name>::nojs` in English, `<name>::ar_js` and `<name>::ar_nojs` in
/// Arabic (right to left), each with its own portal and browser. Pages
/// opened in the scenario ask for the language through the browser's
/// locale (`Accept-Language`); labels and messages are named by their
/// Fluent id, so the same scenario reads the page in either language:
///
/// ```ignore
/// in_both_modes! {
///     async fn a_wrong_code_then_the_right_one(mode) { … }
/// }
/// ```
///
/// `cargo test nojs` runs the JavaScript-off half only.
#[macro_export]
macro_rules! in_both_modes {
    ($(async fn $name:ident($mode:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn scenario($mode: $crate::JsMode) $body

            #[tokio::test]
            async fn js() {
                scenario($crate::JsMode::On).await
            }

            #[tokio::test]
            async fn nojs() {
                scenario($crate::JsMode::Off).await
            }

            #[tokio::test]
            async fn ar_js() {
                $crate::LANG.scope("ar", scenario($crate::JsMode::On)).await
            }

            #[tokio::test]
            async fn ar_nojs() {
                $crate::LANG.scope("ar", scenario($crate::JsMode::Off)).await
            }
        }
    )*};
}

pub const PHONE: (u32, u32) = (390, 844);
pub const DESKTOP: (u32, u32) = (1280, 800);

/// Playwright with Debian's Chromium.
pub struct Browser {
    _playwright: Playwright,
    browser: playwright_rs::protocol::Browser,
}

impl Browser {
    pub async fn launch() -> Browser {
        let cli = repo_root().join("end2end/node_modules/playwright-core/cli.js");
        assert!(
            cli.exists(),
            "{} is missing: run `npm ci` in end2end/ (`.ci/portal setup` does)",
            cli.display()
        );
        // SAFETY (edition 2021: not unsafe): set before any thread reads them.
        std::env::set_var("PLAYWRIGHT_NODE_EXE", "node");
        std::env::set_var("PLAYWRIGHT_CLI_JS", &cli);
        let playwright = Playwright::launch()
            .await
            .expect("start the Playwright driver");
        let args = [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ]
        .map(String::from)
        .to_vec();
        let browser = playwright
            .chromium()
            .launch_with_options(
                LaunchOptions::new()
                    .executable_path("/usr/bin/chromium".to_string())
                    .headless(true)
                    .args(args),
            )
            .await
            .expect("launch /usr/bin/chromium");
        Browser {
            _playwright: playwright,
            browser,
        }
    }

    /// A fresh context (own cookies) and page, in the light colour scheme.
    pub async fn page(&self, mode: JsMode, viewport: (u32, u32)) -> TestPage {
        self.page_in(mode, viewport, "light").await
    }

    /// The same, with `prefers-color-scheme` set to `scheme` ("light", "dark").
    pub async fn page_in(&self, mode: JsMode, viewport: (u32, u32), scheme: &str) -> TestPage {
        self.page_with(mode, viewport, scheme, false, None).await
    }

    /// A fresh light-scheme page with `prefers-reduced-motion` set to
    /// `motion` ("reduce", "no-preference").
    pub async fn page_with_motion(
        &self,
        mode: JsMode,
        viewport: (u32, u32),
        motion: &str,
    ) -> TestPage {
        self.page_with(mode, viewport, "light", false, Some(motion))
            .await
    }

    /// A fresh light-scheme page whose context accepts any certificate:
    /// for the portal behind a TLS proxy with a self-signed certificate.
    pub async fn page_ignoring_https_errors(&self, mode: JsMode, viewport: (u32, u32)) -> TestPage {
        self.page_with(mode, viewport, "light", true, None).await
    }

    async fn page_with(
        &self,
        mode: JsMode,
        (width, height): (u32, u32),
        scheme: &str,
        ignore_https_errors: bool,
        reduced_motion: Option<&str>,
    ) -> TestPage {
        let lang = current_lang();
        let mut options = BrowserContextOptions::builder()
            .viewport(Viewport { width, height })
            .locale(lang.to_string())
            .javascript_enabled(mode == JsMode::On)
            .color_scheme(scheme.to_string());
        if ignore_https_errors {
            options = options.ignore_https_errors(true);
        }
        if let Some(motion) = reduced_motion {
            options = options.reduced_motion(motion.to_string());
        }
        let options = options.build();
        let context = self
            .browser
            .new_context_with_options(options)
            .await
            .expect("browser context");
        let page = context.new_page().await.expect("page");
        let errors = Arc::new(Mutex::new(Vec::new()));
        {
            let errors = errors.clone();
            page.on_pageerror(move |message| {
                let errors = errors.clone();
                async move {
                    if let Ok(mut e) = errors.lock() {
                        e.push(message);
                    }
                    Ok(())
                }
            })
            .await
            .expect("listen for page errors");
        }
        TestPage {
            page,
            context,
            mode,
            lang,
            viewport: (width, height),
            errors,
            browser: self.browser.clone(),
        }
    }
}

pub struct TestPage {
    pub page: playwright_rs::protocol::Page,
    pub context: playwright_rs::protocol::BrowserContext,
    pub mode: JsMode,
    /// The language the page asks for (`en`, `ar`, …).
    pub lang: &'static str,
    viewport: (u32, u32),
    errors: Arc<Mutex<Vec<String>>>,
    /// For a scratch page with JavaScript (axe-core on a no-JS page).
    browser: playwright_rs::protocol::Browser,
}

impl TestPage {
    /// Message `id` in this page's language.
    pub fn t(&self, id: &str) -> String {
        tr(self.lang, id)
    }

    /// Message `id` with numeric arguments, in this page's language.
    pub fn t_with(&self, id: &str, args: &[(&str, u32)]) -> String {
        tr_with(self.lang, id, args)
    }

    /// A label, button name or needle: a Fluent id (`button-continue`) is
    /// looked up in the page's language; anything else is taken as is.
    fn words(&self, text: &str) -> String {
        if words::is_id(text) {
            self.t(text)
        } else {
            text.to_string()
        }
    }

    /// axe-core (npm) on the page as it is now: no violation of WCAG 2.2
    /// A or AA. `what` names the state in the failure message.
    pub async fn assert_accessible(&self, what: &str) {
        static AXE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let source = AXE.get_or_init(|| {
            let path = repo_root().join("end2end/node_modules/axe-core/axe.min.js");
            std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (run `npm ci` in end2end/)", path.display()))
        });
        // Playwright can't evaluate in a page with JavaScript off: axe runs
        // on the same HTML, as served, in a scratch page with JavaScript on
        // (scripts stripped, so the DOM is the no-JS one).
        let scratch = match self.mode {
            JsMode::On => None,
            JsMode::Off => Some(self.no_js_copy().await),
        };
        let page = scratch.as_ref().map_or(&self.page, |(_, page)| page);
        let loaded: bool = page
            .evaluate("() => typeof window.axe !== 'undefined'", None::<&()>)
            .await
            .unwrap_or(false);
        if !loaded {
            page.evaluate::<(), serde_json::Value>(
                &format!("() => {{ {source}\n; return true; }}"),
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("[{:?}] load axe-core: {e}", self.mode));
        }
        let violations: Vec<serde_json::Value> = page
            .evaluate(
                "async () => {
                    const result = await axe.run(document, { runOnly: { type: 'tag',
                        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
                    return result.violations.map(v => ({ id: v.id, impact: v.impact,
                        help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) }));
                }",
                None::<&()>,
            )
            .await
            .unwrap_or_else(|e| panic!("[{:?}] run axe-core: {e}", self.mode));
        if let Some((context, _)) = scratch {
            let _ = context.close().await;
        }
        assert!(
            violations.is_empty(),
            "[{:?} {}] axe-core on {what} ({}): {violations:#?}",
            self.mode,
            self.lang,
            self.page.url()
        );
    }

    /// This browser's cookies, as a `Cookie` header.
    pub async fn cookie_header(&self) -> String {
        self.context
            .cookies(None)
            .await
            .expect("the page's cookies")
            .iter()
            .map(|c| format!("{}={}", c.name, c.value))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The current page as the server serves it to this browser (its
    /// cookies and language), without scripts, in a fresh page with
    /// JavaScript on and the page's origin as base (for its CSS).
    async fn no_js_copy(
        &self,
    ) -> (
        playwright_rs::protocol::BrowserContext,
        playwright_rs::protocol::Page,
    ) {
        let url = self.page.url();
        let cookies = self.cookie_header().await;
        let html = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .get(&url)
            .header("accept", "text/html")
            .header("accept-language", self.lang)
            .header("cookie", cookies)
            .send()
            .await
            .expect("fetch the page")
            .text()
            .await
            .expect("the page's HTML");
        let origin = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        let html = without_scripts(&html).replacen(
            "<head>",
            &format!("<head><base href=\"{origin}/\">"),
            1,
        );
        let (width, height) = self.viewport;
        // Reduced motion: the stylesheet arrives after the HTML here, and
        // the button's 0.15 s colour transition would otherwise let axe
        // read a colour half-way from the browser's default (a contrast
        // failure the trader never sees; one CI run hit it).
        let context = self
            .browser
            .new_context_with_options(
                BrowserContextOptions::builder()
                    .viewport(Viewport { width, height })
                    .locale(self.lang.to_string())
                    .reduced_motion("reduce".to_string())
                    .build(),
            )
            .await
            .expect("scratch context");
        let page = context.new_page().await.expect("scratch page");
        page.set_content(&html, None)
            .await
            .expect("load the page's HTML");
        (context, page)
    }

    /// Load a page; with JavaScript on, wait until its islands hydrate.
    pub async fn open(&self, url: &str) {
        self.page.goto(url, None).await.expect("navigate");
        self.settle().await;
    }

    /// After a navigation or a submit: with JavaScript on, a page with an
    /// island waits for it to hydrate. (Pages without one load no script.)
    pub async fn settle(&self) {
        if self.mode == JsMode::On && self.count("leptos-island").await > 0 {
            if let Err(e) = self.wait_hydrated(Duration::from_secs(10)).await {
                panic!("{e}");
            }
        }
    }

    /// Wait for the island's client-only marker: an Effect sets
    /// `data-hydrated="true"` only once the WASM runs.
    pub async fn wait_hydrated(&self, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            let n = self
                .page
                .locator("[data-hydrated=\"true\"]")
                .count()
                .await
                .unwrap_or(0);
            if n > 0 {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the page never hydrated within {timeout:?}; page errors: {:?}",
                    self.page_errors()
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn page_errors(&self) -> Vec<String> {
        self.errors.lock().map(|e| e.clone()).unwrap_or_default()
    }

    pub fn assert_no_page_errors(&self) {
        let errors = self.page_errors();
        assert!(
            errors.is_empty(),
            "[{:?}] page errors: {errors:?}",
            self.mode
        );
    }

    /// The path of the current URL (no origin, no query).
    pub fn path(&self) -> String {
        let url = self.page.url();
        let after_origin = url.splitn(4, '/').nth(3).unwrap_or_default();
        let path = after_origin.split(['?', '#']).next().unwrap_or_default();
        format!("/{path}")
    }

    /// Wait until the URL's path is `path` (every step is a form post
    /// answered with a redirect, with JavaScript on or off).
    pub async fn wait_for_path(&self, path: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.path() != path {
            if Instant::now() > deadline {
                panic!(
                    "[{:?}] expected {path}, still at {} (page errors: {:?})",
                    self.mode,
                    self.page.url(),
                    self.page_errors()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = self.page.wait_for_load_state(None).await;
        self.settle().await;
    }

    /// Reload, as the trader's refresh button does.
    pub async fn reload(&self) {
        self.history(History::Reload).await;
    }

    /// The browser's back button.
    pub async fn back(&self) {
        self.history(History::Back).await;
    }

    /// Wait for the current document to load first: a history action
    /// issued while a navigation commits can hit Chromium's renderer swap
    /// ("Not attached to an active page"), which is retried once.
    async fn history(&self, action: History) {
        for attempt in 0..2 {
            let _ = self.page.wait_for_load_state(None).await;
            let result = match action {
                History::Reload => self.page.reload(None).await.map(|_| ()),
                History::Back => self.page.go_back(None).await.map(|_| ()),
            };
            match result {
                Ok(()) => return,
                Err(e) if attempt == 0 && e.to_string().contains("Not attached") => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("[{:?}] {action:?}: {e}", self.mode),
            }
        }
    }

    /// Type into the field labelled exactly `label` (a Fluent id or text).
    pub async fn fill_field(&self, label: &str, value: &str) {
        let label = &self.words(label);
        self.page
            .get_by_label(label, true)
            .fill(value, None)
            .await
            .unwrap_or_else(|e| panic!("[{:?}] fill the field {label:?}: {e}", self.mode));
    }

    /// What the field labelled exactly `label` holds.
    pub async fn field_value(&self, label: &str) -> String {
        let label = &self.words(label);
        self.page
            .get_by_label(label, true)
            .input_value(None)
            .await
            .unwrap_or_else(|e| panic!("[{:?}] read the field {label:?}: {e}", self.mode))
    }

    /// The button named exactly `name`.
    pub fn button(&self, name: &str) -> playwright_rs::protocol::Locator {
        let name = self.words(name);
        self.page.get_by_role(
            AriaRole::Button,
            Some(GetByRoleOptions::default().name(&name).exact(true)),
        )
    }

    /// Click the button named exactly `name`.
    pub async fn press(&self, name: &str) {
        self.button(name)
            .click(None)
            .await
            .unwrap_or_else(|e| panic!("[{:?}] press {name:?}: {e}", self.mode));
    }

    /// Click the link named exactly `name`.
    pub async fn follow(&self, name: &str) {
        let name = &self.words(name);
        self.page
            .get_by_role(
                AriaRole::Link,
                Some(GetByRoleOptions::default().name(name).exact(true)),
            )
            .click(None)
            .await
            .unwrap_or_else(|e| panic!("[{:?}] follow {name:?}: {e}", self.mode));
    }

    pub async fn fill(&self, selector: &str, value: &str) {
        self.page
            .locator(selector)
            .fill(value, None)
            .await
            .unwrap_or_else(|e| panic!("[{:?}] fill {selector}: {e}", self.mode));
    }

    pub async fn click(&self, selector: &str) {
        self.page
            .locator(selector)
            .click(None)
            .await
            .unwrap_or_else(|e| panic!("[{:?}] click {selector}: {e}", self.mode));
    }

    /// The visible text of the first match, or "" when there is none.
    pub async fn text(&self, selector: &str) -> String {
        let locator = self.page.locator(selector);
        if locator.count().await.unwrap_or(0) == 0 {
            return String::new();
        }
        locator.first().inner_text().await.unwrap_or_default()
    }

    /// Wait until the first match of `selector` shows text containing `needle`.
    pub async fn wait_for_text(&self, selector: &str, needle: &str) {
        let needle = &self.words(needle);
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let text = self.text(selector).await;
            if text.contains(needle) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "[{:?}] {selector} never showed {needle:?}; it shows {text:?} at {}",
                    self.mode,
                    self.page.url()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn count(&self, selector: &str) -> usize {
        self.page.locator(selector).count().await.unwrap_or(0)
    }

    pub async fn input_value(&self, selector: &str) -> String {
        self.page
            .locator(selector)
            .input_value(None)
            .await
            .unwrap_or_default()
    }

    /// Save PNGs under `target/screenshots/`, named by page, size and mode:
    /// the page as the trader sees it, at both the phone and the
    /// desktop size (the page's own size last, so the test goes on as it was).
    pub async fn screenshot(&self, name: &str) {
        let dir = repo_root().join("target/screenshots");
        let _ = std::fs::create_dir_all(&dir);
        let other = if self.viewport == PHONE {
            DESKTOP
        } else {
            PHONE
        };
        for (w, h) in [other, self.viewport] {
            self.page
                .set_viewport_size(Viewport {
                    width: w,
                    height: h,
                })
                .await
                .unwrap_or_else(|e| panic!("viewport {w}x{h}: {e}"));
            let file = dir.join(format!(
                "{name}-{w}x{h}-{}-{}.png",
                self.mode.label(),
                self.lang
            ));
            self.page
                .screenshot_to_file(&file, None)
                .await
                .unwrap_or_else(|e| panic!("screenshot {}: {e}", file.display()));
        }
    }
}

/// `html` without `<script>` elements and script preloads.
fn without_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let script = rest.find("<script");
        let preload = rest
            .find("<link rel=\"modulepreload\"")
            .or_else(|| rest.find("<link rel=\"preload\""));
        let next = match (script, preload) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => break,
        };
        out.push_str(&rest[..next]);
        let tail = &rest[next..];
        let end = if tail.starts_with("<script") {
            tail.find("</script>").map(|i| i + "</script>".len())
        } else {
            tail.find('>').map(|i| i + 1)
        };
        rest = &tail[end.unwrap_or(tail.len())..];
    }
    out.push_str(rest);
    out
}

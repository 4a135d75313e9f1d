//! The browser-test harness: starts the built portal (release binary, in
//! sandbox mode) on free ports, drives Debian's Chromium through
//! playwright-rs. JavaScript on and off is a test configuration:
//! `in_both_modes!` declares each scenario as two tests, so a failure in
//! one mode can't hide the other.
//!
//! Nobody has to export anything: the Playwright driver variables are set
//! here, and `PLAYWRIGHT_SKIP_DRIVER_DOWNLOAD` comes from `.cargo/config.toml`
//! (and from `.ci/portal`).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use playwright_rs::protocol::{AriaRole, BrowserContextOptions, GetByRoleOptions, Viewport};
use playwright_rs::{api::LaunchOptions, Playwright};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub mod words;
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

/// The address on the log line that carries `event="<event>"`, in the
/// text format (`addr=…`) or the JSON one (`"addr":"…"`).
fn logged_addr(log: &str, event: &str) -> Option<String> {
    let text = format!("event=\"{event}\"");
    let json = format!("\"event\":\"{event}\"");
    let line = log
        .lines()
        .find(|line| line.contains(&text) || line.contains(&json))?;
    if line.starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(line).ok()?;
        return value["addr"].as_str().map(str::to_string);
    }
    line.split_whitespace()
        .find_map(|word| word.strip_prefix("addr="))
        .map(str::to_string)
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

/// A new directory for one portal's SQLite store.
fn fresh_store_dir() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("portal-e2e-{}-{n}", std::process::id()))
}

/// A running portal process, killed on drop.
pub struct Portal {
    child: Child,
    pub base: String,
    pub sandbox: String,
    log: Arc<Mutex<String>>,
    http: reqwest::Client,
    store_dir: PathBuf,
}

/// Wait until the portal has logged where it and its sandbox listen.
async fn wait_for_addresses(child: &mut Child, log: &Arc<Mutex<String>>) -> (String, String) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = log.lock().map(|l| l.clone()).unwrap_or_default();
        if let (Some(base), Some(sandbox)) = (
            logged_addr(&text, "listening"),
            logged_addr(&text, "sandbox_started"),
        ) {
            return (base, sandbox);
        }
        let exited = matches!(child.try_wait(), Ok(Some(_)));
        if exited || Instant::now() > deadline {
            panic!("the portal never said where it listens; its log:\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl Portal {
    /// Start the release binary with the sandbox, plus `extra` settings.
    pub async fn start(extra: &[(&str, &str)]) -> Portal {
        let bin = portal_bin();
        let site = site_root();
        assert!(
            bin.exists(),
            "no portal binary at {}: run `cargo leptos build --release` first",
            bin.display()
        );
        let store_dir = fresh_store_dir();
        let mut command = Command::new(&bin);
        command
            .env("AUTOSHARES_API_URL", "sandbox")
            // Port 0 everywhere: the OS picks free ports, and the portal logs
            // the ones it got. Picking ports here and handing them over raced
            // with other tests (and with the sandbox) for the same port.
            .env("SANDBOX_PORT", "0")
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_SITE_ROOT", &site)
            .env("LEPTOS_OUTPUT_NAME", "autoshares-portal")
            .env("LEPTOS_SITE_PKG_DIR", "pkg")
            // `access=debug`: one line per request, so tests can count fetches.
            .env("RUST_LOG", "info,access=debug")
            // Browser tests post many forms from one address.
            .env("PORTAL_IP_BURST", "10000")
            // The default engine (SQLite), in a file of this portal's own:
            // tests running side by side must not share limits or lockouts.
            .env(
                "PORTAL_STORE",
                format!("sqlite:{}", store_dir.join("portal.db").display()),
            )
            .env("NO_COLOR", "1")
            // The harness reads `event="listening" addr=…` and the access
            // lines in text form; tests of the JSON log ask for it in `extra`.
            .env("PORTAL_LOG_FORMAT", "text")
            // Side-by-side portals can't all have the default 9464.
            .env("PORTAL_METRICS_ADDR", "127.0.0.1:0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for (k, v) in extra {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("start the portal binary");
        let log = Arc::new(Mutex::new(String::new()));
        if let Some(out) = child.stdout.take() {
            collect(out, log.clone());
        }
        if let Some(err) = child.stderr.take() {
            collect(err, log.clone());
        }
        let (base, sandbox) = wait_for_addresses(&mut child, &log).await;
        let portal = Portal {
            child,
            base: format!("http://{base}"),
            sandbox: format!("http://{sandbox}"),
            log,
            store_dir,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("http client"),
        };
        portal.wait_healthy().await;
        portal
    }

    async fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(r) = self.http.get(self.url("/healthz")).send().await {
                if r.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the portal never answered /healthz; its log:\n{}",
            self.log()
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The in-process sandbox API's own address (`SANDBOX_PORT`).
    pub fn sandbox_url(&self) -> &str {
        &self.sandbox
    }

    /// Everything the portal printed so far.
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// How many requests for a path ending in `suffix` the portal answered
    /// (from its access log).
    pub fn fetches(&self, suffix: &str) -> usize {
        self.log()
            .lines()
            .filter(|line| line.contains("event=\"request\""))
            .filter_map(|line| {
                line.split_whitespace()
                    .find_map(|w| w.strip_prefix("path="))
            })
            .filter(|path| path.ends_with(suffix))
            .count()
    }

    /// The sandbox's mailbox, newest first.
    async fn mailbox(&self) -> Vec<serde_json::Value> {
        let mail: serde_json::Value = self
            .http
            .get(format!("{}/__sandbox/mailbox", self.sandbox))
            .send()
            .await
            .expect("mailbox")
            .json()
            .await
            .expect("mailbox json");
        mail.as_array().cloned().unwrap_or_default()
    }

    /// The newest unused code the sandbox "emailed" to `login`.
    pub async fn code_for(&self, login: &str) -> String {
        for _ in 0..50 {
            let newest = self.mailbox().await.into_iter().find_map(|e| {
                (e["login"] == login && e["used"] == false)
                    .then(|| e["code"].as_str().map(str::to_string))
                    .flatten()
            });
            if let Some(code) = newest {
                return code;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no code for {login} in the sandbox mailbox");
    }

    /// How many codes `login` was sent.
    pub async fn codes_sent(&self, login: &str) -> usize {
        self.mailbox()
            .await
            .iter()
            .filter(|e| e["login"] == login)
            .count()
    }

    /// Upstream calls the sandbox received, per endpoint.
    pub async fn calls(&self, endpoint: &str) -> u64 {
        let calls: serde_json::Value = self
            .http
            .get(format!("{}/__sandbox/calls", self.sandbox))
            .send()
            .await
            .expect("calls")
            .json()
            .await
            .expect("calls json");
        calls[endpoint].as_u64().unwrap_or(0)
    }

    /// Make `endpoint` fail once with `kind` (a sandbox fault mode).
    pub async fn fault_once(&self, endpoint: &str, kind: &str) {
        let status = self
            .http
            .post(format!("{}/__sandbox/faults", self.sandbox))
            .json(&serde_json::json!({
                "endpoint": endpoint,
                "fault": {"mode": {"kind": kind}, "remaining": 1}
            }))
            .send()
            .await
            .expect("set fault")
            .status();
        assert!(status.is_success(), "setting a fault answered {status}");
    }

    /// The sandbox's `/token` status for these credentials (200, 202, 401).
    pub async fn sign_in_status(&self, user: &str, password: &str, key: &str) -> u16 {
        self.http
            .post(format!("{}/token", self.sandbox))
            .header("Et-App-Key", key)
            .header("Username", user)
            .header("Password", password)
            .send()
            .await
            .expect("sign in")
            .status()
            .as_u16()
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        let _ = std::fs::remove_dir_all(&self.store_dir);
    }
}

fn collect<R: tokio::io::AsyncRead + Unpin + Send + 'static>(reader: R, log: Arc<Mutex<String>>) {
    tokio::spawn(async move {
        let mut lines = BufReader::new(reader).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if let Ok(mut log) = log.lock() {
                log.push_str(&line);
                log.push('\n');
            }
        }
    });
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
        let cookies = self
            .context
            .cookies(None)
            .await
            .expect("the page's cookies")
            .iter()
            .map(|c| format!("{}={}", c.name, c.value))
            .collect::<Vec<_>>()
            .join("; ");
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
        let context = self
            .browser
            .new_context_with_options(
                BrowserContextOptions::builder()
                    .viewport(Viewport { width, height })
                    .locale(self.lang.to_string())
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

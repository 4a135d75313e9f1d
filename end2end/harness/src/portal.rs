//! The portal binary as a process: the launch environment, written once,
//! and the portal's addresses read from its log.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use reqwest::header::COOKIE;
use reqwest::{redirect, Response};

use crate::answer::Answer;
use crate::process::{kill, logged_addr, signal, Log, TempDir};
use crate::sandbox::{Sandbox, SandboxClient};
use crate::wire::DEFAULT_APP_KEY;

/// Where "Sign in" leads when the portal runs against a sandbox process
/// (sandbox mode has a default of its own).
const SIGN_IN_URL: &str = "https://broker.example.com/sign-in";

/// The HMAC key of portals on a store named by the caller: instances that
/// share a store must hash identifiers alike (Redis requires one).
const SHARED_HMAC_KEY: &str = "a-shared-test-secret-of-32-chars";

/// How to start one portal process. Every portal starts from the same
/// environment (see [`PortalBuilder::start`]); `env` overrides any of it.
#[must_use]
pub struct PortalBuilder {
    bin: PathBuf,
    env: Vec<(String, String)>,
    sandbox: Option<SandboxClient>,
}

impl PortalBuilder {
    /// Set (or override) one variable; the last setting wins.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn envs(self, vars: &[(&str, &str)]) -> Self {
        vars.iter().fold(self, |b, (k, v)| b.env(*k, *v))
    }

    /// Against a standalone sandbox process instead of the in-process one.
    pub fn upstream(mut self, sandbox: &Sandbox) -> Self {
        self.sandbox = Some(sandbox.client().clone());
        self.env("AUTOSHARES_API_URL", sandbox.url())
            .env("AUTOSHARES_APP_KEY", DEFAULT_APP_KEY)
            .env("PORTAL_SIGN_IN_URL", SIGN_IN_URL)
    }

    /// On the store at `url` (`redis://…`, or `sqlite:<path>` that outlives
    /// this process) instead of the portal's own SQLite file, with the HMAC
    /// key every instance on a shared store needs.
    pub fn store(self, url: &str) -> Self {
        self.env("PORTAL_STORE", url)
            .env("PORTAL_HMAC_KEY", SHARED_HMAC_KEY)
    }

    /// Start it and wait until it serves: it has logged where it (and its
    /// in-process sandbox) listen, and `/healthz` answers.
    ///
    /// The environment is cleared but for `PATH`, then: the in-process
    /// sandbox on a free port (`AUTOSHARES_API_URL=sandbox`,
    /// `SANDBOX_PORT=0`), the site on a free loopback port
    /// (`LEPTOS_SITE_ADDR=127.0.0.1:0`) with an empty site root of its own,
    /// the operators' listener on a free port too, the SQLite store in a
    /// temp dir of its own (side-by-side portals must not share limits or
    /// lockouts), and the text log at `info` (the harness reads
    /// `event="listening" addr=…`). Then the builder's `env`, in order.
    pub async fn start(self) -> Portal {
        let dir = TempDir::new("portal");
        let site = dir.join("site");
        std::fs::create_dir_all(&site).expect("the portal's site dir");
        let defaults = [
            ("AUTOSHARES_API_URL", "sandbox".to_string()),
            ("LEPTOS_SITE_ADDR", "127.0.0.1:0".to_string()),
            ("LEPTOS_SITE_ROOT", site.display().to_string()),
            ("LEPTOS_OUTPUT_NAME", "autoshares-portal".to_string()),
            ("LEPTOS_SITE_PKG_DIR", "pkg".to_string()),
            ("PORTAL_STORE", format!("sqlite:{}", dir.file("portal.db"))),
            // Side-by-side portals can't all have the default 9464.
            ("PORTAL_METRICS_ADDR", "127.0.0.1:0".to_string()),
            ("PORTAL_LOG_FORMAT", "text".to_string()),
            ("RUST_LOG", "info".to_string()),
            ("NO_COLOR", "1".to_string()),
        ];
        let mut env: Vec<(String, String)> = defaults
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .chain(self.env)
            .collect();
        let value = |env: &[(String, String)], key: &str| {
            env.iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        let in_process = value(&env, "AUTOSHARES_API_URL").as_deref() == Some("sandbox");
        if in_process && value(&env, "SANDBOX_PORT").is_none() {
            // Port 0: the OS picks, and the portal logs what it got.
            // Picking ports here raced with other tests for the same port.
            env.insert(0, ("SANDBOX_PORT".into(), "0".into()));
        }

        let mut command = Command::new(&self.bin);
        command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start the portal binary {}: {e}", self.bin.display()));
        let log = Log::of(&mut child);

        // The sandbox and the operators' listener are logged before
        // `listening`, on the same stream.
        let deadline = Instant::now() + Duration::from_secs(30);
        let (base, text) = loop {
            let text = log.text();
            if let Some(base) = logged_addr(&text, "listening") {
                break (base, text);
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the portal exited ({status}); its log:\n{text}");
            }
            if Instant::now() > deadline {
                kill(&mut child);
                panic!("the portal never said where it listens; its log:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let metrics = logged_addr(&text, "metrics_listening");
        let sandbox = logged_addr(&text, "sandbox_started").filter(|_| in_process);
        let sandbox = match sandbox {
            Some(addr) => {
                // The in-process sandbox accepts the portal's app key.
                let key = value(&env, "AUTOSHARES_APP_KEY")
                    .filter(|k| !k.is_empty())
                    .unwrap_or_else(|| DEFAULT_APP_KEY.to_string());
                Some(SandboxClient::new(&format!("http://{addr}"), &key))
            }
            None => self.sandbox,
        };
        let door = Door::new(&format!("http://{base}"));
        let portal = Portal {
            child,
            base: door.base,
            metrics: metrics.map(|m| format!("http://{m}")).unwrap_or_default(),
            log,
            http: door.http,
            sandbox,
            _dir: dir,
        };
        portal.wait_healthy().await;
        portal
    }
}

/// One portal process, killed on drop (its temp dir goes with it).
pub struct Portal {
    pub child: Child,
    /// `http://127.0.0.1:<port>`: where traders reach it.
    pub base: String,
    /// The operators' listener (`/metrics`, `/readyz`); `""` when off.
    pub metrics: String,
    log: Log,
    http: reqwest::Client,
    sandbox: Option<SandboxClient>,
    _dir: TempDir,
}

impl Portal {
    /// A portal of the binary at `bin` (the caller's build: the debug
    /// binary in `tests/`, the release one in `end2end/`).
    pub fn builder(bin: impl AsRef<Path>) -> PortalBuilder {
        PortalBuilder {
            bin: bin.as_ref().to_path_buf(),
            env: Vec::new(),
            sandbox: None,
        }
    }

    async fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(r) = self.http.get(self.url("/healthz")).send().await {
                if r.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the portal never answered /healthz; its log:\n{}",
            self.log_text()
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client that doesn't follow redirects (15 s timeout).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The sandbox this portal talks to: its in-process one, or the
    /// process given to [`PortalBuilder::upstream`].
    pub fn sandbox(&self) -> &SandboxClient {
        self.sandbox
            .as_ref()
            .expect("this portal runs against no sandbox the harness knows")
    }

    /// Everything the portal printed so far.
    pub fn log_text(&self) -> String {
        self.log.text()
    }

    /// Whether the log shows `needle` within 5 s: the log is read from the
    /// portal's output by a thread, a moment after the portal wrote it.
    pub async fn logs_within(&self, needle: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if self.log_text().contains(needle) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// How many requests for a path ending in `suffix` the portal answered,
    /// from its access log (`RUST_LOG=…,access=debug`, text format).
    pub fn fetches(&self, suffix: &str) -> usize {
        self.log_text()
            .lines()
            .filter(|line| line.contains("event=\"request\""))
            .filter_map(|line| {
                line.split_whitespace()
                    .find_map(|w| w.strip_prefix("path="))
            })
            .filter(|path| path.ends_with(suffix))
            .count()
    }

    /// SIGTERM: the portal drains and exits.
    pub fn terminate(&self) {
        signal(self.child.id(), "-TERM");
    }

    /// SIGKILL: no shutdown, no flush.
    pub fn kill_9(mut self) {
        kill(&mut self.child);
    }

    /// Its exit status, once it has exited.
    pub fn try_wait(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().expect("the portal's status")
    }

    /// A page load as a browser sends it (see [`Door::get`]).
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Response {
        self.door().get(path, cookie).await
    }

    /// A plain HTML form post from our own page at `referer` (see
    /// [`Door::post_form`]).
    pub async fn post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        referer: &str,
        form: &[(&str, &str)],
    ) -> Response {
        self.door().post_form(path, cookie, referer, form).await
    }

    /// This portal as the traders' way in.
    pub fn door(&self) -> Door {
        Door {
            base: self.base.clone(),
            http: self.http.clone(),
        }
    }

    /// [`Portal::get`], read whole (`cookie` `""` for none).
    pub async fn page(&self, path: &str, cookie: &str) -> Answer {
        let response = self.get(path, some(cookie)).await;
        Answer::read(response, cookie).await
    }

    /// A plain form post from the start page, read whole.
    pub async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        let response = self.post_form(path, some(cookie), "/", form).await;
        Answer::read(response, cookie).await
    }

    /// The same step as the hydrated client calls it (JSON error back).
    pub async fn call(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        let mut req = self
            .http
            .post(self.url(path))
            .header("sec-fetch-site", "same-origin")
            .header("accept", "application/json")
            .form(form);
        if !cookie.is_empty() {
            req = req.header(COOKIE, cookie);
        }
        let response = req.send().await.expect("the portal answers");
        Answer::read(response, cookie).await
    }
}

fn some(cookie: &str) -> Option<&str> {
    (!cookie.is_empty()).then_some(cookie)
}

impl Drop for Portal {
    fn drop(&mut self) {
        kill(&mut self.child);
    }
}

/// Where traders' requests go in: one portal, or a balancer in front of
/// several. Requests are sent as a browser sends them, without following
/// redirects.
#[derive(Clone)]
pub struct Door {
    /// `http://127.0.0.1:<port>`
    pub base: String,
    http: reqwest::Client,
}

impl Door {
    pub fn new(base: &str) -> Door {
        Door {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .redirect(redirect::Policy::none())
                .timeout(Duration::from_secs(15))
                .build()
                .expect("an HTTP client"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A page load as a browser sends it (browsers always accept HTML;
    /// page redirects are 302 only for requests that do).
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Response {
        let mut req = self
            .http
            .get(self.url(path))
            .header("accept", "text/html,application/xhtml+xml");
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        req.send().await.expect("the portal answers")
    }

    /// A plain HTML form post from our own page at `referer`, as a browser
    /// with JavaScript off sends it.
    pub async fn post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        referer: &str,
        form: &[(&str, &str)],
    ) -> Response {
        self.try_post_form(path, cookie, referer, form)
            .await
            .expect("the portal answers")
    }

    /// [`Door::post_form`], or the transport error a dead balancer or
    /// instance gives (a game day expects some).
    pub async fn try_post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        referer: &str,
        form: &[(&str, &str)],
    ) -> Result<Response, reqwest::Error> {
        let mut req = self
            .http
            .post(self.url(path))
            .header("sec-fetch-site", "same-origin")
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", self.url(referer))
            .form(form);
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        req.send().await
    }
}

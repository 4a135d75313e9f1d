//! Real processes for the store tests: a `redis-server` of the test's own
//! (loopback, free port, temp directory, no persistence), the standalone
//! sandbox, and portal processes of the binary under test. Each is killed
//! when dropped.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{redirect, StatusCode};

pub const BIN: &str = env!("CARGO_BIN_EXE_autoshares-portal");

/// A fresh directory under the temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temp dir");
        Self(dir)
    }

    pub fn file(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A free loopback port (the OS picks it; a server started right after may
/// still lose it to a race, so starters retry).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A child's output, collected by a thread so the pipe never fills.
fn collect(child: &mut Child) -> Arc<Mutex<String>> {
    let log = Arc::new(Mutex::new(String::new()));
    for stream in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let mut log = log.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
    }
    log
}

fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill {signal} {pid}");
}

pub struct Redis {
    child: Child,
    pub url: String,
    _dir: TempDir,
}

impl Redis {
    pub fn start() -> Redis {
        let dir = TempDir::new("portal-redis");
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no", "--protected-mode", "no"])
                .arg("--dir")
                .arg(&dir.0)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("redis-server is installed (.ci/portal setup installs it)");
            let log = collect(&mut child);
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if log.lock().unwrap().contains("Ready to accept connections") {
                    return Redis {
                        child,
                        url: format!("redis://127.0.0.1:{port}"),
                        _dir: dir,
                    };
                }
                if child.try_wait().ok().flatten().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("redis-server did not start");
    }

    /// Freeze it: connections stay open, nothing answers.
    pub fn pause(&self) {
        signal(self.child.id(), "-STOP");
    }

    pub fn resume(&self) {
        signal(self.child.id(), "-CONT");
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The standalone sandbox (`autoshares-portal sandbox --port 0`): its codes
/// and tokens outlive any portal process.
pub struct Sandbox {
    child: Child,
    pub url: String,
}

impl Sandbox {
    pub fn start() -> Sandbox {
        let mut child = Command::new(BIN)
            .args(["sandbox", "--port", "0"])
            .env("PORTAL_LOG_FORMAT", "text")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the portal binary runs");
        let log = collect(&mut child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let found = log
                .lock()
                .unwrap()
                .split_whitespace()
                .find(|w| w.starts_with("http://127.0.0.1:"))
                .map(str::to_string);
            if let Some(url) = found {
                return Sandbox { child, url };
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the sandbox never printed its address");
    }

    pub async fn latest_code(&self, login: &str) -> String {
        latest_code(&self.url, login).await
    }

    /// How many calls the sandbox has answered, all endpoints together.
    pub async fn calls(&self) -> u64 {
        let calls: serde_json::Value = reqwest::get(format!("{}/__sandbox/calls", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        calls
            .as_object()
            .unwrap()
            .values()
            .filter_map(serde_json::Value::as_u64)
            .sum()
    }

    /// How many codes the sandbox has emailed to `login`.
    pub async fn codes_sent(&self, login: &str) -> usize {
        let mail: serde_json::Value = reqwest::get(format!("{}/__sandbox/mailbox", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        mail.as_array()
            .unwrap()
            .iter()
            .filter(|m| m["login"] == login)
            .count()
    }

    pub async fn sign_in_status(&self, username: &str, password: &str) -> StatusCode {
        sign_in_status(&self.url, username, password).await
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One portal process, pointed at a sandbox process, on a store.
pub struct Portal {
    pub child: Child,
    pub base: String,
    /// The operators' listener (`/metrics`, `/readyz`).
    pub metrics: String,
    pub log: Arc<Mutex<String>>,
    http: reqwest::Client,
}

impl Portal {
    pub fn start(sandbox: &Sandbox, store: &str, extra: &[(&str, &str)]) -> Portal {
        let mut command = Command::new(BIN);
        command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("AUTOSHARES_API_URL", &sandbox.url)
            .env("AUTOSHARES_APP_KEY", "sandbox-demo-key")
            .env("PORTAL_SIGN_IN_URL", "https://broker.example.com/sign-in")
            .env("PORTAL_STORE", store)
            .env("PORTAL_HMAC_KEY", "a-shared-test-secret-of-32-chars")
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_SITE_ROOT", std::env::temp_dir())
            .env("LEPTOS_OUTPUT_NAME", "autoshares-portal")
            .env("LEPTOS_SITE_PKG_DIR", "pkg")
            .env("RUST_LOG", "info")
            .env("PORTAL_LOG_FORMAT", "text")
            // Side-by-side portals can't all have the default 9464.
            .env("PORTAL_METRICS_ADDR", "127.0.0.1:0")
            .env("NO_COLOR", "1");
        for (k, v) in extra {
            command.env(k, v);
        }
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the portal binary runs");
        let log = collect(&mut child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let addr = logged_addr(&log.lock().unwrap(), "listening");
            if let Some(addr) = addr {
                let metrics = logged_addr(&log.lock().unwrap(), "metrics_listening");
                return Portal {
                    child,
                    base: format!("http://{addr}"),
                    metrics: format!("http://{}", metrics.unwrap_or_default()),
                    log,
                    http: reqwest::Client::builder()
                        .redirect(redirect::Policy::none())
                        .timeout(Duration::from_secs(15))
                        .build()
                        .unwrap(),
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the portal exited ({status}): {}", log.lock().unwrap());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the portal never listened: {}", log.lock().unwrap());
    }

    /// SIGKILL: no shutdown, no flush.
    pub fn kill_9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn log_text(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// A plain form post (JavaScript off), from `address`'s point of view
    /// when `forwarded_for` is set.
    pub async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("sec-fetch-site", "same-origin")
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", format!("{}/", self.base))
            .form(form);
        if !cookie.is_empty() {
            req = req.header(COOKIE, cookie);
        }
        Answer::from(req.send().await.expect("the portal answers"), cookie).await
    }

    /// The same step as the hydrated client calls it (JSON error back).
    pub async fn call(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("sec-fetch-site", "same-origin")
            .header("accept", "application/json")
            .form(form);
        if !cookie.is_empty() {
            req = req.header(COOKIE, cookie);
        }
        Answer::from(req.send().await.expect("the portal answers"), cookie).await
    }

    pub async fn get(&self, path: &str, cookie: &str) -> Answer {
        let mut req = self
            .http
            .get(format!("{}{path}", self.base))
            .header("accept", "text/html,application/xhtml+xml");
        if !cookie.is_empty() {
            req = req.header(COOKIE, cookie);
        }
        Answer::from(req.send().await.expect("the portal answers"), cookie).await
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response, read whole: status, where it redirects, the session cookie
/// to use next (the new one if it set one, else the one sent), the body.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub location: String,
    pub cookie: String,
    pub body: String,
}

impl Answer {
    /// The error a plain post was sent back with (`__err`, as JSON), or
    /// the JSON error a hydrated call got.
    pub fn error(&self) -> String {
        use base64::Engine;
        let Some((_, query)) = self.location.split_once('?') else {
            return self.body.clone();
        };
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == "__err")
            .and_then(|(_, value)| {
                base64::engine::general_purpose::STANDARD
                    .decode(value.as_bytes())
                    .ok()
            })
            .map(|json| String::from_utf8_lossy(&json).into_owned())
            .unwrap_or_default()
    }

    async fn from(resp: reqwest::Response, sent: &str) -> Answer {
        let status = resp.status();
        let location = resp
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let cookie = resp
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("reset="))
            .and_then(|v| v.split(';').next())
            .map(str::to_string)
            .unwrap_or_else(|| sent.to_string());
        let body = resp.text().await.unwrap_or_default();
        Answer {
            status,
            location,
            cookie,
            body,
        }
    }
}

/// The `addr` of the log line carrying `event="<event>"`, in the text
/// format or the JSON one.
pub fn logged_addr(log: &str, event: &str) -> Option<String> {
    let text = format!("event=\"{event}\"");
    let json = format!("\"event\":\"{event}\"");
    let line = log
        .lines()
        .find(|l| l.contains(&text) || l.contains(&json))?;
    if line.starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(line).ok()?;
        return value["addr"].as_str().map(str::to_string);
    }
    line.split_whitespace()
        .find_map(|w| w.strip_prefix("addr="))
        .map(str::to_string)
}

/// The newest code the sandbox at `sandbox` emailed to `login`.
pub async fn latest_code(sandbox: &str, login: &str) -> String {
    let mail: serde_json::Value = reqwest::get(format!("{sandbox}/__sandbox/mailbox"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    mail.as_array()
        .unwrap()
        .iter()
        .find(|m| m["login"] == login)
        .and_then(|m| m["code"].as_str())
        .expect("a code in the mailbox")
        .to_string()
}

/// Signing in at the sandbox's `/token` with these credentials.
pub async fn sign_in_status(sandbox: &str, username: &str, password: &str) -> StatusCode {
    reqwest::Client::new()
        .post(format!("{sandbox}/token"))
        .header("Et-App-Key", "sandbox-demo-key")
        .header("Username", username)
        .header("Password", password)
        .send()
        .await
        .unwrap()
        .status()
}

/// The message every store outage shows a trader.
pub const UNAVAILABLE: &str = "temporarily unavailable";

//! The sandbox from the outside: the standalone process, and a client for
//! its control routes (`/__sandbox/…`) and its `/token`, for either that
//! process or a portal's in-process sandbox.

use std::ops::Deref;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::process::{kill, Log};
use crate::wire::{AddUsers, CallCounts, MailboxEntry, MailboxQuery, SetFault, DEFAULT_APP_KEY};

/// The standalone sandbox (`autoshares-portal sandbox --port 0`): its codes
/// and tokens outlive any portal process. Derefs to its [`SandboxClient`].
pub struct Sandbox {
    child: Child,
    client: SandboxClient,
}

impl Sandbox {
    /// Start `bin sandbox --port 0` and wait for the address it prints.
    pub async fn start(bin: impl AsRef<Path>) -> Sandbox {
        let mut child = Command::new(bin.as_ref())
            .args(["sandbox", "--port", "0"])
            .env("PORTAL_LOG_FORMAT", "text")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the portal binary runs");
        let log = Log::of(&mut child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let found = log
                .text()
                .split_whitespace()
                .find(|w| w.starts_with("http://127.0.0.1:"))
                .map(str::to_string);
            if let Some(url) = found {
                return Sandbox {
                    child,
                    client: SandboxClient::new(&url, DEFAULT_APP_KEY),
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the sandbox exited ({status}): {}", log.text());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the sandbox never printed its address: {}", log.text());
    }

    pub fn client(&self) -> &SandboxClient {
        &self.client
    }
}

impl Deref for Sandbox {
    type Target = SandboxClient;

    fn deref(&self) -> &SandboxClient {
        &self.client
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        kill(&mut self.child);
    }
}

/// A sandbox's control routes and `/token`, typed with the sandbox's own
/// wire types. Control calls panic when the sandbox can't be reached.
#[derive(Clone, Debug)]
pub struct SandboxClient {
    url: String,
    app_key: String,
    http: reqwest::Client,
}

impl SandboxClient {
    /// The sandbox at `url` (`http://127.0.0.1:<port>`), which accepts
    /// `app_key` (the portal's `AUTOSHARES_APP_KEY` in sandbox mode).
    pub fn new(url: &str, app_key: &str) -> SandboxClient {
        SandboxClient {
            url: url.trim_end_matches('/').to_string(),
            app_key: app_key.to_string(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(15))
                .build()
                .expect("an HTTP client"),
        }
    }

    /// Its base URL, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn control(&self, route: &str) -> String {
        format!("{}/__sandbox/{route}", self.url)
    }

    /// The codes the sandbox "emailed" to `login`, newest first.
    pub async fn mailbox(&self, login: &str) -> Vec<MailboxEntry> {
        let query = MailboxQuery {
            login: Some(login.to_string()),
        };
        self.http
            .get(self.control("mailbox"))
            .query(&query)
            .send()
            .await
            .expect("the sandbox's mailbox answers")
            .json()
            .await
            .expect("the mailbox as JSON")
    }

    /// The newest code `login` was sent and has not used, waiting up to
    /// 5 s for it to arrive.
    pub async fn latest_code(&self, login: &str) -> String {
        for _ in 0..50 {
            let newest = self.mailbox(login).await.into_iter().find(|m| !m.used);
            if let Some(mail) = newest {
                return mail.code;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no unused code for {login} in the sandbox's mailbox");
    }

    /// How many codes `login` was sent.
    pub async fn codes_sent(&self, login: &str) -> usize {
        self.mailbox(login).await.len()
    }

    /// Calls the sandbox received, per endpoint.
    pub async fn calls(&self) -> CallCounts {
        self.http
            .get(self.control("calls"))
            .send()
            .await
            .expect("the sandbox's call counts answer")
            .json()
            .await
            .expect("the call counts as JSON")
    }

    /// Calls `endpoint` (its wire name: `secret_question`, `reset`,
    /// `code`, `password`, `token`) received.
    pub async fn calls_to(&self, endpoint: &str) -> u64 {
        let calls = serde_json::to_value(self.calls().await).expect("counts serialize");
        calls[endpoint]
            .as_u64()
            .unwrap_or_else(|| panic!("no endpoint {endpoint:?} in {calls}"))
    }

    /// Set `fault` (the sandbox's `Fault` as JSON, such as
    /// `{"latency_ms": 300}` or `{"mode": {"kind": "hang"}, "remaining": 1}`)
    /// on `endpoint`; the sandbox's answer (204 when it took it).
    pub async fn set_fault(&self, endpoint: &str, fault: serde_json::Value) -> StatusCode {
        self.http
            .post(self.control("faults"))
            .json(&SetFault { endpoint, fault })
            .send()
            .await
            .expect("the sandbox's faults answer")
            .status()
    }

    /// Make `endpoint`'s next call fail with `kind` (a `FaultMode`).
    pub async fn fault_once(&self, endpoint: &str, kind: &str) {
        let fault = serde_json::json!({"mode": {"kind": kind}, "remaining": 1});
        let status = self.set_fault(endpoint, fault).await;
        assert!(status.is_success(), "setting a fault answered {status}");
    }

    /// Clear every fault.
    pub async fn clear_faults(&self) -> StatusCode {
        self.http
            .delete(self.control("faults"))
            .send()
            .await
            .expect("the sandbox's faults answer")
            .status()
    }

    /// Add users `<prefix>-0` … `<prefix>-<count - 1>`, without a question,
    /// password `Load-Old-Pass-1`.
    pub async fn add_users(&self, prefix: &str, count: u32) -> StatusCode {
        let users = AddUsers {
            prefix: prefix.to_string(),
            count,
        };
        self.http
            .post(self.control("users"))
            .json(&users)
            .send()
            .await
            .expect("the sandbox's users answer")
            .status()
    }

    /// Signing in at the sandbox's `/token` with these credentials: 200,
    /// 202 (second factor), 401.
    pub async fn sign_in_status(&self, username: &str, password: &str) -> StatusCode {
        self.http
            .post(format!("{}/token", self.url))
            .header("Et-App-Key", &self.app_key)
            .header("Username", username)
            .header("Password", password)
            .send()
            .await
            .expect("the sandbox's /token answers")
            .status()
    }
}

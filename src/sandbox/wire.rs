//! [ssr] What the sandbox's control routes (`/__sandbox/…`) send and take,
//! in one place for both ends: the sandbox here, and the test harness
//! (`end2end/harness`), which includes this very file with `#[path]`. So
//! it uses `std` and `serde` only.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// The `Et-App-Key` the sandbox accepts when none is configured.
pub const DEFAULT_APP_KEY: &str = "sandbox-demo-key";

/// A code the sandbox "emailed".
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MailboxEntry {
    pub to: String,
    pub login: String,
    pub code: String,
    pub sent_at: SystemTime,
    /// Exchanged for a token, or replaced by a newer code.
    pub used: bool,
}

/// Calls received, per endpoint, counted before faults and key checks.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CallCounts {
    pub secret_question: u64,
    pub reset: u64,
    pub code: u64,
    pub password: u64,
    pub token: u64,
}

impl CallCounts {
    /// All endpoints together.
    pub fn total(&self) -> u64 {
        self.secret_question + self.reset + self.code + self.password + self.token
    }
}

/// `GET /__sandbox/mailbox[?login=…]`: every mail sent, or only one login's.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct MailboxQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
}

/// `POST /__sandbox/faults`: `fault` on `endpoint`, by their serde names
/// (the sandbox reads them as its `Endpoint` and `Fault`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetFault<E, F> {
    pub endpoint: E,
    pub fault: F,
}

/// `POST /__sandbox/users`: `{"prefix": "load", "count": 100}` adds users
/// `load-0` … `load-99` without a question (password `Load-Old-Pass-1`),
/// for load tests that need many resets at once.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddUsers {
    pub prefix: String,
    pub count: u32,
}

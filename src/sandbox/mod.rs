//! [ssr] The simulated AutoShares API: the same contract as the real one
//! (`../shared/autoshares-api.md`), with seeded demo users, a mailbox where
//! "emailed" codes land, and fault knobs for tests.
//!
//! One `axum::Router` serves three purposes: in-process for the portal's
//! sandbox mode, on port 0 in tests, and standalone via
//! `autoshares-portal sandbox --port N`. Its control routes live under
//! `/__sandbox/` and need no app key: the sandbox listens on loopback only.

mod control;
mod faults;
mod routes;
mod users;
mod wire;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub use faults::{Endpoint, Fault, FaultMode, RejectionShape};
pub use users::DemoUser;
pub use wire::{CallCounts, MailboxEntry, DEFAULT_APP_KEY};

#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The only `Et-App-Key` the sandbox accepts.
    pub app_key: String,
    /// Put in front of every reset token, so tests can scan for a canary.
    pub token_prefix: String,
    pub code_ttl: Duration,
    pub token_ttl: Duration,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            app_key: DEFAULT_APP_KEY.to_string(),
            token_prefix: String::new(),
            code_ttl: Duration::from_secs(10 * 60),
            token_ttl: Duration::from_secs(10 * 60),
        }
    }
}

/// The last request an endpoint received, for contract tests.
#[derive(Clone, Debug, Default)]
pub struct RecordedRequest {
    pub query: Option<String>,
    pub body: String,
}

#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

struct Inner {
    config: SandboxConfig,
    world: Mutex<users::World>,
    faults: Mutex<HashMap<Endpoint, Fault>>,
    calls: Mutex<CallCounts>,
    recorded: Mutex<HashMap<Endpoint, RecordedRequest>>,
}

impl Sandbox {
    pub fn new(config: SandboxConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                world: Mutex::new(users::World::seeded()),
                faults: Mutex::new(HashMap::new()),
                calls: Mutex::new(CallCounts::default()),
                recorded: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The API routes plus the `/__sandbox/` control routes.
    pub fn router(&self) -> axum::Router {
        routes::api()
            .merge(control::routes())
            .with_state(self.clone())
    }

    /// Listen on `addr` (port 0 picks one) and serve in the background.
    pub async fn spawn(self, addr: SocketAddr) -> std::io::Result<SocketAddr> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let bound = listener.local_addr()?;
        let app = self.router();
        tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, app).await {
                tracing::error!(event = "sandbox_stopped", error = %err);
            }
        });
        Ok(bound)
    }

    /// Newest first.
    pub fn mailbox(&self) -> Vec<MailboxEntry> {
        let mut mail = lock(&self.inner.world).mailbox.clone();
        mail.reverse();
        mail
    }

    pub fn calls(&self) -> CallCounts {
        lock(&self.inner.calls).clone()
    }

    pub fn set_fault(&self, endpoint: Endpoint, fault: Fault) {
        lock(&self.inner.faults).insert(endpoint, fault);
    }

    pub fn clear_faults(&self) {
        lock(&self.inner.faults).clear();
    }

    pub fn last_request(&self, endpoint: Endpoint) -> Option<RecordedRequest> {
        lock(&self.inner.recorded).get(&endpoint).cloned()
    }

    /// Seed one more user (tests use odd logins).
    pub fn add_user(&self, user: DemoUser, answer: Option<&str>) {
        lock(&self.inner.world).add(user, answer);
    }

    /// The seeded users, for the README and the dev mailbox page.
    pub fn demo_users() -> Vec<DemoUser> {
        users::demo_users()
    }
}

/// A poisoned lock only means another handler panicked; the data is
/// still the sandbox's best knowledge, so keep serving.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

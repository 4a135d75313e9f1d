//! [ssr] Everything a request handler may need, built once at start.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::config::{Config, HmacKey};
use super::gateway::Gateway;
use super::limits::Limiter;
use super::readiness::Readiness;
use crate::autoshares::client::AutoSharesClient;
use crate::sandbox::Sandbox;
use crate::site::{Assets, SiteSettings};
use crate::store::Store;

/// Cloned for every request (middleware state, the render's context), so
/// it is one `Arc`: the profile of `GET /` showed cloning and dropping the
/// unshared fields (LeptosOptions alone has a dozen) at 8 % of the time.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    pub client: AutoSharesClient,
    /// Present only in sandbox mode: the dev mailbox reads it.
    pub sandbox: Option<Sandbox>,
    pub limiter: Arc<Limiter>,
    /// Every upstream call goes through it (slots, latency, decoy waits).
    pub gateway: Gateway,
    /// Sessions and counters (`PORTAL_STORE`).
    pub store: Store,
    /// The key identifiers are hashed with: configured, or kept by the store.
    pub hmac_key: HmacKey,
    /// The last `/readyz` probe of AutoShares.
    pub readiness: Arc<Readiness>,
    /// What every page shows of the deployment (brand, policy, sandbox).
    pub site: Arc<SiteSettings>,
    /// The built CSS/JS/WASM names (hashed in release builds).
    pub assets: Arc<Assets>,
    /// The made-up questions unknown logins may see.
    pub decoys: Arc<Vec<String>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

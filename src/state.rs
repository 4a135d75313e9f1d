//! [ssr] Everything a request handler may need, built once at start.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::autoshares::client::AutoSharesClient;
use crate::autoshares::config::ApiConfig;
use crate::autoshares::secret::HmacKey;
use crate::brand::{branded_stylesheet, Palette};
use crate::config::{Config, Upstream};
use crate::http::assets::MemoryFile;
use crate::sandbox::{Sandbox, SandboxConfig};
use crate::site::{AssetHashes, Assets, SiteSettings};
use crate::steps::breached::BreachCheck;
use crate::steps::challenge::Challenges;
use crate::steps::gateway::Gateway;
use crate::steps::identity;
use crate::steps::seal::Sealer;
use crate::store::limits::Limiter;
use crate::store::{BucketRate, Store};

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
    /// The breached-passwords check, if `pwned_passwords_url` is set.
    pub breach_check: Option<Arc<BreachCheck>>,
    /// Sessions and counters (`PORTAL_STORE`).
    pub store: Store,
    /// The key identifiers are hashed with: configured, or kept by the store.
    pub hmac_key: HmacKey,
    /// Seals the flow before it reaches the store (its key derived from
    /// the same secret).
    pub sealer: Sealer,
    /// The last `/readyz` probe of AutoShares.
    pub readiness: Arc<Readiness>,
    /// What every page shows of the deployment (brand, policy, sandbox).
    pub site: Arc<SiteSettings>,
    /// The built CSS/JS/WASM names (hashed in release builds).
    pub assets: Arc<Assets>,
    /// The files made at start and served from memory: the stylesheet
    /// with the broker's colours (if any were set) and the proof-of-work
    /// solver.
    pub made_files: Vec<Arc<MemoryFile>>,
    /// Proofs of work: signed and checked with keys from `hmac_key`.
    pub challenges: Challenges,
    /// The made-up questions unknown logins may see.
    pub decoys: Arc<Vec<String>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Start the sandbox if configured, and connect the client to the upstream.
pub async fn build_state(
    leptos_options: LeptosOptions,
    config: Config,
) -> Result<AppState, String> {
    let (base_url, sandbox) = match &config.upstream {
        Upstream::Remote(url) => (url.clone(), None),
        Upstream::Sandbox { port, token_prefix } => {
            let sandbox = Sandbox::new(SandboxConfig {
                // The sandbox accepts whatever key the portal is configured with,
                // so a canary key can be tested end to end.
                app_key: config.app_key.expose().to_string(),
                token_prefix: token_prefix.clone(),
                ..SandboxConfig::default()
            });
            let addr = sandbox
                .clone()
                .spawn(SocketAddr::from((Ipv4Addr::LOCALHOST, *port)))
                .await
                .map_err(|e| format!("the sandbox could not listen on port {port}: {e}"))?;
            tracing::info!(event = "sandbox_started", %addr);
            let url = url::Url::parse(&format!("http://{addr}/"))
                .map_err(|_| "the sandbox address is not a URL".to_string())?;
            (url, Some(sandbox))
        }
    };
    let mut api = ApiConfig::new(base_url, config.app_key.clone());
    api.api_version = config.api_version.clone();
    api.timeout = config.upstream_timeout;
    let client = AutoSharesClient::new(api).map_err(|e| format!("upstream client: {e}"))?;
    let bucket = BucketRate {
        per_minute: config.ip_rate_per_minute,
        burst: config.ip_burst,
    };
    let store = Store::open(
        &config.store,
        bucket,
        config.max_sessions,
        config.session_grace,
        config.replica_wait,
    )
    .await?;
    let hmac_key = match &config.hmac_key {
        Some(key) => key.clone(),
        None => HmacKey::new(store.kept_secret("hmac-key").await?),
    };
    tracing::info!(event = "store_opened", store = %config.store);
    let breach_check = match &config.pwned {
        Some(settings) => Some(Arc::new(BreachCheck::new(settings.clone())?)),
        None => None,
    };
    let mut assets = load_assets(&leptos_options);
    let branded_css = config
        .palette
        .as_ref()
        .and_then(|palette| brand_stylesheet(&leptos_options, &assets, palette));
    if let Some(branded) = &branded_css {
        assets.css = branded.path(&leptos_options.site_pkg_dir);
    }
    let solver = Arc::new(MemoryFile::build(
        "challenge",
        "js",
        "text/javascript",
        crate::components::challenge::SOLVER.to_string(),
    ));
    assets.challenge_js = solver.path(&leptos_options.site_pkg_dir);
    let made_files = branded_css.into_iter().chain([solver]).collect();
    let assets = Arc::new(assets);
    let decoys = Arc::new(identity::decoy_questions(
        config.decoy_list.as_deref(),
        config.languages.default,
    ));
    Ok(AppState::new(Shared {
        site: Arc::new(config.site_settings()),
        assets,
        made_files,
        challenges: Challenges::new(hmac_key.expose(), config.challenge),
        decoys,
        leptos_options,
        limiter: Arc::new(Limiter::new(store.counters.clone(), config.budgets)),
        sealer: Sealer::new(hmac_key.expose()),
        hmac_key,
        config: Arc::new(config),
        client,
        sandbox,
        gateway: Gateway::default(),
        breach_check,
        store,
        readiness: Arc::default(),
    }))
}

/// How long one upstream probe answers for.
pub const CACHE_FOR: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpstreamHealth {
    Ok,
    AppKeyRejected,
    Unavailable,
}

impl UpstreamHealth {
    pub fn as_str(self) -> &'static str {
        match self {
            UpstreamHealth::Ok => "ok",
            UpstreamHealth::AppKeyRejected => "app_key_rejected",
            UpstreamHealth::Unavailable => "unavailable",
        }
    }
}

/// The last `/readyz` probe of AutoShares, and whether the process is
/// draining; shared by all requests (served by `http::ops`).
#[derive(Default)]
pub struct Readiness {
    last: Mutex<Option<(Instant, UpstreamHealth)>>,
    draining: AtomicBool,
}

impl Readiness {
    /// A shutdown signal arrived: answer 503 from now on.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::Release);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }

    pub fn cached(&self, now: Instant) -> Option<UpstreamHealth> {
        let last = self.last.lock().ok()?;
        last.filter(|(at, _)| now.duration_since(*at) < CACHE_FOR)
            .map(|(_, upstream)| upstream)
    }

    pub fn remember(&self, now: Instant, upstream: UpstreamHealth) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some((now, upstream));
        }
    }
}

/// The names of this build's CSS, JS and WASM. cargo-leptos writes the
/// hashes next to the binary (`hash.txt`); without that file (a debug or
/// test build) the plain names are used.
fn load_assets(options: &LeptosOptions) -> Assets {
    let hash_file = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_default()
        .join(options.hash_file.as_ref());
    let hashes = std::fs::read_to_string(&hash_file)
        .map(|text| AssetHashes::parse(&text))
        .unwrap_or_default();
    if hashes.css.is_none() {
        tracing::info!(event = "assets_unhashed", file = %hash_file.display());
    }
    Assets::named(&options.site_pkg_dir, &options.output_name, &hashes)
}

/// The built stylesheet with the broker's colours appended. Without the
/// built sheet (a test binary with no site) the stock look stays, logged.
fn brand_stylesheet(
    options: &LeptosOptions,
    assets: &Assets,
    palette: &Palette,
) -> Option<Arc<MemoryFile>> {
    let path = Path::new(options.site_root.as_ref()).join(assets.css.trim_start_matches('/'));
    match std::fs::read_to_string(&path) {
        Ok(stock) => {
            let branded = MemoryFile::build(
                &options.output_name,
                "css",
                "text/css",
                branded_stylesheet(&stock, palette),
            );
            tracing::info!(event = "brand_stylesheet", file = %branded.file);
            Some(Arc::new(branded))
        }
        Err(e) => {
            tracing::warn!(event = "brand_unstyled", file = %path.display(), error = %e, "brand_color is set but the built stylesheet could not be read: the stock colours stay");
            None
        }
    }
}

//! [ssr] Portal configuration, read once at start from the environment.
//!
//! Parsing takes a lookup function instead of reading `std::env` directly,
//! so tests can feed it a map. Every refusal is one line an operator can act on.

use std::net::SocketAddr;
use std::time::Duration;

use super::client_ip::TrustedProxies;
use super::limits::IdentifierBudget;
use crate::autoshares::secret::AppKey;
use crate::flow::machine::FlowLimits;
use crate::password_policy::PasswordPolicy;
use crate::store::memory::DEFAULT_MAX_SESSIONS;
use crate::store::{StoreUrl, DEFAULT_STORE};

/// The key the built-in sandbox accepts when no key is configured.
pub const SANDBOX_DEFAULT_APP_KEY: &str = "sandbox-demo-key";

/// The portal's own keyed-hash secret. `Debug` redacts it.
#[derive(Clone)]
pub struct HmacKey(pub Vec<u8>);

impl std::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Where the portal sends its AutoShares calls.
#[derive(Clone, Debug)]
pub enum Upstream {
    /// A real AutoShares deployment.
    Remote(url::Url),
    /// The built-in simulated API, started in-process on this loopback port
    /// (0 picks a free one).
    Sandbox { port: u16, token_prefix: String },
}

#[derive(Clone, Debug)]
pub struct Config {
    pub upstream: Upstream,
    pub app_key: AppKey,
    pub api_version: String,
    pub upstream_timeout: Duration,
    /// The origin browsers use to reach the portal, e.g. `https://reset.broker.com`.
    pub public_origin: String,
    pub broker_name: String,
    pub logo_url: String,
    pub sign_in_url: String,
    pub policy: PasswordPolicy,
    pub flow_limits: FlowLimits,
    /// Show a stable made-up question for unknown logins (SECURITY.md #16).
    pub decoy_questions: bool,
    /// Key for hashing identifiers in logs and limits and choosing decoy
    /// questions. Unset: the SQLite store keeps a generated one in its file
    /// (so a restart hashes alike), the memory store makes one per process.
    /// Required with Redis, where every instance must hash alike.
    pub hmac_key: Option<HmacKey>,
    /// Where sessions and counters live (`PORTAL_STORE`).
    pub store: StoreUrl,
    /// Client requests per minute per IP, and the burst above it.
    pub ip_rate_per_minute: u32,
    pub ip_burst: u32,
    /// Proxies whose `X-Forwarded-For` names the client (SECURITY.md #14).
    pub trusted_proxies: TrustedProxies,
    pub identifier_budget: IdentifierBudget,
    /// Sessions held at most by the memory store (see `store::memory`).
    pub max_sessions: usize,
}

impl Config {
    /// What every page shows of this deployment.
    pub fn site_settings(&self) -> crate::site::SiteSettings {
        crate::site::SiteSettings {
            broker_name: self.broker_name.clone(),
            logo_url: self.logo_url.clone(),
            sign_in_url: self.sign_in_url.clone(),
            sandbox: self.is_sandbox(),
            policy: self.policy,
        }
    }

    pub fn is_sandbox(&self) -> bool {
        matches!(self.upstream, Upstream::Sandbox { .. })
    }

    /// Cookies get `Secure` and the `__Host-` name only over TLS.
    pub fn is_https(&self) -> bool {
        self.public_origin.starts_with("https://")
    }

    pub fn from_env(site_addr: SocketAddr) -> Result<Self, String> {
        Self::from_lookup(site_addr, |name| std::env::var(name).ok())
    }

    pub fn from_lookup(
        site_addr: SocketAddr,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let get = |name: &str| {
            var(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let upstream = match get("AUTOSHARES_API_URL").as_deref() {
            None => {
                return Err("AUTOSHARES_API_URL is not set: set it to the broker's AutoShares API URL, or to `sandbox` for the built-in demo".into())
            }
            Some("sandbox") => Upstream::Sandbox {
                port: parse_or(&get, "SANDBOX_PORT", 0u16)?,
                token_prefix: get("SANDBOX_TOKEN_PREFIX").unwrap_or_default(),
            },
            Some(raw) => {
                let url = url::Url::parse(raw)
                    .map_err(|_| "AUTOSHARES_API_URL is not a valid URL".to_string())?;
                if !matches!(url.scheme(), "https" | "http") {
                    return Err("AUTOSHARES_API_URL must be an https:// URL".into());
                }
                Upstream::Remote(url)
            }
        };

        let app_key = match (get("AUTOSHARES_APP_KEY"), get("AUTOSHARES_APP_KEY_FILE")) {
            (Some(_), Some(_)) => {
                return Err("set AUTOSHARES_APP_KEY or AUTOSHARES_APP_KEY_FILE, not both".into())
            }
            (Some(key), None) => key,
            (None, Some(path)) => std::fs::read_to_string(&path)
                .map(|k| k.trim().to_string())
                .map_err(|_| "AUTOSHARES_APP_KEY_FILE could not be read".to_string())?,
            (None, None) if matches!(upstream, Upstream::Sandbox { .. }) => {
                SANDBOX_DEFAULT_APP_KEY.to_string()
            }
            (None, None) => {
                return Err("AUTOSHARES_APP_KEY (or AUTOSHARES_APP_KEY_FILE) is not set: the portal needs the broker's secret app key".into())
            }
        };
        if app_key.is_empty() {
            return Err("the AutoShares app key is empty".into());
        }

        let sandbox = matches!(upstream, Upstream::Sandbox { .. });
        let sign_in_url = match get("PORTAL_SIGN_IN_URL") {
            Some(url) => url,
            None if sandbox => "/dev/sign-in".to_string(),
            None => {
                return Err("PORTAL_SIGN_IN_URL is not set: the done page links traders to the broker's sign-in page".into())
            }
        };

        let policy = PasswordPolicy {
            min_chars: parse_or(&get, "PORTAL_PASSWORD_MIN_LENGTH", 12)?,
            max_chars: parse_or(&get, "PORTAL_PASSWORD_MAX_LENGTH", 128)?,
        };
        if policy.min_chars < 8 || policy.max_chars < 64 || policy.min_chars > policy.max_chars {
            return Err("password lengths: the minimum must be at least 8 and the maximum at least 64 and above the minimum".into());
        }

        let defaults = FlowLimits::default();
        let flow_limits = FlowLimits {
            idle_secs: parse_or(&get, "PORTAL_FLOW_IDLE_SECS", defaults.idle_secs)?,
            absolute_secs: parse_or(&get, "PORTAL_FLOW_ABSOLUTE_SECS", defaults.absolute_secs)?,
            ..defaults
        };

        let hmac_key = match get("PORTAL_HMAC_KEY") {
            Some(key) if key.len() >= 16 => Some(HmacKey(key.into_bytes())),
            Some(_) => return Err("PORTAL_HMAC_KEY must be at least 16 characters".into()),
            None => None,
        };
        let store: StoreUrl = get("PORTAL_STORE")
            .unwrap_or_else(|| DEFAULT_STORE.to_string())
            .parse()?;
        if store.is_shared() && hmac_key.is_none() {
            return Err("PORTAL_HMAC_KEY is required with a Redis store: set the same secret (16+ characters) on every instance, so they hash identifiers and pick decoy questions alike".into());
        }

        Ok(Self {
            upstream,
            app_key: AppKey::new(app_key),
            api_version: get("AUTOSHARES_API_VERSION").unwrap_or_else(|| "1.0".into()),
            upstream_timeout: Duration::from_secs(parse_or(&get, "AUTOSHARES_TIMEOUT_SECS", 10)?),
            public_origin: get("PORTAL_PUBLIC_ORIGIN")
                .unwrap_or_else(|| format!("http://{site_addr}"))
                .trim_end_matches('/')
                .to_string(),
            broker_name: get("PORTAL_BROKER_NAME").unwrap_or_else(|| "AutoShares".into()),
            logo_url: get("PORTAL_LOGO_URL").unwrap_or_else(|| "/logo.svg".into()),
            sign_in_url,
            policy,
            flow_limits,
            decoy_questions: parse_or(&get, "PORTAL_DECOY_QUESTIONS", true)?,
            hmac_key,
            store,
            ip_rate_per_minute: parse_or(&get, "PORTAL_IP_RATE_PER_MINUTE", 30)?,
            ip_burst: parse_or(&get, "PORTAL_IP_BURST", 10)?,
            trusted_proxies: match get("PORTAL_TRUSTED_PROXIES") {
                Some(raw) => raw.parse()?,
                None => TrustedProxies::default(),
            },
            identifier_budget: IdentifierBudget {
                wrong_answers: parse_or(&get, "PORTAL_WRONG_ANSWERS_PER_15_MIN", 5)?,
                code_emails: parse_or(&get, "PORTAL_CODE_EMAILS_PER_HOUR", 3)?,
            },
            max_sessions: parse_or(&get, "PORTAL_MAX_SESSIONS", DEFAULT_MAX_SESSIONS)?,
        })
    }
}

fn parse_or<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: T,
) -> Result<T, String> {
    match get(name) {
        None => Ok(default),
        Some(raw) => raw
            .parse()
            .map_err(|_| format!("{name} has an invalid value")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup("127.0.0.1:3000".parse().unwrap(), move |k| {
            map.get(k).cloned()
        })
    }

    #[test]
    fn no_upstream_refuses_with_one_line() {
        let err = config(&[]).unwrap_err();
        assert!(err.contains("AUTOSHARES_API_URL"));
        assert!(!err.contains('\n'));
    }

    #[test]
    fn sandbox_mode_needs_no_credentials() {
        let c = config(&[("AUTOSHARES_API_URL", "sandbox")]).unwrap();
        assert!(c.is_sandbox());
        assert_eq!(c.app_key.expose(), SANDBOX_DEFAULT_APP_KEY);
        assert_eq!(c.api_version, "1.0");
        assert_eq!(c.public_origin, "http://127.0.0.1:3000");
        assert_eq!(c.policy.min_chars, 12);
    }

    #[test]
    fn a_real_upstream_needs_a_key_and_a_sign_in_url() {
        let err = config(&[("AUTOSHARES_API_URL", "https://api.example.com")]).unwrap_err();
        assert!(err.contains("AUTOSHARES_APP_KEY"));
        let err = config(&[
            ("AUTOSHARES_API_URL", "https://api.example.com"),
            ("AUTOSHARES_APP_KEY", "k"),
        ])
        .unwrap_err();
        assert!(err.contains("PORTAL_SIGN_IN_URL"));
        let c = config(&[
            ("AUTOSHARES_API_URL", "https://api.example.com"),
            ("AUTOSHARES_APP_KEY", "k"),
            ("PORTAL_SIGN_IN_URL", "https://broker.example.com/login"),
            ("AUTOSHARES_API_VERSION", "2.0"),
        ])
        .unwrap();
        assert!(!c.is_sandbox());
        assert_eq!(c.api_version, "2.0");
    }

    #[test]
    fn the_key_can_come_from_a_file() {
        let path = std::env::temp_dir().join(format!("as-key-{}", std::process::id()));
        std::fs::write(&path, "file-key\n").unwrap();
        let c = config(&[
            ("AUTOSHARES_API_URL", "sandbox"),
            ("AUTOSHARES_APP_KEY_FILE", path.to_str().unwrap()),
        ])
        .unwrap();
        assert_eq!(c.app_key.expose(), "file-key");
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn bad_numbers_name_the_variable() {
        let err = config(&[
            ("AUTOSHARES_API_URL", "sandbox"),
            ("PORTAL_FLOW_IDLE_SECS", "ten"),
        ])
        .unwrap_err();
        assert!(err.contains("PORTAL_FLOW_IDLE_SECS"));
    }

    #[test]
    fn a_weak_policy_is_refused() {
        let err = config(&[
            ("AUTOSHARES_API_URL", "sandbox"),
            ("PORTAL_PASSWORD_MIN_LENGTH", "4"),
        ])
        .unwrap_err();
        assert!(err.contains("password"));
    }

    #[test]
    fn the_store_defaults_to_sqlite_and_redis_needs_a_shared_key() {
        let c = config(&[("AUTOSHARES_API_URL", "sandbox")]).unwrap();
        assert_eq!(c.store, StoreUrl::Sqlite("data/portal.db".into()));
        let err = config(&[
            ("AUTOSHARES_API_URL", "sandbox"),
            ("PORTAL_STORE", "redis://127.0.0.1:6379"),
        ])
        .unwrap_err();
        assert!(err.starts_with("PORTAL_HMAC_KEY is required"), "{err}");
        let c = config(&[
            ("AUTOSHARES_API_URL", "sandbox"),
            ("PORTAL_STORE", "redis://127.0.0.1:6379"),
            ("PORTAL_HMAC_KEY", "0123456789abcdef"),
        ])
        .unwrap();
        assert!(c.store.is_shared());
        let err = config(&[
            ("AUTOSHARES_API_URL", "sandbox"),
            ("PORTAL_STORE", "mysql://x"),
        ])
        .unwrap_err();
        assert!(err.starts_with("PORTAL_STORE"), "{err}");
    }

    #[test]
    fn debug_redacts_the_key() {
        let c = config(&[
            ("AUTOSHARES_API_URL", "sandbox"),
            ("AUTOSHARES_APP_KEY", "CanaryKey"),
        ])
        .unwrap();
        assert!(!format!("{c:?}").contains("CanaryKey"));
    }
}

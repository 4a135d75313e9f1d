//! [ssr] Portal configuration, read once at start from the file and the
//! environment ([`sources`]). Every problem is one line an operator
//! can act on, and all of them are reported together.

use std::net::SocketAddr;
use std::time::Duration;

pub mod sources;

use crate::autoshares::secret::{AppKey, HmacKey};
use crate::brand::{Palette, Scheme};
use crate::flow::machine::FlowLimits;
use crate::http::client_ip::TrustedProxies;
use crate::password_policy::PasswordPolicy;
use crate::site::BrokerHelp;
use crate::store::limits::{Budgets, ChallengePolicy};
use crate::store::redis::ReplicaWait;
use crate::store::StoreUrl;
use crate::telemetry::logging::LogFormat;
use sources::{Key, Reader, Secret, Sources};

/// Where the portal sends its AutoShares calls.
#[derive(Clone, Debug)]
pub enum Upstream {
    /// A real AutoShares deployment.
    Remote(url::Url),
    /// The built-in simulated API, started in-process on this loopback port
    /// (0 picks a free one).
    Sandbox { port: u16, token_prefix: String },
}

/// `pwned_passwords_url` and what happens when it can't be reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PwnedSettings {
    /// The range API's base; the 5-character prefix is appended.
    pub url: url::Url,
    pub fail_open: bool,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// Where traders are served (`listen`; port 0 picks a free one).
    pub listen: SocketAddr,
    /// The operators' listener (`/metrics`, `/readyz`), if any.
    pub metrics_addr: Option<SocketAddr>,
    pub log_format: LogFormat,
    /// How long requests in flight may finish after SIGTERM/SIGINT.
    pub shutdown_grace: Duration,
    pub upstream: Upstream,
    pub app_key: AppKey,
    pub api_version: String,
    pub upstream_timeout: Duration,
    /// The origin browsers use to reach the portal, e.g. `https://reset.broker.com`.
    pub public_origin: String,
    /// Whether `public_origin` was configured (else it follows `listen`).
    public_origin_given: bool,
    pub broker_name: String,
    pub logo_url: String,
    pub favicon_url: String,
    /// The broker's colours (`None`: the stock look), checked for contrast.
    pub palette: Option<Palette>,
    /// The footer's support line and links.
    pub help: BrokerHelp,
    pub sign_in_url: String,
    pub policy: PasswordPolicy,
    /// The lowest zxcvbn score a new password may have (0: no check).
    pub password_min_score: u8,
    /// The breached-passwords range API, if configured.
    pub pwned: Option<PwnedSettings>,
    pub flow_limits: FlowLimits,
    /// Show a stable made-up question for unknown logins (security: `decoy-questions`).
    pub decoy_questions: bool,
    /// The broker's own made-up questions (`PORTAL_DECOY_QUESTIONS_FILE`);
    /// `None`: the default language's built-in ones.
    pub decoy_list: Option<Vec<String>>,
    /// The languages offered and the default one.
    pub languages: crate::i18n::Languages,
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
    /// Proxies whose `X-Forwarded-For` names the client (security: `per-ip-bucket`).
    pub trusted_proxies: TrustedProxies,
    /// Every budget a step spends (per login, network, portal).
    pub budgets: Budgets,
    /// IPv6 clients count as one network per prefix of this length.
    pub ipv6_prefix: u8,
    /// When and how hard a step asks for a proof of work.
    pub challenge: ChallengePolicy,
    /// How long a step's lease lasts at most (a crashed instance's).
    pub step_lease: Duration,
    /// How long a rotated session id still leads to its flow.
    pub session_grace: Duration,
    /// Redis: replicas that must hold a step's session write.
    pub replica_wait: ReplicaWait,
    /// Sign in once with a new password to prove where it landed.
    pub confirm_reset_sign_in: bool,
    /// Sessions held at most by the memory store (see `store::memory`).
    pub max_sessions: usize,
}

impl Config {
    /// What every page shows of this deployment.
    pub fn site_settings(&self) -> crate::site::SiteSettings {
        crate::site::SiteSettings {
            broker_name: self.broker_name.clone(),
            logo_url: self.logo_url.clone(),
            favicon_url: self.favicon_url.clone(),
            sign_in_url: self.sign_in_url.clone(),
            sandbox: self.is_sandbox(),
            policy: self.policy,
            help: self.help.clone(),
        }
    }

    pub fn is_sandbox(&self) -> bool {
        matches!(self.upstream, Upstream::Sandbox { .. })
    }

    /// Cookies get `Secure` and the `__Host-` name only over TLS.
    pub fn is_https(&self) -> bool {
        self.public_origin.starts_with("https://")
    }

    /// Once bound (port 0 picks one): an unconfigured public origin is
    /// the address actually listened on.
    pub fn bound_to(&mut self, addr: SocketAddr) {
        self.listen = addr;
        if !self.public_origin_given {
            self.public_origin = format!("http://{addr}");
        }
    }

    /// The whole configuration, or every problem with it.
    pub fn load(sources: &Sources) -> Result<Self, Vec<String>> {
        let mut r = Reader::new(sources);
        let config = Self::read(&mut r);
        let problems = r.finish();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    fn read(r: &mut Reader) -> Self {
        let listen = r
            .setting_or_none(Key::Listen)
            .unwrap_or(SocketAddr::from(([127, 0, 0, 1], 0)));
        let upstream = match r.text(Key::ApiUrl).as_deref() {
            None => {
                r.problem("AUTOSHARES_API_URL (`autoshares_api_url`) is not set: set it to the broker's AutoShares API URL, or to `sandbox` for the built-in demo");
                Upstream::Sandbox {
                    port: 0,
                    token_prefix: String::new(),
                }
            }
            Some("sandbox") => Upstream::Sandbox {
                port: r.setting(Key::SandboxPort),
                token_prefix: r.text(Key::SandboxTokenPrefix).unwrap_or_default(),
            },
            Some(raw) => match url::Url::parse(raw) {
                Ok(url) if url.scheme() == "https" => Upstream::Remote(url),
                Ok(url) if url.scheme() == "http" => {
                    // The app key and every new password travel in these
                    // calls (security: `https-upstream-only`).
                    let allowed: bool = r.setting(Key::AllowHttp);
                    if !(allowed || is_loopback(&url)) {
                        r.problem("AUTOSHARES_API_URL (`autoshares_api_url`) must be https:// (the app key and new passwords travel in it); http:// is allowed on loopback, or with `autoshares_allow_http = true`");
                    }
                    Upstream::Remote(url)
                }
                Ok(_) => {
                    r.problem("AUTOSHARES_API_URL (`autoshares_api_url`) must be an https:// URL");
                    Upstream::Sandbox {
                        port: 0,
                        token_prefix: String::new(),
                    }
                }
                Err(_) => {
                    r.problem("AUTOSHARES_API_URL (`autoshares_api_url`) is not a valid URL");
                    Upstream::Sandbox {
                        port: 0,
                        token_prefix: String::new(),
                    }
                }
            },
        };
        let sandbox = matches!(upstream, Upstream::Sandbox { .. });
        let remote = matches!(upstream, Upstream::Remote(_));

        let app_key = match r.secret(Key::AppKey, Key::AppKeyFile) {
            Secret::Given(key) => key,
            Secret::Missing if sandbox => crate::sandbox::DEFAULT_APP_KEY.to_string(),
            Secret::Missing => {
                if remote {
                    r.problem("AUTOSHARES_APP_KEY (or AUTOSHARES_APP_KEY_FILE) is not set: the portal needs the broker's secret app key");
                }
                String::new()
            }
            Secret::Broken => String::new(),
        };

        let sign_in_url = match r.text(Key::SignInUrl) {
            Some(url) => url,
            None if sandbox => "/dev/sign-in".to_string(),
            None => {
                r.problem("PORTAL_SIGN_IN_URL (`sign_in_url`) is not set: the done page links traders to the broker's sign-in page");
                String::new()
            }
        };

        let policy = PasswordPolicy {
            min_chars: r.setting(Key::PasswordMinLength),
            max_chars: r.setting(Key::PasswordMaxLength),
        };
        if policy.min_chars < 8 || policy.max_chars < 64 || policy.min_chars > policy.max_chars {
            r.problem("password lengths: the minimum must be at least 8 and the maximum at least 64 and above the minimum");
        }

        let password_min_score: u8 = r.setting(Key::PasswordMinScore);
        if password_min_score > 4 {
            r.problem("PORTAL_PASSWORD_MIN_SCORE (`password_min_score`) is a zxcvbn score: 0 to 4 (3 is the default, 0 turns the check off)");
        }
        let pwned = Self::pwned(r);

        let defaults = FlowLimits::default();
        let flow_limits = FlowLimits {
            idle_secs: r.setting(Key::FlowIdleSecs),
            absolute_secs: r.setting(Key::FlowAbsoluteSecs),
            ..defaults
        };

        let (hmac_key, hmac_broken) = match r.secret(Key::HmacKey, Key::HmacKeyFile) {
            Secret::Given(key) if key.len() >= 16 => (Some(HmacKey::new(key.into_bytes())), false),
            Secret::Given(_) => {
                r.problem("PORTAL_HMAC_KEY (`hmac_key`) must be at least 16 characters");
                (None, true)
            }
            Secret::Missing => (None, false),
            Secret::Broken => (None, true),
        };
        let store = Self::store(r);
        if store.is_shared() && hmac_key.is_none() && !hmac_broken {
            r.problem("PORTAL_HMAC_KEY is required with a Redis store: set the same secret (16+ characters) on every instance, so they hash identifiers and pick decoy questions alike");
        }

        let ipv6_prefix: u8 = r.setting(Key::Ipv6Prefix);
        if !(1..=128).contains(&ipv6_prefix) {
            r.problem("PORTAL_IPV6_PREFIX (`ipv6_prefix`) must be between 1 and 128 (64 is one customer's network)");
        }
        let given_origin = r.text(Key::PublicOrigin);
        if let Some(origin) = &given_origin {
            if !(origin.starts_with("https://") || origin.starts_with("http://")) {
                r.problem("PORTAL_PUBLIC_ORIGIN (`public_origin`) must start with https:// (or http:// for development)");
            }
        }
        let log_format = r.parse(Key::LogFormat).unwrap_or_else(|| {
            if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                LogFormat::Text
            } else {
                LogFormat::Json
            }
        });
        let metrics_addr = match r.text(Key::MetricsAddr).as_deref() {
            Some("off") => None,
            Some(_) => r.parse(Key::MetricsAddr),
            None => r.setting_or_none(Key::MetricsAddr),
        };

        let replica_wait = Self::replica_wait(r);
        let challenge = ChallengePolicy {
            at_percent: r.setting(Key::ChallengeAtPercent),
            cost: r.setting(Key::ChallengeCost),
        };
        if challenge.at_percent > 100 {
            r.problem(format!(
                "{} is a percentage of a budget: 0 (off) to 100",
                Reader::name(Key::ChallengeAtPercent)
            ));
        }
        if !(100..=100_000).contains(&challenge.cost) {
            r.problem(format!(
                "{} is PBKDF2 iterations per try: 100 to 100000 (1000 is the default)",
                Reader::name(Key::ChallengeCost)
            ));
        }
        let step_lease: u64 = r.setting(Key::StepLeaseSecs);
        if step_lease < 3 {
            r.problem(format!(
                "{} must be at least 3 (it is {step_lease}): the lease is renewed every third of it",
                Reader::name(Key::StepLeaseSecs)
            ));
        }
        Self {
            listen,
            metrics_addr,
            log_format,
            shutdown_grace: Duration::from_secs(r.setting(Key::ShutdownGraceSecs)),
            upstream,
            app_key: AppKey::new(app_key),
            api_version: r.text_or_default(Key::ApiVersion),
            upstream_timeout: Duration::from_secs(r.setting(Key::TimeoutSecs)),
            public_origin_given: given_origin.is_some(),
            public_origin: given_origin
                .unwrap_or_else(|| format!("http://{listen}"))
                .trim_end_matches('/')
                .to_string(),
            broker_name: r.text_or_default(Key::BrokerName),
            logo_url: Self::own_path(r, Key::LogoUrl),
            favicon_url: Self::own_path(r, Key::FaviconUrl),
            palette: Self::palette(r),
            help: Self::help(r),
            sign_in_url,
            policy,
            password_min_score,
            pwned,
            flow_limits,
            decoy_questions: r.setting(Key::DecoyQuestions),
            decoy_list: Self::decoy_list(r),
            languages: Self::languages(r),
            hmac_key,
            store,
            ip_rate_per_minute: r.setting(Key::IpRatePerMinute),
            ip_burst: r.setting(Key::IpBurst),
            trusted_proxies: match r.text(Key::TrustedProxies).map(|raw| raw.parse()) {
                Some(Ok(proxies)) if TrustedProxies::trusts_everyone(&proxies) => {
                    r.problem("PORTAL_TRUSTED_PROXIES (`trusted_proxies`) trusts every address (0.0.0.0/0 or ::/0): any client could then pick its own address and its own rate limit; list your proxies' addresses");
                    TrustedProxies::default()
                }
                Some(Ok(proxies)) => proxies,
                Some(Err(reason)) => {
                    r.problem(reason);
                    TrustedProxies::default()
                }
                None => TrustedProxies::default(),
            },
            budgets: Budgets {
                wrong_answers: r.setting(Key::WrongAnswersPer15Min),
                code_emails: r.setting(Key::CodeEmailsPerHour),
                wrong_codes_per_login: r.setting(Key::WrongCodesPerLoginPerHour),
                wrong_codes_per_network: r.setting(Key::WrongCodesPerNetworkPerHour),
                portal_wrong_codes: r.setting(Key::PortalWrongCodesPer10Min),
                portal_code_emails: r.setting(Key::PortalCodeEmailsPerHour),
            },
            ipv6_prefix: r.setting(Key::Ipv6Prefix),
            challenge,
            step_lease: Duration::from_secs(step_lease.max(3)),
            session_grace: Duration::from_secs(r.setting(Key::SessionGraceSecs)),
            replica_wait,
            confirm_reset_sign_in: r.setting(Key::ConfirmResetSignIn),
            max_sessions: r.setting(Key::MaxSessions),
        }
    }

    /// `redis_wait_replicas` and `redis_wait_ms`. The wait stays well inside
    /// the store's own timeout, which would otherwise fail the step.
    fn replica_wait(r: &mut Reader) -> ReplicaWait {
        let replicas: u32 = r.setting(Key::RedisWaitReplicas);
        let millis: u64 = r.setting(Key::RedisWaitMs);
        if !(1..=1000).contains(&millis) {
            r.problem(format!(
                "{} must be 1 to 1000 milliseconds (it is {millis}): a step waits this long for the replicas at most",
                Reader::name(Key::RedisWaitMs)
            ));
        }
        ReplicaWait {
            replicas,
            timeout: Duration::from_millis(millis.clamp(1, 1000)),
        }
    }

    /// An image the pages show (`logo_url`, `favicon_url`): a path on this
    /// portal. The CSP allows images from this origin only, and a first
    /// visit then asks nothing of anyone else.
    fn own_path(r: &mut Reader, key: Key) -> String {
        let path = r.text_or_default(key);
        let own = path.starts_with('/')
            && !path.starts_with("//")
            && !path.contains('\\')
            && !path.chars().any(char::is_control);
        if !own {
            r.problem(format!("{} must be a path on this portal, like /broker-logo.png (put the file in the site directory): the pages' CSP allows images from this origin only", Reader::name(key)));
        }
        path
    }

    /// `brand_color` and `brand_color_dark`, checked for contrast.
    fn palette(r: &mut Reader) -> Option<Palette> {
        let light = r.text(Key::BrandColor);
        let dark = r.text(Key::BrandColorDark);
        let name = |scheme: Scheme| {
            Reader::name(match scheme {
                Scheme::Light => Key::BrandColor,
                Scheme::Dark => Key::BrandColorDark,
            })
        };
        let named = |scheme: Scheme| match (scheme, &dark) {
            // A derived dark colour is always made to pass.
            (Scheme::Dark, None) => name(Scheme::Light),
            (Scheme::Light, _) | (Scheme::Dark, Some(_)) => name(scheme),
        };
        match Palette::read(light.as_deref(), dark.as_deref(), named) {
            Ok(palette) => palette,
            Err(problems) => {
                for problem in problems {
                    r.problem(problem);
                }
                None
            }
        }
    }

    /// `pwned_passwords_url` (https, or http on loopback for tests) and
    /// `pwned_passwords_fail_open`.
    fn pwned(r: &mut Reader) -> Option<PwnedSettings> {
        let fail_open: bool = r.setting(Key::PwnedPasswordsFailOpen);
        let raw = r.text(Key::PwnedPasswordsUrl)?;
        let url = match url::Url::parse(&raw) {
            Ok(url) if url.scheme() == "https" || (url.scheme() == "http" && is_loopback(&url)) => {
                url
            }
            Ok(_) | Err(_) => {
                r.problem("PORTAL_PWNED_PASSWORDS_URL (`pwned_passwords_url`) must be an https:// URL, like https://api.pwnedpasswords.com/range/");
                return None;
            }
        };
        Some(PwnedSettings { url, fail_open })
    }

    /// The footer's support line and links.
    fn help(r: &mut Reader) -> BrokerHelp {
        use crate::i18n::Lang;
        let support_text_in = Lang::ALL
            .into_iter()
            .filter_map(|lang| r.text(Key::SupportTextIn(lang)).map(|text| (lang, text)))
            .collect();
        BrokerHelp {
            support_text: r.text(Key::SupportText),
            support_text_in,
            support_url: Self::link(r, Key::SupportUrl, &["https", "http", "mailto", "tel"]),
            privacy_url: Self::link(r, Key::PrivacyUrl, &["https", "http"]),
            terms_url: Self::link(r, Key::TermsUrl, &["https", "http"]),
        }
    }

    /// A link the footer shows: an absolute URL in one of `schemes` (so
    /// never `javascript:`), or a path on this portal.
    fn link(r: &mut Reader, key: Key, schemes: &[&str]) -> Option<String> {
        let text = r.text(key)?;
        let path = text.starts_with('/') && !text.starts_with("//");
        let allowed =
            path || url::Url::parse(&text).is_ok_and(|url| schemes.contains(&url.scheme()));
        if !allowed {
            r.problem(format!(
                "{} must be a {} URL or a path on this portal",
                Reader::name(key),
                schemes.join(":, ") + ":"
            ));
            return None;
        }
        Some(text)
    }

    /// The broker's decoy questions, one per line, if a file is given.
    fn decoy_list(r: &mut Reader) -> Option<Vec<String>> {
        let path = r.text(Key::DecoyQuestionsFile)?;
        let Ok(text) = std::fs::read_to_string(&path) else {
            r.problem("PORTAL_DECOY_QUESTIONS_FILE (`decoy_questions_file`) could not be read");
            return None;
        };
        let questions: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        if questions.len() < 3 {
            r.problem("PORTAL_DECOY_QUESTIONS_FILE (`decoy_questions_file`) needs at least 3 questions, one per line");
            return None;
        }
        Some(questions)
    }

    /// `languages` (in order) and `default_language`, which must be one of them.
    fn languages(r: &mut Reader) -> crate::i18n::Languages {
        use crate::i18n::{Lang, Languages};
        let mut offered = Vec::new();
        if let Some(list) = r.text(Key::Languages) {
            for code in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                match Lang::from_code(code) {
                    Some(lang) if !offered.contains(&lang) => offered.push(lang),
                    Some(_) => {}
                    None => r.problem(format!(
                        "PORTAL_LANGUAGES (`languages`): {code:?} is not one of en, es, pt-BR, fr, de, ar"
                    )),
                }
            }
        }
        if offered.is_empty() {
            offered = Lang::ALL.to_vec();
        }
        let default = match r.text(Key::DefaultLanguage) {
            None => Lang::En,
            Some(code) => match Lang::from_code(&code) {
                Some(lang) => lang,
                None => {
                    r.problem(format!("PORTAL_DEFAULT_LANGUAGE (`default_language`): {code:?} is not one of en, es, pt-BR, fr, de, ar"));
                    Lang::En
                }
            },
        };
        if !offered.contains(&default) {
            if r.text(Key::DefaultLanguage).is_some() {
                r.problem(
                    "PORTAL_DEFAULT_LANGUAGE (`default_language`) must be one of PORTAL_LANGUAGES",
                );
            }
            // Unset default with a list that lacks English: the list's first.
            return Languages {
                default: offered[0],
                offered,
            };
        }
        Languages { default, offered }
    }

    /// `store`, with the Redis password from `store_password_file` if set.
    fn store(r: &mut Reader) -> StoreUrl {
        let raw = r.text_or_default(Key::Store);
        let raw = match r.text(Key::StorePasswordFile) {
            None => raw,
            Some(path) => {
                let password = std::fs::read_to_string(&path).map(|p| p.trim().to_string());
                match (password, url::Url::parse(&raw)) {
                    (Err(_), _) => {
                        r.problem(
                            "PORTAL_STORE_PASSWORD_FILE (`store_password_file`) could not be read",
                        );
                        raw
                    }
                    (Ok(password), Ok(mut url)) if url.scheme().starts_with("redis") => {
                        if url.set_password(Some(&password)).is_err() {
                            r.problem("PORTAL_STORE (`store`): this URL can't carry a password");
                        }
                        url.to_string()
                    }
                    _ => {
                        r.problem("PORTAL_STORE_PASSWORD_FILE (`store_password_file`) is for a redis:// store");
                        raw
                    }
                }
            }
        };
        match raw.parse() {
            Ok(store) => store,
            Err(reason) => {
                r.problem(reason);
                StoreUrl::Memory
            }
        }
    }
}

/// Whether `url` names this machine (127.0.0.0/8, ::1, `localhost`).
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
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
        Config::load(&Sources::new(None, move |k| map.get(k).cloned())).map_err(|p| p.join("\n"))
    }

    #[test]
    fn autoshares_is_reached_over_https_but_on_loopback() {
        let with = |url: &str, extra: &[(&str, &str)]| {
            let mut vars = vec![
                ("AUTOSHARES_API_URL", url),
                ("AUTOSHARES_APP_KEY", "k"),
                ("PORTAL_SIGN_IN_URL", "https://broker.example.com/"),
            ];
            vars.extend_from_slice(extra);
            config(&vars)
        };
        let refused = with("http://198.51.100.7", &[]).unwrap_err();
        assert!(refused.contains("must be https://"), "{refused}");
        assert!(with("https://api.broker.example.com", &[]).is_ok());
        assert!(with("http://127.0.0.1:4010", &[]).is_ok());
        assert!(with("http://localhost:4010", &[]).is_ok());
        assert!(with("http://[::1]:4010", &[]).is_ok());
        assert!(with("http://198.51.100.7", &[("AUTOSHARES_ALLOW_HTTP", "true")]).is_ok());
    }

    #[test]
    fn trusting_every_address_as_a_proxy_is_refused() {
        for everyone in ["0.0.0.0/0", "::/0", "10.0.0.1, ::/0"] {
            let refused = config(&[
                ("AUTOSHARES_API_URL", "sandbox"),
                ("PORTAL_TRUSTED_PROXIES", everyone),
            ])
            .unwrap_err();
            assert!(refused.contains("trusts every address"), "{refused}");
        }
        assert!(config(&[
            ("AUTOSHARES_API_URL", "sandbox"),
            ("PORTAL_TRUSTED_PROXIES", "10.0.0.0/8, fd00::/8"),
        ])
        .is_ok());
    }

    #[test]
    fn the_defaults_check_config_prints_are_the_ones_used() {
        let c = config(&[("AUTOSHARES_API_URL", "sandbox")]).unwrap();
        let shown = |key: Key| key.spec().default;
        assert_eq!(c.listen.to_string(), shown(Key::Listen));
        assert_eq!(c.api_version, shown(Key::ApiVersion));
        assert_eq!(
            c.upstream_timeout.as_secs().to_string(),
            shown(Key::TimeoutSecs)
        );
        assert_eq!(c.broker_name, shown(Key::BrokerName));
        assert_eq!(c.logo_url, shown(Key::LogoUrl));
        assert_eq!(c.favicon_url, shown(Key::FaviconUrl));
        assert_eq!(c.palette, None);
        assert_eq!(c.help, BrokerHelp::default());
        assert_eq!(
            c.policy.min_chars.to_string(),
            shown(Key::PasswordMinLength)
        );
        assert_eq!(
            c.policy.max_chars.to_string(),
            shown(Key::PasswordMaxLength)
        );
        assert_eq!(
            c.password_min_score.to_string(),
            shown(Key::PasswordMinScore)
        );
        assert_eq!(c.pwned, None);
        assert_eq!(
            c.flow_limits.idle_secs.to_string(),
            shown(Key::FlowIdleSecs)
        );
        assert_eq!(
            c.flow_limits.absolute_secs.to_string(),
            shown(Key::FlowAbsoluteSecs)
        );
        assert_eq!(c.decoy_questions.to_string(), shown(Key::DecoyQuestions));
        assert_eq!(
            c.ip_rate_per_minute.to_string(),
            shown(Key::IpRatePerMinute)
        );
        assert_eq!(c.ip_burst.to_string(), shown(Key::IpBurst));
        assert_eq!(
            c.budgets.wrong_answers.to_string(),
            shown(Key::WrongAnswersPer15Min)
        );
        assert_eq!(
            c.budgets.code_emails.to_string(),
            shown(Key::CodeEmailsPerHour)
        );
        assert_eq!(
            c.budgets.wrong_codes_per_login.to_string(),
            shown(Key::WrongCodesPerLoginPerHour)
        );
        assert_eq!(
            c.budgets.wrong_codes_per_network.to_string(),
            shown(Key::WrongCodesPerNetworkPerHour)
        );
        assert_eq!(
            c.budgets.portal_wrong_codes.to_string(),
            shown(Key::PortalWrongCodesPer10Min)
        );
        assert_eq!(
            c.budgets.portal_code_emails.to_string(),
            shown(Key::PortalCodeEmailsPerHour)
        );
        assert_eq!(c.ipv6_prefix.to_string(), shown(Key::Ipv6Prefix));
        assert_eq!(
            c.step_lease.as_secs().to_string(),
            shown(Key::StepLeaseSecs)
        );
        assert_eq!(
            c.challenge.at_percent.to_string(),
            shown(Key::ChallengeAtPercent)
        );
        assert_eq!(c.challenge.cost.to_string(), shown(Key::ChallengeCost));
        assert_eq!(
            c.session_grace.as_secs().to_string(),
            shown(Key::SessionGraceSecs)
        );
        assert_eq!(
            c.replica_wait.replicas.to_string(),
            shown(Key::RedisWaitReplicas)
        );
        assert_eq!(
            c.replica_wait.timeout.as_millis().to_string(),
            shown(Key::RedisWaitMs)
        );
        assert_eq!(
            c.confirm_reset_sign_in.to_string(),
            shown(Key::ConfirmResetSignIn)
        );
        assert_eq!(Budgets::default(), c.budgets);
        assert_eq!(c.max_sessions.to_string(), shown(Key::MaxSessions));
        assert_eq!(
            c.shutdown_grace.as_secs().to_string(),
            shown(Key::ShutdownGraceSecs)
        );
        assert_eq!(
            c.metrics_addr.map(|a| a.to_string()).as_deref(),
            Some(shown(Key::MetricsAddr))
        );
        assert_eq!(c.store.to_string(), shown(Key::Store));
    }

    #[test]
    fn the_broker_s_look_is_read_and_checked() {
        let c = config(&[
            ("AUTOSHARES_API_URL", "sandbox"),
            ("PORTAL_BRAND_COLOR", "#6d1a36"),
            ("PORTAL_SUPPORT_TEXT", "Need help? Call +1 212 555 0100"),
            ("PORTAL_SUPPORT_TEXT_AR", "هل تحتاج إلى مساعدة؟"),
            ("PORTAL_SUPPORT_URL", "tel:+12125550100"),
            ("PORTAL_PRIVACY_URL", "https://broker.example.com/privacy"),
            ("PORTAL_TERMS_URL", "/terms"),
            ("PORTAL_FAVICON_URL", "/broker.ico"),
        ])
        .unwrap();
        let palette = c.palette.unwrap();
        assert_eq!(palette.light.primary.to_string(), "#6d1a36");
        assert!(palette.dark_derived);
        assert_eq!(
            c.help.support_text(crate::i18n::Lang::Ar),
            Some("هل تحتاج إلى مساعدة؟")
        );
        assert_eq!(c.favicon_url, "/broker.ico");

        let refused = config(&[
            ("AUTOSHARES_API_URL", "sandbox"),
            ("PORTAL_BRAND_COLOR", "#f5a623"),
            ("PORTAL_BRAND_COLOR_DARK", "#0b5cab"),
            ("PORTAL_PRIVACY_URL", "javascript:alert(1)"),
            ("PORTAL_SUPPORT_URL", "mailto:help@broker.example.com"),
            ("PORTAL_LOGO_URL", "https://cdn.example.com/logo.png"),
        ])
        .unwrap_err();
        for needle in [
            "PORTAL_BRAND_COLOR (`brand_color`): #f5a623 has 1.",
            "PORTAL_BRAND_COLOR_DARK (`brand_color_dark`): #0b5cab has 2.",
            "The nearest colour that passes: #",
            "PORTAL_PRIVACY_URL (`privacy_url`) must be a https:, http: URL",
            "PORTAL_LOGO_URL (`logo_url`) must be a path on this portal",
        ] {
            assert!(
                refused.contains(needle),
                "{needle} missing from:\n{refused}"
            );
        }
        assert_eq!(refused.lines().count(), 4, "{refused}");
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
        assert_eq!(c.app_key.expose(), crate::sandbox::DEFAULT_APP_KEY);
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
    fn every_problem_is_reported_at_once() {
        let sources = Sources::with_text(
            "autoshares_api_url = \"https://api.example.com\"\nip_burst = \"lots\"\nbroker_nmae = \"X\"\npassword_min_length = 4\n",
            |_| None,
        );
        let problems = Config::load(&sources).unwrap_err();
        let all = problems.join("\n");
        for needle in [
            "unknown key `broker_nmae`",
            "AUTOSHARES_APP_KEY",
            "PORTAL_SIGN_IN_URL",
            "PORTAL_IP_BURST",
            "password lengths",
        ] {
            assert!(all.contains(needle), "{needle} missing from:\n{all}");
        }
        assert_eq!(problems.len(), 5, "{all}");
    }

    #[test]
    fn secrets_come_from_files() {
        let dir = std::env::temp_dir().join(format!("as-secrets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("hmac"), "0123456789abcdef-from-file\n").unwrap();
        std::fs::write(dir.join("redis"), "s3cret\n").unwrap();
        let (hmac, redis) = (dir.join("hmac"), dir.join("redis"));
        let c = config(&[
            ("AUTOSHARES_API_URL", "sandbox"),
            ("PORTAL_HMAC_KEY_FILE", hmac.to_str().unwrap()),
            ("PORTAL_STORE", "redis://127.0.0.1:6379/0"),
            ("PORTAL_STORE_PASSWORD_FILE", redis.to_str().unwrap()),
        ])
        .unwrap();
        assert_eq!(c.hmac_key.unwrap().expose(), b"0123456789abcdef-from-file");
        assert_eq!(
            c.store,
            StoreUrl::Redis("redis://:s3cret@127.0.0.1:6379/0".into())
        );
        let _ = std::fs::remove_dir_all(dir);
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

//! [ssr] Where configuration comes from: a TOML file (`--config <path>` or
//! `PORTAL_CONFIG`) and environment variables, which override the file.
//!
//! Every setting is one [`Key`]: its name in the file, its environment
//! variable, whether it is a secret, its default as the README shows it,
//! and what it does. The README's configuration table is checked against
//! this list by a test, and `check-config` prints it.
//!
//! The file is parsed by the `toml` crate. A [`Reader`] then takes each
//! value (environment first, then file) through the target type's
//! `FromStr` and *collects* every problem instead of stopping at the first:
//! an operator fixing a broken file sees all of it at once. Keys the file
//! has but no [`Key`] names are problems too, so a typo can't silently do
//! nothing.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::i18n::Lang;

/// Every configuration setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Listen,
    ApiUrl,
    AllowHttp,
    AppKey,
    AppKeyFile,
    ApiVersion,
    TimeoutSecs,
    PublicOrigin,
    SignInUrl,
    BrokerName,
    LogoUrl,
    FaviconUrl,
    BrandColor,
    BrandColorDark,
    SupportText,
    /// `support_text` for one language.
    SupportTextIn(Lang),
    SupportUrl,
    PrivacyUrl,
    TermsUrl,
    PasswordMinLength,
    PasswordMaxLength,
    PasswordMinScore,
    PwnedPasswordsUrl,
    PwnedPasswordsFailOpen,
    FlowIdleSecs,
    FlowAbsoluteSecs,
    DecoyQuestions,
    DecoyQuestionsFile,
    DefaultLanguage,
    Languages,
    Store,
    StorePasswordFile,
    HmacKey,
    HmacKeyFile,
    IpRatePerMinute,
    IpBurst,
    TrustedProxies,
    WrongAnswersPer15Min,
    CodeEmailsPerHour,
    WrongCodesPerLoginPerHour,
    WrongCodesPerNetworkPerHour,
    PortalWrongCodesPer10Min,
    PortalCodeEmailsPerHour,
    Ipv6Prefix,
    ChallengeAtPercent,
    ChallengeCost,
    StepLeaseSecs,
    SessionGraceSecs,
    RedisWaitReplicas,
    RedisWaitMs,
    ConfirmResetSignIn,
    MaxSessions,
    LogFormat,
    MetricsAddr,
    ShutdownGraceSecs,
    SandboxPort,
    SandboxTokenPrefix,
}

/// One row of the configuration table.
pub struct Spec {
    /// The key in the TOML file.
    pub key: &'static str,
    /// The environment variable (overrides the file).
    pub env: &'static str,
    /// Redacted by `check-config`, never logged.
    pub secret: bool,
    /// The default, as the README's table shows it.
    pub default: &'static str,
    pub doc: &'static str,
}

impl Key {
    pub const ALL: [Key; 62] = [
        Key::Listen,
        Key::ApiUrl,
        Key::AllowHttp,
        Key::AppKey,
        Key::AppKeyFile,
        Key::ApiVersion,
        Key::TimeoutSecs,
        Key::PublicOrigin,
        Key::SignInUrl,
        Key::BrokerName,
        Key::LogoUrl,
        Key::FaviconUrl,
        Key::BrandColor,
        Key::BrandColorDark,
        Key::SupportText,
        Key::SupportTextIn(Lang::En),
        Key::SupportTextIn(Lang::Es),
        Key::SupportTextIn(Lang::PtBr),
        Key::SupportTextIn(Lang::Fr),
        Key::SupportTextIn(Lang::De),
        Key::SupportTextIn(Lang::Ar),
        Key::SupportUrl,
        Key::PrivacyUrl,
        Key::TermsUrl,
        Key::PasswordMinLength,
        Key::PasswordMaxLength,
        Key::PasswordMinScore,
        Key::PwnedPasswordsUrl,
        Key::PwnedPasswordsFailOpen,
        Key::FlowIdleSecs,
        Key::FlowAbsoluteSecs,
        Key::DecoyQuestions,
        Key::DecoyQuestionsFile,
        Key::DefaultLanguage,
        Key::Languages,
        Key::Store,
        Key::StorePasswordFile,
        Key::HmacKey,
        Key::HmacKeyFile,
        Key::IpRatePerMinute,
        Key::IpBurst,
        Key::TrustedProxies,
        Key::WrongAnswersPer15Min,
        Key::CodeEmailsPerHour,
        Key::WrongCodesPerLoginPerHour,
        Key::WrongCodesPerNetworkPerHour,
        Key::PortalWrongCodesPer10Min,
        Key::PortalCodeEmailsPerHour,
        Key::Ipv6Prefix,
        Key::ChallengeAtPercent,
        Key::ChallengeCost,
        Key::StepLeaseSecs,
        Key::SessionGraceSecs,
        Key::RedisWaitReplicas,
        Key::RedisWaitMs,
        Key::ConfirmResetSignIn,
        Key::MaxSessions,
        Key::LogFormat,
        Key::MetricsAddr,
        Key::ShutdownGraceSecs,
        Key::SandboxPort,
        Key::SandboxTokenPrefix,
    ];

    pub fn spec(self) -> Spec {
        let s = |key, env, default, doc| Spec {
            key,
            env,
            secret: false,
            default,
            doc,
        };
        let secret = |key, env, default, doc| Spec {
            key,
            env,
            secret: true,
            default,
            doc,
        };
        match self {
            Key::Listen => s("listen", "LEPTOS_SITE_ADDR", "127.0.0.1:3000", "the address and port the portal serves traders on"),
            Key::ApiUrl => s("autoshares_api_url", "AUTOSHARES_API_URL", "(required)", "the broker's AutoShares API base URL, or `sandbox` for the built-in simulator"),
            Key::AllowHttp => s("autoshares_allow_http", "AUTOSHARES_ALLOW_HTTP", "false", "allow an http:// AutoShares URL off loopback (never in production: the app key and new passwords travel in it)"),
            Key::AppKey => secret("autoshares_app_key", "AUTOSHARES_APP_KEY", "(required unless sandbox)", "the secret server-side `Et-App-Key`; set it or the `_file` one, not both"),
            Key::AppKeyFile => s("autoshares_app_key_file", "AUTOSHARES_APP_KEY_FILE", "unset", "a file holding the app key (systemd `LoadCredential`, Kubernetes secret)"),
            Key::ApiVersion => s("autoshares_api_version", "AUTOSHARES_API_VERSION", "1.0", "the `v…` path segment"),
            Key::TimeoutSecs => s("autoshares_timeout_secs", "AUTOSHARES_TIMEOUT_SECS", "10", "whole-request upstream timeout (connect: 3 s)"),
            Key::PublicOrigin => s("public_origin", "PORTAL_PUBLIC_ORIGIN", "http://<listen>", "the origin browsers use; `https://…` makes cookies `Secure` (`__Host-reset`) and sends HSTS; posts from any other origin get 403"),
            Key::SignInUrl => s("sign_in_url", "PORTAL_SIGN_IN_URL", "(required unless sandbox)", "where \"Sign in\" on the done page goes"),
            Key::BrokerName => s("broker_name", "PORTAL_BROKER_NAME", "AutoShares", "shown in the header and on the done page"),
            Key::LogoUrl => s("logo_url", "PORTAL_LOGO_URL", "/logo.svg", "the header logo: a path on this portal (put the file in the site directory); the CSP allows images from this origin only"),
            Key::FaviconUrl => s("favicon_url", "PORTAL_FAVICON_URL", "/favicon.svg", "the browser tab's icon: a path on this portal, like `logo_url`"),
            Key::BrandColor => s("brand_color", "PORTAL_BRAND_COLOR", "the stock blue", "buttons, links, the focus ring and the step indicator (any CSS colour); refused below 4.5:1 against the page or the card, with the nearest colour that passes"),
            Key::BrandColorDark => s("brand_color_dark", "PORTAL_BRAND_COLOR_DARK", "derived from brand_color", "the same in the dark scheme; unset, `brand_color` lightened until it passes"),
            Key::SupportText => s("support_text", "PORTAL_SUPPORT_TEXT", "unset", "one line in the footer, e.g. \"Need help? Call +1 212 555 0100, 8am–8pm ET\"; every language without its own"),
            Key::SupportTextIn(lang) => {
                let doc = "`support_text` in this language";
                match lang {
                    Lang::En => s("support_text_en", "PORTAL_SUPPORT_TEXT_EN", "support_text", doc),
                    Lang::Es => s("support_text_es", "PORTAL_SUPPORT_TEXT_ES", "support_text", doc),
                    Lang::PtBr => s("support_text_pt_br", "PORTAL_SUPPORT_TEXT_PT_BR", "support_text", doc),
                    Lang::Fr => s("support_text_fr", "PORTAL_SUPPORT_TEXT_FR", "support_text", doc),
                    Lang::De => s("support_text_de", "PORTAL_SUPPORT_TEXT_DE", "support_text", doc),
                    Lang::Ar => s("support_text_ar", "PORTAL_SUPPORT_TEXT_AR", "support_text", doc),
                }
            }
            Key::SupportUrl => s("support_url", "PORTAL_SUPPORT_URL", "unset", "the footer's \"Help\" link: https://, mailto: or tel:"),
            Key::PrivacyUrl => s("privacy_url", "PORTAL_PRIVACY_URL", "unset", "the footer's privacy notice link (https://)"),
            Key::TermsUrl => s("terms_url", "PORTAL_TERMS_URL", "unset", "the footer's terms of use link (https://)"),
            Key::PasswordMinLength => s("password_min_length", "PORTAL_PASSWORD_MIN_LENGTH", "12", "minimum length in Unicode code points (at least 8)"),
            Key::PasswordMaxLength => s("password_max_length", "PORTAL_PASSWORD_MAX_LENGTH", "128", "maximum length (at least 64)"),
            Key::PasswordMinScore => s("password_min_score", "PORTAL_PASSWORD_MIN_SCORE", "3", "the lowest zxcvbn score (0–4) a new password may have, judged on the server with the login, email and broker name as known words; 0 turns the check off"),
            Key::PwnedPasswordsUrl => s("pwned_passwords_url", "PORTAL_PWNED_PASSWORDS_URL", "unset", "a Have I Been Pwned range API (`https://api.pwnedpasswords.com/range/`): new passwords found in breaches are refused; only the first 5 hex characters of the SHA-1 leave the portal"),
            Key::PwnedPasswordsFailOpen => s("pwned_passwords_fail_open", "PORTAL_PWNED_PASSWORDS_FAIL_OPEN", "true", "when the range API can't be reached in 2 s: `true` lets the password through (logged), `false` refuses with the unavailable message"),
            Key::FlowIdleSecs => s("flow_idle_secs", "PORTAL_FLOW_IDLE_SECS", "600", "a reset expires after this long without a step"),
            Key::FlowAbsoluteSecs => s("flow_absolute_secs", "PORTAL_FLOW_ABSOLUTE_SECS", "1800", "and this long after it started, whatever happens"),
            Key::DecoyQuestions => s("decoy_questions", "PORTAL_DECOY_QUESTIONS", "true", "unknown logins see a stable made-up question; `false` for brokers without secret questions"),
            Key::DecoyQuestionsFile => s("decoy_questions_file", "PORTAL_DECOY_QUESTIONS_FILE", "the default language's built-in list", "the made-up questions unknown logins see, one per line (UTF-8): write them like your real ones, in your traders' language"),
            Key::DefaultLanguage => s("default_language", "PORTAL_DEFAULT_LANGUAGE", "en", "the language when neither the `lang` cookie nor `Accept-Language` picks one: `en`, `es`, `pt-BR`, `fr`, `de` or `ar`"),
            Key::Languages => s("languages", "PORTAL_LANGUAGES", "en,es,pt-BR,fr,de,ar", "the languages offered, in the switcher's order (comma-separated, or a TOML list)"),
            Key::Store => secret("store", "PORTAL_STORE", "sqlite:data/portal.db", "where sessions and counters live: `sqlite:<path>`, `redis://…` (several instances) or `memory`"),
            Key::StorePasswordFile => s("store_password_file", "PORTAL_STORE_PASSWORD_FILE", "unset", "a file holding the Redis password, put into the `store` URL"),
            Key::HmacKey => secret("hmac_key", "PORTAL_HMAC_KEY", "kept in the SQLite file", "key for hashed identifiers and the decoy choice (16+ chars); required with Redis, the same on every instance"),
            Key::HmacKeyFile => s("hmac_key_file", "PORTAL_HMAC_KEY_FILE", "unset", "a file holding the HMAC key"),
            Key::IpRatePerMinute => s("ip_rate_per_minute", "PORTAL_IP_RATE_PER_MINUTE", "30", "posts per minute per client address"),
            Key::IpBurst => s("ip_burst", "PORTAL_IP_BURST", "10", "and the burst above it"),
            Key::TrustedProxies => s("trusted_proxies", "PORTAL_TRUSTED_PROXIES", "empty", "addresses or CIDR blocks of your reverse proxies (comma-separated, or a TOML list); only their `X-Forwarded-For` names the client"),
            Key::WrongAnswersPer15Min => s("wrong_answers_per_15_min", "PORTAL_WRONG_ANSWERS_PER_15_MIN", "5", "per login, across sessions; then a lockout of 15 minutes, doubling up to a day"),
            Key::CodeEmailsPerHour => s("code_emails_per_hour", "PORTAL_CODE_EMAILS_PER_HOUR", "3", "per login, across sessions (stops inbox flooding)"),
            Key::WrongCodesPerLoginPerHour => s("wrong_codes_per_login_per_hour", "PORTAL_WRONG_CODES_PER_LOGIN_PER_HOUR", "10", "wrong codes per login, across sessions"),
            Key::WrongCodesPerNetworkPerHour => s("wrong_codes_per_network_per_hour", "PORTAL_WRONG_CODES_PER_NETWORK_PER_HOUR", "10", "wrong codes per client network (an IPv4 address or an IPv6 prefix)"),
            Key::PortalWrongCodesPer10Min => s("portal_wrong_codes_per_10_min", "PORTAL_PORTAL_WRONG_CODES_PER_10_MIN", "30", "wrong codes, the whole portal; past it, networks that already guessed wrong are refused and `abuse_suspected` is logged"),
            Key::PortalCodeEmailsPerHour => s("portal_code_emails_per_hour", "PORTAL_PORTAL_CODE_EMAILS_PER_HOUR", "100", "code emails, the whole portal; past it, code requests wait and `abuse_suspected` is logged"),
            Key::Ipv6Prefix => s("ipv6_prefix", "PORTAL_IPV6_PREFIX", "64", "IPv6 clients count as one network per prefix of this many bits (IPv4: per address)"),
            Key::ChallengeAtPercent => s("challenge_at_percent", "PORTAL_CHALLENGE_AT_PERCENT", "80", "a step asks the browser for a proof of work once a budget it spends (its login's, its network's or the portal's) is this full, in percent; harder at 90 % and past the budget; 0 turns proofs of work off"),
            Key::ChallengeCost => s("challenge_cost", "PORTAL_CHALLENGE_COST", "1000", "PBKDF2 iterations per try of a proof of work (the browser makes at most 1,000 tries at the first level, 4,500 and 15,000 above it); 100 to 100000"),
            Key::StepLeaseSecs => s("step_lease_secs", "PORTAL_STEP_LEASE_SECS", "6", "one step of a flow runs at a time: its lease is renewed every third of this while the step runs, so a crashed instance's lease lasts at most this long"),
            Key::SessionGraceSecs => s("session_grace_secs", "PORTAL_SESSION_GRACE_SECS", "60", "after a step rotates the session id, the old id still leads to the flow this long (an answer lost to a crash or a dropped connection loses nothing); 0: not at all"),
            Key::RedisWaitReplicas => s("redis_wait_replicas", "PORTAL_REDIS_WAIT_REPLICAS", "0", "Redis store with replicas: how many must hold each step's session write before the trader gets the answer (`WAIT`), so a failover keeps it; 1 with Sentinel"),
            Key::RedisWaitMs => s("redis_wait_ms", "PORTAL_REDIS_WAIT_MS", "100", "how long a step waits for those replicas (1 to 1000); past it the step goes on and `portal_replica_wait_timeouts_total` counts it"),
            Key::ConfirmResetSignIn => s("confirm_reset_sign_in", "PORTAL_CONFIRM_RESET_SIGN_IN", "true", "after a new password is accepted, sign in once with it (`/token`) to prove it landed on this flow's login; costs one upstream call per reset"),
            Key::MaxSessions => s("max_sessions", "PORTAL_MAX_SESSIONS", "100000", "`memory` store only: sessions kept"),
            Key::LogFormat => s("log_format", "PORTAL_LOG_FORMAT", "json off a terminal, else text", "`json` (one object per line) or `text`"),
            Key::MetricsAddr => s("metrics_addr", "PORTAL_METRICS_ADDR", "127.0.0.1:9464", "the operators' listener: Prometheus `/metrics` and `/readyz`; `off` disables it"),
            Key::ShutdownGraceSecs => s("shutdown_grace_secs", "PORTAL_SHUTDOWN_GRACE_SECS", "20", "on SIGTERM/SIGINT, how long requests in flight may finish"),
            Key::SandboxPort => s("sandbox_port", "SANDBOX_PORT", "0", "sandbox mode: the loopback port of the in-process sandbox (0: any free port)"),
            Key::SandboxTokenPrefix => s("sandbox_token_prefix", "SANDBOX_TOKEN_PREFIX", "empty", "sandbox mode: put in front of reset tokens (the leak test uses a canary)"),
        }
    }

    fn by_file_key(key: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.spec().key == key)
    }
}

/// Where a value came from, for messages and `check-config`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Env(&'static str),
    File,
    Default,
}

/// Looks up one environment variable (the process's, or a test's map).
type EnvLookup = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The file (if any) and the environment, before any value is parsed.
pub struct Sources {
    file: Option<(PathBuf, toml::Table)>,
    env: EnvLookup,
    /// Problems found while reading the file itself.
    problems: Vec<String>,
}

impl Sources {
    /// The process environment plus `--config <path>` (else `PORTAL_CONFIG`).
    pub fn from_process(config_path: Option<PathBuf>) -> Sources {
        let path = config_path.or_else(|| {
            std::env::var_os("PORTAL_CONFIG")
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
        });
        Sources::new(path.as_deref(), |name| std::env::var(name).ok())
    }

    pub fn new(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Sources {
        let mut problems = Vec::new();
        let file = file.and_then(|path| {
            let shown = path.display();
            match std::fs::read_to_string(path) {
                Err(e) => {
                    problems.push(format!("config file {shown}: cannot be read ({e})"));
                    None
                }
                Ok(text) => Sources::parse_file(path, &text, &mut problems),
            }
        });
        Sources {
            file,
            env: Box::new(env),
            problems,
        }
    }

    /// A file given as text (tests).
    pub fn with_text(
        text: &str,
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Sources {
        let mut problems = Vec::new();
        let file = Sources::parse_file(Path::new("portal.toml"), text, &mut problems);
        Sources {
            file,
            env: Box::new(env),
            problems,
        }
    }

    fn parse_file(
        path: &Path,
        text: &str,
        problems: &mut Vec<String>,
    ) -> Option<(PathBuf, toml::Table)> {
        let shown = path.display();
        match text.parse::<toml::Table>() {
            Err(e) => {
                let reason = e.message().to_string();
                let line = e
                    .span()
                    .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
                problems.push(match line {
                    Some(line) => format!("config file {shown}, line {line}: {reason}"),
                    None => format!("config file {shown}: {reason}"),
                });
                None
            }
            Ok(table) => {
                for name in table.keys() {
                    if Key::by_file_key(name).is_none() {
                        problems.push(format!(
                            "config file {shown}: unknown key `{name}` (see the README's configuration table)"
                        ));
                    }
                }
                Some((path.to_path_buf(), table))
            }
        }
    }

    /// The raw text of `key`: the environment first, then the file.
    /// `Err` when the file holds a value that can't be a setting (a table).
    pub fn raw(&self, key: Key) -> Result<Option<(String, Origin)>, String> {
        let spec = key.spec();
        if let Some(value) = (self.env)(spec.env)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
        {
            return Ok(Some((value, Origin::Env(spec.env))));
        }
        let Some(value) = self.file.as_ref().and_then(|(_, t)| t.get(spec.key)) else {
            return Ok(None);
        };
        let text = match value {
            toml::Value::String(s) => s.trim().to_string(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Array(items) => {
                let mut parts = Vec::new();
                for item in items {
                    match item {
                        toml::Value::String(s) => parts.push(s.trim().to_string()),
                        _ => return Err(format!("{}: the list must hold strings", spec.key)),
                    }
                }
                parts.join(",")
            }
            _ => return Err(format!("{}: must be a single value, not a table", spec.key)),
        };
        Ok((!text.is_empty()).then_some((text, Origin::File)))
    }

    pub fn file_path(&self) -> Option<&Path> {
        self.file.as_ref().map(|(p, _)| p.as_path())
    }
}

/// A secret setting, read.
pub enum Secret {
    Given(String),
    /// Set nowhere.
    Missing,
    /// Set wrongly; the problem is already noted.
    Broken,
}

/// Reads settings one by one, keeping every problem.
pub struct Reader<'a> {
    sources: &'a Sources,
    problems: Vec<String>,
}

impl<'a> Reader<'a> {
    pub fn new(sources: &'a Sources) -> Reader<'a> {
        Reader {
            sources,
            problems: sources.problems.clone(),
        }
    }

    /// Note a problem with the configuration as a whole.
    pub fn problem(&mut self, text: impl Into<String>) {
        self.problems.push(text.into());
    }

    /// How `key` is named in messages: both the env var and the file key.
    pub fn name(key: Key) -> String {
        let spec = key.spec();
        format!("{} (`{}`)", spec.env, spec.key)
    }

    /// The trimmed text of `key`, if set anywhere.
    pub fn text(&mut self, key: Key) -> Option<String> {
        match self.sources.raw(key) {
            Ok(value) => value.map(|(v, _)| v),
            Err(reason) => {
                self.problems.push(reason);
                None
            }
        }
    }

    /// `key` parsed, or its default from the table ([`Key::spec`]) when
    /// unset: the one default `check-config` prints is the one the code
    /// uses. A bad value is a problem (and the default stands in, so
    /// reading can go on). `T::default()` only if the table's own default
    /// doesn't parse, which is a problem too (a unit test keeps it from
    /// happening).
    pub fn setting<T: FromStr + Default>(&mut self, key: Key) -> T {
        self.setting_or_none(key).unwrap_or_default()
    }

    /// [`Reader::setting`] for types without a `Default`: `None` only when
    /// the table's own default doesn't parse (noted as a problem).
    pub fn setting_or_none<T: FromStr>(&mut self, key: Key) -> Option<T> {
        if let Some(value) = self.parse(key) {
            return Some(value);
        }
        let parsed = key.spec().default.parse().ok();
        if parsed.is_none() {
            self.problems.push(format!(
                "{}: the built-in default does not parse (a bug)",
                Reader::name(key)
            ));
        }
        parsed
    }

    /// The trimmed text of `key`, or its default from the table.
    pub fn text_or_default(&mut self, key: Key) -> String {
        self.text(key)
            .unwrap_or_else(|| key.spec().default.to_string())
    }

    /// `key` parsed, `None` when unset or bad (bad is a problem).
    pub fn parse<T: FromStr>(&mut self, key: Key) -> Option<T> {
        let raw = self.text(key)?;
        match raw.parse() {
            Ok(value) => Some(value),
            Err(_) => {
                self.problems
                    .push(format!("{} has an invalid value", Reader::name(key)));
                None
            }
        }
    }

    /// A secret given directly (`key`) or in a file (`file_key`), not both.
    pub fn secret(&mut self, key: Key, file_key: Key) -> Secret {
        match (self.text(key), self.text(file_key)) {
            (Some(_), Some(_)) => {
                self.problems.push(format!(
                    "set {} or {}, not both",
                    Reader::name(key),
                    Reader::name(file_key)
                ));
                Secret::Broken
            }
            (Some(value), None) => Secret::Given(value),
            (None, Some(path)) => match std::fs::read_to_string(&path) {
                Ok(value) if !value.trim().is_empty() => Secret::Given(value.trim().to_string()),
                Ok(_) => {
                    self.problems
                        .push(format!("{} names an empty file", Reader::name(file_key)));
                    Secret::Broken
                }
                Err(_) => {
                    self.problems
                        .push(format!("{} could not be read", Reader::name(file_key)));
                    Secret::Broken
                }
            },
            (None, None) => Secret::Missing,
        }
    }

    pub fn finish(self) -> Vec<String> {
        self.problems
    }
}

/// `check-config`'s listing: every setting, its effective text (secrets
/// redacted) and where it came from.
pub fn describe(sources: &Sources) -> Vec<String> {
    Key::ALL
        .into_iter()
        .map(|key| {
            let spec = key.spec();
            let (value, origin) = match sources.raw(key) {
                Ok(Some((_, origin))) if spec.secret => ("[redacted]".to_string(), origin),
                Ok(Some((value, origin))) => (value, origin),
                Ok(None) | Err(_) => (spec.default.to_string(), Origin::Default),
            };
            let from = match origin {
                Origin::Env(name) => format!("env {name}"),
                Origin::File => "file".to_string(),
                Origin::Default => "default".to_string(),
            };
            format!("{:<26} = {value}   ({from})", spec.key)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn every_key_has_distinct_names() {
        let mut keys: Vec<_> = Key::ALL.iter().map(|k| k.spec().key).collect();
        let mut envs: Vec<_> = Key::ALL.iter().map(|k| k.spec().env).collect();
        keys.sort_unstable();
        keys.dedup();
        envs.sort_unstable();
        envs.dedup();
        assert_eq!(keys.len(), Key::ALL.len());
        assert_eq!(envs.len(), Key::ALL.len());
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let sources = Sources::with_text("ip_burst = 4\nbroker_name = \"File\"\n", |name| {
            (name == "PORTAL_IP_BURST").then(|| "7".to_string())
        });
        let mut reader = Reader::new(&sources);
        assert_eq!(reader.setting::<u32>(Key::IpBurst), 7);
        assert_eq!(reader.text(Key::BrokerName).as_deref(), Some("File"));
        assert!(reader.finish().is_empty());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_all_reported() {
        let sources = Sources::with_text(
            "ip_brust = 4\nip_burst = \"many\"\nflow_idle_secs = -3\n[store]\nx = 1\n",
            no_env,
        );
        let mut reader = Reader::new(&sources);
        let _ = reader.setting::<u32>(Key::IpBurst);
        let _ = reader.setting::<u64>(Key::FlowIdleSecs);
        let _ = reader.text(Key::Store);
        let problems = reader.finish();
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(problems[0].contains("unknown key `ip_brust`"));
        assert!(problems[1].contains("PORTAL_IP_BURST"));
        assert!(problems[2].contains("PORTAL_FLOW_IDLE_SECS"));
        assert!(problems[3].contains("not a table"));
    }

    #[test]
    fn a_broken_file_names_its_line() {
        let sources = Sources::with_text("ip_burst = 4\nbroker_name = \"unterminated\n", no_env);
        let problems = Reader::new(&sources).finish();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("line 2"), "{problems:?}");
    }

    #[test]
    fn lists_in_the_file_read_as_comma_separated() {
        let sources =
            Sources::with_text("trusted_proxies = [\"10.0.0.5\", \"10.1.0.0/16\"]", no_env);
        assert_eq!(
            Reader::new(&sources).text(Key::TrustedProxies).as_deref(),
            Some("10.0.0.5,10.1.0.0/16")
        );
    }

    #[test]
    fn the_listing_redacts_secrets() {
        let sources = Sources::with_text("hmac_key = \"CanarySecret-0123456789\"", |name| {
            (name == "PORTAL_STORE").then(|| "redis://:CanaryPass@h:6379".to_string())
        });
        let listing = describe(&sources).join("\n");
        assert!(!listing.contains("Canary"), "{listing}");
        assert!(listing.contains("hmac_key"));
        assert!(listing.contains("(env PORTAL_STORE)"));
    }

    /// The README's configuration table and [`Key::ALL`] agree: the same
    /// keys, environment variables and defaults, in the same order.
    #[test]
    fn the_readme_table_matches_the_code() {
        let readme = include_str!("../../README.md");
        let rows: Vec<Vec<String>> = readme
            .lines()
            .skip_while(|l| !l.starts_with("| file key | environment |"))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                l.trim_matches('|')
                    .split(" | ")
                    .map(|cell| cell.trim().trim_matches('`').to_string())
                    .collect()
            })
            .collect();
        assert_eq!(rows.len(), Key::ALL.len(), "one README row per setting");
        for (row, key) in rows.iter().zip(Key::ALL) {
            let spec = key.spec();
            assert_eq!(row[0], spec.key);
            assert_eq!(row[1], spec.env, "{}", spec.key);
            assert_eq!(row[2], spec.default, "{}", spec.key);
        }
    }
}

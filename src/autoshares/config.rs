//! [ssr] How to reach an AutoShares deployment.

use std::time::Duration;

use url::Url;

use super::secret::AppKey;

#[derive(Clone, Debug)]
pub struct ApiConfig {
    pub base_url: Url,
    /// The version path segment without the `v`: `1.0` → `/v1.0/`.
    pub api_version: String,
    pub app_key: AppKey,
    /// Whole-request limit (security: `strict-upstream-client`: about 10 s).
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Bodies larger than this are refused as "unavailable".
    pub max_response_bytes: usize,
    pub max_idle_per_host: usize,
}

impl ApiConfig {
    pub fn new(base_url: Url, app_key: AppKey) -> Self {
        Self {
            base_url,
            api_version: "1.0".to_string(),
            app_key,
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(3),
            max_response_bytes: 64 * 1024,
            max_idle_per_host: 8,
        }
    }
}

//! Reading the portal's answers without a browser.

use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{Response, StatusCode, Url};

/// The session cookie a response sets, as `name=value`.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("reset="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// Where a response redirects (`""` when it doesn't).
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
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
    /// Read `response` to a request that sent `cookie` (`""` for none).
    pub async fn read(response: Response, cookie: &str) -> Answer {
        let status = response.status();
        let location = location(&response);
        let cookie = session_cookie(response.headers()).unwrap_or_else(|| cookie.to_string());
        let body = response.text().await.unwrap_or_default();
        Answer {
            status,
            location,
            cookie,
            body,
        }
    }

    /// The error a plain post was sent back with (`__err`, as JSON), or
    /// the JSON error a hydrated call got.
    pub fn error(&self) -> String {
        use base64::Engine;
        if !self.location.contains('?') {
            return self.body.clone();
        }
        let Ok(url) = Url::parse("http://portal.invalid/").and_then(|u| u.join(&self.location))
        else {
            return String::new();
        };
        url.query_pairs()
            .find(|(name, _)| name == "__err")
            .and_then(|(_, value)| {
                base64::engine::general_purpose::STANDARD
                    .decode(value.as_bytes())
                    .ok()
            })
            .map(|json| String::from_utf8_lossy(&json).into_owned())
            .unwrap_or_default()
    }
}

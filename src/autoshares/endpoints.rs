//! [ssr] Every AutoShares path the portal calls, in one place. A deployment
//! that finds a path differs from the docs changes one line here.

use url::Url;

/// Step A. `GET`, with `?username=`.
pub const SECRET_QUESTION: &str = "users/password/secret-question";
/// Step B. `POST`.
pub const RESET: &str = "users/password/reset";
/// Step C. `POST`.
pub const RESET_CODE: &str = "users/password/reset/code";
/// Step D. `PUT`. Plural `passwords` and the trailing slash are as documented.
pub const SET_PASSWORD: &str = "users/passwords/reset/";
/// Sign-in check. `POST`, no version segment.
pub const TOKEN: &str = "token";

/// `{base}/v{version}/{path}`. The base may carry a path prefix of its own.
pub fn versioned(base: &Url, version: &str, path: &str) -> Url {
    join(base, &format!("v{version}/{path}"))
}

/// `{base}/{path}`, without a version.
pub fn unversioned(base: &Url, path: &str) -> Url {
    join(base, path)
}

fn join(base: &Url, relative: &str) -> Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    url.set_path(&format!("{prefix}/{relative}"));
    url.set_query(None);
    url.set_fragment(None);
    url
}

/// Step A's URL: the login enters the query only through the URL builder,
/// which percent-encodes it as one `username` value.
pub fn secret_question(base: &Url, version: &str, login: &str) -> Url {
    let mut url = versioned(base, version, SECRET_QUESTION);
    url.query_pairs_mut().append_pair("username", login);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_with_and_without_a_prefix() {
        let root = Url::parse("https://api.example.com").unwrap();
        assert_eq!(
            versioned(&root, "1.0", SET_PASSWORD).as_str(),
            "https://api.example.com/v1.0/users/passwords/reset/"
        );
        let prefixed = Url::parse("https://gw.example.com/autoshares/").unwrap();
        assert_eq!(
            versioned(&prefixed, "2.1", RESET).as_str(),
            "https://gw.example.com/autoshares/v2.1/users/password/reset"
        );
        assert_eq!(
            unversioned(&prefixed, TOKEN).as_str(),
            "https://gw.example.com/autoshares/token"
        );
    }

    #[test]
    fn an_odd_login_is_one_query_value() {
        let base = Url::parse("https://api.example.com/").unwrap();
        let url = secret_question(&base, "1.0", "a&b=c#?+x y");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            vec![("username".to_string(), "a&b=c#?+x y".to_string())]
        );
        assert!(url.fragment().is_none());
        let email = secret_question(&base, "1.0", "hello@autoshares.com");
        assert_eq!(email.query(), Some("username=hello%40autoshares.com"));
    }
}

/// The endpoints of the contract, one name for each everywhere: the
/// client's logs, the latency averages, the upstream gateway, the
/// sandbox's fault knobs and call counters, and the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    SecretQuestion,
    Reset,
    Code,
    Password,
    Token,
}

impl Endpoint {
    pub const ALL: [Endpoint; 5] = [
        Endpoint::SecretQuestion,
        Endpoint::Reset,
        Endpoint::Code,
        Endpoint::Password,
        Endpoint::Token,
    ];

    /// The name in logs (and in the sandbox's JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::SecretQuestion => "secret_question",
            Endpoint::Reset => "reset",
            Endpoint::Code => "code",
            Endpoint::Password => "password",
            Endpoint::Token => "token",
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

//! Contract tests: the client against the sandbox on a real port, for every
//! endpoint and every documented outcome.

use std::net::SocketAddr;
use std::time::Duration;

use autoshares_portal::autoshares::client::{AutoSharesClient, SignIn};
use autoshares_portal::autoshares::config::ApiConfig;
use autoshares_portal::autoshares::error::AutoSharesError;
use autoshares_portal::autoshares::error::Unavailable;
use autoshares_portal::autoshares::secret::{
    AppKey, NewPassword, ResetCode, ResetToken, SecretAnswer,
};
use autoshares_portal::sandbox::{DemoUser, Endpoint, Sandbox, SandboxConfig};

const KEY: &str = "contract-test-key";

async fn sandbox() -> (Sandbox, SocketAddr) {
    sandbox_with(SandboxConfig {
        app_key: KEY.into(),
        token_prefix: "tok-".into(),
        ..SandboxConfig::default()
    })
    .await
}

async fn sandbox_with(config: SandboxConfig) -> (Sandbox, SocketAddr) {
    let sandbox = Sandbox::new(config);
    let addr = sandbox
        .clone()
        .spawn("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    (sandbox, addr)
}

/// Serve `router` on a fresh loopback port.
async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

fn client(addr: SocketAddr, key: &str) -> AutoSharesClient {
    let url = url::Url::parse(&format!("http://{addr}/")).unwrap();
    AutoSharesClient::new(ApiConfig::new(url, AppKey::new(key.into()))).unwrap()
}

fn newest_code(sandbox: &Sandbox, login: &str) -> ResetCode {
    let mail = sandbox.mailbox();
    let entry = mail
        .iter()
        .find(|m| m.login == login)
        .expect("a code was sent");
    ResetCode::new(entry.code.clone())
}

fn answer(text: &str) -> SecretAnswer {
    SecretAnswer::new(text.into())
}

fn password(text: &str) -> NewPassword {
    NewPassword::new(text.into())
}

#[tokio::test]
async fn secret_question_present_absent_and_unknown() {
    let (_sandbox, addr) = sandbox().await;
    let c = client(addr, KEY);
    assert_eq!(
        c.secret_question("alice").await.unwrap().as_deref(),
        Some("What street did you live on in third grade?")
    );
    assert_eq!(
        c.secret_question("ALICE@example.com")
            .await
            .unwrap()
            .as_deref(),
        Some("What street did you live on in third grade?")
    );
    assert_eq!(c.secret_question("bob").await.unwrap(), None);
    let unknown = c.secret_question("nobody").await.unwrap_err();
    assert!(unknown.has_code("ErrorUserNotFound"), "{unknown:?}");
}

#[tokio::test]
async fn reset_omits_the_answer_key_without_an_answer() {
    let (sandbox, addr) = sandbox().await;
    let c = client(addr, KEY);
    c.request_reset("bob", None).await.unwrap();
    let sent = sandbox.last_request(Endpoint::Reset).unwrap().body;
    assert_eq!(sent, r#"{"User":"bob"}"#);
    c.request_reset("alice", Some(&answer("Peterson")))
        .await
        .unwrap();
    let sent = sandbox.last_request(Endpoint::Reset).unwrap().body;
    assert_eq!(
        sent,
        r#"{"User":"alice","SecretQuestionAnswer":"Peterson"}"#
    );
}

#[tokio::test]
async fn wrong_or_missing_answers_are_rejected_with_the_documented_code() {
    let (sandbox, addr) = sandbox().await;
    let c = client(addr, KEY);
    for given in [None, Some(answer("Smith"))] {
        let err = c.request_reset("alice", given.as_ref()).await.unwrap_err();
        assert!(err.has_code("ErrorIncorrectAnswer"), "{err:?}");
        assert!(matches!(&err, AutoSharesError::Rejected { messages, .. } if !messages.is_empty()));
    }
    assert!(sandbox.mailbox().is_empty(), "no code for a wrong answer");
    let unknown = c.request_reset("nobody", None).await.unwrap_err();
    assert!(unknown.has_code("ErrorUserNotFound"), "{unknown:?}");
}

#[tokio::test]
async fn the_whole_reset_changes_the_password() {
    let (sandbox, addr) = sandbox().await;
    let c = client(addr, KEY);
    c.request_reset("alice", Some(&answer("Peterson")))
        .await
        .unwrap();
    let code = newest_code(&sandbox, "alice");
    let token = c.exchange_code(&code).await.unwrap();
    assert!(token.expose().starts_with("tok-"));
    // A code is single-use.
    let reused = c.exchange_code(&code).await.unwrap_err();
    assert!(reused.has_code("ErrorInvalidCode"), "{reused:?}");

    let mismatch = c
        .set_password(
            &token,
            &password("new-pass-123"),
            &password("other-pass-123"),
        )
        .await
        .unwrap_err();
    assert!(mismatch.has_code("ErrorPasswordsDoNotMatch"));
    let policy = c
        .set_password(&token, &password("short"), &password("short"))
        .await
        .unwrap_err();
    assert!(policy.has_code("ErrorPasswordPolicy"));
    c.set_password(&token, &password("new-pass-123"), &password("new-pass-123"))
        .await
        .unwrap();
    // A token is single-use.
    let again = c
        .set_password(&token, &password("new-pass-456"), &password("new-pass-456"))
        .await
        .unwrap_err();
    assert!(again.has_code("ErrorInvalidToken"));

    assert_eq!(
        c.sign_in("alice", "new-pass-123", None).await.unwrap(),
        SignIn::Succeeded
    );
    assert_eq!(
        c.sign_in("alice", "Alice-Old-Pass-1", None).await.unwrap(),
        SignIn::Failed
    );
    // The set-password call used the documented plural path with its slash.
    let sent = sandbox.last_request(Endpoint::Password).unwrap().body;
    assert!(sent.contains("\"PasswordConfirmation\""), "{sent}");
}

#[tokio::test]
async fn a_wrong_code_is_rejected() {
    let (_sandbox, addr) = sandbox().await;
    let c = client(addr, KEY);
    let err = c
        .exchange_code(&ResetCode::new("000000".into()))
        .await
        .unwrap_err();
    assert!(err.has_code("ErrorInvalidCode"), "{err:?}");
}

#[tokio::test]
async fn sign_in_answers_200_202_and_401() {
    let (_sandbox, addr) = sandbox().await;
    let c = client(addr, KEY);
    assert_eq!(
        c.sign_in("bob", "Bob-Old-Pass-1", None).await.unwrap(),
        SignIn::Succeeded
    );
    assert_eq!(
        c.sign_in("carol", "Carol-Old-Pass-1", None).await.unwrap(),
        SignIn::Expecting {
            step: "SecutityPin".into()
        }
    );
    assert_eq!(
        c.sign_in("carol", "Carol-Old-Pass-1", Some("000000"))
            .await
            .unwrap(),
        SignIn::Succeeded
    );
    assert_eq!(
        c.sign_in("carol", "Carol-Old-Pass-1", Some("123456"))
            .await
            .unwrap(),
        SignIn::Expecting {
            step: "SecutityPin".into()
        }
    );
    assert_eq!(
        c.sign_in("bob", "wrong", None).await.unwrap(),
        SignIn::Failed
    );
    assert_eq!(
        c.sign_in("nobody", "Bob-Old-Pass-1", None).await.unwrap(),
        SignIn::Failed
    );
}

#[tokio::test]
async fn a_wrong_app_key_is_recognised_on_every_endpoint() {
    let (_sandbox, addr) = sandbox().await;
    let c = client(addr, "not-the-key");
    let outcomes = [
        c.secret_question("alice").await.map(drop),
        c.request_reset("bob", None).await,
        c.exchange_code(&ResetCode::new("123456".into()))
            .await
            .map(drop),
        c.set_password(
            &ResetToken::new("t".into()),
            &password("new-pass-123"),
            &password("new-pass-123"),
        )
        .await,
        c.sign_in("bob", "Bob-Old-Pass-1", None).await.map(drop),
    ];
    for outcome in outcomes {
        assert!(
            matches!(outcome, Err(AutoSharesError::AppKeyRejected)),
            "{outcome:?}"
        );
    }
}

#[tokio::test]
async fn an_odd_login_arrives_as_exactly_one_username() {
    let (sandbox, addr) = sandbox().await;
    let odd = "a&b=c#?+x y";
    sandbox.add_user(
        DemoUser {
            login: odd.into(),
            email: "odd@example.com".into(),
            question: Some("Odd?".into()),
            old_password: "Odd-Old-Pass-1".into(),
            two_factor: false,
        },
        Some("yes"),
    );
    let c = client(addr, KEY);
    assert_eq!(
        c.secret_question(odd).await.unwrap().as_deref(),
        Some("Odd?")
    );
    let query = sandbox
        .last_request(Endpoint::SecretQuestion)
        .unwrap()
        .query
        .unwrap();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(pairs, vec![("username".to_string(), odd.to_string())]);
    // And the reset body carries it intact too.
    c.request_reset(odd, Some(&answer("yes"))).await.unwrap();
}

#[tokio::test]
async fn markup_in_a_question_comes_back_verbatim() {
    let (_sandbox, addr) = sandbox().await;
    let c = client(addr, KEY);
    assert_eq!(
        c.secret_question("mallory@EXAMPLE.com")
            .await
            .unwrap()
            .as_deref(),
        Some("<img src=x onerror=alert(1)>")
    );
}

#[tokio::test]
async fn expired_codes_and_tokens_are_rejected() {
    let (sandbox, addr) = sandbox_with(SandboxConfig {
        app_key: KEY.into(),
        code_ttl: Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await;
    let c = client(addr, KEY);
    c.request_reset("bob", None).await.unwrap();
    let err = c
        .exchange_code(&newest_code(&sandbox, "bob"))
        .await
        .unwrap_err();
    assert!(err.has_code("ErrorInvalidCode"), "{err:?}");

    let (sandbox, addr) = sandbox_with(SandboxConfig {
        app_key: KEY.into(),
        token_ttl: Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await;
    let c = client(addr, KEY);
    c.request_reset("bob", None).await.unwrap();
    let token = c
        .exchange_code(&newest_code(&sandbox, "bob"))
        .await
        .unwrap();
    let err = c
        .set_password(&token, &password("new-pass-123"), &password("new-pass-123"))
        .await
        .unwrap_err();
    assert!(err.has_code("ErrorInvalidToken"), "{err:?}");
}

#[tokio::test]
async fn a_new_reset_replaces_the_previous_code() {
    let (sandbox, addr) = sandbox().await;
    let c = client(addr, KEY);
    c.request_reset("bob", None).await.unwrap();
    let first = newest_code(&sandbox, "bob");
    c.request_reset("bob@example.com", None).await.unwrap();
    let second = newest_code(&sandbox, "bob");
    let mail = sandbox.mailbox();
    assert_eq!(mail.len(), 2);
    assert_eq!(mail[0].code, second.expose(), "newest first");
    assert!(mail[1].used, "the replaced code is marked used");
    assert_eq!(mail[0].to, "bob@example.com");
    assert!(c
        .exchange_code(&first)
        .await
        .unwrap_err()
        .has_code("ErrorInvalidCode"));
    let token = c.exchange_code(&second).await.unwrap();
    // uuid-like: 8-4-4-4-12 hex after the prefix.
    let groups: Vec<usize> = token
        .expose()
        .trim_start_matches("tok-")
        .split('-')
        .map(str::len)
        .collect();
    assert_eq!(groups, [8, 4, 4, 4, 12]);
}

#[tokio::test]
async fn any_version_segment_but_only_the_documented_password_path() {
    let (sandbox, addr) = sandbox().await;
    let mut config = ApiConfig::new(
        url::Url::parse(&format!("http://{addr}")).unwrap(),
        AppKey::new(KEY.into()),
    );
    config.api_version = "2.5".into();
    let c = AutoSharesClient::new(config).unwrap();
    assert_eq!(c.secret_question("bob").await.unwrap(), None);

    let http = reqwest::Client::new();
    let body = r#"{"Token":"t","Password":"new-pass-123","PasswordConfirmation":"new-pass-123"}"#;
    for path in [
        "/v1.0/users/passwords/reset",
        "/v1.0/users/password/reset/",
        "/1.0/users/passwords/reset/",
        "/v/users/passwords/reset/",
        "/v1.0/token",
    ] {
        let status = http
            .put(format!("http://{addr}{path}"))
            .header("Et-App-Key", KEY)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
            .status();
        assert!(status.is_client_error(), "{path}: {status}");
        assert_ne!(status, reqwest::StatusCode::BAD_REQUEST, "{path}");
    }
    assert_eq!(
        sandbox.calls().password,
        0,
        "wrong paths are not endpoint calls"
    );
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix() {
    let (sandbox, _) = sandbox().await;
    let addr = serve(axum::Router::new().nest("/gw/autoshares", sandbox.router())).await;
    for base in ["gw/autoshares", "gw/autoshares/"] {
        let url = url::Url::parse(&format!("http://{addr}/{base}")).unwrap();
        let c = AutoSharesClient::new(ApiConfig::new(url, AppKey::new(KEY.into()))).unwrap();
        assert!(
            c.secret_question("alice").await.unwrap().is_some(),
            "{base}"
        );
        assert_eq!(
            c.sign_in("bob", "Bob-Old-Pass-1", None).await.unwrap(),
            SignIn::Succeeded,
            "{base}"
        );
    }
}

#[tokio::test]
async fn a_success_without_a_token_is_an_unknown_shape() {
    let addr =
        serve(axum::Router::new().fallback(|| async { r#"{"Errors":[],"IsSucceed":true}"# })).await;
    let c = client(addr, KEY);
    let err = c
        .exchange_code(&ResetCode::new("123456".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            AutoSharesError::Unavailable(Unavailable::UnexpectedShape)
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn control_routes_work_over_http() {
    let (sandbox, addr) = sandbox().await;
    let c = client(addr, KEY);
    let http = reqwest::Client::new();
    let control = |path: &str| format!("http://{addr}/__sandbox/{path}");

    let set = http
        .post(control("faults"))
        .json(&serde_json::json!({
            "endpoint": "reset",
            "fault": {"latency_ms": 0, "mode": {"kind": "server_error_html"}}
        }))
        .send()
        .await
        .unwrap();
    assert!(set.status().is_success(), "{}", set.status());
    let err = c.request_reset("bob", None).await.unwrap_err();
    assert!(
        matches!(
            err,
            AutoSharesError::Unavailable(Unavailable::ServerError(503))
        ),
        "{err:?}"
    );
    let cleared = http.delete(control("faults")).send().await.unwrap();
    assert!(cleared.status().is_success());
    c.request_reset("bob", None).await.unwrap();

    let calls: serde_json::Value = http
        .get(control("calls"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(calls["reset"], 2, "{calls}");
    assert_eq!(calls["secret_question"], 0, "{calls}");
    let mail: serde_json::Value = http
        .get(control("mailbox"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mail[0]["login"], "bob", "{mail}");
    assert_eq!(mail[0]["code"], sandbox.mailbox()[0].code, "{mail}");
}

#[test]
fn secrets_are_redacted_in_debug_and_display() {
    let canary = "Canary-Secret-Value";
    let key = AppKey::new(canary.into());
    let shown = [
        format!("{key:?} {key}"),
        {
            let t = ResetToken::new(canary.into());
            format!("{t:?} {t}")
        },
        {
            let a = SecretAnswer::new(canary.into());
            format!("{a:?} {a}")
        },
        {
            let c = ResetCode::new(canary.into());
            format!("{c:?} {c}")
        },
        {
            let p = NewPassword::new(canary.into());
            format!("{p:?} {p}")
        },
        format!(
            "{:?}",
            ApiConfig::new(
                url::Url::parse("https://api.example.com/").unwrap(),
                key.clone()
            )
        ),
    ];
    for text in shown {
        assert!(!text.contains(canary), "{text}");
        assert!(text.contains("[redacted]"), "{text}");
    }
    assert_eq!(key.expose(), canary);
    let token = ResetToken::new(canary.into());
    assert_eq!(
        serde_json::to_string(&token).unwrap(),
        format!("\"{canary}\"")
    );
}

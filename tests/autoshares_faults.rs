//! Fault tests: every fault knob maps to the right error variant within the
//! timeout plus one second, and no error text names a URL, host or secret.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use autoshares_portal::autoshares::client::AutoSharesClient;
use autoshares_portal::autoshares::config::ApiConfig;
use autoshares_portal::autoshares::error::{AutoSharesError, Unavailable};
use autoshares_portal::autoshares::secret::{
    AppKey, NewPassword, ResetCode, ResetToken, SecretAnswer,
};
use autoshares_portal::sandbox::{Endpoint, Fault, FaultMode, Sandbox, SandboxConfig};

const KEY: &str = "CanaryFaultKey";
const LOGIN: &str = "CanaryLogin";
const TIMEOUT: Duration = Duration::from_secs(1);

async fn setup() -> (Sandbox, AutoSharesClient) {
    let sandbox = Sandbox::new(SandboxConfig {
        app_key: KEY.into(),
        ..SandboxConfig::default()
    });
    let addr = sandbox
        .clone()
        .spawn("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let mut config = ApiConfig::new(
        url::Url::parse(&format!("http://{addr}/")).unwrap(),
        AppKey::new(KEY.into()),
    );
    config.timeout = TIMEOUT;
    config.max_response_bytes = 4 * 1024;
    (sandbox, AutoSharesClient::new(config).unwrap())
}

/// Call `endpoint` once and return the outcome as `Result<(), _>`.
async fn call(client: &AutoSharesClient, endpoint: Endpoint) -> Result<(), AutoSharesError> {
    let secret = |s: &str| s.to_string();
    match endpoint {
        Endpoint::SecretQuestion => client.secret_question(LOGIN).await.map(drop),
        Endpoint::Reset => {
            client
                .request_reset(LOGIN, Some(&SecretAnswer::new(secret("CanaryAnswer"))))
                .await
        }
        Endpoint::Code => client
            .exchange_code(&ResetCode::new(secret("CanaryCode")))
            .await
            .map(drop),
        Endpoint::Password => {
            let pw = NewPassword::new(secret("CanaryPassword"));
            client
                .set_password(&ResetToken::new(secret("CanaryToken")), &pw, &pw)
                .await
        }
        Endpoint::Token => client
            .sign_in(LOGIN, "CanaryPassword", None)
            .await
            .map(drop),
    }
}

const ENDPOINTS: [Endpoint; 5] = [
    Endpoint::SecretQuestion,
    Endpoint::Reset,
    Endpoint::Code,
    Endpoint::Password,
    Endpoint::Token,
];

fn assert_clean(err: &AutoSharesError) {
    for shown in [format!("{err}"), format!("{err:?}")] {
        for secret in [
            "http",
            "127.0.0.1",
            "__sandbox",
            "Canary",
            "users/",
            "token",
        ] {
            assert!(!shown.contains(secret), "{secret:?} leaked into {shown:?}");
        }
    }
}

async fn expect(mode: FaultMode, want: Unavailable) {
    let (sandbox, client) = setup().await;
    for endpoint in ENDPOINTS {
        sandbox.set_fault(endpoint, Fault::mode(mode.clone()));
        let started = Instant::now();
        let err = call(&client, endpoint).await.unwrap_err();
        let took = started.elapsed();
        assert!(
            took <= TIMEOUT + Duration::from_secs(1),
            "{endpoint:?} took {took:?}"
        );
        match &err {
            AutoSharesError::Unavailable(got) => assert_eq!(*got, want, "{endpoint:?}"),
            other => panic!("{endpoint:?} under {mode:?}: {other:?}"),
        }
        assert_clean(&err);
    }
}

#[tokio::test]
async fn server_error_with_html_is_unavailable() {
    expect(FaultMode::ServerErrorHtml, Unavailable::ServerError(503)).await;
}

#[tokio::test]
async fn garbage_json_is_unavailable() {
    expect(FaultMode::GarbageJson, Unavailable::NotJson).await;
}

#[tokio::test]
async fn wrong_shape_is_unavailable() {
    expect(FaultMode::WrongShape, Unavailable::UnexpectedShape).await;
}

#[tokio::test]
async fn a_hang_times_out_within_the_timeout() {
    expect(FaultMode::Hang, Unavailable::Timeout).await;
}

#[tokio::test]
async fn latency_below_the_timeout_is_only_slow() {
    let (sandbox, client) = setup().await;
    sandbox.set_fault(
        Endpoint::SecretQuestion,
        Fault {
            latency_ms: 300,
            ..Fault::default()
        },
    );
    let started = Instant::now();
    assert!(client.secret_question("alice").await.unwrap().is_some());
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn latency_above_the_timeout_is_a_timeout() {
    let (sandbox, client) = setup().await;
    sandbox.set_fault(
        Endpoint::Reset,
        Fault {
            latency_ms: 2_000,
            ..Fault::default()
        },
    );
    let err = client.request_reset("bob", None).await.unwrap_err();
    assert!(
        matches!(err, AutoSharesError::Unavailable(Unavailable::Timeout)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_fault_for_one_call_clears_itself() {
    let (sandbox, client) = setup().await;
    sandbox.set_fault(
        Endpoint::SecretQuestion,
        Fault::once(FaultMode::ServerErrorHtml),
    );
    assert!(client.secret_question("alice").await.is_err());
    assert!(client.secret_question("alice").await.is_ok());
}

#[tokio::test]
async fn a_refused_connection_is_unavailable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = ApiConfig::new(
        url::Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap(),
        AppKey::new(KEY.into()),
    );
    let client = AutoSharesClient::new(config).unwrap();
    let err = client.secret_question(LOGIN).await.unwrap_err();
    assert!(
        matches!(err, AutoSharesError::Unavailable(Unavailable::Connect)),
        "{err:?}"
    );
    assert_clean(&err);
}

#[tokio::test]
async fn an_oversized_body_is_unavailable() {
    // A secret question of 8 KiB is over the 4 KiB cap set above.
    let (sandbox, client) = setup().await;
    sandbox.add_user(
        autoshares_portal::sandbox::DemoUser {
            login: "big".into(),
            email: "big@example.com".into(),
            question: Some("?".repeat(8 * 1024)),
            old_password: "Big-Old-Pass-1".into(),
            two_factor: false,
        },
        Some("x"),
    );
    let err = client.secret_question("big").await.unwrap_err();
    assert!(
        matches!(err, AutoSharesError::Unavailable(Unavailable::TooLarge)),
        "{err:?}"
    );
}

/// A listener that records every request it gets.
async fn recorder() -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let app = {
        let seen = seen.clone();
        axum::Router::new().fallback(move |request: axum::extract::Request| {
            let seen = seen.clone();
            async move {
                seen.lock()
                    .unwrap()
                    .push(format!("{:?}", request.headers()));
                "{\"IsSucceed\":true}"
            }
        })
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, seen)
}

#[tokio::test]
async fn redirects_are_not_followed_and_the_key_stays_home() {
    let (other, seen) = recorder().await;
    let (sandbox, client) = setup().await;
    for endpoint in ENDPOINTS {
        sandbox.set_fault(
            endpoint,
            Fault::mode(FaultMode::Redirect {
                location: format!("http://{other}/steal"),
            }),
        );
        let err = call(&client, endpoint).await.unwrap_err();
        assert!(
            matches!(
                err,
                AutoSharesError::Unavailable(Unavailable::Redirect(302))
            ),
            "{endpoint:?}: {err:?}"
        );
        assert_clean(&err);
    }
    assert!(
        seen.lock().unwrap().is_empty(),
        "the redirect target was contacted"
    );
}

#[tokio::test]
async fn calls_are_counted_even_when_a_fault_answers() {
    let (sandbox, client) = setup().await;
    for endpoint in ENDPOINTS {
        sandbox.set_fault(endpoint, Fault::mode(FaultMode::ServerErrorHtml));
        let _ = call(&client, endpoint).await;
    }
    let calls = sandbox.calls();
    assert_eq!(
        [
            calls.secret_question,
            calls.reset,
            calls.code,
            calls.password,
            calls.token
        ],
        [1; 5]
    );
    sandbox.clear_faults();
    assert!(client.secret_question("alice").await.is_ok());
}

//! Contract tests: the client against the sandbox on a real port, for every
//! endpoint and every documented outcome.

use std::net::SocketAddr;

use autoshares_portal::autoshares::client::{AutoSharesClient, SignIn};
use autoshares_portal::autoshares::config::ApiConfig;
use autoshares_portal::autoshares::error::AutoSharesError;
use autoshares_portal::autoshares::secret::{AppKey, NewPassword, ResetCode, SecretAnswer};
use autoshares_portal::sandbox::{DemoUser, Endpoint, Sandbox, SandboxConfig};

const KEY: &str = "contract-test-key";

async fn sandbox() -> (Sandbox, SocketAddr) {
    let sandbox = Sandbox::new(SandboxConfig {
        app_key: KEY.into(),
        token_prefix: "tok-".into(),
        ..SandboxConfig::default()
    });
    let addr = sandbox
        .clone()
        .spawn("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    (sandbox, addr)
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
    assert!(matches!(unknown, AutoSharesError::Rejected { .. }));
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
        c.sign_in("bob", "wrong", None).await.unwrap(),
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
            &autoshares_portal::autoshares::secret::ResetToken::new("t".into()),
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

//! Each step's decision, unit-tested against the memory store and an
//! in-process sandbox: no HTTP, no render. A test drives `decide` with a
//! [`StepContext`] and carries the outcome out with [`StepContext::apply`]
//! (the session write), as the runner does.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::LeptosOptions;
use tower_sessions::Session;

use super::outcome::{Decision, Exit, Now, StepContext};
use super::session::FlowSession;
use super::{code, login, password, question};
use crate::autoshares::secret::NewPassword;
use crate::config::sources::Sources;
use crate::config::Config;
use crate::error::PortalError;
use crate::flow::{EndReason, PageView, Step, EXPIRED_PATH};
use crate::sandbox::{Endpoint as SandboxEndpoint, Fault, FaultMode, RejectionShape, Sandbox};
use crate::state::{build_state, AppState};
use crate::store::limits::ClientNet;

/// A portal without HTTP: its state (memory store, in-process sandbox)
/// and one trader's session.
struct Rig {
    state: AppState,
    sandbox: Sandbox,
    session: Session,
}

fn fresh_session(state: &AppState) -> Session {
    Session::new(None, Arc::new(state.store.sessions.clone()), None)
}

impl Rig {
    async fn new(vars: &[(&str, &str)]) -> Rig {
        let mut env: HashMap<String, String> = HashMap::from([
            ("AUTOSHARES_API_URL".into(), "sandbox".into()),
            ("SANDBOX_PORT".into(), "0".into()),
            ("PORTAL_STORE".into(), "memory".into()),
            ("AUTOSHARES_TIMEOUT_SECS".into(), "2".into()),
        ]);
        for (k, v) in vars {
            env.insert(k.to_string(), v.to_string());
        }
        let config = Config::load(&Sources::new(None, move |k| env.get(k).cloned())).unwrap();
        let options = LeptosOptions::builder()
            .output_name("autoshares-portal")
            .build();
        let state = build_state(options, config).await.unwrap();
        let sandbox = state.sandbox.clone().unwrap();
        let session = fresh_session(&state);
        Rig {
            state,
            sandbox,
            session,
        }
    }

    /// The same portal, seen from a browser with no session yet.
    fn another_browser(&self) -> Rig {
        Rig {
            state: self.state.clone(),
            sandbox: self.sandbox.clone(),
            session: fresh_session(&self.state),
        }
    }

    /// The context of one post, read now.
    fn ctx(&self) -> StepContext {
        StepContext::new(
            self.state.clone(),
            FlowSession(self.session.clone(), self.state.sealer.clone()),
            self.net(),
            Now::read(),
        )
    }

    /// The network every post of these tests comes from.
    fn net(&self) -> ClientNet {
        ClientNet::of([192, 0, 2, 1].into(), 64)
    }

    /// A code post carrying a proof of work.
    async fn code_with_proof(&self, code: &str, proof: &str) -> Result<&'static str, PortalError> {
        let mut ctx = self.ctx();
        ctx.proof = Some(proof.to_string());
        let decision = code::decide(&ctx, code.into()).await;
        self.carry_out(decision).await
    }

    /// Carry a decision out as the runner does: where the trader goes,
    /// or the error they see.
    async fn carry_out(&self, decision: Decision) -> Result<&'static str, PortalError> {
        match decision {
            Ok(outcome) | Err(Exit::Elsewhere(outcome)) => self.ctx().apply(outcome).await,
            Err(Exit::Refused(error)) => Err(error),
        }
    }

    async fn login(&self, login: &str) -> Result<&'static str, PortalError> {
        let ctx = self.ctx();
        let decision = login::decide(&ctx, login.into()).await;
        self.carry_out(decision).await
    }

    async fn answer(&self, answer: &str) -> Result<&'static str, PortalError> {
        let ctx = self.ctx();
        let decision = question::decide(&ctx, answer.into()).await;
        self.carry_out(decision).await
    }

    async fn code(&self, code: &str) -> Result<&'static str, PortalError> {
        let ctx = self.ctx();
        let decision = code::decide(&ctx, code.into()).await;
        self.carry_out(decision).await
    }

    async fn password(&self, new: &str) -> Result<&'static str, PortalError> {
        let ctx = self.ctx();
        let decision = password::decide(&ctx, new.into(), new.into()).await;
        self.carry_out(decision).await
    }

    fn latest_code(&self, login: &str) -> String {
        self.sandbox
            .mailbox()
            .into_iter()
            .find(|m| m.login == login)
            .map(|m| m.code)
            .unwrap_or_default()
    }

    /// A trader (one without a secret question) at the password step.
    async fn at_password(login: &str) -> Rig {
        let rig = Rig::new(&[]).await;
        assert_eq!(rig.login(login).await, Ok(Step::Code.path()));
        let code = rig.latest_code(login);
        assert_eq!(rig.code(&code).await, Ok(Step::Password.path()));
        rig
    }

    /// What the page for `step` would render now.
    async fn view(&self, step: Step) -> PageView {
        let session = FlowSession(self.session.clone(), self.state.sealer.clone());
        super::load_page(self.state.clone(), session, step, Some(self.net()))
            .await
            .unwrap()
    }

    /// The same session read afresh from the store, as another instance
    /// (or this one after a restart) would read it.
    fn reloaded(&self) -> Rig {
        Rig {
            state: self.state.clone(),
            sandbox: self.sandbox.clone(),
            session: Session::new(
                self.session.id(),
                Arc::new(self.state.store.sessions.clone()),
                None,
            ),
        }
    }

    fn fault(&self, endpoint: SandboxEndpoint, mode: FaultMode) {
        self.sandbox.set_fault(endpoint, Fault::mode(mode));
    }
}

#[tokio::test]
async fn a_whole_reset_walks_every_step() {
    let rig = Rig::new(&[]).await;
    assert_eq!(rig.login("alice").await, Ok(Step::Question.path()));
    assert_eq!(rig.answer("Peterson").await, Ok(Step::Code.path()));
    let code = rig.latest_code("alice");
    assert_eq!(rig.code(&code).await, Ok(Step::Password.path()));
    assert_eq!(
        rig.password("short").await,
        Err(PortalError::PasswordTooShort { min: 12 })
    );
    assert_eq!(
        rig.password("A-new-and-long-passphrase").await,
        Ok(Step::Done.path())
    );
    assert_eq!(rig.sandbox.calls().password, 1);
}

#[tokio::test]
async fn a_step_for_another_page_sends_the_trader_where_they_belong() {
    let rig = Rig::new(&[]).await;
    // No flow yet: the code step has nothing to work on.
    assert_eq!(rig.code("123456").await, Ok(EXPIRED_PATH));
    assert_eq!(rig.login("alice").await, Ok(Step::Question.path()));
    // The flow is at the question: a code post goes back there, and a
    // second login goes back to the flow under way. Nothing is called.
    let before = rig.sandbox.calls();
    assert_eq!(rig.code("123456").await, Ok(Step::Question.path()));
    assert_eq!(rig.login("bob").await, Ok(Step::Question.path()));
    assert_eq!(rig.sandbox.calls(), before);
}

#[tokio::test]
async fn an_unknown_login_gets_a_stable_decoy_question() {
    let rig = Rig::new(&[]).await;
    assert_eq!(rig.login("nobody-here").await, Ok(Step::Question.path()));
    let flow = rig.ctx().session.flow().await.unwrap().unwrap();
    assert!(flow.is_decoy());
    let asked = flow.question().map(str::to_string);
    assert!(asked.is_some());
    // Its wrong answer reads exactly like a known login's.
    assert_eq!(rig.answer("anything").await, Err(PortalError::WrongAnswer));

    let again = Rig::new(&[]).await;
    again.login("nobody-here").await.unwrap();
    let flow = again.ctx().session.flow().await.unwrap().unwrap();
    // Another portal with the same key would ask the same; a new memory
    // store makes a new key, so only the shape is compared here.
    assert_eq!(flow.question().is_some(), asked.is_some());
}

#[tokio::test]
async fn without_decoys_an_unknown_login_goes_on_to_the_code_page() {
    let rig = Rig::new(&[("PORTAL_DECOY_QUESTIONS", "false")]).await;
    assert_eq!(rig.login("nobody-here").await, Ok(Step::Code.path()));
    // A decoy's code is always wrong, and AutoShares is never asked.
    assert_eq!(rig.code("123456").await, Err(PortalError::WrongCode));
    assert_eq!(rig.sandbox.calls().code, 0);
}

#[tokio::test]
async fn five_wrong_answers_end_the_flow_with_a_lockout() {
    // Proofs of work off: the fifth wrong answer would ask for one.
    let rig = Rig::new(&[("PORTAL_CHALLENGE_AT_PERCENT", "0")]).await;
    rig.login("alice").await.unwrap();
    for _ in 0..4 {
        assert_eq!(rig.answer("wrong").await, Err(PortalError::WrongAnswer));
    }
    assert_eq!(rig.answer("wrong").await, Ok(EXPIRED_PATH));
    let ended = rig.ctx().session.ended_because().await;
    assert!(
        matches!(ended, Some(EndReason::TooManyAttempts { minutes }) if minutes > 0),
        "{ended:?}"
    );
    // The lockout holds for this login in a new session too.
    let next = rig.another_browser();
    next.login("alice").await.unwrap();
    assert!(matches!(
        next.answer("Peterson").await,
        Err(PortalError::TooManyAttempts { .. })
    ));
}

#[tokio::test]
async fn five_wrong_codes_end_the_flow_and_malformed_ones_ask_nobody() {
    let rig = Rig::new(&[]).await;
    assert_eq!(rig.login("bob").await, Ok(Step::Code.path()));
    assert_eq!(rig.code(" - ").await, Err(PortalError::CodeMissing));
    assert_eq!(rig.code("not a code!").await, Err(PortalError::WrongCode));
    assert_eq!(rig.sandbox.calls().code, 0, "a malformed code asks nobody");
    for _ in 0..3 {
        assert_eq!(rig.code("000000").await, Err(PortalError::WrongCode));
    }
    assert_eq!(rig.code("000000").await, Ok(EXPIRED_PATH));
    assert_eq!(
        rig.ctx().session.ended_because().await,
        Some(EndReason::TooManyAttempts { minutes: 0 })
    );
}

#[tokio::test]
async fn each_upstream_failure_is_mapped_and_keeps_the_step() {
    let rig = Rig::new(&[]).await;
    rig.fault(SandboxEndpoint::SecretQuestion, FaultMode::ServerErrorHtml);
    assert_eq!(rig.login("alice").await, Err(PortalError::Unavailable));
    assert_eq!(
        rig.ctx().session.draft_login().await.as_deref(),
        Some("alice")
    );
    rig.sandbox.clear_faults();

    rig.login("bob").await.unwrap();
    for mode in [
        FaultMode::ServerErrorHtml,
        FaultMode::GarbageJson,
        FaultMode::WrongShape,
    ] {
        rig.fault(SandboxEndpoint::Code, mode);
        assert_eq!(rig.code("123456").await, Err(PortalError::Unavailable));
    }
    rig.sandbox.clear_faults();
    // Still on the code step: the right code goes through.
    let code = rig.latest_code("bob");
    assert_eq!(rig.code(&code).await, Ok(Step::Password.path()));

    // A password change that times out may have happened: never "done".
    rig.fault(SandboxEndpoint::Password, FaultMode::Hang);
    assert_eq!(
        rig.password("A-new-and-long-passphrase").await,
        Ok(Step::Password.path())
    );
    assert!(rig.view(Step::Password).await.password_sent);
}

#[tokio::test]
async fn a_password_whose_answer_was_lost_is_never_asked_for_again() {
    for mode in [
        FaultMode::Hang,
        FaultMode::ServerErrorHtml,
        FaultMode::GarbageJson,
    ] {
        let rig = Rig::at_password("bob").await;
        rig.fault(SandboxEndpoint::Password, mode.clone());
        assert_eq!(
            rig.password("A-new-and-long-passphrase").await,
            Ok(Step::Password.path()),
            "{mode:?}"
        );
        let sent = rig.sandbox.calls().password;
        assert_eq!(sent, 1, "{mode:?}");
        // Coming back: "try signing in", and a retry makes no second PUT
        // (the token may be spent), whatever the trader posts.
        rig.sandbox.clear_faults();
        assert!(rig.view(Step::Password).await.password_sent, "{mode:?}");
        assert_eq!(
            rig.password("Another-long-passphrase-2").await,
            Ok(Step::Password.path())
        );
        assert_eq!(rig.sandbox.calls().password, sent, "{mode:?}");
        // Start over is the way on.
        assert!(rig.view(Step::Code).await.redirect_to.as_deref() == Some("/password"));
    }
}

#[tokio::test]
async fn the_sent_state_is_saved_before_the_password_goes_upstream() {
    let rig = Rig::at_password("bob").await;
    // The PUT never answers: while it hangs, another instance reading the
    // store already sees the flow as sent (what a crash here would leave).
    rig.fault(SandboxEndpoint::Password, FaultMode::Hang);
    let ctx = rig.ctx();
    let pending = tokio::spawn(async move {
        password::decide(
            &ctx,
            "A-new-and-long-passphrase".into(),
            "A-new-and-long-passphrase".into(),
        )
        .await
        .is_ok()
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while rig.sandbox.calls().password == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert_eq!(rig.sandbox.calls().password, 1);
    assert!(rig.reloaded().view(Step::Password).await.password_sent);
    pending.abort();
}

#[tokio::test]
async fn a_password_refused_or_never_sent_keeps_the_form_and_the_token() {
    let rig = Rig::at_password("bob").await;
    rig.fault(
        SandboxEndpoint::Password,
        FaultMode::Rejected {
            shape: RejectionShape::Bare,
        },
    );
    assert_eq!(
        rig.password("A-new-and-long-passphrase").await,
        Err(PortalError::PasswordRejected)
    );
    assert!(!rig.view(Step::Password).await.password_sent);
    rig.sandbox.clear_faults();
    assert_eq!(
        rig.password("A-new-and-long-passphrase").await,
        Ok(Step::Done.path())
    );
}

#[tokio::test]
async fn every_refusal_of_step_b_is_a_wrong_answer_for_real_and_decoy_flows() {
    for shape in RejectionShape::ALL {
        // Proofs of work off: the fifth wrong answer would ask for one.
        let rig = Rig::new(&[("PORTAL_CHALLENGE_AT_PERCENT", "0")]).await;
        rig.login("alice").await.unwrap();
        rig.fault(SandboxEndpoint::Reset, FaultMode::Rejected { shape });
        assert_eq!(
            rig.answer("Peterson").await,
            Err(PortalError::WrongAnswer),
            "{shape:?}"
        );
        let decoy = rig.another_browser();
        decoy.login("nobody-here").await.unwrap();
        assert_eq!(
            decoy.answer("anything").await,
            Err(PortalError::WrongAnswer),
            "{shape:?}"
        );
        // Each one counted: three more for alice fill her window of 5.
        for _ in 0..3 {
            assert_eq!(rig.answer("x").await, Err(PortalError::WrongAnswer));
        }
        assert_eq!(rig.answer("x").await, Ok(EXPIRED_PATH), "{shape:?}");
    }
}

#[tokio::test]
async fn a_repeat_of_the_sent_password_is_done_once_it_signs_in() {
    const NEW: &str = "A-new-and-long-passphrase";
    let rig = Rig::at_password("bob").await;
    let flow = rig.ctx().session.flow().await.unwrap().unwrap();
    let token = flow.token().unwrap().clone();
    // The PUT's answer is lost (the portal gives up after 2 s)...
    rig.fault(SandboxEndpoint::Password, FaultMode::Hang);
    assert_eq!(rig.password(NEW).await, Ok(Step::Password.path()));
    assert!(rig.view(Step::Password).await.password_sent);
    rig.sandbox.clear_faults();
    // ...but the change landed (here: made straight at AutoShares).
    let new = NewPassword::new(NEW.to_string());
    rig.state
        .client
        .set_password(&token, &new, &new)
        .await
        .unwrap();

    // Another password learns nothing and calls nothing.
    let before = rig.sandbox.calls();
    assert_eq!(
        rig.password("Some-other-long-passphrase").await,
        Ok(Step::Password.path())
    );
    assert_eq!(rig.sandbox.calls(), before);

    // The same password: one sign-in proves the change, no second PUT,
    // and the trader reads "done".
    assert_eq!(rig.password(NEW).await, Ok(Step::Done.path()));
    assert_eq!(rig.sandbox.calls().password, before.password);
    assert_eq!(rig.sandbox.calls().token, before.token + 1);
}

#[tokio::test]
async fn a_repeat_of_the_sent_password_that_does_not_sign_in_stays_unsure() {
    const NEW: &str = "A-new-and-long-passphrase";
    let rig = Rig::at_password("bob").await;
    rig.fault(SandboxEndpoint::Password, FaultMode::ServerErrorHtml);
    assert_eq!(rig.password(NEW).await, Ok(Step::Password.path()));
    rig.sandbox.clear_faults();
    let before = rig.sandbox.calls();
    assert_eq!(rig.password(NEW).await, Ok(Step::Password.path()));
    assert!(rig.view(Step::Password).await.password_sent);
    assert_eq!(rig.sandbox.calls().password, before.password);
}

/// The proof a browser would post for a page's challenge.
fn solved(challenge_json: &str) -> String {
    use base64::Engine;
    let challenge: altcha::Challenge = serde_json::from_str(challenge_json).unwrap();
    let solution = altcha::solve_challenge(altcha::SolveChallengeOptions::new(&challenge))
        .unwrap()
        .unwrap();
    let payload = altcha::Payload {
        challenge,
        solution,
    };
    base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&payload).unwrap())
}

#[tokio::test]
async fn a_step_near_its_budget_asks_for_a_proof_of_work_spent_once() {
    let rig = Rig::new(&[
        ("PORTAL_WRONG_CODES_PER_NETWORK_PER_HOUR", "5"),
        ("PORTAL_CHALLENGE_COST", "100"),
    ])
    .await;
    rig.login("alice").await.unwrap();
    rig.answer("Peterson").await.unwrap();
    // Calm: no challenge on the page, none asked of a post.
    assert_eq!(rig.view(Step::Code).await.challenge, None);
    for _ in 0..4 {
        assert_eq!(rig.code("000000").await, Err(PortalError::WrongCode));
    }
    // The network has spent 4 of its 5 wrong codes: 80 %.
    let before = rig.sandbox.calls();
    let code = rig.latest_code("alice");
    let refused = rig.code(&code).await;
    assert!(
        matches!(refused, Err(PortalError::ChallengeRequired { minutes }) if (1..=60).contains(&minutes)),
        "{refused:?}"
    );
    assert_eq!(rig.sandbox.calls(), before, "nothing went upstream");
    let challenge = rig
        .view(Step::Code)
        .await
        .challenge
        .expect("the page asks for a proof");
    assert_eq!(challenge.max_tries, 1_000);
    let proof = solved(&challenge.json);
    assert_eq!(
        rig.code_with_proof(&code, &proof).await,
        Ok(Step::Password.path())
    );
    assert_eq!(rig.sandbox.calls().code, before.code + 1);

    // The same proof in another flow of the same network: spent.
    let other = rig.another_browser();
    other.login("alice").await.unwrap();
    other.answer("Peterson").await.unwrap();
    let before = other.sandbox.calls();
    let replayed = other
        .code_with_proof(&other.latest_code("alice"), &proof)
        .await;
    assert!(
        matches!(replayed, Err(PortalError::ChallengeRequired { .. })),
        "{replayed:?}"
    );
    assert_eq!(other.sandbox.calls(), before);
    // A fresh one from its own page goes through.
    let fresh = other.view(Step::Code).await.challenge.unwrap();
    assert_eq!(
        other
            .code_with_proof(&other.latest_code("alice"), &solved(&fresh.json))
            .await,
        Ok(Step::Password.path())
    );
}

#[tokio::test]
async fn the_start_page_carries_a_proof_of_work_only_once_a_login_was_typed() {
    // One code email left in the portal's hour: 80 % spent.
    // Without decoys an unknown login spends a code email as a known one
    // without a question does.
    let rig = Rig::new(&[
        ("PORTAL_PORTAL_CODE_EMAILS_PER_HOUR", "5"),
        ("PORTAL_DECOY_QUESTIONS", "false"),
        ("PORTAL_CHALLENGE_COST", "100"),
    ])
    .await;
    for i in 0..4 {
        let other = rig.another_browser();
        let login = format!("nobody-{i}");
        assert_eq!(other.login(&login).await, Ok(Step::Code.path()));
    }
    // Before a login was typed the page is everyone's (kept in memory):
    // no challenge.
    let fresh = rig.another_browser();
    assert_eq!(fresh.view(Step::Start).await.challenge, None);
    // A post is refused for want of a proof, nothing upstream; its page
    // then carries one, with the login kept.
    let before = fresh.sandbox.calls();
    let refused = fresh.login("nobody-5").await;
    assert!(
        matches!(refused, Err(PortalError::ChallengeRequired { .. })),
        "{refused:?}"
    );
    assert_eq!(fresh.sandbox.calls().reset, before.reset);
    let view = fresh.view(Step::Start).await;
    assert_eq!(view.draft_login.as_deref(), Some("nobody-5"));
    assert!(view.challenge.is_some());
}

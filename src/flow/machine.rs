//! [ssr] The recovery flow as a pure state machine.
//!
//! ```text
//! (none) ─lookup─▶ Question ─answer ok─▶ CodeSent ─code ok─▶ TokenIssued ─PUT sent─▶ PasswordSent
//!    └──────── no question: reset sent ──────▲  ⟲ resend / wrong code   ▲  │ refused: back   │ set: (done)
//!                                                                        └──┘                 ▼ unknown: stays
//! ```
//!
//! `PasswordSent` is written (and saved) before the new password goes
//! upstream: a trader whose answer was lost (a crash, a failover, a
//! timeout) comes back to "your password may already be changed", never
//! to a form whose token may be spent.
//!
//! No I/O and no clock: every transition takes `now` (unix seconds) and
//! returns the next state or a refusal. The server session serializes it.
//! The answer and the token live here and nowhere else; `Debug` of both
//! redacts.

use serde::{Deserialize, Serialize};

use super::Step;
use crate::autoshares::secret::{ResetToken, SecretAnswer};

/// Bounds on one flow. Configurable; the defaults are the README's (security: `flow-expiry`,
/// `wrong-answer-lockout`, `code-email-cap`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowLimits {
    /// Seconds without a step before the flow expires.
    pub idle_secs: u64,
    /// Seconds from step 1 after which the flow expires regardless.
    pub absolute_secs: u64,
    /// Wrong answers before the flow is burned.
    pub max_wrong_answers: u32,
    /// Wrong codes before the flow is burned.
    pub max_wrong_codes: u32,
    /// Code emails per flow, the first included.
    pub max_codes: u32,
}

impl Default for FlowLimits {
    fn default() -> Self {
        Self {
            idle_secs: 10 * 60,
            absolute_secs: 30 * 60,
            max_wrong_answers: 5,
            max_wrong_codes: 5,
            max_codes: 3,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Stage {
    /// Waiting for the answer to this question.
    Question { question: String },
    /// A code was emailed. The answer is kept to re-send a code.
    CodeSent { answer: Option<SecretAnswer> },
    /// The code was exchanged; the token sets the password.
    TokenIssued { token: ResetToken },
    /// The new password went upstream with the token; whether it was set
    /// is not known here. The token is gone: it may be spent. `sent` is a
    /// keyed digest of the password that went, so a repeat of that very
    /// password may be confirmed by signing in.
    PasswordSent { sent: SentDigest },
}

/// A keyed digest (HMAC) of the new password that was sent; never the
/// password. `Debug` redacts it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentDigest(pub String);

impl std::fmt::Debug for SentDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SentDigest(<redacted>)")
    }
}

/// Why a transition was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The flow is at another step: go there.
    WrongStep(Step),
    /// Idle or absolute lifetime exceeded.
    Expired,
    /// Too many wrong answers or codes: the flow is burned.
    AttemptsExhausted,
    /// No more code emails in this flow.
    CodesExhausted,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flow {
    login: String,
    stage: Stage,
    /// True when upstream knows no such login: the flow looks the same but
    /// can never succeed, and makes no further upstream calls.
    decoy: bool,
    started_at: u64,
    touched_at: u64,
    wrong_answers: u32,
    wrong_codes: u32,
    codes_sent: u32,
}

impl Flow {
    /// Step 1 found a secret question.
    pub fn asked(login: String, question: String, decoy: bool, now: u64) -> Self {
        Self::new(login, Stage::Question { question }, decoy, now, 0)
    }

    /// Step 1 found no question, and the reset request went out without an
    /// answer (or, for a decoy, pretended to).
    pub fn code_sent_without_question(login: String, decoy: bool, now: u64) -> Self {
        Self::new(login, Stage::CodeSent { answer: None }, decoy, now, 1)
    }

    fn new(login: String, stage: Stage, decoy: bool, now: u64, codes_sent: u32) -> Self {
        Self {
            login,
            stage,
            decoy,
            started_at: now,
            touched_at: now,
            wrong_answers: 0,
            wrong_codes: 0,
            codes_sent,
        }
    }

    pub fn step(&self) -> Step {
        match self.stage {
            Stage::Question { .. } => Step::Question,
            Stage::CodeSent { .. } => Step::Code,
            Stage::TokenIssued { .. } | Stage::PasswordSent { .. } => Step::Password,
        }
    }

    /// The new password went upstream and the outcome is not known.
    pub fn password_sent(&self) -> bool {
        self.sent_digest().is_some()
    }

    /// The digest of the password that went upstream, once one did.
    pub fn sent_digest(&self) -> Option<&SentDigest> {
        match &self.stage {
            Stage::PasswordSent { sent } => Some(sent),
            Stage::Question { .. } | Stage::CodeSent { .. } | Stage::TokenIssued { .. } => None,
        }
    }

    pub fn login(&self) -> &str {
        &self.login
    }

    pub fn is_decoy(&self) -> bool {
        self.decoy
    }

    pub fn question(&self) -> Option<&str> {
        match &self.stage {
            Stage::Question { question } => Some(question),
            Stage::CodeSent { .. } | Stage::TokenIssued { .. } | Stage::PasswordSent { .. } => None,
        }
    }

    pub fn codes_sent(&self) -> u32 {
        self.codes_sent
    }

    /// The flow may serve `expected` now: not expired, and at that step.
    pub fn admit(&self, expected: Step, now: u64, limits: &FlowLimits) -> Result<(), Refusal> {
        let idle = now.saturating_sub(self.touched_at);
        let age = now.saturating_sub(self.started_at);
        if idle >= limits.idle_secs || age >= limits.absolute_secs {
            return Err(Refusal::Expired);
        }
        let step = self.step();
        if step == expected {
            Ok(())
        } else {
            Err(Refusal::WrongStep(step))
        }
    }

    /// The upstream reset request succeeded with this answer.
    pub fn answered(self, answer: SecretAnswer, now: u64) -> Result<Self, Refusal> {
        self.require_step(Step::Question)?;
        Ok(Self {
            stage: Stage::CodeSent {
                answer: Some(answer),
            },
            touched_at: now,
            codes_sent: 1,
            ..self
        })
    }

    /// Upstream said the answer is wrong. Burned at the limit.
    pub fn answer_rejected(self, now: u64, limits: &FlowLimits) -> Result<Self, Refusal> {
        self.require_step(Step::Question)?;
        let wrong_answers = self.wrong_answers + 1;
        if wrong_answers >= limits.max_wrong_answers {
            return Err(Refusal::AttemptsExhausted);
        }
        Ok(Self {
            wrong_answers,
            touched_at: now,
            ..self
        })
    }

    /// What a "send a new code" needs: the login and the answer, if any.
    pub fn resend_request(
        &self,
        limits: &FlowLimits,
    ) -> Result<(&str, Option<&SecretAnswer>), Refusal> {
        match &self.stage {
            Stage::CodeSent { answer } if self.codes_sent < limits.max_codes => {
                Ok((&self.login, answer.as_ref()))
            }
            Stage::CodeSent { .. } => Err(Refusal::CodesExhausted),
            Stage::Question { .. } | Stage::TokenIssued { .. } | Stage::PasswordSent { .. } => {
                Err(Refusal::WrongStep(self.step()))
            }
        }
    }

    /// A new code went out.
    pub fn code_resent(self, now: u64, limits: &FlowLimits) -> Result<Self, Refusal> {
        self.resend_request(limits)?;
        Ok(Self {
            codes_sent: self.codes_sent + 1,
            touched_at: now,
            ..self
        })
    }

    /// Upstream exchanged the code for a token.
    pub fn code_accepted(self, token: ResetToken, now: u64) -> Result<Self, Refusal> {
        self.require_step(Step::Code)?;
        Ok(Self {
            stage: Stage::TokenIssued { token },
            touched_at: now,
            ..self
        })
    }

    /// Upstream refused the code. Burned at the limit.
    pub fn code_rejected(self, now: u64, limits: &FlowLimits) -> Result<Self, Refusal> {
        self.require_step(Step::Code)?;
        let wrong_codes = self.wrong_codes + 1;
        if wrong_codes >= limits.max_wrong_codes {
            return Err(Refusal::AttemptsExhausted);
        }
        Ok(Self {
            wrong_codes,
            touched_at: now,
            ..self
        })
    }

    /// The token for the set-password call.
    pub fn token(&self) -> Result<&ResetToken, Refusal> {
        match &self.stage {
            Stage::TokenIssued { token } => Ok(token),
            Stage::Question { .. } | Stage::CodeSent { .. } | Stage::PasswordSent { .. } => {
                Err(Refusal::WrongStep(self.step()))
            }
        }
    }

    /// The flow as it must be saved before the new password is sent: the
    /// token is dropped, since the PUT may spend it whatever its answer.
    pub fn sending_password(&self, sent: SentDigest, now: u64) -> Result<Self, Refusal> {
        self.token()?;
        Ok(Self {
            stage: Stage::PasswordSent { sent },
            touched_at: now,
            ..self.clone()
        })
    }

    /// Upstream set the password: the flow ends and is consumed.
    pub fn password_changed(self) -> Result<(), Refusal> {
        self.require_step(Step::Password)
    }

    /// A failed step that keeps the trader where they are still counts as
    /// activity for the idle timer.
    pub fn touched(self, now: u64) -> Self {
        Self {
            touched_at: now,
            ..self
        }
    }

    fn require_step(&self, step: Step) -> Result<(), Refusal> {
        if self.step() == step {
            Ok(())
        } else {
            Err(Refusal::WrongStep(self.step()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_000_000;
    const L: FlowLimits = FlowLimits {
        idle_secs: 600,
        absolute_secs: 1800,
        max_wrong_answers: 5,
        max_wrong_codes: 5,
        max_codes: 3,
    };

    fn answer() -> SecretAnswer {
        SecretAnswer::new("Peterson".to_string())
    }

    fn token() -> ResetToken {
        ResetToken::new("tok".to_string())
    }

    fn at_question() -> Flow {
        Flow::asked("alice".into(), "Street?".into(), false, T0)
    }

    fn at_code() -> Flow {
        Flow::code_sent_without_question("bob".into(), false, T0)
    }

    fn at_password() -> Flow {
        at_code().code_accepted(token(), T0 + 1).unwrap()
    }

    #[test]
    fn steps_follow_the_stage() {
        assert_eq!(at_question().step(), Step::Question);
        assert_eq!(at_code().step(), Step::Code);
        assert_eq!(at_password().step(), Step::Password);
    }

    #[test]
    fn question_to_code_to_password_to_done() {
        let flow = at_question().answered(answer(), T0 + 5).unwrap();
        assert_eq!(flow.step(), Step::Code);
        assert_eq!(flow.codes_sent(), 1);
        let flow = flow.code_accepted(token(), T0 + 10).unwrap();
        assert_eq!(flow.token().unwrap().expose(), "tok");
        assert_eq!(flow.password_changed(), Ok(()));
    }

    #[test]
    fn a_sent_password_drops_the_token_and_stays_on_its_page() {
        let flow = at_password();
        assert!(!flow.password_sent());
        let digest = SentDigest("d1g35t".into());
        let sent = flow.sending_password(digest.clone(), T0 + 20).unwrap();
        assert!(sent.password_sent());
        assert_eq!(sent.sent_digest(), Some(&digest));
        assert_eq!(sent.step(), Step::Password);
        // The token may be spent: the saved flow no longer holds it.
        assert_eq!(
            sent.token().unwrap_err(),
            Refusal::WrongStep(Step::Password)
        );
        let shown = format!("{:?}", sent);
        assert!(
            !shown.contains("tok") && !shown.contains("d1g35t"),
            "{shown}"
        );
        // Sent once is sent: no second PUT from this flow.
        assert_eq!(
            sent.sending_password(digest.clone(), T0 + 21).unwrap_err(),
            Refusal::WrongStep(Step::Password)
        );
        // Only a flow holding a token can send one.
        assert!(at_code().sending_password(digest, T0).is_err());
        // It still expires like any flow, and still ends on a set password.
        assert_eq!(
            sent.admit(Step::Password, T0 + 20 + L.idle_secs, &L),
            Err(Refusal::Expired)
        );
        assert_eq!(sent.password_changed(), Ok(()));
    }

    #[test]
    fn without_a_question_the_flow_starts_at_code() {
        let flow = at_code();
        assert_eq!(flow.step(), Step::Code);
        assert_eq!(flow.codes_sent(), 1);
        assert!(flow.question().is_none());
    }

    #[test]
    fn the_login_is_fixed_at_step_one() {
        let flow = at_question().answered(answer(), T0).unwrap();
        let flow = flow.code_accepted(token(), T0).unwrap();
        assert_eq!(flow.login(), "alice");
    }

    #[test]
    fn every_transition_refuses_the_wrong_step() {
        // Each transition from each stage it doesn't belong to.
        assert_eq!(
            at_code().answered(answer(), T0).unwrap_err(),
            Refusal::WrongStep(Step::Code)
        );
        assert_eq!(
            at_password().answered(answer(), T0).unwrap_err(),
            Refusal::WrongStep(Step::Password)
        );
        assert_eq!(
            at_code().answer_rejected(T0, &L).unwrap_err(),
            Refusal::WrongStep(Step::Code)
        );
        assert_eq!(
            at_question().code_accepted(token(), T0).unwrap_err(),
            Refusal::WrongStep(Step::Question)
        );
        assert_eq!(
            at_password().code_accepted(token(), T0).unwrap_err(),
            Refusal::WrongStep(Step::Password)
        );
        assert_eq!(
            at_question().code_rejected(T0, &L).unwrap_err(),
            Refusal::WrongStep(Step::Question)
        );
        assert_eq!(
            at_question().code_resent(T0, &L).unwrap_err(),
            Refusal::WrongStep(Step::Question)
        );
        assert_eq!(
            at_password().code_resent(T0, &L).unwrap_err(),
            Refusal::WrongStep(Step::Password)
        );
        assert_eq!(
            at_question().token().unwrap_err(),
            Refusal::WrongStep(Step::Question)
        );
        assert_eq!(
            at_code().token().unwrap_err(),
            Refusal::WrongStep(Step::Code)
        );
        assert_eq!(
            at_question().password_changed(),
            Err(Refusal::WrongStep(Step::Question))
        );
        assert_eq!(
            at_code().password_changed(),
            Err(Refusal::WrongStep(Step::Code))
        );
    }

    #[test]
    fn admit_redirects_to_the_current_step() {
        for expected in Step::ALL {
            let got = at_code().admit(expected, T0 + 1, &L);
            if expected == Step::Code {
                assert_eq!(got, Ok(()));
            } else {
                assert_eq!(got, Err(Refusal::WrongStep(Step::Code)));
            }
        }
    }

    #[test]
    fn idle_expiry_counts_from_the_last_step() {
        let flow = at_question();
        assert_eq!(flow.admit(Step::Question, T0 + 599, &L), Ok(()));
        assert_eq!(
            flow.admit(Step::Question, T0 + 600, &L),
            Err(Refusal::Expired)
        );
        let flow = flow.answered(answer(), T0 + 500).unwrap();
        assert_eq!(flow.admit(Step::Code, T0 + 1099, &L), Ok(()));
    }

    #[test]
    fn absolute_expiry_holds_despite_activity() {
        let mut flow = at_code();
        let mut now = T0;
        while now < T0 + 1700 {
            now += 500;
            flow = flow.touched(now);
        }
        assert_eq!(flow.admit(Step::Code, T0 + 1800, &L), Err(Refusal::Expired));
    }

    #[test]
    fn expiry_wins_over_wrong_step() {
        assert_eq!(
            at_code().admit(Step::Question, T0 + 10_000, &L),
            Err(Refusal::Expired)
        );
    }

    #[test]
    fn wrong_answers_burn_the_flow_at_the_limit() {
        let mut flow = at_question();
        for _ in 0..4 {
            flow = flow.answer_rejected(T0, &L).unwrap();
            assert_eq!(flow.step(), Step::Question);
        }
        assert_eq!(
            flow.answer_rejected(T0, &L).unwrap_err(),
            Refusal::AttemptsExhausted
        );
    }

    #[test]
    fn wrong_codes_burn_the_flow_at_the_limit() {
        let mut flow = at_code();
        for _ in 0..4 {
            flow = flow.code_rejected(T0, &L).unwrap();
        }
        assert_eq!(
            flow.code_rejected(T0, &L).unwrap_err(),
            Refusal::AttemptsExhausted
        );
    }

    #[test]
    fn resend_keeps_the_answer_and_stops_at_the_limit() {
        let flow = at_question().answered(answer(), T0).unwrap();
        let (login, kept) = flow.resend_request(&L).unwrap();
        assert_eq!(login, "alice");
        assert_eq!(
            kept.map(|a| a.expose().to_string()),
            Some("Peterson".to_string())
        );
        let flow = flow.code_resent(T0, &L).unwrap();
        let flow = flow.code_resent(T0, &L).unwrap();
        assert_eq!(flow.codes_sent(), 3);
        assert_eq!(
            flow.resend_request(&L).unwrap_err(),
            Refusal::CodesExhausted
        );
        assert_eq!(
            flow.code_resent(T0, &L).unwrap_err(),
            Refusal::CodesExhausted
        );
    }

    #[test]
    fn resend_without_a_question_sends_no_answer() {
        let flow = at_code();
        let (_, kept) = flow.resend_request(&L).unwrap();
        assert!(kept.is_none());
    }

    #[test]
    fn decoy_is_carried_through() {
        let flow = Flow::asked("nobody".into(), "Pet?".into(), true, T0);
        assert!(flow.is_decoy());
        assert!(flow.answer_rejected(T0, &L).unwrap().is_decoy());
    }

    #[test]
    fn debug_never_shows_the_token_or_answer() {
        let flow = Flow::asked("alice".into(), "Q".into(), false, T0)
            .answered(SecretAnswer::new("CanaryAnswer".into()), T0)
            .unwrap()
            .code_accepted(ResetToken::new("CanaryToken".into()), T0)
            .unwrap();
        let shown = format!("{flow:?}");
        assert!(!shown.contains("CanaryToken"), "{shown}");
        assert!(!shown.contains("CanaryAnswer"), "{shown}");
    }

    #[test]
    fn the_flow_survives_a_session_round_trip() {
        let flow = at_password();
        let json = serde_json::to_string(&flow).unwrap();
        let back: Flow = serde_json::from_str(&json).unwrap();
        assert_eq!(back.step(), Step::Password);
        assert_eq!(back.token().unwrap().expose(), "tok");
    }
}

//! [ssr] What each server function does, step by step.
//!
//! A step reads the session, asks the flow whether it may run, makes its
//! upstream call through the [`Gateway`](super::gateway::Gateway), and
//! returns an [`Outcome`]: advance, stay with an error, end the flow,
//! finish, or go elsewhere. One function, [`StepContext::apply`], carries
//! every outcome out: the session write, the id rotation, the redirect.
//! So no step can forget one of them. Successes end with a redirect to the
//! next page, which renders from the session: that is what makes no-JS
//! form posts work.

use std::time::{SystemTime, UNIX_EPOCH};

use leptos::prelude::use_context;

use super::boundary;
use super::identity::{clean_login, decoy_question, ident_hash};
use super::limits::{minutes, until, Counted, Limited};
use super::session::FlowSession;
use super::state::AppState;
use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::error::{AutoSharesError, Unavailable};
use crate::autoshares::secret::{NewPassword, ResetCode, SecretAnswer};
use crate::error::PortalError;
use crate::flow::machine::{Flow, Refusal};
use crate::flow::{PageView, Step, EXPIRED_PATH};
use crate::store::counters::now_millis;
use crate::store::Lockout;

/// The upstream code for a wrong secret answer.
const INCORRECT_ANSWER: &str = "ErrorIncorrectAnswer";

/// What a step decided.
#[derive(Debug)]
enum Outcome {
    /// The flow moved on: new session id, new state, on to its page.
    Advance(Flow),
    /// The flow stays on its step (counters and idle timer kept) and the
    /// trader sees `error` next to the form.
    Stay(Flow, PortalError),
    /// The flow is destroyed (expired, or too many wrong tries); the
    /// expired page says why.
    End(PortalError),
    /// The password was changed: the flow is destroyed, the done page shown.
    Finish,
    /// Nothing to do on this step: go to `path`.
    GoTo(&'static str),
}

/// Everything one step needs.
struct StepContext {
    state: AppState,
    session: FlowSession,
    now: u64,
}

impl StepContext {
    /// The context of the server function being served.
    async fn current() -> Result<Self, PortalError> {
        let state = use_context::<AppState>().ok_or_else(|| {
            tracing::error!(event = "app_state_missing");
            PortalError::Unavailable
        })?;
        let session = FlowSession::current().await?;
        Ok(Self::new(state, session))
    }

    fn new(state: AppState, session: FlowSession) -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        Self {
            state,
            session,
            now,
        }
    }

    /// Carry out what a step decided. The only place that writes the
    /// flow, rotates the session id or redirects after a step.
    async fn apply(&self, outcome: Outcome) -> Result<(), PortalError> {
        match outcome {
            Outcome::Advance(flow) => {
                self.session.advance(&flow).await?;
                redirect(flow.step().path());
                Ok(())
            }
            Outcome::Stay(flow, error) => {
                self.session.keep(&flow).await?;
                Err(error)
            }
            Outcome::End(reason) => {
                self.session.end_because(reason).await;
                redirect(EXPIRED_PATH);
                Ok(())
            }
            Outcome::Finish => {
                self.session.finish().await?;
                redirect(Step::Done.path());
                Ok(())
            }
            Outcome::GoTo(path) => {
                redirect(path);
                Ok(())
            }
        }
    }

    fn ident(&self, login: &str) -> String {
        ident_hash(&self.state.hmac_key.0, login)
    }

    /// The flow, if it may serve `step` now; otherwise where the trader
    /// goes instead (wrong step, expired or no flow).
    async fn admit(&self, step: Step) -> Result<Result<Flow, Outcome>, PortalError> {
        let Some(flow) = self.session.flow().await? else {
            return Ok(Err(Outcome::GoTo(EXPIRED_PATH)));
        };
        Ok(
            match flow.admit(step, self.now, &self.state.config.flow_limits) {
                Ok(()) => Ok(flow),
                Err(Refusal::WrongStep(actual)) => Err(Outcome::GoTo(actual.path())),
                Err(_) => {
                    tracing::info!(event = "flow_expired", ident = %self.ident(flow.login()));
                    Err(Outcome::End(PortalError::SessionExpired))
                }
            },
        )
    }

    /// Whether one more `what` fits this identifier's window. Fails
    /// closed: when the store can't count, the step stops here.
    async fn within_limit(&self, what: Counted, ident: &str) -> Result<(), PortalError> {
        match self.state.limiter.check(what, ident, now_millis()).await {
            Ok(()) => Ok(()),
            Err(Limited::StoreDown(_)) => Err(PortalError::Unavailable),
            Err(Limited::Wait(wait)) => {
                tracing::warn!(event = "rate_limited", what = ?what, ident);
                super::metrics::rate_limited(match what {
                    Counted::WrongAnswer => "wrong_answers",
                    Counted::CodeEmail => "code_emails",
                });
                Err(match what {
                    Counted::WrongAnswer => PortalError::TooManyAttempts {
                        minutes: minutes(wait),
                    },
                    Counted::CodeEmail => PortalError::TooManyCodes {
                        max: self.state.limiter.budget().code_emails,
                    },
                })
            }
        }
    }

    /// Count one event; a lockout it started comes back.
    async fn count(&self, what: Counted, ident: &str) -> Result<Option<Lockout>, PortalError> {
        self.state
            .limiter
            .record(what, ident, now_millis())
            .await
            .map_err(|_| PortalError::Unavailable)
    }

    /// A refusal after `admit` succeeded means the flow and the page
    /// disagree: treat it as an expired flow rather than guess.
    fn refused(&self, refusal: Refusal) -> PortalError {
        match refusal {
            Refusal::CodesExhausted => PortalError::TooManyCodes {
                max: self.state.config.flow_limits.max_codes,
            },
            Refusal::AttemptsExhausted => PortalError::TooManyAttempts { minutes: 0 },
            Refusal::WrongStep(_) | Refusal::Expired => PortalError::SessionExpired,
        }
    }

    /// Too many wrong answers or codes. With a lockout, the expired page
    /// says how long it lasts; a flow ended by wrong codes alone can start
    /// again at once.
    fn burned(&self, ident: &str, lockout: Option<Lockout>) -> Outcome {
        tracing::warn!(event = "flow_burned", ident);
        let minutes = lockout.map_or(0, |l| minutes(until(l.until, now_millis())));
        Outcome::End(PortalError::TooManyAttempts { minutes })
    }

    /// Ask upstream to email a code, within the per-identifier budget.
    async fn send_code(
        &self,
        login: &str,
        ident: &str,
        answer: Option<&SecretAnswer>,
    ) -> Result<(), PortalError> {
        self.within_limit(Counted::CodeEmail, ident).await?;
        let client = &self.state.client;
        match self
            .state
            .gateway
            .call(Endpoint::Reset, client.request_reset(login, answer))
            .await?
        {
            Ok(()) => self.count(Counted::CodeEmail, ident).await.map(drop),
            Err(err) => Err(boundary::upstream(Endpoint::Reset, ident, &err)),
        }
    }
}

/// What a trader posted, as the step-outcome metric names it.
#[derive(Clone, Copy, Debug)]
enum Action {
    Login,
    Answer,
    Code,
    ResendCode,
    Password,
    StartOver,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Login => "login",
            Action::Answer => "answer",
            Action::Code => "code",
            Action::ResendCode => "resend_code",
            Action::Password => "password",
            Action::StartOver => "start_over",
        }
    }
}

/// The outcome label of a step's decision.
fn outcome_label(outcome: &Result<Outcome, PortalError>) -> &'static str {
    match outcome {
        Ok(Outcome::Advance(_) | Outcome::Finish) => "advanced",
        Ok(Outcome::Stay(_, error)) | Err(error) => error_label(error),
        Ok(Outcome::End(PortalError::SessionExpired)) => "expired",
        Ok(Outcome::End(_)) => "burned",
        Ok(Outcome::GoTo(path)) if *path == EXPIRED_PATH => "expired",
        Ok(Outcome::GoTo(_)) => "redirected",
    }
}

fn error_label(error: &PortalError) -> &'static str {
    match error {
        PortalError::WrongAnswer => "wrong_answer",
        PortalError::WrongCode => "wrong_code",
        PortalError::SessionExpired => "expired",
        PortalError::Unavailable | PortalError::StatusUnknown | PortalError::CouldNotStart => {
            "upstream_unavailable"
        }
        PortalError::TooManyAttempts { .. }
        | PortalError::TooManyCodes { .. }
        | PortalError::RateLimited { .. } => "rate_limited",
        _ => "invalid_input",
    }
}

/// Run a step's decision through [`StepContext::apply`], counting it.
macro_rules! step {
    ($action:expr, $ctx:ident => $body:expr) => {{
        let $ctx = StepContext::current().await?;
        let outcome: Result<Outcome, PortalError> = async { $body }.await;
        super::metrics::step_outcome($action.as_str(), outcome_label(&outcome));
        $ctx.apply(outcome?).await
    }};
}

/// The flow for `$step`, or return the outcome that sends the trader
/// where they belong.
macro_rules! admitted {
    ($ctx:ident, $step:expr) => {
        match $ctx.admit($step).await? {
            Ok(flow) => flow,
            Err(elsewhere) => return Ok(elsewhere),
        }
    };
}

fn redirect(path: &str) {
    leptos_axum::redirect(path);
}

/// What a step page renders, read before it renders (`server::page_data`).
/// Never runs an upstream call.
pub async fn load_page(
    state: AppState,
    session: FlowSession,
    step: Step,
) -> Result<PageView, PortalError> {
    let ctx = StepContext::new(state, session);
    let mut view = PageView::default();
    let flow = ctx.session.flow().await?;
    match (step, flow) {
        (Step::Done, _) if ctx.session.is_done().await => {}
        (Step::Start | Step::Done, None) => {
            if step == Step::Done {
                view.redirect_to = Some(Step::Start.path().into());
            }
            view.draft_login = ctx.session.draft_login().await;
        }
        (_, Some(flow)) => match flow.admit(step, ctx.now, &ctx.state.config.flow_limits) {
            Ok(()) => {
                view.login = Some(flow.login().to_string());
                view.question = flow.question().map(str::to_string);
                view.codes_sent = flow.codes_sent();
            }
            Err(Refusal::WrongStep(actual)) => view.redirect_to = Some(actual.path().into()),
            Err(_) => {
                ctx.session.end_because(PortalError::SessionExpired).await;
                view.redirect_to = (step != Step::Start).then(|| EXPIRED_PATH.into());
            }
        },
        (_, None) => view.redirect_to = Some(EXPIRED_PATH.into()),
    }
    Ok(view)
}

/// Step 1: look up the secret question; without one, send the code now.
pub async fn submit_login(login: String) -> Result<(), PortalError> {
    step!(Action::Login, ctx => {
        if let Some(flow) = ctx.session.flow().await? {
            // A flow is already under way in this session: go back to it.
            let flow = admitted!(ctx, flow.step());
            return Ok(Outcome::GoTo(flow.step().path()));
        }
        let login = match clean_login(&login) {
            Ok(login) => login,
            Err(err) => {
                ctx.session.set_draft_login(login.trim()).await;
                return Err(err);
            }
        };
        let started = start_flow(&ctx, &login).await;
        if started.is_err() {
            ctx.session.set_draft_login(&login).await;
        }
        started
    })
}

async fn start_flow(ctx: &StepContext, login: &str) -> Result<Outcome, PortalError> {
    let ident = ctx.ident(login);
    let config = &ctx.state.config;
    let client = &ctx.state.client;
    let lookup = ctx
        .state
        .gateway
        .call(Endpoint::SecretQuestion, client.secret_question(login))
        .await?;
    let login = login.to_string();
    let flow = match lookup {
        Ok(Some(question)) => Flow::asked(login, question, false, ctx.now),
        Ok(None) => {
            ctx.send_code(&login, &ident, None).await?;
            Flow::code_sent_without_question(login, false, ctx.now)
        }
        Err(AutoSharesError::Rejected { codes, .. }) => {
            // Most likely an unknown login. Answer exactly as for a known
            // one (SECURITY.md #16, #17).
            tracing::info!(event = "lookup_rejected", ident = %ident, codes = ?codes);
            if config.decoy_questions {
                let question = decoy_question(&ctx.state.hmac_key.0, &login, &ctx.state.decoys);
                Flow::asked(login, question, true, ctx.now)
            } else {
                // A known login without a question has a code sent now.
                ctx.state.gateway.skip(Endpoint::Reset).await;
                Flow::code_sent_without_question(login, true, ctx.now)
            }
        }
        Err(err) => return Err(boundary::upstream(Endpoint::SecretQuestion, &ident, &err)),
    };
    tracing::info!(event = "flow_started", ident = %ident, step = ?flow.step());
    Ok(Outcome::Advance(flow))
}

/// Step 2: the answer to the secret question.
pub async fn submit_answer(answer: String) -> Result<(), PortalError> {
    step!(Action::Answer, ctx => {
        let flow = admitted!(ctx, Step::Question);
        if answer.trim().is_empty() {
            return Err(PortalError::AnswerMissing);
        }
        let ident = ctx.ident(flow.login());
        ctx.within_limit(Counted::WrongAnswer, &ident).await?;
        ctx.within_limit(Counted::CodeEmail, &ident).await?;
        let answer = SecretAnswer::new(answer);
        let client = &ctx.state.client;
        let outcome = ctx
            .state
            .gateway
            .call(Endpoint::Reset, client.request_reset(flow.login(), Some(&answer)))
            .await?;
        // A decoy (unknown login) makes the very same call, so neither the
        // timing nor the answer tells it from a known login answered
        // wrongly (SECURITY.md #17); upstream's "no such user" reads as a
        // wrong answer.
        let wrong_answer = |err: &AutoSharesError| {
            err.has_code(INCORRECT_ANSWER)
                || (flow.is_decoy() && matches!(err, AutoSharesError::Rejected { .. }))
        };
        match outcome {
            Ok(()) => {
                ctx.count(Counted::CodeEmail, &ident).await?;
                let flow = flow.answered(answer, ctx.now).map_err(|r| ctx.refused(r))?;
                tracing::info!(event = "answer_accepted", ident = %ident);
                Ok(Outcome::Advance(flow))
            }
            Err(err) if wrong_answer(&err) => {
                let lockout = ctx.count(Counted::WrongAnswer, &ident).await?;
                tracing::info!(event = "answer_rejected", ident = %ident);
                let limits = ctx.state.config.flow_limits;
                Ok(match (lockout, flow.answer_rejected(ctx.now, &limits)) {
                    (None, Ok(flow)) => Outcome::Stay(flow, PortalError::WrongAnswer),
                    (lockout, _) => ctx.burned(&ident, lockout),
                })
            }
            Err(err) => Ok(Outcome::Stay(
                flow.touched(ctx.now),
                boundary::upstream(Endpoint::Reset, &ident, &err),
            )),
        }
    })
}

/// Step 3: the emailed code, exchanged for the reset token.
pub async fn submit_code(code: String) -> Result<(), PortalError> {
    step!(Action::Code, ctx => {
        let flow = admitted!(ctx, Step::Code);
        let code: String = code
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if code.is_empty() {
            return Err(PortalError::CodeMissing);
        }
        let ident = ctx.ident(flow.login());
        let well_formed = code.len() <= 12 && code.chars().all(|c| c.is_ascii_alphanumeric());
        let gateway = &ctx.state.gateway;
        let outcome = if !well_formed {
            Err(None)
        } else if flow.is_decoy() {
            gateway.skip(Endpoint::Code).await;
            Err(None)
        } else {
            let code = ResetCode::new(code);
            gateway
                .call(Endpoint::Code, ctx.state.client.exchange_code(&code))
                .await?
                .map_err(Some)
        };
        match outcome {
            Ok(token) => {
                let flow = flow.code_accepted(token, ctx.now).map_err(|r| ctx.refused(r))?;
                tracing::info!(event = "code_accepted", ident = %ident);
                Ok(Outcome::Advance(flow))
            }
            Err(None | Some(AutoSharesError::Rejected { .. })) => {
                tracing::info!(event = "code_rejected", ident = %ident);
                Ok(match flow.code_rejected(ctx.now, &ctx.state.config.flow_limits) {
                    Ok(flow) => Outcome::Stay(flow, PortalError::WrongCode),
                    Err(_) => ctx.burned(&ident, None),
                })
            }
            Err(Some(err)) => Ok(Outcome::Stay(
                flow.touched(ctx.now),
                boundary::upstream(Endpoint::Code, &ident, &err),
            )),
        }
    })
}

/// Step 3's other action: email a new code.
pub async fn resend_code() -> Result<(), PortalError> {
    step!(Action::ResendCode, ctx => {
        let flow = admitted!(ctx, Step::Code);
        let limits = ctx.state.config.flow_limits;
        let ident = ctx.ident(flow.login());
        let (login, answer) = flow
            .resend_request(&limits)
            .map(|(login, answer)| (login.to_string(), answer.cloned()))
            .map_err(|r| ctx.refused(r))?;
        if flow.is_decoy() {
            ctx.state.gateway.skip(Endpoint::Reset).await;
        } else if let Err(err) = ctx.send_code(&login, &ident, answer.as_ref()).await {
            return Ok(Outcome::Stay(flow.touched(ctx.now), err));
        }
        let flow = flow.code_resent(ctx.now, &limits).map_err(|r| ctx.refused(r))?;
        tracing::info!(event = "code_resent", ident = %ident, codes_sent = flow.codes_sent());
        Ok(Outcome::Advance(flow))
    })
}

/// Step 4: the new password, checked here first, then set upstream.
pub async fn submit_password(password: String, confirmation: String) -> Result<(), PortalError> {
    step!(Action::Password, ctx => {
        let flow = admitted!(ctx, Step::Password);
        let config = &ctx.state.config;
        config.policy.check(
            &password,
            &confirmation,
            &[flow.login(), config.broker_name.as_str()],
        )?;
        let ident = ctx.ident(flow.login());
        let token = flow.token().map_err(|r| ctx.refused(r))?;
        let (password, confirmation) = (NewPassword::new(password), NewPassword::new(confirmation));
        let outcome = ctx
            .state
            .gateway
            .call(
                Endpoint::Password,
                ctx.state.client.set_password(token, &password, &confirmation),
            )
            .await?;
        match outcome {
            Ok(()) => {
                flow.password_changed().map_err(|r| ctx.refused(r))?;
                tracing::info!(event = "password_changed", ident = %ident);
                Ok(Outcome::Finish)
            }
            Err(AutoSharesError::Rejected { codes, .. }) => {
                tracing::info!(event = "password_rejected", ident = %ident, codes = ?codes);
                Ok(Outcome::Stay(flow.touched(ctx.now), PortalError::PasswordRejected))
            }
            Err(AutoSharesError::Unavailable(Unavailable::Timeout)) => {
                // The change may or may not have happened upstream: never
                // claim success (SECURITY.md #27).
                tracing::warn!(event = "password_status_unknown", ident = %ident);
                Ok(Outcome::Stay(flow.touched(ctx.now), PortalError::StatusUnknown))
            }
            Err(err) => Ok(Outcome::Stay(
                flow.touched(ctx.now),
                boundary::upstream(Endpoint::Password, &ident, &err),
            )),
        }
    })
}

/// Throw the flow away and go back to step 1.
pub async fn start_over() -> Result<(), PortalError> {
    step!(Action::StartOver, ctx => {
        ctx.session.end().await;
        Ok(Outcome::GoTo(Step::Start.path()))
    })
}

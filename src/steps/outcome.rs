//! [ssr] The step runner: what a step may decide ([`Outcome`]), how it
//! stops early ([`Exit`], `?`-able), and the one function that carries a
//! decision out ([`StepContext::conclude`]): the session write, the id
//! rotation, the redirect and the step-outcome metric.

use std::time::{SystemTime, UNIX_EPOCH};

use leptos::prelude::use_context;

use super::gateway;
use super::identity::ident_hash;
use super::session::FlowSession;
use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::secret::SecretAnswer;
use crate::error::PortalError;
use crate::flow::machine::{Flow, Refusal};
use crate::flow::{EndReason, Step, EXPIRED_PATH};
use crate::state::AppState;
use crate::store::counters::Millis;
use crate::store::limits::{minutes, until, Counted, Limited};
use crate::store::Lockout;
use crate::telemetry::metrics;

/// What a step decided.
#[derive(Debug)]
pub enum Outcome {
    /// The flow moved on: new session id, new state, on to its page.
    Advance(Flow),
    /// The flow stays on its step (counters and idle timer kept) and the
    /// trader sees `error` next to the form.
    Stay(Flow, PortalError),
    /// The flow is destroyed (expired, or too many wrong tries); the
    /// expired page says why.
    End(EndReason),
    /// The password was changed: the flow is destroyed, the done page shown.
    Finish,
    /// Nothing to do on this step: go to `path`.
    GoTo(&'static str),
}

/// Why a step stopped before deciding. `?` in a step turns a
/// [`PortalError`] into a refusal, and [`StepContext::admit`] sends the
/// trader elsewhere (wrong step, expired) the same way.
#[derive(Debug)]
pub enum Exit {
    /// Not this step's business: carry out this outcome instead.
    Elsewhere(Outcome),
    /// Refused: the trader sees this error on the same page.
    Refused(PortalError),
}

impl From<PortalError> for Exit {
    fn from(error: PortalError) -> Self {
        Exit::Refused(error)
    }
}

/// What a step's `decide` returns.
pub type Decision = Result<Outcome, Exit>;

/// The one reading of the clock a step makes, in milliseconds since the
/// Unix epoch. The flow counts in seconds ([`Now::secs`]), the limits in
/// milliseconds ([`Now::millis`]): both come from this one reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now(Millis);

impl Now {
    pub fn read() -> Self {
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or_default();
        Now(millis)
    }

    pub fn at_millis(millis: Millis) -> Self {
        Now(millis)
    }

    pub fn millis(self) -> Millis {
        self.0
    }

    pub fn secs(self) -> u64 {
        u64::try_from(self.0 / 1000).unwrap_or_default()
    }
}

/// What a trader posted, as the step-outcome metric names it.
#[derive(Clone, Copy, Debug)]
pub enum Action {
    Login,
    Answer,
    Code,
    ResendCode,
    Password,
    StartOver,
}

impl Action {
    pub fn as_str(self) -> &'static str {
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

/// Everything one step needs: the state, the session, and the one `now`.
pub struct StepContext {
    pub state: AppState,
    pub session: FlowSession,
    pub now: Now,
}

impl StepContext {
    /// The context of the server function being served.
    pub async fn current() -> Result<Self, PortalError> {
        let state = use_context::<AppState>().ok_or_else(|| {
            tracing::error!(event = "app_state_missing");
            PortalError::Unavailable
        })?;
        let session = FlowSession::current().await?;
        Ok(Self::new(state, session, Now::read()))
    }

    pub fn new(state: AppState, session: FlowSession, now: Now) -> Self {
        Self {
            state,
            session,
            now,
        }
    }

    /// Count a step's decision and carry it out. The only place that
    /// writes the flow, rotates the session id or redirects after a step.
    pub async fn conclude(&self, action: Action, decision: Decision) -> Result<(), PortalError> {
        let outcome = match decision {
            Ok(outcome) | Err(Exit::Elsewhere(outcome)) => outcome,
            Err(Exit::Refused(error)) => {
                metrics::step_outcome(action.as_str(), error.class().label);
                return Err(error);
            }
        };
        metrics::step_outcome(action.as_str(), outcome_label(&outcome));
        let next = self.apply(outcome).await?;
        leptos_axum::redirect(next);
        Ok(())
    }

    /// Write what `outcome` says to the session and answer the page the
    /// trader goes to next (or the error they see on this one).
    pub async fn apply(&self, outcome: Outcome) -> Result<&'static str, PortalError> {
        match outcome {
            Outcome::Advance(flow) => {
                self.session.advance(&flow).await?;
                Ok(flow.step().path())
            }
            Outcome::Stay(flow, error) => {
                self.session.keep(&flow).await?;
                Err(error)
            }
            Outcome::End(reason) => {
                self.session.end_because(reason).await;
                Ok(EXPIRED_PATH)
            }
            Outcome::Finish => {
                self.session.finish().await?;
                Ok(Step::Done.path())
            }
            Outcome::GoTo(path) => Ok(path),
        }
    }

    pub fn ident(&self, login: &str) -> String {
        ident_hash(self.state.hmac_key.expose(), login)
    }

    /// The flow, if it may serve `step` now; otherwise the exit that sends
    /// the trader where they belong (wrong step, expired or no flow).
    pub async fn admit(&self, step: Step) -> Result<Flow, Exit> {
        let Some(flow) = self.session.flow().await? else {
            return Err(Exit::Elsewhere(Outcome::GoTo(EXPIRED_PATH)));
        };
        match flow.admit(step, self.now.secs(), &self.state.config.flow_limits) {
            Ok(()) => Ok(flow),
            Err(Refusal::WrongStep(actual)) => Err(Exit::Elsewhere(Outcome::GoTo(actual.path()))),
            Err(Refusal::Expired | Refusal::CodesExhausted | Refusal::AttemptsExhausted) => {
                tracing::info!(event = "flow_expired", ident = %self.ident(flow.login()));
                Err(Exit::Elsewhere(Outcome::End(EndReason::Expired)))
            }
        }
    }

    /// Whether one more `what` fits this identifier's window. Fails
    /// closed: when the store can't count, the step stops here.
    pub async fn within_limit(&self, what: Counted, ident: &str) -> Result<(), PortalError> {
        match self
            .state
            .limiter
            .check(what, ident, self.now.millis())
            .await
        {
            Ok(()) => Ok(()),
            Err(Limited::StoreDown(_)) => Err(PortalError::Unavailable),
            Err(Limited::Wait(wait)) => {
                tracing::warn!(event = "rate_limited", what = ?what, ident);
                metrics::rate_limited(match what {
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
    pub async fn count(&self, what: Counted, ident: &str) -> Result<Option<Lockout>, PortalError> {
        self.state
            .limiter
            .record(what, ident, self.now.millis())
            .await
            .map_err(|_| PortalError::Unavailable)
    }

    /// A refusal after `admit` succeeded means the flow and the page
    /// disagree: treat it as an expired flow rather than guess.
    pub fn refused(&self, refusal: Refusal) -> PortalError {
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
    pub fn burned(&self, ident: &str, lockout: Option<Lockout>) -> Outcome {
        tracing::warn!(event = "flow_burned", ident);
        let minutes = lockout.map_or(0, |l| minutes(until(l.until, self.now.millis())));
        Outcome::End(EndReason::TooManyAttempts { minutes })
    }

    /// Ask upstream to email a code, within the per-identifier budget.
    pub async fn send_code(
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
            Err(err) => Err(gateway::upstream(Endpoint::Reset, ident, &err)),
        }
    }
}

/// The outcome label of a step's decision.
fn outcome_label(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Advance(_) | Outcome::Finish => "advanced",
        Outcome::Stay(_, error) => error.class().label,
        Outcome::End(EndReason::Expired) => "expired",
        Outcome::End(EndReason::TooManyAttempts { .. }) => "burned",
        Outcome::GoTo(path) if *path == EXPIRED_PATH => "expired",
        Outcome::GoTo(_) => "redirected",
    }
}

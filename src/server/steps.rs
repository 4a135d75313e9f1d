//! [ssr] What each server function does, step by step.
//!
//! Each step reads the session, checks the flow admits it, calls the
//! AutoShares client, applies the transition, cycles the session id on
//! success and writes the session. A step for the wrong page redirects to
//! the right one. Successes end with a redirect to the next page, which
//! renders from the session: that is what makes no-JS form posts work.

use std::time::{SystemTime, UNIX_EPOCH};

use leptos::prelude::use_context;
use tokio::sync::SemaphorePermit;

use super::boundary;
use super::identity::{clean_login, decoy_question, ident_hash};
use super::limits::{minutes, until, Counted, Limited};
use super::session::FlowSession;
use super::state::AppState;
use crate::autoshares::error::{AutoSharesError, Unavailable};
use crate::autoshares::secret::{NewPassword, ResetCode, SecretAnswer};
use crate::error::PortalError;
use crate::flow::machine::{Flow, Refusal};
use crate::flow::{PageView, Step, EXPIRED_PATH};
use crate::site::SiteSettings;
use crate::store::counters::now_millis;
use crate::store::Lockout;

/// The upstream code for a wrong secret answer.
const INCORRECT_ANSWER: &str = "ErrorIncorrectAnswer";

/// Everything one step needs.
struct StepContext {
    state: AppState,
    session: FlowSession,
    now: u64,
}

impl StepContext {
    async fn current() -> Result<Self, PortalError> {
        let state = use_context::<AppState>().ok_or_else(|| {
            tracing::error!(event = "app_state_missing");
            PortalError::Unavailable
        })?;
        let session = FlowSession::current().await?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        Ok(Self {
            state,
            session,
            now,
        })
    }

    fn ident(&self, login: &str) -> String {
        ident_hash(&self.state.hmac_key.0, login)
    }

    /// The flow, if it may serve `step` now. Otherwise the trader has been
    /// redirected (wrong step, expired or no flow) and `None` comes back.
    async fn admit(&self, step: Step) -> Result<Option<Flow>, PortalError> {
        let Some(flow) = self.session.flow().await? else {
            redirect(EXPIRED_PATH);
            return Ok(None);
        };
        match flow.admit(step, self.now, &self.state.config.flow_limits) {
            Ok(()) => Ok(Some(flow)),
            Err(Refusal::WrongStep(actual)) => {
                redirect(actual.path());
                Ok(None)
            }
            Err(_) => {
                tracing::info!(event = "flow_expired", ident = %self.ident(flow.login()));
                self.session.end_because(PortalError::SessionExpired).await;
                redirect(EXPIRED_PATH);
                Ok(None)
            }
        }
    }

    /// One of the bounded upstream slots (SECURITY.md #15).
    async fn upstream_slot(&self) -> Result<SemaphorePermit<'_>, PortalError> {
        self.state
            .upstream_permits
            .acquire()
            .await
            .map_err(|_| PortalError::Unavailable)
    }

    /// Whether one more `what` fits this identifier's window.
    /// Fails closed: when the store can't count, the step stops here.
    async fn within_limit(&self, what: Counted, ident: &str) -> Result<(), PortalError> {
        match self.state.limiter.check(what, ident, now_millis()).await {
            Ok(()) => Ok(()),
            Err(Limited::StoreDown(_)) => Err(PortalError::Unavailable),
            Err(Limited::Wait(wait)) => {
                tracing::warn!(event = "rate_limited", what = ?what, ident);
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
}

impl StepContext {
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
}

fn redirect(path: &str) {
    leptos_axum::redirect(path);
}

/// The deployment's settings, as every page shows them.
pub async fn site_settings() -> Result<SiteSettings, PortalError> {
    let state = use_context::<AppState>().ok_or(PortalError::Unavailable)?;
    let config = &state.config;
    Ok(SiteSettings {
        broker_name: config.broker_name.clone(),
        logo_url: config.logo_url.clone(),
        sign_in_url: config.sign_in_url.clone(),
        sandbox: config.is_sandbox(),
        policy: config.policy,
    })
}

/// What a page renders. Never runs an upstream call.
pub async fn load_page(step: Step) -> Result<PageView, PortalError> {
    let ctx = StepContext::current().await?;
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
    let ctx = StepContext::current().await?;
    if let Some(flow) = ctx.session.flow().await? {
        // A flow is already under way in this session: go back to it.
        if ctx.admit(flow.step()).await?.is_some() {
            redirect(flow.step().path());
        }
        return Ok(());
    }
    let login = match clean_login(&login) {
        Ok(login) => login,
        Err(err) => {
            ctx.session.set_draft_login(login.trim()).await;
            return Err(err);
        }
    };
    let ident = ctx.ident(&login);
    let config = &ctx.state.config;
    let flow = {
        let _slot = ctx.upstream_slot().await?;
        match ctx.state.client.secret_question(&login).await {
            Ok(Some(question)) => Flow::asked(login.clone(), question, false, ctx.now),
            Ok(None) => {
                if let Err(err) = send_code(&ctx, &login, &ident, None).await {
                    ctx.session.set_draft_login(&login).await;
                    return Err(err);
                }
                Flow::code_sent_without_question(login.clone(), false, ctx.now)
            }
            Err(AutoSharesError::Rejected { codes, .. }) => {
                // Most likely an unknown login. Answer exactly as for a
                // known one (SECURITY.md #16, #17).
                tracing::info!(event = "lookup_rejected", ident = %ident, codes = ?codes);
                if config.decoy_questions {
                    let question = decoy_question(&ctx.state.hmac_key.0, &login);
                    Flow::asked(login.clone(), question, true, ctx.now)
                } else {
                    // A known login without a question has a code sent now.
                    as_long_as(&ctx, "reset").await;
                    Flow::code_sent_without_question(login.clone(), true, ctx.now)
                }
            }
            Err(err) => {
                ctx.session.set_draft_login(&login).await;
                return Err(boundary::upstream("secret_question", &ident, &err));
            }
        }
    };
    tracing::info!(event = "flow_started", ident = %ident, step = ?flow.step());
    ctx.session.advance(&flow).await?;
    redirect(flow.step().path());
    Ok(())
}

/// Ask upstream to email a code, within the per-identifier budget.
async fn send_code(
    ctx: &StepContext,
    login: &str,
    ident: &str,
    answer: Option<&SecretAnswer>,
) -> Result<(), PortalError> {
    ctx.within_limit(Counted::CodeEmail, ident).await?;
    match ctx.state.client.request_reset(login, answer).await {
        Ok(()) => {
            ctx.count(Counted::CodeEmail, ident).await?;
            Ok(())
        }
        Err(err) => Err(boundary::upstream("reset", ident, &err)),
    }
}

/// Step 2: the answer to the secret question.
pub async fn submit_answer(answer: String) -> Result<(), PortalError> {
    let ctx = StepContext::current().await?;
    let Some(flow) = ctx.admit(Step::Question).await? else {
        return Ok(());
    };
    if answer.trim().is_empty() {
        return Err(PortalError::AnswerMissing);
    }
    let ident = ctx.ident(flow.login());
    ctx.within_limit(Counted::WrongAnswer, &ident).await?;
    let answer = SecretAnswer::new(answer);
    ctx.within_limit(Counted::CodeEmail, &ident).await?;
    let outcome = {
        let _slot = ctx.upstream_slot().await?;
        ctx.state
            .client
            .request_reset(flow.login(), Some(&answer))
            .await
    };
    // A decoy (unknown login) makes the very same call, so neither the
    // timing nor the answer tells it from a known login answered wrongly
    // (SECURITY.md #17); upstream's "no such user" reads as a wrong answer.
    let wrong_answer = |err: &AutoSharesError| {
        err.has_code(INCORRECT_ANSWER)
            || (flow.is_decoy() && matches!(err, AutoSharesError::Rejected { .. }))
    };
    match outcome {
        Ok(()) => {
            ctx.count(Counted::CodeEmail, &ident).await?;
            let flow = flow.answered(answer, ctx.now).map_err(|r| ctx.refused(r))?;
            tracing::info!(event = "answer_accepted", ident = %ident);
            ctx.session.advance(&flow).await?;
            redirect(Step::Code.path());
            Ok(())
        }
        Err(err) if wrong_answer(&err) => {
            let lockout = ctx.count(Counted::WrongAnswer, &ident).await?;
            tracing::info!(event = "answer_rejected", ident = %ident);
            let limits = ctx.state.config.flow_limits;
            match (lockout, flow.answer_rejected(ctx.now, &limits)) {
                (None, Ok(flow)) => {
                    ctx.session.keep(&flow).await?;
                    Err(PortalError::WrongAnswer)
                }
                (lockout, _) => burned(&ctx, &ident, lockout).await,
            }
        }
        Err(err) => {
            ctx.session.keep(&flow.touched(ctx.now)).await?;
            Err(boundary::upstream("reset", &ident, &err))
        }
    }
}

/// Step 3: the emailed code, exchanged for the reset token.
pub async fn submit_code(code: String) -> Result<(), PortalError> {
    let ctx = StepContext::current().await?;
    let Some(flow) = ctx.admit(Step::Code).await? else {
        return Ok(());
    };
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if code.is_empty() {
        return Err(PortalError::CodeMissing);
    }
    let ident = ctx.ident(flow.login());
    let well_formed = code.len() <= 12 && code.chars().all(|c| c.is_ascii_alphanumeric());
    let outcome = if !well_formed {
        Err(None)
    } else if flow.is_decoy() {
        as_long_as(&ctx, "code").await;
        Err(None)
    } else {
        let _slot = ctx.upstream_slot().await?;
        ctx.state
            .client
            .exchange_code(&ResetCode::new(code))
            .await
            .map_err(Some)
    };
    match outcome {
        Ok(token) => {
            let flow = flow
                .code_accepted(token, ctx.now)
                .map_err(|r| ctx.refused(r))?;
            tracing::info!(event = "code_accepted", ident = %ident);
            ctx.session.advance(&flow).await?;
            redirect(Step::Password.path());
            Ok(())
        }
        Err(None | Some(AutoSharesError::Rejected { .. })) => {
            tracing::info!(event = "code_rejected", ident = %ident);
            match flow.code_rejected(ctx.now, &ctx.state.config.flow_limits) {
                Ok(flow) => {
                    ctx.session.keep(&flow).await?;
                    Err(PortalError::WrongCode)
                }
                Err(_) => burned(&ctx, &ident, None).await,
            }
        }
        Err(Some(err)) => {
            ctx.session.keep(&flow.touched(ctx.now)).await?;
            Err(boundary::upstream("code", &ident, &err))
        }
    }
}

/// Step 3's other action: email a new code.
pub async fn resend_code() -> Result<(), PortalError> {
    let ctx = StepContext::current().await?;
    let Some(flow) = ctx.admit(Step::Code).await? else {
        return Ok(());
    };
    let limits = ctx.state.config.flow_limits;
    let ident = ctx.ident(flow.login());
    let (login, answer) = flow
        .resend_request(&limits)
        .map(|(login, answer)| (login.to_string(), answer.cloned()))
        .map_err(|r| ctx.refused(r))?;
    if flow.is_decoy() {
        as_long_as(&ctx, "reset").await;
    } else {
        let _slot = ctx.upstream_slot().await?;
        if let Err(err) = send_code(&ctx, &login, &ident, answer.as_ref()).await {
            ctx.session.keep(&flow.touched(ctx.now)).await?;
            return Err(err);
        }
    }
    let flow = flow
        .code_resent(ctx.now, &limits)
        .map_err(|r| ctx.refused(r))?;
    tracing::info!(event = "code_resent", ident = %ident, codes_sent = flow.codes_sent());
    ctx.session.advance(&flow).await?;
    redirect(Step::Code.path());
    Ok(())
}

/// Step 4: the new password, checked here first, then set upstream.
pub async fn submit_password(password: String, confirmation: String) -> Result<(), PortalError> {
    let ctx = StepContext::current().await?;
    let Some(flow) = ctx.admit(Step::Password).await? else {
        return Ok(());
    };
    let config = &ctx.state.config;
    config.policy.check(
        &password,
        &confirmation,
        &[flow.login(), config.broker_name.as_str()],
    )?;
    let ident = ctx.ident(flow.login());
    let token = flow.token().map_err(|r| ctx.refused(r))?;
    let outcome = {
        let _slot = ctx.upstream_slot().await?;
        ctx.state
            .client
            .set_password(
                token,
                &NewPassword::new(password),
                &NewPassword::new(confirmation),
            )
            .await
    };
    match outcome {
        Ok(()) => {
            flow.password_changed().map_err(|r| ctx.refused(r))?;
            tracing::info!(event = "password_changed", ident = %ident);
            ctx.session.finish().await?;
            redirect(Step::Done.path());
            Ok(())
        }
        Err(AutoSharesError::Rejected { codes, .. }) => {
            tracing::info!(event = "password_rejected", ident = %ident, codes = ?codes);
            ctx.session.keep(&flow.touched(ctx.now)).await?;
            Err(PortalError::PasswordRejected)
        }
        Err(AutoSharesError::Unavailable(Unavailable::Timeout)) => {
            // The change may or may not have happened upstream: never
            // claim success (SECURITY.md #27).
            tracing::warn!(event = "password_status_unknown", ident = %ident);
            ctx.session.keep(&flow.touched(ctx.now)).await?;
            Err(PortalError::StatusUnknown)
        }
        Err(err) => {
            ctx.session.keep(&flow.touched(ctx.now)).await?;
            Err(boundary::upstream("password", &ident, &err))
        }
    }
}

/// Throw the flow away and go back to step 1.
pub async fn start_over() -> Result<(), PortalError> {
    let ctx = StepContext::current().await?;
    ctx.session.end().await;
    redirect(Step::Start.path());
    Ok(())
}

/// A decoy flow (unknown login) skips an upstream call a known login would
/// make; it waits as long as that call usually takes instead, so timing
/// doesn't tell them apart (SECURITY.md #17).
async fn as_long_as(ctx: &StepContext, endpoint: &'static str) {
    tokio::time::sleep(ctx.state.client.typical_latency(endpoint)).await;
}

/// Too many wrong answers or codes: the flow is destroyed and the trader
/// sent to the page that says why. With a lockout, the page says how long
/// it lasts; a flow burned by wrong codes alone can start again at once.
async fn burned(
    ctx: &StepContext,
    ident: &str,
    lockout: Option<Lockout>,
) -> Result<(), PortalError> {
    tracing::warn!(event = "flow_burned", ident);
    let minutes = lockout.map_or(0, |l| minutes(until(l.until, now_millis())));
    ctx.session
        .end_because(PortalError::TooManyAttempts { minutes })
        .await;
    redirect(EXPIRED_PATH);
    Ok(())
}

/// Why the last flow ended early, for the expired page.
pub async fn ended_reason() -> Result<PortalError, PortalError> {
    let ctx = StepContext::current().await?;
    Ok(ctx
        .session
        .ended_because()
        .await
        .unwrap_or(PortalError::SessionExpired))
}

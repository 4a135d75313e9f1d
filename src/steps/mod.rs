//! [ssr] What each server function does, step by step: one file per step,
//! mirroring `src/pages/`.
//!
//! A step reads the session, asks the flow whether it may run, makes its
//! upstream call through the [`gateway`], and decides an [`outcome::Outcome`]:
//! advance, stay with an error, end the flow, finish, or go elsewhere. One
//! function, [`outcome::StepContext::conclude`], carries every outcome out:
//! the session write, the id rotation, the redirect. So no step can forget
//! one of them. Successes end with a redirect to the next page, which
//! renders from the session: that is what makes no-JS form posts work.

pub mod breached;
pub mod challenge;
pub mod code;
pub mod gateway;
pub mod identity;
pub mod login;
pub mod outcome;
pub mod password;
pub mod question;
pub mod seal;
pub mod session;
#[cfg(test)]
mod tests;

use outcome::{Action, Decision, Outcome, StepContext};
use session::FlowSession;

use crate::error::PortalError;
use crate::flow::machine::Refusal;
use crate::flow::{ChallengeView, EndReason, PageView, Step, EXPIRED_PATH};
use crate::state::AppState;
use crate::store::limits::ClientNet;

pub use code::{resend_code, submit_code};
pub use login::submit_login;
pub use password::submit_password;
pub use question::submit_answer;

/// What a step page renders, read before it renders (`http::page_data`).
/// Never runs an upstream call.
pub async fn load_page(
    state: AppState,
    session: FlowSession,
    step: Step,
    net: Option<ClientNet>,
) -> Result<PageView, PortalError> {
    let now = outcome::Now::read();
    let mut view = PageView::default();
    let flow = session.flow().await?;
    match (step, flow) {
        (Step::Done, _) if session.is_done().await => {}
        (Step::Start | Step::Done, None) => {
            if step == Step::Done {
                view.redirect_to = Some(Step::Start.path().into());
            }
            view.draft_login = session.draft_login().await;
        }
        (_, Some(flow)) => match flow.admit(step, now.secs(), &state.config.flow_limits) {
            Ok(()) => {
                view.login = Some(flow.login().to_string());
                view.question = flow.question().map(str::to_string);
                view.codes_sent = flow.codes_sent();
                view.password_sent = flow.password_sent();
            }
            Err(Refusal::WrongStep(actual)) => view.redirect_to = Some(actual.path().into()),
            Err(Refusal::Expired | Refusal::AttemptsExhausted | Refusal::CodesExhausted) => {
                session.end_because(EndReason::Expired).await;
                view.redirect_to = (step != Step::Start).then(|| EXPIRED_PATH.into());
            }
        },
        (Step::Question | Step::Code | Step::Password, None) if session.is_done().await => {
            view.redirect_to = Some(Step::Done.path().into());
        }
        (_, None) => view.redirect_to = Some(EXPIRED_PATH.into()),
    }
    if view.redirect_to.is_none() {
        let login = view.login.as_deref().or(view.draft_login.as_deref());
        view.challenge = challenge_for(&state, step, login, net, now).await;
    }
    Ok(view)
}

/// The proof of work a step's page carries: when a budget its posts will
/// spend (for this login, this network, the portal) is close to spent
/// (security: `proof-of-work`). A store that can't answer asks for none
/// here; the post, which fails closed, then says so.
async fn challenge_for(
    state: &AppState,
    step: Step,
    login: Option<&str>,
    net: Option<ClientNet>,
    now: outcome::Now,
) -> Option<ChallengeView> {
    let net = net?;
    let policy = &state.challenges.policy;
    if policy.at_percent == 0 {
        return None;
    }
    // The start page before a login was typed is the same for everyone
    // (kept in memory and served with a CSP that allows no script:
    // `http::memo`): it never carries a challenge. A post refused for want
    // of one comes back to it with its login, and then it does.
    let ident = identity::ident_hash(state.hmac_key.expose(), login?);
    let asks: Vec<_> = outcome::spends(step)
        .iter()
        .flat_map(|&spend| outcome::asks(spend, &ident, net))
        .collect();
    if asks.is_empty() {
        return None;
    }
    let pressure = state
        .limiter
        .pressure(&asks, policy, now.millis())
        .await
        .ok()??;
    state.challenges.view(pressure, now.millis())
}

/// Throw the flow away and go back to step 1.
pub async fn start_over() -> Result<(), PortalError> {
    let mut ctx = StepContext::current().await?;
    let decision = decide(&ctx).await;
    ctx.conclude(Action::StartOver, decision).await
}

async fn decide(ctx: &StepContext) -> Decision {
    ctx.session.end().await;
    Ok(Outcome::GoTo(Step::Start.path()))
}

//! [ssr] Step 3: the emailed code, exchanged for the reset token; and
//! its other action, sending a new code.

use super::gateway;
use super::outcome::{Action, Decision, Outcome, Spend, StepContext};
use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::error::AutoSharesError;
use crate::autoshares::secret::ResetCode;
use crate::error::PortalError;
use crate::flow::machine::Refusal;
use crate::flow::Step;
use crate::store::limits::Verdict;

/// Step 3: the emailed code, exchanged for the reset token.
pub async fn submit_code(code: String) -> Result<(), PortalError> {
    let mut ctx = StepContext::current().await?;
    let decision = decide(&ctx, code).await;
    ctx.conclude(Action::Code, decision).await
}

pub(crate) async fn decide(ctx: &StepContext, code: String) -> Decision {
    let flow = ctx.admit(Step::Code).await?;
    let code = ResetCode::parse(&code)?;
    let ident = ctx.ident(flow.login());
    let outcome = match code {
        // Can't be a code: a wrong guess, without asking AutoShares.
        None => {
            ctx.count_as(Spend::CodeGuess, &ident, Verdict::Rejected)
                .await?;
            Err(None)
        }
        // A decoy's code is always wrong: spent and timed like a real one.
        Some(_) if flow.is_decoy() => {
            ctx.skip(Endpoint::Code, Spend::CodeGuess, &ident, Verdict::Rejected)
                .await?;
            Err(None)
        }
        Some(code) => ctx
            .call(
                Endpoint::Code,
                Spend::CodeGuess,
                &ident,
                ctx.state.client.exchange_code(&code),
            )
            .await?
            .0
            .map_err(Some),
    };
    match outcome {
        Ok(token) => {
            let flow = flow
                .code_accepted(token, ctx.now.secs())
                .map_err(|r| ctx.refused(r))?;
            tracing::info!(event = "code_accepted", ident = %ident);
            Ok(Outcome::Advance(flow))
        }
        Err(None | Some(AutoSharesError::Rejected { .. })) => {
            tracing::info!(event = "code_rejected", ident = %ident);
            Ok(
                match flow.code_rejected(ctx.now.secs(), &ctx.state.config.flow_limits) {
                    Ok(flow) => Outcome::Stay(flow, PortalError::WrongCode),
                    Err(
                        Refusal::AttemptsExhausted
                        | Refusal::CodesExhausted
                        | Refusal::Expired
                        | Refusal::WrongStep(_),
                    ) => ctx.burned(&ident, None),
                },
            )
        }
        Err(Some(err)) => Ok(Outcome::Stay(
            flow.touched(ctx.now.secs()),
            gateway::upstream(Endpoint::Code, &ident, &err),
        )),
    }
}

/// Step 3's other action: email a new code.
pub async fn resend_code() -> Result<(), PortalError> {
    let mut ctx = StepContext::current().await?;
    let decision = decide_resend(&ctx).await;
    ctx.conclude(Action::ResendCode, decision).await
}

pub(crate) async fn decide_resend(ctx: &StepContext) -> Decision {
    let flow = ctx.admit(Step::Code).await?;
    let limits = ctx.state.config.flow_limits;
    let ident = ctx.ident(flow.login());
    let (login, answer) = flow
        .resend_request(&limits)
        .map(|(login, answer)| (login.to_string(), answer.cloned()))
        .map_err(|r| ctx.refused(r))?;
    let sent = if flow.is_decoy() {
        ctx.skip(Endpoint::Reset, Spend::CodeEmail, &ident, Verdict::Accepted)
            .await
            .map(drop)
    } else {
        ctx.send_code(&login, &ident, answer.as_ref()).await
    };
    if let Err(err) = sent {
        return Ok(Outcome::Stay(flow.touched(ctx.now.secs()), err));
    }
    let flow = flow
        .code_resent(ctx.now.secs(), &limits)
        .map_err(|r| ctx.refused(r))?;
    tracing::info!(event = "code_resent", ident = %ident, codes_sent = flow.codes_sent());
    Ok(Outcome::Advance(flow))
}

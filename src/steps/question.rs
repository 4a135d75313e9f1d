//! [ssr] Step 2: the answer to the secret question, sent with the reset
//! request (step B), which emails the code.

use super::gateway;
use super::outcome::{Action, Decision, Outcome, StepContext};
use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::error::AutoSharesError;
use crate::autoshares::secret::SecretAnswer;
use crate::error::PortalError;
use crate::flow::Step;
use crate::store::limits::Counted;

/// The upstream code for a wrong secret answer.
const INCORRECT_ANSWER: &str = "ErrorIncorrectAnswer";

/// Step 2: the answer to the secret question.
pub async fn submit_answer(answer: String) -> Result<(), PortalError> {
    let ctx = StepContext::current().await?;
    let decision = decide(&ctx, answer).await;
    ctx.conclude(Action::Answer, decision).await
}

pub(crate) async fn decide(ctx: &StepContext, answer: String) -> Decision {
    let flow = ctx.admit(Step::Question).await?;
    let answer = SecretAnswer::parse(answer)?;
    let ident = ctx.ident(flow.login());
    ctx.within_limit(Counted::WrongAnswer, &ident).await?;
    ctx.within_limit(Counted::CodeEmail, &ident).await?;
    let client = &ctx.state.client;
    let outcome = ctx
        .state
        .gateway
        .call(
            Endpoint::Reset,
            client.request_reset(flow.login(), Some(&answer)),
        )
        .await?;
    // A decoy (unknown login) makes the very same call, so neither the
    // timing nor the answer tells it from a known login answered
    // wrongly (security: `uniform-wrong-answer`); upstream's "no such user" reads as a
    // wrong answer.
    let wrong_answer = |err: &AutoSharesError| {
        err.has_code(INCORRECT_ANSWER)
            || (flow.is_decoy() && matches!(err, AutoSharesError::Rejected { .. }))
    };
    match outcome {
        Ok(()) => {
            ctx.count(Counted::CodeEmail, &ident).await?;
            let flow = flow
                .answered(answer, ctx.now.secs())
                .map_err(|r| ctx.refused(r))?;
            tracing::info!(event = "answer_accepted", ident = %ident);
            Ok(Outcome::Advance(flow))
        }
        Err(err) if wrong_answer(&err) => {
            let lockout = ctx.count(Counted::WrongAnswer, &ident).await?;
            tracing::info!(event = "answer_rejected", ident = %ident);
            let limits = ctx.state.config.flow_limits;
            Ok(
                match (lockout, flow.answer_rejected(ctx.now.secs(), &limits)) {
                    (None, Ok(flow)) => Outcome::Stay(flow, PortalError::WrongAnswer),
                    (lockout, _) => ctx.burned(&ident, lockout),
                },
            )
        }
        Err(err) => Ok(Outcome::Stay(
            flow.touched(ctx.now.secs()),
            gateway::upstream(Endpoint::Reset, &ident, &err),
        )),
    }
}

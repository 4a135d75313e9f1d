//! [ssr] Step 2: the answer to the secret question, sent with the reset
//! request (step B), which emails the code.

use super::gateway;
use super::outcome::{Action, Decision, Outcome, Spend, StepContext};
use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::error::AutoSharesError;
use crate::autoshares::secret::SecretAnswer;
use crate::error::PortalError;
use crate::flow::Step;

/// Step 2: the answer to the secret question.
pub async fn submit_answer(answer: String) -> Result<(), PortalError> {
    let mut ctx = StepContext::current().await?;
    let decision = decide(&ctx, answer).await;
    ctx.conclude(Action::Answer, decision).await
}

pub(crate) async fn decide(ctx: &StepContext, answer: String) -> Decision {
    let flow = ctx.admit(Step::Question).await?;
    let answer = SecretAnswer::parse(answer)?;
    let ident = ctx.ident(flow.login());
    let client = &ctx.state.client;
    let (outcome, settled) = ctx
        .call(
            Endpoint::Reset,
            Spend::AnswerOrCodeEmail,
            &ident,
            client.request_reset(flow.login(), Some(&answer)),
        )
        .await?;
    // Every refusal of step B is a wrong answer: `ErrorIncorrectAnswer`,
    // the docs' bare `{"Errors":[],"IsSucceed":false}`, an unknown login
    // (a decoy makes the very same call). So the budget, the timing and
    // the message are the same for all of them (security:
    // `uniform-wrong-answer`).
    match outcome {
        Ok(()) => {
            let flow = flow
                .answered(answer, ctx.now.secs())
                .map_err(|r| ctx.refused(r))?;
            tracing::info!(event = "answer_accepted", ident = %ident);
            Ok(Outcome::Advance(flow))
        }
        Err(AutoSharesError::Rejected { codes, .. }) => {
            tracing::info!(event = "answer_rejected", ident = %ident, codes = ?codes);
            let limits = ctx.state.config.flow_limits;
            Ok(
                match (
                    settled.lockout,
                    flow.answer_rejected(ctx.now.secs(), &limits),
                ) {
                    (None, Ok(flow)) => Outcome::Stay(flow, PortalError::WrongAnswer),
                    (lockout, _) => ctx.burned(&ident, lockout),
                },
            )
        }
        Err(err @ (AutoSharesError::AppKeyRejected | AutoSharesError::Unavailable(_))) => {
            Ok(Outcome::Stay(
                flow.touched(ctx.now.secs()),
                gateway::upstream(Endpoint::Reset, &ident, &err),
            ))
        }
    }
}

//! [ssr] Step 4: the new password, checked here first, then set upstream
//! with the reset token.

use super::gateway;
use super::outcome::{Action, Decision, Outcome, StepContext};
use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::error::{AutoSharesError, Unavailable};
use crate::autoshares::secret::NewPassword;
use crate::error::PortalError;
use crate::flow::Step;

/// Step 4: the new password, checked here first, then set upstream.
pub async fn submit_password(password: String, confirmation: String) -> Result<(), PortalError> {
    let ctx = StepContext::current().await?;
    let decision = decide(&ctx, password, confirmation).await;
    ctx.conclude(Action::Password, decision).await
}

pub(crate) async fn decide(ctx: &StepContext, password: String, confirmation: String) -> Decision {
    let flow = ctx.admit(Step::Password).await?;
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
            ctx.state
                .client
                .set_password(token, &password, &confirmation),
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
            Ok(Outcome::Stay(
                flow.touched(ctx.now.secs()),
                PortalError::PasswordRejected,
            ))
        }
        Err(AutoSharesError::Unavailable(Unavailable::Timeout)) => {
            // The change may or may not have happened upstream: never
            // claim success (security: `keep-progress-on-failure`).
            tracing::warn!(event = "password_status_unknown", ident = %ident);
            Ok(Outcome::Stay(
                flow.touched(ctx.now.secs()),
                PortalError::StatusUnknown,
            ))
        }
        Err(err) => Ok(Outcome::Stay(
            flow.touched(ctx.now.secs()),
            gateway::upstream(Endpoint::Password, &ident, &err),
        )),
    }
}

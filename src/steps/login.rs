//! [ssr] Step 1: the login or email. Looks up the secret question; without
//! one, the code is sent now. An unknown login gets a decoy flow.

use super::gateway;
use super::identity::{decoy_question, Login};
use super::outcome::{Action, Decision, Outcome, Spend, StepContext};
use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::error::AutoSharesError;
use crate::error::PortalError;
use crate::flow::machine::Flow;
use crate::store::limits::Verdict;

/// Step 1: look up the secret question; without one, send the code now.
pub async fn submit_login(login: String) -> Result<(), PortalError> {
    let mut ctx = StepContext::current().await?;
    let decision = decide(&ctx, login).await;
    ctx.conclude(Action::Login, decision).await
}

pub(crate) async fn decide(ctx: &StepContext, login: String) -> Decision {
    if let Some(flow) = ctx.session.flow().await? {
        // A flow is already under way in this session: go back to it.
        let flow = ctx.admit(flow.step()).await?;
        return Ok(Outcome::GoTo(flow.step().path()));
    }
    let login = match Login::parse(&login) {
        Ok(login) => login,
        Err(err) => {
            ctx.session.set_draft_login(login.trim()).await;
            return Err(err.into());
        }
    };
    let started = start_flow(ctx, login.as_str()).await;
    if started.is_err() {
        ctx.session.set_draft_login(login.as_str()).await;
    }
    Ok(started?)
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
        Ok(Some(question)) => Flow::asked(login, question, false, ctx.now.secs()),
        Ok(None) => {
            ctx.send_code(&login, &ident, None).await?;
            Flow::code_sent_without_question(login, false, ctx.now.secs())
        }
        Err(AutoSharesError::Rejected { codes, .. }) => {
            // Most likely an unknown login. Answer exactly as for a known
            // one (security: `decoy-questions`, `uniform-wrong-answer`).
            tracing::info!(event = "lookup_rejected", ident = %ident, codes = ?codes);
            if config.decoy_questions {
                let question =
                    decoy_question(ctx.state.hmac_key.expose(), &login, &ctx.state.decoys);
                Flow::asked(login, question, true, ctx.now.secs())
            } else {
                // A known login without a question has a code sent now:
                // the same budget, the same wait (security:
                // `decoy-off-same-budgets`).
                ctx.skip(Endpoint::Reset, Spend::CodeEmail, &ident, Verdict::Accepted)
                    .await?;
                Flow::code_sent_without_question(login, true, ctx.now.secs())
            }
        }
        Err(err) => return Err(gateway::upstream(Endpoint::SecretQuestion, &ident, &err)),
    };
    tracing::info!(event = "flow_started", ident = %ident, step = ?flow.step());
    Ok(Outcome::Advance(flow))
}

//! [ssr] Step 4: the new password, checked here first, then set upstream
//! with the reset token.

use super::gateway;
use super::identity;
use super::outcome::{Action, Decision, Outcome, StepContext};
use crate::autoshares::client::SignIn;
use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::error::{AutoSharesError, Unavailable};
use crate::autoshares::secret::NewPassword;
use crate::config::Config;
use crate::error::PortalError;
use crate::flow::machine::SentDigest;
use crate::flow::Step;
use crate::password_policy::strength;

/// Step 4: the new password, checked here first, then set upstream.
pub async fn submit_password(password: String, confirmation: String) -> Result<(), PortalError> {
    let mut ctx = StepContext::current().await?;
    let decision = decide(&ctx, password, confirmation).await;
    ctx.conclude(Action::Password, decision).await
}

pub(crate) async fn decide(ctx: &StepContext, password: String, confirmation: String) -> Decision {
    let flow = ctx.admit(Step::Password).await?;
    if let Some(sent) = flow.sent_digest() {
        // Sent once already (a lost answer, a balancer's retry, a second
        // tab): never a second PUT. A repeat of the very password that
        // went, which signs in, proves the change: done. Anything else
        // gets the page that says where the trader stands.
        let same = *sent == sent_digest(ctx, &password);
        if same && signs_in(ctx, flow.login(), &password).await == SignInCheck::Signed {
            tracing::info!(event = "password_change_confirmed_on_repeat", ident = %ctx.ident(flow.login()));
            return Ok(Outcome::Finish);
        }
        return Ok(Outcome::GoTo(Step::Password.path()));
    }
    let config = &ctx.state.config;
    config.policy.check(
        &password,
        &confirmation,
        &[flow.login(), config.broker_name.as_str()],
    )?;
    let ident = ctx.ident(flow.login());
    guessable(&password, flow.login(), config).await?;
    if let Some(check) = &ctx.state.breach_check {
        check.check(&password, &ident).await?;
    }
    let now = ctx.now.secs();
    let token = flow.token().map_err(|r| ctx.refused(r))?;
    // Saved before the PUT: whatever happens to its answer, a trader who
    // comes back is told to try signing in (security: `password-put-recorded`).
    let sent = flow
        .sending_password(sent_digest(ctx, &password), now)
        .map_err(|r| ctx.refused(r))?;
    ctx.record(&sent).await?;
    let (password, confirmation) = (NewPassword::new(password), NewPassword::new(confirmation));
    let called = ctx
        .state
        .gateway
        .call(
            Endpoint::Password,
            ctx.state
                .client
                .set_password(token, &password, &confirmation),
        )
        .await;
    let outcome = match called {
        Ok(outcome) => outcome,
        // Refused before anything went out (every upstream slot busy):
        // the token is untouched, the form comes back.
        Err(error) => return Ok(Outcome::Stay(flow.touched(now), error)),
    };
    match outcome {
        Ok(()) => {
            tracing::info!(event = "password_changed", ident = %ident);
            if !landed_here(ctx, flow.login(), &password, &ident).await {
                // The code belonged to another trader: this flow's trader
                // must not read "done" (security: `wrong-code-budgets`).
                return Ok(Outcome::Advance(sent));
            }
            flow.password_changed().map_err(|r| ctx.refused(r))?;
            Ok(Outcome::Finish)
        }
        Err(AutoSharesError::Rejected { codes, .. }) => {
            // AutoShares refused this password and kept the token.
            tracing::info!(event = "password_rejected", ident = %ident, codes = ?codes);
            Ok(Outcome::Stay(
                flow.touched(now),
                PortalError::PasswordRejected,
            ))
        }
        Err(AutoSharesError::Unavailable(
            Unavailable::Timeout
            | Unavailable::ServerError(_)
            | Unavailable::Redirect(_)
            | Unavailable::NotJson
            | Unavailable::UnexpectedShape
            | Unavailable::TooLarge
            | Unavailable::Other,
        )) => {
            // The PUT was sent: the change may or may not have happened
            // upstream. Never claim success, never offer the spent token
            // again (security: `keep-progress-on-failure`).
            tracing::warn!(event = "password_status_unknown", ident = %ident);
            Ok(Outcome::Advance(sent))
        }
        Err(
            err @ (AutoSharesError::AppKeyRejected
            | AutoSharesError::Unavailable(Unavailable::Connect)),
        ) => {
            // Nothing was done at AutoShares: the token is unspent, the
            // form comes back.
            Ok(Outcome::Stay(
                flow.touched(now),
                gateway::upstream(Endpoint::Password, &ident, &err),
            ))
        }
    }
}

/// zxcvbn's judgement (`password_min_score`), with the words an attacker
/// knows: the login, its local part when it is an email, the broker's
/// name. Run off the async threads: a long password takes zxcvbn a few
/// milliseconds.
async fn guessable(password: &str, login: &str, config: &Config) -> Result<(), PortalError> {
    let min_score = config.password_min_score;
    if min_score == 0 {
        return Ok(());
    }
    let words: Vec<String> = [
        login,
        login.split('@').next().unwrap_or_default(),
        config.broker_name.as_str(),
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    let password = password.to_string();
    let judged = tokio::task::spawn_blocking(move || {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        strength::estimate(&password, &words, min_score)
    })
    .await
    .map_err(|_| PortalError::Unavailable)?;
    judged.map_err(|feedback| PortalError::PasswordTooWeak { feedback })
}

/// The keyed digest of a new password, kept while its PUT's outcome is
/// unknown. A password's own HMAC with the portal's key: no password,
/// and nothing an attacker without the key can test guesses against.
fn sent_digest(ctx: &StepContext, password: &str) -> SentDigest {
    let digest = identity::keyed(ctx.state.hmac_key.expose(), "sent-password", password);
    SentDigest(hex::encode(digest))
}

/// What one sign-in at the flow's own login with the new password said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SignInCheck {
    /// `/token` accepted it (200, or 202 asking for a second factor).
    Signed,
    /// `/token` refused it, for an ASCII password (proof it is not set).
    Refused,
    /// Nothing proven: the check is off, AutoShares couldn't be asked, or
    /// the password is not ASCII (see [`signs_in`]).
    Unknown,
}

/// Sign in once at `login` with `password` (AutoShares' `/token`), when
/// `confirm_reset_sign_in` allows.
async fn signs_in(ctx: &StepContext, login: &str, password: &str) -> SignInCheck {
    if !ctx.state.config.confirm_reset_sign_in {
        return SignInCheck::Unknown;
    }
    let sign_in = ctx
        .state
        .gateway
        .call(
            Endpoint::Token,
            ctx.state.client.sign_in(login, password, None),
        )
        .await;
    match sign_in {
        Ok(Ok(SignIn::Succeeded | SignIn::Expecting { .. })) => SignInCheck::Signed,
        // `/token` takes the password in a header, where bytes past ASCII
        // are read differently by different servers: a refusal proves
        // nothing. Logged, not alarmed (see the README's limits).
        Ok(Ok(SignIn::Failed)) if !password.is_ascii() => {
            tracing::warn!(
                event = "reset_unconfirmed",
                ident = %ctx.ident(login),
                reason = "password_not_ascii"
            );
            SignInCheck::Unknown
        }
        Ok(Ok(SignIn::Failed)) => SignInCheck::Refused,
        Ok(Err(err)) => {
            tracing::warn!(event = "reset_unconfirmed", ident = %ctx.ident(login), error = %err);
            SignInCheck::Unknown
        }
        Err(_) => {
            tracing::warn!(event = "reset_unconfirmed", ident = %ctx.ident(login));
            SignInCheck::Unknown
        }
    }
}

/// Whether the new password landed on this flow's own login. Step C takes
/// only the code, so a code mailed to another trader resets *their*
/// password; this is where the portal finds out. Only a refusal at
/// `/token` says it landed elsewhere; a check that proves nothing (off,
/// unreachable, non-ASCII) counts as landed.
async fn landed_here(ctx: &StepContext, login: &str, password: &NewPassword, ident: &str) -> bool {
    match signs_in(ctx, login, password.expose()).await {
        SignInCheck::Signed | SignInCheck::Unknown => true,
        SignInCheck::Refused => {
            tracing::error!(
                event = "reset_landed_elsewhere",
                ident,
                net = %ctx.net,
                "a reset code redeemed another trader's reset: their password was changed by this flow"
            );
            crate::telemetry::metrics::reset_landed_elsewhere();
            false
        }
    }
}

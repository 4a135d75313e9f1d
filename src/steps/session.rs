//! [ssr] The flow's place in the server session (tower-sessions).
//!
//! The browser holds only the opaque session cookie. The id is cycled after
//! every successful step, so a superseded cookie no longer finds the flow.

use tower_sessions::Session;

use super::seal::Sealer;
use crate::error::PortalError;
use crate::flow::machine::Flow;
use crate::flow::EndReason;
use crate::store::sessions::FOLLOWED;
use crate::store::SessionBackend;

const FLOW: &str = "flow";
const DRAFT_LOGIN: &str = "draft_login";
const DONE: &str = "done";
const ENDED: &str = "ended";

/// The session, and the sealer the flow passes through on its way to the
/// store and back.
pub struct FlowSession(pub Session, pub Sealer);

impl FlowSession {
    /// The session of the request being served.
    pub async fn current(sealer: Sealer) -> Result<Self, PortalError> {
        leptos_axum::extract::<Session>()
            .await
            .map(|session| Self(session, sealer))
            .map_err(|_| internal("session layer missing"))
    }

    /// The flow, unsealed. One that won't open (sealed with another key,
    /// altered) is no flow: the trader starts again.
    pub async fn flow(&self) -> Result<Option<Flow>, PortalError> {
        self.settle_followed().await;
        let sealed = self
            .0
            .get::<String>(FLOW)
            .await
            .map_err(|_| internal("session store read failed"))?;
        Ok(sealed.and_then(|sealed| {
            let flow = self.1.open::<Flow>(&sealed);
            if flow.is_none() {
                tracing::warn!(event = "flow_unsealable");
            }
            flow
        }))
    }

    /// A step succeeded: new session id, new state. A session that has no
    /// id yet (step 1 from a fresh browser) gets a new one when it is first
    /// saved, so there is nothing to rotate (and no store call to make).
    /// The old id keeps leading to the flow for the store's grace.
    pub async fn advance(&self, flow: &Flow, sessions: &SessionBackend) -> Result<(), PortalError> {
        if self.0.id().is_some() {
            sessions
                .rotate(&self.0)
                .await
                .map_err(|_| internal("session id rotation failed"))?;
        }
        self.keep(flow).await?;
        self.remove(DRAFT_LOGIN).await;
        self.remove(DONE).await;
        self.remove(ENDED).await;
        Ok(())
    }

    /// A step failed but the flow goes on (counters, idle timer).
    pub async fn keep(&self, flow: &Flow) -> Result<(), PortalError> {
        let sealed = self
            .1
            .seal(flow)
            .ok_or_else(|| internal("flow seal failed"))?;
        self.0
            .insert(FLOW, sealed)
            .await
            .map_err(|_| internal("session store write failed"))
    }

    /// Start over, burned or expired flow: nothing of it survives.
    /// The record is deleted; whatever the session holds next is created
    /// under a new id (`store::SessionBackend::create`).
    pub async fn end(&self) {
        if self.0.flush().await.is_err() {
            tracing::error!(event = "session_flush_failed");
        }
    }

    /// The flow ended early (expired, or too many attempts): destroy it,
    /// and remember only why, for the page that explains it.
    pub async fn end_because(&self, reason: EndReason) {
        self.end().await;
        if self.0.insert(ENDED, reason).await.is_err() {
            tracing::warn!(event = "session_write_failed");
        }
    }

    /// Why the last flow ended early, if it did.
    pub async fn ended_because(&self) -> Option<EndReason> {
        self.0.get::<EndReason>(ENDED).await.ok().flatten()
    }

    /// The password was changed: destroy the flow; a fresh session only
    /// remembers that the done page may show. The id rotates like after
    /// any step, so a browser whose answer was lost still reaches "done"
    /// for the grace (its old id leads to this flowless session only).
    pub async fn finish(&self, sessions: &SessionBackend) -> Result<(), PortalError> {
        self.0.clear().await;
        if self.0.id().is_some() {
            sessions
                .rotate(&self.0)
                .await
                .map_err(|_| internal("session id rotation failed"))?;
        }
        self.0
            .insert(DONE, true)
            .await
            .map_err(|_| internal("session store write failed"))
    }

    pub async fn is_done(&self) -> bool {
        matches!(self.0.get::<bool>(DONE).await, Ok(Some(true)))
    }

    /// Keep what the trader typed at step 1 across a failed no-JS post.
    pub async fn set_draft_login(&self, login: &str) {
        if self.0.insert(DRAFT_LOGIN, login).await.is_err() {
            tracing::warn!(event = "session_write_failed");
        }
    }

    pub async fn draft_login(&self) -> Option<String> {
        self.0.get::<String>(DRAFT_LOGIN).await.ok().flatten()
    }

    /// Reached through a rotated id's pointer: the answer sends the cookie
    /// again (security: `rotated-id-grace`).
    async fn settle_followed(&self) {
        if matches!(self.0.get_value(FOLLOWED).await, Ok(Some(_))) {
            self.remove(FOLLOWED).await;
        }
    }

    async fn remove(&self, key: &str) {
        if self.0.remove_value(key).await.is_err() {
            tracing::warn!(event = "session_write_failed");
        }
    }
}

fn internal(what: &'static str) -> PortalError {
    tracing::error!(event = "session_error", what);
    PortalError::Unavailable
}

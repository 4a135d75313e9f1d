//! [ssr] The one way a step reaches AutoShares, and the one place an
//! upstream failure becomes what a trader sees ([`upstream`]): details are
//! logged here with a hashed identifier; the trader gets a fixed
//! `PortalError`.
//!
//! Every upstream call takes one of the bounded in-flight slots
//! (security: `upstream-concurrency-cap`) and, when it got an answer, feeds the moving average
//! of its endpoint's latency. A decoy flow (unknown login) that skips a
//! call a known login would make waits that long instead, so the time to
//! answer doesn't tell them apart (security: `uniform-wrong-answer`). Steps name the
//! endpoint with the typed [`Endpoint`]: a typo can't remove a delay.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::error::AutoSharesError;
use crate::autoshares::latency::Latency;
use crate::error::PortalError;

/// How long a step waits for a free upstream slot before it gives up.
pub const SLOT_WAIT: Duration = Duration::from_secs(5);

/// Upstream calls allowed in flight at once (security: `upstream-concurrency-cap`).
pub const MAX_UPSTREAM_IN_FLIGHT: usize = 32;

#[derive(Clone, Debug)]
pub struct Gateway {
    slots: Arc<Semaphore>,
    latency: Latency,
}

impl Default for Gateway {
    fn default() -> Self {
        Self {
            slots: Arc::new(Semaphore::new(MAX_UPSTREAM_IN_FLIGHT)),
            latency: Latency::default(),
        }
    }
}

impl Gateway {
    /// Make one upstream call to `endpoint` in a slot. `Err` only when no
    /// slot can be had; the call's own outcome comes back inside.
    pub async fn call<T>(
        &self,
        endpoint: Endpoint,
        call: impl Future<Output = Result<T, AutoSharesError>>,
    ) -> Result<Result<T, AutoSharesError>, PortalError> {
        // A flood holds every slot: wait a little, then say "unavailable"
        // rather than hang the trader.
        let _slot = tokio::time::timeout(SLOT_WAIT, self.slots.acquire())
            .await
            .map_err(|_| {
                tracing::warn!(event = "upstream_slots_full", %endpoint);
                PortalError::Unavailable
            })?
            .map_err(|_| PortalError::Unavailable)?;
        let started = Instant::now();
        let outcome = call.await;
        let elapsed = started.elapsed();
        // An answer, even a refusal, is a round trip worth timing; a
        // timeout or a dropped connection is not.
        if !matches!(outcome, Err(AutoSharesError::Unavailable(_))) {
            self.latency.record(endpoint, elapsed);
        }
        let label = match &outcome {
            Ok(_) => "ok",
            Err(AutoSharesError::Rejected { .. }) => "rejected",
            Err(AutoSharesError::AppKeyRejected) => "app_key_rejected",
            Err(AutoSharesError::Unavailable(_)) => "unavailable",
        };
        crate::telemetry::metrics::upstream_call(endpoint, label, elapsed);
        Ok(outcome)
    }

    /// Slots taken by calls in flight now.
    pub fn in_use(&self) -> usize {
        MAX_UPSTREAM_IN_FLIGHT.saturating_sub(self.slots.available_permits())
    }

    /// A decoy skips the call to `endpoint`: wait as long as it usually takes.
    pub async fn skip(&self, endpoint: Endpoint) {
        tokio::time::sleep(self.typical(endpoint)).await;
    }

    pub fn typical(&self, endpoint: Endpoint) -> Duration {
        self.latency.typical(endpoint)
    }
}

/// Map an upstream failure that has no step-specific meaning.
pub fn upstream(endpoint: Endpoint, ident: &str, err: &AutoSharesError) -> PortalError {
    match err {
        AutoSharesError::AppKeyRejected => {
            tracing::error!(
                event = "upstream_app_key_rejected",
                %endpoint,
                "AutoShares rejected the portal's app key: fix AUTOSHARES_APP_KEY; every reset fails until then"
            );
            PortalError::Unavailable
        }
        AutoSharesError::Unavailable(reason) => {
            tracing::warn!(event = "upstream_unavailable", %endpoint, ident, reason = %reason);
            PortalError::Unavailable
        }
        AutoSharesError::Rejected { codes, .. } => {
            tracing::warn!(event = "upstream_rejected", %endpoint, ident, codes = ?codes);
            PortalError::CouldNotStart
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autoshares::error::Unavailable;

    #[tokio::test]
    async fn a_step_gives_up_waiting_for_a_slot_with_unavailable() {
        let gateway = Gateway::default();
        let held = gateway
            .slots
            .clone()
            .acquire_many_owned(MAX_UPSTREAM_IN_FLIGHT as u32)
            .await
            .unwrap();
        let started = Instant::now();
        let called = gateway
            .call(Endpoint::Code, async { Ok::<_, AutoSharesError>(()) })
            .await;
        assert_eq!(called.err(), Some(PortalError::Unavailable));
        let waited = started.elapsed();
        assert!(
            waited >= SLOT_WAIT && waited < SLOT_WAIT + Duration::from_secs(1),
            "{waited:?}"
        );
        drop(held);
        assert!(gateway
            .call(Endpoint::Code, async { Ok::<_, AutoSharesError>(()) })
            .await
            .is_ok());
    }

    #[tokio::test]
    async fn answered_calls_are_timed_and_failures_are_not() {
        let gateway = Gateway::default();
        let answered = gateway
            .call(Endpoint::Code, async {
                tokio::time::sleep(Duration::from_millis(30)).await;
                Ok::<_, AutoSharesError>(())
            })
            .await
            .unwrap();
        assert!(answered.is_ok());
        assert!(gateway.typical(Endpoint::Code) >= Duration::from_millis(30));
        assert_eq!(gateway.typical(Endpoint::Reset), Duration::ZERO);
        let failed = gateway
            .call(Endpoint::Reset, async {
                Err::<(), _>(AutoSharesError::Unavailable(Unavailable::Timeout))
            })
            .await
            .unwrap();
        assert!(failed.is_err());
        assert_eq!(gateway.typical(Endpoint::Reset), Duration::ZERO);
    }
}

//! [ssr] Is the store answering? Every store call reports here; an outage
//! is logged once when it starts (`store_unavailable`) and once when it
//! ends (`store_recovered`, with how many calls failed in between), never
//! once per request.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::{StoreError, STORE_TIMEOUT};

/// The Prometheus counter of failed store calls (described in `telemetry::metrics`).
pub const STORE_ERRORS: &str = "portal_store_errors_total";

#[derive(Debug, Default)]
pub struct Health {
    down: AtomicBool,
    failed_calls: AtomicU64,
}

impl Health {
    /// Run one store call, bounded by [`STORE_TIMEOUT`], and note how it went.
    pub async fn watch<T>(
        &self,
        call: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let outcome = match tokio::time::timeout(STORE_TIMEOUT, call).await {
            Ok(outcome) => outcome,
            Err(_) => Err(StoreError::new("no answer within the store timeout")),
        };
        match &outcome {
            Ok(_) => self.answered(),
            Err(err) => self.failed(err),
        }
        outcome
    }

    pub fn answered(&self) {
        if self.down.swap(false, Ordering::AcqRel) {
            let failed_calls = self.failed_calls.swap(0, Ordering::AcqRel);
            tracing::warn!(event = "store_recovered", failed_calls);
        }
    }

    pub fn failed(&self, err: &StoreError) {
        self.failed_calls.fetch_add(1, Ordering::AcqRel);
        metrics::counter!(STORE_ERRORS).increment(1);
        if !self.down.swap(true, Ordering::AcqRel) {
            tracing::error!(
                event = "store_unavailable",
                reason = %err.0,
                "the state store stopped answering: resets pause (calm page) until it returns"
            );
        }
    }

    /// Whether the last store call failed.
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_outage_flips_once_and_recovers() {
        let health = Health::default();
        assert!(!health.is_down());
        for _ in 0..3 {
            let out: Result<(), _> = health.watch(async { Err(StoreError::new("x")) }).await;
            assert!(out.is_err());
        }
        assert!(health.is_down());
        assert_eq!(health.failed_calls.load(Ordering::Acquire), 3);
        health.watch(async { Ok(()) }).await.unwrap();
        assert!(!health.is_down());
        assert_eq!(health.failed_calls.load(Ordering::Acquire), 0);
    }
}

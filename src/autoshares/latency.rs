//! [ssr] How long each AutoShares endpoint usually takes to answer.
//!
//! Steps that skip the upstream call for an unknown login (a decoy flow)
//! wait this long instead, so the time to answer doesn't tell an unknown
//! login from a known one (security: `uniform-wrong-answer`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::endpoints::Endpoint;

/// Weight of the newest sample in the moving average.
const WEIGHT: f64 = 0.2;

#[derive(Clone, Debug, Default)]
pub struct Latency(Arc<Mutex<HashMap<Endpoint, f64>>>);

impl Latency {
    /// One answered call to `endpoint`.
    pub fn record(&self, endpoint: Endpoint, took: Duration) {
        if let Ok(mut averages) = self.0.lock() {
            let sample = took.as_secs_f64();
            averages
                .entry(endpoint)
                .and_modify(|avg| *avg += WEIGHT * (sample - *avg))
                .or_insert(sample);
        }
    }

    /// The moving average for `endpoint`; zero before its first call.
    pub fn typical(&self, endpoint: Endpoint) -> Duration {
        self.0
            .lock()
            .ok()
            .and_then(|averages| averages.get(&endpoint).copied())
            .map(Duration::from_secs_f64)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_average_follows_the_samples_per_endpoint() {
        let latency = Latency::default();
        assert_eq!(latency.typical(Endpoint::Code), Duration::ZERO);
        latency.record(Endpoint::Code, Duration::from_millis(100));
        assert_eq!(latency.typical(Endpoint::Code), Duration::from_millis(100));
        for _ in 0..50 {
            latency.record(Endpoint::Code, Duration::from_millis(300));
        }
        let typical = latency.typical(Endpoint::Code).as_millis();
        assert!((295..=300).contains(&typical), "{typical}");
        assert_eq!(latency.typical(Endpoint::Reset), Duration::ZERO);
    }
}

//! [ssr] Prometheus metric recorders: a leaf any module may call.
//! The operators' listener that serves them is `http::ops`.
//!
//! The `metrics` facade records; `metrics-exporter-prometheus` renders the
//! text format. `/metrics` (and a copy of `/readyz`) are served on
//! `PORTAL_METRICS_ADDR` only, never on the public port. Every metric name
//! is a constant here and every label value a `&'static str` from a closed
//! set, so no request can grow the series.
//!
//! Two gauges are read at scrape time rather than kept on the hot path:
//! live sessions (asked of the store) and upstream slots in use.

use std::sync::OnceLock;
use std::time::Duration;

use axum::http::StatusCode;
use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::autoshares::endpoints::Endpoint;

pub const HTTP_REQUESTS: &str = "portal_http_requests_total";
pub const HTTP_DURATION: &str = "portal_http_request_duration_seconds";
pub const STEP_OUTCOMES: &str = "portal_step_outcomes_total";
pub const UPSTREAM_CALLS: &str = "portal_upstream_calls_total";
pub const UPSTREAM_DURATION: &str = "portal_upstream_call_duration_seconds";
pub const UPSTREAM_IN_FLIGHT: &str = "portal_upstream_in_flight";
pub const RATE_LIMITED: &str = "portal_rate_limited_total";
pub const CSRF_REJECTED: &str = "portal_csrf_rejections_total";
pub const ABUSE_SUSPECTED: &str = "portal_abuse_suspected_total";
pub const RESET_LANDED_ELSEWHERE: &str = "portal_reset_landed_elsewhere_total";
pub const BREACH_CHECKS: &str = "portal_breach_checks_total";
pub const CHALLENGES: &str = "portal_challenges_total";
pub const LIVE_SESSIONS: &str = "portal_live_sessions";
pub use crate::store::health::STORE_ERRORS;
pub use crate::store::redis::REPLICA_WAIT_TIMEOUTS;
pub const BUILD_INFO: &str = "portal_build_info";
pub const DRAINING: &str = "portal_draining";
pub const STEP_GUARD: &str = "portal_step_guard_seconds";

/// Latency buckets, in seconds: a page is ~1 ms, an upstream call tens to
/// hundreds, a timeout 10 s.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Buckets of [`STEP_GUARD`], finer around its budget (1 ms at p99): the
/// share of steps at or under 1 ms is read off exactly.
const GUARD_BUCKETS: [f64; 14] = [
    0.0001, 0.0002, 0.0003, 0.0004, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.005, 0.025, 0.1, 1.0,
    5.0,
];

/// The process's recorder, installed once (tests start several routers).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets(&BUCKETS)
            .and_then(|b| {
                b.set_buckets_for_metric(Matcher::Full(STEP_GUARD.into()), &GUARD_BUCKETS)
            })
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!(event = "metrics_recorder_taken");
        }
        describe();
        gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
        handle
    })
}

fn describe() {
    describe_counter!(HTTP_REQUESTS, "HTTP requests answered, by route and status");
    describe_histogram!(HTTP_DURATION, "Time to answer an HTTP request, by route");
    describe_counter!(
        STEP_OUTCOMES,
        "What each posted step decided, by step and outcome"
    );
    describe_counter!(UPSTREAM_CALLS, "AutoShares calls, by endpoint and outcome");
    describe_histogram!(UPSTREAM_DURATION, "AutoShares call latency, by endpoint");
    describe_histogram!(
        STEP_GUARD,
        "Store time a post spent on its step lease and its budgets (taking them, giving them back), by step"
    );
    describe_gauge!(
        UPSTREAM_IN_FLIGHT,
        "Upstream in-flight slots in use (of 32)"
    );
    describe_counter!(RATE_LIMITED, "Requests refused by a rate limit, by kind");
    describe_counter!(
        CSRF_REJECTED,
        "Posts refused because they came from another origin"
    );
    describe_counter!(
        ABUSE_SUSPECTED,
        "Portal-wide budgets crossed (wrong codes per 10 minutes, code emails per hour), once per window"
    );
    describe_counter!(
        RESET_LANDED_ELSEWHERE,
        "New passwords that did not sign in at the flow's own login: a code that belonged to another trader"
    );
    describe_counter!(
        BREACH_CHECKS,
        "New passwords looked up in the breached-password range API, by result"
    );
    describe_counter!(
        CHALLENGES,
        "Proofs of work, by result (issued, solved, or why one failed) and level"
    );
    describe_gauge!(
        LIVE_SESSIONS,
        "Sessions held by the store, with the pointers rotated ids leave for session_grace_secs"
    );
    describe_counter!(STORE_ERRORS, "Failed calls to the state store");
    describe_counter!(
        REPLICA_WAIT_TIMEOUTS,
        "Redis session writes not held by redis_wait_replicas replicas within redis_wait_ms"
    );
    describe_gauge!(BUILD_INFO, "Always 1; the version is a label");
    describe_gauge!(DRAINING, "1 once a shutdown signal arrived");
}

/// One answered HTTP request.
pub fn http_request(route: &'static str, status: StatusCode, elapsed: Duration) {
    counter!(HTTP_REQUESTS, "route" => route, "status" => status_label(status)).increment(1);
    histogram!(HTTP_DURATION, "route" => route).record(elapsed.as_secs_f64());
}

fn status_label(status: StatusCode) -> &'static str {
    match status.as_u16() {
        200 => "200",
        303 => "303",
        304 => "304",
        400 => "400",
        403 => "403",
        404 => "404",
        405 => "405",
        413 => "413",
        415 => "415",
        422 => "422",
        429 => "429",
        500 => "500",
        503 => "503",
        code if code < 300 => "2xx",
        code if code < 400 => "3xx",
        code if code < 500 => "4xx",
        _ => "5xx",
    }
}

/// One upstream call and how it ended.
pub fn upstream_call(endpoint: Endpoint, outcome: &'static str, elapsed: Duration) {
    counter!(UPSTREAM_CALLS, "endpoint" => endpoint.as_str(), "outcome" => outcome).increment(1);
    histogram!(UPSTREAM_DURATION, "endpoint" => endpoint.as_str()).record(elapsed.as_secs_f64());
}

/// One proof of work: `issued` (a page asked for it), `solved` (a step
/// accepted it), or why one was refused: `missing`, `malformed`, `forged`,
/// `expired`, `too_easy`, `replayed`.
pub fn challenge(result: &'static str, level: &'static str) {
    counter!(CHALLENGES, "result" => result, "level" => level).increment(1);
}

/// One breached-password lookup: `breached`, `not_found`,
/// `unknown_let_through` or `unknown_refused`.
pub fn breach_check(result: &'static str) {
    counter!(BREACH_CHECKS, "result" => result).increment(1);
}

/// What a posted step decided.
pub fn step_outcome(step: &'static str, outcome: &'static str) {
    counter!(STEP_OUTCOMES, "step" => step, "outcome" => outcome).increment(1);
}

/// The store time one post spent on its step lease and its budgets.
pub fn step_guard(step: &'static str, elapsed: Duration) {
    histogram!(STEP_GUARD, "step" => step).record(elapsed.as_secs_f64());
}

/// A request refused by a limit: `ip`, `wrong_answers`, `code_emails`.
pub fn rate_limited(kind: &'static str) {
    counter!(RATE_LIMITED, "kind" => kind).increment(1);
}

/// A portal-wide budget was crossed (once per window per instance that
/// saw it first): `budget` is `portal_wrong_codes` or `portal_code_emails`.
pub fn abuse_suspected(budget: &'static str) {
    counter!(ABUSE_SUSPECTED, "budget" => budget).increment(1);
}

/// A new password signed in to no one at the flow's login: the code
/// belonged to another trader.
pub fn reset_landed_elsewhere() {
    counter!(RESET_LANDED_ELSEWHERE).increment(1);
}

pub fn csrf_rejected() {
    counter!(CSRF_REJECTED).increment(1);
}

pub fn draining() {
    gauge!(DRAINING).set(1.0);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    const README: &str = include_str!("../../README.md");

    /// Every metric name the portal defines: the `&str` constants holding
    /// a `portal_` name in the files that define them.
    fn defined() -> BTreeSet<&'static str> {
        [
            include_str!("metrics.rs"),
            include_str!("../store/health.rs"),
            include_str!("../store/redis.rs"),
        ]
        .iter()
        .flat_map(|source| source.lines())
        .filter(|line| {
            line.trim_start().starts_with("pub const ") && line.contains(": &str = \"portal_")
        })
        .filter_map(|line| line.split('"').nth(1))
        .collect()
    }

    /// The `portal_` names at the start of `text`'s words, up to the first
    /// character a name can't hold.
    fn names_in(text: &str) -> Vec<&str> {
        text.match_indices("portal_")
            .filter(|(at, _)| {
                !text[..*at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '"')
            })
            .map(|(at, _)| {
                let rest = &text[at..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
                    .unwrap_or(rest.len());
                &rest[..end]
            })
            .collect()
    }

    /// The README's metrics table and its alert rules name exactly the
    /// metrics the portal has: a rule on a misspelt name would never fire.
    #[test]
    fn the_readme_documents_every_metric_and_alerts_only_on_real_ones() {
        let defined = defined();
        assert!(defined.len() >= 18, "{defined:?}");
        let section = README
            .split("#### Metrics")
            .nth(1)
            .and_then(|rest| rest.split("\n#### ").next())
            .unwrap_or_default();
        let table: BTreeSet<&str> = section
            .lines()
            .filter(|line| line.starts_with("| `portal_"))
            .filter_map(|line| line.split('`').nth(1))
            .filter(|name| !name.contains(' '))
            .collect();
        let undocumented: Vec<_> = defined.difference(&table).collect();
        let unknown: Vec<_> = table.difference(&defined).collect();
        assert!(
            undocumented.is_empty() && unknown.is_empty(),
            "README metrics table: missing {undocumented:?}, no such metric {unknown:?}"
        );

        let rules: Vec<&str> = README
            .split("```yaml")
            .skip(1)
            .filter_map(|block| block.split("```").next())
            .collect();
        assert!(!rules.is_empty(), "the README's alert rules");
        for name in rules.iter().flat_map(|block| names_in(block)) {
            let base = ["_bucket", "_count", "_sum"]
                .iter()
                .find_map(|suffix| name.strip_suffix(suffix))
                .filter(|base| defined.contains(base))
                .unwrap_or(name);
            assert!(
                defined.contains(base),
                "an alert rule names {name}, which the portal never exports"
            );
        }
    }
}

//! [ssr] The sandbox's own control routes, under `/__sandbox/`: set and
//! clear faults, read the mailbox and the call counters. Loopback dev
//! tools: no app key.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::faults::{Endpoint, Fault};
use super::{CallCounts, MailboxEntry, Sandbox};

pub fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/__sandbox/faults", post(set_fault).delete(clear_faults))
        .route("/__sandbox/mailbox", get(mailbox))
        .route("/__sandbox/calls", get(calls))
}

#[derive(Deserialize)]
struct SetFault {
    endpoint: Endpoint,
    fault: Fault,
}

async fn set_fault(State(sandbox): State<Sandbox>, Json(request): Json<SetFault>) -> StatusCode {
    sandbox.set_fault(request.endpoint, request.fault);
    StatusCode::NO_CONTENT
}

async fn clear_faults(State(sandbox): State<Sandbox>) -> StatusCode {
    sandbox.clear_faults();
    StatusCode::NO_CONTENT
}

async fn mailbox(State(sandbox): State<Sandbox>) -> Json<Vec<MailboxEntry>> {
    Json(sandbox.mailbox())
}

async fn calls(State(sandbox): State<Sandbox>) -> Json<CallCounts> {
    Json(sandbox.calls())
}

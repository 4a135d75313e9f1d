//! [ssr] The sandbox's own control routes, under `/__sandbox/`: set and
//! clear faults, read the mailbox and the call counters. Loopback dev
//! tools: no app key.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};

use super::faults::{Endpoint, Fault};
use super::wire::{AddUsers, MailboxQuery, SetFault};
use super::{CallCounts, DemoUser, MailboxEntry, Sandbox};

pub fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/__sandbox/faults", post(set_fault).delete(clear_faults))
        .route("/__sandbox/mailbox", get(mailbox))
        .route("/__sandbox/calls", get(calls))
        .route("/__sandbox/users", post(add_users))
}

/// Users `<prefix>-0` … for load tests (see [`AddUsers`]).
async fn add_users(State(sandbox): State<Sandbox>, Json(request): Json<AddUsers>) -> StatusCode {
    for i in 0..request.count.min(10_000) {
        let login = format!("{}-{i}", request.prefix);
        sandbox.add_user(
            DemoUser {
                email: format!("{login}@example.com"),
                login,
                question: None,
                old_password: "Load-Old-Pass-1".into(),
                two_factor: false,
            },
            None,
        );
    }
    StatusCode::NO_CONTENT
}

async fn set_fault(
    State(sandbox): State<Sandbox>,
    Json(request): Json<SetFault<Endpoint, Fault>>,
) -> StatusCode {
    sandbox.set_fault(request.endpoint, request.fault);
    StatusCode::NO_CONTENT
}

async fn clear_faults(State(sandbox): State<Sandbox>) -> StatusCode {
    sandbox.clear_faults();
    StatusCode::NO_CONTENT
}

/// Every mail sent, or only `?login=`'s.
async fn mailbox(
    State(sandbox): State<Sandbox>,
    Query(query): Query<MailboxQuery>,
) -> Json<Vec<MailboxEntry>> {
    let mut mail = sandbox.mailbox();
    if let Some(login) = query.login {
        mail.retain(|m| m.login == login);
    }
    Json(mail)
}

async fn calls(State(sandbox): State<Sandbox>) -> Json<CallCounts> {
    Json(sandbox.calls())
}

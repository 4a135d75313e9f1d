//! One routed page per step of the recovery flow, plus the expired page.

pub mod code;
pub mod done;
pub mod expired;
pub mod not_found;
pub mod password;
pub mod question;
pub mod start;

use leptos::prelude::*;

use crate::error::PortalError;

/// The error the last post of this action brought back (a failed plain
/// post returns to the page with it in `__err`), if any.
pub fn last_error<S>(action: ServerAction<S>) -> Option<PortalError>
where
    S: leptos::server_fn::ServerFn<Output = (), Error = PortalError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    action.value().get_untracked().and_then(Result::err)
}

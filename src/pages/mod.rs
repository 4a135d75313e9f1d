//! One routed page per step of the recovery flow, plus the expired page.

pub mod code;
pub mod done;
pub mod expired;
pub mod password;
pub mod question;
pub mod start;

use leptos::prelude::*;

use crate::error::PortalError;

/// The error of an action's last run, if it failed.
pub fn last_error<S>(action: ServerAction<S>) -> Signal<Option<PortalError>>
where
    S: leptos::server_fn::ServerFn<Output = (), Error = PortalError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

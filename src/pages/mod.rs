//! One routed page per step of the recovery flow, plus the expired page.

pub mod code;
pub mod done;
pub mod expired;
pub mod not_found;
pub mod password;
pub mod question;
pub mod refused;
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

/// The page `<title>`: after a failed post it starts with "Error: "
/// (translated), so a screen reader hears it first.
pub fn title(text: String, error: &Option<PortalError>) -> String {
    match error {
        Some(_) => crate::i18n::t_with("error-title-prefix", &[("title", text.into())]),
        None => text,
    }
}

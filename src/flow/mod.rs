//! The recovery flow: the steps a trader walks through and what a page is
//! allowed to know about them.
//!
//! `Step` and `PageView` cross the wire (server → page); they never carry a
//! secret. The state machine itself, which holds the token and the answer,
//! is server-only and lives in `machine`.

#[cfg(feature = "ssr")]
pub mod machine;

use serde::{Deserialize, Serialize};

use crate::error::PortalError;

/// One routed page of the flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Step {
    Start,
    Question,
    Code,
    Password,
    Done,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Start,
        Step::Question,
        Step::Code,
        Step::Password,
        Step::Done,
    ];

    /// The page that serves this step.
    pub fn path(self) -> &'static str {
        match self {
            Step::Start => "/",
            Step::Question => "/question",
            Step::Code => "/code",
            Step::Password => "/password",
            Step::Done => "/done",
        }
    }

    /// "Step N of 4", for the indicator. Done has no number.
    pub fn number(self) -> Option<u8> {
        match self {
            Step::Start => Some(1),
            Step::Question => Some(2),
            Step::Code => Some(3),
            Step::Password => Some(4),
            Step::Done => None,
        }
    }

    pub const COUNT: u8 = 4;

    /// The step a page path serves, if it is one.
    pub fn from_path(path: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|step| step.path() == path)
    }
}

/// Longest login or email accepted (RFC 5321's address limit).
pub const MAX_LOGIN_CHARS: u32 = 254;

/// The page where an expired or missing flow is explained.
pub const EXPIRED_PATH: &str = "/expired";

/// Why a flow ended before it was done: the expired page says which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EndReason {
    /// Idle or absolute lifetime passed, or there was no flow.
    Expired,
    /// Too many wrong answers or codes; the lockout's `minutes` (0: none,
    /// the trader may start again at once).
    TooManyAttempts { minutes: u32 },
}

/// A page's data, loaded from the session before the page renders and
/// handed to it as context (`http::page_data`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Loaded {
    /// A step page's view.
    Step(PageView),
    /// The expired page's reason.
    Ended(EndReason),
    /// The session couldn't be read: the page says so calmly.
    Failed(PortalError),
}

/// What a step page renders, read from the server session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageView {
    /// Set when the requested page is not the trader's current step: the
    /// page redirects there instead of rendering.
    pub redirect_to: Option<String>,
    /// The login or email fixed at step 1 (the trader typed it; not secret).
    pub login: Option<String>,
    /// The secret question, as plain text (rendered escaped).
    pub question: Option<String>,
    /// How many codes have been sent in this flow (1 after the first).
    pub codes_sent: u32,
    /// The login typed at step 1 before a failure, to refill the field.
    pub draft_login: Option<String>,
    /// The new password went upstream and its outcome is unknown: the
    /// password page says "try signing in" instead of showing the form.
    pub password_sent: bool,
    /// A budget this step spends is close to spent: the browser proves
    /// some work before the step runs (`steps::challenge`).
    pub challenge: Option<ChallengeView>,
}

/// A proof of work as the page carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeView {
    /// The signed ALTCHA challenge, as JSON (the solver reads it).
    pub json: String,
    /// The most tries it can take (the solver's progress bar).
    pub max_tries: u32,
    /// Minutes until the step is served without one, at the latest.
    pub minutes: u32,
}

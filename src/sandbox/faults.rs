//! [ssr] Fault knobs: per endpoint, settable at run time.

use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

pub use crate::autoshares::endpoints::Endpoint;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultMode {
    /// Answer normally (after any latency).
    #[default]
    None,
    /// 503 with an HTML body, as a proxy in front of upstream would.
    ServerErrorHtml,
    /// 200 with a truncated JSON body.
    GarbageJson,
    /// Never answer.
    Hang,
    /// 200 with JSON of another shape.
    WrongShape,
    /// 302 to `location`.
    Redirect { location: String },
    /// 200 with `IsSucceed: false` in one of the shapes AutoShares uses.
    Rejected { shape: RejectionShape },
}

/// How an envelope refusal may look (step B's vary, see
/// `autoshares-api.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionShape {
    /// `{"Errors":[],"IsSucceed":false}`: the docs' own example.
    Bare,
    /// Messages, but no `ErrorsCode`.
    WithoutCodes,
    /// A code other than `ErrorIncorrectAnswer`.
    OtherCode,
}

impl RejectionShape {
    pub const ALL: [RejectionShape; 3] = [
        RejectionShape::Bare,
        RejectionShape::WithoutCodes,
        RejectionShape::OtherCode,
    ];

    fn body(self) -> &'static str {
        match self {
            RejectionShape::Bare => r#"{"Errors":[],"IsSucceed":false}"#,
            RejectionShape::WithoutCodes => {
                r#"{"Errors":[{"Message":"Request failed"}],"IsSucceed":false}"#
            }
            RejectionShape::OtherCode => {
                r#"{"Errors":[],"ErrorsCode":["ErrorResetNotAllowed"],"IsSucceed":false}"#
            }
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    #[serde(default)]
    pub latency_ms: u64,
    #[serde(default)]
    pub mode: FaultMode,
    /// Apply to this many calls, then clear itself; `None` is forever.
    #[serde(default)]
    pub remaining: Option<u32>,
}

impl Fault {
    pub fn mode(mode: FaultMode) -> Self {
        Self {
            mode,
            ..Self::default()
        }
    }

    pub fn once(mode: FaultMode) -> Self {
        Self {
            mode,
            remaining: Some(1),
            ..Self::default()
        }
    }
}

/// Apply a fault: wait, then either answer in its place or let the real
/// handler answer (`None`).
pub async fn apply(fault: Option<Fault>) -> Option<Response> {
    let fault = fault?;
    if fault.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.latency_ms)).await;
    }
    match fault.mode {
        FaultMode::None => None,
        FaultMode::ServerErrorHtml => Some(
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
            )
                .into_response(),
        ),
        FaultMode::GarbageJson => Some(
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"IsSucc"#,
            )
                .into_response(),
        ),
        FaultMode::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Some(StatusCode::GATEWAY_TIMEOUT.into_response())
        }
        FaultMode::WrongShape => Some(
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"Result":1}"#,
            )
                .into_response(),
        ),
        FaultMode::Redirect { location } => {
            Some((StatusCode::FOUND, [(header::LOCATION, location)], "").into_response())
        }
        FaultMode::Rejected { shape } => Some(
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                shape.body(),
            )
                .into_response(),
        ),
    }
}

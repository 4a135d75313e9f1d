//! [ssr] The one error type of the AutoShares client.
//!
//! `Display` names the kind of failure and, for rejections, the machine
//! codes. It never holds a URL, a query, a body, upstream message text or a
//! secret, so it is safe to log.

use std::fmt;

#[derive(thiserror::Error)]
pub enum AutoSharesError {
    /// `IsSucceed: false`. `messages` are upstream's human texts: log them
    /// at most, never show them.
    #[error("upstream rejected the request (codes: {})", codes.join(", "))]
    Rejected {
        codes: Vec<String>,
        messages: Vec<String>,
    },
    /// The `{"error": …}` shape: the portal's app key is wrong or missing.
    #[error("upstream rejected the app key")]
    AppKeyRejected,
    /// No usable answer: the trader may retry the same step.
    #[error("upstream unavailable: {0}")]
    Unavailable(Unavailable),
}

/// Why upstream gave no usable answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    Timeout,
    Connect,
    /// A 5xx status.
    ServerError(u16),
    /// A 3xx: redirects are never followed, so the key never leaves.
    Redirect(u16),
    NotJson,
    UnexpectedShape,
    TooLarge,
    Other,
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unavailable::Timeout => f.write_str("timeout"),
            Unavailable::Connect => f.write_str("connection failed"),
            Unavailable::ServerError(status) => write!(f, "server error {status}"),
            Unavailable::Redirect(status) => write!(f, "redirect {status} not followed"),
            Unavailable::NotJson => f.write_str("response is not JSON"),
            Unavailable::UnexpectedShape => f.write_str("response has an unexpected shape"),
            Unavailable::TooLarge => f.write_str("response too large"),
            Unavailable::Other => f.write_str("transport error"),
        }
    }
}

/// Like `Display`, `Debug` leaves upstream's message texts out (it counts
/// them), so a stray `{:?}` in a log line can't carry them either.
impl fmt::Debug for AutoSharesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AutoSharesError::Rejected { codes, messages } => f
                .debug_struct("Rejected")
                .field("codes", codes)
                .field("messages", &format_args!("[{} redacted]", messages.len()))
                .finish(),
            AutoSharesError::AppKeyRejected => f.write_str("AppKeyRejected"),
            AutoSharesError::Unavailable(reason) => {
                f.debug_tuple("Unavailable").field(reason).finish()
            }
        }
    }
}

impl AutoSharesError {
    /// Whether upstream rejected with this machine code.
    pub fn has_code(&self, code: &str) -> bool {
        matches!(self, AutoSharesError::Rejected { codes, .. } if codes.iter().any(|c| c == code))
    }

    /// Map a transport error by its kind. Its own text holds the URL
    /// (with the username), so it is dropped here.
    pub fn from_transport(err: &reqwest::Error) -> Self {
        let reason = if err.is_timeout() {
            Unavailable::Timeout
        } else if err.is_connect() {
            Unavailable::Connect
        } else {
            Unavailable::Other
        };
        AutoSharesError::Unavailable(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neither_display_nor_debug_carries_upstream_text() {
        let err = AutoSharesError::Rejected {
            codes: vec!["ErrorInvalidCode".into()],
            messages: vec!["Code 123456 for alice@example.com is invalid".into()],
        };
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(text.contains("ErrorInvalidCode"), "{text}");
            assert!(
                !text.contains("123456") && !text.contains("alice"),
                "{text}"
            );
        }
        assert_eq!(
            format!("{:?}", AutoSharesError::Unavailable(Unavailable::Timeout)),
            "Unavailable(Timeout)"
        );
    }
}

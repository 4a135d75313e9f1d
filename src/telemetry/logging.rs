//! [ssr] Log output: JSON lines for log pipelines (the default when stdout
//! is not a terminal), or text for a person at a terminal
//! (`PORTAL_LOG_FORMAT`).
//!
//! A JSON line holds `timestamp`, `level`, `event` and the event's own
//! fields at the top level, and the request's id under `span` when the
//! line was written while serving a request (see `access_log`). What the
//! events may carry is decided where they are written: never a key, token,
//! code, answer, password, raw session id or upstream body (the leak tests
//! read both formats).

/// How log lines are written (`PORTAL_LOG_FORMAT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line, for log pipelines.
    Json,
    /// Human-readable lines, for a terminal.
    Text,
}

impl std::str::FromStr for LogFormat {
    type Err = ();

    fn from_str(raw: &str) -> Result<Self, ()> {
        match raw {
            "json" => Ok(LogFormat::Json),
            "text" => Ok(LogFormat::Text),
            _ => Err(()),
        }
    }
}

/// `RUST_LOG`, else `info`. tower-sessions opens an info-level span for
/// every request and every session read (`call`, `get_record`); they say
/// nothing an operator needs, so they stay off unless `RUST_LOG` names them.
fn filter() -> tracing_subscriber::EnvFilter {
    let wanted = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into());
    let quiet = if wanted.contains("tower_sessions") {
        String::new()
    } else {
        ",tower_sessions=warn,tower_sessions_core=warn".into()
    };
    tracing_subscriber::EnvFilter::try_new(format!("{wanted}{quiet}"))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
}

/// Install the process's subscriber (once; later calls are ignored).
pub fn init(format: LogFormat) {
    let installed = match format {
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter())
            .try_init(),
        LogFormat::Text => tracing_subscriber::fmt()
            .with_env_filter(filter())
            .try_init(),
    };
    // Already installed: a test harness or an earlier call did it.
    drop(installed);
}

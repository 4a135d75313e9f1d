//! [ssr] Complete answers kept in memory, for requests whose answer is
//! the same bytes every time: hashed asset files, and the start page for a
//! visitor without a session. A kept answer is keyed by path and
//! `Accept-Encoding`, so it is kept compressed the way that client asked.
//! Bounded: at most `ENTRIES` answers of at most `MAX_BYTES` each; nothing
//! is ever evicted, since what is kept never changes while the process
//! runs.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

const ENTRIES: usize = 256;
const MAX_BYTES: usize = 4 * 1024 * 1024;

/// What may be kept, and how a kept answer is finished.
#[derive(Clone, Copy)]
pub struct Policy {
    /// Whether this request's answer may come from (and go to) memory.
    pub admits: fn(&Request) -> bool,
    /// Adjusts the headers of an answer before it is kept.
    pub prepare: fn(&mut HeaderMap),
}

#[derive(Clone)]
pub struct Memo {
    policy: Policy,
    kept: Arc<RwLock<HashMap<(String, String), Kept>>>,
}

#[derive(Clone)]
struct Kept {
    headers: HeaderMap,
    body: Bytes,
}

impl Memo {
    pub fn new(policy: Policy) -> Memo {
        Memo {
            policy,
            kept: Arc::default(),
        }
    }
}

pub async fn memoized(State(memo): State<Memo>, request: Request, next: Next) -> Response {
    if !(memo.policy.admits)(&request) {
        return next.run(request).await;
    }
    let key = (
        request.uri().path().to_owned(),
        request
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    );
    let kept = memo.kept.read().ok().and_then(|map| map.get(&key).cloned());
    if let Some(kept) = kept {
        let mut response = Response::new(Body::from(kept.body));
        *response.headers_mut() = kept.headers;
        return response;
    }
    let response = next.run(request).await;
    // Only a plain, complete success is the same for everyone.
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, MAX_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    (memo.policy.prepare)(&mut parts.headers);
    if let Ok(mut map) = memo.kept.write() {
        if map.len() < ENTRIES {
            let kept = Kept {
                headers: parts.headers.clone(),
                body: body.clone(),
            };
            map.insert(key, kept);
        }
    }
    Response::from_parts(parts, Body::from(body))
}

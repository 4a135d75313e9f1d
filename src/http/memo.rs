//! [ssr] Complete answers kept in memory, for requests whose answer is the
//! same bytes every time: the hashed asset files, and the start page for a
//! visitor without a session. It sits outside every other layer but the
//! access log, so a kept answer is the finished one (security headers,
//! compression) and a repeat skips all of them. Keyed by path and
//! `Accept-Encoding`, so each client gets the encoding it asked for.
//! Bounded: at most `ENTRIES` answers of at most `MAX_BYTES` each; nothing
//! is evicted, since what is kept never changes while the process runs.
//!
//! A workaround, fenced here: tower-http's `ServeDir` reads every file
//! through tokio's blocking pool (tower-rs/tower-http#480, "ServeFile is
//! slower than simply reading a file", open), which held the CSS to 1.8k
//! req/s on 2 cores. `.ci/bench` measures each asset against `/healthz`;
//! when ServeDir alone meets that budget, the asset half of this layer
//! can go (the start page half stays: it skips the render).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

const ENTRIES: usize = 256;
const MAX_BYTES: usize = 4 * 1024 * 1024;

/// Whether a request's answer may come from (and go to) memory, and in
/// which variant beside its encoding (the start page's language).
pub type Admits = dyn Fn(&Request) -> Option<&'static str> + Send + Sync;
/// Adjusts the headers of an answer for this path before it is kept.
pub type Prepare = dyn Fn(&str, &mut HeaderMap) + Send + Sync;

#[derive(Clone)]
pub struct Memo {
    admits: Arc<Admits>,
    prepare: Arc<Prepare>,
    kept: Arc<RwLock<ByPath>>,
}

/// path → (Accept-Encoding, variant, answer): a lookup allocates nothing.
type ByPath = HashMap<String, Vec<(String, &'static str, Kept)>>;

#[derive(Clone)]
struct Kept {
    headers: HeaderMap,
    body: Bytes,
}

impl Memo {
    pub fn new(admits: Arc<Admits>, prepare: Arc<Prepare>) -> Memo {
        Memo {
            admits,
            prepare,
            kept: Arc::default(),
        }
    }

    fn get(&self, path: &str, encoding: &str, variant: &str) -> Option<Kept> {
        let map = self.kept.read().ok()?;
        map.get(path)?
            .iter()
            .find(|(e, v, _)| e == encoding && *v == variant)
            .map(|(_, _, kept)| kept.clone())
    }

    fn put(&self, path: String, encoding: String, variant: &'static str, kept: Kept) {
        if let Ok(mut map) = self.kept.write() {
            let count: usize = map.values().map(Vec::len).sum();
            if count < ENTRIES {
                map.entry(path).or_default().push((encoding, variant, kept));
            }
        }
    }
}

pub async fn memoized(State(memo): State<Memo>, request: Request, next: Next) -> Response {
    let Some(variant) = (memo.admits)(&request) else {
        return next.run(request).await;
    };
    let encoding = request
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Some(kept) = memo.get(request.uri().path(), encoding, variant) {
        let mut response = Response::new(Body::from(kept.body));
        *response.headers_mut() = kept.headers;
        return response;
    }
    let key = (request.uri().path().to_owned(), encoding.to_owned());
    let response = next.run(request).await;
    // Only a plain, complete success is the same for everyone.
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, MAX_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    (memo.prepare)(&key.0, &mut parts.headers);
    let kept = Kept {
        headers: parts.headers.clone(),
        body: body.clone(),
    };
    memo.put(key.0, key.1, variant, kept);
    Response::from_parts(parts, Body::from(body))
}

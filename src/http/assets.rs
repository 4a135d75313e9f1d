//! [ssr] The built front-end files, served the way a CDN would: straight
//! from disk ahead of the app (never through the SSR fallback), brotli or
//! gzip by content negotiation from the files `--precompress` wrote, with
//! `Vary: Accept-Encoding`, and cached for a year when the name carries a
//! content hash.

use std::convert::Infallible;
use std::path::PathBuf;

use std::sync::Arc;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};
use axum::Router;
use leptos::prelude::LeptosOptions;
use tower::Service;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Hashed names never change meaning: cache them for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The favicon and logo keep their names: a day, then revalidate.
pub const SHORT: &str = "public, max-age=86400";

/// A file made at start and served from memory under `/{pkg}/` (the
/// branded stylesheet, the proof-of-work solver): its name carries its
/// content hash, so it is cached for a year like the built files, and it
/// is kept with its brotli and gzip forms. (Writing it into the site
/// directory would need that directory writable at run time.)
pub struct MemoryFile {
    /// Its name under `/{pkg}/`.
    pub file: String,
    pub content_type: &'static str,
    pub plain: Bytes,
    pub br: Bytes,
    pub gzip: Bytes,
}

impl MemoryFile {
    /// `{stem}.{hash}.{ext}` holding `text`.
    pub fn build(stem: &str, ext: &str, content_type: &'static str, text: String) -> MemoryFile {
        use sha2::Digest;
        use std::io::Write;
        let hash = hex::encode(&sha2::Sha256::digest(text.as_bytes())[..10]);
        let mut br = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
            // Writing to a Vec can't fail.
            let _ = writer.write_all(text.as_bytes());
        }
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = gzip.write_all(text.as_bytes());
        MemoryFile {
            file: format!("{stem}.{hash}.{ext}"),
            content_type,
            plain: Bytes::from(text),
            br: Bytes::from(br),
            gzip: Bytes::from(gzip.finish().unwrap_or_default()),
        }
    }

    /// Its absolute URL path.
    pub fn path(&self, pkg: &str) -> String {
        format!("/{pkg}/{}", self.file)
    }
}

/// `/{pkg}/…`: the hashed build output, cached for a year, and the files
/// made at start (`in_memory`). The mount path and the service.
pub fn pkg(options: &LeptosOptions, in_memory: Vec<Arc<MemoryFile>>) -> (String, Router) {
    let pkg = options.site_pkg_dir.to_string();
    let dir = PathBuf::from(options.site_root.as_ref()).join(&pkg);
    let mut service = Router::new();
    for made in in_memory {
        let file = made.file.clone();
        service = service.route(
            &format!("/{file}"),
            axum::routing::get(move |headers: HeaderMap| {
                let made = made.clone();
                async move { memory_answer(&made, &headers) }
            }),
        );
    }
    let service = service
        .fallback_service(files(dir))
        .layer(cache_when_found(IMMUTABLE))
        .layer(vary_on_encoding())
        .layer(axum::middleware::from_fn(representable_only));
    (format!("/{pkg}"), service)
}

/// A path the file system can't represent (a name over 255 bytes, a NUL)
/// names no file: 404 here, where ServeDir would fail with an I/O error
/// (an error answer, then "unavailable").
async fn representable_only(
    request: Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let representable = request.uri().path().split('/').all(|segment| {
        let decoded: Vec<u8> = percent_encoding::percent_decode_str(segment).collect();
        decoded.len() <= 255 && !decoded.contains(&0)
    });
    if representable {
        next.run(request).await
    } else {
        axum::response::IntoResponse::into_response(StatusCode::NOT_FOUND)
    }
}

/// Whether this is a plain GET of a hashed file under `pkg_path`.
///
/// ServeDir reads every file through tokio's blocking pool (open, stat,
/// read: a thread hand-off each), which on 2 cores held the CSS to 1,766
/// req/s against 27,250 for `/healthz`; perf showed the blocking pool's
/// futex waits and wake-ups on top. A hashed name never changes content,
/// so ServeDir's complete answers to plain GETs are kept in memory
/// (`memo`); ServeDir still negotiates the encoding, finds the
/// precompressed file, and answers every conditional or range request.
pub fn is_plain_get_of_hashed_file(request: &Request, pkg_path: &str) -> bool {
    request.method() == Method::GET
        && request
            .uri()
            .path()
            .strip_prefix(pkg_path)
            .is_some_and(|rest| rest.starts_with('/'))
        && [
            header::RANGE,
            header::IF_NONE_MATCH,
            header::IF_MODIFIED_SINCE,
        ]
        .iter()
        .all(|h| !request.headers().contains_key(h))
}

/// The other files of the site root (favicon, logo), cached for a day.
/// What isn't a file goes on to `not_found` (the app's 404 page).
pub fn public<F, B>(options: &LeptosOptions, not_found: F) -> Router
where
    F: Service<Request, Response = Response<B>, Error = Infallible> + Clone + Send + Sync + 'static,
    F::Future: Send + 'static,
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let root = PathBuf::from(options.site_root.as_ref());
    Router::new()
        .fallback_service(files(root).fallback(not_found))
        .layer(cache_when_found(SHORT))
        .layer(vary_on_encoding())
}

fn files(dir: PathBuf) -> ServeDir {
    ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
}

/// `Cache-Control: value` on files that were found; a 404 or an error is
/// not cached.
fn cache_when_found<B>(
    value: &'static str,
) -> SetResponseHeaderLayer<impl Fn(&Response<B>) -> Option<HeaderValue> + Clone> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, move |response: &Response<B>| {
        (response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED)
            .then(|| HeaderValue::from_static(value))
    })
}
/// The same URL answers brotli, gzip or plain by `Accept-Encoding`: say so
/// to every cache on the way (ServeDir doesn't).
fn vary_on_encoding() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        header::VARY,
        HeaderValue::from_static("accept-encoding"),
    )
}

/// A file made at start: brotli, gzip or plain, as the client accepts.
/// (ServeDir serves files only; this one lives in memory.)
fn memory_answer(css: &MemoryFile, headers: &HeaderMap) -> Response<Body> {
    let accepts = |coding: &str| {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|item| {
                let mut parts = item.split(';');
                parts
                    .next()
                    .is_some_and(|c| c.trim().eq_ignore_ascii_case(coding))
                    && !parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"))
            })
    };
    let (body, encoding) = if accepts("br") && !css.br.is_empty() {
        (css.br.clone(), Some("br"))
    } else if accepts("gzip") && !css.gzip.is_empty() {
        (css.gzip.clone(), Some("gzip"))
    } else {
        (css.plain.clone(), None)
    };
    let mut response = Response::new(Body::from(body));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(css.content_type),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_made_at_start_is_named_by_its_hash_and_answered_as_the_client_accepts() {
        let branded = MemoryFile::build("portal", "css", "text/css", "body{color:red}".into());
        assert!(branded.file.starts_with("portal.") && branded.file.ends_with(".css"));
        assert_eq!(branded.file.len(), "portal.".len() + 20 + ".css".len());
        assert!(!branded.br.is_empty() && !branded.gzip.is_empty());
        let other = MemoryFile::build("portal", "css", "text/css", "body{color:blue}".into());
        assert_ne!(other.file, branded.file);
        let answer = |accept: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(accept));
            memory_answer(&branded, &headers)
                .headers()
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap_or_default().to_string())
        };
        assert_eq!(answer("gzip, deflate, br").as_deref(), Some("br"));
        assert_eq!(answer("gzip, br;q=0").as_deref(), Some("gzip"));
        assert_eq!(answer("identity"), None);
        let plain = memory_answer(&branded, &HeaderMap::new());
        assert_eq!(plain.headers()[header::CONTENT_TYPE], "text/css");
        assert_eq!(plain.headers()[header::VARY], "accept-encoding");
    }
}

//! [ssr] Pages end at `</html>`.
//!
//! leptos_integration_utils 0.8.9 (`build_response`, src/lib.rs around
//! line 179) appends the hydration context's data as `<script nonce=…>`
//! chunks after the app's stream, so they land after `</html>`: the Nu HTML
//! Checker's fatal "Stray start tag script". In islands mode nothing reads
//! them (an island gets its props from its own `data-props`), so this
//! layer cuts them off. It finds them by the response's own nonce, which a
//! trader's input can't predict, so no page content is ever cut.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

/// Largest page this layer buffers; anything bigger passes untouched.
const MAX_PAGE_BYTES: usize = 1024 * 1024;

pub async fn end_at_html_close(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let Some(nonce) = is_html.then(|| page_nonce(&response)).flatten() else {
        return response;
    };
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_PAGE_BYTES).await else {
        // Too big to be one of our pages, or the stream broke: nothing
        // sensible can be sent now but an error.
        return Response::from_parts(parts, Body::empty());
    };
    let trailer = format!("</html><script nonce=\"{nonce}\">");
    let body = match rfind(&bytes, trailer.as_bytes()) {
        Some(at) => bytes.slice(..at + "</html>".len()),
        None => bytes,
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// The nonce of this page's CSP (`'nonce-…'`), set with the render.
fn page_nonce(response: &Response) -> Option<String> {
    let csp = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)?
        .to_str()
        .ok()?;
    let start = csp.find("'nonce-")? + "'nonce-".len();
    let len = csp[start..].find('\'')?;
    Some(csp[start..start + len].to_string())
}

/// The last match: the trailer sits at the very end, so searching from the
/// end compares a few hundred positions, not the whole page. (The nonce is
/// unpredictable, so there is only one match anyway.)
fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_nonce_comes_from_the_csp() {
        let mut response = Response::new(Body::empty());
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'nonce-Ab_9' 'strict-dynamic'",
            ),
        );
        assert_eq!(page_nonce(&response).as_deref(), Some("Ab_9"));
        assert_eq!(page_nonce(&Response::new(Body::empty())), None);
    }

    #[test]
    fn rfind_locates_the_last_match() {
        assert_eq!(rfind(b"a</html>b</html>", b"</html>"), Some(9));
        assert_eq!(rfind(b"abc", b"</html>"), None);
    }
}

/// The fence around this workaround: it fails once leptos_axum stops
/// sending the hydration context's `<script>` chunks after a streamed
/// page's `</html>` (leptos_integration_utils 0.8.9, `build_response`; no
/// upstream issue was found), and then this layer can go.
#[cfg(test)]
mod fence {
    use axum::body::to_bytes;
    use axum::extract::Request;
    use axum::routing::get;
    use axum::Router;
    use leptos::prelude::*;
    use tower::ServiceExt;

    #[tokio::test]
    async fn leptos_still_streams_scripts_after_the_page() {
        let _ = any_spawner::Executor::init_tokio();
        let render =
            leptos_axum::render_app_to_stream_with_context(leptos::nonce::provide_nonce, || {
                view! {
                    <!DOCTYPE html>
                    <html>
                        <head><title>"fence"</title></head>
                        <body><p>"page"</p></body>
                    </html>
                }
            });
        let app: Router = Router::new().route("/", get(move |r: Request| render(r)));
        let response = app
            .oneshot(Request::get("/").body(axum::body::Body::empty()).unwrap())
            .await
            .unwrap();
        let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        let page = String::from_utf8_lossy(&body);
        let after = page.rsplit_once("</html>").map(|(_, rest)| rest.trim());
        assert!(
            after.is_some_and(|rest| rest.starts_with("<script")),
            "leptos_axum no longer writes past </html>: end_at_html_close can go.\n{page}"
        );
    }
}

//! The built files are served the way a CDN would: hashed names cached for
//! a year, brotli or gzip by content negotiation with `Vary`, straight from
//! disk; HTML pages compressed too but never cached.

use end2end::{built_files, start_portal, Portal};

/// GET `path` with this `Accept-Encoding`; (status, encoding, vary,
/// cache-control, body length).
async fn fetch(portal: &Portal, path: &str, accept: &str) -> (u16, String, String, String, usize) {
    let response = portal
        .http()
        .get(portal.url(path))
        .header("accept-encoding", accept)
        .header("accept", "text/html,*/*")
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (status, encoding, vary, cache) = (
        response.status().as_u16(),
        header("content-encoding"),
        header("vary"),
        header("cache-control"),
    );
    let length = response.bytes().await.map(|b| b.len()).unwrap_or(0);
    (status, encoding, vary, cache, length)
}

#[tokio::test]
async fn hashed_assets_are_precompressed_and_cached_for_a_year() {
    let portal = start_portal(&[]).await;
    let mut checked = 0;
    for ext in ["css", "js", "wasm"] {
        let files = built_files(ext);
        assert_eq!(files.len(), 1, "one built .{ext}: {files:?}");
        let path = &files[0];
        // A content hash between the name and the extension.
        let stem = path.trim_start_matches("/pkg/autoshares-portal.");
        assert!(stem.len() > ext.len() + 8, "{path} carries a hash");

        let (status, encoding, vary, cache, plain) = fetch(&portal, path, "identity").await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(encoding, "", "{path} plain when asked for plain");
        assert_eq!(cache, "public, max-age=31536000, immutable", "{path}");
        assert!(
            vary.to_lowercase().contains("accept-encoding"),
            "{path}: vary {vary:?}"
        );

        for (accept, want) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")] {
            let (status, encoding, vary, cache, size) = fetch(&portal, path, accept).await;
            assert_eq!(status, 200);
            assert_eq!(encoding, want, "{path} for Accept-Encoding {accept}");
            assert!(vary.to_lowercase().contains("accept-encoding"));
            assert_eq!(cache, "public, max-age=31536000, immutable");
            assert!(size < plain, "{path}: {want} {size} B < plain {plain} B");
        }
        checked += 1;
    }
    assert_eq!(checked, 3);
    // A name that isn't built is a 404, and a 404 is never cached for a year.
    let (status, _, _, cache, _) = fetch(&portal, "/pkg/autoshares-portal.nope.wasm", "br").await;
    assert_eq!(status, 404);
    assert_ne!(cache, "public, max-age=31536000, immutable");
}

#[tokio::test]
async fn pages_are_compressed_and_never_cached() {
    let portal = start_portal(&[]).await;
    let (status, encoding, vary, cache, _) = fetch(&portal, "/", "gzip, deflate, br").await;
    assert_eq!(status, 200);
    assert_eq!(encoding, "br");
    assert!(vary.to_lowercase().contains("accept-encoding"));
    assert_eq!(cache, "no-store");
    let (_, encoding, _, _, _) = fetch(&portal, "/", "gzip").await;
    assert_eq!(encoding, "gzip");
    // The favicon keeps its name: cached for a day, not forever.
    let (status, _, _, cache, _) = fetch(&portal, "/favicon.svg", "identity").await;
    assert_eq!(status, 200);
    assert_eq!(cache, "public, max-age=86400");
}

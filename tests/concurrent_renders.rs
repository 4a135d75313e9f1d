//! In-process portals on separate runtimes (one per test, as tokio::test
//! makes them), rendering pages and answering posts at the same time, as
//! the old `tests/portal_http.rs` did before it had to take turns
//! (`serial()`: "an SSR page render occasionally never completes", seen 1
//! run in ~10). If a hang returns, a test here fails with "hung" instead of
//! hanging CI.
//!
//! Its cause: leptos-rs/leptos#4773 ("SSR render hangs forever when a
//! `Resource` first polls during a concurrent `RouteList::generate`").
//! Then, each test's router called `generate_route_list(App)`, which holds
//! leptos_server's `SuppressResourceLoad`: one process-global flag. Every
//! step page loaded its data through a `Resource` under `<Suspense>`, and a
//! resource whose future is first polled while the flag is up awaits
//! `pending()` for good (leptos_server 0.8.8, `resource.rs`, the fetcher
//! wrapper checks the flag once). Tests running side by side in one
//! process overlapped one's route generation with another's first poll:
//! that render never completed. Since 4c77882 pages are routed by axum (no
//! route list is generated) and read their data before the render (no
//! resource), so nothing here can meet the flag. The last test pins the
//! mechanism: it fails once leptos_server re-checks the flag.
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use autoshares_portal::config::sources::Sources;
use autoshares_portal::config::Config;
use autoshares_portal::http::router;
use autoshares_portal::state::build_state;
use leptos::prelude::LeptosOptions;

fn rand_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// A portal in this test's runtime, on its own SQLite file.
async fn portal() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let env: HashMap<String, String> = HashMap::from([
        ("AUTOSHARES_API_URL".into(), "sandbox".into()),
        ("SANDBOX_PORT".into(), "0".into()),
        (
            "PORTAL_STORE".into(),
            format!(
                "sqlite:{}/hang-probe-{}-{}/p.db",
                std::env::temp_dir().display(),
                std::process::id(),
                rand_id()
            ),
        ),
        ("PORTAL_METRICS_ADDR".into(), "off".into()),
        ("PORTAL_IP_BURST".into(), "100000".into()),
        ("PORTAL_CODE_EMAILS_PER_HOUR".into(), "100000".into()),
        ("PORTAL_PORTAL_CODE_EMAILS_PER_HOUR".into(), "100000".into()),
    ]);
    let mut config = Config::load(&Sources::new(None, move |k| env.get(k).cloned())).unwrap();
    config.bound_to(addr);
    let options = LeptosOptions::builder()
        .output_name("autoshares-portal")
        .site_addr(addr)
        .build();
    let state = build_state(options, config).await.unwrap();
    let app = router(state);
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    format!("http://{addr}")
}

/// Resets started and their code pages rendered, then start pages, each
/// within 5 s or the test says where it hung.
async fn hammer(id: usize) {
    let base = portal().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for i in 0..(20 + 15 * id) {
        let login = tokio::time::timeout(
            Duration::from_secs(5),
            http.post(format!("{base}/api/login"))
                .header("sec-fetch-site", "same-origin")
                .header("accept", "text/html")
                .header("referer", format!("{base}/"))
                .form(&[("login", "bob")])
                .send(),
        )
        .await
        .unwrap_or_else(|_| panic!("probe {id}: login post hung at {i}"))
        .unwrap();
        let cookie = login
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
            .unwrap_or_default();
        let page = tokio::time::timeout(
            Duration::from_secs(5),
            http.get(format!("{base}/code"))
                .header("accept", "text/html")
                .header("cookie", cookie)
                .send(),
        )
        .await
        .unwrap_or_else(|_| panic!("probe {id}: /code render hung at {i}"))
        .unwrap();
        let body = tokio::time::timeout(Duration::from_secs(5), page.text()).await;
        assert!(body.is_ok(), "probe {id}: /code body hung at {i}");
    }
    for i in 0..50 {
        let r = tokio::time::timeout(
            Duration::from_secs(5),
            http.get(format!("{base}/?rendered={i}"))
                .header("accept", "text/html")
                .send(),
        )
        .await;
        match r {
            Ok(Ok(resp)) => {
                let body = tokio::time::timeout(Duration::from_secs(5), resp.text()).await;
                assert!(body.is_ok(), "probe {id}: body hung at request {i}");
            }
            Ok(Err(e)) => panic!("probe {id}: {e}"),
            Err(_) => panic!("probe {id}: render hung at request {i}"),
        }
    }
}

/// Eight tests, eight runtimes, run side by side; each runs a different
/// length, so runtimes shut down while others still render.
macro_rules! side_by_side {
    ($($name:ident = $i:expr),*) => {
        $( #[tokio::test] async fn $name() { hammer($i).await } )*
    };
}
side_by_side!(
    r0 = 0,
    r1 = 1,
    r2 = 2,
    r3 = 3,
    r4 = 4,
    r5 = 5,
    r6 = 6,
    r7 = 7
);

/// leptos-rs/leptos#4773, the cause of the old hang, as leptos_server
/// 0.8.8 has it: a resource first polled while `SuppressResourceLoad` is
/// held (as `generate_route_list` holds it) never resolves, not even once
/// the guard is gone. When this fails, upstream has fixed it.
#[tokio::test]
async fn a_resource_first_polled_during_route_generation_never_resolves() {
    use leptos::prelude::Owner;
    use leptos::server::{ArcResource, SuppressResourceLoad};
    use std::future::IntoFuture;

    let _ = any_spawner::Executor::init_tokio();
    let owner = Owner::new();
    owner.set();
    // Another test's route generation, in this process.
    let generating = SuppressResourceLoad::new();
    let stuck = ArcResource::new(|| (), |()| async { 7u32 });
    let first = tokio::time::timeout(Duration::from_millis(300), stuck.clone().into_future()).await;
    assert!(
        first.is_err(),
        "resolved while route generation held the flag"
    );
    drop(generating);
    let after = tokio::time::timeout(Duration::from_secs(1), stuck.into_future()).await;
    assert!(
        after.is_err(),
        "leptos_server now re-checks the flag: leptos-rs/leptos#4773 is fixed upstream"
    );
    // A resource first polled without the flag resolves at once.
    let fine = ArcResource::new(|| (), |()| async { 7u32 });
    let value = tokio::time::timeout(Duration::from_secs(1), fine.into_future()).await;
    assert_eq!(value.ok(), Some(7));
}

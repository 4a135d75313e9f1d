//! The portal behind a real nginx with a self-signed certificate, as the
//! README recommends deploying it: `end2end/nginx/portal.conf` with this
//! test's ports and paths filled in. The portal runs with
//! `PORTAL_PUBLIC_ORIGIN=https://127.0.0.1:<nginx port>` and
//! `PORTAL_TRUSTED_PROXIES=127.0.0.1`.
//!
//! Clients bound to 127.0.0.2 and 127.0.0.3 (all of 127.0.0.0/8 is local
//! on Linux) stand for two traders: nginx sees them as different
//! addresses and says so in `X-Forwarded-For`.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use end2end::{repo_root, start_portal, Browser, JsMode, Portal, PHONE};
use portal_harness::{free_port, TempDir};
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE, STRICT_TRANSPORT_SECURITY};
use reqwest::{redirect, StatusCode};

const NGINX: &str = "/usr/sbin/nginx";
const HSTS: &str = "max-age=31536000; includeSubDomains";
const NEW_PASSWORD: &str = "a long new passphrase";

/// Traders at three addresses, and 127.0.0.1: nginx's own address, the
/// portal's only trusted proxy (a client can come from there too).
const TRADER_A: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
const TRADER_B: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);
const TRADER_C: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 4);
const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// The same demo user posted many times: no per-identifier budget in the way.
const ROOMY: (&str, &str) = ("PORTAL_CODE_EMAILS_PER_HOUR", "1000");
/// A burst of 3 posts per address, then 1 a minute: the 4th post is 429.
const SMALL_BURST: [(&str, &str); 2] =
    [("PORTAL_IP_BURST", "3"), ("PORTAL_IP_RATE_PER_MINUTE", "1")];

/// A running nginx in front of one portal; stopped on drop, also when the
/// test panics, and then its directory goes (`dir` drops after `drop`).
struct Proxy {
    child: Child,
    dir: TempDir,
    port: u16,
}

impl Proxy {
    /// A self-signed certificate for 127.0.0.1, the config with every token
    /// replaced, then nginx, waited for until it proxies `/healthz`.
    async fn start(port: u16, upstream_port: u16) -> Proxy {
        assert!(
            Path::new(NGINX).exists(),
            "no {NGINX}: run `.ci/portal setup` (it installs nginx)"
        );
        let dir = TempDir::new("portal-nginx");
        let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
        let openssl = Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args([
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .output()
            .expect("run openssl (`.ci/portal setup` installs it)");
        assert!(
            openssl.status.success(),
            "openssl failed: {}",
            String::from_utf8_lossy(&openssl.stderr)
        );

        let template = std::fs::read_to_string(repo_root().join("end2end/nginx/portal.conf"))
            .expect("read end2end/nginx/portal.conf");
        let path = |name: &str| dir.join(name).display().to_string();
        let config = [
            ("@PID_FILE@", path("nginx.pid")),
            ("@ERROR_LOG@", path("error.log")),
            ("@ACCESS_LOG@", path("access.log")),
            ("@TEMP_DIR@", dir.0.display().to_string()),
            ("@UPSTREAM_PORT@", upstream_port.to_string()),
            ("@LISTEN@", format!("127.0.0.1:{port}")),
            ("@SERVER_NAME@", "127.0.0.1".to_string()),
            ("@CERTIFICATE@", cert.display().to_string()),
            ("@CERTIFICATE_KEY@", key.display().to_string()),
        ]
        .iter()
        .fold(template, |text, (token, value)| text.replace(token, value));
        // Every token outside the comments is replaced.
        let leftover: Vec<&str> = config
            .lines()
            .filter_map(|line| line.split('#').next())
            .flat_map(|code| code.split('@').skip(1).step_by(2))
            .collect();
        assert!(leftover.is_empty(), "tokens left unreplaced: {leftover:?}");
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, config).expect("write nginx.conf");

        let stderr = std::fs::File::create(dir.join("stderr.log")).expect("nginx stderr file");
        let child = Command::new(NGINX)
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("start nginx");
        let mut proxy = Proxy { child, dir, port };
        proxy.wait_ready().await;
        proxy
    }

    async fn wait_ready(&mut self) {
        let client = client(LOOPBACK);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = client.get(self.url("/healthz")).send().await {
                if r.status() == StatusCode::OK {
                    return;
                }
            }
            let exited = matches!(self.child.try_wait(), Ok(Some(_)));
            if exited || Instant::now() > deadline {
                panic!(
                    "nginx never proxied /healthz (exited: {exited}); its logs:\n{}",
                    self.logs()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// nginx's stderr and error log.
    fn logs(&self) -> String {
        ["stderr.log", "error.log"]
            .iter()
            .map(|f| std::fs::read_to_string(self.dir.join(f)).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The public origin: what a browser sends as `Origin`.
    fn origin(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        // SIGTERM: the master stops its worker and exits (a SIGKILL would
        // leave the worker behind).
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A portal that believes it is `https://127.0.0.1:<port>` behind the
/// nginx at 127.0.0.1, and that nginx.
async fn behind_nginx(extra: &[(&str, &str)]) -> (Portal, Proxy) {
    // nginx's port, picked here: the portal must know its public origin
    // before it starts.
    let port = free_port();
    let origin = format!("https://127.0.0.1:{port}");
    let mut env = vec![
        ("PORTAL_PUBLIC_ORIGIN", origin.as_str()),
        ("PORTAL_TRUSTED_PROXIES", "127.0.0.1"),
        ROOMY,
    ];
    env.extend_from_slice(extra);
    let portal = start_portal(&env).await;
    let upstream_port = portal
        .base
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {}", portal.base));
    let proxy = Proxy::start(port, upstream_port).await;
    (portal, proxy)
}

/// A client that connects from `from`, accepts the self-signed
/// certificate and doesn't follow redirects.
fn client(from: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(from))
        .danger_accept_invalid_certs(true)
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("http client")
}

/// The value of `name="…"`-style attribute `name` in one tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    tag[start..].split('"').next().map(str::to_string)
}

/// The start page's form, as served: where it posts and its one field.
struct StartForm {
    action: String,
    field: String,
}

async fn start_form(client: &reqwest::Client, proxy: &Proxy) -> StartForm {
    let html = client
        .get(proxy.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("GET /")
        .text()
        .await
        .expect("the start page");
    let form_at = html.find("<form").expect("a form on the start page");
    let form = &html[form_at..];
    let form = &form[..form.find("</form>").expect("</form>")];
    let open_tag = &form[..form.find('>').expect("<form …>")];
    assert_eq!(attribute(open_tag, "method").as_deref(), Some("post"));
    let action = attribute(open_tag, "action").expect("the form's action");
    let fields: Vec<String> = form
        .split("<input")
        .skip(1)
        .filter_map(|rest| attribute(&rest[..rest.find('>').unwrap_or(rest.len())], "name"))
        .collect();
    assert_eq!(fields.len(), 1, "the start form's fields: {fields:?}");
    StartForm {
        action,
        field: fields[0].clone(),
    }
}

/// The first step's plain form post through nginx, as a browser without
/// Fetch Metadata sends it from our start page, plus `headers`.
async fn post_login(
    client: &reqwest::Client,
    proxy: &Proxy,
    form: &StartForm,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client
        .post(proxy.url(&form.action))
        .header("origin", proxy.origin())
        .header("referer", proxy.url("/"))
        .header("accept", "text/html,application/xhtml+xml")
        .form(&[(form.field.as_str(), "bob")]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("post the login")
}

/// The statuses of `n` first-step posts from `client`.
async fn post_n(
    n: usize,
    client: &reqwest::Client,
    proxy: &Proxy,
    form: &StartForm,
) -> Vec<StatusCode> {
    let mut statuses = Vec::new();
    for _ in 0..n {
        statuses.push(post_login(client, proxy, form, &[]).await.status());
    }
    statuses
}

/// Exactly one `Strict-Transport-Security`, the portal's.
fn assert_hsts(headers: &HeaderMap, what: &str) {
    let all: Vec<_> = headers
        .get_all(STRICT_TRANSPORT_SECURITY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(all, [HSTS], "{what}: Strict-Transport-Security");
}

/// 1. A whole reset in Chromium, through nginx, over TLS.
#[tokio::test]
async fn a_whole_reset_completes_in_chromium_through_nginx() {
    let (portal, proxy) = behind_nginx(&[]).await;
    let browser = Browser::launch().await;
    let page = browser.page_ignoring_https_errors(JsMode::On, PHONE).await;
    page.open(&proxy.url("/")).await;
    assert!(page.page.url().starts_with(&proxy.origin()));
    page.fill_field("start-login-label", "bob").await;
    page.press("button-continue").await;
    page.wait_for_path("/code").await;

    // The browser kept the session cookie: the `__Host-` one, secure.
    let cookies = page.context.cookies(None).await.expect("cookies");
    let session = cookies
        .iter()
        .find(|c| c.name == "__Host-reset")
        .unwrap_or_else(|| panic!("no __Host-reset cookie in the browser: {cookies:?}"));
    assert!(session.secure && session.http_only, "{session:?}");
    assert_eq!(session.path, "/");

    page.fill_field("code-label", &portal.sandbox().latest_code("bob").await)
        .await;
    page.press("code-verify").await;
    page.wait_for_path("/password").await;
    page.fill_field("password-new-label", NEW_PASSWORD).await;
    page.fill_field("password-confirm-label", NEW_PASSWORD)
        .await;
    page.press("password-change").await;
    page.wait_for_path("/done").await;
    page.assert_no_page_errors();
    assert!(page.page.url().starts_with(&proxy.origin()));

    // Proof of effect.
    assert_eq!(
        portal.sandbox().sign_in_status("bob", NEW_PASSWORD).await,
        200
    );
    assert_eq!(
        portal
            .sandbox()
            .sign_in_status("bob", "Bob-Old-Pass-1")
            .await,
        401
    );
}

/// 2. The session cookie is the `__Host-` one with every attribute that
/// prefix demands, and every response carries the portal's HSTS.
#[tokio::test]
async fn the_session_cookie_is_host_prefixed_and_responses_carry_hsts() {
    let (_portal, proxy) = behind_nginx(&[]).await;
    let client = client(TRADER_A);

    let start = client
        .get(proxy.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), StatusCode::OK);
    assert_hsts(start.headers(), "GET /");
    // server_tokens off: no nginx version on the wire.
    assert_eq!(
        start.headers().get("server").and_then(|v| v.to_str().ok()),
        Some("nginx")
    );

    let form = start_form(&client, &proxy).await;
    let step1 = post_login(&client, &proxy, &form, &[]).await;
    assert_eq!(step1.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        step1.headers().get(LOCATION).and_then(|v| v.to_str().ok()),
        Some("/code")
    );
    assert_hsts(step1.headers(), "the first step's post");
    let set_cookies: Vec<&str> = step1
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(set_cookies.len(), 1, "one cookie: {set_cookies:?}");
    let mut parts = set_cookies[0].split(';').map(str::trim);
    let (name, value) = parts
        .next()
        .and_then(|pair| pair.split_once('='))
        .expect("name=value");
    assert_eq!(name, "__Host-reset", "{}", set_cookies[0]);
    assert!(!value.is_empty());
    let attributes: Vec<String> = parts.map(str::to_ascii_lowercase).collect();
    let has = |a: &str| attributes.iter().any(|x| x == a);
    assert!(has("secure"), "Secure: {}", set_cookies[0]);
    assert!(has("httponly"), "HttpOnly: {}", set_cookies[0]);
    assert!(has("path=/"), "Path=/: {}", set_cookies[0]);
    assert!(
        has("samesite=strict"),
        "SameSite=Strict: {}",
        set_cookies[0]
    );
    assert!(
        !attributes.iter().any(|a| a.starts_with("domain")),
        "no Domain: {}",
        set_cookies[0]
    );

    // The cookie carries the flow on: the code page, with HSTS too.
    let code = client
        .get(proxy.url("/code"))
        .header("accept", "text/html")
        .header("cookie", format!("{name}={value}"))
        .send()
        .await
        .unwrap();
    assert_eq!(code.status(), StatusCode::OK);
    assert_hsts(code.headers(), "GET /code");
    assert!(code.text().await.unwrap().contains("Code from the email"));
}

/// 3. Each trader has their own bucket: nginx names them in
/// `X-Forwarded-For`, and the portal believes it from nginx only.
#[tokio::test]
async fn traders_are_limited_per_address_through_nginx() {
    let (portal, proxy) = behind_nginx(&SMALL_BURST).await;
    let (a, b) = (client(TRADER_A), client(TRADER_B));
    let form = start_form(&a, &proxy).await;
    let ok = StatusCode::SEE_OTHER;
    let limited = StatusCode::TOO_MANY_REQUESTS;

    assert_eq!(post_n(4, &a, &proxy, &form).await, [ok, ok, ok, limited]);
    let b_status = post_login(&b, &proxy, &form, &[]).await.status();
    assert_ne!(b_status, limited, "127.0.0.3 has a bucket of its own");
    assert_eq!(b_status, ok);
    let again = post_login(&a, &proxy, &form, &[]).await;
    assert_eq!(again.status(), limited, "127.0.0.2 is still limited");
    assert_hsts(again.headers(), "a 429");

    // Straight to the portal from 127.0.0.1 (its trusted proxy, no
    // X-Forwarded-For): its own bucket, and the public origin still passes.
    let direct = client(LOOPBACK)
        .post(portal.url(&form.action))
        .header("origin", proxy.origin())
        .header("accept", "text/html")
        .form(&[(form.field.as_str(), "bob")])
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), ok, "direct to the portal");
}

/// 4. A client's own `X-Forwarded-For` is dropped by nginx: it neither
/// gives a limited trader a fresh bucket nor puts anyone in another's.
#[tokio::test]
async fn a_client_sent_x_forwarded_for_is_ignored() {
    let (_portal, proxy) = behind_nginx(&SMALL_BURST).await;
    let a = client(TRADER_A);
    let form = start_form(&a, &proxy).await;
    let ok = StatusCode::SEE_OTHER;
    let limited = StatusCode::TOO_MANY_REQUESTS;

    assert_eq!(post_n(4, &a, &proxy, &form).await, [ok, ok, ok, limited]);
    let spoofs = [
        "203.0.113.9".to_string(),
        "198.51.100.23".to_string(),
        "203.0.113.10, 198.51.100.24".to_string(),
        // A trusted hop named by the client.
        "203.0.113.11, 127.0.0.1".to_string(),
        "2001:db8::1".to_string(),
    ];
    for (i, spoof) in spoofs.iter().enumerate() {
        let fresh = format!("192.0.2.{}", 100 + i);
        for value in [spoof.as_str(), fresh.as_str()] {
            let r = post_login(&a, &proxy, &form, &[("x-forwarded-for", value)]).await;
            assert_eq!(
                r.status(),
                limited,
                "127.0.0.2 with X-Forwarded-For: {value}"
            );
        }
    }

    // Naming the limited trader doesn't drain or borrow their bucket.
    let c = client(TRADER_C);
    let r = post_login(&c, &proxy, &form, &[("x-forwarded-for", "127.0.0.2")]).await;
    assert_eq!(r.status(), ok, "127.0.0.4 claiming to be 127.0.0.2");

    // A client whose own address is a trusted proxy (127.0.0.1): an
    // appending proxy would hand it the spoofed address's fresh bucket.
    let inside = client(LOOPBACK);
    assert_eq!(
        post_n(4, &inside, &proxy, &form).await,
        [ok, ok, ok, limited]
    );
    for i in 0..3 {
        let value = format!("203.0.113.{}", 50 + i);
        let r = post_login(&inside, &proxy, &form, &[("x-forwarded-for", &value)]).await;
        assert_eq!(
            r.status(),
            limited,
            "127.0.0.1 with X-Forwarded-For: {value}"
        );
    }
}

/// 5. The CSRF check compares `Origin` with the public (https) origin.
#[tokio::test]
async fn posts_pass_the_origin_check_only_from_the_public_origin() {
    let (portal, proxy) = behind_nginx(&[]).await;
    let a = client(TRADER_A);
    let form = start_form(&a, &proxy).await;
    let post = |origin: String, fetch_site: Option<&'static str>| {
        let mut request = a
            .post(proxy.url(&form.action))
            .header("origin", origin)
            .header("accept", "text/html")
            .form(&[(form.field.as_str(), "bob")]);
        if let Some(site) = fetch_site {
            request = request.header("sec-fetch-site", site);
        }
        request.send()
    };

    let same = post(proxy.origin(), None).await.unwrap();
    assert_ne!(same.status(), StatusCode::FORBIDDEN);
    assert_eq!(same.status(), StatusCode::SEE_OTHER, "the public origin");

    let evil = post("https://evil.example".into(), None).await.unwrap();
    assert_eq!(evil.status(), StatusCode::FORBIDDEN, "https://evil.example");
    assert_hsts(evil.headers(), "a 403");
    // The portal's own address is not its public origin.
    let internal = post(portal.base.clone(), None).await.unwrap();
    assert_eq!(internal.status(), StatusCode::FORBIDDEN, "{}", portal.base);
    let plain_http = post(format!("http://127.0.0.1:{}", proxy.port), None)
        .await
        .unwrap();
    assert_eq!(plain_http.status(), StatusCode::FORBIDDEN, "http:// origin");
    let cross = post(proxy.origin(), Some("cross-site")).await.unwrap();
    assert_eq!(
        cross.status(),
        StatusCode::FORBIDDEN,
        "Sec-Fetch-Site: cross-site"
    );
}

/// nginx enforces the portal's 16 KiB body limit: a larger post never
/// reaches the portal.
#[tokio::test]
async fn oversized_posts_stop_at_nginx() {
    let (portal, proxy) = behind_nginx(&[]).await;
    let a = client(TRADER_A);
    let form = start_form(&a, &proxy).await;
    let big = "x".repeat(64 * 1024);
    let r = a
        .post(proxy.url(&form.action))
        .header("origin", proxy.origin())
        .header("accept", "text/html")
        .form(&[(form.field.as_str(), big.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(portal.fetches(&form.action), 0, "the portal never saw it");
}

//! The portal over real HTTP: the binary under test on a real port,
//! talking to its real (in-process) sandbox on another. No browser: these check what a browser
//! can't show, such as status codes, headers, cookies and upstream call
//! counts.

mod support;

use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::StatusCode;
use support::{location, session_cookie, Portal, Sandbox, BIN};

/// Each test runs its own portal process (the debug binary) with its
/// in-process sandbox, plus `vars`.
async fn start(vars: &[(&str, &str)]) -> Portal {
    Portal::builder(BIN).envs(vars).start().await
}

#[tokio::test]
async fn health_and_security_headers() {
    let portal = start(&[]).await;
    let health = portal.get("/healthz", None).await;
    assert_eq!(health.status(), StatusCode::OK);
    for resp in [
        health,
        portal.get("/", None).await,
        portal.get("/nope.css", None).await,
    ] {
        let h = resp.headers();
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["referrer-policy"], "same-origin");
        assert_eq!(h["cross-origin-opener-policy"], "same-origin");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
    }
}

#[tokio::test]
async fn pages_carry_a_fresh_nonce_csp_and_no_store() {
    let portal = start(&[]).await;
    let nonce_of = |csp: &str| {
        csp.split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .map(str::to_string)
    };
    // A rendered page: the expired page renders on every request.
    let first = portal.get("/expired", None).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["cache-control"], "no-store");
    let csp1 = first.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    for directive in [
        "base-uri 'none'",
        "object-src 'none'",
        "form-action 'self'",
        "'strict-dynamic'",
    ] {
        assert!(csp1.contains(directive), "{directive} missing from {csp1}");
    }
    let body = first.text().await.unwrap();
    assert!(body.contains("<html lang=\"en\""));
    let nonce1 = nonce_of(&csp1).expect("a nonce in the CSP");
    // Islands mode: a page without an island has no script at all (the
    // password page's loader carries the nonce; the browser tests prove
    // the CSP lets it run). The page ends at </html>.
    assert!(!body.contains("<script"), "no script on the expired page");
    assert!(body.ends_with("</html>"), "{body}");
    let second = portal.get("/expired", None).await;
    let csp2 = second.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(Some(nonce1), nonce_of(&csp2));

    // The start page without a session is the same bytes for everyone: it
    // is served from memory after the first render, with a CSP that
    // allows no script at all, and the same headers otherwise.
    let start = portal.get("/", None).await;
    let again = portal.get("/", None).await;
    for response in [&start, &again] {
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(csp.contains("script-src 'none'"), "{csp}");
        assert!(!csp.contains("nonce"), "{csp}");
        assert_eq!(response.headers()["x-frame-options"], "DENY");
    }
    let (start, again) = (start.text().await.unwrap(), again.text().await.unwrap());
    assert_eq!(start, again);
    assert!(start.contains("Reset your password") && start.ends_with("</html>"));
    // With a query (an error after a failed post) it renders fresh.
    let error = portal.get("/?__err=x&__path=/api/login", None).await;
    let csp = error.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("'nonce-"), "{csp}");
}

#[tokio::test]
async fn cross_site_posts_are_refused_before_any_upstream_call() {
    let portal = start(&[]).await;
    let url = format!("{}/api/login", portal.base);
    let cross_site = portal
        .http()
        .post(&url)
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .form(&[("login", "alice")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let no_headers = portal
        .http()
        .post(&url)
        .form(&[("login", "alice")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_headers.status(), StatusCode::FORBIDDEN);
    let wrong_origin = portal
        .http()
        .post(&url)
        .header("origin", "http://127.0.0.1:1")
        .form(&[("login", "alice")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_origin.status(), StatusCode::FORBIDDEN);
    assert_eq!(portal.sandbox().calls().await.total(), 0);

    // The configured origin itself is allowed (older browsers without Fetch Metadata).
    let same = portal
        .http()
        .post(&url)
        .header("origin", portal.base.clone())
        .header("accept", "text/html")
        .header("referer", format!("{}/", portal.base))
        .form(&[("login", "alice")])
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn server_functions_accept_only_small_posts() {
    let portal = start(&[]).await;
    let get = portal.get("/api/login?login=alice", None).await;
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED);
    let big = "x".repeat(64 * 1024);
    let resp = portal
        .http()
        .post(format!("{}/api/login", portal.base))
        .header("sec-fetch-site", "same-origin")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("login={big}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let json = portal
        .http()
        .post(format!("{}/api/login", portal.base))
        .header("sec-fetch-site", "same-origin")
        .json(&serde_json::json!({"login": "alice"}))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(portal.sandbox().calls().await.total(), 0);
}

/// security `rotated-id-grace`: past the grace, a superseded cookie finds
/// nothing and makes no upstream call.
#[tokio::test]
async fn a_superseded_cookie_finds_nothing_after_the_grace() {
    let portal = start(&[("PORTAL_SESSION_GRACE_SECS", "2")]).await;
    let step1 = portal
        .post_form("/api/login", None, "/", &[("login", "bob")])
        .await;
    let c1 = session_cookie(step1.headers()).expect("a session cookie");
    let code = portal.sandbox().latest_code("bob").await;
    let step3 = portal
        .post_form("/api/code", Some(&c1), "/code", &[("code", &code)])
        .await;
    assert_eq!(location(&step3), "/password");
    let c2 = session_cookie(step3.headers()).expect("a rotated cookie");
    tokio::time::sleep(std::time::Duration::from_millis(3200)).await;
    let before = portal.sandbox().calls().await.total();
    let replay = portal
        .post_form(
            "/api/password",
            Some(&c1),
            "/password",
            &[
                ("password", "a long new passphrase"),
                ("confirmation", "a long new passphrase"),
            ],
        )
        .await;
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&replay), "/expired");
    assert_eq!(portal.sandbox().calls().await.total(), before);
    // The current cookie still holds the flow.
    let page = portal.get("/password", Some(&c2)).await;
    assert_eq!(page.status(), StatusCode::OK);
}

#[tokio::test]
async fn no_js_flow_rotates_the_session_and_superseded_cookies_fail() {
    let portal = start(&[]).await;

    let step1 = portal
        .post_form("/api/login", None, "/", &[("login", "bob")])
        .await;
    assert_eq!(step1.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&step1), "/code");
    let set_cookie = step1.headers()[SET_COOKIE].to_str().unwrap().to_string();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} missing: {set_cookie}"
        );
    }
    let c1 = session_cookie(step1.headers()).expect("a session cookie");

    let page = portal.get("/code", Some(&c1)).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("one-time-code"));

    let code = portal.sandbox().latest_code("bob").await;
    let step3 = portal
        .post_form("/api/code", Some(&c1), "/code", &[("code", &code)])
        .await;
    assert_eq!(step3.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&step3), "/password");
    let c2 = session_cookie(step3.headers()).expect("a rotated cookie");
    assert_ne!(c1, c2, "the session id rotates after a successful step");

    // The answer carrying c2 was lost: the browser posts the same code
    // again with c1. Within the grace c1 still leads to the flow, which is
    // already past the code: the repeat gets the page the first post led
    // to, its cookie again, and makes no second upstream call (security:
    // `rotated-id-grace`, `idempotent-steps`).
    let before = portal.sandbox().calls().await.total();
    let again = portal
        .post_form("/api/code", Some(&c1), "/code", &[("code", &code)])
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&again), "/password");
    assert_eq!(session_cookie(again.headers()).as_ref(), Some(&c1));
    assert_eq!(portal.sandbox().calls().await.total(), before);

    // A mismatch is caught by the portal: no upstream call, error in the URL.
    let mismatch = portal
        .post_form(
            "/api/password",
            Some(&c2),
            "/password",
            &[
                ("password", "a long new passphrase"),
                ("confirmation", "a long new passphrasf"),
            ],
        )
        .await;
    assert_eq!(mismatch.status(), StatusCode::SEE_OTHER);
    let back = location(&mismatch);
    assert!(
        back.contains("/password?") && back.contains("__err="),
        "{back}"
    );
    assert_eq!(portal.sandbox().calls().await.total(), before);
    let page = portal.get(&back.replace(&portal.base, ""), Some(&c2)).await;
    assert!(page.text().await.unwrap().contains("The two passwords don"));

    let done = portal
        .post_form(
            "/api/password",
            Some(&c2),
            "/password",
            &[
                ("password", "a long new passphrase"),
                ("confirmation", "a long new passphrase"),
            ],
        )
        .await;
    assert_eq!(location(&done), "/done");
    let c3 = session_cookie(done.headers()).expect("a new session after done");
    // The answer carrying c3 was lost: the same post again with c2 is told
    // it is done, with no second PUT.
    let before = portal.sandbox().calls().await.total();
    let again = portal
        .post_form(
            "/api/password",
            Some(&c2),
            "/password",
            &[
                ("password", "a long new passphrase"),
                ("confirmation", "a long new passphrase"),
            ],
        )
        .await;
    assert_eq!(location(&again), "/done");
    assert_eq!(portal.sandbox().calls().await.total(), before);
    let page = portal.get("/password", Some(&c2)).await;
    assert_eq!(location(&page), "/done");
    let page = portal.get("/done", Some(&c3)).await;
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Your password has been changed"));
    // The flow is gone: its pages send the trader away.
    let after = portal.get("/password", Some(&c3)).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);

    assert_eq!(
        portal
            .sandbox()
            .sign_in_status("bob", "a long new passphrase")
            .await,
        StatusCode::OK
    );
    assert_eq!(
        portal
            .sandbox()
            .sign_in_status("bob", "Bob-Old-Pass-1")
            .await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn forged_or_missing_sessions_reach_no_step_and_call_nothing() {
    let portal = start(&[]).await;
    let forged = portal
        .get("/code", Some("reset=AAAAAAAAAAAAAAAAAAAAAA"))
        .await;
    assert_eq!(forged.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&forged), "/expired");
    for (path, form) in [
        ("/api/code", vec![("code", "123456")]),
        (
            "/api/password",
            vec![("password", "a long new passphrase"), ("confirmation", "y")],
        ),
        ("/api/answer", vec![("answer", "Peterson")]),
        ("/api/resend", vec![]),
    ] {
        let resp = portal.post_form(path, None, "/", &form).await;
        assert_eq!(location(&resp), "/expired", "{path}");
    }
    assert_eq!(portal.sandbox().calls().await.total(), 0);
}

#[tokio::test]
async fn an_unknown_login_looks_like_a_known_one_that_answered_wrong() {
    let portal = start(&[]).await;
    let mut outcomes = Vec::new();
    for login in ["alice", "nobody-at-all"] {
        let step1 = portal
            .post_form("/api/login", None, "/", &[("login", login)])
            .await;
        assert_eq!(location(&step1), "/question", "{login}");
        let cookie = session_cookie(step1.headers()).unwrap();
        let page = portal
            .get("/question", Some(&cookie))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("<label for=\"answer\""),
            "{login} sees a question"
        );
        let calls_before = portal.sandbox().calls().await.total();
        let wrong = portal
            .post_form(
                "/api/answer",
                Some(&cookie),
                "/question",
                &[("answer", "Wrong")],
            )
            .await;
        let calls = portal.sandbox().calls().await.total() - calls_before;
        outcomes.push((wrong.status(), location(&wrong), calls));
    }
    // Same status, same page and error, and the same upstream work (so the
    // same timing, within upstream's noise).
    assert_eq!(outcomes[0], outcomes[1]);
    assert_eq!(outcomes[0].2, 1);
    // The decoy question is stable for the same login.
    assert_eq!(
        decoy_question(&portal, "nobody-at-all").await,
        decoy_question(&portal, "nobody-at-all").await
    );
}

async fn decoy_question(portal: &Portal, login: &str) -> String {
    let r = portal
        .post_form("/api/login", None, "/", &[("login", login)])
        .await;
    let c = session_cookie(r.headers()).unwrap();
    let page = portal
        .get("/question", Some(&c))
        .await
        .text()
        .await
        .unwrap();
    page.split("<label for=\"answer\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn posts_are_rate_limited_per_address() {
    let portal = start(&[("PORTAL_IP_BURST", "3"), ("PORTAL_IP_RATE_PER_MINUTE", "1")]).await;
    for _ in 0..3 {
        let r = portal.post_form("/api/start-over", None, "/", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let limited = portal.post_form("/api/start-over", None, "/", &[]).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited
        .text()
        .await
        .unwrap()
        .contains("Please try again in 1 minute."));
    let big = portal
        .http()
        .post(format!("{}/api/login", portal.base))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("login={}", "x".repeat(64 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(big
        .text()
        .await
        .unwrap()
        .contains("This form was too large"));
}

/// Every refusal goes through `PortalError`'s one response: a browser gets
/// a page in the portal's frame, CSS and its language; a server-function
/// client the JSON it decodes.
#[tokio::test]
async fn refusals_are_pages_in_the_traders_language_or_json() {
    let portal = start(&[("PORTAL_IP_BURST", "1"), ("PORTAL_IP_RATE_PER_MINUTE", "1")]).await;
    let first = portal.post_form("/api/start-over", None, "/", &[]).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let page = |lang: &'static str| {
        portal
            .http()
            .post(format!("{}/api/start-over", portal.base))
            .header("sec-fetch-site", "same-origin")
            .header("accept", "text/html")
            .header("accept-language", lang)
            .form(&[("x", "")])
            .send()
    };
    let arabic = page("ar").await.unwrap();
    assert_eq!(arabic.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(arabic.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("nonce-"));
    let html = arabic.text().await.unwrap();
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#), "{html}");
    assert!(
        html.contains("class=\"card\""),
        "the portal's frame: {html}"
    );
    assert!(html.contains("stylesheet"), "the portal's CSS");
    assert!(
        !html.contains("Too many requests"),
        "no English left: {html}"
    );
    assert!(
        html.contains(r#"href="/?lang=en""#),
        "the switcher leads to the start page, not back to the post: {html}"
    );
    let german = page("de").await.unwrap().text().await.unwrap();
    assert!(german.contains(r#"<html lang="de""#));

    // The same refusal for a server-function client: JSON.
    let json = portal
        .http()
        .post(format!("{}/api/start-over", portal.base))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .form(&[("x", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), StatusCode::TOO_MANY_REQUESTS);
    let error: serde_json::Value = json.json().await.unwrap();
    assert!(error.get("RateLimited").is_some(), "{error}");

    // A cross-site post and a body over the limit: pages too.
    let forged = portal
        .http()
        .post(format!("{}/api/login", portal.base))
        .header("origin", "https://evil.example")
        .header("accept", "text/html")
        .header("accept-language", "fr")
        .form(&[("login", "alice")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.text().await.unwrap().contains(r#"<html lang="fr""#));
}

/// Behind a trusted proxy each trader gets their own bucket; a client that
/// sends its own `X-Forwarded-For` to a portal that trusts no proxy can't
/// pick a fresh bucket with it.
#[tokio::test]
async fn forwarded_addresses_count_only_from_a_trusted_proxy() {
    async fn posts_until_limited(portal: &Portal, forwarded_for: &[&str]) -> Vec<StatusCode> {
        let mut statuses = Vec::new();
        for client in forwarded_for {
            let r = portal
                .http()
                .post(format!("{}/api/start-over", portal.base))
                .header("sec-fetch-site", "same-origin")
                .header("accept", "text/html")
                .header("x-forwarded-for", *client)
                .header("content-type", "application/x-www-form-urlencoded")
                .send()
                .await
                .unwrap();
            statuses.push(r.status());
        }
        statuses
    }
    let clients = ["1.1.1.1", "1.1.1.1", "2.2.2.2", "2.2.2.2", "1.1.1.1"];
    let limits = [("PORTAL_IP_BURST", "2"), ("PORTAL_IP_RATE_PER_MINUTE", "1")];

    let mut trusting = limits.to_vec();
    trusting.push(("PORTAL_TRUSTED_PROXIES", "127.0.0.1"));
    let behind_proxy = start(&trusting).await;
    let ok = StatusCode::SEE_OTHER;
    let limited = StatusCode::TOO_MANY_REQUESTS;
    assert_eq!(
        posts_until_limited(&behind_proxy, &clients).await,
        [ok, ok, ok, ok, limited]
    );

    let direct = start(&limits).await;
    assert_eq!(
        posts_until_limited(&direct, &clients).await,
        [ok, ok, limited, limited, limited]
    );
}

#[tokio::test]
async fn a_rejected_app_key_is_a_calm_unavailable_and_no_dev_pages_outside_the_sandbox() {
    // The standalone sandbox accepts only its own key, not the portal's.
    let sandbox = Sandbox::start(BIN).await;
    let url = format!("{}/", sandbox.url());
    let portal = start(&[
        ("AUTOSHARES_API_URL", url.as_str()),
        ("AUTOSHARES_APP_KEY", "a-wrong-key"),
        ("PORTAL_SIGN_IN_URL", "https://broker.example/login"),
    ])
    .await;
    let resp = portal
        .post_form("/api/login", None, "/", &[("login", "alice")])
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let back = location(&resp);
    assert!(back.contains("__err="), "{back}");
    let cookie = session_cookie(resp.headers());
    let page = portal
        .get(&back.replace(&portal.base, ""), cookie.as_deref())
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("The service is temporarily unavailable"));
    assert!(!page.contains("Application key"), "no upstream text");
    assert!(
        !page.contains("Sandbox"),
        "no sandbox banner against a real upstream"
    );
    assert_eq!(
        portal.get("/dev/mailbox", None).await.status(),
        StatusCode::NOT_FOUND
    );
    // The operator's readiness check fails and says why.
    let ready = portal.get("/readyz", None).await;
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["upstream"], "app_key_rejected");
    assert_eq!(body["ready"], false);
}

#[tokio::test]
async fn five_wrong_answers_burn_the_flow() {
    let portal = start(&[("PORTAL_WRONG_ANSWERS_PER_15_MIN", "100")]).await;
    let step1 = portal
        .post_form("/api/login", None, "/", &[("login", "alice")])
        .await;
    let cookie = session_cookie(step1.headers()).unwrap();
    let mut last = String::new();
    // The ended flow's reason lives under the session's new id (an ended
    // session is renewed), which the last answer sets, as a browser keeps.
    let mut ended = cookie.clone();
    for _ in 0..5 {
        let r = portal
            .post_form(
                "/api/answer",
                Some(&cookie),
                "/question",
                &[("answer", "Wrong")],
            )
            .await;
        last = location(&r);
        if let Some(renewed) = session_cookie(r.headers()) {
            ended = renewed;
        }
    }
    let page = portal
        .get(&last.replace(&portal.base, ""), Some(&ended))
        .await;
    assert!(page.text().await.unwrap().contains("Too many attempts"));
    // The flow is gone: even the right answer now reaches no step.
    let after = portal
        .post_form(
            "/api/answer",
            Some(&cookie),
            "/question",
            &[("answer", "Peterson")],
        )
        .await;
    assert_eq!(location(&after), "/expired");
}

#[tokio::test]
async fn the_identifier_limit_spans_sessions() {
    let portal = start(&[]).await;
    // Three code emails per hour for bob, whichever session asks.
    for _ in 0..3 {
        let r = portal
            .post_form("/api/login", None, "/", &[("login", "bob")])
            .await;
        assert_eq!(location(&r), "/code");
    }
    let fourth = portal
        .post_form("/api/login", None, "/", &[("login", "bob")])
        .await;
    assert!(
        location(&fourth).contains("__err="),
        "{}",
        location(&fourth)
    );
    assert_eq!(
        portal.sandbox().calls().await.total(),
        3 + 3 + 1,
        "3 lookups, 3 resets, 1 lookup"
    );
}

#[tokio::test]
async fn duplicate_or_unknown_form_fields_are_refused_with_a_clear_message() {
    let portal = start(&[]).await;
    let step1 = portal
        .post_form("/api/login", None, "/", &[("login", "bob")])
        .await;
    assert_eq!(location(&step1), "/code");
    let cookie = session_cookie(step1.headers()).unwrap();
    let before = portal.sandbox().calls().await.total();
    for form in [
        vec![("code", "123456"), ("code", "654321")],
        vec![("code", "123456"), ("admin", "1")],
    ] {
        // A plain form post goes back to the page, which says why.
        let resp = portal
            .post_form("/api/code", Some(&cookie), "/code", &form)
            .await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{form:?}");
        let back = location(&resp);
        assert!(back.contains("/code?") && back.contains("__err="), "{back}");
        let page = portal
            .get(&back.replace(&portal.base, ""), Some(&cookie))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("fields we didn&#x27;t expect")
                || page.contains("fields we didn't expect"),
            "{form:?}"
        );
        // The hydrated client gets the same error as JSON.
        let fetched = portal
            .http()
            .post(format!("{}/api/code", portal.base))
            .header("sec-fetch-site", "same-origin")
            .header("accept", "application/json")
            .header(COOKIE, &cookie)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(fetched.status(), StatusCode::BAD_REQUEST);
        assert_eq!(fetched.text().await.unwrap(), "\"UnexpectedFields\"");
    }
    // Nothing reached AutoShares, and the flow still takes a proper form.
    assert_eq!(portal.sandbox().calls().await.total(), before);
    let wrong = portal
        .post_form("/api/code", Some(&cookie), "/code", &[("code", "0000000")])
        .await;
    assert!(location(&wrong).contains("__err="));
    assert_eq!(portal.sandbox().calls().await.total(), before + 1);
}

/// The hydrated client's calls (no `text/html` in `Accept`) count wrong codes
/// exactly like plain form posts: the fifth burns the flow.
#[tokio::test]
async fn the_hydrated_client_burns_the_flow_after_five_wrong_codes() {
    let portal = start(&[]).await;
    let call = |cookie: String, code: &'static str| {
        let request = portal
            .http()
            .post(format!("{}/api/code", portal.base))
            .header("sec-fetch-site", "same-origin")
            .header("accept", "application/json")
            .header(COOKIE, cookie)
            .form(&[("code", code)]);
        async move { request.send().await.unwrap() }
    };
    let step1 = portal
        .post_form("/api/login", None, "/", &[("login", "bob")])
        .await;
    let mut cookie = session_cookie(step1.headers()).unwrap();
    for attempt in 1..=4 {
        let wrong = call(cookie.clone(), "0000000").await;
        assert_eq!(
            wrong.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{attempt}"
        );
        if let Some(next) = session_cookie(wrong.headers()) {
            cookie = next;
        }
        assert_eq!(wrong.text().await.unwrap(), "\"WrongCode\"", "{attempt}");
    }
    let fifth = call(cookie.clone(), "0000000").await;
    assert_eq!(fifth.status(), StatusCode::OK);
    assert_eq!(location(&fifth), "/expired");
    assert!(fifth.headers().contains_key("serverfnredirect"));
    let cookie = session_cookie(fifth.headers()).unwrap_or(cookie);
    let page = portal.get("/expired", Some(&cookie)).await;
    assert!(page.text().await.unwrap().contains("Too many attempts"));
}

#[tokio::test]
async fn readiness_probes_upstream_at_most_every_30_seconds() {
    let portal = start(&[]).await;
    let before = portal.sandbox().calls().await.total();
    for _ in 0..3 {
        let ready = portal.get("/readyz", None).await;
        assert_eq!(ready.status(), StatusCode::OK);
        let body: serde_json::Value = ready.json().await.unwrap();
        assert_eq!(
            body,
            serde_json::json!({"ready": true, "upstream": "ok", "store": "ok"})
        );
    }
    assert_eq!(
        portal.sandbox().calls().await.total(),
        before + 1,
        "one probe, then cached"
    );

    // AutoShares down is every instance's problem: still in rotation, and said.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{closed}/");
    let cut_off = start(&[
        ("AUTOSHARES_API_URL", url.as_str()),
        ("AUTOSHARES_APP_KEY", "any-key"),
        ("PORTAL_SIGN_IN_URL", "https://broker.example/login"),
    ])
    .await;
    let ready = cut_off.get("/readyz", None).await;
    assert_eq!(ready.status(), StatusCode::OK);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["upstream"], "unavailable");
}

/// Without decoy questions, an unknown login reaches the code page like a
/// known one. Its steps make no upstream call, but they take as long as the
/// calls a known login makes (here slowed to 300 ms), so timing can't tell
/// the two apart.
#[tokio::test]
async fn without_decoys_an_unknown_login_is_as_slow_as_a_known_one() {
    let portal = start(&[("PORTAL_DECOY_QUESTIONS", "false")]).await;
    let slow = serde_json::json!({"latency_ms": 300});
    for endpoint in ["reset", "code"] {
        let status = portal.sandbox().set_fault(endpoint, slow.clone()).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let ms = |t: std::time::Instant| t.elapsed().as_millis();
    let mut timings = Vec::new();
    // bob (known, no question) first: his calls teach the portal how long
    // upstream takes.
    for login in ["bob", "nobody-at-all"] {
        let t = std::time::Instant::now();
        let step1 = portal
            .post_form("/api/login", None, "/", &[("login", login)])
            .await;
        let login_ms = ms(t);
        assert_eq!(location(&step1), "/code", "{login}");
        let cookie = session_cookie(step1.headers()).unwrap();
        let t = std::time::Instant::now();
        let wrong = portal
            .post_form("/api/code", Some(&cookie), "/code", &[("code", "0000000")])
            .await;
        let code_ms = ms(t);
        assert!(location(&wrong).contains("__err="), "{login}");
        timings.push((login, login_ms, code_ms));
    }
    for (login, login_ms, code_ms) in timings {
        assert!(login_ms >= 290, "{login}: step 1 took {login_ms} ms");
        assert!(code_ms >= 290, "{login}: a wrong code took {code_ms} ms");
    }
}

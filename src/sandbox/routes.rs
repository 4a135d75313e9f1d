//! [ssr] The AutoShares API routes, faithful to the contract: envelope
//! shapes, the lower-case `{"error": …}` for a wrong app key, `passwords`
//! in step D's path, and `/token` with 200, 202 and 401.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::faults::{self, Endpoint};
use super::users::{uuid_like, Rejection};
use super::{lock, RecordedRequest, Sandbox};

pub fn api() -> Router<Sandbox> {
    Router::new()
        .route(
            "/{version}/users/password/secret-question",
            get(secret_question),
        )
        .route("/{version}/users/password/reset", post(reset))
        .route("/{version}/users/password/reset/code", post(code))
        .route("/{version}/users/passwords/reset/", put(set_password))
        .route("/token", post(token))
}

/// Check the version segment, then count, record, apply a fault and check
/// the key. `Err` is the answer to send instead of the real one.
///
/// A path whose first segment is not `v{version}` is not an endpoint at
/// all: it answers 404 like an unknown path, and is not counted.
async fn admit(
    sandbox: &Sandbox,
    endpoint: Endpoint,
    version: Option<&str>,
    headers: &HeaderMap,
    query: Option<String>,
    body: &[u8],
) -> Result<(), Response> {
    if version.is_some_and(|v| v.strip_prefix('v').is_none_or(str::is_empty)) {
        return Err(StatusCode::NOT_FOUND.into_response());
    }
    {
        let mut calls = lock(&sandbox.inner.calls);
        match endpoint {
            Endpoint::SecretQuestion => calls.secret_question += 1,
            Endpoint::Reset => calls.reset += 1,
            Endpoint::Code => calls.code += 1,
            Endpoint::Password => calls.password += 1,
            Endpoint::Token => calls.token += 1,
        }
    }
    lock(&sandbox.inner.recorded).insert(
        endpoint,
        RecordedRequest {
            query,
            body: String::from_utf8_lossy(body).into_owned(),
        },
    );
    let fault = {
        let mut faults = lock(&sandbox.inner.faults);
        let fault = faults.get(&endpoint).cloned();
        if let Some(Some(remaining)) = fault.as_ref().map(|f| f.remaining) {
            if remaining <= 1 {
                faults.remove(&endpoint);
            } else if let Some(f) = faults.get_mut(&endpoint) {
                f.remaining = Some(remaining - 1);
            }
        }
        fault
    };
    if let Some(response) = faults::apply(fault).await {
        return Err(response);
    }
    let key = headers.get("Et-App-Key").and_then(|v| v.to_str().ok());
    if key != Some(sandbox.inner.config.app_key.as_str()) {
        // The docs give no status for this shape; AutoShares answers it
        // like any other body, so 200 here exercises "parse whatever the status".
        return Err(
            Json(json!({"error": "Application key is not defined or does not exist"}))
                .into_response(),
        );
    }
    Ok(())
}

fn succeeded(model: Option<Value>) -> Response {
    let mut body = json!({"Errors": [], "IsSucceed": true});
    if let (Some(model), Some(object)) = (model, body.as_object_mut()) {
        object.insert("Model".into(), model);
    }
    Json(body).into_response()
}

/// `IsSucceed: false`. The docs give no status for envelope errors; the
/// sandbox answers 400, so the client's "parse whatever the status" path is
/// exercised (the app-key shape, by contrast, comes with 200).
fn rejected(rejection: Rejection) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({
            "Errors": [rejection.message],
            "ErrorsCode": [rejection.code],
            "IsSucceed": false,
        })),
    )
        .into_response()
}

fn bad_request() -> Response {
    rejected(Rejection {
        code: "ErrorInvalidRequest",
        message: "The request is invalid.",
    })
}

fn json_body(body: &[u8]) -> Option<serde_json::Map<String, Value>> {
    serde_json::from_slice::<Value>(body)
        .ok()?
        .as_object()
        .cloned()
}

fn field<'a>(object: &'a serde_json::Map<String, Value>, name: &str) -> Option<&'a str> {
    object.get(name).and_then(Value::as_str)
}

/// The preamble of every JSON endpoint: admit the call (key, faults,
/// recording), then read the body as a JSON object.
async fn admit_json(
    sandbox: &Sandbox,
    endpoint: Endpoint,
    version: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<serde_json::Map<String, Value>, Response> {
    admit(sandbox, endpoint, Some(version), headers, None, body).await?;
    json_body(body).ok_or_else(bad_request)
}

async fn secret_question(
    State(sandbox): State<Sandbox>,
    Path(version): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    if let Err(response) = admit(
        &sandbox,
        Endpoint::SecretQuestion,
        Some(&version),
        &headers,
        query.clone(),
        &[],
    )
    .await
    {
        return response;
    }
    let usernames: Vec<String> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == "username")
        .map(|(_, v)| v.into_owned())
        .collect();
    let [username] = usernames.as_slice() else {
        return bad_request();
    };
    match lock(&sandbox.inner.world).secret_question(username) {
        Ok(question) => succeeded(Some(question.map_or(Value::Null, Value::String))),
        Err(rejection) => rejected(rejection),
    }
}

async fn reset(
    State(sandbox): State<Sandbox>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let object = match admit_json(&sandbox, Endpoint::Reset, &version, &headers, &body).await {
        Ok(object) => object,
        Err(response) => return response,
    };
    let Some(user) = field(&object, "User") else {
        return bad_request();
    };
    match lock(&sandbox.inner.world).request_reset(user, field(&object, "SecretQuestionAnswer")) {
        Ok(()) => succeeded(None),
        Err(rejection) => rejected(rejection),
    }
}

async fn code(
    State(sandbox): State<Sandbox>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let object = match admit_json(&sandbox, Endpoint::Code, &version, &headers, &body).await {
        Ok(object) => object,
        Err(response) => return response,
    };
    let Some(code) = field(&object, "Code") else {
        return bad_request();
    };
    let config = &sandbox.inner.config;
    match lock(&sandbox.inner.world).exchange_code(code, config.code_ttl, &config.token_prefix) {
        Ok(token) => succeeded(Some(Value::String(token))),
        Err(rejection) => rejected(rejection),
    }
}

async fn set_password(
    State(sandbox): State<Sandbox>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let object = match admit_json(&sandbox, Endpoint::Password, &version, &headers, &body).await {
        Ok(object) => object,
        Err(response) => return response,
    };
    let (Some(token), Some(password), Some(confirmation)) = (
        field(&object, "Token"),
        field(&object, "Password"),
        field(&object, "PasswordConfirmation"),
    ) else {
        return bad_request();
    };
    let ttl = sandbox.inner.config.token_ttl;
    match lock(&sandbox.inner.world).set_password(token, password, confirmation, ttl) {
        Ok(()) => succeeded(None),
        Err(rejection) => rejected(rejection),
    }
}

async fn token(State(sandbox): State<Sandbox>, headers: HeaderMap) -> Response {
    if let Err(response) = admit(&sandbox, Endpoint::Token, None, &headers, None, &[]).await {
        return response;
    }
    // Header bytes read as UTF-8: a password may be any Unicode.
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
    };
    let (Some(user), Some(password)) = (header("Username"), header("Password")) else {
        return failed_sign_in();
    };
    let outcome = lock(&sandbox.inner.world).sign_in(user, password, header("VerificationCode"));
    match outcome {
        Ok(true) => Json(json!({"State": "Succeeded", "Token": uuid_like()})).into_response(),
        Ok(false) => (
            StatusCode::ACCEPTED,
            Json(json!({"Step": "SecutityPin", "Reason": "Invalid pin", "State": "Expecting", "Token": uuid_like()})),
        )
            .into_response(),
        Err(()) => failed_sign_in(),
    }
}

fn failed_sign_in() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"State": "Failed", "Step": "SecutityPin", "Reason": "Invalid credentials"})),
    )
        .into_response()
}

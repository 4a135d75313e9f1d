//! [ssr] security: `exact-form-fields`: a server function's form must carry exactly the
//! fields that function takes, each once (and, for a step that may ask for
//! a proof of work, at most one `altcha` field, which is taken out here and
//! handed to the step as [`ProofOffered`]). A duplicate or unknown field means
//! a tampered or broken form: nothing runs, and the trader gets a clear
//! message the same way any other failure reaches them (back to the page
//! with the error for a plain form post, an error body for the hydrated
//! client).

use std::collections::HashSet;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::ServerFn;

use super::{MAX_BODY_BYTES, SERVER_FN_PREFIX};
use crate::components::challenge::FIELD as PROOF_FIELD;
use crate::error::PortalError;
use crate::server_fns::{
    ResendCode, StartOver, SubmitAnswer, SubmitCode, SubmitLogin, SubmitPassword,
};
use crate::steps::challenge::ProofOffered;

/// Whether a server function's form may carry a proof of work: the steps
/// that spend a budget (`steps::outcome::Spend`) may.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Proof {
    MayCarry,
    Never,
}

/// Each server function's path, the fields it takes (its argument names),
/// and whether its form may also carry a proof of work.
fn server_fns() -> [(&'static str, &'static [&'static str], Proof); 6] {
    [
        (SubmitLogin::PATH, &["login"], Proof::MayCarry),
        (SubmitAnswer::PATH, &["answer"], Proof::MayCarry),
        (SubmitCode::PATH, &["code"], Proof::MayCarry),
        (ResendCode::PATH, &[], Proof::MayCarry),
        (
            SubmitPassword::PATH,
            &["password", "confirmation"],
            Proof::Never,
        ),
        (StartOver::PATH, &[], Proof::Never),
    ]
}

/// The fields each server function takes, and whether it may carry a proof.
fn expected_fields(path: &str) -> Option<(&'static [&'static str], Proof)> {
    server_fns()
        .into_iter()
        .find_map(|(p, fields, proof)| (p == path).then_some((fields, proof)))
}

/// `path` as a `'static` name, if it is one of the server functions.
pub fn server_fn_name(path: &str) -> Option<&'static str> {
    server_fns()
        .into_iter()
        .find_map(|(p, _, _)| (p == path).then_some(p))
}

/// Whether the urlencoded `body` holds each expected field at most once and
/// nothing else.
pub fn fields_are_exact(body: &[u8], expected: &[&str]) -> bool {
    let mut seen = HashSet::new();
    url::form_urlencoded::parse(body)
        .all(|(name, _)| expected.contains(&name.as_ref()) && seen.insert(name))
}

pub async fn exact_fields_only(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !path.starts_with(SERVER_FN_PREFIX) {
        return next.run(request).await;
    }
    // A server function missing from the table fails closed: nothing runs
    // unchecked (and the test below fails first).
    let Some((expected, may_carry)) = expected_fields(path) else {
        tracing::error!(event = "server_fn_without_field_list", %path);
        return PortalError::UnexpectedFields.into_response();
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return PortalError::TooLarge.into_response();
    };
    let (bytes, proof) = match may_carry {
        Proof::Never => (bytes, None),
        Proof::MayCarry => match take_field(bytes, PROOF_FIELD) {
            Some(split) => split,
            None => {
                tracing::warn!(event = "unexpected_form_fields", path = %parts.uri.path());
                return PortalError::UnexpectedFields.into_response();
            }
        },
    };
    if fields_are_exact(&bytes, expected) {
        let mut request = Request::from_parts(parts, Body::from(bytes));
        if let Some(proof) = proof {
            request.extensions_mut().insert(ProofOffered(proof));
        }
        return next.run(request).await;
    }
    tracing::warn!(event = "unexpected_form_fields", path = %parts.uri.path());
    PortalError::UnexpectedFields.into_response()
}

/// The urlencoded `body` without `name`, and `name`'s value (the body as
/// it came when `name` is absent); `None` when `name` comes more than once.
pub fn take_field(body: Bytes, name: &str) -> Option<(Bytes, Option<String>)> {
    if !url::form_urlencoded::parse(&body).any(|(field, _)| field == name) {
        return Some((body, None));
    }
    let mut taken = None;
    let mut rest = url::form_urlencoded::Serializer::new(String::new());
    for (field, value) in url::form_urlencoded::parse(&body) {
        if field == name {
            if taken.replace(value.into_owned()).is_some() {
                return None;
            }
        } else {
            rest.append_pair(&field, &value);
        }
    }
    Some((Bytes::from(rest.finish()), taken))
}

#[cfg(test)]
mod tests {
    use super::{expected_fields, fields_are_exact, take_field, SERVER_FN_PREFIX};
    use axum::body::Bytes;

    #[test]
    fn every_server_function_has_its_field_list() {
        let paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path)
            .collect();
        assert!(paths.len() >= 6, "{paths:?}");
        for path in paths {
            assert!(path.starts_with(SERVER_FN_PREFIX), "{path}");
            assert!(
                expected_fields(path).is_some(),
                "{path} has no entry in form_fields::expected_fields"
            );
        }
    }

    #[test]
    fn exact_fields_pass_and_anything_else_fails() {
        let both = ["password", "confirmation"];
        assert!(fields_are_exact(b"password=a&confirmation=a", &both));
        assert!(fields_are_exact(b"password=a", &both));
        assert!(fields_are_exact(b"", &[]));
        assert!(!fields_are_exact(b"code=1&code=2", &["code"]));
        assert!(!fields_are_exact(b"code=1&admin=true", &["code"]));
        assert!(!fields_are_exact(b"x=1", &[]));
        // Percent-encoded names are decoded before they are compared.
        assert!(!fields_are_exact(b"cod%65=1&code=2", &["code"]));
    }

    #[test]
    fn the_proof_field_is_taken_out_once() {
        let body = |text: &'static str| Bytes::from_static(text.as_bytes());
        let (rest, proof) = take_field(body("code=12+3&altcha=eyJ9"), "altcha").unwrap();
        assert_eq!(rest, b"code=12+3".as_slice());
        assert_eq!(proof.as_deref(), Some("eyJ9"));
        let (rest, proof) = take_field(body("code=1"), "altcha").unwrap();
        assert_eq!((rest.as_ref(), proof), (b"code=1".as_slice(), None));
        assert_eq!(take_field(body("altcha=a&altcha=b"), "altcha"), None);
    }
}

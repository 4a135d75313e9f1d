//! [ssr] The wire shapes and the one parser every response goes through.
//!
//! The parser is pure (status + bytes → typed result) and total: it never
//! panics, whatever the bytes. It decides by body shape first, because the
//! docs give no statuses for envelope errors.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{AutoSharesError, Unavailable};

/// Step B body. `SecretQuestionAnswer` is omitted, not empty, without an answer.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResetRequest<'a> {
    pub user: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_question_answer: Option<&'a str>,
}

/// Step C body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeRequest<'a> {
    pub code: &'a str,
}

/// Step D body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetPasswordRequest<'a> {
    pub token: &'a str,
    pub password: &'a str,
    pub password_confirmation: &'a str,
}

/// The common envelope, after a successful parse. `parse_envelope` turns
/// `IsSucceed: false` into `AutoSharesError::Rejected`, so an `Envelope`
/// always has `is_succeed == true`; `errors` and `errors_code` are kept as
/// sent (upstream may attach warnings to a success).
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub model: Option<Value>,
    pub errors: Vec<String>,
    pub errors_code: Vec<String>,
    pub is_succeed: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawEnvelope {
    #[serde(default)]
    model: Option<Value>,
    #[serde(default)]
    errors: Option<Vec<Value>>,
    #[serde(default)]
    errors_code: Option<Vec<Value>>,
    is_succeed: bool,
}

/// `/token`'s answer.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenAnswer {
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub step: Option<String>,
}

fn strings(values: Option<Vec<Value>>) -> Vec<String> {
    values
        .unwrap_or_default()
        .into_iter()
        .map(|v| match v {
            Value::String(s) => s,
            other => other.to_string(),
        })
        .collect()
}

/// Classify a response that is not an envelope question yet: statuses
/// that mean "no usable answer", JSON-ness, and the app-key shape.
pub fn parse_json(status: u16, body: &[u8]) -> Result<Value, AutoSharesError> {
    let unavailable = |reason| Err(AutoSharesError::Unavailable(reason));
    if (300..400).contains(&status) {
        return unavailable(Unavailable::Redirect(status));
    }
    if status >= 500 {
        return unavailable(Unavailable::ServerError(status));
    }
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return unavailable(Unavailable::NotJson);
    };
    if let Some(object) = value.as_object() {
        if object.contains_key("error") && !object.contains_key("IsSucceed") {
            return Err(AutoSharesError::AppKeyRejected);
        }
    }
    Ok(value)
}

/// Parse any envelope response. Success needs a 2xx or 4xx status (the
/// docs give none for errors), valid JSON, and `IsSucceed == true`.
pub fn parse_envelope(status: u16, body: &[u8]) -> Result<Envelope, AutoSharesError> {
    let value = parse_json(status, body)?;
    let Ok(raw) = serde_json::from_value::<RawEnvelope>(value) else {
        return Err(AutoSharesError::Unavailable(Unavailable::UnexpectedShape));
    };
    if raw.is_succeed {
        if !(200..300).contains(&status) {
            return Err(AutoSharesError::Unavailable(Unavailable::UnexpectedShape));
        }
        Ok(Envelope {
            model: raw.model,
            errors: strings(raw.errors),
            errors_code: strings(raw.errors_code),
            is_succeed: true,
        })
    } else {
        Err(AutoSharesError::Rejected {
            codes: strings(raw.errors_code),
            messages: strings(raw.errors),
        })
    }
}

/// A `Model` that is a non-blank string, trimmed; anything else is none.
pub fn model_text(model: Option<&Value>) -> Option<String> {
    model
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(status: u16, body: &str) -> Result<Envelope, AutoSharesError> {
        parse_envelope(status, body.as_bytes())
    }

    #[test]
    fn success_with_and_without_model() {
        let ok = parse(200, r#"{"Model":"Q?","Errors":[],"IsSucceed":true}"#).unwrap();
        assert_eq!(model_text(ok.model.as_ref()), Some("Q?".into()));
        assert!(ok.is_succeed && ok.errors.is_empty() && ok.errors_code.is_empty());
        let ok = parse(200, r#"{"Errors":[],"IsSucceed":true}"#).unwrap();
        assert_eq!(model_text(ok.model.as_ref()), None);
    }

    #[test]
    fn blank_models_are_none() {
        for model in ["null", "\"\"", "\"   \"", "42", "{}"] {
            let body = format!(r#"{{"Model":{model},"IsSucceed":true}}"#);
            let env = parse(200, &body).unwrap();
            assert_eq!(model_text(env.model.as_ref()), None, "{model}");
        }
    }

    #[test]
    fn rejection_keeps_codes_and_messages() {
        let err = parse(
            400,
            r#"{"Errors":["Answer is incorrect, try again."],"ErrorsCode":["ErrorIncorrectAnswer"],"IsSucceed":false}"#,
        )
        .unwrap_err();
        assert!(err.has_code("ErrorIncorrectAnswer"));
        let shown = err.to_string();
        assert!(!shown.contains("Answer is incorrect"), "{shown}");
        // The docs' own ambiguous example: false with no errors.
        let err = parse(200, r#"{"Errors":[],"IsSucceed":false}"#).unwrap_err();
        assert!(matches!(err, AutoSharesError::Rejected { ref codes, .. } if codes.is_empty()));
    }

    #[test]
    fn the_app_key_shape() {
        let err = parse(
            200,
            r#"{"error":"Application key is not defined or does not exist"}"#,
        );
        assert!(matches!(err, Err(AutoSharesError::AppKeyRejected)));
        let err = parse(401, r#"{"error":"x"}"#);
        assert!(matches!(err, Err(AutoSharesError::AppKeyRejected)));
    }

    #[test]
    fn unusable_answers_are_unavailable() {
        use Unavailable::*;
        let cases = [
            (503, "<html>Bad gateway</html>", ServerError(503)),
            (500, r#"{"Errors":[],"IsSucceed":true}"#, ServerError(500)),
            (302, "", Redirect(302)),
            (200, "<html>proxy</html>", NotJson),
            (200, r#"{"IsSucc"#, NotJson),
            (200, r#"{"Result":1}"#, UnexpectedShape),
            (200, r#"{"IsSucceed":"yes"}"#, UnexpectedShape),
            (200, "[]", UnexpectedShape),
            (404, r#"{"IsSucceed":true}"#, UnexpectedShape),
        ];
        for (status, body, want) in cases {
            match parse(status, body) {
                Err(AutoSharesError::Unavailable(got)) => assert_eq!(got, want, "{status} {body}"),
                other => panic!("{status} {body}: {other:?}"),
            }
        }
    }
}

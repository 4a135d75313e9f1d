//! Property tests: the response parser takes any bytes and any status and
//! always returns a typed result, never a panic.

use autoshares_portal::autoshares::dto::{model_text, parse_envelope, parse_json};
use autoshares_portal::autoshares::error::AutoSharesError;
use proptest::prelude::*;

fn json_like() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        ".{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("IsSucceed".to_string()),
                        Just("Model".to_string()),
                        Just("Errors".to_string()),
                        Just("ErrorsCode".to_string()),
                        Just("error".to_string()),
                        "[A-Za-z]{1,8}",
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|kv| {
                let body: Vec<String> = kv
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap()))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(status in 0u16..1000, body in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_envelope(status, &body);
        let _ = parse_json(status, &body);
    }

    #[test]
    fn arbitrary_json_is_classified(status in prop_oneof![Just(200u16), Just(400), Just(401), Just(500), 100u16..600], body in json_like()) {
        match parse_envelope(status, body.as_bytes()) {
            Ok(envelope) => {
                // Success only from a 2xx with IsSucceed true.
                prop_assert!((200..300).contains(&status));
                let _ = model_text(envelope.model.as_ref());
            }
            Err(AutoSharesError::Rejected { .. }) => prop_assert!(status < 500),
            Err(AutoSharesError::AppKeyRejected) => prop_assert!(body.contains("\"error\"")),
            Err(AutoSharesError::Unavailable(_)) => {}
        }
    }
}

//! Property tests of the input validators (security: `fuzzed-parsers`): any input gives
//! a typed answer, never a panic, and the answers keep their promises.

use autoshares_portal::error::PortalError;
use autoshares_portal::password_policy::{PasswordPolicy, Rule};
use autoshares_portal::steps::identity::Login;
use proptest::prelude::*;

const POLICY: PasswordPolicy = PasswordPolicy {
    min_chars: 12,
    max_chars: 128,
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The login is kept as typed, minus surrounding spaces, or refused
    /// with one of the login messages.
    #[test]
    fn clean_login_is_total(raw in any::<String>()) {
        match Login::parse(&raw).map(Login::into_inner) {
            Ok(login) => {
                prop_assert_eq!(login.as_str(), raw.trim());
                prop_assert!(!login.is_empty());
                prop_assert!(!login.chars().any(char::is_control));
            }
            Err(e) => prop_assert!(matches!(
                e,
                PortalError::LoginMissing
                    | PortalError::LoginTooLong
                    | PortalError::LoginInvalid
                    | PortalError::LoginInvisible
            )),
        }
    }

    /// `check` accepts exactly when every rule the checklist shows holds,
    /// so the live ticks and the server never disagree.
    #[test]
    fn check_agrees_with_the_checklist(
        password in any::<String>(),
        same in any::<bool>(),
        other in any::<String>(),
        login in "[a-z.@]{0,20}",
    ) {
        let confirmation = if same { password.clone() } else { other };
        let personal = [login.as_str(), "Northwind Securities"];
        let all_hold = Rule::ALL
            .iter()
            .all(|rule| POLICY.holds(*rule, &password, &confirmation, &personal));
        prop_assert_eq!(POLICY.check(&password, &confirmation, &personal).is_ok(), all_hold);
    }

    /// A long enough, matching, unlisted password is never refused for
    /// what it contains: no composition rules, any Unicode, spaces kept.
    #[test]
    fn no_composition_rules(password in "\\PC{12,64}") {
        prop_assume!(!autoshares_portal::password_policy::is_common(&password));
        prop_assume!(password.to_lowercase().split_whitespace().collect::<String>() != "alice");
        prop_assert_eq!(POLICY.check(&password, &password, &["alice"]), Ok(()));
    }
}

//! The portal's own password rules, checked before any upstream call.
//!
//! Shared by the server (the authority) and the browser (the live
//! checklist). Lengths count Unicode code points; nothing is trimmed.

use serde::{Deserialize, Serialize};

use crate::error::PortalError;

pub mod strength;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub min_chars: u32,
    pub max_chars: u32,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_chars: 12,
            max_chars: 128,
        }
    }
}

/// One rule as the checklist shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    MinLength,
    MaxLength,
    NotLogin,
    NotCommon,
    Matches,
}

impl Rule {
    pub const ALL: [Rule; 5] = [
        Rule::MinLength,
        Rule::MaxLength,
        Rule::NotLogin,
        Rule::NotCommon,
        Rule::Matches,
    ];

    /// The checklist's words for this rule, in the page's language
    /// (looked up on the server; the island gets them as props).
    pub fn label(self, policy: &PasswordPolicy) -> String {
        use crate::i18n::{t, t_with};
        match self {
            Rule::MinLength => t_with("password-rule-min", &[("min", policy.min_chars.into())]),
            Rule::MaxLength => t_with("password-rule-max", &[("max", policy.max_chars.into())]),
            Rule::NotLogin => t("password-rule-not-login"),
            Rule::NotCommon => t("password-rule-not-common"),
            Rule::Matches => t("password-rule-match"),
        }
    }
}

/// The top 10,000 passwords of the zxcvbn frequency list (MIT; built from
/// public password leaks), lower-cased, one per line, most common first.
/// Entries shorter than 8 characters are left out: the minimum length can't
/// be set below 8, so that rule already rejects them. A few obvious
/// 12-character patterns are added at the end.
const COMMON: &str = include_str!("password_policy/common-passwords.txt");

/// Whether `password` is on the bundled blocklist, ignoring case.
pub fn is_common(password: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| COMMON.lines().collect())
        .contains(password.to_lowercase().as_str())
}

impl PasswordPolicy {
    /// Whether one rule holds. `Matches` is false while the confirmation is
    /// empty, so the checklist doesn't tick before the trader types.
    /// `personal` holds the words the password may not be: the login and
    /// the broker's name.
    pub fn holds(
        self,
        rule: Rule,
        password: &str,
        confirmation: &str,
        personal: &[impl AsRef<str>],
    ) -> bool {
        let chars = password.chars().count();
        match rule {
            Rule::MinLength => chars >= self.min_chars as usize,
            Rule::MaxLength => chars > 0 && chars <= self.max_chars as usize,
            Rule::NotLogin => !password.is_empty() && !is_personal(password, personal),
            Rule::NotCommon => !password.is_empty() && !is_common(password),
            Rule::Matches => !confirmation.is_empty() && password == confirmation,
        }
    }

    /// The first broken rule, as the error the trader sees, in the order
    /// the checklist lists them.
    pub fn check(
        self,
        password: &str,
        confirmation: &str,
        personal: &[impl AsRef<str>],
    ) -> Result<(), PortalError> {
        for rule in Rule::ALL {
            if !self.holds(rule, password, confirmation, personal) {
                return Err(match rule {
                    Rule::MinLength => PortalError::PasswordTooShort {
                        min: self.min_chars,
                    },
                    Rule::MaxLength => PortalError::PasswordTooLong {
                        max: self.max_chars,
                    },
                    Rule::NotLogin => PortalError::PasswordIsLogin,
                    Rule::NotCommon => PortalError::PasswordTooCommon,
                    Rule::Matches => PortalError::PasswordMismatch,
                });
            }
        }
        Ok(())
    }
}

/// The password is one of the personal words (the login, the local part of
/// an email login, the broker's name), ignoring case and spaces.
fn is_personal(password: &str, personal: &[impl AsRef<str>]) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let password = squash(password);
    personal
        .iter()
        .map(|word| squash(word.as_ref()))
        .any(|word| {
            let local = word.split('@').next().unwrap_or_default();
            !word.is_empty() && (password == word || password == local)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: PasswordPolicy = PasswordPolicy {
        min_chars: 12,
        max_chars: 128,
    };

    #[test]
    fn a_good_password_passes() {
        assert_eq!(
            P.check("correct horse battery", "correct horse battery", &["alice"]),
            Ok(())
        );
    }

    #[test]
    fn length_counts_code_points_not_bytes() {
        let eleven = "ééééééééééé"; // 11 chars, 22 bytes
        assert_eq!(
            P.check(eleven, eleven, &["alice"]),
            Err(PortalError::PasswordTooShort { min: 12 })
        );
        let twelve = "éééééééééééé";
        assert_eq!(P.check(twelve, twelve, &["alice"]), Ok(()));
    }

    #[test]
    fn too_long_is_rejected_at_max_plus_one() {
        let ok = "a".repeat(128);
        let long = "a".repeat(129);
        assert_eq!(P.check(&ok, &ok, &["bob"]), Ok(()));
        assert_eq!(
            P.check(&long, &long, &["bob"]),
            Err(PortalError::PasswordTooLong { max: 128 })
        );
    }

    #[test]
    fn the_login_and_email_local_part_are_rejected() {
        assert_eq!(
            P.check("Robert.Zak.Long", "Robert.Zak.Long", &["robert.zak.long"]),
            Err(PortalError::PasswordIsLogin)
        );
        assert_eq!(
            P.check(
                "robertzaklong",
                "robertzaklong",
                &["RobertZakLong@example.com"]
            ),
            Err(PortalError::PasswordIsLogin)
        );
    }

    #[test]
    fn a_mismatch_is_reported_after_the_other_rules() {
        assert_eq!(
            P.check("correct horse battery", "correct horse batterx", &["alice"]),
            Err(PortalError::PasswordMismatch)
        );
    }

    #[test]
    fn spaces_are_kept_not_trimmed() {
        // 11 visible characters plus a trailing space make 12.
        let pw = "abcdefghijk ";
        assert_eq!(P.check(pw, pw, &["alice"]), Ok(()));
        assert_eq!(
            P.check(pw, "abcdefghijk", &["alice"]),
            Err(PortalError::PasswordMismatch)
        );
    }

    #[test]
    fn common_passwords_are_rejected() {
        assert_eq!(
            P.check("Password1234", "Password1234", &["alice"]),
            Err(PortalError::PasswordTooCommon)
        );
    }

    #[test]
    fn the_bundled_list_has_the_common_ones_and_ignores_case() {
        assert!(COMMON.lines().count() > 3000);
        for word in [
            "password",
            "baseball",
            "QWERTYUIOP",
            "1qaz2wsx3edc",
            "trustno1",
        ] {
            assert!(is_common(word), "{word}");
        }
        assert!(!is_common("correct horse battery"));
        assert!(COMMON
            .lines()
            .all(|l| !l.is_empty() && l == l.to_lowercase()));
    }

    #[test]
    fn a_listed_password_is_rejected_once_it_is_long_enough() {
        let lax = PasswordPolicy {
            min_chars: 8,
            max_chars: 128,
        };
        assert_eq!(
            lax.check("sunshine", "sunshine", &["alice"]),
            Err(PortalError::PasswordTooCommon)
        );
        assert_eq!(
            lax.check("1qaz2wsx3edc", "1qaz2wsx3edc", &["alice"]),
            Err(PortalError::PasswordTooCommon)
        );
    }

    #[test]
    fn the_brokers_name_is_rejected_ignoring_case_and_spaces() {
        let name = ["alice", "Northwind Securities"];
        assert_eq!(
            P.check("northwindsecurities", "northwindsecurities", &name),
            Err(PortalError::PasswordIsLogin)
        );
        assert_eq!(
            P.check("Northwind Securities", "Northwind Securities", &name),
            Err(PortalError::PasswordIsLogin)
        );
        assert_eq!(
            P.check(
                "Northwind Securities 2026",
                "Northwind Securities 2026",
                &name
            ),
            Ok(())
        );
    }

    #[test]
    fn nothing_ticks_before_the_trader_types() {
        for rule in Rule::ALL {
            assert!(!P.holds(rule, "", "", &["alice"]), "{rule:?}");
        }
    }
}

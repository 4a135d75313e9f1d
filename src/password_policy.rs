//! The portal's own password rules, checked before any upstream call.
//!
//! Shared by the server (the authority) and the browser (the live
//! checklist). Lengths count Unicode code points; nothing is trimmed.

use serde::{Deserialize, Serialize};

use crate::error::PortalError;

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

    pub fn label(self, policy: &PasswordPolicy) -> String {
        match self {
            Rule::MinLength => format!("At least {} characters", policy.min_chars),
            Rule::MaxLength => format!("At most {} characters", policy.max_chars),
            Rule::NotLogin => "Not your login or email".to_string(),
            Rule::NotCommon => "Not a commonly used password".to_string(),
            Rule::Matches => "Both entries match".to_string(),
        }
    }
}

/// A small list of the most common passwords (lower-cased). A full
/// 10,000-entry blocklist is an open item: see the README.
const COMMON: &[&str] = &[
    "123456789012",
    "password1234",
    "passwordpassword",
    "qwertyuiopas",
    "qwerty123456",
    "111111111111",
    "000000000000",
    "123123123123",
    "iloveyou1234",
    "letmein12345",
    "welcome12345",
    "administrator",
    "changeme1234",
    "abcdefghijkl",
    "1q2w3e4r5t6y",
    "trustno1trustno1",
];

impl PasswordPolicy {
    /// Whether one rule holds. `Matches` is false while the confirmation is
    /// empty, so the checklist doesn't tick before the trader types.
    pub fn holds(self, rule: Rule, password: &str, confirmation: &str, login: &str) -> bool {
        let chars = password.chars().count();
        match rule {
            Rule::MinLength => chars >= self.min_chars as usize,
            Rule::MaxLength => chars > 0 && chars <= self.max_chars as usize,
            Rule::NotLogin => !password.is_empty() && !is_login(password, login),
            Rule::NotCommon => {
                !password.is_empty() && !COMMON.contains(&password.to_lowercase().as_str())
            }
            Rule::Matches => !confirmation.is_empty() && password == confirmation,
        }
    }

    /// The first broken rule, as the error the trader sees, in the order
    /// the checklist lists them.
    pub fn check(self, password: &str, confirmation: &str, login: &str) -> Result<(), PortalError> {
        for rule in Rule::ALL {
            if !self.holds(rule, password, confirmation, login) {
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

/// The password equals the login, or the local part of an email login,
/// ignoring case.
fn is_login(password: &str, login: &str) -> bool {
    let login = login.trim();
    if login.is_empty() {
        return false;
    }
    let password = password.to_lowercase();
    let login = login.to_lowercase();
    let local = login.split('@').next().unwrap_or(&login);
    password == login || password == local
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
            P.check("correct horse battery", "correct horse battery", "alice"),
            Ok(())
        );
    }

    #[test]
    fn length_counts_code_points_not_bytes() {
        let eleven = "ééééééééééé"; // 11 chars, 22 bytes
        assert_eq!(
            P.check(eleven, eleven, "alice"),
            Err(PortalError::PasswordTooShort { min: 12 })
        );
        let twelve = "éééééééééééé";
        assert_eq!(P.check(twelve, twelve, "alice"), Ok(()));
    }

    #[test]
    fn too_long_is_rejected_at_max_plus_one() {
        let ok = "a".repeat(128);
        let long = "a".repeat(129);
        assert_eq!(P.check(&ok, &ok, "bob"), Ok(()));
        assert_eq!(
            P.check(&long, &long, "bob"),
            Err(PortalError::PasswordTooLong { max: 128 })
        );
    }

    #[test]
    fn the_login_and_email_local_part_are_rejected() {
        assert_eq!(
            P.check("Robert.Zak.Long", "Robert.Zak.Long", "robert.zak.long"),
            Err(PortalError::PasswordIsLogin)
        );
        assert_eq!(
            P.check(
                "robertzaklong",
                "robertzaklong",
                "RobertZakLong@example.com"
            ),
            Err(PortalError::PasswordIsLogin)
        );
    }

    #[test]
    fn a_mismatch_is_reported_after_the_other_rules() {
        assert_eq!(
            P.check("correct horse battery", "correct horse batterx", "alice"),
            Err(PortalError::PasswordMismatch)
        );
    }

    #[test]
    fn spaces_are_kept_not_trimmed() {
        // 11 visible characters plus a trailing space make 12.
        let pw = "abcdefghijk ";
        assert_eq!(P.check(pw, pw, "alice"), Ok(()));
        assert_eq!(
            P.check(pw, "abcdefghijk", "alice"),
            Err(PortalError::PasswordMismatch)
        );
    }

    #[test]
    fn common_passwords_are_rejected() {
        assert_eq!(
            P.check("Password1234", "Password1234", "alice"),
            Err(PortalError::PasswordTooCommon)
        );
    }

    #[test]
    fn nothing_ticks_before_the_trader_types() {
        for rule in Rule::ALL {
            assert!(!P.holds(rule, "", "", "alice"), "{rule:?}");
        }
    }
}

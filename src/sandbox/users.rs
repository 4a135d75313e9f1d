//! [ssr] The sandbox's accounts, codes and tokens: the part of AutoShares
//! it simulates. Pure data and rules; the routes call into it.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use rand::{Rng, RngCore};
use serde::Serialize;

use super::MailboxEntry;

/// The verification code the 2FA demo user's second step accepts.
pub const DEMO_SECOND_FACTOR: &str = "000000";

/// A demo account as the README and the dev pages list it.
#[derive(Clone, Debug, Serialize)]
pub struct DemoUser {
    pub login: String,
    pub email: String,
    pub question: Option<String>,
    /// Documented here so people can try the flow; the sandbox only.
    pub old_password: String,
    pub two_factor: bool,
}

struct Account {
    public: DemoUser,
    answer: Option<String>,
    password: String,
}

struct CodeRecord {
    login: String,
    issued: Instant,
    used: bool,
}

struct TokenRecord {
    login: String,
    issued: Instant,
    used: bool,
}

/// Why a step failed, as AutoShares' machine code and human text.
#[derive(Debug)]
pub struct Rejection {
    pub code: &'static str,
    pub message: &'static str,
}

const fn rejection(code: &'static str, message: &'static str) -> Rejection {
    Rejection { code, message }
}

pub const USER_NOT_FOUND: Rejection = rejection("ErrorUserNotFound", "User not found.");
pub const INCORRECT_ANSWER: Rejection =
    rejection("ErrorIncorrectAnswer", "Answer is incorrect, try again.");
pub const INVALID_CODE: Rejection = rejection("ErrorInvalidCode", "Code is invalid or expired.");
pub const INVALID_TOKEN: Rejection = rejection("ErrorInvalidToken", "Token is invalid or expired.");
pub const PASSWORDS_DIFFER: Rejection = rejection(
    "ErrorPasswordsDoNotMatch",
    "Password and confirmation do not match.",
);
pub const PASSWORD_POLICY: Rejection =
    rejection("ErrorPasswordPolicy", "Password does not meet the policy.");

/// The sandbox's own password rule: upstream policies are looser or
/// stricter than the portal's, and this one is looser.
const MIN_PASSWORD_CHARS: usize = 8;

pub fn demo_users() -> Vec<DemoUser> {
    demo_accounts().into_iter().map(|a| a.public).collect()
}

fn demo_accounts() -> Vec<Account> {
    let account =
        |login: &str, question: Option<&str>, answer: Option<&str>, password: &str, two_factor| {
            Account {
                public: DemoUser {
                    login: login.to_string(),
                    email: format!("{login}@example.com"),
                    question: question.map(str::to_string),
                    old_password: password.to_string(),
                    two_factor,
                },
                answer: answer.map(str::to_string),
                password: password.to_string(),
            }
        };
    vec![
        account(
            "alice",
            Some("What street did you live on in third grade?"),
            Some("Peterson"),
            "Alice-Old-Pass-1",
            false,
        ),
        account("bob", None, None, "Bob-Old-Pass-1", false),
        account(
            "carol",
            Some("What was the name of your first pet?"),
            Some("Rex"),
            "Carol-Old-Pass-1",
            true,
        ),
        account(
            "mallory",
            Some("<img src=x onerror=alert(1)>"),
            Some("x"),
            "Mallory-Old-Pass-1",
            false,
        ),
    ]
}

/// 128 random bits as lower-case hex in the 8-4-4-4-12 layout of the docs'
/// example token (`ba6b8cac-6738-4434-bd26-825db020a05c`).
pub fn uuid_like() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let [a, b, c, d, e] = [
        &bytes[..4],
        &bytes[4..6],
        &bytes[6..8],
        &bytes[8..10],
        &bytes[10..],
    ]
    .map(hex::encode);
    format!("{a}-{b}-{c}-{d}-{e}")
}

pub struct World {
    accounts: Vec<Account>,
    pub mailbox: Vec<MailboxEntry>,
    codes: HashMap<String, CodeRecord>,
    tokens: HashMap<String, TokenRecord>,
}

fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl World {
    pub fn seeded() -> Self {
        Self {
            accounts: demo_accounts(),
            mailbox: Vec::new(),
            codes: HashMap::new(),
            tokens: HashMap::new(),
        }
    }

    pub fn add(&mut self, user: DemoUser, answer: Option<&str>) {
        self.accounts.push(Account {
            password: user.old_password.clone(),
            answer: answer.map(str::to_string),
            public: user,
        });
    }

    /// By login or email, ignoring case.
    fn account(&self, user: &str) -> Option<&Account> {
        self.accounts
            .iter()
            .find(|a| same(&a.public.login, user) || same(&a.public.email, user))
    }

    fn account_mut(&mut self, login: &str) -> Option<&mut Account> {
        self.accounts.iter_mut().find(|a| a.public.login == login)
    }

    /// Step A: the question, or `None` when the account has none.
    pub fn secret_question(&self, user: &str) -> Result<Option<String>, Rejection> {
        self.account(user)
            .map(|a| a.public.question.clone())
            .ok_or(USER_NOT_FOUND)
    }

    /// Step B: check the answer and "email" a fresh code. Earlier unused
    /// codes of the account stop working: only the newest is valid.
    pub fn request_reset(&mut self, user: &str, answer: Option<&str>) -> Result<(), Rejection> {
        let account = self.account(user).ok_or(USER_NOT_FOUND)?;
        if let Some(expected) = &account.answer {
            if !answer.is_some_and(|given| same(given, expected)) {
                return Err(INCORRECT_ANSWER);
            }
        }
        let login = account.public.login.clone();
        let email = account.public.email.clone();
        for record in self.codes.values_mut().filter(|r| r.login == login) {
            record.used = true;
        }
        for mail in self.mailbox.iter_mut().filter(|m| m.login == login) {
            mail.used = true;
        }
        let code = loop {
            let candidate = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
            if !self.codes.contains_key(&candidate) {
                break candidate;
            }
        };
        self.codes.insert(
            code.clone(),
            CodeRecord {
                login: login.clone(),
                issued: Instant::now(),
                used: false,
            },
        );
        self.mailbox.push(MailboxEntry {
            to: email,
            login,
            code,
            sent_at: SystemTime::now(),
            used: false,
        });
        Ok(())
    }

    /// Step C: a valid code, once, for a token.
    pub fn exchange_code(
        &mut self,
        code: &str,
        ttl: Duration,
        token_prefix: &str,
    ) -> Result<String, Rejection> {
        let record = self.codes.get_mut(code).ok_or(INVALID_CODE)?;
        if record.used || record.issued.elapsed() >= ttl {
            return Err(INVALID_CODE);
        }
        record.used = true;
        let login = record.login.clone();
        if let Some(mail) = self.mailbox.iter_mut().find(|m| m.code == code) {
            mail.used = true;
        }
        let token = format!("{token_prefix}{}", uuid_like());
        self.tokens.insert(
            token.clone(),
            TokenRecord {
                login,
                issued: Instant::now(),
                used: false,
            },
        );
        Ok(token)
    }

    /// Step D: a valid token, once, sets the password.
    pub fn set_password(
        &mut self,
        token: &str,
        password: &str,
        confirmation: &str,
        ttl: Duration,
    ) -> Result<(), Rejection> {
        let record = self.tokens.get(token).ok_or(INVALID_TOKEN)?;
        if record.used || record.issued.elapsed() >= ttl {
            return Err(INVALID_TOKEN);
        }
        if password != confirmation {
            return Err(PASSWORDS_DIFFER);
        }
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(PASSWORD_POLICY);
        }
        let login = record.login.clone();
        if let Some(record) = self.tokens.get_mut(token) {
            record.used = true;
        }
        let account = self.account_mut(&login).ok_or(INVALID_TOKEN)?;
        account.password = password.to_string();
        Ok(())
    }

    /// `/token`: `Ok(true)` signed in, `Ok(false)` needs the second factor.
    pub fn sign_in(
        &self,
        user: &str,
        password: &str,
        second_factor: Option<&str>,
    ) -> Result<bool, ()> {
        let account = self.account(user).ok_or(())?;
        if account.password != password {
            return Err(());
        }
        Ok(!account.public.two_factor || second_factor == Some(DEMO_SECOND_FACTOR))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: Duration = Duration::from_secs(600);

    fn newest_code(world: &World) -> String {
        world.mailbox.last().unwrap().code.clone()
    }

    #[test]
    fn only_the_newest_code_works_and_only_once() {
        let mut world = World::seeded();
        world.request_reset("bob", None).unwrap();
        let first = newest_code(&world);
        world.request_reset("BOB@example.com", None).unwrap();
        let second = newest_code(&world);
        assert!(world.exchange_code(&first, TTL, "").is_err());
        let token = world.exchange_code(&second, TTL, "pre-").unwrap();
        assert!(token.starts_with("pre-"));
        assert!(world.exchange_code(&second, TTL, "").is_err());
    }

    #[test]
    fn expired_codes_and_tokens_fail() {
        let mut world = World::seeded();
        world.request_reset("bob", None).unwrap();
        let code = newest_code(&world);
        assert!(world.exchange_code(&code, Duration::ZERO, "").is_err());
        world.request_reset("bob", None).unwrap();
        let token = world.exchange_code(&newest_code(&world), TTL, "").unwrap();
        assert!(world
            .set_password(&token, "new-password-1", "new-password-1", Duration::ZERO)
            .is_err());
    }

    #[test]
    fn answers_are_checked_loosely_and_required() {
        let mut world = World::seeded();
        assert_eq!(
            world.request_reset("alice", None).unwrap_err().code,
            INCORRECT_ANSWER.code
        );
        assert_eq!(
            world.request_reset("alice", Some("nope")).unwrap_err().code,
            INCORRECT_ANSWER.code
        );
        assert!(world.request_reset("alice", Some("  peterson ")).is_ok());
    }

    #[test]
    fn a_token_sets_the_password_once() {
        let mut world = World::seeded();
        world.request_reset("bob", None).unwrap();
        let token = world.exchange_code(&newest_code(&world), TTL, "").unwrap();
        assert_eq!(
            world
                .set_password(&token, "new-password-1", "other", TTL)
                .unwrap_err()
                .code,
            PASSWORDS_DIFFER.code
        );
        assert_eq!(
            world
                .set_password(&token, "short", "short", TTL)
                .unwrap_err()
                .code,
            PASSWORD_POLICY.code
        );
        world
            .set_password(&token, "new-password-1", "new-password-1", TTL)
            .unwrap();
        assert!(world
            .set_password(&token, "new-password-2", "new-password-2", TTL)
            .is_err());
        assert_eq!(world.sign_in("bob", "new-password-1", None), Ok(true));
        assert_eq!(world.sign_in("bob", "Bob-Old-Pass-1", None), Err(()));
    }

    #[test]
    fn two_factor_needs_the_second_step() {
        let world = World::seeded();
        assert_eq!(world.sign_in("carol", "Carol-Old-Pass-1", None), Ok(false));
        assert_eq!(
            world.sign_in("carol", "Carol-Old-Pass-1", Some("123")),
            Ok(false)
        );
        assert_eq!(
            world.sign_in("carol", "Carol-Old-Pass-1", Some(DEMO_SECOND_FACTOR)),
            Ok(true)
        );
    }
}

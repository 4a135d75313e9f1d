//! The one error type a trader may see.
//!
//! Every variant carries a fixed, portal-owned message and names the form
//! field it belongs to. Upstream texts and Rust error texts never reach this
//! type: they are mapped at one boundary (`steps::gateway::upstream`) and logged there.
//! The serialized form travels in URLs for no-JS posts (`__err`), which is
//! why it holds no free text at all.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::password_policy::strength::Feedback;

/// The form field an error belongs to, so a page can put the message next
/// to it and point `aria-describedby` at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Login,
    Answer,
    Code,
    Password,
    Confirmation,
    /// Not about one field: shown at the top of the form.
    Form,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PortalError {
    #[error("Enter the login or email you use to sign in.")]
    LoginMissing,
    #[error("That login or email is too long. Check it and try again.")]
    LoginTooLong,
    #[error("That login or email contains characters we can't accept. Check it and try again.")]
    LoginInvalid,
    #[error("That login or email contains invisible characters (such as a zero-width space), often picked up when copying. Type it again.")]
    LoginInvisible,
    #[error("Type the answer to your secret question.")]
    AnswerMissing,
    #[error("That answer is not correct. Check the spelling and try again.")]
    WrongAnswer,
    #[error("Enter the code from the email we sent you.")]
    CodeMissing,
    #[error(
        "That code is not right or has expired. Check the email and try again, or send a new code."
    )]
    WrongCode,
    #[error("Too many attempts. For your security, wait {}, then start again.", minutes_text(.minutes))]
    TooManyAttempts { minutes: u32 },
    #[error("We've already sent {max} codes in the last hour. Check your inbox and spam folder, or try again later.")]
    TooManyCodes { max: u32 },
    #[error("Use at least {min} characters.")]
    PasswordTooShort { min: u32 },
    #[error("Use at most {max} characters.")]
    PasswordTooLong { max: u32 },
    #[error("Your new password can't be your login, your email or the broker's name.")]
    PasswordIsLogin,
    #[error(
        "This password is on a list of commonly used passwords. Choose something harder to guess."
    )]
    PasswordTooCommon,
    #[error("This password would be easy to guess.")]
    PasswordTooWeak { feedback: Feedback },
    #[error("This password has appeared in a data breach, so attackers try it first. Choose another one.")]
    PasswordBreached,
    #[error("The two passwords don't match.")]
    PasswordMismatch,
    #[error("Your broker didn't accept this password. Try a longer or different one.")]
    PasswordRejected,
    #[error(
        "We couldn't start the reset for this account. Check your login or contact your broker."
    )]
    CouldNotStart,
    #[error("The service is temporarily unavailable. Nothing was lost: try again in a moment.")]
    Unavailable,
    #[error("We're still working on your last request. Wait a moment, then try again.")]
    StepInProgress,
    #[error("Too many requests. Please try again in {}.", minutes_text(.minutes))]
    TooBusy { minutes: u32 },
    #[error("Your browser needs to finish a quick check before we go on: it proves you are not a robot. Wait until it says the check is complete, then try again. Without JavaScript, this step works again within {}.", minutes_text(.minutes))]
    ChallengeRequired { minutes: u32 },
    #[error("This reset expired. Please start again.")]
    SessionExpired,
    #[error("Too many requests. Please try again in {}.", minutes_text(.minutes))]
    RateLimited { minutes: u32 },
    #[error("Something went wrong with that form. Please try again.")]
    BadRequest,
    #[error("That form arrived with fields we didn't expect, so nothing was done. Reload the page and try again.")]
    UnexpectedFields,
    #[error("The form was sent from somewhere other than this site, so nothing was done.")]
    CrossSite,
    #[error("This form was too large. Nothing was done.")]
    TooLarge,
    #[error("This request was not understood. Nothing was done.")]
    UnsupportedForm,
}

/// How a refused browser form post is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Back to its form, with the message next to its field: nothing the
    /// trader did is lost.
    BackToTheForm,
    /// A page of its own (429, 403, 413, 415).
    OwnPage,
}

/// Everything a variant needs, decided in one place ([`PortalError::class`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Class {
    /// Where the message goes on the page.
    pub field: Field,
    /// The HTTP status it is answered with.
    pub status: u16,
    /// What a browser's refused form post gets.
    pub answer: Answer,
    /// The message key of the heading, when it is shown on a page of its own.
    pub title: &'static str,
    /// The `outcome` label of the step-outcome metric.
    pub label: &'static str,
}

/// The usual class: the trader's own input, next to `field`, answered 422.
const fn input(field: Field, label: &'static str) -> Class {
    Class {
        field,
        status: 422,
        answer: Answer::BackToTheForm,
        title: "unavailable-title",
        label,
    }
}

/// Not about one field: shown at the top of the form.
const fn form(status: u16, label: &'static str) -> Class {
    Class {
        field: Field::Form,
        status,
        answer: Answer::BackToTheForm,
        title: "unavailable-title",
        label,
    }
}

/// Answered with a page of its own.
const fn own_page(status: u16, title: &'static str, label: &'static str) -> Class {
    Class {
        field: Field::Form,
        status,
        answer: Answer::OwnPage,
        title,
        label,
    }
}

impl PortalError {
    /// The one classification of every variant: a new variant does not
    /// compile until it is classified here.
    pub const fn class(&self) -> Class {
        use PortalError::*;
        match self {
            LoginMissing | LoginTooLong | LoginInvalid | LoginInvisible => {
                input(Field::Login, "invalid_input")
            }
            AnswerMissing => input(Field::Answer, "invalid_input"),
            WrongAnswer => input(Field::Answer, "wrong_answer"),
            CodeMissing => input(Field::Code, "invalid_input"),
            WrongCode => input(Field::Code, "wrong_code"),
            PasswordTooShort { .. }
            | PasswordTooLong { .. }
            | PasswordIsLogin
            | PasswordTooCommon
            | PasswordTooWeak { .. }
            | PasswordBreached
            | PasswordRejected => input(Field::Password, "invalid_input"),
            PasswordMismatch => input(Field::Confirmation, "invalid_input"),
            TooManyAttempts { .. } | TooManyCodes { .. } => form(422, "rate_limited"),
            CouldNotStart => form(422, "upstream_unavailable"),
            Unavailable => form(503, "upstream_unavailable"),
            StepInProgress => form(409, "in_progress"),
            TooBusy { .. } => form(429, "rate_limited"),
            ChallengeRequired { .. } => form(429, "challenge_required"),
            SessionExpired => form(422, "expired"),
            BadRequest | UnexpectedFields => form(400, "invalid_input"),
            RateLimited { .. } => own_page(429, "rate-limited-title", "rate_limited"),
            CrossSite => own_page(403, "forbidden-title", "invalid_input"),
            TooLarge => own_page(413, "too-large-title", "invalid_input"),
            UnsupportedForm => own_page(415, "unsupported-title", "invalid_input"),
        }
    }

    /// Where the message goes on the page.
    pub fn field(&self) -> Field {
        self.class().field
    }

    /// What the trader reads, in the page's language. (`Display` is the
    /// English text, for logs and tests.)
    pub fn message(&self) -> String {
        use crate::i18n::{t, t_with};
        use PortalError::*;
        match self {
            LoginMissing => t("error-login-missing"),
            LoginTooLong => t("error-login-too-long"),
            LoginInvalid => t("error-login-invalid"),
            LoginInvisible => t("error-login-invisible"),
            AnswerMissing => t("error-answer-missing"),
            WrongAnswer => t("error-wrong-answer"),
            CodeMissing => t("error-code-missing"),
            WrongCode => t("error-wrong-code"),
            TooManyAttempts { minutes } => {
                t_with("error-too-many-attempts", &[("minutes", (*minutes).into())])
            }
            TooManyCodes { max } => t_with("error-too-many-codes", &[("max", (*max).into())]),
            PasswordTooShort { min } => {
                t_with("error-password-too-short", &[("min", (*min).into())])
            }
            PasswordTooLong { max } => t_with("error-password-too-long", &[("max", (*max).into())]),
            PasswordIsLogin => t("error-password-is-login"),
            PasswordTooCommon => t("error-password-too-common"),
            PasswordTooWeak { feedback } => feedback.message(),
            PasswordBreached => t("pwned-found"),
            PasswordMismatch => t("error-password-mismatch"),
            PasswordRejected => t("error-password-rejected"),
            CouldNotStart => t("error-could-not-start"),
            Unavailable => t("error-unavailable"),
            StepInProgress => t("error-step-in-progress"),
            TooBusy { minutes } => t_with("error-rate-limited", &[("minutes", (*minutes).into())]),
            ChallengeRequired { minutes } => t_with(
                "error-challenge-required",
                &[("minutes", (*minutes).into())],
            ),
            SessionExpired => t("error-session-expired"),
            RateLimited { minutes } => {
                t_with("error-rate-limited", &[("minutes", (*minutes).into())])
            }
            BadRequest => t("error-bad-request"),
            UnexpectedFields => t("error-unexpected-fields"),
            CrossSite => t("forbidden-lead"),
            TooLarge => t("too-large-lead"),
            UnsupportedForm => t("unsupported-lead"),
        }
    }

    /// The heading of the page this error is answered with, when it is
    /// answered with a page of its own (`http::refusal`).
    pub fn page_title(&self) -> String {
        crate::i18n::t(self.class().title)
    }

    /// The message for one field, if this error belongs to it.
    pub fn message_for(&self, field: Field) -> Option<String> {
        (self.field() == field).then(|| self.message())
    }
}

/// The error a request was refused with, as context for its page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused(pub PortalError);

/// "1 minute", "15 minutes".
pub fn minutes_text(minutes: &u32) -> String {
    match minutes {
        1 => "1 minute".to_string(),
        n => format!("{n} minutes"),
    }
}

impl FromServerFnError for PortalError {
    type Encoder = JsonEncoding;

    /// Framework errors become fixed messages; their text never reaches
    /// the page. A request that never got an answer is "unavailable", so the
    /// trader retries; anything else about the form is a bad request.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                PortalError::Unavailable
            }
            _ => PortalError::BadRequest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_plain_sentences_and_round_trip_through_urls() {
        let all = [
            PortalError::LoginMissing,
            PortalError::WrongAnswer,
            PortalError::WrongCode,
            PortalError::TooManyAttempts { minutes: 1 },
            PortalError::TooManyCodes { max: 3 },
            PortalError::PasswordTooShort { min: 12 },
            PortalError::PasswordMismatch,
            PortalError::Unavailable,
            PortalError::SessionExpired,
            PortalError::RateLimited { minutes: 2 },
            PortalError::ChallengeRequired { minutes: 9 },
        ];
        for error in all {
            let text = error.to_string();
            assert!(text.ends_with('.'), "{text}");
            assert!(!text.contains('{'), "{text}");
            let json = serde_json::to_string(&error).unwrap();
            assert_eq!(serde_json::from_str::<PortalError>(&json).unwrap(), error);
        }
        assert_eq!(
            PortalError::TooManyAttempts { minutes: 1 }.to_string(),
            "Too many attempts. For your security, wait 1 minute, then start again."
        );
        assert_eq!(
            PortalError::RateLimited { minutes: 2 }.to_string(),
            "Too many requests. Please try again in 2 minutes."
        );
    }

    #[test]
    fn each_error_names_its_field() {
        assert_eq!(PortalError::WrongAnswer.field(), Field::Answer);
        assert_eq!(PortalError::PasswordMismatch.field(), Field::Confirmation);
        assert_eq!(
            PortalError::PasswordTooShort { min: 12 }.field(),
            Field::Password
        );
        assert_eq!(PortalError::Unavailable.field(), Field::Form);
        assert_eq!(PortalError::WrongCode.message_for(Field::Answer), None);
    }

    #[test]
    fn framework_errors_never_carry_their_text() {
        let err = PortalError::from_server_fn_error(ServerFnErrorErr::Deserialization(
            "secret detail".into(),
        ));
        assert_eq!(err, PortalError::BadRequest);
        let err = PortalError::from_server_fn_error(ServerFnErrorErr::Request("net".into()));
        assert_eq!(err, PortalError::Unavailable);
    }
}

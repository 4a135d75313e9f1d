//! How guessable a new password is, by zxcvbn on the server, with the
//! trader's login, email and the broker's name as words it must not lean
//! on. zxcvbn's verdict is mirrored in the portal's own closed types, so a
//! [`crate::error::PortalError`] can carry it through a no-JS redirect
//! (`__err`) and the page can say it in the trader's language; this module
//! is shared code, but only its `ssr` half links zxcvbn, so the WASM never
//! does.

use serde::{Deserialize, Serialize};

/// What zxcvbn found wrong (its `feedback::Warning`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Warning {
    StraightRowsOfKeysAreEasyToGuess,
    ShortKeyboardPatternsAreEasyToGuess,
    RepeatsLikeAaaAreEasyToGuess,
    RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
    ThisIsATop10Password,
    ThisIsATop100Password,
    ThisIsACommonPassword,
    ThisIsSimilarToACommonlyUsedPassword,
    SequencesLikeAbcAreEasyToGuess,
    RecentYearsAreEasyToGuess,
    AWordByItselfIsEasyToGuess,
    DatesAreOftenEasyToGuess,
    NamesAndSurnamesByThemselvesAreEasyToGuess,
    CommonNamesAndSurnamesAreEasyToGuess,
}

impl Warning {
    pub const ALL: [Warning; 14] = [
        Warning::StraightRowsOfKeysAreEasyToGuess,
        Warning::ShortKeyboardPatternsAreEasyToGuess,
        Warning::RepeatsLikeAaaAreEasyToGuess,
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        Warning::ThisIsATop10Password,
        Warning::ThisIsATop100Password,
        Warning::ThisIsACommonPassword,
        Warning::ThisIsSimilarToACommonlyUsedPassword,
        Warning::SequencesLikeAbcAreEasyToGuess,
        Warning::RecentYearsAreEasyToGuess,
        Warning::AWordByItselfIsEasyToGuess,
        Warning::DatesAreOftenEasyToGuess,
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess,
        Warning::CommonNamesAndSurnamesAreEasyToGuess,
    ];

    /// Its message id in `src/locales/<lang>/strength.ftl`.
    pub fn id(self) -> &'static str {
        match self {
            Warning::StraightRowsOfKeysAreEasyToGuess => {
                "strength-warning-straight-rows-of-keys-are-easy-to-guess"
            }
            Warning::ShortKeyboardPatternsAreEasyToGuess => {
                "strength-warning-short-keyboard-patterns-are-easy-to-guess"
            }
            Warning::RepeatsLikeAaaAreEasyToGuess => {
                "strength-warning-repeats-like-aaa-are-easy-to-guess"
            }
            Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
                "strength-warning-repeats-like-abc-abc-are-only-slightly-harder-to-guess"
            }
            Warning::ThisIsATop10Password => "strength-warning-this-is-a-top10-password",
            Warning::ThisIsATop100Password => "strength-warning-this-is-a-top100-password",
            Warning::ThisIsACommonPassword => "strength-warning-this-is-a-common-password",
            Warning::ThisIsSimilarToACommonlyUsedPassword => {
                "strength-warning-this-is-similar-to-a-commonly-used-password"
            }
            Warning::SequencesLikeAbcAreEasyToGuess => {
                "strength-warning-sequences-like-abc-are-easy-to-guess"
            }
            Warning::RecentYearsAreEasyToGuess => "strength-warning-recent-years-are-easy-to-guess",
            Warning::AWordByItselfIsEasyToGuess => {
                "strength-warning-a-word-by-itself-is-easy-to-guess"
            }
            Warning::DatesAreOftenEasyToGuess => "strength-warning-dates-are-often-easy-to-guess",
            Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => {
                "strength-warning-names-and-surnames-by-themselves-are-easy-to-guess"
            }
            Warning::CommonNamesAndSurnamesAreEasyToGuess => {
                "strength-warning-common-names-and-surnames-are-easy-to-guess"
            }
        }
    }
}

/// What zxcvbn suggests instead (its `feedback::Suggestion`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Suggestion {
    UseAFewWordsAvoidCommonPhrases,
    NoNeedForSymbolsDigitsOrUppercaseLetters,
    AddAnotherWordOrTwo,
    CapitalizationDoesntHelpVeryMuch,
    AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase,
    ReversedWordsArentMuchHarderToGuess,
    PredictableSubstitutionsDontHelpVeryMuch,
    UseALongerKeyboardPatternWithMoreTurns,
    AvoidRepeatedWordsAndCharacters,
    AvoidSequences,
    AvoidRecentYears,
    AvoidYearsThatAreAssociatedWithYou,
    AvoidDatesAndYearsThatAreAssociatedWithYou,
}

impl Suggestion {
    pub const ALL: [Suggestion; 13] = [
        Suggestion::UseAFewWordsAvoidCommonPhrases,
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters,
        Suggestion::AddAnotherWordOrTwo,
        Suggestion::CapitalizationDoesntHelpVeryMuch,
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase,
        Suggestion::ReversedWordsArentMuchHarderToGuess,
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch,
        Suggestion::UseALongerKeyboardPatternWithMoreTurns,
        Suggestion::AvoidRepeatedWordsAndCharacters,
        Suggestion::AvoidSequences,
        Suggestion::AvoidRecentYears,
        Suggestion::AvoidYearsThatAreAssociatedWithYou,
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou,
    ];

    /// Its message id in `src/locales/<lang>/strength.ftl`.
    pub fn id(self) -> &'static str {
        match self {
            Suggestion::UseAFewWordsAvoidCommonPhrases => {
                "strength-suggestion-use-a-few-words-avoid-common-phrases"
            }
            Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => {
                "strength-suggestion-no-need-for-symbols-digits-or-uppercase-letters"
            }
            Suggestion::AddAnotherWordOrTwo => "strength-suggestion-add-another-word-or-two",
            Suggestion::CapitalizationDoesntHelpVeryMuch => {
                "strength-suggestion-capitalization-doesnt-help-very-much"
            }
            Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => {
                "strength-suggestion-all-uppercase-is-almost-as-easy-to-guess-as-all-lowercase"
            }
            Suggestion::ReversedWordsArentMuchHarderToGuess => {
                "strength-suggestion-reversed-words-arent-much-harder-to-guess"
            }
            Suggestion::PredictableSubstitutionsDontHelpVeryMuch => {
                "strength-suggestion-predictable-substitutions-dont-help-very-much"
            }
            Suggestion::UseALongerKeyboardPatternWithMoreTurns => {
                "strength-suggestion-use-a-longer-keyboard-pattern-with-more-turns"
            }
            Suggestion::AvoidRepeatedWordsAndCharacters => {
                "strength-suggestion-avoid-repeated-words-and-characters"
            }
            Suggestion::AvoidSequences => "strength-suggestion-avoid-sequences",
            Suggestion::AvoidRecentYears => "strength-suggestion-avoid-recent-years",
            Suggestion::AvoidYearsThatAreAssociatedWithYou => {
                "strength-suggestion-avoid-years-that-are-associated-with-you"
            }
            Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => {
                "strength-suggestion-avoid-dates-and-years-that-are-associated-with-you"
            }
        }
    }
}

/// Why a password was judged too easy to guess.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    pub warning: Option<Warning>,
    pub suggestions: Vec<Suggestion>,
}

impl Feedback {
    /// "This password would be easy to guess." and zxcvbn's reasons, in the
    /// page's language.
    pub fn message(&self) -> String {
        use crate::i18n::t;
        let mut text = t("strength-too-weak");
        for id in self
            .warning
            .map(Warning::id)
            .into_iter()
            .chain(self.suggestions.iter().map(|s| s.id()))
        {
            text.push(' ');
            text.push_str(&t(id));
        }
        text
    }
}

#[cfg(feature = "ssr")]
pub use estimate::estimate;

#[cfg(feature = "ssr")]
mod estimate {
    use super::*;

    /// `Ok` when zxcvbn scores `password` at least `min_score` (0–4) with
    /// `personal` (login, email, broker name) as words an attacker knows;
    /// else what it found, for the trader. zxcvbn reads the first 100
    /// characters only: longer passwords are judged by those.
    pub fn estimate(password: &str, personal: &[&str], min_score: u8) -> Result<(), Feedback> {
        let entropy = zxcvbn::zxcvbn(password, personal);
        if u8::from(entropy.score()) >= min_score {
            return Ok(());
        }
        let (warning, suggestions) = match entropy.feedback() {
            Some(feedback) => (
                feedback.warning().map(Warning::from),
                feedback
                    .suggestions()
                    .iter()
                    .map(|s| Suggestion::from(*s))
                    .collect(),
            ),
            // zxcvbn gives feedback only below score 3; a stricter
            // minimum still gets a hint.
            None => (None, vec![Suggestion::AddAnotherWordOrTwo]),
        };
        Err(Feedback {
            warning,
            suggestions,
        })
    }

    impl From<zxcvbn::feedback::Warning> for Warning {
        fn from(z: zxcvbn::feedback::Warning) -> Warning {
            use zxcvbn::feedback::Warning as Z;
            match z {
                Z::StraightRowsOfKeysAreEasyToGuess => Warning::StraightRowsOfKeysAreEasyToGuess,
                Z::ShortKeyboardPatternsAreEasyToGuess => {
                    Warning::ShortKeyboardPatternsAreEasyToGuess
                }
                Z::RepeatsLikeAaaAreEasyToGuess => Warning::RepeatsLikeAaaAreEasyToGuess,
                Z::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
                    Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess
                }
                Z::ThisIsATop10Password => Warning::ThisIsATop10Password,
                Z::ThisIsATop100Password => Warning::ThisIsATop100Password,
                Z::ThisIsACommonPassword => Warning::ThisIsACommonPassword,
                Z::ThisIsSimilarToACommonlyUsedPassword => {
                    Warning::ThisIsSimilarToACommonlyUsedPassword
                }
                Z::SequencesLikeAbcAreEasyToGuess => Warning::SequencesLikeAbcAreEasyToGuess,
                Z::RecentYearsAreEasyToGuess => Warning::RecentYearsAreEasyToGuess,
                Z::AWordByItselfIsEasyToGuess => Warning::AWordByItselfIsEasyToGuess,
                Z::DatesAreOftenEasyToGuess => Warning::DatesAreOftenEasyToGuess,
                Z::NamesAndSurnamesByThemselvesAreEasyToGuess => {
                    Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
                }
                Z::CommonNamesAndSurnamesAreEasyToGuess => {
                    Warning::CommonNamesAndSurnamesAreEasyToGuess
                }
            }
        }
    }

    impl From<zxcvbn::feedback::Suggestion> for Suggestion {
        fn from(z: zxcvbn::feedback::Suggestion) -> Suggestion {
            use zxcvbn::feedback::Suggestion as Z;
            match z {
                Z::UseAFewWordsAvoidCommonPhrases => Suggestion::UseAFewWordsAvoidCommonPhrases,
                Z::NoNeedForSymbolsDigitsOrUppercaseLetters => {
                    Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters
                }
                Z::AddAnotherWordOrTwo => Suggestion::AddAnotherWordOrTwo,
                Z::CapitalizationDoesntHelpVeryMuch => Suggestion::CapitalizationDoesntHelpVeryMuch,
                Z::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => {
                    Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase
                }
                Z::ReversedWordsArentMuchHarderToGuess => {
                    Suggestion::ReversedWordsArentMuchHarderToGuess
                }
                Z::PredictableSubstitutionsDontHelpVeryMuch => {
                    Suggestion::PredictableSubstitutionsDontHelpVeryMuch
                }
                Z::UseALongerKeyboardPatternWithMoreTurns => {
                    Suggestion::UseALongerKeyboardPatternWithMoreTurns
                }
                Z::AvoidRepeatedWordsAndCharacters => Suggestion::AvoidRepeatedWordsAndCharacters,
                Z::AvoidSequences => Suggestion::AvoidSequences,
                Z::AvoidRecentYears => Suggestion::AvoidRecentYears,
                Z::AvoidYearsThatAreAssociatedWithYou => {
                    Suggestion::AvoidYearsThatAreAssociatedWithYou
                }
                Z::AvoidDatesAndYearsThatAreAssociatedWithYou => {
                    Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou
                }
            }
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_passwords_the_issue_names_are_refused_and_a_passphrase_passes() {
        for weak in [
            "aaaaaaaaaaaaaaaa",
            "123412341234",
            "qwertyqwerty12",
            "Password2026!",
            "abcdefghijklmnop",
        ] {
            let refused = estimate(weak, &["alice", "AutoShares"], 3);
            assert!(refused.is_err(), "{weak} passed");
        }
        assert_eq!(
            estimate("maroon brand js passphrase", &["alice"], 3),
            Ok(())
        );
        assert_eq!(
            estimate("aaaaaaaaaaaaaaaa", &[], 3).unwrap_err().warning,
            Some(Warning::RepeatsLikeAaaAreEasyToGuess)
        );
    }

    #[test]
    fn the_trader_s_own_words_count_against_the_password() {
        let with = estimate("alicewonderland2019", &["alicewonderland"], 3);
        let without = estimate("alicewonderland2019", &[], 3);
        assert!(with.is_err(), "{with:?} / {without:?}");
    }
}

# Password strength feedback (zxcvbn), the too-weak error and the breach check: English (the reference language).

## The field errors

strength-too-weak = This password would be easy to guess.
pwned-found = This password has appeared in a data breach, so attackers try it first. Choose another one.

## What is wrong with the password (zxcvbn's warning)

strength-warning-straight-rows-of-keys-are-easy-to-guess = Keys in a straight row on the keyboard are easy to guess.
strength-warning-short-keyboard-patterns-are-easy-to-guess = Short patterns on the keyboard are easy to guess.
strength-warning-repeats-like-aaa-are-easy-to-guess = Repeated characters, like "aaa", are easy to guess.
strength-warning-repeats-like-abc-abc-are-only-slightly-harder-to-guess = Repeats like "abcabcabc" are only slightly harder to guess than "abc".
strength-warning-this-is-a-top10-password = This is one of the 10 most common passwords.
strength-warning-this-is-a-top100-password = This is one of the 100 most common passwords.
strength-warning-this-is-a-common-password = This is a very common password.
strength-warning-this-is-similar-to-a-commonly-used-password = This is similar to a commonly used password.
strength-warning-sequences-like-abc-are-easy-to-guess = Sequences like "abc" or "6543" are easy to guess.
strength-warning-recent-years-are-easy-to-guess = Recent years are easy to guess.
strength-warning-a-word-by-itself-is-easy-to-guess = A single word on its own is easy to guess.
strength-warning-dates-are-often-easy-to-guess = Dates are often easy to guess.
strength-warning-names-and-surnames-by-themselves-are-easy-to-guess = Names and surnames on their own are easy to guess.
strength-warning-common-names-and-surnames-are-easy-to-guess = Common names and surnames are easy to guess.

## How to choose a better one (zxcvbn's suggestions)

strength-suggestion-use-a-few-words-avoid-common-phrases = Use a few words together, and avoid common phrases.
strength-suggestion-no-need-for-symbols-digits-or-uppercase-letters = You don't need symbols, digits or capital letters.
strength-suggestion-add-another-word-or-two = Add another word or two. Less common words are better.
strength-suggestion-capitalization-doesnt-help-very-much = Capital letters don't help very much.
strength-suggestion-all-uppercase-is-almost-as-easy-to-guess-as-all-lowercase = All capitals are almost as easy to guess as all lowercase.
strength-suggestion-reversed-words-arent-much-harder-to-guess = Words spelled backwards aren't much harder to guess.
strength-suggestion-predictable-substitutions-dont-help-very-much = Predictable swaps, like "@" for "a", don't help very much.
strength-suggestion-use-a-longer-keyboard-pattern-with-more-turns = Use a longer keyboard pattern with more turns.
strength-suggestion-avoid-repeated-words-and-characters = Avoid repeated words and characters.
strength-suggestion-avoid-sequences = Avoid sequences of letters or numbers.
strength-suggestion-avoid-recent-years = Avoid recent years.
strength-suggestion-avoid-years-that-are-associated-with-you = Avoid years linked to you, like the year you were born.
strength-suggestion-avoid-dates-and-years-that-are-associated-with-you = Avoid dates and years linked to you, like your birthday.

# Password strength feedback (zxcvbn), the too-weak error and the breach check: German (formal "Sie").

## The field errors

strength-too-weak = Dieses Passwort wäre leicht zu erraten.
pwned-found = Dieses Passwort ist in einem Datenleck aufgetaucht, deshalb probieren Angreifer es zuerst. Wählen Sie ein anderes.

## What is wrong with the password (zxcvbn's warning)

strength-warning-straight-rows-of-keys-are-easy-to-guess = Tasten, die auf der Tastatur in einer Reihe nebeneinanderliegen, sind leicht zu erraten.
strength-warning-short-keyboard-patterns-are-easy-to-guess = Kurze Tastaturmuster sind leicht zu erraten.
strength-warning-repeats-like-aaa-are-easy-to-guess = Wiederholte Zeichen wie „aaa“ sind leicht zu erraten.
strength-warning-repeats-like-abc-abc-are-only-slightly-harder-to-guess = Wiederholungen wie „abcabcabc“ sind kaum schwerer zu erraten als „abc“.
strength-warning-this-is-a-top10-password = Dies ist eines der 10 häufigsten Passwörter.
strength-warning-this-is-a-top100-password = Dies ist eines der 100 häufigsten Passwörter.
strength-warning-this-is-a-common-password = Dies ist ein sehr häufiges Passwort.
strength-warning-this-is-similar-to-a-commonly-used-password = Dies ähnelt einem häufig verwendeten Passwort.
strength-warning-sequences-like-abc-are-easy-to-guess = Folgen wie „abc“ oder „6543“ sind leicht zu erraten.
strength-warning-recent-years-are-easy-to-guess = Jahreszahlen aus den letzten Jahren sind leicht zu erraten.
strength-warning-a-word-by-itself-is-easy-to-guess = Ein einzelnes Wort ist leicht zu erraten.
strength-warning-dates-are-often-easy-to-guess = Datumsangaben sind oft leicht zu erraten.
strength-warning-names-and-surnames-by-themselves-are-easy-to-guess = Vor- und Nachnamen allein sind leicht zu erraten.
strength-warning-common-names-and-surnames-are-easy-to-guess = Häufige Vor- und Nachnamen sind leicht zu erraten.

## How to choose a better one (zxcvbn's suggestions)

strength-suggestion-use-a-few-words-avoid-common-phrases = Kombinieren Sie einige Wörter und vermeiden Sie gängige Redewendungen.
strength-suggestion-no-need-for-symbols-digits-or-uppercase-letters = Sonderzeichen, Ziffern oder Großbuchstaben sind nicht nötig.
strength-suggestion-add-another-word-or-two = Fügen Sie ein oder zwei Wörter hinzu. Seltene Wörter sind besser.
strength-suggestion-capitalization-doesnt-help-very-much = Großbuchstaben helfen nicht viel.
strength-suggestion-all-uppercase-is-almost-as-easy-to-guess-as-all-lowercase = Nur Großbuchstaben sind fast so leicht zu erraten wie nur Kleinbuchstaben.
strength-suggestion-reversed-words-arent-much-harder-to-guess = Rückwärts geschriebene Wörter sind kaum schwerer zu erraten.
strength-suggestion-predictable-substitutions-dont-help-very-much = Vorhersehbare Ersetzungen wie „@“ statt „a“ helfen nicht viel.
strength-suggestion-use-a-longer-keyboard-pattern-with-more-turns = Verwenden Sie ein längeres Tastaturmuster mit mehr Richtungswechseln.
strength-suggestion-avoid-repeated-words-and-characters = Vermeiden Sie wiederholte Wörter und Zeichen.
strength-suggestion-avoid-sequences = Vermeiden Sie Folgen von Buchstaben oder Ziffern.
strength-suggestion-avoid-recent-years = Vermeiden Sie Jahreszahlen aus den letzten Jahren.
strength-suggestion-avoid-years-that-are-associated-with-you = Vermeiden Sie Jahreszahlen, die mit Ihnen zu tun haben, etwa Ihr Geburtsjahr.
strength-suggestion-avoid-dates-and-years-that-are-associated-with-you = Vermeiden Sie Daten und Jahreszahlen, die mit Ihnen zu tun haben, etwa Ihren Geburtstag.

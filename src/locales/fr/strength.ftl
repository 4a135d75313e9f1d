# Password strength feedback (zxcvbn), the too-weak error and the breach check: French (formal "vous").

## The field errors

strength-too-weak = Ce mot de passe serait facile à deviner.
pwned-found = Ce mot de passe figure dans une fuite de données : les pirates l'essaient donc en premier. Choisissez-en un autre.

## What is wrong with the password (zxcvbn's warning)

strength-warning-straight-rows-of-keys-are-easy-to-guess = Les touches qui se suivent sur une même rangée du clavier sont faciles à deviner.
strength-warning-short-keyboard-patterns-are-easy-to-guess = Les motifs courts sur le clavier sont faciles à deviner.
strength-warning-repeats-like-aaa-are-easy-to-guess = Les caractères répétés, comme « aaa », sont faciles à deviner.
strength-warning-repeats-like-abc-abc-are-only-slightly-harder-to-guess = Les répétitions comme « abcabcabc » sont à peine plus difficiles à deviner que « abc ».
strength-warning-this-is-a-top10-password = C'est l'un des 10 mots de passe les plus courants.
strength-warning-this-is-a-top100-password = C'est l'un des 100 mots de passe les plus courants.
strength-warning-this-is-a-common-password = C'est un mot de passe très courant.
strength-warning-this-is-similar-to-a-commonly-used-password = Ce mot de passe ressemble à un mot de passe couramment utilisé.
strength-warning-sequences-like-abc-are-easy-to-guess = Les suites comme « abc » ou « 6543 » sont faciles à deviner.
strength-warning-recent-years-are-easy-to-guess = Les années récentes sont faciles à deviner.
strength-warning-a-word-by-itself-is-easy-to-guess = Un mot seul est facile à deviner.
strength-warning-dates-are-often-easy-to-guess = Les dates sont souvent faciles à deviner.
strength-warning-names-and-surnames-by-themselves-are-easy-to-guess = Les prénoms et noms de famille seuls sont faciles à deviner.
strength-warning-common-names-and-surnames-are-easy-to-guess = Les prénoms et noms de famille courants sont faciles à deviner.

## How to choose a better one (zxcvbn's suggestions)

strength-suggestion-use-a-few-words-avoid-common-phrases = Associez quelques mots et évitez les expressions toutes faites.
strength-suggestion-no-need-for-symbols-digits-or-uppercase-letters = Inutile d'ajouter des symboles, des chiffres ou des majuscules.
strength-suggestion-add-another-word-or-two = Ajoutez un ou deux mots. Les mots peu courants sont préférables.
strength-suggestion-capitalization-doesnt-help-very-much = Les majuscules n'aident pas beaucoup.
strength-suggestion-all-uppercase-is-almost-as-easy-to-guess-as-all-lowercase = Tout en majuscules est presque aussi facile à deviner que tout en minuscules.
strength-suggestion-reversed-words-arent-much-harder-to-guess = Les mots écrits à l'envers ne sont guère plus difficiles à deviner.
strength-suggestion-predictable-substitutions-dont-help-very-much = Les substitutions prévisibles, comme « @ » à la place de « a », n'aident pas beaucoup.
strength-suggestion-use-a-longer-keyboard-pattern-with-more-turns = Utilisez un motif de clavier plus long, avec plus de changements de direction.
strength-suggestion-avoid-repeated-words-and-characters = Évitez de répéter des mots et des caractères.
strength-suggestion-avoid-sequences = Évitez les suites de lettres ou de chiffres.
strength-suggestion-avoid-recent-years = Évitez les années récentes.
strength-suggestion-avoid-years-that-are-associated-with-you = Évitez les années qui vous sont liées, comme votre année de naissance.
strength-suggestion-avoid-dates-and-years-that-are-associated-with-you = Évitez les dates et les années qui vous sont liées, comme votre anniversaire.

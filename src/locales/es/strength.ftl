# Password strength feedback (zxcvbn), the too-weak error and the breach check: Spanish (formal "usted").

## The field errors

strength-too-weak = Esta contraseña sería fácil de adivinar.
pwned-found = Esta contraseña ha aparecido en una filtración de datos, así que los atacantes la prueban primero. Elija otra.

## What is wrong with the password (zxcvbn's warning)

strength-warning-straight-rows-of-keys-are-easy-to-guess = Las teclas seguidas en una misma fila del teclado son fáciles de adivinar.
strength-warning-short-keyboard-patterns-are-easy-to-guess = Los patrones cortos de teclado son fáciles de adivinar.
strength-warning-repeats-like-aaa-are-easy-to-guess = Los caracteres repetidos, como «aaa», son fáciles de adivinar.
strength-warning-repeats-like-abc-abc-are-only-slightly-harder-to-guess = Las repeticiones como «abcabcabc» son apenas algo más difíciles de adivinar que «abc».
strength-warning-this-is-a-top10-password = Esta es una de las 10 contraseñas más comunes.
strength-warning-this-is-a-top100-password = Esta es una de las 100 contraseñas más comunes.
strength-warning-this-is-a-common-password = Esta es una contraseña muy común.
strength-warning-this-is-similar-to-a-commonly-used-password = Se parece a una contraseña de uso común.
strength-warning-sequences-like-abc-are-easy-to-guess = Las secuencias como «abc» o «6543» son fáciles de adivinar.
strength-warning-recent-years-are-easy-to-guess = Los años recientes son fáciles de adivinar.
strength-warning-a-word-by-itself-is-easy-to-guess = Una sola palabra es fácil de adivinar.
strength-warning-dates-are-often-easy-to-guess = Las fechas suelen ser fáciles de adivinar.
strength-warning-names-and-surnames-by-themselves-are-easy-to-guess = Los nombres y apellidos por sí solos son fáciles de adivinar.
strength-warning-common-names-and-surnames-are-easy-to-guess = Los nombres y apellidos comunes son fáciles de adivinar.

## How to choose a better one (zxcvbn's suggestions)

strength-suggestion-use-a-few-words-avoid-common-phrases = Combine varias palabras y evite las frases hechas.
strength-suggestion-no-need-for-symbols-digits-or-uppercase-letters = No hacen falta símbolos, números ni mayúsculas.
strength-suggestion-add-another-word-or-two = Añada una o dos palabras más. Mejor si son poco comunes.
strength-suggestion-capitalization-doesnt-help-very-much = Las mayúsculas no ayudan mucho.
strength-suggestion-all-uppercase-is-almost-as-easy-to-guess-as-all-lowercase = Escribir todo en mayúsculas es casi tan fácil de adivinar como todo en minúsculas.
strength-suggestion-reversed-words-arent-much-harder-to-guess = Las palabras escritas al revés no son mucho más difíciles de adivinar.
strength-suggestion-predictable-substitutions-dont-help-very-much = Los cambios previsibles, como «@» en lugar de «a», no ayudan mucho.
strength-suggestion-use-a-longer-keyboard-pattern-with-more-turns = Use un patrón de teclado más largo y con más cambios de dirección.
strength-suggestion-avoid-repeated-words-and-characters = Evite repetir palabras y caracteres.
strength-suggestion-avoid-sequences = Evite las secuencias de letras o números.
strength-suggestion-avoid-recent-years = Evite los años recientes.
strength-suggestion-avoid-years-that-are-associated-with-you = Evite los años relacionados con usted, como el de su nacimiento.
strength-suggestion-avoid-dates-and-years-that-are-associated-with-you = Evite las fechas y los años relacionados con usted, como su cumpleaños.

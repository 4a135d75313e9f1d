# Password strength feedback (zxcvbn), the too-weak error and the breach check: Brazilian Portuguese ("você").

## The field errors

strength-too-weak = Esta senha seria fácil de adivinhar.
pwned-found = Esta senha apareceu em um vazamento de dados, por isso os invasores a testam primeiro. Escolha outra.

## What is wrong with the password (zxcvbn's warning)

strength-warning-straight-rows-of-keys-are-easy-to-guess = Teclas seguidas na mesma fileira do teclado são fáceis de adivinhar.
strength-warning-short-keyboard-patterns-are-easy-to-guess = Padrões curtos de teclado são fáceis de adivinhar.
strength-warning-repeats-like-aaa-are-easy-to-guess = Caracteres repetidos, como "aaa", são fáceis de adivinhar.
strength-warning-repeats-like-abc-abc-are-only-slightly-harder-to-guess = Repetições como "abcabcabc" são só um pouco mais difíceis de adivinhar que "abc".
strength-warning-this-is-a-top10-password = Esta é uma das 10 senhas mais usadas.
strength-warning-this-is-a-top100-password = Esta é uma das 100 senhas mais usadas.
strength-warning-this-is-a-common-password = Esta é uma senha muito usada.
strength-warning-this-is-similar-to-a-commonly-used-password = Esta senha é parecida com uma senha muito usada.
strength-warning-sequences-like-abc-are-easy-to-guess = Sequências como "abc" ou "6543" são fáceis de adivinhar.
strength-warning-recent-years-are-easy-to-guess = Anos recentes são fáceis de adivinhar.
strength-warning-a-word-by-itself-is-easy-to-guess = Uma palavra sozinha é fácil de adivinhar.
strength-warning-dates-are-often-easy-to-guess = Datas costumam ser fáceis de adivinhar.
strength-warning-names-and-surnames-by-themselves-are-easy-to-guess = Nomes e sobrenomes sozinhos são fáceis de adivinhar.
strength-warning-common-names-and-surnames-are-easy-to-guess = Nomes e sobrenomes comuns são fáceis de adivinhar.

## How to choose a better one (zxcvbn's suggestions)

strength-suggestion-use-a-few-words-avoid-common-phrases = Use algumas palavras juntas e evite frases feitas.
strength-suggestion-no-need-for-symbols-digits-or-uppercase-letters = Não é preciso usar símbolos, números nem letras maiúsculas.
strength-suggestion-add-another-word-or-two = Acrescente mais uma ou duas palavras. Palavras pouco comuns são melhores.
strength-suggestion-capitalization-doesnt-help-very-much = Letras maiúsculas não ajudam muito.
strength-suggestion-all-uppercase-is-almost-as-easy-to-guess-as-all-lowercase = Tudo em maiúsculas é quase tão fácil de adivinhar quanto tudo em minúsculas.
strength-suggestion-reversed-words-arent-much-harder-to-guess = Palavras escritas de trás para frente não são muito mais difíceis de adivinhar.
strength-suggestion-predictable-substitutions-dont-help-very-much = Trocas previsíveis, como "@" no lugar de "a", não ajudam muito.
strength-suggestion-use-a-longer-keyboard-pattern-with-more-turns = Use um padrão de teclado mais longo e com mais mudanças de direção.
strength-suggestion-avoid-repeated-words-and-characters = Evite repetir palavras e caracteres.
strength-suggestion-avoid-sequences = Evite sequências de letras ou números.
strength-suggestion-avoid-recent-years = Evite anos recentes.
strength-suggestion-avoid-years-that-are-associated-with-you = Evite anos ligados a você, como o ano em que você nasceu.
strength-suggestion-avoid-dates-and-years-that-are-associated-with-you = Evite datas e anos ligados a você, como seu aniversário.

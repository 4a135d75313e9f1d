# Password strength feedback (zxcvbn), the too-weak error and the breach check: Arabic (Modern Standard Arabic, formal).

## The field errors

strength-too-weak = يسهل تخمين كلمة المرور هذه.
pwned-found = ظهرت كلمة المرور هذه في تسريب للبيانات، لذا يجرّبها المخترقون أولًا. يُرجى اختيار كلمة مرور أخرى.

## What is wrong with the password (zxcvbn's warning)

strength-warning-straight-rows-of-keys-are-easy-to-guess = يسهل تخمين المفاتيح المتجاورة في صف واحد من لوحة المفاتيح.
strength-warning-short-keyboard-patterns-are-easy-to-guess = يسهل تخمين الأنماط القصيرة على لوحة المفاتيح.
strength-warning-repeats-like-aaa-are-easy-to-guess = يسهل تخمين الأحرف المكررة مثل «aaa».
strength-warning-repeats-like-abc-abc-are-only-slightly-harder-to-guess = التكرار مثل «abcabcabc» ليس أصعب في التخمين من «abc» إلا قليلًا.
strength-warning-this-is-a-top10-password = هذه واحدة من أكثر 10 كلمات مرور شيوعًا.
strength-warning-this-is-a-top100-password = هذه واحدة من أكثر 100 كلمة مرور شيوعًا.
strength-warning-this-is-a-common-password = هذه كلمة مرور شائعة جدًا.
strength-warning-this-is-similar-to-a-commonly-used-password = كلمة المرور هذه تشبه كلمة مرور شائعة الاستخدام.
strength-warning-sequences-like-abc-are-easy-to-guess = يسهل تخمين التسلسلات مثل «abc» أو «6543».
strength-warning-recent-years-are-easy-to-guess = يسهل تخمين السنوات الأخيرة.
strength-warning-a-word-by-itself-is-easy-to-guess = يسهل تخمين كلمة واحدة بمفردها.
strength-warning-dates-are-often-easy-to-guess = غالبًا ما يسهل تخمين التواريخ.
strength-warning-names-and-surnames-by-themselves-are-easy-to-guess = يسهل تخمين الأسماء الشخصية وأسماء العائلات بمفردها.
strength-warning-common-names-and-surnames-are-easy-to-guess = يسهل تخمين الأسماء الشخصية وأسماء العائلات الشائعة.

## How to choose a better one (zxcvbn's suggestions)

strength-suggestion-use-a-few-words-avoid-common-phrases = يُفضَّل استخدام بضع كلمات معًا، مع تجنّب العبارات الشائعة.
strength-suggestion-no-need-for-symbols-digits-or-uppercase-letters = لا حاجة إلى الرموز أو الأرقام أو الأحرف الكبيرة.
strength-suggestion-add-another-word-or-two = يُرجى إضافة كلمة أو كلمتين أخريين؛ فالكلمات غير الشائعة أفضل.
strength-suggestion-capitalization-doesnt-help-very-much = لا تُفيد الأحرف الكبيرة كثيرًا.
strength-suggestion-all-uppercase-is-almost-as-easy-to-guess-as-all-lowercase = الكتابة بالأحرف الكبيرة كلها يسهل تخمينها تقريبًا مثل الكتابة بالأحرف الصغيرة كلها.
strength-suggestion-reversed-words-arent-much-harder-to-guess = الكلمات المكتوبة بترتيب معكوس ليست أصعب في التخمين بكثير.
strength-suggestion-predictable-substitutions-dont-help-very-much = لا تُفيد الاستبدالات المتوقعة كثيرًا، مثل «@» بدلًا من «a».
strength-suggestion-use-a-longer-keyboard-pattern-with-more-turns = يُرجى استخدام نمط أطول على لوحة المفاتيح يتغيّر اتجاهه مرات أكثر.
strength-suggestion-avoid-repeated-words-and-characters = يُرجى تجنّب تكرار الكلمات والأحرف.
strength-suggestion-avoid-sequences = يُرجى تجنّب تسلسلات الأحرف أو الأرقام.
strength-suggestion-avoid-recent-years = يُرجى تجنّب السنوات الأخيرة.
strength-suggestion-avoid-years-that-are-associated-with-you = يُرجى تجنّب السنوات المرتبطة بك، مثل سنة ميلادك.
strength-suggestion-avoid-dates-and-years-that-are-associated-with-you = يُرجى تجنّب التواريخ والسنوات المرتبطة بك، مثل تاريخ ميلادك.

# AutoShares password recovery portal: English (the reference language).
# Every other language has the same message ids; a test fails on any missing
# or extra id. Variables: $broker (the broker's name), $login, $minutes,
# $max, $min, $n, $count.

## The frame around every page

sandbox-banner = Sandbox: no real accounts.
sandbox-mailbox = Open the demo mailbox
footer-never-ask = We will never ask for your current password on this page.
footer-help = Get help
footer-privacy = Privacy notice
footer-terms = Terms of use
footer-legal = Legal
language-switcher = Language
step-of = Step { $n } of { $count }
meta-description = Forgot your { $broker } password? Reset it here with your login or email and the code we email you.
error-title-prefix = Error: { $title }
error-summary-title = There is a problem

## Step 1: login or email

start-title = Reset your password
start-lead = Enter the login or email you use to sign in. We'll email you a code to set a new password.
start-login-label = Login or email
button-continue = Continue

## Step 2: the secret question

question-title = Answer your secret question
question-lead = Resetting the password for { $login }.
question-hint = Type the answer you chose when you set up your account.

## Step 3: the code

code-title = Check your email
code-lead = We've emailed a code to the address on file for { $login }. It can take a minute to arrive; check your spam folder too.
code-new-sent = We've sent a new code. Use the newest one.
code-label = Code from the email
code-verify = Verify code
code-send-new = Send a new code

## Step 4: the new password

password-title = Choose a new password
password-lead = For { $login }. A long phrase you don't use anywhere else is best.
password-new-label = New password
password-confirm-label = Confirm new password
password-rules-label = Password rules
password-rule-min = At least { $min } characters
password-rule-max = At most { $max } characters
password-rule-not-login = Not your login, email or the broker's name
password-rule-not-common = Not a commonly used password
password-rule-match = Both entries match
password-rule-done = (done)
password-show = Show passwords
password-hide = Hide passwords
password-change = Change password

## Done

done-title = Password changed
done-heading = Your password has been changed
done-lead = You can now sign in with your new password.
done-sign-in = Sign in to { $broker }

# The new password went to AutoShares but its answer was lost.
sent-title = Your password may already be changed
sent-lead = We couldn't confirm whether your password was changed. Try signing in with the new password; if that fails, start again.

## Shared actions

start-over = Start over
start-again = Start again

## The expired and too-many-attempts pages

expired-title = This reset expired
expired-lead = For your security, a password reset only lasts a few minutes. Nothing was changed. Please start again.
attempts-title = Too many attempts
attempts-lead = For your security, this reset was stopped after too many wrong tries. Nothing was changed.
attempts-check = Please check your details, then start again.
attempts-wait = { $minutes ->
    [one] Please wait { $minutes } minute, then start again.
   *[other] Please wait { $minutes } minutes, then start again.
}

## Not found, and the refusals answered as pages

not-found-title = Page not found
not-found-lead = There is nothing at this address.
forbidden-title = This request was refused
forbidden-lead = The form was sent from somewhere other than this site, so nothing was done. Open the page again and try once more.
too-large-title = This form was too large
too-large-lead = Nothing was done. Go back, check what you typed, and try again.
rate-limited-title = Too many requests
unsupported-title = This request was not understood
unsupported-lead = Nothing was done. Open the page again and try once more.
unavailable-title = Temporarily unavailable

## Error messages (next to the field they are about)

error-login-missing = Enter the login or email you use to sign in.
error-login-too-long = That login or email is too long. Check it and try again.
error-login-invalid = That login or email contains characters we can't accept. Check it and try again.
error-login-invisible = That login or email contains invisible characters (such as a zero-width space), often picked up when copying. Type it again.
error-answer-missing = Type the answer to your secret question.
error-wrong-answer = That answer is not correct. Check the spelling and try again.
error-code-missing = Enter the code from the email we sent you.
error-wrong-code = That code is not right or has expired. Check the email and try again, or send a new code.
error-too-many-attempts = { $minutes ->
    [one] Too many attempts. For your security, wait { $minutes } minute, then start again.
   *[other] Too many attempts. For your security, wait { $minutes } minutes, then start again.
}
error-too-many-codes = { $max ->
    [one] We've already sent { $max } code in the last hour. Check your inbox and spam folder, or try again later.
   *[other] We've already sent { $max } codes in the last hour. Check your inbox and spam folder, or try again later.
}
error-password-too-short = { $min ->
    [one] Use at least { $min } character.
   *[other] Use at least { $min } characters.
}
error-password-too-long = { $max ->
    [one] Use at most { $max } character.
   *[other] Use at most { $max } characters.
}
error-password-is-login = Your new password can't be your login, your email or the broker's name.
error-password-too-common = This password is on a list of commonly used passwords. Choose something harder to guess.
error-password-mismatch = The two passwords don't match.
error-password-rejected = Your broker didn't accept this password. Try a longer or different one.
error-could-not-start = We couldn't start the reset for this account. Check your login or contact your broker.
error-unavailable = The service is temporarily unavailable. Nothing was lost: try again in a moment.
error-step-in-progress = We're still working on your last request. Wait a moment, then try again.
error-session-expired = This reset expired. Please start again.
error-rate-limited = { $minutes ->
    [one] Too many requests. Please try again in { $minutes } minute.
   *[other] Too many requests. Please try again in { $minutes } minutes.
}
error-bad-request = Something went wrong with that form. Please try again.
error-unexpected-fields = That form arrived with fields we didn't expect, so nothing was done. Reload the page and try again.

## Made-up questions for unknown logins (so they look like real ones).
## A broker can replace them with its own (PORTAL_DECOY_QUESTIONS_FILE).

decoy-1 = What street did you live on in third grade?
decoy-2 = What was the name of your first pet?
decoy-3 = What is your mother's maiden name?
decoy-4 = What city were you born in?
decoy-5 = What was the make of your first car?
decoy-6 = What was the name of your elementary school?

## The proof of work a step asks for while the portal is under attack

challenge-checking = Checking that you are not a robot…
challenge-done = Check complete. You can go on.
challenge-failed = This browser could not run the check. Reload the page to try again, or use another browser.
challenge-noscript = { $minutes ->
    [one] Many requests are reaching us right now, so this step asks your browser for a short automatic check that proves it is not a robot. The check needs JavaScript, which is off in this browser. Turn it on and reload the page, or come back within { $minutes } minute: then this step works without it.
   *[other] Many requests are reaching us right now, so this step asks your browser for a short automatic check that proves it is not a robot. The check needs JavaScript, which is off in this browser. Turn it on and reload the page, or come back within { $minutes } minutes: then this step works without it.
}
error-challenge-required = { $minutes ->
    [one] Your browser needs to finish a quick check before we go on: it proves you are not a robot. Wait until it says the check is complete, then try again. Without JavaScript, this step works again within { $minutes } minute.
   *[other] Your browser needs to finish a quick check before we go on: it proves you are not a robot. Wait until it says the check is complete, then try again. Without JavaScript, this step works again within { $minutes } minutes.
}

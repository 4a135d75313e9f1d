# AutoShares password recovery portal: German (formal "Sie").
# Same message ids as en/portal.ftl, the reference language.

## The frame around every page

sandbox-banner = Testumgebung: keine echten Konten.
sandbox-mailbox = Demo-Postfach öffnen
footer-never-ask = Auf dieser Seite fragen wir Sie niemals nach Ihrem aktuellen Passwort.
footer-help = Hilfe erhalten
footer-privacy = Datenschutzhinweis
footer-terms = Nutzungsbedingungen
footer-legal = Rechtliches
language-switcher = Sprache
step-of = Schritt { $n } von { $count }
meta-description = Passwort für { $broker } vergessen? Setzen Sie es hier mit Ihrem Benutzernamen oder Ihrer E-Mail-Adresse und dem Code zurück, den wir Ihnen per E-Mail senden.
error-title-prefix = Fehler: { $title }
error-summary-title = Es ist ein Problem aufgetreten

## Step 1: login or email

start-title = Passwort zurücksetzen
start-lead = Geben Sie den Benutzernamen oder die E-Mail-Adresse ein, mit der Sie sich anmelden. Wir senden Ihnen per E-Mail einen Code, mit dem Sie ein neues Passwort festlegen können.
start-login-label = Benutzername oder E-Mail-Adresse
button-continue = Weiter

## Step 2: the secret question

question-title = Beantworten Sie Ihre Sicherheitsfrage
question-lead = Passwort zurücksetzen für { $login }.
question-hint = Geben Sie die Antwort ein, die Sie bei der Einrichtung Ihres Kontos gewählt haben.

## Step 3: the code

code-title = Prüfen Sie Ihre E-Mails
code-lead = Wir haben einen Code an die für { $login } hinterlegte E-Mail-Adresse gesendet. Es kann eine Minute dauern, bis er ankommt; sehen Sie bitte auch in Ihrem Spam-Ordner nach.
code-new-sent = Wir haben einen neuen Code gesendet. Verwenden Sie den neuesten.
code-label = Code aus der E-Mail
code-verify = Code bestätigen
code-send-new = Neuen Code senden

## Step 4: the new password

password-title = Neues Passwort wählen
password-lead = Für { $login }. Am besten ist ein langer Satz, den Sie nirgendwo sonst verwenden.
password-new-label = Neues Passwort
password-confirm-label = Neues Passwort bestätigen
password-rules-label = Passwortregeln
password-rule-min = Mindestens { $min } Zeichen
password-rule-max = Höchstens { $max } Zeichen
password-rule-not-login = Nicht Ihr Benutzername, Ihre E-Mail-Adresse oder der Name des Brokers
password-rule-not-common = Kein häufig verwendetes Passwort
password-rule-match = Beide Eingaben stimmen überein
password-rule-done = (erfüllt)
password-show = Passwörter anzeigen
password-hide = Passwörter ausblenden
password-change = Passwort ändern

## Done

done-title = Passwort geändert
done-heading = Ihr Passwort wurde geändert
done-lead = Sie können sich jetzt mit Ihrem neuen Passwort anmelden.
done-sign-in = Bei { $broker } anmelden

# The new password went to AutoShares but its answer was lost.
sent-title = Ihr Passwort wurde möglicherweise bereits geändert
sent-lead = Wir konnten nicht bestätigen, ob Ihr Passwort geändert wurde. Versuchen Sie, sich mit dem neuen Passwort anzumelden; falls das nicht gelingt, beginnen Sie erneut.

## Shared actions

start-over = Neu beginnen
start-again = Von vorn beginnen

## The expired and too-many-attempts pages

expired-title = Diese Zurücksetzung ist abgelaufen
expired-lead = Zu Ihrer Sicherheit ist eine Passwortzurücksetzung nur wenige Minuten gültig. Es wurde nichts geändert. Bitte beginnen Sie erneut.
attempts-title = Zu viele Versuche
attempts-lead = Zu Ihrer Sicherheit wurde diese Zurücksetzung nach zu vielen Fehlversuchen abgebrochen. Es wurde nichts geändert.
attempts-check = Bitte prüfen Sie Ihre Angaben und beginnen Sie dann erneut.
attempts-wait = { $minutes ->
    [one] Bitte warten Sie { $minutes } Minute und beginnen Sie dann erneut.
   *[other] Bitte warten Sie { $minutes } Minuten und beginnen Sie dann erneut.
}

## Not found, and the refusals answered as pages

not-found-title = Seite nicht gefunden
not-found-lead = Unter dieser Adresse gibt es keine Seite.
forbidden-title = Diese Anfrage wurde abgelehnt
forbidden-lead = Das Formular wurde nicht von dieser Website aus gesendet, daher wurde nichts ausgeführt. Öffnen Sie die Seite erneut und versuchen Sie es noch einmal.
too-large-title = Dieses Formular war zu groß
too-large-lead = Es wurde nichts ausgeführt. Gehen Sie zurück, prüfen Sie Ihre Eingaben und versuchen Sie es erneut.
rate-limited-title = Zu viele Anfragen
unsupported-title = Diese Anfrage wurde nicht verstanden
unsupported-lead = Es wurde nichts ausgeführt. Öffnen Sie die Seite erneut und versuchen Sie es noch einmal.
unavailable-title = Vorübergehend nicht verfügbar

## Error messages (next to the field they are about)

error-login-missing = Geben Sie den Benutzernamen oder die E-Mail-Adresse ein, mit der Sie sich anmelden.
error-login-too-long = Die Eingabe ist zu lang. Prüfen Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse und versuchen Sie es erneut.
error-login-invalid = Die Eingabe enthält Zeichen, die wir nicht akzeptieren können. Prüfen Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse und versuchen Sie es erneut.
error-login-invisible = Dieser Benutzername oder diese E-Mail-Adresse enthält unsichtbare Zeichen (etwa ein Leerzeichen ohne Breite), die oft beim Kopieren mitkommen. Geben Sie sie bitte erneut ein.
error-answer-missing = Geben Sie die Antwort auf Ihre Sicherheitsfrage ein.
error-wrong-answer = Diese Antwort ist nicht richtig. Prüfen Sie die Schreibweise und versuchen Sie es erneut.
error-code-missing = Geben Sie den Code aus der E-Mail ein, die wir Ihnen gesendet haben.
error-wrong-code = Dieser Code ist falsch oder abgelaufen. Prüfen Sie die E-Mail und versuchen Sie es erneut, oder fordern Sie einen neuen Code an.
error-too-many-attempts = { $minutes ->
    [one] Zu viele Versuche. Bitte warten Sie zu Ihrer Sicherheit { $minutes } Minute und beginnen Sie dann erneut.
   *[other] Zu viele Versuche. Bitte warten Sie zu Ihrer Sicherheit { $minutes } Minuten und beginnen Sie dann erneut.
}
error-too-many-codes = { $max ->
    [one] Wir haben in der letzten Stunde bereits { $max } Code gesendet. Prüfen Sie Ihren Posteingang und Ihren Spam-Ordner oder versuchen Sie es später erneut.
   *[other] Wir haben in der letzten Stunde bereits { $max } Codes gesendet. Prüfen Sie Ihren Posteingang und Ihren Spam-Ordner oder versuchen Sie es später erneut.
}
error-password-too-short = { $min ->
    [one] Verwenden Sie mindestens { $min } Zeichen.
   *[other] Verwenden Sie mindestens { $min } Zeichen.
}
error-password-too-long = { $max ->
    [one] Verwenden Sie höchstens { $max } Zeichen.
   *[other] Verwenden Sie höchstens { $max } Zeichen.
}
error-password-is-login = Ihr neues Passwort darf nicht Ihr Benutzername, Ihre E-Mail-Adresse oder der Name des Brokers sein.
error-password-too-common = Dieses Passwort steht auf einer Liste häufig verwendeter Passwörter. Wählen Sie eines, das schwerer zu erraten ist.
error-password-mismatch = Die beiden Passwörter stimmen nicht überein.
error-password-rejected = Ihr Broker hat dieses Passwort nicht akzeptiert. Versuchen Sie es mit einem längeren oder einem anderen.
error-could-not-start = Wir konnten die Zurücksetzung für dieses Konto nicht starten. Prüfen Sie Ihren Benutzernamen oder wenden Sie sich an Ihren Broker.
error-unavailable = Der Dienst ist vorübergehend nicht verfügbar. Es ist nichts verloren gegangen: Versuchen Sie es gleich noch einmal.
error-step-in-progress = Wir bearbeiten noch Ihre letzte Anfrage. Warten Sie einen Moment und versuchen Sie es dann erneut.
error-session-expired = Diese Zurücksetzung ist abgelaufen. Bitte beginnen Sie erneut.
error-rate-limited = { $minutes ->
    [one] Zu viele Anfragen. Bitte versuchen Sie es in { $minutes } Minute erneut.
   *[other] Zu viele Anfragen. Bitte versuchen Sie es in { $minutes } Minuten erneut.
}
error-bad-request = Bei diesem Formular ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.
error-unexpected-fields = Das Formular enthielt unerwartete Felder, daher wurde nichts ausgeführt. Laden Sie die Seite neu und versuchen Sie es erneut.

## Made-up questions for unknown logins (so they look like real ones).
## A broker can replace them with its own (PORTAL_DECOY_QUESTIONS_FILE).

decoy-1 = In welcher Straße haben Sie in der dritten Klasse gewohnt?
decoy-2 = Wie hieß Ihr erstes Haustier?
decoy-3 = Wie lautet der Geburtsname Ihrer Mutter?
decoy-4 = In welcher Stadt sind Sie geboren?
decoy-5 = Welche Marke hatte Ihr erstes Auto?
decoy-6 = Wie hieß Ihre Grundschule?

## The proof of work a step asks for while the portal is under attack

challenge-checking = Wir prüfen, dass Sie kein Roboter sind …
challenge-done = Prüfung abgeschlossen. Sie können fortfahren.
challenge-failed = Dieser Browser konnte die Prüfung nicht ausführen. Laden Sie die Seite neu oder verwenden Sie einen anderen Browser.
challenge-noscript = { $minutes ->
    [one] Gerade erreichen uns sehr viele Anfragen. Deshalb bittet dieser Schritt Ihren Browser um eine kurze automatische Prüfung, die zeigt, dass er kein Roboter ist. Die Prüfung braucht JavaScript, das in diesem Browser ausgeschaltet ist. Schalten Sie es ein und laden Sie die Seite neu, oder kommen Sie in spätestens { $minutes } Minute wieder: dann funktioniert dieser Schritt auch ohne.
   *[other] Gerade erreichen uns sehr viele Anfragen. Deshalb bittet dieser Schritt Ihren Browser um eine kurze automatische Prüfung, die zeigt, dass er kein Roboter ist. Die Prüfung braucht JavaScript, das in diesem Browser ausgeschaltet ist. Schalten Sie es ein und laden Sie die Seite neu, oder kommen Sie in spätestens { $minutes } Minuten wieder: dann funktioniert dieser Schritt auch ohne.
}
error-challenge-required = { $minutes ->
    [one] Ihr Browser muss zuerst eine kurze Prüfung abschließen, die zeigt, dass Sie kein Roboter sind. Warten Sie, bis die Prüfung abgeschlossen ist, und versuchen Sie es dann erneut. Ohne JavaScript funktioniert dieser Schritt in spätestens { $minutes } Minute wieder.
   *[other] Ihr Browser muss zuerst eine kurze Prüfung abschließen, die zeigt, dass Sie kein Roboter sind. Warten Sie, bis die Prüfung abgeschlossen ist, und versuchen Sie es dann erneut. Ohne JavaScript funktioniert dieser Schritt in spätestens { $minutes } Minuten wieder.
}

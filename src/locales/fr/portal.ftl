# AutoShares password recovery portal: French (formal "vous").
# Same message ids as en/portal.ftl, the reference language.

## The frame around every page

sandbox-banner = Environnement de test : aucun compte réel.
sandbox-mailbox = Ouvrir la boîte de réception de démonstration
footer-never-ask = Nous ne vous demanderons jamais votre mot de passe actuel sur cette page.
footer-help = Obtenir de l’aide
footer-privacy = Politique de confidentialité
footer-terms = Conditions d’utilisation
footer-legal = Mentions légales
language-switcher = Langue
step-of = Étape { $n } sur { $count }
meta-description = Vous avez oublié votre mot de passe { $broker } ? Réinitialisez-le ici avec votre identifiant ou votre adresse e-mail et le code que nous vous envoyons par e-mail.
error-title-prefix = Erreur : { $title }
error-summary-title = Un problème a été détecté

## Step 1: login or email

start-title = Réinitialiser votre mot de passe
start-lead = Saisissez l'identifiant ou l'adresse e-mail que vous utilisez pour vous connecter. Nous vous enverrons par e-mail un code pour définir un nouveau mot de passe.
start-login-label = Identifiant ou adresse e-mail
button-continue = Continuer

## Step 2: the secret question

question-title = Répondez à votre question secrète
question-lead = Réinitialisation du mot de passe pour { $login }.
question-hint = Saisissez la réponse que vous avez choisie lors de la création de votre compte.

## Step 3: the code

code-title = Consultez vos e-mails
code-lead = Nous avons envoyé un code par e-mail à l'adresse enregistrée pour { $login }. Son arrivée peut prendre une minute ; pensez aussi à vérifier vos courriers indésirables.
code-new-sent = Nous avons envoyé un nouveau code. Utilisez le plus récent.
code-label = Code reçu par e-mail
code-verify = Vérifier le code
code-send-new = Envoyer un nouveau code

## Step 4: the new password

password-title = Choisissez un nouveau mot de passe
password-lead = Pour { $login }. L'idéal est une longue phrase que vous n'utilisez nulle part ailleurs.
password-new-label = Nouveau mot de passe
password-confirm-label = Confirmer le nouveau mot de passe
password-rules-label = Règles du mot de passe
password-rule-min = Au moins { $min } caractères
password-rule-max = Au plus { $max } caractères
password-rule-not-login = Différent de votre identifiant, de votre adresse e-mail et du nom du courtier
password-rule-not-common = Ne figure pas parmi les mots de passe courants
password-rule-match = Les deux saisies sont identiques
password-rule-done = (validé)
password-show = Afficher les mots de passe
password-hide = Masquer les mots de passe
password-change = Modifier le mot de passe

## Done

done-title = Mot de passe modifié
done-heading = Votre mot de passe a été modifié
done-lead = Vous pouvez maintenant vous connecter avec votre nouveau mot de passe.
done-sign-in = Se connecter à { $broker }

# The new password went to AutoShares but its answer was lost.
sent-title = Votre mot de passe a peut-être déjà été modifié
sent-lead = Nous n'avons pas pu confirmer que votre mot de passe a bien été modifié. Essayez de vous connecter avec le nouveau mot de passe ; en cas d'échec, recommencez.

## Shared actions

start-over = Recommencer
start-again = Recommencer depuis le début

## The expired and too-many-attempts pages

expired-title = Cette réinitialisation a expiré
expired-lead = Pour votre sécurité, une réinitialisation de mot de passe n'est valable que quelques minutes. Rien n'a été modifié. Veuillez recommencer.
attempts-title = Trop de tentatives
attempts-lead = Pour votre sécurité, cette réinitialisation a été interrompue après trop de tentatives erronées. Rien n'a été modifié.
attempts-check = Veuillez vérifier vos informations, puis recommencer.
attempts-wait = { $minutes ->
    [one] Veuillez patienter { $minutes } minute, puis recommencer.
   *[other] Veuillez patienter { $minutes } minutes, puis recommencer.
}

## Not found, and the refusals answered as pages

not-found-title = Page introuvable
not-found-lead = Il n'y a rien à cette adresse.
forbidden-title = Cette demande a été refusée
forbidden-lead = Le formulaire n'a pas été envoyé depuis ce site ; aucune action n'a donc été effectuée. Rouvrez la page et réessayez.
too-large-title = Ce formulaire était trop volumineux
too-large-lead = Aucune action n'a été effectuée. Revenez en arrière, vérifiez votre saisie et réessayez.
rate-limited-title = Trop de demandes
unsupported-title = Cette demande n'a pas été comprise
unsupported-lead = Aucune action n'a été effectuée. Rouvrez la page et réessayez.
unavailable-title = Temporairement indisponible

## Error messages (next to the field they are about)

error-login-missing = Saisissez l'identifiant ou l'adresse e-mail que vous utilisez pour vous connecter.
error-login-too-long = Votre saisie est trop longue. Vérifiez votre identifiant ou votre adresse e-mail et réessayez.
error-login-invalid = Votre saisie contient des caractères que nous ne pouvons pas accepter. Vérifiez votre identifiant ou votre adresse e-mail et réessayez.
error-login-invisible = Cet identifiant ou cette adresse e-mail contient des caractères invisibles (comme une espace de largeur nulle), souvent récupérés lors d'un copier-coller. Saisissez-le à nouveau.
error-answer-missing = Saisissez la réponse à votre question secrète.
error-wrong-answer = Cette réponse est incorrecte. Vérifiez l'orthographe et réessayez.
error-code-missing = Saisissez le code figurant dans l'e-mail que nous vous avons envoyé.
error-wrong-code = Ce code est incorrect ou a expiré. Vérifiez l'e-mail et réessayez, ou demandez un nouveau code.
error-too-many-attempts = { $minutes ->
    [one] Trop de tentatives. Pour votre sécurité, patientez { $minutes } minute, puis recommencez.
   *[other] Trop de tentatives. Pour votre sécurité, patientez { $minutes } minutes, puis recommencez.
}
error-too-many-codes = { $max ->
    [one] Nous avons déjà envoyé { $max } code au cours de la dernière heure. Consultez votre boîte de réception et vos courriers indésirables, ou réessayez plus tard.
   *[other] Nous avons déjà envoyé { $max } codes au cours de la dernière heure. Consultez votre boîte de réception et vos courriers indésirables, ou réessayez plus tard.
}
error-password-too-short = { $min ->
    [one] Utilisez au moins { $min } caractère.
   *[other] Utilisez au moins { $min } caractères.
}
error-password-too-long = { $max ->
    [one] Utilisez au plus { $max } caractère.
   *[other] Utilisez au plus { $max } caractères.
}
error-password-is-login = Votre nouveau mot de passe ne peut pas être votre identifiant, votre adresse e-mail ni le nom du courtier.
error-password-too-common = Ce mot de passe figure sur une liste de mots de passe couramment utilisés. Choisissez-en un plus difficile à deviner.
error-password-mismatch = Les deux mots de passe ne correspondent pas.
error-password-rejected = Votre courtier n'a pas accepté ce mot de passe. Essayez-en un plus long ou différent.
error-could-not-start = Nous n'avons pas pu lancer la réinitialisation pour ce compte. Vérifiez votre identifiant ou contactez votre courtier.
error-unavailable = Le service est temporairement indisponible. Rien n'a été perdu : réessayez dans un instant.
error-step-in-progress = Nous traitons encore votre demande précédente. Patientez un instant, puis réessayez.
error-session-expired = Cette réinitialisation a expiré. Veuillez recommencer.
error-rate-limited = { $minutes ->
    [one] Trop de demandes. Veuillez réessayer dans { $minutes } minute.
   *[other] Trop de demandes. Veuillez réessayer dans { $minutes } minutes.
}
error-bad-request = Un problème est survenu avec ce formulaire. Veuillez réessayer.
error-unexpected-fields = Ce formulaire contenait des champs inattendus ; aucune action n'a donc été effectuée. Rechargez la page et réessayez.

## Made-up questions for unknown logins (so they look like real ones).
## A broker can replace them with its own (PORTAL_DECOY_QUESTIONS_FILE).

decoy-1 = Dans quelle rue habitiez-vous quand vous étiez en CE2 ?
decoy-2 = Quel était le nom de votre premier animal de compagnie ?
decoy-3 = Quel est le nom de jeune fille de votre mère ?
decoy-4 = Quelle est votre ville de naissance ?
decoy-5 = Quelle était la marque de votre première voiture ?
decoy-6 = Quel était le nom de votre école primaire ?

## The proof of work a step asks for while the portal is under attack

challenge-checking = Nous vérifions que vous n’êtes pas un robot…
challenge-done = Vérification terminée. Vous pouvez continuer.
challenge-failed = Ce navigateur n’a pas pu effectuer la vérification. Rechargez la page ou utilisez un autre navigateur.
challenge-noscript = { $minutes ->
    [one] Nous recevons beaucoup de demandes en ce moment : cette étape demande donc à votre navigateur une courte vérification automatique qui prouve qu’il n’est pas un robot. Cette vérification a besoin de JavaScript, désactivé dans ce navigateur. Activez-le et rechargez la page, ou revenez d’ici { $minutes } minute au plus : cette étape fonctionnera alors sans.
   *[other] Nous recevons beaucoup de demandes en ce moment : cette étape demande donc à votre navigateur une courte vérification automatique qui prouve qu’il n’est pas un robot. Cette vérification a besoin de JavaScript, désactivé dans ce navigateur. Activez-le et rechargez la page, ou revenez d’ici { $minutes } minutes au plus : cette étape fonctionnera alors sans.
}
error-challenge-required = { $minutes ->
    [one] Votre navigateur doit d’abord terminer une courte vérification qui prouve que vous n’êtes pas un robot. Attendez qu’elle soit terminée, puis réessayez. Sans JavaScript, cette étape fonctionne de nouveau d’ici { $minutes } minute au plus.
   *[other] Votre navigateur doit d’abord terminer une courte vérification qui prouve que vous n’êtes pas un robot. Attendez qu’elle soit terminée, puis réessayez. Sans JavaScript, cette étape fonctionne de nouveau d’ici { $minutes } minutes au plus.
}

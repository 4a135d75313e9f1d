# AutoShares password recovery portal: Spanish (neutral international, formal
# "usted"). Same message ids as en/portal.ftl, the reference language.

## El marco de todas las páginas

sandbox-banner = Entorno de pruebas: no hay cuentas reales.
sandbox-mailbox = Abrir el buzón de demostración
footer-never-ask = En esta página nunca le pediremos su contraseña actual.
footer-help = Obtener ayuda
footer-privacy = Aviso de privacidad
footer-terms = Condiciones de uso
footer-legal = Información legal
language-switcher = Idioma
step-of = Paso { $n } de { $count }
meta-description = ¿Olvidó su contraseña de { $broker }? Restablézcala aquí con su usuario o correo electrónico y el código que le enviaremos por correo.
error-title-prefix = Error: { $title }
error-summary-title = Hay un problema

## Paso 1: usuario o correo electrónico

start-title = Restablezca su contraseña
start-lead = Escriba el usuario o el correo electrónico con el que inicia sesión. Le enviaremos por correo un código para establecer una nueva contraseña.
start-login-label = Usuario o correo electrónico
button-continue = Continuar

## Paso 2: la pregunta de seguridad

question-title = Responda a su pregunta de seguridad
question-lead = Está restableciendo la contraseña de { $login }.
question-hint = Escriba la respuesta que eligió al crear su cuenta.

## Paso 3: el código

code-title = Revise su correo electrónico
code-lead = Hemos enviado un código a la dirección de correo electrónico registrada para { $login }. Puede tardar un minuto en llegar; revise también la carpeta de correo no deseado.
code-new-sent = Hemos enviado un nuevo código. Use el más reciente.
code-label = Código del correo electrónico
code-verify = Verificar código
code-send-new = Enviar un nuevo código

## Paso 4: la nueva contraseña

password-title = Elija una nueva contraseña
password-lead = Para { $login }. Lo mejor es una frase larga que no utilice en ningún otro sitio.
password-new-label = Nueva contraseña
password-confirm-label = Confirme la nueva contraseña
password-rules-label = Requisitos de la contraseña
password-rule-min = Al menos { $min } caracteres
password-rule-max = Como máximo { $max } caracteres
password-rule-not-login = No puede ser su usuario, su correo electrónico ni el nombre del bróker
password-rule-not-common = No puede ser una contraseña de uso común
password-rule-match = Ambas contraseñas coinciden
password-rule-done = (cumplido)
password-show = Mostrar contraseñas
password-hide = Ocultar contraseñas
password-change = Cambiar contraseña

## Listo

done-title = Contraseña cambiada
done-heading = Su contraseña se ha cambiado
done-lead = Ya puede iniciar sesión con su nueva contraseña.
done-sign-in = Iniciar sesión en { $broker }

# The new password went to AutoShares but its answer was lost.
sent-title = Es posible que su contraseña ya se haya cambiado
sent-lead = No pudimos confirmar si se cambió su contraseña. Intente iniciar sesión con la nueva contraseña; si no funciona, vuelva a empezar.

## Acciones compartidas

start-over = Volver a empezar
start-again = Empezar de nuevo

## Las páginas de restablecimiento expirado y de demasiados intentos

expired-title = Este restablecimiento ha expirado
expired-lead = Por su seguridad, el restablecimiento de contraseña solo es válido durante unos minutos. No se ha modificado nada. Vuelva a empezar.
attempts-title = Demasiados intentos
attempts-lead = Por su seguridad, este restablecimiento se detuvo tras demasiados intentos fallidos. No se ha modificado nada.
attempts-check = Revise sus datos y vuelva a empezar.
attempts-wait = { $minutes ->
    [one] Espere { $minutes } minuto y vuelva a empezar.
   *[other] Espere { $minutes } minutos y vuelva a empezar.
}

## Página no encontrada, y los rechazos mostrados como páginas

not-found-title = Página no encontrada
not-found-lead = No hay nada en esta dirección.
forbidden-title = Se rechazó esta solicitud
forbidden-lead = El formulario se envió desde un sitio distinto de este, por lo que no se realizó ninguna acción. Vuelva a abrir la página e inténtelo de nuevo.
too-large-title = Este formulario era demasiado grande
too-large-lead = No se realizó ninguna acción. Vuelva atrás, revise lo que escribió e inténtelo de nuevo.
rate-limited-title = Demasiadas solicitudes
unsupported-title = No se entendió esta solicitud
unsupported-lead = No se realizó ninguna acción. Vuelva a abrir la página e inténtelo de nuevo.
unavailable-title = Temporalmente no disponible

## Mensajes de error (junto al campo al que se refieren)

error-login-missing = Escriba el usuario o el correo electrónico con el que inicia sesión.
error-login-too-long = Ese usuario o correo electrónico es demasiado largo. Revíselo e inténtelo de nuevo.
error-login-invalid = Ese usuario o correo electrónico contiene caracteres que no podemos aceptar. Revíselo e inténtelo de nuevo.
error-login-invisible = Ese usuario o correo contiene caracteres invisibles (como un espacio de ancho cero), que suelen colarse al copiar. Escríbelo de nuevo.
error-answer-missing = Escriba la respuesta a su pregunta de seguridad.
error-wrong-answer = La respuesta no es correcta. Revise la ortografía e inténtelo de nuevo.
error-code-missing = Escriba el código del correo electrónico que le enviamos.
error-wrong-code = El código no es correcto o ha expirado. Revise el correo electrónico e inténtelo de nuevo, o solicite un nuevo código.
error-too-many-attempts = { $minutes ->
    [one] Demasiados intentos. Por su seguridad, espere { $minutes } minuto y vuelva a empezar.
   *[other] Demasiados intentos. Por su seguridad, espere { $minutes } minutos y vuelva a empezar.
}
error-too-many-codes = { $max ->
    [one] Ya le hemos enviado { $max } código en la última hora. Revise su bandeja de entrada y la carpeta de correo no deseado, o inténtelo más tarde.
   *[other] Ya le hemos enviado { $max } códigos en la última hora. Revise su bandeja de entrada y la carpeta de correo no deseado, o inténtelo más tarde.
}
error-password-too-short = { $min ->
    [one] Use al menos { $min } carácter.
   *[other] Use al menos { $min } caracteres.
}
error-password-too-long = { $max ->
    [one] Use como máximo { $max } carácter.
   *[other] Use como máximo { $max } caracteres.
}
error-password-is-login = Su nueva contraseña no puede ser su usuario, su correo electrónico ni el nombre del bróker.
error-password-too-common = Esta contraseña figura en una lista de contraseñas de uso común. Elija una más difícil de adivinar.
error-password-mismatch = Las dos contraseñas no coinciden.
error-password-rejected = El bróker no aceptó esta contraseña. Pruebe con una más larga o diferente.
error-could-not-start = No pudimos iniciar el restablecimiento para esta cuenta. Revise su usuario o póngase en contacto con el bróker.
error-unavailable = El servicio no está disponible temporalmente. No se ha perdido nada: inténtelo de nuevo en unos momentos.
error-step-in-progress = Seguimos procesando tu solicitud anterior. Espera un momento y vuelve a intentarlo.
error-session-expired = Este restablecimiento ha expirado. Vuelva a empezar.
error-rate-limited = { $minutes ->
    [one] Demasiadas solicitudes. Inténtelo de nuevo dentro de { $minutes } minuto.
   *[other] Demasiadas solicitudes. Inténtelo de nuevo dentro de { $minutes } minutos.
}
error-bad-request = Se produjo un problema con el formulario. Inténtelo de nuevo.
error-unexpected-fields = El formulario llegó con campos que no esperábamos, por lo que no se realizó ninguna acción. Vuelva a cargar la página e inténtelo de nuevo.

## Preguntas inventadas para usuarios desconocidos (para que parezcan reales).
## Un bróker puede sustituirlas por las suyas (PORTAL_DECOY_QUESTIONS_FILE).

decoy-1 = ¿En qué calle vivía cuando cursaba tercer grado de primaria?
decoy-2 = ¿Cómo se llamaba su primera mascota?
decoy-3 = ¿Cuál es el primer apellido de su madre?
decoy-4 = ¿En qué ciudad nació?
decoy-5 = ¿De qué marca era su primer automóvil?
decoy-6 = ¿Cómo se llamaba su escuela primaria?

## The proof of work a step asks for while the portal is under attack

challenge-checking = Comprobando que no es un robot…
challenge-done = Comprobación terminada. Puede continuar.
challenge-failed = Este navegador no pudo hacer la comprobación. Vuelva a cargar la página o use otro navegador.
challenge-noscript = { $minutes ->
    [one] Ahora mismo recibimos muchas solicitudes, así que este paso pide a su navegador una breve comprobación automática que demuestra que no es un robot. La comprobación necesita JavaScript, que está desactivado en este navegador. Actívelo y vuelva a cargar la página, o vuelva en { $minutes } minuto como máximo: entonces este paso funcionará sin él.
   *[other] Ahora mismo recibimos muchas solicitudes, así que este paso pide a su navegador una breve comprobación automática que demuestra que no es un robot. La comprobación necesita JavaScript, que está desactivado en este navegador. Actívelo y vuelva a cargar la página, o vuelva en { $minutes } minutos como máximo: entonces este paso funcionará sin él.
}
error-challenge-required = { $minutes ->
    [one] Su navegador debe terminar una breve comprobación antes de continuar: demuestra que no es un robot. Espere a que diga que la comprobación ha terminado y vuelva a intentarlo. Sin JavaScript, este paso vuelve a funcionar en { $minutes } minuto como máximo.
   *[other] Su navegador debe terminar una breve comprobación antes de continuar: demuestra que no es un robot. Espere a que diga que la comprobación ha terminado y vuelva a intentarlo. Sin JavaScript, este paso vuelve a funcionar en { $minutes } minutos como máximo.
}

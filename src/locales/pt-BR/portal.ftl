# AutoShares password recovery portal: Brazilian Portuguese ("você").
# Same message ids as en/portal.ftl, the reference language.

## A moldura de todas as páginas

sandbox-banner = Ambiente de testes: nenhuma conta real.
sandbox-mailbox = Abrir a caixa de e-mail de demonstração
footer-never-ask = Nunca pediremos sua senha atual nesta página.
footer-help = Obter ajuda
footer-privacy = Aviso de privacidade
footer-terms = Termos de uso
footer-legal = Informações legais
language-switcher = Idioma
step-of = Etapa { $n } de { $count }
meta-description = { $broker }: esqueceu sua senha? Redefina-a aqui com seu login ou e-mail e o código que enviaremos por e-mail.
error-title-prefix = Erro: { $title }
error-summary-title = Há um problema

## Etapa 1: login ou e-mail

start-title = Redefina sua senha
start-lead = Digite o login ou e-mail que você usa para entrar. Enviaremos um código por e-mail para você criar uma nova senha.
start-login-label = Login ou e-mail
button-continue = Continuar

## Etapa 2: a pergunta de segurança

question-title = Responda à sua pergunta de segurança
question-lead = Você está redefinindo a senha de { $login }.
question-hint = Digite a resposta que você escolheu ao criar sua conta.

## Etapa 3: o código

code-title = Verifique seu e-mail
code-lead = Enviamos um código para o e-mail cadastrado de { $login }. Ele pode levar um minuto para chegar; verifique também a pasta de spam.
code-new-sent = Enviamos um novo código. Use o mais recente.
code-label = Código recebido por e-mail
code-verify = Verificar código
code-send-new = Enviar novo código

## Etapa 4: a nova senha

password-title = Escolha uma nova senha
password-lead = Para { $login }. O ideal é uma frase longa que você não use em nenhum outro lugar.
password-new-label = Nova senha
password-confirm-label = Confirme a nova senha
password-rules-label = Requisitos da senha
password-rule-min = No mínimo { $min } caracteres
password-rule-max = No máximo { $max } caracteres
password-rule-not-login = Não pode ser seu login, seu e-mail nem o nome da corretora
password-rule-not-common = Não pode ser uma senha muito usada
password-rule-match = As duas senhas são iguais
password-rule-done = (atendido)
password-show = Mostrar senhas
password-hide = Ocultar senhas
password-change = Alterar senha

## Concluído

done-title = Senha alterada
done-heading = Sua senha foi alterada
done-lead = Agora você já pode entrar com sua nova senha.
done-sign-in = Acessar { $broker }

# The new password went to AutoShares but its answer was lost.
sent-title = Sua senha pode já ter sido alterada
sent-lead = Não foi possível confirmar se sua senha foi alterada. Tente entrar com a nova senha; se não funcionar, comece de novo.

## Ações compartilhadas

start-over = Recomeçar
start-again = Começar de novo

## As páginas de redefinição expirada e de tentativas demais

expired-title = Esta redefinição expirou
expired-lead = Para sua segurança, a redefinição de senha vale por apenas alguns minutos. Nada foi alterado. Comece de novo.
attempts-title = Muitas tentativas
attempts-lead = Para sua segurança, esta redefinição foi interrompida após muitas tentativas incorretas. Nada foi alterado.
attempts-check = Confira seus dados e comece de novo.
attempts-wait = { $minutes ->
    [one] Aguarde { $minutes } minuto e comece de novo.
   *[other] Aguarde { $minutes } minutos e comece de novo.
}

## Página não encontrada, e as recusas mostradas como páginas

not-found-title = Página não encontrada
not-found-lead = Não há nada neste endereço.
forbidden-title = Esta solicitação foi recusada
forbidden-lead = O formulário foi enviado de fora deste site, por isso nada foi feito. Abra a página novamente e tente outra vez.
too-large-title = Este formulário era grande demais
too-large-lead = Nada foi feito. Volte, confira o que você digitou e tente novamente.
rate-limited-title = Muitas solicitações
unsupported-title = Esta solicitação não foi compreendida
unsupported-lead = Nada foi feito. Abra a página novamente e tente outra vez.
unavailable-title = Temporariamente indisponível

## Mensagens de erro (ao lado do campo a que se referem)

error-login-missing = Digite o login ou e-mail que você usa para entrar.
error-login-too-long = Esse login ou e-mail é longo demais. Confira e tente novamente.
error-login-invalid = Esse login ou e-mail contém caracteres que não podemos aceitar. Confira e tente novamente.
error-login-invisible = Esse login ou e-mail contém caracteres invisíveis (como um espaço de largura zero), que costumam vir junto ao copiar. Digite-o novamente.
error-answer-missing = Digite a resposta da sua pergunta de segurança.
error-wrong-answer = Essa resposta não está correta. Confira a grafia e tente novamente.
error-code-missing = Digite o código do e-mail que enviamos para você.
error-wrong-code = Esse código não está correto ou expirou. Confira o e-mail e tente novamente, ou solicite um novo código.
error-too-many-attempts = { $minutes ->
    [one] Muitas tentativas. Para sua segurança, aguarde { $minutes } minuto e comece de novo.
   *[other] Muitas tentativas. Para sua segurança, aguarde { $minutes } minutos e comece de novo.
}
error-too-many-codes = { $max ->
    [one] Já enviamos { $max } código na última hora. Verifique sua caixa de entrada e a pasta de spam, ou tente novamente mais tarde.
   *[other] Já enviamos { $max } códigos na última hora. Verifique sua caixa de entrada e a pasta de spam, ou tente novamente mais tarde.
}
error-password-too-short = { $min ->
    [one] Use pelo menos { $min } caractere.
   *[other] Use pelo menos { $min } caracteres.
}
error-password-too-long = { $max ->
    [one] Use no máximo { $max } caractere.
   *[other] Use no máximo { $max } caracteres.
}
error-password-is-login = Sua nova senha não pode ser seu login, seu e-mail nem o nome da corretora.
error-password-too-common = Esta senha está em uma lista de senhas muito usadas. Escolha uma mais difícil de adivinhar.
error-password-mismatch = As duas senhas não coincidem.
error-password-rejected = Sua corretora não aceitou esta senha. Tente uma mais longa ou diferente.
error-could-not-start = Não foi possível iniciar a redefinição para esta conta. Confira seu login ou entre em contato com sua corretora.
error-unavailable = O serviço está temporariamente indisponível. Nada foi perdido: tente novamente em instantes.
error-step-in-progress = Ainda estamos processando sua solicitação anterior. Aguarde um momento e tente novamente.
error-session-expired = Esta redefinição expirou. Comece de novo.
error-rate-limited = { $minutes ->
    [one] Muitas solicitações. Tente novamente em { $minutes } minuto.
   *[other] Muitas solicitações. Tente novamente em { $minutes } minutos.
}
error-bad-request = Algo deu errado com esse formulário. Tente novamente.
error-unexpected-fields = Esse formulário chegou com campos que não esperávamos, por isso nada foi feito. Recarregue a página e tente novamente.

## Perguntas inventadas para logins desconhecidos (para parecerem reais).
## Uma corretora pode substituí-las pelas suas (PORTAL_DECOY_QUESTIONS_FILE).

decoy-1 = Em que rua você morava quando estava na terceira série?
decoy-2 = Qual era o nome do seu primeiro animal de estimação?
decoy-3 = Qual é o sobrenome de solteira da sua mãe?
decoy-4 = Em que cidade você nasceu?
decoy-5 = Qual era a marca do seu primeiro carro?
decoy-6 = Qual era o nome da sua primeira escola?

## The proof of work a step asks for while the portal is under attack

challenge-checking = Verificando que você não é um robô…
challenge-done = Verificação concluída. Você pode continuar.
challenge-failed = Este navegador não conseguiu fazer a verificação. Recarregue a página ou use outro navegador.
challenge-noscript = { $minutes ->
    [one] Estamos recebendo muitas solicitações agora, por isso esta etapa pede ao seu navegador uma verificação automática rápida que prova que ele não é um robô. A verificação precisa de JavaScript, que está desativado neste navegador. Ative-o e recarregue a página, ou volte em até { $minutes } minuto: então esta etapa funcionará sem ele.
   *[other] Estamos recebendo muitas solicitações agora, por isso esta etapa pede ao seu navegador uma verificação automática rápida que prova que ele não é um robô. A verificação precisa de JavaScript, que está desativado neste navegador. Ative-o e recarregue a página, ou volte em até { $minutes } minutos: então esta etapa funcionará sem ele.
}
error-challenge-required = { $minutes ->
    [one] Seu navegador precisa concluir uma verificação rápida antes de continuarmos: ela prova que você não é um robô. Espere até ela dizer que a verificação foi concluída e tente de novo. Sem JavaScript, esta etapa volta a funcionar em até { $minutes } minuto.
   *[other] Seu navegador precisa concluir uma verificação rápida antes de continuarmos: ela prova que você não é um robô. Espere até ela dizer que a verificação foi concluída e tente de novo. Sem JavaScript, esta etapa volta a funcionar em até { $minutes } minutos.
}

//! [ssr] Sandbox-only pages for people trying the demo: the mailbox where
//! "emailed" codes land, and a sign-in check that proves a reset worked.
//! They are mounted only when the portal runs against the sandbox.

use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use crate::autoshares::client::SignIn;
use crate::sandbox::Sandbox;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dev/mailbox", get(mailbox))
        .route("/dev/sign-in", get(sign_in_form).post(sign_in))
}

async fn mailbox(State(state): State<AppState>) -> Html<String> {
    let mut rows = String::new();
    if let Some(sandbox) = &state.sandbox {
        for mail in sandbox.mailbox() {
            rows.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td class=\"code\">{}</td><td>{}</td></tr>",
                escape(&mail.login),
                escape(&mail.to),
                escape(&mail.code),
                if mail.used { "used" } else { "unused" },
            ));
        }
    }
    if rows.is_empty() {
        rows.push_str("<tr><td colspan=\"4\">No codes sent yet.</td></tr>");
    }
    let mut users = String::new();
    for user in Sandbox::demo_users() {
        users.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&user.login),
            escape(&user.email),
            escape(user.question.as_deref().unwrap_or("(none)")),
            if user.two_factor { "on" } else { "off" },
        ));
    }
    page(
        "Sandbox mailbox",
        &format!(
            "<p>Codes the sandbox would have emailed, newest first. Reload to see new ones.</p>\
             <table><thead><tr><th>Login</th><th>To</th><th>Code</th><th>State</th></tr></thead>\
             <tbody>{rows}</tbody></table>\
             <h2>Demo users</h2>\
             <table><thead><tr><th>Login</th><th>Email</th><th>Secret question</th><th>2FA</th></tr></thead>\
             <tbody>{users}</tbody></table>\
             <p><a href=\"/\">Reset a password</a> · <a href=\"/dev/sign-in\">Try signing in</a></p>"
        ),
    )
}

async fn sign_in_form() -> Html<String> {
    page("Sandbox sign-in", &sign_in_body(""))
}

#[derive(Deserialize)]
struct SignInForm {
    username: String,
    password: String,
}

async fn sign_in(State(state): State<AppState>, Form(form): Form<SignInForm>) -> Html<String> {
    let outcome = match state
        .client
        .sign_in(&form.username, &form.password, None)
        .await
    {
        Ok(SignIn::Succeeded) => "Signed in: the password is correct.",
        Ok(SignIn::Expecting { .. }) => {
            "The password is correct; this account would now ask for its second factor."
        }
        Ok(SignIn::Failed) => "Sign-in failed: wrong login or password.",
        Err(_) => "The sandbox is unavailable.",
    };
    page(
        "Sandbox sign-in",
        &sign_in_body(&format!(
            "<p role=\"status\" class=\"notice\">{outcome}</p>"
        )),
    )
}

fn sign_in_body(outcome: &str) -> String {
    format!(
        "{outcome}<p>Checks a login and password against the sandbox's <code>/token</code>.</p>\
         <form method=\"post\" action=\"/dev/sign-in\" class=\"form\">\
         <div class=\"field\"><label for=\"username\">Login</label>\
         <input id=\"username\" name=\"username\" autocomplete=\"username\" required></div>\
         <div class=\"field\"><label for=\"password\">Password</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></div>\
         <button class=\"primary\" type=\"submit\">Sign in</button></form>\
         <p><a href=\"/dev/mailbox\">Mailbox</a> · <a href=\"/\">Reset a password</a></p>"
    )
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/autoshares-portal.css\"></head>\
         <body><div class=\"sandbox-banner\" role=\"note\">Sandbox: no real accounts</div>\
         <main class=\"card dev\"><h1>{title}</h1>{body}</main></body></html>"
    ))
}

/// Text for HTML: everything that could open markup is escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(escape("a&\"'"), "a&amp;&quot;&#39;");
    }
}

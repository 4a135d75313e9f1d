//! [ssr] Sandbox-only pages for people trying the demo: the mailbox where
//! "emailed" codes land, and a sign-in check that proves a reset worked.
//! They are mounted only when the portal runs against the sandbox. Built
//! with `view!`, which escapes every text it is given.

use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::{Form, Router};
use leptos::prelude::*;
use serde::Deserialize;

use crate::autoshares::client::SignIn;
use crate::sandbox::{DemoUser, MailboxEntry, Sandbox};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dev/mailbox", get(mailbox))
        .route("/dev/sign-in", get(sign_in_form).post(sign_in))
}

async fn mailbox(State(state): State<AppState>) -> Html<String> {
    let mail = state
        .sandbox
        .as_ref()
        .map(Sandbox::mailbox)
        .unwrap_or_default();
    page(
        &state,
        "Sandbox mailbox",
        mailbox_body(mail, Sandbox::demo_users()),
    )
}

fn mailbox_body(mail: Vec<MailboxEntry>, users: Vec<DemoUser>) -> impl IntoView {
    let none_yet = mail.is_empty();
    let mail = mail
        .into_iter()
        .map(|m| {
            view! {
                <tr>
                    <td>{m.login}</td>
                    <td>{m.to}</td>
                    <td class="code">{m.code}</td>
                    <td>{if m.used { "used" } else { "unused" }}</td>
                </tr>
            }
        })
        .collect_view();
    let users = users
        .into_iter()
        .map(|u| {
            view! {
                <tr>
                    <td>{u.login}</td>
                    <td>{u.email}</td>
                    <td>{u.question.unwrap_or_else(|| "(none)".into())}</td>
                    <td>{if u.two_factor { "on" } else { "off" }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p>"Codes the sandbox would have emailed, newest first. Reload to see new ones."</p>
        <table>
            <thead><tr><th>"Login"</th><th>"To"</th><th>"Code"</th><th>"State"</th></tr></thead>
            <tbody>
                {mail}
                {none_yet.then(|| view! { <tr><td colspan="4">"No codes sent yet."</td></tr> })}
            </tbody>
        </table>
        <h2>"Demo users"</h2>
        <table>
            <thead><tr><th>"Login"</th><th>"Email"</th><th>"Secret question"</th><th>"2FA"</th></tr></thead>
            <tbody>{users}</tbody>
        </table>
        <p><a href="/">"Reset a password"</a>" · "<a href="/dev/sign-in">"Try signing in"</a></p>
    }
}

async fn sign_in_form(State(state): State<AppState>) -> Html<String> {
    page(&state, "Sandbox sign-in", sign_in_body(None))
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
    page(&state, "Sandbox sign-in", sign_in_body(Some(outcome)))
}

fn sign_in_body(outcome: Option<&'static str>) -> impl IntoView {
    view! {
        {outcome.map(|text| view! { <p role="status" class="notice">{text}</p> })}
        <p>"Checks a login and password against the sandbox's "<code>"/token"</code>"."</p>
        <form method="post" action="/dev/sign-in" class="form">
            <div class="field">
                <label for="username">"Login"</label>
                <input id="username" name="username" autocomplete="username" required/>
            </div>
            <div class="field">
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
            </div>
            <button class="primary" type="submit">"Sign in"</button>
        </form>
        <p><a href="/dev/mailbox">"Mailbox"</a>" · "<a href="/">"Reset a password"</a></p>
    }
}

/// The frame of a dev page, with this build's stylesheet.
fn page(state: &AppState, title: &'static str, body: impl IntoView + 'static) -> Html<String> {
    Html(frame(state.assets.css.clone(), title, body))
}

fn frame(css: String, title: &'static str, body: impl IntoView + 'static) -> String {
    let html = view! {
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>{title}</title>
                <link rel="stylesheet" href=css/>
            </head>
            <body>
                <div class="sandbox-banner" role="note">"Sandbox: no real accounts"</div>
                <main class="card dev"><h1>{title}</h1>{body}</main>
            </body>
        </html>
    }
    .to_html();
    format!("<!DOCTYPE html>{html}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_escapes_what_the_mailbox_shows() {
        let mail = vec![MailboxEntry {
            to: "a&\"'@example.com".into(),
            login: "<img src=x onerror=alert(1)>".into(),
            code: "123456".into(),
            sent_at: std::time::SystemTime::UNIX_EPOCH,
            used: false,
        }];
        let html = frame(
            "/pkg/x.css".into(),
            "Sandbox mailbox",
            mailbox_body(mail, vec![]),
        );
        assert!(
            html.starts_with("<!DOCTYPE html><html lang=\"en\">"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("a&amp;"), "{html}");
        assert!(html.contains("href=\"/pkg/x.css\""), "{html}");
    }
}

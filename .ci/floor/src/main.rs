//! A bare Leptos app: one page, one ActionForm, one server function.

use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use leptos_meta::{provide_meta_context, MetaTags, Title};

#[server]
async fn submit_login(login: String) -> Result<(), ServerFnError> {
    let _ = login;
    Ok(())
}

fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body><App/></body>
        </html>
    }
}

#[component]
fn App() -> impl IntoView {
    provide_meta_context();
    let submit = ServerAction::<SubmitLogin>::new();
    view! {
        <Title text="Reset your password"/>
        <main>
            <h1>"Reset your password"</h1>
            <ActionForm action=submit>
                <label for="login">"Login or email"</label>
                <input id="login" name="login" type="text"/>
                <button type="submit">"Continue"</button>
            </ActionForm>
        </main>
    }
}

#[tokio::main]
async fn main() {
    let conf = get_configuration(None).expect("leptos configuration");
    let options = conf.leptos_options;
    let addr = options.site_addr;
    let routes = generate_route_list(App);
    let app = Router::new()
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .with_state(options);
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}

//! [ssr] Every page renders from the session, which is read here, before
//! the render: a step page gets its `PageView` (or is redirected to the
//! trader's real step without rendering at all), the expired page gets its
//! reason. The render itself then has nothing to wait for, so Leptos
//! renders it synchronously: no resource, no `Suspense`, no serialized
//! data in the page.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::{provide_context, use_context};
use tower_sessions::Session;

use crate::flow::{EndReason, Loaded, PageView, Step, EXPIRED_PATH};
use crate::state::AppState;
use crate::steps;
use crate::steps::session::FlowSession;

pub async fn load(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let path = request.uri().path();
    let step = Step::from_path(path);
    if step.is_none() && path != EXPIRED_PATH {
        return next.run(request).await;
    }
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        tracing::error!(event = "session_layer_missing");
        return next.run(request).await;
    };
    let session = FlowSession(session, state.sealer.clone());
    let net = super::security::client_net(&state, &request);
    let loaded = match step {
        Some(step) => match steps::load_page(state, session, step, net).await {
            Ok(PageView {
                redirect_to: Some(to),
                ..
            }) => return Redirect::to(&to).into_response(),
            Ok(view) => Loaded::Step(view),
            Err(error) => Loaded::Failed(error),
        },
        None => Loaded::Ended(session.ended_because().await.unwrap_or(EndReason::Expired)),
    };
    request.extensions_mut().insert(loaded);
    next.run(request).await
}

/// Inside the render: hand the loaded data to the page as context.
pub fn provide() {
    if let Some(parts) = use_context::<axum::http::request::Parts>() {
        if let Some(loaded) = parts.extensions.get::<Loaded>() {
            provide_context(loaded.clone());
        }
    }
}

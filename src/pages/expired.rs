//! Shown when a reset ended early: it expired, it was burned by too many
//! attempts, or it never existed in this browser session.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::frame::PageFrame;
use crate::error::{minutes_text, PortalError};
use crate::flow::Loaded;

#[component]
pub fn ExpiredPage() -> impl IntoView {
    let reason = match use_context::<Loaded>() {
        Some(Loaded::Ended(reason)) => reason,
        _ => PortalError::SessionExpired,
    };
    view! {
        <PageFrame>
            {match reason {
                        PortalError::TooManyAttempts { minutes } => view! {
                            <Title text="Too many attempts"/>
                            <h1>"Too many attempts"</h1>
                            <p class="lead">
                                "For your security, this reset was stopped after too many wrong tries. "
                                "Nothing was changed. "
                                {if minutes == 0 {
                                    "Please check your details, then start again.".to_string()
                                } else {
                                    format!("Please wait {}, then start again.", minutes_text(&minutes))
                                }}
                            </p>
                        }
                        .into_any(),
                        _ => view! {
                            <Title text="This reset expired"/>
                            <h1>"This reset expired"</h1>
                            <p class="lead">
                                "For your security, a password reset only lasts a few minutes. "
                                "Nothing was changed. Please start again."
                            </p>
                        }
                        .into_any(),
            }}
            <a class="button primary" href="/">"Start again"</a>
        </PageFrame>
    }
}

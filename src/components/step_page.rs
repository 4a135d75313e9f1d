//! Every step page renders from the server session, read before the
//! render (`http::page_data`): the page view arrives as context, and a
//! trader who belongs on another step was already redirected there.

use leptos::prelude::*;

use super::frame::PageFrame;
use super::step_indicator::StepIndicator;
use crate::error::PortalError;
use crate::flow::{Loaded, PageView, Step};

#[component]
pub fn StepPage<F, V>(step: Step, render: F) -> impl IntoView
where
    F: FnOnce(PageView) -> V,
    V: IntoView + 'static,
{
    let body = match use_context::<Loaded>() {
        Some(Loaded::Step(view)) => Ok(render(view)),
        Some(Loaded::Failed(error)) => Err(error),
        Some(Loaded::Ended(_)) | None => Err(PortalError::Unavailable),
    };
    view! {
        <PageFrame>
            <StepIndicator step=step/>
            {match body {
                Ok(page) => page.into_any(),
                Err(error) => view! {
                    <div class="form-error" role="alert">{error.message()}</div>
                }
                .into_any(),
            }}
        </PageFrame>
    }
}

//! Every step page renders from the server session: load the page view,
//! follow a redirect if the trader belongs on another step, else render.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::frame::PageFrame;
use super::step_indicator::StepIndicator;
use crate::flow::{PageView, Step};
use crate::server_fns::load_page;

#[component]
pub fn StepPage<F, V>(step: Step, render: F) -> impl IntoView
where
    F: Fn(PageView) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let page = Resource::new(|| (), move |_| load_page(step));
    let render = StoredValue::new(render);
    view! {
        <PageFrame>
            <StepIndicator step=step/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(PageView { redirect_to: Some(path), .. }) => {
                            view! { <Redirect path=path/> }.into_any()
                        }
                        Ok(view) => render.with_value(|render| render(view)).into_any(),
                        Err(error) => view! {
                            <div class="form-error" role="alert">{error.to_string()}</div>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </PageFrame>
    }
}

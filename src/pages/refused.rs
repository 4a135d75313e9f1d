//! A request refused with a page of its own: too many requests (429), a
//! post from another site (403), a form too large (413) or not a form
//! (415), the service unavailable (503). Same frame, same CSS, the
//! trader's language (`http::refusal` answers with it).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::frame::PageFrame;
use crate::error::{PortalError, Refused};
use crate::i18n::t;

#[component]
pub fn RefusedPage() -> impl IntoView {
    let error = use_context::<Refused>().map_or(PortalError::Unavailable, |r| r.0);
    let heading = error.page_title();
    view! {
        <Title text=heading.clone()/>
        <PageFrame>
            <h1>{heading}</h1>
            <p class="lead" role="alert">{error.message()}</p>
            <a class="button primary" href="/">{t("start-again")}</a>
        </PageFrame>
    }
}

//! Shown when a reset ended early: it expired, it was burned by too many
//! attempts, or it never existed in this browser session.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::frame::PageFrame;
use crate::flow::{EndReason, Loaded};
use crate::i18n::{t, t_with};

#[component]
pub fn ExpiredPage() -> impl IntoView {
    let reason = match use_context::<Loaded>() {
        Some(Loaded::Ended(reason)) => reason,
        Some(Loaded::Step(_) | Loaded::Failed(_)) | None => EndReason::Expired,
    };
    view! {
        <PageFrame>
            {match reason {
                        EndReason::TooManyAttempts { minutes } => view! {
                            <Title text=t("attempts-title")/>
                            <h1>{t("attempts-title")}</h1>
                            <p class="lead">
                                {t("attempts-lead")} " "
                                {if minutes == 0 {
                                    t("attempts-check")
                                } else {
                                    t_with("attempts-wait", &[("minutes", minutes.into())])
                                }}
                            </p>
                        }
                        .into_any(),
                        EndReason::Expired => view! {
                            <Title text=t("expired-title")/>
                            <h1>{t("expired-title")}</h1>
                            <p class="lead">{t("expired-lead")}</p>
                        }
                        .into_any(),
            }}
            <a class="button primary" href="/">{t("start-again")}</a>
        </PageFrame>
    }
}

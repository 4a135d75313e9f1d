//! Shared views: the page frame, the step indicator, a labelled field with
//! its error, the password checklist, and the loader every step page uses.

pub mod field;
pub mod frame;
pub mod password_checklist;
pub mod start_over;
pub mod step_indicator;
pub mod step_page;

use leptos::prelude::*;

/// True once the WASM has hydrated the page; false during SSR and with
/// JavaScript off. Client-only enhancements show only when it is true.
#[derive(Clone, Copy)]
pub struct Hydrated(pub RwSignal<bool>);

pub fn use_hydrated() -> Signal<bool> {
    match use_context::<Hydrated>() {
        Some(Hydrated(flag)) => flag.into(),
        None => Signal::stored(false),
    }
}

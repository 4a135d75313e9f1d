//! AutoShares password recovery portal.
//!
//! Shared modules compile for both the server (`ssr`) and the browser
//! (`hydrate`). Server-only modules are gated here, once, at module level.

pub mod app;
pub mod components;
pub mod error;
pub mod flow;
pub mod i18n;
pub mod pages;
pub mod password_policy;
pub mod server_fns;
pub mod site;

#[cfg(feature = "ssr")]
pub mod autoshares;
#[cfg(feature = "ssr")]
pub mod brand;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod sandbox;
#[cfg(feature = "ssr")]
pub mod serve;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod steps;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod telemetry;

/// Browser entry point: set up the reactive runtime for islands mode.
/// Each `#[island]` is then hydrated in place by the page's loader
/// (`components::island_scripts`); nothing else runs in the browser.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

//! The scripts that bring a page's islands to life. Only pages with an
//! island render them, so every other page loads no JavaScript and no WASM.
//!
//! Written here instead of Leptos 0.8.23's `HydrationScripts`, which puts
//! the CSP nonce into the preloads' `crossorigin` attribute: invalid HTML,
//! and a credentials mode that differs from the real fetch, so the browser
//! discards the preload and fetches the WASM a second time. Here both
//! preloads say `crossorigin="anonymous"`, which is what the module import
//! and wasm-bindgen's `fetch` use for a same-origin file.

use leptos::prelude::*;

use crate::site::use_assets;

#[component]
pub fn IslandScripts() -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    use_assets().map(|assets| {
        // Load the module, start the WASM, then hydrate each island in
        // place with the function its `data-component` names. The islands
        // here have no children islands, so a flat walk is enough.
        let loader = format!(
            "import({js:?}).then(async (m) => {{\
               await m.default({{ module_or_path: {wasm:?} }});\
               m.hydrate();\
               for (const el of document.querySelectorAll(\"leptos-island\")) {{\
                 const island = m[el.dataset.component];\
                 if (island) island(el);\
               }}\
             }});",
            js = assets.js,
            wasm = assets.wasm,
        );
        view! {
            <link rel="modulepreload" href=assets.js.clone() crossorigin="anonymous"/>
            <link
                rel="preload"
                href=assets.wasm.clone()
                r#as="fetch"
                r#type="application/wasm"
                crossorigin="anonymous"
            />
            <script type="module" nonce=nonce>{loader}</script>
        }
    })
}

/// The fence around this workaround: it fails once Leptos's own
/// `HydrationScripts` stops putting the nonce into `crossorigin` (leptos
/// 0.8.23, `src/hydration/mod.rs` around line 191; no upstream issue was
/// found), and then this loader can go.
#[cfg(all(test, feature = "ssr"))]
mod tests {
    use leptos::nonce::Nonce;
    use leptos::prelude::*;

    #[test]
    fn leptos_still_puts_the_nonce_into_crossorigin() {
        let owner = Owner::new();
        let html = owner.with(|| {
            let nonce = Nonce::new();
            provide_context(nonce.clone());
            let options = LeptosOptions::builder().output_name("portal").build();
            let html = view! { <HydrationScripts options islands=true/> }.to_html();
            (html, nonce.to_string())
        });
        let (html, nonce) = html;
        assert!(
            html.contains(&format!("crossorigin=\"{nonce}\"")),
            "Leptos's HydrationScripts no longer misuses crossorigin: \
             use it instead of IslandScripts.\n{html}"
        );
    }
}

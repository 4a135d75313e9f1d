//! The portal's tests run the binary under test through `portal-harness`
//! (`end2end/harness`), the launcher the browser tests use too: the
//! portal, the standalone sandbox, Redis, temp dirs and the sandbox's
//! control routes all come from there. This only names the binary.

#![allow(dead_code, unused_imports)]

pub use portal_harness::*;

/// The debug build of the portal, which cargo builds for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_autoshares-portal");

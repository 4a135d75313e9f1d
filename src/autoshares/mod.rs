//! [ssr] Typed client for the AutoShares password-reset API.
//!
//! The one place that knows the wire format: `endpoints` has every path,
//! `dto` the shapes and the parser, `error` the one error enum, `client`
//! one async function per endpoint.

pub mod client;
pub mod config;
pub mod dto;
pub mod endpoints;
pub mod error;
pub mod latency;
pub mod secret;

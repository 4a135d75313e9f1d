//! [ssr] Logs and metric recorders: a leaf, imported by anyone, importing
//! none of the portal's own modules above it.

pub mod logging;
pub mod metrics;

//! One routed page per step of the recovery flow.

pub mod start;

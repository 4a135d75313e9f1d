//! [ssr] Typed client for the AutoShares password-reset API.

//! [ssr] The simulated AutoShares API.

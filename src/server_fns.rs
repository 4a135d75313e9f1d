//! The #[server] functions, one per step action.

//! [ssr] Configuration, application state, sessions, middleware.

//! The one harness for tests that run the AutoShares recovery portal as a
//! process: the portal's integration tests (`tests/`, the debug binary) and
//! the browser tests (`end2end/`, the release binary) both start it here.
//!
//! - [`Portal::builder`]: the portal binary at a path the caller gives, with
//!   the launch environment written once ([`PortalBuilder`]), a temp dir of
//!   its own for the SQLite store, and the addresses it logged.
//! - [`Sandbox`]: the standalone sandbox (`autoshares-portal sandbox`).
//! - [`Redis`]: a `redis-server` of the test's own.
//! - [`SandboxClient`]: the sandbox's control routes, typed with the
//!   sandbox's own wire types ([`MailboxEntry`], [`CallCounts`]).
//! - [`Answer`], [`session_cookie`], [`location`]: reading the portal's
//!   answers to plain form posts.
//!
//! Every process is killed when its value drops.

// The sandbox's wire types, the very file the portal compiles: one
// definition, and no dependency on the portal crate.
#[path = "../../../src/sandbox/wire.rs"]
mod wire;

mod answer;
mod haproxy;
mod portal;
mod process;
mod redis;
mod sandbox;

pub use answer::{location, session_cookie, Answer};
pub use haproxy::{Backend, Haproxy};
pub use portal::{Door, Portal, PortalBuilder};
pub use process::{free_port, TempDir};
pub use redis::{Redis, SentinelGroup, SENTINEL_SERVICE};
pub use sandbox::{Sandbox, SandboxClient};
pub use wire::{AddUsers, CallCounts, MailboxEntry, MailboxQuery, SetFault, DEFAULT_APP_KEY};

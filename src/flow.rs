//! The recovery flow as a pure state machine.

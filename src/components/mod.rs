//! Shared views: the page frame, the proof of work a step asks for under
//! attack, the step indicator, a labelled field with
//! its error, the password island and the scripts that load it, and the
//! loader every step page uses.

pub mod challenge;
pub mod field;
pub mod frame;
pub mod island_scripts;
pub mod password_fields;
pub mod start_over;
pub mod step_indicator;
pub mod step_page;

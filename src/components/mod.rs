//! Shared views: page frame, step indicator, fields, password checklist.

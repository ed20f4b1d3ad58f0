//! Follow-up reminders: occurrences planned from every source (visits, complaint deadlines,
//! birthdays and anniversaries, keep-in-touch, manual), fired, snoozed, done, kept as history.

pub mod model;
pub mod repo;
pub mod rules;
pub mod texts;

pub use model::*;

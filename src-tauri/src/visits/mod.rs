//! Return visits (回访): planned contacts, outcomes, recurrence, follow-up plans, the agenda
//! and the keep-in-touch cadence.

pub mod model;
pub mod repo;
pub mod rules;

pub use model::*;

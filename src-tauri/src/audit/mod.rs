//! The audit trail (操作记录): who changed which field of which record, when, from what to
//! what. Rows are written by triggers (migration 0005) inside the changing transaction,
//! from the context the app sets at the start of every write; this module sets that
//! context, reads the trail and erases an anonymised customer's values.

pub mod model;
pub mod repo;

pub use model::*;

//! Churn (客户流失): customers marked lost with a type, a reason and who recorded it, won
//! back later; the editable list of reasons. Plain functions over a connection.

pub mod model;
pub mod repo;
pub mod rules;

pub use model::{ChurnEntry, ChurnInput, ChurnPage, ChurnQuery, ChurnType, Reason, WinBackInput};

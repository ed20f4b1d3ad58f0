//! Customer records (客户档案): contacts, tier, preference card, special dates, history.

pub mod dates;
pub mod model;
pub mod repo;
pub mod rules;
pub mod search;

pub use model::*;

//! Customer records (客户档案): contacts, tier, preference card, special dates, history.

pub mod model;
pub mod repo;
pub mod rules;
pub mod search;

/// Special dates live in the kernel; this path stays for callers.
pub use crate::kernel::special_dates as dates;
pub use model::*;

//! Complaints (投诉): the register with serial numbers, the workflow and handling log,
//! deadlines in business hours, escalation, resolution and closing.

pub mod model;
pub mod repo;
pub mod rules;

/// The business schedule lives in the kernel; this path stays for callers.
pub use crate::kernel::schedule as business;
pub use model::*;

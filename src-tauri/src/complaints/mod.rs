//! Complaints (投诉): the register with serial numbers, the workflow and handling log,
//! deadlines in business hours, escalation, resolution and closing.

pub mod business;
pub mod commands;
pub mod model;
pub mod repo;
pub mod rules;

pub use model::*;

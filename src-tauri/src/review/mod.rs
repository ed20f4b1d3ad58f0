//! The manager's review (经理看板): the figures of a period (complaints, satisfaction,
//! return visits, churn, staff, what needs the manager now) and the records behind each.
//! A read-only view: it reads the other capabilities' tables and never writes them.

pub mod figures;
pub mod model;
pub mod repo;

pub use model::{Dashboard, Drill, DrillKind, DrillPage, DrillRow, Period, Preset, ReviewQuery};

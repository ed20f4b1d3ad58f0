//! Arrivals (预约与到店): the customers' own visits to us — bookings (a table at 19:00, a
//! room from Friday to Sunday), walk-ins, arrivals and no-shows — the day's board, the
//! preparation text, and the manager's repeat-visit figures.

pub mod figures;
pub mod model;
pub mod repo;
pub mod rules;

pub use model::*;

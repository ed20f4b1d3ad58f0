//! The shared kernel: ideas every capability uses, defined once — local date and time
//! (one parse and one format each, one local↔UTC rule), the desk's business schedule, typed
//! settings, tiers and their keep-in-touch cadence, recurrence, special (lunar) dates,
//! string-backed enums that cross IPC and sit in SQLite, and one short hash (FNV-1a).

pub mod cadence;
pub mod enums;
pub mod fnv;
pub mod phone;
pub mod recurrence;
pub mod schedule;
pub mod settings;
pub mod sheet;
pub mod special_dates;
pub mod time;

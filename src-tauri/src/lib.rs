//! FrontDesk (客服台): the core library. Capabilities live one per folder; `app` is the
//! Tauri-free command layer; only `desktop` (behind the `desktop` feature) knows Tauri.

pub mod app;
pub mod arrivals;
pub mod audit;
pub mod churn;
pub mod complaints;
pub mod customers;
pub mod error;
pub mod import;
pub mod ipc;
pub mod kernel;
pub mod reminders;
pub mod review;
pub mod seed;
pub mod store;
pub mod visits;

#[cfg(feature = "desktop")]
pub mod desktop;

pub use app::{App, IntegrityCheck};
pub use error::{Error, Result};

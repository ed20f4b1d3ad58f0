//! Reminder types as they cross IPC and sit in the store.

use serde::{Deserialize, Serialize};

use crate::kernel::recurrence::Repeat;

crate::str_enum!(
    /// Where a reminder comes from.
    ReminderKind {
        Visit = "visit",
        ComplaintWarning = "complaint_warning",
        ComplaintEscalation = "complaint_escalation",
        Birthday = "birthday",
        Anniversary = "anniversary",
        KeepInTouch = "keep_in_touch",
        Manual = "manual",
        Arrival = "arrival",
    }
);
crate::str_enum!(
    ReminderState { Pending = "pending", Fired = "fired", Snoozed = "snoozed", Done = "done", Dismissed = "dismissed" }
);

/// One reminder occurrence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminder {
    pub id: i64,
    pub kind: ReminderKind,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub source_id: Option<i64>,
    pub due_at: String,
    pub wake_at: String,
    pub state: ReminderState,
    pub fired_at: Option<String>,
    pub late: bool,
    /// What the texts are made of (customer name, purpose, serial, …).
    pub args: serde_json::Value,
    pub staff: String,
    pub closed_at: Option<String>,
}

/// A reminder a person sets on a customer (or on nothing in particular).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManualInput {
    pub customer_id: Option<i64>,
    pub text: String,
    /// Local `YYYY-MM-DD HH:MM`.
    pub due_at: String,
    pub repeat: Option<Repeat>,
    pub staff: String,
}

/// How long to put a reminder off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "for")]
pub enum Snooze {
    Minutes15,
    Hour1,
    /// The next business day's opening.
    TomorrowMorning,
    /// A chosen local time (`YYYY-MM-DD HH:MM`).
    Until {
        at: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CenterQuery {
    pub kind: Option<ReminderKind>,
    pub staff: String,
    /// false: what needs doing (pending, fired, snoozed); true: history (done, dismissed).
    pub history: bool,
    pub offset: usize,
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CenterPage {
    pub total: usize,
    pub items: Vec<Reminder>,
}

/// Reminder settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReminderSettings {
    /// Outside business hours nothing pops up; what came due shows when hours open.
    pub quiet_outside_hours: bool,
    /// Warn this many minutes before a complaint deadline.
    pub complaint_warning_minutes: u32,
    /// Remind this many days before a birthday or anniversary (and on the day).
    pub days_before_dates: u32,
    /// Start FrontDesk when the user logs in.
    pub start_at_login: bool,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            quiet_outside_hours: true,
            complaint_warning_minutes: 60,
            days_before_dates: 3,
            start_at_login: false,
        }
    }
}

/// A reminder that just popped, with its texts in the UI language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fired {
    pub id: i64,
    pub kind: ReminderKind,
    pub customer_id: Option<i64>,
    pub source_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderCounts {
    /// Popped and not yet done.
    pub due: usize,
    /// Still to come (pending and snoozed).
    pub upcoming: usize,
}

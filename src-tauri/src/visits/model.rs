//! Return-visit types as they cross IPC and sit in the store.

use serde::{Deserialize, Serialize};

use crate::kernel::cadence::Tier;
pub use crate::kernel::cadence::{Cadence, ContactStatus, TierCadences};
pub use crate::kernel::recurrence::{Repeat, RepeatUnit};

crate::str_enum!(
    /// How the desk contacts the customer.
    Channel { Phone = "phone", Message = "message", Wechat = "wechat", InPerson = "in_person", Other = "other" }
);
crate::str_enum!(
    /// Why the visit is made.
    Purpose {
        Satisfaction = "satisfaction",
        Birthday = "birthday",
        ComplaintFollowup = "complaint_followup",
        KeepInTouch = "keep_in_touch",
        Sales = "sales",
        Other = "other",
    }
);
crate::str_enum!(
    VisitState { Planned = "planned", Done = "done", Cancelled = "cancelled" }
);
/// What the plan-a-visit form sends. Dates are local (`YYYY-MM-DD`), time `HH:MM` or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitInput {
    pub customer_id: i64,
    pub channel: Option<Channel>,
    pub purpose: Option<Purpose>,
    pub due_date: String,
    pub due_time: String,
    pub outline: String,
    pub staff: String,
    pub repeat: Option<Repeat>,
}

/// When a visit that did not reach the customer is tried again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "when")]
pub enum Retry {
    /// Two hours from now, today.
    LaterToday,
    /// Tomorrow, all day.
    Tomorrow,
    /// A chosen date (and optional time).
    On {
        date: String,
        #[serde(default)]
        time: String,
    },
}

/// The next visit an outcome asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextVisit {
    pub due_date: String,
    #[serde(default)]
    pub due_time: String,
    pub channel: Option<Channel>,
    pub purpose: Option<Purpose>,
    #[serde(default)]
    pub outline: String,
}

/// What the record-outcome form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeInput {
    pub reached: bool,
    #[serde(default)]
    pub notes: String,
    /// 1–5, when reached.
    #[serde(default)]
    pub satisfaction: Option<u8>,
    /// What to do next, in words.
    #[serde(default)]
    pub next_step: String,
    /// When not reached: when to try again.
    #[serde(default)]
    pub retry: Option<Retry>,
    /// When reached: the next visit to plan, if any.
    #[serde(default)]
    pub next_visit: Option<NextVisit>,
}

/// A correction of a completed visit's outcome (logged, never silent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeCorrection {
    pub notes: String,
    pub satisfaction: Option<u8>,
    pub next_step: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Visit {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub customer_tier: Tier,
    pub channel: Channel,
    pub purpose: Purpose,
    pub due_date: String,
    pub due_time: Option<String>,
    pub due_at: Option<String>,
    pub outline: String,
    pub staff: String,
    pub state: VisitState,
    pub attempts: u32,
    pub reached: Option<bool>,
    pub outcome_notes: String,
    pub satisfaction: Option<u8>,
    pub next_step: String,
    pub completed_at: Option<String>,
    pub repeat: Option<Repeat>,
    pub plan_id: Option<i64>,
    pub plan_step: Option<u32>,
    pub created_at: String,
    pub updated_at: String,
}

/// One line of a visit's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitLogEntry {
    pub at: String,
    pub kind: String,
    pub detail: String,
}

/// One line of a customer's visit log for the customer's timeline: an attempt that did not
/// reach them, a reschedule, a correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerVisitEvent {
    pub at: String,
    pub kind: String,
    /// JSON as logged (`notes`, `due_date`/`due_time`, `before`).
    pub detail: String,
    pub visit_id: i64,
    pub channel: Channel,
    pub purpose: Purpose,
}

/// Overdue, today and the next 7 days, by the local day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agenda {
    pub today: String,
    pub overdue_total: usize,
    pub overdue: Vec<Visit>,
    pub today_visits: Vec<Visit>,
    pub upcoming: Vec<Visit>,
}

/// Planned and done visits per day of a month, for the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarDay {
    pub date: String,
    pub planned: usize,
    pub done: usize,
}

/// One step of a follow-up plan: contact the customer `offset_days` after the plan starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStep {
    pub offset_days: u32,
    pub channel: Channel,
    pub purpose: Purpose,
    #[serde(default)]
    pub outline: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowupPlan {
    #[serde(default)]
    pub id: i64,
    pub name: String,
    pub steps: Vec<PlanStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineTemplate {
    #[serde(default)]
    pub id: i64,
    pub name: String,
    pub body: String,
}

/// One row of the due-to-contact list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueContact {
    pub customer_id: i64,
    pub name: String,
    pub tier: Tier,
    pub phone: Option<String>,
    pub last_contact: Option<String>,
    pub days_since: i64,
    pub cadence: Cadence,
    pub status: ContactStatus,
    pub next_visit: Option<String>,
}

//! The manager's review as it crosses IPC: the query (period and filters), the figures, and
//! the records behind one figure.

use serde::{Deserialize, Serialize};

crate::str_enum!(
    /// The period picker's choices; `custom` takes `from` and `to`.
    Preset { Week = "week", Month = "month", Quarter = "quarter", Year = "year", Last12 = "last12", Custom = "custom" }
);

// `str_enum!` takes no attributes per variant, so `#[default]` cannot be derived.
#[allow(clippy::derivable_impls)]
impl Default for Preset {
    fn default() -> Self {
        Preset::Month
    }
}

/// What the dashboard is asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ReviewQuery {
    pub preset: Preset,
    /// Local dates (`YYYY-MM-DD`), inclusive; only for `custom`.
    pub from: String,
    pub to: String,
    /// Only customers of this tier.
    pub tier: Option<String>,
    /// Only complaints of this category.
    pub category_id: Option<i64>,
    /// Only this staff member's complaints (as handler) and visits.
    pub staff: Option<String>,
}

/// A period of whole local days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
}

/// A count, and the count it is out of; `percent` is empty when there is nothing to count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Share {
    pub count: usize,
    pub of: usize,
    pub percent: Option<f64>,
}

/// Median and 90th percentile of a set of durations (business minutes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spread {
    pub n: usize,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

/// One bar of a chart: what it counts (`key`, for the drill-down) and how many.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Bar {
    pub key: String,
    /// The name to show when the window has no translation for `key` (a user's category).
    pub label: String,
    pub count: usize,
}

/// An average score with how many scores it is made of.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Score {
    pub key: String,
    pub n: usize,
    pub average: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ComplaintFigures {
    pub count: usize,
    pub previous_count: usize,
    /// Complaints per 100 active customers.
    pub rate: Option<f64>,
    pub previous_rate: Option<f64>,
    pub active_customers: usize,
    pub by_category: Vec<Bar>,
    pub by_severity: Vec<Bar>,
    pub by_channel: Vec<Bar>,
    pub by_month: Vec<Bar>,
    pub response_met: Share,
    pub resolution_met: Share,
    pub previous_resolution_met: Share,
    pub response_time: Spread,
    pub resolution_time: Spread,
    /// Open now, by how long since received: `d0_1`, `d1_3`, `d3_7`, `d7_plus`.
    pub open_by_age: Vec<Bar>,
    pub escalated_open: usize,
    pub breached_open: usize,
    /// Customers with more than one complaint in the period.
    pub repeat_customers: usize,
    pub remedies: usize,
    pub remedy_cents: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SatisfactionFigures {
    pub n: usize,
    pub average: Option<f64>,
    pub previous_average: Option<f64>,
    /// How many scores of 1, 2, 3, 4, 5.
    pub distribution: [usize; 5],
    pub by_month: Vec<Score>,
    pub by_tier: Vec<Score>,
    pub by_staff: Vec<Score>,
    /// The lowest recent scores (1 or 2), newest first.
    pub lowest: Vec<LowScore>,
}

/// A low score and where it was given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LowScore {
    pub customer_id: i64,
    pub customer_name: String,
    pub tier: String,
    pub score: i64,
    /// `visit` or `complaint`.
    pub source: String,
    pub record_id: i64,
    /// UTC.
    pub at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VisitFigures {
    /// Return visits due in the period (not cancelled).
    pub planned: usize,
    pub done: usize,
    pub reached: Share,
    pub on_time: usize,
    pub late: usize,
    /// Planned, not done, due before today (whatever the period).
    pub overdue_now: usize,
    pub by_staff: Vec<StaffVisits>,
    /// Customers past their tier's longest contact interval now, by tier.
    pub past_interval: Vec<Bar>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StaffVisits {
    pub staff: String,
    pub planned: usize,
    pub done: usize,
    pub reached: usize,
    pub late: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChurnFigures {
    pub lost: usize,
    pub previous_lost: usize,
    /// Lost in the period per 100 active customers at its start.
    pub rate: Option<f64>,
    pub by_type: Vec<Bar>,
    pub by_reason: Vec<Bar>,
    pub by_tier: Vec<TierChurn>,
    pub won_back: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TierChurn {
    pub tier: String,
    pub lost: usize,
    pub active_at_start: usize,
    pub rate: Option<f64>,
}

/// One staff member's period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StaffRow {
    pub staff: String,
    /// Complaints they resolved in the period.
    pub complaints_resolved: usize,
    pub resolution_time: Spread,
    pub resolution_met: Share,
    pub visits_done: usize,
    pub satisfaction: Score,
}

/// What needs the manager now, whatever the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NeedsMe {
    /// Open complaints at the top of the escalation ladder or past a deadline.
    pub complaints: Vec<UrgentComplaint>,
    /// Reminders past due and not done, by the staff they are for.
    pub overdue_reminders: Vec<Bar>,
    /// VIP customers whose latest score is 1 or 2.
    pub vip_low: Vec<LowScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UrgentComplaint {
    pub id: i64,
    pub serial: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub summary: String,
    pub handler: String,
    pub escalation_level: i64,
    pub breached: bool,
    pub received_at: String,
}

/// Everything the dashboard shows for one query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub period: Period,
    pub previous: Period,
    pub complaints: ComplaintFigures,
    pub satisfaction: SatisfactionFigures,
    pub visits: VisitFigures,
    pub churn: ChurnFigures,
    pub staff: Vec<StaffRow>,
    pub needs_me: NeedsMe,
}

crate::str_enum!(
    /// Which records a drill-down lists.
    DrillKind {
        Complaints = "complaints", Scores = "scores", Visits = "visits", Lost = "lost"
    }
);

/// A figure's records: the dashboard's query plus what the clicked bar counts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Drill {
    #[serde(default)]
    pub query: ReviewQuery,
    pub kind: DrillKind,
    /// `category`, `severity`, `channel`, `month`, `tier`, `staff`, `type`, `reason`,
    /// `score`, `age`, `met`, or empty for all the records of `kind` in the period.
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub key: String,
}

/// One record behind a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillRow {
    /// `complaint`, `visit` or `customer`: what opening the row shows.
    pub opens: String,
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    /// When (UTC instant or local date).
    pub at: String,
    /// A serial, a category, a score: the record's own words, shown as text.
    pub title: String,
    pub detail: String,
    pub staff: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DrillPage {
    pub rows: Vec<DrillRow>,
    /// How many there are (the page shows at most `DRILL_LIMIT`).
    pub total: usize,
}

pub const DRILL_LIMIT: usize = 500;

//! Customer types as they cross IPC and sit in the store.

use serde::{Deserialize, Serialize};

pub use crate::kernel::cadence::Tier;
pub use crate::kernel::special_dates::{Calendar, DateKind, SpecialDate};

crate::str_enum!(
    /// Source channel (来源渠道).
    Source { WalkIn = "walk_in", Phone = "phone", Referral = "referral", Online = "online", Other = "other" }
);
crate::str_enum!(
    /// Kind of a preference-card entry.
    PreferenceKind { Food = "food", Seating = "seating", Allergy = "allergy", ContactTime = "contact_time", Language = "language", Other = "other" }
);
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preference {
    pub kind: PreferenceKind,
    pub text: String,
}

/// What a form sends to create or edit a customer. Ids and timestamps are not in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerInput {
    pub name: String,
    pub phones: Vec<String>,
    pub wechat: String,
    pub email: String,
    pub address: String,
    pub company: String,
    pub source: Option<Source>,
    pub first_contact: String,
    pub tier: Option<Tier>,
    pub tags: Vec<String>,
    pub notes: String,
    pub preferences: Vec<Preference>,
    pub birthday: Option<SpecialDate>,
    pub anniversary: Option<SpecialDate>,
    /// Keep-in-touch override: ideal and maximum days between contacts (else the tier's).
    pub cadence_ideal_days: Option<u32>,
    pub cadence_max_days: Option<u32>,
}

/// A stored customer record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub phones: Vec<String>,
    pub wechat: String,
    pub email: String,
    pub address: String,
    pub company: String,
    pub source: Source,
    pub first_contact: String,
    pub tier: Tier,
    pub tags: Vec<String>,
    pub notes: String,
    pub preferences: Vec<Preference>,
    pub birthday: Option<SpecialDate>,
    pub anniversary: Option<SpecialDate>,
    pub cadence_ideal_days: Option<u32>,
    pub cadence_max_days: Option<u32>,
    /// Local date of the last real contact (a reached visit, …).
    pub last_contact_date: Option<String>,
    pub archived_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Erased on request: only an opaque label is left.
    pub anonymised: bool,
}

/// One row of the customer list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerSummary {
    pub id: i64,
    pub name: String,
    pub tier: Tier,
    pub phone: Option<String>,
    pub company: String,
    pub tags: Vec<String>,
    pub archived: bool,
    pub updated_at: String,
    pub last_contact_date: Option<String>,
    pub next_visit_date: Option<String>,
}

/// A special date with the gregorian day it falls on this year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatedOccasion {
    pub kind: DateKind,
    pub date: SpecialDate,
    /// The gregorian date of this year's occurrence (`YYYY-MM-DD`), if it has one.
    pub this_year: Option<String>,
}

/// One entry of the customer's history timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub at: String,
    pub kind: String,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    /// Best match first when searching, else by name.
    #[default]
    Relevance,
    Name,
    Created,
    Updated,
    /// Soonest planned visit first (none last).
    NextVisit,
    /// Longest since the last real contact first (never contacted first).
    LastContact,
}

/// Filter on planned follow-ups, by the local day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowupFilter {
    /// A planned visit is overdue.
    Overdue,
    /// A planned visit is due today or overdue.
    DueToday,
    /// A planned visit is due within 7 days (or overdue).
    DueWeek,
    /// No visit planned.
    NonePlanned,
}

/// Filter on the last real contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactFilter {
    /// Past the ideal interval of the cadence.
    Due,
    /// Past the maximum interval.
    Overdue,
    /// Never contacted.
    Never,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub tier: Option<Tier>,
    pub tag: Option<String>,
    /// false: active customers; true: archived ones.
    pub archived: bool,
    pub followup: Option<FollowupFilter>,
    pub contact: Option<ContactFilter>,
    /// Only customers booked today (booked or arrived).
    pub booked_today: bool,
    /// Only customers who have not come for this many days (never: since their record
    /// was made).
    pub not_visited_days: Option<u32>,
    /// Only these customers (sorted): the app fills it for `booked_today`.
    #[serde(skip)]
    pub only_ids: Option<Vec<i64>>,
    pub sort: SortBy,
    pub desc: bool,
    pub offset: usize,
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page {
    pub total: usize,
    pub offset: usize,
    pub items: Vec<CustomerSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagCount {
    pub tag: String,
    pub count: usize,
}

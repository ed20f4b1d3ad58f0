//! Audit types as they cross IPC.

use serde::{Deserialize, Serialize};

crate::str_enum!(
    /// What kind of record an entry is about.
    RecordKind { Customer = "customer", Visit = "visit", Complaint = "complaint", Reminder = "reminder", Setting = "setting" }
);
crate::str_enum!(
    /// Who made the change: a person at the desk, or the app itself (reminders firing,
    /// deadlines passing).
    Actor { Desk = "desk", System = "system" }
);
crate::str_enum!(
    /// What happened to the record: `bulk` is one row for many records written at once
    /// (demo data, an import), whose own rows are not recorded one by one.
    Action { Create = "create", Update = "update", Delete = "delete", Bulk = "bulk" }
);

/// Who and why, for every row a write produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub at: String,
    pub staff: String,
    /// The desk's name on the shared database (前台1); empty on a desk's own file. The
    /// desk's triggers leave it out: there it is always empty.
    pub desk: String,
    pub actor: Actor,
    /// `revert:<entry id>`, `anonymise`, `restore`, `bulk` or empty.
    pub reason: String,
    /// False for bulk writes: the triggers stay silent and one `bulk` row is written.
    pub record: bool,
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// The rows of one save share it.
    pub change_id: i64,
    pub at: String,
    pub staff: String,
    /// The desk it was made at, on the shared database (empty on a desk's own file).
    pub desk: String,
    pub actor: Actor,
    pub reason: String,
    pub kind: RecordKind,
    pub record_id: String,
    pub customer_id: Option<i64>,
    /// The customer's current name (or label), for the global log.
    pub customer_name: Option<String>,
    pub action: Action,
    pub field: Option<String>,
    pub old_value: serde_json::Value,
    pub new_value: serde_json::Value,
    /// The values were erased when the customer was anonymised; the fact stays.
    pub erased: bool,
}

/// A filter over the trail; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditQuery {
    pub kind: Option<RecordKind>,
    pub record_id: Option<String>,
    pub customer_id: Option<i64>,
    /// Exact staff name; `""` finds changes made with nobody chosen at the desk.
    pub staff: Option<String>,
    /// First and last local day, inclusive (`YYYY-MM-DD`).
    pub from: Option<String>,
    pub to: Option<String>,
    pub offset: usize,
    pub limit: Option<usize>,
}

/// The same filter with the days turned into UTC bounds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub kind: Option<RecordKind>,
    pub record_id: Option<String>,
    pub customer_id: Option<i64>,
    pub staff: Option<String>,
    /// `at >= from_ts`
    pub from_ts: Option<String>,
    /// `at < to_ts`
    pub to_ts: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// One page of the trail, newest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditPage {
    pub total: usize,
    pub entries: Vec<AuditEntry>,
}

/// Fields whose stored value is JSON text (lists, the preference card, special dates).
pub const JSON_FIELDS: &[&str] = &[
    "phones",
    "tags",
    "preferences",
    "birthday",
    "anniversary",
    "steps",
    "lost",
    "booking",
];

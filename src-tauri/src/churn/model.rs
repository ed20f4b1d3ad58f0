//! Churn types as they cross IPC.

use serde::{Deserialize, Serialize};

crate::str_enum!(
    /// Why a customer went, by kind: 自然流失, 恶意流失, 竞争流失, 过失流失.
    ChurnType { Natural = "natural", Malicious = "malicious", Competitor = "competitor", Fault = "fault" }
);

/// What the "mark as lost" form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ChurnInput {
    /// Local date (`YYYY-MM-DD`); empty is today.
    pub lost_on: String,
    pub churn_type: Option<ChurnType>,
    pub reason_id: Option<i64>,
    /// Free text beside the reason.
    pub note: String,
    /// Who recorded it.
    pub staff: String,
}

/// What the "won back" form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct WinBackInput {
    /// Local date (`YYYY-MM-DD`); empty is today.
    pub won_back_on: String,
    pub note: String,
    pub staff: String,
}

/// A reason of the editable list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    #[serde(default)]
    pub id: i64,
    /// Built-in reasons have a code the window translates; the user's own have none.
    #[serde(default)]
    pub code: Option<String>,
    pub name: String,
    #[serde(default)]
    pub archived: bool,
}

/// One loss: open while `won_back_on` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChurnEntry {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub tier: String,
    pub lost_on: String,
    pub churn_type: ChurnType,
    pub reason: Option<Reason>,
    pub note: String,
    pub staff: String,
    pub won_back_on: Option<String>,
    pub won_back_note: String,
    pub won_back_staff: String,
    pub created_at: String,
}

/// The register of losses: filters by type, reason and the period they were recorded in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ChurnQuery {
    pub churn_type: Option<ChurnType>,
    pub reason_id: Option<i64>,
    /// Lost on or after this local date.
    pub from: Option<String>,
    /// Lost on or before this local date.
    pub to: Option<String>,
    /// Only the customers still lost (not won back).
    pub open_only: bool,
    pub offset: usize,
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChurnPage {
    pub total: usize,
    pub items: Vec<ChurnEntry>,
}

//! Complaint types as they cross IPC and sit in the store.

use serde::{Deserialize, Serialize};

use crate::kernel::cadence::Tier;

use crate::kernel::schedule::Schedule;

crate::str_enum!(
    /// How the complaint reached the desk.
    ComplaintChannel {
        Phone = "phone",
        InPerson = "in_person",
        Letter = "letter",
        Fax = "fax",
        Online = "online",
        Wechat = "wechat",
        Other = "other",
    }
);
crate::str_enum!(
    Severity { Low = "low", Normal = "normal", High = "high", Urgent = "urgent" }
);
crate::str_enum!(
    /// 处理状态: registered → in progress → waiting on customer → resolved → closed; or
    /// rejected, or a duplicate of another complaint.
    ComplaintState {
        Registered = "registered",
        InProgress = "in_progress",
        Waiting = "waiting",
        Resolved = "resolved",
        Closed = "closed",
        Rejected = "rejected",
        Duplicate = "duplicate",
    }
);
crate::str_enum!(
    /// What the customer asks for (权益主张), and the remedy granted.
    ClaimKind {
        Compensation = "compensation",
        Repair = "repair",
        NonMaterial = "non_material",
        Apology = "apology",
        Other = "other",
    }
);

impl ComplaintState {
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ComplaintState::Registered | ComplaintState::InProgress | ComplaintState::Waiting
        )
    }
}

impl Severity {
    /// One step more severe (a VIP's complaint may be tightened to it).
    pub fn tighter(self) -> Severity {
        match self {
            Severity::Low => Severity::Normal,
            Severity::Normal => Severity::High,
            Severity::High | Severity::Urgent => Severity::Urgent,
        }
    }
}

/// A new customer created with the complaint (name and phone only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineCustomer {
    pub name: String,
    #[serde(default)]
    pub phone: String,
}

/// The register form (客户投诉登记表).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComplaintInput {
    pub customer_id: Option<i64>,
    pub new_customer: Option<InlineCustomer>,
    pub channel: Option<ComplaintChannel>,
    /// Local `YYYY-MM-DD HH:MM`; empty means now.
    pub received_at: String,
    pub category_id: Option<i64>,
    pub severity: Option<Severity>,
    pub summary: String,
    pub details: String,
    pub claim_kind: Option<ClaimKind>,
    /// Money as typed (`1200`, `88.50`).
    pub claim_amount: String,
    pub claim_text: String,
    pub staff: String,
}

/// A move along the workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionInput {
    pub to: ComplaintState,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub staff: String,
    /// For `duplicate`: the serial number of the original.
    #[serde(default)]
    pub duplicate_of: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResolveInput {
    pub resolution: String,
    pub remedy_kind: Option<ClaimKind>,
    pub remedy_amount: String,
    pub root_cause_category: String,
    pub root_cause: String,
    pub corrective_action: String,
    pub staff: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CloseInput {
    pub satisfaction: Option<u8>,
    pub accepted: Option<bool>,
    /// Local date of the return visit that confirms the customer is satisfied; empty: none.
    pub return_visit_date: String,
    pub staff: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    #[serde(default)]
    pub id: i64,
    /// Built-in categories have a code the UI translates; custom ones only a name.
    #[serde(default)]
    pub code: Option<String>,
    pub name: String,
}

/// A complaint as lists and the detail page show it, with its deadlines worked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Complaint {
    pub id: i64,
    pub serial: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub customer_tier: Tier,
    pub channel: ComplaintChannel,
    pub received_at: String,
    pub category: Category,
    pub severity: Severity,
    pub summary: String,
    pub details: String,
    pub claim_kind: Option<ClaimKind>,
    pub claim_amount_cents: Option<i64>,
    pub claim_text: String,
    pub state: ComplaintState,
    pub duplicate_of: Option<String>,
    pub handler: String,
    pub response_due: Option<String>,
    pub resolution_due: Option<String>,
    pub first_response_at: Option<String>,
    pub paused_since: Option<String>,
    pub escalation_level: u8,
    pub response_breached_at: Option<String>,
    pub resolution_breached_at: Option<String>,
    pub resolution: String,
    pub remedy_kind: Option<ClaimKind>,
    pub remedy_amount_cents: Option<i64>,
    pub root_cause_category: String,
    pub root_cause: String,
    pub corrective_action: String,
    pub resolved_at: Option<String>,
    pub closed_at: Option<String>,
    pub satisfaction: Option<u8>,
    pub accepted: Option<bool>,
    pub return_visit_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    /// Minutes to the next open deadline (negative: overdue by that much); none when closed.
    pub minutes_left: Option<i64>,
}

/// One line of the handling log (投诉处理记录); it cannot be edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    pub at: String,
    pub staff: String,
    pub kind: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintDetail {
    pub complaint: Complaint,
    pub log: Vec<LogEntry>,
}

/// A deadline length: business hours or business days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub amount: u32,
    pub unit: SpanUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanUnit {
    Hours,
    Days,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityDeadlines {
    pub response: Span,
    pub resolution: Span,
}

/// Complaint settings: deadlines per severity, business hours, escalation ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintSettings {
    pub urgent: SeverityDeadlines,
    pub high: SeverityDeadlines,
    pub normal: SeverityDeadlines,
    pub low: SeverityDeadlines,
    pub schedule: Schedule,
    /// Wall-clock hours after a breach for each escalation step: handler reminded,
    /// manager flagged, high risk.
    pub escalation_hours: [u32; 3],
    /// A VIP's complaint gets the deadlines of the next severity up.
    pub vip_tighten: bool,
}

impl Default for ComplaintSettings {
    fn default() -> Self {
        let h = |amount| Span {
            amount,
            unit: SpanUnit::Hours,
        };
        let d = |amount| Span {
            amount,
            unit: SpanUnit::Days,
        };
        ComplaintSettings {
            urgent: SeverityDeadlines {
                response: h(1),
                resolution: h(24),
            },
            high: SeverityDeadlines {
                response: h(4),
                resolution: d(3),
            },
            normal: SeverityDeadlines {
                response: d(1),
                resolution: d(7),
            },
            low: SeverityDeadlines {
                response: d(2),
                resolution: d(14),
            },
            schedule: Schedule::default(),
            escalation_hours: [0, 4, 24],
            vip_tighten: true,
        }
    }
}

impl ComplaintSettings {
    pub fn of(&self, s: Severity) -> SeverityDeadlines {
        match s {
            Severity::Urgent => self.urgent,
            Severity::High => self.high,
            Severity::Normal => self.normal,
            Severity::Low => self.low,
        }
    }
}

/// List filters (投诉列表).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComplaintQuery {
    /// Serial number or words of the summary/details/customer name.
    pub q: String,
    /// `open` (default when empty), `all`, or one state.
    pub state: String,
    pub severity: Option<Severity>,
    pub category_id: Option<i64>,
    pub overdue: bool,
    pub min_escalation: Option<u8>,
    pub customer_id: Option<i64>,
    pub offset: usize,
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintPage {
    pub total: usize,
    pub items: Vec<Complaint>,
}

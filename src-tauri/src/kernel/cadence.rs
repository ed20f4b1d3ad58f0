//! The customer pyramid (tier) and the keep-in-touch cadence each tier asks for: shared by
//! the customer index (follow-up filters), return visits (the due list) and complaints
//! (VIP deadlines).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::str_enum!(
    /// The customer pyramid, highest first: VIP客户 / 主要客户 / 普通客户 / 小客户.
    Tier { Vip = "vip", Major = "major", Regular = "regular", Small = "small" }
);
impl Tier {
    /// Rank for sorting and filtering: 0 is the highest tier.
    pub fn rank(self) -> u8 {
        match self {
            Tier::Vip => 0,
            Tier::Major => 1,
            Tier::Regular => 2,
            Tier::Small => 3,
        }
    }
}

/// Ideal and maximum days between real contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadence {
    pub ideal_days: u32,
    pub max_days: u32,
}

/// The cadence of each tier (settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierCadences {
    pub vip: Cadence,
    pub major: Cadence,
    pub regular: Cadence,
    pub small: Cadence,
}

impl Default for TierCadences {
    fn default() -> Self {
        TierCadences {
            vip: Cadence {
                ideal_days: 30,
                max_days: 45,
            },
            major: Cadence {
                ideal_days: 60,
                max_days: 90,
            },
            regular: Cadence {
                ideal_days: 90,
                max_days: 180,
            },
            small: Cadence {
                ideal_days: 180,
                max_days: 365,
            },
        }
    }
}

impl TierCadences {
    pub fn of(&self, tier: Tier) -> Cadence {
        match tier {
            Tier::Vip => self.vip,
            Tier::Major => self.major,
            Tier::Regular => self.regular,
            Tier::Small => self.small,
        }
    }
}

/// Yellow: past the ideal interval; red: past the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactStatus {
    Fine,
    Due,
    Overdue,
}

/// The cadence that applies: the customer's override, else the tier's.
pub fn effective_cadence(tier: Cadence, ideal_override: Option<u32>, max_override: Option<u32>) -> Cadence {
    let ideal = ideal_override.unwrap_or(tier.ideal_days);
    let max = max_override.unwrap_or(tier.max_days).max(ideal);
    Cadence {
        ideal_days: ideal,
        max_days: max,
    }
}

/// Days since the last real contact (or since the record was created, for a customer
/// never contacted) and whether that is past the ideal (due) or the maximum (overdue).
pub fn contact_status(
    last_contact: Option<NaiveDate>,
    created: NaiveDate,
    cadence: Cadence,
    today: NaiveDate,
) -> (i64, ContactStatus) {
    let base = last_contact.unwrap_or(created);
    let days = (today - base).num_days();
    let status = if days > i64::from(cadence.max_days) {
        ContactStatus::Overdue
    } else if days > i64::from(cadence.ideal_days) {
        ContactStatus::Due
    } else {
        ContactStatus::Fine
    };
    (days, status)
}

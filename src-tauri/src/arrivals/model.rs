//! Arrival types as they cross IPC and sit in the store.

use serde::{Deserialize, Serialize};

use crate::kernel::cadence::Tier;
pub use crate::kernel::recurrence::Repeat;

crate::str_enum!(
    /// Where a booking stands. `late` is not stored: a booked guest past their time.
    BookingState { Booked = "booked", Arrived = "arrived", NoShow = "no_show", Cancelled = "cancelled" }
);

/// What the booking form sends. Dates are local (`YYYY-MM-DD`), time `HH:MM` or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BookingInput {
    /// The customer; 0 with `new_customer` to create them in the same save.
    pub customer_id: i64,
    pub new_customer: Option<NewGuest>,
    pub date: String,
    pub time: String,
    /// A stay's check-out date (hotels); empty for a visit on one day.
    pub end_date: String,
    /// How many people; empty means 1.
    pub party: Option<u32>,
    /// What is booked, in words: a table, a room, a fitting.
    pub what: String,
    /// One of the resources list ("Table 5", "Room 308"), or empty.
    pub resource: String,
    pub staff: String,
    pub notes: String,
    pub repeat: Option<Repeat>,
    /// The user saw the warnings (resource taken, shop closed) and books anyway.
    pub confirm: bool,
}

/// A customer created in place from the quick-book box.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewGuest {
    pub name: String,
    pub phone: String,
}

/// "Arrived now" without a booking.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WalkInInput {
    pub customer_id: i64,
    pub party: Option<u32>,
    pub what: String,
    pub resource: String,
    pub staff: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Booking {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub customer_tier: Tier,
    pub walk_in: bool,
    pub date: String,
    pub time: Option<String>,
    /// UTC instant of date + time.
    pub start_at: Option<String>,
    pub end_date: Option<String>,
    pub party: u32,
    pub what: String,
    pub resource: String,
    pub staff: String,
    pub notes: String,
    pub state: BookingState,
    /// Booked, timed, today or earlier, and past its time: the guest is late.
    pub late: bool,
    pub arrived_at: Option<String>,
    pub cancel_reason: String,
    pub repeat: Option<Repeat>,
    pub created_at: String,
    pub updated_at: String,
}

/// A special date of the guest's that falls within the next 7 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SoonDate {
    /// `birthday` or `anniversary`.
    pub kind: String,
    pub date: String,
    /// Days from the board's day (0: that day).
    pub in_days: i64,
}

/// What the desk should know about a guest on the board.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GuestCard {
    pub preferences: Vec<crate::customers::Preference>,
    pub soon_dates: Vec<SoonDate>,
    pub open_complaints: usize,
    /// The last satisfaction score given (a return visit's), if any.
    pub last_satisfaction: Option<u8>,
    /// The notes of their last arrival before this one.
    pub last_visit_notes: String,
    pub last_visit_date: Option<String>,
    pub phone: Option<String>,
}

/// One line of the day's board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardRow {
    pub booking: Booking,
    /// Staying over this day (a stay that started before it).
    pub staying: bool,
    pub guest: GuestCard,
}

/// The board of one day, in time order (all-day and stays first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Board {
    pub date: String,
    pub today: String,
    pub rows: Vec<BoardRow>,
    pub counts: BoardCounts,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BoardCounts {
    pub booked: usize,
    pub arrived: usize,
    pub late: usize,
    pub no_show: usize,
    pub cancelled: usize,
    pub guests: u32,
}

impl BoardCounts {
    /// Count one booking of the board (`late` already worked out).
    pub fn add(&mut self, b: &Booking) {
        match b.state {
            BookingState::Booked if b.late => self.late += 1,
            BookingState::Booked => self.booked += 1,
            BookingState::Arrived => self.arrived += 1,
            BookingState::NoShow => self.no_show += 1,
            BookingState::Cancelled => self.cancelled += 1,
        }
        if matches!(b.state, BookingState::Booked | BookingState::Arrived) {
            self.guests += b.party;
        }
    }
}

/// Arrival settings: how long before a guest the desk is reminded, what can be booked, and
/// the reasons for a cancellation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArrivalSettings {
    /// Minutes before a timed booking that the preparation reminder pops (0–1440).
    pub remind_minutes: u32,
    /// How long a timed booking holds its resource, for the double-booking warning.
    pub slot_minutes: u32,
    pub resources: Vec<String>,
    pub cancel_reasons: Vec<String>,
}

impl Default for ArrivalSettings {
    fn default() -> Self {
        ArrivalSettings {
            remind_minutes: 30,
            slot_minutes: 120,
            resources: Vec::new(),
            cancel_reasons: vec![
                "改期 · Rescheduled".into(),
                "有事来不了 · Could not come".into(),
                "订了别家 · Went elsewhere".into(),
                "天气 · Weather".into(),
                "其他 · Other".into(),
            ],
        }
    }
}

/// The manager's arrival figures for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArrivalFigures {
    /// Customers who came in the period.
    pub visitors: usize,
    /// Of them, those who had also come before the period.
    pub returning: usize,
    /// 回头率: returning / visitors, in percent; `None` when nobody came.
    pub repeat_rate: Option<f64>,
    pub arrivals: usize,
    /// Arrivals per visitor.
    pub visits_per_customer: Option<f64>,
    pub no_shows: usize,
    /// No-shows over (arrived + no-shows) bookings, in percent.
    pub no_show_rate: Option<f64>,
    pub cancellations: Vec<ReasonCount>,
    /// Arrivals by the hour of their booked time (0–23); walk-ins by the hour they came.
    pub by_hour: Vec<usize>,
    /// Arrivals by weekday, Monday first.
    pub by_weekday: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReasonCount {
    pub reason: String,
    pub count: usize,
}

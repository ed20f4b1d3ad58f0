//! Arrival actions of the command layer: book, change, cancel, arrived, no-show, walk-in,
//! the day's board with each guest's card (composed here from the customer, complaint and
//! visit records), and the manager's arrival figures.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use super::App;
use crate::arrivals::figures::{self, ArrivalDays};
use crate::arrivals::model::{
    ArrivalFigures, ArrivalSettings, Board, BoardCounts, BoardRow, Booking, BookingInput, BookingState, GuestCard,
    SoonDate, WalkInInput,
};
use crate::arrivals::repo::{self, NewBooking};
use crate::arrivals::rules::{self, ValidBooking};
use crate::customers::repo as customer_repo;
use crate::customers::{CustomerInput, PreferenceKind, Source};
use crate::error::{Error, FieldError, Result};
use crate::kernel::settings::Setting;
use crate::kernel::special_dates as dates;
use crate::kernel::time::{format_date as day, format_time as hhmm, local_to_ts, stored_date, ts_to_local};
use crate::review::ReviewQuery;

/// The reason an undone walk-in is kept under.
pub const MISTAKE: &str = "录入错误 · Entered by mistake";

/// The most bookings the board shows for one day.
const BOARD_LIMIT: usize = 1000;

impl Setting for ArrivalSettings {
    const KEY: &'static str = "arrivals";

    fn validate(&self) -> std::result::Result<(), Vec<FieldError>> {
        rules::validate_settings(self)
    }
}

fn state_error(b: &Booking) -> Error {
    match b.state {
        BookingState::Cancelled => Error::state("booking_cancelled", "this booking was cancelled"),
        BookingState::Arrived => Error::state("booking_arrived", "the guest has already arrived"),
        BookingState::NoShow => Error::state("booking_no_show", "this booking was marked a no-show"),
        BookingState::Booked => Error::state("booking_open", "the guest has not come yet"),
    }
}

/// The local start of a booking (its time, or the end of its day when it has none).
fn start_of(b: &Booking) -> Option<NaiveDateTime> {
    let d = stored_date(&b.date)?;
    Some(
        match b.time.as_deref().and_then(|t| rules::parse_time(t).ok().flatten()) {
            Some(t) => d.and_time(t),
            None => d.and_hms_opt(23, 59, 59)?,
        },
    )
}

/// A booked guest past their time is late.
fn with_late(mut b: Booking, now: NaiveDateTime) -> Booking {
    b.late = b.state == BookingState::Booked && start_of(&b).is_some_and(|s| s < now);
    b
}

fn row_of(v: &ValidBooking, customer_id: i64) -> NewBooking {
    NewBooking {
        customer_id,
        walk_in: false,
        date: day(v.date),
        time: v.time.map(hhmm),
        start_at: v.time.map(|t| local_to_ts(v.date.and_time(t))),
        end_date: v.end_date.map(day),
        party: v.party,
        what: v.what.clone(),
        resource: v.resource.clone(),
        staff: v.staff.clone(),
        notes: v.notes.clone(),
        repeat: v.repeat,
        repeat_anchor: v.repeat.map(|_| day(v.date)),
        repeat_index: 0,
        previous_id: None,
    }
}

impl App {
    pub fn arrival_settings(&self) -> Result<ArrivalSettings> {
        self.setting()
    }

    /// Save the arrival settings; the lists are trimmed, blanks and repeats dropped.
    pub fn set_arrival_settings(&self, s: &ArrivalSettings) -> Result<ArrivalSettings> {
        let clean = ArrivalSettings {
            resources: rules::clean_list(&s.resources),
            cancel_reasons: rules::clean_list(&s.cancel_reasons),
            ..s.clone()
        };
        // Planned preparation reminders follow the new lead time at the next planning.
        self.save_setting(&clean, |_| Ok(()))
    }

    /// The warnings a booking needs confirmed: the shop is closed that day, or the resource
    /// is held by another booking then.
    fn booking_warnings(&self, v: &ValidBooking, except: i64) -> Result<Vec<FieldError>> {
        let mut warnings = Vec::new();
        let schedule = self.complaint_settings()?.schedule;
        if rules::closed_on(&schedule, v.date) {
            warnings.push(FieldError::new("date", "closed_day"));
        }
        if !v.resource.is_empty() {
            let slot = self.arrival_settings()?.slot_minutes;
            let held = self.held()?;
            let conn = held.db();
            let mine = rules::span(v.date, v.time, v.end_date, slot);
            let from = v.date - chrono::Days::new(366);
            let to = v.end_date.unwrap_or(v.date);
            let taken = repo::list_resource_between(conn, &v.resource, &day(from), &day(to))?
                .into_iter()
                .filter(|b| b.id != except)
                .any(|b| {
                    let (Some(d), e) = (stored_date(&b.date), b.end_date.as_deref().and_then(stored_date)) else {
                        return false;
                    };
                    let t = b.time.as_deref().and_then(|t| rules::parse_time(t).ok().flatten());
                    rules::overlaps(mine, rules::span(d, t, e, slot))
                });
            if taken {
                warnings.push(FieldError::new("resource", "resource_taken"));
            }
        }
        Ok(warnings)
    }

    /// Book a customer's visit (or create the customer in place from a name and phone).
    /// Warnings (closed day, resource taken) are returned as `confirm` until the form says
    /// `confirm`.
    pub fn book(&self, input: &BookingInput) -> Result<Booking> {
        let now_local = self.now_local();
        let v = rules::validate_booking(input, now_local)?;
        let guest = match (&input.new_customer, input.customer_id) {
            (Some(g), 0) => {
                let c = CustomerInput {
                    name: g.name.clone(),
                    phones: if g.phone.trim().is_empty() {
                        vec![]
                    } else {
                        vec![g.phone.clone()]
                    },
                    source: Some(Source::Phone),
                    ..CustomerInput::default()
                };
                Some(crate::customers::rules::validate(&c)?)
            }
            (None, 0) => return Err(Error::Invalid(vec![FieldError::new("customer", "required")])),
            _ => None,
        };
        if !input.confirm {
            let warnings = self.booking_warnings(&v, 0)?;
            if !warnings.is_empty() {
                return Err(Error::Confirm(warnings));
            }
        }
        let now = self.now_ts();
        let id = self.write(|tx, ch| {
            let customer_id = match &guest {
                Some(g) => {
                    let s = customer_repo::search_fields(g);
                    let id = customer_repo::insert_customer(tx, g, &s, &now)?;
                    customer_repo::add_event(tx, id, &now, "created", "")?;
                    id
                }
                None => {
                    let c = customer_repo::get_customer(tx, input.customer_id)?;
                    if c.archived_at.is_some() {
                        return Err(Error::state(
                            "customer_archived",
                            "the customer is archived; restore them first",
                        ));
                    }
                    c.id
                }
            };
            ch.customer(customer_id);
            repo::insert_booking(tx, &row_of(&v, customer_id), BookingState::Booked, None, &now)
        })?;
        self.get_booking(id)
    }

    pub fn get_booking(&self, id: i64) -> Result<Booking> {
        Ok(with_late(repo::get_booking(self.held()?.db(), id)?, self.now_local()))
    }

    /// Change a booking still to come: when, how many, what, who, notes.
    pub fn change_booking(&self, id: i64, input: &BookingInput) -> Result<Booking> {
        let current = self.get_booking(id)?;
        if current.state != BookingState::Booked {
            return Err(state_error(&current));
        }
        let v = rules::validate_booking(input, self.now_local())?;
        if !input.confirm {
            let warnings = self.booking_warnings(&v, id)?;
            if !warnings.is_empty() {
                return Err(Error::Confirm(warnings));
            }
        }
        let now = self.now_ts();
        self.write(|tx, ch| {
            let b = repo::get_booking(tx, id)?;
            if b.state != BookingState::Booked {
                return Err(state_error(&b));
            }
            ch.customer(b.customer_id);
            repo::update_booking(tx, id, &row_of(&v, b.customer_id), &now)
        })?;
        self.get_booking(id)
    }

    /// Cancel a booking with a reason. A recurring booking goes on with its next date
    /// unless `series` ends it too.
    pub fn cancel_booking(&self, id: i64, reason: &str, series: bool) -> Result<Booking> {
        rules::validate_reason(reason)?;
        self.close_booking(id, BookingState::Cancelled, reason.trim(), !series)
    }

    /// The guest came.
    pub fn mark_arrived(&self, id: i64) -> Result<Booking> {
        self.close_booking(id, BookingState::Arrived, "", true)
    }

    /// The guest did not come.
    pub fn mark_no_show(&self, id: i64) -> Result<Booking> {
        self.close_booking(id, BookingState::NoShow, "", true)
    }

    fn close_booking(&self, id: i64, state: BookingState, reason: &str, continue_series: bool) -> Result<Booking> {
        let now_local = self.now_local();
        let today = now_local.date();
        let now = self.now_ts();
        self.write(|tx, ch| {
            let b = repo::get_booking(tx, id)?;
            if b.state != BookingState::Booked {
                return Err(state_error(&b));
            }
            let date = stored_date(&b.date).ok_or_else(|| Error::internal("a stored date is damaged"))?;
            if state != BookingState::Cancelled && date > today {
                return Err(Error::state("booking_future", "this booking is for a later day"));
            }
            ch.customer(b.customer_id);
            let arrived_at = (state == BookingState::Arrived).then_some(now.as_str());
            repo::set_state(tx, id, state, arrived_at, reason, &now)?;
            if state == BookingState::Arrived {
                // Coming in is a real contact, and the customer's last visit.
                customer_repo::touch_last_visit(tx, b.customer_id, &b.date)?;
                customer_repo::touch_last_contact(tx, b.customer_id, &day(today))?;
            }
            // The next date of a recurring booking.
            if let (Some(r), true) = (b.repeat, continue_series) {
                let (anchor, index) = repo::get_lineage(tx, id)?;
                if let Some(anchor) = anchor.as_deref().and_then(stored_date) {
                    if let Some((next, index)) =
                        crate::kernel::recurrence::next_occurrence(anchor, r, index, date.max(today))
                    {
                        let time = b.time.as_deref().and_then(|t| rules::parse_time(t).ok().flatten());
                        let row = NewBooking {
                            customer_id: b.customer_id,
                            date: day(next),
                            time: time.map(hhmm),
                            start_at: time.map(|t| local_to_ts(next.and_time(t))),
                            party: b.party,
                            what: b.what.clone(),
                            resource: b.resource.clone(),
                            staff: b.staff.clone(),
                            notes: b.notes.clone(),
                            repeat: Some(r),
                            repeat_anchor: Some(day(anchor)),
                            repeat_index: index,
                            previous_id: Some(id),
                            ..NewBooking::default()
                        };
                        repo::insert_booking(tx, &row, BookingState::Booked, None, &now)?;
                    }
                }
            }
            Ok(())
        })?;
        self.get_booking(id)
    }

    /// Undo a mark: an arrival or a no-show back to booked (the desk pressed the wrong key).
    /// A walk-in had no booking to go back to: it is kept as cancelled, "entered by mistake".
    pub fn reopen_booking(&self, id: i64) -> Result<Booking> {
        let now = self.now_ts();
        self.write(|tx, ch| {
            let b = repo::get_booking(tx, id)?;
            if !matches!(b.state, BookingState::Arrived | BookingState::NoShow) {
                return Err(state_error(&b));
            }
            if b.walk_in {
                repo::set_state(tx, id, BookingState::Cancelled, None, MISTAKE, &now)?;
            } else {
                repo::set_state(tx, id, BookingState::Booked, None, "", &now)?;
            }
            customer_repo::refresh_last_visit(tx, b.customer_id)?;
            ch.customer(b.customer_id);
            Ok(())
        })?;
        self.get_booking(id)
    }

    /// "Arrived now": a visit without a booking, recorded at this minute.
    pub fn walk_in(&self, input: &WalkInInput) -> Result<Booking> {
        let party = rules::validate_walk_in(input)?;
        let now_local = self.now_local();
        let now = self.now_ts();
        let today = day(now_local.date());
        let id = self.write(|tx, ch| {
            let c = customer_repo::get_customer(tx, input.customer_id)?;
            if c.archived_at.is_some() {
                return Err(Error::state(
                    "customer_archived",
                    "the customer is archived; restore them first",
                ));
            }
            let row = NewBooking {
                customer_id: c.id,
                walk_in: true,
                date: today.clone(),
                time: now_local.time().with_second(0).map(hhmm),
                start_at: Some(now.clone()),
                party,
                what: input.what.trim().to_string(),
                resource: input.resource.trim().to_string(),
                staff: input.staff.trim().to_string(),
                notes: input.notes.trim().to_string(),
                ..NewBooking::default()
            };
            let id = repo::insert_booking(tx, &row, BookingState::Arrived, Some(&now), &now)?;
            customer_repo::touch_last_visit(tx, c.id, &today)?;
            customer_repo::touch_last_contact(tx, c.id, &today)?;
            ch.customer(c.id);
            Ok(id)
        })?;
        self.get_booking(id)
    }

    pub fn customer_bookings(&self, customer_id: i64) -> Result<Vec<Booking>> {
        let now = self.now_local();
        let rows = repo::list_customer_bookings(self.held()?.db(), customer_id)?;
        Ok(rows.into_iter().map(|b| with_late(b, now)).collect())
    }

    /// The board of one day: every booking starting then and every stay running over it,
    /// each with what the desk should know about the guest.
    pub fn arrivals_board(&self, date: &str) -> Result<Board> {
        let d = rules::parse_date(date).map_err(|c| Error::Invalid(vec![FieldError::new("date", c)]))?;
        let now = self.now_local();
        // The day's bookings on a kept reader; the guests' facts in two halves at once, on
        // two kept readers (one short read each).
        self.with_reader(|reader| {
            let bookings = repo::list_day(reader, &day(d))?;
            let mut ids: Vec<i64> = bookings.iter().take(BOARD_LIMIT).map(|b| b.customer_id).collect();
            ids.sort_unstable();
            ids.dedup();
            let (first, second) = ids.split_at(ids.len() / 2);
            let (side, here) = std::thread::scope(|scope| {
                let side = scope.spawn(|| self.with_reader(|other| repo::guest_facts(other, second, &day(d))));
                let here = repo::guest_facts(reader, first, &day(d));
                (side.join(), here)
            });
            let mut facts = here?;
            facts.extend(side.map_err(|_| Error::Internal("reading the guests failed".into()))??);
            Ok(board_of(bookings, facts, d, now))
        })
    }

    /// The counts of one day's board without its guests' cards (the sidebar's badge): a few
    /// rows read, where the board reads each guest's card across the file.
    pub fn arrivals_counts(&self, date: &str) -> Result<BoardCounts> {
        let d = rules::parse_date(date).map_err(|c| Error::Invalid(vec![FieldError::new("date", c)]))?;
        let now = self.now_local();
        let bookings = repo::list_day(self.held()?.db(), &day(d))?;
        let mut counts = BoardCounts::default();
        for b in bookings.into_iter().take(BOARD_LIMIT) {
            counts.add(&with_late(b, now));
        }
        Ok(counts)
    }

    /// The manager's arrival figures for a review period: 回头率, visits per customer,
    /// no-shows, cancellations by reason, busiest hours and weekdays.
    pub fn arrival_figures(&self, q: &ReviewQuery) -> Result<ArrivalFigures> {
        let (p, _) = super::review::periods(q, self.today())?;
        let counts = repo::day_counts(self.held()?.db(), &day(p.from), &day(p.to))?;
        let repeat = {
            let loaded = self
                .arrival_days_read()?
                .as_ref()
                .map(|a| a.repeat_visitors(p.from, p.to));
            match loaded {
                Some(r) => r,
                None => {
                    let days = ArrivalDays::build(self.with_reader(|c| repo::list_arrival_days(c))?);
                    let r = days.repeat_visitors(p.from, p.to);
                    *self.arrival_days_write()? = Some(days);
                    r
                }
            }
        };
        Ok(figures::arrival_figures(&counts, repeat))
    }

    fn arrival_days_read(&self) -> Result<std::sync::RwLockReadGuard<'_, Option<ArrivalDays>>> {
        self.arrival_days
            .read()
            .map_err(|_| Error::Internal("the arrival days lock was poisoned".into()))
    }

    fn arrival_days_write(&self) -> Result<std::sync::RwLockWriteGuard<'_, Option<ArrivalDays>>> {
        self.arrival_days
            .write()
            .map_err(|_| Error::Internal("the arrival days lock was poisoned".into()))
    }

    /// After a write: the changed customers' arrival days are read again (when they were
    /// loaded at all); a change to many customers drops them until the next use.
    pub(super) fn refresh_arrival_days(&self, all: bool, customers: &[i64]) -> Result<()> {
        let mut guard = self.arrival_days_write()?;
        let Some(days) = guard.as_mut() else { return Ok(()) };
        if all {
            *guard = None;
            return Ok(());
        }
        for &c in customers {
            days.set(c, repo::customer_arrival_days(self.held()?.db(), c)?);
        }
        Ok(())
    }

    /// Customers booked today (sorted): the customer list's "booked today" filter.
    pub(super) fn booked_today_ids(&self) -> Result<Vec<i64>> {
        let mut ids = repo::customers_booked_on(self.held()?.db(), &day(self.today()))?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// Demo bookings: guests who came in the past weeks (some twice, one a no-show, one
    /// cancelled for the weather), guests booked later today and tomorrow, and a stay.
    pub(super) fn seed_demo_bookings(&self, customer_ids: &[i64]) -> Result<()> {
        let now_local = self.now_local();
        let today = now_local.date();
        let now = self.now_ts();
        let resources = ["Table 2", "Table 5", "Table 8", "Room 308"];
        let mut rows: Vec<(NewBooking, BookingState, &str)> = Vec::new();
        let at = |d: NaiveDate, h: u32, m: u32| chrono::NaiveTime::from_hms_opt(h, m, 0).map(|t| (d, t));
        for (i, id) in customer_ids.iter().enumerate().take(24) {
            let (date, time, state, reason) = match i % 8 {
                0..=2 => {
                    let d = today - chrono::Days::new(3 + i as u64 * 2);
                    (d, at(d, [12, 18, 19][i % 3], 0), BookingState::Arrived, "")
                }
                3 => (
                    today - chrono::Days::new(9),
                    at(today - chrono::Days::new(9), 19, 0),
                    BookingState::NoShow,
                    "",
                ),
                4 => (
                    today - chrono::Days::new(5),
                    at(today - chrono::Days::new(5), 12, 30),
                    BookingState::Cancelled,
                    "天气 · Weather",
                ),
                5 | 6 => {
                    // Later today (while there is a later today), else tomorrow.
                    let later = now_local + chrono::TimeDelta::minutes(90 + 60 * (i as i64 % 3));
                    let (d, h) = if later.date() == today {
                        (today, later.hour())
                    } else {
                        (today + chrono::Days::new(1), 12)
                    };
                    (d, at(d, h, if i % 2 == 0 { 0 } else { 30 }), BookingState::Booked, "")
                }
                _ => {
                    let d = today + chrono::Days::new(1);
                    (d, at(d, 19, 0), BookingState::Booked, "")
                }
            };
            let time = time.map(|(_, t)| t);
            rows.push((
                NewBooking {
                    customer_id: *id,
                    date: day(date),
                    time: time.map(hhmm),
                    start_at: time.map(|t| local_to_ts(date.and_time(t))),
                    party: 1 + (i % 4) as u32,
                    resource: resources[i % 3].to_string(),
                    ..NewBooking::default()
                },
                state,
                reason,
            ));
        }
        // Regulars: some of the guests who came lately had also come a month or two before.
        for (i, id) in customer_ids.iter().enumerate().take(24).filter(|(i, _)| i % 8 < 2) {
            let d = today - chrono::Days::new(30 + 3 * i as u64);
            let t = chrono::NaiveTime::from_hms_opt(12, 0, 0);
            rows.push((
                NewBooking {
                    customer_id: *id,
                    date: day(d),
                    time: t.map(hhmm),
                    start_at: t.map(|t| local_to_ts(d.and_time(t))),
                    party: 2,
                    resource: resources[i % 3].to_string(),
                    ..NewBooking::default()
                },
                BookingState::Arrived,
                "",
            ));
        }
        if let Some(id) = customer_ids.get(24) {
            rows.push((
                NewBooking {
                    customer_id: *id,
                    date: day(today),
                    end_date: Some(day(today + chrono::Days::new(2))),
                    party: 2,
                    what: "双人房 · double room".into(),
                    resource: resources[3].to_string(),
                    ..NewBooking::default()
                },
                BookingState::Booked,
                "",
            ));
        }
        self.write_as(super::WriteAs::bulk(), |tx, ch| {
            crate::audit::repo::add_bulk(tx, crate::audit::RecordKind::Customer, rows.len())?;
            for (row, state, reason) in &rows {
                let arrived = row
                    .time
                    .as_deref()
                    .and_then(|t| rules::parse_time(t).ok().flatten())
                    .zip(stored_date(&row.date))
                    .map(|(t, d)| local_to_ts(d.and_time(t)));
                let arrived_at = (*state == BookingState::Arrived).then_some(arrived).flatten();
                let id = repo::insert_booking(tx, row, BookingState::Booked, None, &now)?;
                if *state != BookingState::Booked {
                    repo::set_state(tx, id, *state, arrived_at.as_deref(), reason, &now)?;
                }
                if *state == BookingState::Arrived {
                    customer_repo::touch_last_visit(tx, row.customer_id, &row.date)?;
                }
            }
            ch.all_customers();
            Ok(())
        })
    }

    /// Insert many bookings in one transaction (the bench's 500,000): `(customer, date,
    /// hour, state)`.
    pub fn insert_bookings_bulk(&self, rows: &[(i64, NaiveDate, Option<u32>, BookingState)]) -> Result<()> {
        let now = self.now_ts();
        self.write_as(super::WriteAs::bulk(), |tx, ch| {
            crate::audit::repo::add_bulk(tx, crate::audit::RecordKind::Customer, rows.len())?;
            for (n, (customer_id, date, hour, state)) in rows.iter().enumerate() {
                let time = hour.and_then(|h| chrono::NaiveTime::from_hms_opt(h, [0, 30][n % 2], 0));
                let row = NewBooking {
                    customer_id: *customer_id,
                    date: day(*date),
                    time: time.map(hhmm),
                    start_at: time.map(|t| local_to_ts(date.and_time(t))),
                    party: 1 + (n % 6) as u32,
                    resource: format!("Table {}", 1 + n % 20),
                    ..NewBooking::default()
                };
                let arrived = (*state == BookingState::Arrived).then(|| now.clone());
                let id = repo::insert_booking(tx, &row, *state, arrived.as_deref(), &now)?;
                if *state == BookingState::Cancelled {
                    repo::set_state(
                        tx,
                        id,
                        *state,
                        None,
                        ["改期 · Rescheduled", "天气 · Weather"][n % 2],
                        &now,
                    )?;
                }
                if *state == BookingState::Arrived {
                    customer_repo::touch_last_visit(tx, *customer_id, &row.date)?;
                }
            }
            ch.all_customers();
            Ok(())
        })
    }
}

/// What the desk should know about a guest on the board of `day`.
fn guest_card(g: repo::GuestFacts, d: NaiveDate) -> GuestCard {
    let mut soon_dates = Vec::new();
    for (kind, date) in [("birthday", g.birthday), ("anniversary", g.anniversary)] {
        let Some(date) = date else { continue };
        for year in [d.year(), d.year() + 1] {
            if let Some(o) = dates::occurrence_in(&date, year) {
                let in_days = (o - d).num_days();
                if (0..7).contains(&in_days) {
                    soon_dates.push(SoonDate {
                        kind: kind.into(),
                        date: day(o),
                        in_days,
                    });
                    break;
                }
            }
        }
    }
    let mut preferences = g.preferences;
    preferences.sort_by_key(|p| p.kind != PreferenceKind::Allergy);
    let (last_visit_date, last_visit_notes) = match g.last_visit {
        Some((date, notes)) => (Some(date), notes),
        None => (None, String::new()),
    };
    GuestCard {
        preferences,
        soon_dates,
        open_complaints: g.open_complaints,
        last_satisfaction: g.last_satisfaction,
        last_visit_notes,
        last_visit_date,
        phone: g.phone,
    }
}

/// When the preparation reminder of a booking pops, and its key: the key follows the
/// booking's time and the lead, so a moved booking gets a new reminder.
pub(super) fn arrival_reminder_due(
    schedule: &crate::kernel::schedule::Schedule,
    b: &Booking,
    minutes: u32,
) -> Option<(NaiveDateTime, String)> {
    let d = stored_date(&b.date)?;
    let t = b.time.as_deref().and_then(|t| rules::parse_time(t).ok().flatten());
    let due = rules::reminder_due(schedule, d, t, minutes);
    // A booking made after its reminder's time is simply due now, not missed.
    let made = ts_to_local(&b.updated_at).unwrap_or(due);
    let key = format!("arrival:{}:{}:{}", b.id, due.format("%Y-%m-%d %H:%M"), minutes);
    Some((due.max(made), key))
}

/// The board of day `d` as of `now`, from its bookings and their guests' facts.
fn board_of(bookings: Vec<Booking>, facts: Vec<repo::GuestFacts>, d: NaiveDate, now: NaiveDateTime) -> Board {
    let cards: std::collections::HashMap<i64, GuestCard> =
        facts.into_iter().map(|g| (g.customer_id, guest_card(g, d))).collect();
    let mut rows = Vec::with_capacity(bookings.len().min(BOARD_LIMIT));
    let mut counts = BoardCounts::default();
    for b in bookings.into_iter().take(BOARD_LIMIT) {
        let b = with_late(b, now);
        // Every booking's customer exists (a foreign key); an empty card is only a fallback.
        let guest = cards.get(&b.customer_id).cloned().unwrap_or_default();
        counts.add(&b);
        rows.push(BoardRow {
            staying: b.date != day(d),
            booking: b,
            guest,
        });
    }
    Board {
        date: day(d),
        today: day(now.date()),
        rows,
        counts,
    }
}

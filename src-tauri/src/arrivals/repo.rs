//! Arrival SQL: bookings, the day's rows, a resource's bookings, a customer's bookings and
//! the facts the manager's figures are made of, on either store ([`Db`]). The two reads of
//! every arrival keep a desk fast path that parses each run of one day once.

use crate::store::db::{Db, Row};

use crate::customers::{Calendar, Preference, SpecialDate};
use crate::error::{Error, Result};
use crate::kernel::cadence::Tier;
use crate::kernel::recurrence::{Repeat, RepeatUnit};

use chrono::NaiveDate;

use super::figures::DayCount;
use super::model::{Booking, BookingState};
use crate::kernel::time::stored_date;

/// A booking row to insert or to write over, with everything Rust computed.
#[derive(Debug, Clone, Default)]
pub struct NewBooking {
    pub customer_id: i64,
    pub walk_in: bool,
    pub date: String,
    pub time: Option<String>,
    pub start_at: Option<String>,
    pub end_date: Option<String>,
    pub party: u32,
    pub what: String,
    pub resource: String,
    pub staff: String,
    pub notes: String,
    pub repeat: Option<Repeat>,
    pub repeat_anchor: Option<String>,
    pub repeat_index: u32,
    pub previous_id: Option<i64>,
}

const COLS: &str = "b.id, b.customer_id, c.name, c.tier, b.walk_in, b.start_date, b.start_time, b.start_at,
    b.end_date, b.party, b.what, b.resource, b.staff, b.notes, b.state, b.arrived_at, b.cancel_reason,
    b.repeat_unit, b.repeat_every, b.created_at, b.updated_at";

fn booking_from_row(r: &Row) -> Result<Booking> {
    let unit: Option<RepeatUnit> = r.get(17)?;
    let every: Option<u32> = r.get(18)?;
    let repeat = match (unit, every) {
        (Some(unit), Some(every)) => Some(Repeat { unit, every }),
        _ => None,
    };
    Ok(Booking {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        customer_tier: r.get::<Tier>(3)?,
        walk_in: r.get(4)?,
        date: r.get(5)?,
        time: r.get(6)?,
        start_at: r.get(7)?,
        end_date: r.get(8)?,
        party: r.get(9)?,
        what: r.get(10)?,
        resource: r.get(11)?,
        staff: r.get(12)?,
        notes: r.get(13)?,
        state: r.get::<BookingState>(14)?,
        late: false,
        arrived_at: r.get(15)?,
        cancel_reason: r.get(16)?,
        repeat,
        created_at: r.get(19)?,
        updated_at: r.get(20)?,
    })
}

fn bookings_of(rows: Vec<Row>) -> Result<Vec<Booking>> {
    rows.iter().map(booking_from_row).collect()
}

pub fn insert_booking<'a>(
    db: impl Into<Db<'a>>,
    b: &NewBooking,
    state: BookingState,
    arrived_at: Option<&str>,
    now: &str,
) -> Result<i64> {
    db.into().insert(
        "INSERT INTO bookings (customer_id, walk_in, start_date, start_time, start_at, end_date, party, what,
             resource, staff, notes, state, arrived_at, repeat_unit, repeat_every, repeat_anchor, repeat_index,
             previous_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19)
         RETURNING id",
        &[
            &b.customer_id,
            &b.walk_in,
            &b.date,
            &b.time,
            &b.start_at,
            &b.end_date,
            &b.party,
            &b.what,
            &b.resource,
            &b.staff,
            &b.notes,
            &state,
            &arrived_at,
            &b.repeat.map(|r| r.unit),
            &b.repeat.map(|r| r.every),
            &b.repeat_anchor,
            &b.repeat_index,
            &b.previous_id,
            &now,
        ],
    )
}

/// Write a changed booking's when, what and who (its state and lineage stay).
pub fn update_booking<'a>(db: impl Into<Db<'a>>, id: i64, b: &NewBooking, now: &str) -> Result<()> {
    db.into().execute(
        "UPDATE bookings SET start_date = ?2, start_time = ?3, start_at = ?4, end_date = ?5, party = ?6, what = ?7,
             resource = ?8, staff = ?9, notes = ?10, repeat_unit = ?11, repeat_every = ?12,
             repeat_anchor = CASE WHEN CAST(?11 AS text) IS NULL THEN NULL ELSE coalesce(repeat_anchor, ?2) END,
             updated_at = ?13
         WHERE id = ?1",
        &[
            &id,
            &b.date,
            &b.time,
            &b.start_at,
            &b.end_date,
            &b.party,
            &b.what,
            &b.resource,
            &b.staff,
            &b.notes,
            &b.repeat.map(|r| r.unit),
            &b.repeat.map(|r| r.every),
            &now,
        ],
    )?;
    Ok(())
}

/// Arrived, no-show or cancelled (with its reason), or back to booked.
pub fn set_state<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    state: BookingState,
    arrived_at: Option<&str>,
    cancel_reason: &str,
    now: &str,
) -> Result<()> {
    db.into().execute(
        "UPDATE bookings SET state = ?2, arrived_at = ?3, cancel_reason = ?4, updated_at = ?5 WHERE id = ?1",
        &[&id, &state, &arrived_at, &cancel_reason, &now],
    )?;
    Ok(())
}

pub fn get_booking<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Booking> {
    let sql = format!("SELECT {COLS} FROM bookings b JOIN customers c ON c.id = b.customer_id WHERE b.id = ?1");
    match db.into().query_opt(&sql, &[&id])? {
        Some(r) => booking_from_row(&r),
        None => Err(Error::NotFound { entity: "booking", id }),
    }
}

/// The recurrence of a booking: its anchor and index.
pub fn get_lineage<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<(Option<String>, u32)> {
    let r = db
        .into()
        .query_opt("SELECT repeat_anchor, repeat_index FROM bookings WHERE id = ?1", &[&id])?
        .ok_or(Error::NotFound { entity: "booking", id })?;
    Ok((r.get(0)?, r.get(1)?))
}

/// The bookings of one day: those starting that day and the stays running over it, in time
/// order (stays and all-day first).
pub fn list_day<'a>(db: impl Into<Db<'a>>, day: &str) -> Result<Vec<Booking>> {
    let sql = format!(
        "SELECT {COLS} FROM bookings b JOIN customers c ON c.id = b.customer_id
         WHERE b.id IN (SELECT id FROM bookings WHERE start_date = ?1
                        UNION ALL
                        SELECT id FROM bookings INDEXED BY bookings_stays
                        WHERE end_date > ?1 AND start_date < ?1)
         ORDER BY b.start_date = ?1, b.start_time IS NOT NULL, b.start_time, b.id"
    );
    bookings_of(db.into().query(&sql, &[&day])?)
}

/// Bookings (booked or arrived) of `resource` starting between `from` and `to`: the
/// candidates of the double-booking check.
pub fn list_resource_between<'a>(db: impl Into<Db<'a>>, resource: &str, from: &str, to: &str) -> Result<Vec<Booking>> {
    let sql = format!(
        "SELECT {COLS} FROM bookings b JOIN customers c ON c.id = b.customer_id
         WHERE b.resource = ?1 AND b.resource <> '' AND b.start_date BETWEEN ?2 AND ?3
           AND b.state IN ('booked', 'arrived')
         ORDER BY b.start_date, b.start_time NULLS FIRST"
    );
    bookings_of(db.into().query(&sql, &[&resource, &from, &to])?)
}

/// A customer's bookings, newest first (at most 500).
pub fn list_customer_bookings<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<Vec<Booking>> {
    let sql = format!(
        "SELECT {COLS} FROM bookings b JOIN customers c ON c.id = b.customer_id
         WHERE b.customer_id = ?1 ORDER BY b.start_date DESC, b.start_time DESC NULLS LAST, b.id DESC LIMIT 500"
    );
    bookings_of(db.into().query(&sql, &[&customer_id])?)
}

/// Booked guests starting between `from` and `to` (local dates): what the preparation
/// reminders are planned from.
pub fn list_booked_between<'a>(db: impl Into<Db<'a>>, from: &str, to: &str) -> Result<Vec<Booking>> {
    let sql = format!(
        "SELECT {COLS} FROM bookings b JOIN customers c ON c.id = b.customer_id
         WHERE b.start_date BETWEEN ?1 AND ?2 AND b.state = 'booked' AND c.archived_at IS NULL"
    );
    bookings_of(db.into().query(&sql, &[&from, &to])?)
}

/// Customers booked (booked or arrived) on `day`.
pub fn customers_booked_on<'a>(db: impl Into<Db<'a>>, day: &str) -> Result<Vec<i64>> {
    db.into()
        .query(
            "SELECT DISTINCT customer_id FROM bookings WHERE start_date = ?1 AND state IN ('booked', 'arrived')",
            &[&day],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// Stored days read row after row: many rows share a day, so each run of one day is
/// parsed once.
#[derive(Default)]
struct DayRuns {
    last: Option<(String, NaiveDate)>,
}

impl DayRuns {
    fn parse(&mut self, s: &str) -> Option<NaiveDate> {
        match &self.last {
            Some((t, d)) if t == s => Some(*d),
            _ => {
                let d = stored_date(s)?;
                self.last = Some((s.to_string(), d));
                Some(d)
            }
        }
    }
}

/// Every arrival: `(customer, day)`, for the in-memory repeat-visit days.
pub fn list_arrival_days<'a>(db: impl Into<Db<'a>>) -> Result<Vec<(i64, NaiveDate)>> {
    const SQL: &str =
        "SELECT customer_id, start_date FROM bookings INDEXED BY bookings_arrived WHERE state = 'arrived'";
    let mut out = Vec::new();
    let mut days = DayRuns::default();
    match db.into() {
        // Half a million rows on a large desk: read each day in place, not as a copied text.
        Db::Desk(conn) => {
            let mut stmt = conn.prepare_cached(SQL)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let s = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
                let Some(d) = days.parse(s) else { continue };
                out.push((r.get(0)?, d));
            }
        }
        db => db.for_each(SQL, &[], |r| {
            if let Some(d) = days.parse(&r.get::<String>(1)?) {
                out.push((r.get(0)?, d));
            }
            Ok(())
        })?,
    }
    Ok(out)
}

/// The days one customer came.
pub fn customer_arrival_days<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<Vec<NaiveDate>> {
    let rows = db.into().query(
        "SELECT start_date FROM bookings INDEXED BY bookings_arrived WHERE customer_id = ?1 AND state = 'arrived'",
        &[&customer_id],
    )?;
    let mut out = Vec::new();
    for r in rows {
        if let Some(d) = stored_date(&r.get::<String>(0)?) {
            out.push(d);
        }
    }
    Ok(out)
}

/// The day counts of `[from, to]` (`arrival_counts`), as the figures need them.
pub fn day_counts<'a>(db: impl Into<Db<'a>>, from: &str, to: &str) -> Result<Vec<DayCount>> {
    const SQL: &str = "SELECT day, hour, state, reason, n FROM arrival_counts WHERE day BETWEEN ?1 AND ?2 AND n > 0";
    let mut out = Vec::new();
    let mut days = DayRuns::default();
    let count = |date: NaiveDate, hour: i64, state: &str, cancel_reason: String, n: i64| -> Result<DayCount> {
        Ok(DayCount {
            date,
            hour: u32::try_from(hour).ok(),
            state: BookingState::parse(state)
                .ok_or_else(|| Error::Internal(format!("{state:?} is not a booking state")))?,
            cancel_reason,
            n: n.max(0) as usize,
        })
    };
    match db.into() {
        // A year of counts for the dashboard: each day read in place, parsed once per run.
        Db::Desk(conn) => {
            let mut stmt = conn.prepare_cached(SQL)?;
            let mut rows = stmt.query([from, to])?;
            while let Some(r) = rows.next()? {
                let s = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
                let Some(date) = days.parse(s) else { continue };
                let state = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
                out.push(count(date, r.get(1)?, state, r.get(3)?, r.get(4)?)?);
            }
        }
        db => db.for_each(SQL, &[&from, &to], |r| {
            if let Some(date) = days.parse(&r.get::<String>(0)?) {
                out.push(count(date, r.get(1)?, &r.get::<String>(2)?, r.get(3)?, r.get(4)?)?);
            }
            Ok(())
        })?,
    }
    Ok(out)
}

/// One row of the day counts: day, hour (-1 all day), state, reason, how many.
pub type CountRow = (String, i64, String, String, i64);

fn count_rows(rows: Vec<Row>) -> Result<Vec<CountRow>> {
    rows.iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .collect()
}

/// The day counts as they should be, straight from the bookings (tests hold the kept
/// counts to it).
pub fn day_counts_direct<'a>(db: impl Into<Db<'a>>, from: &str, to: &str) -> Result<Vec<CountRow>> {
    count_rows(db.into().query(
        "SELECT start_date, coalesce(CAST(substr(start_time, 1, 2) AS INTEGER), -1), state, cancel_reason, count(*)
         FROM bookings WHERE start_date BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        &[&from, &to],
    )?)
}

/// The kept day counts of `[from, to]`, in the same shape.
pub fn day_counts_kept<'a>(db: impl Into<Db<'a>>, from: &str, to: &str) -> Result<Vec<CountRow>> {
    count_rows(db.into().query(
        "SELECT day, hour, state, reason, n FROM arrival_counts WHERE day BETWEEN ?1 AND ?2 AND n <> 0
         ORDER BY 1, 2, 3, 4",
        &[&from, &to],
    )?)
}

/// What the board shows of each guest, read for all of a day's guests in one statement:
/// the phone, the preference card, birthday and anniversary, open complaints, the last
/// score given on a return visit and the last arrival before `day`. The board's one read
/// of other capabilities' tables (customers, special dates, complaints, visits).
pub struct GuestFacts {
    pub customer_id: i64,
    pub phone: Option<String>,
    pub preferences: Vec<Preference>,
    pub birthday: Option<SpecialDate>,
    pub anniversary: Option<SpecialDate>,
    pub open_complaints: usize,
    pub last_satisfaction: Option<u8>,
    pub last_visit: Option<(String, String)>,
}

fn json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| Error::Internal(format!("a stored JSON value does not read: {e}")))
}

fn special_date(r: &Row, at: usize) -> Result<Option<SpecialDate>> {
    let Some(calendar) = r.get::<Option<Calendar>>(at)? else {
        return Ok(None);
    };
    Ok(Some(SpecialDate {
        calendar,
        year: r.get(at + 1)?,
        month: r.get(at + 2)?,
        day: r.get(at + 3)?,
        leap_month: r.get(at + 4)?,
    }))
}

pub fn guest_facts<'a>(db: impl Into<Db<'a>>, ids: &[i64], day: &str) -> Result<Vec<GuestFacts>> {
    let db = db.into();
    let ids = serde_json::to_string(ids).map_err(Error::internal)?;
    // The last arrival travels as a JSON pair; the ids as one JSON array.
    let (last_arrival, among) = if db.is_server() {
        (
            "json_build_array(b.start_date, b.notes)::text",
            "SELECT CAST(value AS bigint) FROM jsonb_array_elements_text(CAST(CAST(?1 AS text) AS jsonb))",
        )
    } else {
        ("json_array(b.start_date, b.notes)", "SELECT value FROM json_each(?1)")
    };
    let sql = format!(
        "SELECT c.id, c.phones, c.preferences,
                bd.calendar, bd.year, bd.month, bd.day, bd.leap_month,
                an.calendar, an.year, an.month, an.day, an.leap_month,
                (SELECT count(*) FROM complaints k WHERE k.customer_id = c.id AND k.is_open = 1),
                (SELECT v.satisfaction FROM visits v
                 WHERE v.customer_id = c.id AND v.state = 'done' AND v.satisfaction IS NOT NULL
                 ORDER BY v.due_date DESC, v.completed_at DESC LIMIT 1),
                (SELECT {last_arrival} FROM bookings b INDEXED BY bookings_arrived
                 WHERE b.customer_id = c.id AND b.state = 'arrived' AND b.start_date < ?2
                 ORDER BY b.start_date DESC LIMIT 1)
         FROM customers c
         LEFT JOIN special_dates bd ON bd.customer_id = c.id AND bd.kind = 'birthday'
         LEFT JOIN special_dates an ON an.customer_id = c.id AND an.kind = 'anniversary'
         WHERE c.id IN ({among})"
    );
    db.query(&sql, &[&ids, &day])?
        .iter()
        .map(|r| {
            let phones: Vec<String> = json(&r.get::<String>(1)?)?;
            let last: Option<String> = r.get(15)?;
            Ok(GuestFacts {
                customer_id: r.get(0)?,
                phone: phones.into_iter().next(),
                preferences: json(&r.get::<String>(2)?)?,
                birthday: special_date(r, 3)?,
                anniversary: special_date(r, 8)?,
                open_complaints: r.get(13)?,
                last_satisfaction: r.get(14)?,
                last_visit: last.map(|l| json::<(String, String)>(&l)).transpose()?,
            })
        })
        .collect()
}

/// Anonymising a customer: the notes of their bookings are erased (what was booked, when
/// and how it went stay counted).
pub fn erase_for_customer<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<()> {
    db.into()
        .execute("UPDATE bookings SET notes = '' WHERE customer_id = ?1", &[&customer_id])?;
    Ok(())
}

/// Every booking with its customer's first phone, in date order (the export).
pub fn for_each_booking<'a>(db: impl Into<Db<'a>>, mut f: impl FnMut(Booking, String) -> Result<()>) -> Result<()> {
    let db = db.into();
    let first_phone = if db.is_server() {
        "c.phones::jsonb ->> 0"
    } else {
        "json_extract(c.phones, '$[0]')"
    };
    let sql = format!(
        "SELECT {COLS}, coalesce({first_phone}, '')
         FROM bookings b JOIN customers c ON c.id = b.customer_id
         ORDER BY b.start_date, b.start_time NULLS FIRST, b.id"
    );
    db.for_each(&sql, &[], |r| f(booking_from_row(r)?, r.get(21)?))
}

//! Customer SQL: one function per statement family, verb_noun, on either store ([`Db`]).

use crate::store::db::{self, Db};

use crate::error::{Error, Result};

use super::model::{Calendar, Customer, CustomerSummary, DateKind, HistoryEntry, SpecialDate, Tier};
use super::rules::ValidCustomer;
use super::search::{self, IndexEntry};
use crate::kernel::time::stored_date as parse_day;

/// The normalised search fields Rust writes beside a record.
pub struct SearchFields {
    pub search_text: String,
    pub search_other: String,
    pub name_key: String,
}

pub fn search_fields(c: &ValidCustomer) -> SearchFields {
    SearchFields {
        search_text: search::search_text(&c.name),
        search_other: search::search_other(&c.phones, &c.company, &c.tags, &c.notes, &c.wechat, &c.email),
        name_key: search::name_key(&c.name),
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(Error::internal)
}

/// A JSON column read back (a damaged one is an internal error naming what failed).
fn json_of<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| Error::Internal(format!("a stored JSON value does not read: {e}")))
}

/// Normalise every stored name again (after the normalisation changed: a newer FrontDesk
/// reads 曾 as zeng); returns how many rows changed.
pub fn renormalise_names<'a>(db: impl Into<Db<'a>>) -> Result<usize> {
    let db = db.into();
    let rows = db.query("SELECT id, name, search_text, name_key FROM customers", &[])?;
    let mut changed = 0;
    for r in rows {
        let (id, name, text, key): (i64, String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let (new_text, new_key) = (search::search_text(&name), search::name_key(&name));
        if new_text != text || new_key != key {
            db.execute(
                "UPDATE customers SET search_text = ?2, name_key = ?3 WHERE id = ?1",
                &[&id, &new_text, &new_key],
            )?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Erase everything that identifies a customer, irreversibly: the record keeps `label`,
/// its tier, source and dates of creation and contact (so it stays counted), and is
/// archived. Its special dates are deleted.
pub fn anonymise_customer<'a>(db: impl Into<Db<'a>>, id: i64, label: &str, now: &str) -> Result<()> {
    let db = db.into();
    let n = db.execute(
        "UPDATE customers SET name = ?2, phones = '[]', wechat = '', email = '', address = '', company = '',
            first_contact = '', tags = '[]', notes = '', preferences = '[]',
            search_text = ?3, search_other = '', name_key = ?4,
            archived_at = coalesce(archived_at, ?5), updated_at = ?5
         WHERE id = ?1",
        &[&id, &label, &search::search_text(label), &search::name_key(label), &now],
    )?;
    if n == 0 {
        return Err(Error::NotFound { entity: "customer", id });
    }
    db.execute("DELETE FROM special_dates WHERE customer_id = ?1", &[&id])?;
    Ok(())
}

/// Record a real contact on `day` (local date); an older date never replaces a newer one.
pub fn touch_last_contact<'a>(db: impl Into<Db<'a>>, customer_id: i64, day: &str) -> Result<()> {
    db.into().execute(
        "UPDATE customers SET last_contact_date = ?2
         WHERE id = ?1 AND (last_contact_date IS NULL OR last_contact_date < ?2)",
        &[&customer_id, &day],
    )?;
    Ok(())
}

/// The customer came on `day` (an arrival): the last visit moves forward, never back.
pub fn touch_last_visit<'a>(db: impl Into<Db<'a>>, customer_id: i64, day: &str) -> Result<()> {
    db.into().execute(
        "UPDATE customers SET last_visit_date = ?2
         WHERE id = ?1 AND (last_visit_date IS NULL OR last_visit_date < ?2)",
        &[&customer_id, &day],
    )?;
    Ok(())
}

/// Set the last visit again from the arrivals (a marked arrival was taken back).
pub fn refresh_last_visit<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<()> {
    db.into().execute(
        "UPDATE customers SET last_visit_date =
           (SELECT max(start_date) FROM bookings WHERE customer_id = ?1 AND state = 'arrived')
         WHERE id = ?1",
        &[&customer_id],
    )?;
    Ok(())
}

/// Set the last contact outright (demo data and imports of older records).
pub fn set_last_contact<'a>(db: impl Into<Db<'a>>, customer_id: i64, day: Option<&str>) -> Result<()> {
    db.into().execute(
        "UPDATE customers SET last_contact_date = ?2 WHERE id = ?1",
        &[&customer_id, &day],
    )?;
    Ok(())
}

/// A customer's name; with `active_only`, none for an archived customer.
pub fn get_name<'a>(db: impl Into<Db<'a>>, id: i64, active_only: bool) -> Result<Option<String>> {
    let sql = if active_only {
        "SELECT name FROM customers WHERE id = ?1 AND archived_at IS NULL"
    } else {
        "SELECT name FROM customers WHERE id = ?1"
    };
    db.into().query_opt(sql, &[&id])?.map(|r| r.get(0)).transpose()
}

/// A special date from five columns from `at` on (`calendar, year, month, day, leap_month`),
/// none when the calendar is NULL (a LEFT JOIN found none).
fn special_date_at(r: &db::Row, at: usize) -> Result<Option<SpecialDate>> {
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

/// Every special date of every customer not archived: `(customer, name, kind, date)`.
pub fn list_active_special_dates<'a>(db: impl Into<Db<'a>>) -> Result<Vec<(i64, String, DateKind, SpecialDate)>> {
    db.into()
        .query(
            "SELECT d.customer_id, c.name, d.kind, d.calendar, d.year, d.month, d.day, d.leap_month
             FROM special_dates d JOIN customers c ON c.id = d.customer_id WHERE c.archived_at IS NULL",
            &[],
        )?
        .iter()
        .map(|r| {
            let date =
                special_date_at(r, 3)?.ok_or_else(|| Error::Internal("a special date without a calendar".into()))?;
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, date))
        })
        .collect()
}

/// Insert a validated customer; returns its new id.
pub fn insert_customer<'a>(db: impl Into<Db<'a>>, c: &ValidCustomer, s: &SearchFields, now: &str) -> Result<i64> {
    let db = db.into();
    let id: i64 = db
        .insert(
            "INSERT INTO customers (name, phones, wechat, email, address, company, source, first_contact,
                tier, tags, notes, preferences, search_text, search_other, name_key, cadence_ideal_days, cadence_max_days,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?17, ?18, ?16, ?16)
             RETURNING id",
            &[
                &c.name,
                &json(&c.phones)?,
                &c.wechat,
                &c.email,
                &c.address,
                &c.company,
                &c.source,
                &c.first_contact,
                &c.tier,
                &json(&c.tags)?,
                &c.notes,
                &json(&c.preferences)?,
                &s.search_text,
                &s.search_other,
                &s.name_key,
                &now,
                &c.cadence_ideal_days,
                &c.cadence_max_days,
            ],
        )?;
    save_special_dates(db, id, c, false)?;
    Ok(id)
}

/// Overwrite a customer's fields; `NotFound` if there is no such customer.
pub fn update_customer<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    c: &ValidCustomer,
    s: &SearchFields,
    now: &str,
) -> Result<()> {
    let db = db.into();
    let n = db.execute(
        "UPDATE customers SET name = ?2, phones = ?3, wechat = ?4, email = ?5, address = ?6, company = ?7,
            source = ?8, first_contact = ?9, tier = ?10, tags = ?11, notes = ?12, preferences = ?13,
            search_text = ?14, search_other = ?15, name_key = ?16, updated_at = ?17,
            cadence_ideal_days = ?18, cadence_max_days = ?19
         WHERE id = ?1",
        &[
            &id,
            &c.name,
            &json(&c.phones)?,
            &c.wechat,
            &c.email,
            &c.address,
            &c.company,
            &c.source,
            &c.first_contact,
            &c.tier,
            &json(&c.tags)?,
            &c.notes,
            &json(&c.preferences)?,
            &s.search_text,
            &s.search_other,
            &s.name_key,
            &now,
            &c.cadence_ideal_days,
            &c.cadence_max_days,
        ],
    )?;
    if n == 0 {
        return Err(Error::NotFound { entity: "customer", id });
    }
    save_special_dates(db, id, c, true)
}

/// Bring the stored special dates to the customer's: rows that did not change are not
/// touched (the audit trail records only real changes). A new customer (`existing` false)
/// has none to remove.
fn save_special_dates(db: Db<'_>, id: i64, c: &ValidCustomer, existing: bool) -> Result<()> {
    for (kind, d) in [
        (DateKind::Birthday, &c.birthday),
        (DateKind::Anniversary, &c.anniversary),
    ] {
        match d {
            Some(d) => {
                db.execute(
                    "INSERT INTO special_dates (customer_id, kind, calendar, year, month, day, leap_month)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (customer_id, kind) DO UPDATE SET calendar = excluded.calendar,
                         year = excluded.year, month = excluded.month, day = excluded.day,
                         leap_month = excluded.leap_month
                     WHERE special_dates.calendar IS DISTINCT FROM excluded.calendar
                        OR special_dates.year IS DISTINCT FROM excluded.year
                        OR special_dates.month IS DISTINCT FROM excluded.month
                        OR special_dates.day IS DISTINCT FROM excluded.day
                        OR special_dates.leap_month IS DISTINCT FROM excluded.leap_month",
                    &[&id, &kind, &d.calendar, &d.year, &d.month, &d.day, &d.leap_month],
                )?;
            }
            None if existing => {
                db.execute(
                    "DELETE FROM special_dates WHERE customer_id = ?1 AND kind = ?2",
                    &[&id, &kind],
                )?;
            }
            None => {}
        }
    }
    Ok(())
}

/// Archive (`Some(time)`) or restore (`None`) a customer.
pub fn set_archived<'a>(db: impl Into<Db<'a>>, id: i64, archived_at: Option<&str>, now: &str) -> Result<()> {
    let n = db.into().execute(
        "UPDATE customers SET archived_at = ?2, updated_at = ?3 WHERE id = ?1",
        &[&id, &archived_at, &now],
    )?;
    if n == 0 {
        return Err(Error::NotFound { entity: "customer", id });
    }
    Ok(())
}

/// Append one entry to the customer's timeline.
pub fn add_event<'a>(db: impl Into<Db<'a>>, id: i64, at: &str, kind: &str, detail: &str) -> Result<()> {
    db.into().execute(
        "INSERT INTO customer_events (customer_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
        &[&id, &at, &kind, &detail],
    )?;
    Ok(())
}

const CUSTOMER_COLS: &str = "id, name, phones, wechat, email, address, company, source, first_contact, tier,
    tags, notes, preferences, archived_at, created_at, updated_at, cadence_ideal_days, cadence_max_days,
    last_contact_date,
    EXISTS (SELECT 1 FROM customer_events e WHERE e.customer_id = customers.id AND e.kind = 'anonymised')";

/// A customer from the columns of [`CUSTOMER_COLS`] (its special dates not yet filled in).
fn customer_of(r: &db::Row) -> Result<Customer> {
    Ok(Customer {
        id: r.get(0)?,
        name: r.get(1)?,
        phones: json_of(&r.get::<String>(2)?)?,
        wechat: r.get(3)?,
        email: r.get(4)?,
        address: r.get(5)?,
        company: r.get(6)?,
        source: r.get(7)?,
        first_contact: r.get(8)?,
        tier: r.get(9)?,
        tags: json_of(&r.get::<String>(10)?)?,
        notes: r.get(11)?,
        preferences: json_of(&r.get::<String>(12)?)?,
        birthday: None,
        anniversary: None,
        archived_at: r.get(13)?,
        created_at: r.get(14)?,
        updated_at: r.get(15)?,
        cadence_ideal_days: r.get(16)?,
        cadence_max_days: r.get(17)?,
        last_contact_date: r.get(18)?,
        anonymised: r.get(19)?,
    })
}

pub fn get_customer<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Customer> {
    let db = db.into();
    let sql = format!("SELECT {CUSTOMER_COLS} FROM customers WHERE id = ?1");
    let mut c = customer_of(
        &db.query_opt(&sql, &[&id])?
            .ok_or(Error::NotFound { entity: "customer", id })?,
    )?;
    for r in db.query(
        "SELECT kind, calendar, year, month, day, leap_month FROM special_dates WHERE customer_id = ?1",
        &[&id],
    )? {
        let date = special_date_at(&r, 1)?;
        match r.get::<DateKind>(0)? {
            DateKind::Birthday => c.birthday = date,
            DateKind::Anniversary => c.anniversary = date,
        }
    }
    Ok(c)
}

/// The customer's timeline, newest first.
pub fn list_history<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Vec<HistoryEntry>> {
    db.into()
        .query(
            "SELECT at, kind, detail FROM customer_events WHERE customer_id = ?1 ORDER BY at DESC, id DESC",
            &[&id],
        )?
        .iter()
        .map(|r| {
            Ok(HistoryEntry {
                at: r.get(0)?,
                kind: r.get(1)?,
                detail: r.get(2)?,
            })
        })
        .collect()
}

/// List rows for the given ids, in the order given.
pub fn list_summaries<'a>(db: impl Into<Db<'a>>, ids: &[i64]) -> Result<Vec<CustomerSummary>> {
    let db = db.into();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(r) = db.query_opt(
            "SELECT id, name, tier, phones, company, tags, archived_at IS NOT NULL, updated_at, last_contact_date,
                (SELECT min(due_date) FROM visits v WHERE v.customer_id = customers.id AND v.state = 'planned')
             FROM customers WHERE id = ?1",
            &[id],
        )?
        else {
            continue;
        };
        let phones: Vec<String> = json_of(&r.get::<String>(3)?)?;
        out.push(CustomerSummary {
            id: r.get(0)?,
            name: r.get(1)?,
            tier: r.get(2)?,
            phone: phones.into_iter().next(),
            company: r.get(4)?,
            tags: json_of(&r.get::<String>(5)?)?,
            archived: r.get(6)?,
            updated_at: r.get(7)?,
            last_contact_date: r.get(8)?,
            next_visit_date: r.get(9)?,
        });
    }
    Ok(out)
}

/// An index entry from a row of [`INDEX_COLS`], its texts moved out (every customer is read
/// at start-up).
fn index_entry_from_row(r: &mut db::Row) -> Result<IndexEntry> {
    let tags: Vec<String> = json_of(&r.take::<String>(3)?)?;
    Ok(IndexEntry {
        id: r.get(0)?,
        tier: r.get::<Tier>(1)?,
        archived: r.get(2)?,
        tags: tags.iter().map(|t| t.to_lowercase()).collect(),
        name_key: r.take(4)?,
        updated_at: r.take(5)?,
        search_text: r.take(6)?,
        search_other: r.take(7)?,
        created_date: local_date_of(&r.take::<String>(8)?),
        last_contact: r.take::<Option<String>>(9)?.and_then(|d| parse_day(&d)),
        next_visit: r.take::<Option<String>>(10)?.and_then(|d| parse_day(&d)),
        cadence_ideal_days: r.get(11)?,
        cadence_max_days: r.get(12)?,
        lost: r.get(13)?,
        last_visit: r.take::<Option<String>>(14)?.and_then(|d| parse_day(&d)),
    })
}

/// The local date of a stored UTC timestamp.
pub fn local_date_of(ts: &str) -> chrono::NaiveDate {
    chrono::DateTime::parse_from_rfc3339(ts)
        .map(|t| t.with_timezone(&chrono::Local).date_naive())
        .unwrap_or_default()
}

const INDEX_COLS: &str = "id, tier, archived_at IS NOT NULL, tags, name_key, updated_at, search_text, search_other,
    created_at, last_contact_date,
    (SELECT min(due_date) FROM visits v WHERE v.customer_id = customers.id AND v.state = 'planned'),
    cadence_ideal_days, cadence_max_days,
    EXISTS (SELECT 1 FROM churn c WHERE c.customer_id = customers.id AND c.won_back_on IS NULL),
    last_visit_date";

/// The customer index, every customer read in one streamed statement (at start-up).
pub fn load_index<'a>(db: impl Into<Db<'a>>) -> Result<search::CustomerIndex> {
    let mut index = search::IndexBuilder::default();
    db.into()
        .for_each(&format!("SELECT {INDEX_COLS} FROM customers ORDER BY id"), &[], |r| {
            index.push(index_entry_from_row(r)?);
            Ok(())
        })?;
    Ok(index.finish())
}

pub fn get_index_entry<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<IndexEntry> {
    let mut r = db
        .into()
        .query_opt(&format!("SELECT {INDEX_COLS} FROM customers WHERE id = ?1"), &[&id])?
        .ok_or(Error::NotFound { entity: "customer", id })?;
    index_entry_from_row(&mut r)
}

/// How many customer records there are, archived ones included.
pub fn count_customers<'a>(db: impl Into<Db<'a>>) -> Result<i64> {
    let n = db.into().count("SELECT count(*) FROM customers", &[])?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Every customer's phones, as typed (`(id, phones)`), for finding the same number again.
pub fn list_phones<'a>(db: impl Into<Db<'a>>) -> Result<Vec<(i64, Vec<String>)>> {
    db.into()
        .query("SELECT id, phones FROM customers WHERE phones <> '[]' ORDER BY id", &[])?
        .iter()
        .map(|r| Ok((r.get(0)?, json_of(&r.get::<String>(1)?)?)))
        .collect()
}

/// Delete customers outright: only an undone import does, for customers it created and
/// nothing has touched since. Their special dates and timeline go with them.
pub fn delete_customers<'a>(db: impl Into<Db<'a>>, ids: &[i64]) -> Result<()> {
    let db = db.into();
    for id in ids {
        db.execute("DELETE FROM customers WHERE id = ?1", &[id])?;
    }
    Ok(())
}

/// Columns after [`CUSTOMER_COLS`]: the birthday's and the anniversary's, each
/// `calendar, year, month, day, leap_month` (all null when there is none).
const DATE_COLS: &str = ", b.calendar, b.year, b.month, b.day, b.leap_month,
    a.calendar, a.year, a.month, a.day, a.leap_month";
const WITH_DATES: &str = "FROM customers
    LEFT JOIN special_dates b ON b.customer_id = customers.id AND b.kind = 'birthday'
    LEFT JOIN special_dates a ON a.customer_id = customers.id AND a.kind = 'anniversary'";

/// A customer with its special dates from a row of `CUSTOMER_COLS` and `DATE_COLS`.
fn customer_with_dates(r: &db::Row) -> Result<Customer> {
    let mut c = customer_of(r)?;
    c.birthday = special_date_at(r, 20)?;
    c.anniversary = special_date_at(r, 25)?;
    Ok(c)
}

/// How many ids one `IN (…)` statement takes.
const IDS_PER_STATEMENT: usize = 500;

/// Hand every customer with its special dates to `f`, one statement streaming rows: all of
/// them in id order (archived ones too) when `ids` is `None`, else those ids in the order
/// given (read in chunks; an id that does not exist is skipped).
pub fn for_each_customer<'a>(
    db: impl Into<Db<'a>>,
    ids: Option<&[i64]>,
    mut f: impl FnMut(Customer) -> Result<()>,
) -> Result<()> {
    let db = db.into();
    let Some(ids) = ids else {
        return db.for_each(
            &format!("SELECT {CUSTOMER_COLS}{DATE_COLS} {WITH_DATES} ORDER BY customers.id"),
            &[],
            |r| f(customer_with_dates(r)?),
        );
    };
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let marks = vec!["?"; chunk.len()].join(",");
        let params: Vec<&dyn db::Param> = chunk.iter().map(|id| id as &dyn db::Param).collect();
        let mut found = std::collections::HashMap::new();
        for r in db.query(
            &format!("SELECT {CUSTOMER_COLS}{DATE_COLS} {WITH_DATES} WHERE customers.id IN ({marks})"),
            &params,
        )? {
            let c = customer_with_dates(&r)?;
            found.insert(c.id, c);
        }
        for id in chunk {
            if let Some(c) = found.remove(id) {
                f(c)?;
            }
        }
    }
    Ok(())
}

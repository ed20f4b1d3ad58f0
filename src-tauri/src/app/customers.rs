//! Customer actions of the command layer: validate, write in one transaction, keep the index true.

use chrono::{Datelike, NaiveDate};

use super::App;
use crate::error::{Error, Result};

use crate::customers::model::{
    Customer, CustomerInput, DateKind, DatedOccasion, HistoryEntry, ListQuery, Page, TagCount,
};
use crate::customers::rules::{self, ValidCustomer};
use crate::customers::search::{IndexEntry, QueryContext};
use crate::customers::{dates, repo};
use serde::Serialize;

/// Everything the detail page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerDetail {
    pub customer: Customer,
    pub occasions: Vec<DatedOccasion>,
    pub history: Vec<HistoryEntry>,
    /// Return visits: planned ones first (soonest first), then done and cancelled (newest first).
    pub visits: Vec<crate::visits::Visit>,
    /// Complaints: open ones first, then newest first.
    pub complaints: Vec<crate::complaints::Complaint>,
    /// Attempts that did not reach the customer, reschedules and corrections, newest first.
    pub visit_events: Vec<crate::visits::CustomerVisitEvent>,
    /// Losses (客户流失), newest first: the first is open while the customer is lost.
    pub churn: Vec<crate::churn::ChurnEntry>,
    /// Bookings and walk-ins (到店), newest first.
    pub bookings: Vec<crate::arrivals::Booking>,
}

/// Rows per page when the query does not say.
pub const DEFAULT_PAGE: usize = 50;
/// The most rows one page may ask for.
pub const MAX_PAGE: usize = 500;

impl App {
    pub fn create_customer(&self, input: &CustomerInput) -> Result<Customer> {
        let v = rules::validate(input)?;
        let s = repo::search_fields(&v);
        let now = self.now_ts();
        let id = self.write(|tx, ch| {
            let id = repo::insert_customer(tx, &v, &s, &now)?;
            repo::add_event(tx, id, &now, "created", "")?;
            ch.customer(id);
            Ok(id)
        })?;
        self.get_customer(id)
    }

    pub fn update_customer(&self, id: i64, input: &CustomerInput) -> Result<Customer> {
        self.update_customer_as(id, input, None, super::WriteAs::default())
    }

    /// Save the form's `input` over the record the form read, version `seen` (its
    /// `updated_at`): when it was saved elsewhere since (another desk), nothing is written
    /// and [`Error::Changed`] says who and when; `None` writes over whatever is there.
    pub fn update_customer_seen(&self, id: i64, input: &CustomerInput, seen: Option<&str>) -> Result<Customer> {
        self.update_customer_as(id, input, seen, super::WriteAs::default())
    }

    pub(super) fn update_customer_as(
        &self,
        id: i64,
        input: &CustomerInput,
        seen: Option<&str>,
        how: super::WriteAs,
    ) -> Result<Customer> {
        let v = rules::validate(input)?;
        let s = repo::search_fields(&v);
        let now = self.now_ts();
        self.write_as(how, |tx, ch| {
            let old = repo::get_customer(tx, id)?;
            if old.anonymised {
                return Err(Error::state("customer_anonymised", "this customer was anonymised"));
            }
            if let Some(seen) = seen.filter(|s| *s != old.updated_at) {
                return Err(changed_since(tx, id, seen, &old.updated_at));
            }
            let changed = changed_fields(&old, &v);
            if changed.is_empty() {
                return Ok(changed);
            }
            repo::update_customer(tx, id, &v, &s, &now)?;
            repo::add_event(tx, id, &now, "updated", &changed.join(","))?;
            ch.customer(id);
            Ok(changed)
        })?;
        self.get_customer(id)
    }

    /// Hide a customer from lists; the record and its history stay.
    pub fn archive_customer(&self, id: i64) -> Result<Customer> {
        self.set_archived(id, true)
    }

    pub fn restore_customer(&self, id: i64) -> Result<Customer> {
        self.set_archived(id, false)
    }

    fn set_archived(&self, id: i64, archive: bool) -> Result<Customer> {
        let now = self.now_ts();
        self.write(|tx, ch| {
            let c = repo::get_customer(tx, id)?;
            ch.customer(id);
            if c.archived_at.is_some() == archive {
                return Ok(());
            }
            repo::set_archived(tx, id, archive.then_some(now.as_str()), &now)?;
            repo::add_event(tx, id, &now, if archive { "archived" } else { "restored" }, "")
        })?;
        self.get_customer(id)
    }

    /// Forget a customer on request: identity, contact, preferences, notes and special
    /// dates are erased irreversibly (also from reminder texts and from freed database
    /// pages); the record keeps an opaque label and stays counted in every statistic.
    pub fn anonymise_customer(&self, id: i64) -> Result<Customer> {
        let now = self.now_ts();
        let label = format!("#{id}");
        self.write_as(super::WriteAs::because("anonymise"), |tx, ch| {
            let c = repo::get_customer(tx, id)?;
            if c.anonymised {
                return Err(Error::state(
                    "customer_anonymised",
                    "this customer was already anonymised",
                ));
            }
            repo::anonymise_customer(tx, id, &label, &now)?;
            crate::reminders::repo::rename_in_reminders(tx, id, &label)?;
            crate::churn::repo::erase_for_customer(tx, id)?;
            crate::arrivals::repo::erase_for_customer(tx, id)?;
            repo::add_event(tx, id, &now, "anonymised", "")?;
            // The trail keeps that the fields changed, not what they held.
            crate::audit::repo::erase_customer(tx, id)?;
            ch.customer(id);
            Ok(())
        })?;
        // Old versions of the erased text may still sit in the write-ahead log: fold it into
        // the database (whose freed pages secure_delete has zeroed) and empty it. (The shared
        // database's own upkeep is its administrator's.)
        if !self.is_shared() {
            self.conn()?
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        self.get_customer(id)
    }

    pub fn get_customer(&self, id: i64) -> Result<Customer> {
        repo::get_customer(self.held()?.db(), id)
    }

    /// The detail page: the record, its special dates with this year's day, its timeline.
    pub fn customer_detail(&self, id: i64, today: NaiveDate) -> Result<CustomerDetail> {
        let held = self.held()?;
        let conn = held.db();
        let customer = repo::get_customer(conn, id)?;
        let history = repo::list_history(conn, id)?;
        let visits = crate::visits::repo::list_customer_visits(conn, id)?;
        let complaints = crate::complaints::repo::list_for_customer(conn, id, self.now_local())?;
        let visit_events = crate::visits::repo::list_customer_visit_events(conn, id)?;
        let churn = crate::churn::repo::list_for_customer(conn, id)?;
        drop(held);
        let bookings = self.customer_bookings(id)?;
        let occasions = [
            (DateKind::Birthday, customer.birthday),
            (DateKind::Anniversary, customer.anniversary),
        ]
        .into_iter()
        .filter_map(|(kind, d)| d.map(|d| (kind, d)))
        .map(|(kind, date)| DatedOccasion {
            kind,
            date,
            this_year: dates::occurrence_in(&date, today.year()).map(crate::kernel::time::format_date),
        })
        .collect();
        Ok(CustomerDetail {
            customer,
            occasions,
            history,
            visits,
            complaints,
            visit_events,
            churn,
            bookings,
        })
    }

    /// One page of the customer list: search, filters, sort.
    pub fn list_customers(&self, q: &ListQuery) -> Result<Page> {
        let limit = q.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
        let ctx = self.query_context()?;
        let booked;
        let q = if q.booked_today {
            booked = ListQuery {
                only_ids: Some(self.booked_today_ids()?),
                ..q.clone()
            };
            &booked
        } else {
            q
        };
        let hits = self.customer_index()?.query(q, limit, &ctx);
        let items = repo::list_summaries(self.held()?.db(), &hits.ids)?;
        Ok(Page {
            total: hits.total,
            offset: q.offset,
            items,
        })
    }

    pub fn customer_tags(&self) -> Result<Vec<TagCount>> {
        Ok(self.customer_index()?.tags())
    }

    pub fn count_customers(&self) -> Result<usize> {
        Ok(self.customer_index()?.len())
    }

    /// Insert many customers in one transaction (demo data, bench, imports).
    pub fn insert_customers(&self, inputs: &[CustomerInput]) -> Result<Vec<i64>> {
        self.insert_customers_into(inputs, false)
    }

    /// [`insert_customers`](Self::insert_customers); with `only_if_empty`, the emptiness
    /// check is inside the same transaction, so two racing calls cannot both insert.
    fn insert_customers_into(&self, inputs: &[CustomerInput], only_if_empty: bool) -> Result<Vec<i64>> {
        let valid: Vec<ValidCustomer> = inputs.iter().map(rules::validate).collect::<Result<_>>()?;
        let now = self.now_ts();
        self.write_as(super::WriteAs::bulk(), |tx, ch| {
            crate::audit::repo::add_bulk(tx, crate::audit::RecordKind::Customer, valid.len())?;
            if only_if_empty && repo::count_customers(tx)? > 0 {
                return Err(Error::Conflict(
                    "demo data is only loaded into an empty database".into(),
                ));
            }
            let mut entries = Vec::with_capacity(valid.len());
            for v in &valid {
                let s = repo::search_fields(v);
                let id = repo::insert_customer(tx, v, &s, &now)?;
                repo::add_event(tx, id, &now, "created", "")?;
                entries.push(new_index_entry(id, v, s, &now));
            }
            let ids = entries.iter().map(|e| e.id).collect();
            ch.new_customers(entries);
            Ok(ids)
        })
    }

    /// Load the demo customers into an empty database.
    pub fn seed_demo(&self) -> Result<usize> {
        let ids = self.insert_customers_into(&crate::seed::demo_customers(), true)?;
        self.seed_demo_visits(&ids)?;
        self.seed_demo_complaints(&ids)?;
        self.seed_demo_bookings(&ids)?;
        Ok(ids.len())
    }

    /// The local day and cadences the customer index needs for a query.
    pub(super) fn query_context(&self) -> Result<QueryContext> {
        Ok(QueryContext {
            today: self.today(),
            cadences: self.cadences()?,
        })
    }
}

/// The index entry of a customer just inserted (bulk writes add them without reading back).
pub(super) fn new_index_entry(id: i64, v: &ValidCustomer, s: repo::SearchFields, now: &str) -> IndexEntry {
    IndexEntry {
        id,
        tier: v.tier,
        archived: false,
        tags: v.tags.iter().map(|t| t.to_lowercase()).collect(),
        name_key: s.name_key,
        updated_at: now.to_string(),
        search_text: s.search_text,
        search_other: s.search_other,
        created_date: repo::local_date_of(now),
        last_contact: None,
        next_visit: None,
        last_visit: None,
        cadence_ideal_days: v.cadence_ideal_days,
        cadence_max_days: v.cadence_max_days,
        lost: false,
    }
}

/// A stored record as a form would send it (to fill, compare or put back).
pub(super) fn input_of(c: &Customer) -> CustomerInput {
    CustomerInput {
        name: c.name.clone(),
        phones: c.phones.clone(),
        wechat: c.wechat.clone(),
        email: c.email.clone(),
        address: c.address.clone(),
        company: c.company.clone(),
        source: Some(c.source),
        first_contact: c.first_contact.clone(),
        tier: Some(c.tier),
        tags: c.tags.clone(),
        notes: c.notes.clone(),
        preferences: c.preferences.clone(),
        birthday: c.birthday,
        anniversary: c.anniversary,
        cadence_ideal_days: c.cadence_ideal_days,
        cadence_max_days: c.cadence_max_days,
    }
}

/// Names of the fields that differ between the stored record and the new values.
pub(super) fn changed_fields(old: &Customer, v: &ValidCustomer) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |name: &'static str, same: bool| {
        if !same {
            out.push(name);
        }
    };
    check("name", old.name == v.name);
    check("phones", old.phones == v.phones);
    check("wechat", old.wechat == v.wechat);
    check("email", old.email == v.email);
    check("address", old.address == v.address);
    check("company", old.company == v.company);
    check("source", old.source == v.source);
    check("first_contact", old.first_contact == v.first_contact);
    check("tier", old.tier == v.tier);
    check("tags", old.tags == v.tags);
    check("notes", old.notes == v.notes);
    check("preferences", old.preferences == v.preferences);
    check("birthday", old.birthday == v.birthday);
    check("anniversary", old.anniversary == v.anniversary);
    check(
        "cadence",
        old.cadence_ideal_days == v.cadence_ideal_days && old.cadence_max_days == v.cadence_max_days,
    );
    out
}

/// Who saved the customer `id` after version `seen`, where and when: the trail's latest
/// change to it (the desk, and the person at it if one was chosen); `current` is its
/// version now.
fn changed_since(db: crate::store::db::Db<'_>, id: i64, seen: &str, current: &str) -> Error {
    let filter = crate::audit::AuditFilter {
        kind: Some(crate::audit::RecordKind::Customer),
        record_id: Some(id.to_string()),
        from_ts: Some(seen.to_string()),
        limit: 1,
        ..Default::default()
    };
    let latest = crate::audit::repo::list_entries(db, &filter)
        .ok()
        .and_then(|(_, e)| e.into_iter().next());
    Error::Changed {
        by: latest.as_ref().map(|e| e.staff.clone()).unwrap_or_default(),
        desk: latest.as_ref().map(|e| e.desk.clone()).unwrap_or_default(),
        at: latest.map_or_else(|| current.to_string(), |e| e.at),
        updated_at: current.to_string(),
    }
}

//! The audit trail seen from the window: who is at the desk, a record's history, the
//! manager's filterable log, and putting a customer field back to an earlier value.

use crate::store::db::Value;

use super::customers::input_of;
use super::{App, DeskStaff, WriteAs};
use crate::audit::{repo, Action, AuditEntry, AuditFilter, AuditPage, AuditQuery, RecordKind};
use crate::customers::model::{CustomerInput, Preference, Source, SpecialDate, Tier};
use crate::customers::Customer;
use crate::error::{Error, FieldError, Result};
use crate::kernel::time::{local_to_ts, parse_date};

/// Rows per page of the audit log when the query does not say, and the most it may ask.
pub const AUDIT_PAGE: usize = 100;
pub const AUDIT_MAX_PAGE: usize = 1000;

/// Customer fields that can be put back from their history.
pub const REVERTIBLE: &[&str] = &[
    "name",
    "phones",
    "wechat",
    "email",
    "address",
    "company",
    "source",
    "first_contact",
    "tier",
    "tags",
    "notes",
    "preferences",
    "cadence_ideal_days",
    "cadence_max_days",
    "birthday",
    "anniversary",
];

impl App {
    /// Who is at the desk (`""` when nobody was chosen).
    pub fn desk_staff(&self) -> Result<String> {
        Ok(self.setting::<DeskStaff>()?.0)
    }

    /// Say who is at the desk; later changes are recorded under this name.
    pub fn set_desk_staff(&self, staff: &str) -> Result<String> {
        Ok(self.save_setting(&DeskStaff(staff.trim().to_string()), |_| Ok(()))?.0)
    }

    /// The audit trail, newest first, filtered by record kind, record, customer, staff and
    /// local days.
    pub fn audit_log(&self, q: &AuditQuery) -> Result<AuditPage> {
        let mut errors = Vec::new();
        let mut bound = |field: &'static str, s: &Option<String>, next_day: bool| -> Option<String> {
            let s = s.as_deref().filter(|s| !s.trim().is_empty())?;
            match parse_date(s.trim()) {
                Ok(d) => {
                    let d = if next_day { d.succ_opt().unwrap_or(d) } else { d };
                    d.and_hms_opt(0, 0, 0).map(local_to_ts)
                }
                Err(code) => {
                    errors.push(FieldError::new(field, code));
                    None
                }
            }
        };
        let from_ts = bound("from", &q.from, false);
        let to_ts = bound("to", &q.to, true);
        if let (Some(f), Some(t)) = (&from_ts, &to_ts) {
            if f >= t {
                errors.push(FieldError::new("to", "before_start"));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let filter = AuditFilter {
            kind: q.kind,
            record_id: q.record_id.clone().filter(|s| !s.is_empty()),
            customer_id: q.customer_id,
            staff: q.staff.clone(),
            from_ts,
            to_ts,
            offset: q.offset,
            limit: q.limit.unwrap_or(AUDIT_PAGE).clamp(1, AUDIT_MAX_PAGE),
        };
        let (total, entries) = repo::list_entries(self.held()?.db(), &filter)?;
        Ok(AuditPage { total, entries })
    }

    /// Put a customer's field back to the value it had before the change `entry_id`
    /// recorded. The put-back is itself a change, recorded with the reason `revert:<id>`.
    pub fn revert_audit_entry(&self, entry_id: i64) -> Result<Customer> {
        let (entry, old) = {
            let held = self.held()?;
            let conn = held.db();
            (repo::get_entry(conn, entry_id)?, repo::get_old_value(conn, entry_id)?)
        };
        let field = revertible(&entry)?;
        let id: i64 = entry
            .record_id
            .parse()
            .map_err(|_| Error::state("not_revertible", "this entry is not about a customer field"))?;
        let current = self.get_customer(id)?;
        if current.anonymised {
            return Err(Error::state("customer_anonymised", "this customer was anonymised"));
        }
        let mut input = input_of(&current);
        set_field(&mut input, field, old)?;
        self.update_customer_as(id, &input, None, WriteAs::because(format!("revert:{entry_id}")))
    }
}

/// The field an entry may be reverted on, or why not.
fn revertible(e: &AuditEntry) -> Result<&str> {
    let not = || Error::state("not_revertible", "only a change to a customer's field can be put back");
    if e.erased {
        return Err(Error::state("audit_erased", "the values of this entry were erased"));
    }
    if e.kind != RecordKind::Customer || e.action != Action::Update {
        return Err(not());
    }
    match e.field.as_deref() {
        Some(f) if REVERTIBLE.contains(&f) => Ok(f),
        _ => Err(not()),
    }
}

/// Set one field of `input` from its stored value.
fn set_field(input: &mut CustomerInput, field: &str, v: Value) -> Result<()> {
    let damaged = || Error::state("audit_value_damaged", "the recorded value cannot be read back");
    let text = |v: &Value| match v {
        Value::Text(t) => Ok(t.clone()),
        Value::Null => Ok(String::new()),
        _ => Err(damaged()),
    };
    let json = |v: &Value| -> Result<Option<String>> {
        match v {
            Value::Text(t) => Ok(Some(t.clone())),
            Value::Null => Ok(None),
            _ => Err(damaged()),
        }
    };
    let days = |v: &Value| match v {
        Value::Int(i) => u32::try_from(*i).map(Some).map_err(|_| damaged()),
        Value::Null => Ok(None),
        _ => Err(damaged()),
    };
    let list = |v: &Value| -> Result<Vec<String>> {
        json(v)?.map_or(Ok(Vec::new()), |t| serde_json::from_str(&t).map_err(|_| damaged()))
    };
    let date = |v: &Value| -> Result<Option<SpecialDate>> {
        json(v)?.map_or(Ok(None), |t| serde_json::from_str(&t).map(Some).map_err(|_| damaged()))
    };
    match field {
        "name" => input.name = text(&v)?,
        "wechat" => input.wechat = text(&v)?,
        "email" => input.email = text(&v)?,
        "address" => input.address = text(&v)?,
        "company" => input.company = text(&v)?,
        "first_contact" => input.first_contact = text(&v)?,
        "notes" => input.notes = text(&v)?,
        "phones" => input.phones = list(&v)?,
        "tags" => input.tags = list(&v)?,
        "preferences" => {
            input.preferences = json(&v)?.map_or(Ok(Vec::<Preference>::new()), |t| {
                serde_json::from_str(&t).map_err(|_| damaged())
            })?
        }
        "source" => input.source = Some(Source::parse(&text(&v)?).ok_or_else(damaged)?),
        "tier" => input.tier = Some(Tier::parse(&text(&v)?).ok_or_else(damaged)?),
        "cadence_ideal_days" => input.cadence_ideal_days = days(&v)?,
        "cadence_max_days" => input.cadence_max_days = days(&v)?,
        "birthday" => input.birthday = date(&v)?,
        "anniversary" => input.anniversary = date(&v)?,
        _ => return Err(Error::state("not_revertible", "this field cannot be put back")),
    }
    Ok(())
}

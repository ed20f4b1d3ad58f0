//! Churn actions: mark a customer lost, win them back, the register, the reasons list.

use super::App;
use crate::churn::{repo, rules, ChurnEntry, ChurnInput, ChurnPage, ChurnQuery, Reason, WinBackInput};
use crate::error::{Error, FieldError, Result};
use crate::kernel::time::{format_date, stored_date};

/// Rows per page of the register when the query does not say, and the most it may ask.
pub const CHURN_PAGE: usize = 100;
pub const MAX_CHURN_PAGE: usize = 500;

impl App {
    pub fn churn_reasons(&self) -> Result<Vec<Reason>> {
        repo::list_reasons(self.held()?.db())
    }

    /// Add or rename a reason, or archive it (it stays on the losses that name it).
    pub fn save_churn_reason(&self, r: &Reason) -> Result<Vec<Reason>> {
        let name = r.name.trim();
        if name.is_empty() {
            return Err(Error::Invalid(vec![FieldError::new("name", "required")]));
        }
        let mut errors = Vec::new();
        crate::error::check_len(&mut errors, "name", name, rules::MAX_REASON);
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        self.write(|tx, _| repo::save_reason(tx, r))?;
        self.churn_reasons()
    }

    /// Mark a customer lost: recorded on their timeline and in the audit trail; they leave
    /// keep-in-touch (the list, the filters, and pending keep-in-touch reminders).
    pub fn mark_lost(&self, customer_id: i64, input: &ChurnInput) -> Result<ChurnEntry> {
        let v = rules::validate(input, self.today())?;
        let now = self.now_ts();
        self.write(|tx, ch| {
            crate::customers::repo::get_customer(tx, customer_id)?;
            if let Some(id) = v.reason_id {
                if !repo::reason_exists(tx, id)? {
                    return Err(Error::Invalid(vec![FieldError::new("reason_id", "invalid_choice")]));
                }
            }
            repo::insert_churn(tx, customer_id, &v, &now)?;
            crate::customers::repo::add_event(tx, customer_id, &now, "lost", v.churn_type.as_str())?;
            crate::reminders::repo::dismiss_pending_for_customer(
                tx,
                customer_id,
                crate::reminders::ReminderKind::KeepInTouch,
                &now,
            )?;
            ch.customer(customer_id);
            Ok(())
        })?;
        self.open_loss(customer_id)
    }

    /// End a customer's loss: won back on a day (counted as a win-back).
    pub fn win_back(&self, customer_id: i64, input: &WinBackInput) -> Result<ChurnEntry> {
        let today = self.today();
        let now = self.now_ts();
        let id = self.write(|tx, ch| {
            let open = repo::get_open(tx, customer_id)?
                .ok_or_else(|| Error::state("customer_not_lost", "this customer is not marked lost"))?;
            let lost_on = stored_date(&open.lost_on)
                .ok_or_else(|| Error::Internal(format!("a stored loss date is damaged: {}", open.lost_on)))?;
            let (on, note, staff) = rules::validate_win_back(input, lost_on, today)?;
            repo::set_won_back(tx, open.id, &format_date(on), &note, &staff, &now)?;
            crate::customers::repo::add_event(tx, customer_id, &now, "won_back", "")?;
            ch.customer(customer_id);
            Ok(open.id)
        })?;
        self.customer_churn(customer_id)?
            .into_iter()
            .find(|e| e.id == id)
            .ok_or(Error::NotFound { entity: "churn", id })
    }

    fn open_loss(&self, customer_id: i64) -> Result<ChurnEntry> {
        repo::get_open(self.held()?.db(), customer_id)?.ok_or(Error::NotFound {
            entity: "churn",
            id: customer_id,
        })
    }

    /// Every loss of a customer, newest first (the open one, if any, first).
    pub fn customer_churn(&self, customer_id: i64) -> Result<Vec<ChurnEntry>> {
        repo::list_for_customer(self.held()?.db(), customer_id)
    }

    /// The register of losses, filtered by type, reason and period.
    pub fn churn_register(&self, q: &ChurnQuery) -> Result<ChurnPage> {
        let mut errors = Vec::new();
        for (field, v) in [("from", &q.from), ("to", &q.to)] {
            if let Some(d) = v.as_deref().filter(|d| !d.is_empty()) {
                if let Err(code) = crate::kernel::time::parse_date(d) {
                    errors.push(FieldError::new(field, code));
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let q = ChurnQuery {
            from: q.from.clone().filter(|d| !d.is_empty()),
            to: q.to.clone().filter(|d| !d.is_empty()),
            ..q.clone()
        };
        let limit = q.limit.unwrap_or(CHURN_PAGE).clamp(1, MAX_CHURN_PAGE);
        let (total, items) = repo::list_churn(self.held()?.db(), &q, limit)?;
        Ok(ChurnPage { total, items })
    }
}

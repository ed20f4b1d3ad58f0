//! Visit actions of the command layer: every change is one transaction and a log line, and
//! the customer index learns the new next visit and last contact.

use chrono::{Days, NaiveDate, NaiveTime};
use serde::Serialize;

use super::App;
use crate::customers::repo as customer_repo;
use crate::error::{check_len, Error, FieldError, Result};
use crate::kernel::time::{format_date as day, format_time as hhmm, stored_date};

use crate::visits::model::{
    Agenda, CalendarDay, Channel, DueContact, FollowupPlan, OutcomeCorrection, OutcomeInput, OutlineTemplate, Purpose,
    Retry, TierCadences, Visit, VisitInput, VisitLogEntry, VisitState,
};
use crate::visits::repo::{self, Completion, NewVisit};
use crate::visits::rules;

/// Rows the agenda shows per group.
pub const AGENDA_LIMIT: usize = 200;

/// What recording an outcome did: the visit, and the visits it scheduled.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeResult {
    pub visit: Visit,
    pub scheduled: Vec<Visit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitCounts {
    pub overdue: usize,
    pub today: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DueContacts {
    pub total: usize,
    pub items: Vec<DueContact>,
}

/// The UTC instant of a local date and time; `None` for all-day (the kernel's one rule for
/// a time skipped by a daylight-saving change).
fn due_at(date: NaiveDate, time: Option<NaiveTime>) -> Option<String> {
    time.map(|t| crate::kernel::time::local_to_ts(date.and_time(t)))
}

fn state_error(v: &Visit) -> Error {
    match v.state {
        VisitState::Cancelled => Error::state("visit_cancelled", "this visit was cancelled"),
        VisitState::Done => Error::state("visit_done", "this visit is already done; correct its outcome instead"),
        VisitState::Planned => Error::state("visit_planned", "this visit has no outcome yet"),
    }
}

impl App {
    /// Plan a visit for a customer.
    pub fn plan_visit(&self, input: &VisitInput) -> Result<Visit> {
        let v = rules::validate_visit(input)?;
        let at = due_at(v.due_date, v.due_time);
        let now = self.now_ts();
        let id = self.write(|tx, ch| {
            let c = customer_repo::get_customer(tx, v.customer_id)?;
            ch.customer(v.customer_id);
            if c.archived_at.is_some() {
                return Err(Error::state(
                    "customer_archived",
                    "the customer is archived; restore them first",
                ));
            }
            let row = NewVisit {
                due_time: v.due_time.map(hhmm),
                due_at: at.clone(),
                outline: v.outline.clone(),
                staff: v.staff.clone(),
                repeat: v.repeat,
                repeat_anchor: v.repeat.map(|_| day(v.due_date)),
                ..NewVisit::new(v.customer_id, v.channel, v.purpose, day(v.due_date))
            };
            let id = repo::insert_visit(tx, &row, &now)?;
            repo::add_visit_log(tx, id, &now, "planned", "")?;
            Ok(id)
        })?;
        self.get_visit(id)
    }

    pub fn get_visit(&self, id: i64) -> Result<Visit> {
        repo::get_visit(self.held()?.db(), id)
    }

    /// Record what happened: not reached (and when to try again), or reached with notes,
    /// satisfaction and a next step. Reaching the customer restarts the cadence clock and
    /// schedules what follows: the next occurrence, the next plan step, the next visit asked for.
    pub fn record_outcome(&self, id: i64, o: &OutcomeInput) -> Result<OutcomeResult> {
        let now_local = self.now_local();
        let today = now_local.date();
        rules::validate_outcome(o, today)?;
        let now = self.now_ts();
        let scheduled = self.write(|tx, ch| {
            let v = repo::get_visit(tx, id)?;
            if v.state != VisitState::Planned {
                return Err(state_error(&v));
            }
            ch.customer(v.customer_id);
            let detail = serde_json::json!({ "notes": o.notes.trim() }).to_string();
            if !o.reached {
                repo::add_visit_log(tx, id, &now, "not_reached", &detail)?;
                let (date, time) = match &o.retry {
                    Some(r) => rules::retry_due(r, now_local)
                        .map_err(|c| Error::Invalid(vec![FieldError::new("retry_date", c)]))?,
                    None => (stored_date(&v.due_date).unwrap_or(today), None),
                };
                let at = due_at(date, time);
                repo::reschedule_visit(tx, id, &day(date), time.map(hhmm).as_deref(), at.as_deref(), true, &now)?;
                if o.retry.is_some() {
                    let d = serde_json::json!({ "due_date": day(date), "due_time": time.map(hhmm) }).to_string();
                    repo::add_visit_log(tx, id, &now, "rescheduled", &d)?;
                }
                return Ok(vec![]);
            }
            let c = Completion {
                notes: o.notes.trim(),
                satisfaction: o.satisfaction,
                next_step: o.next_step.trim(),
            };
            repo::complete_visit(tx, id, &c, &now)?;
            let detail = serde_json::json!({
                "notes": c.notes, "satisfaction": c.satisfaction, "next_step": c.next_step
            })
            .to_string();
            repo::add_visit_log(tx, id, &now, "done", &detail)?;
            crate::customers::repo::touch_last_contact(tx, v.customer_id, &day(today))?;
            let lineage = repo::get_lineage(tx, id)?;
            let base = NewVisit {
                outline: v.outline.clone(),
                staff: v.staff.clone(),
                previous_id: Some(id),
                ..NewVisit::new(v.customer_id, v.channel, v.purpose, String::new())
            };
            let mut scheduled = Vec::new();
            // The next occurrence of a recurring visit.
            if let (Some(r), Some(anchor)) = (v.repeat, lineage.repeat_anchor.as_deref()) {
                let anchor = stored_date(anchor).ok_or_else(|| Error::internal("a stored date is damaged"))?;
                if let Some((next, index)) = rules::next_occurrence(anchor, r, lineage.repeat_index, today) {
                    let time = v.due_time.as_deref().and_then(|t| rules::parse_time(t).ok().flatten());
                    let row = NewVisit {
                        due_date: day(next),
                        due_time: time.map(hhmm),
                        due_at: due_at(next, time),
                        repeat: Some(r),
                        repeat_anchor: Some(day(anchor)),
                        repeat_index: index,
                        ..base.clone()
                    };
                    scheduled.push(repo::insert_visit(tx, &row, &now)?);
                }
            }
            // The next step of a follow-up plan.
            if let (Some(plan_id), Some(step), Some(start)) = (v.plan_id, v.plan_step, lineage.plan_start.as_deref()) {
                let plan = repo::get_plan(tx, plan_id)?;
                if let Some(next) = plan.steps.get(step as usize + 1) {
                    let start = stored_date(start).ok_or_else(|| Error::internal("a stored date is damaged"))?;
                    let due = rules::plan_step_due(start, next.offset_days, today.succ_opt().unwrap_or(today));
                    let row = NewVisit {
                        channel: next.channel,
                        purpose: next.purpose,
                        due_date: day(due),
                        outline: next.outline.clone(),
                        plan_id: Some(plan_id),
                        plan_step: Some(step + 1),
                        plan_start: Some(day(start)),
                        ..base.clone()
                    };
                    scheduled.push(repo::insert_visit(tx, &row, &now)?);
                }
            }
            // The next visit the outcome asked for.
            if let Some(n) = &o.next_visit {
                let date = rules::parse_date(&n.due_date)
                    .map_err(|c| Error::Invalid(vec![FieldError::new("next_date", c)]))?;
                let time = rules::parse_time(&n.due_time)
                    .map_err(|c| Error::Invalid(vec![FieldError::new("next_time", c)]))?;
                let row = NewVisit {
                    channel: n.channel.unwrap_or(v.channel),
                    purpose: n.purpose.unwrap_or(v.purpose),
                    due_date: day(date),
                    due_time: time.map(hhmm),
                    due_at: due_at(date, time),
                    outline: n.outline.trim().to_string(),
                    ..base.clone()
                };
                scheduled.push(repo::insert_visit(tx, &row, &now)?);
            }
            for s in &scheduled {
                repo::add_visit_log(tx, *s, &now, "planned", &serde_json::json!({ "after": id }).to_string())?;
            }
            Ok(scheduled)
        })?;
        let held = self.held()?;
        let conn = held.db();
        Ok(OutcomeResult {
            visit: repo::get_visit(conn, id)?,
            scheduled: scheduled
                .iter()
                .map(|s| repo::get_visit(conn, *s))
                .collect::<Result<_>>()?,
        })
    }

    /// Move a planned visit (no attempt is counted).
    pub fn reschedule_visit(&self, id: i64, retry: &Retry) -> Result<Visit> {
        let now_local = self.now_local();
        let (date, time) =
            rules::retry_due(retry, now_local).map_err(|c| Error::Invalid(vec![FieldError::new("retry_date", c)]))?;
        let at = due_at(date, time);
        let now = self.now_ts();
        self.write(|tx, ch| {
            let v = repo::get_visit(tx, id)?;
            if v.state != VisitState::Planned {
                return Err(state_error(&v));
            }
            repo::reschedule_visit(
                tx,
                id,
                &day(date),
                time.map(hhmm).as_deref(),
                at.as_deref(),
                false,
                &now,
            )?;
            let d = serde_json::json!({ "from": v.due_date, "due_date": day(date), "due_time": time.map(hhmm) });
            repo::add_visit_log(tx, id, &now, "rescheduled", &d.to_string())?;
            ch.customer(v.customer_id);
            Ok(())
        })?;
        self.get_visit(id)
    }

    pub fn cancel_visit(&self, id: i64) -> Result<Visit> {
        let now = self.now_ts();
        self.write(|tx, ch| {
            let v = repo::get_visit(tx, id)?;
            if v.state != VisitState::Planned {
                return Err(state_error(&v));
            }
            repo::cancel_visit(tx, id, &now)?;
            repo::add_visit_log(tx, id, &now, "cancelled", "")?;
            ch.customer(v.customer_id);
            Ok(())
        })?;
        self.get_visit(id)
    }

    /// Correct a completed visit's outcome; the old values stay in the log.
    pub fn correct_outcome(&self, id: i64, c: &OutcomeCorrection) -> Result<Visit> {
        let check = OutcomeInput {
            reached: true,
            notes: c.notes.clone(),
            satisfaction: c.satisfaction,
            next_step: c.next_step.clone(),
            retry: None,
            next_visit: None,
        };
        rules::validate_outcome(&check, self.today())?;
        let now = self.now_ts();
        self.write(|tx, _| {
            let v = repo::get_visit(tx, id)?;
            if v.state != VisitState::Done {
                return Err(state_error(&v));
            }
            let before = serde_json::json!({
                "notes": v.outcome_notes, "satisfaction": v.satisfaction, "next_step": v.next_step
            });
            repo::correct_outcome(
                tx,
                id,
                &Completion {
                    notes: c.notes.trim(),
                    satisfaction: c.satisfaction,
                    next_step: c.next_step.trim(),
                },
                &now,
            )?;
            repo::add_visit_log(
                tx,
                id,
                &now,
                "corrected",
                &serde_json::json!({ "before": before }).to_string(),
            )
        })?;
        self.get_visit(id)
    }

    pub fn visit_log(&self, id: i64) -> Result<Vec<VisitLogEntry>> {
        let held = self.held()?;
        let conn = held.db();
        repo::get_visit(conn, id)?;
        repo::list_visit_log(conn, id)
    }

    /// Overdue, today and the next 7 days, by the local day.
    pub fn agenda(&self) -> Result<Agenda> {
        let today = self.today();
        let held = self.held()?;
        let conn = held.db();
        let (overdue_total, overdue) = repo::list_overdue(conn, &day(today), AGENDA_LIMIT)?;
        let today_visits = repo::list_planned_between(conn, &day(today), &day(today), AGENDA_LIMIT)?;
        let from = today + Days::new(1);
        let to = today + Days::new(7);
        let upcoming = repo::list_planned_between(conn, &day(from), &day(to), AGENDA_LIMIT)?;
        Ok(Agenda {
            today: day(today),
            overdue_total,
            overdue,
            today_visits,
            upcoming,
        })
    }

    /// Counts for the sidebar badge.
    pub fn visit_counts(&self) -> Result<VisitCounts> {
        let today = day(self.today());
        let (overdue, today) = repo::count_overdue_and_on(self.held()?.db(), &today)?;
        Ok(VisitCounts { overdue, today })
    }

    /// Per-day counts for a month's calendar.
    pub fn visit_calendar(&self, year: i32, month: u32) -> Result<Vec<CalendarDay>> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or_else(|| Error::Invalid(vec![FieldError::new("month", "invalid_date")]))?;
        let last = first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(first);
        repo::calendar_counts(self.held()?.db(), &day(first), &day(last))
    }

    /// Planned visits on one day (the calendar's day view).
    pub fn visits_on(&self, date: &str) -> Result<Vec<Visit>> {
        let d = rules::parse_date(date).map_err(|c| Error::Invalid(vec![FieldError::new("date", c)]))?;
        repo::list_planned_between(self.held()?.db(), &day(d), &day(d), AGENDA_LIMIT)
    }

    pub fn customer_visits(&self, customer_id: i64) -> Result<Vec<Visit>> {
        repo::list_customer_visits(self.held()?.db(), customer_id)
    }

    /// Start a follow-up plan for a customer: its first step is planned now, each
    /// completed step plans the next.
    pub fn apply_plan(&self, customer_id: i64, plan_id: i64, staff: &str) -> Result<Visit> {
        let today = self.today();
        let now = self.now_ts();
        let id = self.write(|tx, ch| {
            let c = customer_repo::get_customer(tx, customer_id)?;
            if c.archived_at.is_some() {
                return Err(Error::state(
                    "customer_archived",
                    "the customer is archived; restore them first",
                ));
            }
            let plan = repo::get_plan(tx, plan_id)?;
            let first = plan
                .steps
                .first()
                .ok_or_else(|| Error::state("plan_empty", "the plan has no steps"))?;
            let due = rules::plan_step_due(today, first.offset_days, today);
            let row = NewVisit {
                outline: first.outline.clone(),
                staff: staff.trim().to_string(),
                plan_id: Some(plan_id),
                plan_step: Some(0),
                plan_start: Some(day(today)),
                ..NewVisit::new(customer_id, first.channel, first.purpose, day(due))
            };
            let id = repo::insert_visit(tx, &row, &now)?;
            repo::add_visit_log(
                tx,
                id,
                &now,
                "planned",
                &serde_json::json!({ "plan": plan.name }).to_string(),
            )?;
            ch.customer(customer_id);
            Ok(id)
        })?;
        self.get_visit(id)
    }

    pub fn plans(&self) -> Result<Vec<FollowupPlan>> {
        repo::list_plans(self.held()?.db())
    }

    pub fn save_plan(&self, plan: &FollowupPlan) -> Result<FollowupPlan> {
        rules::validate_plan(plan)?;
        let now = self.now_ts();
        let id = self.write(|tx, _| repo::save_plan(tx, plan, &now))?;
        repo::get_plan(self.held()?.db(), id)
    }

    pub fn outline_templates(&self) -> Result<Vec<OutlineTemplate>> {
        repo::list_templates(self.held()?.db())
    }

    pub fn save_outline_template(&self, t: &OutlineTemplate) -> Result<Vec<OutlineTemplate>> {
        let mut errors = Vec::new();
        if t.name.trim().is_empty() {
            errors.push(FieldError::new("name", "required"));
        }
        check_len(&mut errors, "name", &t.name, rules::MAX_SHORT);
        check_len(&mut errors, "body", &t.body, rules::MAX_OUTLINE);
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let now = self.now_ts();
        self.write(|tx, _| repo::save_template(tx, t, &now))?;
        self.outline_templates()
    }

    pub fn delete_outline_template(&self, id: i64) -> Result<Vec<OutlineTemplate>> {
        self.write(|tx, _| repo::delete_template(tx, id))?;
        self.outline_templates()
    }

    /// The keep-in-touch cadence of each tier (settings; defaults VIP 30/45 … 小 180/365).
    pub fn cadences(&self) -> Result<TierCadences> {
        self.setting()
    }

    pub fn set_cadences(&self, c: &TierCadences) -> Result<TierCadences> {
        self.save_setting(c, |_| Ok(()))
    }

    /// Demo visits for the demo customers: some overdue, some today, some next week, some
    /// done with an outcome, and last contacts spread over the past months.
    pub(super) fn seed_demo_visits(&self, customer_ids: &[i64]) -> Result<()> {
        let today = self.today();
        let now = self.now_ts();
        let mut rows = Vec::new();
        for (i, id) in customer_ids.iter().enumerate() {
            let offset: i64 = match i % 6 {
                0 => 0,
                1 => -2,
                2 => 3,
                3 => 6,
                _ => continue,
            };
            let purpose = [
                Purpose::Satisfaction,
                Purpose::KeepInTouch,
                Purpose::Birthday,
                Purpose::Sales,
            ][i % 4];
            rows.push((*id, today + chrono::TimeDelta::days(offset), purpose));
        }
        self.write(|tx, ch| {
            for (n, (customer_id, due, purpose)) in rows.iter().enumerate() {
                let channel = if n % 3 == 0 { Channel::Wechat } else { Channel::Phone };
                let time = (n % 2 == 0)
                    .then(|| NaiveTime::from_hms_opt(9 + (n % 8) as u32, 30, 0))
                    .flatten();
                let row = NewVisit {
                    due_time: time.map(hhmm),
                    due_at: due_at(*due, time),
                    ..NewVisit::new(*customer_id, channel, *purpose, day(*due))
                };
                let id = repo::insert_visit(tx, &row, &now)?;
                repo::add_visit_log(tx, id, &now, "planned", "")?;
            }
            for (i, customer_id) in customer_ids.iter().enumerate() {
                // Spread last contacts: some recent, some 40-200 days ago, some never.
                let days_ago = match i % 5 {
                    0 => None,
                    k => Some((k as u64) * 45 - 5),
                };
                let Some(ago) = days_ago else { continue };
                let last = today - Days::new(ago);
                let done = NewVisit::new(*customer_id, Channel::Phone, Purpose::Satisfaction, day(last));
                let id = repo::insert_visit(tx, &done, &now)?;
                // Done on its day, in the afternoon (not at the moment the demo was loaded).
                let at = crate::kernel::time::local_to_ts(last.and_hms_opt(15, 0, 0).unwrap_or_default());
                repo::seed_outcome(tx, id, 3 + (i % 3) as u8, &at)?;
                crate::customers::repo::set_last_contact(tx, *customer_id, Some(&day(last)))?;
            }
            ch.all_customers();
            Ok(())
        })
    }

    /// Insert many visits in one transaction (the bench's 300,000): `(customer, due date,
    /// done?)`. Done visits count as real contacts on their day.
    pub fn insert_visits_bulk(&self, rows: &[(i64, NaiveDate, bool)]) -> Result<()> {
        let now = self.now_ts();
        self.write_as(super::WriteAs::bulk(), |tx, ch| {
            crate::audit::repo::add_bulk(tx, crate::audit::RecordKind::Visit, rows.len())?;
            for (n, (customer_id, due, done)) in rows.iter().enumerate() {
                let channel = [Channel::Phone, Channel::Wechat, Channel::Message][n % 3];
                let purpose = [Purpose::Satisfaction, Purpose::KeepInTouch, Purpose::Sales][n % 3];
                let row = NewVisit::new(*customer_id, channel, purpose, day(*due));
                let id = repo::insert_visit(tx, &row, &now)?;
                if *done {
                    let at = crate::kernel::time::local_to_ts(due.and_hms_opt(15, 0, 0).unwrap_or_default());
                    repo::seed_outcome(tx, id, [4, 5, 3, 4, 2][n % 5], &at)?;
                    crate::customers::repo::touch_last_contact(tx, *customer_id, &day(*due))?;
                }
            }
            ch.all_customers();
            Ok(())
        })
    }

    /// Customers past the ideal (due) or maximum (overdue) interval since their last real
    /// contact, most overdue first.
    pub fn due_contacts(&self, offset: usize, limit: usize) -> Result<DueContacts> {
        let ctx = self.query_context()?;
        let (total, rows) = self.customer_index()?.due_contacts(&ctx, offset, limit.clamp(1, 500));
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let summaries = customer_repo::list_summaries(self.held()?.db(), &ids)?;
        let items = rows
            .into_iter()
            .zip(summaries)
            .map(|(r, s)| DueContact {
                customer_id: r.id,
                name: s.name,
                tier: s.tier,
                phone: s.phone,
                last_contact: s.last_contact_date,
                days_since: r.days_since,
                cadence: r.cadence,
                status: r.status,
                next_visit: s.next_visit_date,
            })
            .collect();
        Ok(DueContacts { total, items })
    }
}

//! Reminder actions of the command layer: plan occurrences from the sources, fire what is
//! due (held back in quiet hours), and the reminder center's snooze / done / dismiss.

use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta};

use super::App;
use crate::error::{check_len, Error, FieldError, Result};
use crate::store::db::Db;
use crate::store::{self, settings};
use crate::visits::repo::DueVisit;
use crate::visits::rules as visit_rules;

use crate::kernel::time::{format_date, stored_date};
use crate::reminders::model::{
    CenterPage, CenterQuery, Fired, ManualInput, Reminder, ReminderCounts, ReminderKind, ReminderSettings,
    ReminderState, Snooze,
};
use crate::reminders::repo;
use crate::reminders::rules::{self, Planned};
use crate::reminders::texts;

const PLANNED_AT: &str = "reminders.planned_at";
const DAYS_PLANNED_THROUGH: &str = "reminders.days_planned_through";
/// How far ahead occurrences are planned.
pub const HORIZON_HOURS: i64 = 36;
/// How far back a restart catches up on what came due while the app was closed.
pub const CATCH_UP_DAYS: u64 = 7;

/// How long a due reminder naming someone at another desk waits for it before any desk
/// takes it.
pub const CLAIM_GRACE: TimeDelta = TimeDelta::minutes(2);

impl App {
    pub fn reminder_settings(&self) -> Result<ReminderSettings> {
        self.setting()
    }

    /// Save reminder settings, and plan the day-based reminders again with them (one
    /// transaction).
    pub fn set_reminder_settings(&self, s: &ReminderSettings) -> Result<ReminderSettings> {
        self.save_setting(s, |tx| settings::set_setting(tx, DAYS_PLANNED_THROUGH, ""))
    }

    /// The UI language, which notifications are written in.
    pub fn language(&self) -> Result<String> {
        Ok(self.desk_setting("language")?.unwrap_or_else(|| "zh-CN".into()))
    }

    /// Plan occurrences from every source for the window since the last planning (at most
    /// a week back) up to `HORIZON_HOURS` ahead. Safe to run often: each occurrence is
    /// stored once. Returns how many were added.
    pub fn plan_reminders(&self) -> Result<usize> {
        let now = self.now_local();
        let rs = self.reminder_settings()?;
        let cs = self.complaint_settings()?;
        let arrivals = self.arrival_settings()?;
        let schedule = &cs.schedule;
        let to = now + TimeDelta::hours(HORIZON_HOURS);
        let earliest = now - TimeDelta::days(CATCH_UP_DAYS as i64);
        let (from, days_through) = {
            let held = self.held()?;
            let conn = held.db();
            let from = settings::get_setting(conn, PLANNED_AT)?
                .as_deref()
                .and_then(store::ts_to_local)
                .map(|t| t.max(earliest))
                .unwrap_or(now - TimeDelta::hours(1));
            let through = settings::get_setting(conn, DAYS_PLANNED_THROUGH)?.and_then(|d| stored_date(&d));
            (from, through)
        };
        let mut planned: Vec<Planned> = Vec::new();
        // Day-based sources (special dates, keep-in-touch) are planned once per new day, and
        // again from today when a customer changed.
        let dirty = self.take_customers_changed();
        let day_from = match days_through {
            Some(d) if !dirty => d + Days::new(1),
            _ => from.date().min(now.date()),
        }
        .max(earliest.date());
        let day_to = to.date();
        let plan_days = day_from <= day_to;
        if plan_days {
            let ctx = self.query_context()?;
            let index = self.customer_index()?;
            for (id, base, cadence) in index.contact_bases(&ctx) {
                if let Some(p) = rules::keep_in_touch(schedule, id, "", base, cadence.max_days, day_from, day_to) {
                    planned.push(p);
                }
            }
        }
        let now_ts = self.now_ts();
        let lang_free = |p: &Planned| serde_json::to_string(&p.args).unwrap_or_default();
        let added = self.write_system(|tx, _| {
            // Names for keep-in-touch rows.
            for p in planned.iter_mut() {
                if let (Some(id), Some(obj)) = (p.customer_id, p.args.as_object_mut()) {
                    if obj.get("name").and_then(|n| n.as_str()).is_some_and(str::is_empty) {
                        let name = crate::customers::repo::get_name(tx, id, true)?;
                        match name {
                            Some(n) => {
                                obj.insert("name".into(), n.into());
                            }
                            None => p.customer_id = None,
                        }
                    }
                }
            }
            planned.retain(|p| p.customer_id.is_some());
            if plan_days {
                planned.extend(plan_special_dates(
                    tx,
                    schedule,
                    rs.days_before_dates,
                    day_from,
                    day_to,
                )?);
            }
            planned.extend(plan_visits(tx, schedule, from.date(), to.date(), &now_ts)?);
            planned.extend(plan_complaints(
                tx,
                &cs,
                rs.complaint_warning_minutes,
                from,
                to,
                &now_ts,
            )?);
            planned.extend(plan_manual(tx, to, &now_ts)?);
            planned.extend(plan_arrivals(tx, schedule, arrivals.remind_minutes, from, to, &now_ts)?);
            let mut added = 0;
            for p in &planned {
                if p.due > to {
                    continue;
                }
                let due = store::local_to_ts(p.due);
                // An item whose time had passed when the last pass looked (a visit recorded
                // for 09:30 at 15:00) was entered late, not missed: it pops now, as due.
                let wake = if p.due < from { now_ts.clone() } else { due.clone() };
                if repo::insert_occurrence(
                    tx,
                    p.kind,
                    &p.key,
                    p.customer_id,
                    p.source_id,
                    &due,
                    &wake,
                    &lang_free(p),
                    &p.staff,
                    &now_ts,
                )? {
                    added += 1;
                }
            }
            settings::set_setting(tx, PLANNED_AT, &now_ts)?;
            if plan_days {
                settings::set_setting(tx, DAYS_PLANNED_THROUGH, &format_date(day_to))?;
            }
            Ok(added)
        })?;
        Ok(added)
    }

    /// Fire what is due now: mark it fired (late when it pops more than two minutes after
    /// its time) and return the texts to show. Nothing fires in quiet hours but a guest's
    /// preparation: a guest booked for 19:00 comes when the shop is open, whatever the
    /// desk's office hours say.
    pub fn take_due_reminders(&self) -> Result<Vec<Fired>> {
        let now = self.now_local();
        let rs = self.reminder_settings()?;
        let cs = self.complaint_settings()?;
        let quiet = rules::is_quiet(&cs.schedule, rs.quiet_outside_hours, now);
        let lang = self.language()?;
        let now_ts = self.now_ts();
        // On the shared database a reminder naming someone at another desk pops there; left
        // unclaimed for CLAIM_GRACE (that desk is closed), at the first desk that looks.
        // Taken and marked fired in one write: writes take turns, so it pops once.
        let at_desk = if self.is_shared() {
            Some((self.desk_staff()?, self.staff_at_other_desks()?))
        } else {
            None
        };
        self.write_system(|tx, ch| {
            let mut due = repo::list_due(tx, &now_ts)?;
            if quiet {
                due.retain(|r| r.kind == ReminderKind::Arrival);
            }
            if let Some((me, others)) = &at_desk {
                due.retain(|r| {
                    let waited = store::ts_to_local(&r.wake_at).map_or(TimeDelta::MAX, |w| now - w);
                    r.staff == *me || !others.contains(&r.staff) || waited >= CLAIM_GRACE
                });
            }
            let mut fired = Vec::with_capacity(due.len());
            for r in due {
                let wake = store::ts_to_local(&r.wake_at).unwrap_or(now);
                let late = rules::is_late(now, wake);
                repo::mark_fired(tx, r.id, &now_ts, late)?;
                let mut args = r.args.clone();
                if let (Some(name), Some(obj)) = (&r.customer_name, args.as_object_mut()) {
                    obj.insert("name".into(), name.clone().into());
                }
                let (title, body) = texts::render(&lang, r.kind, &args, late);
                fired.push(Fired {
                    id: r.id,
                    kind: r.kind,
                    customer_id: r.customer_id,
                    source_id: r.source_id,
                    title,
                    body,
                    late,
                });
            }
            if !fired.is_empty() {
                ch.tell_other_desks();
            }
            Ok(fired)
        })
    }

    /// One notification for a burst of reminders: "came due while FrontDesk was closed"
    /// when every one of them is late, else "N reminders due"; the first three named.
    pub fn burst_summary(&self, fired: &[Fired]) -> Result<(String, String)> {
        let lang = self.language()?;
        let names: Vec<&str> = fired.iter().take(3).map(|f| f.title.as_str()).collect();
        let args = serde_json::json!({ "n": fired.len(), "first": names.join(" · ") });
        let title = if fired.iter().all(|f| f.late) {
            "reminder.summary_title"
        } else {
            "reminder.burst_title"
        };
        Ok((
            texts::t(&lang, title, &args),
            texts::t(&lang, "reminder.summary_body", &args),
        ))
    }

    /// When the scheduler should look again: the next reminder, or the end of quiet hours,
    /// or the planning horizon, whichever comes first.
    pub fn next_reminder_wake(&self) -> Result<Option<NaiveDateTime>> {
        let now = self.now_local();
        let next = repo::next_wake(self.held()?.db())?
            .as_deref()
            .and_then(store::ts_to_local);
        let rs = self.reminder_settings()?;
        let cs = self.complaint_settings()?;
        let replan = now + TimeDelta::hours(1);
        let wake = match next {
            Some(n) if rules::is_quiet(&cs.schedule, rs.quiet_outside_hours, n.max(now)) => {
                Some(cs.schedule.next_open(n.max(now)))
            }
            other => other,
        };
        // Preparation reminders pop in quiet hours too.
        let arrival = repo::next_wake_of(self.held()?.db(), ReminderKind::Arrival)?
            .as_deref()
            .and_then(store::ts_to_local);
        let wake = match (wake, arrival) {
            (Some(w), Some(a)) => Some(w.min(a)),
            (w, a) => w.or(a),
        };
        // On the shared database a due reminder still waiting is another desk's to take: look
        // again a little later, not at once.
        let wake = match wake {
            Some(w) if self.is_shared() && w <= now => Some(now + TimeDelta::seconds(15)),
            other => other,
        };
        Ok(Some(wake.map_or(replan, |w| w.min(replan))))
    }

    pub fn reminder_center(&self, q: &CenterQuery) -> Result<CenterPage> {
        let limit = q.limit.unwrap_or(100).clamp(1, 500);
        let (total, items) = repo::list_center(self.held()?.db(), q, limit)?;
        Ok(CenterPage { total, items })
    }

    pub fn reminder_counts(&self) -> Result<ReminderCounts> {
        let held = self.held()?;
        let conn = held.db();
        Ok(ReminderCounts {
            due: repo::count_state(conn, "'fired'")?,
            upcoming: repo::count_state(conn, "'pending', 'snoozed'")?,
        })
    }

    pub fn snooze_reminder(&self, id: i64, s: &Snooze) -> Result<Reminder> {
        let cs = self.complaint_settings()?;
        let until = rules::snooze_until(s, self.now_local(), &cs.schedule)
            .map_err(|c| Error::Invalid(vec![FieldError::new("snooze", c)]))?;
        let now = self.now_ts();
        self.write(|tx, _| {
            ensure_open(&repo::get_reminder(tx, id)?)?;
            repo::snooze(tx, id, &store::local_to_ts(until), &now)
        })?;
        repo::get_reminder(self.held()?.db(), id)
    }

    /// Done (it was handled) or dismissed (not needed); both stay in the history.
    pub fn close_reminder(&self, id: i64, done: bool) -> Result<Reminder> {
        let now = self.now_ts();
        self.write(|tx, _| {
            ensure_open(&repo::get_reminder(tx, id)?)?;
            repo::close(
                tx,
                id,
                if done {
                    ReminderState::Done
                } else {
                    ReminderState::Dismissed
                },
                &now,
            )
        })?;
        repo::get_reminder(self.held()?.db(), id)
    }

    /// Set a reminder by hand (text, local date and time, optional repeat).
    pub fn create_manual_reminder(&self, input: &ManualInput) -> Result<i64> {
        let mut errors = Vec::new();
        let text = input.text.trim();
        if text.is_empty() {
            errors.push(FieldError::new("text", "required"));
        }
        check_len(&mut errors, "text", text, 500);
        let due = crate::kernel::time::parse_local(&input.due_at)
            .map_err(|c| errors.push(FieldError::new("due_at", c)))
            .ok();
        if let Some(r) = input.repeat {
            if r.every == 0 || r.every > 365 {
                errors.push(FieldError::with_max("repeat", "out_of_range", 365));
            }
        }
        let Some(due) = due.filter(|_| errors.is_empty()) else {
            return Err(Error::Invalid(errors));
        };
        let now = self.now_ts();
        self.write(|tx, _| {
            if let Some(c) = input.customer_id {
                crate::customers::repo::get_customer(tx, c)?;
            }
            let anchor = input.repeat.map(|_| due.format("%Y-%m-%d %H:%M").to_string());
            repo::insert_manual(
                tx,
                input.customer_id,
                text,
                &store::local_to_ts(due),
                input.repeat,
                anchor.as_deref(),
                input.staff.trim(),
                &now,
            )
        })
    }
}

/// Snooze, done and dismiss act only on a reminder still to be handled.
fn ensure_open(r: &Reminder) -> Result<()> {
    if matches!(r.state, ReminderState::Done | ReminderState::Dismissed) {
        return Err(Error::state(
            "reminder_closed",
            "this reminder is already done or dismissed",
        ));
    }
    Ok(())
}

/// Planned visits due in the window; reminders of visits since done, cancelled or moved
/// are closed.
fn plan_visits(
    tx: Db<'_>,
    schedule: &crate::kernel::schedule::Schedule,
    from: NaiveDate,
    to: NaiveDate,
    now: &str,
) -> Result<Vec<Planned>> {
    let mut out = Vec::new();
    for v in crate::visits::repo::list_due_between(tx, &from.to_string(), &to.to_string())? {
        let Some(date) = stored_date(&v.due_date) else { continue };
        out.push(visit_reminder(schedule, &v, date));
    }
    for id in repo::open_sources(tx, ReminderKind::Visit)? {
        let current = crate::visits::repo::get_visit(tx, id)
            .ok()
            .filter(|v| v.state == crate::visits::VisitState::Planned)
            .map(|v| {
                let date = stored_date(&v.due_date).unwrap_or(from);
                visit_reminder(schedule, &DueVisit::from(&v), date).key
            });
        repo::close_stale(
            tx,
            ReminderKind::Visit,
            id,
            &current.into_iter().collect::<Vec<_>>(),
            now,
        )?;
    }
    Ok(out)
}

/// The reminder a planned visit asks for on `date`.
fn visit_reminder(schedule: &crate::kernel::schedule::Schedule, v: &DueVisit, date: NaiveDate) -> Planned {
    let time = v
        .due_time
        .as_deref()
        .and_then(|t| visit_rules::parse_time(t).ok().flatten());
    rules::visit(
        schedule,
        v.id,
        v.customer_id,
        &v.customer_name,
        v.purpose.as_str(),
        date,
        time,
        &v.staff,
    )
}

/// Open complaints whose running deadline is near: a warning before it and the escalation
/// steps after; reminders of complaints since finished or re-timed are closed.
fn plan_complaints(
    tx: Db<'_>,
    cs: &crate::complaints::ComplaintSettings,
    warn: u32,
    from: NaiveDateTime,
    to: NaiveDateTime,
    now: &str,
) -> Result<Vec<Planned>> {
    let ladder = i64::from(cs.escalation_hours[2]);
    let lo = store::local_to_ts(from - TimeDelta::hours(ladder));
    let hi = store::local_to_ts(to + TimeDelta::minutes(i64::from(warn)));
    let mut out = Vec::new();
    for c in crate::complaints::repo::list_running_deadlines(tx, &lo, &hi)? {
        let Some(due) = store::ts_to_local(&c.next_due) else {
            continue;
        };
        out.extend(rules::complaint(
            c.id,
            c.customer_id,
            &c.customer_name,
            &c.serial,
            due,
            warn,
            cs.escalation_hours,
            &c.handler,
        ));
    }
    for kind in [ReminderKind::ComplaintWarning, ReminderKind::ComplaintEscalation] {
        for id in repo::open_sources(tx, kind)? {
            let keys: Vec<String> = crate::complaints::repo::get_running_deadline(tx, id)?
                .and_then(|c| {
                    store::ts_to_local(&c.next_due).map(|d| {
                        rules::complaint(
                            id,
                            c.customer_id,
                            "",
                            &c.serial,
                            d,
                            warn,
                            cs.escalation_hours,
                            &c.handler,
                        )
                    })
                })
                .unwrap_or_default()
                .into_iter()
                .map(|p| p.key)
                .collect();
            repo::close_stale(tx, kind, id, &keys, now)?;
        }
    }
    Ok(out)
}

/// Birthdays and anniversaries whose reminder day falls in `[from, to]`.
fn plan_special_dates(
    tx: Db<'_>,
    schedule: &crate::kernel::schedule::Schedule,
    days_before: u32,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Planned>> {
    let mut out = Vec::new();
    for (customer, name, kind, date) in crate::customers::repo::list_active_special_dates(tx)? {
        out.extend(rules::special_date(
            schedule,
            customer,
            &name,
            kind,
            &date,
            days_before,
            from,
            to,
        ));
    }
    Ok(out)
}

/// Manual reminders due by `to`: one occurrence each, then the next repeat (or retired).
fn plan_manual(tx: Db<'_>, to: NaiveDateTime, now: &str) -> Result<Vec<Planned>> {
    let mut out = Vec::new();
    let until = store::local_to_ts(to);
    for _ in 0..50 {
        let due = repo::list_manual_until(tx, &until)?;
        if due.is_empty() {
            break;
        }
        for m in due {
            let Some(at) = store::ts_to_local(&m.due_at) else {
                continue;
            };
            let name = match m.customer_id {
                Some(c) => crate::customers::repo::get_name(tx, c, false)?,
                None => None,
            };
            out.push(Planned {
                kind: ReminderKind::Manual,
                key: format!("manual:{}:{}", m.id, m.due_at),
                customer_id: m.customer_id,
                source_id: Some(m.id),
                due: at,
                args: serde_json::json!({ "name": name.unwrap_or_default(), "text": m.text }),
                staff: m.staff.clone(),
            });
            let next = match (
                m.repeat,
                m.repeat_anchor
                    .as_deref()
                    .and_then(|a| crate::kernel::time::parse_local(a).ok()),
            ) {
                (Some(r), Some(anchor)) => visit_rules::next_occurrence(anchor.date(), r, m.repeat_index, at.date())
                    .map(|(d, i)| (store::local_to_ts(d.and_time(anchor.time())), i)),
                _ => None,
            };
            repo::advance_manual(tx, m.id, next.as_ref().map(|(d, i)| (d.as_str(), *i)), now)?;
        }
    }
    Ok(out)
}

/// Preparation reminders of the guests booked to come: `minutes` before each (or at the
/// day's opening); reminders of bookings since changed, cancelled or marked are closed.
fn plan_arrivals(
    tx: Db<'_>,
    schedule: &crate::kernel::schedule::Schedule,
    minutes: u32,
    from: NaiveDateTime,
    to: NaiveDateTime,
    now: &str,
) -> Result<Vec<Planned>> {
    use crate::arrivals::{repo as arrivals_repo, BookingState};
    let mut out = Vec::new();
    let last = (to + TimeDelta::minutes(i64::from(minutes))).date();
    for b in arrivals_repo::list_booked_between(tx, &format_date(from.date()), &format_date(last))? {
        let Some((due, key)) = super::arrivals::arrival_reminder_due(schedule, &b, minutes) else {
            continue;
        };
        out.push(arrival_reminder(tx, &b, due, key)?);
    }
    for id in repo::open_sources(tx, ReminderKind::Arrival)? {
        let current = arrivals_repo::get_booking(tx, id)
            .ok()
            .filter(|b| b.state == BookingState::Booked)
            .and_then(|b| super::arrivals::arrival_reminder_due(schedule, &b, minutes))
            .map(|(_, key)| key);
        repo::close_stale(
            tx,
            ReminderKind::Arrival,
            id,
            &current.into_iter().collect::<Vec<_>>(),
            now,
        )?;
    }
    Ok(out)
}

/// The preparation reminder of one booking: what to prepare, in one line.
fn arrival_reminder(tx: Db<'_>, b: &crate::arrivals::Booking, due: NaiveDateTime, key: String) -> Result<Planned> {
    use crate::customers::PreferenceKind;
    let prefs: Vec<(bool, String)> = crate::customers::repo::get_customer(tx, b.customer_id)?
        .preferences
        .into_iter()
        .map(|p| (p.kind == PreferenceKind::Allergy, p.text))
        .collect();
    let prep = crate::arrivals::rules::prep_line(&crate::arrivals::rules::Prep {
        time: b.time.as_deref(),
        name: &b.customer_name,
        party: b.party,
        what: &b.what,
        resource: &b.resource,
        preferences: &prefs,
    });
    Ok(Planned {
        kind: ReminderKind::Arrival,
        key,
        customer_id: Some(b.customer_id),
        source_id: Some(b.id),
        due,
        args: serde_json::json!({
            "name": b.customer_name, "time": b.time.clone().unwrap_or_default(), "party": b.party,
            "resource": b.resource, "prep": prep,
        }),
        staff: b.staff.clone(),
    })
}

//! Complaint actions of the command layer. Every change is one transaction that also
//! appends to the handling log; deadlines and breaches are worked out here from the rules.

use chrono::{Datelike, NaiveDateTime};

use super::App;
use crate::customers::model::{CustomerInput, Tier};
use crate::customers::{repo as customer_repo, rules as customer_rules};
use crate::error::{check_len, Error, FieldError, Result};
use crate::store;
use crate::store::db::Db;
use crate::visits::repo::{self as visit_repo, NewVisit};
use crate::visits::{Channel, Purpose};

use crate::complaints::model::{
    Category, CloseInput, Complaint, ComplaintDetail, ComplaintInput, ComplaintPage, ComplaintQuery, ComplaintSettings,
    ComplaintState, ResolveInput, Severity, TransitionInput,
};
use crate::complaints::repo::{self, NewComplaint, Resolution, WorkflowUpdate};
use crate::complaints::rules;

fn invalid(field: &str, code: &'static str) -> Error {
    Error::Invalid(vec![FieldError::new(field, code)])
}

fn local(ts: &Option<String>) -> Option<NaiveDateTime> {
    ts.as_deref().and_then(store::ts_to_local)
}

/// The deadline still running: the reply until the first response, then the resolution;
/// none while waiting on the customer or once the case is finished.
fn next_due(
    state: ComplaintState,
    first_response: bool,
    response: Option<&str>,
    resolution: Option<&str>,
) -> Option<String> {
    if !state.is_open() {
        return None;
    }
    if state == ComplaintState::Waiting {
        return Some(repo::PAUSED.to_string());
    }
    if !first_response {
        return [response, resolution].into_iter().flatten().min().map(str::to_string);
    }
    resolution.map(str::to_string)
}

impl App {
    pub fn complaint_settings(&self) -> Result<ComplaintSettings> {
        self.setting()
    }

    pub fn set_complaint_settings(&self, s: &ComplaintSettings) -> Result<ComplaintSettings> {
        self.save_setting(s, |_| Ok(()))
    }

    pub fn complaint_categories(&self) -> Result<Vec<Category>> {
        repo::list_categories(self.held()?.db())
    }

    pub fn save_complaint_category(&self, c: &Category, archived: bool) -> Result<Vec<Category>> {
        if c.name.trim().is_empty() {
            return Err(invalid("name", "required"));
        }
        if c.name.chars().count() > rules::MAX_SHORT {
            return Err(Error::Invalid(vec![FieldError::with_max(
                "name",
                "too_long",
                rules::MAX_SHORT,
            )]));
        }
        self.write(|tx, _| repo::save_category(tx, c, archived))?;
        self.complaint_categories()
    }

    /// Log a complaint: a serial number is given on save, deadlines are set by severity
    /// (and the customer's tier), and the customer may be created in the same step.
    pub fn register_complaint(&self, input: &ComplaintInput) -> Result<Complaint> {
        let now_local = self.now_local();
        let (received, amount) = rules::validate_register(input, now_local)?;
        let settings = self.complaint_settings()?;
        let now = self.now_ts();
        let new_customer = match &input.new_customer {
            Some(c) if input.customer_id.is_none() => Some(customer_rules::validate(&CustomerInput {
                name: c.name.clone(),
                phones: vec![c.phone.clone()],
                ..Default::default()
            })?),
            _ => None,
        };
        let id = self.write(|tx, ch| {
            let customer_id = match (&new_customer, input.customer_id) {
                (Some(v), _) => {
                    let id = customer_repo::insert_customer(tx, v, &customer_repo::search_fields(v), &now)?;
                    customer_repo::add_event(tx, id, &now, "created", "")?;
                    id
                }
                (None, Some(id)) => id,
                (None, None) => return Err(invalid("customer", "required")),
            };
            let customer = customer_repo::get_customer(tx, customer_id)?;
            let category_id = match input.category_id {
                Some(c) if repo::category_exists(tx, c)? => c,
                Some(_) => return Err(invalid("category", "invalid_choice")),
                None => repo::default_category(tx)?,
            };
            let serial = repo::next_serial(tx, now_local.year())?;
            let filing = Filing {
                serial: &serial,
                customer_id,
                tier: customer.tier,
                category_id,
                received,
                amount,
            };
            let id = insert_registered(tx, input, &filing, &settings, &now)?;
            repo::add_log(tx, id, &now, input.staff.trim(), "registered", &serial)?;
            // The customer contacted us: a real contact for the keep-in-touch cadence.
            customer_repo::touch_last_contact(tx, customer_id, &crate::kernel::time::format_date(now_local.date()))?;
            ch.customer(customer_id);
            Ok(id)
        })?;
        repo::get_complaint(self.held()?.db(), id, now_local)
    }

    pub fn complaint_detail(&self, id: i64) -> Result<ComplaintDetail> {
        let (complaint, log) = {
            let held = self.held()?;
            let conn = held.db();
            (
                repo::get_complaint(conn, id, self.now_local())?,
                repo::list_log(conn, id)?,
            )
        };
        Ok(ComplaintDetail {
            complaint: self.with_live_level(complaint)?,
            log,
        })
    }

    /// The escalation level as of now, even before the sweep has recorded it.
    fn with_live_level(&self, mut c: Complaint) -> Result<Complaint> {
        live_level(&mut c, self.now_local(), self.complaint_settings()?.escalation_hours);
        Ok(c)
    }

    pub fn list_complaints(&self, q: &ComplaintQuery) -> Result<ComplaintPage> {
        let limit = q.limit.unwrap_or(50).clamp(1, 500);
        let now = self.now_local();
        let hours = self.complaint_settings()?.escalation_hours;
        let (total, mut items) = repo::list_complaints(self.held()?.db(), q, now, limit)?;
        for c in items.iter_mut() {
            live_level(c, now, hours);
        }
        Ok(ComplaintPage { total, items })
    }

    pub fn customer_complaints(&self, customer_id: i64) -> Result<Vec<Complaint>> {
        repo::list_for_customer(self.held()?.db(), customer_id, self.now_local())
    }

    /// Apply a change to one complaint inside a transaction: `f` gets the current record
    /// and returns the workflow update and the log line.
    fn change(
        &self,
        id: i64,
        f: impl FnOnce(Db<'_>, &Complaint, &ComplaintSettings, NaiveDateTime) -> Result<()>,
    ) -> Result<Complaint> {
        let now_local = self.now_local();
        let settings = self.complaint_settings()?;
        self.write(|tx, ch| {
            let c = repo::get_complaint(tx, id, now_local)?;
            record_breaches(tx, &c, now_local, &settings, &self.now_ts())?;
            f(tx, &c, &settings, now_local)?;
            ch.customer(c.customer_id);
            Ok(())
        })?;
        let c = repo::get_complaint(self.held()?.db(), id, now_local)?;
        self.with_live_level(c)
    }

    /// Move a complaint along the workflow (not to resolved or closed: those have their
    /// own forms). Refused moves say why.
    pub fn transition_complaint(&self, id: i64, t: &TransitionInput) -> Result<Complaint> {
        let now = self.now_ts();
        self.change(id, |tx, c, settings, now_local| {
            let to = t.to;
            if !rules::allowed(c.state, to) {
                return Err(Error::state("transition_refused", format!("a complaint cannot go from {} to {}", c.state.as_str(), to.as_str())));
            }
            match to {
                ComplaintState::Resolved => return Err(Error::state("use_resolve", "resolve a complaint with its resolution")),
                ComplaintState::Closed => return Err(Error::state("use_close", "close a complaint with the customer's satisfaction")),
                _ => {}
            }
            let reopen = rules::is_reopen(c.state, to);
            if (reopen || to == ComplaintState::Rejected) && t.note.trim().is_empty() {
                return Err(invalid("note", "required"));
            }
            let mut duplicate_of = None;
            if to == ComplaintState::Duplicate {
                match repo::find_by_serial(tx, &t.duplicate_of)? {
                    Some(orig) if orig != c.id => duplicate_of = Some(orig),
                    _ => return Err(invalid("duplicate_of", "not_found")),
                }
            }
            let mut wf = Workflow::of(tx, c)?;
            wf.resume_if_paused(c, settings, now_local);
            if c.state == ComplaintState::Registered && wf.first_response_at.is_none() {
                wf.first_response_at = Some(now.clone());
            }
            if to == ComplaintState::Waiting {
                wf.paused_since = Some(now.clone());
            }
            wf.state = to;
            wf.duplicate_of = duplicate_of;
            wf.save(tx, c.id, &now)?;
            let kind = if reopen { "reopened" } else { "state" };
            let detail = serde_json::json!({ "from": c.state, "to": to, "note": t.note.trim(), "duplicate_of": t.duplicate_of.trim() });
            repo::add_log(tx, c.id, &now, t.staff.trim(), kind, &detail.to_string())
        })
    }

    pub fn add_complaint_note(&self, id: i64, note: &str, staff: &str) -> Result<Complaint> {
        if note.trim().is_empty() {
            return Err(invalid("note", "required"));
        }
        if note.chars().count() > rules::MAX_TEXT {
            return Err(Error::Invalid(vec![FieldError::with_max(
                "note",
                "too_long",
                rules::MAX_TEXT,
            )]));
        }
        let now = self.now_ts();
        self.change(id, |tx, c, _, _| {
            repo::add_log(tx, c.id, &now, staff.trim(), "note", note.trim())
        })
    }

    pub fn set_complaint_handler(&self, id: i64, handler: &str, staff: &str) -> Result<Complaint> {
        if handler.chars().count() > rules::MAX_SHORT {
            return Err(Error::Invalid(vec![FieldError::with_max(
                "handler",
                "too_long",
                rules::MAX_SHORT,
            )]));
        }
        let now = self.now_ts();
        self.change(id, |tx, c, _, _| {
            let mut wf = Workflow::of(tx, c)?;
            wf.handler = handler.trim().to_string();
            wf.save(tx, c.id, &now)?;
            let detail = serde_json::json!({ "from": c.handler, "to": handler.trim() });
            repo::add_log(tx, c.id, &now, staff.trim(), "handler", &detail.to_string())
        })
    }

    /// Change the severity: the deadlines are worked out again from the received time
    /// (plus any time waited on the customer).
    pub fn set_complaint_severity(&self, id: i64, severity: Severity, staff: &str) -> Result<Complaint> {
        let now = self.now_ts();
        self.change(id, |tx, c, settings, _| {
            let received = store::ts_to_local(&c.received_at).ok_or_else(|| Error::internal("bad received_at"))?;
            let (resp, resol) = rules::deadlines(settings, severity, c.customer_tier, received);
            let waited = repo::paused_minutes(tx, c.id)?;
            let resol = settings.schedule.add_minutes(resol, waited);
            let mut wf = Workflow::of(tx, c)?;
            wf.severity = severity;
            wf.response_due = Some(store::local_to_ts(resp));
            wf.resolution_due = Some(store::local_to_ts(resol));
            wf.save(tx, c.id, &now)?;
            let detail = serde_json::json!({ "from": c.severity, "to": severity });
            repo::add_log(tx, c.id, &now, staff.trim(), "severity", &detail.to_string())
        })
    }

    /// Resolve: what was done, the remedy, the root cause and the corrective action.
    pub fn resolve_complaint(&self, id: i64, r: &ResolveInput) -> Result<Complaint> {
        let mut errors = Vec::new();
        if r.resolution.trim().is_empty() {
            errors.push(FieldError::new("resolution", "required"));
        }
        for (f, v) in [
            ("resolution", &r.resolution),
            ("root_cause", &r.root_cause),
            ("corrective_action", &r.corrective_action),
        ] {
            check_len(&mut errors, f, v, rules::MAX_TEXT);
        }
        check_len(
            &mut errors,
            "root_cause_category",
            &r.root_cause_category,
            rules::MAX_SHORT,
        );
        let amount = rules::parse_amount(&r.remedy_amount)
            .map_err(|c| errors.push(FieldError::new("remedy_amount", c)))
            .ok()
            .flatten();
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let now = self.now_ts();
        self.change(id, |tx, c, settings, now_local| {
            if !rules::allowed(c.state, ComplaintState::Resolved) {
                return Err(Error::state(
                    "transition_refused",
                    format!("a {} complaint cannot be resolved", c.state.as_str()),
                ));
            }
            let mut wf = Workflow::of(tx, c)?;
            wf.resume_if_paused(c, settings, now_local);
            wf.first_response_at.get_or_insert_with(|| now.clone());
            wf.state = ComplaintState::Resolved;
            wf.save(tx, c.id, &now)?;
            let res = Resolution {
                resolution: r.resolution.trim(),
                remedy_kind: r.remedy_kind,
                remedy_amount_cents: amount,
                root_cause_category: r.root_cause_category.trim(),
                root_cause: r.root_cause.trim(),
                corrective_action: r.corrective_action.trim(),
            };
            repo::set_resolution(tx, c.id, &res, &now)?;
            let detail =
                serde_json::json!({ "resolution": res.resolution, "remedy": r.remedy_kind, "amount_cents": amount });
            repo::add_log(tx, c.id, &now, r.staff.trim(), "resolved", &detail.to_string())
        })
    }

    /// Close: the customer's satisfaction, whether they accept, and the return visit that
    /// confirms it (事事有着落,件件有回音).
    pub fn close_complaint(&self, id: i64, input: &CloseInput) -> Result<Complaint> {
        let mut errors = Vec::new();
        match input.satisfaction {
            None => errors.push(FieldError::new("satisfaction", "required")),
            Some(s) if !(1..=5).contains(&s) => errors.push(FieldError::with_max("satisfaction", "out_of_range", 5)),
            _ => {}
        }
        let visit_date = if input.return_visit_date.trim().is_empty() {
            None
        } else {
            match crate::visits::rules::parse_date(&input.return_visit_date) {
                Ok(d) if d < self.today() => {
                    errors.push(FieldError::new("return_visit_date", "date_in_past"));
                    None
                }
                Ok(d) => Some(d),
                Err(c) => {
                    errors.push(FieldError::new("return_visit_date", c));
                    None
                }
            }
        };
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let now = self.now_ts();
        self.change(id, |tx, c, _, now_local| {
            if !rules::allowed(c.state, ComplaintState::Closed) {
                return Err(Error::state("transition_refused", format!("a {} complaint cannot be closed", c.state.as_str())));
            }
            let visit = match visit_date {
                Some(d) => {
                    let row = NewVisit {
                        outline: format!("{} {}", c.serial, c.summary),
                        staff: c.handler.clone(),
                        ..NewVisit::new(c.customer_id, Channel::Phone, Purpose::ComplaintFollowup, crate::kernel::time::format_date(d))
                    };
                    let v = visit_repo::insert_visit(tx, &row, &now)?;
                    visit_repo::add_visit_log(tx, v, &now, "planned", &serde_json::json!({ "complaint": c.serial }).to_string())?;
                    Some(v)
                }
                None => None,
            };
            let mut wf = Workflow::of(tx, c)?;
            wf.state = ComplaintState::Closed;
            wf.save(tx, c.id, &now)?;
            repo::set_closed(tx, c.id, input.satisfaction, input.accepted, visit, &now)?;
            customer_repo::touch_last_contact(tx, c.customer_id, &crate::kernel::time::format_date(now_local.date()))?;
            let detail = serde_json::json!({ "satisfaction": input.satisfaction, "accepted": input.accepted, "return_visit": visit_date });
            repo::add_log(tx, c.id, &now, input.staff.trim(), "closed", &detail.to_string())
        })
    }

    /// Record breaches when deadlines pass and climb the escalation ladder. Runs on a timer
    /// in the app; returns how many complaints changed.
    pub fn sweep_complaints(&self) -> Result<usize> {
        let now_local = self.now_local();
        let now = self.now_ts();
        let settings = self.complaint_settings()?;
        self.write_system(|tx, _| {
            let mut changed = 0;
            for id in repo::list_overdue_ids(tx, &now)? {
                let c = repo::get_complaint(tx, id, now_local)?;
                if record_breaches(tx, &c, now_local, &settings, &now)? {
                    changed += 1;
                }
            }
            Ok(changed)
        })
    }

    /// The demo's complaints: a dozen over the last two months, in several categories, all
    /// answered and resolved (none left running to fire reminders at a trial desk), most
    /// closed with a score, so the manager's dashboard has something to show.
    pub(super) fn seed_demo_complaints(&self, customers: &[i64]) -> Result<()> {
        const SUMMARIES: [&str; 6] = [
            "上菜太慢",
            "房间有异味",
            "账单多收了服务费",
            "服务员态度冷淡",
            "空调不制冷",
            "预订被弄丢了",
        ];
        let categories = self.complaint_categories()?;
        let now = self.now_local();
        for (i, customer) in customers.iter().step_by(4).take(12).enumerate() {
            let received = now - chrono::TimeDelta::hours(20 + 110 * i as i64);
            let c = self.register_complaint(&ComplaintInput {
                customer_id: Some(*customer),
                category_id: categories.get(i % 5).map(|c| c.id),
                severity: Some([Severity::Normal, Severity::High, Severity::Low][i % 3]),
                summary: SUMMARIES[i % SUMMARIES.len()].into(),
                received_at: received.format("%Y-%m-%d %H:%M").to_string(),
                ..Default::default()
            })?;
            let step = |to| TransitionInput {
                to,
                note: String::new(),
                staff: String::new(),
                duplicate_of: String::new(),
            };
            self.transition_complaint(c.id, &step(ComplaintState::InProgress))?;
            self.resolve_complaint(
                c.id,
                &ResolveInput {
                    resolution: "已道歉并处理 / Apologised and fixed".into(),
                    remedy_kind: (i % 3 == 0).then_some(crate::complaints::ClaimKind::Compensation),
                    remedy_amount: if i % 3 == 0 { "50".into() } else { String::new() },
                    ..Default::default()
                },
            )?;
            if i % 4 == 1 {
                continue;
            }
            self.close_complaint(
                c.id,
                &CloseInput {
                    satisfaction: Some([4, 5, 2, 3, 5][i % 5]),
                    accepted: Some(true),
                    ..Default::default()
                },
            )?;
        }
        Ok(())
    }

    /// Bulk-insert generated complaints (the bench): each is registered as a user would;
    /// those marked `true` are then closed.
    pub fn insert_complaints_bulk(&self, rows: &[(ComplaintInput, bool)]) -> Result<()> {
        let inputs: Vec<&ComplaintInput> = rows.iter().map(|(i, _)| i).collect();
        let settings = self.complaint_settings()?;
        let now_local = self.now_local();
        let now = self.now_ts();
        let tiers: Vec<(i64, Tier)> = inputs
            .iter()
            .filter_map(|i| i.customer_id)
            .map(|id| {
                customer_repo::get_customer(self.held().ok()?.db(), id)
                    .ok()
                    .map(|c| (id, c.tier))
            })
            .collect::<Option<_>>()
            .ok_or_else(|| invalid("customer", "required"))?;
        self.write_as(super::WriteAs::bulk(), |tx, _| {
            crate::audit::repo::add_bulk(tx, crate::audit::RecordKind::Complaint, rows.len())?;
            let category = repo::default_category(tx)?;
            for ((input, (customer_id, tier)), (_, closed)) in inputs.iter().zip(tiers).zip(rows) {
                let (received, amount) = rules::validate_register(input, now_local)?;
                let serial = repo::next_serial(tx, received.year())?;
                let filing = Filing {
                    serial: &serial,
                    customer_id,
                    tier,
                    category_id: input.category_id.unwrap_or(category),
                    received,
                    amount,
                };
                let id = insert_registered(tx, input, &filing, &settings, &now)?;
                repo::add_log(tx, id, &now, "", "registered", &serial)?;
                if *closed {
                    let c = repo::get_complaint(tx, id, now_local)?;
                    let mut wf = Workflow::of(tx, &c)?;
                    wf.state = ComplaintState::Closed;
                    wf.first_response_at = Some(now.clone());
                    wf.save(tx, id, &now)?;
                }
            }
            Ok(())
        })
    }
}

/// Where a registered complaint is filed, as its caller worked it out.
struct Filing<'a> {
    serial: &'a str,
    customer_id: i64,
    /// The customer's tier (a VIP's deadlines may be tighter).
    tier: Tier,
    category_id: i64,
    /// When it was received (local).
    received: NaiveDateTime,
    amount: Option<i64>,
}

/// Insert a complaint as registered: the severity defaults to normal and the deadlines
/// follow from it, the customer's tier and the settings. Returns its id.
fn insert_registered(
    tx: Db<'_>,
    input: &ComplaintInput,
    f: &Filing<'_>,
    settings: &ComplaintSettings,
    now: &str,
) -> Result<i64> {
    let severity = input.severity.unwrap_or(Severity::Normal);
    let (resp, resol) = rules::deadlines(settings, severity, f.tier, f.received);
    repo::insert_complaint(
        tx,
        &NewComplaint {
            serial: f.serial,
            customer_id: f.customer_id,
            channel: input
                .channel
                .unwrap_or(crate::complaints::model::ComplaintChannel::Phone),
            received_at: &store::local_to_ts(f.received),
            category_id: f.category_id,
            severity,
            summary: input.summary.trim(),
            details: input.details.trim(),
            claim_kind: input.claim_kind,
            claim_amount_cents: f.amount,
            claim_text: input.claim_text.trim(),
            handler: input.staff.trim(),
            response_due: &store::local_to_ts(resp),
            resolution_due: &store::local_to_ts(resol),
        },
        now,
    )
}

/// Raise an open complaint's escalation level to what `now` has reached.
fn live_level(c: &mut Complaint, now: NaiveDateTime, hours: [u32; 3]) {
    if c.state.is_open() {
        let (resp, resol) = breaches(c, now);
        c.escalation_level = c
            .escalation_level
            .max(rules::escalation_level(now, &[resp, resol], hours));
    }
}

/// Deadlines already missed at `now` (local): the reply, and the resolution.
fn breaches(c: &Complaint, now: NaiveDateTime) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
    if !c.state.is_open() {
        return (None, None);
    }
    let resp = local(&c.response_due).filter(|d| c.first_response_at.is_none() && *d <= now);
    let resol = local(&c.resolution_due).filter(|d| c.state != ComplaintState::Waiting && *d <= now);
    (
        resp.or(local(&c.response_breached_at)),
        resol.or(local(&c.resolution_breached_at)),
    )
}

/// Record any breach that has happened (at the deadline itself) and the escalation level
/// it has reached, with a log line for each. Returns whether anything changed.
fn record_breaches(
    tx: Db<'_>,
    c: &Complaint,
    now: NaiveDateTime,
    settings: &ComplaintSettings,
    now_ts: &str,
) -> Result<bool> {
    let (resp, resol) = breaches(c, now);
    let level = rules::escalation_level(now, &[resp, resol], settings.escalation_hours);
    let new_resp = c.response_breached_at.is_none() && resp.is_some();
    let new_resol = c.resolution_breached_at.is_none() && resol.is_some();
    if !new_resp && !new_resol && level <= c.escalation_level {
        return Ok(false);
    }
    let resp_ts = resp.filter(|_| new_resp).map(store::local_to_ts);
    let resol_ts = resol.filter(|_| new_resol).map(store::local_to_ts);
    repo::set_escalation(
        tx,
        c.id,
        resp_ts.as_deref(),
        resol_ts.as_deref(),
        level.max(c.escalation_level),
    )?;
    if let Some(at) = &resp_ts {
        repo::add_log(tx, c.id, at, "", "breached", "response")?;
    }
    if let Some(at) = &resol_ts {
        repo::add_log(tx, c.id, at, "", "breached", "resolution")?;
    }
    for l in (c.escalation_level + 1)..=level {
        repo::add_log(tx, c.id, now_ts, "", "escalated", &l.to_string())?;
    }
    Ok(true)
}

/// The workflow fields of one complaint, changed in memory and saved at once.
struct Workflow {
    state: ComplaintState,
    handler: String,
    severity: Severity,
    response_due: Option<String>,
    resolution_due: Option<String>,
    first_response_at: Option<String>,
    paused_since: Option<String>,
    paused_minutes: i64,
    duplicate_of: Option<i64>,
}

impl Workflow {
    fn of(tx: Db<'_>, c: &Complaint) -> Result<Self> {
        Ok(Workflow {
            state: c.state,
            handler: c.handler.clone(),
            severity: c.severity,
            response_due: c.response_due.clone(),
            resolution_due: c.resolution_due.clone(),
            first_response_at: c.first_response_at.clone(),
            paused_since: c.paused_since.clone(),
            paused_minutes: repo::paused_minutes(tx, c.id)?,
            duplicate_of: None,
        })
    }

    /// Leaving "waiting on customer": the resolution deadline moves on by the business
    /// time spent waiting.
    fn resume_if_paused(&mut self, c: &Complaint, settings: &ComplaintSettings, now: NaiveDateTime) {
        if c.state != ComplaintState::Waiting {
            return;
        }
        if let Some(since) = local(&self.paused_since) {
            let waited = settings.schedule.minutes_between(since, now);
            self.paused_minutes += waited;
            if let Some(due) = local(&self.resolution_due) {
                self.resolution_due = Some(store::local_to_ts(settings.schedule.add_minutes(due, waited)));
            }
        }
        self.paused_since = None;
    }

    fn save(&self, tx: Db<'_>, id: i64, now: &str) -> Result<()> {
        let next = next_due(
            self.state,
            self.first_response_at.is_some(),
            self.response_due.as_deref(),
            self.resolution_due.as_deref(),
        );
        repo::update_workflow(
            tx,
            id,
            &WorkflowUpdate {
                state: self.state,
                handler: &self.handler,
                severity: self.severity,
                response_due: self.response_due.as_deref(),
                resolution_due: self.resolution_due.as_deref(),
                next_due: next.as_deref(),
                first_response_at: self.first_response_at.as_deref(),
                paused_since: self.paused_since.as_deref(),
                paused_minutes: self.paused_minutes,
                duplicate_of: self.duplicate_of,
            },
            now,
        )
    }
}

//! The manager's review through the store seam: the same customers, return visits,
//! complaints, losses, reminders and arrivals, each written with its context (so both
//! stores' triggers keep the review's day counts), read back by every review query, with
//! and without filters, give the same figures, lists and drill-downs on the desk's file and
//! on the shared database; and counting the day counts again leaves them as they were.

use std::collections::HashMap;

use chrono::NaiveDate;
use frontdesk::arrivals::model::BookingState;
use frontdesk::arrivals::repo::{self as arrivals, NewBooking};
use frontdesk::audit::{repo as audit, Actor, Context};
use frontdesk::churn::model::{ChurnType, Reason};
use frontdesk::churn::{repo as churn, rules::ValidChurn};
use frontdesk::complaints::model::{ClaimKind, ComplaintChannel, ComplaintState, Severity};
use frontdesk::complaints::repo::{self as complaints, NewComplaint, Resolution, WorkflowUpdate};
use frontdesk::customers::{repo as customers, rules as customer_rules, Tier};
use frontdesk::kernel::time::local_to_ts;
use frontdesk::reminders::model::ReminderKind;
use frontdesk::reminders::repo as reminders;
use frontdesk::review::figures::ScoreGroup;
use frontdesk::review::model::{DrillRow, LowScore, UrgentComplaint};
use frontdesk::review::repo::{self, Filters, Loss, Received, VisitGroup};
use frontdesk::store::db::{Db, Row};
use frontdesk::visits::model::{Channel, Purpose};
use frontdesk::visits::repo::{self as visits, Completion, NewVisit};
use frontdesk_tests::customer;
use frontdesk_tests::server::{on_both_stores, TempDatabase};

const NOW: &str = "2026-12-06T09:30:00.000Z";
const TIERS: [Tier; 4] = [Tier::Vip, Tier::Major, Tier::Regular, Tier::Small];

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The UTC start of a local day, as the dashboard asks.
fn day_start(s: &str) -> String {
    local_to_ts(d(s).and_hms_opt(0, 0, 0).unwrap())
}

/// Run `f` as one write with its context, as the app does.
fn write<T>(db: Db<'_>, at: &str, staff: &str, f: impl FnOnce() -> T) -> T {
    db.batch("BEGIN").unwrap();
    audit::set_context(
        db,
        &Context {
            at: at.into(),
            staff: staff.into(),
            desk: String::new(),
            actor: Actor::Desk,
            reason: String::new(),
            record: true,
        },
    )
    .unwrap();
    let out = f();
    db.batch("COMMIT").unwrap();
    out
}

/// The ids of the story's records, the same on both stores (the server's identities start
/// past the desk's copied records).
#[derive(Debug, PartialEq, Default)]
struct Ids {
    wang: i64,
    li: i64,
    zhang: i64,
    amy: i64,
    zhao: i64,
    chen: i64,
    sun: i64,
    visits: HashMap<&'static str, i64>,
    complaints: HashMap<&'static str, i64>,
    categories: [i64; 3],
    moved: i64,
}

fn add_customer(db: Db<'_>, name: &str, phone: &str, tier: Tier) -> i64 {
    let mut input = customer(name, &[phone]);
    input.tier = Some(tier);
    let valid = customer_rules::validate(&input).unwrap();
    write(db, "2026-09-01T01:00:00.000Z", "小王", || {
        customers::insert_customer(
            db,
            &valid,
            &customers::search_fields(&valid),
            "2026-09-01T01:00:00.000Z",
        )
        .unwrap()
    })
}

/// A return visit due on `due`; done at `done` (UTC) with its score, or left planned.
fn add_visit(db: Db<'_>, who: i64, due: &str, staff: &str, done: Option<(&str, Option<u8>)>) -> i64 {
    let mut v = NewVisit::new(who, Channel::Phone, Purpose::Satisfaction, due.into());
    v.staff = staff.into();
    let id = write(db, "2026-10-01T01:00:00.000Z", staff, || {
        visits::insert_visit(db, &v, "2026-10-01T01:00:00.000Z").unwrap()
    });
    if let Some((at, satisfaction)) = done {
        write(db, at, staff, || {
            visits::complete_visit(
                db,
                id,
                &Completion {
                    notes: "聊了聊",
                    satisfaction,
                    next_step: "",
                },
                at,
            )
            .unwrap()
        });
    }
    id
}

struct Complaint<'a> {
    who: i64,
    category: i64,
    severity: Severity,
    channel: ComplaintChannel,
    handler: &'a str,
    received: &'a str,
    response_due: String,
    resolution_due: String,
}

/// A complaint received at `received` (UTC), to be answered in 4 hours and resolved in 3 days.
fn complaint<'a>(
    who: i64,
    category: i64,
    severity: Severity,
    channel: ComplaintChannel,
    handler: &'a str,
    received: &'a str,
) -> Complaint<'a> {
    let at = chrono::DateTime::parse_from_rfc3339(received).unwrap();
    let ts = |t: chrono::DateTime<chrono::FixedOffset>| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    Complaint {
        who,
        category,
        severity,
        channel,
        handler,
        received,
        response_due: ts(at + chrono::Duration::hours(4)),
        resolution_due: ts(at + chrono::Duration::days(3)),
    }
}

fn add_complaint(db: Db<'_>, c: &Complaint<'_>) -> i64 {
    write(db, c.received, c.handler, || {
        let serial = complaints::next_serial(db, 2026).unwrap();
        complaints::insert_complaint(
            db,
            &NewComplaint {
                serial: &serial,
                customer_id: c.who,
                channel: c.channel,
                received_at: c.received,
                category_id: c.category,
                severity: c.severity,
                summary: "上菜太慢",
                details: "",
                claim_kind: None,
                claim_amount_cents: None,
                claim_text: "",
                handler: c.handler,
                response_due: &c.response_due,
                resolution_due: &c.resolution_due,
            },
            c.received,
        )
        .unwrap()
    })
}

fn workflow(db: Db<'_>, id: i64, state: ComplaintState, c: &Complaint<'_>, answered: Option<&str>, at: &str) {
    write(db, at, c.handler, || {
        complaints::update_workflow(
            db,
            id,
            &WorkflowUpdate {
                state,
                handler: c.handler,
                severity: c.severity,
                response_due: Some(&c.response_due),
                resolution_due: Some(&c.resolution_due),
                next_due: state.is_open().then_some(c.resolution_due.as_str()),
                first_response_at: answered,
                paused_since: None,
                paused_minutes: 0,
                duplicate_of: None,
            },
            at,
        )
        .unwrap()
    });
}

/// Close a complaint: resolved at `resolved` with a remedy, closed at `closed` with a score.
fn close(
    db: Db<'_>,
    id: i64,
    c: &Complaint<'_>,
    remedy: (ClaimKind, Option<i64>),
    resolved: &str,
    closed: &str,
    score: u8,
) {
    workflow(db, id, ComplaintState::Closed, c, Some(c.received), resolved);
    write(db, resolved, c.handler, || {
        complaints::set_resolution(
            db,
            id,
            &Resolution {
                resolution: "道歉并补偿",
                remedy_kind: Some(remedy.0),
                remedy_amount_cents: remedy.1,
                root_cause_category: "",
                root_cause: "",
                corrective_action: "",
            },
            resolved,
        )
        .unwrap()
    });
    write(db, closed, c.handler, || {
        complaints::set_closed(db, id, Some(score), Some(score > 2), None, closed).unwrap()
    });
}

fn lose(db: Db<'_>, who: i64, on: &str, churn_type: ChurnType, reason_id: Option<i64>, staff: &str) -> i64 {
    let at = format!("{on}T08:00:00.000Z");
    write(db, &at, staff, || {
        churn::insert_churn(
            db,
            who,
            &ValidChurn {
                lost_on: d(on),
                churn_type,
                reason_id,
                note: "去了对面那家".into(),
                staff: staff.into(),
            },
            &at,
        )
        .unwrap()
    })
}

/// Customers of every tier; return visits planned, done on time and late, reached without a
/// score, cancelled and tried again, scores high and low; complaints of three categories and
/// every severity, urgent and breached, closed with a low score, a duplicate; losses with
/// and without a reason, one won back; reminders past due; an arrival; an archived customer.
fn review_story(db: Db<'_>) -> Ids {
    let mut ids = Ids {
        wang: add_customer(db, "王芳", "139 0000 0001", Tier::Vip),
        li: add_customer(db, "李雷", "139 0000 0002", Tier::Major),
        zhang: add_customer(db, "张伟", "139 0000 0003", Tier::Regular),
        amy: add_customer(db, "Amy Chen", "139 0000 0004", Tier::Small),
        zhao: add_customer(db, "赵敏", "139 0000 0005", Tier::Vip),
        chen: add_customer(db, "陈晨", "139 0000 0006", Tier::Regular),
        sun: add_customer(db, "孙丽", "139 0000 0007", Tier::Small),
        ..Ids::default()
    };

    // Done at 23:30 UTC on its day ("zhang late evening"): on time here, the next day further east.
    for (name, who, due, staff, done) in [
        (
            "wang on time",
            ids.wang,
            "2026-11-10",
            "小王",
            Some(("2026-11-09T02:00:00.000Z", Some(5))),
        ),
        (
            "li late",
            ids.li,
            "2026-12-02",
            "小李",
            Some(("2026-12-04T03:00:00.000Z", Some(2))),
        ),
        (
            "zhang late evening",
            ids.zhang,
            "2026-12-03",
            "小王",
            Some(("2026-12-03T23:30:00.000Z", Some(4))),
        ),
        ("amy overdue", ids.amy, "2026-12-01", "小李", None),
        (
            "zhao low",
            ids.zhao,
            "2026-11-20",
            "小王",
            Some(("2026-11-20T05:00:00.000Z", Some(1))),
        ),
        (
            "wang no score",
            ids.wang,
            "2026-12-05",
            "",
            Some(("2026-12-05T06:00:00.000Z", None)),
        ),
        ("zhang planned", ids.zhang, "2026-12-10", "小王", None),
        ("li cancelled", ids.li, "2026-12-04", "小李", None),
        ("wang retried", ids.wang, "2026-11-25", "小王", None),
        (
            "chen done",
            ids.chen,
            "2026-12-02",
            "小李",
            Some(("2026-12-02T04:00:00.000Z", Some(3))),
        ),
        (
            "amy low",
            ids.amy,
            "2026-12-06",
            "小李",
            Some(("2026-12-06T01:00:00.000Z", Some(1))),
        ),
    ] {
        ids.visits.insert(name, add_visit(db, who, due, staff, done));
    }
    let cancelled = ids.visits["li cancelled"];
    write(db, "2026-12-03T01:00:00.000Z", "小李", || {
        visits::cancel_visit(db, cancelled, "2026-12-03T01:00:00.000Z").unwrap()
    });
    let retried = ids.visits["wang retried"];
    write(db, "2026-11-25T03:00:00.000Z", "小王", || {
        visits::reschedule_visit(db, retried, "2026-11-28", None, None, true, "2026-11-25T03:00:00.000Z").unwrap()
    });

    let categories = complaints::list_categories(db).unwrap();
    assert!(categories.len() >= 3, "the built-in categories came with the desk");
    ids.categories = [categories[0].id, categories[1].id, categories[2].id];
    let [a, b, c] = ids.categories;
    use ComplaintChannel as Ch;
    let k1 = complaint(
        ids.li,
        a,
        Severity::Urgent,
        Ch::Phone,
        "小李",
        "2026-12-02T02:00:00.000Z",
    );
    let k2 = complaint(
        ids.zhang,
        b,
        Severity::Normal,
        Ch::Wechat,
        "小王",
        "2026-12-03T03:00:00.000Z",
    );
    let k3 = complaint(
        ids.wang,
        a,
        Severity::High,
        Ch::InPerson,
        "小王",
        "2026-11-15T04:00:00.000Z",
    );
    let k4 = complaint(
        ids.amy,
        b,
        Severity::Low,
        Ch::Online,
        "小李",
        "2026-12-05T05:00:00.000Z",
    );
    let k5 = complaint(
        ids.zhao,
        c,
        Severity::Normal,
        Ch::Phone,
        "小王",
        "2026-11-21T02:00:00.000Z",
    );
    let k6 = complaint(
        ids.amy,
        b,
        Severity::Low,
        Ch::Online,
        "小李",
        "2026-12-05T06:00:00.000Z",
    );
    let k7 = complaint(
        ids.li,
        c,
        Severity::High,
        Ch::Letter,
        "小王",
        "2026-12-01T01:00:00.000Z",
    );
    let mut add = |name, c: &Complaint<'_>| {
        let id = add_complaint(db, c);
        ids.complaints.insert(name, id);
        id
    };
    let id1 = add("k1", &k1);
    workflow(
        db,
        id1,
        ComplaintState::InProgress,
        &k1,
        None,
        "2026-12-02T03:00:00.000Z",
    );
    write(db, "2026-12-02T06:00:00.000Z", "", || {
        complaints::set_escalation(db, id1, Some("2026-12-02T06:00:00.000Z"), None, 3).unwrap()
    });
    let id2 = add("k2", &k2);
    close(
        db,
        id2,
        &k2,
        (ClaimKind::Compensation, Some(5000)),
        "2026-12-04T07:00:00.000Z",
        "2026-12-04T08:00:00.000Z",
        2,
    );
    let id3 = add("k3", &k3);
    write(db, "2026-11-18T04:00:00.000Z", "", || {
        complaints::set_escalation(db, id3, None, Some("2026-11-18T04:00:00.000Z"), 1).unwrap()
    });
    add("k4", &k4);
    let id5 = add("k5", &k5);
    close(
        db,
        id5,
        &k5,
        (ClaimKind::Apology, None),
        "2026-11-24T02:00:00.000Z",
        "2026-11-25T02:00:00.000Z",
        2,
    );
    let id6 = add("k6", &k6);
    workflow(
        db,
        id6,
        ComplaintState::Duplicate,
        &k6,
        None,
        "2026-12-05T07:00:00.000Z",
    );
    let id7 = add("k7", &k7);
    write(db, "2026-12-03T01:00:00.000Z", "", || {
        complaints::set_escalation(db, id7, None, None, 3).unwrap()
    });

    write(db, "2026-11-01T01:00:00.000Z", "小王", || {
        churn::save_reason(
            db,
            &Reason {
                id: 0,
                code: None,
                name: "搬家了".into(),
                archived: false,
            },
        )
        .unwrap()
    });
    let reasons = churn::list_reasons(db).unwrap();
    ids.moved = reasons.iter().find(|r| r.name == "搬家了").unwrap().id;
    let built_in = reasons.iter().find(|r| r.code.is_some()).expect("built-in reasons").id;
    lose(
        db,
        ids.zhang,
        "2026-12-02",
        ChurnType::Competitor,
        Some(built_in),
        "小王",
    );
    let amy_lost = lose(db, ids.amy, "2026-11-05", ChurnType::Natural, None, "小李");
    write(db, "2026-12-03T08:00:00.000Z", "小李", || {
        churn::set_won_back(db, amy_lost, "2026-12-03", "回来了", "小李", "2026-12-03T08:00:00.000Z").unwrap()
    });
    lose(db, ids.sun, "2026-10-01", ChurnType::Fault, Some(ids.moved), "");
    write(db, "2026-12-10T00:00:00.000Z", "小王", || {
        customers::set_archived(
            db,
            ids.chen,
            Some("2026-12-10T00:00:00.000Z"),
            "2026-12-10T00:00:00.000Z",
        )
        .unwrap()
    });

    write(db, NOW, "", || {
        for (key, who, due, staff) in [
            ("visit/1", ids.amy, "2026-12-05T01:00:00.000Z", "小王"),
            ("visit/2", ids.li, "2026-12-06T02:00:00.000Z", "小李"),
            ("visit/3", ids.zhang, "2026-12-07T02:00:00.000Z", "小王"),
            ("visit/4", ids.wang, "2026-12-01T02:00:00.000Z", ""),
        ] {
            let new = reminders::insert_occurrence(
                db,
                ReminderKind::Visit,
                key,
                Some(who),
                None,
                due,
                due,
                "{}",
                staff,
                NOW,
            )
            .unwrap();
            assert!(new);
        }
        let b = arrivals::insert_booking(
            db,
            &NewBooking {
                customer_id: ids.wang,
                date: "2026-12-05".into(),
                time: Some("19:30".into()),
                party: 4,
                staff: "小王".into(),
                ..NewBooking::default()
            },
            BookingState::Booked,
            None,
            NOW,
        )
        .unwrap();
        arrivals::set_state(db, b, BookingState::Arrived, Some("2026-12-05T11:31:00.000Z"), "", NOW).unwrap();
    });
    ids
}

fn group_key(g: &VisitGroup) -> (String, bool, bool, bool, usize) {
    (g.staff.clone(), g.done, g.reached, g.on_time, g.n)
}

fn groups(mut v: Vec<VisitGroup>) -> Vec<VisitGroup> {
    v.sort_by_key(group_key);
    v
}

/// Direct groups may come in several pieces of one key: summed, as the kept ones are.
fn merged(v: Vec<VisitGroup>) -> Vec<VisitGroup> {
    let mut m: HashMap<VisitGroup, usize> = HashMap::new();
    for g in v {
        *m.entry(VisitGroup { n: 0, ..g.clone() }).or_default() += g.n;
    }
    groups(m.into_iter().map(|(g, n)| VisitGroup { n, ..g }).collect())
}

/// A loss as compared: lost on, won back on, type, reason, tier.
type LossKey = (String, Option<String>, String, Option<i64>, String);

/// A score count as compared: current, month, tier, staff, score, how many.
type ScoreKey = (bool, String, String, String, i64, usize);

fn scores(v: Vec<ScoreGroup>) -> Vec<ScoreKey> {
    let mut m: HashMap<(bool, String, String, String, i64), usize> = HashMap::new();
    for g in v {
        *m.entry((g.current, g.month, g.tier, g.staff, g.score)).or_default() += g.n;
    }
    let mut out: Vec<_> = m
        .into_iter()
        .map(|((c, mo, t, s, sc), n)| (c, mo, t, s, sc, n))
        .collect();
    out.sort();
    out
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

fn losses(v: Vec<Loss>) -> Vec<LossKey> {
    sorted(
        v.into_iter()
            .map(|l| (l.lost_on, l.won_back_on, l.churn_type, l.reason_id, l.tier))
            .collect(),
    )
}

/// The kept day counts, row by row.
fn kept(db: Db<'_>) -> (Vec<Row>, Vec<Row>) {
    (
        db.query(
            "SELECT * FROM review_visit_days WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6",
            &[],
        )
        .unwrap(),
        db.query(
            "SELECT * FROM review_visit_scores WHERE n <> 0 ORDER BY 1, 2, 3, 4",
            &[],
        )
        .unwrap(),
    )
}

/// Everything the review reads, for the periods and filters a manager picks.
#[derive(Debug, PartialEq)]
struct Seen {
    ids: Ids,
    bounds: (i64, i64),
    facts: Vec<String>,
    facts_filtered: Vec<(String, Vec<i64>)>,
    active: HashMap<String, usize>,
    at_start: HashMap<String, usize>,
    active_regular: HashMap<String, usize>,
    groups: Vec<(String, Vec<VisitGroup>)>,
    scores: Vec<(String, Vec<ScoreKey>)>,
    overdue_visits: Vec<usize>,
    lowest: Vec<LowScore>,
    lowest_filtered: Vec<Vec<LowScore>>,
    vip_low: Vec<LowScore>,
    urgent: Vec<UrgentComplaint>,
    urgent_two: Vec<UrgentComplaint>,
    overdue_reminders: HashMap<String, usize>,
    losses: Vec<LossKey>,
    losses_small: Vec<LossKey>,
    categories: Vec<(String, String)>,
    reasons: Vec<(String, String)>,
    received: Vec<(String, Vec<i64>)>,
    complaint_rows: Vec<DrillRow>,
    score_rows: Vec<(String, (usize, Vec<DrillRow>))>,
    visit_rows: Vec<(String, (usize, Vec<DrillRow>))>,
    loss_rows: Vec<(String, Vec<(Loss, DrillRow)>)>,
    kept_before: (Vec<Row>, Vec<Row>),
    kept_after: (Vec<Row>, Vec<Row>),
}

fn review_reads(db: Db<'_>, ids: Ids) -> Seen {
    let tiers: HashMap<i64, &'static str> = db
        .query("SELECT id, tier FROM customers", &[])
        .unwrap()
        .iter()
        .map(|r| {
            let tier: String = r.get(1).unwrap();
            (
                r.get(0).unwrap(),
                TIERS.iter().find(|t| t.as_str() == tier).unwrap().as_str(),
            )
        })
        .collect();
    let tier_of = |id: i64| tiers.get(&id).copied();
    let (since, split, end) = (
        day_start("2026-11-01"),
        day_start("2026-12-01"),
        day_start("2027-01-01"),
    );
    let none = Filters::default();
    let vip = Filters {
        tier: Some("vip".into()),
        ..Filters::default()
    };
    let regular = Filters {
        tier: Some("regular".into()),
        ..Filters::default()
    };
    let wang = Filters {
        staff: Some("小王".into()),
        ..Filters::default()
    };
    let li = Filters {
        staff: Some("小李".into()),
        ..Filters::default()
    };
    let nobody = Filters {
        staff: Some(String::new()),
        ..Filters::default()
    };
    let [a, b, _] = ids.categories;
    let in_a = Filters {
        category_id: Some(a),
        ..Filters::default()
    };
    let mixed = Filters {
        tier: Some("small".into()),
        category_id: Some(b),
        staff: Some("小李".into()),
    };
    let all = [
        ("none", &none),
        ("vip", &vip),
        ("regular", &regular),
        ("小王", &wang),
        ("小李", &li),
        ("nobody", &nobody),
        ("category a", &in_a),
        ("mixed", &mixed),
    ];

    let bounds = repo::complaint_id_bounds(db).unwrap();
    // In two halves by id, as the dashboard reads them.
    let mid = bounds.0 + (bounds.1 - bounds.0) / 2;
    let mut facts = repo::complaint_facts(db, &since, &none, &tier_of, (bounds.0, mid)).unwrap();
    facts.extend(repo::complaint_facts(db, &since, &none, &tier_of, (mid + 1, i64::MAX)).unwrap());
    facts.sort_by_key(|f| f.id);
    let facts_filtered = all
        .iter()
        .map(|(name, f)| {
            let ids = repo::complaint_facts(db, &since, f, &tier_of, (i64::MIN, i64::MAX))
                .unwrap()
                .iter()
                .map(|f| f.id)
                .collect();
            (name.to_string(), sorted(ids))
        })
        .collect();

    let created: HashMap<String, usize> = [("vip", 2), ("major", 1), ("regular", 2), ("small", 2)]
        .into_iter()
        .map(|(t, n)| (t.to_string(), n))
        .collect();

    let mut groups_seen = Vec::new();
    let mut scores_seen = Vec::new();
    for (from, split_day, to) in [
        ("2026-11-01", "2026-12-01", "2026-12-31"),
        ("2026-12-03", "2026-12-03", "2026-12-03"),
        ("2026-10-01", "2026-11-01", "2026-11-30"),
    ] {
        for (name, f) in &all[..6] {
            let kept = groups(repo::visit_groups(db, split_day, to, f).unwrap());
            let direct = merged(repo::visit_groups_direct(db, split_day, to, f, &tier_of).unwrap());
            assert_eq!(kept, direct, "visits due {split_day}..{to}, {name}");
            groups_seen.push((format!("{split_day}..{to} {name}"), kept));
            let next = d(to).succ_opt().unwrap().to_string();
            let kept = scores(repo::visit_scores(db, from, split_day, to, f).unwrap());
            let direct = scores(
                repo::visit_scores_direct(
                    db,
                    &day_start(from),
                    &day_start(split_day),
                    &day_start(&next),
                    f,
                    &tier_of,
                )
                .unwrap(),
            );
            assert_eq!(kept, direct, "scores {from}..{to} from {split_day}, {name}");
            scores_seen.push((format!("{from}..{to} {name}"), kept));
        }
    }

    let received_for = |name: &str, r: Received<'_>, f: &Filters| {
        (name.to_string(), repo::list_received(db, &r, f, &tier_of).unwrap())
    };
    let period = |category_id, severity, channel| Received {
        since: &split,
        until: &end,
        category_id,
        severity,
        channel,
    };
    let received = vec![
        received_for("all", period(None, None, None), &none),
        received_for("category a", period(Some(a), None, None), &none),
        received_for("category a, filtered b", period(Some(a), None, None), &mixed),
        received_for("urgent", period(None, Some("urgent"), None), &none),
        received_for("wechat", period(None, None, Some("wechat")), &none),
        received_for("小李", period(None, None, None), &li),
        received_for(
            "small",
            period(None, None, None),
            &Filters {
                tier: Some("small".into()),
                ..Filters::default()
            },
        ),
        received_for(
            "november",
            Received {
                since: &since,
                until: &split,
                category_id: None,
                severity: None,
                channel: None,
            },
            &none,
        ),
    ];
    let complaint_rows = repo::list_complaint_rows(db, &received[0].1).unwrap();

    let score_rows = [
        ("all", &none, None, 50),
        ("first three", &none, None, 3),
        ("score 2", &none, Some(2), 50),
        ("小王", &wang, None, 50),
        ("regular", &regular, None, 50),
        ("vip, score 1", &vip, Some(1), 50),
    ]
    .into_iter()
    .map(|(name, f, score, limit)| {
        (
            name.to_string(),
            repo::list_score_rows(db, &split, &end, f, score, limit).unwrap(),
        )
    })
    .collect();
    let visit_rows = [
        ("all", &none, 50),
        ("first two", &none, 2),
        ("regular", &regular, 50),
        ("小李", &li, 50),
    ]
    .into_iter()
    .map(|(name, f, limit)| {
        (
            name.to_string(),
            repo::list_visit_rows(db, "2026-12-01", "2026-12-31", f, limit).unwrap(),
        )
    })
    .collect();
    let loss_rows = [
        ("december", "2026-12-01", "2026-12-31", None, usize::MAX >> 1),
        ("autumn", "2026-09-01", "2026-12-31", None, usize::MAX >> 1),
        ("autumn, two", "2026-09-01", "2026-12-31", None, 2),
        ("autumn, small", "2026-09-01", "2026-12-31", Some("small"), 50),
    ]
    .into_iter()
    .map(|(name, from, to, tier, limit)| {
        (
            name.to_string(),
            repo::list_loss_rows(db, from, to, tier, limit).unwrap(),
        )
    })
    .collect();

    // Counting again (after a time-zone change) leaves the kept counts as they were, the
    // server's session zone notwithstanding: the recount names the machine's zone.
    let kept_before = kept(db);
    if db.is_server() {
        db.batch("SET TimeZone = 'Asia/Tokyo'").unwrap();
    }
    db.batch("BEGIN").unwrap();
    repo::recount_visit_days(db).unwrap();
    db.batch("COMMIT").unwrap();
    if db.is_server() {
        db.batch("RESET TimeZone").unwrap();
    }
    let kept_after = kept(db);
    for (name, f) in &all[..6] {
        let kept = groups(repo::visit_groups(db, "2026-11-01", "2026-12-31", f).unwrap());
        let direct = merged(repo::visit_groups_direct(db, "2026-11-01", "2026-12-31", f, &tier_of).unwrap());
        assert_eq!(kept, direct, "after the recount, {name}");
    }

    Seen {
        bounds,
        facts: facts.iter().map(|f| format!("{f:?}")).collect(),
        facts_filtered,
        active: repo::active_by_tier(db, &end, "2026-12-31", None, created.clone()).unwrap(),
        at_start: repo::active_by_tier(db, &split, "2026-11-30", None, created.clone()).unwrap(),
        active_regular: repo::active_by_tier(db, &end, "2026-12-31", Some("regular"), created).unwrap(),
        groups: groups_seen,
        scores: scores_seen,
        overdue_visits: all[..6]
            .iter()
            .map(|(_, f)| repo::count_overdue_visits(db, "2026-12-06", f).unwrap())
            .collect(),
        lowest: repo::list_low_scores(db, &split, &end, &none, &tier_of, 10).unwrap(),
        lowest_filtered: [&wang, &regular, &li]
            .iter()
            .map(|f| repo::list_low_scores(db, &since, &end, f, &tier_of, 10).unwrap())
            .chain([repo::list_low_scores(db, &since, &end, &none, &tier_of, 2).unwrap()])
            .collect(),
        vip_low: repo::list_vip_low(db, &tier_of, 10).unwrap(),
        urgent: repo::list_urgent_complaints(db, 10).unwrap(),
        urgent_two: repo::list_urgent_complaints(db, 2).unwrap(),
        overdue_reminders: repo::count_overdue_reminders(db, NOW).unwrap(),
        losses: losses(repo::list_losses(db, "2026-11-01", None).unwrap()),
        losses_small: losses(repo::list_losses(db, "2026-09-01", Some("small")).unwrap()),
        categories: repo::list_category_labels(db).unwrap(),
        reasons: repo::list_reason_labels(db).unwrap(),
        received,
        complaint_rows,
        score_rows,
        visit_rows,
        loss_rows,
        kept_before,
        kept_after,
        ids,
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn the_review_reads_the_same_on_the_desk_file_and_the_server() {
    let pg = TempDatabase::new();
    let (on_desk, on_server) = on_both_stores(&pg, |db| {
        let ids = review_story(db);
        review_reads(db, ids)
    });
    assert_eq!(on_server.ids, on_desk.ids, "the same records");
    assert_eq!(on_server.facts, on_desk.facts, "the same complaint facts");
    assert_eq!(on_server.groups, on_desk.groups, "the same visit counts");
    assert_eq!(on_server.scores, on_desk.scores, "the same score counts");
    assert_eq!(on_server.lowest, on_desk.lowest, "the same low scores");
    assert_eq!(on_server.received, on_desk.received, "the same complaints received");
    assert_eq!(on_server.score_rows, on_desk.score_rows, "the same score drill-downs");
    assert_eq!(on_server.visit_rows, on_desk.visit_rows, "the same visit drill-downs");
    assert_eq!(on_server.loss_rows, on_desk.loss_rows, "the same loss drill-downs");
    assert_eq!(on_server.kept_before, on_desk.kept_before, "the same kept counts");
    assert_eq!(on_server, on_desk);

    let s = on_server;
    let ids = &s.ids;
    let v = |name: &str| ids.visits[name];
    let k = |name: &str| ids.complaints[name];

    // The kept counts stand after counting again.
    assert_eq!(
        s.kept_after, s.kept_before,
        "the recount leaves the counts as they were"
    );
    assert!(!s.kept_before.0.is_empty() && !s.kept_before.1.is_empty());

    // The complaints: the duplicate is left out, the rest are known by their facts.
    assert_eq!(s.facts.len(), 6, "{:#?}", s.facts);
    assert!(!s
        .facts
        .iter()
        .any(|f| f.starts_with(&format!("ComplaintFact {{ id: {},", k("k6")))));
    let filtered = |name: &str| s.facts_filtered.iter().find(|(n, _)| n == name).unwrap().1.clone();
    assert_eq!(filtered("vip"), sorted(vec![k("k3"), k("k5")]));
    assert_eq!(filtered("小李"), sorted(vec![k("k1"), k("k4")]));
    assert_eq!(filtered("category a"), sorted(vec![k("k1"), k("k3")]));
    assert_eq!(filtered("mixed"), vec![k("k4")]);
    assert_eq!(filtered("nobody"), Vec::<i64>::new());
    let k2 = s
        .facts
        .iter()
        .find(|f| f.starts_with(&format!("ComplaintFact {{ id: {},", k("k2"))))
        .unwrap();
    assert!(
        k2.contains("is_open: false") && k2.contains("remedy: true") && k2.contains("remedy_cents: 5000"),
        "{k2}"
    );
    assert!(
        k2.contains("satisfaction: Some(2)") && k2.contains("channel: \"wechat\""),
        "{k2}"
    );

    // Who is still a customer: the archived and the lost are not.
    let map = |pairs: &[(&str, usize)]| -> HashMap<String, usize> {
        pairs.iter().map(|(t, n)| (t.to_string(), *n)).collect()
    };
    assert_eq!(s.active, map(&[("vip", 2), ("major", 1), ("regular", 0), ("small", 1)]));
    assert_eq!(
        s.at_start,
        map(&[("vip", 2), ("major", 1), ("regular", 2), ("small", 0)])
    );
    assert_eq!(s.active_regular, map(&[("regular", 0)]));

    // December's return visits: seven due (the cancelled one is not), five done, one late.
    let december = &s.groups[0].1;
    let n = |p: &dyn Fn(&VisitGroup) -> bool| december.iter().filter(|g| p(g)).map(|g| g.n).sum::<usize>();
    assert_eq!(n(&|_| true), 7, "{december:?}");
    assert_eq!(n(&|g| g.done), 5);
    assert_eq!(n(&|g| g.done && g.reached), 5);
    assert_eq!(n(&|g| g.on_time), 4);
    assert_eq!(
        n(&|g| g.done && !g.on_time && g.staff == "小李"),
        1,
        "李雷's visit was late"
    );
    assert_eq!(s.overdue_visits, [2, 1, 0, 1, 1, 0], "overdue now: by tier and staff");
    let current_low: usize = s.scores[0].1.iter().filter(|g| g.0 && g.4 <= 2).map(|g| g.5).sum();
    assert_eq!(current_low, 2, "two low visit scores in December");

    // The lowest scores, newest first; the VIP whose last score was low.
    let lowest: Vec<(&str, i64, i64)> = s
        .lowest
        .iter()
        .map(|l| (l.source.as_str(), l.record_id, l.score))
        .collect();
    assert_eq!(
        lowest,
        [
            ("visit", v("amy low"), 1),
            ("complaint", k("k2"), 2),
            ("visit", v("li late"), 2)
        ]
    );
    assert_eq!(s.lowest[0].customer_name, "Amy Chen");
    assert_eq!(s.lowest[0].tier, "small");
    let [by_wang, by_regular, by_li, first_two] = &s.lowest_filtered[..] else {
        panic!("four lists")
    };
    let records = |l: &[LowScore]| l.iter().map(|l| l.record_id).collect::<Vec<_>>();
    assert_eq!(records(by_wang), [k("k2"), k("k5"), v("zhao low")]);
    assert_eq!(records(by_regular), [k("k2")]);
    assert_eq!(records(by_li), [v("amy low"), v("li late")]);
    assert_eq!(records(first_two), [v("amy low"), k("k2")]);
    assert_eq!(
        s.vip_low.len(),
        1,
        "赵敏's low visit was followed by a low complaint score"
    );
    assert_eq!(
        (
            s.vip_low[0].customer_name.as_str(),
            s.vip_low[0].source.as_str(),
            s.vip_low[0].record_id
        ),
        ("赵敏", "complaint", k("k5"))
    );

    // The urgent complaints: top of the ladder first, oldest first; then the breached.
    let urgent: Vec<(i64, i64, bool)> = s
        .urgent
        .iter()
        .map(|u| (u.id, u.escalation_level, u.breached))
        .collect();
    assert_eq!(urgent, [(k("k7"), 3, false), (k("k1"), 3, true), (k("k3"), 1, true)]);
    assert_eq!(s.urgent[1].customer_name, "李雷");
    assert!(s.urgent[1].serial.starts_with("TS-2026-"));
    assert_eq!(s.urgent_two, s.urgent[..2]);

    assert_eq!(s.overdue_reminders, map(&[("小王", 1), ("小李", 1), ("", 1)]));

    // Losses since November: 张伟 to a competitor, Amy lost and won back; 孙丽 earlier.
    assert_eq!(s.losses.len(), 2, "{:?}", s.losses);
    assert!(s
        .losses
        .iter()
        .any(|l| l.0 == "2026-12-02" && l.2 == "competitor" && l.3.is_some() && l.4 == "regular"));
    assert!(s
        .losses
        .iter()
        .any(|l| l.0 == "2026-11-05" && l.1.as_deref() == Some("2026-12-03") && l.3.is_none()));
    assert_eq!(s.losses_small.len(), 2, "Amy and 孙丽: {:?}", s.losses_small);
    assert!(s.losses_small.iter().any(|l| l.2 == "fault" && l.3 == Some(ids.moved)));
    let loss_rows = |name: &str| &s.loss_rows.iter().find(|(n, _)| n == name).unwrap().1;
    let december: Vec<&str> = loss_rows("december")
        .iter()
        .map(|(_, r)| r.customer_name.as_str())
        .collect();
    assert_eq!(december, ["张伟"]);
    let autumn: Vec<(&str, &str)> = loss_rows("autumn")
        .iter()
        .map(|(l, r)| (l.lost_on.as_str(), r.customer_name.as_str()))
        .collect();
    assert_eq!(
        autumn,
        [
            ("2026-12-02", "张伟"),
            ("2026-11-05", "Amy Chen"),
            ("2026-10-01", "孙丽")
        ]
    );
    assert_eq!(loss_rows("autumn, two").len(), 2);
    assert_eq!(loss_rows("autumn")[0].1.detail, "去了对面那家");

    // Labels: built-in codes to translate, the user's own names as typed.
    assert!(s.categories.iter().any(|(_, l)| l.starts_with("category.")));
    assert!(s
        .reasons
        .iter()
        .any(|(key, l)| key == &ids.moved.to_string() && l == "搬家了"));
    assert!(s.reasons.iter().any(|(_, l)| l.starts_with("churn.reason.")));

    // The drill-downs.
    let received = |name: &str| s.received.iter().find(|(n, _)| n == name).unwrap().1.clone();
    assert_eq!(
        received("all"),
        [k("k4"), k("k2"), k("k1"), k("k7")],
        "newest first, no duplicate"
    );
    assert_eq!(received("category a"), [k("k1")]);
    assert_eq!(received("category a, filtered b"), Vec::<i64>::new());
    assert_eq!(received("urgent"), [k("k1")]);
    assert_eq!(received("wechat"), [k("k2")]);
    assert_eq!(received("小李"), [k("k4"), k("k1")]);
    assert_eq!(received("small"), [k("k4")]);
    assert_eq!(received("november"), [k("k5"), k("k3")]);
    let rows: Vec<(i64, &str)> = s
        .complaint_rows
        .iter()
        .map(|r| (r.id, r.customer_name.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (k("k4"), "Amy Chen"),
            (k("k2"), "张伟"),
            (k("k1"), "李雷"),
            (k("k7"), "李雷")
        ]
    );
    assert_eq!(s.complaint_rows[1].staff, "小王");
    let score_rows = |name: &str| &s.score_rows.iter().find(|(n, _)| n == name).unwrap().1;
    let (total, rows) = score_rows("all");
    assert_eq!(*total, 5);
    let titles: Vec<(&str, &str)> = rows.iter().map(|r| (r.opens.as_str(), r.title.as_str())).collect();
    assert_eq!(
        titles,
        [
            ("visit", "1"),
            ("complaint", "2"),
            ("visit", "2"),
            ("visit", "4"),
            ("visit", "3")
        ]
    );
    assert_eq!(score_rows("first three").0, 5);
    assert_eq!(score_rows("first three").1, rows[..3]);
    assert_eq!(score_rows("score 2").0, 2);
    let ids_of = |rows: &[DrillRow]| rows.iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids_of(&score_rows("小王").1), [k("k2"), v("zhang late evening")]);
    assert_eq!(
        ids_of(&score_rows("regular").1),
        [k("k2"), v("zhang late evening"), v("chen done")]
    );
    assert_eq!(score_rows("vip, score 1").0, 0);
    let visit_rows = |name: &str| &s.visit_rows.iter().find(|(n, _)| n == name).unwrap().1;
    let (total, rows) = visit_rows("all");
    assert_eq!(*total, 7);
    assert_eq!(rows[0].id, v("zhang planned"), "the latest due first");
    assert!(rows.windows(2).all(|w| w[0].at >= w[1].at));
    assert_eq!(visit_rows("first two").0, 7);
    assert_eq!(visit_rows("first two").1, rows[..2]);
    let amy = rows.iter().find(|r| r.id == v("amy low")).unwrap();
    assert_eq!((amy.title.as_str(), amy.detail.as_str()), ("done", "reached"));
    let planned = rows.iter().find(|r| r.id == v("amy overdue")).unwrap();
    assert_eq!((planned.title.as_str(), planned.detail.as_str()), ("planned", ""));
    assert_eq!(visit_rows("regular").0, 3);
    assert_eq!(visit_rows("小李").0, 4);
}

//! Return visits (回访) through the store seam: planning, the agenda's windows and counts,
//! attempts and outcomes, a customer's history, plans, templates and the export's stream,
//! the same on the desk's file and on the shared database.

use frontdesk::customers::{repo as customers, rules as customer_rules};
use frontdesk::kernel::recurrence::{Repeat, RepeatUnit};
use frontdesk::store::db::Db;
use frontdesk::visits::model::{
    CalendarDay, Channel, CustomerVisitEvent, FollowupPlan, OutlineTemplate, PlanStep, Purpose, Visit, VisitLogEntry,
    VisitState,
};
use frontdesk::visits::repo::{self, Completion, NewVisit};
use frontdesk_tests::customer;
use frontdesk_tests::server::{on_both_stores, TempDatabase};

const NOW: &str = "2026-12-06T09:30:00.000Z";
const LATER: &str = "2026-12-06T10:00:00.000Z";

#[derive(Debug, PartialEq)]
struct Seen {
    planned: Vec<Visit>,
    counts: (usize, usize),
    overdue: (usize, Vec<Visit>),
    history: Vec<Visit>,
    log: Vec<VisitLogEntry>,
    events: Vec<CustomerVisitEvent>,
    calendar: Vec<CalendarDay>,
    due: Vec<(i64, String, Option<String>)>,
    plans: Vec<FollowupPlan>,
    templates: Vec<OutlineTemplate>,
    exported: Vec<(i64, String)>,
    last_score: Option<u8>,
}

fn visit(who: i64, day: &str, time: Option<&str>) -> NewVisit {
    let mut v = NewVisit::new(who, Channel::Phone, Purpose::Satisfaction, day.into());
    v.due_time = time.map(str::to_string);
    v.staff = "小王".into();
    v
}

fn visits_story(db: Db<'_>) -> Seen {
    let valid = customer_rules::validate(&customer("李雷", &["139 0000 1111"])).unwrap();
    let who = customers::insert_customer(db, &valid, &customers::search_fields(&valid), NOW).unwrap();
    let quiet = customer_rules::validate(&customer("Amy Chen", &[])).unwrap();
    let amy = customers::insert_customer(db, &quiet, &customers::search_fields(&quiet), NOW).unwrap();

    // Two on the 6th (one all day, one at 15:00), one overdue at 09:00 and one overdue all day
    // on the 1st, one on the 8th repeating monthly, one for Amy.
    let timed = repo::insert_visit(db, &visit(who, "2026-12-06", Some("15:00")), NOW).unwrap();
    let all_day = repo::insert_visit(db, &visit(who, "2026-12-06", None), NOW).unwrap();
    let late_timed = repo::insert_visit(db, &visit(who, "2026-12-01", Some("09:00")), NOW).unwrap();
    repo::insert_visit(db, &visit(who, "2026-12-01", None), NOW).unwrap();
    let mut monthly = visit(who, "2026-12-08", Some("10:30"));
    monthly.repeat = Some(Repeat {
        unit: RepeatUnit::Month,
        every: 1,
    });
    monthly.repeat_anchor = Some("2026-11-08".into());
    monthly.repeat_index = 1;
    let monthly = repo::insert_visit(db, &monthly, NOW).unwrap();
    let amys = repo::insert_visit(db, &visit(amy, "2026-12-07", None), NOW).unwrap();
    assert!(timed < all_day && all_day < monthly && monthly < amys, "ids rise");

    let lineage = repo::get_lineage(db, monthly).unwrap();
    assert_eq!(
        (lineage.repeat_anchor.as_deref(), lineage.repeat_index),
        (Some("2026-11-08"), 1)
    );
    let got = repo::get_visit(db, monthly).unwrap();
    assert_eq!(got.repeat.map(|r| (r.unit, r.every)), Some((RepeatUnit::Month, 1)));
    assert_eq!(got.customer_name, "李雷");
    let missing = repo::get_visit(db, amys + 1000).unwrap_err();
    assert!(matches!(missing, frontdesk::error::Error::NotFound { .. }), "{missing}");

    // The 1st at 09:00 was not reached: tried again on the 9th; Amy's visit is done (4/5).
    repo::reschedule_visit(db, late_timed, "2026-12-09", Some("09:00"), None, true, LATER).unwrap();
    repo::add_visit_log(db, late_timed, LATER, "not_reached", r#"{"notes":"没人接"}"#).unwrap();
    let done = Completion {
        notes: "很满意",
        satisfaction: Some(4),
        next_step: "",
    };
    repo::complete_visit(db, amys, &done, LATER).unwrap();
    repo::add_visit_log(db, amys, LATER, "done", "{}").unwrap();
    repo::cancel_visit(db, all_day, LATER).unwrap();

    let plan = FollowupPlan {
        id: 0,
        name: " 新客三步 ".into(),
        steps: vec![PlanStep {
            offset_days: 3,
            channel: Channel::Wechat,
            purpose: Purpose::KeepInTouch,
            outline: "问候".into(),
        }],
    };
    let plan_id = repo::save_plan(db, &plan, NOW).unwrap();
    assert_eq!(repo::get_plan(db, plan_id).unwrap().name, "新客三步");
    let template = OutlineTemplate {
        id: 0,
        name: "回访".into(),
        body: "您好".into(),
    };
    let kept = repo::save_template(db, &template, NOW).unwrap();
    let dropped = repo::save_template(db, &template, NOW).unwrap();
    repo::delete_template(db, dropped).unwrap();
    let gone = OutlineTemplate {
        id: dropped,
        ..template
    };
    assert!(
        repo::save_template(db, &gone, NOW).is_err(),
        "a deleted template is not saved"
    );
    assert_ne!(kept, dropped);

    let mut exported = Vec::new();
    repo::for_each_visit(db, |v, phone| {
        exported.push((v.id, phone));
        Ok(())
    })
    .unwrap();
    let due = repo::list_due_between(db, "2026-12-06", "2026-12-09")
        .unwrap()
        .into_iter()
        .map(|d| (d.id, d.due_date, d.due_time))
        .collect::<Vec<_>>();
    let mut due = due;
    due.sort();
    Seen {
        planned: repo::list_planned_between(db, "2026-12-01", "2026-12-31", 50).unwrap(),
        counts: repo::count_overdue_and_on(db, "2026-12-06").unwrap(),
        overdue: repo::list_overdue(db, "2026-12-08", 50).unwrap(),
        history: repo::list_customer_visits(db, who).unwrap(),
        log: repo::list_visit_log(db, late_timed).unwrap(),
        events: repo::list_customer_visit_events(db, who).unwrap(),
        calendar: repo::calendar_counts(db, "2026-12-01", "2026-12-31").unwrap(),
        due,
        plans: repo::list_plans(db).unwrap(),
        templates: repo::list_templates(db).unwrap(),
        exported,
        last_score: repo::last_satisfaction(db, amy).unwrap(),
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn visits_are_planned_and_listed_alike_on_the_desk_file_and_the_server() {
    let pg = TempDatabase::new();
    let (on_desk, on_server) = on_both_stores(&pg, visits_story);
    assert_eq!(on_server, on_desk);

    let s = on_server;
    let when = |v: &Visit| (v.due_date.clone(), v.due_time.clone());
    assert_eq!(
        s.planned.iter().map(when).collect::<Vec<_>>(),
        [
            ("2026-12-01".to_string(), None),
            ("2026-12-06".to_string(), Some("15:00".to_string())),
            ("2026-12-08".to_string(), Some("10:30".to_string())),
            ("2026-12-09".to_string(), Some("09:00".to_string())),
        ],
        "all-day visits first within a day; cancelled and done ones left out"
    );
    assert_eq!(s.counts, (1, 1), "one overdue (the 1st), one today (15:00)");
    assert_eq!(
        s.overdue.1.iter().map(when).collect::<Vec<_>>(),
        [
            ("2026-12-06".to_string(), Some("15:00".to_string())),
            ("2026-12-01".to_string(), None),
        ],
        "most recently due first"
    );
    assert_eq!(s.overdue.0, 2);
    assert!(
        s.history.iter().take(4).all(|v| v.state == VisitState::Planned),
        "planned first in the customer's history"
    );
    assert_eq!(s.history.last().map(|v| v.state), Some(VisitState::Cancelled));
    assert_eq!(s.history[0].attempts, 0);
    assert_eq!(
        s.history.iter().map(|v| v.attempts).sum::<u32>(),
        1,
        "the failed try counted"
    );
    assert_eq!(s.log.len(), 1);
    assert_eq!(s.events.len(), 1, "the customer's history shows the failed try");
    assert_eq!(
        s.calendar
            .iter()
            .map(|d| (d.date.as_str(), d.planned, d.done))
            .collect::<Vec<_>>(),
        [
            ("2026-12-01", 1, 0),
            ("2026-12-06", 1, 0),
            ("2026-12-07", 0, 1),
            ("2026-12-08", 1, 0),
            ("2026-12-09", 1, 0)
        ]
    );
    assert_eq!(s.due.len(), 3, "the 6th, the 8th and the 9th");
    assert_eq!(
        s.plans.iter().filter(|p| p.name == "新客三步").count(),
        1,
        "the new plan, trimmed, beside the built-in ones"
    );
    assert_eq!(
        s.templates.iter().filter(|t| t.name == "回访").count(),
        1,
        "the deleted twin is gone"
    );
    assert_eq!(s.exported.len(), 6);
    assert_eq!(s.exported[0].1, "139 0000 1111", "the customer's first phone");
    assert!(
        s.exported.iter().any(|(_, phone)| phone.is_empty()),
        "no phone exports as empty"
    );
    assert_eq!(s.last_score, Some(4));
}

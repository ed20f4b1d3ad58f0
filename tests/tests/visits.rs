//! Return visits through the real database file: planning, outcomes, retries, recurrence,
//! plans, the agenda by the local day, and the keep-in-touch cadence.

use chrono::NaiveDate;
use frontdesk::customers::{ContactFilter, FollowupFilter, ListQuery, SortBy, Tier};
use frontdesk::visits::{
    Channel, NextVisit, OutcomeCorrection, OutcomeInput, Purpose, Repeat, RepeatUnit, Retry, VisitInput, VisitState,
};
use frontdesk_tests::{customer, Clocked};

/// An app whose clock the test moves by hand.
fn visit(customer_id: i64, date: &str) -> VisitInput {
    VisitInput {
        customer_id,
        channel: Some(Channel::Phone),
        purpose: Some(Purpose::Satisfaction),
        due_date: date.into(),
        outline: "满意吗?".into(),
        ..Default::default()
    }
}

fn reached(satisfaction: u8) -> OutcomeInput {
    OutcomeInput {
        reached: true,
        notes: "很满意".into(),
        satisfaction: Some(satisfaction),
        next_step: String::new(),
        retry: None,
        next_visit: None,
    }
}

fn not_reached(retry: Retry) -> OutcomeInput {
    OutcomeInput {
        reached: false,
        notes: "没人接".into(),
        satisfaction: None,
        next_step: String::new(),
        retry: Some(retry),
        next_visit: None,
    }
}

#[test]
fn a_visit_from_plan_to_outcome() {
    let t = Clocked::new("2026-11-22 09:00");
    let c = t.app.create_customer(&customer("张伟", &["13800138000"])).unwrap();
    let v = t.app.plan_visit(&visit(c.id, "2026-11-22")).unwrap();
    assert_eq!(v.state, VisitState::Planned);
    let agenda = t.app.agenda().unwrap();
    assert_eq!(agenda.today_visits.iter().map(|v| v.id).collect::<Vec<_>>(), vec![v.id]);
    assert_eq!(t.app.visit_counts().unwrap().today, 1);

    // Not reached: tried again tomorrow, with one attempt counted.
    let r = t.app.record_outcome(v.id, &not_reached(Retry::Tomorrow)).unwrap();
    assert_eq!(r.visit.due_date, "2026-11-23");
    assert_eq!(r.visit.attempts, 1);
    assert!(t.app.agenda().unwrap().today_visits.is_empty());
    // The customer's history shows the attempt and the move, newest first.
    let d = t.app.customer_detail(c.id, t.app.today()).unwrap();
    let events: Vec<(&str, &str)> = d
        .visit_events
        .iter()
        .map(|e| (e.kind.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[1].0, "not_reached");
    assert!(events[1].1.contains("没人接"), "{events:?}");
    assert_eq!(events[0].0, "rescheduled");

    // Tomorrow: reached, satisfaction 4, and a next visit in a month.
    t.set("2026-11-23 10:00");
    assert_eq!(t.app.agenda().unwrap().today_visits.len(), 1);
    let mut o = reached(4);
    o.next_step = "一个月后再问".into();
    o.next_visit = Some(NextVisit {
        due_date: "2026-12-23".into(),
        due_time: "15:00".into(),
        channel: Some(Channel::Wechat),
        purpose: Some(Purpose::KeepInTouch),
        outline: String::new(),
    });
    let r = t.app.record_outcome(v.id, &o).unwrap();
    assert_eq!(r.visit.state, VisitState::Done);
    assert_eq!(r.visit.satisfaction, Some(4));
    assert_eq!(r.scheduled.len(), 1);
    assert_eq!(r.scheduled[0].due_date, "2026-12-23");
    assert_eq!(r.scheduled[0].due_time.as_deref(), Some("15:00"));
    assert!(r.scheduled[0].due_at.is_some());

    // The cadence clock restarted; the list knows the next visit.
    assert_eq!(
        t.app.get_customer(c.id).unwrap().last_contact_date.as_deref(),
        Some("2026-11-23")
    );
    let page = t.app.list_customers(&ListQuery::default()).unwrap();
    assert_eq!(page.items[0].next_visit_date.as_deref(), Some("2026-12-23"));

    // The log tells the whole story; a done visit cannot get another outcome.
    let kinds: Vec<String> = t.app.visit_log(v.id).unwrap().into_iter().map(|l| l.kind).collect();
    assert_eq!(kinds, vec!["planned", "not_reached", "rescheduled", "done"]);
    let err = t.app.record_outcome(v.id, &reached(5)).unwrap_err();
    assert_eq!((err.kind(), err.code()), ("invalid_state", Some("visit_done")));

    // Correcting the outcome keeps the old values in the log.
    let fixed = OutcomeCorrection {
        notes: "其实非常满意".into(),
        satisfaction: Some(5),
        next_step: String::new(),
    };
    assert_eq!(t.app.correct_outcome(v.id, &fixed).unwrap().satisfaction, Some(5));
    let log = t.app.visit_log(v.id).unwrap();
    assert_eq!(log.last().unwrap().kind, "corrected");
    assert!(log.last().unwrap().detail.contains("很满意"));
}

#[test]
fn bad_input_is_refused_and_writes_nothing() {
    let t = Clocked::new("2026-11-22 09:00");
    let c = t.app.create_customer(&customer("王芳", &[])).unwrap();
    let err = t.app.plan_visit(&visit(c.id, "2026-02-30")).unwrap_err();
    assert_eq!(err.fields()[0].code, "invalid_date");
    assert!(t.app.customer_visits(c.id).unwrap().is_empty());

    let v = t.app.plan_visit(&visit(c.id, "2026-11-22")).unwrap();
    let err = t.app.record_outcome(v.id, &reached(7)).unwrap_err();
    assert_eq!(err.fields()[0].field, "satisfaction");
    assert_eq!(t.app.get_visit(v.id).unwrap().state, VisitState::Planned);

    let past = not_reached(Retry::On {
        date: "2026-11-01".into(),
        time: String::new(),
    });
    assert_eq!(
        t.app.record_outcome(v.id, &past).unwrap_err().fields()[0].code,
        "date_in_past"
    );
    assert_eq!(
        t.app.get_visit(v.id).unwrap().attempts,
        0,
        "a refused outcome counted an attempt"
    );

    t.app.cancel_visit(v.id).unwrap();
    let err = t.app.record_outcome(v.id, &reached(4)).unwrap_err();
    assert_eq!(err.code(), Some("visit_cancelled"));
    assert_eq!(t.app.visit_log(v.id).unwrap().len(), 2);

    assert_eq!(
        t.app.plan_visit(&visit(999, "2026-11-22")).unwrap_err().kind(),
        "not_found"
    );
    t.app.archive_customer(c.id).unwrap();
    assert_eq!(
        t.app.plan_visit(&visit(c.id, "2026-11-22")).unwrap_err().code(),
        Some("customer_archived")
    );
}

#[test]
fn recurring_visits_and_follow_up_plans_schedule_what_comes_next() {
    let t = Clocked::new("2026-01-31 09:00");
    let c = t.app.create_customer(&customer("李娜", &[])).unwrap();
    let mut input = visit(c.id, "2026-01-31");
    input.repeat = Some(Repeat {
        unit: RepeatUnit::Month,
        every: 1,
    });
    let v = t.app.plan_visit(&input).unwrap();
    let next = t.app.record_outcome(v.id, &reached(5)).unwrap().scheduled;
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].due_date, "2026-02-28");
    t.set("2026-02-28 09:00");
    let next = t.app.record_outcome(next[0].id, &reached(5)).unwrap().scheduled;
    assert_eq!(next[0].due_date, "2026-03-31", "the month end drifted");

    // The default "after a complaint" plan: +1 day, then +7 days.
    let plans = t.app.plans().unwrap();
    assert!(plans.len() >= 2);
    let plan = plans
        .iter()
        .find(|p| p.steps.len() == 2 && p.steps[0].offset_days == 1)
        .unwrap();
    t.set("2026-03-02 09:00");
    let first = t.app.apply_plan(c.id, plan.id, "小王").unwrap();
    assert_eq!(first.due_date, "2026-03-03");
    assert_eq!(first.purpose, Purpose::ComplaintFollowup);
    t.set("2026-03-03 11:00");
    let second = t.app.record_outcome(first.id, &reached(3)).unwrap().scheduled;
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].due_date, "2026-03-09");
    assert_eq!(second[0].purpose, Purpose::Satisfaction);
    assert!(t
        .app
        .record_outcome(second[0].id, &reached(5))
        .unwrap()
        .scheduled
        .is_empty());
}

#[test]
fn the_agenda_follows_the_local_day() {
    let t = Clocked::new("2026-11-22 23:30");
    let c = t.app.create_customer(&customer("陈静", &[])).unwrap();
    for d in [
        "2026-11-20",
        "2026-11-21",
        "2026-11-22",
        "2026-11-23",
        "2026-11-29",
        "2026-11-30",
    ] {
        t.app.plan_visit(&visit(c.id, d)).unwrap();
    }
    let a = t.app.agenda().unwrap();
    assert_eq!((a.overdue_total, a.today_visits.len(), a.upcoming.len()), (2, 1, 2));
    assert_eq!(a.overdue[0].due_date, "2026-11-21", "most recently due first");
    // Past midnight the day turns: yesterday's visit is overdue now.
    t.set("2026-11-23 00:05");
    let a = t.app.agenda().unwrap();
    assert_eq!((a.overdue_total, a.today_visits.len(), a.upcoming.len()), (3, 1, 2));
    let cal = t.app.visit_calendar(2026, 11).unwrap();
    assert_eq!(cal.iter().map(|d| d.planned).sum::<usize>(), 6);
    assert_eq!(t.app.visit_calendar(2026, 13).unwrap_err().kind(), "invalid");
}

#[test]
fn keep_in_touch_cadence_and_the_due_list() {
    let t = Clocked::new("2026-10-13 10:00");
    let mut vip = customer("赵敏", &["13900000001"]);
    vip.tier = Some(Tier::Vip);
    let vip = t.app.create_customer(&vip).unwrap();
    let v = t.app.plan_visit(&visit(vip.id, "2026-10-13")).unwrap();
    t.app.record_outcome(v.id, &reached(5)).unwrap();
    let regular = t.app.create_customer(&customer("孙强", &[])).unwrap();

    // 40 days later the VIP is past the ideal 30 days (yellow), not the maximum 45.
    t.set("2026-11-22 10:00");
    let due = t.app.due_contacts(0, 50).unwrap();
    assert_eq!(due.total, 1);
    assert_eq!(due.items[0].customer_id, vip.id);
    assert_eq!(due.items[0].days_since, 40);
    assert_eq!(serde_json::to_value(due.items[0].status).unwrap(), "due");
    let q = ListQuery {
        contact: Some(ContactFilter::Due),
        ..Default::default()
    };
    assert_eq!(t.app.list_customers(&q).unwrap().items.len(), 1);

    // Past 45 days: red, and listed first.
    t.set("2026-11-28 10:00");
    let mut c = t.app.get_customer(regular.id).unwrap();
    assert!(c.last_contact_date.is_none());
    let due = t.app.due_contacts(0, 50).unwrap();
    assert_eq!(serde_json::to_value(due.items[0].status).unwrap(), "overdue");

    // An override on the regular customer (never contacted: counted from creation).
    c.cadence_ideal_days = Some(20);
    let input = frontdesk::customers::CustomerInput {
        name: c.name.clone(),
        tier: Some(c.tier),
        cadence_ideal_days: Some(20),
        cadence_max_days: Some(60),
        ..Default::default()
    };
    t.app.update_customer(regular.id, &input).unwrap();
    let due = t.app.due_contacts(0, 50).unwrap();
    assert_eq!(due.total, 2);
    assert_eq!(due.items[1].customer_id, regular.id);
    assert_eq!(due.items[1].days_since, 46);

    // Planned follow-ups filter and sort the customer list.
    t.app.plan_visit(&visit(regular.id, "2026-11-29")).unwrap();
    let q = ListQuery {
        followup: Some(FollowupFilter::DueWeek),
        ..Default::default()
    };
    assert_eq!(
        t.app
            .list_customers(&q)
            .unwrap()
            .items
            .iter()
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        vec![regular.id]
    );
    let q = ListQuery {
        followup: Some(FollowupFilter::NonePlanned),
        ..Default::default()
    };
    assert_eq!(
        t.app
            .list_customers(&q)
            .unwrap()
            .items
            .iter()
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        vec![vip.id]
    );
    let q = ListQuery {
        sort: SortBy::LastContact,
        ..Default::default()
    };
    assert_eq!(
        t.app.list_customers(&q).unwrap().items[0].id,
        regular.id,
        "never contacted comes first"
    );
    let q = ListQuery {
        sort: SortBy::NextVisit,
        ..Default::default()
    };
    assert_eq!(t.app.list_customers(&q).unwrap().items[0].id, regular.id);

    // Cadence settings are validated.
    let mut cad = t.app.cadences().unwrap();
    assert_eq!((cad.vip.ideal_days, cad.vip.max_days), (30, 45));
    cad.vip.max_days = 10;
    assert_eq!(t.app.set_cadences(&cad).unwrap_err().fields()[0].field, "vip");
    let _ = NaiveDate::MIN;
}

#[test]
fn counts_never_go_negative_while_another_desk_writes() {
    let t = Clocked::new("2026-11-23 10:00");
    let c = t.app.create_customer(&customer("韩梅梅", &["13700002222"])).unwrap();
    let v = t.app.plan_visit(&visit(c.id, "2026-11-20")).unwrap();
    let end = std::time::Instant::now() + std::time::Duration::from_secs(2);
    let mut seen = std::collections::BTreeSet::new();
    std::thread::scope(|s| {
        // Another desk: the overdue visit is cancelled and planned again, over and over.
        s.spawn(|| {
            let outside = t.outside();
            if let frontdesk_tests::Outside::Desk(db) = &outside {
                db.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
            }
            while std::time::Instant::now() < end {
                outside
                    .db()
                    .execute(
                        "UPDATE visits SET state = CASE state WHEN 'planned' THEN 'cancelled' ELSE 'planned' END \
                         WHERE id = ?1",
                        &[&v.id],
                    )
                    .unwrap();
            }
        });
        while std::time::Instant::now() < end {
            let n = t.app.visit_counts().unwrap();
            seen.insert((n.overdue, n.today));
        }
    });
    assert!(
        seen.iter().all(|&(overdue, today)| overdue <= 1 && today == 0),
        "{seen:?}"
    );
}

#[test]
fn dates_outside_any_business_use_are_refused() {
    let t = Clocked::new("2026-11-22 09:00");
    let c = t.app.create_customer(&customer("林立", &["13800138001"])).unwrap();
    for date in ["+10000-01-01", "0000-01-01", "1899-12-31", "2200-01-01"] {
        let e = t.app.plan_visit(&visit(c.id, date)).unwrap_err();
        let fields: Vec<(&str, &str)> = e.fields().iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(fields, vec![("due_date", "date_out_of_range")], "{date}");
    }
    assert!(t.app.customer_visits(c.id).unwrap().is_empty());
    t.app.plan_visit(&visit(c.id, "2199-12-31")).unwrap();
}

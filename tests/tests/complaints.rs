//! Complaints through the real database file: the register, serial numbers under
//! concurrent saves, every workflow move and its log, deadlines, breaches and escalation.

use frontdesk::complaints::{
    ClaimKind, CloseInput, ComplaintChannel, ComplaintInput, ComplaintQuery, ComplaintState, InlineCustomer,
    ResolveInput, Severity, TransitionInput,
};
use frontdesk::customers::{ListQuery, Tier};
use frontdesk::visits::Purpose;
use frontdesk_tests::{customer, Clocked};

fn complaint(customer_id: i64, severity: Severity) -> ComplaintInput {
    ComplaintInput {
        customer_id: Some(customer_id),
        channel: Some(ComplaintChannel::Phone),
        severity: Some(severity),
        summary: "上菜太慢,等了四十分钟".into(),
        details: "周六晚上 7 点,靠窗 3 号桌".into(),
        claim_kind: Some(ClaimKind::Compensation),
        claim_amount: "88.50".into(),
        staff: "小王".into(),
        ..Default::default()
    }
}

fn to(state: ComplaintState, note: &str) -> TransitionInput {
    TransitionInput {
        to: state,
        note: note.into(),
        staff: "小李".into(),
        duplicate_of: String::new(),
    }
}

#[test]
fn logging_a_complaint_for_a_new_customer() {
    let t = Clocked::new("2026-11-23 10:00");
    let input = ComplaintInput {
        customer_id: None,
        new_customer: Some(InlineCustomer {
            name: "吴先生".into(),
            phone: "139 0000 1111".into(),
        }),
        ..complaint(0, Severity::Normal)
    };
    let c = t.app.register_complaint(&input).unwrap();
    assert_eq!(c.serial, "TS-2026-000001");
    assert_eq!(c.state, ComplaintState::Registered);
    assert_eq!(c.claim_amount_cents, Some(8850));
    assert_eq!(c.customer_name, "吴先生");
    assert!(c.response_due.is_some() && c.resolution_due.is_some());
    assert_eq!(
        c.minutes_left,
        Some(24 * 60),
        "a normal complaint: reply within one business day"
    );
    let found = t
        .app
        .list_customers(&ListQuery {
            q: "00001111".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.items[0].name, "吴先生");
    assert_eq!(
        t.app.get_customer(c.customer_id).unwrap().last_contact_date.as_deref(),
        Some("2026-11-23")
    );
    assert_eq!(
        t.app
            .register_complaint(&complaint(c.customer_id, Severity::Low))
            .unwrap()
            .serial,
        "TS-2026-000002"
    );

    // Bad input: clear errors, nothing written, no serial number used up.
    let bad = ComplaintInput {
        summary: "".into(),
        claim_amount: "abc".into(),
        ..complaint(c.customer_id, Severity::Low)
    };
    let e = t.app.register_complaint(&bad).unwrap_err();
    assert_eq!(
        e.fields().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        vec!["summary", "claim_amount"]
    );
    let inline_bad = ComplaintInput {
        customer_id: None,
        new_customer: Some(InlineCustomer {
            name: "赵".into(),
            phone: "call me".into(),
        }),
        ..complaint(0, Severity::Low)
    };
    assert_eq!(
        t.app.register_complaint(&inline_bad).unwrap_err().fields()[0].code,
        "invalid_phone"
    );
    assert_eq!(
        t.app
            .register_complaint(&complaint(c.customer_id, Severity::Low))
            .unwrap()
            .serial,
        "TS-2026-000003"
    );
    assert_eq!(t.app.count_customers().unwrap(), 1);
}

#[test]
fn serial_numbers_are_unique_when_saves_race() {
    let t = Clocked::new("2026-11-23 10:00");
    let c = t.app.create_customer(&customer("郑女士", &[])).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            // Four desks on the same file, or on the same shared database.
            let app = t.another_desk();
            std::thread::spawn(move || {
                (0..15)
                    .map(|_| {
                        app.register_complaint(&complaint(c.id, Severity::Normal))
                            .unwrap()
                            .serial
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut serials: Vec<String> = threads.into_iter().flat_map(|h| h.join().unwrap()).collect();
    serials.sort();
    let year = chrono::Local::now().format("%Y").to_string();
    let want: Vec<String> = (1..=60).map(|n| format!("TS-{year}-{n:06}")).collect();
    assert_eq!(serials, want, "duplicated or skipped serial numbers");
}

#[test]
fn the_workflow_and_its_handling_log() {
    let t = Clocked::new("2026-11-23 10:00");
    let cust = t.app.create_customer(&customer("冯先生", &["13600000000"])).unwrap();
    let c = t.app.register_complaint(&complaint(cust.id, Severity::High)).unwrap();

    // Impossible moves are refused with a reason.
    let e = t
        .app
        .transition_complaint(c.id, &to(ComplaintState::Closed, ""))
        .unwrap_err();
    assert_eq!(e.code(), Some("transition_refused"));
    let e = t
        .app
        .transition_complaint(c.id, &to(ComplaintState::Rejected, " "))
        .unwrap_err();
    assert_eq!(e.fields()[0].field, "note");
    let bad_dup = TransitionInput {
        duplicate_of: "TS-1999-000001".into(),
        ..to(ComplaintState::Duplicate, "")
    };
    assert_eq!(
        t.app.transition_complaint(c.id, &bad_dup).unwrap_err().fields()[0].code,
        "not_found"
    );

    t.set("2026-11-23 11:00");
    let c = t
        .app
        .transition_complaint(c.id, &to(ComplaintState::InProgress, "已致电道歉"))
        .unwrap();
    assert!(c.first_response_at.is_some());
    t.app.set_complaint_handler(c.id, "陈经理", "小李").unwrap();
    t.app.add_complaint_note(c.id, "厨房排班不足", "陈经理").unwrap();

    // Waiting on the customer pauses the clock; resuming moves the deadline on.
    let before = c.resolution_due.clone().unwrap();
    let waiting = t
        .app
        .transition_complaint(c.id, &to(ComplaintState::Waiting, "等客户提供小票"))
        .unwrap();
    assert_eq!(waiting.minutes_left, None, "the clock runs while waiting");
    t.set("2026-11-24 11:00");
    let back = t
        .app
        .transition_complaint(c.id, &to(ComplaintState::InProgress, "收到小票"))
        .unwrap();
    assert!(
        back.resolution_due.unwrap() > before,
        "the pause did not move the deadline"
    );

    let resolve = ResolveInput {
        resolution: "退还餐费 88.5 元并赠送甜品券".into(),
        remedy_kind: Some(ClaimKind::Compensation),
        remedy_amount: "88.5".into(),
        root_cause_category: "排班".into(),
        root_cause: "周六晚高峰厨房少一人".into(),
        corrective_action: "周末晚班增加一名厨师".into(),
        staff: "陈经理".into(),
    };
    assert_eq!(
        t.app
            .resolve_complaint(
                c.id,
                &ResolveInput {
                    resolution: " ".into(),
                    ..resolve.clone()
                }
            )
            .unwrap_err()
            .fields()[0]
            .field,
        "resolution"
    );
    let r = t.app.resolve_complaint(c.id, &resolve).unwrap();
    assert_eq!((r.state, r.remedy_amount_cents), (ComplaintState::Resolved, Some(8850)));
    assert_eq!(
        t.app.resolve_complaint(c.id, &resolve).unwrap_err().code(),
        Some("transition_refused")
    );

    let close = CloseInput {
        satisfaction: Some(5),
        accepted: Some(true),
        return_visit_date: "2026-12-01".into(),
        staff: "小李".into(),
    };
    assert_eq!(
        t.app
            .close_complaint(
                c.id,
                &CloseInput {
                    satisfaction: Some(9),
                    ..close.clone()
                }
            )
            .unwrap_err()
            .fields()[0]
            .code,
        "out_of_range"
    );
    let closed = t.app.close_complaint(c.id, &close).unwrap();
    assert_eq!(
        (closed.state, closed.satisfaction, closed.accepted),
        (ComplaintState::Closed, Some(5), Some(true))
    );
    let visit = t.app.get_visit(closed.return_visit_id.unwrap()).unwrap();
    assert_eq!(
        (visit.purpose, visit.due_date.as_str()),
        (Purpose::ComplaintFollowup, "2026-12-01")
    );
    assert_eq!(
        t.app
            .transition_complaint(c.id, &to(ComplaintState::Waiting, ""))
            .unwrap_err()
            .code(),
        Some("transition_refused")
    );

    // Reopening is explicit and needs a reason.
    assert_eq!(
        t.app
            .transition_complaint(c.id, &to(ComplaintState::InProgress, ""))
            .unwrap_err()
            .fields()[0]
            .field,
        "note"
    );
    t.app
        .transition_complaint(c.id, &to(ComplaintState::InProgress, "客户又来电,甜品券无法使用"))
        .unwrap();

    let log = t.app.complaint_detail(c.id).unwrap().log;
    let kinds: Vec<&str> = log.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "registered",
            "state",
            "handler",
            "note",
            "state",
            "state",
            "resolved",
            "closed",
            "reopened"
        ]
    );
    assert_eq!(log[3].staff, "陈经理");
    assert_eq!(log[3].detail, "厨房排班不足");
    assert!(log[4].detail.contains("等客户提供小票"));

    // The log cannot be edited, not even from outside the app.
    let outside = t.outside();
    let e = outside
        .db()
        .execute("UPDATE complaint_log SET detail = 'nothing happened'", &[])
        .unwrap_err();
    assert!(e.to_string().contains("cannot be edited"), "{e}");
    assert!(outside.db().execute("DELETE FROM complaint_log", &[]).is_err());

    // A duplicate links to the original.
    let dup = t.app.register_complaint(&complaint(cust.id, Severity::Low)).unwrap();
    let d = t
        .app
        .transition_complaint(
            dup.id,
            &TransitionInput {
                duplicate_of: c.serial.clone(),
                ..to(ComplaintState::Duplicate, "")
            },
        )
        .unwrap();
    assert_eq!(d.duplicate_of.as_deref(), Some(c.serial.as_str()));
    let mine = t.app.customer_complaints(cust.id).unwrap();
    assert!(mine[0].state.is_open(), "open complaints come first");
}

#[test]
fn deadlines_breaches_and_escalation() {
    // Monday 2026-11-23, 10:00: an urgent complaint must get a reply by 11:00.
    let t = Clocked::new("2026-11-23 10:00");
    let cust = t.app.create_customer(&customer("褚先生", &[])).unwrap();
    let c = t.app.register_complaint(&complaint(cust.id, Severity::Urgent)).unwrap();
    assert_eq!(c.minutes_left, Some(60));
    t.set("2026-11-23 11:30");
    let page = t
        .app
        .list_complaints(&ComplaintQuery {
            overdue: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].minutes_left, Some(-30));
    assert_eq!(page.items[0].escalation_level, 1, "the handler is reminded at once");
    assert_eq!(t.app.sweep_complaints().unwrap(), 1);
    let d = t.app.complaint_detail(c.id).unwrap();
    assert!(d.complaint.response_breached_at.as_deref().is_some());
    assert!(d.log.iter().any(|l| l.kind == "breached" && l.detail == "response"));
    t.set("2026-11-23 15:05");
    t.app.sweep_complaints().unwrap();
    assert_eq!(
        t.app.complaint_detail(c.id).unwrap().complaint.escalation_level,
        2,
        "manager flagged 4 h after"
    );
    let q = ComplaintQuery {
        min_escalation: Some(2),
        ..Default::default()
    };
    assert_eq!(t.app.list_complaints(&q).unwrap().total, 1);

    // Solving it later does not erase the breach.
    t.app
        .transition_complaint(c.id, &to(ComplaintState::InProgress, "回电"))
        .unwrap();
    let r = ResolveInput {
        resolution: "已处理".into(),
        ..Default::default()
    };
    let solved = t.app.resolve_complaint(c.id, &r).unwrap();
    assert!(solved.response_breached_at.is_some());
    assert_eq!(solved.escalation_level, 2);
    assert_eq!(solved.minutes_left, None);

    // A VIP's normal complaint runs on the high deadlines.
    let mut vip = customer("VIP 蒋女士", &[]);
    vip.tier = Some(Tier::Vip);
    let vip = t.app.create_customer(&vip).unwrap();
    t.set("2026-11-23 10:00");
    let v = t.app.register_complaint(&complaint(vip.id, Severity::Normal)).unwrap();
    assert_eq!(v.minutes_left, Some(4 * 60));
    // Raising the severity works the deadlines out again.
    let v = t.app.set_complaint_severity(v.id, Severity::Urgent, "陈经理").unwrap();
    assert_eq!(v.minutes_left, Some(60));
    let e = t.app.set_complaint_settings(&frontdesk::complaints::ComplaintSettings {
        escalation_hours: [5, 1, 2],
        ..Default::default()
    });
    assert_eq!(e.unwrap_err().fields()[0].field, "escalation_hours");
}

#[test]
fn search_finds_percent_and_underscore_as_typed() {
    let t = Clocked::new("2026-11-23 10:00");
    let c = t.app.create_customer(&customer("郑女士", &["13500001111"])).unwrap();
    for summary in ["要求 50% refund", "整单打五折", "账号 a_b 登不上", "路径 C:\\temp 出错"] {
        t.app
            .register_complaint(&ComplaintInput {
                summary: summary.into(),
                ..complaint(c.id, Severity::Normal)
            })
            .unwrap();
    }
    let find = |q: &str| -> Vec<String> {
        let page = t
            .app
            .list_complaints(&ComplaintQuery {
                q: q.into(),
                state: "all".into(),
                ..Default::default()
            })
            .unwrap();
        let mut s: Vec<String> = page.items.into_iter().map(|c| c.summary).collect();
        s.sort();
        s
    };
    assert_eq!(find("50%"), ["要求 50% refund"]);
    assert_eq!(find("_"), ["账号 a_b 登不上"]);
    assert_eq!(find("%"), ["要求 50% refund"]);
    assert_eq!(find("\\"), ["路径 C:\\temp 出错"]);
    // Serial numbers: a fragment finds its complaint, a wildcard finds nothing extra.
    assert_eq!(find("TS-2026-000002"), ["整单打五折"]);
    assert_eq!(find("ts-2026-00000_"), Vec::<String>::new());
}

/// A deadline cut to Saturday's closing time stays there when the same severity is set
/// again, or after a pause that fell outside business hours (0 business minutes).
#[test]
fn a_deadline_at_closing_time_stays_put() {
    // Friday 17:00, normal: 7 business days at 8 h into the day, cut to Saturday's 16:00.
    let t = Clocked::new("2026-11-20 17:00");
    let cust = t.app.create_customer(&customer("曾先生", &[])).unwrap();
    let c = t.app.register_complaint(&complaint(cust.id, Severity::Normal)).unwrap();
    let due = c.resolution_due.clone();
    assert_eq!(
        frontdesk::store::ts_to_local(due.as_deref().unwrap()),
        Some(frontdesk_tests::at("2026-11-28 16:00"))
    );
    let again = t.app.set_complaint_severity(c.id, Severity::Normal, "陈经理").unwrap();
    assert_eq!(again.resolution_due, due, "same severity, same deadline");
    t.set("2026-11-20 18:30");
    t.app
        .transition_complaint(c.id, &to(ComplaintState::Waiting, ""))
        .unwrap();
    t.set("2026-11-20 20:00");
    let back = t
        .app
        .transition_complaint(c.id, &to(ComplaintState::InProgress, ""))
        .unwrap();
    assert_eq!(back.resolution_due, due, "waiting outside business hours moves nothing");
}

//! The churn register (客户流失) through the real database: a customer marked lost leaves
//! keep-in-touch (the due list, the contact filter, its pending reminder), shows the loss
//! on their page, timeline and audit trail; "won back" ends it; the register filters by
//! type, reason and period; wrong input is a clear field or state error.

use frontdesk::churn::{ChurnInput, ChurnQuery, ChurnType, Reason, WinBackInput};
use frontdesk::customers::{ContactFilter, ListQuery};
use frontdesk::reminders::{CenterQuery, ReminderKind};
use frontdesk_tests::{customer, Clocked};

fn reason(t: &Clocked, code: &str) -> i64 {
    t.app
        .churn_reasons()
        .unwrap()
        .into_iter()
        .find(|r| r.code.as_deref() == Some(code))
        .unwrap()
        .id
}

fn due_ids(t: &Clocked) -> Vec<i64> {
    t.app
        .due_contacts(0, 100)
        .unwrap()
        .items
        .iter()
        .map(|d| d.customer_id)
        .collect()
}

fn keep_in_touch_open(t: &Clocked) -> usize {
    t.app
        .reminder_center(&CenterQuery {
            kind: Some(ReminderKind::KeepInTouch),
            ..Default::default()
        })
        .unwrap()
        .total
}

#[test]
fn a_lost_customer_leaves_keep_in_touch_until_won_back() {
    let t = Clocked::new("2026-01-07 10:00");
    let wang = t.app.create_customer(&customer("王芳", &["13800001111"])).unwrap();
    let li = t.app.create_customer(&customer("李雷", &["13800002222"])).unwrap();
    // Half a year later both are past their cadence, and a keep-in-touch reminder is planned.
    // (Due on Tuesday 7 July, at opening.)
    t.set("2026-07-06 10:00");
    assert_eq!(due_ids(&t), [wang.id, li.id]);
    t.app.plan_reminders().unwrap();
    let planned = keep_in_touch_open(&t);
    assert!(planned >= 1, "keep-in-touch planned");

    let price = reason(&t, "price");
    let lost = t
        .app
        .mark_lost(
            wang.id,
            &ChurnInput {
                lost_on: "2026-07-01".into(),
                churn_type: Some(ChurnType::Competitor),
                reason_id: Some(price),
                note: "对面新店打八折".into(),
                staff: "李娜".into(),
            },
        )
        .unwrap();
    assert_eq!(
        (lost.lost_on.as_str(), lost.churn_type),
        ("2026-07-01", ChurnType::Competitor)
    );
    assert_eq!(lost.reason.as_ref().and_then(|r| r.code.as_deref()), Some("price"));
    assert_eq!(due_ids(&t), [li.id], "a lost customer is not due for contact");
    let filtered = t
        .app
        .list_customers(&ListQuery {
            contact: Some(ContactFilter::Overdue),
            ..Default::default()
        })
        .unwrap();
    assert!(filtered.items.iter().all(|c| c.id != wang.id));
    assert_eq!(
        keep_in_touch_open(&t),
        planned - 1,
        "her pending keep-in-touch is dismissed"
    );
    // Planning again does not bring it back while she is lost.
    t.app.plan_reminders().unwrap();
    assert_eq!(keep_in_touch_open(&t), planned - 1);

    // Her page, timeline and the audit trail say so.
    let detail = t.app.customer_detail(wang.id, t.app.today()).unwrap();
    assert_eq!(detail.churn.len(), 1);
    assert!(detail.churn[0].won_back_on.is_none());
    assert!(detail.history.iter().any(|h| h.kind == "lost"));
    let trail = t.app.audit_log(&Default::default()).unwrap();
    assert!(trail
        .entries
        .iter()
        .any(|e| e.field.as_deref() == Some("lost") && e.customer_id == Some(wang.id)));

    // Lost twice is refused; won back before the loss is a field error.
    let again = t
        .app
        .mark_lost(
            wang.id,
            &ChurnInput {
                churn_type: Some(ChurnType::Natural),
                note: "再次".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(again.code(), Some("customer_already_lost"));
    let early = t
        .app
        .win_back(
            wang.id,
            &WinBackInput {
                won_back_on: "2026-06-30".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(early.fields()[0].code, "before_lost");
    assert_eq!(
        t.app.win_back(li.id, &WinBackInput::default()).unwrap_err().code(),
        Some("customer_not_lost")
    );

    // Won back: counted, ended, and she is due for contact again.
    let back = t
        .app
        .win_back(
            wang.id,
            &WinBackInput {
                note: "会员日回来了".into(),
                staff: "李娜".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(back.won_back_on.as_deref(), Some("2026-07-06"));
    assert_eq!(due_ids(&t), [wang.id, li.id]);
    let detail = t.app.customer_detail(wang.id, t.app.today()).unwrap();
    assert!(detail.history.iter().any(|h| h.kind == "won_back"));
}

#[test]
fn the_register_filters_by_type_reason_and_period() {
    let t = Clocked::new("2026-03-01 10:00");
    let price = reason(&t, "price");
    let service = reason(&t, "service");
    let mut ids = Vec::new();
    for (i, (name, on, ty, why)) in [
        ("甲", "2026-01-10", ChurnType::Natural, price),
        ("乙", "2026-02-03", ChurnType::Fault, service),
        ("丙", "2026-02-20", ChurnType::Fault, price),
        ("丁", "2026-02-28", ChurnType::Malicious, service),
    ]
    .into_iter()
    .enumerate()
    {
        let c = t
            .app
            .create_customer(&customer(name, &[&format!("1380000{i:04}")]))
            .unwrap();
        t.app
            .mark_lost(
                c.id,
                &ChurnInput {
                    lost_on: on.into(),
                    churn_type: Some(ty),
                    reason_id: Some(why),
                    ..Default::default()
                },
            )
            .unwrap();
        ids.push(c.id);
    }
    t.app.win_back(ids[0], &WinBackInput::default()).unwrap();
    let names = |q: ChurnQuery| -> Vec<String> {
        t.app
            .churn_register(&q)
            .unwrap()
            .items
            .into_iter()
            .map(|e| e.customer_name)
            .collect()
    };
    assert_eq!(names(ChurnQuery::default()), ["丁", "丙", "乙", "甲"]);
    assert_eq!(
        names(ChurnQuery {
            churn_type: Some(ChurnType::Fault),
            ..Default::default()
        }),
        ["丙", "乙"]
    );
    assert_eq!(
        names(ChurnQuery {
            reason_id: Some(price),
            ..Default::default()
        }),
        ["丙", "甲"]
    );
    assert_eq!(
        names(ChurnQuery {
            from: Some("2026-02-01".into()),
            to: Some("2026-02-20".into()),
            ..Default::default()
        }),
        ["丙", "乙"],
        "both ends of the period count"
    );
    assert_eq!(
        names(ChurnQuery {
            open_only: true,
            ..Default::default()
        }),
        ["丁", "丙", "乙"]
    );
    let bad = t
        .app
        .churn_register(&ChurnQuery {
            from: Some("2026-02-30".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(
        (bad.fields()[0].field.as_str(), bad.fields()[0].code),
        ("from", "invalid_date")
    );
}

#[test]
fn reasons_are_an_editable_list_and_a_loss_needs_a_real_one() {
    let t = Clocked::new("2026-03-01 10:00");
    let reasons = t
        .app
        .save_churn_reason(&Reason {
            id: 0,
            code: None,
            name: "停车不便".into(),
            archived: false,
        })
        .unwrap();
    let mine = reasons.iter().find(|r| r.name == "停车不便").unwrap().clone();
    assert!(mine.code.is_none());
    let renamed = t
        .app
        .save_churn_reason(&Reason {
            name: "停车太难".into(),
            archived: true,
            ..mine.clone()
        })
        .unwrap();
    assert!(renamed
        .iter()
        .any(|r| r.id == mine.id && r.name == "停车太难" && r.archived));
    let blank = t
        .app
        .save_churn_reason(&Reason {
            id: 0,
            code: None,
            name: "  ".into(),
            archived: false,
        })
        .unwrap_err();
    assert_eq!(blank.fields()[0].code, "required");
    let c = t.app.create_customer(&customer("甲", &["13800000001"])).unwrap();
    let e = t
        .app
        .mark_lost(
            c.id,
            &ChurnInput {
                churn_type: Some(ChurnType::Natural),
                reason_id: Some(9999),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(
        (e.fields()[0].field.as_str(), e.fields()[0].code),
        ("reason_id", "invalid_choice")
    );
    // Anonymising keeps the loss counted but erases its words.
    t.app
        .mark_lost(
            c.id,
            &ChurnInput {
                churn_type: Some(ChurnType::Natural),
                note: "搬去了上海浦东".into(),
                ..Default::default()
            },
        )
        .unwrap();
    t.app.anonymise_customer(c.id).unwrap();
    let register = t.app.churn_register(&ChurnQuery::default()).unwrap();
    assert_eq!(register.total, 1);
    assert_eq!(register.items[0].note, "");
}

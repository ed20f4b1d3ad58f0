//! The story: one customer's life in FrontDesk, through the real database file.

use chrono::NaiveDate;
use frontdesk::customers::{Calendar, CustomerInput, ListQuery, Preference, PreferenceKind, SortBy, SpecialDate, Tier};
use frontdesk::visits::{Channel, NextVisit, OutcomeInput, Purpose, Retry, VisitInput, VisitState};
use frontdesk_tests::TempApp;

fn search(t: &TempApp, q: &str) -> Vec<String> {
    t.app
        .list_customers(&ListQuery {
            q: q.into(),
            ..Default::default()
        })
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[test]
fn a_customer_from_first_visit_to_archive_and_back() {
    let t = TempApp::new();
    t.app.seed_demo().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();

    // A new guest walks in; the desk records him with two phones and his habits.
    let input = CustomerInput {
        name: "欧阳晓梅".into(),
        phones: vec!["186 5550 7321".into(), "+86 10 6552 9988".into()],
        tier: Some(Tier::Vip),
        company: "红灯笼酒店".into(),
        tags: vec!["会员".into()],
        notes: "总是要靠窗的位置".into(),
        preferences: vec![
            Preference {
                kind: PreferenceKind::Food,
                text: "不吃蒜".into(),
            },
            Preference {
                kind: PreferenceKind::Seating,
                text: "靠窗".into(),
            },
        ],
        birthday: Some(SpecialDate {
            calendar: Calendar::Lunar,
            year: Some(1985),
            month: 8,
            day: 15,
            leap_month: false,
        }),
        ..Default::default()
    };
    let c = t.app.create_customer(&input).unwrap();
    assert!(c.id > 0 && !c.created_at.is_empty());

    // Anyone at the desk finds her by what they remember.
    for q in [
        "晓梅",
        "欧阳",
        "oyxm",
        "ouyangxiaomei",
        "55507321",
        "6552",
        "红灯笼",
        "靠窗",
    ] {
        assert!(search(&t, q).contains(&"欧阳晓梅".to_string()), "not found by {q}");
    }
    assert_eq!(search(&t, "晓梅"), vec!["欧阳晓梅"]);

    // The detail page shows the lunar birthday on this year's gregorian day.
    let d = t.app.customer_detail(c.id, today).unwrap();
    assert_eq!(d.occasions.len(), 1);
    assert_eq!(d.occasions[0].this_year.as_deref(), Some("2026-09-25"));
    assert_eq!(
        d.history.iter().map(|h| h.kind.as_str()).collect::<Vec<_>>(),
        vec!["created"]
    );

    // She changes her e-mail; the history says what changed.
    let mut edit = input.clone();
    edit.email = "xiaomei@example.cn".into();
    let c2 = t.app.update_customer(c.id, &edit).unwrap();
    assert_eq!(c2.email, "xiaomei@example.cn");
    assert!(c2.updated_at >= c.updated_at);
    let d = t.app.customer_detail(c.id, today).unwrap();
    assert_eq!(d.history[0].kind, "updated");
    assert_eq!(d.history[0].detail, "email");

    // Saving unchanged values writes no history.
    t.app.update_customer(c.id, &edit).unwrap();
    assert_eq!(t.app.customer_detail(c.id, today).unwrap().history.len(), 2);

    // Filters and sorting.
    let vip = t
        .app
        .list_customers(&ListQuery {
            tier: Some(Tier::Vip),
            limit: Some(500),
            ..Default::default()
        })
        .unwrap();
    assert!(vip.items.iter().all(|s| s.tier == Tier::Vip) && vip.items.iter().any(|s| s.id == c.id));
    let tagged = t
        .app
        .list_customers(&ListQuery {
            tag: Some("会员".into()),
            limit: Some(500),
            ..Default::default()
        })
        .unwrap();
    assert!(tagged.items.iter().all(|s| s.tags.iter().any(|x| x == "会员")));
    let newest = t
        .app
        .list_customers(&ListQuery {
            sort: SortBy::Created,
            desc: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(newest.items[0].id, c.id);
    let updated = t
        .app
        .list_customers(&ListQuery {
            sort: SortBy::Updated,
            desc: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(updated.items[0].id, c.id);

    // She moves away: archived, hidden from the list, kept for history.
    let archived = t.app.archive_customer(c.id).unwrap();
    assert!(archived.archived_at.is_some());
    assert!(search(&t, "晓梅").is_empty());
    let in_archive = t
        .app
        .list_customers(&ListQuery {
            q: "晓梅".into(),
            archived: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(in_archive.items.len(), 1);
    assert!(in_archive.items[0].archived);

    // She comes back: restored, and everything is as it was, across a restart.
    t.app.restore_customer(c.id).unwrap();
    let t = t.reopen();
    assert_eq!(search(&t, "晓梅"), vec!["欧阳晓梅"]);
    let d = t.app.customer_detail(c.id, today).unwrap();
    assert_eq!(d.customer.preferences.len(), 2);
    assert_eq!(d.customer.phones.len(), 2);
    let kinds: Vec<&str> = d.history.iter().map(|h| h.kind.as_str()).collect();
    assert_eq!(kinds, vec!["restored", "archived", "updated", "created"]);

    // A return visit: not reached today, tried again, reached with satisfaction 4 and a
    // next step; the customer page shows both visits and the cadence clock restarts.
    let today = t.app.today();
    let v = t
        .app
        .plan_visit(&VisitInput {
            customer_id: c.id,
            channel: Some(Channel::Phone),
            purpose: Some(Purpose::Satisfaction),
            due_date: today.format("%Y-%m-%d").to_string(),
            outline: "上次的包间满意吗?".into(),
            ..Default::default()
        })
        .unwrap();
    let retry = Retry::On {
        date: today.format("%Y-%m-%d").to_string(),
        time: String::new(),
    };
    let o = OutcomeInput {
        reached: false,
        notes: "没人接".into(),
        satisfaction: None,
        next_step: String::new(),
        retry: Some(retry),
        next_visit: None,
    };
    assert_eq!(t.app.record_outcome(v.id, &o).unwrap().visit.attempts, 1);
    let next = NextVisit {
        due_date: (today + chrono::Days::new(30)).format("%Y-%m-%d").to_string(),
        due_time: String::new(),
        channel: None,
        purpose: Some(Purpose::KeepInTouch),
        outline: String::new(),
    };
    let o = OutcomeInput {
        reached: true,
        notes: "很满意,下次还订包间".into(),
        satisfaction: Some(4),
        next_step: "下月问候".into(),
        retry: None,
        next_visit: Some(next),
    };
    let done = t.app.record_outcome(v.id, &o).unwrap();
    assert_eq!(done.scheduled.len(), 1);
    let d = t.app.customer_detail(c.id, today).unwrap();
    assert_eq!(d.visits.len(), 2);
    assert_eq!(d.visits[0].state, VisitState::Planned, "planned visits come first");
    assert_eq!(d.visits[1].satisfaction, Some(4));
    assert_eq!(d.customer.last_contact_date, Some(today.format("%Y-%m-%d").to_string()));
}

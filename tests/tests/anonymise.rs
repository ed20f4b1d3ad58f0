//! Forgetting a customer on request: identity, contact, preferences, notes and special
//! dates are gone for good — from the record, the search, reminder texts and the database
//! file itself — while their visits and complaints stay counted.

use frontdesk::complaints::ComplaintInput;
use frontdesk::customers::{Calendar, ListQuery, SpecialDate};
use frontdesk::reminders::ManualInput;
use frontdesk::visits::{OutcomeInput, VisitInput};
use frontdesk_tests::{customer, Clocked};

#[test]
fn an_anonymised_customer_is_gone_but_still_counted() {
    let t = Clocked::new("2026-11-23 10:00");
    let mut input = customer("欧阳娜娜", &["137 1234 5678"]);
    input.email = "nana@example.cn".into();
    input.notes = "喜欢靠窗".into();
    input.preferences = vec![frontdesk::customers::Preference {
        kind: frontdesk::customers::PreferenceKind::Food,
        text: "不吃香菜".into(),
    }];
    input.birthday = Some(SpecialDate {
        calendar: Calendar::Lunar,
        year: None,
        month: 8,
        day: 15,
        leap_month: false,
    });
    let c = t.app.create_customer(&input).unwrap();
    let v = t
        .app
        .plan_visit(&VisitInput {
            customer_id: c.id,
            due_date: "2026-11-23".into(),
            ..Default::default()
        })
        .unwrap();
    t.app
        .record_outcome(
            v.id,
            &OutcomeInput {
                reached: true,
                notes: "满意".into(),
                satisfaction: Some(5),
                next_step: String::new(),
                retry: None,
                next_visit: None,
            },
        )
        .unwrap();
    t.app
        .register_complaint(&ComplaintInput {
            customer_id: Some(c.id),
            summary: "菜凉了".into(),
            ..Default::default()
        })
        .unwrap();
    t.app
        .create_manual_reminder(&ManualInput {
            customer_id: Some(c.id),
            text: "回电".into(),
            due_at: "2026-11-23 10:30".into(),
            repeat: None,
            staff: String::new(),
        })
        .unwrap();
    // Booked for tonight: the preparation reminder carries her name and her card.
    t.app
        .book(&frontdesk::arrivals::BookingInput {
            customer_id: c.id,
            date: "2026-11-23".into(),
            time: "19:00".into(),
            notes: "生日要蛋糕".into(),
            ..Default::default()
        })
        .unwrap();
    t.app.plan_reminders().unwrap();
    let planned = serde_json::to_string(&t.app.reminder_center(&Default::default()).unwrap()).unwrap();
    assert!(planned.contains("不吃香菜"), "{planned}");

    let a = t.app.anonymise_customer(c.id).unwrap();
    assert!(a.anonymised);
    assert_eq!(a.name, format!("#{}", c.id));
    assert!(a.phones.is_empty() && a.email.is_empty() && a.notes.is_empty() && a.preferences.is_empty());
    assert!(a.archived_at.is_some());
    let d = t.app.customer_detail(c.id, t.app.today()).unwrap();
    assert!(d.occasions.is_empty(), "special dates erased");
    assert_eq!(d.visits.len(), 1, "visits stay counted");
    assert_eq!(d.complaints.len(), 1, "complaints stay counted");
    assert!(d.history.iter().any(|h| h.kind == "anonymised"));
    assert_eq!(d.bookings.len(), 1, "bookings stay counted");
    assert!(d.bookings[0].notes.is_empty(), "a booking's notes are erased");

    // Search finds nothing by the old name, pinyin or phone, among active or archived.
    for q in ["欧阳娜娜", "oynn", "12345678", "nana@example"] {
        for archived in [false, true] {
            let page = t
                .app
                .list_customers(&ListQuery {
                    q: q.into(),
                    archived,
                    ..Default::default()
                })
                .unwrap();
            assert_eq!(page.total, 0, "{q}");
        }
    }
    // Reminder texts name the label, and the database file holds none of it.
    let center = serde_json::to_string(&t.app.reminder_center(&Default::default()).unwrap()).unwrap();
    assert!(!center.contains("欧阳娜娜"), "{center}");
    drop(d);
    for secret in [
        "欧阳娜娜",
        "1234 5678",
        "nana@example.cn",
        "喜欢靠窗",
        "不吃香菜",
        "生日要蛋糕",
    ] {
        assert_eq!(t.places_holding(secret), Vec::<String>::new(), "{secret:?} still kept");
    }
    // It stays anonymised: no edit puts data back, and it cannot be anonymised twice.
    assert_eq!(t.app.update_customer(c.id, &input).unwrap_err().kind(), "invalid_state");
    assert_eq!(t.app.anonymise_customer(c.id).unwrap_err().kind(), "invalid_state");
}

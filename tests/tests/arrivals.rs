//! Arrivals through the real database file: booking 王建国 for tonight and seeing him on the
//! board with his card, the preparation reminder, arrived / no-show / cancel / walk-in,
//! recurring bookings, warnings the desk confirms past, bad input that writes nothing,
//! the list's filters, and the manager's figures on a hand-made month.

use frontdesk::arrivals::{ArrivalSettings, BookingInput, BookingState, NewGuest, WalkInInput};
use frontdesk::customers::{ListQuery, Preference, PreferenceKind, SpecialDate};
use frontdesk::kernel::recurrence::{Repeat, RepeatUnit};
use frontdesk::reminders::{CenterQuery, ReminderKind, ReminderState};
use frontdesk::review::{Preset, ReviewQuery};
use frontdesk::visits::{Channel, OutcomeInput, Purpose, VisitInput};
use frontdesk_tests::{customer, Clocked};

fn booking(customer_id: i64, date: &str, time: &str) -> BookingInput {
    BookingInput {
        customer_id,
        date: date.into(),
        time: time.into(),
        ..Default::default()
    }
}

fn codes(e: frontdesk::Error) -> Vec<(String, &'static str)> {
    e.fields().iter().map(|f| (f.field.clone(), f.code)).collect()
}

fn count_bookings(t: &Clocked) -> i64 {
    let outside = t.outside();
    outside.db().count("SELECT count(*) FROM bookings", &[]).unwrap() as i64
}

/// The kept day counts of the manager's figures equal a direct count over the bookings.
fn assert_counts_kept(t: &Clocked) {
    let outside = t.outside();
    let (from, to) = ("1900-01-01", "2199-12-31");
    let direct = frontdesk::arrivals::repo::day_counts_direct(outside.db(), from, to).unwrap();
    assert!(!direct.is_empty());
    assert_eq!(
        frontdesk::arrivals::repo::day_counts_kept(outside.db(), from, to).unwrap(),
        direct
    );
}

/// 王建国: no garlic, the window seat, a large iced plum drink; a birthday in two days.
fn wang(t: &Clocked) -> i64 {
    let mut c = customer("王建国", &["13912345678"]);
    c.preferences = vec![
        Preference {
            kind: PreferenceKind::Seating,
            text: "靠窗座位".into(),
        },
        Preference {
            kind: PreferenceKind::Allergy,
            text: "不吃蒜".into(),
        },
        Preference {
            kind: PreferenceKind::Food,
            text: "大杯冰酸梅汤".into(),
        },
    ];
    c.birthday = Some(SpecialDate {
        calendar: frontdesk::customers::Calendar::Gregorian,
        year: Some(1980),
        month: 12,
        day: 5,
        leap_month: false,
    });
    t.app.create_customer(&c).unwrap().id
}

fn open_all_week(t: &Clocked) {
    let mut cs = t.app.complaint_settings().unwrap();
    for d in cs.schedule.week.iter_mut() {
        *d = Some(frontdesk::kernel::schedule::DayHours {
            open: "09:00".into(),
            close: "18:00".into(),
        });
    }
    t.app.set_complaint_settings(&cs).unwrap();
}

#[test]
fn wang_is_booked_for_tonight_prepared_for_and_arrives() {
    // Thursday afternoon; the office hours end at 18:00, the restaurant serves at 19:00.
    let t = Clocked::new("2026-12-03 14:00");
    let wang = wang(&t);
    // His last visit, his last score and an open complaint are on the card.
    t.set("2026-11-20 12:00");
    let before = t
        .app
        .walk_in(&WalkInInput {
            customer_id: wang,
            notes: "上次嫌汤太咸".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(before.state, BookingState::Arrived);
    let v = t
        .app
        .plan_visit(&VisitInput {
            customer_id: wang,
            channel: Some(Channel::Phone),
            purpose: Some(Purpose::Satisfaction),
            due_date: "2026-11-21".into(),
            ..Default::default()
        })
        .unwrap();
    t.app
        .record_outcome(
            v.id,
            &OutcomeInput {
                reached: true,
                notes: String::new(),
                satisfaction: Some(4),
                next_step: String::new(),
                retry: None,
                next_visit: None,
            },
        )
        .unwrap();
    t.app
        .register_complaint(&frontdesk::complaints::ComplaintInput {
            customer_id: Some(wang),
            summary: "上菜慢".into(),
            ..Default::default()
        })
        .unwrap();
    t.set("2026-12-03 14:00");

    let b = t
        .app
        .book(&BookingInput {
            party: Some(4),
            resource: "Table 5".into(),
            staff: "小李".into(),
            ..booking(wang, "2026-12-03", "19:00")
        })
        .unwrap();
    assert_eq!((b.state, b.party, b.late), (BookingState::Booked, 4, false));

    let board = t.app.arrivals_board("2026-12-03").unwrap();
    assert_eq!(board.rows.len(), 1);
    let row = &board.rows[0];
    assert_eq!(row.booking.customer_name, "王建国");
    assert_eq!(row.booking.time.as_deref(), Some("19:00"));
    let prefs: Vec<(PreferenceKind, &str)> = row
        .guest
        .preferences
        .iter()
        .map(|p| (p.kind, p.text.as_str()))
        .collect();
    assert_eq!(
        prefs[0],
        (PreferenceKind::Allergy, "不吃蒜"),
        "allergies first: {prefs:?}"
    );
    assert_eq!(prefs.len(), 3);
    assert_eq!(row.guest.soon_dates.len(), 1);
    assert_eq!(
        (row.guest.soon_dates[0].kind.as_str(), row.guest.soon_dates[0].in_days),
        ("birthday", 2)
    );
    assert_eq!(row.guest.open_complaints, 1);
    assert_eq!(row.guest.last_satisfaction, Some(4));
    assert_eq!(row.guest.last_visit_notes, "上次嫌汤太咸");
    assert_eq!(row.guest.last_visit_date.as_deref(), Some("2026-11-20"));
    assert_eq!((board.counts.booked, board.counts.guests), (1, 4));

    // 30 minutes before, after the desk's office hours: the preparation still pops.
    t.app.plan_reminders().unwrap();
    t.set("2026-12-03 18:29");
    assert!(t.app.take_due_reminders().unwrap().is_empty());
    t.set("2026-12-03 18:30");
    let fired = t.app.take_due_reminders().unwrap();
    assert_eq!(fired.len(), 1, "{fired:?}");
    assert!(fired[0].title.contains("王建国"), "{:?}", fired[0]);
    assert_eq!(
        fired[0].body,
        "19:00 王建国 ×4, Table 5 — ⚠ 不吃蒜, 靠窗座位, 大杯冰酸梅汤"
    );
    assert!(!fired[0].late);

    // Ten past seven and not here: late on the board.
    t.set("2026-12-03 19:10");
    let board = t.app.arrivals_board("2026-12-03").unwrap();
    assert!(board.rows[0].booking.late);
    assert_eq!(board.counts.late, 1);
    // The sidebar's badge counts the same, without reading the guests' cards.
    let badge = t.app.arrivals_counts("2026-12-03").unwrap();
    assert_eq!((badge.late, badge.booked, badge.guests), (1, 0, 4));

    // He arrives: the board says so, his last visit and last contact are today.
    let arrived = t.app.mark_arrived(b.id).unwrap();
    assert_eq!(arrived.state, BookingState::Arrived);
    assert!(arrived.arrived_at.is_some());
    let board = t.app.arrivals_board("2026-12-03").unwrap();
    assert_eq!((board.counts.arrived, board.counts.late), (1, 0));
    let detail = t.app.customer_detail(wang, t.app.today()).unwrap();
    assert_eq!(detail.customer.last_contact_date.as_deref(), Some("2026-12-03"));
    assert_eq!(detail.bookings.len(), 2);
    assert_eq!(detail.bookings[0].id, b.id);
    // Marking twice is refused; an undo puts him back to booked.
    let e = t.app.mark_arrived(b.id).unwrap_err();
    assert_eq!(e.code(), Some("booking_arrived"));
    assert_eq!(t.app.reopen_booking(b.id).unwrap().state, BookingState::Booked);
    t.app.mark_arrived(b.id).unwrap();

    assert_counts_kept(&t);

    // A walk-in recorded by mistake is taken back: kept, cancelled as a mistake, and not
    // undone twice.
    let oops = t
        .app
        .walk_in(&WalkInInput {
            customer_id: wang,
            ..Default::default()
        })
        .unwrap();
    let undone = t.app.reopen_booking(oops.id).unwrap();
    assert_eq!(undone.state, BookingState::Cancelled);
    assert_eq!(undone.cancel_reason, frontdesk::app::WALK_IN_MISTAKE);
    assert_eq!(
        t.app.reopen_booking(oops.id).unwrap_err().code(),
        Some("booking_cancelled")
    );

    // The audit trail names the booking and its arrival as changes to 王建国.
    let trail = t
        .app
        .audit_log(&frontdesk::audit::AuditQuery {
            customer_id: Some(wang),
            ..Default::default()
        })
        .unwrap();
    assert!(trail.entries.iter().any(|e| e.field.as_deref() == Some("booking")));
    assert!(trail
        .entries
        .iter()
        .any(|e| e.field.as_deref() == Some("booking_state") && e.new_value == serde_json::json!("arrived")));
}

#[test]
fn bad_bookings_are_refused_and_write_nothing() {
    let t = Clocked::new("2026-12-03 14:00");
    let id = t.app.create_customer(&customer("李四", &["13800138000"])).unwrap().id;
    let cases: Vec<(BookingInput, Vec<(&str, &str)>)> = vec![
        (
            BookingInput {
                end_date: "2026-12-04".into(),
                ..booking(id, "2026-12-05", "")
            },
            vec![("end_date", "end_before_start")],
        ),
        (
            BookingInput {
                party: Some(0),
                ..booking(id, "2026-12-05", "19:00")
            },
            vec![("party", "out_of_range")],
        ),
        (
            BookingInput {
                party: Some(10_000),
                ..booking(id, "2026-12-05", "19:00")
            },
            vec![("party", "out_of_range")],
        ),
        (booking(id, "2026-12-03", "13:59"), vec![("time", "in_past")]),
        (booking(id, "2026-12-01", ""), vec![("date", "in_past")]),
        (
            BookingInput {
                notes: "长".repeat(2001),
                what: "x\0y".into(),
                ..booking(id, "2026-12-05", "")
            },
            vec![("what", "invalid_text"), ("notes", "too_long")],
        ),
        (
            booking(id, "2026-13-01", "7pm"),
            vec![("date", "invalid_date"), ("time", "invalid_time")],
        ),
        (booking(0, "2026-12-05", ""), vec![("customer", "required")]),
        (
            BookingInput {
                customer_id: 0,
                new_customer: Some(NewGuest {
                    name: "新客".into(),
                    phone: "12".into(),
                }),
                ..booking(0, "2026-12-05", "")
            },
            vec![("phones.0", "invalid_phone")],
        ),
    ];
    for (input, want) in cases {
        let e = t.app.book(&input).unwrap_err();
        assert_eq!(e.kind(), "invalid", "{input:?}");
        let got = codes(e);
        let want: Vec<(String, &str)> = want.into_iter().map(|(f, c)| (f.to_string(), c)).collect();
        assert_eq!(got, want, "{input:?}");
    }
    assert_eq!(count_bookings(&t), 0);
    assert_eq!(t.app.status().unwrap().customers, 1, "no half-made customer");

    // Sunday is closed by default: a warning the desk may confirm past.
    let sunday = booking(id, "2026-12-06", "12:00");
    let e = t.app.book(&sunday).unwrap_err();
    assert_eq!(e.kind(), "confirm");
    assert_eq!(codes(e), vec![("date".to_string(), "closed_day")]);
    assert_eq!(count_bookings(&t), 0);
    t.app
        .book(&BookingInput {
            confirm: true,
            ..sunday
        })
        .unwrap();
    assert_eq!(count_bookings(&t), 1);

    // A past day is fine for a walk-in (it is now); a party of 0 is not.
    let e = t
        .app
        .walk_in(&WalkInInput {
            customer_id: id,
            party: Some(0),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(codes(e), vec![("party".to_string(), "out_of_range")]);
    // A cancellation needs its reason.
    let b = t.app.book(&booking(id, "2026-12-04", "12:00")).unwrap();
    assert_eq!(
        codes(t.app.cancel_booking(b.id, "  ", false).unwrap_err()),
        vec![("reason".to_string(), "required")]
    );
    assert_eq!(t.app.get_booking(b.id).unwrap().state, BookingState::Booked);
    // A later day's guest cannot have arrived yet.
    assert_eq!(t.app.mark_no_show(b.id).unwrap_err().code(), Some("booking_future"));
}

#[test]
fn a_resource_booked_twice_is_a_warning_and_stays_do_not_clash_on_checkout_day() {
    let t = Clocked::new("2026-12-01 10:00");
    open_all_week(&t);
    let a = t.app.create_customer(&customer("甲", &["13800000001"])).unwrap().id;
    let b = t.app.create_customer(&customer("乙", &["13800000002"])).unwrap().id;
    let first = t
        .app
        .book(&BookingInput {
            resource: "Table 5".into(),
            ..booking(a, "2026-12-04", "19:00")
        })
        .unwrap();
    // 20:00 overlaps the two hours Table 5 is held; 21:00 does not.
    let clash = BookingInput {
        resource: "Table 5".into(),
        ..booking(b, "2026-12-04", "20:00")
    };
    let e = t.app.book(&clash).unwrap_err();
    assert_eq!(codes(e), vec![("resource".to_string(), "resource_taken")]);
    t.app
        .book(&BookingInput {
            resource: "Table 5".into(),
            ..booking(b, "2026-12-04", "21:00")
        })
        .unwrap();
    // Small shops overbook on purpose.
    let second = t.app.book(&BookingInput { confirm: true, ..clash }).unwrap();
    assert_eq!(second.resource, "Table 5");
    // A booking does not clash with itself when it is changed; a cancelled one holds nothing.
    t.app
        .change_booking(
            first.id,
            &BookingInput {
                resource: "Table 6".into(),
                party: Some(2),
                ..booking(a, "2026-12-04", "19:30")
            },
        )
        .unwrap();
    t.app.cancel_booking(second.id, "天气 · Weather", false).unwrap();
    // 19:00–21:00 is free again and ends as the 21:00 guest sits down.
    t.app
        .book(&BookingInput {
            resource: "Table 5".into(),
            ..booking(a, "2026-12-04", "19:00")
        })
        .unwrap();

    // Room 308 from Friday to Sunday; Sunday to Monday shares no night, Saturday does.
    let stay = |who, from: &str, to: &str| BookingInput {
        resource: "Room 308".into(),
        end_date: to.into(),
        ..booking(who, from, "")
    };
    t.app.book(&stay(a, "2026-12-04", "2026-12-06")).unwrap();
    t.app.book(&stay(b, "2026-12-06", "2026-12-07")).unwrap();
    let e = t.app.book(&stay(b, "2026-12-05", "2026-12-07")).unwrap_err();
    assert_eq!(codes(e), vec![("resource".to_string(), "resource_taken")]);
    // Saturday's board shows the guest staying over.
    let sat = t.app.arrivals_board("2026-12-05").unwrap();
    assert_eq!(sat.rows.len(), 1);
    assert!(sat.rows[0].staying);
    assert_counts_kept(&t);
}

#[test]
fn a_weekly_booking_goes_on_until_its_series_is_cancelled() {
    // Tuesday 2026-12-01, 09:00.
    let t = Clocked::new("2026-12-01 09:00");
    open_all_week(&t);
    let id = t.app.create_customer(&customer("赵六", &["13800000006"])).unwrap().id;
    let first = t
        .app
        .book(&BookingInput {
            repeat: Some(Repeat {
                unit: RepeatUnit::Week,
                every: 1,
            }),
            what: "理发 · haircut".into(),
            ..booking(id, "2026-12-01", "10:00")
        })
        .unwrap();
    t.set("2026-12-01 10:05");
    t.app.mark_arrived(first.id).unwrap();
    let next = t.app.customer_bookings(id).unwrap();
    assert_eq!(next.len(), 2);
    assert_eq!(
        (next[0].date.as_str(), next[0].time.as_deref()),
        ("2026-12-08", Some("10:00"))
    );
    assert_eq!(next[0].what, "理发 · haircut");
    // One Tuesday off: the series goes on.
    t.app
        .cancel_booking(next[0].id, "有事来不了 · Could not come", false)
        .unwrap();
    let after = t.app.customer_bookings(id).unwrap();
    assert_eq!(after[0].date, "2026-12-15");
    // Ending the series books nothing more.
    t.app.cancel_booking(after[0].id, "其他 · Other", true).unwrap();
    assert_eq!(t.app.customer_bookings(id).unwrap().len(), 3);
    assert_counts_kept(&t);
}

#[test]
fn the_preparation_reminder_follows_the_booking() {
    let t = Clocked::new("2026-12-03 10:00");
    open_all_week(&t);
    t.app
        .set_arrival_settings(&ArrivalSettings {
            remind_minutes: 60,
            ..Default::default()
        })
        .unwrap();
    let id = t.app.create_customer(&customer("钱七", &["13800000007"])).unwrap().id;
    let b = t.app.book(&booking(id, "2026-12-03", "15:00")).unwrap();
    t.app.plan_reminders().unwrap();
    let arrival = |t: &Clocked| -> Vec<frontdesk::reminders::Reminder> {
        t.app
            .reminder_center(&CenterQuery::default())
            .unwrap()
            .items
            .into_iter()
            .filter(|r| r.kind == ReminderKind::Arrival)
            .collect()
    };
    let r = arrival(&t);
    assert_eq!(r.len(), 1);
    assert_eq!(
        frontdesk::store::ts_to_local(&r[0].due_at),
        Some(frontdesk_tests::at("2026-12-03 14:00"))
    );
    // Moved to 16:00: the old reminder is closed, a new one is due at 15:00.
    t.app.change_booking(b.id, &booking(id, "2026-12-03", "16:00")).unwrap();
    t.app.plan_reminders().unwrap();
    let r = arrival(&t);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(
        frontdesk::store::ts_to_local(&r[0].due_at),
        Some(frontdesk_tests::at("2026-12-03 15:00"))
    );
    // Cancelled: nothing pops.
    t.app.cancel_booking(b.id, "改期 · Rescheduled", false).unwrap();
    t.app.plan_reminders().unwrap();
    assert!(arrival(&t).is_empty());
    t.set("2026-12-03 15:00");
    assert!(t.app.take_due_reminders().unwrap().is_empty());

    // Booked at 14:50 for 15:00 (its reminder time has passed): due now, not "missed".
    t.set("2026-12-03 14:50");
    t.app.book(&booking(id, "2026-12-03", "15:00")).unwrap();
    t.app.plan_reminders().unwrap();
    t.set("2026-12-03 14:51");
    let fired = t.app.take_due_reminders().unwrap();
    assert_eq!(fired.len(), 1);
    assert!(!fired[0].late, "{fired:?}");
    let open = t.app.reminder_center(&CenterQuery::default()).unwrap().items;
    assert!(open
        .iter()
        .any(|r| r.kind == ReminderKind::Arrival && r.state == ReminderState::Fired));
}

#[test]
fn a_new_guest_is_made_in_place_and_the_list_filters_by_visits() {
    let t = Clocked::new("2026-12-03 10:00");
    open_all_week(&t);
    let b = t
        .app
        .book(&BookingInput {
            customer_id: 0,
            new_customer: Some(NewGuest {
                name: "孙八".into(),
                phone: "139 0000 0008".into(),
            }),
            ..booking(0, "2026-12-03", "12:00")
        })
        .unwrap();
    let guest = t.app.customer_detail(b.customer_id, t.app.today()).unwrap().customer;
    assert_eq!((guest.name.as_str(), guest.phones.len()), ("孙八", 1));
    let old = t.app.create_customer(&customer("周九", &["13800000009"])).unwrap().id;

    let names = |q: ListQuery| -> Vec<String> {
        t.app
            .list_customers(&q)
            .unwrap()
            .items
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    assert_eq!(
        names(ListQuery {
            booked_today: true,
            ..Default::default()
        }),
        vec!["孙八"]
    );
    // 100 days later: 孙八 came today (then), 周九 never came since their record was made.
    t.set("2026-12-03 12:05");
    t.app.mark_arrived(b.id).unwrap();
    t.app
        .walk_in(&WalkInInput {
            customer_id: old,
            ..Default::default()
        })
        .unwrap();
    t.set("2027-02-01 10:00");
    let fresh = t.app.create_customer(&customer("吴十", &["13800000010"])).unwrap().id;
    assert!(fresh > 0);
    let since_30 = names(ListQuery {
        not_visited_days: Some(30),
        ..Default::default()
    });
    assert_eq!(since_30.len(), 2, "{since_30:?}");
    assert!(
        !since_30.contains(&"吴十".to_string()),
        "a record made today has not been away"
    );
    assert!(names(ListQuery {
        not_visited_days: Some(90),
        ..Default::default()
    })
    .is_empty());
    assert!(names(ListQuery {
        booked_today: true,
        ..Default::default()
    })
    .is_empty());
}

/// A hand-made November: every figure worked out by hand.
#[test]
fn the_managers_arrival_figures_on_a_hand_made_month() {
    let t = Clocked::new("2026-10-01 08:00");
    open_all_week(&t);
    let ids: Vec<i64> = (0..5)
        .map(|i| {
            t.app
                .create_customer(&customer(&format!("客{i}"), &[&format!("1380000100{i}")]))
                .unwrap()
                .id
        })
        .collect();
    let book_at = |who: i64, when: &str| -> i64 {
        let (d, tm) = when.split_once(' ').unwrap();
        t.set(&format!("{d} 08:00"));
        t.app.book(&booking(who, d, tm)).unwrap().id
    };
    let arrive = |id: i64, when: &str| {
        t.set(when);
        t.app.mark_arrived(id).unwrap();
    };
    // October: 客0 and 客1 came.
    let b = book_at(ids[0], "2026-10-10 12:00");
    arrive(b, "2026-10-10 12:05");
    let b = book_at(ids[1], "2026-10-20 19:00");
    arrive(b, "2026-10-20 19:05");
    // November (Monday 2 … Monday 30):
    // 客0 twice (Mon 2 12:00, Sat 14 19:00) — returning;
    let b = book_at(ids[0], "2026-11-02 12:00");
    arrive(b, "2026-11-02 12:10");
    let b = book_at(ids[0], "2026-11-14 19:00");
    arrive(b, "2026-11-14 19:00");
    // 客2 once, a first visit (Sat 14 19:30), and once a no-show (Fri 20 19:00);
    let b = book_at(ids[2], "2026-11-14 19:30");
    arrive(b, "2026-11-14 19:40");
    let b = book_at(ids[2], "2026-11-20 19:00");
    t.set("2026-11-20 21:00");
    t.app.mark_no_show(b).unwrap();
    // 客3 walks in (Sat 28 at 12:20), a first visit;
    t.set("2026-11-28 12:20");
    t.app
        .walk_in(&WalkInInput {
            customer_id: ids[3],
            ..Default::default()
        })
        .unwrap();
    // 客1 cancels twice for the weather and once "rescheduled"; 客4 is booked for December.
    for (when, reason) in [
        ("2026-11-05 12:00", "天气 · Weather"),
        ("2026-11-06 12:00", "天气 · Weather"),
        ("2026-11-07 12:00", "改期 · Rescheduled"),
    ] {
        let b = book_at(ids[1], when);
        t.app.cancel_booking(b, reason, false).unwrap();
    }
    book_at(ids[4], "2026-12-02 12:00");
    t.set("2026-12-01 09:00");
    assert_counts_kept(&t);

    let f = t
        .app
        .arrival_figures(&ReviewQuery {
            preset: Preset::Custom,
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
            ..Default::default()
        })
        .unwrap();
    // Visitors: 客0, 客2, 客3; returning: 客0 (came in October).
    assert_eq!((f.visitors, f.returning), (3, 1));
    assert!((f.repeat_rate.unwrap() - 100.0 / 3.0).abs() < 1e-9);
    assert_eq!(f.arrivals, 4);
    assert!((f.visits_per_customer.unwrap() - 4.0 / 3.0).abs() < 1e-9);
    // One no-show out of five bookings that were kept or missed.
    assert_eq!(f.no_shows, 1);
    assert!(f
        .cancellations
        .iter()
        .all(|c| c.reason != frontdesk::app::WALK_IN_MISTAKE));
    assert!((f.no_show_rate.unwrap() - 20.0).abs() < 1e-9);
    let reasons: Vec<(&str, usize)> = f.cancellations.iter().map(|r| (r.reason.as_str(), r.count)).collect();
    assert_eq!(reasons, vec![("天气 · Weather", 2), ("改期 · Rescheduled", 1)]);
    let mut hours = vec![0; 24];
    hours[12] = 2; // 客0 on the 2nd; the walk-in at 12:20
    hours[19] = 2; // Saturday the 14th, twice
    assert_eq!(f.by_hour, hours);
    // Monday 1, Saturday 3.
    assert_eq!(f.by_weekday, vec![1, 0, 0, 0, 0, 3, 0]);

    // The days are kept in memory after the first figures: an undo and a new arrival
    // are followed (客3's walk-in is the only visit taken back: a walk-in cannot be undone,
    // so 客2's arrival on the 14th is).
    let nov = ReviewQuery {
        preset: Preset::Custom,
        from: "2026-11-01".into(),
        to: "2026-11-30".into(),
        ..Default::default()
    };
    let fourteenth = t
        .app
        .customer_bookings(ids[2])
        .unwrap()
        .into_iter()
        .find(|b| b.date == "2026-11-14")
        .unwrap();
    t.app.reopen_booking(fourteenth.id).unwrap();
    let after = t.app.arrival_figures(&nov).unwrap();
    assert_eq!((after.visitors, after.returning, after.arrivals), (2, 1, 3));
    t.app.mark_arrived(fourteenth.id).unwrap();
    assert_eq!(t.app.arrival_figures(&nov).unwrap(), f);
    assert_counts_kept(&t);

    // October alone: both first visits; an empty period has no rates.
    let oct = t
        .app
        .arrival_figures(&ReviewQuery {
            preset: Preset::Custom,
            from: "2026-10-01".into(),
            to: "2026-10-31".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((oct.visitors, oct.returning, oct.repeat_rate), (2, 0, Some(0.0)));
    let empty = t
        .app
        .arrival_figures(&ReviewQuery {
            preset: Preset::Custom,
            from: "2026-01-01".into(),
            to: "2026-01-31".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        (empty.repeat_rate, empty.no_show_rate, empty.visits_per_customer),
        (None, None, None)
    );
    // A reversed period is refused.
    let e = t
        .app
        .arrival_figures(&ReviewQuery {
            preset: Preset::Custom,
            from: "2026-11-30".into(),
            to: "2026-11-01".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(codes(e), vec![("to".to_string(), "before_from")]);
}

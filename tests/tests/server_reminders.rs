//! Reminders through the store seam: occurrences stored once by key, firing, snoozing and
//! closing, the reminder center's lists and counts, manual reminders, a customer's name
//! replaced in the texts after anonymising, the export's stream; the same on the desk's file
//! and on the shared database (set up by moving a desk's data into it).

use frontdesk::customers::{repo as customers, rules as customer_rules};
use frontdesk::kernel::recurrence::{Repeat, RepeatUnit};
use frontdesk::reminders::repo;
use frontdesk::reminders::{CenterQuery, Reminder, ReminderKind, ReminderState};
use frontdesk::store::db::Db;
use frontdesk_tests::customer;
use frontdesk_tests::server::{on_both_stores, TempDatabase};
use serde_json::json;

const NOW: &str = "2026-12-06T09:30:00.000Z";

/// A manual reminder as the planner reads it: `(id, customer, text, due, repeat, anchor, index, staff)`.
type ManualRow = (
    i64,
    Option<i64>,
    String,
    String,
    Option<Repeat>,
    Option<String>,
    u32,
    String,
);

/// What the story saw, for comparing the stores.
#[derive(Debug, PartialEq)]
struct Seen {
    inserted: Vec<bool>,
    due: Vec<Reminder>,
    wakes: Vec<Option<String>>,
    stale_closed: (usize, usize),
    sources: Vec<i64>,
    /// Each center query's total and the reminders listed.
    center: Vec<(&'static str, usize, Vec<Reminder>)>,
    counts: (usize, usize),
    renamed: usize,
    dismissed: usize,
    deleted: usize,
    manual: (Vec<ManualRow>, Vec<ManualRow>),
    exported: Vec<Reminder>,
}

fn manual_rows(list: Vec<repo::Manual>) -> Vec<ManualRow> {
    list.into_iter()
        .map(|m| {
            (
                m.id,
                m.customer_id,
                m.text,
                m.due_at,
                m.repeat,
                m.repeat_anchor,
                m.repeat_index,
                m.staff,
            )
        })
        .collect()
}

fn reminder_story(db: Db<'_>) -> Seen {
    let zhang = customer_rules::validate(&customer("张伟", &["13800138000"])).unwrap();
    let zhang = customers::insert_customer(db, &zhang, &customers::search_fields(&zhang), NOW).unwrap();
    let wu = customer_rules::validate(&customer("吴先生", &["139 0000 1111"])).unwrap();
    let wu = customers::insert_customer(db, &wu, &customers::search_fields(&wu), NOW).unwrap();

    // (kind, key, customer, source, due = wake, args, staff)
    let planned = [
        (
            ReminderKind::Visit,
            "visit:11:2026-12-06:17:00".to_string(),
            Some(zhang),
            Some(11),
            "2026-12-06T09:00:00.000Z",
            json!({"name": "张伟", "purpose": "satisfaction"}),
            "小王",
        ),
        (
            ReminderKind::Arrival,
            "arrival:5:2026-12-06".to_string(),
            Some(zhang),
            Some(5),
            "2026-12-06T08:00:00.000Z",
            json!({"name": "张伟", "time": "18:30", "party": 4, "resource": "包间 A",
                   "prep": "18:30 张伟 4 位 · 包间 A · 花生过敏"}),
            "小李",
        ),
        (
            ReminderKind::KeepInTouch,
            format!("keep_in_touch:{wu}:2026-12-07"),
            Some(wu),
            None,
            "2026-12-07T01:00:00.000Z",
            json!({"name": "吴先生", "days": 90}),
            "",
        ),
        (
            ReminderKind::Birthday,
            format!("birthday:{zhang}:2026-12-08:0"),
            Some(zhang),
            None,
            "2026-12-08T00:00:00.000Z",
            json!({"name": "张伟"}),
            "",
        ),
        (
            ReminderKind::ComplaintWarning,
            "complaint-warn:7:2026-12-06T09:30".to_string(),
            Some(wu),
            Some(7),
            NOW,
            json!({"name": "吴先生", "serial": "TS-2026-000001"}),
            "小王",
        ),
        (
            ReminderKind::ComplaintEscalation,
            "complaint-esc:7:2026-12-10:1".to_string(),
            Some(wu),
            Some(7),
            "2026-12-10T01:00:00.000Z",
            json!({"name": "吴先生", "serial": "TS-2026-000001", "level": 1}),
            "小王",
        ),
        (
            ReminderKind::Manual,
            "manual:1:2026-12-09T00:00:00.000Z".to_string(),
            None,
            Some(1),
            "2026-12-09T00:00:00.000Z",
            json!({"name": "", "text": "检查灭火器"}),
            "小李",
        ),
    ];
    let mut inserted: Vec<bool> = planned
        .iter()
        .map(|(kind, key, who, source, due, args, staff)| {
            repo::insert_occurrence(db, *kind, key, *who, *source, due, due, &args.to_string(), staff, NOW).unwrap()
        })
        .collect();
    // The planner runs again: the same occurrence is not stored twice, whatever it says now.
    let (kind, key, who, source, due, _, staff) = &planned[0];
    inserted.push(
        repo::insert_occurrence(
            db,
            *kind,
            key,
            *who,
            *source,
            due,
            "2026-12-06T09:10:00.000Z",
            "{\"name\":\"又一次\"}",
            staff,
            NOW,
        )
        .unwrap(),
    );

    let due = repo::list_due(db, NOW).unwrap();
    for r in &due {
        repo::mark_fired(db, r.id, NOW, r.kind == ReminderKind::Arrival).unwrap();
    }
    let (arrival, visit, warning) = (due[0].id, due[1].id, due[2].id);
    let mut wakes = vec![
        repo::next_wake(db).unwrap(),
        repo::next_wake_of(db, ReminderKind::Visit).unwrap(),
        repo::next_wake_of(db, ReminderKind::Birthday).unwrap(),
    ];
    repo::snooze(db, visit, "2026-12-06T10:30:00.000Z", NOW).unwrap();
    wakes.push(repo::next_wake(db).unwrap());
    wakes.push(repo::next_wake_of(db, ReminderKind::Visit).unwrap());
    repo::close(db, arrival, ReminderState::Done, "2026-12-06T09:40:00.000Z").unwrap();
    // One closed by an older FrontDesk, which kept no time: it sorts last in the history.
    db.execute("UPDATE reminders SET closed_at = NULL WHERE id = ?1", &[&arrival])
        .unwrap();
    let visit_key = vec![planned[0].1.clone()];
    let stale_closed = (
        repo::close_stale(db, ReminderKind::Visit, 11, &visit_key, "2026-12-06T09:50:00.000Z").unwrap(),
        repo::close_stale(db, ReminderKind::Visit, 11, &[], "2026-12-06T09:50:00.000Z").unwrap(),
    );
    let sources = repo::open_sources(db, ReminderKind::ComplaintEscalation).unwrap();
    let counts = (
        repo::count_state(db, "'fired'").unwrap(),
        repo::count_state(db, "'pending', 'snoozed'").unwrap(),
    );
    let dismissed =
        repo::dismiss_pending_for_customer(db, wu, ReminderKind::KeepInTouch, "2026-12-06T10:00:00.000Z").unwrap();
    let renamed = repo::rename_in_reminders(db, zhang, "已注销客户").unwrap();
    let deleted = repo::delete_unfired_for_customers(db, &[wu, zhang + 1000]).unwrap();

    let queries: Vec<(&'static str, CenterQuery, usize)> = vec![
        ("to do", CenterQuery::default(), 50),
        (
            "to do, two per page, second page",
            CenterQuery {
                offset: 2,
                ..Default::default()
            },
            2,
        ),
        (
            "小王's",
            CenterQuery {
                staff: " 小王 ".into(),
                ..Default::default()
            },
            50,
        ),
        (
            "birthdays",
            CenterQuery {
                kind: Some(ReminderKind::Birthday),
                ..Default::default()
            },
            50,
        ),
        (
            "history",
            CenterQuery {
                history: true,
                ..Default::default()
            },
            50,
        ),
    ];
    let center = queries
        .into_iter()
        .map(|(name, q, limit)| {
            let (total, items) = repo::list_center(db, &q, limit).unwrap();
            (name, total, items)
        })
        .collect();
    assert_eq!(repo::get_reminder(db, warning).unwrap().state, ReminderState::Fired);
    assert_eq!(repo::get_reminder(db, warning + 1000).unwrap_err().kind(), "not_found");

    let weekly = Repeat {
        unit: RepeatUnit::Week,
        every: 1,
    };
    let m1 = repo::insert_manual(
        db,
        Some(zhang),
        "回电确认包间",
        "2026-12-06T02:00:00.000Z",
        Some(weekly),
        Some("2026-12-06 10:00"),
        "小王",
        NOW,
    )
    .unwrap();
    let m2 = repo::insert_manual(
        db,
        None,
        "检查灭火器",
        "2026-12-07T02:00:00.000Z",
        None,
        None,
        "小李",
        NOW,
    )
    .unwrap();
    let due_manual = manual_rows(repo::list_manual_until(db, "2026-12-06T12:00:00.000Z").unwrap());
    repo::advance_manual(db, m1, Some(("2026-12-13T02:00:00.000Z", 1)), NOW).unwrap();
    repo::advance_manual(db, m2, None, NOW).unwrap();
    let later_manual = manual_rows(repo::list_manual_until(db, "2026-12-31T00:00:00.000Z").unwrap());

    let mut exported = Vec::new();
    repo::for_each_reminder(db, |r| {
        exported.push(r);
        Ok(())
    })
    .unwrap();
    Seen {
        inserted,
        due,
        wakes,
        stale_closed,
        sources,
        center,
        counts,
        renamed,
        dismissed,
        deleted,
        manual: (due_manual, later_manual),
        exported,
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn reminders_are_kept_alike_on_the_desk_file_and_the_server() {
    let pg = TempDatabase::new();
    let (on_desk, on_server) = on_both_stores(&pg, reminder_story);

    assert_eq!(on_server, on_desk);
    let seen = on_server;
    assert_eq!(
        seen.inserted,
        [true, true, true, true, true, true, true, false],
        "an occurrence is stored once"
    );
    let due: Vec<ReminderKind> = seen.due.iter().map(|r| r.kind).collect();
    assert_eq!(
        due,
        [
            ReminderKind::Arrival,
            ReminderKind::Visit,
            ReminderKind::ComplaintWarning
        ],
        "due at now, earliest first"
    );
    assert_eq!(
        seen.due[1].args,
        json!({"name": "张伟", "purpose": "satisfaction"}),
        "the first plan kept"
    );
    assert_eq!(seen.due[0].customer_name.as_deref(), Some("张伟"));
    let wake = |s: &str| Some(s.to_string());
    assert_eq!(
        seen.wakes,
        [
            wake("2026-12-07T01:00:00.000Z"),
            None,
            wake("2026-12-08T00:00:00.000Z"),
            wake("2026-12-06T10:30:00.000Z"),
            wake("2026-12-06T10:30:00.000Z"),
        ],
        "a snoozed reminder wakes again"
    );
    assert_eq!(
        seen.stale_closed,
        (0, 1),
        "the visit's current occurrence is kept, then closed"
    );
    assert_eq!(seen.sources, [7]);
    assert_eq!(
        seen.counts,
        (1, 4),
        "fired: the warning; pending: the others still open"
    );
    assert_eq!((seen.dismissed, seen.renamed, seen.deleted), (1, 3, 1));

    let center = |name: &str| {
        seen.center
            .iter()
            .find(|(n, ..)| *n == name)
            .map(|(_, total, items)| (*total, items.iter().map(|r| r.kind).collect::<Vec<_>>()))
            .unwrap()
    };
    use ReminderKind::*;
    assert_eq!(
        center("to do"),
        (3, vec![ComplaintWarning, Birthday, Manual]),
        "in wake order; the dismissed and the deleted are gone"
    );
    assert_eq!(center("to do, two per page, second page"), (3, vec![Manual]));
    assert_eq!(center("小王's"), (1, vec![ComplaintWarning]));
    assert_eq!(center("birthdays"), (1, vec![Birthday]));
    assert_eq!(
        center("history"),
        (3, vec![KeepInTouch, Visit, Arrival]),
        "latest closed first, one without a time last"
    );
    let history = &seen.center.iter().find(|(n, ..)| *n == "history").unwrap().2;
    assert_eq!(history[0].state, ReminderState::Dismissed);
    assert_eq!(history[1].closed_at.as_deref(), Some("2026-12-06T09:50:00.000Z"));
    assert_eq!(
        history[2].args["prep"], "已注销客户",
        "the preparation line no longer names the guest"
    );
    assert_eq!(history[2].args["name"], "已注销客户");
    assert_eq!(history[2].args["party"], 4, "the rest of the texts stays");
    assert!(history[2].late, "fired late");

    let (due_manual, later_manual) = &seen.manual;
    assert_eq!(due_manual.len(), 1);
    assert_eq!(due_manual[0].2, "回电确认包间");
    assert_eq!(
        due_manual[0].4,
        Some(Repeat {
            unit: RepeatUnit::Week,
            every: 1
        })
    );
    assert_eq!(later_manual.len(), 1, "the one-off is retired");
    assert_eq!(
        (later_manual[0].3.as_str(), later_manual[0].6),
        ("2026-12-13T02:00:00.000Z", 1),
        "the weekly one moved on"
    );
    assert_eq!(seen.exported.len(), 6, "every occurrence but the deleted one");
    assert!(
        seen.exported.windows(2).all(|w| w[0].due_at <= w[1].due_at),
        "by due time"
    );
}

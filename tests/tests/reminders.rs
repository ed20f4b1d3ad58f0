//! Reminders through the real database file with an injected clock: what is due at time t
//! for every source, firing, lateness, quiet hours, snooze, done and the history.

use frontdesk::complaints::{ComplaintInput, Severity};
use frontdesk::customers::{Calendar, SpecialDate, Tier};
use frontdesk::reminders::{CenterQuery, ManualInput, ReminderKind, ReminderSettings, ReminderState, Snooze};
use frontdesk::visits::{OutcomeInput, Retry, VisitInput};
use frontdesk_tests::{at, customer, Clocked};

/// Monday 2026-11-23 is a business day (Mon–Fri 09–18, Sat 10–16).
fn clocked(start: &str) -> Clocked {
    let t = Clocked::new(start);
    t.app.set_language("zh-CN").unwrap();
    t
}

trait Scheduler {
    fn tick(&self) -> Vec<frontdesk::reminders::Fired>;
    fn open(&self) -> Vec<frontdesk::reminders::Reminder>;
}

impl Scheduler for Clocked {
    /// What the scheduler does on each pass.
    fn tick(&self) -> Vec<frontdesk::reminders::Fired> {
        self.app.plan_reminders().unwrap();
        self.app.take_due_reminders().unwrap()
    }
    fn open(&self) -> Vec<frontdesk::reminders::Reminder> {
        self.app.reminder_center(&CenterQuery::default()).unwrap().items
    }
}

#[test]
fn a_manual_reminder_fires_snoozes_and_is_done() {
    let t = clocked("2026-11-23 10:00");
    let c = t.app.create_customer(&customer("张伟", &["13800138000"])).unwrap();
    let bad = ManualInput {
        text: " ".into(),
        due_at: "2026-02-30 10:00".into(),
        ..Default::default()
    };
    let e = t.app.create_manual_reminder(&bad).unwrap_err();
    assert_eq!(
        e.fields().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        vec!["text", "due_at"]
    );
    let input = ManualInput {
        customer_id: Some(c.id),
        text: "回电确认包间".into(),
        due_at: "2026-11-23 10:05".into(),
        ..Default::default()
    };
    t.app.create_manual_reminder(&input).unwrap();
    assert!(t.tick().is_empty(), "not due yet");
    assert_eq!(t.open()[0].state, ReminderState::Pending);
    assert_eq!(t.app.next_reminder_wake().unwrap(), Some(at("2026-11-23 10:05")));

    t.set("2026-11-23 10:05");
    let fired = t.tick();
    assert_eq!(fired.len(), 1);
    assert!(
        fired[0].title.contains("张伟") && fired[0].body.contains("回电确认包间"),
        "{fired:?}"
    );
    assert!(!fired[0].late);
    assert!(t.tick().is_empty(), "fires once");
    let r = &t.open()[0];
    assert_eq!(r.state, ReminderState::Fired);

    let r = t.app.snooze_reminder(r.id, &Snooze::Minutes15).unwrap();
    assert_eq!(r.state, ReminderState::Snoozed);
    t.set("2026-11-23 10:19");
    assert!(t.tick().is_empty());
    t.set("2026-11-23 10:20");
    assert_eq!(t.tick().len(), 1);
    t.app.close_reminder(r.id, true).unwrap();
    assert!(t.open().is_empty());
    let history = t
        .app
        .reminder_center(&CenterQuery {
            history: true,
            ..Default::default()
        })
        .unwrap()
        .items;
    assert_eq!((history.len(), history[0].state), (1, ReminderState::Done));
    assert_eq!(
        t.app.close_reminder(r.id, false).unwrap_err().code(),
        Some("reminder_closed")
    );
}

#[test]
fn catch_up_after_downtime_marks_reminders_late_and_quiet_hours_hold_them() {
    let t = clocked("2026-11-20 17:00"); // Friday
    let c = t.app.create_customer(&customer("王芳", &[])).unwrap();
    for (text, due) in [
        ("早会前打电话", "2026-11-20 17:30"),
        ("确认周六订位", "2026-11-21 10:30"),
    ] {
        let m = ManualInput {
            customer_id: Some(c.id),
            text: text.into(),
            due_at: due.into(),
            ..Default::default()
        };
        t.app.create_manual_reminder(&m).unwrap();
    }
    t.tick();
    // The app was closed until Sunday: quiet (closed all day), nothing pops.
    t.set("2026-11-22 12:00");
    assert!(t.tick().is_empty());
    assert_eq!(
        t.app.next_reminder_wake().unwrap(),
        Some(at("2026-11-22 13:00")).min(Some(at("2026-11-23 09:00")))
    );
    // Monday at opening: both fire, marked late.
    t.set("2026-11-23 09:00");
    let fired = t.tick();
    assert_eq!(fired.len(), 2);
    assert!(fired.iter().all(|f| f.late), "{fired:?}");
    assert!(fired[0].title.contains("错过"), "{}", fired[0].title);
    let (title, _) = t.app.burst_summary(&fired).unwrap();
    assert!(title.contains('2') && title.contains("关闭"), "{title}");
    // Without quiet hours a reminder pops even on a Sunday.
    t.app
        .set_reminder_settings(&ReminderSettings {
            quiet_outside_hours: false,
            ..Default::default()
        })
        .unwrap();
    let m = ManualInput {
        text: "周日也提醒".into(),
        due_at: "2026-11-29 11:00".into(),
        ..Default::default()
    };
    t.app.create_manual_reminder(&m).unwrap();
    t.set("2026-11-29 11:00");
    assert_eq!(t.tick().len(), 1);
}

#[test]
fn visits_complaints_dates_and_keep_in_touch_each_remind() {
    let t = clocked("2026-11-23 08:00");
    let mut vip = customer("钱多多", &[]);
    vip.tier = Some(Tier::Vip);
    vip.birthday = Some(SpecialDate {
        calendar: Calendar::Lunar,
        year: Some(1980),
        month: 10,
        day: 6,
        leap_month: false,
    });
    let vip = t.app.create_customer(&vip).unwrap();

    // A visit at 14:30 today reminds at 14:30; rescheduling replaces the reminder.
    let v = t
        .app
        .plan_visit(&VisitInput {
            customer_id: vip.id,
            due_date: "2026-11-23".into(),
            due_time: "14:30".into(),
            ..Default::default()
        })
        .unwrap();
    // An urgent complaint at 10:00 must be answered by 11:00: a warning at 10:00.
    t.tick();
    let kinds: Vec<ReminderKind> = t.open().iter().map(|r| r.kind).collect();
    assert!(kinds.contains(&ReminderKind::Visit), "{kinds:?}");
    t.set("2026-11-23 10:00");
    t.app
        .register_complaint(&ComplaintInput {
            customer_id: Some(vip.id),
            severity: Some(Severity::Urgent),
            summary: "空调坏了".into(),
            ..Default::default()
        })
        .unwrap();
    let fired = t.tick();
    assert!(fired.iter().any(|f| f.title.contains("投诉快到期")), "{fired:?}");
    t.set("2026-11-23 11:00");
    assert!(
        t.tick().iter().any(|f| f.title.contains("投诉超时")),
        "the first escalation step"
    );

    let o = OutcomeInput {
        reached: false,
        notes: String::new(),
        satisfaction: None,
        next_step: String::new(),
        retry: Some(Retry::Tomorrow),
        next_visit: None,
    };
    t.app.record_outcome(v.id, &o).unwrap();
    t.tick();
    // The one visit reminder still open is the new one: tomorrow, all day, so at opening
    // (09:00); the old one (today 14:30) is closed, in the history.
    let visits: Vec<_> = t.open().into_iter().filter(|r| r.kind == ReminderKind::Visit).collect();
    assert_eq!(visits.len(), 1, "{visits:?}");
    let local = |ts: &str| frontdesk::store::ts_to_local(ts).unwrap();
    assert_eq!(
        (local(&visits[0].due_at), visits[0].state, visits[0].source_id),
        (at("2026-11-24 09:00"), ReminderState::Pending, Some(v.id)),
        "{visits:?}"
    );
    assert_eq!(
        (&visits[0].args["date"], &visits[0].args["time"]),
        (&"2026-11-24".into(), &"".into())
    );
    let replaced: Vec<_> = t
        .app
        .reminder_center(&CenterQuery {
            kind: Some(ReminderKind::Visit),
            history: true,
            ..Default::default()
        })
        .unwrap()
        .items;
    assert_eq!(replaced.len(), 1, "{replaced:?}");
    assert_eq!(
        (local(&replaced[0].due_at), replaced[0].state, replaced[0].source_id),
        (at("2026-11-23 14:30"), ReminderState::Done, Some(v.id))
    );

    // 农历十月初六 in 2026 is 2026-11-15... so next year's is planned when its days come.
    // Keep-in-touch: created today, a VIP passes 45 days on 2027-01-08.
    t.set("2027-01-08 09:30");
    let fired = t.tick();
    assert!(
        fired
            .iter()
            .any(|f| f.title.contains("该联系了") && f.title.contains("钱多多")),
        "{fired:?}"
    );
}

#[test]
fn mid_autumn_birthday_reminds_three_days_ahead_and_on_the_day() {
    let t = clocked("2026-09-21 18:30");
    let mut c = customer("中秋生", &[]);
    c.birthday = Some(SpecialDate {
        calendar: Calendar::Lunar,
        year: None,
        month: 8,
        day: 15,
        leap_month: false,
    });
    t.app.create_customer(&c).unwrap();
    t.tick();
    let birthdays: Vec<_> = t
        .open()
        .into_iter()
        .filter(|r| r.kind == ReminderKind::Birthday)
        .collect();
    assert_eq!(birthdays.len(), 1, "only the reminder inside the planning window");
    assert_eq!(birthdays[0].args["date"], "2026-09-25");
    t.set("2026-09-22 09:00");
    let fired = t.tick();
    assert!(
        fired
            .iter()
            .any(|f| f.title.contains("生日") && f.body.contains("2026-09-25")),
        "{fired:?}"
    );
    t.set("2026-09-25 09:00");
    assert!(t.tick().iter().any(|f| f.title.contains("中秋生")));
}

#[test]
fn a_visit_entered_after_its_time_is_due_not_missed() {
    let t = clocked("2026-11-23 09:00");
    let c = t.app.create_customer(&customer("赵敏", &["13700137000"])).unwrap();
    t.tick();
    // The scheduler keeps looking through the day; nothing is planned yet.
    t.set("2026-11-23 14:59");
    assert!(t.tick().is_empty());
    // At 15:00 the desk records four return visits that were for this morning.
    t.set("2026-11-23 15:00");
    for time in ["09:30", "10:00", "10:30", "11:00"] {
        let v = VisitInput {
            customer_id: c.id,
            due_date: "2026-11-23".into(),
            due_time: time.into(),
            ..Default::default()
        };
        t.app.plan_visit(&v).unwrap();
    }
    let fired = t.tick();
    assert_eq!(fired.len(), 4, "{fired:?}");
    assert!(fired.iter().all(|f| !f.late), "entered late is not missed: {fired:?}");
    assert!(fired.iter().all(|f| !f.title.contains("错过")), "{fired:?}");
    // Four at once are shown as one: "4 reminders due", not "while FrontDesk was closed".
    let (title, body) = t.app.burst_summary(&fired).unwrap();
    assert!(title.contains('4') && !title.contains("关闭"), "{title}");
    assert!(body.contains(&fired[0].title), "{body}");
    // Each still says where it leads: the customer's card.
    assert!(fired.iter().all(|f| f.customer_id == Some(c.id)));
    // A visit that was already planned when the app closed, and came due while it was
    // closed, is missed.
    let v = VisitInput {
        customer_id: c.id,
        due_date: "2026-11-24".into(),
        due_time: "10:00".into(),
        ..Default::default()
    };
    t.app.plan_visit(&v).unwrap();
    t.tick();
    t.set("2026-11-24 11:00");
    let fired = t.tick();
    assert_eq!(fired.len(), 1, "{fired:?}");
    assert!(fired[0].late, "{fired:?}");
}

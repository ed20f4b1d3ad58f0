//! Several desks on one shared database, each a real `App` with its own data folder: what
//! one desk writes, the others find within a second without reloading; four desks racing
//! to register complaints get unique serials with no gap.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use frontdesk::complaints::{ComplaintChannel, ComplaintInput, Severity};
use frontdesk::App;
use frontdesk_tests::server::{desk, seen_within, Desk, TempDatabase};
use frontdesk_tests::{customer, names_found};

/// How many times `app` has applied what another desk wrote, counted from now.
fn count_heard(app: &App) -> Arc<AtomicUsize> {
    let heard = Arc::new(AtomicUsize::new(0));
    let h = heard.clone();
    app.on_heard(Box::new(move || {
        h.fetch_add(1, Ordering::SeqCst);
    }));
    heard
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn what_one_desk_writes_the_others_find_within_a_second() {
    let pg = TempDatabase::new();
    let a = desk(&pg, "前台1");
    let b = desk(&pg, "礼宾台");
    let heard = count_heard(&b.app);

    let created = a
        .app
        .create_customer(&customer("欧阳晓梅", &["186 5550 7321"]))
        .unwrap();
    let took = seen_within(&b.app, "ouyang", "欧阳晓梅", Duration::from_secs(1));
    assert!(
        took.is_some(),
        "desk B's search did not find desk A's new customer within 1 s"
    );
    assert!(heard.load(Ordering::SeqCst) >= 1, "desk B's window was told");
    assert!(
        names_found(&b.app, "5550 7321").contains(&"欧阳晓梅".to_string()),
        "by phone too"
    );

    // An edit at B reaches A's index: the new name is found there, the old one is not.
    let mut input = customer("欧阳晓梅", &["186 5550 7321"]);
    input.name = "欧阳小梅".into();
    b.app.update_customer(created.id, &input).unwrap();
    assert!(seen_within(&a.app, "xiaomei", "欧阳小梅", Duration::from_secs(1)).is_some());
    assert!(!names_found(&a.app, "欧阳晓梅").contains(&"欧阳晓梅".to_string()));

    // What a desk writes itself is applied once (its own message is not applied again).
    assert_eq!(names_found(&a.app, "ouyang").len(), 1);
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn four_desks_racing_to_register_complaints_get_unique_serials_without_gaps() {
    let pg = TempDatabase::new();
    let desks: Vec<Desk> = ["前台1", "前台2", "礼宾台", "后台"]
        .iter()
        .map(|n| desk(&pg, n))
        .collect();
    let guest = desks[0]
        .app
        .create_customer(&customer("吴先生", &["139 0000 1111"]))
        .unwrap();
    let serials: Vec<String> = std::thread::scope(|scope| {
        let racing: Vec<_> = desks
            .iter()
            .map(|d| {
                let app = d.app.clone();
                scope.spawn(move || {
                    (0..5)
                        .map(|i| {
                            app.register_complaint(&ComplaintInput {
                                customer_id: Some(guest.id),
                                channel: Some(ComplaintChannel::Phone),
                                severity: Some(Severity::Normal),
                                summary: format!("第 {i} 次投诉"),
                                staff: "小李".into(),
                                ..Default::default()
                            })
                            .unwrap()
                            .serial
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        racing.into_iter().flat_map(|r| r.join().unwrap()).collect()
    });
    let mut numbers: Vec<u32> = serials
        .iter()
        .map(|s| s.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1..=20).collect::<Vec<u32>>(), "{serials:?}");
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_second_save_of_the_same_customer_is_refused_and_can_then_overwrite() {
    let pg = TempDatabase::new();
    let a = desk(&pg, "前台1");
    let b = desk(&pg, "礼宾台");
    a.app.set_desk_staff("小王").unwrap();
    a.app.set_language("en").unwrap();
    assert_eq!(b.app.desk_staff().unwrap(), "", "who is at a desk is that desk's own");
    assert_eq!(b.app.status().unwrap().language, None, "and so is its language");
    let created = a.app.create_customer(&customer("吴先生", &["139 0000 1111"])).unwrap();
    // Both desks open the form on the same version.
    let seen = b.app.get_customer(created.id).unwrap().updated_at;
    assert_eq!(seen, created.updated_at);

    let mut at_a = customer("吴先生", &["139 0000 1111"]);
    at_a.company = "红灯笼酒店".into();
    a.app.update_customer_seen(created.id, &at_a, Some(&seen)).unwrap();

    let mut at_b = customer("吴先生", &["139 0000 1111"]);
    at_b.notes = "周五来".into();
    let refused = b.app.update_customer_seen(created.id, &at_b, Some(&seen)).unwrap_err();
    let frontdesk::error::Error::Changed {
        by,
        desk,
        at,
        updated_at,
    } = &refused
    else {
        panic!("not refused as changed: {refused}");
    };
    assert_eq!(desk, "前台1", "the desk that saved first");
    assert_eq!(by, "小王", "who was at the desk that saved first");
    assert!(at.as_str() > seen.as_str(), "when: {at} after {seen}");
    let json = serde_json::to_value(&refused).unwrap();
    assert_eq!(json["kind"], "changed");
    assert_eq!(json["changed"]["by"], "小王");
    assert_eq!(json["changed"]["desk"], "前台1");
    // The trail names the desk of every change, as the conflict does.
    let trail = b
        .app
        .audit_log(&frontdesk::audit::AuditQuery {
            customer_id: Some(created.id),
            ..Default::default()
        })
        .unwrap()
        .entries;
    assert!(
        !trail.is_empty() && trail.iter().all(|e| e.desk == "前台1"),
        "{trail:?}"
    );
    let kept = b.app.get_customer(created.id).unwrap();
    assert_eq!(
        (kept.company.as_str(), kept.notes.as_str()),
        ("红灯笼酒店", ""),
        "nothing of B's was written"
    );

    // B reviewed it and saves over it, naming the version it saw now.
    let saved = b.app.update_customer_seen(created.id, &at_b, Some(updated_at)).unwrap();
    assert_eq!((saved.company.as_str(), saved.notes.as_str()), ("", "周五来"));
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_due_reminder_pops_once_at_the_desk_of_the_person_it_names() {
    use frontdesk::reminders::ManualInput;
    let pg = TempDatabase::new();
    // Monday morning, within business hours, on one clock for every desk.
    let now = Arc::new(std::sync::Mutex::new(frontdesk_tests::at("2026-12-07 10:00")));
    let at_desk = |name: &str, staff: &str| {
        let dir = tempfile::tempdir().unwrap();
        let n = now.clone();
        let app = App::open_server(dir.path(), &pg.settings(name))
            .unwrap()
            .with_clock(Box::new(move || *n.lock().unwrap()));
        app.set_desk_staff(staff).unwrap();
        Desk {
            dir,
            app: Arc::new(app),
        }
    };
    let wang = at_desk("前台1", "小王");
    let li = at_desk("礼宾台", "小李");
    let nobody = at_desk("后台", "");
    // 小赵's desk was used this morning and is closed now.
    drop(at_desk("夜班", "小赵"));
    let remind = |text: &str, staff: &str| {
        wang.app
            .create_manual_reminder(&ManualInput {
                text: text.into(),
                due_at: "2026-12-07 09:59".into(),
                staff: staff.into(),
                ..Default::default()
            })
            .unwrap();
    };
    remind("给吴先生回电话", "小王");
    remind("整理前台", "");
    remind("确认张经理的包间", "小张");
    remind("交接夜班账目", "小赵");
    wang.app.plan_reminders().unwrap();

    let texts = |d: &Desk| -> Vec<String> {
        let mut t: Vec<String> = d
            .app
            .take_due_reminders()
            .unwrap()
            .into_iter()
            .map(|f| format!("{} {}", f.title, f.body))
            .collect();
        t.sort();
        t
    };
    let only = |got: &[String], want: &[&str]| {
        assert_eq!(got.len(), want.len(), "{got:?}");
        for w in want {
            assert!(got.iter().any(|g| g.contains(w)), "{w} in {got:?}");
        }
    };
    // 小李's desk looks first: it takes what names nobody and 小张 (at no desk), not what
    // names 小王 or 小赵, who are at desks.
    only(&texts(&li), &["整理前台", "确认张经理的包间"]);
    // 小王's desk takes his; the desk without staff finds nothing left for it.
    only(&texts(&wang), &["给吴先生回电话"]);
    assert!(texts(&nobody).is_empty());

    // 小赵's desk does not take it: after the grace, the first desk to look does, once.
    *now.lock().unwrap() = frontdesk_tests::at("2026-12-07 10:02");
    only(&texts(&nobody), &["交接夜班账目"]);
    assert!(
        texts(&li).is_empty() && texts(&wang).is_empty(),
        "popped once, fired for all"
    );
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_reminder_fired_at_one_desk_leaves_the_others_reminder_centers_at_once() {
    use frontdesk::reminders::ManualInput;
    let pg = TempDatabase::new();
    let a = desk(&pg, "前台1");
    let b = desk(&pg, "礼宾台");
    frontdesk_tests::desk_reminding_at_any_hour(&a.app);
    let heard = count_heard(&b.app);
    let wait_heard = |more_than: usize| {
        let end = std::time::Instant::now() + Duration::from_secs(1);
        while heard.load(Ordering::SeqCst) <= more_than && std::time::Instant::now() < end {
            std::thread::sleep(Duration::from_millis(5));
        }
        heard.load(Ordering::SeqCst)
    };
    let due = (chrono::Local::now() - chrono::TimeDelta::minutes(1)).format("%Y-%m-%d %H:%M");
    a.app
        .create_manual_reminder(&ManualInput {
            customer_id: None,
            text: "给吴先生回电话".into(),
            due_at: due.to_string(),
            repeat: None,
            staff: String::new(),
        })
        .unwrap();
    assert!(wait_heard(0) >= 1, "desk B heard of the new reminder");
    // Whatever else desk A's set-up announced has arrived by now.
    std::thread::sleep(Duration::from_millis(500));
    let before = heard.load(Ordering::SeqCst);

    // Desk A's scheduler plans it (quietly) and fires it; desk B is told within a second,
    // without a look of its own.
    a.app.plan_reminders().unwrap();
    let fired = a.app.take_due_reminders().unwrap();
    assert_eq!(fired.len(), 1);
    assert!(
        wait_heard(before) > before,
        "desk B was not told that the reminder fired"
    );
    assert!(b.app.take_due_reminders().unwrap().is_empty(), "it pops once");
}

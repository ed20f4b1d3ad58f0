//! The store on a real SQLite file: refusing foreign and newer files untouched, migrations,
//! persistence, and bad input losing nothing.

use frontdesk::customers::{Calendar, CustomerInput, ListQuery, SpecialDate};
use frontdesk::store::{self, DB_FILE};
use frontdesk::{App, Error};
use frontdesk_tests::{customer, Outside, TempApp};

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = frontdesk_tests::make_newer_database(dir.path());
    let before = std::fs::read(&path).unwrap();
    match App::open(dir.path()) {
        Err(Error::DbTooNew { found: 999, supported }) => assert_eq!(supported, store::supported_version()),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a newer database was opened"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file was changed");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let junk: Vec<u8> = b"these are somebody's notes, not a database\n".repeat(200);
    std::fs::write(&path, &junk).unwrap();
    let err = App::open(dir.path()).err().expect("junk must be refused");
    assert_eq!(err.kind(), "db_invalid", "{err}");
    assert!(err.to_string().contains("not an SQLite file"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), junk);
}

#[test]
fn another_programs_sqlite_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);",
        )
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = App::open(dir.path()).err().expect("a foreign database must be refused");
    assert_eq!(err.kind(), "db_invalid");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn records_survive_a_restart_and_the_index_is_rebuilt() {
    let t = TempApp::new();
    let c = t
        .app
        .create_customer(&customer("欧阳晓梅", &["186 5550 7321"]))
        .unwrap();
    let t = t.reopen();
    let got = t.app.get_customer(c.id).unwrap();
    assert_eq!(got, c);
    let page = t
        .app
        .list_customers(&ListQuery {
            q: "oyxm".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.items.iter().map(|s| s.id).collect::<Vec<_>>(), vec![c.id]);
    match t.outside() {
        Outside::Desk(db) => assert_eq!(store::schema_version(&db).unwrap(), store::supported_version()),
        Outside::Server(s) => {
            let mut client = s.client().unwrap();
            assert!(matches!(
                store::server::inspect(&mut *client).unwrap(),
                store::server::ServerCheck::Ready { version, .. } if version == store::server::supported_version()
            ));
        }
    }
}

#[test]
fn a_rejected_save_writes_nothing() {
    let t = TempApp::new();
    let good = t.app.create_customer(&customer("张伟", &["138-0013-8000"])).unwrap();
    let bad_new = CustomerInput {
        email: "zhang@@example".into(),
        ..customer("李四", &[])
    };
    let err = t.app.create_customer(&bad_new).unwrap_err();
    assert_eq!(err.kind(), "invalid");
    assert_eq!(t.app.count_customers().unwrap(), 1);

    let bad_edit = CustomerInput {
        name: "张伟".into(),
        birthday: Some(SpecialDate {
            calendar: Calendar::Gregorian,
            year: None,
            month: 2,
            day: 30,
            leap_month: false,
        }),
        phones: vec!["138-0013-8000".into(), "call me maybe".into()],
        ..Default::default()
    };
    let err = t.app.update_customer(good.id, &bad_edit).unwrap_err();
    let fields: Vec<&str> = err.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["phones.1", "birthday"]);
    assert_eq!(t.app.get_customer(good.id).unwrap(), good, "the stored record changed");
    let history = t
        .app
        .customer_detail(good.id, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
        .unwrap()
        .history;
    assert_eq!(history.len(), 1, "a rejected edit left a history entry");
}

#[test]
fn unknown_ids_are_not_found() {
    let t = TempApp::new();
    assert_eq!(t.app.get_customer(42).unwrap_err().kind(), "not_found");
    assert_eq!(t.app.archive_customer(42).unwrap_err().kind(), "not_found");
    assert_eq!(
        t.app.update_customer(42, &customer("x", &[])).unwrap_err().kind(),
        "not_found"
    );
}

#[test]
fn demo_data_loads_once_into_an_empty_database() {
    let t = TempApp::new();
    let n = t.app.seed_demo().unwrap();
    assert!((45..=60).contains(&n), "{n}");
    assert_eq!(t.app.seed_demo().unwrap_err().kind(), "conflict");
    let all = t
        .app
        .list_customers(&ListQuery {
            limit: Some(500),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.total, n);
    assert!(all.items.iter().any(|c| c.name.is_ascii()) && all.items.iter().any(|c| !c.name.is_ascii()));
}

#[test]
fn language_is_remembered() {
    let t = TempApp::new();
    assert_eq!(t.app.status().unwrap().language, None);
    t.app.set_language("en").unwrap();
    assert_eq!(t.app.set_language("fr").unwrap_err().kind(), "invalid");
    let t = t.reopen();
    assert_eq!(t.app.status().unwrap().language.as_deref(), Some("en"));
}

#[test]
fn names_saved_by_an_older_version_are_found_by_their_surname_reading() {
    let t = TempApp::new();
    let c = t.app.create_customer(&customer("曾小贤", &["13600001111"])).unwrap();
    let find = |app: &App, q: &str| -> Vec<i64> {
        let page = app
            .list_customers(&ListQuery {
                q: q.into(),
                ..Default::default()
            })
            .unwrap();
        page.items.iter().map(|s| s.id).collect()
    };
    assert_eq!(find(&t.app, "zengxiaoxian"), vec![c.id]);
    assert_eq!(find(&t.app, "zxx"), vec![c.id]);
    // As an older FrontDesk left it: 曾 read as "ceng", no normalisation version stored.
    let outside = t.outside();
    let db = outside.db();
    db.execute(
        "UPDATE customers SET search_text = ?1, name_key = 'ceng xiao xian ' WHERE id = ?2",
        &[&"曾小贤\u{1}cengxiaoxian\u{1}cxx", &c.id],
    )
    .unwrap();
    db.execute("DELETE FROM settings WHERE key = 'search_normalisation'", &[])
        .unwrap();
    drop(outside);
    let t = t.reopen();
    assert_eq!(find(&t.app, "zengxiaoxian"), vec![c.id]);
    assert_eq!(find(&t.app, "zxx"), vec![c.id]);
}

#[test]
fn a_double_click_on_demo_data_loads_it_once() {
    let t = TempApp::new();
    let barrier = std::sync::Barrier::new(2);
    let results: Vec<_> = std::thread::scope(|s| {
        let clicks: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    t.app.seed_demo()
                })
            })
            .collect();
        clicks.into_iter().map(|c| c.join().unwrap()).collect()
    });
    let loaded: Vec<usize> = results.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
    assert_eq!(loaded.len(), 1, "{results:?}");
    assert_eq!(t.app.count_customers().unwrap(), loaded[0]);
}

#[test]
fn a_damaged_setting_is_a_clear_error_never_silent_defaults() {
    use frontdesk::complaints::ComplaintSettings;
    let t = TempApp::new();
    let s = ComplaintSettings {
        escalation_hours: [1, 2, 3],
        ..Default::default()
    };
    t.app.set_complaint_settings(&s).unwrap();
    assert_eq!(t.app.complaint_settings().unwrap().escalation_hours, [1, 2, 3]);
    // Damaged outside FrontDesk (a half-written edit by another tool).
    t.outside()
        .db()
        .execute(
            "UPDATE settings SET value = '{\"urgent\": ' WHERE key = 'complaints'",
            &[],
        )
        .unwrap();
    let t = t.reopen();
    let e = t.app.complaint_settings().unwrap_err();
    assert_eq!(e.kind(), "setting_damaged");
    assert!(e.to_string().contains("complaints"), "{e}");
    // Deadlines are not worked out from defaults behind the user's back.
    let c = t.app.create_customer(&customer("严先生", &["13800009999"])).unwrap();
    let input = frontdesk::complaints::ComplaintInput {
        customer_id: Some(c.id),
        summary: "房间太吵".into(),
        ..Default::default()
    };
    assert_eq!(t.app.register_complaint(&input).unwrap_err().kind(), "setting_damaged");
    // Saving the settings again repairs them.
    t.app.set_complaint_settings(&s).unwrap();
    assert_eq!(t.app.complaint_settings().unwrap().escalation_hours, [1, 2, 3]);
    t.app.register_complaint(&input).unwrap();
}

#[test]
fn settings_are_validated_on_save_and_read_back_as_saved() {
    use frontdesk::visits::{Cadence, TierCadences};
    let t = TempApp::new();
    let mut c = TierCadences {
        vip: Cadence {
            ideal_days: 20,
            max_days: 10,
        },
        ..Default::default()
    };
    let e = t.app.set_cadences(&c).unwrap_err();
    assert_eq!(e.fields()[0].field, "vip");
    assert_eq!(
        t.app.cadences().unwrap(),
        TierCadences::default(),
        "a refused save changes nothing"
    );
    c.vip.max_days = 25;
    t.app.set_cadences(&c).unwrap();
    assert_eq!(t.app.cadences().unwrap().vip.max_days, 25);
    let t = t.reopen();
    assert_eq!(t.app.cadences().unwrap().vip.max_days, 25);
    assert_eq!(
        t.app
            .set_staff(&[" 小王 ".into(), "小王".into(), "".into(), "老李".into()])
            .unwrap(),
        vec!["小王".to_string(), "老李".to_string()]
    );
    assert_eq!(t.app.staff().unwrap(), vec!["小王".to_string(), "老李".to_string()]);
    assert_eq!(t.app.set_staff(&["长".repeat(101)]).unwrap_err().kind(), "invalid");
}

#[test]
fn every_committed_change_is_told_and_the_schedulers_own_work_is_quiet() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let t = TempApp::new();
    let told = Arc::new(AtomicUsize::new(0));
    let counter = told.clone();
    t.app.on_change(Box::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    }));
    t.app.create_customer(&customer("符先生", &["13800007777"])).unwrap();
    assert_eq!(told.load(Ordering::SeqCst), 1);
    // A refused save commits nothing and tells nobody.
    assert!(t.app.create_customer(&customer("", &[])).is_err());
    assert_eq!(told.load(Ordering::SeqCst), 1);
    // The scheduler's own planning, firing and sweeping would otherwise wake it forever.
    t.app.plan_reminders().unwrap();
    t.app.take_due_reminders().unwrap();
    t.app.sweep_complaints().unwrap();
    assert_eq!(told.load(Ordering::SeqCst), 1);
    t.app.set_complaint_settings(&Default::default()).unwrap();
    assert_eq!(told.load(Ordering::SeqCst), 2);
    // The index follows the write without any call of its own.
    let page = t
        .app
        .list_customers(&ListQuery {
            q: "fxs".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 1);
}

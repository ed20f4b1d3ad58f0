//! Backups through the real database file: consistent while the app writes, checked before
//! they are named, damaged files never listed, and the daily ones kept by rotation.

use frontdesk::store::backup;
use frontdesk_tests::{customer, Clocked, TempApp};

#[test]
fn a_backup_taken_while_the_desk_keeps_writing_is_whole_and_checked() {
    let t = TempApp::new();
    for i in 0..200 {
        t.app
            .create_customer(&customer(&format!("客人{i}"), &["13800000000"]))
            .unwrap();
    }
    let stop = std::sync::atomic::AtomicBool::new(false);
    let taken = std::thread::scope(|s| {
        s.spawn(|| {
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                t.app
                    .create_customer(&customer(&format!("新客{i}"), &["13900000000"]))
                    .unwrap();
                i += 1;
            }
        });
        let taken: Vec<_> = (0..3).map(|_| t.app.backup_now().unwrap()).collect();
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        taken
    });
    let total = t.app.count_customers().unwrap() as i64;
    for b in &taken {
        assert!(b.customers >= 200 && b.customers <= total, "{b:?}");
        let (version, counts) = backup::check(std::path::Path::new(&b.path)).unwrap();
        assert_eq!(version, frontdesk::store::supported_version());
        assert_eq!(counts[0], b.customers);
    }
    // Nothing half-written is left behind, and the list shows the three, newest first.
    let listed = t.app.backups().unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed[0].taken_at >= listed[2].taken_at);
    let stray: Vec<_> = std::fs::read_dir(t.app.backup_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn a_damaged_backup_is_refused_and_never_listed() {
    let t = TempApp::new();
    t.app.create_customer(&customer("包先生", &["13800001234"])).unwrap();
    let good = t.app.backup_now().unwrap();
    let copy = t.app.backup_dir().join("frontdesk-20260101T000000Z-manual.db");
    let bytes = std::fs::read(&good.path).unwrap();
    std::fs::write(&copy, &bytes[..bytes.len() / 2]).unwrap();
    let e = backup::check(&copy).unwrap_err();
    assert_eq!(e.kind(), "db_invalid", "{e}");
    let foreign = t.app.backup_dir().join("frontdesk-20260102T000000Z-manual.db");
    let c = rusqlite::Connection::open(&foreign).unwrap();
    c.execute_batch("CREATE TABLE notes (x TEXT); PRAGMA user_version = 3;")
        .unwrap();
    drop(c);
    assert_eq!(backup::check(&foreign).unwrap_err().kind(), "db_invalid");
    let listed: Vec<String> = t.app.backups().unwrap().into_iter().map(|b| b.file_name).collect();
    assert_eq!(listed, vec![good.file_name]);
}

#[test]
fn one_automatic_backup_a_day_kept_by_rotation() {
    let t = Clocked::new("2026-01-01 08:00");
    t.app.create_customer(&customer("常客", &["13800004321"])).unwrap();
    assert!(t.app.daily_backup_if_due().unwrap().is_some());
    t.set("2026-01-01 23:59");
    assert!(t.app.daily_backup_if_due().unwrap().is_none(), "one a day");
    // A year and a half of days, each with its first start.
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    for _ in 0..540 {
        t.set(&format!("{day} 09:00"));
        assert!(t.app.daily_backup_if_due().unwrap().is_some(), "{day}");
        day = day.succ_opt().unwrap();
    }
    let daily: Vec<_> = t
        .app
        .backups()
        .unwrap()
        .into_iter()
        .filter(|b| b.kind.as_str() == "daily")
        .collect();
    assert!(daily.len() <= 7 + 4 + 12 && daily.len() >= 12, "{}", daily.len());
    // The newest seven days are all there.
    let newest: Vec<&str> = daily.iter().take(7).map(|b| &b.taken_at[..10]).collect();
    assert_eq!(newest.len(), 7);
    let distinct: std::collections::BTreeSet<&str> = newest.iter().copied().collect();
    assert_eq!(distinct.len(), 7, "{newest:?}");
    // A manual backup is never rotated away.
    let manual = t.app.backup_now().unwrap();
    t.set(&format!("{day} 09:00"));
    t.app.daily_backup_if_due().unwrap();
    assert!(t.app.backups().unwrap().iter().any(|b| b.file_name == manual.file_name));
}

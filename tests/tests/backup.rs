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
    assert_eq!(listed, vec![good.file_name.clone()]);
    // Damaged in place after it was checked (same size): listing checks it again.
    let mut bytes = std::fs::read(&good.path).unwrap();
    let len = bytes.len();
    for b in &mut bytes[len / 2..len / 2 + 4096] {
        *b = 0xA5;
    }
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&good.path, &bytes).unwrap();
    assert!(
        t.app.backups().unwrap().is_empty(),
        "a backup damaged in place is still listed"
    );
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

#[test]
fn a_restore_brings_back_exactly_what_was_backed_up() {
    let t = TempApp::new();
    let c = t.app.create_customer(&customer("柏先生", &["13800001357"])).unwrap();
    t.app.set_staff(&["小王".into()]).unwrap();
    let b = t.app.backup_now().unwrap();
    // Afterwards: an edit, a new customer, another staff list.
    let mut edited = customer("柏先生", &["13800001357"]);
    edited.company = "新公司".into();
    t.app.update_customer(c.id, &edited).unwrap();
    t.app.create_customer(&customer("后来的人", &["13900002468"])).unwrap();
    t.app.set_staff(&["小李".into()]).unwrap();

    let held = t.app.inspect_backup(&b.path).unwrap();
    assert_eq!(held.customers, 1);
    let before = t.app.restore_backup(&b.path).unwrap();
    assert_eq!(before.kind.as_str(), "pre-restore");
    assert_eq!(before.customers, 2, "the data replaced is kept");

    assert_eq!(t.app.count_customers().unwrap(), 1);
    assert_eq!(t.app.get_customer(c.id).unwrap().company, "");
    assert_eq!(
        t.app.staff().unwrap(),
        vec!["小王".to_string()],
        "settings are read again"
    );
    let found = t
        .app
        .list_customers(&frontdesk::customers::ListQuery {
            q: "hlr".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.total, 0, "the search index follows the restore");
    // The same after a restart, and the pre-restore backup can undo it.
    let t = t.reopen();
    assert_eq!(t.app.count_customers().unwrap(), 1);
    t.app.restore_backup(&before.path).unwrap();
    assert_eq!(t.app.count_customers().unwrap(), 2);
    assert_eq!(t.app.get_customer(c.id).unwrap().company, "新公司");
}

#[test]
fn a_damaged_foreign_or_newer_file_is_refused_and_nothing_changes() {
    let t = TempApp::new();
    t.app.create_customer(&customer("宁女士", &["13800008642"])).unwrap();
    let good = t.app.backup_now().unwrap();
    let bytes = std::fs::read(&good.path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("half.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let newer = dir.path().join("newer.db");
    std::fs::write(&newer, &bytes).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database").unwrap();
    let missing = dir.path().join("nowhere.db");
    let backups_before = t.app.backups().unwrap().len();
    for (file, kind) in [
        (&truncated, "db_invalid"),
        (&newer, "db_too_new"),
        (&text, "db_invalid"),
        (&missing, "db_invalid"),
    ] {
        let e = t.app.restore_backup(&file.display().to_string()).unwrap_err();
        assert_eq!(e.kind(), kind, "{}: {e}", file.display());
    }
    assert_eq!(t.app.count_customers().unwrap(), 1);
    assert_eq!(
        t.app.backups().unwrap().len(),
        backups_before,
        "no snapshot for a refused restore"
    );
}

#[test]
fn the_window_is_warned_when_backups_fail_or_grow_old() {
    let t = Clocked::new("2026-03-01 09:00");
    // No data, nothing to warn about.
    assert!(!t.app.backup_health().unwrap().stale);
    t.app.create_customer(&customer("郭先生", &["13800002222"])).unwrap();
    let h = t.app.backup_health().unwrap();
    assert!(h.stale && h.newest.is_none(), "{h:?}");
    t.app.daily_backup_if_due().unwrap();
    assert!(!t.app.backup_health().unwrap().stale);
    t.set("2026-03-09 10:00");
    let h = t.app.backup_health().unwrap();
    assert!(h.stale && h.age_days == Some(8), "{h:?}");
    // The backup folder cannot be made: the failure is remembered until a backup works.
    let dir = t.app.backup_dir();
    std::fs::rename(&dir, t.dir.path().join("moved")).unwrap();
    std::fs::write(&dir, "in the way").unwrap();
    assert_eq!(t.app.daily_backup_if_due().unwrap_err().kind(), "backup");
    let h = t.app.backup_health().unwrap();
    assert!(h.last_failure.as_deref().is_some_and(|m| m.contains("backup")), "{h:?}");
    // It is not tried again at every pass of the scheduler: an hour later.
    std::fs::remove_file(&dir).unwrap();
    t.set("2026-03-09 10:30");
    assert!(
        t.app.daily_backup_if_due().unwrap().is_none(),
        "tried again within the hour"
    );
    assert!(t.app.backup_health().unwrap().last_failure.is_some());
    t.set("2026-03-09 11:05");
    assert!(t.app.daily_backup_if_due().unwrap().is_some());
    assert!(t.app.backup_health().unwrap().last_failure.is_none());
    t.set("2026-03-10 09:00");
    t.app.daily_backup_if_due().unwrap();
    let h = t.app.backup_health().unwrap();
    assert!(h.last_failure.is_none() && !h.stale, "{h:?}");
}

#[test]
fn backups_go_to_the_chosen_folder_kept_as_the_user_set_and_both_folders_are_listed() {
    use frontdesk::app::BackupSettings;
    use frontdesk::store::backup::Retention;
    let t = Clocked::new("2026-03-01 08:00");
    t.app.create_customer(&customer("U盘客", &["13800007777"])).unwrap();
    let here = t.app.backup_now().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let chosen = BackupSettings {
        folder: usb.path().display().to_string(),
        retention: Retention {
            daily: 2,
            weekly: 0,
            monthly: 0,
        },
    };
    assert_eq!(t.app.set_backup_settings(&chosen).unwrap(), chosen);
    let there = t.app.backup_now().unwrap();
    assert_eq!(there.folder, usb.path().display().to_string());
    assert!(usb.path().join(&there.file_name).is_file());
    assert_eq!(here.folder, t.app.backup_dir().display().to_string());
    // Five days of automatic backups: they go to the chosen folder, two are kept.
    for day in 1..=5 {
        t.set(&format!("2026-03-0{day} 09:00"));
        assert!(t.app.daily_backup_if_due().unwrap().is_some(), "day {day}");
    }
    let listed = t.app.backups().unwrap();
    let daily: Vec<_> = listed.iter().filter(|b| b.kind.as_str() == "daily").collect();
    assert_eq!(daily.len(), 2, "{daily:?}");
    assert!(daily.iter().all(|b| b.folder == chosen.folder));
    assert_eq!(&daily[0].taken_at[..10], "2026-03-05");
    // Both manual backups are listed, with where they are.
    let manual: Vec<_> = listed
        .iter()
        .filter(|b| b.kind.as_str() == "manual")
        .map(|b| &b.folder)
        .collect();
    assert_eq!(manual.len(), 2, "{listed:?}");
    assert!(manual.contains(&&chosen.folder) && manual.contains(&&here.folder));
    // A one-off backup to another folder lands there and stays out of the list.
    let other = tempfile::tempdir().unwrap();
    let once = t.app.backup_to(&other.path().display().to_string()).unwrap();
    assert!(other.path().join(&once.file_name).is_file());
    assert!(!t.app.backups().unwrap().iter().any(|b| b.path == once.path));
    // The settings read back as saved, also after a restart.
    let t = t.reopen();
    assert_eq!(t.app.backup_settings().unwrap(), chosen);
}

#[test]
fn a_chosen_folder_that_is_gone_is_a_clear_failure_and_is_never_created() {
    use frontdesk::app::BackupSettings;
    let t = Clocked::new("2026-03-01 08:00");
    t.app.create_customer(&customer("拔U盘", &["13800006666"])).unwrap();
    let usb = tempfile::tempdir().unwrap();
    let folder = usb.path().join("FrontDesk");
    std::fs::create_dir(&folder).unwrap();
    let chosen = BackupSettings {
        folder: folder.display().to_string(),
        ..BackupSettings::default()
    };
    t.app.set_backup_settings(&chosen).unwrap();
    // The stick is taken out.
    std::fs::remove_dir(&folder).unwrap();
    let e = t.app.backup_now().unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        ("invalid_state", Some("backup_folder_missing")),
        "{e}"
    );
    let e = t.app.daily_backup_if_due().unwrap_err();
    assert_eq!(e.code(), Some("backup_folder_missing"));
    assert!(!folder.exists(), "a missing folder is never made on the system disk");
    let health = t.app.backup_health().unwrap();
    assert!(health.last_failure.is_some_and(|m| m.contains("cannot be found")));
    assert!(health.stale);
    // Listing still shows what the data folder holds; the desk keeps working.
    assert!(t.app.backups().unwrap().is_empty());
    t.app.create_customer(&customer("照常", &["13800006667"])).unwrap();
    // Saving a folder that is not there, a relative one, or a count out of range: field errors.
    let bad = |s: BackupSettings| -> Vec<(String, &'static str)> {
        let e = t.app.set_backup_settings(&s).unwrap_err();
        assert_eq!(e.kind(), "invalid", "{e}");
        e.fields().iter().map(|f| (f.field.clone(), f.code)).collect()
    };
    assert_eq!(bad(chosen.clone()), [("folder".to_string(), "backup_folder_missing")]);
    let mut relative = chosen.clone();
    relative.folder = "backups/usb".into();
    assert_eq!(bad(relative), [("folder".to_string(), "not_absolute")]);
    let mut counts = BackupSettings::default();
    counts.retention.daily = 0;
    counts.retention.monthly = 1000;
    assert_eq!(
        bad(counts),
        [
            ("retention.monthly".to_string(), "out_of_range"),
            ("retention.daily".to_string(), "at_least_one")
        ]
    );
    // Nothing of that was saved; back to the data folder, backups work again.
    assert_eq!(t.app.backup_settings().unwrap(), chosen);
    t.app.set_backup_settings(&BackupSettings::default()).unwrap();
    t.set("2026-03-01 10:00");
    assert!(t.app.daily_backup_if_due().unwrap().is_some());
    assert!(t.app.backup_health().unwrap().last_failure.is_none());
}

#[test]
fn any_backup_file_the_user_picks_can_be_restored() {
    let t = TempApp::new();
    t.app.create_customer(&customer("改名前", &["13800005555"])).unwrap();
    let b = t.app.backup_now().unwrap();
    // Copied to a stick and renamed by hand.
    let usb = tempfile::tempdir().unwrap();
    let picked = usb.path().join("店里 备份 (1).db");
    std::fs::copy(&b.path, &picked).unwrap();
    t.app.create_customer(&customer("之后", &["13800005556"])).unwrap();
    let held = t.app.inspect_backup(&picked.display().to_string()).unwrap();
    assert_eq!(held.customers, 1);
    // Its time is the file's own, not 1970.
    assert!(held.taken_at.starts_with("20"), "{}", held.taken_at);
    t.app.restore_backup(&picked.display().to_string()).unwrap();
    assert_eq!(t.app.count_customers().unwrap(), 1);
    assert!(picked.is_file(), "the picked file is left where it was");
}

//! Faults: a damaged database found at start and restored from the newest backup, a full
//! disk refusing a write cleanly, a missing backup folder, a read-only data folder (as an
//! unprivileged user), and everything working again afterwards.

use frontdesk::customers::ListQuery;
use frontdesk::{ipc, App};
use frontdesk_tests::{all_names, customer};
use serde_json::json;

#[test]
fn a_damaged_database_is_found_at_start_and_restored_from_the_newest_backup() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path()).unwrap();
    app.create_customer(&customer("备份前", &["13800000001"])).unwrap();
    let backup = app.backup_now().unwrap();
    app.create_customer(&customer("备份后", &["13800000002"])).unwrap();
    drop(app);
    let db = dir.path().join("frontdesk.db");
    assert!(!dir.path().join("frontdesk.db-wal").exists(), "closed cleanly");

    // Every page but the first (the schema) overwritten, as a failing disk might.
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().skip(4096) {
        *b = 0x5A;
    }
    std::fs::write(&db, &bytes).unwrap();
    let err = App::open(dir.path()).err().expect("a damaged file does not open");
    assert_eq!(err.kind(), "db_damaged", "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "the damaged file is left as it was");

    // The recovery screen lists the good backups and restores the one picked.
    let listed = ipc::dispatch_recovery(dir.path(), "recovery_backups", &json!({})).unwrap();
    assert_eq!(listed[0]["path"], json!(backup.path));
    assert_eq!(listed[0]["customers"], json!(1));

    // A damaged backup is refused and nothing changes.
    let half = dir.path().join("half.db");
    let good = std::fs::read(&backup.path).unwrap();
    std::fs::write(&half, &good[..good.len() / 2]).unwrap();
    let refused = ipc::dispatch_recovery(
        dir.path(),
        "recovery_restore",
        &json!({ "path": half.display().to_string() }),
    )
    .unwrap_err();
    assert_eq!(refused.kind(), "db_invalid");
    assert_eq!(std::fs::read(&db).unwrap(), bytes);

    ipc::dispatch_recovery(dir.path(), "recovery_restore", &json!({ "path": backup.path })).unwrap();
    let app = App::open(dir.path()).unwrap();
    assert_eq!(all_names(&app), ["备份前"]);
    app.create_customer(&customer("恢复后", &["13800000003"])).unwrap();
    assert_eq!(all_names(&app).len(), 2);
    // The damaged file is kept, never deleted.
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("frontdesk-damaged-"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(std::fs::read(kept[0].path()).unwrap(), bytes);
}

#[test]
fn damage_found_beside_the_first_screen_stops_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path()).unwrap();
    for i in 0..200 {
        let phone = format!("1380000{i:04}");
        app.create_customer(&customer(&format!("客户{i}"), &[&phone])).unwrap();
    }
    drop(app);
    let db = dir.path().join("frontdesk.db");
    // The trail's first page overwritten: a table the first screen does not read.
    let bytes = frontdesk_tests::damage_table(&db, "audit_log");

    // The window opens at once and reads; the check, on its own thread, finds the damage.
    let (app, check) = App::open_checking_later(dir.path()).unwrap();
    let checking = std::thread::spawn(move || check.run());
    let listed = app.list_customers(&ListQuery::default()).unwrap();
    assert_eq!(listed.total, 200, "reads go on while the file is checked");
    let found = checking.join().unwrap().unwrap_err();
    assert_eq!(found.kind(), "db_damaged", "{found}");
    // Nothing is written into the damaged file.
    let refused = app
        .create_customer(&customer("不该写入", &["13900000001"]))
        .unwrap_err();
    assert_eq!(refused.kind(), "db_damaged", "{refused}");
    drop(app);
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "the damaged file is left as it was");
    // The next start finds it before anything opens.
    let err = App::open(dir.path()).err().expect("a damaged file does not open");
    assert_eq!(err.kind(), "db_damaged", "{err}");
}

#[test]
fn a_sound_file_checked_beside_the_first_screen_takes_writes() {
    let dir = tempfile::tempdir().unwrap();
    App::open(dir.path())
        .unwrap()
        .create_customer(&customer("第一位", &["13800000001"]))
        .unwrap();
    let (app, check) = App::open_checking_later(dir.path()).unwrap();
    // The write waits for the check's verdict, then goes in.
    let writing = std::thread::spawn(move || {
        app.create_customer(&customer("第二位", &["13800000002"])).unwrap();
        app
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(!writing.is_finished(), "no write before the verdict");
    check.run().unwrap();
    let app = writing.join().unwrap();
    assert_eq!(all_names(&app), ["第一位", "第二位"]);
}

#[test]
fn a_full_disk_refuses_the_write_clearly_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path()).unwrap();
    let first = app.create_customer(&customer("满盘前", &["13800000011"])).unwrap();
    let trail_before = app.audit_log(&Default::default()).unwrap().total;
    let pages: u32 = {
        let c = rusqlite::Connection::open(dir.path().join("frontdesk.db")).unwrap();
        c.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap()
    };
    app.simulate_disk_limit(Some(pages)).unwrap();

    let mut big = customer("满盘时", &["13800000012"]);
    big.notes = "很长的备注。".repeat(600);
    let err = app.create_customer(&big).unwrap_err();
    assert_eq!(err.kind(), "disk_full", "{err}");
    let mut edit = customer("满盘前", &["13800000011"]);
    edit.notes = big.notes.clone();
    assert_eq!(app.update_customer(first.id, &edit).unwrap_err().kind(), "disk_full");

    // Nothing half-written: not in the list, not in the trail, the old record unchanged.
    assert_eq!(all_names(&app), ["满盘前"]);
    assert_eq!(app.get_customer(first.id).unwrap().notes, "");
    assert_eq!(app.audit_log(&Default::default()).unwrap().total, trail_before);
    let c = rusqlite::Connection::open(dir.path().join("frontdesk.db")).unwrap();
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    drop(c);

    // Space is back: the same writes work.
    app.simulate_disk_limit(None).unwrap();
    app.create_customer(&big).unwrap();
    app.update_customer(first.id, &edit).unwrap();
    assert_eq!(all_names(&app), ["满盘前", "满盘时"]);
    drop(app);
    let app = App::open(dir.path()).unwrap();
    assert_eq!(app.get_customer(first.id).unwrap().notes, edit.notes);
}

#[test]
fn a_missing_backup_folder_is_a_clear_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path()).unwrap();
    app.create_customer(&customer("无备份夹", &["13800000021"])).unwrap();
    // A file where the backup folder should be, as when a USB stick is gone and its mount
    // point is something else.
    std::fs::write(dir.path().join("backups"), "in the way").unwrap();
    let err = app.backup_now().unwrap_err();
    assert_eq!(err.kind(), "backup", "{err}");
    assert!(err.to_string().contains("backup folder"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("backups")).unwrap(),
        "in the way"
    );
    assert_eq!(all_names(&app), ["无备份夹"]);
}

/// The probe's report on `dir`: run as the unprivileged `nobody` when the tests run as root
/// (root writes through any permission), from a copy it can execute.
fn probe_without_privileges(dir: &std::path::Path, scratch: &std::path::Path) -> serde_json::Value {
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let probe = scratch.join("frontdesk-probe");
    std::fs::copy(env!("CARGO_BIN_EXE_frontdesk-probe"), &probe).unwrap();
    let mut cmd = if is_root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&probe);
        c
    } else {
        std::process::Command::new(&probe)
    };
    let out = cmd.arg(dir).env("HOME", scratch).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_read_only_data_folder_is_a_clear_error_and_loses_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = tempfile::tempdir().unwrap();
    let mode = |p: &std::path::Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    mode(scratch.path(), 0o755);
    let data = scratch.path().join("data");
    let app = App::open(&data).unwrap();
    app.create_customer(&customer("只读前", &["13800009998"])).unwrap();
    drop(app);
    // Everything the user can read, nothing they can write: a folder on a locked share, or
    // a copy from a CD.
    for entry in std::fs::read_dir(&data).unwrap().flatten() {
        mode(&entry.path(), if entry.path().is_dir() { 0o555 } else { 0o444 });
    }
    mode(&data, 0o555);
    let before = std::fs::read(data.join("frontdesk.db")).unwrap();

    let report = probe_without_privileges(&data, scratch.path());
    // Either it does not open, saying why, or it reads and refuses the write, saying why.
    let refused =
        report["write"].is_object() && report["write"]["kind"] == "read_only" || report["open"]["kind"] == "read_only";
    assert!(refused, "{report}");
    let message = report["open"]["message"]
        .as_str()
        .or(report["write"]["message"].as_str())
        .unwrap();
    assert!(
        message.contains(&data.display().to_string()),
        "names the folder: {report}"
    );
    if report["read"].is_object() {
        assert_eq!(report["read"]["ok"], "1", "{report}");
    }

    // Nothing was lost or changed; once it is writable again, it all works.
    assert_eq!(std::fs::read(data.join("frontdesk.db")).unwrap(), before);
    mode(&data, 0o755);
    for entry in std::fs::read_dir(&data).unwrap().flatten() {
        mode(&entry.path(), if entry.path().is_dir() { 0o755 } else { 0o644 });
    }
    let app = App::open(&data).unwrap();
    assert_eq!(all_names(&app), ["只读前"]);
    app.create_customer(&customer("可写后", &["13800009997"])).unwrap();
}

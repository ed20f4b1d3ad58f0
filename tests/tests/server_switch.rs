//! Moving between a desk's own file and the shared database, as Settings does it (through
//! the switch commands, with no app open): one desk moves its data in, a second joins,
//! a third cannot move into a database that holds records, and a desk copies the shared
//! database back to its PC, keeping its old file.

use frontdesk::app::shared;
use frontdesk::ipc;
use frontdesk::App;
use frontdesk_tests::server::TempDatabase;
use frontdesk_tests::{all_names, customer};
use serde_json::json;

/// The switch command's arguments as the window sends them: the password too (it is never
/// serialised back).
fn args(settings: &frontdesk::store::server::ServerSettings) -> serde_json::Value {
    let mut v = serde_json::to_value(settings).unwrap();
    v["password"] = json!(settings.password);
    json!({ "settings": v })
}

fn open(dir: &std::path::Path) -> App {
    match shared::saved(dir).unwrap() {
        Some(s) => App::open_server(dir, &s).unwrap(),
        None => App::open(dir).unwrap(),
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn desks_move_in_join_and_copy_back_out() {
    let pg = TempDatabase::new();
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let third = tempfile::tempdir().unwrap();
    {
        let app = App::open(first.path()).unwrap();
        app.create_customer(&customer("欧阳晓梅", &["186 5550 7321"])).unwrap();
        app.set_language("en").unwrap();
        app.set_desk_staff("小王").unwrap();
    }
    {
        // The second desk was used on its own before it joins.
        let app = App::open(second.path()).unwrap();
        app.create_customer(&customer("礼宾台的老客", &[])).unwrap();
    }
    {
        let app = App::open(third.path()).unwrap();
        app.create_customer(&customer("第三台的客人", &[])).unwrap();
    }

    // The first desk moves its data into the empty database.
    let settings = pg.settings("前台1");
    let moved = ipc::dispatch_switch(first.path(), "server_move", &args(&settings)).unwrap();
    let customers = moved["copied"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "customers")
        .unwrap();
    assert_eq!(customers["rows"], 1);
    let saved = std::fs::read_to_string(first.path().join(shared::SHARED_FILE)).unwrap();
    assert!(!saved.contains(&settings.password), "no password in {saved}");
    // The password is in the system's credential store, or (the core without the desktop
    // shell, a computer with none) in the file only this user reads; the window is told
    // which (it warns of the file).
    let secret = first.path().join(shared::SECRET_FILE).exists();
    match moved["password_in"].as_str() {
        Some("file") => assert!(secret, "{moved}"),
        Some("credential_store") => assert!(!secret, "{moved}"),
        _ => panic!("where the password went: {moved}"),
    }
    let a = open(first.path());
    assert!(a.is_shared());
    assert_eq!(
        a.status().unwrap().language.as_deref(),
        Some("en"),
        "the desk keeps its language"
    );
    assert_eq!(a.desk_staff().unwrap(), "小王", "and who is at it");
    // The shared database is backed up on its server: a desk neither takes nor warns.
    let health = a.backup_health().unwrap();
    assert!(health.shared && !health.stale && health.last_failure.is_none());
    assert_eq!(a.backup_now().unwrap_err().code(), Some("backup_on_server"));
    assert!(a.daily_backup_if_due().unwrap().is_none());
    assert_eq!(all_names(&a), ["欧阳晓梅"]);
    a.create_customer(&customer("李雷", &["139 0000 1111"])).unwrap();

    // A wrong password is refused and changes nothing.
    let mut wrong = pg.settings("礼宾台");
    wrong.password.push('x');
    let e = ipc::dispatch_switch(second.path(), "server_join", &args(&wrong)).unwrap_err();
    assert_eq!(e.code(), Some("server_not_usable"), "{e}");
    assert!(shared::saved(second.path()).unwrap().is_none());

    // A second desk joins, and sees what the first wrote.
    ipc::dispatch_switch(second.path(), "server_join", &args(&pg.settings("礼宾台"))).unwrap();
    let b = open(second.path());
    assert_eq!(all_names(&b), ["李雷", "欧阳晓梅"]);
    assert_eq!(b.server_settings().unwrap().desk, "礼宾台");
    assert_eq!(
        serde_json::to_value(b.server_settings()).unwrap().get("password"),
        None,
        "the password never goes to the window"
    );

    // A third desk cannot pour its records into a database that holds some.
    let e = ipc::dispatch_switch(third.path(), "server_move", &args(&pg.settings("后台"))).unwrap_err();
    assert_eq!(e.code(), Some("server_not_empty"), "{e}");
    assert!(
        shared::saved(third.path()).unwrap().is_none(),
        "the third desk stays on its file"
    );
    assert_eq!(all_names(&App::open(third.path()).unwrap()), ["第三台的客人"]);

    // The second desk goes offline for good: the shared records come to its PC.
    drop(b);
    let left = ipc::dispatch_switch(second.path(), "server_leave", &json!({})).unwrap();
    let kept = left["kept"].as_str().expect("the old file is kept");
    let kept_dir = tempfile::tempdir().unwrap();
    std::fs::copy(kept, kept_dir.path().join(frontdesk::store::DB_FILE)).unwrap();
    assert_eq!(
        all_names(&App::open(kept_dir.path()).unwrap()),
        ["礼宾台的老客"],
        "the desk's own file before it joined, kept"
    );
    assert!(shared::saved(second.path()).unwrap().is_none());
    let b = open(second.path());
    assert!(!b.is_shared());
    assert_eq!(all_names(&b), ["李雷", "欧阳晓梅"]);
    b.create_customer(&customer("离线新客", &[])).unwrap();
    assert_eq!(
        all_names(&a),
        ["李雷", "欧阳晓梅"],
        "the shared database is not changed by leaving"
    );
}

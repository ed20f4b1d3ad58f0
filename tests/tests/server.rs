//! The shared database (several desks on one PostgreSQL server): what "Test connection" tells
//! a person setting it up, and setting up the server's schema, against a real server (the
//! throwaway cluster `cargo xtask test` starts; each test has a database of its own).

use frontdesk::error::Error;
use frontdesk::store::server::{self, ServerCheck};
use frontdesk_tests::server::TempDatabase;

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn an_empty_database_is_set_up_once_and_then_ready() {
    let db = TempDatabase::new();
    let desk = db.settings("前台1");
    assert_eq!(server::check(&desk).unwrap(), ServerCheck::Empty);

    let mut client = server::connect(&desk).unwrap();
    assert_eq!(server::migrate(&mut client).unwrap(), server::supported_version());
    assert_eq!(
        server::check(&desk).unwrap(),
        ServerCheck::Ready {
            version: server::supported_version(),
            desks: vec![]
        }
    );
    // A second start finds nothing to do.
    assert_eq!(server::migrate(&mut client).unwrap(), server::supported_version());
    let applied: i64 = db
        .client()
        .query_one("SELECT count(*) FROM frontdesk_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(applied, server::supported_version());
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn four_desks_setting_up_at_the_same_moment_apply_each_migration_once() {
    let db = TempDatabase::new();
    let desks: Vec<_> = (1..=4).map(|i| db.settings(&format!("前台{i}"))).collect();
    let barrier = std::sync::Barrier::new(desks.len());
    let versions: Vec<i64> = std::thread::scope(|s| {
        let runs: Vec<_> = desks
            .iter()
            .map(|desk| {
                let barrier = &barrier;
                s.spawn(move || {
                    let mut client = server::connect(desk).unwrap();
                    barrier.wait();
                    server::migrate(&mut client).unwrap()
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert_eq!(versions, vec![server::supported_version(); 4]);
    let applied: Vec<i64> = db
        .client()
        .query("SELECT version FROM frontdesk_schema ORDER BY version", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(applied, (1..=server::supported_version()).collect::<Vec<_>>());
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_wrong_password_or_user_and_a_missing_database_are_named() {
    let db = TempDatabase::new();
    let right = db.settings("前台1");
    let wrong_password = server::ServerSettings {
        password: format!("{}x", right.password),
        ..right.clone()
    };
    assert_eq!(server::check(&wrong_password).unwrap(), ServerCheck::WrongPassword);
    let no_such_user = server::ServerSettings {
        user: "nobody_here".into(),
        ..right.clone()
    };
    assert_eq!(server::check(&no_such_user).unwrap(), ServerCheck::WrongPassword);
    let no_such_database = server::ServerSettings {
        database: format!("{}_gone", right.database),
        ..right.clone()
    };
    assert_eq!(server::check(&no_such_database).unwrap(), ServerCheck::NoDatabase);
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_user_the_database_does_not_admit_is_told_so() {
    let db = TempDatabase::new();
    let role = format!("{}_clerk", db.name);
    db.admin()
        .batch_execute(&format!(
            "CREATE ROLE {role} LOGIN PASSWORD 'clerk-pw'; REVOKE CONNECT ON DATABASE {} FROM PUBLIC",
            db.name
        ))
        .unwrap();
    let clerk = server::ServerSettings {
        user: role.clone(),
        password: "clerk-pw".into(),
        ..db.settings("前台1")
    };
    let verdict = server::check(&clerk).unwrap();
    let mut admin = db.admin();
    drop(db);
    admin.batch_execute(&format!("DROP ROLE {role}")).unwrap();
    match verdict {
        ServerCheck::NotAllowed { reason } => assert!(reason.contains("permission"), "{reason}"),
        other => panic!("expected not_allowed, got {other:?}"),
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn another_programs_database_is_left_alone() {
    let db = TempDatabase::new();
    db.client()
        .batch_execute(
            "CREATE TABLE invoices (id int PRIMARY KEY, total numeric); INSERT INTO invoices VALUES (1, 9.5)",
        )
        .unwrap();
    let desk = db.settings("前台1");
    assert_eq!(server::check(&desk).unwrap(), ServerCheck::NotFrontdesk);
    let mut client = server::connect(&desk).unwrap();
    let e = server::migrate(&mut client).unwrap_err();
    assert_eq!(e.kind(), "db_invalid", "{e}");
    let mut c = db.client();
    let ours: bool = c
        .query_one(
            "SELECT to_regclass('frontdesk_schema') IS NOT NULL OR to_regclass('desks') IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(!ours, "nothing of FrontDesk was created");
    let invoices: i64 = c.query_one("SELECT count(*) FROM invoices", &[]).unwrap().get(0);
    assert_eq!(invoices, 1);
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_database_set_up_by_a_newer_frontdesk_is_refused_unchanged() {
    let db = TempDatabase::new();
    let desk = db.settings("前台1");
    server::migrate(&mut server::connect(&desk).unwrap()).unwrap();
    let newer = server::supported_version() + 1;
    db.client()
        .execute("INSERT INTO frontdesk_schema (version) VALUES ($1)", &[&newer])
        .unwrap();
    assert_eq!(
        server::check(&desk).unwrap(),
        ServerCheck::Newer {
            found: newer,
            supported: server::supported_version()
        }
    );
    match server::migrate(&mut server::connect(&desk).unwrap()) {
        Err(Error::DbTooNew { found, supported }) => {
            assert_eq!((found, supported), (newer, server::supported_version()))
        }
        other => panic!("expected db_too_new, got {other:?}"),
    }
    let rows: i64 = db
        .client()
        .query_one("SELECT count(*) FROM frontdesk_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, newer);
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn the_window_tests_a_connection_through_ipc() {
    let db = TempDatabase::new();
    let t = frontdesk_tests::TempApp::new();
    let mut args = serde_json::json!({ "settings": db.settings("前台1") });
    args["settings"]["password"] = db.settings("前台1").password.into();
    let got = frontdesk::ipc::dispatch(&t.app, "server_check", &args).unwrap();
    assert_eq!(got, serde_json::json!({ "state": "empty" }));

    args["settings"]["password"] = "not it".into();
    let got = frontdesk::ipc::dispatch(&t.app, "server_check", &args).unwrap();
    assert_eq!(got, serde_json::json!({ "state": "wrong_password" }));

    args["settings"]["port"] = 0.into();
    args["settings"]["desk"] = "".into();
    let e = frontdesk::ipc::dispatch(&t.app, "server_check", &args).unwrap_err();
    let fields: Vec<_> = e.fields().iter().map(|f| (f.field.as_str(), f.code, f.max)).collect();
    assert_eq!(
        fields,
        vec![("desk", "required", None), ("port", "out_of_range", Some(65535))]
    );
}

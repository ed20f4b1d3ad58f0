//! The store seam (`store::db`): one SQL text, with SQLite's placeholders, runs alike on the
//! desk's file and on the shared database, values crossing as the desk's file holds them.

use frontdesk::store::db::{Db, Row, Server, Value};
use frontdesk::store::server;
use frontdesk::store::settings::{get_setting, set_setting};
use frontdesk_tests::server::TempDatabase;
use frontdesk_tests::TempApp;

fn on_server(db: &TempDatabase) -> Server {
    let mut client = server::connect(&db.settings("前台1")).unwrap();
    server::migrate(&mut client).unwrap();
    Server::new(client)
}

/// The same steps on a store: what a settings screen does.
fn settings_story(db: Db<'_>) {
    assert_eq!(get_setting(db, "language").unwrap(), None);
    set_setting(db, "language", "en").unwrap();
    assert_eq!(get_setting(db, "language").unwrap().as_deref(), Some("en"));
    set_setting(db, "language", "zh-CN").unwrap();
    assert_eq!(get_setting(db, "language").unwrap().as_deref(), Some("zh-CN"));
    set_setting(db, "desk.note", "靠窗的桌子 'A'?").unwrap();
    assert_eq!(
        get_setting(db, "desk.note").unwrap().as_deref(),
        Some("靠窗的桌子 'A'?")
    );
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn settings_are_read_and_written_alike_on_the_desk_file_and_the_server() {
    let t = TempApp::new();
    let conn = rusqlite::Connection::open(t.db_path()).unwrap();
    // The desk's file holds the language the app chose at first start: start from none.
    conn.execute("DELETE FROM settings WHERE key = 'language'", []).unwrap();
    settings_story(Db::from(&conn));

    let pg = TempDatabase::new();
    let s = on_server(&pg);
    settings_story(Db::from(&s));
    let stored: String = pg
        .client()
        .query_one("SELECT value FROM settings WHERE key = 'language'", &[])
        .unwrap()
        .get(0);
    assert_eq!(stored, "zh-CN");
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn values_reach_the_server_in_the_type_each_column_has_and_come_back_as_the_desk_holds_them() {
    let pg = TempDatabase::new();
    let s = on_server(&pg);
    let db = Db::from(&s);
    db.batch(
        "CREATE TABLE kinds (id bigint PRIMARY KEY, small integer, yes boolean, score double precision, \
         note text, payload jsonb)",
    )
    .unwrap();
    let row = [
        &Value::Int(7) as &dyn frontdesk::store::db::Param,
        &5i64,
        &true,
        &4.5f64,
        &"前台1 ?1",
        &Value::Int(42),
    ];
    assert_eq!(
        db.execute("INSERT INTO kinds VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &row)
            .unwrap(),
        1
    );
    db.execute(
        "INSERT INTO kinds (id, small, yes, score, note, payload) VALUES (?, ?, ?, ?, ?, ?)",
        &[&8i64, &None::<i64>, &false, &None::<f64>, &None::<String>, &"四十二"],
    )
    .unwrap();
    let rows = db
        .query(
            "SELECT id, small, yes, score, note, payload, '?' || ?1 FROM kinds ORDER BY id",
            &[&"x"],
        )
        .unwrap();
    assert_eq!(
        rows,
        vec![
            Row(vec![
                Value::Int(7),
                Value::Int(5),
                Value::Int(1),
                Value::Real(4.5),
                Value::Text("前台1 ?1".into()),
                Value::Int(42),
                Value::Text("?x".into()),
            ]),
            Row(vec![
                Value::Int(8),
                Value::Null,
                Value::Int(0),
                Value::Null,
                Value::Null,
                Value::Text("四十二".into()),
                Value::Text("?x".into()),
            ]),
        ]
    );
    assert!(rows[0].get::<bool>(2).unwrap());

    // Mistakes are errors with a message, never a panic, and change nothing.
    let too_big = db.execute(
        "UPDATE kinds SET small = ?1 WHERE id = 7",
        &[&(i64::from(i32::MAX) + 1)],
    );
    assert!(too_big.is_err());
    let text_for_number = db.execute("UPDATE kinds SET small = ?1 WHERE id = 7", &[&"five"]);
    assert!(text_for_number.is_err());
    let missing = db.execute("UPDATE kinds SET small = ?1 WHERE id = ?2", &[&1i64]);
    assert!(missing.unwrap_err().to_string().contains("2 expected"));
    let small = db
        .query_opt("SELECT small FROM kinds WHERE id = 7", &[])
        .unwrap()
        .unwrap();
    assert_eq!(small.get::<i64>(0).unwrap(), 5);
}

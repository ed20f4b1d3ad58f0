//! Moving a desk's records to the shared database and back ("Move this desk's data to the
//! shared database", "Copy the shared database to this PC"), against a real server: nothing
//! is lost or changed on the way, a server that holds records is never overwritten, and a
//! copy that fails leaves nothing behind.

use frontdesk::customers::{ListQuery, Tier};
use frontdesk::store::server::{self, copy};
use frontdesk::App;
use frontdesk_tests::server::TempDatabase;
use frontdesk_tests::{customer, TempApp};
use rusqlite::types::Value;
use rusqlite::Connection;

/// A desk with the demo's customers, visits, complaints and bookings, and a customer edited
/// twice (the audit trail holds texts and numbers).
fn busy_desk() -> TempApp {
    let t = TempApp::new();
    t.app.seed_demo().unwrap();
    let c = t
        .app
        .create_customer(&customer("欧阳晓梅", &["186 5550 7321"]))
        .unwrap();
    let mut input = customer("欧阳晓梅", &["186 5550 7321"]);
    input.tier = Some(Tier::Vip);
    input.notes = "周五来，靠窗".into();
    t.app.update_customer(c.id, &input).unwrap();
    t
}

/// Every record table of a desk file with its rows (every value with its type), in one order.
/// Not the audit trail's context row: each file keeps its own.
fn contents(db: &std::path::Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> 'audit_ctx' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let n: usize = conn
                .query_row(&format!("SELECT count(*) FROM pragma_table_info('{t}')"), [], |r| {
                    r.get(0)
                })
                .unwrap();
            let order = (1..=n).map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
            let rows = conn
                .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY {order}"))
                .unwrap()
                .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
                .unwrap()
                .map(Result::unwrap)
                .collect();
            (t, rows)
        })
        .collect()
}

fn schema_objects(db: &std::path::Path) -> Vec<(String, String, Option<String>)> {
    Connection::open(db)
        .unwrap()
        .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn count(db: &TempDatabase, table: &str) -> i64 {
    db.client()
        .query_one(&format!("SELECT count(*) FROM {table}"), &[])
        .unwrap()
        .get(0)
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn every_record_table_of_a_desk_file_has_its_twin_on_the_server() {
    let t = TempApp::new();
    let db = TempDatabase::new();
    let mut client = server::connect(&db.settings("前台1")).unwrap();
    server::migrate(&mut client).unwrap();
    let desk = Connection::open(t.db_path()).unwrap();
    copy::compare_schemas(&desk, &mut client).expect("same tables and columns");

    // The comparison notices a column the desk file does not have.
    db.client()
        .batch_execute("ALTER TABLE bookings ADD COLUMN table_no bigint")
        .unwrap();
    let e = copy::compare_schemas(&desk, &mut client).unwrap_err();
    assert!(e.to_string().contains("bookings"), "{e}");
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_desks_records_move_to_the_server_and_back_unchanged() {
    let t = busy_desk();
    let before = contents(&t.db_path());
    let db = TempDatabase::new();
    let mut client = server::connect(&db.settings("前台1")).unwrap();

    let desk = Connection::open(t.db_path()).unwrap();
    let sent = copy::copy_to_server(&desk, &mut client).unwrap();
    for (table, rows) in &before {
        assert_eq!(sent.rows(table), rows.len() as u64, "{table}");
        assert_eq!(count(&db, table), rows.len() as i64, "{table}");
    }
    assert!(sent.rows("customers") > 10 && sent.rows("visits") > 0 && sent.rows("bookings") > 0);
    assert!(sent.rows("complaints") > 0 && sent.rows("audit_log") > 0);
    // A record the server makes later gets a new id, not one a copied record holds (made in
    // a transaction taken back: its ids stay used, and it leaves no trail to copy back).
    let mut later = db.client();
    let mut tx = later.transaction().unwrap();
    let next: i64 = tx
        .query_one(
            "INSERT INTO outline_templates (name, body, created_at, updated_at) \
             VALUES ('t', 'b', '2026-12-06 10:00:00', '2026-12-06 10:00:00') RETURNING id",
            &[],
        )
        .unwrap()
        .get(0);
    let highest: i64 = desk
        .query_row("SELECT coalesce(max(id), 0) FROM outline_templates", [], |r| r.get(0))
        .unwrap();
    assert!(next > highest, "{next} after {highest}");
    tx.rollback().unwrap();

    let home = tempfile::tempdir().unwrap();
    let back = home.path().join(frontdesk::store::DB_FILE);
    let received = copy::copy_from_server(&mut client, &back).unwrap();
    assert_eq!(received, sent, "the same rows and checksums both ways");
    assert_eq!(contents(&back), before, "every value, with its type");
    assert_eq!(
        schema_objects(&back),
        schema_objects(&t.db_path()),
        "triggers and indexes as they were"
    );
    assert!(!home.path().join("frontdesk.db.part").exists());

    // The copy is a working desk: search finds, and a save is audited as before.
    let app = App::open(home.path()).unwrap();
    let found = app
        .list_customers(&ListQuery {
            q: "oyxm".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.items.len(), 1);
    let trail = |sql: &str| -> i64 {
        Connection::open(&back)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    };
    let (last_id, last_change) = (
        trail("SELECT max(id) FROM audit_log"),
        trail("SELECT max(change_id) FROM audit_log"),
    );
    let mut input = customer("欧阳晓梅", &["186 5550 7321"]);
    input.notes = "改到周六".into();
    app.update_customer(found.items[0].id, &input).unwrap();
    assert!(
        trail("SELECT max(id) FROM audit_log") > last_id,
        "the audit trail's triggers are back"
    );
    assert_eq!(
        trail(&format!(
            "SELECT count(*) FROM audit_log WHERE change_id <= {last_change} AND id > {last_id}"
        )),
        0,
        "the new save is a change of its own, not part of an old one"
    );
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_server_holding_records_already_is_not_overwritten() {
    let first = busy_desk();
    let second = TempApp::new();
    second
        .app
        .create_customer(&customer("李雷", &["139 0000 1111"]))
        .unwrap();
    let db = TempDatabase::new();
    let mut client = server::connect(&db.settings("前台1")).unwrap();
    let sent = copy::copy_to_server(&Connection::open(first.db_path()).unwrap(), &mut client).unwrap();

    let e = copy::copy_to_server(&Connection::open(second.db_path()).unwrap(), &mut client).unwrap_err();
    assert_eq!((e.kind(), e.code()), ("invalid_state", Some("server_not_empty")), "{e}");
    assert_eq!(count(&db, "customers"), sent.rows("customers") as i64);
    let li_lei: i64 = db
        .client()
        .query_one("SELECT count(*) FROM customers WHERE name = '李雷'", &[])
        .unwrap()
        .get(0);
    assert_eq!(li_lei, 0);
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_copy_that_fails_midway_leaves_no_records_on_the_server() {
    let t = busy_desk();
    let db = TempDatabase::new();
    let mut client = server::connect(&db.settings("前台1")).unwrap();
    server::migrate(&mut client).unwrap();
    // The server fails while the visits arrive (a full disk, say): customers came before.
    db.client()
        .batch_execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS \
               $$ BEGIN RAISE EXCEPTION 'no space left on device'; END $$; \
             CREATE TRIGGER refuse BEFORE INSERT ON visits FOR EACH ROW EXECUTE FUNCTION refuse()",
        )
        .unwrap();
    let e = copy::copy_to_server(&Connection::open(t.db_path()).unwrap(), &mut client).unwrap_err();
    assert!(e.to_string().contains("no space left"), "{e}");
    for table in ["customers", "bookings", "complaints", "visits", "audit_log"] {
        assert_eq!(count(&db, table), 0, "{table}");
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn copying_the_server_onto_an_existing_file_is_refused() {
    let t = busy_desk();
    let db = TempDatabase::new();
    let mut client = server::connect(&db.settings("前台1")).unwrap();
    copy::copy_to_server(&Connection::open(t.db_path()).unwrap(), &mut client).unwrap();
    let other = TempApp::new();
    other
        .app
        .create_customer(&customer("李雷", &["139 0000 1111"]))
        .unwrap();
    let before = contents(&other.db_path());
    let e = copy::copy_from_server(&mut client, &other.db_path()).unwrap_err();
    assert_eq!(e.code(), Some("file_exists"), "{e}");
    assert_eq!(contents(&other.db_path()), before);

    // An empty server has nothing to copy.
    let empty = TempDatabase::new();
    let mut client = server::connect(&empty.settings("前台1")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert!(copy::copy_from_server(&mut client, &dir.path().join("frontdesk.db")).is_err());
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "no file left behind"
    );
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_server_record_pointing_at_nothing_stops_the_copy_to_this_pc() {
    let t = busy_desk();
    let db = TempDatabase::new();
    let mut client = server::connect(&db.settings("前台1")).unwrap();
    copy::copy_to_server(&Connection::open(t.db_path()).unwrap(), &mut client).unwrap();
    // Someone edited the server by hand, around its checks: a booking of no customer.
    db.client()
        .batch_execute(
            "ALTER TABLE bookings DISABLE TRIGGER ALL;
             UPDATE bookings SET customer_id = 999999 WHERE id = (SELECT min(id) FROM bookings);
             ALTER TABLE bookings ENABLE TRIGGER ALL",
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let e = copy::copy_from_server(&mut client, &dir.path().join("frontdesk.db")).unwrap_err();
    assert!(e.to_string().contains("bookings"), "{e}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "no file left behind"
    );
}

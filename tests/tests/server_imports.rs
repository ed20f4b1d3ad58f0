//! Import batches through the store seam: the record of an import, what it did to each
//! customer and what changed since read back the same from the desk's file and the server.

use frontdesk::import::repo::{self, BatchCounts, NewBatch};
use frontdesk::import::{Batch, Duplicates, Target};
use frontdesk::store::db::{Db, Server};
use frontdesk::store::server;
use frontdesk_tests::server::TempDatabase;
use frontdesk_tests::TempApp;

type Items = Vec<(i64, frontdesk::import::model::ItemAction, Option<String>)>;

fn import_story(db: Db<'_>) -> (Batch, Items, Option<Vec<Target>>, usize, Batch) {
    let headers = vec!["姓名".to_string(), "手机".to_string(), "备注".to_string()];
    let mapping = vec![Target::Name, Target::Phone, Target::Notes];
    let id = repo::insert_batch(
        db,
        &NewBatch {
            at: "2026-12-06T09:30:00.000Z",
            staff: "小王",
            file: "会员名单.csv",
            headers: &headers,
            mapping: &mapping,
            duplicates: Duplicates::Fill,
        },
    )
    .unwrap();
    use frontdesk::import::model::ItemAction;
    repo::insert_item(db, id, 11, ItemAction::Created, None).unwrap();
    repo::insert_item(db, id, 7, ItemAction::Filled, Some("{\"notes\":\"\"}")).unwrap();
    let counts = BatchCounts {
        created: 1,
        updated: 1,
        skipped: 3,
        invalid: 2,
        change_id: 40,
    };
    repo::finish_batch(db, id, &counts).unwrap();
    // Customer 7 was changed after the import (a later change in the trail).
    db.execute(
        "INSERT INTO audit_log (change_id, at, actor, kind, record_id, customer_id, action)
         VALUES (?1, ?2, 'desk', 'customer', ?3, ?4, 'update')",
        &[&41i64, &"2026-12-06T11:00:00.000Z", &"7", &7i64],
    )
    .unwrap();
    let batch = repo::get_last_batch(db).unwrap().unwrap();
    let items = repo::list_items(db, id).unwrap();
    let remembered = repo::get_mapping_for(db, &headers).unwrap();
    let changed = repo::count_changed_since(db, id, batch.change_id).unwrap();
    repo::mark_undone(db, id, "2026-12-06T12:00:00.000Z").unwrap();
    let undone = repo::get_last_batch(db).unwrap().unwrap();
    (batch, items, remembered, changed, undone)
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn an_import_is_recorded_alike_on_the_desk_file_and_the_server() {
    let t = TempApp::new();
    let conn = rusqlite::Connection::open(t.db_path()).unwrap();
    let on_desk = import_story(Db::from(&conn));

    let pg = TempDatabase::new();
    let mut client = server::connect(&pg.settings("前台1")).unwrap();
    server::migrate(&mut client).unwrap();
    let s = Server::new(client);
    let on_server = import_story(Db::from(&s));

    assert_eq!(on_server, on_desk);
    let (batch, items, remembered, changed, undone) = on_server;
    assert_eq!(
        (batch.created, batch.updated, batch.skipped, batch.invalid),
        (1, 1, 3, 2)
    );
    assert_eq!(batch.duplicates, Duplicates::Fill);
    assert_eq!(batch.file, "会员名单.csv");
    assert_eq!(items.iter().map(|i| i.0).collect::<Vec<_>>(), vec![7, 11]);
    assert_eq!(remembered, Some(vec![Target::Name, Target::Phone, Target::Notes]));
    assert_eq!(changed, 1);
    assert_eq!(undone.undone_at.as_deref(), Some("2026-12-06T12:00:00.000Z"));
}

//! Customer records through the store seam: the same repo functions, on the desk's file and
//! on the shared database, keep and give back the same customer.

use frontdesk::customers::dates::{Calendar, SpecialDate};
use frontdesk::customers::{repo, rules, Customer, Tier};
use frontdesk::store::db::{Db, Server};
use frontdesk::store::server;
use frontdesk_tests::server::TempDatabase;
use frontdesk_tests::{customer, TempApp};

const NOW: &str = "2026-12-06T09:30:00.000Z";
const LATER: &str = "2026-12-06T10:02:00.000Z";

/// Create, read, change, archive and list a customer; what came back, for comparing stores.
fn customer_story(db: Db<'_>) -> (Customer, Customer, Vec<String>) {
    let mut input = customer("欧阳晓梅", &["186 5550 7321", "021-5555 0101"]);
    input.tags = vec!["常客".into(), "VIP房".into()];
    input.birthday = Some(SpecialDate {
        calendar: Calendar::Lunar,
        year: None,
        month: 8,
        day: 15,
        leap_month: false,
    });
    let valid = rules::validate(&input).unwrap();
    let id = repo::insert_customer(db, &valid, &repo::search_fields(&valid), NOW).unwrap();
    repo::add_event(db, id, NOW, "created", "").unwrap();
    let first = repo::get_customer(db, id).unwrap();

    let mut changed = input.clone();
    changed.tier = Some(Tier::Vip);
    changed.notes = "周五来，靠窗 'A' ?1".into();
    changed.birthday = None;
    changed.anniversary = Some(SpecialDate {
        calendar: Calendar::Gregorian,
        year: Some(2019),
        month: 5,
        day: 20,
        leap_month: false,
    });
    let valid = rules::validate(&changed).unwrap();
    repo::update_customer(db, id, &valid, &repo::search_fields(&valid), LATER).unwrap();
    repo::touch_last_contact(db, id, "2026-12-05").unwrap();
    repo::touch_last_contact(db, id, "2026-11-01").unwrap(); // older: ignored
    repo::set_archived(db, id, Some(LATER), LATER).unwrap();
    assert_eq!(repo::get_name(db, id, true).unwrap(), None, "archived");
    assert_eq!(repo::get_name(db, id, false).unwrap().as_deref(), Some("欧阳晓梅"));
    assert!(repo::update_customer(db, id + 1000, &valid, &repo::search_fields(&valid), LATER).is_err());
    let second = repo::get_customer(db, id).unwrap();
    let summaries = repo::list_summaries(db, &[id + 1000, id]).unwrap();
    assert_eq!(summaries.len(), 1);
    assert!(summaries[0].archived);
    assert_eq!(summaries[0].phone.as_deref(), Some("186 5550 7321"));
    let history: Vec<String> = repo::list_history(db, id)
        .unwrap()
        .into_iter()
        .map(|h| h.kind)
        .collect();
    assert_eq!(repo::list_phones(db).unwrap(), vec![(id, first.phones.clone())]);
    assert_eq!(repo::count_customers(db).unwrap(), 1);
    (first, second, history)
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_customer_is_kept_alike_on_the_desk_file_and_the_server() {
    let t = TempApp::new();
    let conn = rusqlite::Connection::open(t.db_path()).unwrap();
    let on_desk = customer_story(Db::from(&conn));

    let pg = TempDatabase::new();
    let mut client = server::connect(&pg.settings("前台1")).unwrap();
    server::migrate(&mut client).unwrap();
    let s = Server::new(client);
    let on_server = customer_story(Db::from(&s));

    assert_eq!(on_server, on_desk);
    let (first, second, history) = on_server;
    assert_eq!(first.tags, vec!["常客", "VIP房"]);
    assert_eq!(
        first.birthday.map(|b| (b.calendar, b.month, b.day)),
        Some((Calendar::Lunar, 8, 15))
    );
    assert_eq!(second.tier, Tier::Vip);
    assert_eq!(second.birthday, None);
    assert_eq!(second.anniversary.and_then(|a| a.year), Some(2019));
    assert_eq!(second.last_contact_date.as_deref(), Some("2026-12-05"));
    assert_eq!(second.archived_at.as_deref(), Some(LATER));
    assert!(!second.anonymised);
    assert_eq!(history, vec!["created"]);

    // Anonymising erases the same on both.
    repo::anonymise_customer(Db::from(&s), first.id, "已注销客户", LATER).unwrap();
    repo::anonymise_customer(Db::from(&conn), first.id, "已注销客户", LATER).unwrap();
    let (a, b) = (
        repo::get_customer(Db::from(&s), first.id).unwrap(),
        repo::get_customer(Db::from(&conn), first.id).unwrap(),
    );
    assert_eq!(a, b);
    assert!(a.phones.is_empty() && a.anniversary.is_none() && a.name == "已注销客户");
}

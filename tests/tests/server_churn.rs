//! Churn (客户流失) through the store seam: reasons, a loss, the register's filters, a win
//! back and erasing, the same on the desk's file and on the shared database (set up, as a
//! real server is, by moving a desk's data into it, built-in reasons included).

use chrono::NaiveDate;
use frontdesk::churn::model::{ChurnEntry, ChurnInput, ChurnQuery, ChurnType, Reason};
use frontdesk::churn::{repo, rules};
use frontdesk::customers::{repo as customers, rules as customer_rules};
use frontdesk::store::db::Db;
use frontdesk_tests::customer;
use frontdesk_tests::server::{on_both_stores, TempDatabase};

const NOW: &str = "2026-12-06T09:30:00.000Z";

type Seen = (
    Vec<Reason>,
    Option<ChurnEntry>,
    (usize, Vec<ChurnEntry>),
    (usize, Vec<ChurnEntry>),
    Vec<ChurnEntry>,
);

fn churn_story(db: Db<'_>) -> Seen {
    let valid = customer_rules::validate(&customer("李雷", &["139 0000 1111"])).unwrap();
    let who = customers::insert_customer(db, &valid, &customers::search_fields(&valid), NOW).unwrap();
    repo::save_reason(
        db,
        &Reason {
            id: 0,
            code: None,
            name: " 搬家了 ".into(),
            archived: false,
        },
    )
    .unwrap();
    let reasons = repo::list_reasons(db).unwrap();
    let moved = reasons
        .iter()
        .find(|r| r.name == "搬家了")
        .expect("the new reason, trimmed")
        .id;
    assert!(repo::reason_exists(db, moved).unwrap());
    assert!(!repo::reason_exists(db, moved + 1000).unwrap());

    let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    let input = ChurnInput {
        lost_on: "2026-12-01".into(),
        churn_type: Some(ChurnType::Competitor),
        reason_id: Some(moved),
        note: "去了对面那家".into(),
        staff: "小王".into(),
    };
    let loss = rules::validate(&input, today).unwrap();
    repo::insert_churn(db, who, &loss, NOW).unwrap();
    let again = repo::insert_churn(db, who, &loss, NOW).unwrap_err();
    assert_eq!(again.code(), Some("customer_already_lost"), "{again}");
    let open = repo::get_open(db, who).unwrap();

    let competitor = ChurnQuery {
        churn_type: Some(ChurnType::Competitor),
        from: Some("2026-11-01".into()),
        open_only: true,
        ..Default::default()
    };
    let found = repo::list_churn(db, &competitor, 50).unwrap();
    let natural = repo::list_churn(
        db,
        &ChurnQuery {
            churn_type: Some(ChurnType::Natural),
            ..Default::default()
        },
        50,
    )
    .unwrap();
    let id = open.as_ref().expect("lost now").id;
    repo::set_won_back(db, id, "2026-12-05", "回来了", "小王", NOW).unwrap();
    assert!(repo::get_open(db, who).unwrap().is_none());
    repo::erase_for_customer(db, who).unwrap();
    let history = repo::list_for_customer(db, who).unwrap();
    (reasons, open, found, natural, history)
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_loss_is_kept_alike_on_the_desk_file_and_the_server() {
    let pg = TempDatabase::new();
    let (on_desk, on_server) = on_both_stores(&pg, churn_story);

    assert_eq!(on_server, on_desk);
    let (reasons, open, found, natural, history) = on_server;
    assert!(
        reasons.iter().any(|r| r.code.is_some()),
        "the built-in reasons came with the desk"
    );
    let open = open.unwrap();
    assert_eq!(
        (open.customer_name.as_str(), open.lost_on.as_str()),
        ("李雷", "2026-12-01")
    );
    assert_eq!(open.reason.map(|r| r.name), Some("搬家了".to_string()));
    assert_eq!((found.0, found.1.len()), (1, 1));
    assert_eq!((natural.0, natural.1.len()), (0, 0));
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].won_back_on.as_deref(), Some("2026-12-05"));
    assert_eq!((history[0].note.as_str(), history[0].won_back_note.as_str()), ("", ""));
}

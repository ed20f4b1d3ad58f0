//! Complaints (投诉) through the store seam: serial numbers per year, categories (the
//! built-in "other" by default), the register and its handling log, workflow, breaches and
//! escalation, the list's filters and text search, the export's streams; the same on the
//! desk's file and on the shared database (set up by moving a desk's data into it, built-in
//! categories included).

use chrono::NaiveDateTime;
use frontdesk::complaints::model::{
    Category, ClaimKind, Complaint, ComplaintChannel, ComplaintQuery, ComplaintState, LogEntry, Severity,
};
use frontdesk::complaints::repo::{self, NewComplaint, Resolution, WorkflowUpdate};
use frontdesk::customers::{repo as customers, rules as customer_rules};
use frontdesk::store::db::Db;
use frontdesk::store::{self as desk_store};
use frontdesk_tests::server::{on_both_stores, TempDatabase};
use frontdesk_tests::{at, customer};

const NOW: &str = "2026-12-06T09:30:00.000Z";

/// Local "now" of the story: a day after the first complaints came in.
fn now() -> NaiveDateTime {
    at("2026-12-08 12:00")
}

fn ts(local: &str) -> String {
    desk_store::local_to_ts(at(local))
}

/// What the story saw, for comparing the stores.
#[derive(Debug, PartialEq)]
struct Seen {
    serials: Vec<String>,
    default_category: Category,
    categories: Vec<Category>,
    complaints: Vec<Complaint>,
    log: Vec<LogEntry>,
    /// `(id, customer, serial, next_due, handler)` of each running deadline.
    running: Vec<(i64, String, String, String, String)>,
    paused_running: bool,
    overdue: Vec<i64>,
    /// Each list query's total and serials, in the list's order.
    lists: Vec<(&'static str, usize, Vec<String>)>,
    for_customer: Vec<String>,
    open_for_customer: usize,
    found: Option<i64>,
    exported: Vec<(String, String)>,
    exported_log: Vec<(String, String)>,
}

fn new_complaint<'a>(
    serial: &'a str,
    customer_id: i64,
    category_id: i64,
    severity: Severity,
    summary: &'a str,
    details: &'a str,
    due: &'a (String, String),
) -> NewComplaint<'a> {
    NewComplaint {
        serial,
        customer_id,
        channel: ComplaintChannel::Phone,
        received_at: &due.0,
        category_id,
        severity,
        summary,
        details,
        claim_kind: None,
        claim_amount_cents: None,
        claim_text: "",
        handler: "小王",
        response_due: &due.0,
        resolution_due: &due.1,
    }
}

fn complaint_story(db: Db<'_>) -> Seen {
    let wu = customer_rules::validate(&customer("吴先生", &["139 0000 1111"])).unwrap();
    let wu = customers::insert_customer(db, &wu, &customers::search_fields(&wu), NOW).unwrap();
    let alice = customer_rules::validate(&customer("Alice Wong", &[])).unwrap();
    let alice = customers::insert_customer(db, &alice, &customers::search_fields(&alice), NOW).unwrap();

    // Categories: a new one (no code, sorted before "other") and a renamed built-in one
    // (its code dropped) leave "other" the default.
    repo::save_category(
        db,
        &Category {
            id: 0,
            code: None,
            name: " 噪音 ".into(),
        },
        false,
    )
    .unwrap();
    let noise = repo::list_categories(db)
        .unwrap()
        .into_iter()
        .find(|c| c.name == "噪音")
        .expect("the new category, trimmed");
    let hygiene = repo::list_categories(db)
        .unwrap()
        .into_iter()
        .find(|c| c.code.as_deref() == Some("hygiene"))
        .expect("a built-in category");
    repo::save_category(
        db,
        &Category {
            name: "卫生间".into(),
            ..hygiene.clone()
        },
        false,
    )
    .unwrap();
    let default_id = repo::default_category(db).unwrap();
    assert!(repo::category_exists(db, noise.id).unwrap());
    let old = Category {
        id: 0,
        code: None,
        name: "旧分类".into(),
    };
    repo::save_category(db, &old, false).unwrap();
    let old = repo::list_categories(db)
        .unwrap()
        .into_iter()
        .find(|c| c.name == "旧分类")
        .unwrap();
    repo::save_category(db, &old, true).unwrap();
    assert!(!repo::category_exists(db, old.id).unwrap(), "archived");
    let missing = repo::save_category(
        db,
        &Category {
            id: old.id + 1000,
            ..old.clone()
        },
        false,
    )
    .unwrap_err();
    assert_eq!(missing.kind(), "not_found");
    let categories = repo::list_categories(db).unwrap();
    let default_category = categories
        .iter()
        .find(|c| c.id == default_id)
        .expect("the default is listed")
        .clone();

    // Serial numbers: per year, in order, never twice.
    let serials: Vec<String> = [2026, 2026, 2025, 2026, 2026]
        .into_iter()
        .map(|year| repo::next_serial(db, year).unwrap())
        .collect();

    let slow = (ts("2026-12-07 09:00"), ts("2026-12-10 18:00"));
    let wifi = (ts("2026-12-07 10:00"), ts("2026-12-12 18:00"));
    let screen = (ts("2026-12-07 11:00"), ts("2026-12-14 18:00"));
    let again = (ts("2026-12-07 12:00"), ts("2026-12-15 18:00"));
    let a = repo::insert_complaint(
        db,
        &NewComplaint {
            claim_kind: Some(ClaimKind::Compensation),
            claim_amount_cents: Some(8850),
            claim_text: "退一道菜",
            ..new_complaint(
                &serials[0],
                wu,
                default_id,
                Severity::High,
                "上菜太慢,等了四十分钟",
                "周六晚上 7 点,靠窗 3 号桌",
                &slow,
            )
        },
        NOW,
    )
    .unwrap();
    let b = repo::insert_complaint(
        db,
        &new_complaint(
            &serials[1],
            alice,
            noise.id,
            Severity::Normal,
            "Wi-Fi password wrong",
            "100% sure it was table_5",
            &wifi,
        ),
        NOW,
    )
    .unwrap();
    let c = repo::insert_complaint(
        db,
        &new_complaint(
            &serials[3],
            alice,
            default_id,
            Severity::Low,
            "ÉCRAN cassé",
            "",
            &screen,
        ),
        NOW,
    )
    .unwrap();
    let d = repo::insert_complaint(
        db,
        &new_complaint(&serials[4], wu, default_id, Severity::Normal, "又是上菜慢", "", &again),
        NOW,
    )
    .unwrap();
    let taken = repo::insert_complaint(
        db,
        &new_complaint(&serials[0], wu, default_id, Severity::Low, "同号", "", &again),
        NOW,
    )
    .unwrap_err();
    assert!(taken.is_constraint(), "a serial is never given twice: {taken}");
    for (id, serial) in [(a, &serials[0]), (b, &serials[1]), (c, &serials[3]), (d, &serials[4])] {
        repo::add_log(db, id, NOW, "小王", "registered", serial).unwrap();
    }

    // Workflow: A answered (its resolution deadline runs), B waiting on the customer
    // (paused), C resolved and closed, D a duplicate of A.
    let update = |id: i64, state: ComplaintState, due: &(String, String), next: Option<&str>, dup: Option<i64>| {
        repo::update_workflow(
            db,
            id,
            &WorkflowUpdate {
                state,
                handler: "小李",
                severity: Severity::High,
                response_due: Some(&due.0),
                resolution_due: Some(&due.1),
                next_due: next,
                first_response_at: Some(NOW),
                paused_since: (state == ComplaintState::Waiting).then_some(NOW),
                paused_minutes: 45,
                duplicate_of: dup,
            },
            NOW,
        )
        .unwrap();
    };
    update(a, ComplaintState::InProgress, &slow, Some(&slow.1), None);
    update(b, ComplaintState::Waiting, &wifi, Some(repo::PAUSED), None);
    update(c, ComplaintState::Resolved, &screen, None, None);
    update(d, ComplaintState::Duplicate, &again, None, Some(a));
    assert_eq!(repo::paused_minutes(db, b).unwrap(), 45);
    repo::add_log(db, b, NOW, "小李", "waiting", "等客户回电").unwrap();
    repo::set_resolution(
        db,
        c,
        &Resolution {
            resolution: "换了新屏",
            remedy_kind: Some(ClaimKind::Repair),
            remedy_amount_cents: Some(0),
            root_cause_category: "设备",
            root_cause: "老化",
            corrective_action: "每月检查",
        },
        NOW,
    )
    .unwrap();
    repo::set_closed(db, c, Some(4), Some(true), None, NOW).unwrap();
    update(c, ComplaintState::Closed, &screen, None, None);

    // Escalation only goes up; a breach keeps the moment it first happened.
    repo::set_escalation(db, a, Some(&slow.0), None, 2).unwrap();
    repo::set_escalation(db, a, Some("2026-12-09T00:00:00.000Z"), Some(&slow.1), 1).unwrap();

    let running: Vec<_> = repo::list_running_deadlines(db, "2026-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z")
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r.customer_name, r.serial, r.next_due, r.handler))
        .collect();
    assert_eq!(
        repo::get_running_deadline(db, a).unwrap().map(|r| r.next_due),
        Some(slow.1.clone())
    );
    let paused_running = repo::get_running_deadline(db, b).unwrap().is_some();
    let overdue = repo::list_overdue_ids(db, &ts("2026-12-11 09:00")).unwrap();

    let queries: Vec<(&'static str, ComplaintQuery, usize)> = vec![
        ("open", ComplaintQuery::default(), 50),
        (
            "open, one per page, second page",
            ComplaintQuery {
                offset: 1,
                ..Default::default()
            },
            1,
        ),
        (
            "all",
            ComplaintQuery {
                state: "all".into(),
                ..Default::default()
            },
            50,
        ),
        (
            "closed",
            ComplaintQuery {
                state: "closed".into(),
                ..Default::default()
            },
            50,
        ),
        (
            "high",
            ComplaintQuery {
                state: "all".into(),
                severity: Some(Severity::High),
                ..Default::default()
            },
            50,
        ),
        (
            "noise",
            ComplaintQuery {
                state: "all".into(),
                category_id: Some(noise.id),
                ..Default::default()
            },
            50,
        ),
        (
            "alice's",
            ComplaintQuery {
                state: "all".into(),
                customer_id: Some(alice),
                ..Default::default()
            },
            50,
        ),
        (
            "overdue",
            ComplaintQuery {
                overdue: true,
                ..Default::default()
            },
            50,
        ),
        (
            "escalated",
            ComplaintQuery {
                min_escalation: Some(2),
                ..Default::default()
            },
            50,
        ),
        (
            "wi-fi",
            ComplaintQuery {
                q: " wi-fi ".into(),
                state: "all".into(),
                ..Default::default()
            },
            50,
        ),
        (
            "ALICE",
            ComplaintQuery {
                q: "ALICE".into(),
                state: "all".into(),
                ..Default::default()
            },
            50,
        ),
        (
            "serial",
            ComplaintQuery {
                q: "ts-2026-000002".into(),
                state: "all".into(),
                ..Default::default()
            },
            50,
        ),
        (
            "100%",
            ComplaintQuery {
                q: "100%".into(),
                state: "all".into(),
                ..Default::default()
            },
            50,
        ),
        (
            "e_5",
            ComplaintQuery {
                q: "e_5".into(),
                state: "all".into(),
                ..Default::default()
            },
            50,
        ),
        (
            "上菜",
            ComplaintQuery {
                q: "上菜".into(),
                state: "all".into(),
                ..Default::default()
            },
            50,
        ),
        (
            "ÉCRAN",
            ComplaintQuery {
                q: "ÉCRAN".into(),
                state: "all".into(),
                ..Default::default()
            },
            50,
        ),
        (
            "écran",
            ComplaintQuery {
                q: "écran".into(),
                state: "all".into(),
                ..Default::default()
            },
            50,
        ),
        (
            "cassé",
            ComplaintQuery {
                q: "CASSÉ".into(),
                state: "all".into(),
                ..Default::default()
            },
            50,
        ),
        (
            "nothing",
            ComplaintQuery {
                q: "%".into(),
                state: "rejected".into(),
                ..Default::default()
            },
            50,
        ),
    ];
    let lists = queries
        .into_iter()
        .map(|(name, q, limit)| {
            let (total, items) = repo::list_complaints(db, &q, now(), limit).unwrap();
            (name, total, items.into_iter().map(|c| c.serial).collect())
        })
        .collect();

    let complaints: Vec<Complaint> = [a, b, c, d]
        .into_iter()
        .map(|id| repo::get_complaint(db, id, now()).unwrap())
        .collect();
    assert_eq!(
        repo::get_complaint(db, d + 1000, now()).unwrap_err().kind(),
        "not_found"
    );
    let mut log = repo::list_log(db, a).unwrap();
    log.extend(repo::list_log(db, b).unwrap());
    let for_customer = repo::list_for_customer(db, alice, now())
        .unwrap()
        .into_iter()
        .map(|c| c.serial)
        .collect();
    let open_for_customer = repo::count_open_for_customer(db, wu).unwrap();
    let found = repo::find_by_serial(db, &format!(" {} ", serials[1].to_lowercase())).unwrap();
    assert_eq!(repo::find_by_serial(db, "TS-1999-000001").unwrap(), None);

    let mut exported = Vec::new();
    repo::for_each_complaint(db, now(), |c, phone| {
        exported.push((c.serial, phone));
        Ok(())
    })
    .unwrap();
    let mut exported_log = Vec::new();
    repo::for_each_log_entry(db, |serial, e| {
        exported_log.push((serial, e.kind));
        Ok(())
    })
    .unwrap();
    Seen {
        serials,
        default_category,
        categories,
        complaints,
        log,
        running,
        paused_running,
        overdue,
        lists,
        for_customer,
        open_for_customer,
        found,
        exported,
        exported_log,
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_complaint_is_kept_alike_on_the_desk_file_and_the_server() {
    let pg = TempDatabase::new();
    let (on_desk, on_server) = on_both_stores(&pg, complaint_story);

    assert_eq!(on_server, on_desk);
    let seen = on_server;
    assert_eq!(
        seen.serials,
        [
            "TS-2026-000001",
            "TS-2026-000002",
            "TS-2025-000001",
            "TS-2026-000003",
            "TS-2026-000004"
        ]
    );
    assert_eq!(seen.default_category.code.as_deref(), Some("other"));
    assert!(seen.categories.iter().any(|c| c.name == "噪音" && c.code.is_none()));
    assert!(seen.categories.iter().any(|c| c.name == "卫生间" && c.code.is_none()));
    assert!(!seen.categories.iter().any(|c| c.name == "旧分类"), "archived");

    let [a, b, c, d] = &seen.complaints[..] else {
        panic!("four complaints")
    };
    assert_eq!((a.customer_name.as_str(), a.claim_amount_cents), ("吴先生", Some(8850)));
    assert_eq!(a.claim_kind, Some(ClaimKind::Compensation));
    assert_eq!(a.escalation_level, 2, "escalation never goes down");
    assert_eq!(
        a.response_breached_at,
        Some(ts("2026-12-07 09:00")),
        "the first breach is kept"
    );
    assert_eq!(a.resolution_breached_at, Some(ts("2026-12-10 18:00")));
    assert!(a.minutes_left.is_some_and(|m| m > 0), "{:?}", a.minutes_left);
    assert_eq!((b.state, b.minutes_left), (ComplaintState::Waiting, None), "paused");
    assert_eq!(c.state, ComplaintState::Closed);
    assert_eq!((c.satisfaction, c.accepted), (Some(4), Some(true)));
    assert_eq!(c.remedy_kind, Some(ClaimKind::Repair));
    assert_eq!(c.resolution, "换了新屏");
    assert_eq!(d.duplicate_of.as_deref(), Some("TS-2026-000001"));

    assert_eq!(seen.log.len(), 3);
    assert_eq!(seen.log[2].detail, "等客户回电");
    assert_eq!(seen.running.len(), 1, "A runs; B is paused, C and D are done");
    assert_eq!(seen.running[0].0, a.id);
    assert!(!seen.paused_running);
    assert_eq!(
        seen.overdue,
        vec![a.id],
        "A is past its resolution deadline; A is escalated below 3"
    );

    let list = |name: &str| {
        seen.lists
            .iter()
            .find(|(n, ..)| *n == name)
            .map(|(_, total, serials)| (*total, serials.iter().map(String::as_str).collect::<Vec<_>>()))
            .unwrap()
    };
    assert_eq!(
        list("open"),
        (2, vec!["TS-2026-000001", "TS-2026-000002"]),
        "paused last"
    );
    assert_eq!(list("open, one per page, second page"), (2, vec!["TS-2026-000002"]));
    assert_eq!(list("all").0, 4);
    assert_eq!(list("all").1[0], "TS-2026-000004", "newest first");
    assert_eq!(list("closed"), (1, vec!["TS-2026-000003"]));
    assert_eq!(list("high").0, 4, "every workflow update above set high");
    assert_eq!(list("noise"), (1, vec!["TS-2026-000002"]));
    assert_eq!(list("alice's").0, 2);
    assert_eq!(list("overdue"), (0, vec![]), "nothing is overdue at the story's now");
    assert_eq!(list("escalated"), (1, vec!["TS-2026-000001"]));
    assert_eq!(
        list("wi-fi"),
        (1, vec!["TS-2026-000002"]),
        "Latin letters in either case"
    );
    assert_eq!(list("ALICE").0, 2, "the customer's name, in either case");
    assert_eq!(list("serial"), (1, vec!["TS-2026-000002"]));
    assert_eq!(
        list("100%"),
        (1, vec!["TS-2026-000002"]),
        "% is a character, not a wildcard"
    );
    assert_eq!(list("e_5"), (1, vec!["TS-2026-000002"]), "_ is a character too");
    assert_eq!(list("上菜").0, 2);
    assert_eq!(list("ÉCRAN"), (1, vec!["TS-2026-000003"]));
    assert_eq!(list("écran").0, 0, "letters beyond A-Z match as typed, as on the desk");
    assert_eq!(list("cassé").0, 0);
    assert_eq!(list("nothing").0, 0);

    assert_eq!(
        seen.for_customer,
        vec!["TS-2026-000002", "TS-2026-000003"],
        "open first"
    );
    assert_eq!(seen.open_for_customer, 1, "A is open, D is a duplicate");
    assert_eq!(seen.found, Some(b.id));
    assert_eq!(
        seen.exported,
        vec![
            ("TS-2026-000001".to_string(), "139 0000 1111".to_string()),
            ("TS-2026-000002".to_string(), String::new()),
            ("TS-2026-000003".to_string(), String::new()),
            ("TS-2026-000004".to_string(), "139 0000 1111".to_string()),
        ],
        "oldest received first, with the first phone"
    );
    assert_eq!(seen.exported_log.len(), 5);
    assert_eq!(
        seen.exported_log[1],
        ("TS-2026-000002".to_string(), "registered".to_string())
    );
}

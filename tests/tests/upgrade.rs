//! Upgrades: a database left by each earlier schema version, built with plain SQLite from
//! the first N migration files and filled as that version of FrontDesk filled it, opens in
//! this build with every row still there, readable through the app, at the latest schema.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, Connection};

use frontdesk::complaints::{ComplaintInput, ComplaintState};
use frontdesk::customers::search;
use frontdesk::customers::{Calendar, DateKind, ListQuery, PreferenceKind, Tier};
use frontdesk::reminders::{CenterQuery, ReminderKind, ReminderState};
use frontdesk::visits::{Purpose, VisitState};
use frontdesk::App;

/// The shipped migrations, read from the source tree.
const MIGRATIONS: &[&str] = &[
    include_str!("../../src-tauri/src/store/migrations/0001_customers.sql"),
    include_str!("../../src-tauri/src/store/migrations/0002_visits.sql"),
    include_str!("../../src-tauri/src/store/migrations/0003_complaints.sql"),
    include_str!("../../src-tauri/src/store/migrations/0004_reminders.sql"),
    include_str!("../../src-tauri/src/store/migrations/0005_audit.sql"),
    include_str!("../../src-tauri/src/store/migrations/0006_imports.sql"),
    include_str!("../../src-tauri/src/store/migrations/0007_churn.sql"),
    include_str!("../../src-tauri/src/store/migrations/0008_review.sql"),
    include_str!("../../src-tauri/src/store/migrations/0009_review_speed.sql"),
    include_str!("../../src-tauri/src/store/migrations/0010_arrivals.sql"),
    // An index only (the deadline sweep's): no tables to fill.
    include_str!("../../src-tauri/src/store/migrations/0011_complaint_sweep.sql"),
    // A column with its default (the desk a change came from): nothing to fill.
    include_str!("../../src-tauri/src/store/migrations/0012_audit_desk.sql"),
];

const T0: &str = "2026-03-02T02:15:00.000Z";
const T1: &str = "2026-03-09T06:40:12.345Z";
const T2: &str = "2026-04-01T01:05:00.000Z";

#[test]
fn this_test_knows_every_shipped_migration() {
    assert_eq!(
        MIGRATIONS.len() as i64,
        frontdesk::store::supported_version(),
        "a new migration: add it to MIGRATIONS and fill its tables below"
    );
    for (i, (ours, shipped)) in MIGRATIONS.iter().zip(frontdesk::store::MIGRATION_SQL).enumerate() {
        assert_eq!(ours, shipped, "migration {} differs from the source file", i + 1);
    }
}

/// A database at exactly `version`: the first `version` migrations, stamped as
/// `rusqlite_migration` stamps them.
fn database_at(path: &Path, version: usize) -> Connection {
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "foreign_keys", "ON").unwrap();
    for sql in &MIGRATIONS[..version] {
        c.execute_batch(sql).unwrap();
    }
    c.pragma_update(None, "user_version", version as i64).unwrap();
    c
}

struct Person {
    name: &'static str,
    phones: &'static [&'static str],
    company: &'static str,
    tier: &'static str,
    tags: &'static [&'static str],
    notes: &'static str,
    preferences: &'static str,
    archived_at: Option<&'static str>,
}

const PEOPLE: &[Person] = &[
    Person {
        name: "欧阳晓梅",
        phones: &["186 5550 7321", "+86 10 6552 9988"],
        company: "红灯笼酒店",
        tier: "vip",
        tags: &["会员", "VIP"],
        notes: "总是要靠窗的位置",
        preferences: r#"[{"kind":"food","text":"不吃蒜"},{"kind":"seating","text":"靠窗"}]"#,
        archived_at: None,
    },
    Person {
        name: "单雄信",
        phones: &["138-0013-8000"],
        company: "",
        tier: "regular",
        tags: &[],
        notes: "",
        preferences: r#"[{"kind":"allergy","text":"花生过敏"}]"#,
        archived_at: Some(T2),
    },
    Person {
        name: "Anna Müller",
        phones: &[],
        company: "Acme GmbH",
        tier: "small",
        tags: &["Wedding"],
        notes: "speaks German and English",
        preferences: "[]",
        archived_at: None,
    },
];

/// Fill the tables that exist at `version` as FrontDesk at that version wrote them.
/// Returns the ids: customers, visits, complaints.
fn fill(c: &Connection, version: usize) -> (Vec<i64>, Vec<i64>, Vec<i64>) {
    let mut customers = Vec::new();
    for p in PEOPLE {
        let phones: Vec<String> = p.phones.iter().map(|s| s.to_string()).collect();
        let tags: Vec<String> = p.tags.iter().map(|s| s.to_string()).collect();
        c.execute(
            "INSERT INTO customers (name, phones, email, company, source, first_contact, tier, tags, notes,
                preferences, search_text, search_other, name_key, archived_at, created_at, updated_at)
             VALUES (?1, ?2, '', ?3, 'walk_in', '小李', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                p.name,
                serde_json::to_string(&phones).unwrap(),
                p.company,
                p.tier,
                serde_json::to_string(&tags).unwrap(),
                p.notes,
                p.preferences,
                search::search_text(p.name),
                search::search_other(&phones, p.company, &tags, p.notes, "", ""),
                search::name_key(p.name),
                p.archived_at,
                T0,
                T1,
            ],
        )
        .unwrap();
        let id = c.last_insert_rowid();
        customers.push(id);
        c.execute(
            "INSERT INTO customer_events (customer_id, at, kind, detail) VALUES (?1, ?2, 'created', '')",
            params![id, T0],
        )
        .unwrap();
        if p.archived_at.is_some() {
            c.execute(
                "INSERT INTO customer_events (customer_id, at, kind, detail) VALUES (?1, ?2, 'archived', '')",
                params![id, T2],
            )
            .unwrap();
        }
    }
    c.execute_batch(&format!(
        "INSERT INTO special_dates (customer_id, kind, calendar, year, month, day, leap_month)
             VALUES ({0}, 'birthday', 'lunar', 1985, 8, 15, 0), ({0}, 'anniversary', 'gregorian', 2010, 5, 20, 0),
                    ({1}, 'birthday', 'gregorian', NULL, 2, 29, 0);
         INSERT INTO settings (key, value) VALUES ('language', 'zh-CN'), ('staff', '[\"小李\",\"王经理\"]');",
        customers[0], customers[2]
    ))
    .unwrap();

    let mut visits = Vec::new();
    if version >= 2 {
        // A reached visit with its log, and the next one planned.
        c.execute(
            "INSERT INTO visits (customer_id, channel, purpose, due_date, due_time, due_at, outline, staff, state,
                attempts, reached, outcome_notes, satisfaction, next_step, completed_at, created_at, updated_at)
             VALUES (?1, 'phone', 'satisfaction', '2026-03-10', '15:30', '2026-03-10T07:30:00.000Z', '包间满意吗?', '小李',
                'done', 1, 1, '很满意', 4, '下月问候', ?2, ?3, ?2)",
            params![customers[0], T1, T0],
        )
        .unwrap();
        visits.push(c.last_insert_rowid());
        c.execute(
            "INSERT INTO visits (customer_id, channel, purpose, due_date, outline, staff, previous_id, created_at, updated_at)
             VALUES (?1, 'wechat', 'keep_in_touch', '2026-04-10', '', '小李', ?2, ?3, ?3)",
            params![customers[0], visits[0], T1],
        )
        .unwrap();
        visits.push(c.last_insert_rowid());
        for (v, at, kind, detail) in [
            (visits[0], T0, "planned", ""),
            (visits[0], T0, "not_reached", "没人接"),
            (visits[0], T1, "done", r#"{"reached":true,"satisfaction":4}"#),
            (visits[1], T1, "planned", ""),
        ] {
            c.execute(
                "INSERT INTO visit_log (visit_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
                params![v, at, kind, detail],
            )
            .unwrap();
        }
        c.execute(
            "UPDATE customers SET last_contact_date = '2026-03-10', cadence_ideal_days = 20, cadence_max_days = 40
             WHERE id = ?1",
            [customers[0]],
        )
        .unwrap();
    }

    let mut complaints = Vec::new();
    if version >= 3 {
        let category: i64 = c
            .query_row("SELECT id FROM complaint_categories WHERE code = 'hygiene'", [], |r| {
                r.get(0)
            })
            .unwrap();
        // One closed with a return visit, one still in progress.
        c.execute(
            "INSERT INTO complaints (serial, customer_id, channel, received_at, category_id, severity, summary, details,
                claim_kind, claim_amount_cents, state, is_open, handler, response_due, resolution_due, next_due,
                first_response_at, resolution, remedy_kind, remedy_amount_cents, root_cause, resolved_at, closed_at,
                satisfaction, accepted, return_visit_id, created_at, updated_at)
             VALUES ('TS-2026-000001', ?1, 'in_person', ?2, ?3, 'high', '桌布不干净', '午餐时发现', 'apology', NULL,
                'closed', 0, '王经理', '2026-03-02T06:15:00.000Z', '2026-03-05T06:15:00.000Z', NULL, ?2,
                '换桌并道歉', 'compensation', 8850, '清洁流程漏项', ?4, ?4, 5, 1, ?5, ?2, ?4)",
            params![customers[0], T0, category, T1, visits.first().copied()],
        )
        .unwrap();
        complaints.push(c.last_insert_rowid());
        c.execute(
            "INSERT INTO complaints (serial, customer_id, channel, received_at, category_id, severity, summary,
                state, is_open, handler, response_due, resolution_due, next_due, first_response_at, escalation_level,
                created_at, updated_at)
             VALUES ('TS-2026-000002', ?1, 'phone', ?2, ?3, 'normal', '账单多收了一份', 'in_progress', 1, '小李',
                '2026-04-02T01:05:00.000Z', '2026-04-10T01:05:00.000Z', '2026-04-10T01:05:00.000Z', ?2, 0, ?2, ?2)",
            params![customers[2], T2, category],
        )
        .unwrap();
        complaints.push(c.last_insert_rowid());
        c.execute("INSERT INTO complaint_serials (year, last) VALUES (2026, 2)", [])
            .unwrap();
        for (id, at, staff, kind, detail) in [
            (complaints[0], T0, "小李", "registered", "TS-2026-000001"),
            (
                complaints[0],
                T1,
                "王经理",
                "resolved",
                r#"{"resolution":"换桌并道歉"}"#,
            ),
            (complaints[0], T1, "王经理", "closed", r#"{"satisfaction":5}"#),
            (complaints[1], T2, "小李", "registered", "TS-2026-000002"),
            (complaints[1], T2, "小李", "note", "已联系财务"),
        ] {
            c.execute(
                "INSERT INTO complaint_log (complaint_id, at, staff, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, at, staff, kind, detail],
            )
            .unwrap();
        }
    }

    if version >= 4 {
        c.execute(
            "INSERT INTO manual_reminders (customer_id, text, due_at, staff, created_at, updated_at)
             VALUES (?1, '回电确认包间', '2026-04-01T02:00:00.000Z', '小李', ?2, ?2)",
            params![customers[0], T1],
        )
        .unwrap();
        let manual = c.last_insert_rowid();
        for (kind, key, source, state, args) in [
            (
                "manual",
                format!("manual:{manual}:2026-04-01T02:00:00.000Z"),
                manual,
                "fired",
                r#"{"name":"欧阳晓梅","text":"回电确认包间"}"#.to_string(),
            ),
            (
                "visit",
                format!("visit:{}:2026-04-10:", visits[1]),
                visits[1],
                "pending",
                r#"{"name":"欧阳晓梅","purpose":"keep_in_touch","time":"","date":"2026-04-10"}"#.to_string(),
            ),
        ] {
            c.execute(
                "INSERT INTO reminders (kind, key, customer_id, source_id, due_at, wake_at, state, args, staff,
                    created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, '2026-04-01T02:00:00.000Z', '2026-04-01T02:00:00.000Z', ?5, ?6, '小李', ?7, ?7)",
                params![kind, key, customers[0], source, state, args, T1],
            )
            .unwrap();
        }
    }
    if version >= 6 {
        c.execute(
            "INSERT INTO import_batches (at, staff, file, headers, mapping, duplicates, created, change_id)
             VALUES (?1, '小李', '会员.csv', '[\"姓名\"]', '[\"name\"]', 'skip', 1, 0)",
            params![T1],
        )
        .unwrap();
        let batch = c.last_insert_rowid();
        c.execute(
            "INSERT INTO import_items (batch_id, customer_id, action) VALUES (?1, ?2, 'created')",
            params![batch, customers[1]],
        )
        .unwrap();
    }
    if version >= 7 {
        c.execute(
            "INSERT INTO churn (customer_id, lost_on, type, reason_id, note, staff, created_at, updated_at)
             VALUES (?1, '2026-03-20', 'competitor', (SELECT id FROM churn_reasons WHERE code = 'price'), '', '小李', ?2, ?2)",
            params![customers[2], T1],
        )
        .unwrap();
    }
    if version >= 10 {
        c.execute(
            "INSERT INTO bookings (customer_id, start_date, start_time, start_at, party, resource, notes, state,
                arrived_at, created_at, updated_at)
             VALUES (?1, '2026-03-05', '12:00', '2026-03-05T04:00:00.000Z', 2, 'Table 5', '要了包间', 'arrived', ?2, ?2, ?2)",
            params![customers[2], T1],
        )
        .unwrap();
    }
    (customers, visits, complaints)
}

/// Every row of every table, by table, with the columns the table had before the upgrade.
fn snapshot(c: &Connection, columns: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    columns
        .iter()
        .map(|(table, cols)| {
            let list = cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
            let mut stmt = c.prepare(&format!("SELECT {list} FROM \"{table}\"")).unwrap();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    (0..cols.len())
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<rusqlite::Result<Vec<Value>>>()
                })
                .unwrap()
                .map(|r| format!("{:?}", r.unwrap()))
                .collect();
            rows.sort();
            (table.clone(), rows)
        })
        .collect()
}

fn columns(c: &Connection) -> BTreeMap<String, Vec<String>> {
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let cols: Vec<String> = c
                .prepare(&format!("SELECT name FROM pragma_table_info('{t}') ORDER BY cid"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            (t, cols)
        })
        .collect()
}

fn schema(c: &Connection) -> Vec<(String, String)> {
    c.prepare("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The schema a new database gets from this build.
fn latest_schema() -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    drop(App::open(dir.path()).unwrap());
    schema(&Connection::open(dir.path().join(frontdesk::store::DB_FILE)).unwrap())
}

/// Open a database left at `version` and check it through the app.
fn upgrade_from(version: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(frontdesk::store::DB_FILE);
    let (customers, visits, complaints, cols, before) = {
        let c = database_at(&path, version);
        let (customers, visits, complaints) = fill(&c, version);
        let cols = columns(&c);
        let before = snapshot(&c, &cols);
        (customers, visits, complaints, cols, before)
    };

    let app = App::open(dir.path()).unwrap_or_else(|e| panic!("open a version {version} database: {e}"));
    let latest = frontdesk::store::supported_version();
    assert_eq!(app.status().unwrap().schema_version, latest, "from version {version}");

    // The old database was kept, checked, before the migration touched it.
    let latest_i64 = latest;
    if (version as i64) < latest_i64 {
        let snaps = app.backups().unwrap();
        assert_eq!(
            snaps.len(),
            1,
            "one snapshot before migrating from {version}: {snaps:?}"
        );
        assert_eq!(snaps[0].kind.as_str(), "pre-migration");
        assert_eq!(snaps[0].schema_version, version as i64);
        assert_eq!(snaps[0].customers, customers.len() as i64);
    }

    // Every row that was there is still there, unchanged, and the schema is the latest.
    {
        let c = Connection::open(&path).unwrap();
        let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, latest);
        let after = snapshot(&c, &cols);
        for (table, rows) in &before {
            let now = &after[table];
            let kept = rows.iter().filter(|r| now.contains(r)).count();
            assert_eq!(
                kept,
                rows.len(),
                "rows of {table} lost or changed upgrading from {version}"
            );
        }
        assert_eq!(schema(&c), latest_schema(), "schema after upgrading from {version}");
        // The review's day counts were made from the visits already there.
        let counted: i64 = c
            .query_row("SELECT coalesce(sum(n), 0) FROM review_visit_days", [], |r| r.get(0))
            .unwrap();
        let due: i64 = c
            .query_row(
                "SELECT count(*) FROM visits WHERE state IN ('planned', 'done')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(counted, due, "visits counted by day after upgrading from {version}");
        assert!(due > 0 || version < 2);
    }
    assert_eq!(app.status().unwrap().customers, PEOPLE.len());

    // Customers: every field, the preference card, special dates, the history, search.
    let today = NaiveDate::from_ymd_opt(2026, 4, 2).unwrap();
    let d = app.customer_detail(customers[0], today).unwrap();
    let c = &d.customer;
    assert_eq!(
        (c.name.as_str(), c.tier, c.company.as_str(), c.first_contact.as_str()),
        ("欧阳晓梅", Tier::Vip, "红灯笼酒店", "小李")
    );
    assert_eq!(c.phones, vec!["186 5550 7321", "+86 10 6552 9988"]);
    assert_eq!(c.tags, vec!["会员", "VIP"]);
    assert_eq!(
        c.preferences
            .iter()
            .map(|p| (p.kind, p.text.as_str()))
            .collect::<Vec<_>>(),
        vec![(PreferenceKind::Food, "不吃蒜"), (PreferenceKind::Seating, "靠窗")]
    );
    let birthday = c.birthday.expect("the lunar birthday");
    assert_eq!(
        (birthday.calendar, birthday.year, birthday.month, birthday.day),
        (Calendar::Lunar, Some(1985), 8, 15)
    );
    assert_eq!(c.anniversary.map(|a| (a.month, a.day)), Some((5, 20)));
    assert_eq!(d.occasions.len(), 2);
    assert!(d
        .occasions
        .iter()
        .any(|o| o.kind == DateKind::Birthday && o.this_year.as_deref() == Some("2026-09-25")));
    assert_eq!(
        d.history.iter().map(|h| h.kind.as_str()).collect::<Vec<_>>(),
        vec!["created"]
    );
    assert_eq!((c.created_at.as_str(), c.updated_at.as_str()), (T0, T1));

    let gone = app.customer_detail(customers[1], today).unwrap();
    assert_eq!(gone.customer.archived_at.as_deref(), Some(T2));
    assert_eq!(gone.customer.preferences[0].text, "花生过敏");
    assert_eq!(
        gone.history.iter().map(|h| h.kind.as_str()).collect::<Vec<_>>(),
        vec!["archived", "created"]
    );
    let anna = app.customer_detail(customers[2], today).unwrap();
    assert_eq!(anna.customer.birthday.map(|b| (b.month, b.day)), Some((2, 29)));

    let find = |q: &str, archived: bool| -> Vec<i64> {
        app.list_customers(&ListQuery {
            q: q.into(),
            archived,
            ..Default::default()
        })
        .unwrap()
        .items
        .into_iter()
        .map(|s| s.id)
        .collect()
    };
    for q in ["晓梅", "oyxm", "55507321", "靠窗", "红灯笼"] {
        assert_eq!(find(q, false), vec![customers[0]], "{q}");
    }
    assert_eq!(find("müller", false), vec![customers[2]]);
    assert_eq!(find("xiongxin", true), vec![customers[1]]);
    assert!(find("单雄信", false).is_empty(), "archived stays archived");
    assert_eq!(app.staff().unwrap(), vec!["小李", "王经理"]);
    assert_eq!(app.language().unwrap(), "zh-CN");

    // Visits and their log.
    let vs = app.customer_visits(customers[0]).unwrap();
    assert_eq!(vs.len(), visits.len(), "from version {version}");
    assert_eq!(d.visits.len(), visits.len());
    if version >= 2 {
        let done = app.get_visit(visits[0]).unwrap();
        assert_eq!(
            (done.state, done.reached, done.satisfaction, done.attempts),
            (VisitState::Done, Some(true), Some(4), 1)
        );
        assert_eq!(
            (
                done.due_time.as_deref(),
                done.outcome_notes.as_str(),
                done.next_step.as_str()
            ),
            (Some("15:30"), "很满意", "下月问候")
        );
        let next = app.get_visit(visits[1]).unwrap();
        assert_eq!(
            (next.state, next.purpose, next.due_date.as_str()),
            (VisitState::Planned, Purpose::KeepInTouch, "2026-04-10")
        );
        assert_eq!(app.visit_log(visits[0]).unwrap().len(), 3);
        assert_eq!(c.last_contact_date.as_deref(), Some("2026-03-10"));
        assert_eq!((c.cadence_ideal_days, c.cadence_max_days), (Some(20), Some(40)));
    } else {
        assert_eq!(c.last_contact_date, None);
    }

    // Complaints and their handling log.
    let mine = app.customer_complaints(customers[0]).unwrap();
    assert_eq!(mine.len(), usize::from(version >= 3));
    assert_eq!(d.complaints.len(), usize::from(version >= 3));
    if version >= 3 {
        let closed = app.complaint_detail(complaints[0]).unwrap();
        let k = &closed.complaint;
        assert_eq!(
            (
                k.serial.as_str(),
                k.state,
                k.summary.as_str(),
                k.satisfaction,
                k.accepted
            ),
            (
                "TS-2026-000001",
                ComplaintState::Closed,
                "桌布不干净",
                Some(5),
                Some(true)
            )
        );
        assert_eq!(
            (k.remedy_amount_cents, k.return_visit_id, k.category.code.as_deref()),
            (Some(8850), Some(visits[0]), Some("hygiene"))
        );
        assert_eq!(
            closed.log.iter().map(|l| l.kind.as_str()).collect::<Vec<_>>(),
            vec!["registered", "resolved", "closed"]
        );
        let open = app.complaint_detail(complaints[1]).unwrap();
        assert_eq!(open.complaint.state, ComplaintState::InProgress);
        assert_eq!(open.complaint.customer_name, "Anna Müller");
        assert_eq!(open.log.len(), 2);
    }
    // Reminders.
    let center = app.reminder_center(&CenterQuery::default()).unwrap().items;
    if version >= 4 {
        let mut kinds: Vec<(ReminderKind, ReminderState)> = center.iter().map(|r| (r.kind, r.state)).collect();
        kinds.sort_by_key(|(k, _)| k.as_str());
        assert_eq!(
            kinds,
            vec![
                (ReminderKind::Manual, ReminderState::Fired),
                (ReminderKind::Visit, ReminderState::Pending)
            ]
        );
        assert!(center.iter().all(|r| r.customer_name.as_deref() == Some("欧阳晓梅")));
    } else {
        assert!(center.is_empty());
    }
    // The last import and the losses come through.
    let last = app.last_import().unwrap();
    assert_eq!(last.map(|b| b.file), (version >= 6).then(|| "会员.csv".to_string()));
    let lost = app.churn_register(&Default::default()).unwrap();
    assert_eq!(lost.total, usize::from(version >= 7));
    // The manager's figures read what the old version wrote.
    let year = app
        .dashboard(&frontdesk::review::ReviewQuery {
            preset: frontdesk::review::Preset::Custom,
            from: "2026-01-01".into(),
            to: "2026-12-31".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(year.churn.lost, usize::from(version >= 7));
    let came = app.customer_bookings(customers[2]).unwrap();
    assert_eq!(came.len(), usize::from(version >= 10));
    assert!(came.iter().all(|b| b.notes == "要了包间" && b.resource == "Table 5"));

    drop(app);

    // The audit trail starts with the upgrade: an edit now is recorded, field by field.
    {
        let app = App::open(dir.path()).unwrap();
        let mut input = app.customer_detail(customers[0], app.today()).unwrap().customer;
        input.notes = "升级后修改".into();
        let form = frontdesk::customers::CustomerInput {
            name: input.name.clone(),
            phones: input.phones.clone(),
            notes: input.notes.clone(),
            source: Some(input.source),
            tier: Some(input.tier),
            tags: input.tags.clone(),
            preferences: input.preferences.clone(),
            company: input.company.clone(),
            birthday: input.birthday,
            anniversary: input.anniversary,
            ..Default::default()
        };
        app.update_customer(customers[0], &form).unwrap();
        let trail = app
            .audit_log(&frontdesk::audit::AuditQuery {
                customer_id: Some(customers[0]),
                ..Default::default()
            })
            .unwrap();
        let notes: Vec<_> = trail
            .entries
            .iter()
            .filter(|e| e.field.as_deref() == Some("notes"))
            .collect();
        assert_eq!(
            notes.len(),
            1,
            "one notes change after upgrading from {version}: {trail:?}"
        );
        assert_eq!(notes[0].new_value, serde_json::json!("升级后修改"));
    }

    // Writing goes on where the old version stopped: the serial counter carries on.
    if version >= 3 {
        let app = App::open_with_clock(dir.path(), Box::new(|| frontdesk_tests::at("2026-04-02 10:00"))).unwrap();
        let next = app
            .register_complaint(&ComplaintInput {
                customer_id: Some(customers[2]),
                summary: "又多收了".into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(next.serial, "TS-2026-000003");
        assert_eq!(app.customer_complaints(customers[2]).unwrap().len(), 2);
    }

    // A customer from the old version can be booked, is on the board with their card, and
    // the preparation reminder joins the reminders the old version planned.
    {
        let app = App::open_with_clock(dir.path(), Box::new(|| frontdesk_tests::at("2026-04-02 10:00"))).unwrap();
        let b = app
            .book(&frontdesk::arrivals::BookingInput {
                customer_id: customers[0],
                date: "2026-04-02".into(),
                time: "19:00".into(),
                party: Some(4),
                ..Default::default()
            })
            .unwrap();
        let board = app.arrivals_board("2026-04-02").unwrap();
        assert_eq!(board.rows.len(), 1);
        assert_eq!(board.rows[0].booking.id, b.id);
        assert_eq!(board.rows[0].guest.preferences.len(), 2);
        app.plan_reminders().unwrap();
        let center = app.reminder_center(&CenterQuery::default()).unwrap().items;
        assert!(center.iter().any(|r| r.kind == ReminderKind::Arrival), "{center:?}");
    }
}

#[test]
fn a_version_1_database_upgrades() {
    upgrade_from(1);
}

#[test]
fn a_version_2_database_upgrades() {
    upgrade_from(2);
}

#[test]
fn a_version_3_database_upgrades() {
    upgrade_from(3);
}

#[test]
fn a_version_4_database_upgrades() {
    upgrade_from(4);
}

#[test]
fn a_version_5_database_upgrades() {
    upgrade_from(5);
}

#[test]
fn a_version_6_database_upgrades() {
    upgrade_from(6);
}

#[test]
fn a_version_7_database_upgrades() {
    upgrade_from(7);
}

#[test]
fn a_version_8_database_upgrades() {
    upgrade_from(8);
}

#[test]
fn a_version_9_database_upgrades() {
    upgrade_from(9);
}

/// The current version opens as it is (the same checks, nothing to migrate).
#[test]
fn a_current_database_opens_unchanged() {
    upgrade_from(10);
}

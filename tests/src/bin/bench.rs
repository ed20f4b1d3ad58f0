//! `cargo xtask bench`: seeds a temporary database with generated customers and prints one
//! `<figure> <value> <unit>` line per speed figure.

use std::time::{Duration, Instant};

use frontdesk::app::{ExportFormat, ExportKind, ExportRequest};
use frontdesk::complaints::{ComplaintInput, ComplaintQuery, Severity};
use frontdesk::customers::{ListQuery, SortBy};
use frontdesk::{seed, App};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn measure(app: &App, name: &str, queries: &[ListQuery]) {
    // Warm up once, then time every query several rounds.
    for q in queries {
        app.list_customers(q).expect("query");
    }
    let mut times = Vec::new();
    for _ in 0..5 {
        for q in queries {
            let t = Instant::now();
            let page = app.list_customers(q).expect("query");
            times.push(t.elapsed());
            std::hint::black_box(page);
        }
    }
    times.sort();
    println!("{name}_p50 {:.3} ms", percentile(&times, 0.50));
    println!("{name}_p95 {:.3} ms", percentile(&times, 0.95));
}

fn search(q: &str) -> ListQuery {
    ListQuery {
        q: q.into(),
        limit: Some(50),
        ..Default::default()
    }
}

fn main() {
    let mut n: usize = 100_000;
    let mut only_import = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--customers" {
            n = args.next().and_then(|v| v.parse().ok()).unwrap_or(n);
        }
        // `--only-import`: just the import figures, for working on the importer.
        if a == "--only-import" {
            only_import = true;
        }
    }
    if only_import {
        import_cost(&seed::customers(n, 42));
        return;
    }
    let only_dashboard = std::env::args().any(|a| a == "--only-dashboard");
    let only_arrivals = std::env::args().any(|a| a == "--only-arrivals");
    // FRONTDESK_BENCH_DIR keeps the seeded database for a look afterwards.
    let kept = std::env::var_os("FRONTDESK_BENCH_DIR").map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().expect("temp dir");
    let dir_path = kept.unwrap_or_else(|| temp.path().to_path_buf());
    let app = App::open(&dir_path).expect("open");

    let inputs = seed::customers(n, 42);
    let t = Instant::now();
    app.insert_customers(&inputs).expect("seed");
    println!("seed_customers {:.3} s", t.elapsed().as_secs_f64());
    println!("customers {n} count");

    let ids = app
        .list_customers(&ListQuery {
            sort: SortBy::Created,
            limit: Some(1),
            ..Default::default()
        })
        .expect("ids");
    let first_id = ids.items.first().map(|c| c.id).unwrap_or(1);
    if only_arrivals {
        seed_bookings(&app, first_id, n);
        arrivals_cost(&app);
        return;
    }

    // 300,000 visits (3 per customer): a third done over the past year, the rest planned
    // from 60 days ago to 60 days ahead.
    let today = chrono::Local::now().date_naive();
    let mut rng = seed::Rng::new(7);
    let visits: Vec<(i64, chrono::NaiveDate, bool)> = (0..n * 3)
        .map(|i| {
            let customer = first_id + (i % n) as i64;
            let done = i % 3 == 0;
            let offset = if done {
                -(rng.below(365) as i64) - 1
            } else {
                rng.below(121) as i64 - 60
            };
            (customer, today + chrono::TimeDelta::days(offset), done)
        })
        .collect();
    let t = Instant::now();
    app.insert_visits_bulk(&visits).expect("seed visits");
    println!("seed_visits {:.3} s", t.elapsed().as_secs_f64());
    println!("visits {} count", visits.len());

    // 50,000 complaints received over the past 60 days; two in three are closed.
    let severities = [
        Severity::Low,
        Severity::Normal,
        Severity::Normal,
        Severity::High,
        Severity::Urgent,
    ];
    let summaries = [
        "上菜太慢",
        "房间有异味",
        "账单多收了服务费",
        "服务员态度冷淡",
        "空调不制冷",
        "wrong dish served",
        "noisy room",
    ];
    let complaints: Vec<(ComplaintInput, bool)> = (0..n / 2)
        .map(|i| {
            let received =
                chrono::Local::now().naive_local() - chrono::TimeDelta::minutes(rng.below(60 * 24 * 60) as i64 + 10);
            let input = ComplaintInput {
                customer_id: Some(first_id + rng.below(n) as i64),
                // Spread over the seven built-in categories (ids 1-7).
                category_id: Some(1 + rng.below(7) as i64),
                severity: Some(severities[rng.below(severities.len())]),
                summary: summaries[i % summaries.len()].to_string(),
                received_at: received.format("%Y-%m-%d %H:%M").to_string(),
                ..Default::default()
            };
            (input, i % 3 != 0)
        })
        .collect();
    let t = Instant::now();
    app.insert_complaints_bulk(&complaints).expect("seed complaints");
    println!("seed_complaints {:.3} s", t.elapsed().as_secs_f64());
    println!("complaints {} count", complaints.len());

    seed_bookings(&app, first_id, n);
    if only_dashboard {
        dashboard_cost(&app);
        return;
    }

    // Every customer to one .xlsx, as the export dialog writes it (visits and complaints
    // are in the database, not in this file).
    let export_dir = tempfile::tempdir().expect("temp dir");
    let export = ExportRequest {
        path: export_dir.path().join("customers.xlsx").display().to_string(),
        format: ExportFormat::Xlsx,
        kinds: vec![ExportKind::Customers],
        customers: None,
        lang: "zh-CN".into(),
    };
    let t = Instant::now();
    let exported = app.export(&export).expect("export");
    println!(
        "export_xlsx_100k_customers {:.3} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(exported.counts[0].rows, n, "every customer exported");

    drop(app);
    // The check every start makes of an existing database (part of open_and_index).
    {
        let c = rusqlite::Connection::open(dir_path.join("frontdesk.db")).expect("open for quick_check");
        let t = Instant::now();
        let ok: String = c
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .expect("quick_check");
        assert_eq!(ok, "ok");
        println!("start_quick_check {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    }
    // What the desktop waits for before its first screen: the whole-file check runs after.
    let t = Instant::now();
    let (app, check) = App::open_checking_later(&dir_path).expect("reopen");
    println!("open_before_first_screen {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    drop(app);
    drop(check);
    let t = Instant::now();
    let app = App::open(&dir_path).expect("reopen");
    println!("open_and_index {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);

    // A checked backup of everything (copy, flush, integrity check, counts).
    let t = Instant::now();
    let b = app.backup_now().expect("backup");
    println!("backup_100k {:.3} s", t.elapsed().as_secs_f64());
    println!("backup_size {:.1} MB", b.size as f64 / 1_048_576.0);

    // The desk keeps saving while a backup of everything runs: how long a save takes then
    // (the backup reads from its own connection and never holds the write lock).
    let probe = app
        .create_customer(&frontdesk_tests::customer("备份时", &["13800000000"]))
        .expect("probe customer");
    let busy = std::sync::atomic::AtomicBool::new(true);
    let mut during: Vec<Duration> = std::thread::scope(|s| {
        s.spawn(|| {
            app.backup_now().expect("backup while saving");
            busy.store(false, std::sync::atomic::Ordering::SeqCst);
        });
        let mut times = Vec::new();
        let mut edit = frontdesk_tests::customer("备份时", &["13800000000"]);
        let mut n = 0;
        while busy.load(std::sync::atomic::Ordering::SeqCst) {
            edit.notes = format!("第 {n} 次");
            let t = Instant::now();
            app.update_customer(probe.id, &edit).expect("save while backing up");
            times.push(t.elapsed());
            n += 1;
        }
        times
    });
    during.sort();
    println!("customer_save_during_backup_p95 {:.3} ms", percentile(&during, 0.95));
    println!(
        "customer_save_during_backup_max {:.3} ms",
        during.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    );
    println!("saves_during_backup {} count", during.len());

    // Queries drawn from the data: two-character Chinese names, phone fragments,
    // pinyin initials, words from notes.
    let names: Vec<String> = inputs
        .iter()
        .filter(|c| c.name.chars().count() == 2 && !c.name.is_ascii())
        .take(20)
        .map(|c| c.name.clone())
        .collect();
    let phones: Vec<String> = inputs
        .iter()
        .filter_map(|c| c.phones.first())
        .map(|p| p.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|d| d.len() >= 8)
        .take(20)
        .map(|d| d[d.len() - 7..d.len() - 2].to_string())
        .collect();
    let initials: Vec<String> = ["zw", "wf", "lj", "cm", "ly", "zxm", "hj", "ws", "js", "em"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let notes: Vec<String> = [
        "靠窗",
        "过敏",
        "酸梅汤",
        "包间",
        "vegetarian",
        "invoice",
        "shellfish",
        "checkout",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();

    measure(
        &app,
        "search_chinese_name",
        &names.iter().map(|q| search(q)).collect::<Vec<_>>(),
    );
    measure(
        &app,
        "search_phone_fragment",
        &phones.iter().map(|q| search(q)).collect::<Vec<_>>(),
    );
    measure(
        &app,
        "search_pinyin_initials",
        &initials.iter().map(|q| search(q)).collect::<Vec<_>>(),
    );
    measure(
        &app,
        "search_notes_word",
        &notes.iter().map(|q| search(q)).collect::<Vec<_>>(),
    );
    let pages: Vec<ListQuery> = [SortBy::Name, SortBy::Created, SortBy::Updated]
        .iter()
        .flat_map(|s| {
            [0usize, 5_000, 50_000].map(|offset| ListQuery {
                sort: *s,
                offset,
                limit: Some(50),
                ..Default::default()
            })
        })
        .collect();
    measure(&app, "list_page", &pages);

    time_it("agenda", || {
        std::hint::black_box(app.agenda().expect("agenda"));
    });
    time_it("due_to_contact", || {
        std::hint::black_box(app.due_contacts(0, 50).expect("due"));
    });
    let t = Instant::now();
    let added = app.plan_reminders().expect("plan reminders");
    println!("plan_reminders {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    println!("reminders_planned {added} count");
    time_it("next_due_reminder", || {
        std::hint::black_box(app.next_reminder_wake().expect("next"));
    });
    time_it("reminder_center_page", || {
        std::hint::black_box(app.reminder_center(&Default::default()).expect("center"));
    });
    time_it("complaints_open_list", || {
        std::hint::black_box(app.list_complaints(&ComplaintQuery::default()).expect("complaints"));
    });
    time_it("complaints_overdue_list", || {
        std::hint::black_box(
            app.list_complaints(&ComplaintQuery {
                overdue: true,
                ..Default::default()
            })
            .expect("overdue"),
        );
    });
    dashboard_cost(&app);
    arrivals_cost(&app);
    let mut k = 0i64;
    time_it("complaint_log_one", || {
        k += 1;
        let input = ComplaintInput {
            customer_id: Some(first_id + k),
            severity: Some(Severity::Normal),
            summary: "bench: 上菜太慢".into(),
            ..Default::default()
        };
        std::hint::black_box(app.register_complaint(&input).expect("register"));
    });
    // One customer save (edit, event, index), durable when it returns.
    let mut edit = inputs[0].clone();
    let mut n = 0u32;
    time_it("customer_save", || {
        n += 1;
        edit.notes = format!("bench: 第 {n} 次修改");
        std::hint::black_box(app.update_customer(first_id, &edit).expect("save"));
    });
    audit_cost(&edit);
    sync_cost();
    server_cost(&dir_path.join(frontdesk::store::DB_FILE), first_id, &edit, &names);
    import_cost(&inputs);
}

/// The shared database: moving this desk (the whole seeded file) there and copying it back
/// to a new file ("Move this desk's data…", "Copy the shared database to this PC"); opening
/// a desk on it; a customer save there; a search (in memory, as on the desk's file); and how
/// long until another desk's search finds a saved change. Needs the throwaway server
/// `cargo xtask bench` starts.
fn server_cost(file: &std::path::Path, first_id: i64, edit: &frontdesk::customers::CustomerInput, names: &[String]) {
    if std::env::var_os(frontdesk_tests::server::SERVER_ENV).is_none() {
        eprintln!(
            "no PostgreSQL server ({}): no pg_ figures",
            frontdesk_tests::server::SERVER_ENV
        );
        return;
    }
    use frontdesk::store::server::{self, copy};
    let db = frontdesk_tests::server::TempDatabase::new();
    let mut client = server::connect(&db.settings("前台1")).expect("the bench server answers");
    let desk = rusqlite::Connection::open(file).expect("the seeded file");
    let t = Instant::now();
    let moved = copy::copy_to_server(&desk, &mut client).expect("move the desk to the server");
    println!("pg_move_desk_to_server {:.2} s", t.elapsed().as_secs_f64());
    println!(
        "pg_moved_rows {} count",
        moved.tables.iter().map(|t| t.rows).sum::<u64>()
    );
    drop(desk);
    let back = tempfile::tempdir().expect("temp dir");
    let t = Instant::now();
    copy::copy_from_server(&mut client, &back.path().join(frontdesk::store::DB_FILE)).expect("copy the server back");
    println!("pg_copy_server_to_desk {:.2} s", t.elapsed().as_secs_f64());
    drop(client);

    // A desk opening on the shared database: its schema checked, its index read.
    let home_a = tempfile::tempdir().expect("temp dir");
    let home_b = tempfile::tempdir().expect("temp dir");
    let t = Instant::now();
    let a = std::sync::Arc::new(App::open_server(home_a.path(), &db.settings("前台1")).expect("open desk A"));
    println!("pg_open_desk {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    println!("pg_open_desk_customers {} count", a.status().expect("status").customers);
    let b = std::sync::Arc::new(App::open_server(home_b.path(), &db.settings("礼宾台")).expect("open desk B"));
    App::follow_other_desks(&b).expect("desk B follows");

    measure(
        &a,
        "pg_search_chinese_name",
        &names.iter().map(|q| search(q)).collect::<Vec<_>>(),
    );
    let mut edit = edit.clone();
    let mut n = 0u32;
    // The name the issue gives it (the desk's own is `customer_save`, timed the same way above).
    time_it("pg_save_customer", || {
        n += 1;
        edit.notes = format!("bench: 共享库第 {n} 次修改");
        std::hint::black_box(a.update_customer(first_id, &edit).expect("save"));
    });

    // Desk A renames a customer; desk B's search finds the new name.
    let mut seen = Vec::new();
    for i in 0..30 {
        let name = format!("共享测试{i}号");
        edit.name = name.clone();
        let q = search(&name);
        let t = Instant::now();
        a.update_customer(first_id, &edit).expect("save at desk A");
        loop {
            let page = b.list_customers(&q).expect("search at desk B");
            if page.items.iter().any(|c| c.name == name) {
                break;
            }
            assert!(t.elapsed() < Duration::from_secs(10), "desk B never saw {name}");
            std::thread::sleep(Duration::from_micros(200));
        }
        seen.push(t.elapsed());
    }
    seen.sort();
    println!("pg_change_seen_by_other_desk_p50 {:.1} ms", percentile(&seen, 0.50));
    println!("pg_change_seen_by_other_desk_p95 {:.1} ms", percentile(&seen, 0.95));
}

/// The manager's dashboard, every section computed, for a month and a year; one drill-down
/// (the complaints of the biggest category in the year).
fn dashboard_cost(app: &App) {
    use frontdesk::review::{Drill, DrillKind, Preset, ReviewQuery};
    let query = |preset| ReviewQuery {
        preset,
        ..Default::default()
    };
    for (name, preset) in [("dashboard_month", Preset::Month), ("dashboard_year", Preset::Last12)] {
        time_it(name, || {
            std::hint::black_box(app.dashboard(&query(preset)).expect("dashboard"));
        });
    }
    let year = app.dashboard(&query(Preset::Last12)).expect("dashboard");
    let top = year.complaints.by_category[0].key.clone();
    let drill = Drill {
        query: query(Preset::Last12),
        kind: DrillKind::Complaints,
        by: "category".into(),
        key: top,
    };
    time_it("dashboard_drill_down", || {
        std::hint::black_box(app.review_drill(&drill).expect("drill"));
    });
}

/// 500,000 bookings (5 per customer at 100k): two years back and 60 days ahead, lunch and
/// dinner hours; past ones mostly arrived, some no-shows and cancellations.
fn seed_bookings(app: &App, first_id: i64, n: usize) {
    use frontdesk::arrivals::BookingState;
    let today = chrono::Local::now().date_naive();
    let mut rng = seed::Rng::new(11);
    let rows: Vec<(i64, chrono::NaiveDate, Option<u32>, BookingState)> = (0..n * 5)
        .map(|_| {
            let customer = first_id + rng.below(n) as i64;
            let offset = rng.below(790) as i64 - 730;
            let hour = [11, 12, 12, 13, 17, 18, 18, 19, 19, 20][rng.below(10)];
            let state = if offset >= 0 {
                BookingState::Booked
            } else {
                match rng.below(20) {
                    0 => BookingState::NoShow,
                    1 | 2 => BookingState::Cancelled,
                    _ => BookingState::Arrived,
                }
            };
            (customer, today + chrono::TimeDelta::days(offset), Some(hour), state)
        })
        .collect();
    let t = Instant::now();
    app.insert_bookings_bulk(&rows).expect("seed bookings");
    println!("seed_bookings {:.3} s", t.elapsed().as_secs_f64());
    println!("bookings {} count", rows.len());
}

/// The day's board (with every guest's card) over a fortnight around today, and the
/// manager's arrival figures for the last 12 months.
fn arrivals_cost(app: &App) {
    use frontdesk::review::{Preset, ReviewQuery};
    let today = chrono::Local::now().date_naive();
    let days: Vec<String> = (-7..7)
        .map(|d| (today + chrono::TimeDelta::days(d)).format("%Y-%m-%d").to_string())
        .collect();
    let rows = app.arrivals_board(&days[7]).expect("board").rows.len();
    println!("arrivals_day_rows {rows} count");
    let mut i = 0;
    time_it("arrivals_day_board", || {
        i += 1;
        std::hint::black_box(app.arrivals_board(&days[i % days.len()]).expect("board"));
    });
    let year = ReviewQuery {
        preset: Preset::Last12,
        ..Default::default()
    };
    // The first call reads every arrival into memory; later ones follow each change.
    let t = Instant::now();
    std::hint::black_box(app.arrival_figures(&year).expect("figures"));
    println!("repeat_visit_rate_first {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    time_it("repeat_visit_rate_year", || {
        std::hint::black_box(app.arrival_figures(&year).expect("figures"));
    });
}

/// The audit trail's price on a customer save: the same edit, interleaved, on two fresh
/// databases, one of which has had its audit triggers dropped.
fn audit_cost(input: &frontdesk::customers::CustomerInput) {
    let open = |drop_triggers: bool| {
        let dir = tempfile::tempdir().expect("temp dir");
        drop(App::open(dir.path()).expect("open"));
        if drop_triggers {
            let c = rusqlite::Connection::open(dir.path().join("frontdesk.db")).expect("raw");
            let names: Vec<String> = c
                .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'audit\\_%' ESCAPE '\\' AND name NOT LIKE 'audit\\_log\\_%' ESCAPE '\\'")
                .expect("triggers")
                .query_map([], |r| r.get(0))
                .expect("triggers")
                .collect::<Result<_, _>>()
                .expect("triggers");
            assert!(names.len() > 10, "audit triggers found: {names:?}");
            for n in names {
                c.execute_batch(&format!("DROP TRIGGER \"{n}\"")).expect("drop");
            }
        }
        let app = App::open(dir.path()).expect("open");
        let id = app.create_customer(input).expect("create").id;
        (dir, app, id)
    };
    let (_a, audited, a_id) = open(false);
    let (_b, bare, b_id) = open(true);
    let mut edit = input.clone();
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for n in 0..330 {
        edit.notes = format!("bench: 第 {n} 次修改");
        edit.company = format!("公司 {}", n % 7);
        for (app, id, times) in [(&audited, a_id, &mut with), (&bare, b_id, &mut without)] {
            let t = Instant::now();
            app.update_customer(id, &edit).expect("save");
            if n >= 30 {
                times.push(t.elapsed());
            }
        }
    }
    with.sort();
    without.sort();
    let (w, wo) = (percentile(&with, 0.95), percentile(&without, 0.95));
    println!("customer_save_audited_p95 {w:.3} ms");
    println!("customer_save_unaudited_p95 {wo:.3} ms");
    println!("audit_cost_customer_save_p95 {:.3} ms", (w - wo).max(0.0));
    let rows: i64 = audited
        .audit_log(&frontdesk::audit::AuditQuery::default())
        .map(|p| p.total as i64)
        .unwrap_or(0);
    println!("audit_rows_per_save {:.1} count", rows as f64 / 331.0);
}

/// What `synchronous = FULL` costs a commit over NORMAL in WAL mode on this disk (the WAL is
/// flushed at every commit, so a power cut loses no acknowledged save): one small
/// transaction at a time, as a save is.
fn sync_cost() {
    let mut p95 = Vec::new();
    for mode in ["FULL", "NORMAL"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let c = rusqlite::Connection::open(dir.path().join("sync.db")).expect("open");
        c.execute_batch(&format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = {mode}; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
        ))
        .expect("set up");
        let mut times = Vec::new();
        for n in 0..330 {
            let t = Instant::now();
            c.execute("INSERT INTO t (v) VALUES (?1)", [format!("row {n}")])
                .expect("insert");
            if n >= 30 {
                times.push(t.elapsed());
            }
        }
        times.sort();
        p95.push(percentile(&times, 0.95));
    }
    println!("commit_sync_full_p95 {:.3} ms", p95[0]);
    println!("commit_sync_normal_p95 {:.3} ms", p95[1]);
    println!("sync_full_cost_p95 {:.3} ms", (p95[0] - p95[1]).max(0.0));
}

fn time_it(name: &str, mut f: impl FnMut()) {
    f();
    let mut times: Vec<Duration> = (0..30)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    println!("{name}_p50 {:.3} ms", percentile(&times, 0.50));
    println!("{name}_p95 {:.3} ms", percentile(&times, 0.95));
}

/// One customer as a row of a member list someone would import.
fn member_row(c: &frontdesk::customers::CustomerInput) -> Vec<String> {
    use frontdesk::customers::{Calendar, Tier};
    let tier = match c.tier {
        Some(Tier::Vip) => "VIP",
        Some(Tier::Major) => "主要",
        Some(Tier::Small) => "小",
        _ => "普通",
    };
    let birthday = match c.birthday {
        Some(d) if d.calendar == Calendar::Gregorian => match d.year {
            Some(y) => format!("{y}-{:02}-{:02}", d.month, d.day),
            None => format!("{}月{}日", d.month, d.day),
        },
        _ => String::new(),
    };
    vec![
        c.name.clone(),
        c.phones.join("; "),
        c.email.clone(),
        c.company.clone(),
        tier.to_string(),
        c.tags.join("、"),
        c.notes.clone(),
        birthday,
    ]
}

const MEMBER_HEADERS: [&str; 8] = ["姓名", "手机", "邮箱", "公司", "等级", "标签", "备注", "生日"];

/// Import 100,000 customers into an empty database from a UTF-8 CSV and from an .xlsx, as
/// the window does it: the preview with its dry run of every row, then the import.
fn import_cost(inputs: &[frontdesk::customers::CustomerInput]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut csv = MEMBER_HEADERS.join(",") + "\r\n";
    for c in inputs {
        let row: Vec<String> = member_row(c).iter().map(|v| quote(v)).collect();
        csv.push_str(&row.join(","));
        csv.push_str("\r\n");
    }
    let csv_path = dir.path().join("members.csv");
    std::fs::write(&csv_path, csv).expect("write csv");

    let xlsx_path = dir.path().join("members.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory();
    for (col, h) in MEMBER_HEADERS.iter().enumerate() {
        sheet.write_string(0, col as u16, *h).expect("header");
    }
    for (i, c) in inputs.iter().enumerate() {
        for (col, v) in member_row(c).iter().enumerate() {
            sheet.write_string(i as u32 + 1, col as u16, v).expect("cell");
        }
    }
    book.save(&xlsx_path).expect("save xlsx");

    for (name, path) in [("import_csv_100k", &csv_path), ("import_xlsx_100k", &xlsx_path)] {
        // The import's one commit is flushed to disk; without this it would also wait for
        // the gigabyte the figures before it wrote (the file system flushes in order).
        let _ = std::process::Command::new("sync").status();
        let data = tempfile::tempdir().expect("temp dir");
        let app = App::open(data.path()).expect("open");
        let request = frontdesk::import::ImportRequest {
            path: path.display().to_string(),
            ..Default::default()
        };
        let t = Instant::now();
        let preview = app.preview_import(&request).expect("preview");
        let checked = t.elapsed();
        let done = app
            .import_customers(&frontdesk::import::ImportRequest {
                mapping: Some(preview.mapping.clone()),
                expect_valid: Some(preview.check.valid),
                ..request
            })
            .expect("import");
        println!("{name} {:.3} s", t.elapsed().as_secs_f64());
        println!("{name}_dry_run {:.3} s", checked.as_secs_f64());
        println!("{name}_created {} count", done.created);
    }
}

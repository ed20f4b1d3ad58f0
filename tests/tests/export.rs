//! Export through the real database file: an .xlsx read back with calamine (sheets, rows,
//! string, date and number cells, no formulas), CSV files (BOM, Chinese text, the formula
//! guard, one file per kind), a filtered customer list, a missing folder, and the customers
//! sheet read back by the importer with every column guessed.

use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use frontdesk::app::{ExportFormat, ExportKind, ExportRequest};
use frontdesk::complaints::{ClaimKind, ComplaintChannel, ComplaintInput, Severity};
use frontdesk::customers::{Calendar, CustomerInput, ListQuery, Preference, PreferenceKind, SpecialDate, Tier};
use frontdesk::import::{self, guess_all, values, ReadOptions, Target};
use frontdesk::reminders::ManualInput;
use frontdesk::visits::{Channel, Purpose, VisitInput};
use frontdesk_tests::Clocked;

fn date(calendar: Calendar, year: Option<i32>, month: u32, day: u32) -> Option<SpecialDate> {
    Some(SpecialDate {
        calendar,
        year,
        month,
        day,
        leap_month: false,
    })
}

/// Three customers (two VIPs, one with text a spreadsheet would run), a visit, a complaint
/// and a reminder.
fn desk() -> Clocked {
    let t = Clocked::new("2026-11-23 10:00");
    let wang = t
        .app
        .create_customer(&CustomerInput {
            name: "王芳".into(),
            phones: vec!["013800001111".into(), "+8613800001111".into()],
            company: "海底捞".into(),
            tier: Some(Tier::Vip),
            tags: vec!["老客".into(), "包间".into()],
            notes: "不吃香菜".into(),
            preferences: vec![
                Preference {
                    kind: PreferenceKind::Food,
                    text: "不吃蒜".into(),
                },
                Preference {
                    kind: PreferenceKind::Food,
                    text: "少辣".into(),
                },
                Preference {
                    kind: PreferenceKind::Allergy,
                    text: "花生".into(),
                },
            ],
            birthday: date(Calendar::Gregorian, Some(1985), 3, 2),
            anniversary: date(Calendar::Lunar, None, 10, 15),
            ..Default::default()
        })
        .unwrap();
    t.app
        .create_customer(&CustomerInput {
            name: "Ann Lee".into(),
            phones: vec!["010-65529988".into()],
            tier: Some(Tier::Vip),
            birthday: date(Calendar::Gregorian, None, 12, 24),
            ..Default::default()
        })
        .unwrap();
    t.app
        .create_customer(&CustomerInput {
            name: "=HYPERLINK(\"x\")".into(),
            phones: vec!["13900002222".into()],
            tier: Some(Tier::Regular),
            notes: "+1 来电".into(),
            company: "-公司".into(),
            address: "@地址".into(),
            ..Default::default()
        })
        .unwrap();
    t.app
        .plan_visit(&VisitInput {
            customer_id: wang.id,
            channel: Some(Channel::Phone),
            purpose: Some(Purpose::Satisfaction),
            due_date: "2026-11-25".into(),
            due_time: "10:30".into(),
            outline: "问问上次的菜".into(),
            staff: "小王".into(),
            repeat: None,
        })
        .unwrap();
    t.app
        .register_complaint(&ComplaintInput {
            customer_id: Some(wang.id),
            channel: Some(ComplaintChannel::Phone),
            severity: Some(Severity::High),
            summary: "上菜太慢".into(),
            details: "周六晚上 7 点".into(),
            claim_kind: Some(ClaimKind::Compensation),
            claim_amount: "88.50".into(),
            staff: "小王".into(),
            ..Default::default()
        })
        .unwrap();
    t.app
        .create_manual_reminder(&ManualInput {
            customer_id: Some(wang.id),
            text: "回电确认包间".into(),
            due_at: "2026-11-23 15:00".into(),
            ..Default::default()
        })
        .unwrap();
    // Booked for four tonight at Table 5.
    t.app
        .book(&frontdesk::arrivals::BookingInput {
            customer_id: wang.id,
            date: "2026-11-23".into(),
            time: "19:00".into(),
            party: Some(4),
            resource: "Table 5".into(),
            notes: "=1+1 生日".into(),
            ..Default::default()
        })
        .unwrap();
    // What the scheduler does: occurrences are stored ahead.
    t.app.plan_reminders().unwrap();
    t
}

fn request(path: &Path, format: ExportFormat, kinds: &[ExportKind]) -> ExportRequest {
    ExportRequest {
        path: path.display().to_string(),
        format,
        kinds: kinds.to_vec(),
        customers: None,
        lang: String::new(),
    }
}

const ALL: [ExportKind; 5] = [
    ExportKind::Customers,
    ExportKind::Visits,
    ExportKind::Complaints,
    ExportKind::Reminders,
    ExportKind::Bookings,
];

fn expected_targets() -> Vec<Target> {
    let mut want = vec![
        Target::Name,
        Target::Phone,
        Target::Wechat,
        Target::Email,
        Target::Address,
        Target::Company,
        Target::Source,
        Target::FirstContact,
        Target::Tier,
        Target::Tags,
        Target::Notes,
        Target::Birthday,
        Target::Anniversary,
    ];
    want.extend([Target::Preference; 6]);
    want.extend([Target::Ignore; 4]);
    want
}

/// The data row whose first cell is `name`.
fn row_of<'a>(rows: &'a [Vec<String>], name: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == name)
        .unwrap_or_else(|| panic!("no row {name}"))
}

#[test]
fn xlsx_has_a_sheet_per_kind_with_string_date_and_number_cells() {
    let t = desk();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("导出.xlsx");
    let r = t.app.export(&request(&path, ExportFormat::Xlsx, &ALL)).unwrap();
    assert_eq!(r.files, [path.display().to_string()]);
    let counts: Vec<(&str, usize)> = r.counts.iter().map(|c| (c.kind, c.rows)).collect();
    assert_eq!(counts[..3], [("customers", 3), ("visits", 1), ("complaints", 1)]);
    assert_eq!(counts[3].0, "complaint_log");
    assert!(counts[3].1 >= 1);
    assert_eq!(counts[4].0, "reminders");
    assert!(counts[4].1 >= 1, "the manual reminder");
    assert_eq!(counts[5], ("bookings", 1));

    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["客户", "回访", "投诉", "投诉处理记录", "提醒", "预约到店"]
    );
    let bookings = book.worksheet_range("预约到店").unwrap();
    let b: Vec<&Data> = bookings.rows().nth(1).unwrap().iter().collect();
    assert_eq!(b[0], &Data::String("王芳".into()));
    assert!(matches!(b[2], Data::DateTime(_)), "the booking's date is a date cell");
    assert_eq!(b[3], &Data::String("19:00".into()));
    assert_eq!(b[5], &Data::Float(4.0), "the party is a number");
    assert_eq!(b[7], &Data::String("Table 5".into()));
    assert_eq!(b[9], &Data::String("=1+1 生日".into()), "text, never a formula");
    assert_eq!(b[10], &Data::String("已预约".into()));

    let customers = book.worksheet_range("客户").unwrap();
    assert_eq!(customers.height(), 4, "the header and three customers");
    assert_eq!(customers.get((0, 0)), Some(&Data::String("姓名".into())));
    let wang = customers.rows().find(|r| r[0] == Data::String("王芳".into())).unwrap();
    // Phones stay text (the leading 0 and the + kept), joined.
    assert_eq!(wang[1], Data::String("013800001111; +8613800001111".into()));
    assert_eq!(wang[8], Data::String("VIP".into()));
    assert_eq!(wang[9], Data::String("老客; 包间".into()));
    // The birthday with its year is a date cell; the lunar anniversary is text.
    match &wang[11] {
        Data::DateTime(d) => assert_eq!(d.as_datetime().unwrap().date().to_string(), "1985-03-02"),
        other => panic!("birthday should be a date cell: {other:?}"),
    }
    assert_eq!(wang[12], Data::String("农历十月十五".into()));
    assert_eq!(wang[13], Data::String("不吃蒜; 少辣".into()));
    assert_eq!(wang[15], Data::String("花生".into()));
    assert!(matches!(wang[19], Data::Float(_) | Data::Int(_)), "the id is a number");
    assert!(matches!(wang[20], Data::DateTime(_)), "created is a date-time");
    assert_eq!(wang[22], Data::String("否".into()));
    // Text a spreadsheet would run is a string cell, and no cell anywhere is a formula.
    let sneaky = customers
        .rows()
        .find(|r| r[1] == Data::String("13900002222".into()))
        .unwrap();
    assert_eq!(sneaky[0], Data::String("=HYPERLINK(\"x\")".into()));
    assert_eq!(sneaky[10], Data::String("+1 来电".into()));
    for sheet in book.sheet_names() {
        let formulas = book.worksheet_formula(&sheet).unwrap();
        assert!(formulas.cells().all(|(_, _, f)| f.is_empty()), "a formula in {sheet}");
    }

    let visits = book.worksheet_range("回访").unwrap();
    assert_eq!(visits.height(), 2);
    let v: Vec<&Data> = visits.rows().nth(1).unwrap().iter().collect();
    assert_eq!(v[0], &Data::String("王芳".into()));
    assert_eq!(v[1], &Data::String("013800001111".into()));
    assert!(matches!(v[2], Data::DateTime(_)), "the visit's date is a date cell");
    assert_eq!(v[3], &Data::String("10:30".into()));
    assert_eq!(v[8], &Data::String("待回访".into()));

    let complaints = book.worksheet_range("投诉").unwrap();
    assert_eq!(complaints.height(), 2);
    let c: Vec<&Data> = complaints.rows().nth(1).unwrap().iter().collect();
    assert!(matches!(c[0], Data::String(s) if s.starts_with("TS-2026-")));
    assert!(matches!(c[4], Data::DateTime(_)), "received is a date-time");
    assert_eq!(c[6], &Data::String("严重".into()));
    assert_eq!(c[10], &Data::Float(88.5), "money is a number");
    assert_eq!(c[11], &Data::String("已登记".into()));
    assert!(
        matches!(c[13], Data::DateTime(_)),
        "the response deadline is a date-time"
    );

    let log = book.worksheet_range("投诉处理记录").unwrap();
    let first = log.rows().nth(1).unwrap();
    assert_eq!(first[0], c[0].clone());
    assert_eq!(first[3], Data::String("登记".into()));

    let reminders = book.worksheet_range("提醒").unwrap();
    assert!(reminders.rows().skip(1).any(|r| r
        .iter()
        .any(|d| matches!(d, Data::String(s) if s.contains("回电确认包间")))));
}

#[test]
fn csv_starts_with_a_bom_keeps_chinese_and_guards_formulas() {
    let t = desk();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("客户.csv");
    let r = t
        .app
        .export(&request(&path, ExportFormat::Csv, &[ExportKind::Customers]))
        .unwrap();
    assert_eq!(r.files, [path.display().to_string()], "one kind: the chosen name");
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("王芳") && text.contains("农历十月十五") && text.contains("不吃蒜; 少辣"));
    assert!(text.contains("1985-03-02"));
    assert!(text.contains(r#""'=HYPERLINK(""x"")""#), "{text}");
    assert!(text.contains("'+1 来电"));
    assert!(text.contains("'-公司"));
    assert!(text.contains("'@地址"));
    assert!(text.contains(",013800001111; +8613800001111,"), "phones as typed");
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn a_filtered_list_exports_only_its_customers() {
    let t = desk();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("vip.xlsx");
    let req = ExportRequest {
        customers: Some(ListQuery {
            tier: Some(Tier::Vip),
            limit: Some(1),
            offset: 1,
            ..Default::default()
        }),
        ..request(&path, ExportFormat::Xlsx, &[ExportKind::Customers])
    };
    let r = t.app.export(&req).unwrap();
    assert_eq!(r.counts[0].rows, 2, "every page of the list, not one");
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["客户"]);
    let range = book.worksheet_range("客户").unwrap();
    let names: Vec<String> = range.rows().skip(1).map(|r| r[0].to_string()).collect();
    // The list's order: by name.
    assert_eq!(names, ["Ann Lee", "王芳"]);
    assert!(range.rows().skip(1).all(|r| r[8] == Data::String("VIP".into())));
}

#[test]
fn a_missing_folder_is_a_path_error_and_nothing_is_written() {
    let t = desk();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("gone").join("x.xlsx");
    let e = t.app.export(&request(&path, ExportFormat::Xlsx, &ALL)).unwrap_err();
    assert_eq!(e.kind(), "invalid");
    assert_eq!(
        (e.fields()[0].field.as_str(), e.fields()[0].code),
        ("path", "folder_missing")
    );
    let e = t
        .app
        .export(&request(&out.path().join("x.csv"), ExportFormat::Csv, &[]))
        .unwrap_err();
    assert_eq!(
        (e.fields()[0].field.as_str(), e.fields()[0].code),
        ("kinds", "required")
    );
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn several_kinds_to_csv_give_one_file_per_kind() {
    let t = desk();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("backup.csv");
    let r = t.app.export(&request(&path, ExportFormat::Csv, &ALL)).unwrap();
    let names: Vec<String> = r
        .files
        .iter()
        .map(|f| Path::new(f).file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "backup-customers.csv",
            "backup-visits.csv",
            "backup-complaints.csv",
            "backup-complaint-log.csv",
            "backup-reminders.csv",
            "backup-bookings.csv"
        ]
    );
    let mut on_disk: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut want = names.clone();
    want.sort();
    assert_eq!(
        on_disk, want,
        "only the files, nothing temporary, not the chosen name itself"
    );
    for f in &r.files {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(text.starts_with('\u{feff}'), "{f}");
    }
    let complaints = std::fs::read_to_string(&r.files[2]).unwrap();
    assert!(complaints.contains("88.50") && complaints.contains("上菜太慢"));
}

#[test]
fn exported_customers_read_back_with_the_importer() {
    let t = desk();
    let out = tempfile::tempdir().unwrap();
    for (lang, format, file) in [
        ("zh-CN", ExportFormat::Xlsx, "zh.xlsx"),
        ("en", ExportFormat::Xlsx, "en.xlsx"),
        ("zh-CN", ExportFormat::Csv, "zh.csv"),
        ("en", ExportFormat::Csv, "en.csv"),
    ] {
        let path = out.path().join(file);
        let req = ExportRequest {
            lang: lang.into(),
            ..request(&path, format, &[ExportKind::Customers, ExportKind::Complaints])
        };
        t.app.export(&req).unwrap();
        // Several kinds: the CSV's customers are in their own file; the .xlsx's first sheet.
        let read_from = match format {
            ExportFormat::Csv => out.path().join(file.replace(".csv", "-customers.csv")),
            ExportFormat::Xlsx => path,
        };
        let table = import::read(&read_from, &ReadOptions::default()).unwrap();
        assert_eq!(guess_all(&table.headers).columns, expected_targets(), "{file}");
        assert_eq!(table.rows.len(), 3, "{file}");
        let wang = row_of(&table.rows, "王芳");
        for phone in wang[1].split("; ") {
            assert!(values::phone(phone).is_ok(), "{file}: {phone}");
        }
        assert_eq!(values::tier(&wang[8]), Ok(Some(Tier::Vip)), "{file}");
        assert_eq!(
            values::special_date(&wang[11]),
            Ok(date(Calendar::Gregorian, Some(1985), 3, 2)),
            "{file}"
        );
        assert_eq!(
            values::special_date(&wang[12]),
            Ok(date(Calendar::Lunar, None, 10, 15)),
            "{file}"
        );
        let ann = row_of(&table.rows, "Ann Lee");
        assert_eq!(
            values::special_date(&ann[11]),
            Ok(date(Calendar::Gregorian, None, 12, 24)),
            "{file}: {}",
            ann[11]
        );
    }
}

/// What makes two customers the same, whatever order a sheet put their lists in.
fn same_customer(c: &frontdesk::customers::Customer) -> String {
    let mut prefs: Vec<String> = c
        .preferences
        .iter()
        .map(|p| format!("{}:{}", p.kind.as_str(), p.text))
        .collect();
    prefs.sort();
    format!(
        "{}|{:?}|{}|{}|{}|{}|{}|{}|{}|{:?}|{}|{:?}|{:?}|{:?}",
        c.name,
        c.phones,
        c.wechat,
        c.email,
        c.address,
        c.company,
        c.source.as_str(),
        c.first_contact,
        c.tier.as_str(),
        c.tags,
        c.notes,
        prefs,
        c.birthday,
        c.anniversary
    )
}

fn all_customers(app: &frontdesk::App) -> Vec<String> {
    let page = app
        .list_customers(&ListQuery {
            limit: Some(500),
            sort: frontdesk::customers::SortBy::Created,
            ..Default::default()
        })
        .unwrap();
    page.items
        .iter()
        .map(|s| same_customer(&app.get_customer(s.id).unwrap()))
        .collect()
}

/// Exported customers imported into an empty database are the same customers, from .xlsx
/// and .csv, with Chinese and English headers.
#[test]
fn exported_customers_import_back_the_same() {
    let from = frontdesk_tests::TempApp::new();
    let people = [
        CustomerInput {
            name: "王芳".into(),
            phones: vec!["13800001111".into(), "010-6552 9988".into()],
            wechat: "wangfang88".into(),
            email: "wf@example.com".into(),
            address: "北京市朝阳区建国路 1 号".into(),
            company: "海底捞".into(),
            source: Some(frontdesk::customers::Source::Referral),
            first_contact: "李娜".into(),
            tier: Some(Tier::Vip),
            tags: vec!["老客".into(), "包间".into()],
            notes: "不吃香菜,\n要发票".into(),
            preferences: vec![
                Preference {
                    kind: PreferenceKind::Food,
                    text: "不吃辣, 少盐".into(),
                },
                Preference {
                    kind: PreferenceKind::Allergy,
                    text: "花生".into(),
                },
                Preference {
                    kind: PreferenceKind::Seating,
                    text: "靠窗".into(),
                },
                Preference {
                    kind: PreferenceKind::ContactTime,
                    text: "下午".into(),
                },
                Preference {
                    kind: PreferenceKind::Language,
                    text: "粤语".into(),
                },
                Preference {
                    kind: PreferenceKind::Other,
                    text: "带狗".into(),
                },
            ],
            birthday: Some(SpecialDate {
                calendar: Calendar::Lunar,
                year: Some(2020),
                month: 4,
                day: 8,
                leap_month: true,
            }),
            anniversary: date(Calendar::Gregorian, None, 5, 20),
            ..Default::default()
        },
        CustomerInput {
            name: "=HYPERLINK(\"http://x\")".into(),
            phones: vec!["+86 139 0000 2222".into()],
            tier: Some(Tier::Small),
            source: Some(frontdesk::customers::Source::Online),
            notes: "-5% 折扣".into(),
            tags: vec!["@团购".into()],
            birthday: date(Calendar::Gregorian, Some(1990), 12, 31),
            anniversary: date(Calendar::Lunar, None, 10, 15),
            ..Default::default()
        },
        CustomerInput {
            name: "Anna Müller".into(),
            tier: Some(Tier::Major),
            source: Some(frontdesk::customers::Source::WalkIn),
            ..Default::default()
        },
    ];
    for p in &people {
        from.app.create_customer(p).unwrap();
    }
    let want = all_customers(&from.app);
    let dir = tempfile::tempdir().unwrap();
    for (format, ext) in [(ExportFormat::Xlsx, "xlsx"), (ExportFormat::Csv, "csv")] {
        for lang in ["zh-CN", "en"] {
            let path = dir.path().join(format!("customers-{lang}.{ext}"));
            from.app
                .export(&ExportRequest {
                    path: path.display().to_string(),
                    format,
                    kinds: vec![ExportKind::Customers],
                    customers: None,
                    lang: lang.into(),
                })
                .unwrap();
            let to = frontdesk_tests::TempApp::new();
            let r = to
                .app
                .import_customers(&frontdesk::import::ImportRequest {
                    path: path.display().to_string(),
                    ..Default::default()
                })
                .unwrap_or_else(|e| panic!("{ext} {lang}: {e}"));
            assert_eq!((r.created, r.invalid), (3, 0), "{ext} {lang}");
            assert_eq!(all_customers(&to.app), want, "{ext} {lang}");
        }
    }
}

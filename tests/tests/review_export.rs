//! The manager's figures to `.xlsx`: the figures with the previous period, the breakdowns,
//! the staff table and the records behind them, read back by a real reader.

use calamine::{open_workbook_auto, Data, Reader};
use frontdesk::review::{Preset, ReviewQuery};
use frontdesk_tests::TempApp;

fn year() -> ReviewQuery {
    ReviewQuery {
        preset: Preset::Last12,
        ..Default::default()
    }
}

#[test]
fn the_figures_and_their_records_are_exported_for_excel() {
    let t = TempApp::new();
    t.app.seed_demo().unwrap();
    let d = t.app.dashboard(&year()).unwrap();
    assert!(d.complaints.count > 0);
    let path = t.dir.path().join("报表.xlsx");
    let saved = t.app.export_review(&year(), path.to_str().unwrap(), "zh-CN").unwrap();
    assert_eq!(saved, path.display().to_string());

    let mut book = open_workbook_auto(&path).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), 7, "{names:?}");
    assert_eq!(names[0], "客户服务报表");
    let summary = book.worksheet_range(&names[0]).unwrap();
    let row = |r: usize| summary.rows().nth(r).unwrap().to_vec();
    assert!(matches!(&row(0)[1], Data::String(p) if p.starts_with(&d.period.from.to_string())));
    assert_eq!(row(1)[0], Data::String("投诉数".into()));
    assert_eq!(
        row(1)[1],
        Data::Float(d.complaints.count as f64),
        "a number cell Excel can sum"
    );

    // The complaints sheet holds every complaint the count is made of.
    let complaints = book.worksheet_range(&names[3]).unwrap();
    assert_eq!(complaints.rows().count() - 1, d.complaints.count);
    let serials: Vec<String> = complaints.rows().skip(1).map(|r| r[2].to_string()).collect();
    assert!(serials.iter().all(|s| s.starts_with("TS-")), "{serials:?}");
    // The breakdowns name the categories in the language asked.
    let breakdowns = book.worksheet_range(&names[1]).unwrap();
    assert!(breakdowns
        .rows()
        .any(|r| r[0] == Data::String("投诉类别".into()) && r[1] == Data::String("产品质量".into())));
}

#[test]
fn an_export_to_a_wrong_place_says_why_and_writes_nothing() {
    let t = TempApp::new();
    let csv = t.dir.path().join("figures.csv");
    let e = t.app.export_review(&year(), csv.to_str().unwrap(), "en").unwrap_err();
    assert_eq!((e.kind(), e.fields()[0].code), ("invalid", "not_xlsx"));
    assert!(!csv.exists());
    let gone = t.dir.path().join("no such folder").join("figures.xlsx");
    let e = t.app.export_review(&year(), gone.to_str().unwrap(), "en").unwrap_err();
    assert_eq!(e.fields()[0].code, "folder_missing", "{e}");
}

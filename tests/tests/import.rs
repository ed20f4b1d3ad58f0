//! Reading the files customers come in: a GBK CSV as Chinese Excel saves it, an `.xlsx`
//! written by a real writer (numbers, dates and text cells), and the files that must be
//! refused clearly (too big, gone, not a table, protected by a password). Fixtures are made here.

use frontdesk::import::{self, guess_all, values, ReadOptions, Target};

fn refused(e: frontdesk::Error) -> &'static str {
    assert_eq!(e.kind(), "invalid", "{e}");
    e.fields()[0].code
}

#[test]
fn a_gbk_csv_from_chinese_excel_is_read_and_its_columns_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "客户姓名,手机,电话,生日,等级,忌口,备注\r\n\
               王芳,13800001111,010-65529988,农历十月十五,VIP,不吃辣,老客人\r\n\
               赵磊,1.38E+10,,1985/3/2,普通,,\r\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let path = dir.path().join("会员.csv");
    std::fs::write(&path, &gbk).unwrap();
    let t = import::read(&path, &ReadOptions::default()).unwrap();
    assert_eq!(t.encoding.as_deref(), Some("gb18030"));
    assert_eq!(t.separator, Some(','));
    assert_eq!(t.rows.len(), 2);
    assert_eq!(
        guess_all(&t.headers).columns,
        [
            Target::Name,
            Target::Phone,
            Target::Phone,
            Target::Birthday,
            Target::Tier,
            Target::Preference,
            Target::Notes
        ]
    );
    assert_eq!(t.rows[0][0], "王芳");
    assert!(values::special_date(&t.rows[0][3]).unwrap().is_some());
    // The phone Excel turned into a number with an exponent is an error for its row.
    assert_eq!(values::phone(&t.rows[1][1]), Err("phone_scientific"));
}

#[test]
fn an_xlsx_with_number_date_and_text_cells_reads_as_the_sheet_shows_them() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in ["姓名", "手机", "生日", "Tier", "Notes"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "陈静").unwrap();
    // A phone typed into a number cell keeps every digit; one stored as text stays text.
    sheet.write_number(1, 1, 13900002222.0).unwrap();
    sheet
        .write_datetime_with_format(1, 2, ExcelDateTime::from_ymd(1990, 12, 24).unwrap(), &date)
        .unwrap();
    sheet.write_string(1, 3, "major").unwrap();
    sheet.write_string(1, 4, "=HYPERLINK(\"x\")").unwrap();
    sheet.write_string(2, 0, "Ann Lee").unwrap();
    sheet.write_string(2, 1, "0755-8888 1234").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("members.xlsx");
    std::fs::write(&path, bytes).unwrap();

    let t = import::read(&path, &ReadOptions::default()).unwrap();
    assert_eq!(t.format.as_str(), "xlsx");
    assert_eq!(t.headers, ["姓名", "手机", "生日", "Tier", "Notes"]);
    assert_eq!(t.rows[0][..4], ["陈静", "13900002222", "1990-12-24", "major"]);
    assert_eq!(t.rows[0][4], "=HYPERLINK(\"x\")", "text is text, never evaluated");
    assert_eq!(t.rows[1][..2], ["Ann Lee", "0755-8888 1234"]);
    assert_eq!(values::phone(&t.rows[0][1]).unwrap(), "13900002222");
    assert_eq!(
        values::special_date(&t.rows[0][2])
            .unwrap()
            .map(|d| (d.year, d.month, d.day)),
        Some((Some(1990), 12, 24))
    );
}

#[test]
fn files_too_big_gone_or_not_tables_are_refused_and_nothing_is_read() {
    let dir = tempfile::tempdir().unwrap();
    // 200 MB (sparse: nothing is written to disk, and nothing is read into memory).
    let huge = dir.path().join("huge.csv");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    assert_eq!(
        refused(import::read(&huge, &ReadOptions::default()).unwrap_err()),
        "file_too_big"
    );
    // Gone between the preview and the import.
    let gone = dir.path().join("gone.csv");
    assert_eq!(
        refused(import::read(&gone, &ReadOptions::default()).unwrap_err()),
        "file_missing"
    );
    // A picture renamed .csv, an empty file, a header row only, a damaged .xlsx.
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "photo.csv",
            [b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(), &[0u8; 200]].concat(),
            "not_a_table",
        ),
        ("empty.csv", Vec::new(), "file_empty"),
        ("header.csv", "姓名,手机\n".as_bytes().to_vec(), "no_rows"),
        (
            "broken.xlsx",
            b"PK\x03\x04\x14\0\0\0broken".to_vec(),
            "excel_unreadable",
        ),
    ];
    // A workbook protected by a password: Excel keeps it encrypted in a compound file.
    let protected = dir.path().join("locked.xlsx");
    {
        let mut c = cfb::create(&protected).unwrap();
        std::io::Write::write_all(
            &mut c.create_stream("/EncryptionInfo").unwrap(),
            &[4, 0, 4, 0, 0x40, 0, 0, 0],
        )
        .unwrap();
        std::io::Write::write_all(&mut c.create_stream("/EncryptedPackage").unwrap(), &[0x5a; 4096]).unwrap();
        c.flush().unwrap();
    }
    assert_eq!(
        refused(import::read(&protected, &ReadOptions::default()).unwrap_err()),
        "excel_protected"
    );
    // An old .xls that is damaged.
    let xls = dir.path().join("old.xls");
    {
        let mut c = cfb::create(&xls).unwrap();
        std::io::Write::write_all(&mut c.create_stream("/Workbook").unwrap(), b"not a BIFF stream").unwrap();
        c.flush().unwrap();
    }
    assert_eq!(
        refused(import::read(&xls, &ReadOptions::default()).unwrap_err()),
        "excel_unreadable"
    );
    for (name, bytes, code) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(
            refused(import::read(&path, &ReadOptions::default()).unwrap_err()),
            code,
            "{name}"
        );
    }
}

// ---- importing into the app: preview, duplicates, one transaction, undo ----

use frontdesk::customers::{ListQuery, Tier};
use frontdesk::import::{Duplicates, ImportRequest};
use frontdesk_tests::{customer, names_found, TempApp};

fn write_gbk(dir: &std::path::Path, name: &str, csv: &str) -> std::path::PathBuf {
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let path = dir.join(name);
    std::fs::write(&path, &gbk).unwrap();
    path
}

fn request(path: &std::path::Path) -> ImportRequest {
    ImportRequest {
        path: path.display().to_string(),
        ..Default::default()
    }
}

const MEMBERS: &str = "客户姓名,手机,生日,等级,来源,标签,忌口,备注\r\n\
    王芳,13800001111,农历十月十五,VIP,转介绍,常客、生日宴,不吃辣,老客人\r\n\
    赵磊,1.38E+10,1985/3/2,普通,,,,\r\n\
    刘洋,139 0000 2222,3月2日,主要,到店,,,\r\n\
    ,,,,,,,\r\n\
    陈静,13700003333,1990-13-45,小,,,,\r\n";

#[test]
fn a_gbk_member_list_is_previewed_checked_and_imported_in_one_batch() {
    let t = TempApp::new();
    let path = write_gbk(t.dir.path(), "会员.csv", MEMBERS);
    let p = t.app.preview_import(&request(&path)).unwrap();
    assert_eq!(p.file_name, "会员.csv");
    assert_eq!(p.encoding.as_deref(), Some("gb18030"));
    assert!(!p.remembered);
    assert_eq!(p.mapping[0], Target::Name);
    assert_eq!(p.mapping[4], Target::Source);
    // The blank line is not a row; the mangled phone and the impossible date are errors.
    let c = &p.check;
    assert_eq!((c.rows, c.valid, c.invalid, c.will_create), (4, 2, 2, 2));
    let errors: Vec<(usize, &str, &str, &str)> = c
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.value.as_str(), e.code))
        .collect();
    assert_eq!(errors[0], (3, "手机", "1.38E+10", "phone_scientific"));
    assert_eq!(errors[1].0, 6);
    assert_eq!(errors[1].1, "生日");
    // Nothing is written by a preview.
    assert_eq!(t.app.count_customers().unwrap(), 0);

    let r = t
        .app
        .import_customers(&ImportRequest {
            expect_valid: Some(2),
            ..request(&path)
        })
        .unwrap();
    assert_eq!((r.created, r.updated, r.skipped, r.invalid), (2, 0, 0, 2));
    assert_eq!(names_found(&t.app, "wangfang"), ["王芳"]);
    assert_eq!(names_found(&t.app, "13900002222"), ["刘洋"]);
    let id = t
        .app
        .list_customers(&ListQuery {
            q: "王芳".into(),
            ..Default::default()
        })
        .unwrap()
        .items[0]
        .id;
    let w = t.app.get_customer(id).unwrap();
    assert_eq!(w.tier, Tier::Vip);
    assert_eq!(w.tags, ["常客", "生日宴"]);
    assert_eq!(w.preferences[0].text, "不吃辣");
    assert_eq!(w.birthday.unwrap().calendar, frontdesk::customers::Calendar::Lunar);

    let last = t.app.last_import().unwrap().unwrap();
    assert_eq!((last.id, last.created, last.file.as_str()), (r.batch_id, 2, "会员.csv"));
    // The next file with the same headers is offered the mapping used last.
    let mut changed = p.mapping.clone();
    changed[7] = Target::Ignore;
    let again = write_gbk(
        t.dir.path(),
        "会员2.csv",
        "客户姓名,手机,生日,等级,来源,标签,忌口,备注\r\n孙丽,13600004444,,,,,,要发票\r\n",
    );
    t.app
        .import_customers(&ImportRequest {
            mapping: Some(changed.clone()),
            ..request(&again)
        })
        .unwrap();
    let p2 = t.app.preview_import(&request(&again)).unwrap();
    assert!(p2.remembered);
    assert_eq!(p2.mapping, changed);
}

#[test]
fn duplicates_by_phone_are_skipped_filled_or_created_as_chosen_and_counted_first() {
    let t = TempApp::new();
    let mut existing = customer("王芳", &["138-0000-1111"]);
    existing.email = String::new();
    let old = t.app.create_customer(&existing).unwrap();
    let path = write_gbk(
        t.dir.path(),
        "dup.csv",
        "姓名,手机,邮箱,地址\r\n\
         王芳,+86 138 0000 1111,wf@example.com,\r\n\
         新客,13900002222,,北京\r\n\
         新客甲,139-0000-2222,xk@example.com,上海\r\n",
    );
    let check = |d: Duplicates| {
        t.app
            .preview_import(&ImportRequest {
                duplicates: d,
                ..request(&path)
            })
            .unwrap()
            .check
    };
    let c = check(Duplicates::Skip);
    assert_eq!((c.duplicates_existing, c.duplicates_in_file), (1, 1));
    assert_eq!((c.will_create, c.will_fill, c.will_skip), (1, 0, 2));
    let c = check(Duplicates::Fill);
    assert_eq!((c.will_create, c.will_fill, c.will_skip), (1, 1, 0));
    let c = check(Duplicates::Create);
    assert_eq!((c.will_create, c.will_fill, c.will_skip), (3, 0, 0));

    let r = t
        .app
        .import_customers(&ImportRequest {
            duplicates: Duplicates::Fill,
            ..request(&path)
        })
        .unwrap();
    assert_eq!((r.created, r.updated), (1, 1));
    // Only the empty field was filled; the name and phone stay as they were.
    let filled = t.app.get_customer(old.id).unwrap();
    assert_eq!(filled.email, "wf@example.com");
    assert_eq!(filled.phones, ["138-0000-1111"]);
    // The later row of the same new customer filled its empty e-mail.
    let new_id = t
        .app
        .list_customers(&ListQuery {
            q: "新客".into(),
            ..Default::default()
        })
        .unwrap()
        .items;
    assert_eq!(new_id.len(), 1);
    let n = t.app.get_customer(new_id[0].id).unwrap();
    assert_eq!((n.address.as_str(), n.email.as_str()), ("北京", "xk@example.com"));
    // The fill is in the audit trail, field by field, as part of the import.
    let trail = t
        .app
        .audit_log(&frontdesk::audit::AuditQuery { ..Default::default() })
        .unwrap();
    assert!(
        trail
            .entries
            .iter()
            .any(|e| e.field.as_deref() == Some("email") && e.reason.starts_with("import:")),
        "{trail:?}"
    );

    // Undo: the created customer is gone, the filled one has its empty e-mail back.
    let undone = t.app.undo_import(r.batch_id).unwrap();
    assert!(undone.undone_at.is_some());
    assert_eq!(t.app.get_customer(old.id).unwrap().email, "");
    assert_eq!(t.app.count_customers().unwrap(), 1);
    assert!(names_found(&t.app, "新客").is_empty());
    let e = t.app.undo_import(r.batch_id).unwrap_err();
    assert_eq!(e.code(), Some("import_undone"));
}

#[test]
fn an_import_cannot_be_undone_once_one_of_its_customers_changed() {
    let t = TempApp::new();
    let path = write_gbk(
        t.dir.path(),
        "a.csv",
        "姓名,手机\r\n甲,13800000001\r\n乙,13800000002\r\n",
    );
    let r = t.app.import_customers(&request(&path)).unwrap();
    assert_eq!(t.app.last_import().unwrap().unwrap().changed_since, 0);
    let id = t
        .app
        .list_customers(&ListQuery {
            q: "乙".into(),
            ..Default::default()
        })
        .unwrap()
        .items[0]
        .id;
    let mut edit = frontdesk_tests::customer("乙", &["13800000002"]);
    edit.notes = "来过电话".into();
    t.app.update_customer(id, &edit).unwrap();
    assert_eq!(t.app.last_import().unwrap().unwrap().changed_since, 1);
    let e = t.app.undo_import(r.batch_id).unwrap_err();
    assert_eq!(e.code(), Some("import_changed_since"));
    assert_eq!(t.app.count_customers().unwrap(), 2);
    // Only the last import can be undone.
    let path2 = write_gbk(t.dir.path(), "b.csv", "姓名\r\n丙\r\n");
    let r2 = t.app.import_customers(&request(&path2)).unwrap();
    assert_eq!(
        t.app.undo_import(r.batch_id).unwrap_err().code(),
        Some("import_not_last")
    );
    t.app.undo_import(r2.batch_id).unwrap();
    assert_eq!(t.app.count_customers().unwrap(), 2);
}

#[test]
fn bad_imports_say_why_and_write_nothing() {
    let t = TempApp::new();
    let dir = t.dir.path();
    // A mapping with no name column.
    let path = write_gbk(dir, "m.csv", "姓名,手机\r\n甲,13800000001\r\n");
    let no_name = ImportRequest {
        mapping: Some(vec![Target::Ignore, Target::Phone]),
        ..request(&path)
    };
    assert_eq!(refused(t.app.import_customers(&no_name).unwrap_err()), "name_required");
    // The preview without a name column shows the file and checks nothing.
    let p = t.app.preview_import(&no_name).unwrap();
    assert_eq!(p.check.rows, 0);
    // Every row invalid.
    let bad = write_gbk(dir, "bad.csv", "姓名,手机\r\n,13800000001\r\n乙,1.38E+10\r\n");
    assert_eq!(
        refused(t.app.import_customers(&request(&bad)).unwrap_err()),
        "no_valid_rows"
    );
    // The file disappears between preview and import.
    let gone = write_gbk(dir, "gone.csv", "姓名\r\n甲\r\n");
    let p = t.app.preview_import(&request(&gone)).unwrap();
    assert_eq!(p.check.valid, 1);
    std::fs::remove_file(&gone).unwrap();
    assert_eq!(
        refused(t.app.import_customers(&request(&gone)).unwrap_err()),
        "file_missing"
    );
    // The file changed since the preview the user confirmed (edited in Excel meanwhile).
    let changed = write_gbk(dir, "c.csv", "姓名\r\n甲\r\n");
    assert_eq!(t.app.preview_import(&request(&changed)).unwrap().check.valid, 1);
    write_gbk(dir, "c.csv", "姓名\r\n甲\r\n乙\r\n");
    let e = t
        .app
        .import_customers(&ImportRequest {
            expect_valid: Some(1),
            ..request(&changed)
        })
        .unwrap_err();
    assert_eq!(e.code(), Some("import_file_changed"));
    // A PNG renamed .csv.
    let png = dir.join("photo.csv");
    std::fs::write(
        &png,
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89",
    )
    .unwrap();
    assert_eq!(
        refused(t.app.preview_import(&request(&png)).unwrap_err()),
        "not_a_table"
    );
    assert_eq!(t.app.count_customers().unwrap(), 0);
    assert!(t.app.last_import().unwrap().is_none());
}

#[test]
fn a_failure_half_way_leaves_the_database_as_it_was() {
    // The desk's own file fills its disk (the shared database's disk is its keeper's).
    let t = TempApp::desk();
    let mut csv = String::from("姓名,手机,备注\r\n");
    for i in 0..3000 {
        csv.push_str(&format!("客户{i},138{i:08},{}\r\n", "长备注".repeat(200)));
    }
    let path = t.dir.path().join("big.csv");
    std::fs::write(&path, csv).unwrap();
    // The disk fills up part-way through the write.
    t.app.simulate_disk_full().unwrap();
    let e = t.app.import_customers(&request(&path)).unwrap_err();
    assert_eq!(e.kind(), "disk_full", "{e}");
    assert_eq!(t.app.count_customers().unwrap(), 0);
    assert!(t.app.last_import().unwrap().is_none());
    t.app.simulate_disk_limit(None).unwrap();
    let r = t.app.import_customers(&request(&path)).unwrap();
    assert_eq!(r.created, 3000);
    assert_eq!(t.app.count_customers().unwrap(), 3000);
}

#[test]
fn the_error_list_is_saved_beside_the_file_for_excel() {
    let t = TempApp::new();
    let path = write_gbk(t.dir.path(), "会员.csv", MEMBERS);
    let out = t.app.save_import_errors(&request(&path), "zh-CN").unwrap();
    assert_eq!(std::path::Path::new(&out), t.dir.path().join("会员.errors.csv"));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].starts_with("3,手机,1.38E+10,"), "{text}");
    // The message is the window's translated one, not a code.
    assert!(!lines[1].contains("phone_scientific"), "{text}");
}

/// Birthday reminders planned for imported customers do not stop an undo while none has
/// fired; once one has fired and been seen, the import stays.
#[test]
fn planned_birthday_reminders_go_with_an_undone_import_but_a_fired_one_keeps_it() {
    let t = frontdesk_tests::Clocked::new("2026-11-23 10:00");
    let dir = t.dir.path();
    let path = write_gbk(
        dir,
        "b.csv",
        "姓名,手机,生日\r\n甲,13800000001,1980-11-24\r\n乙,13800000002,\r\n",
    );
    let r = t.app.import_customers(&request(&path)).unwrap();
    assert!(t.app.plan_reminders().unwrap() >= 1, "tomorrow's birthday is planned");
    assert_eq!(t.app.last_import().unwrap().unwrap().changed_since, 0);
    t.app.undo_import(r.batch_id).unwrap();
    assert_eq!(t.app.count_customers().unwrap(), 0);

    let path = write_gbk(dir, "c.csv", "姓名,手机,生日\r\n丙,13800000003,1980-11-24\r\n");
    let r = t.app.import_customers(&request(&path)).unwrap();
    t.app.plan_reminders().unwrap();
    t.set("2026-11-24 10:00");
    let fired = t.app.take_due_reminders().unwrap();
    assert!(!fired.is_empty(), "the birthday reminder fired");
    assert_eq!(t.app.last_import().unwrap().unwrap().changed_since, 1);
    assert_eq!(
        t.app.undo_import(r.batch_id).unwrap_err().code(),
        Some("import_changed_since")
    );
    assert_eq!(t.app.count_customers().unwrap(), 1);
}

#[test]
fn a_customer_saved_between_the_preview_and_the_import_counts_as_a_duplicate() {
    let t = TempApp::new();
    let path = write_gbk(
        t.dir.path(),
        "later.csv",
        "姓名,手机\r\n王芳,13800001111\r\n赵磊,13900002222\r\n",
    );
    let preview = t.app.preview_import(&request(&path)).unwrap();
    assert_eq!(preview.check.will_create, 2);
    // While the preview is open, the desk registers 赵磊 by hand.
    t.app.create_customer(&customer("赵磊", &["139 0000 2222"])).unwrap();
    let r = t
        .app
        .import_customers(&ImportRequest {
            mapping: Some(preview.mapping.clone()),
            ..request(&path)
        })
        .unwrap();
    assert_eq!(
        (r.created, r.skipped),
        (1, 1),
        "the row checked before 赵磊 was saved is a duplicate now"
    );
    assert_eq!(names_found(&t.app, "赵磊").len(), 1);
    // Without a change in between, the import takes what its preview checked.
    let again = write_gbk(t.dir.path(), "again.csv", "姓名,手机\r\n陈静,13700003333\r\n");
    let preview = t.app.preview_import(&request(&again)).unwrap();
    let r = t
        .app
        .import_customers(&ImportRequest {
            mapping: Some(preview.mapping),
            expect_valid: Some(preview.check.valid),
            ..request(&again)
        })
        .unwrap();
    assert_eq!(r.created, 1);
}

//! Reading the files customers come in: a GBK CSV as Chinese Excel saves it, an `.xlsx`
//! written by a real writer (numbers, dates and text cells), and the files that must be
//! refused clearly (too big, gone, not a table). Fixtures are made here.

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

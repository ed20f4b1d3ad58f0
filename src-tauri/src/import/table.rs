//! A file to import, read into a table of text cells: CSV or text (its encoding and
//! separator detected, or as the user chose) or Excel (`.xlsx`, `.xls`: the first sheet
//! with data). A file that is empty, too big, or neither is refused with a field error on
//! `file`, before anything else happens.

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, FieldError, Result};

/// The largest file read (a bigger one is refused, never half-read into memory).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most data rows one import takes.
pub const MAX_ROWS: usize = 200_000;

crate::str_enum!(
    /// What kind of file it was.
    Format { Csv = "csv", Xlsx = "xlsx", Xls = "xls" }
);

/// How to read a text file; `None` is "detect".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ReadOptions {
    /// An encoding label (`UTF-8`, `GBK`, `GB18030`, `UTF-16LE`, …).
    pub encoding: Option<String>,
    /// `,`, `;` or a tab.
    pub separator: Option<char>,
}

/// The file as a table: the first row holds the headers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub format: Format,
    /// A text file's encoding, as detected or chosen.
    pub encoding: Option<String>,
    /// A text file's separator, as detected or chosen.
    pub separator: Option<char>,
    pub headers: Vec<String>,
    /// The data rows, each as long as the headers.
    pub rows: Vec<Vec<String>>,
    /// Where each data row is in the file, as a spreadsheet numbers it (the header row is
    /// usually 1; blank lines are skipped but still counted).
    #[serde(skip)]
    pub lines: Vec<usize>,
}

fn refuse(code: &'static str) -> Error {
    Error::Invalid(vec![FieldError::new("file", code)])
}

fn too_many_rows() -> Error {
    Error::Invalid(vec![FieldError::with_max("file", "too_many_rows", MAX_ROWS)])
}

/// Read the file at `path`.
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Table> {
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => refuse("file_missing"),
        _ => refuse("file_unreadable"),
    })?;
    let size = file.metadata().map_err(|_| refuse("file_unreadable"))?.len();
    if size > MAX_FILE_BYTES {
        return Err(Error::Invalid(vec![FieldError::with_max(
            "file",
            "file_too_big",
            (MAX_FILE_BYTES / 1024 / 1024) as usize,
        )]));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| refuse("file_unreadable"))?;
    read_bytes(&bytes, opts)
}

/// Read a file's bytes (see [`read`]).
pub fn read_bytes(bytes: &[u8], opts: &ReadOptions) -> Result<Table> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(refuse("file_empty"));
    }
    let (format, mut table) = if bytes.starts_with(b"PK\x03\x04") {
        (Format::Xlsx, excel(bytes, Format::Xlsx)?)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An old .xls, or an .xlsx protected by a password (also this container, holding
        // the workbook encrypted): that one cannot be read without the password.
        if password_protected(bytes) {
            return Err(refuse("excel_protected"));
        }
        (Format::Xls, excel(bytes, Format::Xls)?)
    } else {
        (Format::Csv, text(bytes, opts)?)
    };
    table.format = format;
    // Rows with nothing in them (a sheet's trailing blank lines) are not rows.
    let (rows, lines) = std::mem::take(&mut table.rows)
        .into_iter()
        .zip(std::mem::take(&mut table.lines))
        .filter(|(r, _)| r.iter().any(|c| !c.trim().is_empty()))
        .unzip();
    (table.rows, table.lines) = (rows, lines);
    if table.headers.iter().all(|h| h.trim().is_empty()) {
        return Err(refuse("file_empty"));
    }
    if table.rows.is_empty() {
        return Err(refuse("no_rows"));
    }
    if table.rows.len() > MAX_ROWS {
        return Err(too_many_rows());
    }
    let width = table
        .rows
        .iter()
        .map(Vec::len)
        .chain([table.headers.len()])
        .max()
        .unwrap_or(0);
    table.headers.resize(width, String::new());
    for r in &mut table.rows {
        r.resize(width, String::new());
    }
    Ok(table)
}

/// An Office file encrypted with a password: a compound file holding `EncryptedPackage`.
fn password_protected(bytes: &[u8]) -> bool {
    cfb::CompoundFile::open(std::io::Cursor::new(bytes)).is_ok_and(|c| c.exists("/EncryptedPackage"))
}

/// The first sheet with data, every cell as text.
fn excel(bytes: &[u8], format: Format) -> Result<Table> {
    let cursor = std::io::Cursor::new(bytes);
    let range = match format {
        Format::Xls => calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(cursor)
            .ok()
            .and_then(|mut w| first_sheet(&mut w)),
        _ => calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(cursor)
            .ok()
            .and_then(|mut w| first_sheet(&mut w)),
    };
    let range = range.ok_or_else(|| refuse("excel_unreadable"))?;
    // The sheet's own row numbers: the used range may start below row 1.
    let first = range.start().map_or(0, |(row, _)| row as usize) + 1;
    let mut rows = range.rows().map(|r| r.iter().map(cell_text).collect::<Vec<String>>());
    let headers = rows.next().unwrap_or_default();
    let rows: Vec<Vec<String>> = rows.collect();
    Ok(Table {
        format,
        encoding: None,
        separator: None,
        headers,
        lines: (first + 1..).take(rows.len()).collect(),
        rows,
    })
}

fn first_sheet<RS, R>(w: &mut R) -> Option<calamine::Range<calamine::Data>>
where
    RS: std::io::Read + std::io::Seek,
    R: calamine::Reader<RS>,
{
    let count = w.sheet_names().len();
    let mut first = None;
    for i in 0..count {
        let range = w.worksheet_range_at(i)?.ok()?;
        if !range.is_empty() {
            return Some(range);
        }
        first.get_or_insert(range);
    }
    first
}

/// A cell as the sheet shows it: whole numbers without `.0`, dates as `YYYY-MM-DD`.
fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            None => dt.to_string(),
        },
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// A text file: decoded, its separator found, parsed as CSV.
fn text(bytes: &[u8], opts: &ReadOptions) -> Result<Table> {
    let encoding = match &opts.encoding {
        Some(label) => encoding_rs::Encoding::for_label(label.trim().as_bytes())
            .ok_or_else(|| Error::Invalid(vec![FieldError::new("encoding", "unknown_encoding")]))?,
        None => detect_encoding(bytes)?,
    };
    // The BOM, when there is one, wins over a label (as browsers do).
    let (decoded, used, _) = encoding.decode(bytes);
    let decoded = decoded.trim_start_matches('\u{feff}');
    let separator = opts.separator.unwrap_or_else(|| detect_separator(decoded));
    if !matches!(separator, ',' | ';' | '\t' | '|') {
        return Err(Error::Invalid(vec![FieldError::new("separator", "invalid_choice")]));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator as u8)
        .from_reader(decoded.as_bytes());
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    // Each record's first line; the reader skips blank lines without counting them.
    let bytes = decoded.as_bytes();
    let (mut line, mut start) = (1, 0);
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(|_| refuse("csv_unreadable"))? {
        let mut at = start;
        while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
            line += usize::from(bytes[at] == b'\n');
            at += 1;
        }
        lines.push(line);
        let end = (reader.position().byte() as usize).clamp(at, bytes.len());
        line += memchr::memchr_iter(b'\n', &bytes[at..end]).count();
        start = end;
        rows.push(record.iter().map(str::to_string).collect::<Vec<String>>());
        if rows.len() > MAX_ROWS + 1 {
            return Err(too_many_rows());
        }
    }
    let mut rows = rows.into_iter();
    let headers = rows.next().unwrap_or_default();
    Ok(Table {
        format: Format::Csv,
        encoding: Some(used.name().to_string()),
        separator: Some(separator),
        headers,
        rows: rows.collect(),
        lines: lines.into_iter().skip(1).collect(),
    })
}

/// UTF-8 (with or without BOM) when the bytes are UTF-8; UTF-16 by its BOM (Excel's
/// "Unicode text"); else what chardetng finds (GBK for Chinese Excel's CSV, read as its
/// superset GB18030). A file with NUL bytes and no UTF-16 BOM is not text.
fn detect_encoding(bytes: &[u8]) -> Result<&'static encoding_rs::Encoding> {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return Ok(enc);
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if head.contains(&0) {
        return Err(refuse("not_a_table"));
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Ok(encoding_rs::UTF_8);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(head, head.len() == bytes.len());
    let found = detector.guess(None, false);
    Ok(if found == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        found
    })
}

/// The separator that splits the first lines most evenly: comma, semicolon, tab or bar.
fn detect_separator(text: &str) -> char {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let mut best = (',', 0usize);
    for sep in [',', ';', '\t', '|'] {
        let counts: Vec<usize> = lines.iter().map(|l| outside_quotes(l, sep)).collect();
        let Some(&first) = counts.first() else { continue };
        // Every line split alike, into more columns than the best so far.
        if first > best.1 && counts.iter().all(|c| *c == first) {
            best = (sep, first);
        }
    }
    if best.1 > 0 {
        return best.0;
    }
    // Uneven lines: the separator seen most in the first line.
    let first = lines.first().copied().unwrap_or_default();
    [',', ';', '\t', '|']
        .into_iter()
        .max_by_key(|s| outside_quotes(first, *s))
        .unwrap_or(',')
}

fn outside_quotes(line: &str, sep: char) -> usize {
    let mut quoted = false;
    line.chars()
        .filter(|c| {
            if *c == '"' {
                quoted = !quoted;
            }
            !quoted && *c == sep
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(e: Error) -> Vec<(String, &'static str)> {
        e.fields().iter().map(|f| (f.field.clone(), f.code)).collect()
    }

    #[test]
    fn utf8_with_and_without_bom_gbk_and_utf16_are_read() {
        let csv = "姓名,手机,备注\n张伟,13800001111,\"靠窗, 不要香菜\"\n";
        let plain = read_bytes(csv.as_bytes(), &ReadOptions::default()).unwrap();
        assert_eq!(plain.encoding.as_deref(), Some("UTF-8"));
        assert_eq!(plain.headers, ["姓名", "手机", "备注"]);
        assert_eq!(plain.rows, [["张伟", "13800001111", "靠窗, 不要香菜"]]);

        let with_bom = [b"\xEF\xBB\xBF".as_slice(), csv.as_bytes()].concat();
        assert_eq!(
            read_bytes(&with_bom, &ReadOptions::default()).unwrap().headers[0],
            "姓名"
        );

        let (gbk, _, _) = encoding_rs::GBK.encode(csv);
        let t = read_bytes(&gbk, &ReadOptions::default()).unwrap();
        assert_eq!(t.encoding.as_deref(), Some("gb18030"));
        assert_eq!(t.rows, plain.rows);

        let mut utf16 = vec![0xFF, 0xFE];
        for u in csv
            .replace(',', "\t")
            .replace("\"靠窗\t 不要香菜\"", "靠窗")
            .encode_utf16()
        {
            utf16.extend(u.to_le_bytes());
        }
        let t = read_bytes(&utf16, &ReadOptions::default()).unwrap();
        assert_eq!((t.encoding.as_deref(), t.separator), (Some("UTF-16LE"), Some('\t')));
        assert_eq!(t.rows, [["张伟", "13800001111", "靠窗"]]);
    }

    #[test]
    fn the_user_may_choose_another_encoding_and_separator() {
        let csv = "姓名;手机\n李娜;13900002222\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(csv);
        let t = read_bytes(
            &gbk,
            &ReadOptions {
                encoding: Some("GBK".into()),
                separator: None,
            },
        )
        .unwrap();
        assert_eq!((t.separator, t.rows[0][0].as_str()), (Some(';'), "李娜"));
        let t = read_bytes(
            &gbk,
            &ReadOptions {
                encoding: None,
                separator: Some(','),
            },
        )
        .unwrap();
        assert_eq!(t.headers.len(), 1);
        let e = read_bytes(
            &gbk,
            &ReadOptions {
                encoding: Some("martian".into()),
                separator: None,
            },
        )
        .unwrap_err();
        assert_eq!(codes(e), [("encoding".to_string(), "unknown_encoding")]);
    }

    #[test]
    fn separators_are_detected() {
        for (text, sep) in [
            ("a,b,c\n1,2,3\n", ','),
            ("a;b;c\n1;2;3\n", ';'),
            ("a\tb\tc\n1\t2\t3\n", '\t'),
            ("name,notes\n\"x; y; z\",ok\n", ','),
        ] {
            assert_eq!(detect_separator(text), sep, "{text:?}");
        }
    }

    #[test]
    fn files_that_are_not_tables_are_refused_clearly() {
        let none = ReadOptions::default();
        let png = [b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(), &[0u8; 64]].concat();
        for (bytes, code) in [
            (b"".as_slice(), "file_empty"),
            (b"  \n\n".as_slice(), "file_empty"),
            (png.as_slice(), "not_a_table"),
            (b"name,phone\n".as_slice(), "no_rows"),
            (b"name,phone\n,\n".as_slice(), "no_rows"),
            (b"PK\x03\x04 not really a zip".as_slice(), "excel_unreadable"),
            (
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not really ole".as_slice(),
                "excel_unreadable",
            ),
        ] {
            let e = read_bytes(bytes, &none).unwrap_err();
            assert_eq!(codes(e), [("file".to_string(), code)], "{bytes:?}");
        }
    }

    #[test]
    fn short_rows_are_padded_to_the_widest() {
        let t = read_bytes(b"a,b\n1\n1,2,3\n", &ReadOptions::default()).unwrap();
        assert_eq!(t.headers, ["a", "b", ""]);
        assert_eq!(t.rows, [["1", "", ""], ["1", "2", "3"]]);
    }
}
#[cfg(test)]
mod line_tests {
    #[test]
    fn rows_keep_the_line_a_spreadsheet_shows_them_on() {
        // A quoted cell over two lines, and a blank line, before the last row.
        let t = super::read_bytes("a,b\r\nx,1\r\ny,\"2\n2\"\r\n\r\nz,3\n".as_bytes(), &Default::default()).unwrap();
        assert_eq!(t.lines, [2, 3, 6]);
        assert_eq!(t.rows.len(), 3);
    }
}

//! Export: customers, visits, complaints with their log, and reminders to .xlsx or .csv.
//!
//! One read snapshot feeds every sheet. An `.xlsx` is one workbook with a sheet per kind
//! (dates and times as date cells, money and counts as numbers, every user text as a
//! string cell, so nothing is ever a formula). A `.csv` is UTF-8 with a BOM, one file per
//! kind, each text cell guarded against formula injection. Every file is written under a
//! temporary name in the chosen folder and renamed into place only when all are complete.
//!
//! The customers sheet is read back by the importer: its headers and cell shapes are a
//! contract with `import::mapping` and `import::values` (tested below).

use crate::arrivals::{Booking, BookingState};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::store::db::Db;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};

use super::{App, Store};
use crate::complaints::{ClaimKind, Complaint, ComplaintChannel, ComplaintState, LogEntry, Severity};
use crate::customers::model::{Calendar, Customer, ListQuery, PreferenceKind, Source, SpecialDate, Tier};
use crate::error::{Error, FieldError, Result};
use crate::kernel::time::{stored_date, ts_to_local};
use crate::reminders::{Reminder, ReminderKind, ReminderState};
use crate::visits::{Channel, Purpose, Visit, VisitState};

crate::str_enum!(
    /// The file an export writes.
    ExportFormat { Xlsx = "xlsx", Csv = "csv" }
);
crate::str_enum!(
    /// What an export holds.
    ExportKind { Customers = "customers", Visits = "visits", Complaints = "complaints", Reminders = "reminders", Bookings = "bookings" }
);

/// What the export dialog sends.
#[derive(Debug, Clone, Deserialize)]
pub struct ExportRequest {
    /// Where the user chose to save (`.xlsx` or `.csv`).
    pub path: String,
    pub format: ExportFormat,
    /// At least one.
    pub kinds: Vec<ExportKind>,
    /// The customer list as filtered (every page of it); `None`: every customer, archived
    /// ones included.
    #[serde(default)]
    pub customers: Option<ListQuery>,
    /// `zh-CN` (the default) or `en`: headers and the words for choices.
    #[serde(default)]
    pub lang: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportResult {
    /// The files written, in sheet order.
    pub files: Vec<String>,
    /// Data rows per sheet (`customers`, `visits`, `complaints`, `complaint_log`, `reminders`).
    pub counts: Vec<ExportCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportCount {
    pub kind: &'static str,
    pub rows: usize,
}

impl App {
    /// Export what `req` asks for. Reads only; a failed export leaves no file behind under
    /// the chosen name.
    pub fn export(&self, req: &ExportRequest) -> Result<ExportResult> {
        let plan = Plan::of(req)?;
        let ids = match &req.customers {
            Some(q) if plan.tables.contains(&Table::Customers) => Some(self.customer_ids(q)?),
            _ => None,
        };
        let now = self.now_local();
        let write = |conn: Db<'_>| {
            let src = Sources {
                conn,
                ids: ids.as_deref(),
                now,
                lang: plan.lang,
            };
            match req.format {
                ExportFormat::Xlsx => write_xlsx(&plan, &src),
                ExportFormat::Csv => write_csv(&plan, &src),
            }
        };
        // A connection of its own: the window keeps working (and saving) while a large
        // export is written. One snapshot for every sheet; nothing is written.
        match &self.store {
            Store::Desk(_) => {
                let mut conn = crate::store::open_reader(&self.data_dir)?;
                let tx = conn.transaction()?;
                write(Db::from(&tx))
            }
            Store::Server(shared) => shared.snapshot(write),
        }
    }

    /// Every customer the list shows for `q` (all pages), in the list's order.
    fn customer_ids(&self, q: &ListQuery) -> Result<Vec<i64>> {
        let q = ListQuery {
            offset: 0,
            limit: None,
            only_ids: if q.booked_today {
                Some(self.booked_today_ids()?)
            } else {
                None
            },
            ..q.clone()
        };
        let ctx = self.query_context()?;
        Ok(self.customer_index()?.query(&q, usize::MAX, &ctx).ids)
    }
}

// ---------------------------------------------------------------------------------------
// What to write where.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Zh,
    En,
}

impl Lang {
    fn of(code: &str) -> Lang {
        if code.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    fn yes_no(self, v: bool) -> &'static str {
        match v {
            true => self.pick("是", "yes"),
            false => self.pick("否", "no"),
        }
    }
}

/// One sheet (or CSV file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Customers,
    Visits,
    Complaints,
    ComplaintLog,
    Reminders,
    Bookings,
}

impl Table {
    /// The name in counts and in a CSV file's name.
    fn key(self) -> &'static str {
        match self {
            Table::Customers => "customers",
            Table::Visits => "visits",
            Table::Complaints => "complaints",
            Table::ComplaintLog => "complaint_log",
            Table::Reminders => "reminders",
            Table::Bookings => "bookings",
        }
    }

    fn file_suffix(self) -> &'static str {
        match self {
            Table::ComplaintLog => "complaint-log",
            t => t.key(),
        }
    }

    fn title(self, l: Lang) -> &'static str {
        match self {
            Table::Customers => l.pick("客户", "Customers"),
            Table::Visits => l.pick("回访", "Visits"),
            Table::Complaints => l.pick("投诉", "Complaints"),
            Table::ComplaintLog => l.pick("投诉处理记录", "Complaint log"),
            Table::Reminders => l.pick("提醒", "Reminders"),
            Table::Bookings => l.pick("预约到店", "Bookings"),
        }
    }

    /// Headers `(zh, en, width)`.
    fn columns(self) -> &'static [(&'static str, &'static str, f64)] {
        match self {
            Table::Customers => CUSTOMER_COLUMNS,
            Table::Visits => VISIT_COLUMNS,
            Table::Complaints => COMPLAINT_COLUMNS,
            Table::ComplaintLog => LOG_COLUMNS,
            Table::Reminders => REMINDER_COLUMNS,
            Table::Bookings => BOOKING_COLUMNS,
        }
    }

    fn headers(self, l: Lang) -> Vec<&'static str> {
        self.columns().iter().map(|(zh, en, _)| l.pick(zh, en)).collect()
    }
}

/// The customers sheet: the importer reads these headers back (see the tests).
const CUSTOMER_COLUMNS: &[(&str, &str, f64)] = &[
    ("姓名", "Name", 14.0),
    ("电话", "Phone", 18.0),
    ("微信", "WeChat", 14.0),
    ("邮箱", "Email", 22.0),
    ("地址", "Address", 28.0),
    ("公司", "Company", 20.0),
    ("来源", "Source", 10.0),
    ("首次接待", "First contact", 12.0),
    ("等级", "Tier", 8.0),
    ("标签", "Tags", 18.0),
    ("备注", "Notes", 30.0),
    ("生日", "Birthday", 14.0),
    ("纪念日", "Anniversary", 14.0),
    ("饮食偏好", "Food preference", 18.0),
    ("座位偏好", "Seating preference", 18.0),
    ("过敏", "Allergy", 14.0),
    ("联系时间偏好", "Contact time preference", 18.0),
    ("语言偏好", "Language preference", 14.0),
    ("其他偏好", "Other preference", 18.0),
    ("编号", "ID", 8.0),
    ("创建时间", "Created", 17.0),
    ("最近联系", "Last contact", 12.0),
    ("已归档", "Archived", 8.0),
];

/// The preference kinds, in the order of their columns.
const PREFERENCE_COLUMNS: [PreferenceKind; 6] = [
    PreferenceKind::Food,
    PreferenceKind::Seating,
    PreferenceKind::Allergy,
    PreferenceKind::ContactTime,
    PreferenceKind::Language,
    PreferenceKind::Other,
];

const VISIT_COLUMNS: &[(&str, &str, f64)] = &[
    ("客户", "Customer", 14.0),
    ("电话", "Phone", 16.0),
    ("日期", "Date", 12.0),
    ("时间", "Time", 7.0),
    ("方式", "Channel", 10.0),
    ("目的", "Purpose", 14.0),
    ("提纲", "Outline", 28.0),
    ("负责人", "Staff", 10.0),
    ("状态", "State", 9.0),
    ("尝试次数", "Attempts", 8.0),
    ("联系上", "Reached", 8.0),
    ("结果", "Outcome", 30.0),
    ("满意度", "Satisfaction", 8.0),
    ("下一步", "Next step", 20.0),
    ("完成时间", "Completed", 17.0),
];

const COMPLAINT_COLUMNS: &[(&str, &str, f64)] = &[
    ("编号", "Serial", 14.0),
    ("客户", "Customer", 14.0),
    ("电话", "Phone", 16.0),
    ("渠道", "Channel", 8.0),
    ("收到时间", "Received", 17.0),
    ("类别", "Category", 12.0),
    ("严重程度", "Severity", 9.0),
    ("摘要", "Summary", 24.0),
    ("详情", "Details", 30.0),
    ("诉求", "Claim", 14.0),
    ("诉求金额", "Claim amount", 11.0),
    ("状态", "State", 10.0),
    ("处理人", "Handler", 10.0),
    ("响应期限", "Response due", 17.0),
    ("解决期限", "Resolution due", 17.0),
    ("升级", "Escalation", 12.0),
    ("处理结果", "Resolution", 30.0),
    ("补救", "Remedy", 14.0),
    ("补救金额", "Remedy amount", 11.0),
    ("根本原因", "Root cause", 20.0),
    ("解决时间", "Resolved", 17.0),
    ("结案时间", "Closed", 17.0),
    ("满意度", "Satisfaction", 8.0),
    ("客户接受", "Accepted", 8.0),
];

const LOG_COLUMNS: &[(&str, &str, f64)] = &[
    ("投诉编号", "Serial", 14.0),
    ("时间", "Time", 17.0),
    ("处理人", "Staff", 10.0),
    ("操作", "Action", 12.0),
    ("内容", "Text", 40.0),
];

const REMINDER_COLUMNS: &[(&str, &str, f64)] = &[
    ("到期时间", "Due", 17.0),
    ("类型", "Kind", 12.0),
    ("状态", "State", 9.0),
    ("标题", "Title", 24.0),
    ("内容", "Text", 36.0),
    ("客户", "Customer", 14.0),
    ("负责人", "Staff", 10.0),
    ("提醒时间", "Fired", 17.0),
    ("处理时间", "Closed", 17.0),
    ("补发", "Late", 6.0),
];

/// A request checked: the folder, the file name, the sheets.
struct Plan {
    dir: PathBuf,
    path: PathBuf,
    tables: Vec<Table>,
    lang: Lang,
}

impl Plan {
    fn of(req: &ExportRequest) -> Result<Plan> {
        let invalid = |field: &str, code: &'static str| Error::Invalid(vec![FieldError::new(field, code)]);
        if req.kinds.is_empty() {
            return Err(invalid("kinds", "required"));
        }
        let path = PathBuf::from(req.path.trim());
        if req.path.trim().is_empty() || path.file_name().is_none() {
            return Err(invalid("path", "required"));
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => return Err(invalid("path", "folder_missing")),
        };
        if !dir.is_dir() {
            return Err(invalid("path", "folder_missing"));
        }
        let mut tables = Vec::new();
        for kind in ExportKind::ALL.iter().filter(|k| req.kinds.contains(k)) {
            match kind {
                ExportKind::Customers => tables.push(Table::Customers),
                ExportKind::Visits => tables.push(Table::Visits),
                ExportKind::Complaints => tables.extend([Table::Complaints, Table::ComplaintLog]),
                ExportKind::Reminders => tables.push(Table::Reminders),
                ExportKind::Bookings => tables.push(Table::Bookings),
            }
        }
        Ok(Plan {
            dir,
            path,
            tables,
            lang: Lang::of(&req.lang),
        })
    }

    /// Where a table's CSV goes: the chosen path when it is the only one, else
    /// `<stem>-<table>.csv` beside it.
    fn csv_path(&self, table: Table) -> PathBuf {
        if self.tables.len() == 1 {
            return self.path.clone();
        }
        let stem = self.path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
        self.dir.join(format!("{stem}-{}.csv", table.file_suffix()))
    }
}

/// What the sheets are read from.
struct Sources<'a> {
    conn: Db<'a>,
    /// The customers to export, in order; `None`: all.
    ids: Option<&'a [i64]>,
    now: NaiveDateTime,
    lang: Lang,
}

// ---------------------------------------------------------------------------------------
// Cells and the two writers.

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Number(f64),
    /// Money in cents (shown with two decimals).
    Money(i64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

fn text<'a>(s: impl Into<Cow<'a, str>>) -> Cell<'a> {
    Cell::Text(s.into())
}

fn opt_number(n: Option<impl Into<f64>>) -> Cell<'static> {
    n.map_or(Cell::Empty, |n| Cell::Number(n.into()))
}

fn money(cents: Option<i64>) -> Cell<'static> {
    cents.map_or(Cell::Empty, Cell::Money)
}

/// A stored UTC timestamp, as a local date and time.
fn ts_cell(ts: Option<&str>) -> Cell<'static> {
    ts.and_then(ts_to_local).map_or(Cell::Empty, Cell::DateTime)
}

/// A stored local date (`YYYY-MM-DD`).
fn date_cell(d: Option<&str>) -> Cell<'static> {
    d.and_then(stored_date).map_or(Cell::Empty, Cell::Date)
}

fn yes_no(l: Lang, v: Option<bool>) -> Cell<'static> {
    v.map_or(Cell::Empty, |v| text(l.yes_no(v)))
}

/// Where rows go: a worksheet or a CSV file.
trait Sink {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<()>;
}

fn csv_field<'a>(c: &'a Cell<'_>) -> Cow<'a, str> {
    match c {
        Cell::Empty => Cow::Borrowed(""),
        Cell::Text(s) => crate::kernel::sheet::guard_formula(s),
        Cell::Number(n) => Cow::Owned(n.to_string()),
        Cell::Money(cents) => Cow::Owned(format!(
            "{}{}.{:02}",
            if *cents < 0 { "-" } else { "" },
            cents.unsigned_abs() / 100,
            cents.unsigned_abs() % 100
        )),
        Cell::Date(d) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
        Cell::DateTime(t) => Cow::Owned(t.format("%Y-%m-%d %H:%M").to_string()),
    }
}

struct CsvSink<W: std::io::Write> {
    out: csv::Writer<W>,
}

impl<W: std::io::Write> CsvSink<W> {
    fn new(mut w: W, headers: &[&str]) -> Result<Self> {
        w.write_all("\u{feff}".as_bytes()).map_err(|e| io_error(&e))?;
        let mut out = csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(w);
        out.write_record(headers).map_err(csv_error)?;
        Ok(CsvSink { out })
    }

    fn finish(self) -> Result<W> {
        self.out.into_inner().map_err(|e| io_error(e.error()))
    }
}

impl<W: std::io::Write> Sink for CsvSink<W> {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        for c in cells {
            self.out.write_field(csv_field(c).as_bytes()).map_err(csv_error)?;
        }
        self.out.write_record(None::<&[u8]>).map_err(csv_error)
    }
}

struct Formats {
    header: Format,
    date: Format,
    datetime: Format,
    money: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            money: Format::new().set_num_format("0.00"),
        }
    }
}

struct XlsxSink<'w> {
    sheet: &'w mut Worksheet,
    formats: &'w Formats,
    row: u32,
}

impl<'w> XlsxSink<'w> {
    fn new(sheet: &'w mut Worksheet, formats: &'w Formats, table: Table, lang: Lang) -> Result<Self> {
        sheet.set_name(table.title(lang)).map_err(xlsx_error)?;
        for (col, (zh, en, width)) in table.columns().iter().enumerate() {
            let col = col as u16;
            sheet.set_column_width(col, *width).map_err(xlsx_error)?;
            sheet
                .write_string_with_format(0, col, lang.pick(zh, en), &formats.header)
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        Ok(XlsxSink { sheet, formats, row: 0 })
    }
}

fn excel_date(d: NaiveDate) -> std::result::Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

impl Sink for XlsxSink<'_> {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        self.row += 1;
        let (row, f) = (self.row, self.formats);
        for (col, cell) in cells.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Empty => continue,
                Cell::Text(s) if s.is_empty() => continue,
                // Always a string cell: text that looks like a formula stays text.
                Cell::Text(s) => self.sheet.write_string(row, col, s.as_ref()),
                Cell::Number(n) => self.sheet.write_number(row, col, *n),
                Cell::Money(cents) => self
                    .sheet
                    .write_number_with_format(row, col, *cents as f64 / 100.0, &f.money),
                Cell::Date(d) => {
                    let d = excel_date(*d).map_err(xlsx_error)?;
                    self.sheet.write_datetime_with_format(row, col, d, &f.date)
                }
                Cell::DateTime(t) => {
                    let t = excel_date(t.date())
                        .and_then(|d| d.and_hms(t.hour() as u16, t.minute() as u8, t.second()))
                        .map_err(xlsx_error)?;
                    self.sheet.write_datetime_with_format(row, col, t, &f.datetime)
                }
            }
            .map_err(xlsx_error)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Files: written under a temporary name beside the target, renamed into place at the end.

fn io_error(e: &std::io::Error) -> Error {
    Error::file_write(e, Path::new("the export"))
}

fn csv_error(e: csv::Error) -> Error {
    match e.kind() {
        csv::ErrorKind::Io(io) => io_error(io),
        _ => Error::Internal(format!("export: {e}")),
    }
}

fn xlsx_error(e: XlsxError) -> Error {
    if let XlsxError::IoError(io) = &e {
        return io_error(io);
    }
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return io_error(io);
        }
        source = s.source();
    }
    Error::Internal(format!("export: {e}"))
}

/// A new file in `dir` under a temporary name (removed unless kept).
fn temp_file(dir: &Path) -> Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(".frontdesk-export-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| io_error(&e))
}

/// Flush each finished temporary file to the disk, then rename them all into place.
fn keep_all(done: Vec<(tempfile::NamedTempFile, PathBuf)>) -> Result<Vec<String>> {
    for (tmp, _) in &done {
        tmp.as_file().sync_all().map_err(|e| io_error(&e))?;
    }
    let mut files = Vec::new();
    for (tmp, path) in done {
        tmp.persist(&path).map_err(|e| io_error(&e.error))?;
        files.push(path.display().to_string());
    }
    Ok(files)
}

fn write_xlsx(plan: &Plan, src: &Sources<'_>) -> Result<ExportResult> {
    // The file first: a missing or read-only folder is found before any work.
    let mut tmp = temp_file(&plan.dir)?;
    let formats = Formats::new();
    let mut book = Workbook::new();
    let mut counts = Vec::new();
    for &table in &plan.tables {
        let mut sink = XlsxSink::new(book.add_worksheet_with_constant_memory(), &formats, table, plan.lang)?;
        let rows = fill(table, src, &mut sink)?;
        counts.push(ExportCount {
            kind: table.key(),
            rows,
        });
    }
    book.save_to_writer(tmp.as_file_mut()).map_err(xlsx_error)?;
    let files = keep_all(vec![(tmp, plan.path.clone())])?;
    Ok(ExportResult { files, counts })
}

/// A table of text at `path`, written as every export file is (UTF-8 with BOM, the formula
/// guard, a temporary name renamed into place): the import's list of errors.
pub(super) fn write_text_csv(path: &Path, headers: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .ok_or_else(|| Error::Invalid(vec![FieldError::new("path", "folder_missing")]))?;
    let mut sink = CsvSink::new(temp_file(dir)?, headers)?;
    for row in rows {
        let cells: Vec<Cell<'_>> = row.iter().map(|c| text(c.as_str())).collect();
        sink.row(&cells)?;
    }
    keep_all(vec![(sink.finish()?, path.to_path_buf())])?;
    Ok(())
}

/// A value of a plain sheet: text, or a number Excel can sum.
pub(super) enum Value {
    Text(String),
    Number(Option<f64>),
}

/// A plain sheet: its name, headers and rows.
pub(super) struct PlainSheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Plain sheets to one `.xlsx` at `path` (a temporary name renamed into place, as every
/// export): the manager's figures and the records behind them.
pub(super) fn write_plain_xlsx(path: &Path, sheets: &[PlainSheet]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .ok_or_else(|| Error::Invalid(vec![FieldError::new("path", "folder_missing")]))?;
    let mut tmp = temp_file(dir)?;
    let formats = Formats::new();
    let mut book = Workbook::new();
    for s in sheets {
        let sheet = book.add_worksheet_with_constant_memory();
        // Excel allows 31 characters and no []:*?/\ in a sheet name.
        let name: String = s.name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
        sheet.set_name(name).map_err(xlsx_error)?;
        for (col, h) in s.headers.iter().enumerate() {
            sheet
                .set_column_width(col as u16, if col == 0 { 34.0 } else { 18.0 })
                .map_err(xlsx_error)?;
            sheet
                .write_string_with_format(0, col as u16, h, &formats.header)
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        for (r, row) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (col, v) in row.iter().enumerate() {
                match v {
                    Value::Text(t) => sheet.write_string(r, col as u16, t).map(|_| ()),
                    Value::Number(Some(n)) => sheet.write_number(r, col as u16, *n).map(|_| ()),
                    Value::Number(None) => Ok(()),
                }
                .map_err(xlsx_error)?;
            }
        }
    }
    book.save_to_writer(tmp.as_file_mut()).map_err(xlsx_error)?;
    keep_all(vec![(tmp, path.to_path_buf())])?;
    Ok(())
}

fn write_csv(plan: &Plan, src: &Sources<'_>) -> Result<ExportResult> {
    let mut done = Vec::new();
    let mut counts = Vec::new();
    for &table in &plan.tables {
        let tmp = temp_file(&plan.dir)?;
        let mut sink = CsvSink::new(tmp, &table.headers(plan.lang))?;
        let rows = fill(table, src, &mut sink)?;
        done.push((sink.finish()?, plan.csv_path(table)));
        counts.push(ExportCount {
            kind: table.key(),
            rows,
        });
    }
    let files = keep_all(done)?;
    Ok(ExportResult { files, counts })
}

const BOOKING_COLUMNS: &[(&str, &str, f64)] = &[
    ("客户", "Customer", 14.0),
    ("电话", "Phone", 16.0),
    ("日期", "Date", 12.0),
    ("时间", "Time", 7.0),
    ("离店日期", "Check-out", 12.0),
    ("人数", "Party", 6.0),
    ("预约内容", "What", 16.0),
    ("资源", "Resource", 12.0),
    ("负责人", "Staff", 10.0),
    ("备注", "Notes", 28.0),
    ("状态", "State", 9.0),
    ("到店时间", "Arrived", 17.0),
    ("取消原因", "Cancel reason", 18.0),
    ("散客", "Walk-in", 7.0),
];

// ---------------------------------------------------------------------------------------
// Rows.

/// Write every row of `table` to `sink`; returns how many.
fn fill(table: Table, src: &Sources<'_>, sink: &mut dyn Sink) -> Result<usize> {
    let l = src.lang;
    let mut n = 0usize;
    match table {
        Table::Customers => crate::customers::repo::for_each_customer(src.conn, src.ids, |c| {
            n += 1;
            sink.row(&customer_cells(&c, l))
        })?,
        Table::Visits => crate::visits::repo::for_each_visit(src.conn, |v, phone| {
            n += 1;
            sink.row(&visit_cells(&v, &phone, l))
        })?,
        Table::Complaints => crate::complaints::repo::for_each_complaint(src.conn, src.now, |c, phone| {
            n += 1;
            sink.row(&complaint_cells(&c, &phone, l))
        })?,
        Table::ComplaintLog => crate::complaints::repo::for_each_log_entry(src.conn, |serial, e| {
            n += 1;
            sink.row(&[
                text(serial),
                ts_cell(Some(&e.at)),
                text(e.staff.as_str()),
                text(log_kind_word(&e.kind, l)),
                text(log_text(&e, l)),
            ])
        })?,
        Table::Reminders => crate::reminders::repo::for_each_reminder(src.conn, |r| {
            n += 1;
            sink.row(&reminder_cells(&r, l))
        })?,
        Table::Bookings => crate::arrivals::repo::for_each_booking(src.conn, |b, phone| {
            n += 1;
            sink.row(&booking_cells(&b, &phone, l))
        })?,
    }
    Ok(n)
}

fn customer_cells(c: &Customer, l: Lang) -> Vec<Cell<'_>> {
    let mut cells = Vec::with_capacity(CUSTOMER_COLUMNS.len());
    cells.extend([
        text(c.name.as_str()),
        text(c.phones.join("; ")),
        text(c.wechat.as_str()),
        text(c.email.as_str()),
        text(c.address.as_str()),
        text(c.company.as_str()),
        text(source_word(c.source, l)),
        text(c.first_contact.as_str()),
        text(tier_word(c.tier, l)),
        text(c.tags.join("; ")),
        text(c.notes.as_str()),
        special_date_cell(c.birthday.as_ref(), l),
        special_date_cell(c.anniversary.as_ref(), l),
    ]);
    for kind in PREFERENCE_COLUMNS {
        let entries: Vec<&str> = c
            .preferences
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.text.as_str())
            .collect();
        cells.push(text(entries.join("; ")));
    }
    cells.extend([
        Cell::Number(c.id as f64),
        ts_cell(Some(&c.created_at)),
        date_cell(c.last_contact_date.as_deref()),
        text(l.yes_no(c.archived_at.is_some())),
    ]);
    cells
}

/// A birthday or anniversary as the importer reads it back: a gregorian date with its
/// year is a date; without one `M月D日` / `MM-DD`; a lunar one `农历[YYYY年][闰]十月十五`
/// in both languages.
fn special_date_cell(d: Option<&SpecialDate>, l: Lang) -> Cell<'static> {
    let Some(d) = d else { return Cell::Empty };
    match (d.calendar, d.year) {
        (Calendar::Gregorian, Some(y)) => {
            NaiveDate::from_ymd_opt(y, d.month, d.day).map_or_else(|| text(special_date_text(d, l)), Cell::Date)
        }
        _ => text(special_date_text(d, l)),
    }
}

fn special_date_text(d: &SpecialDate, l: Lang) -> String {
    match d.calendar {
        Calendar::Gregorian => match (d.year, l) {
            (Some(y), _) => format!("{y:04}-{:02}-{:02}", d.month, d.day),
            (None, Lang::Zh) => format!("{}月{}日", d.month, d.day),
            (None, Lang::En) => format!("{:02}-{:02}", d.month, d.day),
        },
        Calendar::Lunar => {
            let year = d.year.map(|y| format!("{y}年")).unwrap_or_default();
            let leap = if d.leap_month { "闰" } else { "" };
            format!("农历{year}{leap}{}月{}", lunar_month(d.month), lunar_day(d.day))
        }
    }
}

const DIGITS: [&str; 11] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// `正`, `二`…`十`, `冬`, `腊` (without the `月`).
fn lunar_month(m: u32) -> Cow<'static, str> {
    match m {
        1 => "正".into(),
        11 => "冬".into(),
        12 => "腊".into(),
        m => DIGITS
            .get(m as usize)
            .copied()
            .map_or_else(|| m.to_string().into(), Cow::from),
    }
}

/// `初一`…`初十`, `十一`…`十九`, `二十`, `廿一`…`廿九`, `三十`.
fn lunar_day(d: u32) -> String {
    let digit = |n: u32| DIGITS.get(n as usize).copied().unwrap_or("");
    match d {
        1..=10 => format!("初{}", digit(d)),
        11..=19 => format!("十{}", digit(d - 10)),
        20 => "二十".into(),
        21..=29 => format!("廿{}", digit(d - 20)),
        30 => "三十".into(),
        d => d.to_string(),
    }
}

fn visit_cells<'a>(v: &'a Visit, phone: &'a str, l: Lang) -> Vec<Cell<'a>> {
    vec![
        text(v.customer_name.as_str()),
        text(phone),
        date_cell(Some(&v.due_date)),
        text(v.due_time.as_deref().unwrap_or_default()),
        text(channel_word(v.channel, l)),
        text(purpose_word(v.purpose, l)),
        text(v.outline.as_str()),
        text(v.staff.as_str()),
        text(visit_state_word(v.state, l)),
        Cell::Number(f64::from(v.attempts)),
        yes_no(l, v.reached),
        text(v.outcome_notes.as_str()),
        opt_number(v.satisfaction),
        text(v.next_step.as_str()),
        ts_cell(v.completed_at.as_deref()),
    ]
}

fn booking_cells<'a>(b: &'a Booking, phone: &'a str, l: Lang) -> Vec<Cell<'a>> {
    vec![
        text(b.customer_name.as_str()),
        text(phone),
        date_cell(Some(&b.date)),
        text(b.time.as_deref().unwrap_or_default()),
        date_cell(b.end_date.as_deref()),
        Cell::Number(f64::from(b.party)),
        text(b.what.as_str()),
        text(b.resource.as_str()),
        text(b.staff.as_str()),
        text(b.notes.as_str()),
        text(booking_state_word(b.state, l)),
        ts_cell(b.arrived_at.as_deref()),
        text(b.cancel_reason.as_str()),
        yes_no(l, Some(b.walk_in)),
    ]
}

fn booking_state_word(s: BookingState, l: Lang) -> &'static str {
    match s {
        BookingState::Booked => l.pick("已预约", "Booked"),
        BookingState::Arrived => l.pick("已到店", "Arrived"),
        BookingState::NoShow => l.pick("爽约", "No-show"),
        BookingState::Cancelled => l.pick("已取消", "Cancelled"),
    }
}

fn complaint_cells<'a>(c: &'a Complaint, phone: &'a str, l: Lang) -> Vec<Cell<'a>> {
    let category = match c.category.code.as_deref().and_then(|code| category_word(code, l)) {
        Some(word) => text(word),
        None => text(c.category.name.as_str()),
    };
    vec![
        text(c.serial.as_str()),
        text(c.customer_name.as_str()),
        text(phone),
        text(complaint_channel_word(c.channel, l)),
        ts_cell(Some(&c.received_at)),
        category,
        text(severity_word(c.severity, l)),
        text(c.summary.as_str()),
        text(c.details.as_str()),
        text(c.claim_kind.map_or("", |k| claim_word(k, l))),
        money(c.claim_amount_cents),
        text(complaint_state_word(c.state, l)),
        text(c.handler.as_str()),
        ts_cell(c.response_due.as_deref()),
        ts_cell(c.resolution_due.as_deref()),
        text(escalation_word(c.escalation_level, l)),
        text(c.resolution.as_str()),
        text(c.remedy_kind.map_or("", |k| claim_word(k, l))),
        money(c.remedy_amount_cents),
        text(c.root_cause.as_str()),
        ts_cell(c.resolved_at.as_deref()),
        ts_cell(c.closed_at.as_deref()),
        opt_number(c.satisfaction),
        yes_no(l, c.accepted),
    ]
}

fn reminder_cells(r: &Reminder, l: Lang) -> Vec<Cell<'_>> {
    let (title, body) = crate::reminders::texts::render(l.code(), r.kind, &r.args, false);
    vec![
        ts_cell(Some(&r.due_at)),
        text(reminder_kind_word(r.kind, l)),
        text(reminder_state_word(r.state, l)),
        text(title),
        text(body),
        text(r.customer_name.as_deref().unwrap_or_default()),
        text(r.staff.as_str()),
        ts_cell(r.fired_at.as_deref()),
        ts_cell(r.closed_at.as_deref()),
        text(if r.late { l.yes_no(true) } else { "" }),
    ]
}

/// A handling-log line's detail in words: its note, resolution or the change it made.
fn log_text(e: &LogEntry, l: Lang) -> String {
    let Ok(serde_json::Value::Object(d)) = serde_json::from_str::<serde_json::Value>(&e.detail) else {
        return match e.kind.as_str() {
            "breached" => match e.detail.as_str() {
                "response" => l.pick("响应超时", "response deadline"),
                "resolution" => l.pick("解决超时", "resolution deadline"),
                other => other,
            }
            .to_string(),
            // The serial is the line's first column already.
            "registered" => String::new(),
            "escalated" => e
                .detail
                .parse::<u8>()
                .map_or_else(|_| e.detail.clone(), |n| escalation_word(n, l).to_string()),
            _ => e.detail.clone(),
        };
    };
    let s = |key: &str| {
        d.get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .trim()
    };
    let mut parts: Vec<String> = Vec::new();
    match e.kind.as_str() {
        "state" | "reopened" => {
            let word = |key: &str| ComplaintState::parse(s(key)).map_or("", |st| complaint_state_word(st, l));
            parts.push(format!("{} → {}", word("from"), word("to")));
            if !s("duplicate_of").is_empty() {
                parts.push(format!("{} {}", l.pick("重复于", "duplicate of"), s("duplicate_of")));
            }
            parts.push(s("note").to_string());
        }
        "handler" => parts.push(format!("{} → {}", s("from"), s("to"))),
        "severity" => {
            let word = |key: &str| Severity::parse(s(key)).map_or_else(|| s(key), |v| severity_word(v, l));
            parts.push(format!("{} → {}", word("from"), word("to")));
        }
        "resolved" => {
            parts.push(s("resolution").to_string());
            if let Some(k) = ClaimKind::parse(s("remedy")) {
                parts.push(claim_word(k, l).to_string());
            }
            if let Some(c) = d.get("amount_cents").and_then(serde_json::Value::as_i64) {
                parts.push(csv_field(&Cell::Money(c)).into_owned());
            }
        }
        "closed" => {
            if let Some(n) = d.get("satisfaction").and_then(serde_json::Value::as_u64) {
                parts.push(format!("{} {n}", l.pick("满意度", "satisfaction")));
            }
            if let Some(a) = d.get("accepted").and_then(serde_json::Value::as_bool) {
                parts.push(format!("{} {}", l.pick("客户接受", "accepted"), l.yes_no(a)));
            }
            parts.push(s("return_visit").to_string());
        }
        _ => {
            // Any other shape: its text values, in order.
            parts.extend(d.values().filter_map(|v| v.as_str()).map(str::to_string));
        }
    }
    parts.retain(|p| !p.trim().is_empty());
    parts.join("; ")
}

// ---------------------------------------------------------------------------------------
// Words for choices, per language (the customers sheet's are read back by the importer).

fn source_word(s: Source, l: Lang) -> &'static str {
    match s {
        Source::WalkIn => l.pick("到店", "walk-in"),
        Source::Phone => l.pick("电话", "phone"),
        Source::Referral => l.pick("转介绍", "referral"),
        Source::Online => l.pick("网络", "online"),
        Source::Other => l.pick("其他", "other"),
    }
}

fn tier_word(t: Tier, l: Lang) -> &'static str {
    match t {
        Tier::Vip => "VIP",
        Tier::Major => l.pick("主要", "Major"),
        Tier::Regular => l.pick("普通", "Regular"),
        Tier::Small => l.pick("小", "Small"),
    }
}

fn channel_word(c: Channel, l: Lang) -> &'static str {
    match c {
        Channel::Phone => l.pick("电话", "Phone"),
        Channel::Message => l.pick("短信", "Text message"),
        Channel::Wechat => l.pick("微信", "WeChat"),
        Channel::InPerson => l.pick("当面", "In person"),
        Channel::Other => l.pick("其他", "Other"),
    }
}

fn purpose_word(p: Purpose, l: Lang) -> &'static str {
    match p {
        Purpose::Satisfaction => l.pick("满意度回访", "Satisfaction check"),
        Purpose::Birthday => l.pick("生日问候", "Birthday greeting"),
        Purpose::ComplaintFollowup => l.pick("投诉回访", "Complaint follow-up"),
        Purpose::KeepInTouch => l.pick("日常联系", "Keep in touch"),
        Purpose::Sales => l.pick("销售", "Sales"),
        Purpose::Other => l.pick("其他", "Other"),
    }
}

fn visit_state_word(s: VisitState, l: Lang) -> &'static str {
    match s {
        VisitState::Planned => l.pick("待回访", "Planned"),
        VisitState::Done => l.pick("已完成", "Done"),
        VisitState::Cancelled => l.pick("已取消", "Cancelled"),
    }
}

fn complaint_channel_word(c: ComplaintChannel, l: Lang) -> &'static str {
    match c {
        ComplaintChannel::Phone => l.pick("电话", "Phone"),
        ComplaintChannel::InPerson => l.pick("当面", "In person"),
        ComplaintChannel::Letter => l.pick("信函", "Letter"),
        ComplaintChannel::Fax => l.pick("传真", "Fax"),
        ComplaintChannel::Online => l.pick("网络", "Online"),
        ComplaintChannel::Wechat => l.pick("微信", "WeChat"),
        ComplaintChannel::Other => l.pick("其他", "Other"),
    }
}

fn severity_word(s: Severity, l: Lang) -> &'static str {
    match s {
        Severity::Low => l.pick("轻微", "Low"),
        Severity::Normal => l.pick("一般", "Normal"),
        Severity::High => l.pick("严重", "High"),
        Severity::Urgent => l.pick("紧急", "Urgent"),
    }
}

fn complaint_state_word(s: ComplaintState, l: Lang) -> &'static str {
    match s {
        ComplaintState::Registered => l.pick("已登记", "Registered"),
        ComplaintState::InProgress => l.pick("处理中", "In progress"),
        ComplaintState::Waiting => l.pick("等待客户", "Waiting on customer"),
        ComplaintState::Resolved => l.pick("已解决", "Resolved"),
        ComplaintState::Closed => l.pick("已结案", "Closed"),
        ComplaintState::Rejected => l.pick("已驳回", "Rejected"),
        ComplaintState::Duplicate => l.pick("重复投诉", "Duplicate"),
    }
}

fn claim_word(k: ClaimKind, l: Lang) -> &'static str {
    match k {
        ClaimKind::Compensation => l.pick("赔偿损失", "Compensation"),
        ClaimKind::Repair => l.pick("修理/更换/重做", "Repair, replace or redo"),
        ClaimKind::NonMaterial => l.pick("精神损害赔偿", "Non-material compensation"),
        ClaimKind::Apology => l.pick("道歉", "Apology"),
        ClaimKind::Other => l.pick("其他", "Other"),
    }
}

/// A built-in category's name; `None` for a code this table does not know.
fn category_word(code: &str, l: Lang) -> Option<&'static str> {
    Some(match code {
        "product_quality" => l.pick("产品质量", "Product quality"),
        "service_attitude" => l.pick("服务态度", "Service attitude"),
        "waiting_time" => l.pick("等候时间", "Waiting time"),
        "billing" => l.pick("收费", "Billing"),
        "hygiene" => l.pick("卫生", "Hygiene"),
        "facilities" => l.pick("设施", "Facilities"),
        "other" => l.pick("其他", "Other"),
        _ => return None,
    })
}

fn escalation_word(level: u8, l: Lang) -> &'static str {
    match level {
        0 => "",
        1 => l.pick("已提醒处理人", "Handler reminded"),
        2 => l.pick("经理关注", "Manager flagged"),
        _ => l.pick("高风险", "High risk"),
    }
}

fn log_kind_word(kind: &str, l: Lang) -> Cow<'static, str> {
    Cow::Borrowed(match kind {
        "registered" => l.pick("登记", "Registered"),
        "state" => l.pick("状态变更", "State changed"),
        "reopened" => l.pick("重新打开", "Reopened"),
        "note" => l.pick("处理记录", "Note"),
        "handler" => l.pick("更换处理人", "Handler changed"),
        "severity" => l.pick("调整严重程度", "Severity changed"),
        "resolved" => l.pick("已解决", "Resolved"),
        "closed" => l.pick("结案", "Closed"),
        "breached" => l.pick("超时", "Deadline missed"),
        "escalated" => l.pick("升级", "Escalated"),
        other => return Cow::Owned(other.to_string()),
    })
}

fn reminder_kind_word(k: ReminderKind, l: Lang) -> &'static str {
    match k {
        ReminderKind::Visit => l.pick("回访", "Return visit"),
        ReminderKind::ComplaintWarning => l.pick("投诉将到期", "Complaint deadline"),
        ReminderKind::ComplaintEscalation => l.pick("投诉升级", "Complaint escalation"),
        ReminderKind::Birthday => l.pick("生日", "Birthday"),
        ReminderKind::Anniversary => l.pick("纪念日", "Anniversary"),
        ReminderKind::KeepInTouch => l.pick("保持联系", "Keep in touch"),
        ReminderKind::Manual => l.pick("手动提醒", "Manual reminder"),
        ReminderKind::Arrival => l.pick("到店准备", "Arrival"),
    }
}

fn reminder_state_word(s: ReminderState, l: Lang) -> &'static str {
    match s {
        ReminderState::Pending => l.pick("待提醒", "Upcoming"),
        ReminderState::Fired => l.pick("已提醒", "Due"),
        ReminderState::Snoozed => l.pick("稍后提醒", "Snoozed"),
        ReminderState::Done => l.pick("已完成", "Done"),
        ReminderState::Dismissed => l.pick("已忽略", "Dismissed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{guess_all, values, Target};

    #[test]
    fn numbers_money_and_dates_in_csv() {
        assert_eq!(csv_field(&Cell::Money(123456)), "1234.56");
        assert_eq!(csv_field(&Cell::Money(5)), "0.05");
        assert_eq!(csv_field(&Cell::Money(-150)), "-1.50");
        assert_eq!(csv_field(&Cell::Number(42.0)), "42");
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(csv_field(&Cell::Date(d)), "2026-03-02");
        assert_eq!(
            csv_field(&Cell::DateTime(d.and_hms_opt(9, 5, 0).unwrap())),
            "2026-03-02 09:05"
        );
        assert_eq!(csv_field(&text("-5")), "'-5");
    }

    fn date(calendar: Calendar, year: Option<i32>, month: u32, day: u32, leap_month: bool) -> SpecialDate {
        SpecialDate {
            calendar,
            year,
            month,
            day,
            leap_month,
        }
    }

    #[test]
    fn special_dates_read_back_as_the_importer_reads_them() {
        use Calendar::{Gregorian as G, Lunar as L};
        let dates = [
            date(G, Some(1985), 3, 2, false),
            date(G, Some(2000), 12, 31, false),
            date(G, None, 3, 2, false),
            date(G, None, 2, 29, false),
            date(G, None, 11, 30, false),
            date(L, None, 10, 15, false),
            date(L, Some(1985), 10, 15, false),
            date(L, None, 1, 1, false),
            date(L, None, 12, 23, false),
            date(L, None, 11, 30, false),
            date(L, None, 2, 10, false),
            date(L, None, 3, 20, false),
            date(L, None, 5, 19, false),
            date(L, Some(2020), 4, 8, true),
            date(L, Some(2023), 2, 29, true),
        ];
        for d in dates {
            for l in [Lang::Zh, Lang::En] {
                let cell = special_date_cell(Some(&d), l);
                let shown = match &cell {
                    Cell::Date(day) => day.format("%Y-%m-%d").to_string(),
                    Cell::Text(s) => s.to_string(),
                    other => panic!("{other:?}"),
                };
                assert_eq!(values::special_date(&shown), Ok(Some(d)), "{shown} ({l:?})");
                // What the CSV holds reads back too.
                assert_eq!(values::special_date(&csv_field(&cell)), Ok(Some(d)), "{shown}");
            }
        }
        assert_eq!(
            special_date_text(&date(L, Some(1985), 10, 15, false), Lang::En),
            "农历1985年十月十五"
        );
        assert_eq!(
            special_date_text(&date(L, None, 12, 23, false), Lang::Zh),
            "农历腊月廿三"
        );
        assert_eq!(special_date_text(&date(G, None, 3, 2, false), Lang::Zh), "3月2日");
        assert_eq!(special_date_text(&date(G, None, 3, 2, false), Lang::En), "03-02");
        assert!(matches!(special_date_cell(Some(&dates[0]), Lang::Zh), Cell::Date(_)));
    }

    #[test]
    fn the_importer_guesses_every_customer_column_in_both_languages() {
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
        for l in [Lang::Zh, Lang::En] {
            let headers: Vec<String> = Table::Customers.headers(l).iter().map(|h| h.to_string()).collect();
            let got = guess_all(&headers).columns;
            for ((h, g), w) in headers.iter().zip(&got).zip(&want) {
                assert_eq!(g, w, "{h}");
            }
            assert_eq!(got.len(), want.len());
        }
    }

    #[test]
    fn tiers_read_back_in_both_languages() {
        for t in Tier::ALL {
            for l in [Lang::Zh, Lang::En] {
                assert_eq!(values::tier(tier_word(*t, l)), Ok(Some(*t)));
            }
        }
    }

    #[test]
    fn several_csv_files_sit_beside_the_chosen_name() {
        let dir = std::env::temp_dir();
        let req = ExportRequest {
            path: dir.join("客户.csv").display().to_string(),
            format: ExportFormat::Csv,
            kinds: vec![ExportKind::Complaints, ExportKind::Customers],
            customers: None,
            lang: String::new(),
        };
        let plan = Plan::of(&req).unwrap();
        assert_eq!(plan.tables, [Table::Customers, Table::Complaints, Table::ComplaintLog]);
        assert_eq!(plan.csv_path(Table::Customers), dir.join("客户-customers.csv"));
        assert_eq!(plan.csv_path(Table::ComplaintLog), dir.join("客户-complaint-log.csv"));
        let none = ExportRequest {
            kinds: vec![],
            ..req.clone()
        };
        assert_eq!(Plan::of(&none).err().unwrap().fields()[0].field, "kinds");
        let missing = ExportRequest {
            path: dir.join("no such folder 4e1f").join("x.csv").display().to_string(),
            ..req
        };
        assert_eq!(Plan::of(&missing).err().unwrap().fields()[0].code, "folder_missing");
    }
}

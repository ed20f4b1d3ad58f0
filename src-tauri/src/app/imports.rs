//! Import customers from a file: preview with the mapping and a dry run, duplicates by
//! phone, the valid rows written in one transaction as a recorded batch, and undo.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::customers::{changed_fields, input_of, new_index_entry};
use super::{App, WriteAs};
use crate::customers::model::{CustomerInput, Preference, PreferenceKind, Source};
use crate::customers::repo::SearchFields;
use crate::customers::rules::ValidCustomer;
use crate::customers::{repo as customers_repo, rules};
use crate::error::{Error, FieldError, Result};
use crate::import::model::{ItemAction, MAX_LISTED_ERRORS, PREVIEW_ROWS};
use crate::import::{self, repo, values, Batch, Check, Duplicates, ImportRequest, ImportResult, Preview, Progress};
use crate::import::{RowError, Table, Target};
use crate::kernel::phone;
use crate::store::db::Db;

/// How far the running import is; the window asks while it waits.
#[derive(Default)]
pub struct ImportProgress {
    stage: AtomicU8,
    done: AtomicUsize,
    total: AtomicUsize,
}

const STAGES: [&str; 4] = ["idle", "reading", "checking", "writing"];

impl ImportProgress {
    fn set(&self, stage: u8, done: usize, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
        self.stage.store(stage, Ordering::Relaxed);
    }

    /// Count a row done, telling the window every 1,000 rows.
    fn tick(&self, done: usize) {
        if done.is_multiple_of(1000) {
            self.done.store(done, Ordering::Relaxed);
        }
    }

    fn get(&self) -> Progress {
        Progress {
            stage: STAGES[usize::from(self.stage.load(Ordering::Relaxed)).min(3)],
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }
}

/// The file last read, kept while it is unchanged: the preview, each re-check with another
/// mapping and the import itself read it once. A file that changed, moved or disappeared is
/// read again (and refused when gone).
/// The dry run of the last preview is kept too, so that the import does not check every
/// row again when nothing changed in between (same file read, mapping, duplicate rule and
/// no write to the database since).
#[derive(Default)]
pub struct TableCache {
    table: Mutex<Option<(CacheKey, Arc<Table>, u64)>>,
    plan: Mutex<Option<(PlanKey, Arc<Plan>)>>,
    reads: std::sync::atomic::AtomicU64,
}

#[derive(PartialEq)]
struct PlanKey {
    /// Which read of a file the rows come from.
    read: u64,
    mapping: Vec<Target>,
    duplicates: Duplicates,
    /// The database's write counter (`audit_ctx.change_id`) when the rows were checked.
    change: i64,
}

#[derive(PartialEq)]
struct CacheKey {
    path: String,
    options: import::ReadOptions,
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl TableCache {
    fn clear(&self) {
        if let Ok(mut cached) = self.table.lock() {
            *cached = None;
        }
        if let Ok(mut cached) = self.plan.lock() {
            *cached = None;
        }
    }

    /// The file's rows, and which read of the file they come from.
    fn read(&self, path: &str, options: &import::ReadOptions) -> Result<(Arc<Table>, u64)> {
        let meta = std::fs::metadata(path).map_err(|e| {
            let code = match e.kind() {
                std::io::ErrorKind::NotFound => "file_missing",
                _ => "file_unreadable",
            };
            Error::Invalid(vec![FieldError::new("file", code)])
        })?;
        let key = CacheKey {
            path: path.to_string(),
            options: options.clone(),
            len: meta.len(),
            modified: meta.modified().ok(),
        };
        let mut cached = self
            .table
            .lock()
            .map_err(|_| Error::Internal("the import cache lock was poisoned".into()))?;
        if let Some((k, table, read)) = cached.as_ref() {
            if *k == key {
                return Ok((table.clone(), *read));
            }
        }
        let table = Arc::new(import::read(Path::new(path), options)?);
        let read = self.reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        *cached = Some((key, table.clone(), read));
        Ok((table, read))
    }

    fn plan(&self, key: &PlanKey) -> Option<Arc<Plan>> {
        let cached = self.plan.lock().ok()?;
        cached.as_ref().filter(|(k, _)| k == key).map(|(_, p)| p.clone())
    }

    fn keep_plan(&self, key: PlanKey, plan: Arc<Plan>) {
        if let Ok(mut cached) = self.plan.lock() {
            *cached = Some((key, plan));
        }
    }
}

/// Clears the progress when the import ends, however it ends.
struct ProgressGuard<'a>(&'a ImportProgress);

impl Drop for ProgressGuard<'_> {
    fn drop(&mut self) {
        self.0.set(0, 0, 0);
    }
}

/// Fields one column at most may feed.
fn single_valued(t: Target) -> bool {
    !matches!(t, Target::Ignore | Target::Phone | Target::Preference)
}

/// A mapping must give one target per column, name the customer, and feed each
/// single-valued field from one column only.
fn check_mapping(headers: &[String], mapping: &[Target]) -> Result<()> {
    let refuse = |code| Err(Error::Invalid(vec![FieldError::new("mapping", code)]));
    if mapping.len() != headers.len() {
        return refuse("invalid_choice");
    }
    if !mapping.contains(&Target::Name) {
        return refuse("name_required");
    }
    for (i, t) in mapping.iter().enumerate() {
        if single_valued(*t) && mapping[..i].contains(t) {
            return refuse("duplicate_target");
        }
    }
    Ok(())
}

/// A source as people write it.
fn source(cell: &str) -> std::result::Result<Option<Source>, &'static str> {
    let v = cell.trim().to_lowercase();
    let s = match v.as_str() {
        "" => return Ok(None),
        "到店" | "进店" | "上门" | "自来" | "walk-in" | "walk in" | "walk_in" | "store" => Source::WalkIn,
        "电话" | "来电" | "phone" | "call" | "telephone" => Source::Phone,
        "转介绍" | "介绍" | "推荐" | "朋友介绍" | "referral" | "referred" => Source::Referral,
        "网络" | "线上" | "网上" | "网站" | "美团" | "大众点评" | "小红书" | "抖音" | "online" | "web" | "internet" => {
            Source::Online
        }
        "其他" | "其它" | "other" => Source::Other,
        _ => return Err("invalid_source"),
    };
    Ok(Some(s))
}

/// The kind of preference a column holds, from its header.
fn preference_kind(header: &str) -> PreferenceKind {
    let h = header.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["过敏", "allerg"]) {
        PreferenceKind::Allergy
    } else if has(&["座位", "seat"]) {
        PreferenceKind::Seating
    } else if has(&["联系时间", "contact time", "时间"]) {
        PreferenceKind::ContactTime
    } else if has(&["语言", "language"]) {
        PreferenceKind::Language
    } else if has(&["饮食", "口味", "忌口", "菜", "food", "diet", "taste"]) {
        PreferenceKind::Food
    } else {
        PreferenceKind::Other
    }
}

/// The longest value an error shows of its cell.
const MAX_SHOWN_VALUE: usize = 200;

/// One data row read into a form; the errors go to `errors` (none: the row is valid).
struct RowReader<'a> {
    headers: &'a [String],
    mapping: &'a [Target],
    kinds: Vec<PreferenceKind>,
}

impl RowReader<'_> {
    fn read(&self, line: usize, row: &[String], errors: &mut Vec<RowError>) -> Option<CustomerInput> {
        let mut input = CustomerInput::default();
        let mut phone_cols = Vec::new();
        let mut pref_cols = Vec::new();
        let before = errors.len();
        let mut error = |col: usize, code: &'static str, max: Option<usize>| {
            errors.push(RowError {
                row: line,
                column: self.headers.get(col).cloned().unwrap_or_default(),
                value: row
                    .get(col)
                    .map(|v| v.chars().take(MAX_SHOWN_VALUE).collect())
                    .unwrap_or_default(),
                code,
                max,
            });
        };
        for (col, (target, cell)) in self.mapping.iter().zip(row).enumerate() {
            let cell = values::text(cell);
            if cell.is_empty() {
                continue;
            }
            match target {
                Target::Ignore => {}
                Target::Name => input.name = cell.to_string(),
                Target::Phone => {
                    for p in values::list(cell) {
                        match values::phone(p) {
                            Ok(p) => {
                                input.phones.push(p);
                                phone_cols.push(col);
                            }
                            Err(code) => error(col, code, None),
                        }
                    }
                }
                Target::Wechat => input.wechat = cell.to_string(),
                Target::Email => input.email = cell.to_string(),
                Target::Address => input.address = cell.to_string(),
                Target::Company => input.company = cell.to_string(),
                Target::FirstContact => input.first_contact = cell.to_string(),
                Target::Notes => input.notes = cell.to_string(),
                Target::Source => match source(cell) {
                    Ok(s) => input.source = s,
                    Err(code) => error(col, code, None),
                },
                Target::Tier => match values::tier(cell) {
                    Ok(t) => input.tier = t,
                    Err(code) => error(col, code, None),
                },
                Target::Tags => input.tags = values::list(cell).into_iter().map(str::to_string).collect(),
                Target::Birthday | Target::Anniversary => match values::special_date(cell) {
                    Ok(d) if *target == Target::Birthday => input.birthday = d,
                    Ok(d) => input.anniversary = d,
                    Err(code) => error(col, code, None),
                },
                Target::Preference => {
                    for text in values::entries(cell) {
                        input.preferences.push(Preference {
                            kind: self.kinds[col],
                            text: text.to_string(),
                        });
                        pref_cols.push(col);
                    }
                }
            }
        }
        if input.name.is_empty() {
            let col = self.mapping.iter().position(|t| *t == Target::Name).unwrap_or(0);
            error(col, "required", None);
        }
        if let Err(Error::Invalid(fields)) = rules::validate(&input) {
            for f in fields.iter().filter(|f| !(f.field == "name" && f.code == "required")) {
                let (field, index) = match f.field.split_once('.') {
                    Some((field, i)) => (field, i.parse::<usize>().ok()),
                    None => (f.field.as_str(), None),
                };
                let col = match (field, index) {
                    ("phones", Some(i)) => phone_cols.get(i).copied(),
                    ("preferences", Some(i)) => pref_cols.get(i).copied(),
                    ("phones", None) => phone_cols.first().copied(),
                    ("preferences", None) => pref_cols.first().copied(),
                    (field, _) => Target::parse(field).and_then(|t| self.mapping.iter().position(|m| *m == t)),
                };
                error(col.unwrap_or(usize::MAX), f.code, f.max);
            }
        }
        (errors.len() == before).then_some(input)
    }
}

/// Fill what `into` leaves empty from `from`; phones, tier and source stay as they are.
fn fill_empty(into: &mut CustomerInput, from: &CustomerInput) {
    for (to, from) in [
        (&mut into.wechat, &from.wechat),
        (&mut into.email, &from.email),
        (&mut into.address, &from.address),
        (&mut into.company, &from.company),
        (&mut into.first_contact, &from.first_contact),
        (&mut into.notes, &from.notes),
    ] {
        if to.trim().is_empty() {
            to.clone_from(from);
        }
    }
    if into.tags.is_empty() {
        into.tags.clone_from(&from.tags);
    }
    if into.preferences.is_empty() {
        into.preferences.clone_from(&from.preferences);
    }
    into.birthday = into.birthday.or(from.birthday);
    into.anniversary = into.anniversary.or(from.anniversary);
}

/// What the import will do with one customer.
enum Step {
    Create(CustomerInput),
    /// Fill this existing customer's empty fields.
    Fill(i64, CustomerInput),
}

/// Every row checked against the mapping, the duplicate rule and the existing phones.
struct Plan {
    steps: Vec<Step>,
    check: Check,
    /// Every error, in row order (the check lists the first ones).
    errors: Vec<RowError>,
}

struct PlanInput<'a> {
    table: &'a Table,
    mapping: &'a [Target],
    duplicates: Duplicates,
    /// Existing customers by phone key.
    existing: &'a HashMap<String, i64>,
    progress: &'a ImportProgress,
}

fn plan(p: &PlanInput<'_>) -> Plan {
    let reader = RowReader {
        headers: &p.table.headers,
        mapping: p.mapping,
        kinds: p.table.headers.iter().map(|h| preference_kind(h)).collect(),
    };
    let mut check = Check::default();
    let mut errors = Vec::new();
    let mut steps: Vec<Step> = Vec::new();
    // Phone key → the step that creates or fills the customer with it.
    let mut in_file: HashMap<String, usize> = HashMap::new();
    let mut fill_of: HashMap<i64, usize> = HashMap::new();
    p.progress.set(2, 0, p.table.rows.len());
    for (i, row) in p.table.rows.iter().enumerate() {
        p.progress.tick(i);
        if row.iter().all(|c| values::text(c).is_empty()) {
            continue;
        }
        check.rows += 1;
        let line = p.table.lines.get(i).copied().unwrap_or(i + 2);
        let Some(input) = reader.read(line, row, &mut errors) else {
            check.invalid += 1;
            continue;
        };
        check.valid += 1;
        let keys: Vec<String> = input.phones.iter().map(|p| phone::key(p)).collect();
        let existing = keys.iter().find_map(|k| p.existing.get(k).copied());
        let earlier = keys.iter().find_map(|k| in_file.get(k).copied());
        let step = match (existing, earlier) {
            (Some(id), _) => {
                check.duplicates_existing += 1;
                match p.duplicates {
                    Duplicates::Skip => None,
                    Duplicates::Create => Some(Step::Create(input)),
                    Duplicates::Fill => match fill_of.get(&id) {
                        Some(&s) => {
                            let (Step::Fill(_, into) | Step::Create(into)) = &mut steps[s];
                            fill_empty(into, &input);
                            continue;
                        }
                        None => {
                            fill_of.insert(id, steps.len());
                            Some(Step::Fill(id, input))
                        }
                    },
                }
            }
            (None, Some(s)) => {
                check.duplicates_in_file += 1;
                match p.duplicates {
                    Duplicates::Skip => None,
                    Duplicates::Create => Some(Step::Create(input)),
                    Duplicates::Fill => {
                        let (Step::Fill(_, into) | Step::Create(into)) = &mut steps[s];
                        fill_empty(into, &input);
                        continue;
                    }
                }
            }
            (None, None) => Some(Step::Create(input)),
        };
        match step {
            None => check.will_skip += 1,
            Some(step) => {
                for k in keys {
                    in_file.entry(k).or_insert(steps.len());
                }
                steps.push(step);
            }
        }
    }
    check.will_create = steps.iter().filter(|s| matches!(s, Step::Create(_))).count();
    check.will_fill = steps.len() - check.will_create;
    check.error_count = errors.len();
    check.errors = errors.iter().take(MAX_LISTED_ERRORS).cloned().collect();
    Plan { steps, check, errors }
}

/// The new customers validated and normalised for search (pinyin is the slow part), on
/// every core: this needs no database, so it does not lengthen the write on one thread.
fn prepare_new(steps: &[Step]) -> Result<Vec<(ValidCustomer, SearchFields)>> {
    let inputs: Vec<&CustomerInput> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Create(input) => Some(input),
            Step::Fill(..) => None,
        })
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = inputs.len().div_ceil(threads).max(1);
    let prepare = |part: &[&CustomerInput]| -> Result<Vec<(ValidCustomer, SearchFields)>> {
        part.iter()
            .map(|input| {
                let v = rules::validate(input)?;
                let s = customers_repo::search_fields(&v);
                Ok((v, s))
            })
            .collect()
    };
    let parts: Vec<Result<Vec<_>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = inputs
            .chunks(chunk)
            .map(|part| scope.spawn(move || prepare(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::Internal("preparing the import failed".into())))
            })
            .collect()
    });
    let mut out = Vec::with_capacity(inputs.len());
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// Existing customers by the key of each of their phones (the oldest customer wins).
fn existing_phones(conn: Db<'_>) -> Result<HashMap<String, i64>> {
    let mut by_key = HashMap::new();
    for (id, phones) in customers_repo::list_phones(conn)? {
        for p in phones {
            by_key.entry(phone::key(&p)).or_insert(id);
        }
    }
    Ok(by_key)
}

/// The file read and the mapping to use for it.
struct ReadImport {
    table: Arc<Table>,
    /// Which read of the file `table` is (see [`TableCache`]).
    read: u64,
    mapping: Vec<Target>,
    remembered: bool,
}

/// Where a dry run reads the existing customers.
enum CheckIn<'a> {
    /// Outside any write (the preview, the error list): `change` is read here.
    Reading(Db<'a>),
    /// Inside the import's write, whose start already counted one change.
    Writing(Db<'a>),
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl App {
    /// How far the running import is.
    pub fn import_progress(&self) -> Progress {
        self.import_progress.get()
    }

    /// The window closed the import: let go of the file's rows.
    pub fn forget_import_file(&self) -> Result<()> {
        self.import_cache.clear();
        Ok(())
    }

    /// The dry run: every row checked with the mapping against the existing customers;
    /// the last preview's when nothing changed since.
    fn check_import(&self, src: &ReadImport, duplicates: Duplicates, at: CheckIn<'_>) -> Result<Arc<Plan>> {
        let (conn, change) = match at {
            CheckIn::Reading(conn) => (conn, repo::current_change(conn)?),
            CheckIn::Writing(tx) => (tx, repo::current_change(tx)? - 1),
        };
        let key = PlanKey {
            read: src.read,
            mapping: src.mapping.clone(),
            duplicates,
            change,
        };
        if let Some(plan) = self.import_cache.plan(&key) {
            return Ok(plan);
        }
        let existing = existing_phones(conn)?;
        let plan = Arc::new(plan(&PlanInput {
            table: &src.table,
            mapping: &src.mapping,
            duplicates,
            existing: &existing,
            progress: &self.import_progress,
        }));
        self.import_cache.keep_plan(key, plan.clone());
        Ok(plan)
    }

    fn read_import(&self, req: &ImportRequest) -> Result<ReadImport> {
        self.import_progress.set(1, 0, 0);
        let (table, read) = self.import_cache.read(&req.path, &req.options)?;
        let (mapping, remembered) = match &req.mapping {
            Some(m) => (m.clone(), false),
            None => match repo::get_mapping_for(self.held()?.db(), &table.headers)? {
                Some(m) if m.len() == table.headers.len() => (m, true),
                _ => (import::guess_all(&table.headers).columns, false),
            },
        };
        Ok(ReadImport {
            table,
            read,
            mapping,
            remembered,
        })
    }

    /// Read the file, choose the mapping (the one asked, the last used for these headers,
    /// or a guess) and check every row with it: nothing is written.
    pub fn preview_import(&self, req: &ImportRequest) -> Result<Preview> {
        let _clear = ProgressGuard(&self.import_progress);
        let src = self.read_import(req)?;
        let check = if src.mapping.contains(&Target::Name) {
            check_mapping(&src.table.headers, &src.mapping)?;
            self.check_import(&src, req.duplicates, CheckIn::Reading(self.held()?.db()))?
                .check
                .clone()
        } else {
            // No name column yet: the window asks for one before anything is checked.
            Check::default()
        };
        let t = src.table;
        Ok(Preview {
            file_name: file_name(&req.path),
            path: req.path.clone(),
            format: t.format,
            encoding: t.encoding.clone(),
            separator: t.separator,
            rows: t.rows.iter().take(PREVIEW_ROWS).cloned().collect(),
            headers: t.headers.clone(),
            mapping: src.mapping,
            remembered: src.remembered,
            duplicates: req.duplicates,
            check,
        })
    }

    /// Every error of the dry run, saved as a CSV beside the file (`<name>.errors.csv`,
    /// UTF-8 with BOM, messages in `lang`); returns its path.
    pub fn save_import_errors(&self, req: &ImportRequest, lang: &str) -> Result<String> {
        let _clear = ProgressGuard(&self.import_progress);
        let src = self.read_import(req)?;
        check_mapping(&src.table.headers, &src.mapping)?;
        let plan = self.check_import(&src, req.duplicates, CheckIn::Reading(self.held()?.db()))?;
        let path = Path::new(&req.path);
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let out = path.with_file_name(format!("{stem}.errors.csv"));
        let t = |key: &str, args: serde_json::Value| crate::reminders::texts::t(lang, key, &args);
        let none = serde_json::Value::Null;
        let headers = ["row", "column", "value", "message"].map(|k| t(&format!("import.errors.{k}"), none.clone()));
        let rows: Vec<Vec<String>> = plan
            .errors
            .iter()
            .map(|e| {
                vec![
                    e.row.to_string(),
                    e.column.clone(),
                    e.value.clone(),
                    t(&format!("invalid.{}", e.code), serde_json::json!({ "max": e.max })),
                ]
            })
            .collect();
        super::exports::write_text_csv(&out, &headers.each_ref().map(String::as_str), &rows)?;
        Ok(out.display().to_string())
    }

    /// Import the valid rows in one transaction (all or nothing), as one recorded batch.
    pub fn import_customers(&self, req: &ImportRequest) -> Result<ImportResult> {
        let _clear = ProgressGuard(&self.import_progress);
        let src = self.read_import(req)?;
        check_mapping(&src.table.headers, &src.mapping)?;
        let mut record = self.audit_context(WriteAs::default())?;
        let staff = record.staff.clone();
        let now = record.at.clone();
        let file = file_name(&req.path);
        let result = self.write_as(WriteAs::bulk_because("import"), |tx, ch| {
            let plan = self.check_import(&src, req.duplicates, CheckIn::Writing(tx))?;
            if plan.check.valid == 0 {
                return Err(Error::Invalid(vec![FieldError::new("file", "no_valid_rows")]));
            }
            if req.expect_valid.is_some_and(|n| n != plan.check.valid) {
                return Err(Error::state(
                    "import_file_changed",
                    "the file changed since its preview; check it again",
                ));
            }
            let batch = repo::insert_batch(
                tx,
                &repo::NewBatch {
                    at: &now,
                    staff: &staff,
                    file: &file,
                    headers: &src.table.headers,
                    mapping: &src.mapping,
                    duplicates: req.duplicates,
                },
            )?;
            record.reason = format!("import:{batch}");
            // New customers: one summary row in the trail, as for any bulk write.
            crate::audit::repo::set_context(
                tx,
                &crate::audit::Context {
                    record: false,
                    ..record.clone()
                },
            )?;
            let creates = plan.check.will_create;
            crate::audit::repo::add_bulk(tx, crate::audit::RecordKind::Customer, creates)?;
            self.import_progress.set(3, 0, plan.steps.len());
            let mut entries = Vec::with_capacity(creates);
            for (i, (v, s)) in prepare_new(&plan.steps)?.into_iter().enumerate() {
                self.import_progress.tick(i);
                let id = customers_repo::insert_customer(tx, &v, &s, &now)?;
                customers_repo::add_event(tx, id, &now, "imported", &file)?;
                repo::insert_item(tx, batch, id, ItemAction::Created, None)?;
                entries.push(new_index_entry(id, &v, s, &now));
            }
            // Existing customers filled: every changed field is in the trail.
            crate::audit::repo::set_context(tx, &record)?;
            let (mut updated, mut unchanged) = (0, 0);
            for (i, step) in plan.steps.iter().enumerate() {
                self.import_progress.tick(i);
                if let Step::Fill(id, input) = step {
                    let old = customers_repo::get_customer(tx, *id)?;
                    let before = input_of(&old);
                    let mut merged = before.clone();
                    fill_empty(&mut merged, input);
                    let v = rules::validate(&merged)?;
                    let changed = changed_fields(&old, &v);
                    if changed.is_empty() || old.anonymised {
                        unchanged += 1;
                        continue;
                    }
                    let s = customers_repo::search_fields(&v);
                    customers_repo::update_customer(tx, *id, &v, &s, &now)?;
                    customers_repo::add_event(tx, *id, &now, "updated", &changed.join(","))?;
                    let before = serde_json::to_string(&before).map_err(Error::internal)?;
                    repo::insert_item(tx, batch, *id, ItemAction::Filled, Some(&before))?;
                    ch.customer(*id);
                    updated += 1;
                }
            }
            let result = ImportResult {
                batch_id: batch,
                created: entries.len(),
                updated,
                skipped: plan.check.will_skip + unchanged,
                invalid: plan.check.invalid,
            };
            repo::finish_batch(
                tx,
                batch,
                &repo::BatchCounts {
                    created: result.created,
                    updated: result.updated,
                    skipped: result.skipped,
                    invalid: result.invalid,
                    change_id: repo::current_change(tx)?,
                },
            )?;
            ch.new_customers(entries);
            Ok(result)
        })?;
        self.import_cache.clear();
        Ok(result)
    }

    /// The newest import, with how many of its customers changed since.
    pub fn last_import(&self) -> Result<Option<Batch>> {
        let held = self.held()?;
        let conn = held.db();
        let Some(mut b) = repo::get_last_batch(conn)? else {
            return Ok(None);
        };
        b.changed_since = repo::count_changed_since(conn, b.id, b.change_id)?;
        Ok(Some(b))
    }

    /// Undo the newest import while none of its customers has changed since: the customers
    /// it created are deleted, the ones it filled get their fields back.
    pub fn undo_import(&self, batch_id: i64) -> Result<Batch> {
        let mut record = self.audit_context(WriteAs::because(format!("import_undo:{batch_id}")))?;
        let now = record.at.clone();
        self.write_as(WriteAs::bulk_because(format!("import_undo:{batch_id}")), |tx, ch| {
            let batch = repo::get_last_batch(tx)?
                .filter(|b| b.id == batch_id)
                .ok_or_else(|| Error::state("import_not_last", "only the last import can be undone"))?;
            if batch.undone_at.is_some() {
                return Err(Error::state("import_undone", "this import was already undone"));
            }
            let changed = repo::count_changed_since(tx, batch.id, batch.change_id)?;
            if changed > 0 {
                return Err(Error::state(
                    "import_changed_since",
                    format!("{changed} of its customers changed since the import"),
                ));
            }
            let items = repo::list_items(tx, batch.id)?;
            let created: Vec<i64> = items
                .iter()
                .filter(|(_, a, _)| *a == ItemAction::Created)
                .map(|(id, _, _)| *id)
                .collect();
            crate::audit::repo::add_bulk(tx, crate::audit::RecordKind::Customer, created.len())?;
            crate::reminders::repo::delete_unfired_for_customers(tx, &created)?;
            customers_repo::delete_customers(tx, &created)?;
            record.record = true;
            crate::audit::repo::set_context(tx, &record)?;
            for (id, _, before) in items.iter().filter(|(_, a, _)| *a == ItemAction::Filled) {
                let before: CustomerInput = serde_json::from_str(before.as_deref().unwrap_or_default())
                    .map_err(|e| Error::Internal(format!("an import's record of customer {id} is damaged: {e}")))?;
                let old = customers_repo::get_customer(tx, *id)?;
                let v = rules::validate(&before)?;
                let changed = changed_fields(&old, &v);
                customers_repo::update_customer(tx, *id, &v, &customers_repo::search_fields(&v), &now)?;
                customers_repo::add_event(tx, *id, &now, "updated", &changed.join(","))?;
            }
            repo::mark_undone(tx, batch.id, &now)?;
            ch.all_customers();
            Ok(Batch {
                undone_at: Some(now.clone()),
                ..batch
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_preference_kinds_as_people_write_them() {
        assert_eq!(source("转介绍"), Ok(Some(Source::Referral)));
        assert_eq!(source("Walk-in"), Ok(Some(Source::WalkIn)));
        assert_eq!(source(""), Ok(None));
        assert_eq!(source("火星"), Err("invalid_source"));
        assert_eq!(preference_kind("过敏"), PreferenceKind::Allergy);
        assert_eq!(preference_kind("Seating preference"), PreferenceKind::Seating);
        assert_eq!(preference_kind("联系时间偏好"), PreferenceKind::ContactTime);
        assert_eq!(preference_kind("口味偏好"), PreferenceKind::Food);
        assert_eq!(preference_kind("偏好"), PreferenceKind::Other);
    }

    #[test]
    fn a_mapping_names_the_customer_once() {
        let headers: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let code = |m: &[Target]| match check_mapping(&headers, m) {
            Err(Error::Invalid(f)) => f[0].code,
            _ => "ok",
        };
        assert_eq!(code(&[Target::Phone, Target::Ignore]), "name_required");
        assert_eq!(code(&[Target::Name, Target::Name]), "duplicate_target");
        assert_eq!(code(&[Target::Name]), "invalid_choice");
        assert_eq!(code(&[Target::Name, Target::Phone]), "ok");
    }
}

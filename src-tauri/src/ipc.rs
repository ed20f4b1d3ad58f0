//! The IPC surface: one declaration per command the window may call, saying whether it reads
//! or writes, its arguments, and the `App` call it makes. Tauri-free: the desktop shell
//! forwards every invoke to [`dispatch`]; tests call it directly.
//!
//! Arguments arrive as one JSON object. An argument that does not deserialize is a typed
//! field error (`{kind: "invalid", fields: [{field, code}]}`), never a bare string.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::app::{App, BackupSettings, ExportRequest};
use crate::arrivals::{ArrivalSettings, BookingInput, WalkInInput};
use crate::audit::AuditQuery;
use crate::churn::{ChurnInput, ChurnQuery, Reason, WinBackInput};
use crate::complaints::{
    Category, CloseInput, ComplaintInput, ComplaintQuery, ComplaintSettings, ResolveInput, Severity, TransitionInput,
};
use crate::customers::{CustomerInput, ListQuery};
use crate::error::{Error, FieldError, Result};
use crate::import::ImportRequest;
use crate::reminders::{CenterQuery, ManualInput, ReminderSettings, Snooze};
use crate::review::{Drill, ReviewQuery};
use crate::store::server::ServerSettings;
use crate::visits::{FollowupPlan, OutcomeCorrection, OutcomeInput, OutlineTemplate, Retry, TierCadences, VisitInput};

/// Whether a command only reads, or changes data (then the scheduler looks again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    /// Works without an open database: offered when it was found damaged at start.
    Recovery,
    /// Changes which store the desk opens: runs with the app closed, which then opens again.
    Switch,
    /// Answered by the desktop shell itself (what it was asked to open, where its log is).
    Desktop,
}

/// One command the window may call.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    pub name: &'static str,
    pub access: Access,
    /// Argument names, as the window passes them.
    pub args: &'static [&'static str],
}

macro_rules! commands {
    ($( $access:ident $name:ident ( $($arg:ident : $ty:ty),* ) => |$app:ident| $body:expr ; )*) => {
        /// Every command, in declaration order.
        pub const COMMANDS: &[Command] = &[
            $( Command { name: stringify!($name), access: Access::$access, args: &[$(stringify!($arg)),*] }, )*
        ];

        /// Run the command `name` with `args` (a JSON object) against `app`.
        pub fn dispatch(app: &App, name: &str, args: &Value) -> Result<Value> {
            match name {
                $( stringify!($name) => {
                    let _args = fields(args)?;
                    $( let $arg: $ty = arg(_args, stringify!($arg))?; )*
                    let $app = app;
                    to_json($body)
                } )*
                _ => Err(Error::UnknownCommand(name.chars().take(100).collect())),
            }
        }
    };
}

commands! {
    Read app_status() => |a| a.status();
    Write set_language(language: String) => |a| a.set_language(&language);

    Read customer_list(query: ListQuery) => |a| a.list_customers(&query);
    Read customer_tags() => |a| a.customer_tags();
    Read customer_get(id: i64) => |a| a.customer_detail(id, a.today());
    Write customer_create(input: CustomerInput) => |a| a.create_customer(&input);
    Write customer_update(id: i64, input: CustomerInput, seen: Option<String>) => |a| a.update_customer_seen(id, &input, seen.as_deref());
    Write customer_archive(id: i64) => |a| a.archive_customer(id);
    Write customer_restore(id: i64) => |a| a.restore_customer(id);
    Write customer_anonymise(id: i64) => |a| a.anonymise_customer(id);
    Read caller_lookup(number: String) => |a| a.caller(&number);
    Write demo_seed() => |a| a.seed_demo();
    Read staff_list() => |a| a.staff();
    Read settings_defaults() => |a| a.settings_defaults();
    Write backup_now(folder: Option<String>) => |a| match &folder {
        Some(folder) => a.backup_to(folder),
        None => a.backup_now(),
    };
    Read backup_settings() => |a| a.backup_settings();
    Write backup_settings_save(settings: BackupSettings) => |a| a.set_backup_settings(&settings);
    Read backup_list() => |a| a.backups();
    Read backup_health() => |a| a.backup_health();
    Read backup_inspect(path: String) => |a| a.inspect_backup(&path);
    Write backup_restore(path: String) => |a| a.restore_backup(&path);
    // The shared database's "Test connection": reads the server, never this desk's file.
    Read server_check(settings: ServerSettings) => |_a| crate::store::server::check(&settings);
    Read server_current() => |a| Ok(a.server_settings());
    Read export_data(request: ExportRequest) => |a| a.export(&request);
    Read import_preview(request: ImportRequest) => |a| a.preview_import(&request);
    Read import_errors_save(request: ImportRequest, language: String) => |a| a.save_import_errors(&request, &language);
    Write import_run(request: ImportRequest) => |a| a.import_customers(&request);
    Read import_progress() => |a| Ok::<_, Error>(a.import_progress());
    Read import_forget() => |a| a.forget_import_file();
    Read import_last() => |a| a.last_import();
    Write import_undo(id: i64) => |a| a.undo_import(id);
    Write staff_save(staff: Vec<String>) => |a| a.set_staff(&staff);
    Read desk_staff() => |a| a.desk_staff();
    Write desk_staff_set(staff: String) => |a| a.set_desk_staff(&staff);
    Write churn_mark(id: i64, input: ChurnInput) => |a| a.mark_lost(id, &input);
    Write churn_win_back(id: i64, input: WinBackInput) => |a| a.win_back(id, &input);
    Read churn_register(query: ChurnQuery) => |a| a.churn_register(&query);
    Read churn_reasons() => |a| a.churn_reasons();
    Write churn_reason_save(reason: Reason) => |a| a.save_churn_reason(&reason);
    Read review_dashboard(query: ReviewQuery) => |a| a.dashboard(&query);
    Read review_drill(drill: Drill) => |a| a.review_drill(&drill);
    Read review_export(query: ReviewQuery, path: String, language: String) => |a| a.export_review(&query, &path, &language);
    Read audit_log(query: AuditQuery) => |a| a.audit_log(&query);
    Write audit_revert(id: i64) => |a| a.revert_audit_entry(id);

    Write visit_plan(input: VisitInput) => |a| a.plan_visit(&input);
    Write visit_outcome(id: i64, outcome: OutcomeInput) => |a| a.record_outcome(id, &outcome);
    Write visit_reschedule(id: i64, retry: Retry) => |a| a.reschedule_visit(id, &retry);
    Write visit_cancel(id: i64) => |a| a.cancel_visit(id);
    Write visit_correct(id: i64, correction: OutcomeCorrection) => |a| a.correct_outcome(id, &correction);
    Read visit_log(id: i64) => |a| a.visit_log(id);
    Read visit_agenda() => |a| a.agenda();
    Read visit_counts() => |a| a.visit_counts();
    Read visit_calendar(year: i32, month: u32) => |a| a.visit_calendar(year, month);
    Read visits_on(date: String) => |a| a.visits_on(&date);
    Read customer_visits(id: i64) => |a| a.customer_visits(id);

    Write booking_create(input: BookingInput) => |a| a.book(&input);
    Write booking_change(id: i64, input: BookingInput) => |a| a.change_booking(id, &input);
    Write booking_cancel(id: i64, reason: String, series: bool) => |a| a.cancel_booking(id, &reason, series);
    Write booking_arrived(id: i64) => |a| a.mark_arrived(id);
    Write booking_no_show(id: i64) => |a| a.mark_no_show(id);
    Write booking_reopen(id: i64) => |a| a.reopen_booking(id);
    Write booking_walk_in(input: WalkInInput) => |a| a.walk_in(&input);
    Read booking_get(id: i64) => |a| a.get_booking(id);
    Read arrivals_board(date: String) => |a| a.arrivals_board(&date);
    Read arrivals_counts(date: String) => |a| a.arrivals_counts(&date);
    Read arrival_figures(query: ReviewQuery) => |a| a.arrival_figures(&query);
    Read arrival_settings() => |a| a.arrival_settings();
    Write arrival_settings_save(settings: ArrivalSettings) => |a| a.set_arrival_settings(&settings);
    Write plan_apply(customer: i64, plan: i64, staff: String) => |a| a.apply_plan(customer, plan, &staff);
    Read plan_list() => |a| a.plans();
    Write plan_save(plan: FollowupPlan) => |a| a.save_plan(&plan);
    Read outline_list() => |a| a.outline_templates();
    Write outline_save(template: OutlineTemplate) => |a| a.save_outline_template(&template);
    Write outline_delete(id: i64) => |a| a.delete_outline_template(id);
    Read cadence_get() => |a| a.cadences();
    Write cadence_save(cadences: TierCadences) => |a| a.set_cadences(&cadences);
    Read due_contacts(offset: usize, limit: usize) => |a| a.due_contacts(offset, limit);

    Write complaint_register(input: ComplaintInput) => |a| a.register_complaint(&input);
    Read complaint_list(query: ComplaintQuery) => |a| a.list_complaints(&query);
    Read complaint_get(id: i64) => |a| a.complaint_detail(id);
    Write complaint_transition(id: i64, transition: TransitionInput) => |a| a.transition_complaint(id, &transition);
    Write complaint_note(id: i64, note: String, staff: String) => |a| a.add_complaint_note(id, &note, &staff);
    Write complaint_handler(id: i64, handler: String, staff: String) => |a| a.set_complaint_handler(id, &handler, &staff);
    Write complaint_severity(id: i64, severity: Severity, staff: String) => |a| a.set_complaint_severity(id, severity, &staff);
    Write complaint_resolve(id: i64, input: ResolveInput) => |a| a.resolve_complaint(id, &input);
    Write complaint_close(id: i64, input: CloseInput) => |a| a.close_complaint(id, &input);
    Read complaint_categories() => |a| a.complaint_categories();
    Write complaint_category_save(category: Category, archived: bool) => |a| a.save_complaint_category(&category, archived);
    Read complaint_settings() => |a| a.complaint_settings();
    Write complaint_settings_save(settings: ComplaintSettings) => |a| a.set_complaint_settings(&settings);
    Write complaint_sweep() => |a| a.sweep_complaints();

    Read reminder_center(query: CenterQuery) => |a| a.reminder_center(&query);
    Read reminder_counts() => |a| a.reminder_counts();
    Write reminder_snooze(id: i64, snooze: Snooze) => |a| a.snooze_reminder(id, &snooze);
    Write reminder_close(id: i64, done: bool) => |a| a.close_reminder(id, done);
    Write reminder_create(input: ManualInput) => |a| a.create_manual_reminder(&input);
    Read reminder_settings() => |a| a.reminder_settings();
    Write reminder_settings_save(settings: ReminderSettings) => |a| a.set_reminder_settings(&settings);
}

/// The commands of the recovery screen, shown instead of the app when the database was
/// found damaged at start: they need the data folder, not an open `App`.
pub const RECOVERY_COMMANDS: &[Command] = &[
    Command {
        name: "recovery_backups",
        access: Access::Recovery,
        args: &[],
    },
    Command {
        name: "recovery_restore",
        access: Access::Recovery,
        args: &["path"],
    },
];

/// Run a recovery command against the data folder `dir` (the app is not open).
pub fn dispatch_recovery(dir: &std::path::Path, name: &str, args: &Value) -> Result<Value> {
    use crate::store::backup;
    let a = fields(args)?;
    match name {
        "recovery_backups" => to_json(backup::list(&dir.join(backup::BACKUP_DIR))),
        "recovery_restore" => {
            let path: String = arg(a, "path")?;
            to_json(backup::recover(dir, std::path::Path::new(&path), chrono::Utc::now()))
        }
        _ => Err(Error::UnknownCommand(name.chars().take(100).collect())),
    }
}

/// The moves between the desk's own file and the shared database (`app::shared`).
pub const SWITCH_COMMANDS: &[Command] = &[
    Command {
        name: "server_move",
        access: Access::Switch,
        args: &["settings"],
    },
    Command {
        name: "server_join",
        access: Access::Switch,
        args: &["settings"],
    },
    Command {
        name: "server_leave",
        access: Access::Switch,
        args: &[],
    },
];

/// Run a switch command against the data folder `dir` (no app is open on it).
pub fn dispatch_switch(dir: &std::path::Path, name: &str, args: &Value) -> Result<Value> {
    use crate::app::shared;
    let a = fields(args)?;
    match name {
        "server_move" => to_json(shared::move_to_server(dir, &arg(a, "settings")?)),
        "server_join" => to_json(shared::join_server(dir, &arg(a, "settings")?)),
        "server_leave" => to_json(shared::copy_to_desk(dir, chrono::Utc::now())),
        _ => Err(Error::UnknownCommand(name.chars().take(100).collect())),
    }
}

/// The commands the desktop shell answers itself: the queue of what the window was asked
/// to open from outside (a caller, a clicked notification), and the about box's facts.
pub const DESKTOP_COMMANDS: &[Command] = &[
    Command {
        name: "desktop_open_take",
        access: Access::Desktop,
        args: &[],
    },
    Command {
        name: "desktop_about",
        access: Access::Desktop,
        args: &[],
    },
    Command {
        name: "desktop_ready",
        access: Access::Desktop,
        args: &[],
    },
];

/// The declaration of `name`, if the window may call it.
pub fn command(name: &str) -> Option<&'static Command> {
    COMMANDS
        .iter()
        .chain(RECOVERY_COMMANDS)
        .chain(SWITCH_COMMANDS)
        .chain(DESKTOP_COMMANDS)
        .find(|c| c.name == name)
}

static NO_ARGS: std::sync::OnceLock<serde_json::Map<String, Value>> = std::sync::OnceLock::new();

/// The arguments object; no arguments at all (`null`) is an empty object.
fn fields(args: &Value) -> Result<&serde_json::Map<String, Value>> {
    match args {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(NO_ARGS.get_or_init(serde_json::Map::new)),
        _ => Err(Error::Invalid(vec![FieldError::new("args", "invalid_value")])),
    }
}

/// One argument, typed. A problem inside it names the field the window knows: for an input
/// object, the path inside it (`satisfaction`, `phones.1`); else the argument's name.
fn arg<T: DeserializeOwned>(fields: &serde_json::Map<String, Value>, name: &str) -> Result<T> {
    let value = fields.get(name).cloned().unwrap_or(Value::Null);
    if let Some(path) = nul_in(&value) {
        let field = if path.is_empty() { name.to_string() } else { path };
        return Err(Error::Invalid(vec![FieldError::new(field, "invalid_text")]));
    }
    let missing = value.is_null();
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path = field_path(e.path());
        let code = if missing && path.is_empty() {
            "required"
        } else {
            error_code(&e.inner().to_string())
        };
        let field = if path.is_empty() { name.to_string() } else { path };
        Error::Invalid(vec![FieldError::new(field, code)])
    })
}

/// The path (`phones.1`) of the first text holding a NUL character, which no field may hold.
fn nul_in(v: &Value) -> Option<String> {
    let join = |head: String, tail: String| {
        if tail.is_empty() {
            head
        } else {
            format!("{head}.{tail}")
        }
    };
    match v {
        Value::String(s) => s.contains('\0').then(String::new),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| nul_in(x).map(|p| join(i.to_string(), p))),
        Value::Object(m) => m.iter().find_map(|(k, x)| nul_in(x).map(|p| join(k.clone(), p))),
        _ => None,
    }
}

/// `phones[1].number` as the UI names it: `phones.1.number`.
fn field_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A stable code for a value that does not fit its type.
fn error_code(message: &str) -> &'static str {
    if message.starts_with("invalid value: integer") || message.contains("out of range") {
        "number_out_of_range"
    } else if message.starts_with("unknown variant") {
        "invalid_choice"
    } else if message.starts_with("missing field") {
        "required"
    } else {
        "invalid_value"
    }
}

fn to_json<T: Serialize>(r: Result<T>) -> Result<Value> {
    serde_json::to_value(r?).map_err(Error::internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn app() -> (tempfile::TempDir, App) {
        let dir = tempfile::tempdir().unwrap();
        let app = App::open(dir.path()).unwrap();
        (dir, app)
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = COMMANDS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len());
    }

    #[test]
    fn a_number_beyond_its_type_is_a_field_error() {
        let (_d, app) = app();
        let e = dispatch(&app, "visit_calendar", &json!({"year": 2026, "month": 99999999999u64})).unwrap_err();
        assert_eq!(e.kind(), "invalid");
        assert_eq!(e.fields()[0].field, "month");
        assert_eq!(e.fields()[0].code, "number_out_of_range");
        let e = dispatch(&app, "customer_get", &json!({})).unwrap_err();
        assert_eq!((e.fields()[0].field.as_str(), e.fields()[0].code), ("id", "required"));
        let e = dispatch(&app, "customer_create", &json!({"input": {"name": "x", "phones": [1]}})).unwrap_err();
        assert_eq!(e.fields()[0].field, "phones.0", "{e}");
        let e = dispatch(&app, "no_such_command", &json!({})).unwrap_err();
        assert_eq!(e.kind(), "unknown_command");
    }

    #[test]
    fn a_read_and_a_write_through_dispatch() {
        let (_d, app) = app();
        let c = dispatch(
            &app,
            "customer_create",
            &json!({"input": {"name": "张伟", "phones": ["13800001111"]}}),
        )
        .unwrap();
        let id = c["id"].clone();
        let d = dispatch(&app, "customer_get", &json!({ "id": id })).unwrap();
        assert_eq!(d["customer"]["name"], "张伟");
        assert_eq!(dispatch(&app, "app_status", &Value::Null).unwrap()["customers"], 1);
    }
}

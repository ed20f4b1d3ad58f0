//! The one error type of FrontDesk; it crosses IPC as `{kind, message, fields}`.

use serde::{Serialize, Serializer};

/// A problem with one field of a form, named by a stable code the UI translates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field, as the UI names it (`name`, `email`, `phones.1`, `birthday`, …).
    pub field: String,
    /// A stable code: `required`, `too_long`, `invalid_phone`, `invalid_email`,
    /// `invalid_date`, `invalid_lunar_month`, `too_many`, `invalid_choice`.
    pub code: &'static str,
    /// For `too_long` and `too_many`: the limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<usize>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        FieldError {
            field: field.into(),
            code,
            max: None,
        }
    }
    pub fn with_max(field: impl Into<String>, code: &'static str, max: usize) -> Self {
        FieldError {
            field: field.into(),
            code,
            max: Some(max),
        }
    }
}

/// Record a `too_long` problem when `value` has more than `max` characters, and an
/// `invalid_text` one when it holds a NUL character (which no stored text may hold).
pub fn check_len(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.push(FieldError::with_max(field, "too_long", max));
    } else if value.contains('\0') {
        errors.push(FieldError::new(field, "invalid_text"));
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("some fields are not valid: {}", describe(.0))]
    Invalid(Vec<FieldError>),
    /// Warnings the user may confirm past (a resource already booked, a closed day): the
    /// same request with `confirm` goes through.
    #[error("please confirm: {}", describe(.0))]
    Confirm(Vec<FieldError>),
    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: i64 },
    #[error("this database was written by a newer FrontDesk (schema version {found}; this version knows up to {supported}); it was left untouched")]
    DbTooNew { found: i64, supported: i64 },
    #[error("{path} is not a FrontDesk database ({reason}); it was left untouched")]
    DbInvalid { path: String, reason: String },
    /// The database file failed its check at start (`quick_check`) or reads as corrupt.
    #[error("the database {path} is damaged ({reason}); it was left untouched")]
    DbDamaged { path: String, reason: String },
    #[error("the data folder cannot be used: {0}")]
    DataDir(String),
    /// The data folder or its database file cannot be written (permissions, a read-only disk).
    #[error("the data folder cannot be written to: {0}")]
    ReadOnly(String),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    /// The shared database cannot be reached (the network, the server stopped): nothing was
    /// saved; the desk connects again by itself.
    #[error("the shared database cannot be reached ({0}); nothing was saved")]
    Offline(String),
    /// The shared database refused a statement (`code`: PostgreSQL's SQLSTATE, when it sent one).
    #[error("shared database: {message}")]
    Server { code: Option<String>, message: String },
    #[error("{0}")]
    Conflict(String),
    /// The record was saved elsewhere (another desk) since the form read it: `desk` (that
    /// desk's name), `by` (who was at it, or empty), `at` (when, UTC) and `updated_at` (its
    /// version now: sent back to overwrite it after all).
    #[error("changed at desk {desk:?} by {by:?} at {at} since it was read")]
    Changed {
        by: String,
        desk: String,
        at: String,
        updated_at: String,
    },
    /// An action that the record's current state does not allow (an outcome on a
    /// cancelled visit, …); `code` names it for translation.
    #[error("{message}")]
    State { code: &'static str, message: String },
    /// A stored setting that does not parse (edited or damaged outside FrontDesk).
    #[error("the saved setting {key:?} is damaged ({reason}); open Settings and save it again")]
    SettingDamaged { key: &'static str, reason: String },
    /// A backup could not be taken, read or checked; nothing else was changed.
    #[error("backup: {0}")]
    Backup(String),
    /// The window asked for a command that does not exist.
    #[error("unknown command {0:?}")]
    UnknownCommand(String),
    #[error("internal error: {0}")]
    Internal(String),
}

fn describe(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(|f| format!("{} ({})", f.field, f.code))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Error {
    /// The stable kind the UI keys its translated message on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "invalid",
            Error::Confirm(_) => "confirm",
            Error::NotFound { .. } => "not_found",
            Error::DbTooNew { .. } => "db_too_new",
            Error::DbInvalid { .. } => "db_invalid",
            Error::DbDamaged { .. } => "db_damaged",
            Error::DataDir(_) => "data_dir",
            Error::ReadOnly(_) => "read_only",
            Error::Db(e) => match e.sqlite_error_code() {
                // What the user can act on: free some space, make the folder writable.
                Some(rusqlite::ErrorCode::DiskFull) => "disk_full",
                Some(rusqlite::ErrorCode::ReadOnly) | Some(rusqlite::ErrorCode::CannotOpen) => "read_only",
                Some(rusqlite::ErrorCode::DatabaseCorrupt) | Some(rusqlite::ErrorCode::NotADatabase) => "db_damaged",
                _ => "db",
            },
            Error::Server { .. } => "db",
            Error::Offline(_) => "offline",
            Error::Conflict(_) => "conflict",
            Error::Changed { .. } => "changed",
            Error::State { .. } => "invalid_state",
            Error::UnknownCommand(_) => "unknown_command",
            Error::SettingDamaged { .. } => "setting_damaged",
            Error::Backup(_) => "backup",
            Error::Internal(_) => "internal",
        }
    }

    /// Field errors, when the error is a validation failure.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Invalid(f) | Error::Confirm(f) => f,
            _ => &[],
        }
    }

    /// A constraint of the store refused the write (a unique key, a check, a reference), on
    /// the desk's file or on the server alike.
    pub fn is_constraint(&self) -> bool {
        match self {
            Error::Db(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation),
            Error::Server { code: Some(c), .. } => c.starts_with("23"),
            _ => false,
        }
    }

    /// The state code of an `invalid_state` error.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Error::State { code, .. } => Some(code),
            _ => None,
        }
    }

    pub fn state(code: &'static str, message: impl Into<String>) -> Self {
        Error::State {
            code,
            message: message.into(),
        }
    }

    /// A file the user chose could not be written: a missing folder, a folder that refuses
    /// writing and a full disk are field errors on `path` (the user can choose elsewhere).
    pub fn file_write(e: &std::io::Error, path: &std::path::Path) -> Self {
        use std::io::ErrorKind;
        let code = match e.kind() {
            ErrorKind::NotFound => "folder_missing",
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => "folder_read_only",
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "disk_full",
            _ => return Error::Internal(format!("cannot write {}: {e}", path.display())),
        };
        Error::Invalid(vec![FieldError::new("path", code)])
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        Error::Internal(e.to_string())
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Error", 5)?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("message", &self.to_string())?;
        st.serialize_field("fields", self.fields())?;
        st.serialize_field("code", &self.code())?;
        match self {
            Error::Changed {
                by,
                desk,
                at,
                updated_at,
            } => st.serialize_field(
                "changed",
                &serde_json::json!({ "by": by, "desk": desk, "at": at, "updated_at": updated_at }),
            )?,
            _ => st.skip_field("changed")?,
        }
        st.end()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crosses_ipc_as_kind_and_message() {
        let e = Error::Invalid(vec![FieldError::new("email", "invalid_email")]);
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "invalid");
        assert!(v["message"].as_str().unwrap().contains("email"));
        assert_eq!(v["fields"][0]["code"], "invalid_email");
        let e = Error::DbTooNew { found: 9, supported: 1 };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "db_too_new");
        assert!(v["message"].as_str().unwrap().contains("newer"));
    }
}

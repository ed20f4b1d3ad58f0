//! Import types as they cross IPC: the request, the preview with its dry run, a row's
//! error, the result, and the recorded batch.

use serde::{Deserialize, Serialize};

use super::mapping::Target;
use super::table::{Format, ReadOptions};

crate::str_enum!(
    /// What to do with a row whose phone matches an existing customer or an earlier row.
    Duplicates { Skip = "skip", Fill = "fill", Create = "create" }
);

// `str_enum!` cannot mark a variant `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for Duplicates {
    fn default() -> Self {
        Duplicates::Skip
    }
}

crate::str_enum!(
    /// What an import did to one customer.
    ItemAction { Created = "created", Filled = "filled" }
);

/// What the window asks to preview, check or import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ImportRequest {
    pub path: String,
    /// Encoding and separator of a text file; unset is "detect".
    pub options: ReadOptions,
    /// One target per column; unset: the last mapping used for these headers, else a guess.
    pub mapping: Option<Vec<Target>>,
    pub duplicates: Duplicates,
    /// Import only if the dry run still finds this many valid rows (the file did not change
    /// since the preview the user confirmed).
    pub expect_valid: Option<usize>,
}

/// Why one cell (or row) cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row as a spreadsheet numbers it (the header is usually row 1).
    pub row: usize,
    /// The column's header ("" for the whole row).
    pub column: String,
    pub value: String,
    /// A stable code, translated by the window as `invalid.<code>`.
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<usize>,
}

/// What a dry run found: every row checked, nothing written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Data rows (blank rows not counted).
    pub rows: usize,
    pub valid: usize,
    pub invalid: usize,
    /// Valid rows whose phone matches an existing customer.
    pub duplicates_existing: usize,
    /// Valid rows whose phone matches an earlier row of the file.
    pub duplicates_in_file: usize,
    /// What the chosen duplicate rule will do: new customers, existing ones filled, rows skipped.
    pub will_create: usize,
    pub will_fill: usize,
    pub will_skip: usize,
    /// The first errors (at most [`MAX_LISTED_ERRORS`]); `invalid` counts them all.
    pub errors: Vec<RowError>,
    pub error_count: usize,
}

/// The most errors a check lists (the saved error file has them all).
pub const MAX_LISTED_ERRORS: usize = 500;

/// Rows a preview shows.
pub const PREVIEW_ROWS: usize = 20;

/// The file as read, the mapping in use, and the dry run with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    pub path: String,
    pub file_name: String,
    pub format: Format,
    pub encoding: Option<String>,
    pub separator: Option<char>,
    pub headers: Vec<String>,
    /// The first rows, as text.
    pub rows: Vec<Vec<String>>,
    pub mapping: Vec<Target>,
    /// The mapping is the one last used for a file with these headers.
    pub remembered: bool,
    pub duplicates: Duplicates,
    pub check: Check,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportResult {
    pub batch_id: i64,
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub invalid: usize,
}

/// A recorded import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Batch {
    pub id: i64,
    pub at: String,
    pub staff: String,
    pub file: String,
    pub duplicates: Duplicates,
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub invalid: usize,
    #[serde(skip)]
    pub change_id: i64,
    pub undone_at: Option<String>,
    /// How many of its customers changed since (then it cannot be undone).
    pub changed_since: usize,
}

/// How far a long import is: `stage` is `reading`, `checking` or `writing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}

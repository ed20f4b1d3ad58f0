//! Backups through `App`: back up now (to the backup folder or one the user picks), list,
//! restore, the backup settings (folder, retention) and the automatic daily backup.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::App;
use crate::error::{check_len, Error, FieldError, Result};
use crate::kernel::settings::Setting;
use crate::store::backup::{self, BackupInfo, BackupKind, Retention};
use crate::store::{settings, DB_FILE};

/// Where backups go and how many automatic ones are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupSettings {
    /// A folder the user chose (a USB stick, a network drive) for backups made here and the
    /// automatic ones; empty: the data folder's `backups/`.
    pub folder: String,
    pub retention: Retention,
}

/// The most of each kind of automatic backup a user may keep.
const MAX_KEEP: [(&str, usize); 3] = [
    ("retention.daily", 60),
    ("retention.weekly", 104),
    ("retention.monthly", 120),
];

impl Setting for BackupSettings {
    const KEY: &'static str = "backup.settings";

    fn validate(&self) -> std::result::Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_len(&mut errors, "folder", &self.folder, 1000);
        if errors.is_empty() && !self.folder.is_empty() && !Path::new(&self.folder).is_absolute() {
            errors.push(FieldError::new("folder", "not_absolute"));
        }
        let r = self.retention;
        for ((field, max), value) in MAX_KEEP.into_iter().zip([r.daily, r.weekly, r.monthly]) {
            if value > max {
                errors.push(FieldError::with_max(field, "out_of_range", max));
            }
        }
        // Keeping no daily backup would delete today's as soon as it is taken.
        if r.daily == 0 {
            errors.push(FieldError::new("retention.daily", "at_least_one"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A folder the user named must be there already (a USB stick that is not plugged in is
/// not created on the system disk) and take a file.
fn usable_folder(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Err(Error::state(
            "backup_folder_missing",
            format!("the backup folder {} cannot be found", dir.display()),
        ));
    }
    let probe = dir.join(".frontdesk-write-test");
    let written = std::fs::write(&probe, b"ok");
    let _ = std::fs::remove_file(&probe);
    written.map_err(|e| {
        Error::state(
            "backup_folder_read_only",
            format!("nothing can be written to the backup folder {}: {e}", dir.display()),
        )
    })
}

/// Where the last automatic backup's failure is kept (empty once one works again).
const LAST_FAILURE: &str = "backup.last_auto_failure";
/// The file the database was last restored from (its change is the restore's audit entry).
const RESTORED_FROM: &str = "backup.restored_from";
/// How long to wait after a failed automatic backup before trying again.
const RETRY_MINUTES: i64 = 60;
/// A newest good backup older than this many days is a warning.
const STALE_DAYS: i64 = 7;

/// A failed automatic backup: when (local), and why.
struct Failure {
    at: Option<chrono::NaiveDateTime>,
    message: String,
}

/// What the window says about backups.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupHealth {
    /// When the newest good backup was taken (UTC), if any.
    pub newest: Option<String>,
    pub age_days: Option<i64>,
    /// There is data, and no good backup from the last 7 days.
    pub stale: bool,
    /// Why the last automatic backup failed, until one works again.
    pub last_failure: Option<String>,
    /// The desk works on the shared database: it is backed up on its server (`pg_dump`),
    /// not by each desk.
    pub shared: bool,
}

/// Why a desk on the shared database takes and restores no backups itself.
fn backed_up_on_server() -> Error {
    Error::state(
        "backup_on_server",
        "the shared database is backed up on its server (pg_dump), not by each desk",
    )
}

impl App {
    /// The data folder's `backups/`: snapshots before an upgrade or a restore always go
    /// here, and the other backups too unless the user chose a folder.
    pub fn backup_dir(&self) -> PathBuf {
        self.data_dir().join(backup::BACKUP_DIR)
    }

    /// The folder for backups made here and automatic ones: the chosen one, or `backups/`.
    pub fn chosen_backup_dir(&self) -> Result<PathBuf> {
        self.usable_target(&self.backup_settings()?)
    }

    /// Where backups go under `s`: the chosen folder, or `backups/`.
    fn backup_target(&self, s: &BackupSettings) -> PathBuf {
        if s.folder.is_empty() {
            self.backup_dir()
        } else {
            PathBuf::from(&s.folder)
        }
    }

    /// [`backup_target`](Self::backup_target), once a chosen folder is found usable
    /// (`backups/` is made when missing).
    fn usable_target(&self, s: &BackupSettings) -> Result<PathBuf> {
        let dir = self.backup_target(s);
        if !s.folder.is_empty() {
            usable_folder(&dir)?;
        }
        Ok(dir)
    }

    /// The backup settings (folder, retention).
    pub fn backup_settings(&self) -> Result<BackupSettings> {
        self.setting()
    }

    /// Save the backup settings; a chosen folder must exist and take a file.
    pub fn set_backup_settings(&self, s: &BackupSettings) -> Result<BackupSettings> {
        s.validate().map_err(Error::Invalid)?;
        if !s.folder.is_empty() {
            usable_folder(Path::new(&s.folder)).map_err(|e| {
                let code = e.code().unwrap_or("backup_folder_missing");
                Error::Invalid(vec![FieldError::new("folder", code)])
            })?;
        }
        self.save_setting(s, |_| Ok(()))
    }

    /// Take a checked backup now, into the backup folder.
    pub fn backup_now(&self) -> Result<BackupInfo> {
        if self.is_shared() {
            return Err(backed_up_on_server());
        }
        self.take_backup(BackupKind::Manual, &self.chosen_backup_dir()?)
    }

    /// Take a checked backup now into a folder the user picked for this one backup.
    pub fn backup_to(&self, folder: &str) -> Result<BackupInfo> {
        if self.is_shared() {
            return Err(backed_up_on_server());
        }
        let dir = Path::new(folder);
        if !dir.is_absolute() {
            return Err(Error::Invalid(vec![FieldError::new("folder", "not_absolute")]));
        }
        usable_folder(dir)?;
        self.take_backup(BackupKind::Manual, dir)
    }

    /// The good backups, newest first: the data folder's and the chosen folder's (one that
    /// cannot be found now, a USB stick taken out, lists nothing).
    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        let mut all = backup::list(&self.backup_dir())?;
        let chosen = self.backup_target(&self.backup_settings()?);
        if !same_folder(&chosen, &self.backup_dir()) {
            all.extend(backup::list(&chosen)?);
            all.sort_by(|a, b| b.taken_at.cmp(&a.taken_at));
        }
        Ok(all)
    }

    /// What a backup file holds (for the user to confirm a restore); a damaged, foreign or
    /// newer file is refused here.
    pub fn inspect_backup(&self, path: &str) -> Result<BackupInfo> {
        backup::inspect(std::path::Path::new(path))
    }

    /// Restore a backup: the file is checked first (nothing changes when it is refused),
    /// the current data is kept as a `pre-restore` backup, then the backup replaces it and
    /// everything in memory is rebuilt from it. Returns the pre-restore backup.
    pub fn restore_backup(&self, path: &str) -> Result<BackupInfo> {
        if self.is_shared() {
            return Err(backed_up_on_server());
        }
        let from = std::path::Path::new(path);
        backup::inspect(from)?;
        let before = self.take_backup(BackupKind::PreRestore, &self.backup_dir())?;
        {
            let mut conn = self.conn()?;
            backup::restore_into(&mut conn, from)?;
        }
        // The file now is the backup, checked whole by `inspect`: writes may go on.
        self.integrity.settle(Ok(()));
        self.forget_settings()?;
        // The restored trail ends when the backup was taken; say here what happened since.
        let name = from
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.write_as(super::WriteAs::because("restore"), |tx, ch| {
            ch.all_customers();
            settings::set_setting(tx, RESTORED_FROM, &name)
        })?;
        Ok(before)
    }

    /// Whether the window should warn about backups: the last automatic backup failed, or
    /// there is data and no good backup from the last 7 days.
    pub fn backup_health(&self) -> Result<BackupHealth> {
        if self.is_shared() {
            return Ok(BackupHealth {
                newest: None,
                age_days: None,
                stale: false,
                last_failure: None,
                shared: true,
            });
        }
        // A folder that cannot be read holds no good backup (and is warned about).
        let newest = self.backups().unwrap_or_default().into_iter().next();
        let last_failure = self.last_auto_failure()?.map(|f| f.message);
        let now = crate::kernel::time::to_utc(self.now_local());
        let age_days = newest
            .as_ref()
            .and_then(|b| DateTime::parse_from_rfc3339(&b.taken_at).ok())
            .map(|t| (now - t.to_utc()).num_days());
        let has_data = self.count_customers()? > 0;
        let stale = has_data && age_days.is_none_or(|d| d > STALE_DAYS);
        Ok(BackupHealth {
            newest: newest.map(|b| b.taken_at),
            age_days,
            stale,
            last_failure,
            shared: false,
        })
    }

    /// The automatic backup: once per local day (the first start of the day, or the first
    /// pass after midnight), then rotation. Returns the backup when one was taken.
    pub fn daily_backup_if_due(&self) -> Result<Option<BackupInfo>> {
        if self.is_shared() {
            return Ok(None);
        }
        let settings = self.backup_settings()?;
        let dir = self.backup_target(&settings);
        let local_day = |at: DateTime<Utc>| at.with_timezone(&chrono::Local).date_naive();
        if backup::has_daily_on(&dir, self.today(), local_day) {
            return Ok(None);
        }
        // After a failure, wait before trying again: the scheduler passes every 30 s, and a
        // failing copy of a large database is not work to repeat that often.
        let now = self.now_local();
        if let Some(f) = self.last_auto_failure()? {
            if f.at
                .is_some_and(|at| now - at < chrono::TimeDelta::minutes(RETRY_MINUTES))
            {
                return Ok(None);
            }
        }
        // A failure is remembered (the window warns) until an automatic backup works again.
        let outcome = self
            .usable_target(&settings)
            .and_then(|dir| self.take_backup(BackupKind::Daily, &dir))
            .and_then(|taken| backup::rotate(&dir, settings.retention, local_day).map(|_| taken));
        let failure = match &outcome {
            Ok(_) => String::new(),
            Err(e) => {
                serde_json::json!({ "at": crate::kernel::time::local_to_ts(now), "message": e.to_string() }).to_string()
            }
        };
        self.write_system(|tx, _| settings::set_setting(tx, LAST_FAILURE, &failure))?;
        outcome.map(Some)
    }

    /// The last automatic backup's failure, if the last one failed.
    fn last_auto_failure(&self) -> Result<Option<Failure>> {
        let raw = settings::get_setting(self.held()?.db(), LAST_FAILURE)?.filter(|s| !s.is_empty());
        Ok(raw.map(|raw| {
            let v: serde_json::Value = serde_json::from_str(&raw).unwrap_or_default();
            Failure {
                at: v["at"].as_str().and_then(crate::kernel::time::ts_to_local),
                message: v["message"].as_str().map_or(raw.clone(), str::to_string),
            }
        }))
    }

    fn take_backup(&self, kind: BackupKind, dir: &Path) -> Result<BackupInfo> {
        let now = crate::kernel::time::to_utc(self.now_local());
        backup::take(&self.data_dir().join(DB_FILE), dir, kind, now)
    }
}

/// Whether two paths name one folder (either may not exist).
fn same_folder(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

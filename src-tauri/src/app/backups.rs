//! Backups through `App`: back up now, list, and the automatic daily backup with rotation.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::App;
use crate::error::Result;
use crate::store::backup::{self, BackupInfo, BackupKind, Retention};
use crate::store::{settings, DB_FILE};

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
}

impl App {
    /// The folder backups go to: `backups/` in the data folder.
    pub fn backup_dir(&self) -> PathBuf {
        self.data_dir().join(backup::BACKUP_DIR)
    }

    /// Take a checked backup now.
    pub fn backup_now(&self) -> Result<BackupInfo> {
        self.take_backup(BackupKind::Manual)
    }

    /// The good backups, newest first.
    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        backup::list(&self.backup_dir())
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
        let from = std::path::Path::new(path);
        backup::inspect(from)?;
        let before = self.take_backup(BackupKind::PreRestore)?;
        {
            let mut conn = self.conn()?;
            backup::restore_into(&mut conn, from)?;
        }
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
        })
    }

    /// The automatic backup: once per local day (the first start of the day, or the first
    /// pass after midnight), then rotation. Returns the backup when one was taken.
    pub fn daily_backup_if_due(&self) -> Result<Option<BackupInfo>> {
        let dir = self.backup_dir();
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
            .take_backup(BackupKind::Daily)
            .and_then(|taken| backup::rotate(&dir, Retention::default(), local_day).map(|_| taken));
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
        let raw = settings::get_setting(&*self.conn()?, LAST_FAILURE)?.filter(|s| !s.is_empty());
        Ok(raw.map(|raw| {
            let v: serde_json::Value = serde_json::from_str(&raw).unwrap_or_default();
            Failure {
                at: v["at"].as_str().and_then(crate::kernel::time::ts_to_local),
                message: v["message"].as_str().map_or(raw.clone(), str::to_string),
            }
        }))
    }

    fn take_backup(&self, kind: BackupKind) -> Result<BackupInfo> {
        let now = crate::kernel::time::to_utc(self.now_local());
        backup::take(&self.data_dir().join(DB_FILE), &self.backup_dir(), kind, now)
    }
}

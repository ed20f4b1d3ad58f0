//! Backups through `App`: back up now, list, and the automatic daily backup with rotation.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::App;
use crate::error::Result;
use crate::store::backup::{self, BackupInfo, BackupKind, Retention};
use crate::store::DB_FILE;

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
        self.apply(super::Changes {
            all_customers: true,
            ..Default::default()
        })?;
        Ok(before)
    }

    /// The automatic backup: once per local day (the first start of the day, or the first
    /// pass after midnight), then rotation. Returns the backup when one was taken.
    pub fn daily_backup_if_due(&self) -> Result<Option<BackupInfo>> {
        let dir = self.backup_dir();
        let local_day = |at: DateTime<Utc>| at.with_timezone(&chrono::Local).date_naive();
        if backup::has_daily_on(&dir, self.today(), local_day) {
            return Ok(None);
        }
        let taken = self.take_backup(BackupKind::Daily)?;
        backup::rotate(&dir, Retention::default(), local_day)?;
        Ok(Some(taken))
    }

    fn take_backup(&self, kind: BackupKind) -> Result<BackupInfo> {
        let now = crate::kernel::time::to_utc(self.now_local());
        backup::take(&self.data_dir().join(DB_FILE), &self.backup_dir(), kind, now)
    }
}

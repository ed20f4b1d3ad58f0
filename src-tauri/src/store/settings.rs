//! Key/value settings kept in the database (UI language, …), on either store.

use super::db::Db;
use crate::error::Result;

pub fn get_setting<'a>(db: impl Into<Db<'a>>, key: &str) -> Result<Option<String>> {
    db.into()
        .query_opt("SELECT value FROM settings WHERE key = ?1", &[&key])?
        .map(|r| r.get(0))
        .transpose()
}

pub fn set_setting<'a>(db: impl Into<Db<'a>>, key: &str, value: &str) -> Result<()> {
    db.into().execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&key, &value],
    )?;
    Ok(())
}

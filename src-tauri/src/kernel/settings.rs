//! Typed settings: each kind is one JSON value under one key, with its default and its
//! validation. `App` caches what it read and refreshes the cache when it saves; a stored
//! value that does not parse is a clear error naming the setting, never silent defaults.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, FieldError, Result};
use crate::store::settings as raw;

/// One kind of setting.
pub trait Setting: Serialize + DeserializeOwned + Default + Clone + Send + Sync + 'static {
    /// The key it is stored under.
    const KEY: &'static str;
    /// Check a value before it is saved; field errors name the form's fields.
    fn validate(&self) -> std::result::Result<(), Vec<FieldError>>;
}

/// The stored value, or the default when none was ever saved.
pub fn load<'a, S: Setting>(db: impl Into<crate::store::db::Db<'a>>) -> Result<S> {
    match raw::get_setting(db, S::KEY)? {
        None => Ok(S::default()),
        Some(json) => serde_json::from_str(&json).map_err(|e| Error::SettingDamaged {
            key: S::KEY,
            reason: e.to_string(),
        }),
    }
}

/// Validate and store `value` (inside the caller's transaction).
pub fn save<'a, S: Setting>(db: impl Into<crate::store::db::Db<'a>>, value: &S) -> Result<()> {
    value.validate().map_err(Error::Invalid)?;
    let json = serde_json::to_string(value).map_err(Error::internal)?;
    raw::set_setting(db, S::KEY, &json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
    struct Volume {
        level: u8,
    }

    impl Setting for Volume {
        const KEY: &'static str = "test.volume";
        fn validate(&self) -> std::result::Result<(), Vec<FieldError>> {
            if self.level > 10 {
                return Err(vec![FieldError::with_max("level", "out_of_range", 10)]);
            }
            Ok(())
        }
    }

    #[test]
    fn default_saved_damaged() {
        let c = crate::store::open(&tempfile::tempdir().unwrap().path().join("s.db")).unwrap();
        assert_eq!(load::<Volume>(&c).unwrap(), Volume::default());
        save(&c, &Volume { level: 7 }).unwrap();
        assert_eq!(load::<Volume>(&c).unwrap().level, 7);
        assert_eq!(save(&c, &Volume { level: 11 }).unwrap_err().kind(), "invalid");
        assert_eq!(load::<Volume>(&c).unwrap().level, 7, "a refused value is not stored");
        raw::set_setting(&c, Volume::KEY, "{\"level\": \"loud\"").unwrap();
        let e = load::<Volume>(&c).unwrap_err();
        assert_eq!(e.kind(), "setting_damaged");
        assert!(e.to_string().contains("test.volume"), "{e}");
    }
}

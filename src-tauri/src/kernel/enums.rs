//! String-backed enums: one declaration gives serde names, `as_str`, `parse`, `ALL`, and
//! the store conversions, SQLite's and the seam's (stored as the same text the window sees).

/// Declare a string-backed enum: `str_enum!(Tier { Vip = "vip", … })`.
#[macro_export]
macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $s)] $var),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$var => $s),+ } }
            pub fn parse(s: &str) -> Option<Self> { match s { $($s => Some($name::$var),)+ _ => None } }
        }
        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.as_str()))
            }
        }
        impl $crate::store::db::Param for $name {
            fn value(&self) -> $crate::store::db::Value {
                $crate::store::db::Value::Text(self.as_str().to_string())
            }
        }
        impl $crate::store::db::FromValue for $name {
            fn from_value(v: &$crate::store::db::Value) -> Option<Self> {
                match v {
                    $crate::store::db::Value::Text(s) => $name::parse(s),
                    _ => None,
                }
            }
        }
        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                $name::parse(s).ok_or_else(|| rusqlite::types::FromSqlError::Other(
                    format!("{s:?} is not a {}", stringify!($name)).into(),
                ))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::str_enum!(Shade { Light = "light", Dark = "dark" });

    #[test]
    fn round_trips_through_sqlite_and_refuses_strangers() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let back: Shade = c.query_row("SELECT ?1", [Shade::Dark], |r| r.get(0)).unwrap();
        assert_eq!(back, Shade::Dark);
        let bad: rusqlite::Result<Shade> = c.query_row("SELECT 'purple'", [], |r| r.get(0));
        assert!(bad.is_err());
        assert_eq!(serde_json::to_string(&Shade::Light).unwrap(), "\"light\"");
        assert_eq!(Shade::ALL.len(), 2);
    }
}

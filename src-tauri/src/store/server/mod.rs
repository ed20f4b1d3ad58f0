//! The shared database for several desks: a PostgreSQL server's connection settings, the check
//! behind "Test connection", and the server's embedded, append-only migrations.
//!
//! The client is the `postgres` crate, the synchronous face of `tokio-postgres` (the
//! maintained, pure-Rust PostgreSQL client): the store's functions are plain synchronous calls
//! over a connection, as they are over rusqlite's, and it brings LISTEN/NOTIFY.

pub mod copy;

use std::time::Duration;

use postgres::error::SqlState;
use postgres::{Client, GenericClient, NoTls};
use serde::{Deserialize, Serialize};

use crate::error::{check_len, Error, FieldError, Result};

/// Every migration of the server's schema, in order. Append only: never edit or reorder one
/// that shipped (the store's fingerprint test checks these as it checks SQLite's).
pub const MIGRATION_SQL: &[&str] = &[
    include_str!("migrations/0001_desks.sql"),
    include_str!("migrations/0002_records.sql"),
    include_str!("migrations/0003_triggers.sql"),
    include_str!("migrations/0004_desk_staff.sql"),
    include_str!("migrations/0005_audit_desk.sql"),
];

/// The server schema version this build writes.
pub fn supported_version() -> i64 {
    MIGRATION_SQL.len() as i64
}

/// The oldest PostgreSQL FrontDesk works with (12: what every maintained NAS and Linux
/// distribution ships or exceeds).
pub const OLDEST_SERVER: i32 = 120_000;

/// How long a desk waits for the server to answer before calling it unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Held (for the transaction) while migrating: two desks starting at once apply each
/// migration once.
pub(crate) const MIGRATION_LOCK: i64 = 0x4644_4d49_4752_4154;

/// Where the shared database is, who this desk logs in as, and the name it shows the others.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerSettings {
    pub host: String,
    pub port: i64,
    pub database: String,
    pub user: String,
    /// Never written back to the window.
    #[serde(skip_serializing)]
    pub password: String,
    /// The desk's name as the other desks see it ("前台1", "礼宾台").
    pub desk: String,
}

/// PostgreSQL's own limit on a database or user name (bytes).
const NAME_BYTES: usize = 63;
const HOST_MAX: usize = 255;
const PASSWORD_MAX: usize = 1000;
pub const DESK_MAX: usize = 40;

impl ServerSettings {
    /// Field errors for what cannot be a server's address, login or desk name.
    pub fn validate(&self) -> Result<()> {
        let mut errors = Vec::new();
        for (field, value, max) in [
            ("host", &self.host, HOST_MAX),
            ("database", &self.database, NAME_BYTES),
            ("user", &self.user, NAME_BYTES),
            ("desk", &self.desk, DESK_MAX),
        ] {
            if value.trim().is_empty() {
                errors.push(FieldError::new(field, "required"));
            } else if field != "host" && field != "desk" && value.len() > max {
                errors.push(FieldError::with_max(field, "too_long", max));
            } else {
                check_len(&mut errors, field, value, max);
            }
        }
        if self.host.chars().any(char::is_whitespace) && !self.host.trim().is_empty() {
            errors.push(FieldError::new("host", "invalid_value"));
        }
        if !(1..=65535).contains(&self.port) {
            errors.push(FieldError::with_max("port", "out_of_range", 65535));
        }
        check_len(&mut errors, "password", &self.password, PASSWORD_MAX);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(errors))
        }
    }

    fn config(&self) -> postgres::Config {
        let mut c = postgres::Config::new();
        c.host(self.host.trim())
            .port(self.port as u16)
            .dbname(&self.database)
            .user(&self.user)
            .password(&self.password)
            .application_name(&format!("FrontDesk {}", self.desk.trim()))
            .connect_timeout(CONNECT_TIMEOUT);
        c
    }
}

/// What "Test connection" found on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ServerCheck {
    /// A FrontDesk database this version can use.
    Ready { version: i64, desks: Vec<String> },
    /// An empty database: FrontDesk may set it up (and move a desk's data into it).
    Empty,
    /// No answer from that address and port (`reason`: what the network said).
    Unreachable { reason: String },
    /// The server refused the user name or password.
    WrongPassword,
    /// The server has no database of that name.
    NoDatabase,
    /// The user may not connect to that database.
    NotAllowed { reason: String },
    /// The database holds tables of another program: FrontDesk leaves it alone.
    NotFrontdesk,
    /// Written by a newer FrontDesk: update this desk first.
    Newer { found: i64, supported: i64 },
    /// The server's PostgreSQL is older than [`OLDEST_SERVER`].
    TooOld { version: String },
}

/// Connect to the server as `settings` say.
pub fn connect(settings: &ServerSettings) -> std::result::Result<Client, postgres::Error> {
    settings.config().connect(NoTls)
}

/// A connection for a desk that uses the shared database: not getting one is being offline
/// ([`Error::Offline`]), whatever the server said; the desk tries again.
pub fn reach(settings: &ServerSettings) -> Result<Client> {
    connect(settings).map_err(|e| match pg(e) {
        Error::Offline(why) => Error::Offline(why),
        other => Error::Offline(other.to_string()),
    })
}

/// Connect and say what is there, without changing anything.
pub fn check(settings: &ServerSettings) -> Result<ServerCheck> {
    settings.validate()?;
    match connect(settings) {
        Ok(mut client) => inspect(&mut client),
        Err(e) => Ok(refusal(&e)),
    }
}

/// What a failed connection means to the person setting it up.
fn refusal(e: &postgres::Error) -> ServerCheck {
    match e.as_db_error() {
        Some(db) if *db.code() == SqlState::INVALID_PASSWORD => ServerCheck::WrongPassword,
        Some(db) if *db.code() == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => ServerCheck::WrongPassword,
        Some(db) if *db.code() == SqlState::INVALID_CATALOG_NAME => ServerCheck::NoDatabase,
        Some(db) => ServerCheck::NotAllowed {
            reason: db.message().to_string(),
        },
        None => ServerCheck::Unreachable { reason: reason_of(e) },
    }
}

/// The innermost cause, which names what went wrong ("Connection refused", "timeout").
fn reason_of(e: &postgres::Error) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(inner) = source.source() {
        source = inner;
    }
    let text = source.to_string();
    if text.is_empty() {
        e.to_string()
    } else {
        text
    }
}

/// What an open connection's database holds.
pub fn inspect(client: &mut impl GenericClient) -> Result<ServerCheck> {
    let server: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .map_err(pg)?
        .get(0);
    if server < OLDEST_SERVER {
        let version: String = client.query_one("SHOW server_version", &[]).map_err(pg)?.get(0);
        return Ok(ServerCheck::TooOld { version });
    }
    let Some(version) = schema_version(client)? else {
        let tables: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S')",
                &[],
            )
            .map_err(pg)?
            .get(0);
        return Ok(if tables == 0 {
            ServerCheck::Empty
        } else {
            ServerCheck::NotFrontdesk
        });
    };
    if version > supported_version() {
        return Ok(ServerCheck::Newer {
            found: version,
            supported: supported_version(),
        });
    }
    let desks = if version >= 1 {
        client
            .query("SELECT name FROM desks ORDER BY last_seen DESC, name", &[])
            .map_err(pg)?
            .iter()
            .map(|r| r.get(0))
            .collect()
    } else {
        Vec::new()
    };
    Ok(ServerCheck::Ready { version, desks })
}

/// The schema version of the database, or `None` when FrontDesk never set it up.
pub(crate) fn schema_version(client: &mut impl GenericClient) -> Result<Option<i64>> {
    let marked: bool = client
        .query_one("SELECT to_regclass('frontdesk_schema') IS NOT NULL", &[])
        .map_err(pg)?
        .get(0);
    if !marked {
        return Ok(None);
    }
    let v: i64 = client
        .query_one("SELECT coalesce(max(version), 0)::bigint FROM frontdesk_schema", &[])
        .map_err(pg)?
        .get(0);
    Ok(Some(v))
}

/// Bring an empty or FrontDesk database to this build's schema, in one transaction under a
/// lock (a second desk starting at the same moment waits, then finds nothing to do). Refuses
/// another program's database and a newer schema, changing nothing. Returns the version.
pub fn migrate(client: &mut Client) -> Result<i64> {
    let mut tx = client.transaction().map_err(pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(pg)?;
    match inspect(&mut tx)? {
        ServerCheck::Empty => {
            tx.batch_execute(
                "CREATE TABLE frontdesk_schema (\
                   version bigint PRIMARY KEY, \
                   applied_at timestamptz NOT NULL DEFAULT now())",
            )
            .map_err(pg)?;
        }
        ServerCheck::Ready { .. } => {}
        ServerCheck::NotFrontdesk => {
            return Err(Error::DbInvalid {
                path: tx.query_one("SELECT current_database()", &[]).map_err(pg)?.get(0),
                reason: "it holds another program's tables".into(),
            })
        }
        ServerCheck::Newer { found, supported } => return Err(Error::DbTooNew { found, supported }),
        ServerCheck::TooOld { version } => {
            return Err(Error::Internal(format!(
                "PostgreSQL {version} is older than FrontDesk supports"
            )))
        }
        other => return Err(Error::Internal(format!("unexpected server state {other:?}"))),
    }
    let from = schema_version(&mut tx)?.unwrap_or(0);
    for (i, sql) in MIGRATION_SQL.iter().enumerate().skip(from as usize) {
        let version = i as i64 + 1;
        tx.batch_execute(sql)
            .map_err(|e| Error::Internal(format!("server migration {version} failed: {e}")))?;
        tx.execute("INSERT INTO frontdesk_schema (version) VALUES ($1)", &[&version])
            .map_err(pg)?;
    }
    tx.commit().map_err(pg)?;
    Ok(supported_version().max(from))
}

/// A server error while using an open connection.
pub(crate) fn pg(e: postgres::Error) -> Error {
    // The connection itself failed (the network, the server going away), not a statement.
    let lost = e.is_closed()
        || e.as_db_error().is_some_and(|db| {
            let code = db.code().code();
            code.starts_with("08") || code.starts_with("57P")
        })
        || (e.as_db_error().is_none() && std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()));
    if lost {
        return Error::Offline(reason_of(&e));
    }
    match e.as_db_error() {
        Some(db) => Error::Server {
            code: Some(db.code().code().to_string()),
            message: format!("{} ({})", db.message(), db.code().code()),
        },
        None => Error::Server {
            code: None,
            message: reason_of(&e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> ServerSettings {
        ServerSettings {
            host: "192.168.1.20".into(),
            port: 5432,
            database: "frontdesk".into(),
            user: "desk".into(),
            password: "secret".into(),
            desk: "前台1".into(),
        }
    }

    fn fields(s: &ServerSettings) -> Vec<(String, &'static str)> {
        match s.validate() {
            Ok(()) => Vec::new(),
            Err(e) => e.fields().iter().map(|f| (f.field.clone(), f.code)).collect(),
        }
    }

    #[test]
    fn settings_a_person_would_type_are_valid() {
        assert!(fields(&settings()).is_empty());
        let named = ServerSettings {
            host: "nas.local".into(),
            password: String::new(),
            desk: "礼宾台".into(),
            ..settings()
        };
        assert!(
            fields(&named).is_empty(),
            "a host name and no password (trust) are fine"
        );
    }

    #[test]
    fn each_mistake_is_named_on_its_field() {
        let empty = ServerSettings::default();
        let got = fields(&empty);
        for f in ["host", "database", "user", "desk"] {
            assert!(got.contains(&(f.to_string(), "required")), "{f}: {got:?}");
        }
        assert!(got.contains(&("port".to_string(), "out_of_range")));
        let wrong = ServerSettings {
            host: "my server".into(),
            port: 70000,
            database: "d".repeat(64),
            desk: "台".repeat(41),
            ..settings()
        };
        let got = fields(&wrong);
        assert!(got.contains(&("host".to_string(), "invalid_value")), "{got:?}");
        assert!(got.contains(&("port".to_string(), "out_of_range")), "{got:?}");
        assert!(got.contains(&("database".to_string(), "too_long")), "{got:?}");
        assert!(got.contains(&("desk".to_string(), "too_long")), "{got:?}");
        // 21 Chinese characters are 63 bytes: PostgreSQL's limit counts bytes.
        let chinese = ServerSettings {
            user: "前".repeat(22),
            ..settings()
        };
        assert_eq!(fields(&chinese), vec![("user".to_string(), "too_long")]);
    }

    #[test]
    fn the_password_never_goes_back_to_the_window() {
        let json = serde_json::to_value(settings()).expect("serializes");
        assert!(json.get("password").is_none(), "{json}");
        assert_eq!(json["desk"], "前台1");
    }

    #[test]
    fn nothing_listens_there_is_unreachable() {
        // A port nothing listens on: the check answers at once, with the network's reason.
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            l.local_addr().expect("its address").port()
        };
        let s = ServerSettings {
            host: "127.0.0.1".into(),
            port: port.into(),
            ..settings()
        };
        match check(&s).expect("a verdict, not an error") {
            ServerCheck::Unreachable { reason } => assert!(!reason.is_empty()),
            other => panic!("expected unreachable, got {other:?}"),
        }
    }
}

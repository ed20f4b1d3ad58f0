//! A throwaway PostgreSQL cluster for the shared-database tests: Debian's server binaries
//! (the `postgresql` package, installed when missing), `initdb` on a temporary folder,
//! `pg_ctl` on a free loopback port; stopped and removed when dropped.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{ensure_debs, is_root, Result};

/// Debian's PostgreSQL server (its binaries live in `/usr/lib/postgresql/<major>/bin`).
pub const SERVER_PACKAGES: &[&str] = &["postgresql"];

/// The variable the tests read the server's connection string from.
pub const SERVER_ENV: &str = "FRONTDESK_TEST_PG";

/// The variable naming [`Cluster::ctl`], for the test that stops the server mid-session.
pub const CTL_ENV: &str = "FRONTDESK_TEST_PG_CTL";

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    /// Whom the server runs as: PostgreSQL refuses to run as root.
    run_as: Option<String>,
    /// `host=127.0.0.1 port=… user=postgres password=…`.
    pub url: String,
}

impl Cluster {
    /// Install the server when missing, then start a cluster of its own.
    pub fn start() -> Result<Cluster> {
        if !cfg!(target_os = "linux") {
            return Err("the shared-database tests start PostgreSQL on Linux only".into());
        }
        ensure_debs(SERVER_PACKAGES)?;
        let bin = server_bin()?;
        let run_as = is_root().then(|| "postgres".to_string());
        let dir = env::temp_dir().join(format!("frontdesk-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let password = format!("fd-{:x}-{:x}", std::process::id(), nanos());
        std::fs::write(dir.join("password"), &password).map_err(|e| format!("password file: {e}"))?;
        let mut cluster = Cluster {
            dir,
            bin,
            run_as,
            url: String::new(),
        };
        if let Some(user) = &cluster.run_as {
            let mut c = Command::new("chown");
            c.args(["-R", user]).arg(&cluster.dir);
            crate::status("chown the test server's folder", c)?;
        }
        let data = cluster.dir.join("data");
        let mut c = cluster.command("initdb");
        c.arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "-E", "UTF8", "--no-locale", "--auth=scram-sha-256"])
            .arg(format!("--pwfile={}", cluster.dir.join("password").display()))
            .stdout(std::process::Stdio::null());
        crate::status("initdb (a throwaway PostgreSQL cluster)", c)?;
        // Where it listens is in its configuration, so that a plain `pg_ctl start` (the
        // restart test's) brings it back the same.
        let port = free_port()?;
        let conf = data.join("postgresql.conf");
        let listen = format!(
            "\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n",
            cluster.dir.display()
        );
        std::fs::OpenOptions::new()
            .append(true)
            .open(&conf)
            .and_then(|mut f| std::io::Write::write_all(&mut f, listen.as_bytes()))
            .map_err(|e| format!("{}: {e}", conf.display()))?;
        // `ctl <pg_ctl arguments>`: the server's pg_ctl on its data folder and log.
        let mut script = String::from("#!/bin/sh\nexec ");
        if let Some(user) = &cluster.run_as {
            script.push_str(&format!("runuser -u {user} -- "));
        }
        script.push_str(&format!(
            "'{}' -D '{}' -l '{}' \"$@\"\n",
            cluster.bin.join("pg_ctl").display(),
            data.display(),
            cluster.dir.join("server.log").display()
        ));
        let ctl = cluster.ctl();
        std::fs::write(&ctl, script).map_err(|e| format!("{}: {e}", ctl.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&ctl, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| format!("{}: {e}", ctl.display()))?;
        }
        let mut c = Command::new(&ctl);
        c.args(["-w", "start"]).stdout(std::process::Stdio::null());
        crate::status(&format!("pg_ctl start (port {port})"), c)?;
        cluster.url = format!("host=127.0.0.1 port={port} user=postgres password={password}");
        Ok(cluster)
    }

    /// A script that runs the server's `pg_ctl` on its data folder and log with the
    /// arguments it is given (`-w start`, `-m fast -w stop`).
    pub fn ctl(&self) -> PathBuf {
        self.dir.join("ctl")
    }

    /// `program` from the server's binaries, as the user the server runs as.
    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => Command::new(exe),
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let mut c = self.command("pg_ctl");
        c.arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "fast", "-w", "stop"])
            .stdout(std::process::Stdio::null());
        if let Err(e) = crate::status("pg_ctl stop (the throwaway cluster)", c) {
            eprintln!("xtask: {e}; its folder {} is left", self.dir.display());
            return;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The newest installed server's binaries: Debian's `/usr/lib/postgresql/<major>/bin`, else
/// the folder of `pg_ctl` on the PATH.
fn server_bin() -> Result<PathBuf> {
    let debian = Path::new("/usr/lib/postgresql");
    let newest = std::fs::read_dir(debian)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let major: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((major, bin))
        })
        .max_by_key(|(major, _)| *major);
    if let Some((_, bin)) = newest {
        return Ok(bin);
    }
    env::var_os("PATH")
        .and_then(|p| env::split_paths(&p).find(|d| d.join("pg_ctl").is_file() && d.join("initdb").is_file()))
        .ok_or_else(|| "no PostgreSQL server found (initdb, pg_ctl): install PostgreSQL (Debian: postgresql)".into())
}

/// A loopback port nothing listens on at this moment.
fn free_port() -> Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

//! `cargo xtask run | test | bench | package`: installs what is missing, then builds, checks,
//! tests and packages FrontDesk.
//!
//! One cargo target directory serves every step (and every run, when one exists), so a
//! full `test` builds the app once.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod pg;

/// Debian/Ubuntu packages needed to build the app.
const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libssl-dev",
    "libxdo-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
];

/// The integration suites that run twice: on a desk's own file, then (with [`STORE_ENV`]) with
/// every app on a fresh shared database of its own. Left out, as they are about the desk's
/// file itself: `backup` (a shared database's backups are its keeper's), `crash` (killing
/// the desk's writer mid-transaction), `faults` (a damaged or full file, a read-only data
/// folder) and `upgrade` (the SQLite migrations); the shared database has its own for
/// those (`server_*`).
const ON_BOTH_STORES: &[&str] = &[
    "anonymise",
    "arrivals",
    "audit",
    "caller",
    "churn",
    "complaints",
    "export",
    "import",
    "ipc",
    "props",
    "reminders",
    "review_counts",
    "review_export",
    "review_figures",
    "store",
    "story",
    "visits",
];

/// What moves the suites above onto the shared database (`frontdesk_tests::STORE_ENV`).
const STORE_ENV: &str = "FRONTDESK_TEST_STORE";

/// Debian/Ubuntu packages the end-to-end tests need: a headless X server, D-Bus (each test
/// starts a private bus), WebKit's WebDriver, a notification daemon, CJK fonts for
/// screenshots, the time-zone database (the tests run in two chosen zones).
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "dbus",
    "tzdata",
    "webkit2gtk-driver",
    "dunst",
    // Answers the system file dialog (GTK) in the backup tests, as a person would type.
    "xdotool",
    "libnotify-bin",
    "fonts-noto-cjk",
    // The package test: `xdg-mime` asks which program opens frontdesk:// links, and the
    // desktop database it reads is rebuilt by desktop-file-utils' trigger when a package
    // installs a desktop entry.
    "xdg-utils",
    "desktop-file-utils",
    // The system's credential store for the shared database's password: GNOME Keyring's
    // Secret Service on each test's private bus, and `secret-tool` to look inside it.
    "gnome-keyring",
    "libsecret-tools",
];

/// The C compiler the bundled SQLite needs to type-check the app for Windows.
const WINDOWS_PACKAGES: &[&str] = &["gcc-mingw-w64-x86-64"];
/// The Windows target the app is type-checked for.
const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("bench") => bench(&args[1..]),
        Some("package") => package().and_then(|b| match args.get(1).map(String::as_str) {
            // Also install the .deb here, start it, and remove it (as `test` does).
            Some("--install-test") => install_test(&b.deb),
            _ => Ok(()),
        }),
        // Inside an X session of its own (see `desktop_figures`).
        Some("__desktop-figures") => desktop_figures_inside(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask run | test | package [--install-test] | bench [--customers N] [--only-import]"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The shared target directory: `CARGO_TARGET_DIR`, else one per user outside the
/// checkout, so fresh clones (CI) reuse earlier builds.
fn target_dir() -> PathBuf {
    if let Some(dir) = env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let base = env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .or_else(|| env::var_os("LOCALAPPDATA").map(PathBuf::from));
    match base {
        Some(b) => b.join("frontdesk").join("target"),
        None => root().join("target"),
    }
}

fn cargo() -> Command {
    let mut c = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root()).env("CARGO_TARGET_DIR", target_dir());
    c
}

fn status(what: &str, mut cmd: Command) -> Result {
    eprintln!("==> {what}");
    let st = cmd.status().map_err(|e| format!("{what}: cannot start: {e}"))?;
    if st.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({st})"))
    }
}

fn on_path(program: &str) -> bool {
    env::var_os("PATH").is_some_and(|p| env::split_paths(&p).any(|d| d.join(program).is_file()))
}

fn is_debian() -> bool {
    cfg!(target_os = "linux") && Path::new("/etc/debian_version").exists() && on_path("dpkg-query")
}

fn missing_debs(pkgs: &[&str]) -> Vec<String> {
    pkgs.iter()
        .filter(|p| {
            let out = Command::new("dpkg-query").args(["-W", "-f=${Status}", p]).output();
            !matches!(out, Ok(o) if String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .map(|p| p.to_string())
        .collect()
}

/// Install missing Debian/Ubuntu packages (as root, or through sudo).
fn ensure_debs(pkgs: &[&str]) -> Result {
    if !is_debian() {
        if cfg!(target_os = "linux") {
            println!("==> not Debian/Ubuntu: make sure the equivalents of {pkgs:?} are installed (see README)");
        }
        return Ok(());
    }
    let missing = missing_debs(pkgs);
    if missing.is_empty() {
        return Ok(());
    }
    status("apt-get update", apt_get(&["update", "-q"]))?;
    let mut args = vec!["install", "-y", "-q", "--no-install-recommends"];
    args.extend(missing.iter().map(String::as_str));
    status(&format!("apt-get install {}", missing.join(" ")), apt_get(&args))
}

fn ensure_rust_components() -> Result {
    for (tool, component) in [("cargo-fmt", "rustfmt"), ("cargo-clippy", "clippy")] {
        if !on_path(tool) && on_path("rustup") {
            let mut c = Command::new("rustup");
            c.args(["component", "add", component]);
            status(&format!("rustup component add {component}"), c)?;
        }
    }
    Ok(())
}

/// tauri-driver, the WebDriver bridge for the end-to-end tests.
fn ensure_tauri_driver() -> Result<PathBuf> {
    let cargo_bin = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|h| h.join("bin").join("tauri-driver"));
    if let Some(p) = cargo_bin.as_ref().filter(|p| p.is_file()) {
        return Ok(p.clone());
    }
    if on_path("tauri-driver") {
        return Ok(PathBuf::from("tauri-driver"));
    }
    let mut c = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.args(["install", "tauri-driver", "--locked"])
        .env("CARGO_TARGET_DIR", target_dir().join("tools"));
    status("cargo install tauri-driver", c)?;
    cargo_bin
        .filter(|p| p.is_file())
        .ok_or_else(|| "tauri-driver was installed but cannot be found".into())
}

/// tauri-cli (`cargo tauri`): Tauri's bundler, which makes the .deb and .rpm.
fn ensure_tauri_cli() -> Result {
    let ok = || {
        cargo()
            .args(["tauri", "--version"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if ok() {
        return Ok(());
    }
    let mut c = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.args(["install", "tauri-cli", "--version", "^2", "--locked"])
        .env("CARGO_TARGET_DIR", target_dir().join("tools"));
    status("cargo install tauri-cli", c)?;
    if ok() {
        Ok(())
    } else {
        Err("tauri-cli was installed but `cargo tauri` does not run".into())
    }
}

/// The release bundles `package` made.
struct Bundles {
    deb: PathBuf,
    rpm: PathBuf,
}

/// The newest file in `dir` whose name ends with `ext`.
fn newest(dir: &Path, ext: &str) -> Result<PathBuf> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(ext))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
        .ok_or_else(|| format!("no {ext} in {}", dir.display()))
}

fn size_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1_000_000.0)
}

/// Release bundles for Linux (.deb and .rpm) with Tauri's bundler, offline: the release
/// binary, the icons, the desktop entry (from `src-tauri/packaging/frontdesk.desktop`, which
/// passes a frontdesk:// link to the app) and the link handler. Prints paths and sizes.
fn package() -> Result<Bundles> {
    if !cfg!(target_os = "linux") {
        return Err(
            "`cargo xtask package` builds the Linux bundles; on Windows and macOS run `cargo tauri build` (see README)"
                .into(),
        );
    }
    ensure_debs(BUILD_PACKAGES)?;
    ensure_tauri_cli()?;
    let mut c = cargo();
    c.current_dir(root().join("src-tauri"))
        .args(["tauri", "build", "--bundles", "deb,rpm", "--ci", "--", "--locked"]);
    status("cargo tauri build (release .deb and .rpm)", c)?;
    let bundle = target_dir().join("release").join("bundle");
    let b = Bundles {
        deb: newest(&bundle.join("deb"), ".deb")?,
        rpm: newest(&bundle.join("rpm"), ".rpm")?,
    };
    let exe = target_dir().join("release").join("frontdesk");
    for p in [&exe, &b.deb, &b.rpm] {
        println!("==> {} {:.1} MB", p.display(), size_mb(p));
    }
    Ok(b)
}

/// Whether xtask runs as root (then it installs without sudo, and runs servers as their own user).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Run `apt-get` with `args`, as root or through sudo.
fn apt_get(args: &[&str]) -> Command {
    let mut c = if is_root() {
        Command::new("apt-get")
    } else {
        let mut c = Command::new("sudo");
        c.arg("apt-get");
        c
    };
    c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    c
}

/// Install the .deb into this machine, start the installed `/usr/bin/frontdesk` under Xvfb on
/// a temporary data folder until its window shows the customer list, ask `xdg-mime` which
/// program opens frontdesk:// links, and remove the package again.
fn install_test(deb: &Path) -> Result {
    if !is_debian() {
        println!("==> the package test runs on Debian/Ubuntu only");
        return Ok(());
    }
    let deb = deb.canonicalize().map_err(|e| format!("{}: {e}", deb.display()))?;
    let deb_arg = deb.display().to_string();
    // The name the bundler gave the package, for `apt-get remove`.
    let name = Command::new("dpkg-deb")
        .args(["--field", &deb_arg, "Package"])
        .output()
        .map_err(|e| format!("dpkg-deb: {e}"))?;
    let name = String::from_utf8_lossy(&name.stdout).trim().to_string();
    if name.is_empty() {
        return Err(format!("{deb_arg} names no package"));
    }
    status(
        "install the .deb",
        apt_get(&[
            "install",
            "-y",
            "-q",
            "--no-install-recommends",
            "--allow-downgrades",
            &deb_arg,
        ]),
    )?;
    let result = check_installed();
    let removed = status("remove the package", apt_get(&["remove", "-y", "-q", &name]));
    result.and(removed)
}

fn check_installed() -> Result {
    let exe = Path::new("/usr/bin/frontdesk");
    if !exe.is_file() {
        return Err("the package installed no /usr/bin/frontdesk".into());
    }
    let entry = std::fs::read_dir("/usr/share/applications")
        .map_err(|e| format!("/usr/share/applications: {e}"))?
        .flatten()
        .map(|e| e.path())
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("Exec=frontdesk")))
        .ok_or("the package installed no desktop entry that starts frontdesk")?;
    let text = std::fs::read_to_string(&entry).map_err(|e| e.to_string())?;
    for want in [
        "Exec=frontdesk %u",
        "MimeType=x-scheme-handler/frontdesk",
        "Categories=Office",
    ] {
        if !text.contains(want) {
            return Err(format!("{} lacks {want:?}:\n{text}", entry.display()));
        }
    }
    let desktop_name = entry
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let home = env::temp_dir().join(format!("frontdesk-installed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    let out = Command::new("xdg-mime")
        .args(["query", "default", "x-scheme-handler/frontdesk"])
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .output()
        .map_err(|e| format!("xdg-mime: {e}"))?;
    let handler = String::from_utf8_lossy(&out.stdout).trim().to_string();
    println!("==> xdg-mime query default x-scheme-handler/frontdesk: {handler}");
    if handler != desktop_name {
        return Err(format!("frontdesk:// links open {handler:?}, not {desktop_name:?}"));
    }
    // The installed program starts and shows its first screen (it says `ready` and ends).
    let data = home.join("desk");
    let out = Command::new("xvfb-run")
        .args(["-a", "dbus-run-session", "--", "timeout", "120"])
        .arg(exe)
        .env("FRONTDESK_DATA_DIR", &data)
        .env("FRONTDESK_EXIT_WHEN_READY", "1")
        .env("NO_AT_BRIDGE", "1")
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .map_err(|e| format!("start the installed app: {e}"))?;
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    let _ = std::fs::remove_dir_all(&home);
    match said.lines().find(|l| l.starts_with("ready ")) {
        Some(line) => {
            println!("==> the installed app showed its window: {line} ms");
            Ok(())
        }
        None => Err(format!(
            "the installed app did not show its window ({}): {}{}",
            out.status,
            said,
            String::from_utf8_lossy(&out.stderr)
        )),
    }
}

/// Type-check the app for Windows (its Windows-only code: notifications' app id, single
/// instance, deep links), with the bundled SQLite built by MinGW.
fn windows_check() -> Result {
    if !cfg!(target_os = "linux") || !on_path("rustup") {
        println!("==> the Windows check runs on Linux with rustup only");
        return Ok(());
    }
    ensure_debs(WINDOWS_PACKAGES)?;
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == WINDOWS_TARGET)
        });
    if !installed {
        let mut c = Command::new("rustup");
        c.args(["target", "add", WINDOWS_TARGET]);
        status(&format!("rustup target add {WINDOWS_TARGET}"), c)?;
    }
    let mut c = cargo();
    c.args([
        "check",
        "--package",
        "frontdesk",
        "--target",
        WINDOWS_TARGET,
        "--locked",
    ]);
    status(
        &format!("cargo check --target {WINDOWS_TARGET} (the app for Windows)"),
        c,
    )
}

fn run(extra: &[String]) -> Result {
    ensure_debs(BUILD_PACKAGES)?;
    let mut c = cargo();
    c.args(["run", "--package", "frontdesk", "--bin", "frontdesk"]);
    if !extra.is_empty() {
        c.arg("--").args(extra);
    }
    status("cargo run (FrontDesk)", c)
}

fn test() -> Result {
    let mut pkgs = BUILD_PACKAGES.to_vec();
    if cfg!(target_os = "linux") {
        pkgs.extend_from_slice(TEST_PACKAGES);
    }
    ensure_debs(&pkgs)?;
    ensure_rust_components()?;
    let driver = if cfg!(target_os = "linux") {
        Some(ensure_tauri_driver()?)
    } else {
        None
    };
    println!("==> target directory: {}", target_dir().display());

    let mut c = cargo();
    c.args(["fmt", "--all", "--check"]);
    status("cargo fmt --check", c)?;

    let mut c = cargo();
    c.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]);
    status("cargo clippy -D warnings", c)?;

    // The core without the desktop shell: only `desktop/` may know Tauri.
    let mut c = cargo();
    c.args([
        "clippy",
        "--package",
        "frontdesk",
        "--no-default-features",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]);
    status("cargo clippy --no-default-features (the core without Tauri)", c)?;

    windows_check()?;

    let mut c = cargo();
    c.args(["build", "--workspace", "--bins", "--locked"]);
    status("cargo build (app binary)", c)?;

    let mut c = cargo();
    c.args(["test", "--workspace", "--locked"]);
    status("unit and integration tests", c)?;

    // The shared database's tests, each on a database of its own on one throwaway server
    // (kept for the end-to-end tests).
    let server = if cfg!(target_os = "linux") {
        let server = pg::Cluster::start()?;
        let mut c = cargo();
        // `--workspace`, as above: the same features, so nothing is built again.
        c.args([
            "test",
            "--workspace",
            "--locked",
            "--test",
            "server*",
            "--",
            "--ignored",
        ])
        .env(pg::SERVER_ENV, &server.url);
        status("shared-database tests (a throwaway PostgreSQL server)", c)?;
        let mut c = cargo();
        c.args(["test", "--workspace", "--locked"]);
        for suite in ON_BOTH_STORES {
            c.args(["--test", suite]);
        }
        c.env(pg::SERVER_ENV, &server.url).env(STORE_ENV, "server");
        status(
            "the integration suites again, every app on a shared database of its own",
            c,
        )?;
        // Last and alone: it stops the server the others use, and starts it again.
        let mut c = cargo();
        c.args([
            "test",
            "--workspace",
            "--locked",
            "--test",
            "shared_restart",
            "--",
            "--ignored",
        ])
        .env(pg::SERVER_ENV, &server.url)
        .env(pg::CTL_ENV, server.ctl());
        status("the shared database's server stopped mid-session and started again", c)?;
        Some(server)
    } else {
        None
    };

    let Some(driver) = driver else {
        println!("==> end-to-end tests run on Linux only (tauri-driver has no macOS WebDriver)");
        return Ok(());
    };
    let app = target_dir().join("debug").join("frontdesk");
    let artefacts = target_dir().join("e2e-artifacts");
    let (inside, outside) = choose_zones()?;
    for (pass, zone) in [(1, &inside), (2, &outside)] {
        println!("==> end-to-end pass {pass} of 2: {}", zone.describe());
        let mut c = Command::new("xvfb-run");
        c.current_dir(root())
            .args(["-a", "-s", "-screen 0 1400x900x24"])
            .arg(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "test",
                "--locked",
                "--package",
                "frontdesk-tests",
                "--test",
                "e2e*",
                "--",
                "--ignored",
                "--test-threads=1",
            ])
            // Each test starts its own D-Bus bus and notification daemon: none is inherited.
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("TZ", &zone.tz)
            .env("CARGO_TARGET_DIR", target_dir())
            .env("FRONTDESK_APP", &app)
            .env("FRONTDESK_TAURI_DRIVER", &driver)
            .env("FRONTDESK_E2E_ARTIFACTS", artefacts.join(format!("pass-{pass}")));
        if let Some(server) = &server {
            c.env(pg::SERVER_ENV, &server.url);
        }
        status(
            &format!("end-to-end tests, pass {pass} (Xvfb + private D-Bus + tauri-driver + WebKitWebDriver)"),
            c,
        )?;
    }
    drop(server);
    println!("==> screenshots kept in {}", artefacts.display());
    let bundles = package()?;
    install_test(&bundles.deb)
}

/// A time zone for one end-to-end pass, and what the desk's default hours make of now there.
#[derive(Clone)]
struct Zone {
    tz: String,
    open: bool,
    /// Minutes until the desk opens or closes there.
    margin: i64,
    local: String,
}

impl Zone {
    fn describe(&self) -> String {
        let (state, change) = if self.open {
            ("INSIDE", "closes")
        } else {
            ("OUTSIDE", "opens")
        };
        format!(
            "TZ={} (local time {}, {state} the default business hours; the desk {change} in {} min)",
            self.tz, self.local, self.margin
        )
    }
}

/// Two time zones in which the current instant falls inside, and outside, the desk's
/// default business hours, each as far from a change as possible. The fixed-offset zones
/// UTC−12…UTC+14 are ones that glibc, chrono and the webview's ICU all understand alike.
/// On a Sunday (UTC roughly 04:00–19:00) no zone on Earth is open: the "inside" pass then
/// runs where the desk opens soonest, and says so.
fn choose_zones() -> Result<(Zone, Zone)> {
    let mut c = cargo();
    c.args([
        "build",
        "--quiet",
        "--locked",
        "--package",
        "frontdesk-tests",
        "--bin",
        "frontdesk-hours",
    ]);
    status("build frontdesk-hours", c)?;
    let probe = target_dir().join("debug").join("frontdesk-hours");
    let mut zones = Vec::new();
    for hours in -12i32..=14 {
        // POSIX sign: Etc/GMT-8 is eight hours east of Greenwich.
        let tz = match hours {
            0 => "Etc/UTC".to_string(),
            h if h > 0 => format!("Etc/GMT-{h}"),
            h => format!("Etc/GMT+{}", -h),
        };
        let out = Command::new(&probe)
            .env("TZ", &tz)
            .output()
            .map_err(|e| format!("{}: {e}", probe.display()))?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let mut parts = text.trim().splitn(3, ' ');
        let (Some(state), Some(margin), Some(local)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("frontdesk-hours said {text:?} for TZ={tz}"));
        };
        let margin = margin
            .parse()
            .map_err(|_| format!("frontdesk-hours said {text:?} for TZ={tz}"))?;
        zones.push(Zone {
            tz,
            open: state == "open",
            margin,
            local: local.to_string(),
        });
    }
    let pick = |open: bool| -> Option<usize> {
        (0..zones.len())
            .filter(|&i| zones[i].open == open)
            .max_by_key(|&i| zones[i].margin)
    };
    let outside = pick(false).ok_or("no time zone is outside business hours")?;
    let inside = match pick(true) {
        Some(i) => i,
        None => {
            println!("==> no time zone is inside the default business hours at this instant (Sunday everywhere)");
            (0..zones.len())
                .filter(|&i| i != outside)
                .min_by_key(|&i| zones[i].margin)
                .ok_or("no second time zone")?
        }
    };
    Ok((zones[inside].clone(), zones[outside].clone()))
}

fn bench(extra: &[String]) -> Result {
    let only = extra.iter().any(|a| a.starts_with("--only-"));
    // The seeded database stays for the real program's figures (start, memory).
    let kept = env::temp_dir().join(format!("frontdesk-bench-{}", std::process::id()));
    let mut c = cargo();
    if !only {
        c.env("FRONTDESK_BENCH_DIR", &kept);
    }
    c.args([
        "run",
        "--release",
        "--quiet",
        "--package",
        "frontdesk-tests",
        "--bin",
        "frontdesk-bench",
        "--",
    ])
    .args(extra);
    // The shared-database figures (moving this desk to a server) need one: a throwaway one.
    let server = if cfg!(target_os = "linux") && !only {
        let server = pg::Cluster::start()?;
        c.env(pg::SERVER_ENV, &server.url);
        Some(server)
    } else {
        None
    };
    let r = status("bench (release build)", c);
    drop(server);
    let r = r.and_then(|()| {
        if only {
            return Ok(());
        }
        idle_cpu()?;
        desktop_figures(&kept)
    });
    let _ = std::fs::remove_dir_all(&kept);
    r
}

/// The real program's figures (release build, Linux, under Xvfb): its size and its
/// packages', the cold start to the customer list with the bench's 100k customers, and the
/// memory of the app and its webview processes after a search, with 100k customers and
/// with an empty database.
fn desktop_figures(seeded: &Path) -> Result {
    if !cfg!(target_os = "linux") || !on_path("xvfb-run") {
        println!("==> the real program's figures are measured on Linux only");
        return Ok(());
    }
    let bundles = package()?;
    let exe = target_dir().join("release").join("frontdesk");
    println!("binary_mb {:.1} MB", size_mb(&exe));
    println!("deb_mb {:.1} MB", size_mb(&bundles.deb));
    println!("rpm_mb {:.1} MB", size_mb(&bundles.rpm));
    let empty = env::temp_dir().join(format!("frontdesk-empty-{}", std::process::id()));
    let me = env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1400x900x24", "dbus-run-session", "--"])
        .arg(me)
        .arg("__desktop-figures")
        .args([&exe, seeded, &empty])
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("xvfb-run: {e}"))?;
    let _ = std::fs::remove_dir_all(&empty);
    print!("{}", String::from_utf8_lossy(&out.stdout));
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("the real program's figures failed ({})", out.status))
    }
}

/// Runs inside `xvfb-run dbus-run-session`: `exe seeded empty`.
fn desktop_figures_inside(args: &[String]) -> Result {
    let [exe, seeded, empty] = args else {
        return Err("__desktop-figures EXE SEEDED EMPTY".into());
    };
    let (exe, seeded, empty) = (Path::new(exe), Path::new(seeded), Path::new(empty));
    // Cold start: process start to the customer list on screen, five runs, the median (the
    // file is in the OS's cache after the first).
    let mut runs = Vec::new();
    for _ in 0..5 {
        runs.push(start_until_ready(exe, seeded)?);
    }
    let first = runs[0];
    runs.sort_unstable();
    println!("cold_start_ready_ms {} ms", runs[runs.len() / 2]);
    println!("cold_start_ready_first_ms {first} ms");
    let full = resident_after_search(exe, seeded)?;
    let none = resident_after_search(exe, empty)?;
    println!("rss_mb_100k {full:.0} MB");
    println!("rss_mb_empty {none:.0} MB");
    println!("rss_mb_added_by_100k {:.0} MB", full - none);
    Ok(())
}

/// A home of its own for one run of the app (XDG folders: log, window state, webview).
fn app_command(exe: &Path, data: &Path) -> Command {
    let home = data.join("home");
    let mut c = Command::new(exe);
    c.env("FRONTDESK_DATA_DIR", data)
        .env("NO_AT_BRIDGE", "1")
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"));
    c
}

/// Milliseconds from spawning the app to its `ready` line (the customer list shown).
fn start_until_ready(exe: &Path, data: &Path) -> Result<u128> {
    use std::io::BufRead;
    let t = std::time::Instant::now();
    let mut child = app_command(exe, data)
        .env("FRONTDESK_EXIT_WHEN_READY", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", exe.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let ready = std::io::BufReader::new(stdout)
        .lines()
        .map_while(std::result::Result::ok)
        .any(|l| l.starts_with("ready "));
    let ms = t.elapsed().as_millis();
    let _ = child.wait();
    if ready {
        Ok(ms)
    } else {
        Err("the app ended without showing its customer list".into())
    }
}

/// Resident memory (MB) of the app and every process it started (WebKit's web and network
/// processes), once it showed its list and finished its start-up work, after a search was
/// typed into it as a person would.
fn resident_after_search(exe: &Path, data: &Path) -> Result<f64> {
    use std::io::BufRead;
    let mut child = app_command(exe, data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", exe.display()))?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(std::result::Result::ok)
        {
            // The list is shown; later the start-up work (the first reminder pass, the
            // day's backup, the integrity check) is done and its memory given back.
            if line.contains("ready in") || line.contains("start-up work done") {
                let _ = tx.send(());
            }
        }
    });
    // Memory is read once the app is settled, not while the day's backup is being taken.
    let shown = rx.recv_timeout(std::time::Duration::from_secs(120)).is_ok()
        && rx.recv_timeout(std::time::Duration::from_secs(300)).is_ok();
    let result = if shown {
        let xdotool = |args: &[&str]| Command::new("xdotool").args(args).status().is_ok_and(|s| s.success());
        let typed = xdotool(&[
            "search",
            "--sync",
            "--onlyvisible",
            "--name",
            "FrontDesk",
            // Xvfb has no window manager to activate windows: focus it directly.
            "windowfocus",
        ]) && xdotool(&["key", "--clearmodifiers", "slash"])
            && xdotool(&["type", "--delay", "40", "138"]);
        std::thread::sleep(std::time::Duration::from_secs(4));
        if typed {
            Ok(tree_rss_kb(child.id()) as f64 / 1024.0)
        } else {
            Err("xdotool could not type a search into the window".to_string())
        }
    } else {
        Err("the app did not show its customer list".to_string())
    };
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// VmRSS (kB) of `pid` and all its descendants.
fn tree_rss_kb(pid: u32) -> u64 {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
            // The parent is the second field after the command's closing parenthesis.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|s| s.parse::<u32>().ok());
            if let Some(pp) = ppid {
                parents.push((p, pp));
            }
        }
    }
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let p = tree[i];
        tree.extend(parents.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    tree.iter()
        .map(|p| {
            std::fs::read_to_string(format!("/proc/{p}/status"))
                .unwrap_or_default()
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse::<u64>().ok()))
                .unwrap_or(0)
        })
        .sum()
}

/// CPU used by the running app with nothing due, over 30 s (Linux, under Xvfb).
fn idle_cpu() -> Result {
    if !cfg!(target_os = "linux") || !on_path("xvfb-run") {
        println!("==> idle CPU is measured on Linux only");
        return Ok(());
    }
    let mut c = cargo();
    c.args(["build", "--quiet", "--package", "frontdesk", "--bin", "frontdesk"]);
    status("build the app", c)?;
    let app = target_dir().join("debug").join("frontdesk");
    let data = env::temp_dir().join(format!("frontdesk-idle-{}", std::process::id()));
    let script = format!(
        "NO_AT_BRIDGE=1 FRONTDESK_DATA_DIR='{}' '{}' >/dev/null 2>&1 & pid=$!; sleep 10; \
         a=$(awk '{{print $14+$15}}' /proc/$pid/stat); sleep 30; b=$(awk '{{print $14+$15}}' /proc/$pid/stat); \
         kill $pid; v=$(awk -v a=$a -v b=$b -v t=$(getconf CLK_TCK) 'BEGIN {{ printf \"%.2f\", (b - a) * 100 / (t * 30) }}'); \
         echo \"idle_cpu $v percent\"",
        data.display(),
        app.display()
    );
    eprintln!("==> idle CPU over 30 s");
    let out = Command::new("xvfb-run")
        .args(["-a", "dbus-run-session", "--", "sh", "-c", &script])
        .stderr(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("idle CPU: {e}"))?;
    // Only the figure: the session's helpers print their own chatter.
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("idle_cpu "))
        .for_each(|l| println!("{l}"));
    let r = if out.status.success() {
        Ok(())
    } else {
        Err(format!("idle CPU measurement failed ({})", out.status))
    };
    let _ = std::fs::remove_dir_all(&data);
    r
}

//! `cargo xtask run | test | bench`: installs what is missing, then builds, checks and tests FrontDesk.
//!
//! One cargo target directory serves every step (and every run, when one exists), so a
//! full `test` builds the app once.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

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
];

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("bench") => bench(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask run | test | bench [--customers N] [--only-import]");
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
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let apt = |args: &[&str]| {
        let mut c = if is_root {
            Command::new("apt-get")
        } else {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        };
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    status("apt-get update", apt(&["update", "-q"]))?;
    let mut args = vec!["install", "-y", "-q", "--no-install-recommends"];
    args.extend(missing.iter().map(String::as_str));
    status(&format!("apt-get install {}", missing.join(" ")), apt(&args))
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

    let mut c = cargo();
    c.args(["build", "--workspace", "--bins", "--locked"]);
    status("cargo build (app binary)", c)?;

    let mut c = cargo();
    c.args(["test", "--workspace", "--locked"]);
    status("unit and integration tests", c)?;

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
        status(
            &format!("end-to-end tests, pass {pass} (Xvfb + private D-Bus + tauri-driver + WebKitWebDriver)"),
            c,
        )?;
    }
    println!("==> screenshots kept in {}", artefacts.display());
    Ok(())
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
    let mut c = cargo();
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
    status("bench (release build)", c)?;
    if extra.iter().any(|a| a == "--only-import") {
        return Ok(());
    }
    idle_cpu()
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

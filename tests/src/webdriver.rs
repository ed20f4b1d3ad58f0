//! A small W3C WebDriver client (over tauri-driver) and the harness that starts the real app.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// WebDriver key codes.
pub mod keys {
    pub const ENTER: &str = "\u{E007}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const CONTROL: &str = "\u{E009}";
    pub const BACKSPACE: &str = "\u{E003}";
    pub const SHIFT: &str = "\u{E008}";
    /// Releases the modifier keys pressed so far.
    pub const NULL: &str = "\u{E000}";
}

pub type R<T> = Result<T, String>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element(pub String);

pub struct Session {
    base: String,
    id: String,
    agent: ureq::Agent,
}

impl Session {
    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{}", self.base, self.id, path)
    }

    fn send(&self, method: &str, path: &str, body: Option<Value>) -> R<Value> {
        let req = self.agent.request(method, &self.url(path));
        let resp = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        let v: Value = match resp {
            Ok(r) => r.into_json().map_err(|e| e.to_string())?,
            Err(ureq::Error::Status(code, r)) => {
                let text = r.into_string().unwrap_or_default();
                return Err(format!("{method} {path}: HTTP {code}: {text}"));
            }
            Err(e) => return Err(format!("{method} {path}: {e}")),
        };
        Ok(v.get("value").cloned().unwrap_or(Value::Null))
    }

    pub fn find(&self, css: &str) -> R<Element> {
        let v = self.send("POST", "/element", Some(json!({"using": "css selector", "value": css})))?;
        element(&v).ok_or_else(|| format!("no element {css}"))
    }

    pub fn find_all(&self, css: &str) -> R<Vec<Element>> {
        let v = self.send(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        )?;
        Ok(v.as_array()
            .map(|a| a.iter().filter_map(element).collect())
            .unwrap_or_default())
    }

    /// Wait until `css` matches an element.
    pub fn wait_for(&self, css: &str) -> R<Element> {
        self.wait_named(&format!("element {css}"), || self.find(css).ok())
    }

    /// Wait until `f` returns Some, for up to 15 seconds.
    pub fn wait<T>(&self, mut f: impl FnMut() -> Option<T>) -> R<T> {
        self.wait_named("a condition", &mut f)
    }

    /// [`wait`](Self::wait), saying what was awaited when it times out.
    pub fn wait_named<T>(&self, what: &str, mut f: impl FnMut() -> Option<T>) -> R<T> {
        let end = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(v) = f() {
                return Ok(v);
            }
            if Instant::now() > end {
                return Err(format!("timed out waiting for {what}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Wait until the text of `css` equals `want`.
    pub fn wait_text(&self, css: &str, want: &str) -> R<()> {
        let mut last = String::new();
        self.wait_named(&format!("{css} to read {want:?}"), || {
            last = self.text_of(css);
            (last == want).then_some(())
        })
        .map_err(|e| format!("{e}; it reads {last:?}"))
    }

    /// Wait until the text of `css` contains `want`.
    pub fn wait_text_contains(&self, css: &str, want: &str) -> R<String> {
        let mut last = String::new();
        self.wait_named(&format!("{css} to contain {want:?}"), || {
            last = self.text_of(css);
            last.contains(want).then(|| last.clone())
        })
        .map_err(|e| format!("{e}; it reads {last:?}"))
    }

    pub fn click(&self, e: &Element) -> R<()> {
        self.send("POST", &format!("/element/{}/click", e.0), Some(json!({})))
            .map(|_| ())
    }

    /// A real pointer click `(x, y)` pixels from the element's centre (a bar of a chart).
    pub fn click_at(&self, e: &Element, x: i64, y: i64) -> R<()> {
        let origin = json!({"element-6066-11e4-a52e-4f735466cecf": e.0});
        let actions = json!({"actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [
                {"type": "pointerMove", "duration": 0, "origin": origin, "x": x, "y": y},
                {"type": "pointerDown", "button": 0},
                {"type": "pointerUp", "button": 0}
            ]
        }]});
        self.send("POST", "/actions", Some(actions))?;
        let _ = self.send("DELETE", "/actions", None);
        Ok(())
    }

    /// Click the element `css` names, finding it again if the page re-rendered it.
    pub fn click_css(&self, css: &str) -> R<()> {
        let mut last = String::new();
        for _ in 0..20 {
            let e = self.wait_for(css)?;
            match self.click(&e) {
                Ok(()) => return Ok(()),
                Err(err) if err.contains("stale element") => {
                    last = err;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(err) => return Err(err),
            }
        }
        Err(last)
    }

    pub fn type_text(&self, e: &Element, text: &str) -> R<()> {
        self.send("POST", &format!("/element/{}/value", e.0), Some(json!({"text": text})))
            .map(|_| ())
    }

    pub fn clear(&self, e: &Element) -> R<()> {
        self.send("POST", &format!("/element/{}/clear", e.0), Some(json!({})))
            .map(|_| ())
    }

    /// Replace the value of an input with `text`, typed as a user would.
    pub fn fill(&self, css: &str, text: &str) -> R<()> {
        let e = self.wait_for(css)?;
        self.clear(&e)?;
        self.type_text(&e, text)
    }

    pub fn text(&self, e: &Element) -> R<String> {
        Ok(self
            .send("GET", &format!("/element/{}/text", e.0), None)?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    pub fn property(&self, e: &Element, name: &str) -> R<Value> {
        self.send("GET", &format!("/element/{}/property/{name}", e.0), None)
    }

    /// The text of the element `css` names, or empty when there is none.
    pub fn text_of(&self, css: &str) -> String {
        self.find(css).and_then(|e| self.text(&e)).unwrap_or_default()
    }

    pub fn value(&self, css: &str) -> R<String> {
        let e = self.find(css)?;
        Ok(self.property(&e, "value")?.as_str().unwrap_or_default().to_string())
    }

    pub fn execute(&self, script: &str, args: Vec<Value>) -> R<Value> {
        self.send("POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    /// The window's size and place: `{x, y, width, height}`.
    pub fn window_rect(&self) -> R<Value> {
        self.send("GET", "/window/rect", None)
    }

    pub fn set_window_rect(&self, width: i64, height: i64) -> R<Value> {
        self.send("POST", "/window/rect", Some(json!({"width": width, "height": height})))
    }

    /// Run `script`, which ends by calling its last argument with the result.
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> R<Value> {
        self.send("POST", "/execute/async", Some(json!({"script": script, "args": args})))
    }

    /// Mark the page now shown, so that [`wait_reloaded`](Self::wait_reloaded) can tell the
    /// page that replaces it.
    pub fn mark_page(&self) -> R<()> {
        self.execute("document.documentElement.dataset.oldPage = '1'", vec![])
            .map(|_| ())
    }

    /// Wait until the page marked by [`mark_page`](Self::mark_page) was replaced by a new
    /// one, and that one is ready.
    pub fn wait_reloaded(&self) -> R<()> {
        self.wait_for("html:not([data-old-page]) body[data-ready='true']")
            .map(|_| ())
    }

    /// Search the customer list for `name` and wait until the first row is that customer,
    /// in the list answering this search: a row from before (the same customer, listed
    /// before the search ran) is replaced when the answer comes, and a click in between
    /// lands on an empty list.
    pub fn search_first(&self, name: &str) -> R<()> {
        self.fill("#search", name)?;
        self.wait(|| {
            let settled = self.find("#customer-list[aria-busy='false']").is_ok();
            (settled && self.text_of(".customer-row .row-name") == name).then_some(())
        })
    }

    /// A picture of the window, saved as PNG at `path`.
    ///
    /// WebKitGTK without accelerated compositing (how FrontDesk draws) takes the picture at
    /// the page's next painting after the request, and a page where nothing changes (no
    /// caret blinking, as on the recovery screen) never paints again: a nearly transparent
    /// pixel in the corner changes every 50 ms while the picture is taken, so that it does.
    pub fn screenshot(&self, path: &Path) -> R<()> {
        use base64::Engine;
        self.execute(
            "const d = document.createElement('div'); d.id = 'e2e-repaint';
             d.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
             document.body.append(d);
             let n = 0;
             const step = () => { if (!d.isConnected) return; n += 1; d.style.background = `rgba(0,0,0,${n % 2 ? 0.004 : 0.008})`; setTimeout(step, 50); };
             step();",
            vec![],
        )?;
        let v = self.send("GET", "/screenshot", None);
        self.execute("document.getElementById('e2e-repaint')?.remove();", vec![])?;
        let v = v?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .map_err(|e| e.to_string())?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, png).map_err(|e| e.to_string())
    }

    fn delete(&self) {
        let _ = self.agent.delete(&format!("{}/session/{}", self.base, self.id)).call();
    }
}

fn element(v: &Value) -> Option<Element> {
    v.get(ELEMENT_KEY)
        .and_then(Value::as_str)
        .map(|s| Element(s.to_string()))
}

/// The real app under tauri-driver, with its own data folder and its own desktop session
/// (D-Bus and notification daemon, XDG folders); everything is stopped when dropped.
pub struct RealApp {
    pub session: Session,
    driver: Child,
    pub data_dir: PathBuf,
    /// The notification daemon of this app's private D-Bus session.
    pub notifications: Notifications,
    /// The app binary and the folder of its XDG folders, for launching it again.
    app: PathBuf,
    home: PathBuf,
    _home: Option<tempfile::TempDir>,
    /// The system keyring of this desktop session, when the test asked for one (kept only
    /// to be stopped with the app).
    _keyring: Option<Keyring>,
}

fn env_path(name: &str, default: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(4444)
}

impl RealApp {
    /// Start the app binary (`FRONTDESK_APP`) on `data_dir` through tauri-driver, in a
    /// desktop session of its own: a private D-Bus bus, a notification daemon the harness
    /// owns from the first moment, and its own XDG data, config and cache folders.
    pub fn start(data_dir: &Path) -> R<RealApp> {
        Self::start_with_env(data_dir, &[])
    }

    /// [`start`](Self::start), with the XDG folders under `home` (which the caller keeps),
    /// so that two runs of the app can share what a user's home keeps between them.
    pub fn start_at_home(data_dir: &Path, home: &Path) -> R<RealApp> {
        Self::launch(data_dir, home, &[], false)
    }

    /// [`start_at_home`](Self::start_at_home) in a desktop session with the system's
    /// credential store: GNOME Keyring's Secret Service, its keyrings under `home` (kept
    /// between runs, as a user's are), unlocked as at login before the app starts.
    pub fn start_with_keyring(data_dir: &Path, home: &Path) -> R<RealApp> {
        Self::launch(data_dir, home, &[], true)
    }

    /// What the keyring of this app's session keeps under the attribute `service`.
    pub fn keyring_lookup(&self, service: &str) -> R<Option<String>> {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", service])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.notifications.bus.address)
            .output()
            .map_err(|e| format!("secret-tool: {e}"))?;
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned()))
    }

    /// [`start`](Self::start), with more variables in the app's environment (the fault
    /// tests' `FRONTDESK_SIMULATE_DISK_FULL`).
    pub fn start_with_env(data_dir: &Path, vars: &[(&str, &str)]) -> R<RealApp> {
        let home = tempfile::tempdir().map_err(|e| format!("home folder: {e}"))?;
        let mut app = Self::launch(data_dir, home.path(), vars, false)?;
        app._home = Some(home);
        Ok(app)
    }

    fn launch(data_dir: &Path, home: &Path, vars: &[(&str, &str)], keyring: bool) -> R<RealApp> {
        let app = env_path("FRONTDESK_APP", "../target/debug/frontdesk");
        let app = app
            .canonicalize()
            .map_err(|e| format!("app binary {}: {e}", app.display()))?;
        let notifications = Notifications::start()?;
        let keyring = match keyring {
            true => Some(Keyring::start(&notifications.bus, home)?),
            false => None,
        };
        let driver_bin = env_path("FRONTDESK_TAURI_DRIVER", "tauri-driver");
        let port = free_port();
        let native_port = free_port();
        let mut cmd = Command::new(&driver_bin);
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env("FRONTDESK_DATA_DIR", data_dir)
            .env("DBUS_SESSION_BUS_ADDRESS", &notifications.bus.address)
            // No accessibility bus: it would be D-Bus-activated, and nothing here is.
            .env("NO_AT_BRIDGE", "1")
            .envs(vars.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (var, sub) in [
            ("XDG_DATA_HOME", "data"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_CACHE_HOME", "cache"),
        ] {
            let dir = home.join(sub);
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            cmd.env(var, dir);
        }
        let driver = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", driver_bin.display()))?;
        let base = format!("http://127.0.0.1:{port}");
        let end = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > end {
                return Err("tauri-driver did not listen".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(60)).build();
        let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": app}}}});
        let mut last = String::new();
        let mut id = None;
        for _ in 0..5 {
            match agent.post(&format!("{base}/session")).send_json(caps.clone()) {
                Ok(r) => {
                    let v: Value = r.into_json().map_err(|e| e.to_string())?;
                    id = v["value"]["sessionId"].as_str().map(str::to_string);
                    break;
                }
                Err(e) => {
                    last = e.to_string();
                    std::thread::sleep(Duration::from_millis(500));
                }
            }
        }
        let id = id.ok_or_else(|| format!("no WebDriver session: {last}"))?;
        let session = Session { base, id, agent };
        let app = RealApp {
            session,
            driver,
            data_dir: data_dir.to_path_buf(),
            notifications,
            app,
            home: home.to_path_buf(),
            _home: None,
            _keyring: keyring,
        };
        app.session.wait_for("body[data-ready='true'], #fatal:not([hidden])")?;
        Ok(app)
    }
}

impl RealApp {
    /// Launch the app binary a second time, as a user or a softphone would, in the same
    /// desktop session and on the same data folder, with `args`; wait (up to 30 s) for it to
    /// end and return its exit status and what it printed.
    pub fn launch_again(&self, args: &[&str]) -> R<std::process::Output> {
        let mut cmd = Command::new(&self.app);
        cmd.args(args)
            .env("FRONTDESK_DATA_DIR", &self.data_dir)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.notifications.bus.address)
            .env("NO_AT_BRIDGE", "1")
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_CACHE_HOME", self.home.join("cache"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = cmd.spawn().map_err(|e| format!("second launch: {e}"))?;
        let pid = child.id();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait_with_output());
        });
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(out) => out.map_err(|e| format!("second launch: {e}")),
            Err(_) => {
                let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
                Err("the second launch did not end: it started a second copy".into())
            }
        }
    }

    /// The number of copies of the app running on this data folder (not counting its
    /// webview's processes or the WebDriver ones).
    pub fn instances(&self) -> usize {
        self.copies().len()
    }

    fn copies(&self) -> Vec<u32> {
        let exe = std::fs::canonicalize(&self.app).ok();
        app_processes(&self.data_dir)
            .into_iter()
            .filter(|pid| std::fs::canonicalize(format!("/proc/{pid}/exe")).ok() == exe)
            .collect()
    }

    /// FrontDesk's log file (in the OS's log folder under this app's XDG data folder).
    pub fn log(&self) -> String {
        let dir = self.home.join("data").join("app.frontdesk.desk").join("logs");
        std::fs::read_to_string(dir.join("frontdesk.log")).unwrap_or_default()
    }

    /// Run `dunstctl` with `args` on this app's desktop session (e.g. `action 0`: click the
    /// newest notification shown).
    pub fn dunstctl(&self, args: &[&str]) -> R<String> {
        let out = Command::new("dunstctl")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.notifications.bus.address)
            .output()
            .map_err(|e| format!("dunstctl: {e}"))?;
        if !out.status.success() {
            return Err(format!("dunstctl {args:?}: {}", String::from_utf8_lossy(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for RealApp {
    fn drop(&mut self) {
        // First asked to end as a desktop session asks (SIGTERM): the app quits cleanly,
        // saving what it keeps at quit (the window's size and place).
        let copies = self.copies();
        for pid in &copies {
            let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
        }
        let end = Instant::now() + Duration::from_secs(3);
        while !self.copies().is_empty() && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(50));
        }
        self.session.delete();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // The app (started by WebKitWebDriver, not by us) must be gone before the next test
        // starts. Closing its window only hides it in the tray, so it is asked to stop
        // (SIGTERM) and, if it lingers, ended (SIGKILL).
        for (signal, grace) in [("-TERM", 300), ("-KILL", 3000)] {
            let end = Instant::now() + Duration::from_millis(grace);
            while !app_processes(&self.data_dir).is_empty() && Instant::now() < end {
                std::thread::sleep(Duration::from_millis(50));
            }
            let left = app_processes(&self.data_dir);
            if left.is_empty() {
                return;
            }
            for pid in left {
                let _ = Command::new("kill").args([signal, &pid.to_string()]).status();
            }
        }
    }
}

/// Processes whose environment names `data_dir` as FrontDesk's data folder (Linux).
fn app_processes(data_dir: &Path) -> Vec<u32> {
    let want = format!("FRONTDESK_DATA_DIR={}", data_dir.display());
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != std::process::id())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| env.split(|b| *b == 0).any(|kv| kv == want.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

/// Where screenshots and other artefacts of the end-to-end run are kept.
pub fn artefact_dir() -> PathBuf {
    std::env::var_os("FRONTDESK_E2E_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("e2e-artifacts"))
}

/// A private D-Bus session bus. Its configuration names no service folder, so nothing is
/// ever D-Bus-activated on it: only what the harness starts is there.
pub struct Bus {
    child: Child,
    pub address: String,
    dir: tempfile::TempDir,
}

impl Bus {
    pub fn start() -> R<Bus> {
        let dir = tempfile::tempdir().map_err(|e| format!("bus folder: {e}"))?;
        let config = dir.path().join("bus.conf");
        let socket = dir.path().join("bus");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                socket.display()
            ),
        )
        .map_err(|e| format!("bus config: {e}"))?;
        // Its chatter (as root: "Failed to set fd limit") goes to a log beside the socket.
        let chatter = std::fs::File::create(dir.path().join("dbus-daemon.log")).map_err(|e| format!("bus log: {e}"))?;
        let mut child = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(chatter)
            .spawn()
            .map_err(|e| format!("cannot start dbus-daemon: {e}"))?;
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            use std::io::BufRead;
            let _ = std::io::BufReader::new(out).read_line(&mut line);
        }
        let address = line.trim().to_string();
        if address.is_empty() {
            let _ = child.kill();
            let _ = child.wait();
            return Err("dbus-daemon printed no address".into());
        }
        Ok(Bus { child, address, dir })
    }

    /// Whether `name` has an owner on this bus.
    pub fn has_owner(&self, name: &str) -> bool {
        Command::new("dbus-send")
            .arg(format!("--bus={}", self.address))
            .args([
                "--dest=org.freedesktop.DBus",
                "--type=method_call",
                "--print-reply",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
            ])
            .arg(format!("string:{name}"))
            .stderr(Stdio::null())
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GNOME Keyring's Secret Service (`org.freedesktop.secrets`) on one app's private D-Bus
/// session, its keyrings in the session's XDG data folder, unlocked with a fixed password
/// as a login would.
pub struct Keyring {
    child: Child,
}

impl Keyring {
    const PASSWORD: &'static str = "frontdesk-test-login";

    fn start(bus: &Bus, home: &Path) -> R<Keyring> {
        let runtime = home.join("runtime");
        std::fs::create_dir_all(&runtime).map_err(|e| format!("{}: {e}", runtime.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| format!("{}: {e}", runtime.display()))?;
        }
        let log = std::fs::File::create(home.join("gnome-keyring.log")).map_err(|e| format!("keyring log: {e}"))?;
        let mut child = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--components=secrets", "--unlock"])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(Stdio::piped())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start gnome-keyring-daemon: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            stdin
                .write_all(Self::PASSWORD.as_bytes())
                .map_err(|e| format!("unlock the keyring: {e}"))?;
        }
        let keyring = Keyring { child };
        let end = Instant::now() + Duration::from_secs(10);
        while !bus.has_owner("org.freedesktop.secrets") {
            if Instant::now() > end {
                return Err("gnome-keyring-daemon did not take org.freedesktop.secrets".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(keyring)
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The notification daemon (dunst) of one app's private D-Bus session, printing what it
/// receives. It holds `org.freedesktop.Notifications` before the app starts.
pub struct Notifications {
    child: Child,
    log: PathBuf,
    // Dropped after the daemon: the bus outlives its clients.
    bus: Bus,
}

const NOTIFICATIONS: &str = "org.freedesktop.Notifications";

impl Notifications {
    pub fn start() -> R<Notifications> {
        let bus = Bus::start()?;
        let log = bus.dir.path().join("dunst.log");
        // dunst now and then fails to open the X display right after another app let go of
        // it ("Cannot open X11 display"); that is the harness's display, not the app under
        // test, so it is tried again, and said so.
        let mut failures = Vec::new();
        for _ in 0..3 {
            match Self::spawn_dunst(&bus, &log) {
                Ok(child) => return Ok(Notifications { child, log, bus }),
                Err(e) => {
                    eprintln!("harness: {e}; starting dunst again");
                    failures.push(e);
                    std::thread::sleep(Duration::from_millis(500));
                }
            }
        }
        Err(failures.join("; "))
    }

    fn spawn_dunst(bus: &Bus, log: &Path) -> R<Child> {
        let out = std::fs::File::create(log).map_err(|e| e.to_string())?;
        let err_log = bus.dir.path().join("dunst.err");
        let err = std::fs::File::create(&err_log).map_err(|e| e.to_string())?;
        let mut child = Command::new("dunst")
            .arg("-print")
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start dunst: {e}"))?;
        let end = Instant::now() + Duration::from_secs(15);
        while !bus.has_owner(NOTIFICATIONS) {
            if let Ok(Some(st)) = child.try_wait() {
                let why = std::fs::read_to_string(&err_log).unwrap_or_default();
                return Err(format!("dunst exited ({st}): {}", why.trim()));
            }
            if Instant::now() > end {
                let _ = child.kill();
                let _ = child.wait();
                let why = std::fs::read_to_string(&err_log).unwrap_or_default();
                return Err(format!("dunst did not take {NOTIFICATIONS}: {}", why.trim()));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(child)
    }

    /// Everything received so far.
    pub fn received(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Wait (up to `secs`) until a notification containing every one of `words` arrived.
    pub fn wait_for(&self, words: &[&str], secs: u64) -> R<String> {
        let end = Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.received();
            // dunst prints one block per notification; look for a block with every word.
            if got.split("\n}\n").any(|block| words.iter().all(|w| block.contains(w)))
                || words.iter().all(|w| got.contains(w))
            {
                return Ok(got);
            }
            if Instant::now() > end {
                return Err(format!("no notification with {words:?}; dunst received: {got}"));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Notifications {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Answer the system's file dialog (GTK's, opened by the app through tauri-plugin-dialog)
/// titled `title` the way a person can: focus it, Ctrl+L, type the full path, Enter. Driven
/// with `xdotool` on the test's X display; WebDriver cannot reach a native dialog.
pub fn answer_file_dialog(title: &str, path: &Path) -> R<()> {
    answer_dialog(title, path, false)
}

/// Answer the system's save dialog titled `title` as a person does: the name field has
/// focus with a suggested name in it; select all of it, type the full path, Enter.
pub fn answer_save_dialog(title: &str, path: &Path) -> R<()> {
    answer_dialog(title, path, true)
}

fn answer_dialog(title: &str, path: &Path, save: bool) -> R<()> {
    let xdotool = |args: &[&str]| -> R<String> {
        let out = Command::new("timeout")
            .arg("30")
            .arg("xdotool")
            .args(args)
            .output()
            .map_err(|e| format!("xdotool: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "xdotool {args:?}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let found = xdotool(&["search", "--sync", "--onlyvisible", "--name", title])?;
    let window = found.lines().next().ok_or("no dialog window")?.trim().to_string();
    xdotool(&["windowfocus", "--sync", &window])?;
    // The dialog takes keys once it has drawn itself.
    std::thread::sleep(Duration::from_millis(500));
    if save {
        xdotool(&["key", "--clearmodifiers", "ctrl+a"])?;
        std::thread::sleep(Duration::from_millis(200));
        xdotool(&["type", "--delay", "15", &path.display().to_string()])?;
        std::thread::sleep(Duration::from_millis(500));
        xdotool(&["key", "Return"])?;
        return Ok(());
    }
    // From the home folder (the dialog may open on "Recent", where a typed path is not
    // taken), type the path in the location entry.
    xdotool(&["key", "--clearmodifiers", "alt+Home"])?;
    std::thread::sleep(Duration::from_millis(500));
    xdotool(&["key", "--clearmodifiers", "ctrl+l"])?;
    std::thread::sleep(Duration::from_millis(300));
    xdotool(&["type", "--delay", "15", &path.display().to_string()])?;
    std::thread::sleep(Duration::from_millis(500));
    // The entry may complete a folder's name with a selected `/`: without it, Enter picks the
    // folder itself instead of opening it.
    xdotool(&["key", "Delete"])?;
    std::thread::sleep(Duration::from_millis(200));
    xdotool(&["key", "Return"])?;
    Ok(())
}

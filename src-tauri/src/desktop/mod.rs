//! The desktop shell: app start-up with Tauri (window, plugins, tray, state, the reminder
//! scheduler). With `commands`, `scheduler` and `tray`, the only code that names Tauri.

mod commands;
mod scheduler;
mod tray;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tauri::{Manager, WindowEvent};
use tokio::sync::{Mutex, Notify};

use crate::app::App;
use crate::error::{Error, Result};
use crate::store;

/// The app state Tauri manages: the store opens in the background on first need, so a
/// slow disk or a large index never blocks the window.
pub struct Shared {
    dir: std::result::Result<PathBuf, String>,
    /// `None` until first opened, and again after a recovery replaced the database.
    app: Mutex<Option<std::result::Result<Arc<App>, Error>>>,
    /// Wakes the reminder scheduler when data changes (`App` tells it after every write).
    wake: Arc<Notify>,
}

impl Shared {
    async fn app(&self) -> Result<Arc<App>> {
        let mut slot = self.app.lock().await;
        if slot.is_none() {
            let dir = self.dir.clone().map_err(Error::DataDir);
            let wake = self.wake.clone();
            let opened = tauri::async_runtime::spawn_blocking(move || {
                let app = App::open(&dir?)?;
                // Fault tests of the real window: a disk that is full from the start.
                if std::env::var_os("FRONTDESK_SIMULATE_DISK_FULL").is_some() {
                    app.simulate_disk_full()?;
                }
                app.on_change(Box::new(move || wake.notify_one()));
                Ok(Arc::new(app))
            })
            .await
            .map_err(Error::internal)
            .and_then(|r| r);
            *slot = Some(opened);
        }
        match slot.as_ref() {
            Some(Ok(app)) => Ok(app.clone()),
            Some(Err(e)) => Err(replay(e)),
            None => Err(Error::Internal("the database did not open".into())),
        }
    }

    /// Run a recovery command: only while the database could not be opened because it is
    /// damaged. After a restore the next command opens the app on the restored file.
    async fn recover(&self, name: &'static str, args: serde_json::Value) -> Result<serde_json::Value> {
        let mut slot = self.app.lock().await;
        if !matches!(slot.as_ref(), Some(Err(e)) if e.kind() == "db_damaged") {
            return Err(Error::state("not_damaged", "the database is not damaged"));
        }
        let dir = self.dir.clone().map_err(Error::DataDir)?;
        let out = tauri::async_runtime::spawn_blocking(move || crate::ipc::dispatch_recovery(&dir, name, &args))
            .await
            .map_err(Error::internal)?;
        if out.is_ok() && name == "recovery_restore" {
            *slot = None;
            self.wake.notify_one();
        }
        out
    }
}

/// The start-up error again, for every later call (the store stays closed).
fn replay(e: &Error) -> Error {
    match e {
        Error::DbTooNew { found, supported } => Error::DbTooNew {
            found: *found,
            supported: *supported,
        },
        Error::DbInvalid { path, reason } => Error::DbInvalid {
            path: path.clone(),
            reason: reason.clone(),
        },
        Error::DataDir(s) => Error::DataDir(s.clone()),
        Error::DbDamaged { path, reason } => Error::DbDamaged {
            path: path.clone(),
            reason: reason.clone(),
        },
        other if other.kind() == "db_damaged" => Error::DbDamaged {
            path: String::new(),
            reason: other.to_string(),
        },
        other => Error::Internal(other.to_string()),
    }
}

/// The main window (configured in `tauri.conf.json`, created here): its webview keeps its
/// storage (drafts in localStorage, caches) inside the data folder, so that another data
/// folder, or a portable install on a USB stick, never shares or leaves behind unsaved text.
fn create_window(app: &tauri::App, data: Option<&PathBuf>) -> tauri::Result<()> {
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == "main") else {
        return Err(tauri::Error::WindowNotFound);
    };
    let mut builder = tauri::WebviewWindowBuilder::from_config(app.handle(), config)?;
    if let Some(dir) = data {
        builder = builder.data_directory(dir.join(WEBVIEW_DIR));
    }
    builder.build().map(|_| ())
}

/// The webview's folder inside the data folder.
pub const WEBVIEW_DIR: &str = "webview";

pub fn run() {
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        // The system's file dialog: a folder for backups, a backup file to restore.
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .setup(|app| {
            let dir = store::data_dir(app.path().app_data_dir().ok()).map_err(|e| e.to_string());
            create_window(app, dir.as_ref().ok())?;
            let shared = Arc::new(Shared {
                dir,
                app: Mutex::new(None),
                wake: Arc::new(Notify::new()),
            });
            app.manage(shared.clone());
            if let Err(e) = tray::create(app.handle()) {
                eprintln!("FrontDesk: no tray icon ({e}); closing the window will quit");
            }
            // Opens the store off the UI thread, then plans and fires reminders.
            scheduler::spawn(app.handle().clone(), shared);
            Ok(())
        })
        .on_window_event(|window, event| {
            // With a tray icon, closing the window hides it: reminders keep firing.
            if let WindowEvent::CloseRequested { api, .. } = event {
                if tray::IN_TRAY.load(Ordering::SeqCst) {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .invoke_handler(commands::handler());
    if let Err(e) = builder.run(tauri::generate_context!()) {
        eprintln!("FrontDesk could not start: {e}");
        std::process::exit(1);
    }
}

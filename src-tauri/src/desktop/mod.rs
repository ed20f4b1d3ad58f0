//! The desktop shell: app start-up with Tauri (window, plugins, state). With `commands`, the
//! only code that names Tauri.

mod commands;

use std::path::PathBuf;
use std::sync::Arc;

use tauri::Manager;
use tokio::sync::OnceCell;

use crate::app::App;
use crate::error::{Error, Result};
use crate::store;

/// The app state Tauri manages: the store opens in the background on first need, so a
/// slow disk or a large index never blocks the window.
pub struct Shared {
    dir: std::result::Result<PathBuf, String>,
    app: OnceCell<std::result::Result<Arc<App>, Error>>,
}

impl Shared {
    async fn app(&self) -> Result<Arc<App>> {
        let opened = self
            .app
            .get_or_init(|| async {
                let dir = self.dir.clone().map_err(Error::DataDir)?;
                tauri::async_runtime::spawn_blocking(move || App::open(&dir).map(Arc::new))
                    .await
                    .map_err(Error::internal)?
            })
            .await;
        match opened {
            Ok(app) => Ok(app.clone()),
            Err(e) => Err(replay(e)),
        }
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
        other => Error::Internal(other.to_string()),
    }
}

pub fn run() {
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let dir = store::data_dir(app.path().app_data_dir().ok()).map_err(|e| e.to_string());
            let shared = Arc::new(Shared {
                dir,
                app: OnceCell::new(),
            });
            app.manage(shared.clone());
            // Open the store now, off the UI thread, so the first screen is quick; then
            // record complaint breaches and escalations as deadlines pass.
            tauri::async_runtime::spawn(async move {
                let app = match shared.app().await {
                    Ok(app) => app,
                    Err(e) => {
                        eprintln!("FrontDesk: the store could not be opened: {e}");
                        return;
                    }
                };
                loop {
                    let a = app.clone();
                    match tauri::async_runtime::spawn_blocking(move || a.sweep_complaints()).await {
                        Ok(Err(e)) => eprintln!("FrontDesk: complaint sweep failed: {e}"),
                        Err(e) => eprintln!("FrontDesk: complaint sweep stopped: {e}"),
                        Ok(Ok(_)) => {}
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                }
            });
            Ok(())
        })
        .invoke_handler(commands::handler());
    if let Err(e) = builder.run(tauri::generate_context!()) {
        eprintln!("FrontDesk could not start: {e}");
        std::process::exit(1);
    }
}

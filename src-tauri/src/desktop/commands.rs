//! The IPC adapter: one Tauri invoke handler for every command declared in [`crate::ipc`].
//! It runs the command on a blocking thread (App wakes the scheduler after each write) and
//! applies what only the desktop can (start at login).

use std::sync::Arc;

use serde_json::Value;
use tauri::ipc::{Invoke, InvokeBody, InvokeError};
use tauri::{AppHandle, Manager};

use crate::error::{Error, Result};
use crate::ipc::{self, Access};
use crate::reminders::ReminderSettings;

use super::Shared;

/// Handle every invoke: a declared command runs, anything else is left to Tauri ("not found").
pub(super) fn handler() -> impl Fn(Invoke) -> bool + Send + Sync + 'static {
    |invoke: Invoke| {
        let Some(command) = ipc::command(invoke.message.command()) else {
            return false;
        };
        let args = match invoke.message.payload() {
            InvokeBody::Json(v) => v.clone(),
            InvokeBody::Raw(_) => Value::String("raw bytes".into()),
        };
        let handle = invoke.message.webview().app_handle().clone();
        invoke
            .resolver
            .respond_async(async move { run(&handle, command, args).await.map_err(InvokeError::from) });
        true
    }
}

async fn run(handle: &AppHandle, command: &'static ipc::Command, args: Value) -> Result<Value> {
    let shared = handle
        .try_state::<Arc<Shared>>()
        .ok_or_else(|| Error::Internal("the app is still starting".into()))?
        .inner()
        .clone();
    if command.access == Access::Recovery {
        return shared.recover(command.name, args).await;
    }
    if command.access == Access::Switch {
        return shared.switch(command.name, args).await;
    }
    if command.access == Access::Desktop {
        return desktop_command(handle, command.name);
    }
    if command.name == "demo_seed" && !super::demo_allowed() {
        return Err(Error::state("demo_off", "demo data is not part of this build"));
    }
    let app = shared.app().await?;
    let (out, args) = tauri::async_runtime::spawn_blocking(move || (ipc::dispatch(&app, command.name, &args), args))
        .await
        .map_err(Error::internal)?;
    super::answered();
    if command.access == Access::Write {
        if let Ok(v) = &out {
            after_write(handle, command.name, &args, v)?;
        }
    }
    out
}

/// The commands only the desktop shell can answer.
fn desktop_command(handle: &AppHandle, name: &str) -> Result<Value> {
    match name {
        "desktop_open_take" => serde_json::to_value(super::open::take(handle)).map_err(Error::internal),
        "desktop_about" => Ok(serde_json::json!({
            "log_dir": super::log_dir(handle).map(|p| p.display().to_string()),
            "licence": env!("CARGO_PKG_LICENSE"),
            "demo": super::demo_allowed(),
        })),
        "desktop_ready" => {
            super::ready(handle);
            Ok(Value::Null)
        }
        _ => Err(Error::UnknownCommand(name.chars().take(100).collect())),
    }
}

/// What a saved change means for the desktop itself.
fn after_write(handle: &AppHandle, name: &str, args: &Value, saved: &Value) -> Result<()> {
    match name {
        "reminder_settings_save" => {
            let settings: ReminderSettings = serde_json::from_value(saved.clone()).map_err(Error::internal)?;
            start_at_login(handle, settings.start_at_login)?;
        }
        // The tray speaks the new language at once, not at the scheduler's next pass.
        "set_language" => {
            if let Some(lang) = args.get("language").and_then(Value::as_str) {
                super::tray::set_language(handle, lang);
            }
        }
        _ => {}
    }
    Ok(())
}

/// "Start at login", through the autostart plugin.
fn start_at_login(handle: &AppHandle, on: bool) -> Result<()> {
    use tauri_plugin_autostart::ManagerExt;
    let launcher = handle.autolaunch();
    if launcher.is_enabled().unwrap_or(false) == on {
        return Ok(());
    }
    let r = if on { launcher.enable() } else { launcher.disable() };
    r.map_err(|e| Error::Internal(format!("start at login: {e}")))
}

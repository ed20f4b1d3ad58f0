//! The reminder scheduler: a tokio task that plans, fires and notifies, then sleeps until the
//! next reminder (at most 30 s, re-reading the wall clock, so suspend and clock changes are
//! caught) or until data changes.

use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Emitter};
use tauri_plugin_notification::NotificationExt;

use crate::app::App;
use crate::reminders::Fired;

use super::{tray, Shared};

/// The longest sleep: timers stop during suspend, so the wall clock is read again this often.
const MAX_SLEEP: Duration = Duration::from_secs(30);
/// More late reminders than this at start-up are shown as one summary.
const SUMMARY_OVER: usize = 3;

pub(super) fn spawn(handle: AppHandle, shared: Arc<Shared>) {
    tauri::async_runtime::spawn(async move {
        let app = loop {
            match shared.app().await {
                Ok(app) => break app,
                // The window offers to restore a backup; start once it has.
                Err(e) if e.kind() == "db_damaged" => {
                    eprintln!("FrontDesk: the database is damaged, waiting for a restore: {e}");
                    shared.wake.notified().await;
                }
                Err(e) => {
                    eprintln!("FrontDesk: the store could not be opened: {e}");
                    return;
                }
            }
        };
        // The tray speaks the user's language as soon as the store can say which, before
        // the first pass (which may take a while on a large file).
        let a = app.clone();
        match tauri::async_runtime::spawn_blocking(move || a.language()).await {
            Ok(Ok(lang)) => tray::set_language(&handle, &lang),
            Ok(Err(e)) => eprintln!("FrontDesk: the UI language could not be read: {e}"),
            Err(e) => eprintln!("FrontDesk: the UI language could not be read: {e}"),
        }
        let mut first = true;
        loop {
            let a = app.clone();
            let step = tauri::async_runtime::spawn_blocking(move || tick(&a)).await;
            let sleep = match step {
                Ok(Ok(t)) => {
                    deliver(&handle, &app, &t.fired, first);
                    tray::update(&handle, &t.lang, t.due);
                    if !t.fired.is_empty() {
                        let _ = handle.emit("reminders-changed", t.due);
                    }
                    t.sleep
                }
                Ok(Err(e)) => {
                    eprintln!("FrontDesk: reminder scheduler: {e}");
                    MAX_SLEEP
                }
                Err(e) => {
                    eprintln!("FrontDesk: reminder scheduler stopped a step: {e}");
                    MAX_SLEEP
                }
            };
            first = false;
            tokio::select! {
                _ = tokio::time::sleep(sleep) => {}
                _ = shared.wake.notified() => {}
            }
        }
    });
}

struct Tick {
    fired: Vec<Fired>,
    due: usize,
    lang: String,
    sleep: Duration,
}

/// One pass: record complaint breaches, plan occurrences, fire what is due, and work out
/// how long to sleep.
fn tick(app: &App) -> crate::Result<Tick> {
    // The automatic daily backup: a failure is logged, never stops reminders.
    if let Err(e) = app.daily_backup_if_due() {
        eprintln!("FrontDesk: automatic backup failed: {e}");
    }
    app.sweep_complaints()?;
    app.plan_reminders()?;
    let fired = app.take_due_reminders()?;
    let next = app.next_reminder_wake()?;
    let now = app.now_local();
    let sleep = next
        .and_then(|n| (n - now).to_std().ok())
        .unwrap_or(Duration::ZERO)
        .clamp(Duration::from_millis(250), MAX_SLEEP);
    let due = app.reminder_counts()?.due;
    let lang = app.language()?;
    Ok(Tick {
        fired,
        due,
        lang,
        sleep,
    })
}

/// Show notifications; a failing notification service is logged, never fatal — the
/// reminder center lists everything regardless.
fn deliver(handle: &AppHandle, app: &Arc<App>, fired: &[Fired], at_start: bool) {
    let late: Vec<Fired> = fired.iter().filter(|f| f.late).cloned().collect();
    let show = |title: &str, body: &str| {
        if let Err(e) = handle.notification().builder().title(title).body(body).show() {
            eprintln!("FrontDesk: notification not shown: {e}");
        }
    };
    if at_start && late.len() > SUMMARY_OVER {
        match app.late_summary(&late) {
            Ok((title, body)) => show(&title, &body),
            Err(e) => eprintln!("FrontDesk: {e}"),
        }
        for f in fired.iter().filter(|f| !f.late) {
            show(&f.title, &f.body);
        }
        return;
    }
    for f in fired {
        show(&f.title, &f.body);
    }
}

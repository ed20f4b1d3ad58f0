//! The reminder scheduler: a tokio task that plans, fires and notifies, then sleeps until the
//! next reminder (at most 30 s, re-reading the wall clock, so suspend and clock changes are
//! caught) or until data changes.

use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Emitter};
use tauri_plugin_notification::{Action, ActionType, NotificationExt};

use crate::app::{for_reminder, App, OpenRequest};
use crate::reminders::{texts, Fired};

use super::{tray, Shared};

/// The longest sleep: timers stop during suspend, so the wall clock is read again this often.
const MAX_SLEEP: Duration = Duration::from_secs(30);
/// More reminders than this at once are shown as one summary.
const SUMMARY_OVER: usize = 3;

pub(super) fn spawn(handle: AppHandle, shared: Arc<Shared>) {
    tauri::async_runtime::spawn(async move {
        // Again after a restore, when the integrity check found the file damaged.
        while run(&handle, &shared).await {}
    });
}

/// Open the store and run reminders until the file is found damaged (`true`: wait for a
/// restore and run again), the desk moves to or from the shared database (`true`: run on
/// the other store) or the store cannot be opened (`false`).
async fn run(handle: &AppHandle, shared: &Arc<Shared>) -> bool {
    let generation = shared.switched.load(std::sync::atomic::Ordering::SeqCst);
    {
        let app = loop {
            match shared.app().await {
                Ok(app) => break app,
                // The window offers to restore a backup; start once it has.
                Err(e) if e.kind() == "db_damaged" => {
                    log::warn!("the database is damaged, waiting for a restore: {e}");
                    shared.wake.notified().await;
                }
                // The shared database does not answer yet: try again in a while.
                Err(e) if e.kind() == "offline" => {
                    log::warn!("the shared database cannot be reached, trying again: {e}");
                    tokio::select! {
                        _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                        _ = shared.wake.notified() => {}
                    }
                }
                Err(e) => {
                    log::warn!("the store could not be opened: {e}");
                    return false;
                }
            }
        };
        // The tray speaks the user's language as soon as the store can say which, before
        // the first pass (which may take a while on a large file).
        let a = app.clone();
        match tauri::async_runtime::spawn_blocking(move || a.language()).await {
            Ok(Ok(lang)) => tray::set_language(handle, &lang),
            Ok(Err(e)) => log::warn!("the UI language could not be read: {e}"),
            Err(e) => log::warn!("the UI language could not be read: {e}"),
        }
        // Complaints past a deadline are marked before the first screen lists them (with a
        // large file, once the integrity check has passed); planning and the daily backup,
        // which read the whole store, wait for the first screen.
        let a = app.clone();
        match tauri::async_runtime::spawn_blocking(move || a.sweep_complaints()).await {
            Ok(Err(e)) => log::warn!("complaint deadlines were not checked: {e}"),
            Err(e) => log::warn!("complaint deadlines were not checked: {e}"),
            Ok(Ok(_)) => {}
        }
        super::first_screen(shared.shown.subscribe()).await;
        let mut first = true;
        loop {
            let a = app.clone();
            // The first pass read every customer (and took the daily backup): what it
            // cached is not needed again.
            let shrink = std::mem::take(&mut first);
            let step = tauri::async_runtime::spawn_blocking(move || {
                let t = tick(&a);
                if shrink {
                    if let Err(e) = a.shrink_memory() {
                        log::warn!("the page cache could not be emptied: {e}");
                    }
                }
                // What a pass read and freed goes back to the system instead of staying with
                // the allocator until the next pass (a few madvise calls).
                super::give_back_memory();
                if shrink {
                    log::info!("start-up work done (reminders planned, daily backup, integrity check)");
                }
                t
            })
            .await;
            let sleep = match step {
                Ok(Ok(t)) => {
                    deliver(handle, &app, &t.fired, &t.lang);
                    tray::update(handle, &t.lang, t.due);
                    if !t.fired.is_empty() {
                        let _ = handle.emit("reminders-changed", t.due);
                    }
                    // Another desk changed something: the lists on screen follow.
                    if shared.heard.swap(false, std::sync::atomic::Ordering::SeqCst) {
                        let _ = handle.emit("data-changed", t.due);
                    }
                    // Settings lists the backups; the warning bar reads their health.
                    if t.backed_up {
                        let _ = handle.emit("backups-changed", ());
                    }
                    t.sleep
                }
                Ok(Err(e)) => {
                    log::warn!("reminder scheduler: {e}");
                    MAX_SLEEP
                }
                Err(e) => {
                    log::warn!("reminder scheduler stopped a step: {e}");
                    MAX_SLEEP
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(sleep) => {}
                _ = shared.wake.notified() => {}
            }
            // The integrity check, run beside the first screen, found the file damaged: the
            // store closes and the window shows its recovery screen.
            if shared.damaged_found().await {
                let _ = handle.emit("db-damaged", ());
                return true;
            }
            // The desk moved to or from the shared database: run on the store it uses now.
            if shared.switched.load(std::sync::atomic::Ordering::SeqCst) != generation {
                return true;
            }
        }
    }
}

struct Tick {
    fired: Vec<Fired>,
    due: usize,
    lang: String,
    sleep: Duration,
    /// The daily backup was taken, or failed, in this pass.
    backed_up: bool,
}

/// One pass: record complaint breaches, plan occurrences, fire what is due, and work out
/// how long to sleep.
fn tick(app: &App) -> crate::Result<Tick> {
    // The automatic daily backup: a failure is logged, never stops reminders.
    let backed_up = match app.daily_backup_if_due() {
        Ok(made) => made.is_some(),
        Err(e) => {
            log::warn!("automatic backup failed: {e}");
            // The failure is news too: the warning bar says so.
            true
        }
    };
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
        backed_up,
    })
}

/// The key of a notification's `extra` that says what a click on it opens.
pub(super) const OPEN_KEY: &str = "open";
/// The notifications' one action: "Open".
const OPEN_ACTIONS: &str = "open";

/// Show notifications; a failing notification service is logged, never fatal — the
/// reminder center lists everything regardless. More than three at once (the demo data, a
/// morning after the app was closed) are one summary that opens the reminder center. A click
/// on a notification, or its "Open" action, opens what it is about.
fn deliver(handle: &AppHandle, app: &Arc<App>, fired: &[Fired], lang: &str) {
    if fired.is_empty() {
        return;
    }
    let open = texts::t(lang, "reminder.open_action", &serde_json::Value::Null);
    let actions = ActionType::builder(OPEN_ACTIONS)
        .actions(vec![Action::builder(OPEN_ACTIONS, open).build()])
        .build();
    if let Err(e) = handle.notification().register_action_types(vec![actions]) {
        log::warn!("notification actions not registered: {e}");
    }
    let show = |title: &str, body: &str, target: OpenRequest| {
        let shown = handle
            .notification()
            .builder()
            .title(title)
            .body(as_body(body))
            .action_type_id(OPEN_ACTIONS)
            .extra(OPEN_KEY, target)
            .show();
        if let Err(e) = shown {
            log::warn!("notification not shown: {e}");
        }
    };
    if fired.len() > SUMMARY_OVER {
        match app.burst_summary(fired) {
            Ok((title, body)) => show(&title, &body, OpenRequest::Reminders),
            Err(e) => log::warn!("{e}"),
        }
        return;
    }
    for f in fired {
        show(&f.title, &f.body, for_reminder(f.kind, f.customer_id, f.source_id));
    }
}

/// A notification's body as the platform's daemons read it. Linux daemons that follow the
/// Desktop Notifications Specification read markup in the body, so a customer called
/// `<b>Lee</b> & Co` is escaped to show as typed; other platforms show text as it is.
fn as_body(text: &str) -> String {
    if cfg!(all(unix, not(target_os = "macos"))) {
        escape_markup(text)
    } else {
        text.to_string()
    }
}

fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_a_name_is_shown_as_typed() {
        assert_eq!(
            super::escape_markup("<b>Lee</b> & Co <a href=x>"),
            "&lt;b&gt;Lee&lt;/b&gt; &amp; Co &lt;a href=x&gt;"
        );
        assert_eq!(super::escape_markup("王建国 ×4, Table 5"), "王建国 ×4, Table 5");
    }
}

//! The tray icon: the count of reminders due, open and quit, in the UI language. Closing the
//! window keeps FrontDesk running here so reminders keep firing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use crate::reminders::texts;

/// Whether a tray icon exists (without one, closing the window quits).
pub(super) static IN_TRAY: AtomicBool = AtomicBool::new(false);

/// The language the menu is in until the store has said which one the user chose (the
/// store's own default).
const FIRST_LANGUAGE: &str = "zh-CN";

pub(super) struct TrayItems {
    count: MenuItem<Wry>,
    open: MenuItem<Wry>,
    quit: MenuItem<Wry>,
    /// What the menu shows now: the language and the number of reminders due.
    shown: Mutex<(String, usize)>,
}

pub(super) fn create(app: &AppHandle) -> tauri::Result<()> {
    let labels = texts::tray_labels(FIRST_LANGUAGE, 0);
    let count = MenuItem::with_id(app, "count", &labels.count, false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", &labels.open, true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", &labels.quit, true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&count, &open, &quit])?;
    let mut builder = TrayIconBuilder::with_id("main")
        .menu(&menu)
        .tooltip(&labels.tooltip)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => show_window(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    app.manage(TrayItems {
        count,
        open,
        quit,
        shown: Mutex::new((FIRST_LANGUAGE.to_string(), 0)),
    });
    IN_TRAY.store(true, Ordering::SeqCst);
    Ok(())
}

pub(super) fn show_window(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// Show the number of reminders due, in the UI language `lang`.
pub(super) fn update(app: &AppHandle, lang: &str, due: usize) {
    show(app, Some(lang), Some(due));
}

/// The user chose another UI language: write the menu in it now, keeping the count.
pub(super) fn set_language(app: &AppHandle, lang: &str) {
    show(app, Some(lang), None);
}

/// Redraw the menu with what changed (`None`: as shown now).
fn show(app: &AppHandle, lang: Option<&str>, due: Option<usize>) {
    let Some(items) = app.try_state::<TrayItems>() else {
        return;
    };
    let labels = {
        let Ok(mut shown) = items.shown.lock() else {
            return;
        };
        if let Some(lang) = lang {
            shown.0 = lang.to_string();
        }
        if let Some(due) = due {
            shown.1 = due;
        }
        texts::tray_labels(&shown.0, shown.1)
    };
    let _ = items.count.set_text(&labels.count);
    let _ = items.open.set_text(&labels.open);
    let _ = items.quit.set_text(&labels.quit);
    if let Some(tray) = app.tray_by_id("main") {
        let _ = tray.set_tooltip(Some(&labels.tooltip));
    }
}

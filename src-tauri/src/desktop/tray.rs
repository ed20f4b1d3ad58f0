//! The tray icon: the count of reminders due, open and quit. Closing the window keeps
//! FrontDesk running here so reminders keep firing.

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use crate::reminders::texts;

/// Whether a tray icon exists (without one, closing the window quits).
pub(super) static IN_TRAY: AtomicBool = AtomicBool::new(false);

pub(super) struct TrayItems {
    count: MenuItem<Wry>,
    open: MenuItem<Wry>,
    quit: MenuItem<Wry>,
}

pub(super) fn create(app: &AppHandle) -> tauri::Result<()> {
    let none = serde_json::Value::Null;
    let count = MenuItem::with_id(app, "count", texts::t("zh-CN", "app.title", &none), false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", texts::t("zh-CN", "tray.open", &none), true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", texts::t("zh-CN", "tray.quit", &none), true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&count, &open, &quit])?;
    let mut builder = TrayIconBuilder::with_id("main")
        .menu(&menu)
        .tooltip("FrontDesk")
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => show_window(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    app.manage(TrayItems { count, open, quit });
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

/// Show the number of reminders due, in the UI language.
pub(super) fn update(app: &AppHandle, lang: &str, due: usize) {
    let Some(items) = app.try_state::<TrayItems>() else {
        return;
    };
    let none = serde_json::Value::Null;
    let count = if due > 0 {
        texts::t(lang, "tray.count", &serde_json::json!({ "n": due }))
    } else {
        texts::t(lang, "app.title", &none)
    };
    let _ = items.count.set_text(&count);
    let _ = items.open.set_text(texts::t(lang, "tray.open", &none));
    let _ = items.quit.set_text(texts::t(lang, "tray.quit", &none));
    if let Some(tray) = app.tray_by_id("main") {
        let _ = tray.set_tooltip(Some(format!("FrontDesk · {count}")));
    }
}

//! Bringing the window forward on something asked for from outside it: a caller
//! (`frontdesk://call?number=…`, `frontdesk --call …`, from a first or a second launch) or a
//! clicked notification. Requests wait in a queue the window takes from (`desktop_open_take`)
//! when told (`open-requested`) and when it starts, so none is lost while it loads.

use std::sync::Mutex;

use tauri::{AppHandle, Emitter, Manager};

use crate::app::{self, OpenRequest};

/// The requests the window has not taken yet.
#[derive(Default)]
pub(super) struct Opens(Mutex<Vec<OpenRequest>>);

/// The event that tells the window to take the queue.
const EVENT: &str = "open-requested";
/// A caller pop-up or a click asked for long ago is not worth showing: at most this many wait.
const MAX_WAITING: usize = 20;

/// Queue `request`, bring the window forward and tell it.
pub(super) fn request(handle: &AppHandle, request: OpenRequest) {
    if let Some(opens) = handle.try_state::<Opens>() {
        if let Ok(mut q) = opens.0.lock() {
            if q.len() >= MAX_WAITING {
                q.remove(0);
            }
            q.push(request);
        }
    }
    super::tray::show_window(handle);
    if let Err(e) = handle.emit(EVENT, ()) {
        log::warn!("the window was not told to open a request: {e}");
    }
}

/// What the window has been asked to open since it last looked.
pub(super) fn take(handle: &AppHandle) -> Vec<OpenRequest> {
    handle
        .try_state::<Opens>()
        .and_then(|o| o.0.lock().ok().map(|mut q| std::mem::take(&mut *q)))
        .unwrap_or_default()
}

/// A command line, from this launch or a second one: `--call NUMBER` asks for a caller.
pub(super) fn command_line<S: AsRef<str>>(handle: &AppHandle, args: &[S]) {
    match app::parse_args(args) {
        Some(Ok(r)) => request(handle, r),
        // The number is not logged: it may be a customer's.
        Some(Err(why)) => log::warn!("--call refused: {why}; nothing opened"),
        None => {}
    }
}

/// `frontdesk://` links, as the deep-link plugin reports them.
pub(super) fn links<S: AsRef<str>>(handle: &AppHandle, links: &[S]) {
    for link in links {
        match app::parse_link(link.as_ref()) {
            Ok(r) => request(handle, r),
            Err(why) => log::warn!("a {}:// link was refused: {why}; nothing opened", app::SCHEME),
        }
    }
}

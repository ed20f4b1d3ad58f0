//! The FrontDesk executable: hands over to the desktop shell.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    frontdesk::desktop::run();
}

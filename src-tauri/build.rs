//! Build script: generates the Tauri context (config, icons, capabilities) for the desktop shell.
fn main() {
    #[cfg(feature = "desktop")]
    tauri_build::build();
}

//! Build script: generates the Tauri context (config, icons, capabilities) for the desktop
//! shell, with an app manifest: every command declared in `src/ipc.rs` becomes a permission
//! (`customer_list` → `allow-customer-list`) that the window's capability must grant by name,
//! so a command the capability does not name is refused before it reaches Rust.
fn main() {
    #[cfg(feature = "desktop")]
    desktop();
}

#[cfg(feature = "desktop")]
fn desktop() {
    println!("cargo:rerun-if-changed=src/ipc.rs");
    let src = std::fs::read_to_string("src/ipc.rs").unwrap_or_else(|e| panic!("src/ipc.rs: {e}"));
    let names: Vec<&'static str> = command_names(&src)
        .into_iter()
        .map(|n| &*Box::leak(n.into_boxed_str()))
        .collect();
    assert!(names.len() > 40, "src/ipc.rs declares too few commands: {names:?}");
    let manifest = tauri_build::AppManifest::new().commands(Box::leak(names.into_boxed_slice()));
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        panic!("{e:#}");
    }
}

/// The commands `src/ipc.rs` declares: `Read name(…)` and `Write name(…)` lines of the
/// `commands!` table, and the `name: "…"` of the recovery and desktop tables.
#[cfg(feature = "desktop")]
fn command_names(src: &str) -> Vec<String> {
    let ident = |s: &str| -> Option<String> {
        let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
        (end > 0).then(|| s[..end].to_string())
    };
    let mut names = Vec::new();
    for line in src.lines().map(str::trim_start) {
        let name = if let Some(rest) = line.strip_prefix("Read ").or_else(|| line.strip_prefix("Write ")) {
            ident(rest).filter(|_| rest.contains('('))
        } else {
            line.strip_prefix("name: \"").and_then(ident)
        };
        names.extend(name);
    }
    names
}

//! Opens FrontDesk's data folder given as the argument the way the app does, then tries a
//! read and a write, and prints what each gave as one JSON line. The faults tests run it as
//! an unprivileged user, so a read-only folder is read-only even when the tests run as root.

use serde_json::json;

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: frontdesk-probe <data folder>");
        std::process::exit(2);
    };
    let outcome = |r: Result<String, frontdesk::Error>| match r {
        Ok(v) => json!({"ok": v}),
        Err(e) => json!({"kind": e.kind(), "message": e.to_string()}),
    };
    let report = match frontdesk::App::open(std::path::Path::new(&dir)) {
        Err(e) => json!({"open": outcome(Err(e))}),
        Ok(app) => {
            let read = app.count_customers().map(|n| n.to_string());
            let mut input = frontdesk_tests::customer("只读时", &["13800009999"]);
            input.notes = "typed while the folder was read-only".into();
            let write = app.create_customer(&input).map(|c| c.id.to_string());
            json!({"open": {"ok": ""}, "read": outcome(read), "write": outcome(write)})
        }
    };
    println!("{report}");
}

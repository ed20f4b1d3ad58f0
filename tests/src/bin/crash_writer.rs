//! `frontdesk-crash-writer DIR`: writes through `App` as fast as it can — a customer, a
//! visit for them, a complaint — and prints one line per acknowledged (committed) write,
//! until it is killed. The crash test kills it at random moments and checks every
//! acknowledged write is still there.

use std::io::Write;

use frontdesk::complaints::ComplaintInput;
use frontdesk::visits::VisitInput;
use frontdesk::App;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: frontdesk-crash-writer DIR");
        std::process::exit(2);
    };
    let app = match App::open(std::path::Path::new(&dir)) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("cannot open {dir}: {e}");
            std::process::exit(1);
        }
    };
    let out = std::io::stdout();
    let run = std::process::id();
    for n in 0u64.. {
        let name = format!("崩溃{run}-{n}");
        let c = match app.create_customer(&frontdesk_tests::customer(&name, &["13800000000"])) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("write failed: {e}");
                std::process::exit(1);
            }
        };
        let _ = writeln!(out.lock(), "customer {} {name}", c.id);
        let day = app.today().format("%Y-%m-%d").to_string();
        if let Ok(v) = app.plan_visit(&VisitInput {
            customer_id: c.id,
            due_date: day,
            ..Default::default()
        }) {
            let _ = writeln!(out.lock(), "visit {}", v.id);
        }
        if let Ok(k) = app.register_complaint(&ComplaintInput {
            customer_id: Some(c.id),
            summary: format!("投诉 {n}"),
            ..Default::default()
        }) {
            let _ = writeln!(out.lock(), "complaint {} {}", k.id, k.serial);
        }
    }
}

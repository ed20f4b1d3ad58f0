//! The IPC surface: the window's `api.js` and the declared commands match one to one, and
//! every command answers hostile payloads with a typed error a user can be shown, never a
//! database or internal error, and never a panic.

use std::collections::BTreeMap;

use frontdesk::ipc::{self, COMMANDS, DESKTOP_COMMANDS, RECOVERY_COMMANDS, SWITCH_COMMANDS};
use frontdesk_tests::{customer, TempApp};
use serde_json::{json, Value};

/// `name -> argument names` for every `invoke('name', { a, b })` in `ui/js/api.js`.
fn api_js_calls() -> BTreeMap<String, Vec<String>> {
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/js/api.js")).unwrap();
    let mut calls = BTreeMap::new();
    for part in src.split("invoke('").skip(1) {
        let Some((name, rest)) = part.split_once('\'') else {
            continue;
        };
        // A plugin's own command (the system file dialog): checked by its permission below.
        if name.starts_with("plugin:") {
            continue;
        }
        let rest = rest.trim_start();
        let mut args: Vec<String> = match rest.strip_prefix(',') {
            Some(obj) => {
                let obj = obj.trim_start().strip_prefix('{').unwrap_or("");
                let body = obj.split('}').next().unwrap_or("");
                body.split(',')
                    .map(|a| a.split(':').next().unwrap_or("").trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect()
            }
            None => Vec::new(),
        };
        args.sort();
        calls.insert(name.to_string(), args);
    }
    calls
}

#[test]
fn api_js_calls_exactly_the_declared_commands_with_their_arguments() {
    let calls = api_js_calls();
    assert!(calls.len() > 40, "api.js was not read: {calls:?}");
    for (name, args) in &calls {
        let cmd = ipc::command(name).unwrap_or_else(|| panic!("api.js calls {name}, which does not exist"));
        let mut declared: Vec<String> = cmd.args.iter().map(|a| a.to_string()).collect();
        declared.sort();
        assert_eq!(args, &declared, "arguments of {name}");
    }
    for c in COMMANDS
        .iter()
        .chain(RECOVERY_COMMANDS)
        .chain(SWITCH_COMMANDS)
        .chain(DESKTOP_COMMANDS)
    {
        assert!(
            calls.contains_key(c.name),
            "{} is exposed but api.js never calls it",
            c.name
        );
    }
}

/// Every plugin command `api.js` calls (`plugin:dialog|open`) is allowed by the window's
/// capability (`dialog:allow-open`), and the capability allows no plugin command it does not use.
#[test]
fn plugin_commands_in_api_js_are_exactly_the_ones_allowed() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let src = std::fs::read_to_string(format!("{root}/ui/js/api.js")).unwrap();
    let mut used: Vec<String> = src
        .split("invoke('plugin:")
        .skip(1)
        .filter_map(|part| part.split_once('\''))
        .map(|(cmd, _)| {
            let (plugin, command) = cmd.split_once('|').expect("plugin:name|command");
            format!("{plugin}:allow-{command}")
        })
        .collect();
    used.sort();
    used.dedup();
    assert!(!used.is_empty(), "api.js calls no plugin command");
    let capability: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{root}/src-tauri/capabilities/default.json")).unwrap())
            .unwrap();
    let allowed: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| p.contains(":allow-") && !p.starts_with("core:"))
        .map(str::to_string)
        .collect();
    assert_eq!(used, allowed);
}

/// Least privilege: the window's capability grants exactly the project's list, no `default`
/// set (`core:default` alone brings loading images from any path, trays, menus, emitting
/// events and resolving paths, which the window never uses), and each FrontDesk command by
/// name (the app manifest makes every command a permission: one not granted is refused).
#[test]
fn the_window_is_granted_only_what_it_uses() {
    const PROJECT_LIST: &[&str] = &[
        // The reminder center and the sidebar follow `reminders-changed` (api.js).
        "core:event:allow-listen",
        // The system's file dialogs (api.js: pickFolder, pickBackupFile, pickImportFile, pickSaveFile).
        "dialog:allow-open",
        "dialog:allow-save",
    ];
    let commands: Vec<String> = COMMANDS
        .iter()
        .chain(RECOVERY_COMMANDS)
        .chain(SWITCH_COMMANDS)
        .chain(DESKTOP_COMMANDS)
        .map(|c| format!("allow-{}", c.name.replace('_', "-")))
        .collect();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut granted = Vec::new();
    for entry in std::fs::read_dir(format!("{root}/src-tauri/capabilities")).unwrap() {
        let path = entry.unwrap().path();
        let capability: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for p in capability["permissions"].as_array().unwrap() {
            let name = p.as_str().or_else(|| p["identifier"].as_str()).unwrap_or_default();
            assert!(
                PROJECT_LIST.contains(&name) || commands.iter().any(|c| c == name),
                "{} grants {name:?}, which is not on the project's list",
                path.display()
            );
            granted.push(name.to_string());
        }
    }
    for c in &commands {
        assert!(
            granted.contains(c),
            "the window cannot call {c}: the capability does not grant it"
        );
    }
    let api = std::fs::read_to_string(format!("{root}/ui/js/api.js")).unwrap();
    assert!(api.contains("event.listen("), "the listen permission is still used");
}

#[test]
fn only_api_js_talks_to_rust() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/js");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "api.js") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        assert!(!src.contains("core.invoke"), "{} calls invoke directly", path.display());
    }
}

/// A deep array, as a hostile window might send.
fn deep(levels: usize) -> Value {
    (0..levels).fold(json!(1), |v, _| json!([v]))
}

/// An object whose fields carry values users and files get wrong.
fn hostile_object() -> Value {
    json!({
        "name": "\u{0}张伟", "phones": ["\u{0}138"], "notes": "\u{0}", "summary": "\u{0}投诉",
        "text": "\u{0}", "outline": "\u{0}", "note": "\u{0}", "tags": ["\u{0}"],
        "customer_id": 1, "id": 1, "satisfaction": 300, "severity": "urgent",
        "due_date": "+10000-01-01", "date": "0000-01-01", "due": "+10000-01-01 10:00",
        "received_at": "0000-01-01 00:00", "birthday": {"calendar": "gregorian", "month": 13, "day": 40},
        "reached": true, "offset": 18446744073709551615u64, "limit": -1, "q": "%_\u{0}",
    })
}

/// The 17 hostile payloads for a command with these argument names.
fn payloads(args: &[&str]) -> Vec<Value> {
    let each = |v: Value| -> Value { Value::Object(args.iter().map(|a| (a.to_string(), v.clone())).collect()) };
    vec![
        Value::Null,
        json!([1, 2]),
        json!("text"),
        json!(42),
        json!({}),
        each(Value::Null),
        each(json!("x")),
        each(json!(-1)),
        each(json!(1e300)),
        each(json!(18446744073709551615u64)),
        each(json!(i64::MIN)),
        each(json!([])),
        each(json!({})),
        each(json!("\u{0}abc")),
        each(json!("长".repeat(100_000))),
        each(deep(200)),
        each(hostile_object()),
    ]
}

#[test]
fn recovery_commands_refuse_hostile_payloads_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("frontdesk.db"), b"damaged beyond repair").unwrap();
    for cmd in RECOVERY_COMMANDS {
        for payload in payloads(cmd.args) {
            if let Err(e) = ipc::dispatch_recovery(dir.path(), cmd.name, &payload) {
                let kind = e.kind();
                assert!(
                    ["invalid", "db_invalid", "backup"].contains(&kind),
                    "{} with {}: {kind}: {e}",
                    cmd.name,
                    payload.to_string().chars().take(120).collect::<String>()
                );
            }
        }
    }
    assert_eq!(
        std::fs::read(dir.path().join("frontdesk.db")).unwrap(),
        b"damaged beyond repair"
    );
}

#[test]
fn hostile_payloads_get_typed_errors_a_user_can_read() {
    let t = TempApp::new();
    let c = t.app.create_customer(&customer("王建国", &["13900001111"])).unwrap();
    assert_eq!(c.id, 1);
    let mut answers = 0;
    let mut wrong = Vec::new();
    for cmd in COMMANDS {
        for payload in payloads(cmd.args) {
            answers += 1;
            if let Err(e) = ipc::dispatch(&t.app, cmd.name, &payload) {
                let v = serde_json::to_value(&e).unwrap();
                let kind = v["kind"].as_str().unwrap_or_default();
                if !["invalid", "not_found", "invalid_state", "conflict", "db_invalid"].contains(&kind) {
                    let sent: String = payload.to_string().chars().take(120).collect();
                    wrong.push(format!("{} with {sent}: {kind}: {e}", cmd.name));
                }
                assert!(v["message"].is_string(), "{}: no message", cmd.name);
                if kind == "invalid" {
                    let fields = v["fields"].as_array().unwrap();
                    assert!(!fields.is_empty(), "{}: invalid without fields", cmd.name);
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} untyped answers:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(answers, COMMANDS.len() * 17);
    // The data typed in before is still there.
    assert_eq!(t.app.get_customer(1).unwrap().name, "王建国");
}

#[test]
fn every_code_the_ipc_layer_gives_is_translated() {
    for lang in ["en", "zh-CN"] {
        let path = format!("{}/../ui/i18n/{lang}.json", env!("CARGO_MANIFEST_DIR"));
        let table: serde_json::Map<String, Value> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for code in [
            "invalid_text",
            "number_out_of_range",
            "invalid_value",
            "invalid_choice",
            "required",
            "date_out_of_range",
        ] {
            assert!(table.contains_key(&format!("invalid.{code}")), "{lang}: invalid.{code}");
        }
        assert!(
            table.contains_key("error.unknown_command"),
            "{lang}: error.unknown_command"
        );
    }
}

#[test]
fn the_customer_page_counts_from_the_apps_clock() {
    use frontdesk::customers::{Calendar, SpecialDate};
    let dir = tempfile::tempdir().unwrap();
    let now = frontdesk_tests::at("2031-06-01 10:00");
    let app = frontdesk::App::open_with_clock(dir.path(), Box::new(move || now)).unwrap();
    let mut input = customer("卢女士", &["13800005555"]);
    input.birthday = Some(SpecialDate {
        calendar: Calendar::Gregorian,
        year: None,
        month: 3,
        day: 15,
        leap_month: false,
    });
    let c = app.create_customer(&input).unwrap();
    let page = ipc::dispatch(&app, "customer_get", &json!({ "id": c.id })).unwrap();
    assert_eq!(page["occasions"][0]["this_year"], "2031-03-15", "{page}");
}

//! End to end: the customer pickers of the complaint and reminder dialogs. Typed fast, with
//! the answers to the earlier, shorter texts arriving last (the IPC is slowed down for them
//! in the page), the list ends with the matches of the final text only; a failed search says
//! so in the list.

use std::time::Duration;

use frontdesk::App;
use frontdesk_tests::customer;
use frontdesk_tests::webdriver::{keys, Element, RealApp, Session};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

fn seed(dir: &std::path::Path) {
    let app = App::open(dir).unwrap();
    app.set_language("en").unwrap();
    for (i, name) in ["Annabel Wu", "Anna Lee", "Annie Hall", "Ann Long"].iter().enumerate() {
        app.create_customer(&customer(name, &[&format!("1380000000{i}")]))
            .unwrap();
    }
}

/// Wrap the page's IPC: a customer search for a shorter text answers later (so answers
/// arrive newest first), and a search containing "zz" fails like a broken database.
const SLOW_IPC: &str = r#"
if (window.__pickerTest) return;
const core = window.__TAURI__.core;
const real = core.invoke;
const delays = { a: 2000, an: 1600, ann: 1200, anna: 800 };
window.__pickerTest = { pending: 0 };
window.__TAURI__.core = { ...core, invoke: async (cmd, args, options) => {
  if (cmd !== 'customer_list') return real(cmd, args, options);
  const q = String((args && args.query && args.query.q) || '').toLowerCase();
  window.__pickerTest.pending += 1;
  try {
    await new Promise((r) => setTimeout(r, delays[q] || 0));
    if (q.includes('zz')) throw { kind: 'db', message: 'disk I/O error (simulated)' };
    return await real(cmd, args, options);
  } finally {
    window.__pickerTest.pending -= 1;
  }
} };
"#;

/// Type `text` one character at a time, a little slower than the pickers' debounce.
fn type_slowly(s: &Session, css: &str, text: &str) {
    let e = s.wait_for(css).unwrap();
    for ch in text.chars() {
        s.type_text(&e, &ch.to_string()).unwrap();
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Wait until no customer search is in flight, then return the picks `list` shows.
fn settled_picks(s: &Session, list: &str) -> Vec<String> {
    s.wait_named("every customer search answered", || {
        let v = s.execute("return window.__pickerTest.pending", vec![]).ok()?;
        (v.as_i64() == Some(0)).then_some(())
    })
    .unwrap();
    s.wait_for(&format!("{list}:not([aria-busy='true'])")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    s.find_all(&format!("{list} .pick"))
        .unwrap()
        .iter()
        .map(|e| s.text(e).unwrap_or_default())
        .collect()
}

fn only_annabel(picks: &[String]) -> bool {
    picks.len() == 1 && picks[0].contains("Annabel Wu")
}

/// The final text's matches, then a failed search, in one picker.
fn check_picker(s: &Session, input: &str, list: &str) {
    s.execute(SLOW_IPC, vec![]).unwrap();
    type_slowly(s, input, "annab");
    let picks = settled_picks(s, list);
    assert!(only_annabel(&picks), "{list} after typing \"annab\": {picks:?}");

    let e = s.find(input).unwrap();
    s.clear(&e).unwrap();
    type_slowly(s, input, "zz");
    s.wait_text_contains(list, "Search failed").unwrap();
    assert!(s.find_all(&format!("{list} .pick")).unwrap().is_empty());

    // Back to a good text: the error goes, the match comes; ↓ and Enter pick it.
    let e = s.find(input).unwrap();
    s.clear(&e).unwrap();
    type_slowly(s, input, "annab");
    let picks = settled_picks(s, list);
    assert!(only_annabel(&picks), "{list} after the error: {picks:?}");
    assert!(!s.text_of(list).contains("Search failed"));
    let e = s.find(input).unwrap();
    s.type_text(&e, "\u{E015}").unwrap(); // ArrowDown
    let focused = s.execute("return document.activeElement", vec![]).unwrap();
    let focused = Element(
        focused[ELEMENT_KEY]
            .as_str()
            .expect("an element has the focus")
            .to_string(),
    );
    let label = s.text(&focused).unwrap();
    assert!(label.contains("Annabel Wu"), "focus after ↓: {label:?}");
    s.type_text(&focused, keys::ENTER).unwrap();
}

#[test]
#[ignore = "needs the desktop harness: run `cargo xtask test`"]
fn customer_pickers_show_the_latest_answer_and_say_when_a_search_fails() {
    let data = tempfile::tempdir().unwrap();
    seed(data.path());
    let app = RealApp::start(data.path()).unwrap();
    let s = &app.session;
    s.wait_text("#new-customer", "New customer").unwrap();

    // The complaint register.
    s.click_css("#nav-complaints").unwrap();
    s.wait_for("#complaint-list[aria-busy='false']").unwrap();
    s.click_css("#new-complaint").unwrap();
    s.wait_for("#complaint-dialog[open]").unwrap();
    check_picker(s, "#c-customer", "#c-customer-results");
    s.wait_text_contains("#c-customer-picked", "Annabel Wu").unwrap();
    let e = s.find("#c-summary").unwrap();
    s.type_text(&e, keys::ESCAPE).unwrap();
    s.wait_named("complaint dialog closed", || {
        s.find("#complaint-dialog").is_err().then_some(())
    })
    .unwrap();

    // The reminder dialog.
    s.click_css("#nav-reminders").unwrap();
    s.wait_for("#reminders-body[aria-busy='false']").unwrap();
    s.click_css("#new-reminder").unwrap();
    s.wait_for("#reminder-dialog[open]").unwrap();
    check_picker(s, "#m-customer", "#m-results");
    s.wait_named("the reminder's customer picked", || {
        (s.value("#m-customer").ok()? == "Annabel Wu").then_some(())
    })
    .unwrap();
}

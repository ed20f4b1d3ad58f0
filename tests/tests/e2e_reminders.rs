//! End to end: reminders reach the desktop as real notifications (dunst on the test's D-Bus
//! session), show in the reminder center, snooze, are done, and catch up after a restart.

use chrono::{Local, TimeDelta};
use frontdesk::App;
use frontdesk_tests::customer;
use frontdesk_tests::webdriver::{artefact_dir, RealApp, Session};

fn seed(dir: &std::path::Path) {
    let app = App::open(dir).unwrap();
    frontdesk_tests::desk_reminding_at_any_hour(&app);
    app.create_customer(&customer("冯提醒", &["13512345678"])).unwrap();
}

fn in_secs(n: i64) -> String {
    (Local::now().naive_local() + TimeDelta::seconds(n))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Set a reminder for 冯提醒 from the reminder center.
fn new_reminder(s: &Session, text: &str, due: &str) {
    s.click_css("#new-reminder").unwrap();
    s.wait_for("#reminder-dialog[open]").unwrap();
    s.fill("#m-customer", "冯提醒").unwrap();
    s.click_css("#m-results .pick").unwrap();
    s.fill("#m-text", text).unwrap();
    s.fill("#m-due", due).unwrap();
    s.click_css("#reminder-dialog [data-action='submit']").unwrap();
    s.wait(|| s.find("#reminder-dialog").is_err().then_some(())).unwrap();
}

#[test]
#[ignore = "needs the desktop harness: run `cargo xtask test`"]
fn reminders_reach_the_desktop() {
    let data = tempfile::tempdir().unwrap();
    seed(data.path());
    let app = RealApp::start(data.path()).unwrap();
    let s = &app.session;
    let dunst = &app.notifications;
    s.click_css("#nav-reminders").unwrap();
    s.wait_for("#reminders-body[aria-busy='false']").unwrap();

    // Due a few seconds ahead: the notification names the customer and what to do.
    new_reminder(s, "回电确认包间", &in_secs(4));
    let got = dunst.wait_for(&["冯提醒", "回电确认包间"], 25).unwrap();
    assert!(got.contains("提醒:冯提醒"), "{got}");

    // The center lists it as due; snooze moves it; done moves it to the history.
    let row = s.wait_text_contains(".reminder-row", "已提醒").unwrap();
    assert!(row.contains("回电确认包间"), "{row}");
    s.screenshot(&artefact_dir().join("reminder-center.png")).unwrap();
    s.click_css(".reminder-row .r-snooze").unwrap();
    s.wait_for("#snooze-dialog[open]").unwrap();
    s.click_css("#snooze-dialog [data-action='submit']").unwrap();
    s.wait_text_contains(".reminder-row", "稍后提醒").unwrap();
    s.click_css(".reminder-row .r-done").unwrap();
    s.wait_for("#reminders-empty").unwrap();
    s.click_css("#tab-history").unwrap();
    s.wait_text_contains(".reminder-row", "已完成").unwrap();

    // A reminder that comes due while FrontDesk is closed pops, marked missed, at the
    // next start.
    s.click_css("#tab-open").unwrap();
    s.wait_for("#reminders-body[aria-busy='false']").unwrap();
    new_reminder(s, "确认周末订位", &in_secs(150));
    let first_run = app.notifications.received();
    drop(app);
    // Move the reminder into the past while the app is closed, as if time had passed.
    let db = rusqlite::Connection::open(data.path().join(frontdesk::store::DB_FILE)).unwrap();
    let past = frontdesk::store::local_to_ts(Local::now().naive_local() - TimeDelta::minutes(10));
    db.execute(
        "UPDATE manual_reminders SET due_at = ?1 WHERE text = '确认周末订位'",
        [&past],
    )
    .unwrap();
    db.execute(
        "UPDATE reminders SET due_at = ?1, wake_at = ?1 WHERE args LIKE '%确认周末订位%'",
        [&past],
    )
    .unwrap();
    drop(db);
    assert!(!first_run.contains("确认周末订位"), "fired before the restart");
    let app = RealApp::start(data.path()).unwrap();
    let got = app.notifications.wait_for(&["错过的提醒", "确认周末订位"], 25).unwrap();
    assert!(got.contains("冯提醒"), "{got}");
    drop(app);
}

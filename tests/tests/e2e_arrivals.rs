//! End to end: arrivals in the real app (Xvfb + tauri-driver + WebKitWebDriver, dunst on
//! the test's own D-Bus session). 王建国 is booked for 19:00 at Table 5 from the quick-book
//! box, shows on today's board with his preference card, the preparation pops as a desktop
//! notification, and the desk marks him arrived with one key.

use chrono::{Local, NaiveDateTime, NaiveTime, Timelike};
use frontdesk::arrivals::ArrivalSettings;
use frontdesk::customers::{Preference, PreferenceKind};
use frontdesk::kernel::schedule::DayHours;
use frontdesk::App;
use frontdesk_tests::customer;
use frontdesk_tests::webdriver::{artefact_dir, RealApp};

/// The time to book and the reminder's lead, so that the preparation pops within seconds
/// whatever the hour: 19:00 when it is still ahead today, else a few minutes from now. Just
/// before midnight the test waits for the new day.
fn booking_time() -> (NaiveDateTime, NaiveTime, u32) {
    let mut now = Local::now().naive_local();
    if now.time() >= NaiveTime::from_hms_opt(23, 54, 0).unwrap() {
        let wait = (now.date().succ_opt().unwrap().and_hms_opt(0, 0, 5).unwrap() - now)
            .to_std()
            .unwrap();
        std::thread::sleep(wait);
        now = Local::now().naive_local();
    }
    let seven = NaiveTime::from_hms_opt(19, 0, 0).unwrap();
    let at = if now.time() < NaiveTime::from_hms_opt(18, 50, 0).unwrap() {
        seven
    } else {
        (now + chrono::TimeDelta::minutes(4)).time().with_second(0).unwrap()
    };
    let lead = ((now.date().and_time(at) - now).num_seconds() / 60) as u32;
    (now, at, lead)
}

fn seed(dir: &std::path::Path, lead: u32) {
    let app = App::open(dir).unwrap();
    app.set_language("zh-CN").unwrap();
    // Open every day, so that no closed-day warning depends on the weekday the test runs.
    let mut cs = app.complaint_settings().unwrap();
    for d in cs.schedule.week.iter_mut() {
        *d = Some(DayHours {
            open: "09:00".into(),
            close: "18:00".into(),
        });
    }
    app.set_complaint_settings(&cs).unwrap();
    app.set_arrival_settings(&ArrivalSettings {
        remind_minutes: lead,
        resources: vec!["Table 5".into(), "Table 6".into()],
        ..Default::default()
    })
    .unwrap();
    let mut wang = customer("王建国", &["13912345678"]);
    wang.preferences = vec![
        Preference {
            kind: PreferenceKind::Seating,
            text: "靠窗座位".into(),
        },
        Preference {
            kind: PreferenceKind::Food,
            text: "不吃蒜".into(),
        },
        Preference {
            kind: PreferenceKind::Food,
            text: "大杯冰酸梅汤".into(),
        },
    ];
    app.create_customer(&wang).unwrap();
    app.create_customer(&customer("王小丫", &["13700001111"])).unwrap();
}

#[test]
#[ignore = "needs the desktop harness: run `cargo xtask test`"]
fn wang_is_booked_prepared_for_and_arrives() {
    let (now, at, lead) = booking_time();
    let data = tempfile::tempdir().unwrap();
    seed(data.path(), lead);
    let app = RealApp::start(data.path()).unwrap();
    let s = &app.session;
    let hhmm = at.format("%H:%M").to_string();

    // Arrivals (Ctrl+7 or the sidebar): today is empty.
    s.click_css("#nav-arrivals").unwrap();
    s.wait_for("#arrivals-board[aria-busy='false']").unwrap();
    s.wait_for("#arrivals-empty").unwrap();
    assert_eq!(
        s.value("#arrivals-date").unwrap(),
        now.date().format("%Y-%m-%d").to_string()
    );

    // Quick-book: type his name, pick him, fill the booking.
    s.fill("#quick-book", "王建国").unwrap();
    s.click_css("#quick-book-results .pick").unwrap();
    s.wait_for("#booking-dialog[open]").unwrap();
    s.execute(
        "const t = document.getElementById('b-time'); t.value = arguments[0];
         t.dispatchEvent(new Event('input', {bubbles: true})); t.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![serde_json::json!(hhmm)],
    )
    .unwrap();
    s.fill("#b-party", "4").unwrap();
    s.fill("#b-resource", "Table 5").unwrap();
    s.click_css("#booking-dialog [data-action='submit']").unwrap();
    s.wait(|| s.find("#booking-dialog").is_err().then_some(())).unwrap();

    // On today's board at his time, with his whole preference card.
    let row = s.wait_text_contains(".arrival-row", "王建国").unwrap();
    for want in [hhmm.as_str(), "Table 5", "靠窗座位", "不吃蒜", "大杯冰酸梅汤"] {
        assert!(row.contains(want), "{want} not on the board: {row}");
    }
    s.wait_for(".arrival-row[data-state='booked']").unwrap();
    s.screenshot(&artefact_dir().join("arrivals-board.png")).unwrap();

    // The preparation reaches the desktop: who, when, how many, where, what he likes.
    let got = app.notifications.wait_for(&["王建国", "靠窗座位"], 90).unwrap();
    for want in [hhmm.as_str(), "×4", "Table 5", "不吃蒜", "大杯冰酸梅汤"] {
        assert!(got.contains(want), "{want} not in the notification: {got}");
    }

    // He walks in: A on his row marks him arrived.
    let row = s.find(".arrival-row").unwrap();
    s.type_text(&row, "a").unwrap();
    s.wait_for(".arrival-row[data-state='arrived']").unwrap();
    s.wait_text_contains("#arrivals-counts", "1").unwrap();
    s.screenshot(&artefact_dir().join("arrivals-arrived.png")).unwrap();
    drop(app);

    // It is in the database: arrived, and his last visit is today.
    let app = App::open(data.path()).unwrap();
    let board = app.arrivals_board(&now.date().format("%Y-%m-%d").to_string()).unwrap();
    assert_eq!(board.rows.len(), 1);
    assert_eq!(board.rows[0].booking.state, frontdesk::arrivals::BookingState::Arrived);
    assert_eq!(board.rows[0].booking.party, 4);
    assert_eq!(board.rows[0].booking.resource, "Table 5");
}

//! End to end: Settings → Shared database, in the real window against the throwaway
//! PostgreSQL server `cargo xtask test` starts: "Test connection" tells what it found.

use frontdesk_tests::server::TempDatabase;
use frontdesk_tests::webdriver::{artefact_dir, RealApp};

#[test]
#[ignore = "needs the desktop harness and a PostgreSQL server: run `cargo xtask test`"]
fn a_shared_database_connection_is_tested_from_settings() {
    let pg = TempDatabase::new();
    let server = pg.settings("前台1");
    let data = tempfile::tempdir().unwrap();
    let app = frontdesk::App::open(data.path()).unwrap();
    app.set_language("en").unwrap();
    drop(app);
    let app = RealApp::start(data.path()).unwrap();
    let s = &app.session;
    s.click_css("#nav-settings").unwrap();
    s.wait_for("#server-form").unwrap();
    s.fill("#server-host", &server.host).unwrap();
    s.fill("#server-port", &server.port.to_string()).unwrap();
    s.fill("#server-database", &server.database).unwrap();
    s.fill("#server-user", &server.user).unwrap();
    s.fill("#server-password", &server.password).unwrap();
    s.fill("#server-desk", "Reception 1").unwrap();
    s.click_css("#server-test").unwrap();
    s.wait_text_contains("#server-check-result", "the database is empty")
        .unwrap();
    s.execute("document.querySelector('#server-form').scrollIntoView()", vec![])
        .unwrap();
    s.screenshot(&artefact_dir().join("settings-shared-database.png"))
        .unwrap();

    // A wrong password is named as such.
    s.fill("#server-password", "not the password").unwrap();
    s.click_css("#server-test").unwrap();
    s.wait_text_contains("#server-check-result", "refused this user name or password")
        .unwrap();

    // Another database name: the server has none of it.
    s.fill("#server-password", &server.password).unwrap();
    s.fill("#server-database", "no_such_frontdesk").unwrap();
    s.click_css("#server-test").unwrap();
    s.wait_text_contains("#server-check-result", "no database named “no_such_frontdesk”")
        .unwrap();

    // A mistake in the form is shown on its field, and nothing is tried.
    s.clear(&s.find("#server-desk").unwrap()).unwrap();
    s.fill("#server-port", "99999").unwrap();
    s.click_css("#server-test").unwrap();
    s.wait_text_contains("#server-form [data-error-for='desk']", "Required")
        .unwrap();
    let port_error = s.text_of("#server-form [data-error-for='port']");
    assert!(port_error.contains("65535"), "{port_error}");
    assert_eq!(s.text_of("#server-check-result"), "");
    // The password never shows in the window's text.
    let page = s.text_of("body");
    assert!(!page.contains(&server.password), "the password is shown");
}

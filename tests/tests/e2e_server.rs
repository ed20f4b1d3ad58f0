//! End to end: Settings → Shared database, in the real window against the throwaway
//! PostgreSQL server `cargo xtask test` starts: "Test connection" tells what it found.

use frontdesk_tests::server::TempDatabase;
use frontdesk_tests::webdriver::{artefact_dir, RealApp, Session};

/// A desk in English with one customer, Mona Move; its data folder.
fn desk_with_mona() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let app = frontdesk::App::open(data.path()).unwrap();
    app.set_language("en").unwrap();
    app.create_customer(&frontdesk_tests::customer("Mona Move", &["13800001234"]))
        .unwrap();
    data
}

/// [`desk_with_mona`], moved to the shared database `pg` as "Reception 1".
fn moved_desk(pg: &TempDatabase) -> tempfile::TempDir {
    let data = desk_with_mona();
    frontdesk::app::shared::move_to_server(data.path(), &pg.settings("Reception 1")).unwrap();
    data
}

/// In Settings' in-use card, copy the shared database back to this PC, and wait for the
/// window to reload on the desk's own file.
fn leave_in_settings(s: &Session) {
    s.mark_page().unwrap();
    s.click_css("#server-leave").unwrap();
    s.wait_for("#server-leave-dialog[open]").unwrap();
    s.click_css("#server-leave-dialog [data-action='submit']").unwrap();
    s.wait_text_contains("#toasts", "its own data file again").unwrap();
    s.wait_reloaded().unwrap();
}

/// In Settings, move this desk's data to the empty shared database `server` as
/// "Reception 1", and wait for the window to reload on it.
fn move_in_settings(s: &Session, server: &frontdesk::store::server::ServerSettings) {
    s.click_css("#nav-settings").unwrap();
    s.wait_for("#server-form").unwrap();
    fill_server_form(s, server, "Reception 1");
    s.click_css("#server-test").unwrap();
    s.wait_text_contains("#server-check-result", "the database is empty")
        .unwrap();
    // The empty database is offered this desk's data.
    s.click_css("#server-move").unwrap();
    s.wait_for("#server-move-dialog[open]").unwrap();
    s.wait_text_contains("#server-move-dialog", "only your").unwrap();
    s.screenshot(&artefact_dir().join("shared-database-move.png")).unwrap();
    s.mark_page().unwrap();
    s.click_css("#server-move-dialog [data-action='submit']").unwrap();
    s.wait_text_contains("#toasts", "1 customers moved").unwrap();
    s.wait_reloaded().unwrap();
}

/// Type where the shared database is and who this desk is into Settings' card.
fn fill_server_form(s: &Session, server: &frontdesk::store::server::ServerSettings, desk: &str) {
    s.fill("#server-host", &server.host).unwrap();
    s.fill("#server-port", &server.port.to_string()).unwrap();
    s.fill("#server-database", &server.database).unwrap();
    s.fill("#server-user", &server.user).unwrap();
    s.fill("#server-password", &server.password).unwrap();
    s.fill("#server-desk", desk).unwrap();
}

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
    fill_server_form(s, &server, "Reception 1");
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

#[test]
#[ignore = "needs the desktop harness and a PostgreSQL server: run `cargo xtask test`"]
fn a_desk_moves_its_data_to_the_shared_database_and_copies_it_back() {
    let pg = TempDatabase::new();
    let server = pg.settings("前台1");
    let data = desk_with_mona();
    let app = RealApp::start(data.path()).unwrap();
    let s = &app.session;
    move_in_settings(s, &server);

    // The window now works on the shared database: the customer came along, and a new one
    // is written there.
    let held: i64 = pg
        .client()
        .query_one("SELECT count(*) FROM customers WHERE name = 'Mona Move'", &[])
        .unwrap()
        .get(0);
    assert_eq!(held, 1);
    s.click_css(".nav-item[data-section='customers']").unwrap();
    s.search_first("Mona Move").unwrap();
    s.click_css("#nav-settings").unwrap();
    s.wait_text_contains("#server-in-use", "Reception 1").unwrap();
    let shown = s.text_of("#server-card");
    assert!(shown.contains(&server.database), "{shown}");
    assert!(!s.text_of("body").contains(&server.password), "the password is shown");
    s.screenshot(&artefact_dir().join("shared-database-in-use.png"))
        .unwrap();

    // The desk copies the shared database back to this PC, and works on its own file.
    leave_in_settings(s);
    s.click_css("#nav-settings").unwrap();
    s.wait_for("#server-test").unwrap();
    s.click_css(".nav-item[data-section='customers']").unwrap();
    s.search_first("Mona Move").unwrap();
    assert!(
        !data.path().join(frontdesk::app::shared::SHARED_FILE).exists(),
        "the desk left the shared mode"
    );
}

#[test]
#[ignore = "needs the desktop harness and a PostgreSQL server: run `cargo xtask test`"]
fn the_password_is_kept_in_the_systems_keyring_and_opens_the_desk_next_time() {
    use frontdesk::app::shared::{CREDENTIAL_SERVICE, SECRET_FILE, SHARED_FILE};
    let pg = TempDatabase::new();
    let server = pg.settings("前台1");
    let data = desk_with_mona();
    let home = tempfile::tempdir().unwrap();

    // A desktop whose keyring (GNOME Keyring's Secret Service) was unlocked at login.
    let app = RealApp::start_with_keyring(data.path(), home.path()).unwrap();
    let s = &app.session;
    move_in_settings(s, &server);

    // The password is in the keyring, and in no file of the data folder.
    assert_eq!(
        app.keyring_lookup(CREDENTIAL_SERVICE).unwrap().as_deref(),
        Some(server.password.as_str())
    );
    assert!(
        !data.path().join(SECRET_FILE).exists(),
        "the password was written to a file"
    );
    let saved = std::fs::read_to_string(data.path().join(SHARED_FILE)).unwrap();
    assert!(saved.contains("credential_store"), "{saved}");
    assert!(!saved.contains(&server.password), "{saved}");
    drop(app);

    // Next time (a new login: the keyring unlocked again), the desk opens on the shared
    // database with the password from the keyring.
    let app = RealApp::start_with_keyring(data.path(), home.path()).unwrap();
    let s = &app.session;
    s.search_first("Mona Move").unwrap();
    s.click_css("#nav-settings").unwrap();
    s.wait_text_contains("#server-in-use", "Reception 1").unwrap();

    // Leaving the shared mode deletes it from the keyring.
    leave_in_settings(s);
    assert_eq!(app.keyring_lookup(CREDENTIAL_SERVICE).unwrap(), None);
}

#[test]
#[ignore = "needs the desktop harness and a PostgreSQL server: run `cargo xtask test`"]
fn a_customer_created_in_one_window_appears_in_the_other() {
    use frontdesk_tests::webdriver::keys;
    let pg = TempDatabase::new();
    let first = moved_desk(&pg);
    let second = tempfile::tempdir().unwrap();
    frontdesk::App::open(second.path()).unwrap().set_language("en").unwrap();
    frontdesk::app::shared::join_server(second.path(), &pg.settings("Concierge")).unwrap();

    let a = RealApp::start(first.path()).unwrap();
    let b = RealApp::start(second.path()).unwrap();
    // The second window lists the shared customers: the one the first desk moved in.
    b.session.wait_text_contains("#customer-list", "Mona Move").unwrap();

    // A new customer at the first desk…
    let s = &a.session;
    s.wait_text_contains("#customer-list", "Mona Move").unwrap();
    let search = s.find("#search").unwrap();
    s.type_text(&search, &format!("{}n", keys::CONTROL)).unwrap();
    s.wait_for("#customer-dialog[open]").unwrap();
    s.fill("#f-name", "Nora North").unwrap();
    s.fill(".phone-input", "139 0000 5678").unwrap();
    let name = s.find("#f-name").unwrap();
    s.type_text(&name, keys::ENTER).unwrap();
    s.wait_named("dialog closed", || s.find("#customer-dialog").is_err().then_some(()))
        .unwrap();

    // …shows in the second window's list without anyone touching it, and its search finds her.
    b.session.wait_text_contains("#customer-list", "Nora North").unwrap();
    b.session
        .screenshot(&artefact_dir().join("shared-database-second-desk.png"))
        .unwrap();
    b.session.search_first("Nora North").unwrap();
}

#[test]
#[ignore = "needs the desktop harness and a PostgreSQL server: run `cargo xtask test`"]
fn a_second_save_of_the_same_customer_names_the_desk_and_offers_both_ways() {
    let pg = TempDatabase::new();
    let data = moved_desk(&pg);
    let app = RealApp::start(data.path()).unwrap();
    let s = &app.session;
    s.search_first("Mona Move").unwrap();
    s.click_css(".customer-row").unwrap();
    s.wait_text("#detail-name", "Mona Move").unwrap();
    s.click_css("#edit-customer").unwrap();
    s.fill("#f-notes", "Window seat").unwrap();

    // Meanwhile the concierge, with Lily at that desk, saves the same customer.
    let elsewhere = tempfile::tempdir().unwrap();
    let concierge = frontdesk::App::open_server(elsewhere.path(), &pg.settings("Concierge")).unwrap();
    concierge.set_desk_staff("Lily").unwrap();
    let mona = concierge
        .list_customers(&frontdesk::customers::ListQuery {
            q: "Mona Move".into(),
            ..Default::default()
        })
        .unwrap()
        .items[0]
        .id;
    let mut theirs = frontdesk_tests::customer("Mona Move", &["13800001234"]);
    theirs.company = "Lantern Hotel".into();
    concierge.update_customer(mona, &theirs).unwrap();

    // This desk's save is refused, naming the desk and the person, and nothing is lost.
    s.click_css("#save").unwrap();
    let said = s.wait_text_contains("#changed-elsewhere", "Lily (Concierge)").unwrap();
    assert!(said.contains("changed by"), "{said}");
    assert_eq!(s.value("#f-notes").unwrap(), "Window seat", "what was typed stays");
    s.screenshot(&artefact_dir().join("shared-database-changed-elsewhere.png"))
        .unwrap();
    assert_eq!(
        concierge.get_customer(mona).unwrap().notes,
        "",
        "nothing of ours was written"
    );

    // Reviewed, and saved over theirs: the form's own version wins, on purpose.
    s.click_css("#changed-overwrite").unwrap();
    s.wait_named("dialog closed", || s.find("#customer-dialog").is_err().then_some(()))
        .unwrap();
    let saved = concierge.get_customer(mona).unwrap();
    assert_eq!((saved.notes.as_str(), saved.company.as_str()), ("Window seat", ""));
}

#[test]
#[ignore = "needs the desktop harness and a PostgreSQL server: run `cargo xtask test`"]
fn a_lost_server_is_shown_the_form_keeps_what_was_typed_and_the_desk_reconnects() {
    use frontdesk_tests::webdriver::keys;
    let pg = TempDatabase::new();
    let data = moved_desk(&pg);
    let app = RealApp::start(data.path()).unwrap();
    let s = &app.session;
    s.wait_text_contains("#customer-list", "Mona Move").unwrap();

    // The server goes away while the desk types a new customer.
    let search = s.find("#search").unwrap();
    s.type_text(&search, &format!("{}n", keys::CONTROL)).unwrap();
    s.wait_for("#customer-dialog[open]").unwrap();
    s.fill("#f-name", "Olga Offline").unwrap();
    let mut admin = pg.admin();
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {0} ALLOW_CONNECTIONS false;
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{0}'",
            pg.name
        ))
        .unwrap();
    s.click_css("#save").unwrap();
    s.wait_text_contains("#offline-banner", "cannot be reached").unwrap();
    s.wait_text_contains("#toasts", "nothing was saved").unwrap();
    assert_eq!(s.value("#f-name").unwrap(), "Olga Offline", "what was typed stays");
    s.screenshot(&artefact_dir().join("shared-database-offline.png"))
        .unwrap();

    // It comes back: the banner goes by itself, and the same form saves.
    admin
        .batch_execute(&format!("ALTER DATABASE {} ALLOW_CONNECTIONS true", pg.name))
        .unwrap();
    s.wait_named("the banner goes", || {
        s.find("#offline-banner[hidden]").is_ok().then_some(())
    })
    .unwrap();
    s.click_css("#save").unwrap();
    s.wait_named("dialog closed", || s.find("#customer-dialog").is_err().then_some(()))
        .unwrap();
    let held: i64 = pg
        .client()
        .query_one("SELECT count(*) FROM customers WHERE name = 'Olga Offline'", &[])
        .unwrap()
        .get(0);
    assert_eq!(held, 1);
}

#[test]
#[ignore = "needs the desktop harness and a PostgreSQL server: run `cargo xtask test`"]
fn a_desk_started_while_the_server_is_away_starts_once_it_is_back() {
    let pg = TempDatabase::new();
    let data = moved_desk(&pg);
    let mut admin = pg.admin();
    admin
        .batch_execute(&format!("ALTER DATABASE {} ALLOW_CONNECTIONS false", pg.name))
        .unwrap();
    let app = RealApp::start(data.path()).unwrap();
    let s = &app.session;
    s.wait_text_contains("#fatal-message", "cannot be reached").unwrap();
    admin
        .batch_execute(&format!("ALTER DATABASE {} ALLOW_CONNECTIONS true", pg.name))
        .unwrap();
    s.wait_text_contains("#customer-list", "Mona Move").unwrap();
}

//! The story of one customer's life in FrontDesk (`frontdesk_tests::story`), told to a desk
//! on the shared database: the same steps, the same outcomes as on the desk's own file.

use frontdesk_tests::server::TempDatabase;
use frontdesk_tests::{story, Clocked};

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn a_customer_from_first_visit_to_archive_and_back_on_the_shared_database() {
    let pg = TempDatabase::new();
    story::a_customer_from_first_visit_to_archive_and_back(Clocked::shared("2026-11-22 09:30", pg.settings("前台1")));
}

//! The story of one customer's life in FrontDesk (`frontdesk_tests::story`), through the
//! desk's own database file.

use frontdesk_tests::{story, Clocked};

#[test]
fn a_customer_from_first_visit_to_archive_and_back() {
    story::a_customer_from_first_visit_to_archive_and_back(Clocked::new("2026-11-22 09:30"));
}

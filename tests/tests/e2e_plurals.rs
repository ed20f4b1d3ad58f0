//! End to end: English counts agree with their number ("1 customer", "2 customers"), and
//! Chinese, which has no plural forms, reads the same for every number.

use frontdesk::complaints::{ComplaintInput, Severity};
use frontdesk::App;
use frontdesk_tests::customer;
use frontdesk_tests::webdriver::RealApp;

/// One customer with one complaint, the UI in English.
fn seed(dir: &std::path::Path) {
    let app = App::open(dir).unwrap();
    app.set_language("en").unwrap();
    let c = app
        .create_customer(&customer("Ada Lovelace", &["13800001111"]))
        .unwrap();
    app.register_complaint(&ComplaintInput {
        customer_id: Some(c.id),
        severity: Some(Severity::Normal),
        summary: "Soup served cold".into(),
        ..Default::default()
    })
    .unwrap();
}

#[test]
#[ignore = "needs the desktop harness: run `cargo xtask test`"]
fn english_counts_are_singular_for_one() {
    let data = tempfile::tempdir().unwrap();
    seed(data.path());
    let app = RealApp::start(data.path()).unwrap();
    let s = &app.session;

    s.wait_text("#new-customer", "New customer").unwrap();
    s.wait_for("#customer-list[aria-busy='false']").unwrap();
    s.wait_text("#list-count", "1 customer").unwrap();

    s.click_css("#nav-complaints").unwrap();
    s.wait_for("#complaint-list[aria-busy='false']").unwrap();
    s.wait_text("#complaint-count", "1 complaint").unwrap();

    // A second customer: the plural form.
    s.click_css(".nav-item[data-section='customers']").unwrap();
    s.wait_for("#customer-list[aria-busy='false']").unwrap();
    s.click_css("#new-customer").unwrap();
    s.wait_for("#customer-dialog[open]").unwrap();
    s.fill("#f-name", "Grace Hopper").unwrap();
    s.click_css("#save").unwrap();
    s.wait_named("dialog closed", || s.find("#customer-dialog").is_err().then_some(()))
        .unwrap();
    s.click_css(".nav-item[data-section='customers']").unwrap();
    s.wait_text("#list-count", "2 customers").unwrap();

    // Chinese has one form for every number.
    s.click_css("#language option[value='zh-CN']").unwrap();
    s.wait_text("#list-count", "共 2 位客户").unwrap();
}

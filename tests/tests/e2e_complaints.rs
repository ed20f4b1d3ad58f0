//! End to end: complaints in the real app (Xvfb + tauri-driver + WebKitWebDriver).

use chrono::{Days, Local};
use frontdesk::complaints::{ComplaintInput, Severity};
use frontdesk::App;
use frontdesk_tests::customer;
use frontdesk_tests::webdriver::{artefact_dir, keys, RealApp, Session};

/// An urgent complaint received three days ago and never answered.
fn seed(dir: &std::path::Path) {
    let past = Local::now().naive_local() - Days::new(3);
    let app = App::open_with_clock(dir, Box::new(move || past)).unwrap();
    let c = app.create_customer(&customer("李老板", &["13700001111"])).unwrap();
    app.register_complaint(&ComplaintInput {
        customer_id: Some(c.id),
        severity: Some(Severity::Urgent),
        summary: "宴会厅空调坏了".into(),
        ..Default::default()
    })
    .unwrap();
}

fn submit(s: &Session, dialog: &str) {
    s.click_css(&format!("#{dialog} [data-action='submit']")).unwrap();
    s.wait(|| s.find(&format!("#{dialog}")).is_err().then_some(())).unwrap();
}

#[test]
#[ignore = "needs the desktop harness: run `cargo xtask test`"]
fn complaints_in_the_real_app() {
    let data = tempfile::tempdir().unwrap();
    seed(data.path());
    let app = RealApp::start(data.path()).unwrap();
    let s = &app.session;
    s.click_css("#language option[value='zh-CN']").unwrap();
    s.wait_text("#new-customer", "新建客户").unwrap();

    // The overdue complaint shows its escalation in the list.
    s.click_css("#nav-complaints").unwrap();
    s.wait_for("#complaint-list[aria-busy='false']").unwrap();
    let row = s.wait_text_contains(".complaint-row", "宴会厅空调坏了").unwrap();
    assert!(row.contains("高风险"), "{row}");
    assert!(row.contains("超时"), "{row}");
    assert!(row.contains("曾超时"), "{row}");

    // Ctrl+L and typing only: a complaint for a customer who is not on file yet.
    let search = s.find("#complaint-search").unwrap();
    s.type_text(&search, &format!("{}l", keys::CONTROL)).unwrap();
    s.wait_for("#complaint-dialog[open]").unwrap();
    let who = s.find("#c-customer").unwrap();
    s.type_text(&who, "孙小姐").unwrap();
    s.wait_text_contains("#c-customer-results", "将按新客户登记").unwrap();
    s.type_text(&s.find("#c-new-phone").unwrap(), "139 2222 3333").unwrap();
    let summary = s.find("#c-summary").unwrap();
    s.type_text(&summary, "房间有异味,要求换房").unwrap();
    s.type_text(&summary, keys::ENTER).unwrap();
    s.wait(|| s.find("#complaint-dialog").is_err().then_some(())).unwrap();
    let serial = s.wait_text_contains("#complaint-serial", "TS-").unwrap();
    s.wait_text("#complaint-state", "已登记").unwrap();

    // In progress → waiting on the customer → resolved → closed with satisfaction 5.
    s.click_css("#act-start").unwrap();
    s.fill("#t-note", "已致电道歉,安排查看房间").unwrap();
    submit(s, "transition-dialog");
    s.wait_text("#complaint-state", "处理中").unwrap();
    s.click_css("#act-wait").unwrap();
    s.fill("#t-note", "等客户回来确认").unwrap();
    submit(s, "transition-dialog");
    s.wait_text("#complaint-state", "等待客户").unwrap();
    s.wait_text_contains(".detail-badges", "暂停计时").unwrap();
    s.click_css("#act-resolve").unwrap();
    s.fill("#r-resolution", "已换到高层安静房间,赠送早餐").unwrap();
    s.fill("#r-cause", "空调滤网未按期清洗").unwrap();
    s.fill("#r-action", "每周检查滤网").unwrap();
    submit(s, "resolve-dialog");
    s.wait_text("#complaint-state", "已解决").unwrap();
    s.click_css("#act-close").unwrap();
    s.click_css("#x-satisfaction option[value='5']").unwrap();
    submit(s, "close-dialog");
    s.wait_text("#complaint-state", "已结案").unwrap();
    s.wait_text_contains("#complaint-satisfaction", "5 非常满意").unwrap();
    s.wait_for("#complaint-return-visit").unwrap();

    // The handling log tells the story, in order.
    let log = s.text_of("#complaint-log");
    for (i, w) in ["登记", "已致电道歉", "等客户回来确认", "已换到高层安静房间", "结案"]
        .iter()
        .enumerate()
    {
        assert!(log.contains(w), "log step {i} missing {w:?}: {log}");
    }
    s.screenshot(&artefact_dir().join("complaint.png")).unwrap();

    // The printable processing form.
    s.click_css("#act-print").unwrap();
    let form = s.wait_text_contains("#print-view", "客户投诉处理表").unwrap();
    assert!(form.contains(serial.trim()) && form.contains("每周检查滤网"), "{form}");
    s.click_css("#print-close").unwrap();

    // The return visit is on the customer's page.
    s.click_css("#open-customer").unwrap();
    s.wait_text("#detail-name", "孙小姐").unwrap();
    s.wait_text_contains("#followups", "投诉回访").unwrap();
    s.wait_text_contains("#customer-complaints", serial.trim()).unwrap();
}

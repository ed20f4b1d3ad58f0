//! End to end: return visits in the real app (Xvfb + tauri-driver + WebKitWebDriver).

use chrono::{Days, Local};
use frontdesk::customers::Tier;
use frontdesk::visits::{Channel, OutcomeInput, Purpose, VisitInput};
use frontdesk::App;
use frontdesk_tests::customer;
use frontdesk_tests::webdriver::{artefact_dir, RealApp};

/// A VIP last reached 40 days ago, and a regular customer to call today.
fn seed(dir: &std::path::Path) {
    let past = Local::now().naive_local() - Days::new(40);
    let app = App::open_with_clock(dir, Box::new(move || past)).unwrap();
    let mut vip = customer("钱多多", &["13911112222"]);
    vip.tier = Some(Tier::Vip);
    let vip = app.create_customer(&vip).unwrap();
    let v = app
        .plan_visit(&VisitInput {
            customer_id: vip.id,
            channel: Some(Channel::Phone),
            purpose: Some(Purpose::KeepInTouch),
            due_date: past.date().format("%Y-%m-%d").to_string(),
            ..Default::default()
        })
        .unwrap();
    let reached = OutcomeInput {
        reached: true,
        notes: "一切都好".into(),
        satisfaction: Some(5),
        next_step: String::new(),
        retry: None,
        next_visit: None,
    };
    app.record_outcome(v.id, &reached).unwrap();
    drop(app);
    let app = App::open(dir).unwrap();
    app.create_customer(&customer("周到", &["13833334444"])).unwrap();
}

#[test]
#[ignore = "needs the desktop harness: run `cargo xtask test`"]
fn return_visits_in_the_real_app() {
    let data = tempfile::tempdir().unwrap();
    seed(data.path());
    let app = RealApp::start(data.path()).unwrap();
    let s = &app.session;
    s.click_css("#language option[value='zh-CN']").unwrap();
    s.wait_text("#new-customer", "新建客户").unwrap();

    // Plan a visit for today, with an outline, from the customer's page.
    s.search_first("周到").unwrap();
    s.click_css(".customer-row").unwrap();
    s.wait_text("#detail-name", "周到").unwrap();
    s.click_css("#plan-visit").unwrap();
    s.wait_for("#visit-dialog[open]").unwrap();
    s.fill("#v-outline", "请问上次的服务满意吗?").unwrap();
    s.click_css("#visit-dialog [data-action='submit']").unwrap();
    s.wait(|| s.find("#visit-dialog").is_err().then_some(())).unwrap();
    s.wait_text_contains("#followups", "满意度回访").unwrap();

    // It is on today's agenda, and the sidebar counts it.
    s.click_css("#nav-visits").unwrap();
    s.wait_text_contains("#agenda-today", "周到").unwrap();
    s.wait_text_contains("#agenda-today", "请问上次的服务满意吗?").unwrap();
    s.wait_text("#nav-count-visits", "1").unwrap();

    // Not reached: from the keyboard (D), tried again tomorrow.
    s.click_css("#agenda-today .visit-row").unwrap();
    let body = s.find("#visits-body").unwrap();
    s.type_text(&body, "d").unwrap();
    s.wait_for("#outcome-dialog[open]").unwrap();
    s.click_css("#o-reached-no").unwrap();
    s.fill("#o-notes", "没人接").unwrap();
    s.click_css("#outcome-dialog [data-action='submit']").unwrap();
    s.wait(|| s.find("#outcome-dialog").is_err().then_some(())).unwrap();
    s.wait_text_contains("#agenda-upcoming", "周到").unwrap();
    s.wait_text_contains("#agenda-upcoming", "已打 1 次").unwrap();
    assert!(!s.text_of("#agenda-today").contains("周到"), "still listed today");

    // Reached the next day: satisfaction 4, a next step and the next visit.
    s.click_css("#agenda-upcoming .visit-done").unwrap();
    s.wait_for("#outcome-dialog[open]").unwrap();
    s.click_css("#o-satisfaction option[value='4']").unwrap();
    s.fill("#o-notes", "很满意,下次还来").unwrap();
    s.fill("#o-next-step", "下个月再问候").unwrap();
    s.click_css("#o-plan-next").unwrap();
    let next_date = (Local::now().date_naive() + Days::new(30))
        .format("%Y-%m-%d")
        .to_string();
    s.fill("#o-next-date", &next_date).unwrap();
    s.click_css("#outcome-dialog [data-action='submit']").unwrap();
    s.wait(|| s.find("#outcome-dialog").is_err().then_some(())).unwrap();
    s.wait(|| (!s.text_of("#agenda-upcoming").contains("周到")).then_some(()))
        .unwrap();

    // Open the customer from the keyboard-less path: the next visit and the timeline.
    s.click_css(".nav-item[data-section='customers']").unwrap();
    s.search_first("周到").unwrap();
    s.click_css(".customer-row").unwrap();
    s.wait_text_contains("#followups", &next_date).unwrap();
    let timeline = s.wait_text_contains("#timeline", "满意度 4/5").unwrap();
    assert!(timeline.contains("下一步:下个月再问候"), "{timeline}");
    assert!(timeline.contains("很满意,下次还来"), "{timeline}");
    // The attempt that did not reach him is on his history too, with what was noted.
    assert!(timeline.contains("未联系上(电话)"), "{timeline}");
    assert!(timeline.contains("没人接"), "{timeline}");
    s.screenshot(&artefact_dir().join("customer-visits.png")).unwrap();

    // A finished visit can be corrected; the timeline shows the new value.
    s.click_css("#timeline .correct-visit").unwrap();
    s.wait_for("#correct-dialog[open]").unwrap();
    s.click_css("#c-satisfaction option[value='5']").unwrap();
    s.click_css("#correct-dialog [data-action='submit']").unwrap();
    s.wait_text_contains("#timeline", "满意度 5/5").unwrap();

    // The VIP last reached 40 days ago is due (yellow), not overdue (red).
    s.click_css("#nav-visits").unwrap();
    s.click_css("#tab-due").unwrap();
    s.wait_text_contains(".due-list", "钱多多").unwrap();
    let row = s.find(".due-row.status-due").unwrap();
    assert!(s.text(&row).unwrap().contains("钱多多"));
    assert!(s.text(&row).unwrap().contains("40 天前"));
    s.screenshot(&artefact_dir().join("due-to-contact.png")).unwrap();
}

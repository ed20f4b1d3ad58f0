//! The audit trail and the kept counts through the store seam: the same writes, each with
//! its context (who, when, why), leave the same trail, the same review counts and the same
//! arrival counts on the desk's file and on the shared database, whose triggers are
//! PL/pgSQL; and the server, like the desk, refuses to edit the trail or a complaint's log.

use frontdesk::arrivals::model::BookingState;
use frontdesk::arrivals::repo::{self as arrivals, NewBooking};
use frontdesk::audit::{repo, Actor, AuditEntry, AuditFilter, Context, RecordKind};
use frontdesk::complaints::model::{ComplaintChannel, Severity};
use frontdesk::complaints::repo::{self as complaints, NewComplaint};
use frontdesk::customers::dates::{Calendar, SpecialDate};
use frontdesk::customers::{repo as customers, rules as customer_rules, Tier};
use frontdesk::store::db::{Db, Row};
use frontdesk::store::settings;
use frontdesk::visits::model::{Channel, OutlineTemplate, Purpose};
use frontdesk::visits::repo::{self as visits, Completion, NewVisit};
use frontdesk_tests::customer;
use frontdesk_tests::server::{on_both_stores, TempDatabase};

fn context(at: &str, staff: &str, reason: &str, record: bool) -> Context {
    Context {
        at: at.into(),
        staff: staff.into(),
        desk: String::new(),
        actor: Actor::Desk,
        reason: reason.into(),
        record,
    }
}

/// Run `f` as one write with its context, as the app does.
fn write<T>(db: Db<'_>, c: &Context, f: impl FnOnce() -> T) -> T {
    db.batch("BEGIN").unwrap();
    repo::set_context(db, c).unwrap();
    let out = f();
    db.batch("COMMIT").unwrap();
    out
}

#[derive(Debug, PartialEq)]
struct Seen {
    trail: (usize, Vec<AuditEntry>),
    days: Vec<Row>,
    scores: Vec<Row>,
    arrivals_kept: Vec<arrivals::CountRow>,
    arrivals_direct: Vec<arrivals::CountRow>,
}

fn audited_story(db: Db<'_>) -> Seen {
    let mut input = customer("欧阳晓梅", &["186 5550 7321"]);
    input.tags = vec!["常客".into()];
    input.birthday = Some(SpecialDate {
        calendar: Calendar::Lunar,
        year: None,
        month: 8,
        day: 15,
        leap_month: true,
    });
    let valid = customer_rules::validate(&input).unwrap();
    let who = write(db, &context("2026-12-06T01:00:00.000Z", "小王", "", true), || {
        customers::insert_customer(
            db,
            &valid,
            &customers::search_fields(&valid),
            "2026-12-06T01:00:00.000Z",
        )
        .unwrap()
    });
    let visit = write(db, &context("2026-12-06T02:00:00.000Z", "小王", "", true), || {
        let v = visits::insert_visit(
            db,
            &NewVisit::new(who, Channel::Phone, Purpose::Satisfaction, "2026-12-06".into()),
            "2026-12-06T02:00:00.000Z",
        )
        .unwrap();
        visits::complete_visit(
            db,
            v,
            &Completion {
                notes: "很好",
                satisfaction: Some(5),
                next_step: "",
            },
            "2026-12-06T02:00:00.000Z",
        )
        .unwrap();
        v
    });
    // A new tier and birthday: the visit's counts move to the VIP tier.
    let mut changed = input.clone();
    changed.tier = Some(Tier::Vip);
    changed.phones.push("021-5555 0101".into());
    changed.birthday = None;
    let valid = customer_rules::validate(&changed).unwrap();
    write(db, &context("2026-12-06T03:00:00.000Z", "小李", "", true), || {
        customers::update_customer(
            db,
            who,
            &valid,
            &customers::search_fields(&valid),
            "2026-12-06T03:00:00.000Z",
        )
        .unwrap()
    });
    write(db, &context("2026-12-06T04:00:00.000Z", "小李", "", true), || {
        let b = arrivals::insert_booking(
            db,
            &NewBooking {
                customer_id: who,
                date: "2026-12-07".into(),
                time: Some("19:30".into()),
                party: 4,
                ..NewBooking::default()
            },
            BookingState::Booked,
            None,
            "2026-12-06T04:00:00.000Z",
        )
        .unwrap();
        arrivals::set_state(
            db,
            b,
            BookingState::Cancelled,
            None,
            "weather",
            "2026-12-06T04:00:00.000Z",
        )
        .unwrap();
    });
    write(db, &context("2026-12-06T04:30:00.000Z", "小李", "", true), || {
        let category = complaints::default_category(db).unwrap();
        let serial = complaints::next_serial(db, 2026).unwrap();
        let c = complaints::insert_complaint(
            db,
            &NewComplaint {
                serial: &serial,
                customer_id: who,
                channel: ComplaintChannel::Phone,
                received_at: "2026-12-06T04:30:00.000Z",
                category_id: category,
                severity: Severity::High,
                summary: "上菜太慢",
                details: "",
                claim_kind: None,
                claim_amount_cents: None,
                claim_text: "",
                handler: "小李",
                response_due: "2026-12-06T08:30:00.000Z",
                resolution_due: "2026-12-09T08:30:00.000Z",
            },
            "2026-12-06T04:30:00.000Z",
        )
        .unwrap();
        complaints::add_log(db, c, "2026-12-06T04:30:00.000Z", "小李", "note", "已致电").unwrap();
    });
    write(db, &context("2026-12-06T05:00:00.000Z", "", "", true), || {
        settings::set_setting(db, "language", "en").unwrap();
        settings::set_setting(db, "desk.staff", "小李").unwrap();
        let t = visits::save_template(
            db,
            &OutlineTemplate {
                id: 0,
                name: "问候".into(),
                body: "您好".into(),
            },
            "2026-12-06T05:00:00.000Z",
        )
        .unwrap();
        visits::delete_template(db, t).unwrap();
    });
    write(
        db,
        &context("2026-12-06T06:00:00.000Z", "小李", "import:1", false),
        || {
            visits::reschedule_visit(db, visit, "2026-12-05", None, None, false, "2026-12-06T06:00:00.000Z").unwrap();
            repo::add_bulk(db, RecordKind::Customer, 40).unwrap();
        },
    );
    write(
        db,
        &context("2026-12-06T07:00:00.000Z", "小李", "anonymise", true),
        || {
            assert!(repo::erase_customer(db, who).unwrap() > 0);
        },
    );
    let all = AuditFilter {
        limit: 500,
        ..AuditFilter::default()
    };
    Seen {
        trail: repo::list_entries(db, &all).unwrap(),
        days: db
            .query(
                "SELECT * FROM review_visit_days WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6",
                &[],
            )
            .unwrap(),
        scores: db
            .query(
                "SELECT * FROM review_visit_scores WHERE n <> 0 ORDER BY 1, 2, 3, 4",
                &[],
            )
            .unwrap(),
        arrivals_kept: arrivals::day_counts_kept(db, "2026-12-01", "2026-12-31").unwrap(),
        arrivals_direct: arrivals::day_counts_direct(db, "2026-12-01", "2026-12-31").unwrap(),
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn writes_leave_the_same_trail_and_counts_on_the_desk_file_and_the_server() {
    let pg = TempDatabase::new();
    let (on_desk, on_server) = on_both_stores(&pg, audited_story);
    assert_eq!(on_server.trail, on_desk.trail, "the same trail, entry for entry");
    assert_eq!(on_server, on_desk);

    let (total, trail) = &on_server.trail;
    assert_eq!(*total, trail.len());
    let fields = |at: &str| -> Vec<String> {
        trail
            .iter()
            .filter(|e| e.at.starts_with(at))
            .map(|e| format!("{}:{}", e.action.as_str(), e.field.as_deref().unwrap_or("")))
            .collect()
    };
    let created = fields("2026-12-06T01");
    assert!(created.contains(&"create:".to_string()), "{created:?}");
    assert!(created.contains(&"update:birthday".to_string()), "{created:?}");
    let edited = fields("2026-12-06T03");
    for f in ["update:tier", "update:phones", "update:birthday"] {
        assert!(edited.contains(&f.to_string()), "{f} in {edited:?}");
    }
    let tier = trail.iter().find(|e| e.field.as_deref() == Some("tier")).unwrap();
    assert_eq!(tier.staff, "小李");
    assert!(tier.erased && tier.old_value.is_null(), "the customer was anonymised");
    let value = |field: &str| {
        let e = trail
            .iter()
            .find(|e| e.field.as_deref() == Some(field))
            .unwrap_or_else(|| panic!("{field} recorded"));
        (e.old_value.clone(), e.new_value.clone())
    };
    assert_eq!(
        value("state"),
        ("planned".into(), "done".into()),
        "a visit keeps its values"
    );
    assert_eq!(
        value("satisfaction"),
        (serde_json::Value::Null, 5.into()),
        "a number stays a number"
    );
    assert_eq!(value("value"), (serde_json::Value::Null, "en".into()));
    let birthday = trail
        .iter()
        .find(|e| e.field.as_deref() == Some("birthday") && e.at.starts_with("2026-12-06T03"))
        .unwrap();
    assert!(birthday.new_value.is_null(), "erased with its customer or removed");
    assert!(
        fields("2026-12-06T04:30").contains(&"create:".to_string()),
        "the complaint"
    );
    let booking = fields("2026-12-06T04:00");
    assert!(booking.contains(&"update:booking".to_string()) && booking.contains(&"update:booking_state".to_string()));
    let settings = fields("2026-12-06T05");
    assert_eq!(
        settings.iter().filter(|f| f.as_str() == "update:value").count(),
        1,
        "the language is recorded, the desk's own bookkeeping is not: {settings:?}"
    );
    assert!(settings.contains(&"create:".to_string()) && settings.contains(&"delete:".to_string()));
    let bulk = fields("2026-12-06T06");
    assert_eq!(bulk, ["bulk:"], "a bulk write leaves one row");
    let one_change: Vec<i64> = trail
        .iter()
        .filter(|e| e.at.starts_with("2026-12-06T03"))
        .map(|e| e.change_id)
        .collect();
    assert!(one_change.windows(2).all(|w| w[0] == w[1]), "one save, one change");
    assert!(
        trail
            .iter()
            .filter(|e| e.customer_id.is_some() && e.kind == RecordKind::Customer)
            .all(|e| e.erased),
        "the anonymised customer's entries are erased"
    );
    assert!(!on_server.days.is_empty() && !on_server.scores.is_empty());
    assert_eq!(
        on_server.arrivals_kept, on_server.arrivals_direct,
        "the kept counts follow the bookings"
    );

    // The trail and a complaint's log are append-only on the server too.
    let mut c = pg.client();
    let said = |e: postgres::Error| e.as_db_error().map(|d| d.message().to_string()).unwrap_or_default();
    let refused = c.execute("DELETE FROM audit_log", &[]).unwrap_err();
    assert!(said(refused).contains("cannot be edited"));
    let refused = c.execute("UPDATE audit_log SET staff = 'x'", &[]).unwrap_err();
    assert!(said(refused).contains("cannot be edited"));
    let refused = c.execute("UPDATE complaint_log SET detail = 'x'", &[]).unwrap_err();
    assert!(said(refused).contains("cannot be edited"));
    let refused = c.execute("DELETE FROM complaint_log", &[]).unwrap_err();
    assert!(said(refused).contains("cannot be edited"));
    let logged: i64 = c.query_one("SELECT count(*) FROM complaint_log", &[]).unwrap().get(0);
    assert_eq!(logged, 1, "the log entry stands");
}

//! The audit trail: every change is recorded field by field, with who was at the desk and
//! when, in the same transaction; it cannot be edited; a customer field can be put back;
//! an anonymised customer's values leave it.

use frontdesk::audit::{Action, Actor, AuditEntry, AuditQuery, RecordKind};
use frontdesk::complaints::ComplaintInput;
use frontdesk::customers::{Calendar, SpecialDate, Tier};
use frontdesk::visits::VisitInput;
use frontdesk_tests::{customer, Clocked};
use serde_json::json;

fn trail(t: &Clocked, q: AuditQuery) -> Vec<AuditEntry> {
    t.app.audit_log(&q).unwrap().entries
}

fn of_customer(t: &Clocked, id: i64) -> Vec<AuditEntry> {
    trail(
        t,
        AuditQuery {
            kind: Some(RecordKind::Customer),
            record_id: Some(id.to_string()),
            ..Default::default()
        },
    )
}

#[test]
fn every_customer_change_is_recorded_with_who_and_when() {
    let t = Clocked::new("2026-11-23 09:00");
    t.app.set_staff(&["王芳".into(), "小李".into()]).unwrap();
    t.app.set_desk_staff("王芳").unwrap();
    let c = t.app.create_customer(&customer("张建国", &["139 1234 5678"])).unwrap();

    let created = of_customer(&t, c.id);
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0].action, Action::Create);
    assert_eq!(created[0].staff, "王芳");
    assert_eq!(created[0].actor, Actor::Desk);
    assert_eq!(
        created[0].at,
        frontdesk::store::local_to_ts(frontdesk_tests::at("2026-11-23 09:00"))
    );
    assert_eq!(created[0].new_value["name"], json!("张建国"));
    assert_eq!(created[0].new_value["phones"], json!(["139 1234 5678"]));

    // An edit: one row per changed field, sharing one change, old -> new.
    t.set("2026-11-23 10:30");
    t.app.set_desk_staff("小李").unwrap();
    let mut edit = customer("张建国", &["139 1234 5678", "021-5555 0101"]);
    edit.tier = Some(Tier::Vip);
    edit.notes = "不吃蒜".into();
    edit.birthday = Some(SpecialDate {
        calendar: Calendar::Lunar,
        year: Some(1980),
        month: 10,
        day: 15,
        leap_month: false,
    });
    t.app.update_customer(c.id, &edit).unwrap();
    let rows = of_customer(&t, c.id);
    let change: Vec<&AuditEntry> = rows.iter().filter(|e| e.change_id == rows[0].change_id).collect();
    let mut fields: Vec<&str> = change.iter().filter_map(|e| e.field.as_deref()).collect();
    fields.sort();
    assert_eq!(fields, ["birthday", "notes", "phones", "tier"]);
    assert!(change.iter().all(|e| e.staff == "小李" && e.action == Action::Update));
    let tier = change.iter().find(|e| e.field.as_deref() == Some("tier")).unwrap();
    assert_eq!((&tier.old_value, &tier.new_value), (&json!("regular"), &json!("vip")));
    let phones = change.iter().find(|e| e.field.as_deref() == Some("phones")).unwrap();
    assert_eq!(phones.new_value, json!(["139 1234 5678", "021-5555 0101"]));
    let birthday = change.iter().find(|e| e.field.as_deref() == Some("birthday")).unwrap();
    assert_eq!(birthday.old_value, json!(null));
    assert_eq!(birthday.new_value["month"], json!(10));

    // Saving the same again records nothing; a rejected save records nothing.
    let before = of_customer(&t, c.id).len();
    t.app.update_customer(c.id, &edit).unwrap();
    let mut bad = edit.clone();
    bad.name = "  ".into();
    assert_eq!(t.app.update_customer(c.id, &bad).unwrap_err().kind(), "invalid");
    assert_eq!(of_customer(&t, c.id).len(), before);

    // Who is at the desk is not itself a change to the records.
    assert!(trail(
        &t,
        AuditQuery {
            kind: Some(RecordKind::Setting),
            record_id: Some("desk.staff".into()),
            ..Default::default()
        }
    )
    .is_empty());
    // The staff list is a setting, and its change is recorded.
    let staff = trail(
        &t,
        AuditQuery {
            kind: Some(RecordKind::Setting),
            record_id: Some("staff".into()),
            ..Default::default()
        },
    );
    assert_eq!(staff.len(), 1);
    assert_eq!(staff[0].new_value, json!(r#"["王芳","小李"]"#));
}

#[test]
fn a_field_is_put_back_from_its_history_and_that_is_recorded_too() {
    let t = Clocked::new("2026-11-23 09:00");
    let c = t.app.create_customer(&customer("李娜", &["138 0000 1111"])).unwrap();
    let mut edit = customer("李娜娜", &["138 0000 1111"]);
    edit.notes = "靠窗".into();
    t.app.update_customer(c.id, &edit).unwrap();
    edit.notes = "不要辣".into();
    t.app.update_customer(c.id, &edit).unwrap();

    let rows = of_customer(&t, c.id);
    let name_change = rows.iter().find(|e| e.field.as_deref() == Some("name")).unwrap();
    let back = t.app.revert_audit_entry(name_change.id).unwrap();
    assert_eq!(back.name, "李娜");
    assert_eq!(back.notes, "不要辣", "other fields keep their current values");
    // Found again by the old name: the search index followed.
    let found = t
        .app
        .list_customers(&frontdesk::customers::ListQuery {
            q: "李娜".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.total, 1);

    let newest = &of_customer(&t, c.id)[0];
    assert_eq!(newest.field.as_deref(), Some("name"));
    assert_eq!(newest.reason, format!("revert:{}", name_change.id));
    assert_eq!(
        (&newest.old_value, &newest.new_value),
        (&json!("李娜娜"), &json!("李娜"))
    );

    // The first notes value comes back from the second change's entry.
    let notes: Vec<&AuditEntry> = rows.iter().filter(|e| e.field.as_deref() == Some("notes")).collect();
    assert_eq!(notes.len(), 2);
    assert_eq!(t.app.revert_audit_entry(notes[0].id).unwrap().notes, "靠窗");

    // A birthday cleared is put back.
    let mut with_day = customer("李娜", &["138 0000 1111"]);
    with_day.notes = "靠窗".into();
    with_day.birthday = Some(SpecialDate {
        calendar: Calendar::Gregorian,
        year: None,
        month: 3,
        day: 2,
        leap_month: false,
    });
    t.app.update_customer(c.id, &with_day).unwrap();
    with_day.birthday = None;
    t.app.update_customer(c.id, &with_day).unwrap();
    let cleared = of_customer(&t, c.id)
        .into_iter()
        .find(|e| e.field.as_deref() == Some("birthday"))
        .unwrap();
    assert_eq!(cleared.new_value, json!(null));
    let back = t.app.revert_audit_entry(cleared.id).unwrap();
    assert_eq!(back.birthday.map(|d| (d.month, d.day)), Some((3, 2)));

    // Only customer fields can be put back.
    let create = of_customer(&t, c.id)
        .into_iter()
        .find(|e| e.action == Action::Create)
        .unwrap();
    assert_eq!(t.app.revert_audit_entry(create.id).unwrap_err().kind(), "invalid_state");
    let v = t
        .app
        .plan_visit(&VisitInput {
            customer_id: c.id,
            due_date: "2026-11-24".into(),
            ..Default::default()
        })
        .unwrap();
    let visit_rows = trail(
        &t,
        AuditQuery {
            kind: Some(RecordKind::Visit),
            record_id: Some(v.id.to_string()),
            ..Default::default()
        },
    );
    assert_eq!(visit_rows.len(), 1);
    assert_eq!(
        t.app.revert_audit_entry(visit_rows[0].id).unwrap_err().kind(),
        "invalid_state"
    );
    assert_eq!(t.app.revert_audit_entry(999_999).unwrap_err().kind(), "not_found");
}

#[test]
fn the_trail_cannot_be_edited_or_deleted() {
    let t = Clocked::new("2026-11-23 09:00");
    let c = t.app.create_customer(&customer("王强", &["139 0000 2222"])).unwrap();
    let id = of_customer(&t, c.id)[0].id;
    let outside = t.outside();
    for sql in [
        "DELETE FROM audit_log",
        "UPDATE audit_log SET staff = 'someone else'",
        "UPDATE audit_log SET new_value = NULL",
        "UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z', old_value = NULL, new_value = NULL, erased = 1",
    ] {
        let err = outside.db().execute(sql, &[]).unwrap_err().to_string();
        assert!(err.contains("cannot be edited"), "{sql}: {err}");
    }
    drop(outside);
    assert_eq!(t.app.audit_log(&AuditQuery::default()).unwrap().entries[0].id, id);
}

#[test]
fn visits_complaints_and_bulk_writes_are_recorded_and_the_log_filters() {
    let t = Clocked::new("2026-11-20 09:00");
    t.app.set_desk_staff("王芳").unwrap();
    let c = t.app.create_customer(&customer("赵敏", &["137 0000 3333"])).unwrap();
    let v = t
        .app
        .plan_visit(&VisitInput {
            customer_id: c.id,
            due_date: "2026-11-21".into(),
            ..Default::default()
        })
        .unwrap();
    t.set("2026-11-22 15:00");
    t.app.set_desk_staff("小李").unwrap();
    t.app.cancel_visit(v.id).unwrap();
    let k = t
        .app
        .register_complaint(&ComplaintInput {
            customer_id: Some(c.id),
            summary: "上菜太慢".into(),
            ..Default::default()
        })
        .unwrap();
    t.app.set_complaint_handler(k.id, "小李", "小李").unwrap();

    let visit = trail(
        &t,
        AuditQuery {
            kind: Some(RecordKind::Visit),
            ..Default::default()
        },
    );
    assert_eq!(visit.len(), 2, "{visit:?}");
    assert_eq!(visit[0].field.as_deref(), Some("state"));
    assert_eq!(
        (&visit[0].old_value, &visit[0].new_value),
        (&json!("planned"), &json!("cancelled"))
    );
    assert_eq!(visit[0].customer_id, Some(c.id));
    assert_eq!(visit[0].customer_name.as_deref(), Some("赵敏"));
    let complaint = trail(
        &t,
        AuditQuery {
            kind: Some(RecordKind::Complaint),
            record_id: Some(k.id.to_string()),
            ..Default::default()
        },
    );
    assert!(complaint.iter().any(|e| e.action == Action::Create));
    assert!(complaint
        .iter()
        .any(|e| e.field.as_deref() == Some("handler") && e.new_value == json!("小李")));

    // Filters: by staff, by day (local), by customer.
    let by_wang = t.app.audit_log(&AuditQuery {
        staff: Some("王芳".into()),
        ..Default::default()
    });
    let by_wang = by_wang.unwrap();
    assert!(by_wang.total >= 2 && by_wang.entries.iter().all(|e| e.staff == "王芳"));
    let on_20th = t
        .app
        .audit_log(&AuditQuery {
            from: Some("2026-11-20".into()),
            to: Some("2026-11-20".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(on_20th.total, by_wang.total, "everything on the 20th was 王芳's");
    let later = t
        .app
        .audit_log(&AuditQuery {
            from: Some("2026-11-21".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(later.entries.iter().all(|e| e.staff == "小李"));
    assert_eq!(
        later.total + on_20th.total,
        t.app.audit_log(&AuditQuery::default()).unwrap().total
    );
    let bad = t
        .app
        .audit_log(&AuditQuery {
            from: Some("2026-11-22".into()),
            to: Some("2026-11-21".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(bad.kind(), "invalid");
    let paged = t
        .app
        .audit_log(&AuditQuery {
            limit: Some(2),
            offset: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(paged.entries.len(), 2);

    // Many customers at once: one row says so, not one per customer.
    let before = t.app.audit_log(&AuditQuery::default()).unwrap().total;
    let many: Vec<_> = (0..50).map(|i| customer(&format!("批量{i}"), &[])).collect();
    t.app.insert_customers(&many).unwrap();
    let after = t.app.audit_log(&AuditQuery::default()).unwrap();
    assert_eq!(after.total, before + 1);
    assert_eq!(after.entries[0].action, Action::Bulk);
    assert_eq!(after.entries[0].new_value, json!(50));
}

#[test]
fn what_the_app_does_by_itself_is_recorded_as_the_system() {
    let t = Clocked::new("2026-11-23 09:00");
    t.app.set_desk_staff("王芳").unwrap();
    let c = t.app.create_customer(&customer("孙丽", &["137 0000 4444"])).unwrap();
    t.app
        .create_manual_reminder(&frontdesk::reminders::ManualInput {
            customer_id: Some(c.id),
            text: "回电".into(),
            due_at: "2026-11-23 09:30".into(),
            repeat: None,
            staff: String::new(),
        })
        .unwrap();
    t.app.plan_reminders().unwrap();
    t.set("2026-11-23 09:31");
    assert_eq!(t.app.take_due_reminders().unwrap().len(), 1);
    let rows = trail(
        &t,
        AuditQuery {
            kind: Some(RecordKind::Reminder),
            ..Default::default()
        },
    );
    let fired = rows.iter().find(|e| e.new_value == json!("fired")).unwrap();
    assert_eq!(fired.actor, Actor::System);
    assert_eq!(fired.staff, "");
    let made = rows.iter().find(|e| e.action == Action::Create).unwrap();
    assert_eq!((made.actor, made.staff.as_str()), (Actor::Desk, "王芳"));
}

#[test]
fn anonymising_erases_the_values_but_keeps_the_facts() {
    let t = Clocked::new("2026-11-23 09:00");
    let c = t
        .app
        .create_customer(&customer("欧阳小雪", &["136 9876 5432"]))
        .unwrap();
    let mut edit = customer("欧阳小雪", &["136 9876 5432"]);
    edit.address = "梧桐路 88 号".into();
    t.app.update_customer(c.id, &edit).unwrap();
    t.app.anonymise_customer(c.id).unwrap();
    let rows = of_customer(&t, c.id);
    assert!(rows.len() >= 3, "{rows:?}");
    assert!(rows
        .iter()
        .all(|e| e.erased && e.old_value.is_null() && e.new_value.is_null()));
    assert!(rows.iter().any(|e| e.reason == "anonymise"));
    let address = rows.iter().find(|e| e.field.as_deref() == Some("address")).unwrap();
    assert_eq!(
        t.app.revert_audit_entry(address.id).unwrap_err().kind(),
        "invalid_state"
    );
    for secret in ["欧阳小雪", "9876 5432", "梧桐路"] {
        assert_eq!(t.places_holding(secret), Vec::<String>::new(), "{secret:?} still kept");
    }
}

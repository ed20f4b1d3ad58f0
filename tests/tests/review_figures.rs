//! The manager's figures on a hand-made data set, each expected value worked out by hand
//! in the comments (domain.md, "Measuring service"). The desk's default schedule: Monday to
//! Friday 09:00–18:00, Saturday 10:00–16:00, Sunday closed.

use frontdesk::complaints::{CloseInput, ComplaintInput, ComplaintState, ResolveInput, TransitionInput};
use frontdesk::customers::Tier;
use frontdesk::review::figures::{per_100, spread};
use frontdesk::review::{Drill, DrillKind, Period, Preset, ReviewQuery};
use frontdesk_tests::{customer, Clocked};

fn d(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn medians_percentiles_and_rates_by_hand() {
    // Even count: the mean of the two middle values; p90 by nearest rank (ceil(0.9 n)).
    let s = spread(vec![40, 10, 30, 20]);
    assert_eq!((s.n, s.median, s.p90), (4, Some(25.0), Some(40.0)));
    // 1..=10: median (5 + 6) / 2; the 9th value is the smallest with 90% at or below it.
    let s = spread((1..=10).collect());
    assert_eq!((s.median, s.p90), (Some(5.5), Some(9.0)));
    assert_eq!(spread(vec![7]).median, Some(7.0));
    assert_eq!(spread(vec![]).median, None, "nothing to take a median of");
    assert_eq!(per_100(3, 150), Some(2.0));
    assert_eq!(per_100(3, 0), None, "no division by zero");
}

#[test]
fn periods_and_the_period_before() {
    let today = d("2026-11-25"); // a Wednesday
    let p = |preset| Period::preset(preset, today).unwrap();
    assert_eq!(
        p(Preset::Week),
        Period {
            from: d("2026-11-23"),
            to: d("2026-11-29")
        }
    );
    assert_eq!(
        p(Preset::Month),
        Period {
            from: d("2026-11-01"),
            to: d("2026-11-30")
        }
    );
    assert_eq!(
        p(Preset::Quarter),
        Period {
            from: d("2026-10-01"),
            to: d("2026-12-31")
        }
    );
    assert_eq!(
        p(Preset::Year),
        Period {
            from: d("2026-01-01"),
            to: d("2026-12-31")
        }
    );
    assert_eq!(
        p(Preset::Last12),
        Period {
            from: d("2025-12-01"),
            to: d("2026-11-30")
        }
    );
    // Calendar units are compared with the unit before; a week or a range with the same
    // number of days just before.
    assert_eq!(
        p(Preset::Month).previous(Preset::Month),
        Period {
            from: d("2026-10-01"),
            to: d("2026-10-31")
        }
    );
    assert_eq!(
        p(Preset::Quarter).previous(Preset::Quarter),
        Period {
            from: d("2026-07-01"),
            to: d("2026-09-30")
        }
    );
    assert_eq!(
        p(Preset::Week).previous(Preset::Week),
        Period {
            from: d("2026-11-16"),
            to: d("2026-11-22")
        }
    );
    let ten = Period {
        from: d("2026-11-10"),
        to: d("2026-11-19"),
    };
    assert_eq!(
        ten.previous(Preset::Custom),
        Period {
            from: d("2026-10-31"),
            to: d("2026-11-09")
        }
    );
    assert_eq!(ten.months(), ["2026-11"]);
}

fn custom(from: &str, to: &str) -> ReviewQuery {
    ReviewQuery {
        preset: Preset::Custom,
        from: from.into(),
        to: to.into(),
        ..Default::default()
    }
}

fn step(to: ComplaintState) -> TransitionInput {
    TransitionInput {
        to,
        note: String::new(),
        staff: String::new(),
        duplicate_of: String::new(),
    }
}

#[test]
fn a_hand_made_fortnight_gives_the_figures_worked_out_by_hand() {
    // Five customers registered in September: all active in November (none archived or lost).
    let t = Clocked::new("2026-09-01 10:00");
    let mut ids = Vec::new();
    for (i, name) in ["甲", "乙", "丙", "丁", "戊"].iter().enumerate() {
        let mut c = customer(name, &[&format!("1380000000{i}")]);
        c.tier = Some(if i == 0 { Tier::Vip } else { Tier::Regular });
        ids.push(t.app.create_customer(&c).unwrap().id);
    }
    let categories = t.app.complaint_categories().unwrap();
    let register = |customer: i64, category: usize, received: &str| {
        t.app
            .register_complaint(&ComplaintInput {
                customer_id: Some(customer),
                category_id: Some(categories[category].id),
                summary: "test".into(),
                received_at: received.into(),
                ..Default::default()
            })
            .unwrap()
    };

    // K1, Monday 2 Nov 10:00, answered 11:30 (90 business minutes), resolved Tuesday 3 Nov
    // 10:00: 10:00–18:00 Monday (480) + 09:00–10:00 Tuesday (60) = 540 minutes.
    t.set("2026-11-02 10:00");
    let k1 = register(ids[0], 0, "2026-11-02 10:00");
    t.set("2026-11-02 11:30");
    t.app
        .transition_complaint(k1.id, &step(ComplaintState::InProgress))
        .unwrap();
    t.set("2026-11-03 10:00");
    t.app
        .resolve_complaint(
            k1.id,
            &ResolveInput {
                resolution: "ok".into(),
                ..Default::default()
            },
        )
        .unwrap();
    t.app
        .close_complaint(
            k1.id,
            &CloseInput {
                satisfaction: Some(2),
                accepted: Some(true),
                ..Default::default()
            },
        )
        .unwrap();

    // K2, Wednesday 4 Nov 09:00, same customer: answered at 09:30 (30 minutes), resolved
    // at 13:00 (240 minutes), closed with a 4.
    t.set("2026-11-04 09:00");
    let k2 = register(ids[0], 0, "2026-11-04 09:00");
    t.set("2026-11-04 09:30");
    t.app
        .transition_complaint(k2.id, &step(ComplaintState::InProgress))
        .unwrap();
    t.set("2026-11-04 13:00");
    t.app
        .resolve_complaint(
            k2.id,
            &ResolveInput {
                resolution: "ok".into(),
                ..Default::default()
            },
        )
        .unwrap();
    t.app
        .close_complaint(
            k2.id,
            &CloseInput {
                satisfaction: Some(4),
                accepted: Some(true),
                ..Default::default()
            },
        )
        .unwrap();

    // K3 at 23:30 on the period's last day counts; K4 ten minutes after midnight does not.
    t.set("2026-11-16 09:00");
    register(ids[1], 1, "2026-11-15 23:30");
    register(ids[2], 1, "2026-11-16 00:10");
    // One complaint in October, for the comparison.
    register(ids[3], 1, "2026-10-20 10:00");

    t.set("2026-11-16 09:05");
    let q = custom("2026-11-01", "2026-11-15");
    let dash = t.app.dashboard(&q).unwrap();
    let c = &dash.complaints;
    // K1, K2, K3 received in the period; 3 per 5 active customers = 60 per 100.
    assert_eq!(c.count, 3);
    assert_eq!(c.active_customers, 5);
    assert_eq!(c.rate, Some(60.0));
    // The 15 days before: 17–31 October, with the one October complaint.
    assert_eq!(
        dash.previous,
        Period {
            from: d("2026-10-17"),
            to: d("2026-10-31")
        }
    );
    assert_eq!(c.previous_count, 1);
    assert_eq!(c.previous_rate, Some(20.0));
    // The first category has K1 and K2; the second K3 (K4 is outside).
    let bar = |key: i64| c.by_category.iter().find(|b| b.key == key.to_string()).unwrap().count;
    assert_eq!((bar(categories[0].id), bar(categories[1].id)), (2, 1));
    // Responses: 90 and 30 minutes → median 60, p90 (rank 2 of 2) 90. Resolutions: 540 and
    // 240 → median 390.
    assert_eq!((c.response_time.median, c.response_time.p90), (Some(60.0), Some(90.0)));
    assert_eq!(c.resolution_time.median, Some(390.0));
    // Both answered and resolved within their default deadlines; K3's are still running.
    assert_eq!((c.response_met.count, c.response_met.of), (2, 2));
    assert_eq!(c.response_met.percent, Some(100.0));
    // Customer 甲 complained twice.
    assert_eq!(c.repeat_customers, 1);
    // Scores at closing: 2 and 4 → average 3, one 2 and one 4.
    let s = &dash.satisfaction;
    assert_eq!((s.n, s.average), (2, Some(3.0)));
    assert_eq!(s.distribution, [0, 1, 0, 1, 0]);
    assert_eq!(s.lowest.len(), 1, "the 2 is among the lowest recent scores");

    // The records behind the category bar, and behind the score of 2.
    let drill = |kind, by: &str, key: String| {
        t.app
            .review_drill(&Drill {
                query: q.clone(),
                kind,
                by: by.into(),
                key,
            })
            .unwrap()
    };
    let page = drill(DrillKind::Complaints, "category", categories[0].id.to_string());
    assert_eq!(page.total, 2);
    assert_eq!(page.rows[0].title, k2.serial, "newest first");
    let page = drill(DrillKind::Scores, "score", "2".into());
    assert_eq!((page.total, page.rows[0].id), (1, k1.id));

    // Churn: 丙 lost on 10 Nov. Active at the start (end of 31 Oct) = 5 → 20 per 100.
    t.app
        .mark_lost(
            ids[2],
            &frontdesk::churn::ChurnInput {
                lost_on: "2026-11-10".into(),
                churn_type: Some(frontdesk::churn::ChurnType::Competitor),
                reason_id: Some(t.app.churn_reasons().unwrap()[0].id),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    let dash = t.app.dashboard(&q).unwrap();
    assert_eq!(dash.churn.lost, 1);
    assert_eq!(dash.churn.rate, Some(20.0));
    // She is not active at the period's end: 3 complaints per 4 active customers.
    assert_eq!(dash.complaints.active_customers, 4);
    assert_eq!(dash.complaints.rate, Some(75.0));

    // An empty period: no complaints, no scores, rates over an empty base are empty.
    let empty = t.app.dashboard(&custom("2026-08-01", "2026-08-31")).unwrap();
    assert_eq!(empty.complaints.count, 0);
    assert_eq!(empty.complaints.rate, None, "no active customers yet: no rate");
    assert_eq!(empty.satisfaction.average, None);
    assert_eq!(empty.complaints.response_met.percent, None);

    // A period the wrong way round, or not a date, is a field error.
    let e = t.app.dashboard(&custom("2026-11-15", "2026-11-01")).unwrap_err();
    assert_eq!((e.kind(), e.fields()[0].code), ("invalid", "before_from"));
    let e = t.app.dashboard(&custom("2026-11-31", "x")).unwrap_err();
    assert_eq!(e.fields().len(), 2);
}

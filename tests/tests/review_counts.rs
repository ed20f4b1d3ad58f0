//! The dashboard's day counts of return visits (kept by triggers in the same transaction as
//! each write) always equal the direct count over the visits: after random plans,
//! outcomes, corrections, reschedules, cancellations and tier changes, for every period and
//! filter tried, and again after the machine's time zone is said to have changed.

use std::collections::HashMap;

use chrono::NaiveDate;
use frontdesk::customers::{CustomerInput, Tier};
use frontdesk::kernel::time::local_to_ts;
use frontdesk::review::figures::ScoreGroup;
use frontdesk::review::repo::{self, Filters, VisitGroup};
use frontdesk::visits::{OutcomeCorrection, OutcomeInput, Retry, VisitInput};
use frontdesk_tests::{customer, Clocked};

const STAFF: [&str; 3] = ["", "王芳", "李娜"];
const TIERS: [Tier; 4] = [Tier::Vip, Tier::Major, Tier::Regular, Tier::Small];

/// A small deterministic random source (the same walk on every run).
struct Walk(u64);

impl Walk {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn day_start(day: NaiveDate) -> String {
    local_to_ts(day.and_hms_opt(0, 0, 0).unwrap())
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

fn key_g(g: &VisitGroup) -> (String, bool, bool, bool, usize) {
    (g.staff.clone(), g.done, g.reached, g.on_time, g.n)
}

/// Direct groups come back one per (staff, done, reached, on time) already; summed anyway.
fn merge_groups(v: Vec<VisitGroup>) -> Vec<(String, bool, bool, bool, usize)> {
    let mut m: HashMap<(String, bool, bool, bool), usize> = HashMap::new();
    for g in &v {
        let (s, a, b, c, n) = key_g(g);
        *m.entry((s, a, b, c)).or_default() += n;
    }
    sorted(
        m.into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|((s, a, b, c), n)| (s, a, b, c, n))
            .collect(),
    )
}

fn key_s(v: Vec<ScoreGroup>) -> Vec<(bool, String, String, String, i64, usize)> {
    let mut m: HashMap<(bool, String, String, String, i64), usize> = HashMap::new();
    for g in v {
        *m.entry((g.current, g.month, g.tier, g.staff, g.score)).or_default() += g.n;
    }
    sorted(
        m.into_iter()
            .map(|((c, mo, t, s, sc), n)| (c, mo, t, s, sc, n))
            .collect(),
    )
}

/// Every period and filter tried: the counts from the triggers equal the direct ones.
fn check(t: &Clocked, when: &str) -> usize {
    let outside = t.outside();
    let conn = outside.db();
    let tiers: HashMap<i64, &'static str> = conn
        .query("SELECT id, tier FROM customers", &[])
        .unwrap()
        .into_iter()
        .map(|r| {
            let (id, tier): (i64, String) = (r.get(0).unwrap(), r.get(1).unwrap());
            (id, TIERS.iter().find(|x| x.as_str() == tier).map_or("", |x| x.as_str()))
        })
        .collect();
    let tier_of = |id: i64| tiers.get(&id).copied();
    let periods = [
        ("2026-10-01", "2026-10-31", "2026-11-30"),
        ("2026-11-01", "2026-11-15", "2026-11-30"),
        ("2026-11-14", "2026-11-14", "2026-11-14"),
        ("2025-12-01", "2026-06-01", "2027-03-31"),
    ];
    let mut seen = 0;
    for (from, split, to) in periods {
        for tier in [None, Some("vip"), Some("regular")] {
            for staff in [None, Some("王芳"), Some("")] {
                let f = Filters {
                    tier: tier.map(str::to_string),
                    staff: staff.map(str::to_string),
                    ..Default::default()
                };
                let kept = merge_groups(repo::visit_groups(conn, split, to, &f).unwrap());
                let direct = merge_groups(repo::visit_groups_direct(conn, split, to, &f, &tier_of).unwrap());
                assert_eq!(
                    kept, direct,
                    "{when}: visits due {split}..{to}, tier {tier:?}, staff {staff:?}"
                );
                let end = day_start(d(to).succ_opt().unwrap());
                let kept = key_s(repo::visit_scores(conn, from, split, to, &f).unwrap());
                let direct = key_s(
                    repo::visit_scores_direct(conn, &day_start(d(from)), &day_start(d(split)), &end, &f, &tier_of)
                        .unwrap(),
                );
                assert_eq!(
                    kept, direct,
                    "{when}: scores {from}..{to} from {split}, tier {tier:?}, staff {staff:?}"
                );
                seen += kept.iter().map(|g| g.5).sum::<usize>();
            }
        }
    }
    seen
}

#[test]
fn the_day_counts_equal_the_direct_count_after_random_writes() {
    let t = Clocked::new("2026-11-02 09:00");
    let mut ids = Vec::new();
    let mut inputs: Vec<CustomerInput> = Vec::new();
    for (n, tier) in TIERS.iter().cycle().take(8).enumerate() {
        let mut c = customer(&format!("顾客{n}"), &[&format!("1391234{n:04}")]);
        c.tier = Some(*tier);
        ids.push(t.app.create_customer(&c).unwrap().id);
        inputs.push(c);
    }
    // A bulk load (the bench's and the demo's way in) is counted too.
    t.app
        .insert_visits_bulk(&[(ids[0], d("2026-10-20"), true), (ids[1], d("2026-11-10"), false)])
        .unwrap();

    let mut walk = Walk(2026);
    let mut visits: Vec<i64> = Vec::new();
    let mut done: Vec<i64> = Vec::new();
    let days: Vec<NaiveDate> = (0..75).map(|i| d("2026-10-10") + chrono::Days::new(i)).collect();
    for step in 0..400 {
        match walk.next(10) {
            0..=2 => {
                let due = days[walk.next(days.len())];
                let v = t
                    .app
                    .plan_visit(&VisitInput {
                        customer_id: ids[walk.next(ids.len())],
                        due_date: due.to_string(),
                        due_time: ["", "09:30", "23:30"][walk.next(3)].into(),
                        staff: STAFF[walk.next(3)].into(),
                        ..Default::default()
                    })
                    .unwrap();
                visits.push(v.id);
            }
            3..=4 if !visits.is_empty() => {
                // Done on its day, the day after, or late in the evening (the local day's edge).
                let id = visits.swap_remove(walk.next(visits.len()));
                let due = d(&t.app.get_visit(id).unwrap().due_date);
                let at = due + chrono::Days::new(walk.next(2) as u64);
                t.set(&format!("{at} {}", ["10:15", "23:55", "00:05"][walk.next(3)]));
                let reached = walk.next(4) > 0;
                t.app
                    .record_outcome(
                        id,
                        &OutcomeInput {
                            reached,
                            satisfaction: reached.then(|| 1 + walk.next(5) as u8),
                            retry: (!reached).then_some(Retry::Tomorrow),
                            notes: String::new(),
                            next_step: String::new(),
                            next_visit: None,
                        },
                    )
                    .unwrap();
                if reached {
                    done.push(id);
                } else {
                    // Not reached: tried again tomorrow (the same visit, planned again).
                    visits.push(id);
                }
            }
            5 if !visits.is_empty() => {
                let id = visits[walk.next(visits.len())];
                let date = days[walk.next(days.len())].to_string();
                t.set("2026-10-09 09:00");
                t.app
                    .reschedule_visit(
                        id,
                        &Retry::On {
                            date,
                            time: String::new(),
                        },
                    )
                    .unwrap();
            }
            6 if !visits.is_empty() => {
                let id = visits.swap_remove(walk.next(visits.len()));
                t.app.cancel_visit(id).unwrap();
            }
            7 if !done.is_empty() => {
                let id = done[walk.next(done.len())];
                t.app
                    .correct_outcome(
                        id,
                        &OutcomeCorrection {
                            satisfaction: [None, Some(1), Some(5)][walk.next(3)],
                            notes: "改正".into(),
                            next_step: String::new(),
                        },
                    )
                    .unwrap();
            }
            8 | 9 => {
                // A customer moves to another tier: their visits and scores move with them.
                let k = walk.next(ids.len());
                inputs[k].tier = Some(TIERS[walk.next(4)]);
                t.app.update_customer(ids[k], &inputs[k]).unwrap();
            }
            _ => {}
        }
        if step % 50 == 49 {
            check(&t, &format!("after step {step}"));
        }
    }
    let scores = check(&t, "at the end");
    assert!(scores > 50, "the walk gave scores to compare ({scores})");
    assert!(done.len() > 30, "the walk completed visits ({})", done.len());
}

#[test]
fn the_day_counts_are_made_again_when_the_time_zone_changed() {
    let t = Clocked::new("2026-11-02 09:00");
    let id = t.app.create_customer(&customer("王建国", &["13912345678"])).unwrap().id;
    t.app
        .insert_visits_bulk(&[(id, d("2026-11-01"), true), (id, d("2026-11-02"), false)])
        .unwrap();
    let before = check(&t, "before");
    {
        // As if counted under other rules: wrong counts, and another zone's mark.
        t.outside()
            .db()
            .batch(
                "UPDATE review_visit_days SET n = n + 7; UPDATE review_visit_scores SET day = '2026-10-31';
             UPDATE settings SET value = 'another zone' WHERE key = 'review_zone';",
            )
            .unwrap();
    }
    let t = t.reopen();
    assert_eq!(check(&t, "after reopening"), before);
    assert!(before > 0);
}

//! Arrivals (bookings and walk-ins) through the store seam: booking, changing, marking,
//! the day's board with stays, a resource's bookings, the guests' facts, the counts and the
//! export's stream, the same on the desk's file and on the shared database.

use chrono::NaiveDate;
use frontdesk::arrivals::model::{Booking, BookingState};
use frontdesk::arrivals::repo::{self, CountRow, NewBooking};
use frontdesk::customers::dates::{Calendar, SpecialDate};
use frontdesk::customers::{repo as customers, rules as customer_rules};
use frontdesk::kernel::recurrence::{Repeat, RepeatUnit};
use frontdesk::store::db::Db;
use frontdesk::visits::model::{Channel, Purpose};
use frontdesk::visits::repo::{self as visits, Completion, NewVisit};
use frontdesk_tests::customer;
use frontdesk_tests::server::{on_both_stores, TempDatabase};

const NOW: &str = "2026-12-06T09:30:00.000Z";

/// A guest's facts as the board shows them.
type Facts = (
    i64,
    Option<String>,
    usize,
    Option<u8>,
    Option<(String, String)>,
    Option<(u32, u32)>,
);

#[derive(Debug, PartialEq)]
struct Seen {
    day: Vec<Booking>,
    room: Vec<Booking>,
    history: Vec<Booking>,
    booked: Vec<i64>,
    soon: Vec<i64>,
    lineage: (Option<String>, u32),
    arrival_days: Vec<(i64, NaiveDate)>,
    came: Vec<NaiveDate>,
    direct: Vec<CountRow>,
    facts: Vec<Facts>,
    exported: Vec<(i64, String)>,
}

fn booking(who: i64, date: &str, time: Option<&str>, resource: &str) -> NewBooking {
    NewBooking {
        customer_id: who,
        date: date.into(),
        time: time.map(str::to_string),
        party: 2,
        what: "晚餐".into(),
        resource: resource.into(),
        staff: "小王".into(),
        notes: "靠窗".into(),
        ..NewBooking::default()
    }
}

fn arrivals_story(db: Db<'_>) -> Seen {
    let mut input = customer("欧阳晓梅", &["186 5550 7321"]);
    input.birthday = Some(SpecialDate {
        calendar: Calendar::Lunar,
        year: None,
        month: 8,
        day: 15,
        leap_month: false,
    });
    let valid = customer_rules::validate(&input).unwrap();
    let guest = customers::insert_customer(db, &valid, &customers::search_fields(&valid), NOW).unwrap();
    let walk = customer_rules::validate(&customer("散客", &[])).unwrap();
    let walker = customers::insert_customer(db, &walk, &customers::search_fields(&walk), NOW).unwrap();

    // She came on the 1st and on the 3rd, stays in room 8 from the 5th to the 8th, has
    // dinner booked at 19:00 on the 6th (weekly), and cancelled lunch on the 6th.
    let first = repo::insert_booking(
        db,
        &booking(guest, "2026-12-01", Some("12:00"), ""),
        BookingState::Arrived,
        Some("2026-12-01T04:05:00.000Z"),
        NOW,
    )
    .unwrap();
    let mut third = booking(guest, "2026-12-03", None, "");
    third.notes = "生日".into();
    repo::insert_booking(db, &third, BookingState::Arrived, Some(NOW), NOW).unwrap();
    let mut stay = booking(guest, "2026-12-05", None, "8号房");
    stay.end_date = Some("2026-12-08".into());
    let stay = repo::insert_booking(db, &stay, BookingState::Booked, None, NOW).unwrap();
    let mut dinner = booking(guest, "2026-12-06", Some("18:00"), "A桌");
    dinner.repeat = Some(Repeat {
        unit: RepeatUnit::Week,
        every: 1,
    });
    let dinner = repo::insert_booking(db, &dinner, BookingState::Booked, None, NOW).unwrap();
    let mut moved = booking(guest, "2026-12-06", Some("19:00"), "A桌");
    moved.repeat = Some(Repeat {
        unit: RepeatUnit::Week,
        every: 1,
    });
    repo::update_booking(db, dinner, &moved, NOW).unwrap();
    let lunch = repo::insert_booking(
        db,
        &booking(guest, "2026-12-06", Some("12:00"), ""),
        BookingState::Booked,
        None,
        NOW,
    )
    .unwrap();
    repo::set_state(db, lunch, BookingState::Cancelled, None, "weather", NOW).unwrap();
    let mut walk_in = booking(walker, "2026-12-06", Some("11:00"), "");
    walk_in.walk_in = true;
    repo::insert_booking(db, &walk_in, BookingState::Arrived, Some(NOW), NOW).unwrap();
    assert!(first < stay && stay < dinner && dinner < lunch, "ids rise");
    assert!(repo::get_booking(db, lunch + 1000).is_err(), "no such booking");
    assert_eq!(repo::get_booking(db, dinner).unwrap().time.as_deref(), Some("19:00"));

    // A scored return visit and an open complaint-free record for the board's card.
    let v = visits::insert_visit(
        db,
        &NewVisit::new(guest, Channel::Phone, Purpose::Satisfaction, "2026-12-02".into()),
        NOW,
    )
    .unwrap();
    visits::complete_visit(
        db,
        v,
        &Completion {
            notes: "",
            satisfaction: Some(5),
            next_step: "",
        },
        NOW,
    )
    .unwrap();

    let mut exported = Vec::new();
    repo::for_each_booking(db, |b, phone| {
        exported.push((b.id, phone));
        Ok(())
    })
    .unwrap();
    let facts = repo::guest_facts(db, &[guest, walker], "2026-12-06")
        .unwrap()
        .into_iter()
        .map(|f| {
            (
                f.customer_id,
                f.phone,
                f.open_complaints,
                f.last_satisfaction,
                f.last_visit,
                f.birthday.map(|b| (b.month, b.day)),
            )
        })
        .collect::<Vec<_>>();
    let mut facts = facts;
    facts.sort();
    let mut booked = repo::customers_booked_on(db, "2026-12-06").unwrap();
    booked.sort();
    let mut soon: Vec<i64> = repo::list_booked_between(db, "2026-12-05", "2026-12-06")
        .unwrap()
        .iter()
        .map(|b| b.id)
        .collect();
    soon.sort();
    repo::erase_for_customer(db, walker).unwrap();
    Seen {
        day: repo::list_day(db, "2026-12-06").unwrap(),
        room: repo::list_resource_between(db, "A桌", "2026-12-01", "2026-12-31").unwrap(),
        history: repo::list_customer_bookings(db, guest).unwrap(),
        booked,
        soon,
        lineage: repo::get_lineage(db, dinner).unwrap(),
        arrival_days: repo::list_arrival_days(db).unwrap(),
        came: repo::customer_arrival_days(db, guest).unwrap(),
        direct: repo::day_counts_direct(db, "2026-12-01", "2026-12-31").unwrap(),
        facts,
        exported,
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: `cargo xtask test` starts one"]
fn bookings_and_arrivals_read_alike_on_the_desk_file_and_the_server() {
    let pg = TempDatabase::new();
    let (on_desk, on_server) = on_both_stores(&pg, arrivals_story);
    assert_eq!(on_server, on_desk);

    let s = on_server;
    let day: Vec<(String, Option<String>)> = s.day.iter().map(|b| (b.date.clone(), b.time.clone())).collect();
    assert_eq!(
        day,
        [
            ("2026-12-05".to_string(), None),
            ("2026-12-06".to_string(), Some("11:00".to_string())),
            ("2026-12-06".to_string(), Some("12:00".to_string())),
            ("2026-12-06".to_string(), Some("19:00".to_string())),
        ],
        "the stay running over the day first, then the day's bookings by time"
    );
    assert_eq!(s.room.len(), 1, "the moved dinner is A桌's only booking");
    assert_eq!(s.history[0].date, "2026-12-06");
    assert_eq!(s.history.last().map(|b| b.date.as_str()), Some("2026-12-01"));
    assert_eq!(s.history.len(), 5);
    assert_eq!(
        s.booked.len(),
        2,
        "the guest and the walk-in; the cancelled lunch does not count"
    );
    assert_eq!(s.soon.len(), 2, "the stay and the dinner are still booked");
    assert_eq!(s.lineage.1, 0);
    assert_eq!(s.arrival_days.len(), 3);
    assert_eq!(
        s.came,
        [
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
        ]
    );
    assert!(s
        .direct
        .contains(&("2026-12-06".into(), 19, "booked".into(), "".into(), 1)));
    assert!(s
        .direct
        .contains(&("2026-12-05".into(), -1, "booked".into(), "".into(), 1)));
    assert!(s
        .direct
        .contains(&("2026-12-06".into(), 12, "cancelled".into(), "weather".into(), 1)));
    let guest = &s.facts[0];
    assert_eq!(guest.1.as_deref(), Some("186 5550 7321"));
    assert_eq!(guest.3, Some(5), "the last score given");
    assert_eq!(
        guest.4,
        Some(("2026-12-03".to_string(), "生日".to_string())),
        "the last arrival before the day, with its notes"
    );
    assert_eq!(guest.5, Some((8, 15)), "the lunar birthday");
    assert_eq!(s.facts[1].1, None, "the walk-in has no phone");
    assert_eq!(s.exported.len(), 6);
    assert_eq!(s.exported[0].1, "186 5550 7321");
    let walk_in = s.day.iter().find(|b| b.walk_in).expect("the walk-in on the board");
    assert_eq!(walk_in.notes, "", "erased with its customer");
}

//! Property tests: the customer search index against a naive filter over random customers
//! and queries, and business-time arithmetic (adding, measuring, pausing) over random
//! weekly schedules and holidays.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike};
use proptest::prelude::*;
use proptest::sample::Index;

use frontdesk::complaints::business::{DayHours, Schedule};
use frontdesk::complaints::{ComplaintInput, ComplaintSettings, ComplaintState, Severity, TransitionInput};
use frontdesk::customers::search::{self, CustomerIndex, IndexEntry, QueryContext};
use frontdesk::customers::{ListQuery, SortBy, Tier};
use frontdesk::visits::TierCadences;
use frontdesk_tests::{customer, Clocked};

/// The customer search index returns exactly what a naive filter over the same customers
/// finds, whatever the order the index was built, extended and edited in.
mod search_index {
    use super::*;

    const SURNAMES: &[&str] = &["张", "王", "李", "曾", "单", "欧阳", "乐", "长"];
    const GIVEN: &[&str] = &["伟", "芳", "娜", "晓", "梅", "行", "重", "明", "乐", "单"];
    const LATIN: &[&str] = &["Anna", "Lee", "ZHANG", "Wei", "Müller", "Zoë", "O'Brien", "li"];
    const NOTES: &[&str] = &[
        "靠窗",
        "不吃蒜",
        "VIP 包间",
        "allergic to Peanuts",
        "喜欢乐队",
        "行李多",
        "zw 138",
        "",
    ];
    const TAGS: &[&str] = &["会员", "VIP", "Wedding", "常客", "vip"];
    const COMPANIES: &[&str] = &["", "红灯笼酒店", "Acme Ltd", "单位", "Zhang & Co"];

    /// One customer as the form gives it (after validation).
    #[derive(Debug, Clone)]
    pub struct Cust {
        name: String,
        phones: Vec<String>,
        company: String,
        tags: Vec<String>,
        notes: String,
        wechat: String,
        email: String,
        tier: Tier,
        archived: bool,
        updated: u32,
    }

    fn pick(list: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop::sample::select(list).prop_map(str::to_string)
    }

    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => (pick(SURNAMES), prop::collection::vec(pick(GIVEN), 1..3)).prop_map(|(s, g)| s + &g.concat()),
            1 => prop::collection::vec(pick(LATIN), 1..3).prop_map(|w| w.join(" ")),
            1 => (pick(SURNAMES), pick(LATIN)).prop_map(|(s, l)| format!("{s} {l}")),
        ]
    }

    /// A phone as typed: digits, sometimes grouped with spaces or dashes, sometimes `+86`.
    fn phone() -> impl Strategy<Value = String> {
        (prop::collection::vec(0u8..10, 5..12), 0u8..4).prop_map(|(d, style)| {
            let digits: String = d.iter().map(|x| char::from(b'0' + x)).collect();
            let grouped = |sep: &str| {
                digits
                    .as_bytes()
                    .chunks(4)
                    .map(|c| std::str::from_utf8(c).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(sep)
            };
            match style {
                0 => digits,
                1 => grouped("-"),
                2 => grouped(" "),
                _ => format!("+86 {}", grouped(" ")),
            }
        })
    }

    fn cust() -> impl Strategy<Value = Cust> {
        (
            name(),
            prop::collection::vec(phone(), 0..3),
            pick(COMPANIES),
            prop::collection::btree_set(pick(TAGS), 0..3),
            pick(NOTES),
            prop::sample::select(&["", "wx_zhang", "lee88"][..]),
            prop::sample::select(&["", "anna@example.cn", "ZW@Acme.com"][..]),
            prop::sample::select(Tier::ALL),
            prop::bool::weighted(0.2),
            0u32..1000,
        )
            .prop_map(
                |(name, phones, company, tags, notes, wechat, email, tier, archived, updated)| Cust {
                    name,
                    phones,
                    company,
                    tags: tags.into_iter().collect(),
                    notes,
                    wechat: wechat.to_string(),
                    email: email.to_string(),
                    tier,
                    archived,
                    updated,
                },
            )
    }

    /// What the store hands the index for a customer (see `customers::repo`).
    fn entry(id: i64, c: &Cust) -> IndexEntry {
        IndexEntry {
            id,
            tier: c.tier,
            archived: c.archived,
            tags: c.tags.iter().map(|t| t.to_lowercase()).collect(),
            name_key: search::name_key(&c.name),
            updated_at: format!(
                "2026-11-{:02}T10:{:02}:00.000Z",
                1 + c.updated / 60 % 28,
                c.updated % 60
            ),
            search_text: search::search_text(&c.name),
            search_other: search::search_other(&c.phones, &c.company, &c.tags, &c.notes, &c.wechat, &c.email),
            created_date: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
            last_contact: None,
            next_visit: None,
            last_visit: None,
            cadence_ideal_days: None,
            cadence_max_days: None,
            lost: false,
        }
    }

    /// Every field a customer is found by, each normalised on its own: the name (lower
    /// case), its full pinyin and initials, each phone's digits, and the other texts.
    fn fields(c: &Cust) -> Vec<String> {
        let (full, initials) = search::pinyin_keys(&c.name);
        let mut f = vec![c.name.trim().to_lowercase(), full, initials];
        f.extend(c.phones.iter().map(|p| search::phone_digits(p)));
        f.extend([&c.company, &c.notes, &c.wechat, &c.email].map(|s| s.to_lowercase()));
        f.extend(c.tags.iter().map(|t| t.to_lowercase()));
        f
    }

    /// The naive filter: a customer matches when each query term is inside one field.
    fn naive(custs: &BTreeMap<i64, Cust>, q: &ListQuery) -> Vec<i64> {
        let terms = search::query_terms(&q.q);
        let tag = q
            .tag
            .as_ref()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty());
        custs
            .iter()
            .filter(|(_, c)| {
                let f = fields(c);
                c.archived == q.archived
                    && q.tier.is_none_or(|t| t == c.tier)
                    && tag
                        .as_ref()
                        .is_none_or(|t| c.tags.iter().any(|x| x.to_lowercase() == *t))
                    && terms.iter().all(|t| f.iter().any(|x| x.contains(t.as_str())))
            })
            .map(|(id, _)| *id)
            .collect()
    }

    /// How a query is made: a piece of one customer's field, the end of one field joined
    /// to the start of the next (never a match: fields are separate), two pieces, or noise.
    #[derive(Debug, Clone)]
    pub enum Q {
        Piece {
            who: Index,
            field: Index,
            from: Index,
            len: usize,
            upper: bool,
        },
        Across {
            who: Index,
            field: Index,
            len: usize,
        },
        Two(Box<Q>, Box<Q>),
        Noise(String),
    }

    fn piece() -> impl Strategy<Value = Q> {
        (any::<Index>(), any::<Index>(), any::<Index>(), 1usize..6, any::<bool>()).prop_map(
            |(who, field, from, len, upper)| Q::Piece {
                who,
                field,
                from,
                len,
                upper,
            },
        )
    }

    fn query() -> impl Strategy<Value = Q> {
        prop_oneof![
            6 => piece(),
            2 => (any::<Index>(), any::<Index>(), 1usize..4).prop_map(|(who, field, len)| Q::Across { who, field, len }),
            2 => (piece(), piece()).prop_map(|(a, b)| Q::Two(Box::new(a), Box::new(b))),
            2 => prop::collection::vec(prop::sample::select(&['张', '王', '伟', 'z', 'w', 'l', 'i', 'a', '1', '3', '8', ' ', '-'][..]), 1..5)
                .prop_map(|c| Q::Noise(c.into_iter().collect())),
        ]
    }

    /// The raw texts a piece may come from: the field as typed or as normalised.
    fn sources(c: &Cust) -> Vec<String> {
        let mut s = fields(c);
        s.push(c.name.clone());
        s.extend(c.phones.iter().cloned());
        s
    }

    fn resolve(q: &Q, custs: &[&Cust]) -> String {
        match q {
            Q::Piece {
                who,
                field,
                from,
                len,
                upper,
            } => {
                let src = sources(custs[who.index(custs.len())]);
                let chars: Vec<char> = src[field.index(src.len())].chars().collect();
                if chars.is_empty() {
                    return String::new();
                }
                let start = from.index(chars.len());
                let s: String = chars[start..(start + len).min(chars.len())].iter().collect();
                if *upper {
                    s.to_uppercase()
                } else {
                    s
                }
            }
            Q::Across { who, field, len } => {
                let f = fields(custs[who.index(custs.len())]);
                let i = field.index(f.len() - 1);
                let a: Vec<char> = f[i].chars().collect();
                let tail: String = a[a.len().saturating_sub(*len)..].iter().collect();
                let head: String = f[i + 1].chars().take(*len).collect();
                tail + &head
            }
            Q::Two(a, b) => format!("{} {}", resolve(a, custs), resolve(b, custs)),
            Q::Noise(s) => s.clone(),
        }
    }

    fn ctx() -> QueryContext {
        QueryContext {
            today: NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
            cadences: TierCadences::default(),
        }
    }

    #[derive(Debug, Clone)]
    pub struct Filters {
        tier: Option<Tier>,
        tag: Option<String>,
        archived: bool,
        sort: SortBy,
        desc: bool,
        offset: usize,
        limit: usize,
    }

    fn filters() -> impl Strategy<Value = Filters> {
        let sorts = [
            SortBy::Relevance,
            SortBy::Name,
            SortBy::Created,
            SortBy::Updated,
            SortBy::NextVisit,
            SortBy::LastContact,
        ];
        (
            prop::option::weighted(0.3, prop::sample::select(Tier::ALL)),
            prop::option::weighted(
                0.3,
                prop::sample::select(&["会员", " VIP ", "wedding", "常客", "nobody"][..]).prop_map(str::to_string),
            ),
            prop::bool::weighted(0.2),
            prop::sample::select(sorts.to_vec()),
            any::<bool>(),
            0usize..8,
            1usize..8,
        )
            .prop_map(|(tier, tag, archived, sort, desc, offset, limit)| Filters {
                tier,
                tag,
                archived,
                sort,
                desc,
                offset,
                limit,
            })
    }

    /// Customers with strictly increasing ids (gaps allowed), how many the index is built
    /// with, the order the rest are added in, edits to existing ones, and queries.
    type Scenario = (
        Vec<(i64, Cust)>,
        usize,
        Vec<usize>,
        Vec<(Index, Cust)>,
        Vec<(Q, Filters)>,
    );

    fn scenario() -> impl Strategy<Value = Scenario> {
        prop::collection::vec((1i64..4, cust()), 1..30).prop_flat_map(|v| {
            let mut id = 0;
            let custs: Vec<(i64, Cust)> = v
                .into_iter()
                .map(|(gap, c)| {
                    id += gap;
                    (id, c)
                })
                .collect();
            let n = custs.len();
            (
                Just(custs),
                0..=n,
                Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
                prop::collection::vec((any::<Index>(), cust()), 0..12),
                prop::collection::vec((query(), filters()), 1..12),
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]

        #[test]
        fn index_finds_exactly_what_a_naive_filter_finds(
            (custs, built, order, edits, queries) in scenario()
        ) {
            // Build from some, add the others in a random order (an id below the last
            // one rebuilds), then edit (old text retired, compaction now and then).
            let first: Vec<usize> = order[..built].to_vec();
            let mut ix = CustomerIndex::build(first.iter().map(|&i| entry(custs[i].0, &custs[i].1)).collect());
            let mut state: BTreeMap<i64, Cust> = first.iter().map(|&i| custs[i].clone()).collect();
            for &i in &order[built..] {
                ix.upsert(entry(custs[i].0, &custs[i].1));
                state.insert(custs[i].0, custs[i].1.clone());
            }
            for (who, c) in &edits {
                let id = custs[who.index(custs.len())].0;
                ix.upsert(entry(id, c));
                state.insert(id, c.clone());
            }
            prop_assert_eq!(ix.len(), state.len());
            let all: Vec<&Cust> = state.values().collect();
            for (q, f) in &queries {
                let q = ListQuery {
                    q: resolve(q, &all),
                    tier: f.tier,
                    tag: f.tag.clone(),
                    archived: f.archived,
                    sort: f.sort,
                    desc: f.desc,
                    ..Default::default()
                };
                let want = naive(&state, &q);
                let hits = ix.query(&q, 10_000, &ctx());
                prop_assert_eq!(hits.total, want.len(), "total for {:?}", q);
                let got: BTreeSet<i64> = hits.ids.iter().copied().collect();
                prop_assert_eq!(got.len(), hits.ids.len(), "an id listed twice for {:?}", q);
                prop_assert_eq!(&got, &want.iter().copied().collect::<BTreeSet<i64>>(), "ids for {:?}", q);

                // Where the order is defined without the index, the page is that order's slice.
                let key = |id: &i64| {
                    let c = &state[id];
                    match q.sort {
                        SortBy::Name => (search::name_key(&c.name), String::new()),
                        SortBy::Updated => (entry(*id, c).updated_at, String::new()),
                        _ => (String::new(), String::new()),
                    }
                };
                let mut order: Vec<i64> = want.clone();
                order.sort_by_key(|id| (key(id), *id));
                if q.desc {
                    order.reverse();
                }
                if matches!(q.sort, SortBy::Name | SortBy::Updated | SortBy::Created) {
                    prop_assert_eq!(&hits.ids, &order, "order for {:?}", q);
                    let paged = ListQuery { offset: f.offset, ..q.clone() };
                    let page = ix.query(&paged, f.limit, &ctx());
                    let slice: Vec<i64> = order.iter().skip(f.offset).take(f.limit).copied().collect();
                    prop_assert_eq!(page.total, want.len());
                    prop_assert_eq!(page.ids, slice, "page of {:?}", paged);
                }
            }
        }
    }
}

/// Business-time arithmetic over random schedules: adding N business minutes and then
/// measuring gives back N, and a pause on the customer never brings a deadline forward.
mod business_time {
    use super::*;

    fn base() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("date")
    }

    fn nov2() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 2).expect("date")
    }

    fn hhmm(m: u32) -> String {
        format!("{:02}:{:02}", m / 60, m % 60)
    }

    /// Opening hours of one day: closed, or open at least 30 minutes inside the day.
    fn day(earliest: u32, latest: u32) -> impl Strategy<Value = Option<DayHours>> {
        prop_oneof![
            1 => Just(None),
            3 => (earliest..latest - 30)
                .prop_flat_map(move |o| (Just(o), o + 30..=latest))
                .prop_map(|(o, c)| Some(DayHours { open: hhmm(o), close: hhmm(c) })),
        ]
    }

    /// A weekly schedule with at least one open day, and up to 40 holidays in the
    /// `holiday_days` from `from`.
    fn schedule(earliest: u32, latest: u32, from: NaiveDate, holiday_days: u64) -> impl Strategy<Value = Schedule> {
        (
            prop::array::uniform7(day(earliest, latest)).prop_filter("an open day", |w| w.iter().any(Option::is_some)),
            prop::collection::btree_set(0..holiday_days, 0..40),
        )
            .prop_map(move |(week, h)| Schedule {
                week,
                holidays: h.into_iter().map(|d| from + Days::new(d)).collect(),
            })
    }

    /// A local time within `days` of the base date, to the second.
    fn time(days: u64) -> impl Strategy<Value = NaiveDateTime> {
        (0..days, 0u32..86_400).prop_map(|(d, s)| {
            (base() + Days::new(d)).and_time(NaiveTime::from_num_seconds_from_midnight_opt(s, 0).expect("time"))
        })
    }

    /// `t` as is (0), or moved to the opening (1) or the closing (2) of its day when the
    /// desk is open that day: the edges where off-by-one mistakes live.
    fn snap(s: &Schedule, t: NaiveDateTime, how: u8) -> NaiveDateTime {
        match (how, s.hours_on(t.date())) {
            (1, Some((o, _))) => t.date().and_time(o),
            (2, Some((_, c))) => t.date().and_time(c),
            _ => t,
        }
    }

    fn in_hours(s: &Schedule, t: NaiveDateTime) -> bool {
        s.hours_on(t.date())
            .is_some_and(|(o, c)| o <= t.time() && t.time() <= c)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn adding_then_measuring_gives_back_the_minutes(
            s in schedule(0, 1439, base(), 400),
            start in time(400),
            how in 0u8..3,
            n in 0i64..=3000,
            more in 0i64..=600,
        ) {
            let start = snap(&s, start, how);
            let end = s.add_minutes(start, n);
            prop_assert!(end >= start, "{} + {} = {}", start, n, end);
            if n == 0 {
                prop_assert_eq!(end, start, "no time added, no time moved");
            } else {
                prop_assert!(in_hours(&s, end), "{} + {} = {} is outside business hours", start, n, end);
            }
            prop_assert_eq!(s.minutes_between(start, end), n, "{} + {} = {}", start, n, end);
            prop_assert_eq!(s.minutes_between(end, start), 0);
            let later = s.add_minutes(start, n + more);
            prop_assert!(later >= end, "adding more ends earlier: {} < {}", later, end);
            prop_assert_eq!(s.minutes_between(end, later), more, "{} + {} then + {}", start, n, more);
        }

        /// Adding in two steps lands where adding at once does (a deadline moved by two
        /// pauses is where one pause of the same length would put it).
        #[test]
        fn adding_in_steps_lands_where_adding_at_once_does(
            s in schedule(0, 1439, base(), 400),
            start in time(400),
            how in 0u8..3,
            a in prop_oneof![Just(0i64), 0i64..=1500],
            b in prop_oneof![Just(0i64), 0i64..=1500],
        ) {
            let start = snap(&s, start, how);
            prop_assert_eq!(s.add_minutes(s.add_minutes(start, a), b), s.add_minutes(start, a + b), "{} + {} + {}", start, a, b);
        }

        /// The day-by-day timetable the manager's figures measure with gives what the
        /// schedule gives, inside its range and out of it.
        #[test]
        fn the_timetable_measures_as_the_schedule_does(
            s in schedule(0, 1439, base(), 400),
            a in time(400),
            b in time(400),
            how in 0u8..3,
            first in 0u64..200,
            len in 0u64..300,
        ) {
            let (a, b) = (snap(&s, a, how), snap(&s, b, 2 - how));
            let table = s.timetable(base() + Days::new(first), base() + Days::new(first + len));
            prop_assert_eq!(table.minutes_between(a, b), s.minutes_between(a, b), "{} → {}", a, b);
        }

        /// Measuring is additive for whole minutes (seconds are cut per day, so a split at
        /// a second inside a minute may lose one).
        #[test]
        fn measuring_is_additive(
            s in schedule(0, 1439, base(), 400),
            mut t in prop::collection::vec(time(400).prop_map(|t| t - TimeDelta::seconds(i64::from(t.second()))), 3),
        ) {
            t.sort();
            prop_assert_eq!(
                s.minutes_between(t[0], t[1]) + s.minutes_between(t[1], t[2]),
                s.minutes_between(t[0], t[2]),
                "{:?}", t
            );
        }

        /// Pauses as `resume_if_paused` applies them: the resolution deadline moves on by
        /// the business minutes waited. It never moves earlier, and in the end it lies
        /// exactly the total time waited after the original deadline.
        #[test]
        fn pauses_never_bring_a_deadline_forward(
            s in schedule(0, 1439, base(), 400),
            due in time(300),
            how in 0u8..3,
            start in time(300),
            pauses in prop::collection::vec((0i64..3000, 0i64..3000), 1..5),
        ) {
            let due = snap(&s, due, how);
            let mut deadline = due;
            let mut t = start;
            let mut total = 0;
            for (gap, wait) in pauses {
                let since = t + TimeDelta::minutes(gap);
                let now = since + TimeDelta::minutes(wait);
                let waited = s.minutes_between(since, now);
                let moved = s.add_minutes(deadline, waited);
                prop_assert!(moved >= deadline, "{} moved back to {} after waiting {}", deadline, moved, waited);
                deadline = moved;
                total += waited;
                t = now;
            }
            prop_assert_eq!(s.minutes_between(due, deadline), total);
        }
    }

    fn at_ts(ts: &Option<String>) -> NaiveDateTime {
        frontdesk::store::ts_to_local(ts.as_deref().expect("a deadline")).expect("a stored time")
    }

    fn clock(t: NaiveDateTime) -> String {
        t.format("%Y-%m-%d %H:%M").to_string()
    }

    proptest! {
        // Each case opens a real database: fewer cases.
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The same through the app: a complaint waits on the customer and resumes (twice);
        /// its resolution deadline never moves earlier and moves by exactly the business
        /// time waited; re-applying the same severity keeps it where the pauses put it.
        /// Hours stay between 06:00 and 22:00 and dates in November to February, clear of
        /// daylight-saving changes in the test's time zone.
        #[test]
        fn a_complaint_waiting_on_the_customer_never_gets_an_earlier_deadline(
            s in schedule(6 * 60, 22 * 60, nov2(), 120),
            received in (0u64..20, 6u32 * 60..22 * 60).prop_map(|(d, m)| {
                nov2().and_time(NaiveTime::MIN)
                    + Days::new(d) + TimeDelta::minutes(i64::from(m))
            }),
            severity in prop::sample::select(Severity::ALL),
            steps in prop::collection::vec(1i64..2000, 4),
        ) {
            let t = Clocked::new(&clock(received));
            let settings = ComplaintSettings { schedule: s.clone(), ..Default::default() };
            t.app.set_complaint_settings(&settings).unwrap();
            let c = t.app.create_customer(&customer("曾小单", &[])).unwrap();
            let c = t.app.register_complaint(&ComplaintInput {
                customer_id: Some(c.id),
                severity: Some(severity),
                summary: "房间太吵".into(),
                ..Default::default()
            }).unwrap();
            let original = at_ts(&c.resolution_due);
            let mut deadline = original;
            let mut now = received;
            let mut total = 0;
            for pair in steps.chunks(2) {
                now += TimeDelta::minutes(pair[0]);
                t.set(&clock(now));
                let since = now;
                t.app.transition_complaint(c.id, &TransitionInput {
                    to: ComplaintState::Waiting, note: String::new(), staff: String::new(), duplicate_of: String::new(),
                }).unwrap();
                now += TimeDelta::minutes(pair[1]);
                t.set(&clock(now));
                let back = t.app.transition_complaint(c.id, &TransitionInput {
                    to: ComplaintState::InProgress, note: String::new(), staff: String::new(), duplicate_of: String::new(),
                }).unwrap();
                let moved = at_ts(&back.resolution_due);
                let waited = s.minutes_between(since, now);
                prop_assert!(moved >= deadline, "{} moved back to {}", deadline, moved);
                prop_assert_eq!(s.minutes_between(deadline, moved), waited, "{} → {}", deadline, moved);
                deadline = moved;
                total += waited;
            }
            prop_assert_eq!(s.minutes_between(original, deadline), total);
            let again = t.app.set_complaint_severity(c.id, severity, "").unwrap();
            prop_assert_eq!(at_ts(&again.resolution_due), deadline, "same severity, same deadline");
        }
    }
}

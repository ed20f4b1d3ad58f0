//! Generated customers: the demo data offered to an empty database and the bench's 100,000.

use crate::customers::model::{Calendar, CustomerInput, Preference, PreferenceKind, Source, SpecialDate, Tier};

/// A small deterministic generator (SplitMix64): the same seed gives the same customers.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡", "欧阳", "司马", "诸葛",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
    "平", "刚", "桂英", "华", "建国", "晓明", "文", "欣", "宇", "浩然", "子涵", "梓萱", "一诺", "思远", "雨桐", "佳怡",
    "俊杰", "嘉怡", "志强", "海燕", "玉兰", "春梅", "晨", "琳", "鹏", "博", "婷", "雪", "颖", "斌", "凯",
];
const FIRST: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Susan",
    "Richard",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Karen",
    "Emma",
    "Oliver",
    "Sophie",
    "Lucas",
    "Anna",
    "Noah",
    "Mia",
    "Hannah",
    "Ethan",
    "Chloe",
    "Leo",
    "Grace",
];
const LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor", "Clark", "Lewis",
    "Walker", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Müller", "Schmidt", "Dubois",
    "Rossi", "Tanaka",
];
const COMPANIES: &[&str] = &[
    "",
    "",
    "",
    "华为技术有限公司",
    "阿里巴巴集团",
    "腾讯科技",
    "中国银行",
    "万科地产",
    "美团",
    "京东",
    "平安保险",
    "海尔集团",
    "北京新东方",
    "上海外国语大学",
    "Acme Trading Ltd",
    "Globex Corporation",
    "Initech GmbH",
    "Blue Harbor Hotels",
    "Summit Consulting",
    "Red Lantern Restaurant Group",
];
const TAGS: &[&str] = &[
    "会员",
    "常客",
    "企业客户",
    "婚宴",
    "生日宴",
    "团购",
    "外卖",
    "商务",
    "newsletter",
    "corporate",
    "wedding",
    "family",
    "expat",
    "online-booking",
];
const NOTES: &[&str] = &[
    "喜欢靠窗的座位",
    "每次来都点大杯冰镇酸梅汤",
    "不吃蒜",
    "对花生过敏",
    "只喝温水",
    "上次投诉上菜慢,已道歉",
    "周末常带家人来",
    "公司年会在本店举办",
    "偏好安静的包间",
    "生日宴需要提前准备蛋糕",
    "习惯用微信联系",
    "下午三点后方便接电话",
    "prefers a quiet table away from the kitchen",
    "vegetarian, no onion or garlic",
    "allergic to shellfish",
    "usually books the corner suite",
    "likes a wake-up call at 7:00",
    "pays by company invoice",
    "speaks Mandarin and English",
    "asked for a late checkout last time",
    "regular since 2019, very loyal",
    "celebrates anniversary in May every year",
    "",
    "",
];
const MOBILE_PREFIXES: &[&str] = &["138", "139", "136", "158", "186", "177", "150", "189"];
const ADDRESSES: &[&str] = &[
    "北京市朝阳区建国路88号",
    "上海市浦东新区世纪大道100号",
    "广州市天河区体育西路1号",
    "12 High Street, London",
];
const STAFF: &[&str] = &["小王", "小李", "Amy", "陈经理", "Tom", "小赵"];
const PREFS: &[(PreferenceKind, &str)] = &[
    (PreferenceKind::Food, "不吃蒜"),
    (PreferenceKind::Food, "大杯冰镇酸梅汤"),
    (PreferenceKind::Food, "no coriander"),
    (PreferenceKind::Seating, "靠窗座位"),
    (PreferenceKind::Seating, "quiet room, high floor"),
    (PreferenceKind::Allergy, "花生过敏"),
    (PreferenceKind::Allergy, "shellfish"),
    (PreferenceKind::ContactTime, "工作日晚上七点后"),
    (PreferenceKind::ContactTime, "mornings only"),
    (PreferenceKind::Language, "粤语"),
    (PreferenceKind::Language, "English"),
    (PreferenceKind::Other, "发票抬头写公司名"),
];

fn chinese_name(r: &mut Rng) -> String {
    let mut s = r.pick(SURNAMES).to_string();
    s.push_str(r.pick(GIVEN));
    if r.chance(35) {
        s.push_str(r.pick(GIVEN));
    }
    s
}

fn phone(r: &mut Rng, chinese: bool) -> String {
    if chinese || r.chance(30) {
        let prefix = r.pick(MOBILE_PREFIXES);
        let a = r.below(10_000);
        let b = r.below(10_000);
        match r.below(3) {
            0 => format!("{prefix}{a:04}{b:04}"),
            1 => format!("{prefix}-{a:04}-{b:04}"),
            _ => format!("+86 {prefix} {a:04} {b:04}"),
        }
    } else {
        format!("+44 20 {:04} {:04}", r.below(10_000), r.below(10_000))
    }
}

fn special_date(r: &mut Rng) -> SpecialDate {
    let lunar = r.chance(40);
    let month = 1 + r.below(12) as u32;
    let day = 1 + r.below(28) as u32;
    let year = if r.chance(60) {
        Some(1950 + r.below(55) as i32)
    } else {
        None
    };
    SpecialDate {
        calendar: if lunar { Calendar::Lunar } else { Calendar::Gregorian },
        year,
        month,
        day,
        leap_month: false,
    }
}

/// One generated customer; `i` keeps e-mail addresses distinct.
pub fn customer(r: &mut Rng, i: usize) -> CustomerInput {
    let chinese = r.chance(70);
    let name = if chinese {
        chinese_name(r)
    } else {
        format!("{} {}", r.pick(FIRST), r.pick(LAST))
    };
    let mut phones = vec![phone(r, chinese)];
    if r.chance(25) {
        phones.push(phone(r, chinese));
    }
    let tier = match r.below(100) {
        0..=7 => Tier::Vip,
        8..=27 => Tier::Major,
        28..=74 => Tier::Regular,
        _ => Tier::Small,
    };
    let tags = (0..r.below(3)).map(|_| r.pick(TAGS).to_string()).collect();
    let mut notes = r.pick(NOTES).to_string();
    if r.chance(30) {
        notes.push(';');
        notes.push_str(r.pick(NOTES));
    }
    let preferences = (0..r.below(3))
        .map(|_| {
            let (kind, text) = r.pick(PREFS);
            Preference {
                kind,
                text: text.to_string(),
            }
        })
        .collect();
    CustomerInput {
        email: if r.chance(50) {
            format!("guest{i}@example.com")
        } else {
            String::new()
        },
        wechat: if chinese && r.chance(60) {
            format!("wx_{}", r.below(1_000_000))
        } else {
            String::new()
        },
        address: if r.chance(40) {
            r.pick(ADDRESSES).to_string()
        } else {
            String::new()
        },
        company: r.pick(COMPANIES).to_string(),
        source: Some(r.pick(Source::ALL)),
        first_contact: r.pick(STAFF).to_string(),
        tier: Some(tier),
        birthday: if r.chance(60) { Some(special_date(r)) } else { None },
        anniversary: if r.chance(15) { Some(special_date(r)) } else { None },
        name,
        phones,
        tags,
        notes,
        preferences,
        cadence_ideal_days: None,
        cadence_max_days: None,
    }
}

/// `n` generated customers from `seed`.
pub fn customers(n: usize, seed: u64) -> Vec<CustomerInput> {
    let mut r = Rng::new(seed);
    (0..n).map(|i| customer(&mut r, i)).collect()
}

/// The demo data offered to an empty database: about 50 varied customers.
pub fn demo_customers() -> Vec<CustomerInput> {
    let mut v = customers(48, 2026);
    v.push(CustomerInput {
        name: "张伟".into(),
        phones: vec!["138-0013-8000".into()],
        tier: Some(Tier::Vip),
        company: "红灯笼餐饮集团".into(),
        tags: vec!["会员".into(), "常客".into()],
        notes: "每次都坐靠窗的位置,点一大杯冰镇酸梅汤。".into(),
        preferences: vec![
            Preference {
                kind: PreferenceKind::Food,
                text: "不吃蒜".into(),
            },
            Preference {
                kind: PreferenceKind::Seating,
                text: "靠窗座位".into(),
            },
            Preference {
                kind: PreferenceKind::Food,
                text: "大杯冰镇酸梅汤".into(),
            },
        ],
        birthday: Some(SpecialDate {
            calendar: Calendar::Lunar,
            year: Some(1980),
            month: 8,
            day: 15,
            leap_month: false,
        }),
        source: Some(Source::Referral),
        first_contact: "小王".into(),
        ..Default::default()
    });
    v.push(CustomerInput {
        name: "Emma Wilson".into(),
        phones: vec!["+44 20 7946 0018".into()],
        email: "emma.wilson@example.com".into(),
        tier: Some(Tier::Major),
        preferences: vec![Preference {
            kind: PreferenceKind::Allergy,
            text: "shellfish".into(),
        }],
        anniversary: Some(SpecialDate {
            calendar: Calendar::Gregorian,
            year: Some(2015),
            month: 5,
            day: 20,
            leap_month: false,
        }),
        source: Some(Source::Online),
        ..Default::default()
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::rules;

    #[test]
    fn generated_customers_are_valid_and_varied() {
        let v = customers(2000, 7);
        for c in &v {
            rules::validate(c).unwrap_or_else(|e| panic!("{c:?}: {e}"));
        }
        assert!(v.iter().any(|c| c.name.is_ascii()));
        assert!(v.iter().any(|c| !c.name.is_ascii()));
        assert!(v
            .iter()
            .any(|c| c.birthday.is_some_and(|d| d.calendar == Calendar::Lunar)));
        assert_eq!(customers(10, 1), customers(10, 1));
        assert!((45..=60).contains(&demo_customers().len()));
    }
}

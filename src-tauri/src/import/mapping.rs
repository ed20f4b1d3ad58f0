//! Which customer field each column of an imported sheet feeds, guessed from the header's
//! words in Chinese and English; several columns may feed phones or preferences.

use serde::{Deserialize, Serialize};

crate::str_enum!(
    /// What a column holds.
    Target {
        Ignore = "ignore", Name = "name", Phone = "phone", Wechat = "wechat", Email = "email",
        Address = "address", Company = "company", Source = "source", FirstContact = "first_contact",
        Tier = "tier", Tags = "tags", Notes = "notes", Birthday = "birthday",
        Anniversary = "anniversary", Preference = "preference"
    }
);

/// One column's target: its index in the sheet and what it feeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub columns: Vec<Target>,
}

/// Header words for each target. The longest word found in a header wins (`客户等级` is a
/// tier, not a name for its `客户`); on a tie, the earlier target.
const WORDS: &[(Target, &[&str])] = &[
    (
        Target::Birthday,
        &[
            "农历生日",
            "阴历生日",
            "生日",
            "出生日期",
            "出生",
            "birthday",
            "birth date",
            "date of birth",
            "dob",
        ],
    ),
    (Target::Anniversary, &["纪念日", "结婚纪念", "anniversary"]),
    (Target::Wechat, &["微信", "wechat", "weixin", "wx"]),
    (Target::Email, &["邮箱", "电子邮件", "邮件", "e-mail", "email", "mail"]),
    (
        Target::Phone,
        &[
            "手机",
            "电话",
            "联系人电话",
            "联系人手机",
            "联系方式",
            "座机",
            "mobile",
            "phone",
            "tel",
            "cell",
        ],
    ),
    (Target::Address, &["地址", "住址", "address"]),
    (
        Target::Company,
        &[
            "公司",
            "单位",
            "企业",
            "company",
            "organisation",
            "organization",
            "employer",
        ],
    ),
    (Target::Source, &["来源", "客户来源", "渠道", "source", "channel"]),
    (
        Target::FirstContact,
        &[
            "首次接待",
            "接待人",
            "经办人",
            "服务人员",
            "first contact",
            "served by",
            "staff",
        ],
    ),
    (
        Target::Tier,
        &[
            "等级",
            "级别",
            "会员等级",
            "客户等级",
            "tier",
            "level",
            "grade",
            "class",
        ],
    ),
    (Target::Tags, &["标签", "tags", "tag", "labels"]),
    (Target::Notes, &["备注", "说明", "notes", "note", "remarks", "comment"]),
    (
        Target::Preference,
        &[
            "偏好",
            "喜好",
            "忌口",
            "口味",
            "过敏",
            "座位",
            "preference",
            "likes",
            "allergy",
            "allergies",
        ],
    ),
    (
        Target::Name,
        &["姓名", "名字", "客户名", "客户", "称呼", "联系人", "name"],
    ),
];

/// The target a header names, or `Ignore`.
pub fn guess(header: &str) -> Target {
    let h = header.trim().to_lowercase();
    if h.is_empty() {
        return Target::Ignore;
    }
    let mut best: Option<(usize, Target)> = None;
    for (target, words) in WORDS {
        for w in words.iter().filter(|w| h.contains(**w)) {
            let len = w.chars().count();
            if best.is_none_or(|(l, _)| len > l) {
                best = Some((len, *target));
            }
        }
    }
    best.map_or(Target::Ignore, |(_, t)| t)
}

/// A guess for every header; only the first column that names a single-valued field gets
/// it (a second "姓名" column is ignored), phones and preferences may repeat.
pub fn guess_all(headers: &[String]) -> Mapping {
    let mut taken: Vec<Target> = Vec::new();
    let columns = headers
        .iter()
        .map(|h| {
            let t = guess(h);
            let repeats = matches!(t, Target::Phone | Target::Preference | Target::Ignore);
            if !repeats && taken.contains(&t) {
                return Target::Ignore;
            }
            taken.push(t);
            t
        })
        .collect();
    Mapping { columns }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_chinese_and_english_are_understood() {
        let cases = [
            ("姓名", Target::Name),
            ("客户姓名", Target::Name),
            ("Name", Target::Name),
            ("手机", Target::Phone),
            ("手机号码", Target::Phone),
            ("联系电话", Target::Phone),
            ("Mobile phone", Target::Phone),
            ("微信号", Target::Wechat),
            ("WeChat ID", Target::Wechat),
            ("邮箱", Target::Email),
            ("E-mail", Target::Email),
            ("地址", Target::Address),
            ("公司", Target::Company),
            ("生日", Target::Birthday),
            ("农历生日", Target::Birthday),
            ("Date of birth", Target::Birthday),
            ("等级", Target::Tier),
            ("客户级别", Target::Tier),
            ("客户等级", Target::Tier),
            ("客户来源", Target::Source),
            ("联系人", Target::Name),
            ("联系人电话", Target::Phone),
            ("Customer name", Target::Name),
            ("Company name", Target::Company),
            ("标签", Target::Tags),
            ("备注", Target::Notes),
            ("来源", Target::Source),
            ("口味偏好", Target::Preference),
            ("结婚纪念日", Target::Anniversary),
            ("编号", Target::Ignore),
            ("", Target::Ignore),
        ];
        for (header, want) in cases {
            assert_eq!(guess(header), want, "{header}");
        }
    }

    #[test]
    fn phones_and_preferences_may_come_from_several_columns() {
        let headers: Vec<String> = ["姓名", "手机", "电话", "姓名", "忌口", "座位偏好"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            guess_all(&headers).columns,
            [
                Target::Name,
                Target::Phone,
                Target::Phone,
                Target::Ignore,
                Target::Preference,
                Target::Preference
            ]
        );
    }
}

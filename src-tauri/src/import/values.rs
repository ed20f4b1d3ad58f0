//! Cell values as people write them in a sheet: phones kept as text (and refused when a
//! spreadsheet has mangled them), birthdays in the usual Chinese and ISO shapes including
//! the lunar calendar, tiers in Chinese or English.

use crate::kernel::cadence::Tier;
use crate::kernel::special_dates::{self, Calendar, SpecialDate};

/// Why a cell could not be read; the code is translated as `import.value.<code>`.
pub type ValueError = &'static str;

/// A cell's text as the user meant it: an export's guard against formulas (a `'` before
/// `=`, `+`, `-`, `@`, a tab or a carriage return) taken off, spaces around trimmed.
pub fn text(cell: &str) -> &str {
    let t = cell.trim_matches(|c: char| c == ' ' || c == '\u{3000}' || c == '\n');
    match t.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => t,
    }
}

/// The entries of a cell that holds several (phones, tags, preferences): split at `;`,
/// `；`, `,`, `，`, `、`, `/` and line breaks; blanks dropped.
pub fn list(cell: &str) -> Vec<&str> {
    text(cell)
        .split([';', '；', ',', '，', '、', '/', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The entries of a cell of free-text entries (preferences): split only at `;`, `；` and
/// line breaks, since an entry may itself hold commas (`不吃辣, 少盐`).
pub fn entries(cell: &str) -> Vec<&str> {
    text(cell)
        .split([';', '；', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A phone from a cell. A number a spreadsheet wrote in scientific notation (`1.39E+10`)
/// lost its digits, and a landline stored as a number lost its leading zero: both are
/// errors for the row, never a wrong number saved.
pub fn phone(cell: &str) -> Result<String, ValueError> {
    let p = cell.trim();
    let upper = p.to_ascii_uppercase();
    if upper.contains('E') && upper.chars().all(|c| c.is_ascii_digit() || ".E+-".contains(c)) {
        return Err("phone_scientific");
    }
    // `13800001111.0`: a number cell written out as a decimal.
    let p = p.strip_suffix(".0").unwrap_or(p);
    if !crate::kernel::phone::is_valid_phone(p) {
        return Err("invalid_phone");
    }
    let digits: String = p.chars().filter(char::is_ascii_digit).collect();
    let bare = p.chars().all(|c| c.is_ascii_digit());
    // Chinese numbers: mobiles are 11 digits from 1; landlines with their area code start
    // with 0 (10 to 12 digits). Bare digits of 9 to 11 that are neither lost their 0.
    let mobile = digits.len() == 11 && digits.starts_with('1');
    if bare && (9..=11).contains(&digits.len()) && !digits.starts_with('0') && !mobile {
        return Err("phone_lost_zero");
    }
    Ok(p.to_string())
}

/// A tier from `VIP`/`主要`/`普通`/`小` or English words; `None` for an empty cell.
pub fn tier(cell: &str) -> Result<Option<Tier>, ValueError> {
    let v = cell.trim().to_lowercase();
    let t = match v.as_str() {
        "" => return Ok(None),
        "vip" | "贵宾" | "v" => Tier::Vip,
        "主要" | "重要" | "major" | "key" | "main" | "important" => Tier::Major,
        "普通" | "一般" | "regular" | "normal" | "ordinary" | "standard" => Tier::Regular,
        "小" | "小客户" | "small" | "minor" | "low" => Tier::Small,
        _ => return Err("invalid_tier"),
    };
    Ok(Some(t))
}

/// A birthday or anniversary: `1985-03-02`, `1985/3/2`, `1985.3.2`, `1985年3月2日`,
/// `3月2日`, `03-02`, `农历十月十五`, `农历1985年十月十五`, `农历闰四月初八`, `农历10月15`;
/// `None` for an empty cell.
pub fn special_date(cell: &str) -> Result<Option<SpecialDate>, ValueError> {
    let v = cell.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let d = match v.strip_prefix("农历").or_else(|| v.strip_prefix("阴历")) {
        Some(rest) => lunar(rest.trim())?,
        None => gregorian(v)?,
    };
    special_dates::validate(&d)?;
    Ok(Some(d))
}

fn gregorian(v: &str) -> Result<SpecialDate, ValueError> {
    // `1985年3月2日` and `3月2日` become `1985-3-2` and `3-2`.
    let v = v.replace(['年', '月', '/', '.'], "-").replace(['日', '号'], "");
    let v = v.trim_end_matches('-');
    // A date-and-time cell (`1985-03-02 00:00:00`): the date.
    let v = v.split([' ', 'T']).next().unwrap_or(v);
    let parts: Vec<&str> = v.split('-').map(str::trim).collect();
    let num = |s: &str| s.parse::<u32>().map_err(|_| "invalid_date");
    let (year, month, day) = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => (Some(num(y)? as i32), num(m)?, num(d)?),
        [m, d] if m.len() <= 2 => (None, num(m)?, num(d)?),
        _ => return Err("invalid_date"),
    };
    Ok(SpecialDate {
        calendar: Calendar::Gregorian,
        year,
        month,
        day,
        leap_month: false,
    })
}

fn lunar(v: &str) -> Result<SpecialDate, ValueError> {
    // An optional year: `1985年`.
    let (year, rest) = match v.split_once('年') {
        Some((y, rest)) if y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()) => {
            (Some(y.parse::<i32>().map_err(|_| "invalid_date")?), rest)
        }
        _ => (None, v),
    };
    let (leap_month, rest) = match rest.strip_prefix('闰') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let (month, day) = rest.split_once('月').ok_or("invalid_date")?;
    let month = lunar_month(month.trim()).ok_or("invalid_lunar_month")?;
    let day = lunar_day(day.trim().trim_end_matches(['日', '号'])).ok_or("invalid_date")?;
    Ok(SpecialDate {
        calendar: Calendar::Lunar,
        year,
        month,
        day,
        leap_month,
    })
}

/// `正月`, `一`…`十二`, `冬`, `腊`, or digits (without the `月`).
fn lunar_month(m: &str) -> Option<u32> {
    match m {
        "正" | "端" => Some(1),
        "冬" => Some(11),
        "腊" | "臘" => Some(12),
        _ => chinese_number(m).filter(|n| (1..=12).contains(n)),
    }
}

/// `初一`…`初十`, `十一`…`二十`, `廿一`…`廿九`, `三十`, or digits.
fn lunar_day(d: &str) -> Option<u32> {
    let n = if let Some(rest) = d.strip_prefix('初') {
        chinese_number(rest).filter(|n| (1..=10).contains(n))?
    } else if let Some(rest) = d.strip_prefix('廿') {
        20 + chinese_number(rest).filter(|n| (1..=9).contains(n))?
    } else {
        chinese_number(d)?
    };
    (1..=30).contains(&n).then_some(n)
}

/// A number from 1 to 39 in Chinese numerals (`十五`, `二十`, `三十`) or ASCII digits.
fn chinese_number(s: &str) -> Option<u32> {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| "〇一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c).filter(|n| *n > 0),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(calendar: Calendar, year: Option<i32>, month: u32, day: u32, leap_month: bool) -> Option<SpecialDate> {
        Some(SpecialDate {
            calendar,
            year,
            month,
            day,
            leap_month,
        })
    }

    #[test]
    fn phones_as_people_and_spreadsheets_write_them() {
        assert_eq!(phone(" 138 0000 1111 "), Ok("138 0000 1111".into()));
        assert_eq!(phone("+86 10 6552 9988"), Ok("+86 10 6552 9988".into()));
        assert_eq!(phone("010-65529988"), Ok("010-65529988".into()));
        assert_eq!(phone("13800001111.0"), Ok("13800001111".into()));
        assert_eq!(phone("1.39E+10"), Err("phone_scientific"));
        assert_eq!(phone("1.38000011E+10"), Err("phone_scientific"));
        assert_eq!(phone("1065529988"), Err("phone_lost_zero"));
        assert_eq!(phone("2165529988"), Err("phone_lost_zero"));
        assert_eq!(phone("call me"), Err("invalid_phone"));
    }

    #[test]
    fn guarded_cells_and_lists_read_back_as_written() {
        assert_eq!(text("'=1+2"), "=1+2");
        assert_eq!(text("'+86 138"), "+86 138");
        assert_eq!(text("'quoted"), "'quoted");
        assert_eq!(text("  张三 "), "张三");
        assert_eq!(list("138 0000 1111; 010-6552 9988"), ["138 0000 1111", "010-6552 9988"]);
        assert_eq!(list("常客、VIP，生日"), ["常客", "VIP", "生日"]);
        assert_eq!(list(" ; "), Vec::<&str>::new());
        assert_eq!(entries("不吃辣, 少盐; 靠窗"), ["不吃辣, 少盐", "靠窗"]);
    }

    #[test]
    fn tiers_in_chinese_and_english() {
        assert_eq!(tier("VIP"), Ok(Some(Tier::Vip)));
        assert_eq!(tier("主要"), Ok(Some(Tier::Major)));
        assert_eq!(tier(" Regular "), Ok(Some(Tier::Regular)));
        assert_eq!(tier("小"), Ok(Some(Tier::Small)));
        assert_eq!(tier(""), Ok(None));
        assert_eq!(tier("金卡"), Err("invalid_tier"));
    }

    #[test]
    fn birthdays_in_every_usual_shape() {
        use Calendar::{Gregorian as G, Lunar as L};
        assert_eq!(special_date("1985-03-02"), Ok(date(G, Some(1985), 3, 2, false)));
        assert_eq!(special_date("1985/3/2"), Ok(date(G, Some(1985), 3, 2, false)));
        assert_eq!(special_date("1985.3.2"), Ok(date(G, Some(1985), 3, 2, false)));
        assert_eq!(special_date("1985年3月2日"), Ok(date(G, Some(1985), 3, 2, false)));
        assert_eq!(
            special_date("1985-03-02 00:00:00"),
            Ok(date(G, Some(1985), 3, 2, false))
        );
        assert_eq!(special_date("3月2日"), Ok(date(G, None, 3, 2, false)));
        assert_eq!(special_date("03-02"), Ok(date(G, None, 3, 2, false)));
        assert_eq!(special_date("2月29日"), Ok(date(G, None, 2, 29, false)));
        assert_eq!(special_date("农历十月十五"), Ok(date(L, None, 10, 15, false)));
        assert_eq!(
            special_date("农历1985年十月十五"),
            Ok(date(L, Some(1985), 10, 15, false))
        );
        assert_eq!(special_date("农历正月初一"), Ok(date(L, None, 1, 1, false)));
        assert_eq!(special_date("农历腊月廿三"), Ok(date(L, None, 12, 23, false)));
        assert_eq!(special_date("农历冬月三十"), Ok(date(L, None, 11, 30, false)));
        assert_eq!(special_date("农历10月15"), Ok(date(L, None, 10, 15, false)));
        assert_eq!(
            special_date("农历2020年闰四月初八"),
            Ok(date(L, Some(2020), 4, 8, true))
        );
        assert_eq!(special_date(""), Ok(None));
        assert_eq!(special_date("1985-02-30"), Err("invalid_date"));
        assert_eq!(special_date("13月1日"), Err("invalid_month"));
        assert_eq!(special_date("农历十三月初一"), Err("invalid_lunar_month"));
        assert_eq!(special_date("下周二"), Err("invalid_date"));
        assert_eq!(special_date("农历十月三十一"), Err("invalid_date"));
    }
}

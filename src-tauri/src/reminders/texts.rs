//! Notification texts, from the same translation tables as the UI (`ui/i18n/*.json`).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::model::ReminderKind;

type Table = HashMap<String, String>;

fn tables() -> &'static HashMap<&'static str, Table> {
    static TABLES: OnceLock<HashMap<&'static str, Table>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut m = HashMap::new();
        for (lang, json) in [
            ("zh-CN", include_str!("../../../ui/i18n/zh-CN.json")),
            ("en", include_str!("../../../ui/i18n/en.json")),
        ] {
            m.insert(lang, serde_json::from_str(json).unwrap_or_default());
        }
        m
    })
}

/// The string for `key` in `lang`, else in English.
fn lookup(lang: &str, key: &str) -> Option<&'static String> {
    let tables = tables();
    tables
        .get(lang)
        .and_then(|t| t.get(key))
        .or_else(|| tables.get("en").and_then(|t| t.get(key)))
}

/// The CLDR plural category of `n` in `lang`, for the two languages the tables hold:
/// English says "one" for exactly 1; Chinese has no plural forms.
fn plural_category(lang: &str, n: f64) -> &'static str {
    if lang.starts_with("en") && n == 1.0 {
        "one"
    } else {
        "other"
    }
}

/// The string for `key` in `lang` (English, then the key itself, when missing), with
/// `{name}` placeholders filled from `args`. A count string is a plural key, as in the UI's
/// `t()`: the tables hold `key.one` and `key.other`, and `args.n` chooses.
pub fn t(lang: &str, key: &str, args: &serde_json::Value) -> String {
    // A language without a table reads English, with English plural rules.
    let lang = if tables().contains_key(lang) { lang } else { "en" };
    let s = lookup(lang, key)
        .or_else(|| {
            let other = lookup(lang, &format!("{key}.other"))?;
            let category = args
                .get("n")
                .and_then(serde_json::Value::as_f64)
                .map_or("other", |n| plural_category(lang, n));
            lookup(lang, &format!("{key}.{category}")).or(Some(other))
        })
        .cloned()
        .unwrap_or_else(|| key.to_string());
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        match rest[i..].find('}') {
            Some(j) => {
                let name = &rest[i + 1..i + j];
                match args.get(name) {
                    Some(serde_json::Value::String(v)) => out.push_str(v),
                    Some(v) if !v.is_null() => out.push_str(&v.to_string()),
                    _ => out.push_str(&rest[i..=i + j]),
                }
                rest = &rest[i + j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Title and body of a reminder's notification, in `lang`.
pub fn render(lang: &str, kind: ReminderKind, args: &serde_json::Value, late: bool) -> (String, String) {
    let mut a = args.clone();
    if let Some(obj) = a.as_object_mut() {
        if let Some(p) = obj.get("purpose").and_then(|p| p.as_str()).map(str::to_string) {
            obj.insert("purpose_label".into(), t(lang, &format!("purpose.{p}"), args).into());
        }
        if let Some(l) = obj.get("level").and_then(|l| l.as_u64()) {
            obj.insert("level_label".into(), t(lang, &format!("escalation.{l}"), args).into());
        }
    }
    let k = kind.as_str();
    let title = t(lang, &format!("reminder.{k}.title"), &a);
    let body = t(lang, &format!("reminder.{k}.body"), &a);
    if late {
        (
            t(lang, "reminder.late_title", &serde_json::json!({ "title": title })),
            body,
        )
    } else {
        (title, body)
    }
}

/// What the tray menu shows: the reminders due (or the app's name when none), open, quit,
/// and the icon's tooltip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayLabels {
    pub count: String,
    pub open: String,
    pub quit: String,
    pub tooltip: String,
}

/// The tray's labels in `lang` with `due` reminders to handle.
pub fn tray_labels(lang: &str, due: usize) -> TrayLabels {
    let none = serde_json::Value::Null;
    let title = t(lang, "app.title", &none);
    let (count, tooltip) = if due > 0 {
        let count = t(lang, "tray.count", &serde_json::json!({ "n": due }));
        let tooltip = format!("{title} · {count}");
        (count, tooltip)
    } else {
        (title.clone(), title)
    };
    TrayLabels {
        count,
        open: t(lang, "tray.open", &none),
        quit: t(lang, "tray.quit", &none),
        tooltip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders_in_both_languages() {
        let args = serde_json::json!({ "name": "张伟", "purpose": "satisfaction", "time": "14:30" });
        let (title, body) = render("zh-CN", ReminderKind::Visit, &args, false);
        assert!(title.contains("张伟"), "{title}");
        assert!(body.contains("满意度回访"), "{body}");
        let (title, _) = render("en", ReminderKind::Visit, &args, true);
        assert!(
            title.contains("张伟") && title.to_lowercase().contains("missed"),
            "{title}"
        );
        assert_eq!(t("en", "no.such.key", &args), "no.such.key");
    }

    #[test]
    fn tray_labels_follow_the_language_and_the_count() {
        let en = tray_labels("en", 1);
        assert_eq!(en.count, "1 reminder to handle");
        assert_eq!(en.open, "Open FrontDesk");
        assert_eq!(en.quit, "Quit");
        assert_eq!(en.tooltip, "FrontDesk · 1 reminder to handle");
        assert_eq!(tray_labels("en", 3).count, "3 reminders to handle");
        let none = tray_labels("en", 0);
        assert_eq!((none.count.as_str(), none.tooltip.as_str()), ("FrontDesk", "FrontDesk"));

        let zh = tray_labels("zh-CN", 1);
        assert_eq!(zh.count, "1 条提醒待处理");
        assert_eq!(zh.open, "打开 FrontDesk");
        assert_eq!(zh.quit, "退出");
        assert_eq!(tray_labels("zh-CN", 3).count, "3 条提醒待处理");
        // An unknown language reads English.
        assert_eq!(tray_labels("fr", 1), tray_labels("en", 1));
        assert_eq!(tray_labels("fr", 2), tray_labels("en", 2));
    }

    #[test]
    fn plural_keys_choose_the_form_by_n() {
        let n = |n: usize| serde_json::json!({ "n": n, "first": "x" });
        let one = t("en", "reminder.summary_title", &n(1));
        assert_eq!(one, "1 reminder came due while FrontDesk was closed");
        assert!(t("en", "reminder.summary_title", &n(5)).starts_with("5 reminders "));
        assert!(t("en", "reminder.summary_title", &n(0)).starts_with("0 reminders "));
        // Without a count: the general form, placeholder left as is.
        assert_eq!(
            t("en", "tray.count", &serde_json::Value::Null),
            "{n} reminders to handle"
        );
        assert_eq!(t("zh-CN", "tray.count", &n(1)), "1 条提醒待处理");
    }
}

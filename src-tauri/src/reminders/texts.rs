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

/// The string for `key` in `lang` (English, then the key itself, when missing), with
/// `{name}` placeholders filled from `args`.
pub fn t(lang: &str, key: &str, args: &serde_json::Value) -> String {
    let tables = tables();
    let s = tables
        .get(lang)
        .and_then(|t| t.get(key))
        .or_else(|| tables.get("en").and_then(|t| t.get(key)))
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
}

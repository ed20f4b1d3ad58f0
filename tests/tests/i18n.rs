//! The translation tables: both languages have exactly the same keys, and every key the UI
//! names literally exists.

use std::collections::BTreeSet;
use std::path::Path;

fn ui() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../ui"))
}

fn keys(lang: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(ui().join("i18n").join(format!("{lang}.json"))).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{lang}.json: {e}"));
    let map = v.as_object().unwrap_or_else(|| panic!("{lang}.json is not an object"));
    for (k, v) in map {
        assert!(
            v.as_str().is_some_and(|s| !s.trim().is_empty()),
            "{lang}.json: {k} is empty"
        );
    }
    map.keys().cloned().collect()
}

#[test]
fn both_tables_have_exactly_the_same_keys() {
    let zh = keys("zh-CN");
    let en = keys("en");
    let only_zh: Vec<_> = zh.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    assert!(
        only_zh.is_empty() && only_en.is_empty(),
        "only in zh-CN: {only_zh:?}; only in en: {only_en:?}"
    );
}

/// Keys written literally in the UI code: t('x.y'), tList('x.y', …), data-i18n="x.y".
fn literal_keys(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for pat in [
        "t('",
        "tList('",
        "data-i18n=\"",
        "data-i18n-placeholder=\"",
        "data-i18n-title=\"",
    ] {
        let mut rest = src;
        while let Some(i) = rest.find(pat) {
            let standalone = !rest[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.');
            let after = &rest[i + pat.len()..];
            if !standalone {
                rest = after;
                continue;
            }
            let end = after.find(['\'', '"']).unwrap_or(0);
            let key = &after[..end];
            if !key.is_empty() && !key.contains('$') {
                out.push(key.to_string());
            }
            rest = &after[end..];
        }
    }
    out
}

/// A count string is a plural key: `key.one` and `key.other` (CLDR categories; see `t()` in
/// `ui/js/i18n.js` and `reminders::texts::t`). Enum labels such as `source.other` are not:
/// they have no `.one`.
fn plural_base(key: &str) -> Option<&str> {
    key.strip_suffix(".one")
}

/// Whether `key`, as the UI names it, has a string: itself, or the forms of a count string.
fn has_key(table: &BTreeSet<String>, key: &str) -> bool {
    table.contains(key) || (table.contains(&format!("{key}.one")) && table.contains(&format!("{key}.other")))
}

#[test]
fn every_plural_form_has_its_general_form_and_the_count() {
    for lang in ["zh-CN", "en"] {
        let text = std::fs::read_to_string(ui().join("i18n").join(format!("{lang}.json"))).unwrap();
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
        let keys: BTreeSet<String> = map.keys().cloned().collect();
        let mut bases = 0;
        for key in &keys {
            let Some(base) = plural_base(key) else { continue };
            bases += 1;
            // `other` is the form every language has, and the one `t()` falls back to.
            assert!(
                keys.contains(&format!("{base}.other")),
                "{lang}: {key} has no {base}.other"
            );
            // A key is either a plain string or a count string, never both.
            assert!(!keys.contains(base), "{lang}: {base} is both a string and a plural key");
            let other = map[&format!("{base}.other")].as_str().unwrap_or_default();
            assert!(
                other.contains("{n}"),
                "{lang}: {base}.other does not show the count {{n}}"
            );
        }
        assert!(bases > 0, "{lang}: no plural keys found: the scan is broken");
    }
    // The English forms that were wrong for one.
    let en: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ui().join("i18n").join("en.json")).unwrap()).unwrap();
    for (key, one) in [
        ("customers.count.one", "{n} customer"),
        ("complaints.count.one", "{n} complaint"),
        ("tray.count.one", "{n} reminder to handle"),
    ] {
        assert_eq!(en[key], one, "{key}");
    }
}

#[test]
fn every_literal_key_in_the_ui_exists() {
    let en = keys("en");
    let mut sources = vec![ui().join("index.html")];
    for e in std::fs::read_dir(ui().join("js")).unwrap() {
        sources.push(e.unwrap().path());
    }
    let mut missing = Vec::new();
    let mut seen = 0;
    for p in sources {
        let src = std::fs::read_to_string(&p).unwrap();
        for k in literal_keys(&src) {
            seen += 1;
            if !has_key(&en, &k) {
                missing.push(format!("{}: {k}", p.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    assert!(seen > 50, "only {seen} keys found: the scan is broken");
    assert!(missing.is_empty(), "missing keys: {missing:?}");
}

#[test]
fn every_enum_value_has_a_label() {
    use frontdesk::customers::{PreferenceKind, Source, Tier};
    let en = keys("en");
    let mut want: Vec<String> = Vec::new();
    want.extend(Tier::ALL.iter().map(|t| format!("tier.{}", t.as_str())));
    want.extend(Source::ALL.iter().map(|s| format!("source.{}", s.as_str())));
    want.extend(PreferenceKind::ALL.iter().map(|p| format!("pref.{}", p.as_str())));
    for kind in [
        "invalid",
        "not_found",
        "db_too_new",
        "db_invalid",
        "data_dir",
        "db",
        "conflict",
        "internal",
    ] {
        want.push(format!("error.{kind}"));
    }
    for code in [
        "required",
        "too_long",
        "invalid_phone",
        "invalid_email",
        "invalid_date",
        "invalid_month",
        "invalid_lunar_month",
        "invalid_leap_month",
        "invalid_year",
        "too_many",
        "invalid_choice",
    ] {
        want.push(format!("invalid.{code}"));
    }
    let missing: Vec<_> = want.iter().filter(|k| !en.contains(*k)).collect();
    assert!(missing.is_empty(), "{missing:?}");
}

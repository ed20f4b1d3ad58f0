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
            if !en.contains(&k) {
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

//! Customer search: text normalisation (lower case, phone digits, pinyin via the `pinyin`
//! crate) and the in-memory index that answers list queries at 100,000 customers.
//!
//! The index holds, per customer, two normalised strings written by Rust on save
//! (`search_text`: name, full pinyin, initials; `search_other`: phone digits, company,
//! tags, notes, WeChat, e-mail) plus the sort and filter keys. A query scans it with
//! SIMD substring search, walking a pre-sorted order, so any substring of one or two
//! characters (张伟, zw) matches as fast as a long one.

use std::collections::HashMap;

use memchr::memmem::Finder;
use pinyin::ToPinyin;

use super::model::{ListQuery, SortBy, TagCount, Tier};

/// Separates the parts of a normalised search string so no match spans two fields.
const SEP: char = '\u{1}';

/// Full pinyin (no tones, no spaces) and initials of a name; non-Chinese
/// characters are kept, lower-cased, in both (initials take each word's first letter).
pub fn pinyin_keys(name: &str) -> (String, String) {
    let mut full = String::new();
    let mut initials = String::new();
    let mut in_word = false;
    for c in name.chars() {
        if let Some(p) = c.to_pinyin() {
            full.push_str(p.plain());
            initials.push_str(p.first_letter());
            in_word = false;
        } else if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                full.push(l);
                if !in_word {
                    initials.push(l);
                }
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    (full, initials)
}

/// The key the list sorts names by: pinyin syllables for Chinese, lower case otherwise,
/// so 张伟 sorts among the Z's next to "Zhang Wei".
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() * 2);
    for c in name.trim().chars() {
        if let Some(p) = c.to_pinyin() {
            key.push_str(p.plain());
            key.push(' ');
        } else {
            key.extend(c.to_lowercase());
        }
    }
    key
}

/// The name part of the index: lower-cased name, full pinyin, initials.
pub fn search_text(name: &str) -> String {
    let (full, initials) = pinyin_keys(name);
    let lower = name.trim().to_lowercase();
    format!("{lower}{SEP}{full}{SEP}{initials}")
}

/// Digits of a phone number, the form phones are searched by.
pub fn phone_digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// The rest of the index: phone digits, company, tags, notes, WeChat, e-mail.
pub fn search_other(
    phones: &[String],
    company: &str,
    tags: &[String],
    notes: &str,
    wechat: &str,
    email: &str,
) -> String {
    let mut s = String::new();
    for p in phones {
        s.push_str(&phone_digits(p));
        s.push(SEP);
    }
    for part in [company, notes, wechat, email]
        .into_iter()
        .chain(tags.iter().map(String::as_str))
    {
        s.push_str(&part.to_lowercase());
        s.push(SEP);
    }
    s
}

/// Split a query into lower-cased terms; a term that looks like a phone
/// fragment (digits with + - ( ) . separators) is reduced to its digits.
pub fn query_terms(q: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for raw in q.split_whitespace() {
        let t = raw.to_lowercase().replace(SEP, "");
        if t.is_empty() {
            continue;
        }
        let phone_like =
            t.chars().any(|c| c.is_ascii_digit()) && t.chars().all(|c| c.is_ascii_digit() || "+-().".contains(c));
        terms.push(if phone_like { phone_digits(&t) } else { t });
    }
    // "138 0013 8000" typed with spaces is one phone number.
    if terms.len() > 1 && terms.iter().all(|t| t.chars().all(|c| c.is_ascii_digit())) {
        return vec![terms.concat()];
    }
    terms
}

/// What the index keeps for one customer.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    pub id: i64,
    pub tier: Tier,
    pub archived: bool,
    /// Lower-cased tags, for the tag filter.
    pub tags: Vec<String>,
    pub name_key: String,
    pub updated_at: String,
    pub search_text: String,
    pub search_other: String,
}

/// The in-memory customer index. Slots are never removed (customers are archived,
/// not deleted), so slot order is id order is creation order.
#[derive(Debug, Default)]
pub struct CustomerIndex {
    entries: Vec<IndexEntry>,
    slot_of: HashMap<i64, u32>,
    by_name: Vec<u32>,
    by_updated: Vec<u32>,
}

/// Matching ids in list order, with the total count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hits {
    pub total: usize,
    pub ids: Vec<i64>,
}

impl CustomerIndex {
    /// Build from entries in any order.
    pub fn build(mut entries: Vec<IndexEntry>) -> Self {
        entries.sort_by_key(|e| e.id);
        let slot_of = entries.iter().enumerate().map(|(i, e)| (e.id, i as u32)).collect();
        let mut by_name: Vec<u32> = (0..entries.len() as u32).collect();
        by_name.sort_by(|a, b| name_cmp(&entries[*a as usize], &entries[*b as usize]));
        let mut by_updated: Vec<u32> = (0..entries.len() as u32).collect();
        by_updated.sort_by(|a, b| updated_cmp(&entries[*a as usize], &entries[*b as usize]));
        CustomerIndex {
            entries,
            slot_of,
            by_name,
            by_updated,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Insert a new customer or replace an existing one, keeping the orders sorted.
    pub fn upsert(&mut self, entry: IndexEntry) {
        if let Some(&slot) = self.slot_of.get(&entry.id) {
            let s = slot as usize;
            remove_sorted(&mut self.by_name, &self.entries, slot, name_cmp);
            remove_sorted(&mut self.by_updated, &self.entries, slot, updated_cmp);
            self.entries[s] = entry;
            insert_sorted(&mut self.by_name, &self.entries, slot, name_cmp);
            insert_sorted(&mut self.by_updated, &self.entries, slot, updated_cmp);
        } else {
            let needs_rebuild = self.entries.last().is_some_and(|last| last.id > entry.id);
            let slot = self.entries.len() as u32;
            self.slot_of.insert(entry.id, slot);
            self.entries.push(entry);
            if needs_rebuild {
                *self = Self::build(std::mem::take(&mut self.entries));
            } else {
                insert_sorted(&mut self.by_name, &self.entries, slot, name_cmp);
                insert_sorted(&mut self.by_updated, &self.entries, slot, updated_cmp);
            }
        }
    }

    /// Add many new entries at once (bulk insert), re-sorting once.
    pub fn extend(&mut self, new: Vec<IndexEntry>) {
        let mut all = std::mem::take(&mut self.entries);
        all.extend(new);
        *self = Self::build(all);
    }

    /// Every tag in use by active customers, with how many carry it, most used first.
    pub fn tags(&self) -> Vec<TagCount> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for e in self.entries.iter().filter(|e| !e.archived) {
            for t in &e.tags {
                *counts.entry(t.as_str()).or_default() += 1;
            }
        }
        let mut v: Vec<TagCount> = counts
            .into_iter()
            .map(|(t, c)| TagCount {
                tag: t.to_string(),
                count: c,
            })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.tag.cmp(&b.tag)));
        v
    }

    /// Answer a list query: the ids of one page, in order, and how many match in all.
    pub fn query(&self, q: &ListQuery, limit: usize) -> Hits {
        let terms = query_terms(&q.q);
        let finders: Vec<Finder<'_>> = terms.iter().map(|t| Finder::new(t.as_bytes())).collect();
        let tag = q
            .tag
            .as_ref()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty());
        let keep = |e: &IndexEntry| -> bool {
            e.archived == q.archived
                && q.tier.is_none_or(|t| t == e.tier)
                && tag.as_ref().is_none_or(|t| e.tags.iter().any(|x| x == t))
                && finders
                    .iter()
                    .all(|f| f.find(e.search_text.as_bytes()).is_some() || f.find(e.search_other.as_bytes()).is_some())
        };
        let want = q.offset.saturating_add(limit);
        let mut total = 0usize;
        let mut page: Vec<i64> = Vec::with_capacity(limit.min(1024));
        let sort = match q.sort {
            SortBy::Relevance if terms.is_empty() => SortBy::Name,
            s => s,
        };
        let mut walk = |slots: &mut dyn Iterator<Item = u32>| {
            for slot in slots {
                let e = &self.entries[slot as usize];
                if keep(e) {
                    if total >= q.offset && total < want {
                        page.push(e.id);
                    }
                    total += 1;
                }
            }
        };
        match sort {
            SortBy::Relevance => {
                // Name matches first (prefix of name, pinyin or initials, then anywhere in
                // them), then matches in other fields; name order within each group.
                let mut buckets: [Vec<u32>; 3] = Default::default();
                for &slot in &self.by_name {
                    let e = &self.entries[slot as usize];
                    if keep(e) {
                        buckets[relevance(e, &terms)].push(slot);
                    }
                }
                let mut all = buckets.into_iter().flatten();
                if q.desc {
                    let v: Vec<u32> = all.collect();
                    walk(&mut v.into_iter().rev());
                } else {
                    walk(&mut all);
                }
            }
            SortBy::Name => walk_order(&self.by_name, q.desc, &mut walk),
            SortBy::Updated => walk_order(&self.by_updated, q.desc, &mut walk),
            SortBy::Created => {
                let n = self.entries.len() as u32;
                if q.desc {
                    walk(&mut (0..n).rev());
                } else {
                    walk(&mut (0..n));
                }
            }
        }
        Hits { total, ids: page }
    }
}

fn walk_order(order: &[u32], desc: bool, walk: &mut dyn FnMut(&mut dyn Iterator<Item = u32>)) {
    if desc {
        walk(&mut order.iter().rev().copied());
    } else {
        walk(&mut order.iter().copied());
    }
}

/// 0: every term starts the name, its pinyin or its initials; 1: every term is in them; 2: other.
fn relevance(e: &IndexEntry, terms: &[String]) -> usize {
    let parts = || e.search_text.split(SEP);
    if terms.iter().all(|t| parts().any(|p| p.starts_with(t.as_str()))) {
        0
    } else if terms.iter().all(|t| e.search_text.contains(t.as_str())) {
        1
    } else {
        2
    }
}

fn name_cmp(a: &IndexEntry, b: &IndexEntry) -> std::cmp::Ordering {
    a.name_key.cmp(&b.name_key).then(a.id.cmp(&b.id))
}

fn updated_cmp(a: &IndexEntry, b: &IndexEntry) -> std::cmp::Ordering {
    a.updated_at.cmp(&b.updated_at).then(a.id.cmp(&b.id))
}

type Cmp = fn(&IndexEntry, &IndexEntry) -> std::cmp::Ordering;

fn remove_sorted(order: &mut Vec<u32>, entries: &[IndexEntry], slot: u32, cmp: Cmp) {
    let e = &entries[slot as usize];
    if let Ok(pos) = order.binary_search_by(|s| cmp(&entries[*s as usize], e)) {
        order.remove(pos);
    } else if let Some(pos) = order.iter().position(|s| *s == slot) {
        order.remove(pos);
    }
}

fn insert_sorted(order: &mut Vec<u32>, entries: &[IndexEntry], slot: u32, cmp: Cmp) {
    let e = &entries[slot as usize];
    let pos = order
        .binary_search_by(|s| cmp(&entries[*s as usize], e))
        .unwrap_or_else(|p| p);
    order.insert(pos, slot);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, name: &str, phones: &[&str], notes: &str) -> IndexEntry {
        let phones: Vec<String> = phones.iter().map(|s| s.to_string()).collect();
        IndexEntry {
            id,
            tier: Tier::Regular,
            archived: false,
            tags: vec![],
            name_key: name_key(name),
            updated_at: format!("2026-01-01T00:00:{:02}.000Z", id % 60),
            search_text: search_text(name),
            search_other: search_other(&phones, "", &[], notes, "", ""),
        }
    }

    fn ids(ix: &CustomerIndex, q: &str) -> Vec<i64> {
        let q = ListQuery {
            q: q.into(),
            ..Default::default()
        };
        ix.query(&q, 100).ids
    }

    #[test]
    fn pinyin_of_names() {
        assert_eq!(pinyin_keys("张伟"), ("zhangwei".into(), "zw".into()));
        assert_eq!(pinyin_keys("Anna Müller"), ("annamüller".into(), "am".into()));
        assert_eq!(pinyin_keys("李 Lee"), ("lilee".into(), "ll".into()));
        assert_eq!(name_key("张伟"), "zhang wei ");
    }

    #[test]
    fn query_terms_normalise_phones_and_case() {
        assert_eq!(query_terms("  ZhangWei "), vec!["zhangwei"]);
        assert_eq!(query_terms("138-0013"), vec!["1380013"]);
        assert_eq!(query_terms("138 0013 8000"), vec!["13800138000"]);
        assert_eq!(query_terms("张 vip"), vec!["张", "vip"]);
        assert!(query_terms("   ").is_empty());
    }

    #[test]
    fn finds_by_any_part() {
        let ix = CustomerIndex::build(vec![
            entry(1, "张伟", &["138-0013-8000"], "喜欢靠窗"),
            entry(2, "王芳", &["+86 139 1234 5678"], "allergic to peanuts"),
            entry(3, "Zhang Wei Smith", &["020 7946 0000"], ""),
            entry(4, "张伟明", &["13700000000"], ""),
        ]);
        assert_eq!(ids(&ix, "张伟"), vec![1, 4]);
        assert_eq!(ids(&ix, "伟"), vec![1, 4]);
        assert_eq!(ids(&ix, "0013"), vec![1]);
        assert_eq!(ids(&ix, "1391234"), vec![2]);
        assert_eq!(ids(&ix, "zw"), vec![1, 4, 3]);
        assert_eq!(ids(&ix, "zhangwei"), vec![1, 4, 3]);
        assert_eq!(ids(&ix, "PEANUT"), vec![2]);
        assert_eq!(ids(&ix, "靠窗"), vec![1]);
        assert_eq!(ids(&ix, "zhang smith"), vec![3]);
        assert!(ids(&ix, "nobody").is_empty());
    }

    #[test]
    fn upsert_keeps_orders_sorted_and_filters_apply() {
        let mut ix = CustomerIndex::build(vec![entry(1, "Bob", &[], ""), entry(2, "Alice", &[], "")]);
        ix.upsert(entry(3, "Carol", &[], ""));
        let by_name = |ix: &CustomerIndex| {
            ix.query(
                &ListQuery {
                    sort: SortBy::Name,
                    ..Default::default()
                },
                10,
            )
            .ids
        };
        assert_eq!(by_name(&ix), vec![2, 1, 3]);
        ix.upsert(entry(2, "Zed", &[], ""));
        assert_eq!(by_name(&ix), vec![1, 3, 2]);
        let mut archived = entry(1, "Bob", &[], "");
        archived.archived = true;
        ix.upsert(archived);
        assert_eq!(by_name(&ix), vec![3, 2]);
        let q = ListQuery {
            archived: true,
            ..Default::default()
        };
        assert_eq!(ix.query(&q, 10).ids, vec![1]);
        let q = ListQuery {
            sort: SortBy::Created,
            desc: true,
            ..Default::default()
        };
        assert_eq!(ix.query(&q, 10).ids, vec![3, 2]);
    }

    #[test]
    fn pages_and_totals() {
        let ix = CustomerIndex::build((1..=25).map(|i| entry(i, &format!("name{i:02}"), &[], "")).collect());
        let q = ListQuery {
            sort: SortBy::Name,
            offset: 20,
            ..Default::default()
        };
        let hits = ix.query(&q, 10);
        assert_eq!(hits.total, 25);
        assert_eq!(hits.ids, vec![21, 22, 23, 24, 25]);
    }
}

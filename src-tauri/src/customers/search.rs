//! Customer search: text normalisation (lower case, phone digits, pinyin via the `pinyin`
//! crate) and the in-memory index that answers list queries at 100,000 customers.
//!
//! The index holds, per customer, two normalised strings written by Rust on save
//! (`search_text`: name, full pinyin, initials; `search_other`: phone digits, company,
//! tags, notes, WeChat, e-mail) plus the sort and filter keys. A query scans it with
//! SIMD substring search, walking a pre-sorted order, so any substring of one or two
//! characters (张伟, zw) matches as fast as a long one.

use std::collections::HashMap;

use pinyin::ToPinyin;

use chrono::NaiveDate;

use super::model::{ContactFilter, FollowupFilter, ListQuery, SortBy, TagCount, Tier};
use crate::kernel::cadence::{contact_status, effective_cadence, Cadence, ContactStatus, TierCadences};

/// Separates the parts of a normalised search string so no match spans two fields.
const SEP: char = '\u{1}';

/// The version of the normalisation below; stored names are normalised again at start-up
/// when it changes.
pub const NORMALISATION_VERSION: i64 = 2;

/// Surnames read differently from the character's everyday reading (曾 is zeng, not ceng).
const SURNAME_READINGS: &[(char, &str)] = &[
    ('曾', "zeng"),
    ('单', "shan"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('朴', "piao"),
    ('查', "zha"),
    ('盖', "ge"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('覃', "qin"),
    ('乐', "yue"),
];

/// The plain pinyin of character `i` of a name: the surname reading for the first one.
fn reading(i: usize, c: char) -> Option<&'static str> {
    if i == 0 {
        if let Some((_, r)) = SURNAME_READINGS.iter().find(|(s, _)| *s == c) {
            return Some(r);
        }
    }
    c.to_pinyin().map(|p| p.plain())
}

/// Full pinyin (no tones, no spaces) and initials of a name; non-Chinese
/// characters are kept, lower-cased, in both (initials take each word's first letter).
/// A surname with its own reading (曾 zeng, 单 shan) is read as a surname.
pub fn pinyin_keys(name: &str) -> (String, String) {
    let mut full = String::new();
    let mut initials = String::new();
    let mut in_word = false;
    for (i, c) in name.trim().chars().enumerate() {
        if let Some(p) = reading(i, c) {
            full.push_str(p);
            initials.extend(p.chars().next());
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
    for (i, c) in name.trim().chars().enumerate() {
        if let Some(p) = reading(i, c) {
            key.push_str(p);
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
    let lower = norm(name.trim());
    format!("{lower}{SEP}{full}{SEP}{initials}")
}

/// Lower case without control characters (they separate fields in the index).
fn norm(s: &str) -> String {
    s.to_lowercase().chars().filter(|c| !c.is_control()).collect()
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
        s.push_str(&norm(part));
        s.push(SEP);
    }
    s
}

/// Split a query into lower-cased terms; a term that looks like a phone
/// fragment (digits with + - ( ) . separators) is reduced to its digits.
pub fn query_terms(q: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for raw in q.split_whitespace() {
        let t: String = raw.to_lowercase().chars().filter(|c| !c.is_control()).collect();
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

/// What the index is given for one customer.
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
    /// Local date the record was created (the cadence clock starts here).
    pub created_date: NaiveDate,
    /// Local date of the last real contact.
    pub last_contact: Option<NaiveDate>,
    /// Soonest planned visit.
    pub next_visit: Option<NaiveDate>,
    /// Local date the customer last came (an arrival).
    pub last_visit: Option<NaiveDate>,
    pub cadence_ideal_days: Option<u32>,
    pub cadence_max_days: Option<u32>,
    /// Marked lost (客户流失) and not won back: out of keep-in-touch.
    pub lost: bool,
}

/// What a query needs to know beyond the index: the local day and the tier cadences.
#[derive(Debug, Clone, Copy)]
pub struct QueryContext {
    pub today: NaiveDate,
    pub cadences: TierCadences,
}

/// One customer due for contact, as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRow {
    pub id: i64,
    pub days_since: i64,
    pub cadence: Cadence,
    pub status: ContactStatus,
}

/// Ends the name part of a customer's text in the haystack.
const NAME_END: u8 = 2;
/// Ends a customer's text in the haystack.
const ENTRY_END: u8 = 3;

/// Per-customer keys the list filters and sorts by: fixed size, no allocation of their own
/// (the name key and the tags live in the index's shared buffers).
#[derive(Debug, Clone)]
struct Keys {
    id: i64,
    /// `updated_at` in microseconds since 1970 (orders as the stored text does).
    updated: i64,
    /// The name key in `names`: start and length.
    name: (u32, u32),
    /// The tag ids in `tag_lists`: start and count.
    tags: (u32, u32),
    tier: Tier,
    archived: bool,
    created_date: NaiveDate,
    last_contact: Option<NaiveDate>,
    next_visit: Option<NaiveDate>,
    last_visit: Option<NaiveDate>,
    cadence_ideal_days: Option<u32>,
    cadence_max_days: Option<u32>,
    lost: bool,
}

impl Keys {
    fn contact(&self, ctx: &QueryContext) -> (i64, Cadence, ContactStatus) {
        let cadence = effective_cadence(
            ctx.cadences.of(self.tier),
            self.cadence_ideal_days,
            self.cadence_max_days,
        );
        let (days, status) = contact_status(self.last_contact, self.created_date, cadence, ctx.today);
        (days, cadence, status)
    }
}

/// The in-memory customer index.
///
/// All customers' normalised text lives in one contiguous `haystack`, so a term is found
/// with one SIMD scan; `regions` maps each stretch of it back to its customer. An edit
/// appends the new text and retires the old stretch; the haystack is compacted when
/// more than half of it is retired. Slots are never removed (customers are archived,
/// not deleted), so slot order is id order is creation order, and a customer's slot is
/// found by binary search on the ids.
///
/// Per customer it holds about 90 bytes of keys and orders plus its text: every name key
/// in one `names` buffer, tags as numbers into one table of tag names.
#[derive(Debug, Default)]
pub struct CustomerIndex {
    keys: Vec<Keys>,
    /// Per slot: tier rank in bits 0-1, archived in bit 2 (compact, for fast filtering).
    flags: Vec<u8>,
    /// Every slot's name key, one after another (edits append; compaction drops the old).
    names: String,
    /// Every slot's tag ids, one list after another.
    tag_lists: Vec<u32>,
    /// Tag names (lower case) by id, and ids by name.
    tag_names: Vec<String>,
    tag_ids: HashMap<String, u32>,
    haystack: Vec<u8>,
    /// (start offset, slot or DEAD), sorted by start.
    regions: Vec<(u32, u32)>,
    /// Each slot's live region (index into `regions`).
    region_of: Vec<u32>,
    dead_bytes: usize,
    by_name: Vec<u32>,
    by_updated: Vec<u32>,
}

const DEAD: u32 = u32::MAX;

/// How an order compares two slots.
type SlotCmp = fn(&CustomerIndex, u32, u32) -> std::cmp::Ordering;

/// Customers' tiers by id, from [`CustomerIndex::tiers`].
pub struct TierTable(Vec<Option<Tier>>);

impl TierTable {
    pub fn get(&self, id: i64) -> Option<Tier> {
        usize::try_from(id).ok().and_then(|i| self.0.get(i).copied().flatten())
    }
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
        entries.dedup_by_key(|e| e.id);
        let mut b = IndexBuilder::default();
        for e in entries {
            b.push(e);
        }
        b.finish()
    }

    /// Append a slot for `e` (ids ascending) to the keys, texts and flags, not the orders.
    fn push_slot(&mut self, e: &IndexEntry) -> u32 {
        let slot = self.keys.len() as u32;
        let region = self.append_text(e, slot);
        self.region_of.push(region);
        self.flags.push(flags_of(e));
        let keys = self.keys_of(e);
        self.keys.push(keys);
        slot
    }

    /// The keys of `e`, its name key and tags added to the shared buffers.
    fn keys_of(&mut self, e: &IndexEntry) -> Keys {
        let name = (self.names.len() as u32, e.name_key.len() as u32);
        self.names.push_str(&e.name_key);
        let tags = (self.tag_lists.len() as u32, e.tags.len() as u32);
        for t in &e.tags {
            let id = match self.tag_ids.get(t.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.tag_names.len() as u32;
                    self.tag_names.push(t.clone());
                    self.tag_ids.insert(t.clone(), id);
                    id
                }
            };
            self.tag_lists.push(id);
        }
        Keys {
            id: e.id,
            updated: updated_key(&e.updated_at),
            name,
            tags,
            tier: e.tier,
            archived: e.archived,
            created_date: e.created_date,
            last_contact: e.last_contact,
            next_visit: e.next_visit,
            last_visit: e.last_visit,
            cadence_ideal_days: e.cadence_ideal_days,
            cadence_max_days: e.cadence_max_days,
            lost: e.lost,
        }
    }

    fn slot_of(&self, id: i64) -> Option<u32> {
        self.keys.binary_search_by_key(&id, |k| k.id).ok().map(|s| s as u32)
    }

    fn name_of(&self, k: &Keys) -> &str {
        let (start, len) = (k.name.0 as usize, k.name.1 as usize);
        self.names.get(start..start + len).unwrap_or_default()
    }

    fn tags_of(&self, k: &Keys) -> &[u32] {
        let (start, len) = (k.tags.0 as usize, k.tags.1 as usize);
        self.tag_lists.get(start..start + len).unwrap_or_default()
    }

    fn name_cmp(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let (a, b) = (&self.keys[a as usize], &self.keys[b as usize]);
        self.name_of(a).cmp(self.name_of(b)).then(a.id.cmp(&b.id))
    }

    fn updated_cmp(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let (a, b) = (&self.keys[a as usize], &self.keys[b as usize]);
        a.updated.cmp(&b.updated).then(a.id.cmp(&b.id))
    }

    /// Sort both orders from scratch. Names are sorted by their first 16 bytes as one
    /// number, and by the whole key only where those are equal (the same order, in a
    /// fraction of the time at 100k customers).
    fn sort_orders(&mut self) {
        let mut by_name: Vec<(u128, u32)> = self
            .keys
            .iter()
            .enumerate()
            .map(|(slot, k)| {
                let mut head = [0u8; 16];
                let name = self.name_of(k).as_bytes();
                let n = name.len().min(16);
                head[..n].copy_from_slice(&name[..n]);
                (u128::from_be_bytes(head), slot as u32)
            })
            .collect();
        by_name.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| self.name_cmp(a.1, b.1)));
        let by_name = by_name.into_iter().map(|(_, slot)| slot).collect();
        let mut by_updated: Vec<u32> = (0..self.keys.len() as u32).collect();
        by_updated.sort_unstable_by(|a, b| self.updated_cmp(*a, *b));
        self.by_name = by_name;
        self.by_updated = by_updated;
    }

    /// Take `slot` out of both orders (before its keys change).
    fn unorder(&mut self, slot: u32) {
        if let Some(pos) = self.find(&self.by_name, slot, Self::name_cmp) {
            self.by_name.remove(pos);
        }
        if let Some(pos) = self.find(&self.by_updated, slot, Self::updated_cmp) {
            self.by_updated.remove(pos);
        }
    }

    /// Put `slot` into both orders at its place.
    fn order(&mut self, slot: u32) {
        let pos = self.place(&self.by_name, slot, Self::name_cmp);
        self.by_name.insert(pos, slot);
        let pos = self.place(&self.by_updated, slot, Self::updated_cmp);
        self.by_updated.insert(pos, slot);
    }

    /// Where `slot` belongs in `order`, sorted by `cmp`.
    fn place(&self, order: &[u32], slot: u32, cmp: SlotCmp) -> usize {
        order.binary_search_by(|s| cmp(self, *s, slot)).unwrap_or_else(|p| p)
    }

    /// Where `slot` is in `order`: by its keys, else one by one (an order left stale).
    fn find(&self, order: &[u32], slot: u32, cmp: SlotCmp) -> Option<usize> {
        order
            .binary_search_by(|s| cmp(self, *s, slot))
            .ok()
            .or_else(|| order.iter().position(|s| *s == slot))
    }

    fn append_text(&mut self, e: &IndexEntry, slot: u32) -> u32 {
        let start = self.haystack.len() as u32;
        self.haystack.extend_from_slice(e.search_text.as_bytes());
        self.haystack.push(NAME_END);
        self.haystack.extend_from_slice(e.search_other.as_bytes());
        self.haystack.push(ENTRY_END);
        self.regions.push((start, slot));
        (self.regions.len() - 1) as u32
    }

    /// The text of a slot: its name part and the rest.
    fn text_of(&self, slot: u32) -> &[u8] {
        let r = self.region_of[slot as usize] as usize;
        let start = self.regions[r].0 as usize;
        let end = self.regions.get(r + 1).map_or(self.haystack.len(), |n| n.0 as usize);
        &self.haystack[start..end]
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Insert a new customer or replace an existing one, keeping the orders sorted.
    pub fn upsert(&mut self, entry: IndexEntry) {
        if let Some(slot) = self.slot_of(entry.id) {
            let s = slot as usize;
            self.unorder(slot);
            let old = self.region_of[s] as usize;
            // What the old text, name key and tags held is retired (counted once, with
            // the text: compaction rebuilds all three).
            self.dead_bytes += self.text_of(slot).len();
            self.regions[old].1 = DEAD;
            self.region_of[s] = self.append_text(&entry, slot);
            self.flags[s] = flags_of(&entry);
            self.keys[s] = self.keys_of(&entry);
            self.order(slot);
            if self.dead_bytes > self.haystack.len() / 2 {
                self.compact();
            }
        } else if self.keys.last().is_some_and(|last| last.id > entry.id) {
            let mut all = self.entries();
            all.push(entry);
            *self = Self::build(all);
        } else {
            let slot = self.push_slot(&entry);
            self.order(slot);
        }
    }

    /// Add many new entries at once (bulk insert), re-sorting once.
    pub fn extend(&mut self, new: Vec<IndexEntry>) {
        let mut all = self.entries();
        all.extend(new);
        *self = Self::build(all);
    }

    /// The entries back, to rebuild from.
    fn entries(&self) -> Vec<IndexEntry> {
        (0..self.keys.len() as u32)
            .map(|slot| {
                let k = &self.keys[slot as usize];
                let text = self.text_of(slot);
                let split = text.iter().position(|b| *b == NAME_END).unwrap_or(text.len());
                let other = text.get(split + 1..text.len().saturating_sub(1)).unwrap_or_default();
                IndexEntry {
                    id: k.id,
                    tier: k.tier,
                    archived: k.archived,
                    tags: self
                        .tags_of(k)
                        .iter()
                        .map(|t| self.tag_names[*t as usize].clone())
                        .collect(),
                    name_key: self.name_of(k).to_string(),
                    updated_at: updated_text(k.updated),
                    search_text: String::from_utf8_lossy(&text[..split]).into_owned(),
                    search_other: String::from_utf8_lossy(other).into_owned(),
                    created_date: k.created_date,
                    last_contact: k.last_contact,
                    next_visit: k.next_visit,
                    last_visit: k.last_visit,
                    cadence_ideal_days: k.cadence_ideal_days,
                    cadence_max_days: k.cadence_max_days,
                    lost: k.lost,
                }
            })
            .collect()
    }

    fn compact(&mut self) {
        *self = Self::build(self.entries());
    }

    /// Active customers past the ideal interval of their cadence, most overdue first
    /// (past the maximum before past the ideal, then by days beyond the ideal).
    pub fn due_contacts(&self, ctx: &QueryContext, offset: usize, limit: usize) -> (usize, Vec<DueRow>) {
        let mut due: Vec<DueRow> = self
            .keys
            .iter()
            .zip(&self.flags)
            .filter(|(_, f)| *f & OUT_OF_TOUCH == 0)
            .filter_map(|(k, _)| {
                let (days_since, cadence, status) = k.contact(ctx);
                (status != ContactStatus::Fine).then_some(DueRow {
                    id: k.id,
                    days_since,
                    cadence,
                    status,
                })
            })
            .collect();
        due.sort_by_key(|r| {
            (
                std::cmp::Reverse(r.status),
                std::cmp::Reverse(r.days_since - i64::from(r.cadence.ideal_days)),
                r.id,
            )
        });
        let total = due.len();
        (total, due.into_iter().skip(offset).take(limit).collect())
    }

    /// Every customer's tier, by id (a copy, so the index is not held while it is used).
    pub fn tiers(&self) -> TierTable {
        let max = self.keys.iter().map(|k| k.id).max().unwrap_or(0).clamp(0, 1 << 26) as usize;
        let mut by_id = vec![None; max + 1];
        for k in &self.keys {
            if let Some(slot) = usize::try_from(k.id).ok().and_then(|i| by_id.get_mut(i)) {
                *slot = Some(k.tier);
            }
        }
        TierTable(by_id)
    }

    /// Customers created on or before the local day `day`, archived or not, by tier.
    pub fn created_by_tier(&self, day: NaiveDate) -> HashMap<Tier, usize> {
        let mut counts = HashMap::new();
        for k in self.keys.iter().filter(|k| k.created_date <= day) {
            *counts.entry(k.tier).or_default() += 1;
        }
        counts
    }

    /// Active customers past the longest interval of their cadence now, by tier.
    pub fn past_max_by_tier(&self, ctx: &QueryContext) -> HashMap<Tier, usize> {
        let mut counts = HashMap::new();
        for (k, _) in self
            .keys
            .iter()
            .zip(&self.flags)
            .filter(|(_, f)| *f & OUT_OF_TOUCH == 0)
        {
            if k.contact(ctx).2 == ContactStatus::Overdue {
                *counts.entry(k.tier).or_default() += 1;
            }
        }
        counts
    }

    /// Each active customer's cadence clock: (id, day it started, cadence).
    pub fn contact_bases(&self, ctx: &QueryContext) -> Vec<(i64, NaiveDate, Cadence)> {
        self.keys
            .iter()
            .zip(&self.flags)
            .filter(|(_, f)| *f & OUT_OF_TOUCH == 0)
            .map(|(k, _)| {
                let (_, cadence, _) = k.contact(ctx);
                (k.id, k.last_contact.unwrap_or(k.created_date), cadence)
            })
            .collect()
    }

    /// Every tag in use by active customers, with how many carry it, most used first.
    pub fn tags(&self) -> Vec<TagCount> {
        let mut counts = vec![0usize; self.tag_names.len()];
        for k in self.keys.iter().filter(|k| !k.archived) {
            for t in self.tags_of(k) {
                counts[*t as usize] += 1;
            }
        }
        let mut v: Vec<TagCount> = counts
            .into_iter()
            .zip(&self.tag_names)
            .filter(|(c, _)| *c > 0)
            .map(|(c, t)| TagCount {
                tag: t.clone(),
                count: c,
            })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.tag.cmp(&b.tag)));
        v
    }

    /// Slots whose text contains every term (one scan of the haystack per term).
    fn matching(&self, terms: &[String]) -> Option<Vec<bool>> {
        let mut acc: Option<Vec<bool>> = None;
        for t in terms {
            let mut hit = vec![false; self.keys.len()];
            let mut region = 0usize;
            for pos in memchr::memmem::find_iter(&self.haystack, t.as_bytes()) {
                let pos = pos as u32;
                // Positions come in order: walk the regions forward.
                while region + 1 < self.regions.len() && self.regions[region + 1].0 <= pos {
                    region += 1;
                }
                let slot = self.regions[region].1;
                if slot != DEAD {
                    hit[slot as usize] = true;
                }
            }
            acc = Some(match acc {
                None => hit,
                Some(mut a) => {
                    a.iter_mut().zip(&hit).for_each(|(x, y)| *x &= *y);
                    a
                }
            });
        }
        acc
    }

    /// Answer a list query: the ids of one page, in order, and how many match in all.
    pub fn query(&self, q: &ListQuery, limit: usize, ctx: &QueryContext) -> Hits {
        let terms = query_terms(&q.q);
        let matched = self.matching(&terms);
        // A tag nobody carries matches nobody (`u32::MAX` is no tag's id).
        let tag = q
            .tag
            .as_ref()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .map(|t| self.tag_ids.get(&t).copied().unwrap_or(u32::MAX));
        let (mask, want_flags) = match q.tier {
            Some(t) => (0b111, t.rank() | (u8::from(q.archived) << 2)),
            None => (0b100, u8::from(q.archived) << 2),
        };
        let today = ctx.today;
        let week = today + chrono::Days::new(7);
        let unvisited_since = q
            .not_visited_days
            .map(|n| today - chrono::Days::new(u64::from(n.min(36_500))));
        let keep = |slot: u32| -> bool {
            let s = slot as usize;
            self.flags[s] & mask == want_flags
                && matched.as_ref().is_none_or(|m| m[s])
                && tag.is_none_or(|t| self.tags_of(&self.keys[s]).contains(&t))
                && q.followup.is_none_or(|f| {
                    let next = self.keys[s].next_visit;
                    match f {
                        FollowupFilter::Overdue => next.is_some_and(|d| d < today),
                        FollowupFilter::DueToday => next.is_some_and(|d| d <= today),
                        FollowupFilter::DueWeek => next.is_some_and(|d| d <= week),
                        FollowupFilter::NonePlanned => next.is_none(),
                    }
                })
                && q.contact.is_none_or(|c| {
                    let k = &self.keys[s];
                    if k.lost {
                        return false;
                    }
                    match c {
                        ContactFilter::Never => k.last_contact.is_none(),
                        ContactFilter::Due => k.contact(ctx).2 >= ContactStatus::Due,
                        ContactFilter::Overdue => k.contact(ctx).2 == ContactStatus::Overdue,
                    }
                })
                && q.only_ids
                    .as_ref()
                    .is_none_or(|ids| ids.binary_search(&self.keys[s].id).is_ok())
                && unvisited_since.is_none_or(|since| {
                    // Never came: counted from the day the record was made.
                    let k = &self.keys[s];
                    k.last_visit.unwrap_or(k.created_date) < since
                })
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
                if keep(slot) {
                    if total >= q.offset && total < want {
                        page.push(self.keys[slot as usize].id);
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
                    if keep(slot) {
                        buckets[relevance(self.text_of(slot), &terms)].push(slot);
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
            SortBy::NextVisit | SortBy::LastContact => {
                let mut slots: Vec<u32> = (0..self.keys.len() as u32).filter(|s| keep(*s)).collect();
                if sort == SortBy::NextVisit {
                    slots.sort_by_key(|s| (self.keys[*s as usize].next_visit.unwrap_or(NaiveDate::MAX), *s));
                } else {
                    slots.sort_by_key(|s| (self.keys[*s as usize].last_contact.unwrap_or(NaiveDate::MIN), *s));
                }
                walk_order(&slots, q.desc, &mut walk)
            }
            SortBy::Name => walk_order(&self.by_name, q.desc, &mut walk),
            SortBy::Updated => walk_order(&self.by_updated, q.desc, &mut walk),
            SortBy::Created => {
                let n = self.keys.len() as u32;
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

/// Bits 0–1 the tier, 2 archived, 3 lost.
fn flags_of(e: &IndexEntry) -> u8 {
    e.tier.rank() | (u8::from(e.archived) << 2) | (u8::from(e.lost) << 3)
}

/// Archived and lost customers are out of keep-in-touch.
const OUT_OF_TOUCH: u8 = 0b1100;

/// A stored `updated_at` (RFC 3339) as microseconds since 1970; text that is not one
/// sorts first.
fn updated_key(ts: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(ts).map_or(i64::MIN, |t| t.timestamp_micros())
}

/// [`updated_key`] back to text (for a rebuild, which reads it again).
fn updated_text(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
        .unwrap_or_default()
}

/// Builds a [`CustomerIndex`] from entries pushed in ascending id order (streamed from the
/// database, so the whole table is never held twice).
#[derive(Default)]
pub struct IndexBuilder {
    ix: CustomerIndex,
}

impl IndexBuilder {
    /// Add the next customer; an id not above the last one's is out of order and ends in
    /// a full rebuild at [`IndexBuilder::finish`].
    pub fn push(&mut self, e: IndexEntry) {
        self.ix.push_slot(&e);
    }

    pub fn finish(mut self) -> CustomerIndex {
        if self.ix.keys.windows(2).any(|w| w[0].id >= w[1].id) {
            return CustomerIndex::build(self.ix.entries());
        }
        self.ix.haystack.shrink_to_fit();
        self.ix.names.shrink_to_fit();
        self.ix.sort_orders();
        self.ix
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
fn relevance(text: &[u8], terms: &[String]) -> usize {
    let name = &text[..text.iter().position(|b| *b == NAME_END).unwrap_or(text.len())];
    let parts = || name.split(|b| *b == SEP as u8);
    let contains = |hay: &[u8], t: &str| memchr::memmem::find(hay, t.as_bytes()).is_some();
    if terms.iter().all(|t| parts().any(|p| p.starts_with(t.as_bytes()))) {
        0
    } else if terms.iter().all(|t| contains(name, t)) {
        1
    } else {
        2
    }
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
            created_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            last_contact: None,
            next_visit: None,
            last_visit: None,
            cadence_ideal_days: None,
            cadence_max_days: None,
            lost: false,
        }
    }

    fn ctx() -> QueryContext {
        QueryContext {
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            cadences: TierCadences::default(),
        }
    }

    fn ids(ix: &CustomerIndex, q: &str) -> Vec<i64> {
        let q = ListQuery {
            q: q.into(),
            ..Default::default()
        };
        ix.query(&q, 100, &ctx()).ids
    }

    #[test]
    fn pinyin_of_names() {
        assert_eq!(pinyin_keys("张伟"), ("zhangwei".into(), "zw".into()));
        assert_eq!(pinyin_keys("曾小贤"), ("zengxiaoxian".into(), "zxx".into()));
        assert_eq!(pinyin_keys("单田芳").0, "shantianfang");
        assert_eq!(pinyin_keys("解缙").0, "xiejin");
        assert_eq!(pinyin_keys("仇英").0, "qiuying");
        assert_eq!(pinyin_keys("区志强").0, "ouzhiqiang");
        assert_eq!(pinyin_keys("朴树").0, "piaoshu");
        // Only as the surname: 单 inside a name keeps its everyday reading.
        assert_eq!(pinyin_keys("王单").0, "wangdan");
        assert!(name_key("曾小贤") > name_key("蔡"), "曾 sorts among the Z's");
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
                &ctx(),
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
        assert_eq!(ix.query(&q, 10, &ctx()).ids, vec![1]);
        let q = ListQuery {
            sort: SortBy::Created,
            desc: true,
            ..Default::default()
        };
        assert_eq!(ix.query(&q, 10, &ctx()).ids, vec![3, 2]);
    }

    #[test]
    fn edits_retire_old_text_and_compaction_keeps_answers() {
        let mut ix = CustomerIndex::build(vec![entry(1, "张伟", &[], "靠窗"), entry(2, "王芳", &[], "")]);
        for i in 0..10 {
            ix.upsert(entry(1, &format!("李娜{i}"), &[], "包间"));
        }
        assert!(ids(&ix, "张伟").is_empty());
        assert!(ids(&ix, "靠窗").is_empty());
        assert_eq!(ids(&ix, "李娜9"), vec![1]);
        assert_eq!(ids(&ix, "包间"), vec![1]);
        assert_eq!(ids(&ix, "wf"), vec![2]);
        ix.upsert(entry(3, "a\u{1}\u{2}\u{3}b", &[], "x\u{3}y"));
        assert_eq!(ids(&ix, "ab"), vec![3]);
        assert_eq!(ids(&ix, "xy"), vec![3]);
    }

    #[test]
    fn pages_and_totals() {
        let ix = CustomerIndex::build((1..=25).map(|i| entry(i, &format!("name{i:02}"), &[], "")).collect());
        let q = ListQuery {
            sort: SortBy::Name,
            offset: 20,
            ..Default::default()
        };
        let hits = ix.query(&q, 10, &ctx());
        assert_eq!(hits.total, 25);
        assert_eq!(hits.ids, vec![21, 22, 23, 24, 25]);
    }
}

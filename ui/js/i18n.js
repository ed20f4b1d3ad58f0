// Translation: every visible string comes from i18n/<lang>.json through t().
import { $$ } from './dom.js';

export const LANGUAGES = ['zh-CN', 'en'];
const tables = {};
let current = 'zh-CN';

export async function loadTables() {
  await Promise.all(LANGUAGES.map(async (lang) => {
    const res = await fetch(`i18n/${lang}.json`);
    tables[lang] = await res.json();
  }));
}

export function defaultLanguage() {
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || '';
  return nav.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : 'en';
  document.documentElement.lang = current;
}

export function language() {
  return current;
}

/** The string for `key`: the current language's, else English's. */
function lookup(key) {
  const s = (tables[current] || {})[key];
  return s !== undefined ? s : (tables.en || {})[key];
}

const pluralRules = {};

/** The CLDR plural category of `n` in the current language ('one', 'other', …). */
function pluralCategory(n) {
  const num = Number(n);
  if (!Number.isFinite(num)) return 'other';
  pluralRules[current] ??= new Intl.PluralRules(current);
  return pluralRules[current].select(num);
}

/**
 * t(key, params): the string for the current language, with {name} filled in. A count
 * string is a plural key: both tables hold `key.one` and `key.other` (CLDR categories, the
 * same keys in both), and params.n chooses the form by Intl.PluralRules; zh-CN has no plural
 * forms, so it only ever reads `other`. Reminder texts in Rust (reminders/texts.rs) choose
 * the same way.
 */
export function t(key, params = {}) {
  let s = lookup(key);
  if (s === undefined && lookup(`${key}.other`) !== undefined) {
    s = lookup(`${key}.${pluralCategory(params.n)}`) ?? lookup(`${key}.other`);
  }
  if (s === undefined) return key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined ? String(params[k]) : m));
}

/** A comma-separated list entry: t list 'lunar.months' index 0 is 正月. */
export function tList(key, index) {
  return t(key).split(',')[index] ?? String(index + 1);
}

/** Fill static markup: data-i18n (text), data-i18n-placeholder, data-i18n-title. */
export function applyStatic(root = document) {
  for (const el of $$('[data-i18n]', root)) el.textContent = t(el.dataset.i18n);
  for (const el of $$('[data-i18n-placeholder]', root)) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of $$('[data-i18n-title]', root)) el.title = t(el.dataset.i18nTitle);
  document.title = t('app.title');
}

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

/** t(key, params): the string for the current language, with {name} filled in. */
export function t(key, params = {}) {
  const table = tables[current] || {};
  let s = table[key];
  if (s === undefined) s = (tables.en || {})[key];
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

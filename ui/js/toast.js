// Toasts: short translated messages, errors from Rust shown by their kind.
import { $, h } from './dom.js';
import { t } from './i18n.js';

/** Show an error from Rust ({kind, message, fields}) or JS as a translated toast. */
export function showError(err) {
  const kind = (err && err.kind) || 'internal';
  const detail = (err && err.message) || String(err);
  if (err && err.code) toast(t(`state.${err.code}`), '', 'error');
  else if (kind === 'invalid') toast(t('error.invalid'), fieldMessages(err.fields || []), 'error');
  else toast(t(`error.${kind}`), detail, 'error');
}

/** Field errors outside a form (an export, a file): "Where to save: this folder cannot be found". */
function fieldMessages(fields) {
  return fields.map((f) => `${t(`field.${f.field.split('.')[0]}`)}: ${t(`invalid.${f.code}`, { max: f.max })}`).join('\n');
}

/** A short message: `tone` is 'info', 'warning' (read before it goes) or 'error'. */
export function toast(title, detail = '', tone = 'info') {
  // The same message already on screen is not stacked again (every read failing at once
  // while the shared database is away would fill the window).
  const same = [...$('#toasts').children].some((t) =>
    t.querySelector('.toast-title')?.textContent === title
    && (t.querySelector('.toast-detail')?.textContent || '') === detail);
  if (same) return;
  const box = h('div', { class: `toast toast-${tone}`, role: tone === 'error' ? 'alert' : 'status' },
    h('div', { class: 'toast-title' }, title),
    detail ? h('div', { class: 'toast-detail' }, detail) : null);
  $('#toasts').append(box);
  setTimeout(() => box.remove(), tone === 'info' ? 2500 : 8000);
}

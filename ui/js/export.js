// Export: customers (all, or the list as filtered), return visits, complaints with their
// handling log, and reminders, to Excel (.xlsx, one sheet per kind) or CSV (UTF-8 with BOM,
// one file per kind). Where and which format: the system's save dialog (the name's ending).
import { api } from './api.js';
import { h } from './dom.js';
import { t, language } from './i18n.js';
import { todayIso } from './dialog.js';
import { showError, toast } from './toast.js';

export const KINDS = ['customers', 'visits', 'complaints', 'reminders', 'bookings'];

/** Ask where to save, then export `kinds` (customers filtered by `customers`, a list query, when given). */
export async function exportTo(kinds, customers = null, name = 'FrontDesk') {
  let path;
  try {
    path = await api.pickSaveFile(t('export.pick_file'), `${name}-${todayIso()}.xlsx`);
  } catch (e) {
    showError(e);
    return null;
  }
  if (!path) return null;
  const lower = path.toLowerCase();
  const format = lower.endsWith('.csv') ? 'csv' : 'xlsx';
  if (!lower.endsWith('.csv') && !lower.endsWith('.xlsx')) path += '.xlsx';
  try {
    const r = await api.exportData({ path, format, kinds, customers, lang: language() });
    const rows = r.counts.reduce((n, c) => n + c.rows, 0);
    toast(t('export.done', { n: rows }), r.files.join('\n'));
    return r;
  } catch (e) {
    showError(e);
    return null;
  }
}

/** The Settings card: choose what to export, then where. */
export function exportCard() {
  const box = (k) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', id: `export-${k}`, value: k, checked: true }), t(`export.kind.${k}`));
  const card = h('section', { class: 'card settings-card', id: 'export-card' },
    h('h2', {}, t('export.card')),
    h('p', { class: 'muted' }, t('export.hint')),
    h('fieldset', { class: 'field export-kinds' }, h('legend', { class: 'field-label' }, t('export.what')), KINDS.map(box)),
    h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'btn primary', id: 'export-all', onclick: () => {
        const kinds = KINDS.filter((k) => card.querySelector(`#export-${k}`).checked);
        if (!kinds.length) {
          toast(t('export.none_chosen'), '', 'error');
          return;
        }
        exportTo(kinds);
      } }, t('export.button'))));
  return card;
}

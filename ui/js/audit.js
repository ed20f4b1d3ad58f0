// The audit log (操作记录): every change to the records, filterable by record kind, staff
// and days, newest first, a page at a time.
import { api } from './api.js';
import { $, h, clear } from './dom.js';
import { t } from './i18n.js';
import { auditTable } from './audit-view.js';
import { showError } from './toast.js';
import { navigate } from './nav.js';

export const KINDS = ['customer', 'visit', 'complaint', 'reminder', 'setting'];
const PAGE = 100;
/** Filters stay while the app runs; `NOBODY` filters changes made with nobody at the desk. */
const NOBODY = '\u0000nobody';
const state = { kind: '', staff: '', from: '', to: '', offset: 0 };

export async function mount(main) {
  const staff = await api.staffOrNone();
  const set = (key) => (e) => { state[key] = e.target.value; state.offset = 0; load(); };
  main.append(h('section', { class: 'audit' },
    h('header', { class: 'section-head' },
      h('h1', {}, t('audit.title')),
      h('label', { class: 'inline-field' }, h('span', {}, t('audit.filter.kind')),
        h('select', { id: 'af-kind', onchange: set('kind') },
          h('option', { value: '' }, t('audit.any_kind')),
          KINDS.map((k) => h('option', { value: k, selected: state.kind === k }, t(`audit.kind.${k}`))))),
      h('label', { class: 'inline-field' }, h('span', {}, t('audit.filter.staff')),
        h('select', { id: 'af-staff', onchange: set('staff') },
          h('option', { value: '' }, t('audit.any_staff')),
          staff.map((s) => h('option', { value: s, selected: state.staff === s }, s)),
          h('option', { value: NOBODY, selected: state.staff === NOBODY }, t('audit.nobody')))),
      h('label', { class: 'inline-field' }, h('span', {}, t('audit.filter.from')),
        h('input', { type: 'date', id: 'af-from', value: state.from, onchange: set('from') })),
      h('label', { class: 'inline-field' }, h('span', {}, t('audit.filter.to')),
        h('input', { type: 'date', id: 'af-to', value: state.to, onchange: set('to') }))),
    h('p', { class: 'muted', id: 'audit-count', 'aria-live': 'polite' }),
    h('div', { id: 'audit-body' }),
    h('nav', { class: 'pager', 'aria-label': t('audit.pages') },
      h('button', { type: 'button', class: 'btn small', id: 'audit-newer', onclick: () => { state.offset = Math.max(0, state.offset - PAGE); load(); } }, t('audit.newer')),
      h('button', { type: 'button', class: 'btn small', id: 'audit-older', onclick: () => { state.offset += PAGE; load(); } }, t('audit.older')))));
  await load();
}

export async function load() {
  const body = $('#audit-body');
  if (!body) return;
  const query = {
    kind: state.kind || null,
    staff: state.staff === NOBODY ? '' : (state.staff || null),
    from: state.from || null,
    to: state.to || null,
    offset: state.offset,
    limit: PAGE,
  };
  let page;
  try {
    page = await api.auditLog(query);
  } catch (e) {
    if (e && e.kind === 'invalid' && Array.isArray(e.fields)) {
      // The days do not make a range: say so where the count goes, and show nothing.
      $('#audit-count').textContent = e.fields.map((f) => `${t(`audit.filter.${f.field}`)}: ${t(`invalid.${f.code}`, f)}`).join(' · ');
      clear(body);
      return;
    }
    showError(e);
    return;
  }
  clear(body);
  $('#audit-count').textContent = t('audit.count', { n: page.total });
  body.append(page.entries.length
    ? auditTable(page.entries, { record: true, openCustomer: (id) => navigate('customers', { customerId: id }) })
    : h('p', { class: 'placeholder' }, t('audit.none')));
  $('#audit-newer').disabled = state.offset === 0;
  $('#audit-older').disabled = state.offset + page.entries.length >= page.total;
}

// Churn (客户流失): mark a customer lost (type, reason, who), win them back, and the
// manager's register of lost customers filtered by type, reason and period.
import { api } from './api.js';
import { $, h, clear } from './dom.js';
import { t } from './i18n.js';
import { dayOnly, tierBadge } from './format.js';
import { field, openDialog, todayIso } from './dialog.js';
import { showError, toast } from './toast.js';
import { navigate } from './nav.js';

export const TYPES = ['natural', 'malicious', 'competitor', 'fault'];
const PAGE = 100;

/** A reason's label: built-in ones are translated, the user's own shown as typed. */
export function reasonName(r) {
  return r.code ? t(`churn.reason.${r.code}`) : r.name;
}

async function staffField(id) {
  const [staff, desk] = await Promise.all([api.staffOrNone(), api.deskStaff().catch(() => '')]);
  return field(t('churn.staff'),
    h('select', { id },
      h('option', { value: '' }, t('churn.nobody')),
      staff.map((s) => h('option', { value: s, selected: s === desk }, s))), 'staff');
}

/** The "mark as lost" dialog; resolves with the loss, or null when closed. */
export async function markLost(customer) {
  let reasons = [];
  try {
    reasons = (await api.churnReasons()).filter((r) => !r.archived);
  } catch (e) {
    showError(e);
  }
  const body = [
    field(t('churn.lost_on'), h('input', { id: 'churn-lost-on', type: 'date', value: todayIso(), max: todayIso() }), 'lost_on'),
    field(t('churn.type'), h('select', { id: 'churn-type' },
      h('option', { value: '' }, t('churn.choose')),
      TYPES.map((v) => h('option', { value: v }, t(`churn.type.${v}`)))), 'churn_type'),
    field(t('churn.reason'), h('select', { id: 'churn-reason' },
      h('option', { value: '' }, t('churn.choose')),
      reasons.map((r) => h('option', { value: String(r.id) }, reasonName(r)))), 'reason_id'),
    field(t('churn.note'), h('textarea', { id: 'churn-note', rows: 3 }), 'note', 'wide'),
    await staffField('churn-staff'),
  ];
  return openDialog({
    id: 'churn-dialog',
    title: t('churn.mark_title', { name: customer.name }),
    body,
    submitLabel: t('churn.mark'),
    submit: (form) => api.churnMark(customer.id, {
      lost_on: $('#churn-lost-on', form).value,
      churn_type: $('#churn-type', form).value || null,
      reason_id: $('#churn-reason', form).value ? Number($('#churn-reason', form).value) : null,
      note: $('#churn-note', form).value,
      staff: $('#churn-staff', form).value,
    }),
  });
}

/** The "won back" dialog; resolves with the ended loss, or null when closed. */
export async function winBack(customer, loss) {
  return openDialog({
    id: 'win-back-dialog',
    title: t('churn.win_back_title', { name: customer.name }),
    body: [
      h('p', { class: 'wide muted' }, lossText(loss)),
      field(t('churn.won_back_on'), h('input', { id: 'won-back-on', type: 'date', value: todayIso(), min: loss.lost_on, max: todayIso() }), 'won_back_on'),
      field(t('churn.note'), h('textarea', { id: 'won-back-note', rows: 2 }), 'note', 'wide'),
      await staffField('won-back-staff'),
    ],
    submitLabel: t('churn.win_back'),
    submit: (form) => api.churnWinBack(customer.id, {
      won_back_on: $('#won-back-on', form).value,
      note: $('#won-back-note', form).value,
      staff: $('#won-back-staff', form).value,
    }),
  });
}

function lossText(e) {
  return t('churn.lost_text', {
    date: dayOnly(e.lost_on),
    type: t(`churn.type.${e.churn_type}`),
    reason: e.reason ? reasonName(e.reason) : '—',
  });
}

/** The banner on a lost customer's page: since when, why, and "won back". */
export function lossBanner(customer, loss, onChange) {
  return h('section', { class: 'loss-banner', id: 'loss-banner', role: 'status' },
    h('div', {},
      h('strong', {}, lossText(loss)),
      loss.note ? h('div', { class: 'muted' }, loss.note) : null,
      loss.staff ? h('div', { class: 'muted' }, t('churn.recorded_by', { staff: loss.staff })) : null),
    customer.anonymised ? null : h('button', { type: 'button', class: 'btn', id: 'won-back', onclick: async () => {
      if (await winBack(customer, loss)) {
        toast(t('churn.won_back_done', { name: customer.name }));
        onChange();
      }
    } }, t('churn.win_back')));
}

// ---- the register of lost customers (in the manager's section, below the dashboard) ----

const state = { churn_type: '', reason_id: '', from: '', to: '', open_only: false, offset: 0 };

export async function mountRegister(host) {
  let reasons = [];
  try {
    reasons = await api.churnReasons();
  } catch (e) {
    showError(e);
  }
  const set = (key, value) => { state[key] = value; state.offset = 0; load(); };
  host.append(
    h('section', { class: 'card', id: 'churn-register' },
      h('h2', {}, t('churn.register')),
      h('div', { class: 'filters register-filters' },
        h('select', { id: 'cf-type', 'aria-label': t('churn.type'), onchange: (e) => set('churn_type', e.target.value) },
          h('option', { value: '' }, t('churn.any_type')),
          TYPES.map((v) => h('option', { value: v, selected: state.churn_type === v }, t(`churn.type.${v}`)))),
        h('select', { id: 'cf-reason', 'aria-label': t('churn.reason'), onchange: (e) => set('reason_id', e.target.value) },
          h('option', { value: '' }, t('churn.any_reason')),
          reasons.map((r) => h('option', { value: String(r.id), selected: state.reason_id === String(r.id) }, reasonName(r)))),
        h('label', { class: 'inline-field' }, h('span', {}, t('churn.from')),
          h('input', { id: 'cf-from', type: 'date', value: state.from, onchange: (e) => set('from', e.target.value) })),
        h('label', { class: 'inline-field' }, h('span', {}, t('churn.to')),
          h('input', { id: 'cf-to', type: 'date', value: state.to, onchange: (e) => set('to', e.target.value) })),
        h('label', { class: 'check' },
          h('input', { id: 'cf-open', type: 'checkbox', checked: state.open_only, onchange: (e) => set('open_only', e.target.checked) }),
          t('churn.open_only'))),
      h('div', { id: 'churn-count', class: 'muted', 'aria-live': 'polite' }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'audit-table', id: 'churn-table' })),
      h('div', { class: 'button-row', id: 'churn-more' })));
  load();
}

async function load() {
  const table = $('#churn-table');
  if (!table) return;
  const q = {
    churn_type: state.churn_type || null,
    reason_id: state.reason_id ? Number(state.reason_id) : null,
    from: state.from || null,
    to: state.to || null,
    open_only: state.open_only,
    offset: state.offset,
    limit: PAGE,
  };
  let page;
  try {
    page = await api.churnRegister(q);
  } catch (e) {
    showError(e);
    return;
  }
  $('#churn-count').textContent = t('churn.count', { n: page.total });
  clear(table).append(
    h('thead', {}, h('tr', {}, ['customer', 'lost_on', 'type', 'reason', 'note', 'staff', 'won_back_on']
      .map((k) => h('th', { scope: 'col' }, t(`churn.col.${k}`))))),
    h('tbody', {}, page.items.map((e) => h('tr', { class: 'churn-row', dataset: { customer: String(e.customer_id) } },
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => navigate('customers', { customerId: e.customer_id }) }, e.customer_name),
        ' ', tierBadge(e.tier)),
      h('td', {}, dayOnly(e.lost_on)),
      h('td', {}, t(`churn.type.${e.churn_type}`)),
      h('td', {}, e.reason ? reasonName(e.reason) : ''),
      h('td', {}, e.note),
      h('td', {}, e.staff),
      h('td', {}, e.won_back_on ? dayOnly(e.won_back_on) : '')))));
  const more = $('#churn-more');
  clear(more);
  if (state.offset > 0) more.append(h('button', { type: 'button', class: 'btn small', onclick: () => { state.offset = Math.max(0, state.offset - PAGE); load(); } }, t('audit.newer')));
  if (state.offset + PAGE < page.total) more.append(h('button', { type: 'button', class: 'btn small', onclick: () => { state.offset += PAGE; load(); } }, t('audit.older')));
}

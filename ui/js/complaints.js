// The complaints section (投诉): the list with time left, escalation and breaches at a
// glance; the processing page with the workflow, the handling log and the printable form.
import { api } from './api.js';
import { $, $$, add, h, clear } from './dom.js';
import { t } from './i18n.js';
import { dateTime, tierBadge } from './format.js';
import {
  categoryName, closeDialog, currentStaff, handlerDialog, logText, money, noteDialog, printForm, registerComplaint,
  resolveDialog, setCurrentStaff, severityDialog, SEVERITIES, STATES, transition,
} from './complaint-dialogs.js';
import { showError } from './toast.js';
import { navigate, refreshCounts } from './nav.js';

const state = {
  query: { q: '', state: 'open', severity: null, category_id: null, overdue: false, min_escalation: null, customer_id: null },
  items: [], total: 0, selectedId: null, detail: null, categories: [], staff: [],
};
let searchTimer = null;

export async function mount(main, options = {}) {
  if (options.complaintId) state.selectedId = options.complaintId;
  if (options.customerId !== undefined) state.query.customer_id = options.customerId || null;
  main.append(h('section', { class: 'customers complaints' },
    h('div', { class: 'list-pane' },
      h('div', { class: 'toolbar' },
        h('input', { id: 'complaint-search', type: 'search', class: 'search', value: state.query.q, placeholder: t('complaints.search_placeholder'),
          oninput: (e) => { state.query.q = e.target.value; clearTimeout(searchTimer); searchTimer = setTimeout(reload, 150); } }),
        h('button', { type: 'button', class: 'btn primary', id: 'new-complaint', title: t('complaints.new_hint'), onclick: createNew }, t('complaints.new'))),
      h('div', { class: 'filters' },
        h('select', { id: 'cf-state', onchange: (e) => { state.query.state = e.target.value; reload(); } },
          ['open', 'all', ...STATES].map((s) => h('option', { value: s, selected: state.query.state === s }, t(`cfilter.${s}`)))),
        h('select', { id: 'cf-severity', onchange: (e) => { state.query.severity = e.target.value || null; reload(); } },
          h('option', { value: '' }, t('complaints.any_severity')), SEVERITIES.map((s) => h('option', { value: s, selected: state.query.severity === s }, t(`severity.${s}`)))),
        h('select', { id: 'cf-category', onchange: (e) => { state.query.category_id = e.target.value ? Number(e.target.value) : null; reload(); } },
          h('option', { value: '' }, t('complaints.any_category'))),
        h('select', { id: 'cf-escalation', onchange: (e) => { state.query.min_escalation = e.target.value ? Number(e.target.value) : null; reload(); } },
          h('option', { value: '' }, t('complaints.any_escalation')), [1, 2, 3].map((n) => h('option', { value: n, selected: state.query.min_escalation === n }, t(`escalation_min.${n}`)))),
        h('label', { class: 'check-filter' }, h('input', { type: 'checkbox', id: 'cf-overdue', checked: state.query.overdue, onchange: (e) => { state.query.overdue = e.target.checked; reload(); } }), t('complaints.overdue_only')),
        h('select', { id: 'current-staff', title: t('complaints.current_staff'), onchange: (e) => setCurrentStaff(e.target.value) },
          h('option', { value: '' }, t('complaints.who_am_i')))),
      h('div', { class: 'list-count', id: 'complaint-count' }),
      h('ul', { class: 'list', id: 'complaint-list', 'aria-busy': 'true' })),
    h('div', { class: 'detail-pane', id: 'complaint-detail' })));
  try {
    const [categories, staff] = await Promise.all([api.complaintCategories(), api.staffList()]);
    state.categories = categories;
    state.staff = staff;
    add($('#cf-category'), categories.map((c) => h('option', { value: c.id, selected: state.query.category_id === c.id }, categoryName(c))));
    add($('#current-staff'), staff.map((s) => h('option', { value: s, selected: s === currentStaff() }, s)));
  } catch (e) {
    showError(e);
  }
  await reload();
  if (state.selectedId) await loadDetail(state.selectedId);
  else renderDetail();
}

export function onKey(e, typing) {
  if (typing || document.querySelector('dialog[open]')) return;
  const i = state.items.findIndex((c) => c.id === state.selectedId);
  if (e.key === 'ArrowDown' && i < state.items.length - 1) {
    e.preventDefault();
    select(state.items[i + 1].id);
  } else if (e.key === 'ArrowUp' && i > 0) {
    e.preventDefault();
    select(state.items[i - 1].id);
  }
}

export async function createNew(customer = null) {
  const c = await registerComplaint(customer && customer.id ? customer : null);
  if (c) {
    state.selectedId = c.id;
    await reload();
    await loadDetail(c.id);
  }
}

/** Another desk changed something: the register is read again (same filters). */
export function refresh() {
  return reload();
}

async function reload() {
  const list = $('#complaint-list');
  if (!list) return;
  list.setAttribute('aria-busy', 'true');
  try {
    const page = await api.listComplaints({ ...state.query, limit: 200 });
    state.items = page.items;
    state.total = page.total;
  } catch (e) {
    showError(e);
  }
  clear(list);
  for (const c of state.items) list.append(row(c));
  const count = $('#complaint-count');
  clear(count);
  add(count, state.total ? t('complaints.count', { n: state.total }) : t('complaints.none'),
    state.query.customer_id ? h('button', { type: 'button', class: 'link-btn', onclick: () => { state.query.customer_id = null; reload(); } }, ` · ${t('complaints.all_customers')}`) : null);
  list.setAttribute('aria-busy', 'false');
  refreshCounts();
}

/** "3 h left" / "2 h overdue" / paused / done. */
function timeLeft(c) {
  if (!['registered', 'in_progress', 'waiting'].includes(c.state)) return h('span', { class: 'time-left done' }, t(`cstate.${c.state}`));
  if (c.minutes_left === null || c.minutes_left === undefined) return h('span', { class: 'time-left paused' }, t('complaints.paused'));
  const m = Math.abs(c.minutes_left);
  const text = m >= 1440 ? t('complaints.days', { n: Math.floor(m / 1440) }) : m >= 60 ? t('complaints.hours', { n: Math.floor(m / 60) }) : t('complaints.minutes', { n: m });
  return c.minutes_left < 0
    ? h('span', { class: 'time-left overdue' }, t('complaints.overdue_by', { t: text }))
    : h('span', { class: 'time-left' }, t('complaints.left', { t: text }));
}

function escalationBadge(c) {
  return c.escalation_level ? h('span', { class: `badge esc esc-${c.escalation_level}` }, t(`escalation.${c.escalation_level}`)) : null;
}

function breachBadge(c) {
  return c.response_breached_at || c.resolution_breached_at ? h('span', { class: 'badge breach', title: t('complaints.breach_hint') }, t('complaints.breach')) : null;
}

function row(c) {
  return h('li', { class: `customer-row complaint-row${c.id === state.selectedId ? ' selected' : ''}`, dataset: { id: c.id }, onclick: () => select(c.id) },
    h('div', { class: 'row-main' }, h('span', { class: 'serial' }, c.serial), h('span', { class: `badge sev-${c.severity}` }, t(`severity.${c.severity}`)),
      escalationBadge(c), breachBadge(c), timeLeft(c)),
    h('div', { class: 'row-sub' }, h('span', { class: 'row-name' }, c.customer_name), h('span', { class: 'row-summary' }, c.summary)));
}

async function select(id) {
  state.selectedId = id;
  for (const r of $$('.complaint-row')) r.classList.toggle('selected', Number(r.dataset.id) === id);
  await loadDetail(id);
}

async function loadDetail(id) {
  try {
    state.detail = await api.getComplaint(id);
  } catch (e) {
    state.detail = null;
    showError(e);
  }
  renderDetail();
}

async function act(promise) {
  const r = await promise;
  if (r) {
    await reload();
    await loadDetail(state.selectedId);
  }
}

function actions(c) {
  const b = (id, label, fn, primary = false) => h('button', { type: 'button', class: `btn small${primary ? ' primary' : ''}`, id, onclick: () => act(fn()) }, label);
  const list = [];
  const s = c.state;
  if (s === 'registered') list.push(b('act-start', t('caction.in_progress'), () => transition(c, 'in_progress'), true));
  if (s === 'waiting') list.push(b('act-resume', t('caction.resume'), () => transition(c, 'in_progress'), true));
  if (s === 'registered' || s === 'in_progress') list.push(b('act-wait', t('caction.waiting'), () => transition(c, 'waiting')));
  if (['registered', 'in_progress', 'waiting'].includes(s)) list.push(b('act-resolve', t('caction.resolved'), () => resolveDialog(c), s === 'in_progress'));
  if (s === 'resolved') list.push(b('act-close', t('caction.closed'), () => closeDialog(c), true));
  if (s === 'registered' || s === 'in_progress') {
    list.push(b('act-reject', t('caction.rejected'), () => transition(c, 'rejected')));
    list.push(b('act-duplicate', t('caction.duplicate'), () => transition(c, 'duplicate')));
  }
  if (['resolved', 'closed', 'rejected', 'duplicate'].includes(s)) list.push(b('act-reopen', t('caction.reopen'), () => transition(c, 'in_progress')));
  list.push(b('act-note', t('complaint.add_note'), () => noteDialog(c)));
  list.push(b('act-handler', t('complaint.change_handler'), () => handlerDialog(c)));
  if (['registered', 'in_progress', 'waiting'].includes(s)) list.push(b('act-severity', t('complaint.change_severity'), () => severityDialog(c)));
  list.push(h('button', { type: 'button', class: 'btn small', id: 'act-print', onclick: () => printForm(state.detail) }, t('complaint.print')));
  return list;
}

function deadline(label, due, met, breachedAt) {
  return [h('dt', {}, label), h('dd', {},
    dateTime(due),
    met ? h('span', { class: 'met' }, ` · ${t('complaints.met', { at: dateTime(met) })}`) : null,
    breachedAt ? h('span', { class: 'badge breach' }, t('complaints.breached_at', { at: dateTime(breachedAt) })) : null)];
}

function renderDetail() {
  const pane = $('#complaint-detail');
  if (!pane) return;
  clear(pane);
  const d = state.detail;
  if (!d) {
    add(pane, h('div', { class: 'placeholder' }, t('complaints.pick_one'), h('div', { class: 'muted' }, t('complaints.keys'))));
    return;
  }
  const c = d.complaint;
  add(pane,
    h('header', { class: 'detail-head' },
      h('div', {},
        h('h1', { id: 'complaint-serial' }, c.serial),
        h('div', { class: 'detail-badges' },
          h('span', { class: `badge state state-${c.state}`, id: 'complaint-state' }, t(`cstate.${c.state}`)),
          h('span', { class: `badge sev-${c.severity}` }, t(`severity.${c.severity}`)),
          escalationBadge(c), breachBadge(c), c.state === 'registered' || c.state === 'in_progress' || c.state === 'waiting' ? timeLeft(c) : null)),
      h('button', { type: 'button', class: 'btn', id: 'open-customer', onclick: () => navigate('customers', { customerId: c.customer_id }) }, c.customer_name, ' ', tierBadge(c.customer_tier))),
    h('div', { class: 'complaint-actions', id: 'complaint-actions' }, actions(c)),
    h('section', { class: 'card' },
      h('h2', {}, c.summary),
      c.details ? h('p', { class: 'notes' }, c.details) : null,
      h('dl', { class: 'facts' },
        h('dt', {}, t('complaint.received_at')), h('dd', {}, dateTime(c.received_at), ' · ', t(`cchannel.${c.channel}`)),
        h('dt', {}, t('complaint.category')), h('dd', {}, categoryName(c.category)),
        h('dt', {}, t('complaint.handler')), h('dd', { id: 'complaint-handler' }, c.handler || t('visit.staff_none')),
        c.claim_kind ? [h('dt', {}, t('complaint.claim')), h('dd', {}, t(`claim.${c.claim_kind}`), ' ', money(c.claim_amount_cents), c.claim_text ? ` · ${c.claim_text}` : '')] : null,
        c.duplicate_of ? [h('dt', {}, t('complaint.duplicate_of')), h('dd', {}, c.duplicate_of)] : null,
        deadline(t('complaint.response_due'), c.response_due, c.first_response_at, c.response_breached_at),
        deadline(t('complaint.resolution_due'), c.resolution_due, c.resolved_at, c.resolution_breached_at))),
    c.resolution ? h('section', { class: 'card', id: 'complaint-resolution' },
      h('h2', {}, t('complaint.resolution')),
      h('p', { class: 'notes' }, c.resolution),
      h('dl', { class: 'facts' },
        c.remedy_kind ? [h('dt', {}, t('complaint.remedy')), h('dd', {}, t(`claim.${c.remedy_kind}`), ' ', money(c.remedy_amount_cents))] : null,
        c.root_cause || c.root_cause_category ? [h('dt', {}, t('complaint.root_cause')), h('dd', {}, [c.root_cause_category, c.root_cause].filter(Boolean).join(':'))] : null,
        c.corrective_action ? [h('dt', {}, t('complaint.corrective_action')), h('dd', {}, c.corrective_action)] : null,
        c.satisfaction ? [h('dt', {}, t('outcome.satisfaction')), h('dd', { id: 'complaint-satisfaction' }, t(`satisfaction.${c.satisfaction}`), c.accepted === false ? ` · ${t('complaint.accepted_no')}` : '')] : null,
        c.return_visit_id ? [h('dt', {}, t('complaint.return_visit')), h('dd', { id: 'complaint-return-visit' }, t('complaint.return_visit_planned'))] : null)) : null,
    h('section', { class: 'card' },
      h('h2', {}, t('complaint.log')),
      h('ol', { class: 'timeline', id: 'complaint-log' }, d.log.map((l) => h('li', {},
        h('time', {}, dateTime(l.at)),
        h('span', { class: 'tl-kind' }, t(`clog.${l.kind}`)),
        l.staff ? h('span', { class: 'chip' }, l.staff) : null,
        h('span', { class: 'muted log-detail' }, logText(l)))))));
}

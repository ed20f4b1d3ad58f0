// The customers section: search, filters and an endless list on the left, the record on the right.
import { api } from './api.js';
import { $, $$, add, h, clear } from './dom.js';
import { t } from './i18n.js';
import { dateTime, dayOnly, specialDate, tierBadge, TIERS } from './format.js';
import { dropDraft, hasDraft, openCustomerForm } from './customer-form.js';
import { openDialog } from './dialog.js';
import { showError, toast } from './toast.js';
import { applyPlan, correctOutcome, planVisit, recordOutcome, reschedule } from './visit-dialogs.js';
import { navigate, refreshCounts } from './nav.js';
import { registerComplaint } from './complaint-dialogs.js';
import { auditTable } from './audit-view.js';
import { pickAndImport } from './import.js';
import { exportTo } from './export.js';
import { lossBanner, markLost } from './churn.js';
import { bookingStateBadge, bookingWhen, openBooking, walkIn } from './booking-dialogs.js';

const PAGE = 50;
/** The "not visited for" filter's choices, in days. */
const NOT_VISITED_DAYS = [30, 60, 90, 180, 365];
const state = {
  query: {
    q: '', tier: null, tag: null, archived: false, followup: null, contact: null, booked_today: false, not_visited_days: null,
    sort: 'relevance', desc: false,
  },
  items: [],
  total: 0,
  loading: false,
  done: false,
  generation: 0,
  selectedId: null,
  detail: null,
  tags: [],
  changesOpen: false,
};
let root = null;
let searchTimer = null;

function isBlankQuery() {
  const q = state.query;
  return !q.q.trim() && !q.tier && !q.tag && !q.archived && !q.followup && !q.contact && !q.booked_today && !q.not_visited_days;
}

export function mount(main, options = {}) {
  if (options.customerId) {
    state.selectedId = options.customerId;
    state.detail = null;
  }
  root = h('section', { class: 'customers' },
    h('div', { class: 'list-pane' },
      h('div', { class: 'toolbar' },
        h('input', {
          id: 'search', type: 'search', class: 'search', value: state.query.q, autocomplete: 'off',
          placeholder: t('customers.search_placeholder'), 'aria-label': t('customers.search_placeholder'),
          oninput: (e) => { state.query.q = e.target.value; scheduleReload(); },
          onkeydown: onSearchKey,
        }),
        h('button', { type: 'button', class: 'btn primary', id: 'new-customer', title: t('customers.new_hint'), onclick: () => createNew() },
          t('customers.new')),
        h('button', { type: 'button', class: 'btn', id: 'export-list', title: t('export.list_hint'),
          onclick: () => exportTo(['customers'], { ...state.query, offset: 0, limit: null }, t('export.file_customers')) },
        t('export.list'))),
      h('div', { class: 'filters' },
        h('select', { id: 'filter-tier', 'aria-label': t('customers.filter_tier'), onchange: (e) => { state.query.tier = e.target.value || null; reload(); } },
          h('option', { value: '' }, t('customers.all_tiers')),
          TIERS.map((tier) => h('option', { value: tier, selected: state.query.tier === tier }, t(`tier.${tier}`)))),
        h('select', { id: 'filter-tag', 'aria-label': t('customers.filter_tag'), onchange: (e) => { state.query.tag = e.target.value || null; reload(); } },
          h('option', { value: '' }, t('customers.all_tags'))),
        h('select', { id: 'filter-archived', 'aria-label': t('customers.filter_archived'), onchange: (e) => { state.query.archived = e.target.value === 'archived'; reload(); } },
          h('option', { value: 'active', selected: !state.query.archived }, t('customers.active')),
          h('option', { value: 'archived', selected: state.query.archived }, t('customers.archived'))),
        h('select', { id: 'filter-followup', 'aria-label': t('customers.filter_followup'), onchange: (e) => { state.query.followup = e.target.value || null; reload(); } },
          h('option', { value: '' }, t('customers.any_followup')),
          ['overdue', 'due_today', 'due_week', 'none_planned'].map((f) => h('option', { value: f, selected: state.query.followup === f }, t(`followup.${f}`)))),
        h('select', { id: 'filter-contact', 'aria-label': t('customers.filter_contact'), onchange: (e) => { state.query.contact = e.target.value || null; reload(); } },
          h('option', { value: '' }, t('customers.any_contact')),
          ['due', 'overdue', 'never'].map((f) => h('option', { value: f, selected: state.query.contact === f }, t(`contact_filter.${f}`)))),
        h('select', { id: 'filter-not-visited', 'aria-label': t('customers.filter_not_visited'),
          onchange: (e) => { state.query.not_visited_days = e.target.value ? Number(e.target.value) : null; reload(); } },
        h('option', { value: '' }, t('customers.any_visit')),
        NOT_VISITED_DAYS.map((n) => h('option', { value: String(n), selected: state.query.not_visited_days === n }, t('customers.not_visited', { n })))),
        h('label', { class: 'check-filter' },
          h('input', { type: 'checkbox', id: 'filter-booked-today', checked: state.query.booked_today,
            onchange: (e) => { state.query.booked_today = e.target.checked; reload(); } }),
          t('customers.booked_today')),
        h('select', { id: 'sort', 'aria-label': t('customers.sort'), onchange: (e) => { state.query.sort = e.target.value; reload(); } },
          ['relevance', 'name', 'created', 'updated', 'next_visit', 'last_contact'].map((s) => h('option', { value: s, selected: state.query.sort === s }, t(`sort.${s}`)))),
        h('button', { type: 'button', class: 'icon-btn', id: 'sort-dir', title: t('customers.sort_direction'),
          onclick: () => { state.query.desc = !state.query.desc; reload(); } }, state.query.desc ? '↓' : '↑')),
      h('div', { class: 'list-count', id: 'list-count' }),
      h('ul', { class: 'list', id: 'customer-list', role: 'listbox', tabindex: '0', onscroll: onScroll, onkeydown: onListKey })),
    h('div', { class: 'detail-pane', id: 'detail' }));
  main.append(root);
  loadTags();
  reload();
  renderDetail();
  if (state.selectedId) loadDetail(state.selectedId);
}

export function focusSearch() {
  const el = $('#search');
  el.focus();
  el.select();
}

/** A new customer; `prefill` fills the form (a caller's number: {phones: [number]}). */
export async function createNew(prefill = null) {
  const saved = await openCustomerForm(null, prefill);
  if (saved) {
    state.selectedId = saved.id;
    await reload();
    await loadDetail(saved.id);
    loadTags();
  }
}

async function loadTags() {
  try {
    state.tags = await api.customerTags();
  } catch (e) {
    showError(e);
    return;
  }
  const sel = $('#filter-tag');
  if (!sel) return;
  clear(sel).append(h('option', { value: '' }, t('customers.all_tags')),
    ...state.tags.map((tg) => h('option', { value: tg.tag, selected: state.query.tag === tg.tag }, `${tg.tag} (${tg.count})`)));
}

/** Reload after typing pauses; the list reports itself busy until the results are in. */
function scheduleReload() {
  clearTimeout(searchTimer);
  setBusy(true);
  searchTimer = setTimeout(() => { searchTimer = null; reload(); }, 120);
}

function setBusy(busy) {
  const list = $('#customer-list');
  if (list) list.setAttribute('aria-busy', busy ? 'true' : 'false');
}

let shownOnce = false;

/** Another desk changed customers: the list on screen is read again (same query, same place in it). */
export function refresh() {
  if ($('#customer-list')) reload();
}

async function reload() {
  state.generation += 1;
  setBusy(true);
  state.items = [];
  state.total = 0;
  state.done = false;
  state.loading = false;
  const dir = $('#sort-dir');
  if (dir) dir.textContent = state.query.desc ? '↓' : '↑';
  clear($('#customer-list'));
  await loadMore();
}

async function loadMore() {
  if (state.loading || state.done) return;
  state.loading = true;
  const gen = state.generation;
  try {
    const page = await api.listCustomers({ ...state.query, offset: state.items.length, limit: PAGE });
    if (gen !== state.generation) return;
    state.items.push(...page.items);
    state.total = page.total;
    state.done = state.items.length >= page.total || page.items.length === 0;
    renderRows(page.items);
    renderCount();
    if (!shownOnce) {
      shownOnce = true;
      // The first usable screen: the customer list is on it (the start-up time is measured to here).
      requestAnimationFrame(() => api.ready().catch(() => {}));
    }
  } catch (e) {
    showError(e);
  } finally {
    if (gen === state.generation) {
      state.loading = false;
      if (!searchTimer) setBusy(false);
    }
  }
  // Fill a tall window: keep loading until the list scrolls.
  const list = $('#customer-list');
  if (list && !state.done && list.scrollHeight <= list.clientHeight + 40) loadMore();
}

function renderCount() {
  const el = $('#list-count');
  if (!el) return;
  clear(el);
  if (state.total === 0 && isBlankQuery()) {
    el.append(h('div', { class: 'empty', id: 'empty-state' },
      h('p', {}, t('customers.empty')),
      h('button', { type: 'button', class: 'btn', id: 'load-demo', onclick: loadDemo }, t('customers.load_demo')),
      h('button', { type: 'button', class: 'btn', id: 'empty-import', onclick: pickAndImport }, t('import.button')),
      h('button', { type: 'button', class: 'btn primary', onclick: () => createNew() }, t('customers.new'))));
  } else if (state.total === 0) {
    el.append(t('customers.no_match'));
  } else {
    el.append(t('customers.count', { n: state.total }));
  }
  if (isBlankQuery()) {
    const nav = $('#nav-count-customers');
    if (nav) nav.textContent = state.total ? String(state.total) : '';
  }
}

function renderRows(items) {
  const list = $('#customer-list');
  for (const c of items) {
    list.append(h('li', {
      class: `customer-row${c.id === state.selectedId ? ' selected' : ''}`, role: 'option', dataset: { id: c.id },
      onclick: () => select(c.id),
    },
    h('div', { class: 'row-main' }, h('span', { class: 'row-name' }, c.name), tierBadge(c.tier), c.archived ? h('span', { class: 'badge archived' }, t('customers.archived_badge')) : null),
    h('div', { class: 'row-sub' }, h('span', { class: 'row-phone' }, c.phone || ''), h('span', { class: 'row-company' }, c.company),
      c.next_visit_date ? h('span', { class: 'row-next' }, t('customers.next_visit', { date: c.next_visit_date })) : null),
    c.tags.length ? h('div', { class: 'row-tags' }, c.tags.slice(0, 3).map((tg) => h('span', { class: 'chip' }, tg))) : null));
  }
}

function onScroll(e) {
  const el = e.target;
  if (el.scrollTop + el.clientHeight > el.scrollHeight - 200) loadMore();
}

function onSearchKey(e) {
  if (e.key === 'ArrowDown' || e.key === 'Enter') {
    e.preventDefault();
    if (state.items.length) select(state.items[0].id, true);
  } else if (e.key === 'Escape' && e.target.value) {
    e.target.value = '';
    state.query.q = '';
    scheduleReload();
  }
}

function onListKey(e) {
  const i = state.items.findIndex((c) => c.id === state.selectedId);
  if (e.key === 'ArrowDown' && i < state.items.length - 1) {
    e.preventDefault();
    select(state.items[i + 1].id, true);
  } else if (e.key === 'ArrowUp') {
    e.preventDefault();
    if (i > 0) select(state.items[i - 1].id, true);
    else focusSearch();
  } else if (e.key === 'Enter' && state.detail) {
    e.preventDefault();
    edit();
  }
}

export function onKey(e, typing) {
  if (typing || document.querySelector('dialog[open]') || e.ctrlKey || e.metaKey || e.altKey || !state.detail) return;
  const k = e.key.toLowerCase();
  if (k === 'e') {
    e.preventDefault();
    edit();
  } else if (k === 'b' && canBook(state.detail.customer)) {
    e.preventDefault();
    book(state.detail.customer);
  } else if (k === 'w' && canBook(state.detail.customer)) {
    e.preventDefault();
    arrivedNow(state.detail.customer);
  }
}

/** Bookings are for customers in use: not archived, not anonymised. */
function canBook(c) {
  return !c.archived_at && !c.anonymised;
}

async function book(c) {
  if (await openBooking({ customer: { id: c.id, name: c.name, tier: c.tier } })) await visitChanged(c.id);
}

/** "Arrived now": one keystroke (W) records a walk-in for this customer. */
async function arrivedNow(c) {
  if (await walkIn(c)) await visitChanged(c.id);
}

async function select(id, focusList = false) {
  state.selectedId = id;
  for (const row of $$('.customer-row')) row.classList.toggle('selected', Number(row.dataset.id) === id);
  const row = $(`.customer-row[data-id="${id}"]`);
  if (row) row.scrollIntoView({ block: 'nearest' });
  if (focusList) $('#customer-list').focus();
  await loadDetail(id);
}

async function loadDetail(id) {
  try {
    const detail = await api.getCustomer(id);
    if (state.selectedId !== id) return;
    state.detail = detail;
  } catch (e) {
    state.detail = null;
    showError(e);
  }
  renderDetail();
}

async function edit() {
  if (!state.detail) return;
  const saved = await openCustomerForm(state.detail.customer);
  if (saved) {
    await refreshAfterChange(saved.id);
  } else {
    renderDetail();
  }
}

/** Forget the customer on request, after a confirmation naming what is erased. */
async function anonymise() {
  const c = state.detail.customer;
  const done = await openDialog({
    id: 'anonymise-dialog',
    title: t('customers.anonymise_title', { name: c.name }),
    body: h('div', { class: 'wide' },
      h('p', {}, t('customers.anonymise_what')),
      h('p', { class: 'warning' }, t('customers.anonymise_warning'))),
    submitLabel: t('customers.anonymise_confirm'),
    submit: () => api.anonymiseCustomer(c.id),
  });
  if (!done) return;
  dropDraft(c.id);
  toast(t('toast.anonymised'));
  await refreshAfterChange(c.id);
}

async function setArchived(archive) {
  const c = state.detail.customer;
  try {
    if (archive) await api.archiveCustomer(c.id);
    else await api.restoreCustomer(c.id);
    toast(archive ? t('toast.archived', { name: c.name }) : t('toast.restored', { name: c.name }));
  } catch (e) {
    showError(e);
    return;
  }
  await refreshAfterChange(c.id);
}

async function refreshAfterChange(id) {
  await reload();
  await loadDetail(id);
  loadTags();
}

async function loadDemo() {
  try {
    const n = await api.seedDemo();
    toast(t('toast.demo_loaded', { n }));
  } catch (e) {
    showError(e);
  }
  await reload();
  loadTags();
}

function fact(label, ...value) {
  const v = value.flat().filter((x) => x !== '' && x !== null && x !== undefined);
  if (!v.length) return null;
  return [h('dt', {}, label), h('dd', {}, v)];
}

function renderDetail() {
  const pane = $('#detail');
  if (!pane) return;
  clear(pane);
  const d = state.detail;
  if (!d) {
    pane.append(h('div', { class: 'placeholder' }, t('customers.pick_one'), h('div', { class: 'muted' }, t('customers.shortcuts'))));
    return;
  }
  const c = d.customer;
  const archived = !!c.archived_at;
  const openLoss = (d.churn || []).find((e) => !e.won_back_on);
  add(pane,
    h('header', { class: 'detail-head' },
      h('div', {},
        h('h1', { id: 'detail-name' }, c.name),
        h('div', { class: 'detail-badges' }, tierBadge(c.tier),
          archived ? h('span', { class: 'badge archived', id: 'archived-badge' }, t('customers.archived_badge')) : null,
          openLoss ? h('span', { class: 'badge lost', id: 'lost-badge' }, t('churn.lost_badge')) : null,
          c.anonymised ? h('span', { class: 'badge archived', id: 'anonymised-badge' }, t('customers.anonymised_badge')) : null,
          c.company ? h('span', { class: 'muted' }, c.company) : null)),
      h('div', { class: 'detail-actions' },
        c.anonymised ? null : h('button', { type: 'button', class: 'btn', id: 'edit-customer', onclick: edit, title: t('customers.edit_hint') },
          hasDraft(c.id) ? t('customers.edit_draft') : t('customers.edit')),
        c.anonymised || openLoss ? null : h('button', { type: 'button', class: 'btn', id: 'mark-lost', onclick: async () => {
          if (await markLost(c)) {
            toast(t('churn.marked', { name: c.name }));
            await refreshAfterChange(c.id);
          }
        } }, t('churn.mark')),
        c.anonymised ? null : h('button', { type: 'button', class: 'btn', id: 'anonymise-customer', onclick: anonymise }, t('customers.anonymise')),
        archived
          ? h('button', { type: 'button', class: 'btn', id: 'restore-customer', onclick: () => setArchived(false) }, t('customers.restore'))
          : h('button', { type: 'button', class: 'btn', id: 'archive-customer', onclick: () => setArchived(true) }, t('customers.archive')))),
    openLoss ? lossBanner(c, openLoss, () => refreshAfterChange(c.id)) : null,
    h('section', { class: 'pref-card', id: 'preference-card' },
      h('h2', {}, t('detail.preferences')),
      c.preferences.length
        ? h('ul', {}, c.preferences.map((p) => h('li', { class: `pref pref-${p.kind}` }, h('span', { class: 'pref-kind-label' }, t(`pref.${p.kind}`)), h('span', { class: 'pref-text' }, p.text))))
        : h('p', { class: 'muted' }, t('detail.no_preferences'))),
    h('div', { class: 'detail-columns' },
      h('section', { class: 'card' },
        h('h2', {}, t('detail.contact')),
        h('dl', { class: 'facts' },
          fact(t('field.phones'), c.phones.map((p) => h('div', { class: 'phone' }, p))),
          fact(t('field.wechat'), c.wechat),
          fact(t('field.email'), c.email),
          fact(t('field.address'), c.address),
          fact(t('field.company'), c.company),
          fact(t('field.source'), t(`source.${c.source}`)),
          fact(t('field.first_contact'), c.first_contact),
          fact(t('detail.created'), dateTime(c.created_at)))),
      h('section', { class: 'card' },
        h('h2', {}, t('detail.dates')),
        d.occasions.length
          ? h('dl', { class: 'facts', id: 'occasions' }, d.occasions.map((o) => [
            h('dt', {}, t(`field.${o.kind}`)),
            h('dd', {}, h('div', { class: 'occasion' }, specialDate(o.date)),
              o.this_year ? h('div', { class: 'muted this-year' }, t('detail.this_year', { date: dayOnly(o.this_year) })) : null)]))
          : h('p', { class: 'muted' }, t('detail.no_dates')),
        c.tags.length ? [h('h2', {}, t('field.tags')), h('div', { class: 'chips' }, c.tags.map((tg) => h('span', { class: 'chip' }, tg)))] : null)),
    followups(d, archived),
    bookingsCard(d),
    complaintsCard(d, archived),
    c.notes ? h('section', { class: 'card' }, h('h2', {}, t('field.notes')), h('p', { class: 'notes', id: 'detail-notes' }, c.notes)) : null,
    h('section', { class: 'card' },
      h('h2', {}, t('detail.history')),
      h('ol', { class: 'timeline', id: 'timeline' }, timeline(d).map((e) => h('li', { class: e.visit ? `tl-visit tl-${e.visit.state}` : e.booking ? `tl-booking tl-${e.booking.state}` : '' },
        h('time', {}, dateTime(e.at)),
        e.booking ? arrivalEntry(e.booking)
        : e.complaint ? [h('span', { class: 'tl-kind' }, t(`history.${e.kind}`, { serial: e.complaint.serial })), h('span', { class: 'muted' }, e.complaint.summary)]
        : e.visit ? visitEntry(e.visit) : e.attempt ? attemptEntry(e.attempt) : [
          h('span', { class: 'tl-kind' }, t(`history.${e.kind}`)),
          e.detail ? h('span', { class: 'muted' }, e.detail.split(',').map((f) => t(`field.${f}`)).join(', ')) : null])))),
    changesCard(c));
}

/** Who changed what, field by field (the audit trail), loaded when opened; a field can be put back. */
function changesCard(c) {
  const body = h('div', { id: 'changes-body' });
  const card = h('details', { class: 'card changes', id: 'customer-changes', open: state.changesOpen,
    ontoggle: () => {
      state.changesOpen = card.open;
      if (card.open) loadChanges(c, body);
    } },
  h('summary', {}, h('h2', {}, t('detail.changes'))), body);
  if (state.changesOpen) loadChanges(c, body);
  return card;
}

async function loadChanges(c, body) {
  let page;
  try {
    page = await api.auditLog({ customer_id: c.id, limit: 200 });
  } catch (e) {
    showError(e);
    return;
  }
  clear(body);
  if (!page.entries.length) {
    body.append(h('p', { class: 'muted' }, t('audit.none')));
    return;
  }
  body.append(auditTable(page.entries, {
    record: true,
    onRevert: c.anonymised ? null : async (e) => {
      try {
        await api.revertAudit(e.id);
        toast(t('audit.reverted', { field: t(`field.${e.field}`) }));
      } catch (err) {
        showError(err);
        return;
      }
      await loadDetail(c.id);
      $('#customer-changes summary')?.focus();
    },
  }));
  if (page.total > page.entries.length) {
    body.append(h('p', { class: 'muted' }, t('audit.more_in_log', { n: page.total - page.entries.length })));
  }
}

/** Record events, finished visits, every attempt, reschedule and correction, complaints and arrivals, newest first. */
function timeline(d) {
  const visits = d.visits.filter((v) => v.state !== 'planned').map((v) => ({ at: v.completed_at || v.updated_at, visit: v }));
  const attempts = d.visit_events.map((e) => ({ at: e.at, attempt: e }));
  const complaints = d.complaints.flatMap((c) => [
    { at: c.received_at, kind: 'complaint', detail: '', complaint: c },
    ...(c.closed_at ? [{ at: c.closed_at, kind: 'complaint_closed', detail: '', complaint: c }] : []),
  ]);
  const arrivals = (d.bookings || []).filter((b) => b.state === 'arrived' || b.state === 'no_show')
    .map((b) => ({ at: b.arrived_at || b.updated_at, booking: b }));
  return [...d.history, ...visits, ...attempts, ...complaints, ...arrivals].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** A visit to us in the history: came (walk-in or booked) or did not come. */
function arrivalEntry(b) {
  return [
    h('span', { class: 'tl-kind' }, t(b.state === 'no_show' ? 'history.no_show' : b.walk_in ? 'history.walked_in' : 'history.arrived')),
    h('span', { class: 'muted' }, [t('arrivals.party', { n: b.party }), b.resource, b.what].filter(Boolean).join(' · ')),
  ];
}

/** The customer's visits to us (到店记录): bookings and walk-ins, newest first, and the buttons to book one. */
function bookingsCard(d) {
  const c = d.customer;
  const bookings = d.bookings || [];
  return h('section', { class: 'card', id: 'c-bookings' },
    h('div', { class: 'card-head' },
      h('h2', {}, t('detail.bookings')),
      canBook(c) ? h('div', { class: 'card-actions' },
        h('button', { type: 'button', class: 'btn small', id: 'c-book', title: t('customers.book_hint'), onclick: () => book(c) }, t('customers.book')),
        h('button', { type: 'button', class: 'btn small', id: 'c-walk-in', title: t('customers.walk_in_hint'), onclick: () => arrivedNow(c) }, t('customers.walk_in'))) : null),
    bookings.length ? h('ol', { class: 'booking-mini' }, bookings.map((b) => h('li', {
      class: `booking-item state-${b.state === 'booked' && b.late ? 'late' : b.state}`, dataset: { id: String(b.id), state: b.state },
    },
    h('span', { class: 'booking-when' }, bookingWhen(b)),
    bookingStateBadge(b),
    b.walk_in ? h('span', { class: 'badge walk-in' }, t('arrivals.walk_in')) : null,
    h('span', { class: 'booking-party' }, t('arrivals.party', { n: b.party })),
    b.resource ? h('span', { class: 'chip' }, b.resource) : null,
    b.what ? h('span', {}, b.what) : null,
    b.staff ? h('span', { class: 'muted' }, `· ${b.staff}`) : null,
    b.state === 'cancelled' && b.cancel_reason ? h('span', { class: 'muted booking-cancel-reason' }, t('arrivals.cancel_reason', { reason: b.cancel_reason })) : null,
    b.notes ? h('div', { class: 'booking-notes muted' }, b.notes) : null,
    b.state === 'booked' ? h('button', { type: 'button', class: 'link-btn booking-board', onclick: () => navigate('arrivals', { date: b.date, bookingId: b.id }) }, t('customers.booking_on_board')) : null)))
      : h('p', { class: 'muted' }, t('detail.no_bookings')));
}

/** The customer's complaints, open ones first, and the button to log one. */
function complaintsCard(d, archived) {
  const c = d.customer;
  return h('section', { class: 'card', id: 'customer-complaints' },
    h('div', { class: 'card-head' },
      h('h2', {}, t('detail.complaints')),
      archived ? null : h('div', { class: 'card-actions' },
        h('button', { type: 'button', class: 'btn small', id: 'log-complaint', onclick: async () => {
          const created = await registerComplaint(c);
          if (created) await loadDetail(c.id);
        } }, t('complaints.new')))),
    d.complaints.length ? h('ul', { class: 'complaint-mini' }, d.complaints.map((x) => h('li', {},
      h('button', { type: 'button', class: 'link-btn', onclick: () => navigate('complaints', { complaintId: x.id, customerId: c.id }) }, x.serial),
      h('span', { class: `badge state state-${x.state}` }, t(`cstate.${x.state}`)),
      h('span', {}, x.summary)))) : h('p', { class: 'muted' }, t('detail.no_complaints')));
}

/** A visit attempt that did not reach the customer, a reschedule or a correction. */
function attemptEntry(a) {
  let detail = {};
  try {
    detail = JSON.parse(a.detail || '{}') || {};
  } catch {
    detail = {};
  }
  const label = t(`history.visit_${a.kind}`, { channel: t(`channel.${a.channel}`), date: detail.due_date || '' });
  const note = a.kind === 'not_reached' ? detail.notes : a.kind === 'rescheduled' ? [detail.due_date, detail.due_time].filter(Boolean).join(' ') : '';
  return [
    h('span', { class: 'tl-kind' }, label),
    h('span', { class: 'chip' }, t(`purpose.${a.purpose}`)),
    note ? h('span', { class: 'muted' }, note) : null,
  ];
}

function visitEntry(v) {
  if (v.state === 'cancelled') {
    return [h('span', { class: 'tl-kind' }, t('history.visit_cancelled')), h('span', { class: 'muted' }, `${t(`purpose.${v.purpose}`)} · ${v.due_date}`)];
  }
  return [
    h('span', { class: 'tl-kind' }, t('history.visit_done', { channel: t(`channel.${v.channel}`) })),
    h('div', { class: 'tl-body' },
      h('span', { class: 'chip' }, t(`purpose.${v.purpose}`)),
      v.satisfaction ? h('span', { class: 'stars', title: t(`satisfaction.${v.satisfaction}`) }, t('detail.satisfaction', { n: v.satisfaction })) : null,
      v.outcome_notes ? h('div', { class: 'tl-notes' }, v.outcome_notes) : null,
      v.next_step ? h('div', { class: 'muted' }, t('detail.next_step', { text: v.next_step })) : null,
      h('button', { type: 'button', class: 'link-btn correct-visit', onclick: async () => {
        if (await correctOutcome(v)) await visitChanged(v.customer_id);
      } }, t('visits.correct'))),
  ];
}

/** Planned return visits with their actions, and the buttons to plan more. */
function followups(d, archived) {
  const c = d.customer;
  const planned = d.visits.filter((v) => v.state === 'planned');
  return h('section', { class: 'card followups', id: 'followups' },
    h('div', { class: 'card-head' },
      h('h2', {}, t('detail.followups')),
      h('span', { class: 'muted' }, c.last_contact_date ? t('detail.last_contact', { date: c.last_contact_date }) : t('detail.never_contacted')),
      archived ? null : h('div', { class: 'card-actions' },
        h('button', { type: 'button', class: 'btn small', id: 'plan-visit', onclick: async () => { if (await planVisit(c)) await visitChanged(c.id); } }, t('visits.plan_visit')),
        h('button', { type: 'button', class: 'btn small', id: 'apply-plan', onclick: async () => { if (await applyPlan(c)) await visitChanged(c.id); } }, t('plan.apply')))),
    planned.length ? h('ol', { class: 'visit-list' }, planned.map((v) => h('li', { class: 'visit-row planned-visit', dataset: { id: v.id } },
      h('div', { class: 'visit-when' }, v.due_time ? `${v.due_date} ${v.due_time}` : v.due_date),
      h('div', { class: 'visit-main' },
        h('div', {}, h('span', { class: 'chip' }, t(`purpose.${v.purpose}`)), h('span', { class: 'muted' }, t(`channel.${v.channel}`)),
          v.attempts ? h('span', { class: 'badge attempts' }, t('visits.attempts', { n: v.attempts })) : null,
          v.repeat ? h('span', { class: 'muted' }, ` · ${t(`repeat_every.${v.repeat.unit}`, { n: v.repeat.every })}`) : null),
        v.outline ? h('div', { class: 'visit-outline muted' }, v.outline) : null),
      h('div', { class: 'visit-actions' },
        h('button', { type: 'button', class: 'btn small visit-done', onclick: async () => { if (await recordOutcome(v)) await visitChanged(c.id); } }, t('visits.done')),
        h('button', { type: 'button', class: 'btn small visit-reschedule', onclick: async () => { if (await reschedule(v)) await visitChanged(c.id); } }, t('visits.reschedule')),
        h('button', { type: 'button', class: 'btn small visit-cancel', onclick: async () => {
          try {
            await api.cancelVisit(v.id);
            await visitChanged(c.id);
          } catch (e) {
            showError(e);
          }
        } }, t('visits.cancel')))))) : h('p', { class: 'muted' }, t('detail.no_followups')));
}

async function visitChanged(id) {
  await loadDetail(id);
  refreshCounts();
}

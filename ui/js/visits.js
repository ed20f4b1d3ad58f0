// The visits section (回访): the agenda (overdue, today, next 7 days), a month calendar and
// the keep-in-touch list, all workable from the keyboard.
import { api } from './api.js';
import { $, $$, h, clear } from './dom.js';
import { t, language } from './i18n.js';
import { tierBadge } from './format.js';
import { planVisit, recordOutcome, reschedule } from './visit-dialogs.js';
import { showError } from './toast.js';
import { navigate, refreshCounts } from './nav.js';

const state = { tab: 'agenda', agenda: null, selected: null, month: null, day: null, dayVisits: [], due: null };
let root = null;

export function mount(main) {
  root = h('section', { class: 'visits' },
    h('header', { class: 'section-head' },
      h('h1', {}, t('visits.title')),
      h('div', { class: 'tabs', role: 'tablist' },
        ['agenda', 'calendar', 'due'].map((tab) => h('button', {
          type: 'button', class: `tab${state.tab === tab ? ' active' : ''}`, id: `tab-${tab}`, role: 'tab',
          onclick: () => { state.tab = tab; render(); },
        }, t(`visits.tab_${tab}`))))),
    h('div', { class: 'visits-body', id: 'visits-body', tabindex: '0' }));
  main.append(root);
  render();
}

/** Another desk changed something: the tab on screen is read again. */
export function refresh() {
  if ($('#visits-body')) render();
}

async function render() {
  for (const b of $$('.tab', root)) b.classList.toggle('active', b.id === `tab-${state.tab}`);
  const body = clear($('#visits-body'));
  try {
    if (state.tab === 'agenda') await renderAgenda(body);
    else if (state.tab === 'calendar') await renderCalendar(body);
    else await renderDue(body);
  } catch (e) {
    showError(e);
  }
}

function when(v) {
  const date = v.due_date === state.agenda?.today ? t('visits.today_short') : v.due_date;
  return v.due_time ? `${date} ${v.due_time}` : date;
}

function visitRow(v, group) {
  return h('li', {
    class: `visit-row${state.selected === v.id ? ' selected' : ''}`, dataset: { id: v.id, group }, tabindex: '-1',
    onclick: () => select(v.id),
  },
  h('div', { class: 'visit-when' }, when(v)),
  h('div', { class: 'visit-main' },
    h('div', {}, h('span', { class: 'visit-name' }, v.customer_name), tierBadge(v.customer_tier),
      h('span', { class: 'chip' }, t(`purpose.${v.purpose}`)), h('span', { class: 'muted' }, t(`channel.${v.channel}`)),
      v.attempts ? h('span', { class: 'badge attempts' }, t('visits.attempts', { n: v.attempts })) : null,
      v.staff ? h('span', { class: 'muted' }, ` · ${v.staff}`) : null),
    v.outline ? h('div', { class: 'visit-outline muted' }, v.outline) : null),
  h('div', { class: 'visit-actions' },
    h('button', { type: 'button', class: 'btn small visit-done', title: t('visits.done_hint'), onclick: (e) => { e.stopPropagation(); done(v); } }, t('visits.done')),
    h('button', { type: 'button', class: 'btn small visit-reschedule', title: t('visits.reschedule_hint'), onclick: (e) => { e.stopPropagation(); move(v); } }, t('visits.reschedule')),
    h('button', { type: 'button', class: 'btn small visit-open', title: t('visits.open_hint'), onclick: (e) => { e.stopPropagation(); openCustomer(v); } }, t('visits.open'))));
}

async function renderAgenda(body) {
  state.agenda = await api.agenda();
  const a = state.agenda;
  const group = (key, items, total) => h('section', { class: `agenda-group group-${key}`, id: `agenda-${key}` },
    h('h2', {}, t(`visits.${key}`), h('span', { class: 'count' }, String(total ?? items.length))),
    items.length ? h('ol', { class: 'visit-list' }, items.map((v) => visitRow(v, key))) : h('p', { class: 'muted empty-group' }, t(`visits.${key}_empty`)),
    total > items.length ? h('p', { class: 'muted' }, t('visits.more', { n: total - items.length })) : null);
  body.append(
    h('p', { class: 'muted hint' }, t('visits.keys')),
    group('overdue', a.overdue, a.overdue_total),
    group('today', a.today_visits),
    group('upcoming', a.upcoming));
  if (!state.selected || !allVisits().some((v) => v.id === state.selected)) state.selected = allVisits()[0]?.id ?? null;
  highlight();
}

function allVisits() {
  const a = state.agenda;
  if (state.tab === 'calendar') return state.dayVisits;
  return a ? [...a.overdue, ...a.today_visits, ...a.upcoming] : [];
}

function highlight() {
  for (const row of $$('.visit-row', root)) row.classList.toggle('selected', Number(row.dataset.id) === state.selected);
  $(`.visit-row[data-id="${state.selected}"]`, root)?.scrollIntoView({ block: 'nearest' });
}

function select(id) {
  state.selected = id;
  highlight();
  $('#visits-body').focus();
}

async function afterChange() {
  await render();
  refreshCounts();
}

async function done(v) {
  if (await recordOutcome(v)) await afterChange();
}

async function move(v) {
  if (await reschedule(v)) await afterChange();
}

function openCustomer(v) {
  navigate('customers', { customerId: v.customer_id });
}

export function onKey(e, typing) {
  if (typing || document.querySelector('dialog[open]')) return;
  const list = allVisits();
  const i = list.findIndex((v) => v.id === state.selected);
  const current = list[i];
  const k = e.key.toLowerCase();
  if (e.key === 'ArrowDown' && i < list.length - 1) {
    e.preventDefault();
    select(list[i + 1].id);
  } else if (e.key === 'ArrowUp' && i > 0) {
    e.preventDefault();
    select(list[i - 1].id);
  } else if (current && k === 'd') {
    e.preventDefault();
    done(current);
  } else if (current && k === 'r') {
    e.preventDefault();
    move(current);
  } else if (current && (k === 'o' || e.key === 'Enter')) {
    e.preventDefault();
    openCustomer(current);
  }
}

async function renderCalendar(body) {
  const now = new Date();
  if (!state.month) state.month = { y: now.getFullYear(), m: now.getMonth() + 1 };
  const { y, m } = state.month;
  const days = await api.visitCalendar(y, m);
  const byDate = Object.fromEntries(days.map((d) => [d.date, d]));
  const iso = (d) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const first = new Date(y, m - 1, 1);
  const lead = (first.getDay() + 6) % 7; // weeks start on Monday
  const count = new Date(y, m, 0).getDate();
  const cells = [];
  for (let i = 0; i < lead; i++) cells.push(h('div', { class: 'cal-cell empty' }));
  for (let d = 1; d <= count; d++) {
    const info = byDate[iso(d)];
    cells.push(h('button', {
      type: 'button', class: `cal-cell${state.day === iso(d) ? ' selected' : ''}${iso(d) === todayKey() ? ' today' : ''}`,
      dataset: { date: iso(d) }, onclick: () => openDay(iso(d)),
    }, h('span', { class: 'cal-day' }, String(d)),
    info && info.planned ? h('span', { class: 'cal-planned' }, t('visits.cal_planned', { n: info.planned })) : null,
    info && info.done ? h('span', { class: 'cal-done' }, t('visits.cal_done', { n: info.done })) : null));
  }
  const title = new Date(y, m - 1, 1).toLocaleDateString(language(), { year: 'numeric', month: 'long' });
  const weekdays = t('calendar.weekdays').split(',');
  body.append(
    h('div', { class: 'cal-head' },
      h('button', { type: 'button', class: 'icon-btn', id: 'cal-prev', onclick: () => shiftMonth(-1) }, '‹'),
      h('h2', { id: 'cal-title' }, title),
      h('button', { type: 'button', class: 'icon-btn', id: 'cal-next', onclick: () => shiftMonth(1) }, '›')),
    h('div', { class: 'cal-grid' }, weekdays.map((w) => h('div', { class: 'cal-weekday' }, w)), cells),
    h('section', { class: 'agenda-group', id: 'cal-day-list' },
      state.day ? [h('h2', {}, state.day), state.dayVisits.length
        ? h('ol', { class: 'visit-list' }, state.dayVisits.map((v) => visitRow(v, 'day')))
        : h('p', { class: 'muted' }, t('visits.day_empty'))] : h('p', { class: 'muted' }, t('visits.pick_day'))));
  highlight();
}

function todayKey() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function shiftMonth(n) {
  let { y, m } = state.month;
  m += n;
  if (m < 1) { m = 12; y -= 1; }
  if (m > 12) { m = 1; y += 1; }
  state.month = { y, m };
  render();
}

async function openDay(date) {
  state.day = date;
  state.dayVisits = await api.visitsOn(date);
  state.selected = state.dayVisits[0]?.id ?? null;
  render();
}

async function renderDue(body) {
  state.due = await api.dueContacts(0, 200);
  const d = state.due;
  body.append(
    h('p', { class: 'muted hint' }, t('visits.due_hint')),
    h('p', { class: 'list-count' }, t('visits.due_count', { n: d.total })),
    d.items.length ? h('ol', { class: 'due-list' }, d.items.map((c) => h('li', { class: `due-row status-${c.status}`, dataset: { id: c.customer_id } },
      h('span', { class: `due-dot status-${c.status}`, title: t(`contact.${c.status}`) }),
      h('div', { class: 'due-main' },
        h('div', {}, h('span', { class: 'due-name' }, c.name), tierBadge(c.tier), h('span', { class: 'muted' }, c.phone || '')),
        h('div', { class: 'muted' },
          c.last_contact ? t('visits.last_contact', { date: c.last_contact, n: c.days_since }) : t('visits.never_contacted', { n: c.days_since }),
          ' · ', t('visits.cadence', { ideal: c.cadence.ideal_days, n: c.cadence.max_days }),
          c.next_visit ? ` · ${t('visits.next_planned', { date: c.next_visit })}` : '')),
      h('button', { type: 'button', class: 'btn small plan-contact', onclick: async () => {
        if (await planVisit({ id: c.customer_id, name: c.name }, { purpose: 'keep_in_touch' })) await afterChange();
      } }, t('visits.plan_visit'))))) : h('p', { class: 'muted' }, t('visits.due_empty')));
}

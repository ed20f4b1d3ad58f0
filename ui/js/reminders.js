// The reminder center (提醒中心): what needs doing, grouped by day and kind, worked from the
// keyboard (Enter done, S snooze, X dismiss), and the history of what was handled.
import { api } from './api.js';
import { $, $$, add, h, clear } from './dom.js';
import { t, language } from './i18n.js';
import { dateTime } from './format.js';
import { choice, field, openDialog } from './dialog.js';
import { customerPicker } from './picker.js';
import { planVisit } from './visit-dialogs.js';
import { showError, toast } from './toast.js';
import { navigate, refreshCounts } from './nav.js';

export const KINDS = ['visit', 'arrival', 'complaint_warning', 'complaint_escalation', 'birthday', 'anniversary', 'keep_in_touch', 'manual'];
const state = { history: false, kind: null, staff: '', items: [], total: 0, selected: null };

/** Title and body of a reminder, in the UI language (the same texts Rust notifies with). */
export function reminderText(r) {
  const a = { ...r.args, name: r.customer_name || r.args.name || '' };
  if (a.purpose) a.purpose_label = t(`purpose.${a.purpose}`);
  if (a.level) a.level_label = t(`escalation.${a.level}`);
  return { title: t(`reminder.${r.kind}.title`, a), body: t(`reminder.${r.kind}.body`, a) };
}

export async function mount(main) {
  const staff = await api.staffOrNone();
  main.append(h('section', { class: 'visits reminders' },
    h('header', { class: 'section-head' },
      h('h1', {}, t('reminders.title')),
      h('div', { class: 'tabs' },
        h('button', { type: 'button', class: `tab${state.history ? '' : ' active'}`, id: 'tab-open', onclick: () => { state.history = false; mountAgain(main); } }, t('reminders.tab_open')),
        h('button', { type: 'button', class: `tab${state.history ? ' active' : ''}`, id: 'tab-history', onclick: () => { state.history = true; mountAgain(main); } }, t('reminders.tab_history'))),
      h('select', { id: 'rf-kind', onchange: (e) => { state.kind = e.target.value || null; load(); } },
        h('option', { value: '' }, t('reminders.any_kind')), KINDS.map((k) => h('option', { value: k, selected: state.kind === k }, t(`rkind.${k}`)))),
      h('select', { id: 'rf-staff', onchange: (e) => { state.staff = e.target.value; load(); } },
        h('option', { value: '' }, t('reminders.any_staff')), staff.map((s) => h('option', { value: s, selected: state.staff === s }, s))),
      h('button', { type: 'button', class: 'btn primary', id: 'new-reminder', onclick: async () => { if (await newReminder()) load(); } }, t('reminders.new'))),
    h('div', { class: 'visits-body', id: 'reminders-body', tabindex: '0' })));
  await load();
}

function mountAgain(main) {
  clear(main);
  mount(main);
}

/** Another desk changed something: the center is read again. */
export function refresh() {
  return load();
}

export async function load() {
  const body = $('#reminders-body');
  if (!body) return;
  body.setAttribute('aria-busy', 'true');
  try {
    const page = await api.reminderCenter({ history: state.history, kind: state.kind, staff: state.staff, limit: 200 });
    state.items = page.items;
    state.total = page.total;
  } catch (e) {
    showError(e);
  }
  render(body);
  body.setAttribute('aria-busy', 'false');
  refreshCounts();
}

function dayKey(r) {
  const d = new Date(state.history ? r.closed_at || r.wake_at : r.wake_at);
  return d.toLocaleDateString(language(), { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
}

function render(body) {
  clear(body);
  if (!state.items.length) {
    add(body, h('p', { class: 'muted', id: 'reminders-empty' }, t(state.history ? 'reminders.history_empty' : 'reminders.empty')));
    return;
  }
  add(body, h('p', { class: 'muted hint' }, t('reminders.keys')));
  if (!state.items.some((r) => r.id === state.selected)) state.selected = state.items[0].id;
  // Grouped by day, then by kind within the day.
  const groups = new Map();
  for (const r of state.items) {
    const k = dayKey(r);
    if (!groups.has(k)) groups.set(k, new Map());
    const byKind = groups.get(k);
    if (!byKind.has(r.kind)) byKind.set(r.kind, []);
    byKind.get(r.kind).push(r);
  }
  for (const [day, byKind] of groups) {
    add(body, h('section', { class: 'agenda-group reminder-day' },
      h('h2', {}, day),
      [...byKind].map(([kind, items]) => [
        h('h3', { class: 'kind-head' }, t(`rkind.${kind}`), h('span', { class: 'count' }, String(items.length))),
        h('ol', { class: 'visit-list' }, items.map(row))])));
  }
}

function row(r) {
  const { title, body } = reminderText(r);
  return h('li', {
    class: `visit-row reminder-row state-${r.state}${r.id === state.selected ? ' selected' : ''}`, dataset: { id: r.id }, tabindex: '-1',
    onclick: () => select(r.id),
  },
  h('div', { class: 'visit-when' }, dateTime(r.wake_at)),
  h('div', { class: 'visit-main' },
    h('div', {}, h('span', { class: 'visit-name reminder-title' }, title),
      h('span', { class: `badge rstate-${r.state}` }, t(`rstate.${r.state}`)),
      r.late ? h('span', { class: 'badge breach' }, t('reminders.late')) : null,
      r.staff ? h('span', { class: 'muted' }, ` · ${r.staff}`) : null),
    h('div', { class: 'muted reminder-body' }, body)),
  state.history ? null : h('div', { class: 'visit-actions' },
    (r.kind === 'birthday' || r.kind === 'anniversary') && r.customer_id ? h('button', { type: 'button', class: 'btn small greet', onclick: (e) => { e.stopPropagation(); greet(r); } }, t('reminders.greet')) : null,
    r.customer_id ? h('button', { type: 'button', class: 'btn small', onclick: (e) => { e.stopPropagation(); navigate('customers', { customerId: r.customer_id }); } }, t('reminders.open_customer')) : null,
    h('button', { type: 'button', class: 'btn small r-snooze', onclick: (e) => { e.stopPropagation(); snooze(r); } }, t('reminders.snooze')),
    h('button', { type: 'button', class: 'btn small r-dismiss', onclick: (e) => { e.stopPropagation(); close(r, false); } }, t('reminders.dismiss')),
    h('button', { type: 'button', class: 'btn small primary r-done', onclick: (e) => { e.stopPropagation(); close(r, true); } }, t('reminders.done'))));
}

function select(id) {
  state.selected = id;
  for (const el of $$('.reminder-row')) el.classList.toggle('selected', Number(el.dataset.id) === id);
  $(`.reminder-row[data-id="${id}"]`)?.scrollIntoView({ block: 'nearest' });
  $('#reminders-body').focus();
}

async function close(r, done) {
  try {
    await api.closeReminder(r.id, done);
  } catch (e) {
    showError(e);
  }
  load();
}

async function greet(r) {
  const v = await planVisit({ id: r.customer_id, name: r.customer_name || r.args.name }, { purpose: 'birthday', due_date: r.args.date });
  if (v) close(r, true);
}

function snooze(r) {
  const opts = [['minutes15', 'reminders.snooze_15'], ['hour1', 'reminders.snooze_60'], ['tomorrow_morning', 'reminders.snooze_tomorrow'], ['until', 'reminders.snooze_pick']];
  return openDialog({
    id: 'snooze-dialog',
    title: t('reminders.snooze_title'),
    body: [
      h('fieldset', { class: 'field wide' }, opts.map(([v, key], i) => h('label', { class: 'radio' },
        h('input', { type: 'radio', name: 'snooze', value: v, id: `snooze-${v}`, checked: i === 0 }), t(key)))),
      field(t('reminders.snooze_pick'), h('input', { id: 'snooze-at', placeholder: 'YYYY-MM-DD HH:MM' }), 'snooze', 'wide'),
    ],
    submitLabel: t('reminders.snooze'),
    submit: async (form) => {
      const which = form.querySelector('input[name=snooze]:checked').value;
      const s = which === 'until' ? { for: 'until', at: $('#snooze-at', form).value } : { for: which };
      const updated = await api.snoozeReminder(r.id, s);
      toast(t('toast.reminder_snoozed', { at: dateTime(updated.wake_at) }));
      load();
      return updated;
    },
  });
}

export function onKey(e, typing) {
  if (typing || document.querySelector('dialog[open]') || state.history) return;
  const i = state.items.findIndex((r) => r.id === state.selected);
  const cur = state.items[i];
  const k = e.key.toLowerCase();
  if (e.key === 'ArrowDown' && i < state.items.length - 1) { e.preventDefault(); select(state.items[i + 1].id); }
  else if (e.key === 'ArrowUp' && i > 0) { e.preventDefault(); select(state.items[i - 1].id); }
  else if (cur && e.key === 'Enter') { e.preventDefault(); close(cur, true); }
  else if (cur && k === 'x') { e.preventDefault(); close(cur, false); }
  else if (cur && k === 's') { e.preventDefault(); snooze(cur); }
}

/** A reminder set by hand, on a customer or not. */
export async function newReminder(customer = null) {
  let picked = customer;
  const picker = customerPicker({
    id: 'm-customer',
    resultsId: 'm-results',
    label: t('reminders.customer_optional'),
    placeholder: t('reminders.customer_search'),
    value: customer ? customer.name : '',
    limit: 5,
    extra: (c) => h('span', { class: 'muted' }, c.phone || ''),
    onPick: (c) => { picked = c; picker.input.value = c.name; $('#m-text').focus(); },
    onInput: () => { picked = null; },
  });
  const d = new Date(Date.now() + 60 * 60 * 1000);
  const p = (n) => String(n).padStart(2, '0');
  const soon = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  return openDialog({
    id: 'reminder-dialog',
    title: t('reminders.new_title'),
    body: [
      h('div', { class: 'field wide' }, picker.label, picker.input, picker.results),
      field(t('reminders.text'), h('input', { id: 'm-text' }), 'text', 'wide'),
      field(t('reminders.due_at'), h('input', { id: 'm-due', value: soon, placeholder: 'YYYY-MM-DD HH:MM' }), 'due_at'),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('visit.repeat')),
        h('div', { class: 'inline' }, h('input', { id: 'm-every', inputmode: 'numeric', value: '1', class: 'narrow' }),
          choice('m-unit', ['none', 'day', 'week', 'month', 'year'], 'repeat', 'none')),
        h('span', { class: 'field-error', dataset: { errorFor: 'repeat' } })),
    ],
    submit: async (form) => {
      const unit = $('#m-unit', form).value;
      const id = await api.createReminder({
        customer_id: picked ? picked.id : null,
        text: $('#m-text', form).value,
        due_at: $('#m-due', form).value,
        repeat: unit === 'none' ? null : { unit, every: Number($('#m-every', form).value) || 0 },
        staff: localStorage.getItem('frontdesk.staff') || '',
      });
      toast(t('toast.reminder_created'));
      return id;
    },
  });
}

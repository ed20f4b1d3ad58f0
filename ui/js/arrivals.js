// The arrivals section (预约与到店, Ctrl+7): the board of one day — who is coming when, how
// many, which table or room, and what the desk should know about each guest (allergies
// first, a birthday, an open complaint, how the last visit went) — worked from the
// keyboard: ↑/↓ move, A arrived, N no-show, C cancel, E change, U undo, O open the customer.
import { api } from './api.js';
import { $, $$, add, clear, h } from './dom.js';
import { t, language } from './i18n.js';
import { addDaysIso, todayIso } from './dialog.js';
import { dayOnly, tierBadge } from './format.js';
import { customerPicker } from './picker.js';
import { bookingStateBadge, cancelBooking, openBooking, splitGuest } from './booking-dialogs.js';
import { showError, toast } from './toast.js';
import { navigate, refreshCounts } from './nav.js';

const state = { date: null, board: null, selected: null, ticket: 0 };
let timer = null;
/** The board reloads this often while shown: a booked guest past their time turns late. */
const REFRESH_MS = 60_000;

export function mount(main, options = {}) {
  // The board opens on today (or the day asked for, e.g. a booking's from the customer card).
  state.date = options.date || todayIso();
  if (options.bookingId) state.selected = options.bookingId;
  const picker = customerPicker({
    id: 'quick-book',
    resultsId: 'quick-book-results',
    label: t('arrivals.quick_book'),
    placeholder: t('arrivals.quick_book_placeholder'),
    limit: 6,
    extra: (c) => [tierBadge(c.tier), ' ', h('span', { class: 'muted' }, c.phone || '')],
    onPick: (c) => {
      picker.input.value = '';
      bookFor({ customer: c });
    },
    empty: () => null,
    footer: (q) => h('button', {
      type: 'button', class: 'pick-new', id: 'quick-book-new',
      onclick: () => {
        picker.reset();
        picker.input.value = '';
        bookFor({ guest: splitGuest(q) });
      },
    }, t('arrivals.quick_new', { text: q })),
  });
  picker.label.classList.add('sr-only');
  picker.input.classList.add('search');
  picker.input.type = 'search';
  picker.input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && picker.input.value) {
      e.preventDefault();
      e.stopPropagation();
      picker.input.value = '';
      picker.reset();
    } else if (e.key === 'Enter') {
      // Enter takes the first choice: the best match, or "new customer" when none.
      const first = $('button.pick, button.pick-new', picker.results);
      if (first) {
        e.preventDefault();
        first.click();
      }
    }
  });
  main.append(h('section', { class: 'visits arrivals' },
    h('header', { class: 'section-head arrivals-head' },
      h('h1', {}, t('arrivals.title')),
      h('div', { class: 'arrivals-day', role: 'group', 'aria-label': t('arrivals.day') },
        h('button', { type: 'button', class: 'icon-btn', id: 'arrivals-prev', title: t('arrivals.prev_day'), 'aria-label': t('arrivals.prev_day'), onclick: () => setDate(addDaysIso(state.date, -1)) }, '‹'),
        h('input', { type: 'date', id: 'arrivals-date', value: state.date, 'aria-label': t('arrivals.day'),
          onchange: (e) => { if (/^\d{4}-\d{2}-\d{2}$/.test(e.target.value)) setDate(e.target.value); } }),
        h('button', { type: 'button', class: 'icon-btn', id: 'arrivals-next', title: t('arrivals.next_day'), 'aria-label': t('arrivals.next_day'), onclick: () => setDate(addDaysIso(state.date, 1)) }, '›'),
        h('button', { type: 'button', class: 'btn small', id: 'arrivals-today', onclick: () => setDate(todayIso()) }, t('arrivals.today'))),
      h('div', { class: 'quick-book-box' }, picker.label, picker.input, picker.results),
      h('button', { type: 'button', class: 'btn primary', id: 'new-booking', title: t('arrivals.new_hint'), onclick: () => bookFor({}) }, t('arrivals.new'))),
    h('div', { class: 'arrivals-summary' },
      h('h2', { id: 'arrivals-day-label' }),
      h('div', { class: 'arrivals-counts', id: 'arrivals-counts', 'aria-live': 'polite' })),
    h('p', { class: 'muted hint arrivals-keys' }, t('arrivals.keys')),
    h('div', { class: 'visits-body arrivals-body', id: 'arrivals-board', 'aria-busy': 'true',
      onfocusin: (e) => {
        const row = e.target.closest?.('.arrival-row');
        if (row) select(Number(row.dataset.id), false);
      } })));
  load(options.bookingId || null);
  clearInterval(timer);
  timer = setInterval(() => {
    if (!$('#arrivals-board')) {
      clearInterval(timer);
      timer = null;
      return;
    }
    if (document.querySelector('dialog[open]')) return;
    const inBoard = $('#arrivals-board').contains(document.activeElement);
    load(inBoard ? state.selected : null);
  }, REFRESH_MS);
}

function setDate(date) {
  state.date = date;
  const input = $('#arrivals-date');
  if (input && input.value !== date) input.value = date;
  load();
}

/** Another desk changed something: the day's board is read again. */
export function refresh() {
  return load();
}

/** Load and draw the board; `focusId` gets the focus back once it is drawn. */
export async function load(focusId = null) {
  const board = $('#arrivals-board');
  if (!board) return;
  state.ticket += 1;
  const ticket = state.ticket;
  board.setAttribute('aria-busy', 'true');
  let data;
  try {
    data = await api.arrivalsBoard(state.date);
  } catch (e) {
    if (ticket !== state.ticket) return;
    board.setAttribute('aria-busy', 'false');
    showError(e);
    return;
  }
  if (ticket !== state.ticket || !$('#arrivals-board')) return;
  state.board = data;
  render();
  board.setAttribute('aria-busy', 'false');
  if (focusId) focusRow(focusId);
}

function render() {
  const b = state.board;
  const label = $('#arrivals-day-label');
  clear(label).append(dayOnly(b.date));
  if (b.date === b.today) label.append(' ', h('span', { class: 'badge today-badge' }, t('arrivals.today')));
  const c = b.counts;
  const count = (key, n, cls = '') => h('span', { class: `arrival-count count-${key}${cls}`, dataset: { n: String(n) } }, t(`arrivals.counts.${key}`, { n }));
  add(clear($('#arrivals-counts')),
    count('booked', c.booked),
    count('late', c.late, c.late ? ' warn' : ''),
    count('arrived', c.arrived),
    count('no_show', c.no_show),
    c.cancelled ? count('cancelled', c.cancelled) : null,
    count('guests', c.guests));
  const board = clear($('#arrivals-board'));
  if (!b.rows.length) {
    board.append(h('p', { class: 'muted empty-group', id: 'arrivals-empty' }, t(b.date < b.today ? 'arrivals.empty_past' : 'arrivals.empty')));
    return;
  }
  // Grouped by the hour: all-day bookings and staying guests first (Rust sends that order).
  const groups = new Map();
  for (const r of b.rows) {
    const key = r.staying || !r.booking.time ? 'all_day' : r.booking.time.slice(0, 2);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  for (const [key, rows] of groups) {
    board.append(h('section', { class: 'agenda-group arrival-group', dataset: { hour: key } },
      h('h2', {}, key === 'all_day' ? t('arrivals.group_all_day') : `${key}:00`, h('span', { class: 'count' }, String(rows.length))),
      h('ol', { class: 'visit-list arrival-list' }, rows.map(row))));
  }
  if (!b.rows.some((r) => r.booking.id === state.selected)) state.selected = null;
  highlight();
}

function row(r) {
  const b = r.booking;
  const s = b.state === 'booked' && b.late ? 'late' : b.state;
  const booked = b.state === 'booked';
  const marked = b.state === 'arrived' || b.state === 'no_show';
  const future = b.date > state.board.today;
  const button = (cls, label, hint, action) => h('button', {
    type: 'button', class: `btn small ${cls}`, title: hint,
    onclick: (e) => { e.stopPropagation(); select(b.id, false); act(r, action); },
  }, label);
  return h('li', {
    class: `arrival-row state-${s}${state.selected === b.id ? ' selected' : ''}`, tabindex: '0',
    dataset: { id: String(b.id), state: s },
    onclick: (e) => { if (!e.target.closest('button')) e.currentTarget.focus(); },
  },
  h('div', { class: 'arrival-when' },
    h('div', { class: 'arrival-time' }, r.staying ? t('arrivals.staying_until', { date: shortDate(b.end_date) }) : (b.time || t('arrivals.all_day'))),
    b.end_date && !r.staying ? h('div', { class: 'muted arrival-until' }, t('arrivals.check_out', { date: shortDate(b.end_date) })) : null),
  h('div', { class: 'arrival-main' },
    h('div', { class: 'arrival-line' },
      h('span', { class: 'arrival-name' }, b.customer_name),
      tierBadge(b.customer_tier),
      h('span', { class: 'arrival-party', title: t('booking.party') }, t('arrivals.party', { n: b.party })),
      b.resource ? h('span', { class: 'chip arrival-resource' }, b.resource) : null,
      b.what ? h('span', { class: 'arrival-what' }, b.what) : null,
      b.staff ? h('span', { class: 'muted arrival-staff' }, `· ${b.staff}`) : null,
      bookingStateBadge(b),
      b.walk_in ? h('span', { class: 'badge walk-in' }, t('arrivals.walk_in')) : null,
      b.repeat ? h('span', { class: 'muted arrival-repeat' }, t(`repeat_every.${b.repeat.unit}`, { n: b.repeat.every })) : null,
      r.guest.phone ? h('span', { class: 'muted arrival-phone' }, r.guest.phone) : null),
    b.notes ? h('div', { class: 'arrival-notes' }, b.notes) : null,
    b.state === 'cancelled' && b.cancel_reason ? h('div', { class: 'muted arrival-cancel-reason' }, t('arrivals.cancel_reason', { reason: b.cancel_reason })) : null,
    b.state === 'arrived' && b.arrived_at ? h('div', { class: 'muted arrival-arrived-at' }, t('arrivals.arrived_at', { time: clock(b.arrived_at) })) : null,
    guestCard(r.guest)),
  h('div', { class: 'arrival-actions' },
    booked && !future ? button('primary a-arrived', t('arrivals.arrived'), t('arrivals.arrived_hint'), 'arrived') : null,
    booked && !future ? button('a-no-show', t('arrivals.no_show'), t('arrivals.no_show_hint'), 'no_show') : null,
    booked ? button('a-edit', t('arrivals.change'), t('arrivals.change_hint'), 'edit') : null,
    booked ? button('a-cancel', t('arrivals.cancel'), t('arrivals.cancel_hint'), 'cancel') : null,
    marked ? button('a-reopen', t('arrivals.reopen'), t('arrivals.reopen_hint'), 'reopen') : null,
    button('a-open', t('arrivals.open'), t('arrivals.open_hint'), 'open')));
}

/** What the desk should know about the guest, allergies first. */
function guestCard(g) {
  const facts = [
    ...g.soon_dates.map((d) => h('span', { class: `arrival-soon soon-${d.kind}` },
      d.in_days === 0 ? t(`arrivals.soon.${d.kind}_today`) : t(`arrivals.soon.${d.kind}_in`, { n: d.in_days }))),
    g.open_complaints > 0 ? h('span', { class: 'arrival-complaints warn' }, t('arrivals.open_complaints', { n: g.open_complaints })) : null,
    g.last_satisfaction ? h('span', { class: `arrival-satisfaction score-${g.last_satisfaction}` }, t('arrivals.last_score', { n: g.last_satisfaction })) : null,
    g.last_visit_date
      ? h('span', { class: 'arrival-last' }, t('arrivals.last_visit', { date: g.last_visit_date }),
        g.last_visit_notes ? [' · ', h('span', { class: 'arrival-last-notes' }, g.last_visit_notes)] : null)
      : h('span', { class: 'arrival-last muted' }, t('arrivals.first_visit')),
  ].filter(Boolean);
  return h('div', { class: 'arrival-guest' },
    g.preferences.length ? h('ul', { class: 'arrival-prefs' }, g.preferences.map((p) => h('li', {
      class: `arrival-pref pref-${p.kind}${p.kind === 'allergy' ? ' allergy' : ''}`,
    },
    p.kind === 'allergy' ? h('span', { class: 'allergy-icon', 'aria-hidden': 'true' }, '⚠') : null,
    h('span', { class: 'arrival-pref-kind' }, t(`pref.${p.kind}`)),
    h('span', { class: 'arrival-pref-text' }, p.text)))) : null,
    facts.length ? h('div', { class: 'arrival-facts' }, facts) : null);
}

function shortDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(language(), { month: 'short', day: 'numeric', weekday: 'short' });
}

function clock(ts) {
  return new Date(ts).toLocaleTimeString(language(), { hour: '2-digit', minute: '2-digit' });
}

function rows() {
  return state.board ? state.board.rows : [];
}

function highlight() {
  for (const el of $$('.arrival-row')) el.classList.toggle('selected', Number(el.dataset.id) === state.selected);
}

function select(id, focus = true) {
  state.selected = id;
  highlight();
  if (focus) focusRow(id);
}

function focusRow(id) {
  const el = $(`.arrival-row[data-id="${id}"]`);
  if (!el) return;
  state.selected = id;
  highlight();
  el.focus();
  el.scrollIntoView({ block: 'nearest' });
}

/** Open the booking dialog (for a customer, a new guest, or anyone) on the board's day. */
async function bookFor({ customer = null, guest = null }) {
  const saved = await openBooking({ customer, guest, date: state.date });
  if (!saved) return;
  if (saved.date === state.date) await load(saved.id);
  else await load();
  refreshCounts();
}

const REFUSED = { cancelled: 'booking_cancelled', arrived: 'booking_arrived', no_show: 'booking_no_show', booked: 'booking_open' };

/** One action on a row; the board is drawn again and the focus stays on that row. */
async function act(r, action) {
  const b = r.booking;
  if (action === 'open') {
    navigate('customers', { customerId: b.customer_id });
    return;
  }
  // What the row's state does not allow is said at once, before any dialog opens.
  const needsBooked = ['arrived', 'no_show', 'edit', 'cancel'].includes(action);
  if ((needsBooked && b.state !== 'booked') || (action === 'reopen' && !['arrived', 'no_show'].includes(b.state))) {
    showError({ kind: 'invalid_state', code: REFUSED[b.state] });
    return;
  }
  let changed = false;
  try {
    if (action === 'arrived') {
      await api.bookingArrived(b.id);
      toast(t('toast.guest_arrived', { name: b.customer_name }));
      changed = true;
    } else if (action === 'no_show') {
      await api.bookingNoShow(b.id);
      toast(t('toast.guest_no_show', { name: b.customer_name }));
      changed = true;
    } else if (action === 'reopen') {
      await api.bookingReopen(b.id);
      toast(t(b.walk_in ? 'toast.walk_in_undone' : 'toast.booking_reopened', { name: b.customer_name }));
      changed = true;
    } else if (action === 'edit') {
      changed = !!(await openBooking({ booking: b }));
    } else if (action === 'cancel') {
      changed = !!(await cancelBooking(b));
    }
  } catch (e) {
    showError(e);
    changed = true; // the board may be out of date: draw it again
  }
  if (changed) {
    await load(b.id);
    refreshCounts();
  } else {
    focusRow(b.id);
  }
}

const KEYS = { a: 'arrived', n: 'no_show', c: 'cancel', e: 'edit', o: 'open', u: 'reopen' };

export function onKey(e, typing) {
  if (typing || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || document.querySelector('dialog[open]')) return;
  const board = $('#arrivals-board');
  if (!board) return;
  const active = document.activeElement;
  // The results of the quick-book box move with the arrows themselves.
  if (active && active.closest('.pick-list')) return;
  const inBoard = board.contains(active);
  const list = rows();
  const current = inBoard ? active.closest('.arrival-row') : (!active || active === document.body ? $(`.arrival-row[data-id="${state.selected}"]`) : null);
  const id = current ? Number(current.dataset.id) : state.selected;
  const i = list.findIndex((r) => r.booking.id === id);
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    if (!list.length) return;
    e.preventDefault();
    let next;
    if (!inBoard || i < 0) next = i < 0 ? 0 : i;
    else next = e.key === 'ArrowDown' ? Math.min(i + 1, list.length - 1) : Math.max(i - 1, 0);
    focusRow(list[next].booking.id);
    return;
  }
  const action = KEYS[e.key.toLowerCase()];
  if (!action || !current || i < 0) return;
  e.preventDefault();
  act(list[i], action);
}

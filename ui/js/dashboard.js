// The manager's section (Ctrl+6): the dashboard of a period (figures computed in Rust,
// review/figures.rs), drill-down to the records behind a figure, a printable report, and
// the register of lost customers below.
import { api } from './api.js';
import { h, $, add, clear } from './dom.js';
import { t, language } from './i18n.js';
import { TIERS, tierBadge, dateTime, dayOnly } from './format.js';
import { showError, toast } from './toast.js';
import { todayIso } from './dialog.js';
import { navigate } from './nav.js';
import { chartCard, clearCharts, loadCharts, number } from './charts.js';
import { categoryName, currentStaff, money } from './complaint-dialogs.js';
import { mountRegister } from './churn.js';

const PRESETS = ['week', 'month', 'quarter', 'year', 'last12', 'custom'];
const LABEL_PREFIXES = ['category.', 'severity.', 'cchannel.', 'churn.type.', 'churn.reason.', 'tier.'];

const state = { preset: 'month', from: '', to: '', tier: '', category_id: '', staff: '' };
let current = null;
/** Each load takes a number; only the latest one draws. */
let generation = 0;

function query() {
  return {
    preset: state.preset,
    from: state.preset === 'custom' ? state.from : '',
    to: state.preset === 'custom' ? state.to : '',
    tier: state.tier || null,
    category_id: state.category_id ? Number(state.category_id) : null,
    staff: state.staff || null,
  };
}

/** A bar's name: a translation key from Rust, a month, an age bucket, or the user's own words. */
function barLabel(b) {
  if (LABEL_PREFIXES.some((p) => b.label.startsWith(p))) {
    const s = t(b.label);
    if (s !== b.label) return s;
  }
  if (/^\d{4}-\d{2}$/.test(b.key)) return monthName(b.key);
  if (b.key.startsWith('d') && t(`dash.age.${b.key}`) !== `dash.age.${b.key}`) return t(`dash.age.${b.key}`);
  return b.label || t('dash.nobody');
}

function monthName(key) {
  const [y, m] = key.split('-').map(Number);
  return new Date(y, m - 1, 1).toLocaleDateString(language(), { year: 'numeric', month: 'short' });
}

const pct = (share) => (share.percent === null || share.percent === undefined ? '—' : `${number(share.percent, 1)}%`);
const hours = (minutes) => (minutes === null || minutes === undefined ? '—' : t('dash.hours', { n: number(minutes / 60, 1) }));

function change(now, before, digits = 0) {
  if (now === null || now === undefined || before === null || before === undefined) return '';
  const d = now - before;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  return t('dash.vs_previous', { d: `${sign}${number(Math.abs(d), digits)}`, before: number(before, digits) });
}

function tile(id, label, value, { sub = '', definition }) {
  return h('div', { class: 'kpi', id, title: definition, tabindex: '0', 'aria-label': `${label}: ${value}. ${sub} ${definition}` },
    h('div', { class: 'kpi-label' }, label),
    h('div', { class: 'kpi-value' }, value),
    sub ? h('div', { class: 'kpi-sub' }, sub) : null);
}

export async function mount(main) {
  let categories = [];
  let staff = [];
  try {
    [categories, staff] = await Promise.all([api.complaintCategories(), api.staffOrNone()]);
  } catch (e) {
    showError(e);
  }
  const set = (key, value) => { state[key] = value; load(); };
  const custom = () => state.preset === 'custom';
  main.append(h('section', { class: 'manager' },
    h('header', { class: 'section-head' },
      h('h1', {}, t('manager.title')),
      h('button', { type: 'button', class: 'btn', id: 'dash-print', onclick: printReport }, t('dash.print')),
      h('button', { type: 'button', class: 'btn', id: 'dash-export', onclick: exportFigures }, t('dash.export'))),
    h('div', { class: 'filters dash-filters', role: 'group', 'aria-label': t('dash.period') },
      h('label', { class: 'inline-field' }, h('span', {}, t('dash.period')),
        h('select', { id: 'dash-preset', onchange: (e) => { state.preset = e.target.value; $('#dash-custom').hidden = !custom(); if (!custom() || (state.from && state.to)) load(); } },
          PRESETS.map((p) => h('option', { value: p, selected: state.preset === p }, t(`dash.preset.${p}`))))),
      h('span', { id: 'dash-custom', hidden: !custom() },
        h('label', { class: 'inline-field' }, h('span', {}, t('churn.from')),
          h('input', { id: 'dash-from', type: 'date', value: state.from, onchange: (e) => set('from', e.target.value) })),
        h('label', { class: 'inline-field' }, h('span', {}, t('churn.to')),
          h('input', { id: 'dash-to', type: 'date', value: state.to, onchange: (e) => set('to', e.target.value) }))),
      h('select', { id: 'dash-tier', 'aria-label': t('dash.filter.tier'), onchange: (e) => set('tier', e.target.value) },
        h('option', { value: '' }, t('dash.any_tier')),
        TIERS.map((v) => h('option', { value: v, selected: state.tier === v }, t(`tier.${v}`)))),
      h('select', { id: 'dash-category', 'aria-label': t('dash.filter.category'), onchange: (e) => set('category_id', e.target.value) },
        h('option', { value: '' }, t('complaints.any_category')),
        categories.map((c) => h('option', { value: String(c.id), selected: state.category_id === String(c.id) }, categoryName(c)))),
      h('select', { id: 'dash-staff', 'aria-label': t('dash.filter.staff'), onchange: (e) => set('staff', e.target.value) },
        h('option', { value: '' }, t('dash.any_staff')),
        staff.map((s) => h('option', { value: s, selected: state.staff === s }, s)))),
    h('p', { id: 'dash-period', class: 'muted', 'aria-live': 'polite' }),
    h('div', { id: 'dashboard', 'aria-busy': 'true' }),
    h('section', { class: 'card', id: 'drill', hidden: true, 'aria-live': 'polite' }),
    h('div', { id: 'churn-register-host' })));
  mountRegister($('#churn-register-host'));
  load();
}

/** The dashboard and the arrival figures of the same query, fetched together: one failing leaves the other shown. */
async function load() {
  const host = $('#dashboard');
  if (!host) return;
  generation += 1;
  const mine = generation;
  host.setAttribute('aria-busy', 'true');
  const q = query();
  const [dash, arrivals] = await Promise.allSettled([api.reviewDashboard(q), api.arrivalFigures(q), loadCharts()]);
  if (mine !== generation || !$('#dashboard')) return;
  if (dash.status === 'rejected') showError(dash.reason);
  if (arrivals.status === 'rejected') showError(arrivals.reason);
  if (dash.status === 'rejected' && arrivals.status === 'rejected') {
    host.setAttribute('aria-busy', 'false');
    return;
  }
  clearCharts();
  clear(host);
  if (dash.status === 'fulfilled') {
    const d = dash.value;
    current = d;
    $('#dash-period').textContent = t('dash.period_text', {
      from: dayOnly(d.period.from), to: dayOnly(d.period.to), pfrom: dayOnly(d.previous.from), pto: dayOnly(d.previous.to),
    });
    render(host, d);
  } else {
    current = null;
    $('#dash-period').textContent = '';
  }
  host.append(arrivalPanel(arrivals.status === 'fulfilled' ? arrivals.value : null, arrivals.reason,
    Boolean(q.tier || q.staff || q.category_id)));
  host.setAttribute('aria-busy', 'false');
}

const percent = (p) => (p === null || p === undefined ? '—' : `${number(p, 1)}%`);

/** Arrivals (预约与到店): 回头率, visits per customer, no-shows, cancellations by reason, busiest hours and weekdays. */
function arrivalPanel(f, error, filtered = false) {
  const def = (k) => t(`dash.def.${k}`);
  const panel = h('section', { class: 'arrival-figures', id: 'arrival-figures', 'aria-labelledby': 'arrival-figures-title' },
    h('h2', { class: 'dash-heading', id: 'arrival-figures-title' }, t('dash.section.arrivals')),
    // The arrival figures count the period only: say so when the dashboard is filtered.
    filtered ? h('p', { class: 'muted', id: 'arrival-figures-unfiltered' }, t('dash.arrivals_unfiltered')) : null);
  if (!f) {
    return add(panel, h('p', { class: 'warning', id: 'arrival-figures-error' }, t('dash.arrivals_failed'),
      error && error.message ? h('span', { class: 'muted' }, ` ${error.message}`) : null));
  }
  // The hours that had arrivals, from the first to the last (all 24 when there were none).
  const busy = f.by_hour.map((n, i) => (n ? i : -1)).filter((i) => i >= 0);
  const [first, last] = busy.length ? [busy[0], busy[busy.length - 1]] : [0, 23];
  const hours = f.by_hour.slice(first, last + 1).map((n, i) => ({ label: `${first + i}:00`, value: n }));
  const weekdays = t('calendar.weekdays').split(',');
  const cancelled = f.cancellations.reduce((sum, c) => sum + c.count, 0);
  return add(panel,
    h('div', { class: 'kpis', id: 'arrival-kpis' },
      tile('fig-repeat-rate', t('dash.repeat_rate'), percent(f.repeat_rate),
        { sub: t('dash.returning', { returning: number(f.returning), n: f.visitors }), definition: def('repeat_rate') }),
      tile('fig-visits-per-customer', t('dash.visits_per_customer'), number(f.visits_per_customer, 2),
        { sub: t('dash.arrivals_count', { n: f.arrivals }), definition: def('visits_per_customer') }),
      tile('fig-no-show-rate', t('dash.no_show_rate'), percent(f.no_show_rate),
        { sub: t('dash.no_shows', { n: f.no_shows }), definition: def('no_show_rate') }),
      tile('fig-cancellations', t('dash.cancellations'), number(cancelled), { definition: def('cancellations') })),
    h('div', { class: 'chart-grid' },
      chartCard({ id: 'chart-arrival-hours', title: t('dash.busiest_hours'), definition: def('busiest_hours'), bars: hours, valueLabel: t('dash.col.arrivals') }),
      chartCard({ id: 'chart-arrival-weekdays', title: t('dash.busiest_weekdays'), definition: def('busiest_weekdays'),
        bars: f.by_weekday.map((n, i) => ({ label: weekdays[i] || String(i + 1), value: n })), valueLabel: t('dash.col.arrivals') }),
      f.cancellations.length
        ? chartCard({ id: 'chart-cancel-reasons', title: t('dash.cancel_reasons'), definition: def('cancellations'),
          bars: f.cancellations.map((c) => ({ label: c.reason || t('dash.nobody'), value: c.count })) })
        : h('section', { class: 'card', id: 'chart-cancel-reasons' }, h('h2', {}, t('dash.cancel_reasons')), h('p', { class: 'muted' }, t('dash.none')))));
}

function render(host, d) {
  const c = d.complaints;
  const s = d.satisfaction;
  const v = d.visits;
  const ch = d.churn;
  const def = (k) => t(`dash.def.${k}`);
  host.append(
    h('div', { class: 'kpis', id: 'dash-kpis' },
      tile('kpi-complaints', t('dash.complaints'), number(c.count), { sub: change(c.count, c.previous_count), definition: def('complaints') }),
      tile('kpi-rate', t('dash.rate'), number(c.rate, 2), { sub: change(c.rate, c.previous_rate, 2), definition: def('rate') }),
      tile('kpi-response-met', t('dash.response_met'), pct(c.response_met), { sub: t('dash.of', { n: c.response_met.count, of: c.response_met.of }), definition: def('deadline') }),
      tile('kpi-resolution-met', t('dash.resolution_met'), pct(c.resolution_met), { sub: change(c.resolution_met.percent, c.previous_resolution_met.percent, 1), definition: def('deadline') }),
      tile('kpi-response-time', t('dash.response_time'), hours(c.response_time.median), { sub: t('dash.p90', { v: hours(c.response_time.p90) }), definition: def('times') }),
      tile('kpi-resolution-time', t('dash.resolution_time'), hours(c.resolution_time.median), { sub: t('dash.p90', { v: hours(c.resolution_time.p90) }), definition: def('times') }),
      tile('kpi-satisfaction', t('dash.satisfaction'), number(s.average, 2), { sub: change(s.average, s.previous_average, 2), definition: def('satisfaction') }),
      tile('kpi-visits', t('dash.visits_done'), `${number(v.done)} / ${number(v.planned)}`, { sub: t('dash.reached', { p: pct(v.reached) }), definition: def('visits') }),
      tile('kpi-lost', t('dash.lost'), number(ch.lost), { sub: change(ch.lost, ch.previous_lost), definition: def('churn') }),
      tile('kpi-churn-rate', t('dash.churn_rate'), number(ch.rate, 2), { sub: t('dash.won_back', { n: ch.won_back }), definition: def('churn_rate') })),
    needsMe(d.needs_me),
    h('h2', { class: 'dash-heading' }, t('dash.section.complaints')),
    h('div', { class: 'chart-grid' },
      chartCard({ id: 'chart-category', title: t('dash.by_category'), definition: def('complaints'), bars: c.by_category.map((b) => ({ label: barLabel(b), value: b.count })),
        onPick: (i) => drill('complaints', 'category', c.by_category[i].key, barLabel(c.by_category[i])) }),
      chartCard({ id: 'chart-month', title: t('dash.by_month'), definition: def('complaints'), bars: c.by_month.map((b) => ({ label: barLabel(b), value: b.count })),
        onPick: (i) => drill('complaints', 'month', c.by_month[i].key, barLabel(c.by_month[i])) }),
      chartCard({ id: 'chart-severity', title: t('dash.by_severity'), definition: def('complaints'), bars: c.by_severity.map((b) => ({ label: barLabel(b), value: b.count })),
        onPick: (i) => drill('complaints', 'severity', c.by_severity[i].key, barLabel(c.by_severity[i])) }),
      chartCard({ id: 'chart-channel', title: t('dash.by_channel'), definition: def('complaints'), bars: c.by_channel.map((b) => ({ label: barLabel(b), value: b.count })),
        onPick: (i) => drill('complaints', 'channel', c.by_channel[i].key, barLabel(c.by_channel[i])) }),
      chartCard({ id: 'chart-age', title: t('dash.open_by_age'), definition: def('open_age'), bars: c.open_by_age.map((b) => ({ label: barLabel(b), value: b.count })),
        onPick: (i) => drill('complaints', 'age', c.open_by_age[i].key, barLabel(c.open_by_age[i])) })),
    h('dl', { class: 'facts dash-facts' },
      fact(t('dash.escalated_open'), c.escalated_open, () => drill('complaints', 'escalated', '', t('dash.escalated_open'))),
      fact(t('dash.breached_open'), c.breached_open, () => drill('complaints', 'breached', '', t('dash.breached_open'))),
      fact(t('dash.repeat_customers'), c.repeat_customers),
      fact(t('dash.remedies'), `${number(c.remedies)} · ${money(c.remedy_cents) || money(0)}`),
      fact(t('dash.response_missed'), c.response_met.of - c.response_met.count, () => drill('complaints', 'response_missed', '', t('dash.response_missed'))),
      fact(t('dash.resolution_missed'), c.resolution_met.of - c.resolution_met.count, () => drill('complaints', 'resolution_missed', '', t('dash.resolution_missed')))),
    h('h2', { class: 'dash-heading' }, t('dash.section.satisfaction')),
    h('div', { class: 'chart-grid' },
      chartCard({ id: 'chart-scores', title: t('dash.distribution'), definition: def('satisfaction'), bars: s.distribution.map((n, i) => ({ label: t(`satisfaction.${i + 1}`), value: n })),
        onPick: (i) => drill('scores', 'score', String(i + 1), t(`satisfaction.${i + 1}`)) }),
      chartCard({ id: 'chart-score-month', title: t('dash.score_by_month'), definition: def('satisfaction'), type: 'line', digits: 2, valueLabel: t('dash.average'),
        bars: s.by_month.map((b) => ({ label: monthName(b.key), value: b.average })),
        onPick: (i) => drill('scores', 'month', s.by_month[i].key, monthName(s.by_month[i].key)) })),
    scoreTable('dash-score-tier', t('dash.score_by_tier'), s.by_tier.map((x) => ({ ...x, label: t(`tier.${x.key}`) })), 'tier'),
    scoreTable('dash-score-staff', t('dash.score_by_staff'), s.by_staff.map((x) => ({ ...x, label: x.key || t('dash.nobody') })), 'staff'),
    lowList('dash-lowest', t('dash.lowest'), s.lowest),
    h('h2', { class: 'dash-heading' }, t('dash.section.visits')),
    table('dash-visits-staff', t('dash.visits_by_staff'), ['staff', 'planned', 'done', 'reached', 'late'],
      v.by_staff.map((x) => [
        h('button', { type: 'button', class: 'link', onclick: () => drill('visits', 'staff', x.staff, x.staff || t('dash.nobody')) }, x.staff || t('dash.nobody')),
        number(x.planned), number(x.done), number(x.reached), number(x.late)])),
    h('dl', { class: 'facts dash-facts' },
      fact(t('dash.on_time'), `${number(v.on_time)} / ${number(v.late)}`),
      fact(t('dash.overdue_now'), v.overdue_now),
      fact(t('dash.past_interval'), v.past_interval.map((b) => `${t(`tier.${b.key}`)} ${number(b.count)}`).join(' · '))),
    h('h2', { class: 'dash-heading' }, t('dash.section.churn')),
    h('div', { class: 'chart-grid' },
      chartCard({ id: 'chart-churn-type', title: t('dash.churn_by_type'), definition: def('churn'), bars: ch.by_type.map((b) => ({ label: barLabel(b), value: b.count })),
        onPick: (i) => drill('lost', 'type', ch.by_type[i].key, barLabel(ch.by_type[i])) }),
      chartCard({ id: 'chart-churn-reason', title: t('dash.churn_by_reason'), definition: def('churn'), bars: ch.by_reason.map((b) => ({ label: barLabel(b), value: b.count })),
        onPick: (i) => drill('lost', 'reason', ch.by_reason[i].key, barLabel(ch.by_reason[i])) })),
    table('dash-churn-tier', t('dash.churn_by_tier'), ['tier', 'lost', 'active_at_start', 'churn_rate'],
      ch.by_tier.map((x) => [
        h('button', { type: 'button', class: 'link', onclick: () => drill('lost', 'tier', x.tier, t(`tier.${x.tier}`)) }, t(`tier.${x.tier}`)),
        number(x.lost), number(x.active_at_start), number(x.rate, 2)])),
    h('h2', { class: 'dash-heading' }, t('dash.section.staff')),
    table('dash-staff', t('dash.staff_table'), ['staff', 'resolved', 'resolution_time', 'resolution_met', 'visits_done', 'satisfaction'],
      d.staff.map((x) => [
        x.complaints_resolved
          ? h('button', { type: 'button', class: 'link', onclick: () => drill('complaints', 'staff', x.staff, x.staff || t('dash.nobody')) }, x.staff || t('dash.nobody'))
          : (x.staff || t('dash.nobody')),
        number(x.complaints_resolved), hours(x.resolution_time.median), pct(x.resolution_met), number(x.visits_done),
        x.satisfaction.n ? `${number(x.satisfaction.average, 2)} (${number(x.satisfaction.n)})` : '—'])),
  );
}

function fact(label, value, onOpen) {
  const shown = typeof value === 'number' ? number(value) : value;
  return [h('dt', {}, label), h('dd', {}, onOpen && value ? h('button', { type: 'button', class: 'link', onclick: onOpen }, shown) : shown)];
}

function table(id, caption, cols, rows) {
  return h('div', { class: 'card table-wrap' },
    h('table', { class: 'audit-table', id },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(`dash.col.${k}`))))),
      h('tbody', {}, rows.length
        ? rows.map((r) => h('tr', {}, r.map((cell) => h('td', {}, cell))))
        : h('tr', {}, h('td', { colspan: String(cols.length), class: 'muted' }, t('dash.none'))))));
}

function scoreTable(id, caption, scores, by) {
  return table(id, caption, [by, 'average', 'scores'], scores.map((x) => [
    x.n ? h('button', { type: 'button', class: 'link', onclick: () => drill('scores', by, x.key, x.label) }, x.label) : x.label,
    number(x.average, 2), number(x.n)]));
}

function customerButton(id, name) {
  return h('button', { type: 'button', class: 'link', onclick: () => navigate('customers', { customerId: id }) }, name);
}

function lowList(id, caption, scores) {
  return table(id, caption, ['customer', 'score', 'source', 'at'], scores.map((x) => [
    [customerButton(x.customer_id, x.customer_name), ' ', tierBadge(x.tier)],
    t(`satisfaction.${x.score}`), t(`dash.source.${x.source}`), dateTime(x.at)]));
}

function needsMe(n) {
  return h('section', { class: 'card needs-me', id: 'needs-me' },
    h('h2', {}, t('dash.needs_me')),
    h('div', { class: 'needs-grid' },
      h('div', {},
        h('h3', {}, t('dash.urgent_complaints', { n: n.complaints.length })),
        n.complaints.length
          ? h('ul', { class: 'plain-list' }, n.complaints.map((c) => h('li', {},
            h('button', { type: 'button', class: 'link', onclick: () => navigate('complaints', { complaintId: c.id }) }, c.serial), ' ',
            c.customer_name, ' · ', c.summary, ' ',
            c.breached ? h('span', { class: 'badge breach' }, t('dash.breached')) : null,
            c.escalation_level >= 3 ? h('span', { class: 'badge breach' }, t('dash.high_risk')) : null)))
          : h('p', { class: 'muted' }, t('dash.none'))),
      h('div', {},
        h('h3', {}, t('dash.overdue_reminders')),
        n.overdue_reminders.length
          ? h('ul', { class: 'plain-list', id: 'needs-reminders' }, n.overdue_reminders.map((r) => h('li', {}, `${r.key || t('dash.nobody')}: ${number(r.count)}`)))
          : h('p', { class: 'muted' }, t('dash.none'))),
      h('div', {},
        h('h3', {}, t('dash.vip_low')),
        n.vip_low.length
          ? h('ul', { class: 'plain-list' }, n.vip_low.map((x) => h('li', {}, customerButton(x.customer_id, x.customer_name), ' ', t(`satisfaction.${x.score}`), ' · ', dateTime(x.at))))
          : h('p', { class: 'muted' }, t('dash.none')))));
}

async function drill(kind, by, key, label) {
  const panel = $('#drill');
  if (!panel) return;
  let page;
  try {
    page = await api.reviewDrill({ query: query(), kind, by, key });
  } catch (e) {
    showError(e);
    return;
  }
  const open = (r) => {
    if (r.opens === 'complaint') navigate('complaints', { complaintId: r.id });
    else navigate('customers', { customerId: r.customer_id });
  };
  const title = (r) => {
    if (kind === 'scores') return t(`satisfaction.${r.title}`);
    if (kind === 'visits') return t(`state.visit_${r.title}`);
    if (kind === 'lost') return t(`churn.type.${r.title}`);
    return r.title;
  };
  add(clear(panel),
    h('div', { class: 'card-head' },
      h('h2', { id: 'drill-title', tabindex: '-1' }, t('dash.drill_title', { what: t(`dash.drill.${kind}`), label, n: page.total })),
      h('button', { type: 'button', class: 'btn small', id: 'drill-close', onclick: () => { panel.hidden = true; } }, t('dash.close'))),
    page.total > page.rows.length ? h('p', { class: 'muted' }, t('dash.drill_limited', { n: page.rows.length })) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'audit-table', id: 'drill-table' },
      h('thead', {}, h('tr', {}, ['at', 'customer', 'item', 'detail', 'staff'].map((k) => h('th', { scope: 'col' }, t(`dash.col.${k}`))))),
      h('tbody', {}, page.rows.map((r) => h('tr', { class: 'drill-row' },
        h('td', {}, r.at.includes('T') ? dateTime(r.at) : dayOnly(r.at)),
        h('td', {}, r.customer_name),
        h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => open(r) }, title(r))),
        h('td', {}, r.detail),
        h('td', {}, r.staff)))))));
  panel.hidden = false;
  panel.scrollIntoView({ block: 'nearest' });
  $('#drill-title').focus();
}

/** The dashboard as a report: the manager's name, the period, every figure and chart. */
function printReport() {
  if (!current) return;
  const host = $('#dashboard');
  document.getElementById('print-view')?.remove();
  // Charts print from their images (beforeprint fills them); the rest is cloned as text.
  window.dispatchEvent(new Event('beforeprint'));
  const report = host.cloneNode(true);
  for (const el of report.querySelectorAll('.chart-box, .chart-toggle, .chart-data')) el.remove();
  for (const el of report.querySelectorAll('[id]')) el.removeAttribute('id');
  const view = h('div', { id: 'print-view', class: 'print-view dash-report' },
    h('div', { class: 'print-actions no-print' },
      h('button', { type: 'button', class: 'btn primary', id: 'print-now', onclick: () => window.print() }, t('complaint.print_now')),
      h('button', { type: 'button', class: 'btn', id: 'print-close', onclick: () => view.remove() }, t('form.cancel'))),
    h('h1', {}, t('dash.report_title')),
    h('p', { class: 'print-serial' }, t('dash.report_by', { name: currentStaff() || t('dash.nobody'), period: $('#dash-period').textContent })),
    report);
  document.body.append(view);
  $('#print-now').focus();
}

/** The figures and the records behind them to an .xlsx the manager picks. */
async function exportFigures() {
  let path;
  try {
    path = await api.pickSaveFile(t('dash.export_pick'), `${t('dash.report_title')}-${todayIso()}.xlsx`);
    if (!path) return;
    if (!path.toLowerCase().endsWith('.xlsx')) path += '.xlsx';
    const saved = await api.reviewExport(query(), path, language());
    toast(t('dash.exported', { path: saved }));
  } catch (e) {
    showError(e);
  }
}

// Charts for the manager's dashboard, drawn by the vendored Chart.js (ui/vendor/chart.js,
// MIT). Every chart has an accessible name, a data table behind it (read by screen readers,
// shown on demand, its labels are buttons for the keyboard), follows the UI language for
// numbers, and opens the records a bar counts when clicked.
// Chart.js is read when the dashboard first opens (`loadCharts`), not at start-up.
import { h } from './dom.js';
import { t, language } from './i18n.js';

let Chart = null;

/** Load Chart.js once (the dashboard awaits this before drawing). */
export async function loadCharts() {
  if (Chart) return;
  await import('../vendor/chart.js/chart.umd.min.js');
  ({ Chart } = globalThis);
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || 'sans-serif';
  Chart.defaults.animation = false;
}

const live = new Set();

export function number(n, digits = 0) {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(language(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

/** Destroy the charts drawn so far (before the dashboard redraws). */
export function clearCharts() {
  for (const c of live) c.destroy();
  live.clear();
}

/**
 * A chart card: `bars` [{label, value}] (and `previous` values for a dashed comparison),
 * `onPick(index)` opens the records of bar `index`.
 */
export function chartCard({ id, title, definition, bars, type = 'bar', previous = null, valueLabel, digits = 0, onPick }) {
  const canvas = h('canvas', { id: `${id}-canvas`, role: 'img', 'aria-label': `${title}: ${bars.map((b) => `${b.label} ${number(b.value, digits)}`).join(', ')}` });
  const table = h('table', { class: 'chart-data sr-only', id: `${id}-data` },
    h('caption', {}, title),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('dash.col.item')), h('th', { scope: 'col' }, valueLabel || t('dash.col.count')),
      previous ? h('th', { scope: 'col' }, t('dash.col.previous')) : null)),
    h('tbody', {}, bars.map((b, i) => h('tr', {},
      h('th', { scope: 'row' }, onPick
        ? h('button', { type: 'button', class: 'link', dataset: { index: String(i) }, onclick: () => onPick(i) }, b.label)
        : b.label),
      h('td', {}, number(b.value, digits)),
      previous ? h('td', {}, number(previous[i], digits)) : null))));
  const toggle = h('button', {
    type: 'button', class: 'btn small chart-toggle', 'aria-controls': `${id}-data`, 'aria-expanded': 'false',
    onclick: () => {
      const shown = table.classList.toggle('sr-only') === false;
      toggle.setAttribute('aria-expanded', String(shown));
    },
  }, t('dash.data_table'));
  const card = h('figure', { class: 'card chart-card', id },
    h('figcaption', { class: 'card-head' }, h('h2', { title: definition || '' }, title), toggle),
    h('div', { class: 'chart-box' }, canvas),
    h('img', { class: 'chart-print', alt: title }),
    table);
  const datasets = [{ label: valueLabel || title, data: bars.map((b) => b.value), backgroundColor: '#3b6fd8', borderColor: '#3b6fd8' }];
  if (previous) datasets.push({ label: t('dash.col.previous'), data: previous, borderDash: [6, 4], backgroundColor: '#b9c6e4', borderColor: '#8ea0c9' });
  const chart = new Chart(canvas, {
    type,
    data: { labels: bars.map((b) => b.label), datasets },
    options: {
      locale: language(),
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { display: !!previous } },
      scales: { y: { beginAtZero: true, ticks: { precision: digits ? undefined : 0 } } },
      onClick: (_evt, els) => { if (onPick && els.length) onPick(els[0].index); },
      onHover: (_evt, els) => { canvas.classList.toggle('pickable', !!(onPick && els.length)); },
    },
  });
  live.add(chart);
  card.chart = chart;
  return card;
}

// WebKitGTK prints canvases black: before printing, each chart is copied into its image.
window.addEventListener('beforeprint', () => {
  for (const c of live) {
    const img = c.canvas.closest('.chart-card')?.querySelector('.chart-print');
    if (img) img.src = c.toBase64Image('image/png', 1);
  }
});

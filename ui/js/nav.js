// Navigation between sections and the sidebar's live counts.
import { api } from './api.js';
import { $, $$, clear } from './dom.js';
import { applyStatic } from './i18n.js';
import { todayIso } from './dialog.js';

const sections = {};
let active = 'customers';

export function registerSections(s) {
  Object.assign(sections, s);
}

export function activeSection() {
  return sections[active];
}

/** Show a section; `options` go to its mount (e.g. {customerId}). */
export function navigate(name, options = {}) {
  if (!sections[name]) return;
  active = name;
  render(options);
}

export function render(options = {}) {
  applyStatic();
  for (const b of $$('.nav-item')) b.classList.toggle('active', b.dataset.section === active);
  const main = clear($('#main'));
  sections[active].mount(main, options);
  refreshCounts();
}

/**
 * Sidebar badges: visits overdue and due today; open complaints (red when one is overdue);
 * guests booked today who have not come yet (red when one is late).
 */
export async function refreshCounts() {
  const visits = $('#nav-count-visits');
  const complaints = $('#nav-count-complaints');
  const reminders = $('#nav-count-reminders');
  try {
    const r = await api.reminderCounts();
    reminders.textContent = r.due ? String(r.due) : '';
    reminders.classList.toggle('has-overdue', r.due > 0);
  } catch {
    reminders.textContent = '';
  }
  try {
    const c = await api.visitCounts();
    const n = c.overdue + c.today;
    visits.textContent = n ? String(n) : '';
    visits.classList.toggle('has-overdue', c.overdue > 0);
  } catch {
    visits.textContent = '';
  }
  try {
    const [open, overdue] = await Promise.all([
      api.listComplaints({ state: 'open', limit: 1 }),
      api.listComplaints({ state: 'open', overdue: true, limit: 1 }),
    ]);
    complaints.textContent = open.total ? String(open.total) : '';
    complaints.classList.toggle('has-overdue', overdue.total > 0);
  } catch {
    complaints.textContent = '';
  }
  const arrivals = $('#nav-count-arrivals');
  if (arrivals) {
    try {
      const counts = await api.arrivalsCounts(todayIso());
      const n = counts.booked + counts.late;
      arrivals.textContent = n ? String(n) : '';
      arrivals.classList.toggle('has-overdue', counts.late > 0);
    } catch {
      arrivals.textContent = '';
    }
  }
}

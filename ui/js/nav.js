// Navigation between sections and the sidebar's live counts.
import { api } from './api.js';
import { $, $$, clear } from './dom.js';
import { applyStatic } from './i18n.js';

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

/** Overdue and today's visits on the sidebar badge. */
export async function refreshCounts() {
  const el = $('#nav-count-visits');
  if (!el) return;
  try {
    const c = await api.visitCounts();
    const n = c.overdue + c.today;
    el.textContent = n ? String(n) : '';
    el.classList.toggle('has-overdue', c.overdue > 0);
  } catch {
    el.textContent = '';
  }
}

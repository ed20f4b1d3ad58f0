// The customer picker of the dialogs: a labelled search box and the customers it matches.
// Only the answer to the latest text is shown (an older answer that arrives late is dropped),
// and a failed search says so in the list. Keyboard: ↓ from the box enters the list, ↑/↓ move
// through it, ↑ on the first match goes back to the box, Enter picks.
import { api } from './api.js';
import { $$, clear, h } from './dom.js';
import { t } from './i18n.js';

const DEBOUNCE_MS = 120;
/** What ↑/↓ move through: the matches and the footer's choice. */
const CHOICES = 'button.pick, button.pick-new';

/**
 * customerPicker({ id, resultsId, label, placeholder, value, limit, extra, onPick, onInput, empty, footer })
 * - `extra(c)`: what a match shows after the name (badges, phone);
 * - `onPick(c)`: a match was chosen (the list is cleared first);
 * - `onInput()`: the text changed (before the search);
 * - `empty(q)`: what to say when nothing matches `q` (or null);
 * - `footer(q)`: a last choice after the matches (a `button.pick-new`, e.g. "New customer: q").
 * Returns `{ label, input, results, reset }`: the <label>, the box, the list, and `reset()`,
 * which clears the list and drops any answer still on its way.
 */
export function customerPicker({ id, resultsId, label, placeholder = '', value = '', limit = 6, extra = () => null, onPick, onInput, empty, footer }) {
  const input = h('input', { id, autocomplete: 'off', placeholder, value, 'aria-controls': resultsId });
  const results = h('ul', { class: 'pick-list', id: resultsId, 'aria-label': label, 'aria-busy': 'false' });
  const labelEl = h('label', { class: 'field-label', for: id }, label);
  // Each change of the text takes a ticket; only the latest ticket's answer is shown.
  let latest = 0;
  let timer = null;

  const reset = () => {
    latest += 1;
    clearTimeout(timer);
    clear(results);
    results.setAttribute('aria-busy', 'false');
  };

  const pick = (c) => {
    reset();
    onPick(c);
  };

  async function search(q, ticket) {
    let page = null;
    let error = null;
    try {
      page = await api.listCustomers({ q, limit });
    } catch (e) {
      error = e;
    }
    if (ticket !== latest) return; // the text changed since: this answer is stale
    clear(results);
    results.setAttribute('aria-busy', 'false');
    const last = footer ? footer(q) : null;
    if (error) {
      const detail = (error && error.message) || String(error);
      results.append(h('li', { class: 'pick-error', role: 'alert' },
        t('picker.failed'), ' ', h('span', { class: 'muted' }, detail)));
      if (last) results.append(h('li', {}, last));
      return;
    }
    for (const c of page.items) {
      results.append(h('li', {}, h('button', { type: 'button', class: 'pick', onclick: () => pick(c) },
        h('strong', { class: 'pick-name' }, c.name), ' ', extra(c))));
    }
    if (!page.items.length) {
      const note = empty ? empty(q) : t('picker.none');
      if (note) results.append(h('li', { class: 'muted' }, note));
    }
    if (last) results.append(h('li', {}, last));
  }

  input.addEventListener('input', () => {
    onInput?.();
    latest += 1;
    const ticket = latest;
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) {
      clear(results);
      results.setAttribute('aria-busy', 'false');
      return;
    }
    results.setAttribute('aria-busy', 'true');
    timer = setTimeout(() => search(q, ticket), DEBOUNCE_MS);
  });

  input.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown') return;
    const first = $$(CHOICES, results)[0];
    if (first) {
      e.preventDefault();
      first.focus();
    }
  });

  results.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const picks = $$(CHOICES, results);
    const i = picks.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    if (e.key === 'ArrowDown') picks[Math.min(i + 1, picks.length - 1)].focus();
    else if (i === 0) input.focus();
    else picks[i - 1].focus();
  });

  return { label: labelEl, input, results, reset };
}

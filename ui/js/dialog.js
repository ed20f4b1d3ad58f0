// Modal dialogs: one shape for every form (title, fields, Save/Close, Enter saves, Esc closes),
// with Rust's field errors shown beside the fields and nothing typed ever cleared.
import { $, $$, h } from './dom.js';
import { t } from './i18n.js';
import { showError } from './toast.js';

/** Show `{field, code, max}` errors next to the elements marked data-error-for. */
export function showFieldErrors(form, fields) {
  for (const el of $$('.field-error', form)) el.textContent = '';
  for (const el of $$('.has-error', form)) el.classList.remove('has-error');
  const general = $('.form-errors', form);
  if (general) general.textContent = '';
  for (const f of fields) {
    const el = $(`.field-error[data-error-for="${CSS.escape(f.field)}"]`, form);
    const msg = t(`invalid.${f.code}`, { max: f.max });
    if (el) {
      el.textContent = msg;
      el.parentElement.classList.add('has-error');
    } else if (general) {
      general.append(h('div', {}, `${t(`field.${f.field.split('.')[0]}`)}: ${msg}`));
    }
  }
  const first = $('.has-error input, .has-error select, .has-error textarea', form);
  if (first) first.focus();
}

/** A labelled control with its error slot. */
export function field(label, control, errorFor, extraClass = '') {
  return h('label', { class: `field ${extraClass}` },
    h('span', { class: 'field-label' }, label),
    control,
    h('span', { class: 'field-error', dataset: { errorFor } }));
}

/** A <select> of `values`, labelled by t(`${prefix}.${value}`). */
export function choice(id, values, prefix, current, extra = {}) {
  return h('select', { id, ...extra }, values.map((v) => h('option', { value: v, selected: v === current }, t(`${prefix}.${v}`))));
}

/**
 * Open a dialog. `submit(form)` returns the result to resolve with, or throws a Rust error
 * (field errors are shown and the dialog stays open). `onError(err, form)` may take an
 * error first (returning true when it showed it, e.g. warnings to confirm). Resolves null
 * when closed.
 */
export function openDialog({ id, title, body, submitLabel, submit, onError, wide = false }) {
  document.getElementById(id)?.remove();
  const form = h('form', { id: `${id}-form`, method: 'dialog', novalidate: true },
    h('header', { class: 'dialog-head' }, h('h2', {}, title)),
    h('div', { class: 'form-errors', role: 'alert' }),
    h('div', { class: 'form-grid' }, body),
    h('footer', { class: 'dialog-foot' },
      h('span', { class: 'muted' }, t('dialog.keys_hint')),
      h('button', { type: 'button', class: 'btn', dataset: { action: 'close' }, onclick: () => dialog.close() }, t('form.cancel')),
      h('button', { type: 'submit', class: 'btn primary', dataset: { action: 'submit' } }, submitLabel || t('form.save'))));
  const dialog = h('dialog', { id, class: `dialog${wide ? ' wide-dialog' : ''}` }, form);
  document.body.append(dialog);
  let done;
  const result = new Promise((resolve) => { done = resolve; });
  dialog.addEventListener('close', () => { dialog.remove(); done(null); });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const btn = $('[data-action="submit"]', form);
    btn.disabled = true;
    try {
      const value = await submit(form);
      done(value);
      dialog.close();
    } catch (err) {
      if (onError && onError(err, form)) return;
      if (err && err.kind === 'invalid') showFieldErrors(form, err.fields || []);
      else showError(err);
    } finally {
      btn.disabled = false;
    }
  });
  dialog.showModal();
  const first = $('input:not([type=hidden]):not([type=radio]), select, textarea', form);
  if (first) first.focus();
  return result;
}

/** Today as YYYY-MM-DD in local time. */
export function todayIso() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function addDaysIso(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  const dt = new Date(y, m - 1, d + n);
  return `${dt.getFullYear()}-${String(dt.getMonth() + 1).padStart(2, '0')}-${String(dt.getDate()).padStart(2, '0')}`;
}

// The customer form (a dialog): create and edit, field errors from Rust, drafts kept until
// saved or discarded, so an interrupted front desk never loses what was typed.
import { api } from './api.js';
import { $, $$, h } from './dom.js';
import { t } from './i18n.js';
import { PREFERENCE_KINDS, SOURCES, TIERS, dateTime } from './format.js';
import { showError, toast } from './toast.js';
import { showFieldErrors } from './dialog.js';

const DRAFT_PREFIX = 'frontdesk.draft.';

function draftKey(id) {
  return DRAFT_PREFIX + (id ? `edit.${id}` : 'new');
}

export function loadDraft(id) {
  try {
    const s = localStorage.getItem(draftKey(id));
    return s ? JSON.parse(s) : null;
  } catch {
    return null;
  }
}

function saveDraft(id, input) {
  try {
    localStorage.setItem(draftKey(id), JSON.stringify(input));
  } catch {
    /* storage full: the form itself still holds the text */
  }
}

export function dropDraft(id) {
  localStorage.removeItem(draftKey(id));
}

function emptyInput() {
  return {
    name: '', phones: [''], wechat: '', email: '', address: '', company: '', source: 'walk_in',
    first_contact: '', tier: 'regular', tags: [], notes: '', preferences: [], birthday: null, anniversary: null,
    cadence_ideal_days: null, cadence_max_days: null,
  };
}

function fromCustomer(c) {
  const { id, archived_at, created_at, updated_at, last_contact_date, ...rest } = c;
  return { ...emptyInput(), ...rest, phones: c.phones.length ? [...c.phones] : [''] };
}

function select(id, values, labelPrefix, current) {
  return h('select', { id }, values.map((v) => h('option', { value: v, selected: v === current }, t(`${labelPrefix}.${v}`))));
}

function field(label, control, errorFor, extraClass = '') {
  return h('label', { class: `field ${extraClass}` },
    h('span', { class: 'field-label' }, label),
    control,
    h('span', { class: 'field-error', dataset: { errorFor } }));
}

function phoneRow(value) {
  const row = h('div', { class: 'repeat-row phone-row' },
    h('input', { class: 'phone-input', type: 'tel', value, autocomplete: 'off', placeholder: t('form.phone_placeholder') }),
    h('button', { type: 'button', class: 'icon-btn', title: t('form.remove'), onclick: () => { row.remove(); renumber(); } }, '×'),
    h('span', { class: 'field-error' }));
  return row;
}

function preferenceRow(p) {
  const row = h('div', { class: 'repeat-row pref-row' },
    h('select', { class: 'pref-kind' }, PREFERENCE_KINDS.map((k) => h('option', { value: k, selected: k === p.kind }, t(`pref.${k}`)))),
    h('input', { class: 'pref-text', value: p.text, placeholder: t('form.pref_placeholder') }),
    h('button', { type: 'button', class: 'icon-btn', title: t('form.remove'), onclick: () => { row.remove(); renumber(); } }, '×'),
    h('span', { class: 'field-error' }));
  return row;
}

function renumber() {
  $$('#customer-form .phone-row .field-error').forEach((el, i) => { el.dataset.errorFor = `phones.${i}`; });
  $$('#customer-form .pref-row .field-error').forEach((el, i) => { el.dataset.errorFor = `preferences.${i}`; });
}

function dateEditor(key, d) {
  const cal = d ? d.calendar : '';
  const box = h('fieldset', { class: 'date-editor', id: `f-${key}` },
    h('legend', {}, t(`field.${key}`)),
    h('select', { class: 'd-calendar', onchange: () => syncDate(box) },
      h('option', { value: '', selected: cal === '' }, t('date.none')),
      h('option', { value: 'gregorian', selected: cal === 'gregorian' }, t('date.cal_gregorian')),
      h('option', { value: 'lunar', selected: cal === 'lunar' }, t('date.cal_lunar'))),
    h('input', { class: 'd-year', inputmode: 'numeric', placeholder: t('date.year_optional'), value: d && d.year ? d.year : '' }),
    h('input', { class: 'd-month', inputmode: 'numeric', placeholder: t('date.month'), value: d ? d.month : '' }),
    h('input', { class: 'd-day', inputmode: 'numeric', placeholder: t('date.day'), value: d ? d.day : '' }),
    h('label', { class: 'd-leap-label' }, h('input', { type: 'checkbox', class: 'd-leap', checked: d && d.leap_month }), t('date.leap_month')),
    h('span', { class: 'field-error', dataset: { errorFor: key } }));
  syncDate(box);
  return box;
}

function syncDate(box) {
  const cal = $('.d-calendar', box).value;
  for (const el of $$('.d-year, .d-month, .d-day', box)) el.disabled = cal === '';
  $('.d-leap-label', box).hidden = cal !== 'lunar';
}

/** An integer typed by the user; text that is not one becomes 0 so Rust names the field. */
function int(s) {
  const v = String(s).trim();
  return /^\d+$/.test(v) ? Number(v) : 0;
}

/** An optional whole number: blank is null, anything else not a number is 0 (refused by Rust). */
function optInt(s) {
  return String(s).trim() === '' ? null : int(s);
}

function readDate(box) {
  const calendar = $('.d-calendar', box).value;
  if (!calendar) return null;
  const year = $('.d-year', box).value.trim();
  return {
    calendar,
    year: year === '' ? null : int(year),
    month: int($('.d-month', box).value),
    day: int($('.d-day', box).value),
    leap_month: calendar === 'lunar' && $('.d-leap', box).checked,
  };
}

/** Everything typed, as the command layer expects it. */
function collect(form) {
  const v = (sel) => $(sel, form).value;
  return {
    name: v('#f-name'),
    phones: $$('.phone-input', form).map((el) => el.value),
    wechat: v('#f-wechat'),
    email: v('#f-email'),
    address: v('#f-address'),
    company: v('#f-company'),
    source: v('#f-source'),
    first_contact: v('#f-first_contact'),
    tier: v('#f-tier'),
    tags: v('#f-tags').split(/[,,;;]/).map((s) => s.trim()).filter(Boolean),
    notes: v('#f-notes'),
    preferences: $$('.pref-row', form).map((row) => ({ kind: $('.pref-kind', row).value, text: $('.pref-text', row).value })),
    birthday: readDate($('#f-birthday', form)),
    anniversary: readDate($('#f-anniversary', form)),
    cadence_ideal_days: optInt(v('#f-cadence_ideal_days')),
    cadence_max_days: optInt(v('#f-cadence_max_days')),
  };
}

/**
 * Open the form: `customer` to edit, or null for a new one; `prefill` fills a new one (a
 * caller's number) instead of a kept draft. Resolves with the saved customer, or null when
 * the dialog was closed (the draft stays).
 */
export function openCustomerForm(customer, prefill = null) {
  const id = customer ? customer.id : null;
  const draft = prefill ? null : loadDraft(id);
  const input = draft || (customer ? fromCustomer(customer) : { ...emptyInput(), ...(prefill || {}) });
  document.getElementById('customer-dialog')?.remove();

  const phones = h('div', { class: 'repeat', id: 'f-phones' }, (input.phones.length ? input.phones : ['']).map(phoneRow));
  const prefs = h('div', { class: 'repeat', id: 'f-preferences' }, input.preferences.map(preferenceRow));
  const form = h('form', { id: 'customer-form', method: 'dialog', novalidate: true },
    h('header', { class: 'dialog-head' },
      h('h2', {}, customer ? t('form.edit_title', { name: customer.name }) : t('form.new_title')),
      draft ? h('div', { class: 'draft-note', id: 'draft-note' }, t('form.draft_restored'),
        h('button', { type: 'button', class: 'link-btn', id: 'discard-draft', onclick: () => discard() }, t('form.discard'))) : null),
    h('div', { class: 'form-errors', id: 'form-errors', role: 'alert' }),
    h('div', { class: 'form-grid' },
      field(t('field.name'), h('input', { id: 'f-name', value: input.name, autocomplete: 'off', required: true }), 'name', 'wide'),
      field(t('field.tier'), select('f-tier', TIERS, 'tier', input.tier), 'tier'),
      field(t('field.source'), select('f-source', SOURCES, 'source', input.source), 'source'),
      h('div', { class: 'field wide' },
        h('span', { class: 'field-label' }, t('field.phones')),
        phones,
        h('button', { type: 'button', class: 'link-btn', id: 'add-phone', onclick: () => { phones.append(phoneRow('')); renumber(); $$('.phone-input', phones).at(-1).focus(); } }, t('form.add_phone')),
        h('span', { class: 'field-error', dataset: { errorFor: 'phones' } })),
      field(t('field.wechat'), h('input', { id: 'f-wechat', value: input.wechat }), 'wechat'),
      field(t('field.email'), h('input', { id: 'f-email', type: 'text', inputmode: 'email', value: input.email }), 'email'),
      field(t('field.company'), h('input', { id: 'f-company', value: input.company }), 'company'),
      field(t('field.first_contact'), h('input', { id: 'f-first_contact', value: input.first_contact }), 'first_contact'),
      field(t('field.address'), h('input', { id: 'f-address', value: input.address }), 'address', 'wide'),
      field(t('field.cadence_ideal_days'), h('input', { id: 'f-cadence_ideal_days', inputmode: 'numeric', value: input.cadence_ideal_days ?? '', placeholder: t('form.cadence_default') }), 'cadence_ideal_days'),
      field(t('field.cadence_max_days'), h('input', { id: 'f-cadence_max_days', inputmode: 'numeric', value: input.cadence_max_days ?? '', placeholder: t('form.cadence_default') }), 'cadence_max_days'),
      h('div', { class: 'field muted cadence-hint' }, t('form.cadence_hint')),
      field(t('field.tags'), h('input', { id: 'f-tags', value: input.tags.join(', '), placeholder: t('form.tags_placeholder') }), 'tags', 'wide'),
      h('div', { class: 'field wide pref-editor' },
        h('span', { class: 'field-label' }, t('field.preferences')),
        prefs,
        h('button', { type: 'button', class: 'link-btn', id: 'add-preference', onclick: () => { prefs.append(preferenceRow({ kind: 'food', text: '' })); renumber(); $$('.pref-text', prefs).at(-1).focus(); } }, t('form.add_preference')),
        h('span', { class: 'field-error', dataset: { errorFor: 'preferences' } })),
      h('div', { class: 'wide dates' }, dateEditor('birthday', input.birthday), dateEditor('anniversary', input.anniversary)),
      field(t('field.notes'), h('textarea', { id: 'f-notes', rows: 3 }, input.notes), 'notes', 'wide')),
    h('footer', { class: 'dialog-foot' },
      h('span', { class: 'muted' }, t('form.keys_hint')),
      h('button', { type: 'button', class: 'btn', id: 'cancel', onclick: () => close() }, t('form.cancel')),
      h('button', { type: 'submit', class: 'btn primary', id: 'save' }, t('form.save'))));
  const dialog = h('dialog', { id: 'customer-dialog', class: 'dialog' }, form);
  document.body.append(dialog);
  renumber();

  let done;
  const result = new Promise((resolve) => { done = resolve; });
  const close = () => { dialog.close(); };
  const discard = () => { dropDraft(id); dialog.close(); };
  dialog.addEventListener('close', () => { dialog.remove(); done(null); });
  form.addEventListener('input', () => saveDraft(id, collect(form)));
  form.addEventListener('change', () => saveDraft(id, collect(form)));
  form.addEventListener('keydown', (e) => {
    // Enter saves from any one-line field; Ctrl+Enter saves from the notes too.
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  // The version of the record this form edits: saved elsewhere since (another desk), the
  // save is refused and the desk chooses between their version and this one.
  let seen = customer ? customer.updated_at : null;
  const changedElsewhere = (changed) => {
    $('#changed-elsewhere', form)?.remove();
    const box = h('div', { class: 'warning changed-elsewhere', id: 'changed-elsewhere', role: 'alert' },
      h('p', {}, t('form.changed_elsewhere', {
        // The desk that saved first, and the person at it when one was chosen.
        by: changed.desk && changed.by
          ? t('form.changed_staff_at_desk', { staff: changed.by, desk: changed.desk })
          : changed.desk || changed.by || t('form.changed_someone'),
        at: dateTime(changed.at),
      })),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn', id: 'changed-reload', onclick: () => {
          // Their version: what was typed here is let go.
          dropDraft(id);
          done({ id });
          dialog.close();
        } }, t('form.changed_reload')),
        h('button', { type: 'button', class: 'btn primary', id: 'changed-overwrite', onclick: () => {
          seen = changed.updated_at;
          box.remove();
          form.requestSubmit();
        } }, t('form.changed_overwrite'))));
    $('.dialog-foot', form).before(box);
    $('#changed-overwrite', form).focus();
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = collect(form);
    saveDraft(id, data);
    $('#save', form).disabled = true;
    try {
      const saved = id ? await api.updateCustomer(id, data, seen) : await api.createCustomer(data);
      dropDraft(id);
      toast(id ? t('toast.saved') : t('toast.created', { name: saved.name }));
      done(saved);
      dialog.close();
    } catch (err) {
      if (err && err.kind === 'invalid') showFieldErrors(form, err.fields || []);
      else if (err && err.kind === 'changed' && err.changed) changedElsewhere(err.changed);
      else showError(err);
    } finally {
      $('#save', form).disabled = false;
    }
  });
  dialog.showModal();
  $('#f-name', form).focus();
  return result;
}

export function hasDraft(id) {
  return loadDraft(id) !== null;
}


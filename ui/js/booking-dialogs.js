// Booking dialogs (预约): book a customer's visit to us (or a new guest's), change it,
// cancel it with a reason, and "arrived now" for a walk-in. Warnings the user may book past
// (the resource is taken then, the shop is closed that day) turn Save into "Book anyway".
import { api } from './api.js';
import { $, $$, add, clear, h } from './dom.js';
import { t } from './i18n.js';
import { choice, field, openDialog, todayIso } from './dialog.js';
import { tierBadge } from './format.js';
import { customerPicker } from './picker.js';
import { showError, toast } from './toast.js';

const REPEATS = ['none', 'day', 'week', 'month', 'year'];

/** The arrival settings for a form: the lists empty when they cannot be read, so the form still opens. */
async function settingsOrNone() {
  try {
    return await api.arrivalSettings();
  } catch {
    return { remind_minutes: 30, slot_minutes: 120, resources: [], cancel_reasons: [] };
  }
}

/** A name and a phone from what was typed in a search box: the digits are the phone. */
export function splitGuest(text) {
  const digits = /\+?\d[\d\s-]*\d|\d/g;
  const phone = (text.match(digits) || []).map((s) => s.trim()).join(' ');
  const name = text.replace(digits, ' ').replace(/\s+/g, ' ').trim();
  return { name, phone };
}

/** When a booking is, in a few words: "2026-05-01 19:00", "2026-05-01 (all day)", "… → 2026-05-03". */
export function bookingWhen(b) {
  const start = b.time ? `${b.date} ${b.time}` : t('booking.date_all_day', { date: b.date });
  return b.end_date ? t('booking.stay_span', { from: start, to: b.end_date }) : start;
}

/** The state of a booking as a badge: booked, late, arrived, no-show, cancelled. */
export function bookingStateBadge(b) {
  const s = b.state === 'booked' && b.late ? 'late' : b.state;
  return h('span', { class: `badge bstate bstate-${s}` }, t(`bstate.${s}`));
}

/**
 * Book, or change a booking. Options: `booking` (change it), `customer` ({id, name, tier})
 * preset, `date` the default day, `guest` ({name, phone}) a new customer to prefill.
 * Resolves with the saved Booking, or null.
 */
export async function openBooking({ booking = null, customer = null, date = null, guest = null } = {}) {
  const [settings, staff] = await Promise.all([settingsOrNone(), api.staffOrNone()]);
  const b = booking;
  let picked = b ? { id: b.customer_id, name: b.customer_name, tier: b.customer_tier } : customer;
  const fixed = !!picked;
  let confirm = false;

  // Who: a preset customer, or the picker with "a new customer" beside it.
  const chosen = h('div', { class: 'picked', id: 'b-customer-picked' });
  const newToggle = h('input', { type: 'checkbox', id: 'b-new', checked: !!guest });
  const newName = h('input', { id: 'b-new-name', value: guest ? guest.name : '', autocomplete: 'off' });
  const newPhone = h('input', { id: 'b-new-phone', type: 'tel', value: guest ? guest.phone : '', autocomplete: 'off', placeholder: t('form.phone_placeholder') });
  const newPart = h('div', { class: 'wide sub-grid', id: 'b-new-part' },
    field(t('booking.new_name'), newName, 'name'),
    field(t('booking.new_phone'), newPhone, 'phones.0'));
  let picker = null;
  const showWho = () => {
    const isNew = !picked && newToggle.checked;
    clear(chosen);
    if (picked) {
      add(chosen, t('booking.for_customer', { name: picked.name }), ' ', picked.tier ? tierBadge(picked.tier) : null,
        fixed ? null : [' ', h('button', { type: 'button', class: 'link-btn', id: 'b-change-customer', onclick: () => {
          picked = null;
          showWho();
          picker.input.focus();
        } }, t('booking.change_customer'))]);
    }
    if (picker) {
      picker.input.hidden = !!picked || isNew;
      picker.results.hidden = !!picked || isNew;
      picker.label.hidden = !!picked || isNew;
    }
    if (newToggle.parentElement) newToggle.parentElement.hidden = !!picked;
    newPart.hidden = !isNew;
  };
  if (!fixed) {
    picker = customerPicker({
      id: 'b-customer',
      resultsId: 'b-results',
      label: t('booking.customer'),
      placeholder: t('booking.customer_placeholder'),
      extra: (c) => [tierBadge(c.tier), ' ', h('span', { class: 'muted' }, c.phone || '')],
      onPick: (c) => { picked = c; showWho(); $('#b-date').focus(); },
      empty: () => t('booking.none_found'),
    });
  }
  newToggle.addEventListener('change', () => {
    if (newToggle.checked && picker && picker.input.value.trim() && !newName.value && !newPhone.value) {
      const g = splitGuest(picker.input.value.trim());
      newName.value = g.name;
      newPhone.value = g.phone;
    }
    showWho();
    (newToggle.checked ? newName : picker.input).focus();
  });
  const who = h('div', { class: 'field wide' },
    fixed ? null : [picker.label, picker.input, picker.results],
    chosen,
    fixed ? null : h('label', { class: 'radio', id: 'b-new-label' }, newToggle, t('booking.new_customer')),
    h('span', { class: 'field-error', dataset: { errorFor: 'customer' } }));

  // When: the day, the time (optional), a stay's check-out.
  const dateInput = h('input', { id: 'b-date', type: 'date', value: b ? b.date : (date || todayIso()), required: true });
  const timeInput = h('input', { id: 'b-time', type: 'time', value: b ? (b.time || '') : '' });
  const stay = h('input', { type: 'checkbox', id: 'b-stay', checked: !!(b && b.end_date) });
  const endInput = h('input', { id: 'b-end-date', type: 'date', value: b && b.end_date ? b.end_date : '' });
  const endField = field(t('booking.end_date'), endInput, 'end_date');
  const syncStay = () => {
    endField.hidden = !stay.checked;
    if (stay.checked && !endInput.value && dateInput.value) {
      const [y, m, d] = dateInput.value.split('-').map(Number);
      const next = new Date(y, m - 1, d + 1);
      endInput.value = `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, '0')}-${String(next.getDate()).padStart(2, '0')}`;
    }
  };
  stay.addEventListener('change', syncStay);

  const resourceInput = h('input', { id: 'b-resource', list: 'b-resources', autocomplete: 'off', value: b ? b.resource : '' });
  const resources = h('datalist', { id: 'b-resources' }, settings.resources.map((r) => h('option', { value: r })));
  const staffSelect = h('select', { id: 'b-staff' },
    h('option', { value: '' }, t('visit.staff_none')),
    staff.map((s) => h('option', { value: s, selected: b && s === b.staff }, s)),
    b && b.staff && !staff.includes(b.staff) ? h('option', { value: b.staff, selected: true }, b.staff) : null);
  const repeatUnit = choice('b-repeat', REPEATS, 'repeat', b && b.repeat ? b.repeat.unit : 'none');
  const repeatEvery = h('input', { id: 'b-repeat-every', type: 'number', min: '1', max: '365', class: 'narrow', value: b && b.repeat ? String(b.repeat.every) : '1' });
  const warnings = h('div', { class: 'warning booking-warnings', id: 'b-warnings', role: 'alert', hidden: true });

  const body = [
    who,
    fixed ? null : newPart,
    warnings,
    field(t('booking.date'), dateInput, 'date'),
    field(t('booking.time'), timeInput, 'time'),
    h('label', { class: 'field check' }, stay, t('booking.stay')),
    endField,
    field(t('booking.party'), h('input', { id: 'b-party', type: 'number', min: '1', max: '999', value: b ? String(b.party) : '1', class: 'narrow' }), 'party'),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('booking.resource')), resourceInput, resources,
      h('span', { class: 'field-error', dataset: { errorFor: 'resource' } })),
    field(t('booking.what'), h('input', { id: 'b-what', value: b ? b.what : '', placeholder: t('booking.what_placeholder') }), 'what'),
    field(t('booking.staff'), staffSelect, 'staff'),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('visit.repeat')),
      h('div', { class: 'inline' }, repeatEvery, repeatUnit),
      h('span', { class: 'field-error', dataset: { errorFor: 'repeat' } })),
    field(t('booking.notes'), h('textarea', { id: 'b-notes', rows: 2, placeholder: t('booking.notes_placeholder') }, b ? b.notes : ''), 'notes', 'wide'),
  ];

  const submitLabel = b ? t('form.save') : t('booking.book');
  const resetConfirm = () => {
    if (!confirm && warnings.hidden) return;
    confirm = false;
    warnings.hidden = true;
    clear(warnings);
    for (const el of $$('.has-warning', document.getElementById('booking-dialog-form') || document)) el.classList.remove('has-warning');
    const btn = $('#booking-dialog [data-action="submit"]');
    if (btn) btn.textContent = submitLabel;
  };
  for (const el of [dateInput, timeInput, resourceInput, endInput, stay]) {
    el.addEventListener('input', resetConfirm);
    el.addEventListener('change', resetConfirm);
  }

  const opened = openDialog({
    id: 'booking-dialog',
    title: b ? t('booking.change_title') : t('booking.new_title'),
    body,
    wide: true,
    submitLabel,
    submit: async (form) => {
      const unit = repeatUnit.value;
      const party = $('#b-party', form).value.trim();
      const isNew = !picked && newToggle.checked;
      const input = {
        customer_id: picked ? picked.id : 0,
        new_customer: isNew ? { name: newName.value, phone: newPhone.value } : null,
        date: dateInput.value,
        time: timeInput.value ? timeInput.value.slice(0, 5) : '',
        end_date: stay.checked ? endInput.value : '',
        party: party ? Number(party) : null,
        what: $('#b-what', form).value,
        resource: resourceInput.value,
        staff: staffSelect.value,
        notes: $('#b-notes', form).value,
        repeat: unit === 'none' ? null : { unit, every: Number(repeatEvery.value) || 0 },
        confirm,
      };
      const saved = b ? await api.bookingChange(b.id, input) : await api.bookingCreate(input);
      toast(b ? t('toast.booking_changed') : t('toast.booked', { name: saved.customer_name, when: bookingWhen(saved) }));
      return saved;
    },
    onError: (err, form) => {
      if (!err || err.kind !== 'confirm') return false;
      showWarnings(form, err.fields || [], resourceInput.value.trim());
      confirm = true;
      $('[data-action="submit"]', form).textContent = t('confirm.book_anyway');
      return true;
    },
  });
  syncStay();
  showWho();
  if (fixed) dateInput.focus();
  else if (guest) newName.focus();
  else picker.input.focus();
  return opened;

  function showWarnings(f, fields, resource) {
    // Field errors from an earlier try are gone: this answer passed validation.
    for (const el of $$('.field-error', f)) el.textContent = '';
    for (const el of $$('.has-error', f)) el.classList.remove('has-error');
    clear(warnings);
    warnings.append(h('strong', {}, t('confirm.title')));
    for (const w of fields) {
      warnings.append(h('div', { class: 'booking-warning', dataset: { code: w.code } }, t(`confirm.${w.code}`, { resource })));
      const slot = $(`.field-error[data-error-for="${CSS.escape(w.field)}"]`, f);
      if (slot) slot.parentElement.classList.add('has-warning');
    }
    warnings.append(h('div', { class: 'muted' }, t('confirm.hint')));
    warnings.hidden = false;
    $('[data-action="submit"]', f).focus();
  }
}

/** Cancel a booking: a reason from the list or typed, and for a recurring one whether the series ends too. */
export async function cancelBooking(b) {
  const settings = await settingsOrNone();
  const reasons = settings.cancel_reasons;
  const own = h('input', { id: 'cb-reason-text', autocomplete: 'off', placeholder: t('cancel.reason_placeholder') });
  // The last choice is "another reason", typed in the box that it reveals.
  const ownChoice = h('option', { value: '', id: 'cb-reason-own', selected: !reasons.length }, t('cancel.own_reason'));
  const select = h('select', { id: 'cb-reason' },
    reasons.map((r, i) => h('option', { value: r, selected: i === 0 }, r)),
    ownChoice);
  const typing = () => select.selectedOptions[0] === ownChoice;
  const sync = () => { own.hidden = !typing(); };
  select.addEventListener('change', () => {
    sync();
    if (!own.hidden) own.focus();
  });
  const series = h('input', { type: 'checkbox', id: 'cb-series' });
  const opened = openDialog({
    id: 'cancel-booking-dialog',
    title: t('cancel.title', { name: b.customer_name }),
    body: [
      h('p', { class: 'field wide dialog-customer' }, bookingWhen(b),
        b.party > 1 ? ` ×${b.party}` : '', b.resource ? ` · ${b.resource}` : '', b.what ? ` · ${b.what}` : ''),
      h('label', { class: 'field wide' }, h('span', { class: 'field-label' }, t('cancel.reason')), select, own,
        h('span', { class: 'field-error', dataset: { errorFor: 'reason' } })),
      b.repeat ? h('label', { class: 'field check wide', id: 'cb-series-label' }, series,
        t('cancel.series', { every: t(`repeat_every.${b.repeat.unit}`, { n: b.repeat.every }) })) : null,
    ],
    submitLabel: t('cancel.submit'),
    submit: async () => {
      const reason = typing() ? own.value : select.value;
      const saved = await api.bookingCancel(b.id, reason, !!(b.repeat && series.checked));
      toast(t('toast.booking_cancelled', { name: b.customer_name }));
      return saved;
    },
  });
  sync();
  return opened;
}

/** "Arrived now" without a booking. Resolves with the Booking, or null when refused. */
export async function walkIn(customer) {
  try {
    const saved = await api.bookingWalkIn({ customer_id: customer.id, party: null, what: '', resource: '', staff: '', notes: '' });
    toast(t('toast.arrival_recorded'), customer.name);
    return saved;
  } catch (e) {
    showError(e);
    return null;
  }
}

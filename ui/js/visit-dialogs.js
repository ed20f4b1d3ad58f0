// Visit dialogs: plan a visit, record its outcome, reschedule it, start a follow-up plan.
import { api } from './api.js';
import { $, h } from './dom.js';
import { t } from './i18n.js';
import { addDaysIso, choice, field, openDialog, todayIso } from './dialog.js';
import { toast } from './toast.js';

export const CHANNELS = ['phone', 'message', 'wechat', 'in_person', 'other'];
export const PURPOSES = ['satisfaction', 'birthday', 'complaint_followup', 'keep_in_touch', 'sales', 'other'];
const REPEATS = ['none', 'day', 'week', 'month', 'year'];

async function staffSelect(id, current = '') {
  const staff = await api.staffOrNone();
  return h('select', { id },
    h('option', { value: '' }, t('visit.staff_none')),
    staff.map((s) => h('option', { value: s, selected: s === current }, s)));
}

/** Plan a visit for `customer` ({id, name}); `preset` may give purpose, date, outline. */
export async function planVisit(customer, preset = {}) {
  let templates = [];
  try {
    templates = await api.outlineList();
  } catch {
    templates = [];
  }
  const outline = h('textarea', { id: 'v-outline', rows: 4 }, preset.outline || '');
  const body = [
    h('div', { class: 'field wide dialog-customer' }, t('visit.for_customer', { name: customer.name })),
    field(t('visit.channel'), choice('v-channel', CHANNELS, 'channel', preset.channel || 'phone'), 'channel'),
    field(t('visit.purpose'), choice('v-purpose', PURPOSES, 'purpose', preset.purpose || 'satisfaction'), 'purpose'),
    field(t('visit.staff'), await staffSelect('v-staff'), 'staff'),
    field(t('visit.due_date'), h('input', { id: 'v-date', type: 'text', value: preset.due_date || todayIso(), placeholder: 'YYYY-MM-DD' }), 'due_date'),
    field(t('visit.due_time'), h('input', { id: 'v-time', type: 'text', value: preset.due_time || '', placeholder: t('visit.time_placeholder') }), 'due_time'),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('visit.repeat')),
      h('div', { class: 'inline' },
        h('input', { id: 'v-repeat-every', inputmode: 'numeric', value: '1', class: 'narrow' }),
        choice('v-repeat-unit', REPEATS, 'repeat', 'none')),
      h('span', { class: 'field-error', dataset: { errorFor: 'repeat' } })),
    h('div', { class: 'field wide' },
      h('span', { class: 'field-label' }, t('visit.outline')),
      templates.length ? h('select', { id: 'v-template', onchange: (e) => {
        const tpl = templates.find((x) => String(x.id) === e.target.value);
        if (tpl) outline.value = tpl.body;
      } }, h('option', { value: '' }, t('visit.pick_template')), templates.map((x) => h('option', { value: x.id }, x.name))) : null,
      outline,
      h('span', { class: 'field-error', dataset: { errorFor: 'outline' } })),
  ];
  return openDialog({
    id: 'visit-dialog',
    title: t('visit.plan_title'),
    body,
    submitLabel: t('visit.plan'),
    submit: async (form) => {
      const unit = $('#v-repeat-unit', form).value;
      const every = Number($('#v-repeat-every', form).value.trim()) || 0;
      const visit = await api.planVisit({
        customer_id: customer.id,
        channel: $('#v-channel', form).value,
        purpose: $('#v-purpose', form).value,
        due_date: $('#v-date', form).value,
        due_time: $('#v-time', form).value,
        outline: outline.value,
        staff: $('#v-staff', form).value,
        repeat: unit === 'none' ? null : { unit, every },
      });
      toast(t('toast.visit_planned', { name: customer.name }));
      return visit;
    },
  });
}

function retryControls() {
  return h('fieldset', { class: 'field wide retry', id: 'o-retry' },
    h('legend', {}, t('outcome.retry')),
    ['later_today', 'tomorrow', 'on'].map((w) => h('label', { class: 'radio' },
      h('input', { type: 'radio', name: 'retry', value: w, checked: w === 'tomorrow' }), t(`retry.${w}`))),
    h('input', { id: 'o-retry-date', type: 'text', placeholder: 'YYYY-MM-DD', value: addDaysIso(todayIso(), 2), class: 'narrow-date' }),
    h('input', { id: 'o-retry-time', type: 'text', placeholder: t('visit.time_placeholder'), class: 'narrow' }),
    h('span', { class: 'field-error', dataset: { errorFor: 'retry_date' } }),
    h('span', { class: 'field-error', dataset: { errorFor: 'retry_time' } }));
}

function readRetry(form) {
  const when = form.querySelector('input[name=retry]:checked')?.value || 'tomorrow';
  if (when === 'on') return { when, date: $('#o-retry-date', form).value, time: $('#o-retry-time', form).value };
  return { when };
}

/** Record the outcome of `visit`. Resolves with {visit, scheduled} or null. */
export function recordOutcome(visit) {
  const sync = (form) => {
    const reached = form.querySelector('input[name=reached]:checked')?.value === 'yes';
    $('#o-reached-part', form).hidden = !reached;
    $('#o-retry', form).hidden = reached;
    $('#o-next', form).hidden = !reached || !$('#o-plan-next', form).checked;
  };
  const body = [
    h('div', { class: 'field wide dialog-customer' }, t('visit.for_customer', { name: visit.customer_name }),
      h('span', { class: 'muted' }, ` · ${t(`purpose.${visit.purpose}`)} · ${t(`channel.${visit.channel}`)}`)),
    visit.outline ? h('div', { class: 'field wide outline-box' }, visit.outline) : null,
    h('fieldset', { class: 'field wide reached', onchange: (e) => sync(e.currentTarget.form) },
      h('legend', {}, t('outcome.reached_q')),
      h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'reached', value: 'yes', id: 'o-reached-yes', checked: true }), t('outcome.reached')),
      h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'reached', value: 'no', id: 'o-reached-no' }), t('outcome.not_reached'))),
    field(t('outcome.notes'), h('textarea', { id: 'o-notes', rows: 3 }), 'notes', 'wide'),
    retryControls(),
    h('div', { class: 'wide sub-grid', id: 'o-reached-part' },
      field(t('outcome.satisfaction'), h('select', { id: 'o-satisfaction' },
        h('option', { value: '' }, t('outcome.satisfaction_none')),
        [5, 4, 3, 2, 1].map((n) => h('option', { value: n }, t(`satisfaction.${n}`)))), 'satisfaction'),
      field(t('outcome.next_step'), h('input', { id: 'o-next-step' }), 'next_step'),
      h('label', { class: 'field check' }, h('input', { type: 'checkbox', id: 'o-plan-next', onchange: (e) => sync(e.target.form) }), t('outcome.plan_next'))),
    h('div', { class: 'wide sub-grid', id: 'o-next', hidden: true },
      field(t('visit.due_date'), h('input', { id: 'o-next-date', value: addDaysIso(todayIso(), 30), placeholder: 'YYYY-MM-DD' }), 'next_date'),
      field(t('visit.due_time'), h('input', { id: 'o-next-time', placeholder: t('visit.time_placeholder') }), 'next_time'),
      field(t('visit.channel'), choice('o-next-channel', CHANNELS, 'channel', visit.channel), 'next_channel'),
      field(t('visit.purpose'), choice('o-next-purpose', PURPOSES, 'purpose', 'keep_in_touch'), 'next_purpose')),
  ];
  const opened = openDialog({
    id: 'outcome-dialog',
    title: t('outcome.title'),
    body,
    submitLabel: t('outcome.save'),
    submit: async (form) => {
      const reached = form.querySelector('input[name=reached]:checked')?.value === 'yes';
      const sat = $('#o-satisfaction', form).value;
      const outcome = {
        reached,
        notes: $('#o-notes', form).value,
        satisfaction: reached && sat ? Number(sat) : null,
        next_step: reached ? $('#o-next-step', form).value : '',
        retry: reached ? null : readRetry(form),
        next_visit: reached && $('#o-plan-next', form).checked ? {
          due_date: $('#o-next-date', form).value,
          due_time: $('#o-next-time', form).value,
          channel: $('#o-next-channel', form).value,
          purpose: $('#o-next-purpose', form).value,
          outline: '',
        } : null,
      };
      const r = await api.recordOutcome(visit.id, outcome);
      toast(reached ? t('toast.outcome_saved') : t('toast.retry_planned', { date: r.visit.due_date }));
      return r;
    },
  });
  sync($('#outcome-dialog-form'));
  return opened;
}

/** Move a planned visit: later today, tomorrow or a chosen day. */
export function reschedule(visit) {
  return openDialog({
    id: 'reschedule-dialog',
    title: t('reschedule.title', { name: visit.customer_name }),
    body: [retryControls()],
    submitLabel: t('reschedule.save'),
    submit: async (form) => {
      const v = await api.rescheduleVisit(visit.id, readRetry(form));
      toast(t('toast.rescheduled', { date: v.due_date }));
      return v;
    },
  });
}

/** Start a follow-up plan for a customer. */
export async function applyPlan(customer) {
  const plans = await api.planList();
  const describe = (p) => p.steps.map((s) => `+${s.offset_days}${t('plan.days_short')} ${t(`purpose.${s.purpose}`)}`).join(' → ');
  const sel = h('select', { id: 'p-plan' }, plans.map((p) => h('option', { value: p.id }, p.name)));
  const steps = h('div', { class: 'field wide muted', id: 'p-steps' }, plans[0] ? describe(plans[0]) : '');
  sel.addEventListener('change', () => {
    const p = plans.find((x) => String(x.id) === sel.value);
    steps.textContent = p ? describe(p) : '';
  });
  return openDialog({
    id: 'plan-dialog',
    title: t('plan.apply_title', { name: customer.name }),
    body: [field(t('plan.plan'), sel, 'plan', 'wide'), steps, field(t('visit.staff'), await staffSelect('p-staff'), 'staff')],
    submitLabel: t('plan.apply'),
    submit: async (form) => {
      const v = await api.applyPlan(customer.id, Number(sel.value), $('#p-staff', form).value);
      toast(t('toast.plan_applied', { date: v.due_date }));
      return v;
    },
  });
}

/** Correct a finished visit's outcome; the old values stay in the visit's log. */
export function correctOutcome(visit) {
  return openDialog({
    id: 'correct-dialog',
    title: t('correct.title', { name: visit.customer_name }),
    body: [
      h('p', { class: 'field wide muted' }, t('correct.hint')),
      field(t('outcome.satisfaction'), h('select', { id: 'c-satisfaction' },
        h('option', { value: '' }, t('outcome.satisfaction_none')),
        [5, 4, 3, 2, 1].map((n) => h('option', { value: n, selected: visit.satisfaction === n }, t(`satisfaction.${n}`)))), 'satisfaction'),
      field(t('outcome.next_step'), h('input', { id: 'c-next-step', value: visit.next_step }), 'next_step', 'wide'),
      field(t('outcome.notes'), h('textarea', { id: 'c-notes', rows: 3 }, visit.outcome_notes), 'notes', 'wide'),
    ],
    submit: async (form) => {
      const sat = $('#c-satisfaction', form).value;
      const v = await api.correctVisit(visit.id, {
        notes: $('#c-notes', form).value,
        satisfaction: sat ? Number(sat) : null,
        next_step: $('#c-next-step', form).value,
      });
      toast(t('toast.saved'));
      return v;
    },
  });
}

// Settings: the staff list, keep-in-touch cadences per tier, outline templates, follow-up plans.
import { api } from './api.js';
import { $, $$, h, clear } from './dom.js';
import { t } from './i18n.js';
import { TIERS } from './format.js';
import { CHANNELS, PURPOSES } from './visit-dialogs.js';
import { choice, showFieldErrors } from './dialog.js';
import { showError, toast } from './toast.js';

export async function mount(main) {
  const root = h('section', { class: 'settings' }, h('header', { class: 'section-head' }, h('h1', {}, t('settings.title'))),
    h('div', { class: 'settings-body', id: 'settings-body' }));
  main.append(root);
  try {
    const [staff, cadences, templates, plans] = await Promise.all([api.staffList(), api.cadenceGet(), api.outlineList(), api.planList()]);
    $('#settings-body').append(staffCard(staff), cadenceCard(cadences), templatesCard(templates), plansCard(plans));
  } catch (e) {
    showError(e);
  }
}

async function save(form, action, okMessage) {
  try {
    const r = await action();
    showFieldErrors(form, []);
    toast(okMessage);
    return r;
  } catch (e) {
    if (e && e.kind === 'invalid') showFieldErrors(form, e.fields || []);
    else showError(e);
    return null;
  }
}

function staffCard(staff) {
  const area = h('textarea', { id: 'staff-list', rows: 5, placeholder: t('settings.staff_placeholder') }, staff.join('\n'));
  const form = h('form', { class: 'card settings-card', id: 'staff-form', onsubmit: (e) => {
    e.preventDefault();
    save(form, () => api.staffSave(area.value.split('\n')), t('toast.saved'));
  } },
  h('h2', {}, t('settings.staff')),
  h('p', { class: 'muted' }, t('settings.staff_hint')),
  h('div', { class: 'form-errors', role: 'alert' }),
  h('label', { class: 'field' }, area, h('span', { class: 'field-error', dataset: { errorFor: 'staff' } })),
  h('button', { type: 'submit', class: 'btn primary', id: 'save-staff' }, t('form.save')));
  return form;
}

function cadenceCard(c) {
  const row = (tier) => h('tr', {},
    h('th', {}, t(`tier.${tier}`)),
    h('td', {}, h('input', { class: 'narrow', id: `cad-${tier}-ideal`, inputmode: 'numeric', value: c[tier].ideal_days })),
    h('td', {}, h('input', { class: 'narrow', id: `cad-${tier}-max`, inputmode: 'numeric', value: c[tier].max_days })),
    h('td', {}, h('span', { class: 'field-error', dataset: { errorFor: tier } })));
  const form = h('form', { class: 'card settings-card', id: 'cadence-form', onsubmit: (e) => {
    e.preventDefault();
    const read = (tier) => ({ ideal_days: Number($(`#cad-${tier}-ideal`).value) || 0, max_days: Number($(`#cad-${tier}-max`).value) || 0 });
    save(form, () => api.cadenceSave(Object.fromEntries(TIERS.map((tier) => [tier, read(tier)]))), t('toast.saved'));
  } },
  h('h2', {}, t('settings.cadence')),
  h('p', { class: 'muted' }, t('settings.cadence_hint')),
  h('div', { class: 'form-errors', role: 'alert' }),
  h('table', { class: 'cadence-table' },
    h('thead', {}, h('tr', {}, h('th', {}), h('th', {}, t('settings.ideal_days')), h('th', {}, t('settings.max_days')), h('th', {}))),
    h('tbody', {}, TIERS.map(row))),
  h('button', { type: 'submit', class: 'btn primary', id: 'save-cadence' }, t('form.save')));
  return form;
}

function templatesCard(templates) {
  const card = h('div', { class: 'card settings-card', id: 'templates-card' });
  const draw = (list) => {
    clear(card).append(h('h2', {}, t('settings.templates')), h('p', { class: 'muted' }, t('settings.templates_hint')),
      ...list.map((tpl) => templateForm(tpl, draw)), templateForm({ id: 0, name: '', body: '' }, draw));
  };
  draw(templates);
  return card;
}

function templateForm(tpl, redraw) {
  const name = h('input', { class: 'tpl-name', value: tpl.name, placeholder: t('settings.template_name') });
  const body = h('textarea', { class: 'tpl-body', rows: 3, placeholder: t('settings.template_body') }, tpl.body);
  const form = h('form', { class: 'tpl-form', onsubmit: async (e) => {
    e.preventDefault();
    const list = await save(form, () => api.outlineSave({ id: tpl.id, name: name.value, body: body.value }), t('toast.saved'));
    if (list) redraw(list);
  } },
  h('div', { class: 'form-errors', role: 'alert' }),
  h('label', { class: 'field' }, name, h('span', { class: 'field-error', dataset: { errorFor: 'name' } })),
  h('label', { class: 'field' }, body, h('span', { class: 'field-error', dataset: { errorFor: 'body' } })),
  h('div', { class: 'row-actions' },
    h('button', { type: 'submit', class: 'btn small' }, tpl.id ? t('form.save') : t('settings.add_template')),
    tpl.id ? h('button', { type: 'button', class: 'btn small', onclick: async () => {
      try {
        redraw(await api.outlineDelete(tpl.id));
      } catch (err) {
        showError(err);
      }
    } }, t('form.remove')) : null));
  return form;
}

function plansCard(plans) {
  const card = h('div', { class: 'card settings-card', id: 'plans-card' });
  const draw = (list) => {
    clear(card).append(h('h2', {}, t('settings.plans')), h('p', { class: 'muted' }, t('settings.plans_hint')),
      ...list.map((p) => planForm(p, reload)), planForm({ id: 0, name: '', steps: [{ offset_days: 1, channel: 'phone', purpose: 'satisfaction', outline: '' }] }, reload));
  };
  const reload = async () => draw(await api.planList());
  draw(plans);
  return card;
}

function stepRow(s) {
  const row = h('div', { class: 'step-row' },
    h('span', { class: 'muted' }, '+'),
    h('input', { class: 'step-offset narrow', inputmode: 'numeric', value: s.offset_days }),
    h('span', { class: 'muted' }, t('plan.days_short')),
    choice('', CHANNELS, 'channel', s.channel, { class: 'step-channel' }),
    choice('', PURPOSES, 'purpose', s.purpose, { class: 'step-purpose' }),
    h('input', { class: 'step-outline', value: s.outline, placeholder: t('visit.outline') }),
    h('button', { type: 'button', class: 'icon-btn', title: t('form.remove'), onclick: () => row.remove() }, '×'));
  return row;
}

function planForm(plan, reload) {
  const name = h('input', { class: 'plan-name', value: plan.name, placeholder: t('settings.plan_name') });
  const steps = h('div', { class: 'steps' }, plan.steps.map(stepRow));
  const form = h('form', { class: 'plan-form', onsubmit: async (e) => {
    e.preventDefault();
    const data = {
      id: plan.id,
      name: name.value,
      steps: $$('.step-row', steps).map((r) => ({
        offset_days: Number($('.step-offset', r).value) || 0,
        channel: $('.step-channel', r).value,
        purpose: $('.step-purpose', r).value,
        outline: $('.step-outline', r).value,
      })),
    };
    if (await save(form, () => api.planSave(data), t('toast.saved'))) reload();
  } },
  h('div', { class: 'form-errors', role: 'alert' }),
  h('label', { class: 'field' }, name, h('span', { class: 'field-error', dataset: { errorFor: 'name' } })),
  steps,
  h('span', { class: 'field-error', dataset: { errorFor: 'steps' } }),
  h('div', { class: 'row-actions' },
    h('button', { type: 'button', class: 'link-btn', onclick: () => steps.append(stepRow({ offset_days: 7, channel: 'phone', purpose: 'satisfaction', outline: '' })) }, t('settings.add_step')),
    h('button', { type: 'submit', class: 'btn small' }, plan.id ? t('form.save') : t('settings.add_plan'))));
  return form;
}

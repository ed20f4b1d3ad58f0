// Settings: the staff list, keep-in-touch cadences per tier, outline templates, follow-up plans,
// import and export, backups, the shared database.
import { api } from './api.js';
import { $, $$, h, clear } from './dom.js';
import { t } from './i18n.js';
import { TIERS } from './format.js';
import { CHANNELS, PURPOSES } from './visit-dialogs.js';
import { choice, showFieldErrors } from './dialog.js';
import { showError, toast } from './toast.js';
import { backupCard } from './backups.js';
import { importCard } from './import.js';
import { exportCard } from './export.js';
import { serverCard } from './server.js';

export async function mount(main) {
  const root = h('section', { class: 'settings' }, h('header', { class: 'section-head' }, h('h1', {}, t('settings.title'))),
    h('div', { class: 'settings-body', id: 'settings-body' }));
  main.append(root);
  try {
    // A damaged stored setting shows its defaults with a warning: saving repairs it.
    let defaults = null;
    const orDefault = (promise, key) => promise.catch(async (e) => {
      if (!e || e.kind !== 'setting_damaged') throw e;
      showError(e);
      defaults = defaults || await api.settingsDefaults();
      return defaults[key];
    });
    const [staff, cadences, templates, plans, complaintSettings, categories] = await Promise.all([
      orDefault(api.staffList(), 'staff'), orDefault(api.cadenceGet(), 'cadences'), api.outlineList(), api.planList(),
      orDefault(api.complaintSettings(), 'complaints'), api.complaintCategories(),
    ]);
    const reminderSettings = await orDefault(api.reminderSettings(), 'reminders');
    const backupSettings = await orDefault(api.backupSettings(), 'backup');
    // The arrival settings have no defaults to fall back on here: a failure is shown in their
    // card, and the rest of the settings still work.
    let arrivalSettings = null;
    let arrivalError = null;
    try {
      arrivalSettings = await api.arrivalSettings();
    } catch (e) {
      arrivalError = e;
      showError(e);
    }
    $('#settings-body').append(staffCard(staff), reminderCard(reminderSettings), cadenceCard(cadences),
      complaintCard(complaintSettings), categoriesCard(categories), templatesCard(templates), plansCard(plans),
      importCard(), exportCard(), backupCard(backupSettings), arrivalsCard(arrivalSettings, arrivalError), serverCard(), aboutCard());
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

const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];

/** Complaint deadlines per severity, business hours, holidays and the escalation ladder. */
function complaintCard(cs) {
  const span = (sev, which) => h('span', { class: 'inline' },
    h('input', { class: 'narrow', id: `dl-${sev}-${which}`, inputmode: 'numeric', value: cs[sev][which].amount }),
    h('select', { id: `dl-${sev}-${which}-unit` }, ['hours', 'days'].map((u) => h('option', { value: u, selected: cs[sev][which].unit === u }, t(`unit.${u}`)))));
  const sevs = ['urgent', 'high', 'normal', 'low'];
  const dayRow = (i) => {
    const d = cs.schedule.week[i];
    return h('tr', {},
      h('th', {}, t('calendar.weekdays').split(',')[i]),
      h('td', {}, h('label', { class: 'radio' }, h('input', { type: 'checkbox', id: `wk-${i}-open`, checked: !!d }), t('settings.open'))),
      h('td', {}, h('input', { class: 'narrow', id: `wk-${i}-from`, value: d ? d.open : '09:00' })),
      h('td', {}, h('input', { class: 'narrow', id: `wk-${i}-to`, value: d ? d.close : '18:00' })));
  };
  const form = h('form', { class: 'card settings-card', id: 'complaint-settings-form', onsubmit: (e) => {
    e.preventDefault();
    const read = (sev, which) => ({ amount: Number($(`#dl-${sev}-${which}`).value) || 0, unit: $(`#dl-${sev}-${which}-unit`).value });
    const data = {
      ...Object.fromEntries(sevs.map((sev) => [sev, { response: read(sev, 'response'), resolution: read(sev, 'resolution') }])),
      schedule: {
        week: WEEKDAYS.map((i) => ($(`#wk-${i}-open`).checked ? { open: $(`#wk-${i}-from`).value, close: $(`#wk-${i}-to`).value } : null)),
        holidays: $('#holidays').value.split(/\s+/).map((x) => x.trim()).filter(Boolean),
      },
      escalation_hours: [0, 1, 2].map((i) => Number($(`#esc-${i}`).value) || 0),
      vip_tighten: $('#vip-tighten').checked,
    };
    save(form, () => api.saveComplaintSettings(data), t('toast.saved'));
  } },
  h('h2', {}, t('settings.complaints')),
  h('p', { class: 'muted' }, t('settings.complaints_hint')),
  h('div', { class: 'form-errors', role: 'alert' }),
  h('table', { class: 'cadence-table' },
    h('thead', {}, h('tr', {}, h('th', {}), h('th', {}, t('complaint.response_due')), h('th', {}, t('complaint.resolution_due')))),
    h('tbody', {}, sevs.map((sev) => h('tr', {}, h('th', {}, t(`severity.${sev}`)), h('td', {}, span(sev, 'response')), h('td', {}, span(sev, 'resolution')),
      h('td', {}, h('span', { class: 'field-error', dataset: { errorFor: sev } })))))),
  h('h3', {}, t('settings.business_hours')),
  h('table', { class: 'cadence-table' }, h('tbody', {}, WEEKDAYS.map(dayRow))),
  h('span', { class: 'field-error', dataset: { errorFor: 'schedule' } }),
  h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('settings.holidays')),
    h('textarea', { id: 'holidays', rows: 3, placeholder: '2026-10-01' }, (cs.schedule.holidays || []).join('\n'))),
  h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('settings.escalation')),
    h('span', { class: 'inline' }, [0, 1, 2].map((i) => [h('span', { class: 'muted' }, t(`escalation.${i + 1}`)), h('input', { class: 'narrow', id: `esc-${i}`, inputmode: 'numeric', value: cs.escalation_hours[i] })])),
    h('span', { class: 'field-error', dataset: { errorFor: 'escalation_hours' } })),
  h('label', { class: 'radio' }, h('input', { type: 'checkbox', id: 'vip-tighten', checked: cs.vip_tighten }), t('settings.vip_tighten')),
  h('button', { type: 'submit', class: 'btn primary', id: 'save-complaint-settings' }, t('form.save')));
  return form;
}

function categoriesCard(categories) {
  const card = h('div', { class: 'card settings-card', id: 'categories-card' });
  const draw = (list) => {
    clear(card).append(h('h2', {}, t('settings.categories')), h('p', { class: 'muted' }, t('settings.categories_hint')),
      ...list.map((c) => categoryForm(c, draw)), categoryForm({ id: 0, code: null, name: '' }, draw));
  };
  draw(categories);
  return card;
}

function categoryForm(c, redraw) {
  const name = h('input', { class: 'cat-name', value: c.code ? t(`category.${c.code}`) : c.name, placeholder: t('settings.category_name') });
  const form = h('form', { class: 'tpl-form inline', onsubmit: async (e) => {
    e.preventDefault();
    const shown = c.code ? t(`category.${c.code}`) : c.name;
    const value = name.value === shown ? c.name : name.value;
    const list = await save(form, () => api.saveComplaintCategory({ id: c.id, code: c.code, name: value }, false), t('toast.saved'));
    if (list) redraw(list);
  } },
  name,
  h('button', { type: 'submit', class: 'btn small' }, c.id ? t('form.save') : t('settings.add_category')),
  c.id ? h('button', { type: 'button', class: 'btn small', onclick: async () => {
    const list = await save(form, () => api.saveComplaintCategory({ id: c.id, code: c.code, name: c.name }, true), t('toast.saved'));
    if (list) redraw(list);
  } }, t('form.remove')) : null,
  h('span', { class: 'field-error', dataset: { errorFor: 'name' } }));
  return form;
}

function reminderCard(rs) {
  const form = h('form', { class: 'card settings-card', id: 'reminder-settings-form', onsubmit: (e) => {
    e.preventDefault();
    save(form, () => api.saveReminderSettings({
      quiet_outside_hours: $('#rs-quiet').checked,
      complaint_warning_minutes: Number($('#rs-warn').value) || 0,
      days_before_dates: Number($('#rs-days').value) || 0,
      start_at_login: $('#rs-login').checked,
    }), t('toast.saved'));
  } },
  h('h2', {}, t('reminders.settings')),
  h('div', { class: 'form-errors', role: 'alert' }),
  h('label', { class: 'radio' }, h('input', { type: 'checkbox', id: 'rs-quiet', checked: rs.quiet_outside_hours }), t('reminders.quiet')),
  h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('reminders.warn_minutes')),
    h('input', { id: 'rs-warn', class: 'narrow', inputmode: 'numeric', value: rs.complaint_warning_minutes }),
    h('span', { class: 'field-error', dataset: { errorFor: 'complaint_warning_minutes' } })),
  h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('reminders.days_before')),
    h('input', { id: 'rs-days', class: 'narrow', inputmode: 'numeric', value: rs.days_before_dates }),
    h('span', { class: 'field-error', dataset: { errorFor: 'days_before_dates' } })),
  h('label', { class: 'radio' }, h('input', { type: 'checkbox', id: 'rs-login', checked: rs.start_at_login }), t('reminders.start_at_login')),
  h('button', { type: 'submit', class: 'btn primary', id: 'save-reminder-settings' }, t('form.save')));
  return form;
}

/** A whole number typed in a box; anything else is sent as one too big, so Rust says what is allowed. */
function minutes(el) {
  const v = el.value.trim();
  const n = Number(v);
  return v && Number.isInteger(n) && n >= 0 ? n : 99_999;
}

/** The lines of a list box: trimmed, blanks dropped. */
function lines(el) {
  return el.value.split('\n').map((x) => x.trim()).filter(Boolean);
}

/**
 * Arrivals (预约与到店): the preparation reminder's lead, how long a booking holds its table
 * or room, what can be booked, and the reasons offered when a booking is cancelled. When the
 * stored setting cannot be read the card says so; saving writes it anew.
 */
function arrivalsCard(as, error) {
  const v = as || { remind_minutes: '', slot_minutes: '', resources: [], cancel_reasons: [] };
  const remind = h('input', { id: 'set-arrival-minutes', class: 'narrow', inputmode: 'numeric', value: String(v.remind_minutes) });
  const slot = h('input', { id: 'set-slot-minutes', class: 'narrow', inputmode: 'numeric', value: String(v.slot_minutes) });
  const resources = h('textarea', { id: 'set-resources', rows: 4, placeholder: t('settings.resources_placeholder') }, v.resources.join('\n'));
  const reasons = h('textarea', { id: 'set-cancel-reasons', rows: 5 }, v.cancel_reasons.join('\n'));
  const slotError = (name) => h('span', { class: 'field-error', dataset: { errorFor: name } });
  const form = h('form', { class: 'card settings-card', id: 'arrival-settings-form', onsubmit: async (e) => {
    e.preventDefault();
    const saved = await save(form, () => api.arrivalSettingsSave({
      remind_minutes: minutes(remind),
      slot_minutes: minutes(slot),
      resources: lines(resources),
      cancel_reasons: lines(reasons),
    }), t('toast.saved'));
    if (saved) {
      // Show the lists as saved: trimmed, repeats dropped.
      resources.value = saved.resources.join('\n');
      reasons.value = saved.cancel_reasons.join('\n');
      $('#arrival-settings-error')?.remove();
    }
  } },
  h('h2', {}, t('settings.arrivals')),
  h('p', { class: 'muted' }, t('settings.arrivals_hint')),
  error ? h('p', { class: 'warning', id: 'arrival-settings-error', role: 'alert' }, t(`error.${error.kind || 'internal'}`)) : null,
  h('div', { class: 'form-errors', role: 'alert' }),
  h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('settings.arrival_minutes')), remind, slotError('remind_minutes')),
  h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('settings.slot_minutes')), slot, slotError('slot_minutes')),
  h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('settings.resources')), resources, slotError('resources')),
  h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('settings.cancel_reasons')), reasons, slotError('cancel_reasons')),
  h('button', { type: 'submit', class: 'btn primary', id: 'save-arrivals' }, t('form.save')));
  return form;
}

/** About FrontDesk: version, where the data and the log are, the licence. */
function aboutCard() {
  const row = (label, id) => h('div', { class: 'about-row' }, h('dt', {}, label), h('dd', { id, class: 'path' }, '…'));
  const card = h('section', { class: 'card settings-card', id: 'about-card', 'aria-labelledby': 'about-title' },
    h('h2', { id: 'about-title' }, t('settings.about')),
    h('dl', { class: 'about' },
      row(t('about.version'), 'about-version'),
      row(t('about.data_dir'), 'about-data-dir'),
      row(t('about.log_dir'), 'about-log-dir'),
      row(t('about.licence'), 'about-licence')),
    h('p', { class: 'muted' }, t('about.log_hint')));
  Promise.all([api.status(), api.about()]).then(([status, about]) => {
    $('#about-version', card).textContent = `FrontDesk ${status.version}`;
    $('#about-data-dir', card).textContent = status.data_dir;
    $('#about-log-dir', card).textContent = about.log_dir || t('about.unknown');
    $('#about-licence', card).textContent = about.licence;
  }).catch(showError);
  return card;
}

// Complaint dialogs: the register form (fast, keyboard only), workflow moves with a note,
// resolve, close, and the printable processing form (投诉处理表).
import { api } from './api.js';
import { $, add, h, clear } from './dom.js';
import { t } from './i18n.js';
import { addDaysIso, choice, field, openDialog, todayIso } from './dialog.js';
import { dateTime, tierBadge } from './format.js';
import { customerPicker } from './picker.js';
import { toast } from './toast.js';

export const COMPLAINT_CHANNELS = ['phone', 'in_person', 'letter', 'fax', 'online', 'wechat', 'other'];
export const SEVERITIES = ['low', 'normal', 'high', 'urgent'];
export const CLAIMS = ['compensation', 'repair', 'non_material', 'apology', 'other'];
export const STATES = ['registered', 'in_progress', 'waiting', 'resolved', 'closed', 'rejected', 'duplicate'];

/** The staff member working at the desk now (shared PC), remembered on this machine. */
export function currentStaff() {
  return localStorage.getItem('frontdesk.staff') || '';
}

export function setCurrentStaff(name) {
  localStorage.setItem('frontdesk.staff', name);
}

export function categoryName(c) {
  return c.code ? t(`category.${c.code}`) : c.name;
}

export function money(cents) {
  return cents === null || cents === undefined ? '' : `¥${(cents / 100).toFixed(2)}`;
}

function nowLocal() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Log a complaint. `customer` ({id, name}) preselects the customer. Resolves with it or null. */
export async function registerComplaint(customer = null) {
  const categories = await api.complaintCategories();
  let picked = customer;
  const chosen = h('div', { class: 'picked', id: 'c-customer-picked' });
  const newPhone = h('input', { id: 'c-new-phone', type: 'tel', placeholder: t('complaint.new_phone') });
  const picker = customerPicker({
    id: 'c-customer',
    resultsId: 'c-customer-results',
    label: t('complaint.customer'),
    placeholder: t('complaint.customer_placeholder'),
    extra: (c) => [tierBadge(c.tier), ' ', h('span', { class: 'muted' }, c.phone || '')],
    onPick: (c) => { picked = c; showPicked(); $('#c-summary').focus(); },
    empty: (q) => t('complaint.will_create', { name: q }),
  });
  const who = picker.input;
  const showPicked = () => {
    clear(chosen);
    if (picked) add(chosen, t('complaint.customer_is', { name: picked.name }), ' ', h('button', { type: 'button', class: 'link-btn', onclick: () => { picked = null; showPicked(); who.focus(); } }, t('complaint.change_customer')));
    who.hidden = !!picked;
    newPhone.parentElement && (newPhone.parentElement.hidden = !!picked);
  };
  const body = [
    h('div', { class: 'field wide' },
      picker.label,
      chosen, who, picker.results,
      h('span', { class: 'field-error', dataset: { errorFor: 'customer' } })),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('complaint.new_phone_label')), newPhone, h('span', { class: 'field-error', dataset: { errorFor: 'new_phone' } })),
    field(t('complaint.channel'), choice('c-channel', COMPLAINT_CHANNELS, 'cchannel', 'phone'), 'channel'),
    field(t('complaint.received_at'), h('input', { id: 'c-received', value: nowLocal(), placeholder: 'YYYY-MM-DD HH:MM' }), 'received_at'),
    field(t('complaint.category'), h('select', { id: 'c-category' }, categories.map((c) => h('option', { value: c.id, selected: c.code === 'other' }, categoryName(c)))), 'category'),
    field(t('complaint.severity'), choice('c-severity', SEVERITIES, 'severity', 'normal'), 'severity'),
    field(t('complaint.summary'), h('input', { id: 'c-summary', placeholder: t('complaint.summary_placeholder') }), 'summary', 'wide'),
    field(t('complaint.details'), h('textarea', { id: 'c-details', rows: 3 }), 'details', 'wide'),
    field(t('complaint.claim'), h('select', { id: 'c-claim' }, h('option', { value: '' }, t('complaint.claim_none')), CLAIMS.map((k) => h('option', { value: k }, t(`claim.${k}`)))), 'claim_kind'),
    field(t('complaint.claim_amount'), h('input', { id: 'c-amount', inputmode: 'decimal', placeholder: '0.00' }), 'claim_amount'),
    field(t('complaint.claim_text'), h('input', { id: 'c-claim-text' }), 'claim_text'),
  ];
  const result = openDialog({
    id: 'complaint-dialog',
    title: t('complaint.register_title'),
    body,
    wide: true,
    submitLabel: t('complaint.register'),
    submit: async (form) => {
      const v = (sel) => $(sel, form).value;
      const input = {
        customer_id: picked ? picked.id : null,
        new_customer: picked || !who.value.trim() ? null : { name: who.value, phone: newPhone.value },
        channel: v('#c-channel'),
        received_at: v('#c-received'),
        category_id: Number(v('#c-category')),
        severity: v('#c-severity'),
        summary: v('#c-summary'),
        details: v('#c-details'),
        claim_kind: v('#c-claim') || null,
        claim_amount: v('#c-amount'),
        claim_text: v('#c-claim-text'),
        staff: currentStaff(),
      };
      const c = await api.registerComplaint(input);
      toast(t('toast.complaint_registered', { serial: c.serial }));
      return c;
    },
  });
  showPicked();
  (picked ? $('#c-summary') : who).focus();
  return result;
}

/** A workflow move that asks for a note (and the original's number for a duplicate). */
export function transition(c, to) {
  const needsNote = to === 'rejected' || (to === 'in_progress' && !['registered', 'in_progress', 'waiting'].includes(c.state));
  const body = [
    h('p', { class: 'field wide' }, t('complaint.move', { serial: c.serial, state: t(`cstate.${to}`) })),
    to === 'duplicate' ? field(t('complaint.duplicate_of'), h('input', { id: 't-dup', placeholder: 'TS-2026-000001' }), 'duplicate_of', 'wide') : null,
    field(needsNote ? t('complaint.note_required') : t('complaint.note'), h('textarea', { id: 't-note', rows: 3 }), 'note', 'wide'),
  ];
  return openDialog({
    id: 'transition-dialog',
    title: t(`caction.${to === 'in_progress' && needsNote ? 'reopen' : to}`),
    body,
    submit: async (form) => api.transitionComplaint(c.id, {
      to, note: $('#t-note', form).value, staff: currentStaff(), duplicate_of: $('#t-dup', form)?.value || '',
    }),
  });
}

export function resolveDialog(c) {
  return openDialog({
    id: 'resolve-dialog',
    title: t('complaint.resolve_title', { serial: c.serial }),
    wide: true,
    body: [
      field(t('complaint.resolution'), h('textarea', { id: 'r-resolution', rows: 3 }), 'resolution', 'wide'),
      field(t('complaint.remedy'), h('select', { id: 'r-remedy' }, h('option', { value: '' }, t('complaint.claim_none')), CLAIMS.map((k) => h('option', { value: k, selected: k === c.claim_kind }, t(`claim.${k}`)))), 'remedy_kind'),
      field(t('complaint.remedy_amount'), h('input', { id: 'r-amount', inputmode: 'decimal', value: c.claim_amount_cents ? (c.claim_amount_cents / 100).toFixed(2) : '' }), 'remedy_amount'),
      field(t('complaint.root_cause_category'), h('input', { id: 'r-cause-cat', placeholder: t('complaint.root_cause_category_placeholder') }), 'root_cause_category'),
      field(t('complaint.root_cause'), h('textarea', { id: 'r-cause', rows: 2 }), 'root_cause', 'wide'),
      field(t('complaint.corrective_action'), h('textarea', { id: 'r-action', rows: 2 }), 'corrective_action', 'wide'),
    ],
    submitLabel: t('caction.resolved'),
    submit: async (form) => api.resolveComplaint(c.id, {
      resolution: $('#r-resolution', form).value,
      remedy_kind: $('#r-remedy', form).value || null,
      remedy_amount: $('#r-amount', form).value,
      root_cause_category: $('#r-cause-cat', form).value,
      root_cause: $('#r-cause', form).value,
      corrective_action: $('#r-action', form).value,
      staff: currentStaff(),
    }),
  });
}

export function closeDialog(c) {
  return openDialog({
    id: 'close-dialog',
    title: t('complaint.close_title', { serial: c.serial }),
    body: [
      field(t('outcome.satisfaction'), h('select', { id: 'x-satisfaction' }, h('option', { value: '' }, t('outcome.satisfaction_none')),
        [5, 4, 3, 2, 1].map((n) => h('option', { value: n }, t(`satisfaction.${n}`)))), 'satisfaction'),
      field(t('complaint.accepted'), h('select', { id: 'x-accepted' },
        h('option', { value: 'yes' }, t('complaint.accepted_yes')), h('option', { value: 'no' }, t('complaint.accepted_no'))), 'accepted'),
      field(t('complaint.return_visit'), h('input', { id: 'x-visit', value: addDaysIso(todayIso(), 7), placeholder: t('complaint.return_visit_placeholder') }), 'return_visit_date'),
    ],
    submitLabel: t('caction.closed'),
    submit: async (form) => {
      const sat = $('#x-satisfaction', form).value;
      const r = await api.closeComplaint(c.id, {
        satisfaction: sat ? Number(sat) : null,
        accepted: $('#x-accepted', form).value === 'yes',
        return_visit_date: $('#x-visit', form).value,
        staff: currentStaff(),
      });
      toast(r.return_visit_id ? t('toast.complaint_closed_visit') : t('toast.saved'));
      return r;
    },
  });
}

export function noteDialog(c) {
  return openDialog({
    id: 'note-dialog',
    title: t('complaint.add_note'),
    body: [field(t('complaint.note'), h('textarea', { id: 'n-note', rows: 4 }), 'note', 'wide')],
    submit: async (form) => api.noteComplaint(c.id, $('#n-note', form).value, currentStaff()),
  });
}

export async function handlerDialog(c) {
  const staff = await api.staffList();
  return openDialog({
    id: 'handler-dialog',
    title: t('complaint.change_handler'),
    body: [field(t('complaint.handler'), h('select', { id: 'hd-handler' }, h('option', { value: '' }, t('visit.staff_none')),
      staff.map((s) => h('option', { value: s, selected: s === c.handler }, s))), 'handler', 'wide')],
    submit: async (form) => api.setComplaintHandler(c.id, $('#hd-handler', form).value, currentStaff()),
  });
}

export function severityDialog(c) {
  return openDialog({
    id: 'severity-dialog',
    title: t('complaint.change_severity'),
    body: [field(t('complaint.severity'), choice('sv-severity', SEVERITIES, 'severity', c.severity), 'severity', 'wide')],
    submit: async (form) => api.setComplaintSeverity(c.id, $('#sv-severity', form).value, currentStaff()),
  });
}

/** The processing form (投诉处理表) as a printable page. */
export function printForm(detail) {
  const c = detail.complaint;
  document.getElementById('print-view')?.remove();
  const row = (label, value) => h('tr', {}, h('th', {}, label), h('td', {}, value || '—'));
  const view = h('div', { id: 'print-view', class: 'print-view' },
    h('div', { class: 'print-actions no-print' },
      h('button', { type: 'button', class: 'btn primary', id: 'print-now', onclick: () => window.print() }, t('complaint.print_now')),
      h('button', { type: 'button', class: 'btn', id: 'print-close', onclick: () => view.remove() }, t('form.cancel'))),
    h('h1', {}, t('complaint.form_title')),
    h('p', { class: 'print-serial' }, `${t('complaint.serial')}: ${c.serial}`),
    h('table', { class: 'print-table' },
      row(t('complaint.customer'), `${c.customer_name} (${t(`tier.${c.customer_tier}`)})`),
      row(t('complaint.received_at'), dateTime(c.received_at)),
      row(t('complaint.channel'), t(`cchannel.${c.channel}`)),
      row(t('complaint.category'), categoryName(c.category)),
      row(t('complaint.severity'), t(`severity.${c.severity}`)),
      row(t('complaint.summary'), c.summary),
      row(t('complaint.details'), c.details),
      row(t('complaint.claim'), [c.claim_kind ? t(`claim.${c.claim_kind}`) : '', money(c.claim_amount_cents), c.claim_text].filter(Boolean).join(' · ')),
      row(t('complaint.handler'), c.handler),
      row(t('complaint.response_due'), dateTime(c.response_due)),
      row(t('complaint.resolution_due'), dateTime(c.resolution_due)),
      row(t('complaint.resolution'), c.resolution),
      row(t('complaint.remedy'), [c.remedy_kind ? t(`claim.${c.remedy_kind}`) : '', money(c.remedy_amount_cents)].filter(Boolean).join(' · ')),
      row(t('complaint.root_cause'), [c.root_cause_category, c.root_cause].filter(Boolean).join(':')),
      row(t('complaint.corrective_action'), c.corrective_action),
      row(t('complaint.state'), t(`cstate.${c.state}`)),
      row(t('outcome.satisfaction'), c.satisfaction ? t(`satisfaction.${c.satisfaction}`) : ''),
      row(t('complaint.accepted'), c.accepted === null ? '' : (c.accepted ? t('complaint.accepted_yes') : t('complaint.accepted_no')))),
    h('h2', {}, t('complaint.log')),
    h('ol', { class: 'print-log' }, detail.log.map((l) => h('li', {}, `${dateTime(l.at)} ${l.staff ? `[${l.staff}] ` : ''}${t(`clog.${l.kind}`)} ${logText(l)}`))),
    h('p', { class: 'print-sign' }, t('complaint.signature')));
  document.body.append(view);
  $('#print-now', view).focus();
}

/** A log line's detail in words. */
export function logText(l) {
  if (!l.detail) return '';
  try {
    const d = JSON.parse(l.detail);
    if (d && typeof d === 'object') {
      const parts = [];
      if (l.kind === 'handler') parts.push(`${d.from || '—'} → ${d.to || '—'}`);
      else if (l.kind === 'severity') parts.push(`${t(`severity.${d.from}`)} → ${t(`severity.${d.to}`)}`);
      else if (d.from && d.to) parts.push(`${t(`cstate.${d.from}`)} → ${t(`cstate.${d.to}`)}`);
      for (const k of ['note', 'resolution', 'duplicate_of']) if (d[k]) parts.push(d[k]);
      if (d.satisfaction) parts.push(t('detail.satisfaction', { n: d.satisfaction }));
      if (d.return_visit) parts.push(t('complaint.return_visit_on', { date: d.return_visit }));
      return parts.join(' · ');
    }
  } catch {
    /* plain text */
  }
  if (l.kind === 'breached') return t(`cbreach.${l.detail}`);
  if (l.kind === 'escalated') return t(`escalation.${l.detail}`);
  return l.detail;
}


// The audit trail as rows: who changed which field of which record, from what to what.
import { h } from './dom.js';
import { t } from './i18n.js';
import { dateTime, specialDate } from './format.js';

/** Customer fields that can be put back from their history (as `app/audit.rs` allows). */
export const REVERTIBLE = ['name', 'phones', 'wechat', 'email', 'address', 'company', 'source', 'first_contact', 'tier',
  'tags', 'notes', 'preferences', 'cadence_ideal_days', 'cadence_max_days', 'birthday', 'anniversary'];

export function canRevert(e) {
  return e.kind === 'customer' && e.action === 'update' && !e.erased && REVERTIBLE.includes(e.field);
}

const ENUM_PREFIX = { tier: 'tier', source: 'source', channel: 'channel', purpose: 'purpose', severity: 'severity', booking_state: 'bstate' };
const BOOLEAN = ['reached', 'accepted', 'archived', 'active'];
const MONEY = ['claim_amount_cents', 'remedy_amount_cents'];

function stateLabel(kind, v) {
  if (kind === 'complaint') return t(`cstate.${v}`);
  if (kind === 'reminder') return t(`rstate.${v}`);
  return t(`vstate.${v}`);
}

/** A booking as the trail recorded it ({id, walk_in, start_date, start_time, end_date, party, …}), in one line. */
function bookingText(v) {
  let b = v;
  if (typeof b === 'string') {
    try {
      b = JSON.parse(b);
    } catch {
      return b;
    }
  }
  if (!b || typeof b !== 'object') return String(v);
  const when = b.start_time ? `${b.start_date} ${b.start_time}` : t('booking.date_all_day', { date: b.start_date });
  return [
    b.end_date ? t('booking.stay_span', { from: when, to: b.end_date }) : when,
    b.party ? t('arrivals.party', { n: b.party }) : '',
    b.resource, b.what, b.staff, b.notes,
    b.state ? t(`bstate.${b.state}`) : '',
  ].filter(Boolean).join(' · ');
}

/** One stored value as a person reads it. */
export function formatValue(e, field, v) {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) return t('audit.empty');
  if (field === 'booking') return bookingText(v);
  if (field === 'birthday' || field === 'anniversary') return typeof v === 'object' ? specialDate(v) : String(v);
  if (field === 'lost' && typeof v === 'object') {
    return [v.lost_on, t(`churn.type.${v.type}`), v.note].filter(Boolean).join(' · ');
  }
  if (field === 'preferences' && Array.isArray(v)) return v.map((p) => `${t(`pref.${p.kind}`)}: ${p.text}`).join('; ');
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
  if (ENUM_PREFIX[field]) return t(`${ENUM_PREFIX[field]}.${v}`);
  if (field === 'state') return stateLabel(e.kind, v);
  if (BOOLEAN.includes(field)) return v ? t('audit.yes') : t('audit.no');
  if (MONEY.includes(field) && typeof v === 'number') return (v / 100).toFixed(2);
  if (/(_at|_due)$/.test(field) && typeof v === 'string') return dateTime(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** What a created or deleted record was, in a few words. */
function summary(e, obj) {
  if (!obj || typeof obj !== 'object') return '';
  return obj.name || obj.serial && `${obj.serial} ${obj.summary || ''}` || obj.text || obj.due_date || '';
}

function fieldLabel(e) {
  if (!e.field) return '';
  if (e.kind === 'setting') return '';
  return t(`audit.field.${e.field}`);
}

function change(e) {
  if (e.erased) return h('span', { class: 'muted audit-erased' }, t('audit.erased'));
  if (e.action === 'bulk') return t('audit.bulk', { n: e.new_value });
  if (e.action === 'create') return [h('span', { class: 'audit-action' }, t('audit.created')), ' ', summary(e, e.new_value)];
  if (e.action === 'delete') return [h('span', { class: 'audit-action' }, t('audit.deleted')), ' ', summary(e, e.old_value)];
  // A booking is recorded once as it was made (a walk-in as it came); its changes are booking_* fields.
  if (e.field === 'booking' && (e.old_value === null || e.old_value === undefined)) {
    const walkIn = e.new_value && typeof e.new_value === 'object' ? e.new_value.walk_in : /"walk_in"\s*:\s*(1|true)/.test(String(e.new_value));
    return [h('span', { class: 'audit-action' }, t(walkIn ? 'audit.walked_in' : 'audit.booked')), ' ', formatValue(e, 'booking', e.new_value)];
  }
  return [
    h('span', { class: 'audit-old' }, formatValue(e, e.field, e.old_value)),
    h('span', { class: 'audit-arrow', 'aria-label': t('audit.to') }, ' → '),
    h('span', { class: 'audit-new' }, formatValue(e, e.field, e.new_value)),
  ];
}

function who(e) {
  if (e.actor === 'system') return h('span', { class: 'muted' }, t('audit.system'));
  const person = e.staff || h('span', { class: 'muted' }, t('audit.nobody'));
  // On the shared database: the desk it was done at.
  return e.desk ? [person, h('span', { class: 'muted audit-desk' }, ` · ${e.desk}`)] : person;
}

function reason(e) {
  if (!e.reason) return null;
  const [kind, id] = e.reason.split(':');
  return h('span', { class: 'badge audit-reason' }, t(`audit.reason.${kind}`, { id: id || '' }));
}

/** The record an entry is about: kind, and the customer or setting it names. */
export function recordLabel(e, openCustomer) {
  if (e.kind === 'setting') {
    const [what, id] = e.record_id.split('/');
    return t(`audit.setting.${what}`, { id: id || '' });
  }
  const kind = t(`audit.kind.${e.kind}`);
  const ref = e.kind === 'customer' || e.record_id === '*' ? '' : ` #${e.record_id.replace('manual/', '')}`;
  // The global log names the customer (a click opens them); a customer's own page does not.
  const name = e.customer_name && openCustomer
    ? h('button', { type: 'button', class: 'link-btn audit-customer', onclick: () => openCustomer(e.customer_id) }, e.customer_name)
    : null;
  return [`${kind}${ref}`, name ? ' · ' : '', name];
}

/**
 * A table of entries. `options.record` shows the record column (the global log);
 * `options.onRevert(entry)` adds "put back" to entries that allow it.
 */
export function auditTable(entries, options = {}) {
  return h('table', { class: 'audit-table' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('audit.col.at')),
      h('th', { scope: 'col' }, t('audit.col.staff')),
      options.record ? h('th', { scope: 'col' }, t('audit.col.record')) : null,
      h('th', { scope: 'col' }, t('audit.col.field')),
      h('th', { scope: 'col' }, t('audit.col.change')),
      options.onRevert ? h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('audit.col.actions'))) : null)),
    h('tbody', {}, entries.map((e) => h('tr', { dataset: { id: e.id, field: e.field || '' }, class: 'audit-row' },
      h('td', { class: 'nowrap' }, dateTime(e.at)),
      h('td', {}, who(e)),
      options.record ? h('td', {}, recordLabel(e, options.openCustomer)) : null,
      h('td', {}, e.kind === 'customer' && e.action === 'update' && REVERTIBLE.includes(e.field) ? t(`field.${e.field}`) : fieldLabel(e)),
      h('td', { class: 'audit-change' }, change(e), ' ', reason(e)),
      options.onRevert ? h('td', {}, canRevert(e)
        ? h('button', {
          type: 'button', class: 'btn small audit-revert',
          'aria-label': t('audit.revert_label', { field: t(`field.${e.field}`), value: formatValue(e, e.field, e.old_value) }),
          onclick: () => options.onRevert(e),
        }, t('audit.revert'))
        : null) : null))));
}

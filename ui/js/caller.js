// Opening what the desk was asked for from outside the window: a caller's card (来电弹屏)
// from a softphone's frontdesk://call link or `frontdesk --call`, and the item behind a
// clicked notification. Rust queues the requests; the window takes them when told, and once
// at start (a launch with a link).
import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { navigate } from './nav.js';
import { showError } from './toast.js';
import { tierBadge } from './format.js';
import * as customers from './customers.js';

let taking = Promise.resolve();

export function startOpening() {
  api.onOpenRequested(() => take());
  take();
}

/** Open everything queued, one after another. */
function take() {
  taking = taking.then(async () => {
    let requests = [];
    try {
      requests = await api.openTake();
    } catch (e) {
      showError(e);
    }
    for (const r of requests) await openOne(r);
  });
  return taking;
}

async function openOne(r) {
  if (r.open === 'customer') navigate('customers', { customerId: r.id });
  else if (r.open === 'complaint') navigate('complaints', { complaintId: r.id });
  else if (r.open === 'reminders') navigate('reminders');
  else if (r.open === 'call') await openCaller(r.number);
}

/** One customer with the number: their card. Several: a pick list. None: a new customer with it. */
async function openCaller(number) {
  let caller;
  try {
    caller = await api.callerLookup(number);
  } catch (e) {
    showError(e);
    return;
  }
  const found = caller.customers;
  if (found.length === 1) {
    navigate('customers', { customerId: found[0].id });
  } else if (found.length === 0) {
    navigate('customers');
    customers.createNew({ phones: [caller.number] });
  } else {
    pickCaller(caller);
  }
}

function pickCaller(caller) {
  document.getElementById('caller-dialog')?.remove();
  const choose = (id) => {
    dialog.close();
    navigate('customers', { customerId: id });
  };
  const dialog = h('dialog', { id: 'caller-dialog', class: 'dialog', 'aria-labelledby': 'caller-title' },
    h('header', { class: 'dialog-head' }, h('h2', { id: 'caller-title' }, t('caller.title', { number: caller.number }))),
    h('p', { class: 'muted' }, t('caller.several', { n: caller.customers.length })),
    h('ul', { class: 'caller-list', role: 'list' }, caller.customers.map((c) => h('li', {},
      h('button', { type: 'button', class: 'btn caller-pick', dataset: { customerId: c.id }, onclick: () => choose(c.id) },
        tierBadge(c.tier), ' ', h('strong', {}, c.name), c.company ? h('span', { class: 'muted' }, ` · ${c.company}`) : null)))),
    h('footer', { class: 'dialog-foot' },
      h('button', { type: 'button', class: 'btn', id: 'caller-new', onclick: () => {
        dialog.close();
        navigate('customers');
        customers.createNew({ phones: [caller.number] });
      } }, t('caller.new')),
      h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, t('form.cancel'))));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector('.caller-pick')?.focus();
}

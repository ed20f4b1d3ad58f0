// Settings → Shared database (several desks): where the PostgreSQL server is, who this desk
// logs in as and the name the other desks see; "Test connection" says what is there, and
// then offers the move: this desk's data into an empty database, or this desk joining one
// that other desks use. A desk on the shared database can copy it back to this PC.
import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { field, openDialog, showFieldErrors } from './dialog.js';
import { showError, toast } from './toast.js';

/** A whole port number typed in a box; anything else is sent as 0, so Rust says what is allowed. */
function portNumber(v) {
  const n = Number(v.trim());
  return v.trim() && Number.isInteger(n) ? n : 0;
}

/** What the check found, in the user's language. */
export function describe(verdict, settings) {
  switch (verdict.state) {
    case 'ready':
      return verdict.desks && verdict.desks.length
        ? t('server.ready_desks', { desks: verdict.desks.join(t('list.separator')) })
        : t('server.ready');
    case 'unreachable':
      return t('server.unreachable', { host: settings.host, port: settings.port, reason: verdict.reason });
    case 'no_database':
      return t('server.no_database', { database: settings.database });
    case 'not_allowed':
      return t('server.not_allowed', { reason: verdict.reason });
    case 'too_old':
      return t('server.too_old', { version: verdict.version });
    default:
      return t(`server.${verdict.state}`);
  }
}

/**
 * Ask before a move; on success the window starts again on the store the desk uses now. A
 * password that went to a file (no credential store on this computer) is said first, with
 * the time to read it before the window starts again.
 */
async function confirmSwitch({ id, title, what, warning, label, run, done }) {
  const switched = await openDialog({
    id,
    title,
    body: h('div', { class: 'wide' },
      h('p', {}, what),
      warning ? h('p', { class: 'warning' }, warning) : null),
    submitLabel: label,
    submit: run,
  });
  if (switched) {
    const customers = (switched.copied || []).find((c) => c.table === 'customers');
    toast(done, customers ? t('settings.server_copied', { customers: customers.rows }) : '');
    const inFile = switched.password_in === 'file';
    if (inFile) toast(t('settings.server_password_in_file'), '', 'warning');
    setTimeout(() => window.location.reload(), inFile ? 5000 : 900);
  }
}

/** The card of a desk already on the shared database: where, as whom, and the way back. */
function inUseCard(current) {
  const leave = h('button', { type: 'button', class: 'btn', id: 'server-leave', onclick: () => confirmSwitch({
    id: 'server-leave-dialog',
    title: t('settings.server_leave'),
    what: t('settings.server_leave_what', { database: current.database, host: current.host }),
    warning: t('settings.server_leave_warning'),
    label: t('settings.server_leave'),
    run: () => api.serverLeave(),
    done: t('settings.server_left'),
  }) }, t('settings.server_leave'));
  return h('section', { class: 'card settings-card', id: 'server-form', 'data-shared': 'yes' },
    h('h2', {}, t('settings.server')),
    h('p', { id: 'server-in-use' }, t('settings.server_in_use', {
      database: current.database, host: current.host, port: current.port, desk: current.desk,
    })),
    h('p', { class: 'muted' }, t('settings.server_in_use_hint')),
    leave);
}

/** The card: a desk on the shared database says so; one on its own file can move. */
export function serverCard() {
  const slot = h('div', { id: 'server-card' }, deskCard());
  api.serverCurrent().then((current) => {
    if (current) slot.replaceChildren(inUseCard(current));
  }).catch(() => {});
  return slot;
}

function deskCard() {
  const input = (id, attrs = {}) => h('input', { id, autocomplete: 'off', spellcheck: 'false', ...attrs });
  const host = input('server-host', { placeholder: '192.168.1.20' });
  const port = input('server-port', { class: 'narrow', inputmode: 'numeric', value: '5432' });
  const database = input('server-database', { value: 'frontdesk' });
  const user = input('server-user');
  const password = input('server-password', { type: 'password' });
  const desk = input('server-desk', { placeholder: t('settings.server_desk_placeholder') });
  const result = h('p', { id: 'server-check-result', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'btn primary', id: 'server-test' }, t('settings.server_test'));
  const next = h('div', { class: 'actions', id: 'server-next' });
  const settingsNow = () => ({
    host: host.value.trim(),
    port: portNumber(port.value),
    database: database.value.trim(),
    user: user.value.trim(),
    password: password.value,
    desk: desk.value.trim(),
  });
  /** What this desk can do with what the test found: move into an empty database, or join. */
  const offer = (verdict, settings) => {
    next.replaceChildren();
    if (verdict.state === 'empty') {
      next.append(h('button', { type: 'button', class: 'btn primary', id: 'server-move', onclick: () => confirmSwitch({
        id: 'server-move-dialog',
        title: t('settings.server_move'),
        what: t('settings.server_move_what', { database: settings.database, host: settings.host }),
        warning: t('settings.server_password_kept'),
        label: t('settings.server_move'),
        run: () => api.serverMove(settingsNow()),
        done: t('settings.server_moved'),
      }) }, t('settings.server_move')));
    } else if (verdict.state === 'ready') {
      next.append(h('button', { type: 'button', class: 'btn primary', id: 'server-join', onclick: () => confirmSwitch({
        id: 'server-join-dialog',
        title: t('settings.server_join'),
        what: t('settings.server_join_what', { database: settings.database, host: settings.host }),
        warning: t('settings.server_join_warning'),
        label: t('settings.server_join'),
        run: () => api.serverJoin(settingsNow()),
        done: t('settings.server_joined'),
      }) }, t('settings.server_join')));
    }
  };
  const form = h('form', { class: 'card settings-card', id: 'server-form', onsubmit: async (e) => {
    e.preventDefault();
    const settings = settingsNow();
    next.replaceChildren();
    // One check at a time: the button waits for the answer (at most the connection timeout).
    button.disabled = true;
    result.className = 'muted';
    result.textContent = t('settings.server_testing');
    try {
      const verdict = await api.serverCheck(settings);
      showFieldErrors(form, []);
      result.className = verdict.state === 'ready' || verdict.state === 'empty' ? '' : 'warning';
      result.dataset.state = verdict.state;
      result.textContent = describe(verdict, settings);
      offer(verdict, settings);
    } catch (err) {
      result.textContent = '';
      delete result.dataset.state;
      if (err && err.kind === 'invalid') showFieldErrors(form, err.fields || []);
      else showError(err);
    } finally {
      button.disabled = false;
    }
  } },
  h('h2', {}, t('settings.server')),
  h('p', { class: 'muted' }, t('settings.server_hint')),
  h('div', { class: 'form-errors', role: 'alert' }),
  field(t('field.host'), host, 'host'),
  field(t('field.port'), port, 'port'),
  field(t('field.database'), database, 'database'),
  field(t('field.user'), user, 'user'),
  field(t('field.password'), password, 'password'),
  field(t('field.desk'), desk, 'desk'),
  button,
  result,
  next);
  return form;
}

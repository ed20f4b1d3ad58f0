// Settings → Shared database (several desks): where the PostgreSQL server is, who this desk
// logs in as and the name the other desks see; "Test connection" says what is there.
import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { field, showFieldErrors } from './dialog.js';
import { showError } from './toast.js';

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

export function serverCard() {
  const input = (id, attrs = {}) => h('input', { id, autocomplete: 'off', spellcheck: 'false', ...attrs });
  const host = input('server-host', { placeholder: '192.168.1.20' });
  const port = input('server-port', { class: 'narrow', inputmode: 'numeric', value: '5432' });
  const database = input('server-database', { value: 'frontdesk' });
  const user = input('server-user');
  const password = input('server-password', { type: 'password' });
  const desk = input('server-desk', { placeholder: t('settings.server_desk_placeholder') });
  const result = h('p', { id: 'server-check-result', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'btn primary', id: 'server-test' }, t('settings.server_test'));
  const form = h('form', { class: 'card settings-card', id: 'server-form', onsubmit: async (e) => {
    e.preventDefault();
    const settings = {
      host: host.value.trim(),
      port: portNumber(port.value),
      database: database.value.trim(),
      user: user.value.trim(),
      password: password.value,
      desk: desk.value.trim(),
    };
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
  result);
  return form;
}

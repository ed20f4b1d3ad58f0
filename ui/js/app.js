// Start-up and the shell: language, navigation, shortcuts, toasts, fatal errors.
import { api } from './api.js';
import { $, clear } from './dom.js';
import { applyStatic, defaultLanguage, loadTables, setLanguage, t, language } from './i18n.js';
import * as customers from './customers.js';
import { showError } from './toast.js';

const sections = { customers };
let active = 'customers';

function showFatal(err) {
  $('#app').hidden = true;
  $('#fatal').hidden = false;
  applyStatic();
  $('#fatal-message').textContent = t(`error.${(err && err.kind) || 'internal'}`);
  $('#fatal-detail').textContent = (err && err.message) || String(err);
}

function render() {
  applyStatic();
  const main = clear($('#main'));
  sections[active].mount(main);
}

async function switchLanguage(lang) {
  setLanguage(lang);
  $('#language').value = lang;
  render();
  try {
    await api.setLanguage(lang);
  } catch (e) {
    showError(e);
  }
}

function onKey(e) {
  const mod = e.ctrlKey || e.metaKey;
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName || '');
  if ((mod && e.key.toLowerCase() === 'k') || (!mod && !typing && e.key === '/' && !document.querySelector('dialog[open]'))) {
    e.preventDefault();
    sections[active].focusSearch?.();
  } else if (mod && e.key.toLowerCase() === 'n' && !document.querySelector('dialog[open]')) {
    e.preventDefault();
    sections[active].createNew?.();
  } else {
    sections[active].onKey?.(e, typing);
  }
}

async function boot() {
  await loadTables();
  setLanguage(defaultLanguage());
  let status;
  try {
    status = await api.status();
  } catch (e) {
    showFatal(e);
    return;
  }
  setLanguage(status.language || defaultLanguage());
  $('#language').value = language();
  $('#language').addEventListener('change', (e) => switchLanguage(e.target.value));
  $('#version').textContent = `v${status.version}`;
  document.addEventListener('keydown', onKey);
  render();
  document.body.dataset.ready = 'true';
}

boot().catch(showFatal);

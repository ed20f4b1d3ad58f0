// Start-up and the shell: language, navigation, shortcuts, fatal errors.
import { api } from './api.js';
import { $, $$, h } from './dom.js';
import { applyStatic, defaultLanguage, loadTables, setLanguage, t, language } from './i18n.js';
import * as customers from './customers.js';
import * as visits from './visits.js';
import * as settings from './settings.js';
import * as complaints from './complaints.js';
import * as reminders from './reminders.js';
import { activeSection, navigate, refreshCounts, registerSections, render } from './nav.js';
import { showError } from './toast.js';

registerSections({ customers, visits, complaints, reminders, settings });

function showFatal(err) {
  $('#app').hidden = true;
  $('#fatal').hidden = false;
  applyStatic();
  $('#fatal-message').textContent = t(`error.${(err && err.kind) || 'internal'}`);
  $('#fatal-detail').textContent = (err && err.message) || String(err);
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
  const dialogOpen = !!document.querySelector('dialog[open]');
  if (dialogOpen) return;
  if ((mod && e.key.toLowerCase() === 'k') || (!mod && !typing && e.key === '/')) {
    e.preventDefault();
    if (activeSection() !== customers) navigate('customers');
    customers.focusSearch();
  } else if (mod && e.key.toLowerCase() === 'n') {
    e.preventDefault();
    if (activeSection() !== customers) navigate('customers');
    customers.createNew();
  } else if (mod && e.shiftKey && e.key.toLowerCase() === 'b') {
    e.preventDefault();
    settings.backupNow().then((ok) => { if (ok && activeSection() === settings) navigate('settings'); });
  } else if (mod && e.key.toLowerCase() === 'l') {
    e.preventDefault();
    if (activeSection() !== complaints) navigate('complaints');
    complaints.createNew();
  } else if (mod && /^[1-5]$/.test(e.key)) {
    e.preventDefault();
    navigate(['customers', 'visits', 'complaints', 'reminders', 'settings'][Number(e.key) - 1]);
  } else {
    activeSection().onKey?.(e, typing);
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
  // Rust writes notifications in the UI language: tell it which one.
  if (!status.language) api.setLanguage(language()).catch(showError);
  $('#language').value = language();
  $('#language').addEventListener('change', (e) => switchLanguage(e.target.value));
  $('#version').textContent = `v${status.version}`;
  for (const b of $$('.nav-item')) b.addEventListener('click', () => navigate(b.dataset.section));
  document.addEventListener('keydown', onKey);
  render();
  // Day changes and visits coming due while the window stays open.
  setInterval(refreshCounts, 60_000);
  // The backup warning: at start, after the first automatic backup, then now and then.
  checkBackups();
  setTimeout(checkBackups, 5_000);
  setInterval(checkBackups, 600_000);
  api.onRemindersChanged(() => {
    refreshCounts();
    if (activeSection() === reminders) reminders.load();
  });
  document.body.dataset.ready = 'true';
}

/** Warn on the main window when backups are failing or too old; a click opens Settings. */
export async function checkBackups() {
  const box = $('#backup-warning');
  let health;
  try {
    health = await api.backupHealth();
  } catch {
    return;
  }
  box.replaceChildren();
  if (health.last_failure) {
    box.append(h('span', {}, t('backup.warn_failed')), h('span', { class: 'muted' }, ` ${health.last_failure}`));
  } else if (health.stale) {
    box.append(h('span', {}, health.newest ? t('backup.warn_old', { days: health.age_days }) : t('backup.warn_none')));
  }
  if (box.childElementCount) {
    box.append(h('button', { type: 'button', class: 'btn small', id: 'backup-warning-open', onclick: () => navigate('settings') }, t('backup.warn_open')));
  }
  box.hidden = !box.childElementCount;
}

boot().catch(showFatal);

// Start-up and the shell: language, navigation, shortcuts, fatal errors.
import { api } from './api.js';
import { $, $$, h } from './dom.js';
import { applyStatic, defaultLanguage, loadTables, setLanguage, t, language } from './i18n.js';
import * as customers from './customers.js';
import * as visits from './visits.js';
import * as settings from './settings.js';
import { backupNow } from './backups.js';
import * as complaints from './complaints.js';
import * as reminders from './reminders.js';
import * as audit from './audit.js';
import * as manager from './dashboard.js';
import * as arrivals from './arrivals.js';
import { activeSection, navigate, refreshCounts, registerSections, render } from './nav.js';
import { showError } from './toast.js';
import { dateTime } from './format.js';
import { startOpening } from './caller.js';

registerSections({ customers, visits, complaints, reminders, settings, audit, manager, arrivals });

function showFatal(err) {
  $('#app').hidden = true;
  $('#fatal').hidden = false;
  applyStatic();
  const kind = (err && err.kind) || 'internal';
  $('#fatal-message').textContent = kind === 'offline' ? t('offline.start') : t(`error.${kind}`);
  $('#fatal-detail').textContent = (err && err.message) || String(err);
  if (err && err.kind === 'db_damaged') offerRecovery();
}

/** The database is damaged: offer the newest good backup (and the others) instead of a blank window. */
async function offerRecovery() {
  const box = $('#recovery');
  box.hidden = false;
  let backups = [];
  try {
    backups = await api.recoveryBackups();
  } catch (e) {
    box.replaceChildren(h('p', {}, t('recovery.cannot_list')), h('p', { class: 'muted' }, e.message || String(e)));
    return;
  }
  const restore = async (b, button) => {
    for (const x of box.querySelectorAll('button')) x.disabled = true;
    const label = button.textContent;
    button.textContent = t('recovery.restoring');
    try {
      await api.recoveryRestore(b.path);
    } catch (e) {
      box.append(h('p', { class: 'error', role: 'alert' }, t(`error.${e.kind || 'internal'}`), ' ', h('span', { class: 'muted' }, e.message || '')));
      for (const x of box.querySelectorAll('button')) x.disabled = false;
      button.textContent = label;
      return;
    }
    location.reload();
  };
  const describe = (b) => t('recovery.holds', { at: dateTime(b.taken_at), customers: b.customers, visits: b.visits, complaints: b.complaints });
  // Any backup file, from a USB stick say: checked before anything changes.
  const fromFile = h('button', { type: 'button', class: 'btn', id: 'recover-file' }, t('recovery.from_file'));
  fromFile.addEventListener('click', async () => {
    let path = null;
    try {
      path = await api.pickBackupFile(t('backup.pick_file'));
    } catch (e) {
      box.append(h('p', { class: 'error', role: 'alert' }, t(`error.${e.kind || 'internal'}`)));
    }
    if (path) restore({ path }, fromFile);
  });
  if (!backups.length) {
    box.replaceChildren(h('p', {}, t('recovery.none')), fromFile);
    fromFile.focus();
    return;
  }
  const [newest, ...older] = backups;
  const main = h('button', { type: 'button', class: 'btn primary', id: 'recover-newest' }, t('recovery.restore'));
  main.addEventListener('click', () => restore(newest, main));
  box.replaceChildren(...[
    h('p', {}, t('recovery.offer')),
    h('p', { class: 'recovery-newest' }, describe(newest)),
    h('div', { class: 'button-row' }, main, fromFile),
    older.length ? h('details', {}, h('summary', {}, t('recovery.others')),
      h('ul', { class: 'recovery-list' }, older.map((b) => {
        const btn = h('button', { type: 'button', class: 'btn small' }, t('recovery.restore'));
        btn.addEventListener('click', () => restore(b, btn));
        return h('li', {}, describe(b), ' ', btn);
      }))) : null,
    h('p', { class: 'muted' }, t('recovery.kept')),
  ].filter(Boolean));
  main.focus();
}

async function switchLanguage(lang) {
  setLanguage(lang);
  $('#language').value = lang;
  render();
  fillDeskStaff();
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
    backupNow().then((ok) => { if (ok && activeSection() === settings) navigate('settings'); });
  } else if (mod && e.shiftKey && e.key.toLowerCase() === 'a') {
    e.preventDefault();
    navigate('audit');
  } else if (mod && e.key.toLowerCase() === 'l') {
    e.preventDefault();
    if (activeSection() !== complaints) navigate('complaints');
    complaints.createNew();
  } else if (mod && /^[1-7]$/.test(e.key)) {
    e.preventDefault();
    navigate(['customers', 'visits', 'complaints', 'reminders', 'settings', 'manager', 'arrivals'][Number(e.key) - 1]);
  } else {
    activeSection().onKey?.(e, typing);
  }
}

async function boot() {
  // The store is asked while the string tables load.
  const asked = api.status().then((s) => ({ s }), (e) => ({ e }));
  await loadTables();
  setLanguage(defaultLanguage());
  // The file is checked whole beside the first screen: if it is damaged, start again on
  // the recovery screen (every call now reports the damage).
  api.onDbDamaged(() => location.reload()).catch(() => {});
  const answer = await asked;
  if (answer.e) {
    showFatal(answer.e);
    // The shared database does not answer yet: the window starts once it does.
    if (answer.e.kind === 'offline') {
      setInterval(() => api.status().then(() => location.reload(), () => {}), 5_000);
    }
    return;
  }
  const status = answer.s;
  setLanguage(status.language || defaultLanguage());
  // Rust writes notifications in the UI language: tell it which one.
  if (!status.language) api.setLanguage(language()).catch(showError);
  $('#language').value = language();
  $('#language').addEventListener('change', (e) => switchLanguage(e.target.value));
  $('#version').textContent = `v${status.version}`;
  const desk = $('#desk-staff');
  desk.addEventListener('focus', fillDeskStaff);
  desk.addEventListener('change', async (e) => {
    try {
      await api.setDeskStaff(e.target.value);
    } catch (err) {
      showError(err);
      fillDeskStaff();
    }
  });
  await fillDeskStaff();
  for (const b of $$('.nav-item')) b.addEventListener('click', () => navigate(b.dataset.section));
  document.addEventListener('keydown', onKey);
  render();
  // Day changes and visits coming due while the window stays open.
  setInterval(refreshCounts, 60_000);
  // The backup warning: once the first pass after the first screen has tried the day's
  // automatic backup (`backups-changed`), or 5 s after start, then now and then. Not at once:
  // a bar shown and taken away a moment later moves the whole window under the pointer.
  setTimeout(checkBackups, 5_000);
  setInterval(checkBackups, 600_000);
  // The automatic backup, taken once the first screen is up: the bar and Settings follow.
  api.onBackupsChanged(() => {
    checkBackups();
    document.dispatchEvent(new CustomEvent('backups-changed'));
  });
  api.onRemindersChanged(() => {
    refreshCounts();
    if (activeSection() === reminders) reminders.load();
  });
  // The shared database cannot be reached: the window says so until a call gets through
  // again (every few seconds the desk tries), and forms keep what was typed.
  let retry = null;
  document.addEventListener('shared-database', (e) => {
    const bar = $('#offline-banner');
    bar.textContent = t('offline.banner');
    bar.hidden = e.detail !== 'offline';
    if (e.detail === 'offline' && !retry) {
      retry = setInterval(() => { api.status().catch(() => {}); }, 5_000);
    } else if (e.detail === 'online' && retry) {
      clearInterval(retry);
      retry = null;
      refreshCounts();
      activeSection().refresh?.();
    }
  });
  // Another desk on the shared database changed something: the counts and the list on
  // screen follow, unless the user is filling a form or a dialog (what they type is kept).
  api.onDataChanged(() => {
    refreshCounts();
    const editing = document.activeElement && document.activeElement.closest('form, dialog');
    if (document.querySelector('dialog[open]') || editing) return;
    activeSection().refresh?.();
  });
  // Release builds leave the demo data out (unless a trainer asked for it).
  try {
    document.body.dataset.demo = String((await api.about()).demo);
  } catch {
    document.body.dataset.demo = 'false';
  }
  // A caller or a clicked notification, from this launch or a later one.
  startOpening();
  document.body.dataset.ready = 'true';
}

/** Who is at the desk: the staff list, and "nobody chosen"; every change is recorded under it. */
export async function fillDeskStaff() {
  const select = $('#desk-staff');
  let staff = [];
  let current = '';
  try {
    [staff, current] = await Promise.all([api.staffList(), api.deskStaff()]);
  } catch {
    return;
  }
  const names = current && !staff.includes(current) ? [...staff, current] : staff;
  select.replaceChildren(
    h('option', { value: '' }, t('desk.nobody')),
    ...names.map((s) => h('option', { value: s }, s)));
  select.value = current;
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

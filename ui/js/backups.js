// Backups in Settings: back up now (also Ctrl+Shift+B anywhere) or to a folder picked with the
// system's dialog, the backup folder and how many automatic backups are kept, the good
// backups newest first, and restore from the list or from any backup file picked.
import { api } from './api.js';
import { $, h, clear } from './dom.js';
import { t } from './i18n.js';
import { dateTime } from './format.js';
import { openDialog, showFieldErrors } from './dialog.js';
import { showError, toast } from './toast.js';

const KEEP = ['daily', 'weekly', 'monthly'];

/** The backups card; `settings` is the saved backup settings (folder, retention). */
export function backupCard(settings) {
  const list = h('ul', { class: 'backup-list', id: 'backup-list', 'aria-live': 'polite' });
  // Only the latest read is drawn: a read started before a backup finished must not
  // replace one started after it (the day's automatic backup and "Back up now" can cross).
  let asked = 0;
  const redraw = async () => {
    const mine = ++asked;
    try {
      const backups = await api.backupList();
      if (mine !== asked) return;
      clear(list);
      if (!backups.length) list.append(h('li', { class: 'muted', id: 'backups-empty' }, t('backup.none')));
      for (const b of backups) list.append(backupRow(b));
    } catch (e) {
      showError(e);
    }
  };
  const pickAndBackUp = async () => {
    const folder = await pick(() => api.pickFolder(t('backup.pick_folder')));
    if (folder && await backupNow(folder)) await redraw();
  };
  const pickAndRestore = async () => {
    const path = await pick(() => api.pickBackupFile(t('backup.pick_file')));
    if (path) await confirmRestore(path);
  };
  const card = h('section', { class: 'card settings-card', id: 'backup-card' },
    h('h2', {}, t('backup.title')),
    h('p', { class: 'muted' }, t('backup.hint')),
    h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'btn primary', id: 'backup-now', onclick: async () => {
        if (await backupNow()) await redraw();
      } }, t('backup.now')),
      h('button', { type: 'button', class: 'btn', id: 'backup-to', onclick: pickAndBackUp }, t('backup.to_folder')),
      h('button', { type: 'button', class: 'btn', id: 'restore-file', onclick: pickAndRestore }, t('backup.restore_file'))),
    settingsForm(settings, redraw),
    h('h3', {}, t('backup.list')),
    list);
  redraw();
  // On the shared database the server is backed up where it runs, not by each desk.
  api.backupHealth().then((health) => {
    if (!health.shared) return;
    card.replaceChildren(
      h('h2', {}, t('backup.title')),
      h('p', { id: 'backup-shared' }, t('backup.shared')));
  }).catch(() => {});
  // A backup taken in the background (the automatic one of the day) appears at once.
  const onChange = () => {
    if (list.isConnected) redraw();
    else document.removeEventListener('backups-changed', onChange);
  };
  document.addEventListener('backups-changed', onChange);
  return card;
}

/** The backup folder (typed or picked) and how many automatic backups are kept. */
function settingsForm(settings, redraw) {
  const folder = h('input', { id: 'backup-folder', value: settings.folder, placeholder: t('backup.folder_default'), spellcheck: false });
  const keep = (k) => h('label', { class: 'keep' },
    h('span', { class: 'field-label' }, t(`backup.keep_${k}`)),
    h('input', { id: `keep-${k}`, class: 'narrow', inputmode: 'numeric', value: settings.retention[k] }),
    h('span', { class: 'field-error', dataset: { errorFor: `retention.${k}` } }));
  // A number as typed, or the text itself (Rust names what is wrong with it).
  const count = (k) => {
    const v = $(`#keep-${k}`, form).value.trim();
    return /^\d{1,6}$/.test(v) ? Number(v) : v;
  };
  const form = h('form', { class: 'backup-settings', id: 'backup-settings-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api.backupSettingsSave({
        folder: folder.value.trim(),
        retention: Object.fromEntries(KEEP.map((k) => [k, count(k)])),
      });
      showFieldErrors(form, []);
      toast(t('toast.saved'));
      await redraw();
    } catch (err) {
      if (err && err.kind === 'invalid') showFieldErrors(form, err.fields || []);
      else showError(err);
    }
  } },
  h('div', { class: 'form-errors', role: 'alert' }),
  h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'backup-folder' }, t('backup.folder')),
    h('span', { class: 'inline' }, folder,
      h('button', { type: 'button', class: 'btn small', id: 'backup-folder-pick', onclick: async () => {
        const picked = await pick(() => api.pickFolder(t('backup.pick_folder'), folder.value.trim() || undefined));
        if (picked) folder.value = picked;
      } }, t('backup.choose')),
      h('button', { type: 'button', class: 'btn small', id: 'backup-folder-default', onclick: () => { folder.value = ''; folder.focus(); } },
        t('backup.use_data_folder'))),
    h('span', { class: 'muted' }, t('backup.folder_hint')),
    h('span', { class: 'field-error', dataset: { errorFor: 'folder' } })),
  h('fieldset', { class: 'field keep-row' }, h('legend', { class: 'field-label' }, t('backup.keep')), KEEP.map(keep)),
  h('button', { type: 'submit', class: 'btn primary', id: 'save-backup-settings' }, t('form.save')));
  return form;
}

function backupRow(b) {
  return h('li', { class: 'backup-row', dataset: { kind: b.kind } },
    h('span', { class: 'backup-when' }, dateTime(b.taken_at)),
    h('span', { class: 'chip' }, t(`backup.kind.${b.kind}`)),
    h('span', { class: 'muted' }, t('backup.holds', { customers: b.customers, visits: b.visits, complaints: b.complaints })),
    h('span', { class: 'muted' }, `${Math.max(1, Math.round(b.size / 1024))} KB`),
    h('span', { class: 'muted backup-file', title: b.path }, b.file_name),
    h('span', { class: 'muted backup-where' }, b.folder),
    h('button', { type: 'button', class: 'btn small restore-backup', onclick: () => confirmRestore(b.path) },
      t('backup.restore')));
}

/** The system dialog's answer: a path, or null when closed (a failure is shown). */
async function pick(open) {
  try {
    return await open();
  } catch (e) {
    showError(e);
    return null;
  }
}

/** Take a backup now (into `folder` when given); says where in a toast. Returns whether it worked. */
export async function backupNow(folder) {
  try {
    const b = await api.backupNow(folder);
    toast(t('backup.done'), b.folder);
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}

/**
 * Restore the backup file at `path` after the user has seen what it holds (a damaged, foreign
 * or newer file is refused here and nothing changes). The current data is kept as a "before
 * restore" backup first; the window then reloads on the restored data.
 */
export async function confirmRestore(path) {
  let held;
  try {
    held = await api.inspectBackup(path);
  } catch (e) {
    showError(e);
    return;
  }
  const restored = await openDialog({
    id: 'restore-dialog',
    title: t('backup.restore_title'),
    body: h('div', { class: 'wide' },
      h('p', {}, t('backup.restore_what', { when: dateTime(held.taken_at) })),
      h('p', { class: 'muted' }, t('backup.holds', { customers: held.customers, visits: held.visits, complaints: held.complaints })),
      h('p', { class: 'muted backup-file', id: 'restore-path' }, held.path),
      h('p', { class: 'warning' }, t('backup.restore_warning'))),
    submitLabel: t('backup.restore_confirm'),
    submit: () => api.restoreBackup(path),
  });
  if (restored) {
    toast(t('backup.restored'));
    setTimeout(() => window.location.reload(), 600);
  }
}

// Import customers from a file (Settings, and the empty customer list): the system's file
// dialog, a preview with the detected encoding and separator (changeable), a column mapping,
// the duplicate rule, a dry run with every error by row and column (savable beside the file),
// then the valid rows in one go with progress, and undo of the last import.
import { api } from './api.js';
import { $, h, clear } from './dom.js';
import { t, language } from './i18n.js';
import { dateTime } from './format.js';
import { openDialog } from './dialog.js';
import { showError, toast } from './toast.js';
import { render } from './nav.js';

export const TARGETS = ['ignore', 'name', 'phone', 'wechat', 'email', 'address', 'company', 'source', 'first_contact',
  'tier', 'tags', 'notes', 'birthday', 'anniversary', 'preference'];
const ENCODINGS = ['UTF-8', 'gb18030', 'Big5', 'UTF-16LE', 'UTF-16BE'];
const SEPARATORS = [[',', 'comma'], [';', 'semicolon'], ['\t', 'tab'], ['|', 'bar']];
const DUPLICATES = ['skip', 'fill', 'create'];
/** Rows of the sample shown under the mapping. */
const SAMPLE_ROWS = 5;

/** Pick a file with the system's dialog and open the import dialog for it. */
export async function pickAndImport() {
  let path;
  try {
    path = await api.pickImportFile(t('import.pick_file'));
  } catch (e) {
    showError(e);
    return;
  }
  if (path) await openImport(path);
}

/** The import dialog for the file at `path`; resolves with the result, or null when closed. */
export async function openImport(path) {
  const request = { path, options: {}, mapping: null, duplicates: 'skip', expect_valid: null };
  let preview = null;
  const body = h('div', { class: 'wide import-body', id: 'import-body' });
  const status = () => $('#import-status', body);
  const submitButton = () => $('#import-dialog [data-action="submit"]');
  let checking = 0;
  const load = async () => {
    const mine = ++checking;
    const button = submitButton();
    if (button) button.disabled = true;
    const first = !preview;
    try {
      const p = await watch(api.importPreview(request), status());
      if (mine !== checking) return;
      preview = p;
      if (first) {
        draw();
        $('select, input', body)?.focus();
        return;
      }
    } catch (e) {
      if (mine !== checking) return;
      showError(e);
      if (!preview) {
        document.getElementById('import-dialog')?.close();
        return;
      }
    }
    draw();
  };
  const draw = () => {
    request.mapping = preview.mapping;
    clear(body).append(...importView(preview, request, load));
    const button = submitButton();
    if (button) {
      button.disabled = !preview.check.valid;
      button.textContent = t('import.run', { n: preview.check.valid });
    }
  };
  body.append(h('p', { class: 'import-file' }, h('strong', {}, fileName(path))), h('div', { id: 'import-status', class: 'muted' }));
  const done = openDialog({
    id: 'import-dialog',
    title: t('import.title'),
    wide: true,
    body,
    submitLabel: t('import.run', { n: 0 }),
    // Ctrl+Enter submits even while the button waits for a check.
    submit: () => (preview && preview.check.valid
      ? watch(api.importRun({ ...request, expect_valid: preview.check.valid }), status())
      : Promise.reject({ kind: 'invalid', fields: [{ field: 'file', code: 'no_valid_rows' }] })),
  });
  load();
  const result = await done;
  api.importForget().catch(() => {});
  if (result) {
    toast(t('import.done', { created: result.created, updated: result.updated, skipped: result.skipped }));
    render();
  }
  return result;
}

function fileName(path) {
  return path.split(/[\\/]/).pop();
}

/**
 * Wait for `promise` (a preview or an import), showing in `where` what the import is doing
 * and how far it is: reading the file, checking rows, writing them.
 */
async function watch(promise, where) {
  const label = h('span', {}, t('import.stage.reading'));
  const bar = h('progress', { id: 'import-progress', 'aria-label': t('import.progress') });
  where?.replaceChildren(label, ' ', bar);
  const timer = setInterval(async () => {
    try {
      const p = await api.importProgress();
      if (p.stage === 'idle') return;
      label.textContent = t(`import.stage.${p.stage}`);
      if (p.total) {
        bar.max = p.total;
        bar.value = p.done;
      } else {
        bar.removeAttribute('value');
      }
    } catch {
      // The next tick asks again.
    }
  }, 250);
  try {
    return await promise;
  } finally {
    clearInterval(timer);
    where?.replaceChildren();
  }
}

function importView(p, request, refresh) {
  const c = p.check;
  const named = p.mapping.includes('name');
  return [
    h('p', { class: 'import-file' }, h('strong', {}, p.file_name), ' ', h('span', { class: 'muted' }, t(`import.format.${p.format}`))),
    p.format === 'csv' ? textOptions(p, request, refresh) : null,
    h('h3', {}, t('import.mapping')),
    h('p', { class: 'muted' }, p.remembered ? t('import.mapping_remembered') : t('import.mapping_hint')),
    mappingTable(p, request, refresh),
    h('div', { class: 'field-error', dataset: { errorFor: 'mapping' } }),
    h('fieldset', { class: 'field import-duplicates' },
      h('legend', { class: 'field-label' }, t('import.duplicates')),
      DUPLICATES.map((d) => h('label', { class: 'radio' },
        h('input', { type: 'radio', name: 'duplicates', value: d, id: `dup-${d}`, checked: request.duplicates === d,
          onchange: () => { request.duplicates = d; refresh(); } }),
        t(`import.dup.${d}`)))),
    h('div', { class: 'import-summary', id: 'import-summary', 'aria-live': 'polite' },
      named ? summary(c) : h('p', { class: 'warning' }, t('invalid.name_required'))),
    h('div', { id: 'import-status', class: 'muted' }),
    c.error_count ? errorList(c, request) : null,
  ];
}

function textOptions(p, request, refresh) {
  const enc = h('select', { id: 'import-encoding', onchange: (e) => { request.options.encoding = e.target.value; refresh(); } },
    [...new Set([p.encoding, ...ENCODINGS])].filter(Boolean).map((v) => h('option', { value: v, selected: v === p.encoding }, v)));
  const sep = h('select', { id: 'import-separator', onchange: (e) => { request.options.separator = e.target.value; refresh(); } },
    SEPARATORS.map(([v, k]) => h('option', { value: v, selected: v === p.separator }, t(`import.sep.${k}`))));
  return h('div', { class: 'inline import-options' },
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('import.encoding')), enc,
      h('span', { class: 'field-error', dataset: { errorFor: 'encoding' } })),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('import.separator')), sep,
      h('span', { class: 'field-error', dataset: { errorFor: 'separator' } })));
}

/** One column per file column: its header, the field it feeds, and the first rows. */
function mappingTable(p, request, refresh) {
  const select = (i) => h('select', {
    id: `map-${i}`, class: 'map-select', 'aria-label': t('import.column_field', { column: p.headers[i] || String(i + 1) }),
    onchange: (e) => { request.mapping = [...request.mapping]; request.mapping[i] = e.target.value; refresh(); },
  }, TARGETS.map((v) => h('option', { value: v, selected: v === p.mapping[i] }, t(`import.target.${v}`))));
  return h('div', { class: 'import-table-wrap' },
    h('table', { class: 'import-table', id: 'import-table' },
      h('thead', {},
        h('tr', {}, p.headers.map((hd) => h('th', { scope: 'col' }, hd))),
        h('tr', {}, p.headers.map((_, i) => h('th', { class: p.mapping[i] === 'ignore' ? 'ignored' : '' }, select(i))))),
      h('tbody', {}, p.rows.slice(0, SAMPLE_ROWS).map((r) => h('tr', {}, r.map((cell, i) =>
        h('td', { class: p.mapping[i] === 'ignore' ? 'ignored' : '' }, cell)))))));
}

function summary(c) {
  return h('ul', { class: 'import-counts' },
    h('li', { id: 'import-valid' }, t('import.count.valid', { n: c.valid, rows: c.rows })),
    c.invalid ? h('li', { class: 'warning', id: 'import-invalid' }, t('import.count.invalid', { n: c.invalid })) : null,
    c.duplicates_existing ? h('li', {}, t('import.count.dup_existing', { n: c.duplicates_existing })) : null,
    c.duplicates_in_file ? h('li', {}, t('import.count.dup_file', { n: c.duplicates_in_file })) : null,
    h('li', { id: 'import-plan' }, t('import.count.plan', { create: c.will_create, fill: c.will_fill, skip: c.will_skip })));
}

function errorList(c, request) {
  return h('div', { class: 'import-errors' },
    h('h3', {}, t('import.errors.title', { n: c.error_count })),
    h('div', { class: 'import-table-wrap' },
      h('table', { class: 'import-table', id: 'import-errors' },
        h('thead', {}, h('tr', {}, ['row', 'column', 'value', 'message'].map((k) => h('th', { scope: 'col' }, t(`import.errors.${k}`))))),
        h('tbody', {}, c.errors.map((e) => h('tr', {},
          h('td', {}, String(e.row)), h('td', {}, e.column), h('td', {}, e.value),
          h('td', {}, t(`invalid.${e.code}`, { max: e.max }))))))),
    c.error_count > c.errors.length ? h('p', { class: 'muted' }, t('import.errors.more', { n: c.error_count - c.errors.length })) : null,
    h('button', { type: 'button', class: 'btn small', id: 'import-save-errors', onclick: async () => {
      try {
        const path = await api.importErrorsSave(request, language());
        toast(t('import.errors.saved'), path);
      } catch (e) {
        showError(e);
      }
    } }, t('import.errors.save')));
}

/** The Settings card: import a file, and the last import with its undo. */
export function importCard() {
  const last = h('div', { id: 'last-import', 'aria-live': 'polite' });
  const redraw = async () => {
    try {
      const b = await api.importLast();
      clear(last);
      if (b) last.append(lastImport(b, redraw));
    } catch (e) {
      showError(e);
    }
  };
  redraw();
  return h('section', { class: 'card settings-card', id: 'import-card' },
    h('h2', {}, t('import.card')),
    h('p', { class: 'muted' }, t('import.hint')),
    h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'btn primary', id: 'import-customers', onclick: pickAndImport }, t('import.button'))),
    last);
}

function lastImport(b, redraw) {
  const undone = Boolean(b.undone_at);
  return h('p', { class: 'last-import' },
    t('import.last', { when: dateTime(b.at), file: b.file, created: b.created, updated: b.updated }), ' ',
    undone ? h('span', { class: 'chip' }, t('import.undone'))
      : b.changed_since ? h('span', { class: 'muted' }, t('import.cannot_undo', { n: b.changed_since }))
        : h('button', { type: 'button', class: 'btn small', id: 'import-undo', onclick: async () => {
          const undone = await openDialog({
            id: 'import-undo-dialog',
            title: t('import.undo'),
            body: h('p', { class: 'wide' }, t('import.undo_confirm', { created: b.created, updated: b.updated })),
            submitLabel: t('import.undo'),
            submit: () => api.importUndo(b.id),
          });
          if (undone) toast(t('import.undo_done'));
          await redraw();
        } }, t('import.undo')));
}


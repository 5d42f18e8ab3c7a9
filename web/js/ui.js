// ui.js - small DOM helpers shared by the pages: element builder, tables that
// stack into cards on a phone, status badges, form fields with a place for
// their error, and showing a problem+json's field errors next to the fields.
import { t, tv } from './i18n.js';
import { errorKey } from './api.js';

// h('div', {class: 'x', onclick: fn, dataset: {...}}, child, ...): children
// may be strings, nodes, arrays, null or false.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'selected') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

export function badge(prefix, value) {
  return h('span', { class: 'badge badge-' + String(value || 'none'), dataset: { value: value || '' } }, tv(prefix, value));
}

// columns: [{key: 'i18n key of the header', cell: (row) => node|string, class}]
// On narrow screens each row becomes a card and each cell shows its header.
export function table(columns, rows, opts = {}) {
  if (!rows.length) return h('p', { class: 'empty' }, t(opts.emptyKey || 'common.empty'));
  const head = h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.class }, t(c.key))));
  const body = rows.map((r) => h('tr', { dataset: opts.rowData ? opts.rowData(r) : undefined },
    columns.map((c) => h('td', { class: c.class, 'data-label': t(c.key) }, c.cell(r)))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' }, h('thead', null, head), h('tbody', null, body)));
}

// A labelled control with its error slot.  f: {name, label (key), type,
// options: [[value, labelText]], pointer (default /name), dtype (see
// form.js), value, required, attrs, hint (key), wide}.
export function field(f) {
  const id = 'f-' + (f.idPrefix || '') + f.name.replace(/[^\w-]/g, '_');
  let input;
  if (f.type === 'select') {
    input = h('select', { id, name: f.name, ...(f.attrs || {}) },
      (f.options || []).map(([v, label]) => h('option', { value: v, selected: String(f.value ?? '') === String(v) }, label)));
  } else if (f.type === 'textarea') {
    input = h('textarea', { id, name: f.name, rows: 2, ...(f.attrs || {}) });
    input.value = f.value ?? '';
  } else {
    input = h('input', { id, name: f.name, type: f.type || 'text', value: f.value ?? '', ...(f.attrs || {}) });
  }
  if (f.required) input.required = true;
  const pointer = f.pointer || '/' + f.name;
  input.dataset.pointer = pointer;
  if (f.dtype) input.dataset.type = f.dtype;
  return h('div', { class: 'field' + (f.wide ? ' wide' : '') },
    h('label', { for: id }, t(f.label), f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    input,
    f.hint ? h('small', { class: 'hint' }, t(f.hint)) : null,
    h('p', { class: 'field-error', role: 'alert', dataset: { errorFor: pointer } }));
}

// The API's generic phrasings (the body checks of jsonspec) in the reader's
// language; the API's own words for the checks of meaning (plates, HS codes).
const PHRASES = [
  [/^is required\b/, 'err.required'],
  [/^must be one of: (?<list>.*)$/, 'err.oneOf'],
  [/^must be between (?<min>-?[\d.]+) and (?<max>-?[\d.]+)$/, 'err.between'],
  [/^must be at least (?<n>\d+) characters$/, 'err.minChars'],
  [/^must be at most (?<n>\d+) characters$/, 'err.maxChars'],
  [/^must be (?<min>\d+) to (?<max>\d+) characters$/, 'err.rangeChars'],
  [/^must be an integer$/, 'err.integer'],
  [/^must be a number$/, 'err.number'],
  [/^must be a string$/, 'err.string'],
];

export function errorText(detail) {
  if (!detail) return t('err.invalid');
  for (const [re, key] of PHRASES) {
    const m = re.exec(detail);
    if (m) return t(key, m.groups);
  }
  return detail;
}

export function clearErrors(root) {
  for (const p of root.querySelectorAll('.field-error')) p.textContent = '';
  for (const el of root.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const box of root.querySelectorAll('.form-problem')) clear(box).hidden = true;
}

// The error slot of pointer key in root, or of its nearest parent that has
// one ("/containers/0/seals/2" falls back to "/containers/0/seals").
function slotFor(root, key) {
  let k = key;
  while (k) {
    const slot = root.querySelector(`[data-error-for="${CSS.escape(k)}"]`);
    if (slot) return slot;
    if (!k.startsWith('/')) return null;
    k = k.slice(0, k.lastIndexOf('/'));
  }
  return null;
}

// Puts every error of err (ApiError or other) next to its field in root;
// those with no field go in root's .form-problem box.  Answers how many
// errors were shown next to fields.
export function showProblem(root, err) {
  clearErrors(root);
  const box = root.querySelector('.form-problem');
  const loose = [];
  let placed = 0;
  const errors = err && err.errors ? err.errors : [];
  for (const e of errors) {
    const key = errorKey(e);
    const slot = slotFor(root, key);
    if (slot) {
      const at = slot.dataset.errorFor;
      const text = (at !== key ? key.slice(at.length + 1) + ': ' : '') + errorText(e.detail);
      slot.textContent = slot.textContent ? slot.textContent + ' · ' + text : text;
      const input = root.querySelector(`[data-pointer="${CSS.escape(at)}"]`);
      if (input) input.setAttribute('aria-invalid', 'true');
      placed++;
    } else {
      loose.push((key ? key + ': ' : '') + errorText(e.detail));
    }
  }
  if (box) {
    const title = err && err.status ? problemTitle(err) : t('err.network');
    box.append(h('strong', null, title));
    if (loose.length) box.append(h('ul', null, loose.map((s) => h('li', null, s))));
    box.hidden = false;
  }
  return placed;
}

export function problemTitle(err) {
  const byStatus = { 400: 'err.400', 401: 'err.401', 403: 'err.403', 404: 'err.404', 409: 'err.409', 412: 'err.412', 422: 'err.422' };
  const key = byStatus[err.status] || 'err.other';
  return t(key, { status: err.status });
}

// A box for messages about the whole page (load failures, successes).
export function notice(kind, text) {
  return h('div', { class: 'notice notice-' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
}

// An error slot for a whole group of fields (e.g. "/goods").
export function groupError(pointer) {
  return h('p', { class: 'field-error', role: 'alert', dataset: { errorFor: pointer } });
}

export function loading() { return h('p', { class: 'loading' }, t('common.loading')); }

export function errorNotice(err) {
  if (!err || !err.status) return notice('error', t('err.network'));
  return notice('error', problemTitle(err) + (err.problem && err.problem.detail ? ': ' + err.problem.detail : ''));
}

// A section with a heading and optional actions at the right.
export function section(titleKey, actions, ...body) {
  return h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h2', null, t(titleKey)), actions ? h('div', { class: 'actions' }, actions) : null),
    body);
}

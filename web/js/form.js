// form.js - JSON bodies from forms: each control names the JSON pointer it
// fills (data-pointer) and its type (data-type: string, int, number, bool, list);
// empty controls are left out so that the API reports what is missing.
// Repeating groups (goods lines, containers) are rows whose pointers carry
// their index, renumbered when a row is removed.
import { h } from './ui.js';
import { t } from './i18n.js';

function setPointer(obj, pointer, value) {
  const parts = pointer.split('/').slice(1);
  let o = obj;
  parts.forEach((p, i) => {
    const key = /^\d+$/.test(p) ? Number(p) : p;
    if (i === parts.length - 1) { o[key] = value; return; }
    if (o[key] === undefined) o[key] = /^\d+$/.test(parts[i + 1]) ? [] : {};
    o = o[key];
  });
}

function value(el) {
  const raw = el.value.trim();
  if (raw === '') return undefined;
  switch (el.dataset.type) {
    case 'int': return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    case 'number': { const n = Number(raw.replace(',', '.')); return isNaN(n) ? raw : n; }
    case 'bool': return raw === 'true';
    case 'list': return raw.split(',').map((s) => s.trim()).filter(Boolean);
    default: return raw;
  }
}

// The body the enabled controls of form describe; arrays without holes.
export function readBody(form) {
  const body = {};
  for (const el of form.querySelectorAll('[data-pointer]')) {
    if (el.disabled || !el.dataset.pointer.startsWith('/')) continue;
    const v = value(el);
    if (v !== undefined) setPointer(body, el.dataset.pointer, v);
  }
  // Rows may be partly filled: keep the array dense so indexes stay those shown.
  for (const el of form.querySelectorAll('[data-repeat]')) {
    const name = el.dataset.repeat;
    const n = el.querySelectorAll(':scope > .row').length;
    if (!n) continue;
    body[name] = body[name] || [];
    for (let i = 0; i < n; i++) if (body[name][i] === undefined) body[name][i] = {};
  }
  return body;
}

// A repeating group: name (body member), makeRow(index, values) -> node
// holding fields whose pointers start with /name/index/.
export function repeater({ name, addKey, makeRow, rows = [] }) {
  const box = h('div', { class: 'repeat', dataset: { repeat: name } });
  const renumber = () => {
    [...box.querySelectorAll(':scope > .row')].forEach((row, i) => {
      row.dataset.index = i;
      for (const el of row.querySelectorAll('[data-pointer], [data-error-for]')) {
        for (const a of ['pointer', 'errorFor']) {
          if (el.dataset[a]) el.dataset[a] = el.dataset[a].replace(new RegExp('^/' + name + '/\\d+'), '/' + name + '/' + i);
        }
      }
      const num = row.querySelector('.row-number');
      if (num) num.textContent = String(i + 1);
    });
  };
  const add = (values) => {
    const i = box.querySelectorAll(':scope > .row').length;
    const row = h('fieldset', { class: 'row', dataset: { index: i } },
      h('legend', null, h('span', { class: 'row-number' }, String(i + 1))),
      makeRow(i, values || {}),
      h('button', { type: 'button', class: 'btn btn-quiet row-remove', onclick: () => { row.remove(); renumber(); box.dispatchEvent(new Event('input', { bubbles: true })); } },
        t('common.removeRow')));
    box.append(row);
  };
  rows.forEach((r) => add(r));
  const addBtn = h('button', { type: 'button', class: 'btn btn-quiet', dataset: { add: name }, onclick: () => add() }, t(addKey));
  return { box, addBtn, add };
}

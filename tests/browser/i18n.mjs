// i18n.mjs - the dashboard's dictionaries are complete: every language has
// the same keys with non-empty text and the same {placeholders}, and every
// key the code names ('ns.key' literals of a dictionary namespace, and
// data-i18n attributes) is in every language.  Needs only node.
//   node i18n.mjs WEB_ROOT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const webRoot = path.resolve(process.argv[2] || '');
const LANGS = ['vi', 'zh', 'en'];

function dict(lang) {
  return JSON.parse(fs.readFileSync(path.join(webRoot, 'i18n', lang + '.json'), 'utf8'));
}

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'vendor' || e.name === 'node_modules' ? [] : sources(p);
    return /\.(js|html)$/.test(e.name) ? [p] : [];
  });
}

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// What is wrong with a set of dictionaries {lang: {key: text}}, one line each.
function problemsOf(dicts) {
  const all = new Set(LANGS.flatMap((l) => Object.keys(dicts[l])));
  const problems = [];
  for (const key of all) {
    for (const l of LANGS) {
      const s = dicts[l][key];
      if (typeof s !== 'string' || !s.trim()) problems.push(`${l}: ${key} missing or empty`);
      else if (JSON.stringify(placeholders(s)) !== JSON.stringify(placeholders(dicts.en[key] || '')))
        problems.push(`${l}: ${key} has placeholders ${placeholders(s)}, en has ${placeholders(dicts.en[key] || '')}`);
    }
  }
  return problems;
}

test('every language has the same keys, none empty, with the same placeholders', () => {
  assert.deepEqual(problemsOf(Object.fromEntries(LANGS.map((l) => [l, dict(l)]))), []);
});

test('every key the code names is in every language', () => {
  const dicts = Object.fromEntries(LANGS.map((l) => [l, dict(l)]));
  const namespaces = new Set(Object.keys(dicts.en).map((k) => k.split('.')[0]));
  const used = new Map();
  for (const file of sources(webRoot)) {
    const text = fs.readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const found = [...text.matchAll(/'([a-z][A-Za-z]*\.[A-Za-z0-9_.]*[A-Za-z0-9_])'/g)].map((m) => m[1])
      .concat([...text.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)].map((m) => m[1]));
    for (const k of found) if (namespaces.has(k.split('.')[0])) used.set(k, path.relative(webRoot, file));
  }
  assert.ok(used.size > 100, 'the scan finds the keys (' + used.size + ')');
  const missing = [];
  for (const [k, file] of used) for (const l of LANGS) if (!(k in dicts[l])) missing.push(`${l}: ${k} (${file})`);
  assert.deepEqual(missing, []);
});

test('the check catches a missing key and a lost placeholder', () => {
  const dicts = Object.fromEntries(LANGS.map((l) => [l, dict(l)]));
  delete dicts.vi['nav.overview'];
  dicts.zh['tasks.decided'] = 'x';
  assert.deepEqual(problemsOf(dicts).sort(), ['vi: nav.overview missing or empty',
    'zh: tasks.decided has placeholders , en has id,state,status']);
});

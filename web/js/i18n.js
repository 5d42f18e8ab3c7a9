// i18n.js - the dashboard's languages: Vietnamese, Chinese and English
// dictionaries (web/i18n/<lang>.json, one flat key space), the chosen language
// (localStorage), t(key, vars) and the translation of elements marked with
// data-i18n (text), data-i18n-placeholder, data-i18n-title, data-i18n-aria-label.
export const LANGS = ['vi', 'zh', 'en'];
const LANG_KEY = 'landport.lang';
const dicts = {};
let lang = 'vi';
const listeners = [];

export async function loadLanguages() {
  await Promise.all(LANGS.map(async (l) => {
    const res = await fetch('i18n/' + l + '.json');
    dicts[l] = await res.json();
  }));
  const saved = localStorage.getItem(LANG_KEY);
  const fromBrowser = (navigator.language || '').slice(0, 2);
  lang = LANGS.includes(saved) ? saved : LANGS.includes(fromBrowser) ? fromBrowser : 'vi';
  document.documentElement.lang = lang;
}

export function getLang() { return lang; }

export function setLang(l) {
  if (!LANGS.includes(l) || l === lang) return;
  lang = l;
  localStorage.setItem(LANG_KEY, l);
  document.documentElement.lang = l;
  for (const fn of listeners) fn(l);
}

export function onLangChange(fn) { listeners.push(fn); }

// The text of key in the current language with {name} replaced from vars.
// A key missing from the dictionary shows as ⟦key⟧ so that tests catch it.
export function t(key, vars) {
  let s = dicts[lang] && dicts[lang][key];
  if (typeof s !== 'string') return '⟦' + key + '⟧';
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}

// t() for a value of an enumeration ("status.pending"), falling back to the
// raw value when the API sends one the dashboard does not know yet.
export function tv(prefix, value) {
  if (value === null || value === undefined || value === '') return '—';
  const key = prefix + '.' + value;
  return dicts[lang] && typeof dicts[lang][key] === 'string' ? dicts[lang][key] : String(value);
}

export function translateTree(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const attr of ['placeholder', 'title', 'aria-label']) {
    const data = 'data-i18n-' + attr;
    for (const el of root.querySelectorAll('[' + data + ']')) el.setAttribute(attr, t(el.getAttribute(data)));
  }
}

// app.js - the dashboard shell: sign-in with a token, the header (gate name,
// clocks of both sides, language, who is signed in, sign out), the
// navigation built from the page registry for the token's role, and the
// hash router (#/page?x=y) that renders one page at a time.
import * as api from './api.js';
import { loadLanguages, t, tv, getLang, setLang, LANGS, onLangChange } from './i18n.js';
import { pagesFor, page as findPage } from './registry.js';
import { site, forget as forgetSite, localName } from './site.js';
import { timeOnly, GATE_TZ, PARTNER_TZ } from './format.js';
import { h, clear, errorNotice, problemTitle } from './ui.js';
import { startAlerts, stopAlerts, paintBadge } from './agvalerts.js';
import * as gateclock from './gateclock.js';
import './pages/index.js';

const LANG_NAMES = { vi: 'Tiếng Việt', zh: '中文', en: 'English' };
const state = { who: null, company: null, controller: null, clockTimer: null, signInError: null };

const topbar = document.getElementById('topbar');
const nav = document.getElementById('nav');
const main = document.getElementById('main');

function langSelect() {
  return h('label', { class: 'lang' },
    h('span', { class: 'sr-only' }, t('shell.language')),
    h('select', { id: 'lang', 'aria-label': t('shell.language'), onchange: (e) => setLang(e.target.value) },
      LANGS.map((l) => h('option', { value: l, selected: l === getLang(), lang: l }, LANG_NAMES[l]))));
}

function clocks() {
  const now = gateclock.now();
  return h('div', { class: 'clocks', id: 'clocks' },
    h('span', { class: 'clock', title: GATE_TZ }, t('shell.timeVN'), ' ', h('b', null, timeOnly(now, GATE_TZ))),
    h('span', { class: 'clock', title: PARTNER_TZ }, t('shell.timeCN'), ' ', h('b', null, timeOnly(now, PARTNER_TZ))));
}

async function renderTopbar() {
  let gateName = '';
  if (state.who) {
    try { const s = await site(); gateName = localName(s.gates[0]); } catch { gateName = ''; }
  }
  clear(topbar).append(
    h('div', { class: 'brand' }, h('img', { src: 'favicon.svg', alt: '', width: 28, height: 28 }),
      h('div', null, h('strong', null, 'landport'), h('span', { class: 'gate-name' }, gateName || t('shell.tagline')))),
    clocks(),
    h('div', { class: 'who' },
      langSelect(),
      state.who ? h('span', { class: 'user', id: 'user' },
        h('span', { class: 'role', dataset: { role: state.who.role } }, tv('role', state.who.role)),
        state.company ? h('span', { class: 'company' }, state.company.name) : null) : null,
      state.who ? h('button', { type: 'button', class: 'btn btn-quiet', id: 'signout', onclick: () => signOut() },
        t('shell.signOut')) : null));
  clearInterval(state.clockTimer);
  state.clockTimer = setInterval(() => {
    const c = document.getElementById('clocks');
    if (c) c.replaceWith(clocks());
  }, 5000);
}

function renderSignIn() {
  nav.hidden = true;
  clear(nav);
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    spellcheck: 'false', placeholder: 'lp_…' });
  const err = h('p', { class: 'field-error', role: 'alert', id: 'signin-error' },
    state.signInError ? state.signInError : '');
  const form = h('form', { class: 'panel signin', id: 'signin', onsubmit: async (e) => {
    e.preventDefault();
    const tok = input.value.trim();
    if (!tok) { err.textContent = t('auth.tokenMissing'); return; }
    try {
      const who = await api.get('/whoami', { token: tok });
      api.setToken(tok);
      state.signInError = null;
      await startSession(who);
    } catch (ex) {
      err.textContent = ex.status === 401 ? t('auth.badToken') : ex.status ? problemTitle(ex) : t('err.network');
    }
  } },
  h('h1', null, t('auth.title')),
  h('p', { class: 'lead' }, t('auth.lead')),
  h('div', { class: 'field' }, h('label', { for: 'token' }, t('auth.token')), input, err),
  h('button', { type: 'submit', class: 'btn btn-primary', id: 'signin-submit' }, t('auth.submit')),
  h('p', { class: 'hint' }, t('auth.hint')));
  clear(main).append(form);
  input.focus();
}

async function startSession(who) {
  state.who = who;
  state.company = null;
  gateclock.stop();
  gateclock.sync(who.now);
  gateclock.start();
  if (who.company_id) {
    try { state.company = await api.get('/companies/' + who.company_id); } catch { state.company = null; }
  }
  startAlerts(who);
  await renderTopbar();
  if (!location.hash || location.hash === '#' || location.hash === '#/') navigate(defaultPage());
  else route();
}

function signOut(reasonKey) {
  api.clearToken();
  if (state.controller) state.controller.abort();
  stopAlerts();
  gateclock.stop();
  state.who = null;
  state.company = null;
  state.signInError = reasonKey ? t(reasonKey) : null;
  forgetSite();
  history.replaceState(null, '', location.pathname);
  renderTopbar();
  renderSignIn();
}

function defaultPage() {
  const list = pagesFor(state.who.role);
  return list.length ? list[0].id : '';
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [id, qs] = raw.split('?');
  return { id, params: Object.fromEntries(new URLSearchParams(qs || '')) };
}

export function navigate(id, params) {
  const qs = params ? new URLSearchParams(params).toString() : '';
  const target = '#/' + id + (qs ? '?' + qs : '');
  if (location.hash === target) route();
  else location.hash = target;
}

function renderNav(currentId) {
  const list = pagesFor(state.who.role);
  clear(nav).append(h('ul', null, list.map((p) => h('li', null,
    h('a', { href: '#/' + p.id, id: 'nav-' + p.id, 'aria-current': p.id === currentId ? 'page' : null }, t(p.title))))));
  nav.hidden = list.length === 0;
  paintBadge();
}

async function route() {
  if (!state.who) return;
  const { id, params } = parseHash();
  const allowed = pagesFor(state.who.role);
  const page = allowed.find((p) => p.id === id) || (id ? null : allowed[0]);
  renderNav(page ? page.id : '');
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  clear(main);
  if (!allowed.length) {
    main.append(h('div', { class: 'panel' }, h('h1', null, t('shell.noPagesTitle')),
      h('p', null, t('shell.noPages', { role: tv('role', state.who.role) }))));
    return;
  }
  if (!page) {
    main.append(h('div', { class: 'panel' }, h('h1', null, t(findPage(id) ? 'shell.forbiddenTitle' : 'shell.notFoundTitle')),
      h('p', null, h('a', { href: '#/' + allowed[0].id }, t('shell.backHome')))));
    return;
  }
  document.title = t(page.title) + ' · landport';
  const el = h('div', { class: 'page', id: 'page-' + page.id, dataset: { page: page.id } });
  main.append(h('h1', { class: 'page-title' }, t(page.title)), el);
  const ctx = {
    el, who: state.who, company: state.company, params, signal: controller.signal,
    refresh: () => route(), navigate,
  };
  try {
    await page.render(ctx);
  } catch (err) {
    if (controller.signal.aborted) return;
    if (err && err.name === 'AbortError') return;
    if (!(err instanceof api.ApiError)) console.error(err);
    el.replaceChildren(errorNotice(err));
  }
}

async function boot() {
  await loadLanguages();
  api.setUnauthorizedHandler(() => { if (state.who) signOut('auth.expired'); });
  onLangChange(async () => {
    await renderTopbar();
    if (state.who) route(); else renderSignIn();
  });
  window.addEventListener('hashchange', () => route());
  const tok = api.getToken();
  if (tok) {
    try {
      const who = await api.get('/whoami');
      await startSession(who);
      return;
    } catch (err) {
      api.clearToken();
      state.signInError = err.status === 401 ? t('auth.expired') : null;
    }
  }
  await renderTopbar();
  renderSignIn();
}

boot();

// inspection.js - the AGV inspection stop (border guard; operator and admin
// read it): the missions held at the stop, each with a Release button that
// needs a reason (POST /api/v1/agv-missions/{id}/release; the API's field
// errors show next to the reason), and the missions on their way to it.
// Follows the event stream: a mission that reaches the stop appears, a
// released one leaves the held list.
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { h, badge, field, showProblem, clearErrors, notice, errorNotice, loading, section } from '../ui.js';
import { follow, debounce } from '../live.js';
import { bothTimes, zoneName } from './road.js';

function facts(m) {
  return h('dl', { class: 'facts' },
    h('dt', null, t('insp.vehicle')), h('dd', null, m.agv || '—'),
    h('dt', null, t('insp.route')), h('dd', null, zoneName(m.from_zone), ' → ', zoneName(m.to_zone)),
    m.declaration_id ? [h('dt', null, t('insp.declaration')), h('dd', null, m.declaration_id)] : null,
    m.started_at ? [h('dt', null, t('road.started')), h('dd', null, bothTimes(m.started_at))] : null,
    m.handover_at ? [h('dt', null, t('insp.handover')), h('dd', null, bothTimes(m.handover_at))] : null);
}

function releaseForm(ctx, m) {
  const form = h('form', { class: 'decision', dataset: { mission: m.id } },
    field({ name: 'reason', idPrefix: 'm' + m.id, label: 'insp.reason', type: 'textarea', hint: 'insp.reasonHint', attrs: { maxlength: 500 } }),
    h('div', { class: 'actions-row' }, h('button', { type: 'submit', class: 'btn btn-ok', dataset: { act: 'release' } }, t('insp.release'))),
    h('div', { class: 'form-problem', hidden: true }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const reason = form.elements.reason.value.trim();
    const button = form.querySelector('button');
    clearErrors(form);
    button.disabled = true;
    try {
      await api.post('/agv-missions/' + m.id + '/release', reason ? { reason } : {});
      ctx.flash = t('insp.released', { id: m.id, agv: m.agv || '—' });
      await fill(ctx);
    } catch (err) {
      showProblem(form, err);
      button.disabled = false;
    }
  });
  return form;
}

function card(ctx, m, guard) {
  return h('article', { class: 'card mission', dataset: { mission: m.id, state: m.state } },
    h('header', null, h('h3', null, t('road.missionNo', { id: m.id })), badge('missionState', m.state)),
    facts(m),
    m.state === 'held_at_inspection' && guard ? releaseForm(ctx, m) : null);
}

async function fill(ctx) {
  try {
    const get = (state) => api.get('/agv-missions' + api.query({ state, limit: 200 }), { signal: ctx.signal });
    const [held, running] = await Promise.all([get('held_at_inspection'), get('running')]);
    // entering Vietnam: the route passes km 0 before the stop (northbound ones pass it without stopping)
    const coming = running.items.filter((m) => !m.released_at && Array.isArray(m.route)
      && m.route.indexOf(ctx.km0) >= 0 && m.route.indexOf(ctx.stop) > m.route.indexOf(ctx.km0));
    const guard = ctx.who.role === 'border_guard';
    ctx.box.replaceChildren(
      ctx.flash ? notice('ok', ctx.flash) : '',
      section('insp.held', null, held.items.length
        ? h('div', { class: 'cards', id: 'held-missions' }, held.items.map((m) => card(ctx, m, guard)))
        : h('p', { class: 'empty', id: 'no-held' }, t('insp.noneHeld'))),
      section('insp.coming', null, coming.length
        ? h('div', { class: 'cards', id: 'coming-missions' }, coming.map((m) => card(ctx, m, guard)))
        : h('p', { class: 'empty', id: 'no-coming' }, t('insp.noneComing'))));
    ctx.flash = null;
  } catch (err) {
    if (err.name !== 'AbortError') ctx.box.replaceChildren(errorNotice(err));
  }
}

async function render(ctx) {
  ctx.el.append(loading());
  let road;
  try {
    road = await api.get('/road', { signal: ctx.signal });
  } catch (err) {
    if (err.status !== 503) throw err;
    ctx.el.replaceChildren(notice('error', t('road.fleetOff')));
    return;
  }
  const zone = (id) => (road.zones.find((z) => z.id === id) || {}).node;
  ctx.stop = zone('inspection');
  ctx.km0 = zone('km0');
  ctx.box = h('div', { id: 'inspection-list' }, loading());
  ctx.el.replaceChildren(h('p', { class: 'lead' }, t(ctx.who.role === 'border_guard' ? 'insp.lead' : 'insp.leadReadOnly')), ctx.box);
  const again = debounce(() => {
    // a reason being typed is not thrown away by a refresh
    if (ctx.box.querySelector('textarea:focus') || [...ctx.box.querySelectorAll('textarea')].some((x) => x.value)) return again();
    fill(ctx);
  }, 500, ctx.signal);
  follow({ signal: ctx.signal, query: { types: 'agv_mission' }, onEvent: () => again() });
  await fill(ctx);
}

registerPage({ id: 'inspection', title: 'nav.inspection', roles: ['border_guard', 'operator', 'admin'], order: 26, render });

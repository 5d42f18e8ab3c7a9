// gatefindings.js - what the gate read and why it held a truck, as the
// officer deciding a gate_exception task and the operator watching the
// open exceptions need it: plate, trailer, containers, seals, the
// weighbridge against the declaration, and every reason of the hold (its
// code in the reader's language, the gate's own wording beside it).
import { t, tv } from './i18n.js';
import { number } from './format.js';
import { h } from './ui.js';

function ocr(r) {
  if (!r || r.text === undefined) return null;
  return (r.text || t('gate.unread')) + (r.confidence !== undefined ? ' (' + number(r.confidence / 10, 1) + ' %)' : '');
}

// The plate the gate read (for lists), or '' when none.
export function plateRead(details) {
  const p = details && details.readings && details.readings.plate;
  return p && p.text ? p.text : '';
}

// The reasons of a hold: a list, one item per reason (data-code on each).
export function reasonList(reasons) {
  return h('ul', { class: 'reasons' }, (reasons || []).map((r) => h('li', { dataset: { code: r.code } },
    h('strong', null, tv('gateReason', r.code)),
    r.agency ? [' · ', tv('agency', r.agency)] : null,
    r.message ? h('span', { class: 'muted' }, ' — ' + r.message) : null)));
}

// The whole finding of a gate_exception task's details {lane, readings, reasons, ...}.
export function gateFindings(details, pointLabel) {
  const rd = (details && details.readings) || {};
  const w = rd.weight_check;
  return h('div', { class: 'gate-findings' },
    h('h4', null, t('gate.findings')),
    h('dl', { class: 'facts' },
      h('dt', null, t('gate.lane')), h('dd', null, (pointLabel ? pointLabel + ' · ' : '') + t('gate.laneN', { n: details.lane })),
      h('dt', null, t('gate.plate')), h('dd', null, ocr(rd.plate) || '—'),
      rd.trailer_plate ? [h('dt', null, t('gate.trailer')), h('dd', null, ocr(rd.trailer_plate))] : null,
      h('dt', null, t('gate.containers')), h('dd', null, (rd.containers || []).map((c) => ocr({ text: c.number, confidence: c.confidence })).join('; ') || '—'),
      h('dt', null, t('gate.seals')), h('dd', null, (rd.seals || []).join(', ') || '—'),
      w ? [h('dt', null, t('gate.weight')), h('dd', null, t('gate.weightText', {
        read: number(w.read_kg, 1), expected: number(w.expected_kg, 1), tolerance: number(w.tolerance_kg, 1) }))] : null),
    reasonList(details.reasons));
}

// site.js - the gate's registry data every page shares (gate pairs and
// crossing points), fetched once per sign-in, with names in the reader's language.
import * as api from './api.js';
import { getLang } from './i18n.js';

let cache = null;

export function forget() { cache = null; }

// {gates: [...], points: [...]}: the whole registry (a few rows).
export async function site() {
  if (!cache) {
    cache = Promise.all([api.get('/gates?limit=500'), api.get('/crossing-points?limit=500')])
      .then(([g, p]) => ({ gates: g.items, points: p.items }))
      .catch((e) => { cache = null; throw e; });
  }
  return cache;
}

// name, name_vi or name_zh of a gate pair or crossing point.
export function localName(rec) {
  if (!rec) return '—';
  const l = getLang();
  return (l === 'vi' && rec.name_vi) || (l === 'zh' && rec.name_zh) || rec.name;
}

export async function pointName(id) {
  const s = await site();
  const p = s.points.find((x) => x.id === id);
  return p ? localName(p) : id;
}

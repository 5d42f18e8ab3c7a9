// vehicles.js - a company's vehicles: list and registration (plates are
// checked by the API against the Vietnamese or Chinese format).
import { registerPage } from '../registry.js';
import { tv } from '../i18n.js';
import { number } from '../format.js';
import { badge } from '../ui.js';
import { resourcePage } from '../resource.js';

const country = (v) => [v, tv('country', v)];

registerPage({
  id: 'vehicles', title: 'nav.vehicles', roles: ['company'], order: 20,
  render: resourcePage({
    id: 'vehicles', path: '/vehicles', addKey: 'veh.add', savedKey: 'veh.saved', formTitle: 'veh.title',
    columns: [
      { key: 'veh.plate', cell: (v) => v.plate },
      { key: 'veh.kind', cell: (v) => tv('transport', v.kind) },
      { key: 'veh.country', cell: (v) => tv('country', v.plate_country) },
      { key: 'veh.trailer', cell: (v) => v.trailer_plate || '—' },
      { key: 'veh.maxGross', cell: (v) => (v.max_gross_kg ? number(v.max_gross_kg) + ' kg' : '—'), class: 'num' },
      { key: 'common.status', cell: (v) => badge('recordStatus', v.status) },
    ],
    fields: () => [
      { name: 'kind', label: 'veh.kind', type: 'select', options: [['truck', tv('transport', 'truck')], ['agv', tv('transport', 'agv')]] },
      { name: 'plate_country', label: 'veh.country', type: 'select', options: [country('VN'), country('CN')] },
      { name: 'plate', label: 'veh.plate', required: true, attrs: { placeholder: '29C-123.45' } },
      { name: 'trailer_country', label: 'veh.trailerCountry', type: 'select', options: [['', '—'], country('VN'), country('CN')] },
      { name: 'trailer_plate', label: 'veh.trailer', attrs: { placeholder: '29R-012.34' } },
      { name: 'max_gross_kg', label: 'veh.maxGross', dtype: 'int', attrs: { inputmode: 'numeric' } },
    ],
  }),
});

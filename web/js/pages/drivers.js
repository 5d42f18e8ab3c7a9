// drivers.js - a company's drivers: list (with licence validity) and
// registration (document numbers are checked by the API).
import { registerPage } from '../registry.js';
import { tv } from '../i18n.js';
import { badge } from '../ui.js';
import { resourcePage } from '../resource.js';

registerPage({
  id: 'drivers', title: 'nav.drivers', roles: ['company'], order: 30,
  render: resourcePage({
    id: 'drivers', path: '/drivers', addKey: 'drv.add', savedKey: 'drv.saved', formTitle: 'drv.title',
    columns: [
      { key: 'drv.name', cell: (d) => d.full_name },
      { key: 'drv.nationality', cell: (d) => tv('country', d.nationality) },
      { key: 'drv.document', cell: (d) => tv('docKind', d.document_kind) + ' ' + d.document_number },
      { key: 'drv.licence', cell: (d) => d.licence_number + (d.licence_class ? ' (' + d.licence_class + ')' : '') },
      { key: 'drv.validUntil', cell: (d) => [d.licence_valid_until, ' ', badge('licence', d.licence_status)] },
      { key: 'common.status', cell: (d) => badge('recordStatus', d.status) },
    ],
    fields: () => [
      { name: 'full_name', label: 'drv.name', required: true },
      { name: 'nationality', label: 'drv.nationality', type: 'select', options: [['VN', tv('country', 'VN')], ['CN', tv('country', 'CN')]] },
      { name: 'document_kind', label: 'drv.documentKind', type: 'select',
        options: ['vn_cccd', 'cn_id', 'passport', 'border_pass'].map((k) => [k, tv('docKind', k)]) },
      { name: 'document_number', label: 'drv.documentNumber', required: true },
      { name: 'licence_number', label: 'drv.licence', required: true },
      { name: 'licence_class', label: 'drv.licenceClass', attrs: { placeholder: 'C, FC' } },
      { name: 'licence_valid_until', label: 'drv.validUntil', type: 'date', required: true },
      { name: 'phone', label: 'drv.phone', type: 'tel' },
    ],
  }),
});

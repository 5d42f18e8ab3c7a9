// resource.js - the list-and-register page shape shared by vehicles and
// drivers: a table of the company's records and a form that files a new one
// with every field error shown next to its field.
import * as api from './api.js';
import { t } from './i18n.js';
import { h, field, table, section, showProblem, notice, loading } from './ui.js';
import { readBody } from './form.js';

// spec: {id (page id), path (API collection), columns (see ui.table),
// fields: () => [...] (see ui.field; built at render time, in the reader's
// language), addKey, savedKey, formTitle}
export function resourcePage(spec) {
  return async function render(ctx) {
    ctx.el.append(loading());
    const page = await api.get(spec.path + '?limit=500', { signal: ctx.signal });
    const form = h('form', { class: 'resource-form', id: spec.id + '-form', novalidate: true, hidden: !ctx.params.new },
      h('div', { class: 'form-problem', hidden: true }),
      h('div', { class: 'grid-fields' }, spec.fields().map((f) => field(f))),
      h('div', { class: 'actions-row' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save')),
        h('a', { class: 'btn btn-quiet', href: '#/' + spec.id }, t('common.cancel'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api.post(spec.path, readBody(form));
        ctx.navigate(spec.id, { saved: 1 });
      } catch (err) { showProblem(form, err); }
    });
    const add = h('a', { class: 'btn btn-primary', href: '#/' + spec.id + '?new=1', id: spec.id + '-add', hidden: Boolean(ctx.params.new) },
      t(spec.addKey));
    ctx.el.replaceChildren(
      ctx.params.saved ? notice('ok', t(spec.savedKey)) : '',
      section(spec.formTitle, add, form),
      h('div', { id: spec.id + '-list' }, table(spec.columns, page.items, { rowData: (r) => ({ id: r.id }) })));
  };
}

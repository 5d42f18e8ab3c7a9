// registry.js - the page registry: every page of the dashboard registers here
// (web/js/pages/<page>.js, imported by pages/index.js) with the roles that see
// it; the shell builds the navigation from it.  Yard, queue, AGV map, events
// and invoices arrive as new modules calling registerPage - nothing else in
// the shell changes.
//
// registerPage({
//   id: 'yard',                 // route: #/yard
//   title: 'nav.yard',          // i18n key of the navigation label and heading
//   roles: ['operator', 'admin'],
//   order: 30,                  // place in the navigation (lower first)
//   render: async (ctx) => {},  // fills ctx.el; see app.js for ctx
// });
// ctx: {el, who, params, signal, refresh(), navigate(id, params)}; signal is
// aborted when the page is left or re-rendered (close event streams, timers).
const pages = new Map();

export function registerPage(page) {
  for (const k of ['id', 'title', 'roles', 'render'])
    if (!page[k]) throw new Error('registerPage: ' + k + ' is required');
  if (pages.has(page.id)) throw new Error('registerPage: duplicate page ' + page.id);
  pages.set(page.id, { order: 100, ...page });
}

// The pages role may see, in navigation order.
export function pagesFor(role) {
  return [...pages.values()].filter((p) => p.roles.includes(role)).sort((a, b) => a.order - b.order);
}

export function page(id) { return pages.get(id); }

/* road_plan.c - quickest routes on a road (Dijkstra on travel time at the
 * speed limits, honouring one-way edges) and the geometry of points along
 * edges and routes, for the simulator and the dashboard map. */
#include "core/road.h"

#include <math.h>
#include <string.h>

#include "core/mem.h"

/* A binary min-heap of (time, node) with lazy deletion: a node may be pushed
 * again with a better time; stale entries are skipped when popped. */
typedef struct heap_item {
    double t;
    int node;
} heap_item;

typedef struct heap {
    heap_item *a;
    int n;
} heap;

static void heap_push(heap *h, double t, int node)
{
    int i = h->n++;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (h->a[p].t <= t) break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i].t = t;
    h->a[i].node = node;
}

static heap_item heap_pop(heap *h)
{
    heap_item top = h->a[0], last = h->a[--h->n];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n && h->a[c + 1].t < h->a[c].t) c++;
        if (last.t <= h->a[c].t) break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n > 0) h->a[i] = last;
    return top;
}

/* Whether edge e may be driven leaving node n. */
static int drivable_from(const lp_road *r, int e, int n)
{
    const lp_road_edge *ed = &r->edges[e];
    return ed->from == n ? (ed->dirs & LP_ROAD_FORWARD) != 0 : (ed->dirs & LP_ROAD_BACKWARD) != 0;
}

static double edge_time(const lp_road_edge *e)
{
    return e->length_m / e->speed_mps;
}

/* Fills out from the predecessor edges, walking back from `to`. */
static int unwind(const lp_road *r, const int *via, int from, int to, lp_road_route *out, lp_err *err)
{
    int n = 1, at = to, i;
    while (at != from) {
        at = lp_road_edge_other(r, via[at], at);
        if (++n > LP_ROAD_ROUTE_MAX)
            return lp_err_set(err, LP_ETOOBIG, "the route has more than %d nodes", LP_ROAD_ROUTE_MAX);
    }
    out->n = n;
    at = to;
    for (i = n - 1; i >= 0; i--) {
        out->nodes[i] = at;
        if (i > 0) {
            int e = via[at];
            out->edges[i - 1] = e;
            out->fwd[i - 1] = (signed char)(r->edges[e].to == at);
            at = lp_road_edge_other(r, e, at);
        }
    }
    return LP_OK;
}

static void route_totals(const lp_road *r, lp_road_route *rt)
{
    int i;
    rt->length_m = rt->time_s = 0;
    for (i = 0; i + 1 < rt->n; i++) {
        rt->length_m += r->edges[rt->edges[i]].length_m;
        rt->time_s += edge_time(&r->edges[rt->edges[i]]);
    }
}

int lp_road_plan(const lp_road *r, int from, int to, lp_road_route *out, lp_err *err)
{
    double *best = NULL;
    int *via = NULL, *done = NULL, rc = LP_OK, i;
    heap h = {NULL, 0};
    memset(out, 0, sizeof *out);
    if (!r || from < 0 || from >= r->nnodes || to < 0 || to >= r->nnodes)
        return lp_err_set(err, LP_EINVAL, "route ends must be nodes of the road");
    best = lp_calloc((size_t)r->nnodes, sizeof *best);
    via = lp_calloc((size_t)r->nnodes, sizeof *via);
    done = lp_calloc((size_t)r->nnodes, sizeof *done);
    /* each edge pushes at most once per direction: 2 * nedges + 1 entries */
    h.a = lp_calloc((size_t)r->nedges * 2 + 1, sizeof *h.a);
    for (i = 0; i < r->nnodes; i++) {
        best[i] = INFINITY;
        via[i] = -1;
    }
    best[from] = 0;
    heap_push(&h, 0, from);
    while (h.n > 0) {
        heap_item it = heap_pop(&h);
        int n = it.node;
        if (done[n]) continue;
        done[n] = 1;
        if (n == to) break;
        for (i = r->adj_start[n]; i < r->adj_start[n + 1]; i++) {
            int e = r->adj[i], m = lp_road_edge_other(r, e, n);
            double t = it.t + edge_time(&r->edges[e]);
            if (done[m] || !drivable_from(r, e, n) || t >= best[m]) continue;
            best[m] = t;
            via[m] = e;
            heap_push(&h, t, m);
        }
    }
    if (!done[to]) {
        rc = lp_err_set(err, LP_ENOTFOUND, "no route from node \"%s\" to node \"%s\"", r->nodes[from].id,
                        r->nodes[to].id);
        goto done;
    }
    rc = unwind(r, via, from, to, out, err);
    if (rc == LP_OK) route_totals(r, out);
done:
    lp_free(best);
    lp_free(via);
    lp_free(done);
    lp_free(h.a);
    return rc;
}

int lp_road_route_from_nodes(const lp_road *r, const int *nodes, int n, lp_road_route *out, lp_err *err)
{
    int i, k;
    memset(out, 0, sizeof *out);
    if (n < 1 || n > LP_ROAD_ROUTE_MAX)
        return lp_err_set(err, LP_EINVAL, "a route has 1 to %d nodes", LP_ROAD_ROUTE_MAX);
    for (i = 0; i < n; i++) {
        if (nodes[i] < 0 || nodes[i] >= r->nnodes)
            return lp_err_set(err, LP_EINVAL, "route node %d is not a node of the road", i);
        out->nodes[i] = nodes[i];
    }
    for (i = 0; i + 1 < n; i++) {
        int a = nodes[i], b = nodes[i + 1], e = -1;
        for (k = r->adj_start[a]; k < r->adj_start[a + 1]; k++)
            if (lp_road_edge_other(r, r->adj[k], a) == b && drivable_from(r, r->adj[k], a)) {
                e = r->adj[k];
                break;
            }
        if (e < 0)
            return lp_err_set(err, LP_EINVAL, "no edge may be driven from node \"%s\" to node \"%s\"",
                              r->nodes[a].id, r->nodes[b].id);
        out->edges[i] = e;
        out->fwd[i] = (signed char)(r->edges[e].from == a);
    }
    out->n = n;
    route_totals(r, out);
    return LP_OK;
}

double lp_road_route_pos(const lp_road *r, const lp_road_route *rt, int i)
{
    double pos = 0;
    int k;
    for (k = 0; k < i && k + 1 < rt->n; k++) pos += r->edges[rt->edges[k]].length_m;
    return pos;
}

/* Geometry ------------------------------------------------------------------------------ */

lp_road_point lp_road_edge_point(const lp_road *r, int e, double along_m, int fwd)
{
    const lp_road_edge *ed = &r->edges[e];
    const lp_road_node *a = &r->nodes[ed->from], *b = &r->nodes[ed->to];
    double f = along_m / ed->length_m;
    lp_road_point p;
    if (f < 0) f = 0;
    if (f > 1) f = 1;
    p.x = a->x + (b->x - a->x) * f;
    p.y = a->y + (b->y - a->y) * f;
    p.heading = fwd ? atan2(b->y - a->y, b->x - a->x) : atan2(a->y - b->y, a->x - b->x);
    p.edge = e;
    p.edge_m = f * ed->length_m;
    return p;
}

lp_road_point lp_road_route_point(const lp_road *r, const lp_road_route *rt, double along_m)
{
    lp_road_point p;
    int i;
    if (rt->n < 2) {
        memset(&p, 0, sizeof p);
        p.edge = -1;
        if (rt->n == 1) {
            p.x = r->nodes[rt->nodes[0]].x;
            p.y = r->nodes[rt->nodes[0]].y;
        }
        return p;
    }
    for (i = 0; i + 2 < rt->n && along_m > r->edges[rt->edges[i]].length_m; i++)
        along_m -= r->edges[rt->edges[i]].length_m;
    {
        double len = r->edges[rt->edges[i]].length_m;
        if (along_m > len) along_m = len;
        if (along_m < 0) along_m = 0;
        return lp_road_edge_point(r, rt->edges[i], rt->fwd[i] ? along_m : len - along_m, rt->fwd[i]);
    }
}

double lp_road_edge_project(const lp_road *r, int e, double x, double y, double *off_m)
{
    const lp_road_edge *ed = &r->edges[e];
    const lp_road_node *a = &r->nodes[ed->from], *b = &r->nodes[ed->to];
    double dx = b->x - a->x, dy = b->y - a->y, l2 = dx * dx + dy * dy, f;
    f = l2 > 0 ? ((x - a->x) * dx + (y - a->y) * dy) / l2 : 0;
    if (f < 0) f = 0;
    if (f > 1) f = 1;
    if (off_m) {
        double px = a->x + dx * f - x, py = a->y + dy * f - y;
        *off_m = sqrt(px * px + py * py);
    }
    return f * ed->length_m;
}

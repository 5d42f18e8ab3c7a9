/* traffic_grant.c - requests (routes, grants, the fairness queue of each
 * single-lane block) and releases (progress and left reports).  The rules
 * are at the top of traffic.h. */
#include "core/traffic.h"
#include "core/traffic_internal.h"

#include <string.h>

#include "core/mem.h"

#define EPS 1e-6

static int route_dir(const lp_traffic *t, const traffic_vehicle *v, int i)
{
    return lp_traffic_route_dir(t, &v->route, i);
}

static int is_parking(const lp_traffic *t, int node)
{
    return t->road->nodes[node].spots == LP_ROAD_SPOTS_MANY;
}

static int *holder_of(lp_traffic *t, int kind, int index, int slot)
{
    return kind == LP_TRAFFIC_EDGE ? &t->edge_holder[index * 2 + slot] : &t->node_holder[index * 2 + slot];
}

/* Index of the route node where the block entered at route edge i ends. */
static int block_exit(const lp_traffic *t, const traffic_vehicle *v, int i)
{
    int j = i + 1;
    while (j < v->route.n - 1 && t->road->nodes[v->route.nodes[j]].spots == LP_ROAD_SPOTS_ONE) j++;
    return j;
}

/* Needs ------------------------------------------------------------------------------------ */

static int add_need(lp_traffic *t, int n, int kind, int index, int slot, int dir, double rel)
{
    traffic_hold h = {kind, index, slot, dir, rel};
    t->need[n] = h;
    return n + 1;
}

/* Appends the spots of route node k (arriving and, unless it is the last,
 * departing direction) released at route position rel. */
static int need_spots(lp_traffic *t, const traffic_vehicle *v, int k, double rel, int n)
{
    int node = v->route.nodes[k], s = -1, d;
    if (k > 0) {
        d = route_dir(t, v, k - 1);
        s = traffic__node_slot(t, node, d);
        if (s >= 0) n = add_need(t, n, LP_TRAFFIC_NODE, node, s, d, rel);
    }
    if (k < v->route.n - 1) {
        d = route_dir(t, v, k);
        if (traffic__node_slot(t, node, d) >= 0 && traffic__node_slot(t, node, d) != s)
            n = add_need(t, n, LP_TRAFFIC_NODE, node, traffic__node_slot(t, node, d), d, rel);
    }
    return n;
}

/* Everything vehicle v needs to extend its base from route node i to j:
 * the start spot (first step of a route), then per edge its lane and the
 * spots of its end node (none at a parking node). */
static int collect(lp_traffic *t, const traffic_vehicle *v, int i, int j)
{
    double spot_len = t->cfg.vehicle_length_m + t->cfg.gap_m;
    int n = 0, k;
    if (i == 0 && v->route.n > 1) {
        int d = route_dir(t, v, 0), s = traffic__node_slot(t, v->route.nodes[0], d);
        if (s >= 0) n = add_need(t, n, LP_TRAFFIC_NODE, v->route.nodes[0], s, d, spot_len);
    }
    for (k = i; k < j; k++) {
        int d = route_dir(t, v, k), e = v->route.edges[k];
        n = add_need(t, n, LP_TRAFFIC_EDGE, e, traffic__edge_slot(t, e, d), d, v->pos[k + 1]);
        n = need_spots(t, v, k + 1, v->pos[k + 1] + spot_len, n);
    }
    return n;
}

static int all_free(lp_traffic *t, int vi, int n)
{
    int k;
    for (k = 0; k < n; k++) {
        int h = *holder_of(t, t->need[k].kind, t->need[k].index, t->need[k].slot);
        if (h >= 0 && h != vi) return 0;
    }
    return 1;
}

static void acquire(lp_traffic *t, int vi, int n)
{
    traffic_vehicle *v = &t->v[vi];
    int k;
    for (k = 0; k < n; k++) {
        traffic_hold *h = &t->need[k];
        int *slot = holder_of(t, h->kind, h->index, h->slot), b;
        if (*slot == vi) continue; /* the start spot, held since arrival */
        *slot = vi;
        b = traffic__hold_block(t, h);
        if (b >= 0) t->block_cnt[b][h->dir]++;
        if (v->nholds == v->cap) {
            v->cap = v->cap ? v->cap * 2 : 16;
            v->holds = lp_realloc(v->holds, (size_t)v->cap * sizeof *v->holds);
        }
        v->holds[v->nholds++] = *h;
    }
}

/* Whether waiter xi could enter its block but for the block's direction:
 * its start spot (first step of a route) and its far-end spots are free. */
static int eligible(const lp_traffic *t, int xi)
{
    const traffic_vehicle *x = &t->v[xi];
    int i = x->granted, j = block_exit(t, x, i), k, s, node;
    int idx[3], dirs[3], n = 0;
    if (i == 0) {
        idx[n] = 0;
        dirs[n++] = route_dir(t, x, 0);
    }
    idx[n] = j;
    dirs[n++] = route_dir(t, x, j - 1);
    if (j < x->route.n - 1) {
        idx[n] = j;
        dirs[n++] = route_dir(t, x, j);
    }
    for (k = 0; k < n; k++) {
        node = x->route.nodes[idx[k]];
        s = traffic__node_slot(t, node, dirs[k]);
        if (s >= 0 && t->node_holder[node * 2 + s] >= 0 && t->node_holder[node * 2 + s] != xi) return 0;
    }
    return 1;
}

/* The block rules for vehicle vi entering block b in direction d: nobody of
 * the other direction inside, and no older eligible waiter of the other
 * direction. */
static int block_open(const lp_traffic *t, int vi, int b, int d)
{
    const traffic_vehicle *v = &t->v[vi];
    uint64_t mine = v->wait_block == b ? v->wait_seq : UINT64_MAX;
    int k;
    if (t->block_cnt[b][1 - d] > 0) return 0;
    for (k = 0; k < t->nwaiters[b]; k++) {
        int xi = t->waiters[b][k];
        const traffic_vehicle *x = &t->v[xi];
        if (xi != vi && x->wait_dir != d && x->wait_seq < mine && eligible(t, xi)) return 0;
    }
    return 1;
}

static void wait_for(lp_traffic *t, int vi, int b, int d, int64_t now_ms)
{
    traffic_vehicle *v = &t->v[vi];
    if (v->wait_block == b) return;
    traffic__unwait(t, vi);
    if (t->nwaiters[b] == t->capwaiters[b]) {
        t->capwaiters[b] = t->capwaiters[b] ? t->capwaiters[b] * 2 : 8;
        t->waiters[b] = lp_realloc(t->waiters[b], (size_t)t->capwaiters[b] * sizeof(int));
    }
    t->waiters[b][t->nwaiters[b]++] = vi;
    v->wait_block = b;
    v->wait_dir = d;
    v->wait_seq = ++t->seq;
    v->wait_since = now_ms;
}

/* Grants as much of the route as the rules and the lookahead allow. */
static void extend(lp_traffic *t, int vi, int64_t now_ms)
{
    traffic_vehicle *v = &t->v[vi];
    while (v->granted < v->route.n - 1) {
        int i = v->granted, e = v->route.edges[i], b = t->road->edges[e].block, d = route_dir(t, v, i);
        int j = b >= 0 ? block_exit(t, v, i) : i + 1, n;
        if (t->cfg.lookahead_m > 0 && v->pos[i] - v->front >= t->cfg.lookahead_m) break;
        n = collect(t, v, i, j);
        if (b >= 0 && !block_open(t, vi, b, d)) {
            wait_for(t, vi, b, d, now_ms);
            break;
        }
        if (!all_free(t, vi, n)) {
            if (b >= 0) wait_for(t, vi, b, d, now_ms);
            break;
        }
        acquire(t, vi, n);
        if (v->wait_block >= 0) traffic__unwait(t, vi);
        v->granted = j;
    }
}

/* Routes ----------------------------------------------------------------------------------- */

static int same_route(const lp_road_route *a, const lp_road_route *b)
{
    return a->n == b->n && memcmp(a->nodes, b->nodes, (size_t)a->n * sizeof(int)) == 0 &&
           (a->n < 2 || memcmp(a->edges, b->edges, (size_t)(a->n - 1) * sizeof(int)) == 0);
}

static int check_route(const lp_traffic *t, const traffic_vehicle *v, const lp_road_route *rt, lp_err *err)
{
    const lp_road *r = t->road;
    int k, start = v->route.nodes[v->granted];
    if (rt->n < 1 || rt->n > LP_ROAD_ROUTE_MAX) return lp_err_set(err, LP_EINVAL, "a route has 1 to %d nodes", LP_ROAD_ROUTE_MAX);
    for (k = 0; k < rt->n; k++)
        if (rt->nodes[k] < 0 || rt->nodes[k] >= r->nnodes) return lp_err_set(err, LP_EINVAL, "route node %d is not on the road", k);
    for (k = 0; k + 1 < rt->n; k++) {
        const lp_road_edge *e;
        if (rt->edges[k] < 0 || rt->edges[k] >= r->nedges) return lp_err_set(err, LP_EINVAL, "route edge %d is not on the road", k);
        e = &r->edges[rt->edges[k]];
        if (!(rt->fwd[k] ? e->from == rt->nodes[k] && e->to == rt->nodes[k + 1]
                         : e->to == rt->nodes[k] && e->from == rt->nodes[k + 1]) ||
            !(e->dirs & (rt->fwd[k] ? LP_ROAD_FORWARD : LP_ROAD_BACKWARD)))
            return lp_err_set(err, LP_EINVAL, "route edge %d (\"%s\") does not lead from node %d to node %d", k, e->id, k, k + 1);
        if (k > 0 && rt->edges[k] == rt->edges[k - 1] && r->nodes[rt->nodes[k]].spots == LP_ROAD_SPOTS_ONE)
            return lp_err_set(err, LP_EINVAL, "the route turns round at node \"%s\" inside a single-lane block",
                              r->nodes[rt->nodes[k]].id);
    }
    if (rt->nodes[0] != start)
        return lp_err_set(err, LP_EINVAL, "the route must start at node \"%s\", the end of the vehicle's base", r->nodes[start].id);
    if (r->nodes[rt->nodes[rt->n - 1]].spots == LP_ROAD_SPOTS_ONE)
        return lp_err_set(err, LP_EINVAL, "the route ends at node \"%s\" inside a single-lane block",
                          r->nodes[rt->nodes[rt->n - 1]].id);
    if (v->front < v->pos[v->granted] - EPS)
        return lp_err_set(err, LP_ECONFLICT, "vehicle \"%s\" has not reached the end of its base", v->name);
    return LP_OK;
}

/* Takes a new route: what the vehicle still holds stays held, its release
 * positions moved into the new route's frame. */
static void set_route(lp_traffic *t, int vi, const lp_road_route *rt)
{
    traffic_vehicle *v = &t->v[vi];
    double shift = v->pos[v->granted];
    int k;
    for (k = 0; k < v->nholds; k++) v->holds[k].release_m -= shift;
    traffic__unwait(t, vi);
    v->route = *rt;
    v->pos[0] = 0;
    for (k = 1; k < rt->n; k++) v->pos[k] = v->pos[k - 1] + t->road->edges[rt->edges[k - 1]].length_m;
    v->granted = 0;
    v->front = 0;
}

int lp_traffic_request(lp_traffic *t, int vehicle, const lp_road_route *route, int64_t now_ms, int *granted,
                       lp_err *err)
{
    traffic_vehicle *v;
    int rc;
    if (!t || vehicle < 0 || vehicle >= t->nv || !t->v[vehicle].active)
        return lp_err_set(err, LP_ENOTFOUND, "no such vehicle");
    v = &t->v[vehicle];
    *granted = v->granted;
    if (v->lost) return lp_err_set(err, LP_ECONFLICT, "vehicle \"%s\" is lost", v->name);
    if (route && !same_route(route, &v->route)) {
        rc = check_route(t, v, route, err);
        if (rc != LP_OK) return rc;
        set_route(t, vehicle, route);
    }
    extend(t, vehicle, now_ms);
    *granted = v->granted;
    return LP_OK;
}

/* Releases ---------------------------------------------------------------------------------- */

/* Releases every hold of vi released at or before route position upto. */
static void release_upto(lp_traffic *t, int vi, double upto)
{
    traffic_vehicle *v = &t->v[vi];
    int k;
    for (k = v->nholds - 1; k >= 0; k--)
        if (v->holds[k].release_m <= upto + EPS) traffic__release(t, vi, k);
}

int lp_traffic_progress(lp_traffic *t, int vehicle, double front_m)
{
    traffic_vehicle *v;
    int last;
    if (!t || vehicle < 0 || vehicle >= t->nv || !t->v[vehicle].active) return LP_ENOTFOUND;
    v = &t->v[vehicle];
    last = v->route.n - 1;
    if (front_m > v->pos[v->granted]) front_m = v->pos[v->granted];
    if (front_m > v->front) v->front = front_m;
    release_upto(t, vehicle, v->front);
    /* parked at the goal: off the road */
    if (v->granted == last && v->front >= v->pos[last] - EPS && is_parking(t, v->route.nodes[last]))
        while (v->nholds > 0) traffic__release(t, vehicle, v->nholds - 1);
    return LP_OK;
}

int lp_traffic_left(lp_traffic *t, int vehicle, int kind, int index)
{
    traffic_vehicle *v;
    int k;
    if (!t || vehicle < 0 || vehicle >= t->nv || !t->v[vehicle].active) return LP_ENOTFOUND;
    v = &t->v[vehicle];
    for (k = 0; k < v->nholds; k++)
        if (v->holds[k].kind == kind && v->holds[k].index == index) {
            release_upto(t, vehicle, v->holds[k].release_m);
            return LP_OK;
        }
    return LP_ENOTFOUND;
}

int lp_traffic_halt(lp_traffic *t, int vehicle, int *at)
{
    traffic_vehicle *v;
    double spot_len;
    int k = 0, i;
    if (!t || vehicle < 0 || vehicle >= t->nv || !t->v[vehicle].active) return LP_ENOTFOUND;
    v = &t->v[vehicle];
    spot_len = t->cfg.vehicle_length_m + t->cfg.gap_m;
    while (k < v->granted && v->pos[k] < v->front - EPS) k++;
    while (k < v->granted && t->road->nodes[v->route.nodes[k]].spots == LP_ROAD_SPOTS_ONE) k++;
    /* an edge is kept when it ends at or before node k, a spot when its
     * node is at or before k (its release lies a spot's length past it) */
    for (i = v->nholds - 1; i >= 0; i--) {
        const traffic_hold *h = &v->holds[i];
        double keep = v->pos[k] + (h->kind == LP_TRAFFIC_NODE ? spot_len : 0);
        if (h->release_m > keep + EPS) traffic__release(t, vehicle, i);
    }
    traffic__unwait(t, vehicle);
    v->granted = k;
    if (at) *at = k;
    return LP_OK;
}

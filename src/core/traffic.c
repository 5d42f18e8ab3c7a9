/* traffic.c - traffic control: set-up, vehicles and queries.  Requests and
 * releases are in traffic_grant.c; the rules and the argument for their
 * safety are at the top of traffic.h. */
#include "core/traffic.h"
#include "core/traffic_internal.h"

#include <string.h>

#include "core/mem.h"

/* The root: the first node not inside a block, so that every block runs
 * monotonically away from it (inner nodes have one parent edge). */
static int pick_root(const lp_road *r)
{
    int n;
    for (n = 0; n < r->nnodes; n++)
        if (r->nodes[n].spots != LP_ROAD_SPOTS_ONE) return n;
    return 0;
}

/* Orients every edge of the tree away from the root (breadth first). */
static void orient(lp_traffic *t)
{
    const lp_road *r = t->road;
    int *queue = lp_calloc((size_t)r->nnodes, sizeof *queue);
    int *seen = lp_calloc((size_t)r->nnodes, sizeof *seen);
    int head = 0, tail = 0, i;
    queue[tail++] = t->root;
    seen[t->root] = 1;
    while (head < tail) {
        int n = queue[head++];
        for (i = r->adj_start[n]; i < r->adj_start[n + 1]; i++) {
            int e = r->adj[i], m = lp_road_edge_other(r, e, n);
            if (seen[m]) continue;
            seen[m] = 1;
            t->edge_out[e] = (signed char)(r->edges[e].from == n);
            queue[tail++] = m;
        }
    }
    lp_free(queue);
    lp_free(seen);
}

int lp_traffic_create(const lp_road *road, const lp_traffic_config *cfg, lp_traffic **out, lp_err *err)
{
    lp_traffic *t;
    int i;
    *out = NULL;
    if (!road || !cfg) return lp_err_set(err, LP_EINVAL, "no road or no config");
    if (!(cfg->vehicle_length_m > 0) || !(cfg->gap_m >= 0) || !(cfg->lookahead_m >= 0))
        return lp_err_set(err, LP_EINVAL, "vehicle length must be > 0, gap and lookahead >= 0");
    if (road->nedges != road->nnodes - 1)
        return lp_err_set(err, LP_EINVAL,
                          "traffic control needs a road without loops (a tree): %d nodes need %d edges, not %d",
                          road->nnodes, road->nnodes - 1, road->nedges);
    t = lp_calloc(1, sizeof *t);
    t->road = road;
    t->cfg = *cfg;
    t->root = pick_root(road);
    t->edge_out = lp_calloc((size_t)road->nedges + 1, sizeof *t->edge_out);
    t->edge_holder = lp_malloc(((size_t)road->nedges * 2 + 1) * sizeof *t->edge_holder);
    t->node_holder = lp_malloc(((size_t)road->nnodes * 2 + 1) * sizeof *t->node_holder);
    for (i = 0; i < road->nedges * 2; i++) t->edge_holder[i] = -1;
    for (i = 0; i < road->nnodes * 2; i++) t->node_holder[i] = -1;
    t->block_cnt = lp_calloc((size_t)road->nblocks + 1, sizeof *t->block_cnt);
    t->waiters = lp_calloc((size_t)road->nblocks + 1, sizeof *t->waiters);
    t->nwaiters = lp_calloc((size_t)road->nblocks + 1, sizeof *t->nwaiters);
    t->capwaiters = lp_calloc((size_t)road->nblocks + 1, sizeof *t->capwaiters);
    t->need = lp_calloc(3 * LP_ROAD_ROUTE_MAX + 4, sizeof *t->need);
    orient(t);
    *out = t;
    return LP_OK;
}

void lp_traffic_destroy(lp_traffic *t)
{
    int i;
    if (!t) return;
    for (i = 0; i < t->nv; i++) lp_free(t->v[i].holds);
    for (i = 0; i < t->road->nblocks; i++) lp_free(t->waiters[i]);
    lp_free(t->v);
    lp_free(t->waiters);
    lp_free(t->nwaiters);
    lp_free(t->capwaiters);
    lp_free(t->block_cnt);
    lp_free(t->edge_out);
    lp_free(t->edge_holder);
    lp_free(t->node_holder);
    lp_free(t->need);
    lp_free(t);
}

/* Helpers shared with traffic_grant.c ------------------------------------------------ */

int traffic__edge_slot(const lp_traffic *t, int edge, int dir)
{
    return t->road->edges[edge].lane == LP_ROAD_SINGLE ? 0 : dir;
}

int traffic__node_slot(const lp_traffic *t, int node, int dir)
{
    switch (t->road->nodes[node].spots) {
    case LP_ROAD_SPOTS_ONE: return 0;
    case LP_ROAD_SPOTS_TWO: return dir;
    default: return -1;
    }
}

int traffic__hold_block(const lp_traffic *t, const traffic_hold *h)
{
    return h->kind == LP_TRAFFIC_EDGE ? t->road->edges[h->index].block : t->road->nodes[h->index].block;
}

void traffic__release(lp_traffic *t, int vi, int k)
{
    traffic_vehicle *v = &t->v[vi];
    traffic_hold *h = &v->holds[k];
    int b = traffic__hold_block(t, h);
    int *slot = h->kind == LP_TRAFFIC_EDGE ? &t->edge_holder[h->index * 2 + h->slot]
                                           : &t->node_holder[h->index * 2 + h->slot];
    if (*slot == vi) *slot = -1;
    if (b >= 0) t->block_cnt[b][h->dir]--;
    v->holds[k] = v->holds[--v->nholds];
}

void traffic__unwait(lp_traffic *t, int vi)
{
    traffic_vehicle *v = &t->v[vi];
    int b = v->wait_block, i;
    if (b < 0) return;
    for (i = 0; i < t->nwaiters[b]; i++)
        if (t->waiters[b][i] == vi) {
            memmove(&t->waiters[b][i], &t->waiters[b][i + 1], (size_t)(t->nwaiters[b] - i - 1) * sizeof(int));
            t->nwaiters[b]--;
            break;
        }
    v->wait_block = -1;
}

/* Vehicles ------------------------------------------------------------------------------ */

static traffic_vehicle *get(const lp_traffic *t, int vi)
{
    return t && vi >= 0 && vi < t->nv && t->v[vi].active ? &t->v[vi] : NULL;
}

int lp_traffic_vehicle_find(const lp_traffic *t, const char *name)
{
    int i;
    for (i = 0; name && i < t->nv; i++)
        if (t->v[i].active && strcmp(t->v[i].name, name) == 0) return i;
    return -1;
}

int lp_traffic_vehicle_add(lp_traffic *t, const char *name, int node, int *vehicle, lp_err *err)
{
    const lp_road *r = t->road;
    traffic_vehicle *v;
    int s, vi;
    if (!name || !name[0] || strlen(name) >= LP_TRAFFIC_NAME_MAX)
        return lp_err_set(err, LP_EINVAL, "a vehicle name has 1 to %d bytes", LP_TRAFFIC_NAME_MAX - 1);
    if (node < 0 || node >= r->nnodes) return lp_err_set(err, LP_EINVAL, "no such node");
    if (r->nodes[node].spots == LP_ROAD_SPOTS_ONE)
        return lp_err_set(err, LP_EINVAL, "node \"%s\" is inside a single-lane block", r->nodes[node].id);
    if (lp_traffic_vehicle_find(t, name) >= 0)
        return lp_err_set(err, LP_ECONFLICT, "vehicle \"%s\" is already known", name);
    if (t->nv >= LP_TRAFFIC_VEHICLES_MAX) return lp_err_set(err, LP_ETOOBIG, "too many vehicles");
    if (r->nodes[node].spots == LP_ROAD_SPOTS_TWO)
        for (s = 0; s < 2; s++)
            if (t->node_holder[node * 2 + s] >= 0)
                return lp_err_set(err, LP_ECONFLICT, "a spot at node \"%s\" is held by \"%s\"", r->nodes[node].id,
                                  t->v[t->node_holder[node * 2 + s]].name);
    if (t->nv == t->capv) {
        t->capv = t->capv ? t->capv * 2 : 16;
        t->v = lp_realloc(t->v, (size_t)t->capv * sizeof *t->v);
    }
    vi = t->nv++;
    v = &t->v[vi];
    memset(v, 0, sizeof *v);
    memcpy(v->name, name, strlen(name) + 1);
    v->active = 1;
    v->wait_block = -1;
    v->route.n = 1;
    v->route.nodes[0] = node;
    if (r->nodes[node].spots == LP_ROAD_SPOTS_TWO) {
        v->cap = 4;
        v->holds = lp_calloc((size_t)v->cap, sizeof *v->holds);
        for (s = 0; s < 2; s++) {
            traffic_hold h = {LP_TRAFFIC_NODE, node, s, s, t->cfg.vehicle_length_m + t->cfg.gap_m};
            v->holds[v->nholds++] = h;
            t->node_holder[node * 2 + s] = vi;
        }
    }
    *vehicle = vi;
    return LP_OK;
}

int lp_traffic_vehicle_lost(lp_traffic *t, int vehicle)
{
    traffic_vehicle *v = get(t, vehicle);
    if (!v) return LP_ENOTFOUND;
    v->lost = 1;
    traffic__unwait(t, vehicle);
    return LP_OK;
}

int lp_traffic_vehicle_found(lp_traffic *t, int vehicle)
{
    traffic_vehicle *v = get(t, vehicle);
    if (!v) return LP_ENOTFOUND;
    v->lost = 0;
    return LP_OK;
}

int lp_traffic_vehicle_remove(lp_traffic *t, int vehicle)
{
    traffic_vehicle *v = get(t, vehicle);
    if (!v) return LP_ENOTFOUND;
    traffic__unwait(t, vehicle);
    while (v->nholds > 0) traffic__release(t, vehicle, v->nholds - 1);
    lp_free(v->holds);
    v->holds = NULL;
    v->cap = 0;
    v->active = 0;
    return LP_OK;
}

/* Queries ------------------------------------------------------------------------------- */

int lp_traffic_edge_holder(const lp_traffic *t, int edge, int dir)
{
    if (edge < 0 || edge >= t->road->nedges || (dir != 0 && dir != 1)) return -1;
    return t->edge_holder[edge * 2 + traffic__edge_slot(t, edge, dir)];
}

int lp_traffic_node_holder(const lp_traffic *t, int node, int dir)
{
    int s;
    if (node < 0 || node >= t->road->nnodes || (dir != 0 && dir != 1)) return -1;
    s = traffic__node_slot(t, node, dir);
    return s < 0 ? -1 : t->node_holder[node * 2 + s];
}

int lp_traffic_block_dir(const lp_traffic *t, int block, int *vehicles)
{
    int d, i, n = 0, dir = -1;
    if (vehicles) *vehicles = 0;
    if (block < 0 || block >= t->road->nblocks) return -1;
    for (d = 0; d < 2; d++)
        if (t->block_cnt[block][d] > 0) dir = d;
    if (dir < 0) return -1;
    /* count distinct holders: a vehicle holds several edges and nodes */
    for (i = 0; vehicles && i < t->nv; i++) {
        int k;
        for (k = 0; k < t->v[i].nholds; k++)
            if (traffic__hold_block(t, &t->v[i].holds[k]) == block) {
                n++;
                break;
            }
    }
    if (vehicles) *vehicles = n;
    return dir;
}

int lp_traffic_route_dir(const lp_traffic *t, const lp_road_route *rt, int i)
{
    int e = rt->edges[i];
    return rt->fwd[i] == t->edge_out[e] ? LP_TRAFFIC_OUT : LP_TRAFFIC_IN;
}

int lp_traffic_vehicle_get(const lp_traffic *t, int vehicle, lp_traffic_vehicle_state *out)
{
    const traffic_vehicle *v = get(t, vehicle);
    if (!v) return LP_ENOTFOUND;
    out->name = v->name;
    out->lost = v->lost;
    out->at_node = v->route.nodes[v->granted];
    out->granted = v->granted;
    out->front_m = v->front;
    out->waiting_block = v->wait_block;
    out->waiting_since_ms = v->wait_block >= 0 ? v->wait_since : 0;
    out->nholds = v->nholds;
    return LP_OK;
}

int lp_traffic_holds(const lp_traffic *t, int vehicle, lp_traffic_hold *out, int max)
{
    const traffic_vehicle *v = get(t, vehicle);
    int k;
    if (!v) return LP_ENOTFOUND;
    for (k = 0; k < v->nholds && k < max; k++) {
        out[k].kind = v->holds[k].kind;
        out[k].index = v->holds[k].index;
        out[k].dir = v->holds[k].dir;
        out[k].release_m = v->holds[k].release_m;
    }
    return v->nholds;
}

const lp_road_route *lp_traffic_route(const lp_traffic *t, int vehicle)
{
    const traffic_vehicle *v = get(t, vehicle);
    return v ? &v->route : NULL;
}

int lp_traffic_vehicle_count(const lp_traffic *t)
{
    return t->nv;
}

/* road.c - the road model: validation of a parsed road, the derived lane
 * structure (spots per node, single-lane blocks) and lookups.  Parsing is in
 * road_parse.c, planning and geometry in road_plan.c. */
#include "core/road.h"
#include "core/road_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

const char *const lp_road_required_zones[LP_ROAD_REQUIRED_ZONES] = {
    "china_yard", "china_exit", "km0", "handover", "inspection", "vn_yard", "charging",
};

void lp_road_destroy(lp_road *r)
{
    int i;
    if (!r) return;
    for (i = 0; i < r->nblocks; i++) {
        lp_free(r->blocks[i].edges);
        lp_free(r->blocks[i].nodes);
    }
    lp_free(r->blocks);
    lp_free(r->nodes);
    lp_free(r->edges);
    lp_free(r->zones);
    lp_free(r->adj_start);
    lp_free(r->adj);
    lp_free(r);
}

/* Lookups ------------------------------------------------------------------------------ */

int lp_road_node_find(const lp_road *r, const char *id)
{
    int i;
    for (i = 0; id && i < r->nnodes; i++)
        if (strcmp(r->nodes[i].id, id) == 0) return i;
    return -1;
}

int lp_road_edge_find(const lp_road *r, const char *id)
{
    int i;
    for (i = 0; id && i < r->nedges; i++)
        if (strcmp(r->edges[i].id, id) == 0) return i;
    return -1;
}

int lp_road_zone_find(const lp_road *r, const char *id)
{
    int i;
    for (i = 0; id && i < r->nzones; i++)
        if (strcmp(r->zones[i].id, id) == 0) return i;
    return -1;
}

int lp_road_zone_node(const lp_road *r, const char *zone_id)
{
    int z = lp_road_zone_find(r, zone_id);
    return z < 0 ? -1 : r->zones[z].node;
}

int lp_road_place(const lp_road *r, const char *id)
{
    int n = lp_road_zone_node(r, id);
    return n >= 0 ? n : lp_road_node_find(r, id);
}

int lp_road_edge_other(const lp_road *r, int e, int n)
{
    return r->edges[e].from == n ? r->edges[e].to : r->edges[e].from;
}

/* Validation ----------------------------------------------------------------------------- */

static void build_adjacency(lp_road *r)
{
    int i, *fill;
    r->adj_start = lp_calloc((size_t)r->nnodes + 1, sizeof *r->adj_start);
    r->adj = lp_calloc((size_t)r->nedges * 2 + 1, sizeof *r->adj);
    for (i = 0; i < r->nedges; i++) {
        r->adj_start[r->edges[i].from + 1]++;
        r->adj_start[r->edges[i].to + 1]++;
    }
    for (i = 0; i < r->nnodes; i++) r->adj_start[i + 1] += r->adj_start[i];
    fill = lp_calloc((size_t)r->nnodes + 1, sizeof *fill);
    for (i = 0; i < r->nedges; i++) {
        int a = r->edges[i].from, b = r->edges[i].to;
        r->adj[r->adj_start[a] + fill[a]++] = i;
        r->adj[r->adj_start[b] + fill[b]++] = i;
    }
    lp_free(fill);
}

/* Every node reachable from node 0, ignoring directions; names the first
 * node that is not. */
static void check_connected(const lp_road *r, lp_err *err)
{
    int *seen = lp_calloc((size_t)r->nnodes, sizeof *seen);
    int *stack = lp_calloc((size_t)r->nnodes, sizeof *stack);
    int top = 0, i;
    seen[0] = 1;
    stack[top++] = 0;
    while (top > 0) {
        int n = stack[--top];
        for (i = r->adj_start[n]; i < r->adj_start[n + 1]; i++) {
            int m = lp_road_edge_other(r, r->adj[i], n);
            if (!seen[m]) {
                seen[m] = 1;
                stack[top++] = m;
            }
        }
    }
    for (i = 0; i < r->nnodes; i++) {
        if (!seen[i]) {
            char ptr[32];
            snprintf(ptr, sizeof ptr, "/nodes/%d", i);
            lp_err_field_add(err, ptr, "node \"%s\" is not connected to node \"%s\": the road graph is disconnected",
                             r->nodes[i].id, r->nodes[0].id);
            break;
        }
    }
    lp_free(seen);
    lp_free(stack);
}

/* Spots per node from its kind and the lanes of its edges. */
static void derive_spots(lp_road *r, lp_err *err)
{
    int n, i;
    for (n = 0; n < r->nnodes; n++) {
        lp_road_node *nd = &r->nodes[n];
        int single = 0, dbl = 0;
        char ptr[32];
        for (i = r->adj_start[n]; i < r->adj_start[n + 1]; i++) {
            if (r->edges[r->adj[i]].lane == LP_ROAD_SINGLE) single++;
            else dbl++;
        }
        nd->block = -1;
        snprintf(ptr, sizeof ptr, "/nodes/%d", n);
        if (nd->kind == LP_ROAD_PARKING) nd->spots = LP_ROAD_SPOTS_MANY;
        else if (nd->kind == LP_ROAD_PASSING || dbl > 0) nd->spots = LP_ROAD_SPOTS_TWO;
        else if (single == 2) nd->spots = LP_ROAD_SPOTS_ONE;
        else if (single == 1) {
            nd->spots = LP_ROAD_SPOTS_TWO;
            lp_err_field_add(err, ptr, "node \"%s\" is the dead end of a single-lane edge: make it a "
                             "parking or passing node", nd->id);
        } else if (single > 2) {
            nd->spots = LP_ROAD_SPOTS_TWO;
            lp_err_field_add(err, ptr, "node \"%s\" joins %d single-lane edges with no room to pass: "
                             "make it a passing node", nd->id, single);
        } else nd->spots = LP_ROAD_SPOTS_TWO;
    }
}

/* The single-lane edge after edge e through one-spot node n, or -1. */
static int block_next(const lp_road *r, int e, int n)
{
    int i;
    if (r->nodes[n].spots != LP_ROAD_SPOTS_ONE) return -1;
    for (i = r->adj_start[n]; i < r->adj_start[n + 1]; i++)
        if (r->adj[i] != e) return r->adj[i];
    return -1;
}

/* Walks from single-lane edge e0 through node `towards` to the end of its
 * block; returns that end node and in *last the edge that reaches it, or -1
 * for a ring of single-lane edges. */
static int block_end(const lp_road *r, int e0, int towards, int *last)
{
    int e = e0, n = towards, steps = 0;
    while (r->nodes[n].spots == LP_ROAD_SPOTS_ONE) {
        e = block_next(r, e, n);
        n = lp_road_edge_other(r, e, n);
        if (++steps > r->nedges) return -1;
    }
    *last = e;
    return n;
}

static void add_block(lp_road *r, int e0, lp_err *err)
{
    lp_road_block *b;
    int e = -1, n, k;
    int start = block_end(r, e0, r->edges[e0].from, &e);
    if (start < 0) {
        char ptr[32];
        snprintf(ptr, sizeof ptr, "/edges/%d", e0);
        lp_err_field_add(err, ptr, "edge \"%s\" is part of a ring of single-lane edges with no passing place",
                         r->edges[e0].id);
        r->edges[e0].block = -2; /* reported: keep it out of later walks */
        return;
    }
    r->blocks = lp_realloc(r->blocks, (size_t)(r->nblocks + 1) * sizeof *r->blocks);
    b = &r->blocks[r->nblocks];
    memset(b, 0, sizeof *b);
    b->end[0] = start;
    b->edges = lp_calloc((size_t)r->nedges, sizeof *b->edges);
    b->nodes = lp_calloc((size_t)r->nedges + 1, sizeof *b->nodes);
    /* from the start end, e (the edge that reached it) leads back in */
    n = start;
    k = 0;
    b->nodes[0] = start;
    for (;;) {
        b->edges[k++] = e;
        r->edges[e].block = r->nblocks;
        b->length_m += r->edges[e].length_m;
        n = lp_road_edge_other(r, e, n);
        b->nodes[k] = n;
        if (r->nodes[n].spots != LP_ROAD_SPOTS_ONE) break;
        r->nodes[n].block = r->nblocks;
        e = block_next(r, e, n);
    }
    b->nedges = k;
    b->end[1] = n;
    r->nblocks++;
}

static void derive_blocks(lp_road *r, lp_err *err)
{
    int e;
    for (e = 0; e < r->nedges; e++) r->edges[e].block = -1;
    for (e = 0; e < r->nedges; e++)
        if (r->edges[e].lane == LP_ROAD_SINGLE && r->edges[e].block == -1) add_block(r, e, err);
    for (e = 0; e < r->nedges; e++)
        if (r->edges[e].block == -2) r->edges[e].block = -1;
}

void road__check_zones(const lp_road *r, lp_err *err)
{
    int i;
    for (i = 0; i < LP_ROAD_REQUIRED_ZONES; i++)
        if (lp_road_zone_find(r, lp_road_required_zones[i]) < 0)
            lp_err_field_add(err, "/zones", "missing zone \"%s\"", lp_road_required_zones[i]);
}

int road__validate(lp_road *r, lp_err *err)
{
    int before = err ? err->nfields + err->more : 0;
    lp_err local;
    if (!err) {
        lp_err_init(&local);
        err = &local;
    }
    build_adjacency(r);
    if (r->nnodes > 0) check_connected(r, err);
    derive_spots(r, err);
    derive_blocks(r, err);
    return err->nfields + err->more > before || err->code != LP_OK ? LP_EINVAL : LP_OK;
}

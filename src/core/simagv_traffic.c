/* simagv_traffic.c - the AGV shuttle on the fleet manager's road with its
 * traffic reservations (traffic.h), in virtual time.
 *
 * An AGV asks for its route and drives edge by edge up to its base end at
 * the edge's speed limit.  It reports its front at every node it reaches
 * and once it is a vehicle length and the gap past a node (which frees the
 * spot behind it), exactly as the fleet manager reads VDA 5050 state; after
 * every report the waiting AGVs ask again.  At the handover and inspection
 * nodes of the out route it stops for the drawn time; at the Vietnamese
 * yard it unloads and takes the route back. */
#include "simagv_internal.h"

#include <stdio.h>
#include <string.h>

static int64_t edge_ms(const lp_simagv *a, int e)
{
    const lp_road_edge *ed = &a->c.road->edges[e];
    return (int64_t)(ed->length_m / ed->speed_mps * 1000 + 0.5);
}

int64_t simagv__tr_drive_ms(const lp_simagv *a)
{
    return (int64_t)((a->route[0].time_s + a->route[1].time_s) * 1000 + 0.5);
}

int simagv__tr_create(lp_simagv *a)
{
    lp_traffic_config tc;
    int i, rc;
    memset(&tc, 0, sizeof tc);
    tc.vehicle_length_m = a->c.vehicle_length_m;
    tc.gap_m = a->c.gap_m;
    if ((rc = lp_road_plan(a->c.road, a->c.from_node, a->c.to_node, &a->route[0], NULL)) != LP_OK ||
        (rc = lp_road_plan(a->c.road, a->c.to_node, a->c.from_node, &a->route[1], NULL)) != LP_OK ||
        (rc = lp_traffic_create(a->c.road, &tc, &a->traffic, NULL)) != LP_OK)
        return rc;
    for (i = 0; i < a->c.fleet; i++) {
        char name[32];
        snprintf(name, sizeof name, "agv-%d", i + 1);
        if ((rc = lp_traffic_vehicle_add(a->traffic, name, a->c.from_node, &a->v[i].vehicle, NULL)) != LP_OK)
            return rc;
    }
    return LP_OK;
}

static double pos(const lp_simagv *a, int dir, int k) { return lp_road_route_pos(a->c.road, &a->route[dir], k); }

/* Drives on if the base reaches further, else waits for a grant. */
static void move(lp_simagv *a, int i)
{
    simagv_agv *v = &a->v[i];
    const lp_road_route *rt = &a->route[v->dir];
    int64_t t;
    double clear = a->c.vehicle_length_m + a->c.gap_m;
    if (v->granted <= v->at) {
        if (!v->waiting) {
            v->waiting = 1;
            v->wait_from = lp_des_now(a->d);
        }
        return;
    }
    t = edge_ms(a, rt->edges[v->at]);
    simagv__next(a, i, v->dir, v->at + 1, SIMAGV_K_TR_ARRIVE, t);
    /* The report that frees the spot behind, when it comes before the next node. */
    if (clear < a->c.road->edges[rt->edges[v->at]].length_m)
        simagv__next(a, i, v->dir, v->at, SIMAGV_K_TR_CLEAR,
                     (int64_t)(clear / a->c.road->edges[rt->edges[v->at]].speed_mps * 1000 + 0.5));
}

static void ask(lp_simagv *a, int i, const lp_road_route *rt)
{
    lp_traffic_request(a->traffic, a->v[i].vehicle, rt, lp_des_now(a->d), &a->v[i].granted, NULL);
}

/* After a report: every waiting AGV asks again, in fleet order. */
static void retry(lp_simagv *a)
{
    int i;
    for (i = 0; i < a->c.fleet; i++) {
        simagv_agv *v = &a->v[i];
        if (!v->waiting) continue;
        ask(a, i, NULL);
        if (v->granted > v->at) {
            v->waiting = 0;
            a->st.section_waits++;
            a->st.section_wait_ms += (double)(lp_des_now(a->d) - v->wait_from);
            move(a, i);
        }
    }
}

void simagv__tr_start(lp_simagv *a, int i, int dir)
{
    simagv_agv *v = &a->v[i];
    v->dir = dir;
    v->at = 0;
    v->waiting = 0;
    ask(a, i, &a->route[dir]);
    move(a, i);
}

void simagv__tr_step(lp_simagv *a, int i, int kind)
{
    simagv_agv *v = &a->v[i];
    const lp_road_route *rt = &a->route[v->dir];
    int64_t stop = 0;
    int node;
    if (kind == SIMAGV_K_TR_CLEAR) {
        lp_traffic_progress(a->traffic, v->vehicle, pos(a, v->dir, v->at) + a->c.vehicle_length_m + a->c.gap_m);
        retry(a);
        return;
    }
    if (kind == SIMAGV_K_TR_GO) {
        ask(a, i, NULL);
        move(a, i);
        return;
    }
    /* Arrived at the next node of the route. */
    v->at++;
    node = rt->nodes[v->at];
    lp_traffic_progress(a->traffic, v->vehicle, pos(a, v->dir, v->at));
    retry(a);
    if (v->at == rt->n - 1) {
        if (v->dir == SIMAGV_NORTH) simagv__next(a, i, v->dir, 0, SIMAGV_K_TURN, lp_dist_sample(&a->c.unload, a->rng));
        else simagv__next(a, i, v->dir, 0, SIMAGV_K_HOME, 0);
        return;
    }
    if (v->dir == SIMAGV_NORTH && node == a->c.handover_node) stop += lp_dist_sample(&a->c.handover, a->rng);
    if (v->dir == SIMAGV_NORTH && node == a->c.inspection_node) stop += lp_dist_sample(&a->c.inspection, a->rng);
    if (stop > 0) simagv__next(a, i, v->dir, v->at, SIMAGV_K_TR_GO, stop);
    else {
        ask(a, i, NULL);
        move(a, i);
    }
}

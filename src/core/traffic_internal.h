/* traffic_internal.h - the controller's state, shared by traffic.c (set-up,
 * vehicles, queries) and traffic_grant.c (requests and releases) only. */
#ifndef LP_TRAFFIC_INTERNAL_H
#define LP_TRAFFIC_INTERNAL_H

#include "core/traffic.h"

#include <stdint.h>

/* One reservation of a vehicle. */
typedef struct traffic_hold {
    int kind;          /* LP_TRAFFIC_EDGE / LP_TRAFFIC_NODE */
    int index;         /* edge or node */
    int slot;          /* lane or spot index in the holder arrays (0 or 1) */
    int dir;           /* travel direction of the holder there */
    double release_m;  /* route position of the front that releases it */
} traffic_hold;

typedef struct traffic_vehicle {
    char name[LP_TRAFFIC_NAME_MAX];
    int active;        /* 0 once removed */
    int lost;
    lp_road_route route;
    double pos[LP_ROAD_ROUTE_MAX]; /* route position of each route node */
    int granted;       /* base end, index into route */
    double front;      /* reported front position on the route */
    int wait_block;    /* -1 if not waiting for a block */
    int wait_dir;
    uint64_t wait_seq; /* order of waiting, smaller = older */
    int64_t wait_since;
    traffic_hold *holds;
    int nholds, cap;
} traffic_vehicle;

struct lp_traffic {
    const lp_road *road;
    lp_traffic_config cfg;
    int root;
    signed char *edge_out; /* per edge: 1 if from -> to goes OUT (away from the root) */
    int *edge_holder;      /* [edge * 2 + slot]: vehicle or -1 */
    int *node_holder;      /* [node * 2 + slot]: vehicle or -1 */
    int (*block_cnt)[2];   /* per block and direction: holds inside it */
    int **waiters;         /* per block: vehicles waiting to enter, oldest first */
    int *nwaiters, *capwaiters;
    traffic_vehicle *v;
    int nv, capv;
    uint64_t seq;
    traffic_hold *need;    /* scratch for one grant step */
};

/* Releases hold k of vehicle vi (the hold list is unordered). */
void traffic__release(lp_traffic *t, int vi, int k);

/* Removes vehicle vi from the waiters of its block, if it waits. */
void traffic__unwait(lp_traffic *t, int vi);

/* Lane or spot slot for direction dir: 0 on single-lane edges and one-spot
 * nodes, dir otherwise; -1 at parking nodes (not reserved). */
int traffic__edge_slot(const lp_traffic *t, int edge, int dir);
int traffic__node_slot(const lp_traffic *t, int node, int dir);

/* Block of a hold (edge block, or block of an inner node), or -1. */
int traffic__hold_block(const lp_traffic *t, const traffic_hold *h);

#endif

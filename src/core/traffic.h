/* traffic.h - traffic control on a road: reservations that make collisions
 * and deadlock impossible by construction.  The fleet manager asks for each
 * vehicle's route and gets the prefix it may drive (its VDA 5050 base);
 * what it reports from the vehicles' state releases what they have left.
 * Used by the fleet manager, the simulators and the dashboard.  Pure: no
 * I/O, time comes in as ms.
 *
 * Resources.  Every lane of a two-lane edge (one per direction), every
 * single-lane edge, and every spot of a node (one per direction at passing
 * bays and on two-lane road, one inside a single-lane block; parking nodes
 * have unlimited room and are not reserved) has at most one holder.  A
 * direction is OUT (away from the road's root, the first node of the file
 * that is not inside a block: on road-1088 China -> Vietnam) or IN.
 *
 * Grants.  A vehicle's base ends at a node; to extend it over an edge the
 * vehicle takes the edge (its lane) and the spots of the edge's end node.
 * A single-lane block is granted whole or not at all: every edge and inner
 * node of it plus the spot at its far end (the next passing bay or two-lane
 * road), and only when no vehicle of the other direction holds anything in
 * it.  So a vehicle never stops inside a block, and a block carries one
 * direction at a time.
 *
 * Release.  Only reports from the vehicle's state release anything: an edge
 * when the vehicle's front has reached its end node (the vehicle stands in
 * the spot there: the spot is a bay or lane that holds one vehicle plus the
 * gap), a spot when its rear is gap_m past the node, i.e. when the front is
 * vehicle_length_m + gap_m past it.  Arriving at a parking node at the end
 * of the route releases everything: the vehicle has parked off the road.
 *
 * Headway.  A follower's base can end at a node only once the leader has
 * released that node's spot, i.e. once the leader's rear is gap_m beyond it;
 * the follower never passes its base end and the leader only moves away, so
 * two vehicles in one lane are always at least gap_m apart (and never on one
 * edge together).
 *
 * No deadlock (the road must be a tree; lp_traffic_create checks).  A waiting
 * vehicle stands at a node spot and waits for one of:
 *  (a) resources held by vehicles of its own direction ahead of it (lanes
 *      and spots are per direction, so only those can hold them).  On a tree
 *      a simple route runs IN (towards the root) and then OUT: an OUT vehicle
 *      waits for OUT vehicles deeper in the tree, an IN vehicle for IN
 *      vehicles nearer the root, a vehicle turning from IN to OUT holds both
 *      spots of its turning node.  Depth is strictly monotone along such
 *      waits, so they form no cycle and the foremost vehicle waits only for
 *      (b) or (c), or is at its goal.
 *  (b) a block held by the other direction.  Its holders are inside the
 *      block with their far-end spots already held, so they drive out and
 *      release it without waiting for anyone.
 *  (c) fairness: an older waiter of the other direction for the same block
 *      that is eligible now (its far-end spot is free).  That waiter waits
 *      only for (b): no younger vehicle of the other direction may enter
 *      before it.  Eligibility is judged at every request, so this wait ends
 *      when the waiter enters or when it stops being eligible.
 * Hence some vehicle can always move, and no set of vehicles waits on each
 * other for ever.  Starvation bound: where a block's end nodes have no
 * other branches (road-1088), an eligible waiter stays eligible, so a
 * vehicle waiting for a block is passed by at most the vehicles of the other
 * direction already inside it plus the older eligible waiters; younger ones
 * queue behind it.
 * Lost vehicles keep their reservations but stop counting as waiters.
 * tests/unit/test_traffic_sim.c drives many vehicles both ways with random
 * speeds and delays and checks all of this at every step; models/traffic.pml
 * checks the protocol of one road with spin. */
#ifndef LP_TRAFFIC_H
#define LP_TRAFFIC_H

#include <stdint.h>

#include "core/err.h"
#include "core/road.h"

#define LP_TRAFFIC_NAME_MAX 48      /* bytes of a vehicle name, with the NUL */
#define LP_TRAFFIC_VEHICLES_MAX 100000

typedef struct lp_traffic lp_traffic;

enum { LP_TRAFFIC_OUT = 0, LP_TRAFFIC_IN = 1 };
enum { LP_TRAFFIC_EDGE = 0, LP_TRAFFIC_NODE = 1 };

typedef struct lp_traffic_config {
    double vehicle_length_m; /* > 0: the longest vehicle */
    double gap_m;            /* >= 0: least distance between vehicles in one lane */
    double lookahead_m;      /* >= 0: grant no further ahead of the vehicle's
                              * front than this (a block is granted whole even
                              * if it reaches further); 0: as far as possible */
} lp_traffic_config;

/* Create and destroy --------------------------------------------------------------- */

/* Traffic control on a validated road (borrowed: it must outlive the
 * controller).  Returns LP_OK and *out (caller owns it; free with
 * lp_traffic_destroy()), or LP_EINVAL for a bad config or a road with a loop
 * (deadlock freedom is argued for trees only). */
int lp_traffic_create(const lp_road *road, const lp_traffic_config *cfg, lp_traffic **out, lp_err *err);

/* NULL-safe. */
void lp_traffic_destroy(lp_traffic *t);

/* Vehicles -------------------------------------------------------------------------- */

/* Adds a vehicle standing at node `node` and sets *vehicle to its number (0,
 * 1, ...).  At a parking node it holds nothing; elsewhere it takes both spots
 * of the node.  Returns LP_OK; LP_EINVAL for a bad node, a node inside a
 * single-lane block, or an empty or too long name; LP_ECONFLICT when the
 * name is taken or a spot is held by another vehicle. */
int lp_traffic_vehicle_add(lp_traffic *t, const char *name, int node, int *vehicle, lp_err *err);

/* The number of the vehicle with that name, or -1. */
int lp_traffic_vehicle_find(const lp_traffic *t, const char *name);

/* The vehicle is lost (connection broken, state silent): it keeps all its
 * reservations, nothing more is granted to it and it stops counting as a
 * waiter.  lp_traffic_vehicle_found() ends that.  Return LP_OK or
 * LP_ENOTFOUND for a bad number. */
int lp_traffic_vehicle_lost(lp_traffic *t, int vehicle);
int lp_traffic_vehicle_found(lp_traffic *t, int vehicle);

/* Releases everything the vehicle holds and forgets it (an operator has
 * confirmed it is off the road).  Returns LP_OK or LP_ENOTFOUND. */
int lp_traffic_vehicle_remove(lp_traffic *t, int vehicle);

/* Requests and reports ------------------------------------------------------------- */

/* Asks to drive `route` (a new route, or NULL / the same route again to ask
 * for more of the current one) and extends the grant as far as the rules
 * allow.  *granted is the index of the last route node the vehicle may
 * drive to: its base is route nodes 0..*granted (0: stay where it is).
 * A new route must start at the end of the vehicle's base, the vehicle must
 * have reached it (lp_traffic_progress), and it must neither start nor end
 * inside a single-lane block nor turn round inside one.  Callers ask again
 * for waiting vehicles after reports (or on every state message); requests
 * are cheap.  now_ms stamps the start of a wait (for the dashboard).
 * Returns LP_OK (also when nothing more could be granted), LP_EINVAL for a
 * bad route, LP_ECONFLICT when the vehicle is lost or has not reached its
 * base end for a new route, LP_ENOTFOUND for a bad vehicle number. */
int lp_traffic_request(lp_traffic *t, int vehicle, const lp_road_route *route, int64_t now_ms, int *granted,
                       lp_err *err);

/* Reports where the vehicle's front is, in metres along its current route
 * from the route's first node (from VDA 5050 state: the position projected
 * on the route).  Values behind an earlier report are ignored, values beyond
 * the base end are taken as the base end.  Releases what the vehicle has
 * left (see the top of this file).  Returns LP_OK or LP_ENOTFOUND. */
int lp_traffic_progress(lp_traffic *t, int vehicle, double front_m);

/* Reports that the vehicle has left segment (kind LP_TRAFFIC_EDGE or
 * LP_TRAFFIC_NODE, index in the road) and is clear of it by the gap:
 * releases it and everything the vehicle holds behind it.  Returns LP_OK, or
 * LP_ENOTFOUND when the vehicle does not hold that segment. */
int lp_traffic_left(lp_traffic *t, int vehicle, int kind, int index);

/* The vehicle stands for good short of its base end (its order was
 * cancelled and its state says it stands): its base shrinks to the first
 * route node at or ahead of its front (to the far end of a single-lane
 * block it stands in: it still occupies the block) and every reservation
 * beyond that node is released.  *at (may be NULL) receives that route
 * index.  A request for a new route succeeds once the vehicle has reached
 * that node.  Returns LP_OK or LP_ENOTFOUND. */
int lp_traffic_halt(lp_traffic *t, int vehicle, int *at);

/* Queries (dashboard, fleet manager) ---------------------------------------------- */

/* The vehicle holding the lane of edge e used in direction dir (LP_TRAFFIC_OUT
 * or _IN; a single-lane edge has one lane for both), or -1. */
int lp_traffic_edge_holder(const lp_traffic *t, int edge, int dir);

/* The vehicle holding node n's spot for direction dir (one spot inside a
 * block), or -1; always -1 at a parking node. */
int lp_traffic_node_holder(const lp_traffic *t, int node, int dir);

/* The direction a single-lane block is held in (LP_TRAFFIC_OUT / _IN), -1
 * when free; *vehicles (may be NULL) counts its holders. */
int lp_traffic_block_dir(const lp_traffic *t, int block, int *vehicles);

/* Travel direction of step i (route edge i) of a route. */
int lp_traffic_route_dir(const lp_traffic *t, const lp_road_route *rt, int i);

typedef struct lp_traffic_hold {
    int kind;          /* LP_TRAFFIC_EDGE or LP_TRAFFIC_NODE */
    int index;         /* edge or node of the road */
    int dir;           /* lane or spot direction */
    double release_m;  /* released when the front passes this route position */
} lp_traffic_hold;

typedef struct lp_traffic_vehicle_state {
    const char *name;        /* borrowed from the controller */
    int lost;
    int at_node;             /* node of the base end */
    int granted;             /* base end as an index into the route */
    double front_m;          /* last reported front position on the route */
    int waiting_block;       /* block it waits to enter, -1 if none */
    int64_t waiting_since_ms;
    int nholds;
} lp_traffic_vehicle_state;

/* Fills *out.  Returns LP_OK or LP_ENOTFOUND. */
int lp_traffic_vehicle_get(const lp_traffic *t, int vehicle, lp_traffic_vehicle_state *out);

/* Copies up to max of the vehicle's holds to out; returns how many it holds
 * (may exceed max), or LP_ENOTFOUND. */
int lp_traffic_holds(const lp_traffic *t, int vehicle, lp_traffic_hold *out, int max);

/* The vehicle's current route (borrowed; valid until its next request), or
 * NULL for a bad number. */
const lp_road_route *lp_traffic_route(const lp_traffic *t, int vehicle);

/* Number of vehicles ever added (numbers run 0 .. count - 1; removed ones
 * answer LP_ENOTFOUND). */
int lp_traffic_vehicle_count(const lp_traffic *t);

#endif

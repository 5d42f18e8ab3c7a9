/* demo_traffic.h - the traffic generator of `landport demo`: plays an
 * evening at the Hữu Nghị export gate through the real API, stepped to the
 * virtual time of the server's scaled clock.
 *
 * Arrivals are a Poisson process whose rate follows the hour of the day as
 * the simulator's model of the main gate road has it (lp_simgate_config_
 * default, scenarios/today.json: 1,500 trucks a day, 55% export, 40% food,
 * 5% gate exceptions);
 * the rest is a simpler stand-in for the sim's lp_simgate model (each truck's whole
 * life is a handful of API calls, so a small per-truck state machine is
 * enough).  Each truck: its company registers the vehicle and files the
 * declaration (the server's seeded risk policy gives the channel, about 30%
 * yellow and 3% red), books a slot when it comes an hour or more later (else
 * it is a walk-in), the yard's ANPR posts its entry read, the e-queue calls
 * it, the yard exit read, the gate device posts plate, container and seal
 * readings (5% with a wrong seal: the gate holds and customs decides
 * the exception), and the device at km 0 posts its exit.  Officers of
 * customs, quarantine and border guard decide their pending tasks after a
 * realistic delay, with reasons. */
#ifndef LP_DEMO_TRAFFIC_H
#define LP_DEMO_TRAFFIC_H

#include <stdint.h>

#include "demo_http.h"
#include "demo_setup.h"

typedef struct lp_demo_traffic lp_demo_traffic;

typedef struct lp_demo_stats {
    long filed, green, yellow, red; /* declarations filed and their channels */
    long booked;                    /* of them with a slot booked (the rest walk in) */
    long in_yard, waiting;          /* in the yard now; of them not yet called */
    long to_gate, crossed, refused; /* between yard and km 0; exited at km 0; refused at the yard */
    long decided, exceptions;       /* officer decisions made; gate holds with an exception task */
} lp_demo_stats;

/* A generator on h with the cast (both borrowed; they must outlive it),
 * trucks_per_hour at the day's busiest hour (0: the simulator's figures for
 * the main gate road, about 45 an hour at 18:00), seeded by seed, starting at virtual
 * time now_ms.  NULL when out of memory.  Free with lp_demo_traffic_free. */
lp_demo_traffic *lp_demo_traffic_new(lp_demo_http *h, const lp_demo_cast *cast, double trucks_per_hour,
                                     uint64_t seed, int64_t now_ms);
void lp_demo_traffic_free(lp_demo_traffic *t);

/* Tasks of the declarations skip(ud, id) answers 1 for are left to others
 * (the AGV evening decides its own). */
void lp_demo_traffic_skip(lp_demo_traffic *t, int (*skip)(void *ud, long decl), void *ud);

/* Does everything due at virtual time now_ms: arrivals, trucks' next steps,
 * and (when poll is set) reads the queue and the officers' task lists.
 * Errors of single calls are counted (demo_http.h), not fatal. */
void lp_demo_traffic_step(lp_demo_traffic *t, int64_t now_ms, int poll);

/* An ISO 6346 container number (owner code, serial, check digit) into out. */
void lp_demo_container_number(const char *owner, long serial, char out[16]);

void lp_demo_traffic_stats(const lp_demo_traffic *t, lp_demo_stats *s);

#endif

/* simagv.h - the AGV shuttle of road 1088 in the digital twin: a fleet of
 * AGVs carries containers from the China yard across km 0 to the
 * Vietnamese customs yard inside the night window (18:30-20:00), with a
 * single-lane section used by one direction at a time.
 *
 * The road is a list of legs from the China yard to the Vietnamese yard,
 * each with its length, speed and single-lane block (or none): either the
 * small model of lp_simagv_config_default (one 600 m single-lane section)
 * or the legs of a route planned on the fleet manager's road file (see
 * src/sim/scenario.c).  A single-lane block is used by one direction at a
 * time: AGVs going the same way may follow each other in, unless one
 * waits at the other end (then the block drains and turns round).  Rule of
 * DESIGN.md kept: no mission starts that cannot finish inside the window,
 * judged on the longer of the mean durations (drives at the speed limits,
 * mean stops) and the moving average of the missions completed so far in
 * this window, which includes the waits for single-lane blocks; late
 * finishes are counted.
 *
 * Runs on an lp_des; no I/O, no globals. */
#ifndef LP_SIMAGV_H
#define LP_SIMAGV_H

#include <stdint.h>

#include "des.h"
#include "err.h"
#include "rng.h"

struct lp_road;

#define LP_SIMAGV_LEGS_MAX 64

/* A stretch of road driven at one speed. */
typedef struct lp_simagv_leg {
    double length_m;  /* > 0 */
    double speed_mps; /* > 0 */
    int block;        /* single-lane block 0..nlegs-1, or -1 (two lanes) */
} lp_simagv_leg;

typedef struct lp_simagv_config {
    int fleet;                 /* AGVs, 1..1000 */
    int window_start_min;      /* 18:30 = 1110 */
    int window_end_min;        /* 20:00 = 1200, > start */
    int containers_per_window; /* demand, >= 0 */
    int nlegs;                 /* 1..LP_SIMAGV_LEGS_MAX, China yard first */
    lp_simagv_leg leg[LP_SIMAGV_LEGS_MAX];
    int handover_leg;          /* the handover stop is at the end of this leg */
    int inspection_leg;        /* and the inspection stop (>= handover_leg) */
    lp_dist load, handover, inspection, unload;
    /* Or the fleet manager's road and traffic rules (traffic.h): when road
     * is set the legs are not used; the AGVs drive the quickest routes
     * from_node -> to_node and back, reserving lanes, spots and blocks
     * through lp_traffic, and stop at the handover and inspection nodes. */
    const struct lp_road *road; /* borrowed: must outlive the shuttle */
    int from_node, to_node, handover_node, inspection_node;
    double vehicle_length_m, gap_m; /* for the traffic rules' headway */
} lp_simagv_config;

typedef struct lp_simagv_stats {
    int64_t windows;    /* windows started */
    int64_t trips;      /* containers delivered to the Vietnamese yard */
    int64_t late;       /* missions ended after the window */
    int64_t left;       /* containers of the demand not carried */
    int64_t section_waits; /* times an AGV waited for a single-lane block */
    double section_wait_ms; /* total time waited there */
    int64_t missions;   /* completed (back at the China yard) */
    double mission_ms;  /* their total duration */
} lp_simagv_stats;

typedef struct lp_simagv lp_simagv;

/* The pilot: 6 AGVs, 18:30-20:00, 40 containers, 2.4 km at 25 km/h with a
 * 600 m single-lane section (lp_simagv_config_simple). */
void lp_simagv_config_default(lp_simagv_config *c);
/* Sets c's legs to the small road model: length_m at speed_mps with one
 * single-lane section from single_from_m to single_to_m (none if equal);
 * both stops at the end.  LP_OK or LP_EINVAL for values out of order. */
int lp_simagv_config_simple(lp_simagv_config *c, double length_m, double speed_mps, double single_from_m,
                            double single_to_m);
/* Field errors under prefix ("/agv"): LP_OK or LP_EINVAL. */
int lp_simagv_config_check(const lp_simagv_config *c, const char *prefix, lp_err *err);
/* Creates the shuttle on d (borrowed) from the current time of d
 * (midnight of day 1).  Caller owns *out (lp_simagv_destroy). */
int lp_simagv_create(const lp_simagv_config *c, lp_des *d, lp_simagv **out);
void lp_simagv_destroy(lp_simagv *a);
/* Forgets the statistics (end of the warm-up). */
void lp_simagv_stats_reset(lp_simagv *a);
void lp_simagv_stats_get(const lp_simagv *a, lp_simagv_stats *s);

#endif

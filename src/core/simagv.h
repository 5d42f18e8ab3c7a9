/* simagv.h - the AGV shuttle of road 1088 in the digital twin: a fleet of
 * AGVs carries containers from the China yard across km 0 to the
 * Vietnamese customs yard inside the night window (18:30-20:00), with a
 * single-lane section used by one direction at a time.
 *
 * The road here is a small model (length, speed, one single-lane section)
 * behind this interface, so that the road map and traffic reservations of
 * the fleet manager can drive it instead when they are in core.  Rule of
 * DESIGN.md kept: no mission starts that cannot finish inside the window
 * (judged on the mean durations; late finishes are counted).
 *
 * Runs on an lp_des; no I/O, no globals. */
#ifndef LP_SIMAGV_H
#define LP_SIMAGV_H

#include <stdint.h>

#include "des.h"
#include "err.h"
#include "rng.h"

typedef struct lp_simagv_config {
    int fleet;                 /* AGVs, 1..1000 */
    int window_start_min;      /* 18:30 = 1110 */
    int window_end_min;        /* 20:00 = 1200, > start */
    int containers_per_window; /* demand, >= 0 */
    double length_m;           /* China yard to Vietnamese customs yard */
    double speed_mps;          /* cruising speed */
    double single_from_m, single_to_m; /* single-lane section; equal: none */
    lp_dist load, handover, inspection, unload;
} lp_simagv_config;

typedef struct lp_simagv_stats {
    int64_t windows;    /* windows started */
    int64_t trips;      /* containers delivered to the Vietnamese yard */
    int64_t late;       /* missions ended after the window */
    int64_t left;       /* containers of the demand not carried */
    int64_t section_waits; /* times an AGV waited for the single-lane section */
    double section_wait_ms; /* total time waited there */
} lp_simagv_stats;

typedef struct lp_simagv lp_simagv;

/* The pilot: 6 AGVs, 18:30-20:00, 40 containers, 2.4 km at 25 km/h with a
 * 600 m single-lane section. */
void lp_simagv_config_default(lp_simagv_config *c);
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

/* simgate.h - the gate model of the digital twin (`landport sim`): trucks
 * arrive at the parking yard by hour of day and month, take their channel
 * (green / yellow / red, as risk.h's random minimum draws it) and the
 * agency checks it needs, then wait in the fair e-queue of their direction
 * -- the real lp_queue of queue.h, with its priority classes, lanes and
 * no-show rule -- and are called forward to the gate lanes.
 *
 * A lane place (lp_queue capacity) is held from the call until the truck
 * reaches the barrier; while the barrier serves a truck the lane's
 * capacity is lowered by one, so `places` counts the truck at the barrier
 * plus those on their way.  With places = 1, no travel time and a window
 * longer than any service, a lane group is exactly an M/G/c queue, which
 * is what the queueing-theory tests check.
 *
 * Runs on an lp_des (des.h) that the caller advances.  No I/O, no globals.
 * The AGV shuttle of road 1088 runs on the same engine (simagv.h). */
#ifndef LP_SIMGATE_H
#define LP_SIMGATE_H

#include <stdint.h>

#include "des.h"
#include "fees.h"
#include "risk.h"
#include "rng.h"
#include "simagv.h"
#include "simstat.h"

#define LP_SIM_DAY_MS INT64_C(86400000)
#define LP_SIM_GROUPS 2 /* lane groups: export (0), import (1) */
#define LP_SIM_LANES_MAX 16

typedef enum lp_sim_agency {
    LP_SIM_DOCS = 0,   /* customs document check (yellow) */
    LP_SIM_SCANNER,    /* customs scanner / physical check (red) */
    LP_SIM_QUARANTINE, /* quarantine, for food, plant and animal goods */
    LP_SIM_AGENCIES
} lp_sim_agency;

typedef struct lp_sim_agency_config {
    int servers;     /* officers or machines working at once, >= 1 */
    lp_dist service; /* per truck */
} lp_sim_agency_config;

typedef struct lp_sim_group_config {
    int lanes;        /* 0..LP_SIM_LANES_MAX (0: no truck of this direction) */
    int places;       /* per lane, >= 1: the barrier plus trucks on their way */
    int open_min;     /* lanes open at this minute of the day (0..1439) */
    int close_min;    /* and close at this one; equal to open_min: always open */
    lp_dist service;  /* barrier time of one truck (automatic gate) */
} lp_sim_group_config;

typedef struct lp_simgate_config {
    /* Arrivals: a Poisson process whose rate is piecewise constant by hour. */
    double trucks_per_day;  /* mean, before the monthly factor */
    double hourly[24];      /* relative weights (normalised here), sum > 0 */
    double monthly[12];     /* factors on trucks_per_day, >= 0 */
    int start_month;        /* 1..12: month of day 1 */
    int start_day;          /* 1..31: day of that month */
    /* Mix, each a share 0..1. */
    double export_share;    /* the rest import */
    double perishable_share; /* of booked trucks: priority class */
    double walkin_share;     /* no booking: own class behind booked trucks */
    double food_share;       /* need quarantine */
    lp_risk_policy channels; /* yellow and red per mille (one draw, as risk.h) */
    int yard_bays;           /* trucks in the yard at once; 0: unlimited */
    lp_sim_agency_config agency[LP_SIM_AGENCIES];
    /* Call forward (queue.h). */
    lp_dist travel;          /* yard to lane after a call */
    double no_show_prob;     /* a called driver does not come */
    int64_t no_show_window_ms;
    int no_show_limit;
    lp_sim_group_config group[LP_SIM_GROUPS];
    double exception_prob;   /* the gate opens an exception task */
    lp_dist exception;       /* the officer's extra time */
    double lane_mtbf_h, lane_mttr_h; /* lane failures; mtbf 0: none */
    /* Measurement. */
    int warmup_days;         /* statistics start after these days */
    int64_t sample_ms;       /* queue length sampling period; 0: none */
    int agv_enabled;
    lp_simagv_config agv;
    /* The parking yard fee of fees.h, charged from yard entry to the call
     * (code YARD, kind LP_FEE_YARD; amount 0: no fee figures). */
    lp_fee_rate yard_fee;
} lp_simgate_config;

/* Statistics of one run, from the end of the warm-up.  Times in ms. */
typedef struct lp_simgate_stats {
    int64_t measured_ms;
    int64_t arrived, crossed, removed, no_shows, late_at_gate, outside;
    lp_hist wait;     /* yard arrival to the call that led to the gate */
    lp_hist system;   /* yard arrival to leaving the gate */
    double yard_fees_vnd; /* yard fees of the trucks that crossed, đồng */
    double lane_util[LP_SIM_GROUPS][LP_SIM_LANES_MAX]; /* barrier busy share */
    double agency_util[LP_SIM_AGENCIES];               /* busy servers / servers */
    double mean_in_system;                             /* trucks in the system, time mean */
    int64_t nsamples;                                  /* queue length samples */
    const int64_t *sample_t, *sample_n;                /* borrowed from the model */
    lp_simagv_stats agv;
} lp_simgate_stats;

typedef struct lp_simgate lp_simgate;

/* What happens to a truck, for an observer (lp_simgate_observe): the demo's
 * traffic generator turns these into the readings a real gate sends. */
typedef enum lp_simgate_ev_kind {
    LP_SIMGATE_YARD = 0, /* arrived at the yard gate (ANPR read) */
    LP_SIMGATE_CLEARED,  /* agency checks done: joins the e-queue */
    LP_SIMGATE_CALLED,   /* called forward to a lane */
    LP_SIMGATE_GATE,     /* reached the barrier of its lane (gate reads) */
    LP_SIMGATE_EXIT,     /* left the gate towards km 0 */
    LP_SIMGATE_GONE      /* removed by the no-show rule */
} lp_simgate_ev_kind;

typedef struct lp_simgate_event {
    lp_simgate_ev_kind kind;
    int64_t at_ms;
    int64_t truck;  /* 1, 2, ... in order of arrival; unique in a run */
    int direction;  /* 0 export, 1 import */
    int cls;        /* lp_queue_class */
    int channel;    /* lp_risk_channel */
    int food;       /* needs quarantine */
    int lane;       /* CALLED, GATE, EXIT: 0-based lane; else -1 */
} lp_simgate_event;

typedef void (*lp_simgate_observer)(void *ud, const lp_simgate_event *e);

/* Fills c with today's gate at Hữu Nghị: 1,500 trucks a day, Vietnam 2023
 * channel mix, 4 + 4 lanes. */
void lp_simgate_config_default(lp_simgate_config *c);

/* Checks c; returns LP_OK or LP_EINVAL with one field error per problem
 * (pointers as the scenario file names them: /arrivals/trucks_per_day ...). */
int lp_simgate_config_check(const lp_simgate_config *c, lp_err *err);

/* Creates the model on d (borrowed; must outlive the model) and schedules
 * its first events at the current time of d, which is midnight of day 1.
 * Returns LP_OK and *out (caller owns; lp_simgate_destroy), or LP_EINVAL
 * (see lp_simgate_config_check). */
int lp_simgate_create(const lp_simgate_config *c, lp_des *d, lp_simgate **out, lp_err *err);
void lp_simgate_destroy(lp_simgate *g);

/* Calls fn(ud, event) for every step of every truck from now on (NULL
 * stops it).  ud is borrowed.  The observer must not touch g or its engine. */
void lp_simgate_observe(lp_simgate *g, lp_simgate_observer fn, void *ud);

/* The statistics so far (valid until the next event or lp_simgate_destroy;
 * the histograms are the model's). */
void lp_simgate_stats_get(lp_simgate *g, lp_simgate_stats *s);

#endif

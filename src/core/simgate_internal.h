/* simgate_internal.h - shared by the files of the gate model: simgate.c
 * (trucks, yard, agencies, arrivals, lanes and call forward) and
 * simgate_setup.c (hours, failures, sampling, warm-up, create, statistics). */
#ifndef LP_SIMGATE_INTERNAL_H
#define LP_SIMGATE_INTERNAL_H

#include "queue.h"
#include "simgate.h"

#define SIMGATE_HOUR_MS INT64_C(3600000)
#define SIMGATE_NONE (-1)

typedef struct simgate_truck {
    int64_t arrive;  /* at the yard gate */
    int64_t called;
    int group, cls, channel, food;
    int step;        /* next agency step */
    int next;        /* FIFO link */
    int lane;
    uint32_t epoch;
    int inyard;
    int64_t yard_in;  /* when it entered the yard */
    int64_t serial;  /* 1, 2, ... in order of arrival */
} simgate_truck;

typedef struct simgate_fifo { int head, tail, n; } simgate_fifo;

typedef struct simgate_lane {
    simgate_fifo approach;
    int busy;       /* the barrier serves a truck */
    int closed;     /* outside its hours */
    int down;       /* failed */
    lp_level util;
} simgate_lane;

typedef struct simgate_agency {
    simgate_fifo q;
    int busy;
    lp_level util;
} simgate_agency;

struct lp_simgate {
    lp_simgate_config c;
    lp_des *d;
    lp_rng *rng;
    double hourly[24];        /* normalised weights */
    simgate_truck *t;
    int cap, ntrucks, freel;  /* pool; freel links free records through next */
    lp_queue *q[LP_SIM_GROUPS];
    simgate_lane lanes[LP_SIM_GROUPS][LP_SIM_LANES_MAX];
    simgate_agency ag[LP_SIM_AGENCIES];
    simgate_fifo outside;
    int inyard;
    lp_level insys;    /* trucks arrived and not yet gone */
    int64_t *sample_t, *sample_n;
    int64_t nsamples, samples_cap;
    lp_simagv *agv;
    lp_simgate_stats st;
    int64_t serial;
    lp_simgate_observer observer;
    void *observer_ud;
};


static inline int64_t simgate__now(const lp_simgate *g) { return lp_des_now(g->d); }

/* simgate.c */
void simgate__fifo_init(simgate_fifo *f);
void simgate__kick(lp_simgate *g, int grp);
void simgate__lane_pause_sync(lp_simgate *g, int grp, int l);
int64_t simgate__next_arrival(lp_simgate *g, int64_t t);
void simgate__ev_arrival(lp_des *d, void *ud, int64_t arg);

#endif

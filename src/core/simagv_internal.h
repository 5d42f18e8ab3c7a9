/* simagv_internal.h - shared by the files of the AGV shuttle: simagv.c
 * (windows, dispatch, the leg model) and simagv_traffic.c (driving the
 * fleet manager's road with its traffic reservations). */
#ifndef LP_SIMAGV_INTERNAL_H
#define LP_SIMAGV_INTERNAL_H

#include "road.h"
#include "simagv.h"
#include "traffic.h"

enum { SIMAGV_NORTH = 0, SIMAGV_SOUTH = 1 };
/* Event kinds of ev_step. */
enum { SIMAGV_K_LEG, SIMAGV_K_LEG_END, SIMAGV_K_TURN, SIMAGV_K_HOME, SIMAGV_K_TR_ARRIVE, SIMAGV_K_TR_CLEAR,
       SIMAGV_K_TR_GO };

typedef struct simagv_agv {
    int busy;
    int64_t started;   /* of its mission */
    int leg;           /* leg model: waiting to enter this leg */
    int64_t wait_from;
    /* traffic model */
    int vehicle;       /* number in lp_traffic */
    int dir;           /* on the out or the back route */
    int at;            /* index of the route node it stands at or left last */
    int granted;       /* base end, index into the route */
    int waiting;       /* stands at `at` waiting for a grant */
} simagv_agv;

typedef struct simagv_block {
    int dir, users;
    int *wq[2];        /* AGVs waiting at each end (FIFO rings of fleet) */
    int wh[2], wn[2];
} simagv_block;

struct lp_simagv {
    lp_simagv_config c;
    lp_des *d;
    lp_rng *rng;
    simagv_agv *v;
    simagv_block *b;   /* leg model: nlegs blocks at most */
    lp_traffic *traffic; /* traffic model */
    lp_road_route route[2]; /* out and back */
    int remaining;
    int64_t window_end; /* absolute, of the current window */
    double observed_ms; /* moving average of whole missions; 0: none yet */
    lp_simagv_stats st;
};

/* Schedules step kind for AGV i (dir, leg or route index) after ms. */
void simagv__next(lp_simagv *a, int i, int dir, int leg, int kind, int64_t after);

/* The traffic model (simagv_traffic.c). */
int simagv__tr_create(lp_simagv *a);
/* Mean drive time of a whole mission, out and back, in ms. */
int64_t simagv__tr_drive_ms(const lp_simagv *a);
void simagv__tr_start(lp_simagv *a, int i, int dir);
void simagv__tr_step(lp_simagv *a, int i, int kind);

#endif

/* run.h - replications of a scenario: each replication is the gate model
 * on its own engine, seeded with lp_rng_mix(seed + r), run through the
 * warm-up and the days asked; the figures of every replication are kept
 * so that the report can give their mean with a 95% confidence interval.
 * Deterministic: the same scenario and seed give the same result. */
#ifndef LP_SIM_RUN_H
#define LP_SIM_RUN_H

#include <stdint.h>

#include "../core/simstat.h"
#include "scenario.h"

#define LP_SIMRUN_METRICS_MAX 64

/* One figure: its value in every replication. */
typedef struct lp_simrun_metric {
    char name[48];  /* "throughput_per_day" */
    char unit[16];  /* "trucks/day", "min", "share" */
    double *v;      /* [reps], owned by the result */
} lp_simrun_metric;

typedef struct lp_simrun {
    int reps, days;
    int nmetrics;
    lp_simrun_metric m[LP_SIMRUN_METRICS_MAX];
    lp_hist wait, system;      /* all replications merged (ms) */
    int64_t nsamples;          /* queue length over time, replication 1 */
    int64_t *sample_t, *sample_n;
    int64_t events;            /* run by all replications */
    int lanes[LP_SIM_GROUPS];
} lp_simrun;

/* Called after every simulated day with the share done (0..1]. */
typedef void (*lp_simrun_progress)(void *ud, double done);

/* Runs s.  Returns LP_OK and *out (caller owns; lp_simrun_destroy), or
 * the model's error with err filled. */
int lp_simrun_exec(const lp_scenario *s, lp_simrun_progress progress, void *ud, lp_simrun **out, lp_err *err);
void lp_simrun_destroy(lp_simrun *r);
/* The metric named name, or NULL. */
const lp_simrun_metric *lp_simrun_metric_get(const lp_simrun *r, const char *name);

#endif

/* sim_bench.c - speed of the simulator (run by bench/sim.sh):
 *
 *   reference  the engine alone: the classic "hold" model, a heap kept at
 *              the size the gate model keeps (a few hundred pending
 *              events), every event scheduling one more at a random
 *              exponential delay; events per second of pop + push + an
 *              empty callback
 *   gate year  scenarios/today.json for 365 days after its warm-up, one
 *              replication: the truck gate at today's volume plus the AGV
 *              shuttle, with the real lp_queue call-forward
 *
 * and the ratio of the two event rates: the share of the engine's raw
 * speed the model keeps (the rest is the model's work per event).
 *
 *   lp_bench_sim SCENARIO [DAYS]      default DAYS 365 */
#include "core/des.h"
#include "core/err.h"
#include "sim/run.h"
#include "sim/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void hold(lp_des *d, void *ud, int64_t arg)
{
    (void)ud;
    lp_des_after(d, (int64_t)lp_rng_exp(lp_des_rng(d), 60000.0), hold, NULL, arg);
}

static double reference(int64_t pending, int64_t events)
{
    lp_des *d = NULL;
    double t0, t1;
    int64_t i;
    lp_des_create(0, 1, &d);
    for (i = 0; i < pending; i++) lp_des_at(d, (int64_t)lp_rng_exp(lp_des_rng(d), 60000.0), hold, NULL, i);
    t0 = now_s();
    for (i = 0; i < events; i++) lp_des_step(d);
    t1 = now_s();
    lp_des_destroy(d);
    return (double)events / (t1 - t0);
}

int main(int argc, char **argv)
{
    lp_scenario *s = malloc(sizeof *s);
    lp_simrun *r = NULL;
    lp_err err;
    double t0, secs, ref, rate;
    const lp_simrun_metric *thr;
    if (argc < 2 || !s) {
        fprintf(stderr, "usage: lp_bench_sim SCENARIO [DAYS]\n");
        return 2;
    }
    lp_err_init(&err);
    if (lp_scenario_load(argv[1], s, &err) != LP_OK) {
        fprintf(stderr, "%s: %s %s\n", argv[1], err.msg, err.nfields ? err.fields[0].pointer : "");
        return 1;
    }
    s->days = argc > 2 ? atoi(argv[2]) : 365;
    s->replications = 1;
    t0 = now_s();
    if (lp_simrun_exec(s, NULL, NULL, &r, &err) != LP_OK) {
        fprintf(stderr, "run: %s\n", err.msg);
        return 1;
    }
    secs = now_s() - t0;
    rate = (double)r->events / secs;
    ref = reference(400, 20000000);
    thr = lp_simrun_metric_get(r, "throughput_per_day");
    printf("reference: engine alone (hold model, 400 pending)  %12.0f events/s\n", ref);
    printf("gate year: %s, %d days + %d warm-up, AGV %s\n", s->name, s->days, s->gate.warmup_days,
           s->gate.agv_enabled ? "on" : "off");
    printf("  %lld events in %.3f s  %12.0f events/s   %.0f trucks/day cleared, %.0f simulated days/s\n",
           (long long)r->events, secs, rate, thr ? thr->v[0] : 0.0,
           (s->days + s->gate.warmup_days) / secs);
    printf("ratio gate model / engine alone: %.3f\n", rate / ref);
    lp_simrun_destroy(r);
    lp_scenario_deinit(s);
    free(s);
    return 0;
}

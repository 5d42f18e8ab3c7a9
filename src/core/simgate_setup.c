/* simgate_setup.c - the gate model's set-up and its clockwork: lane hours,
 * lane failures, queue-length sampling, the end of the warm-up, create and
 * destroy, the observer and the statistics (see simgate.h). */
#include "simgate_internal.h"
#include "err.h"
#include "mem.h"

#include <string.h>

/* Hours, failures, sampling, warm-up ------------------------------------------------ */

static void ev_hours(lp_des *d, void *ud, int64_t arg)
{
    lp_simgate *g = ud;
    int grp = (int)(arg >> 1), open = (int)(arg & 1), l;
    for (l = 0; l < g->c.group[grp].lanes; l++) {
        g->lanes[grp][l].closed = !open;
        simgate__lane_pause_sync(g, grp, l);
    }
    lp_des_after(d, LP_SIM_DAY_MS, ev_hours, g, arg);
    if (open) simgate__kick(g, grp);
}

static void ev_lane_fail(lp_des *d, void *ud, int64_t arg);

static void ev_lane_repair(lp_des *d, void *ud, int64_t arg)
{
    lp_simgate *g = ud;
    int grp = (int)(arg / LP_SIM_LANES_MAX), l = (int)(arg % LP_SIM_LANES_MAX);
    g->lanes[grp][l].down = 0;
    simgate__lane_pause_sync(g, grp, l);
    simgate__kick(g, grp);
    lp_des_after(d, (int64_t)lp_rng_exp(g->rng, g->c.lane_mtbf_h * SIMGATE_HOUR_MS), ev_lane_fail, g, arg);
}

static void ev_lane_fail(lp_des *d, void *ud, int64_t arg)
{
    lp_simgate *g = ud;
    int grp = (int)(arg / LP_SIM_LANES_MAX), l = (int)(arg % LP_SIM_LANES_MAX);
    g->lanes[grp][l].down = 1; /* the truck at the barrier finishes; no new call */
    simgate__lane_pause_sync(g, grp, l);
    lp_des_after(d, (int64_t)lp_rng_exp(g->rng, g->c.lane_mttr_h * SIMGATE_HOUR_MS), ev_lane_repair, g, arg);
}

/* Trucks waiting for something: outside, at agencies, in the e-queue. */
static int64_t waiting_now(const lp_simgate *g)
{
    int64_t n = g->outside.n;
    int i;
    for (i = 0; i < LP_SIM_AGENCIES; i++) n += g->ag[i].q.n;
    for (i = 0; i < LP_SIM_GROUPS; i++) n += lp_queue_waiting(g->q[i]);
    return n;
}

static void ev_sample(lp_des *d, void *ud, int64_t arg)
{
    lp_simgate *g = ud;
    (void)arg;
    if (g->nsamples == g->samples_cap) {
        g->samples_cap = g->samples_cap ? g->samples_cap * 2 : 1024;
        g->sample_t = lp_realloc(g->sample_t, (size_t)g->samples_cap * sizeof *g->sample_t);
        g->sample_n = lp_realloc(g->sample_n, (size_t)g->samples_cap * sizeof *g->sample_n);
    }
    g->sample_t[g->nsamples] = simgate__now(g);
    g->sample_n[g->nsamples++] = waiting_now(g);
    lp_des_after(d, g->c.sample_ms, ev_sample, g, 0);
}

static void ev_warm(lp_des *d, void *ud, int64_t arg)
{
    lp_simgate *g = ud;
    int64_t t = lp_des_now(d);
    int i, l;
    (void)arg;
    g->st.arrived = g->st.crossed = g->st.removed = g->st.no_shows = 0;
    g->st.late_at_gate = g->st.outside = 0;
    g->st.yard_fees_vnd = 0;
    lp_hist_reset(&g->st.wait);
    lp_hist_reset(&g->st.system);
    lp_level_restart(&g->insys, t);
    for (i = 0; i < LP_SIM_AGENCIES; i++) lp_level_restart(&g->ag[i].util, t);
    for (i = 0; i < LP_SIM_GROUPS; i++)
        for (l = 0; l < LP_SIM_LANES_MAX; l++) lp_level_restart(&g->lanes[i][l].util, t);
    g->nsamples = 0;
    if (g->agv) lp_simagv_stats_reset(g->agv);
}

/* Create and destroy ------------------------------------------------------------------ */

static void schedule_hours(lp_simgate *g, int grp)
{
    const lp_sim_group_config *gc = &g->c.group[grp];
    int64_t t0 = simgate__now(g), open = gc->open_min * 60000LL, close = gc->close_min * 60000LL;
    int l;
    if (gc->open_min == gc->close_min || gc->lanes == 0) return; /* always open */
    /* Closed at midnight if the open period does not span it. */
    for (l = 0; l < gc->lanes; l++) {
        g->lanes[grp][l].closed = open < close;
        simgate__lane_pause_sync(g, grp, l);
    }
    lp_des_at(g->d, t0 + open, ev_hours, g, grp * 2 + 1);
    lp_des_at(g->d, t0 + close, ev_hours, g, grp * 2);
}

int lp_simgate_create(const lp_simgate_config *c, lp_des *d, lp_simgate **out, lp_err *err)
{
    lp_simgate *g = NULL;
    double sum = 0;
    int i, l, rc;
    int64_t first;
    if (out) *out = NULL;
    if (!c || !d || !out) return LP_EINVAL;
    if ((rc = lp_simgate_config_check(c, err)) != LP_OK) return rc;
    g = lp_calloc(1, sizeof *g);
    g->c = *c;
    g->d = d;
    g->rng = lp_des_rng(d);
    g->freel = SIMGATE_NONE;
    for (i = 0; i < 24; i++) sum += c->hourly[i];
    for (i = 0; i < 24; i++) g->hourly[i] = c->hourly[i] / sum;
    simgate__fifo_init(&g->outside);
    lp_level_init(&g->insys, simgate__now(g));
    for (i = 0; i < LP_SIM_AGENCIES; i++) {
        simgate__fifo_init(&g->ag[i].q);
        lp_level_init(&g->ag[i].util, simgate__now(g));
    }
    for (i = 0; i < LP_SIM_GROUPS; i++) {
        lp_queue_config qc;
        int n = c->group[i].lanes ? c->group[i].lanes : 1;
        lp_queue_config_default(&qc);
        qc.nlanes = n;
        for (l = 0; l < n; l++) qc.capacity[l] = c->group[i].lanes ? c->group[i].places : 0;
        qc.no_show_window_ms = c->no_show_window_ms;
        qc.no_show_limit = c->no_show_limit;
        qc.walk_ins = 1;
        if ((rc = lp_queue_create(&qc, &g->q[i])) != LP_OK) goto fail;
        for (l = 0; l < LP_SIM_LANES_MAX; l++) {
            simgate__fifo_init(&g->lanes[i][l].approach);
            lp_level_init(&g->lanes[i][l].util, simgate__now(g));
        }
        schedule_hours(g, i);
        for (l = 0; c->lane_mtbf_h > 0 && l < c->group[i].lanes; l++)
            lp_des_after(d, (int64_t)lp_rng_exp(g->rng, c->lane_mtbf_h * SIMGATE_HOUR_MS), ev_lane_fail, g,
                         i * LP_SIM_LANES_MAX + l);
    }
    lp_hist_init(&g->st.wait, 10000, 6 * 24 * 60 * 2); /* 10 s bins up to 48 h */
    lp_hist_init(&g->st.system, 10000, 6 * 24 * 60 * 2);
    if (c->agv_enabled && (rc = lp_simagv_create(&c->agv, d, &g->agv)) != LP_OK) goto fail;
    if (c->warmup_days > 0) lp_des_at(d, simgate__now(g) + c->warmup_days * LP_SIM_DAY_MS, ev_warm, g, 0);
    if (c->sample_ms > 0) lp_des_at(d, simgate__now(g), ev_sample, g, 0);
    if ((first = simgate__next_arrival(g, simgate__now(g))) >= 0) lp_des_at(d, first, simgate__ev_arrival, g, 0);
    *out = g;
    return LP_OK;
fail:
    lp_simgate_destroy(g);
    return lp_err_set(err, rc, "cannot create the gate model");
}

void lp_simgate_destroy(lp_simgate *g)
{
    int i;
    if (!g) return;
    for (i = 0; i < LP_SIM_GROUPS; i++) lp_queue_destroy(g->q[i]);
    lp_hist_deinit(&g->st.wait);
    lp_hist_deinit(&g->st.system);
    lp_simagv_destroy(g->agv);
    lp_free(g->sample_t);
    lp_free(g->sample_n);
    lp_free(g->t);
    lp_free(g);
}

void lp_simgate_observe(lp_simgate *g, lp_simgate_observer fn, void *ud)
{
    g->observer = fn;
    g->observer_ud = ud;
}

void lp_simgate_stats_get(lp_simgate *g, lp_simgate_stats *s)
{
    int64_t t = simgate__now(g);
    int i, l;
    *s = g->st;
    s->measured_ms = t - g->insys.start;
    s->mean_in_system = lp_level_mean(&g->insys, t);
    for (i = 0; i < LP_SIM_AGENCIES; i++)
        s->agency_util[i] = lp_level_mean(&g->ag[i].util, t) / g->c.agency[i].servers;
    for (i = 0; i < LP_SIM_GROUPS; i++)
        for (l = 0; l < LP_SIM_LANES_MAX; l++)
            s->lane_util[i][l] = l < g->c.group[i].lanes ? lp_level_mean(&g->lanes[i][l].util, t) : 0;
    s->nsamples = g->nsamples;
    s->sample_t = g->sample_t;
    s->sample_n = g->sample_n;
    if (g->agv) lp_simagv_stats_get(g->agv, &s->agv);
    else memset(&s->agv, 0, sizeof s->agv);
}

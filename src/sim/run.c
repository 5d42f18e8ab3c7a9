/* run.c - replications of a scenario (see run.h). */
#include "run.h"
#include "../core/des.h"
#include "../core/mem.h"

#include <stdio.h>
#include <string.h>

static const char *const group_name[LP_SIM_GROUPS] = {"export", "import"};
static const char *const agency_name[LP_SIM_AGENCIES] = {"customs_docs", "scanner", "quarantine"};

/* The slot of metric name in r, created on first use. */
static double *slot(lp_simrun *r, const char *name, const char *unit, int rep)
{
    int i;
    for (i = 0; i < r->nmetrics; i++)
        if (!strcmp(r->m[i].name, name)) return &r->m[i].v[rep];
    if (r->nmetrics == LP_SIMRUN_METRICS_MAX) return NULL;
    snprintf(r->m[i].name, sizeof r->m[i].name, "%s", name);
    snprintf(r->m[i].unit, sizeof r->m[i].unit, "%s", unit);
    r->m[i].v = lp_calloc((size_t)r->reps, sizeof(double));
    r->nmetrics++;
    return &r->m[i].v[rep];
}

static void put(lp_simrun *r, int rep, const char *name, const char *unit, double v)
{
    double *p = slot(r, name, unit, rep);
    if (p) *p = v;
}

static void collect(lp_simrun *r, int rep, const lp_scenario *s, const lp_simgate_stats *st)
{
    const double min = 60000.0, days = (double)st->measured_ms / LP_SIM_DAY_MS;
    char name[48];
    int g, l, a;
    put(r, rep, "arrived_per_day", "trucks/day", (double)st->arrived / days);
    put(r, rep, "throughput_per_day", "trucks/day", (double)st->crossed / days);
    put(r, rep, "wait_mean", "min", lp_hist_mean(&st->wait) / min);
    put(r, rep, "wait_p50", "min", lp_hist_quantile(&st->wait, 0.50) / min);
    put(r, rep, "wait_p95", "min", lp_hist_quantile(&st->wait, 0.95) / min);
    put(r, rep, "wait_max", "min", st->wait.max / min);
    put(r, rep, "system_mean", "min", lp_hist_mean(&st->system) / min);
    put(r, rep, "system_p50", "min", lp_hist_quantile(&st->system, 0.50) / min);
    put(r, rep, "system_p95", "min", lp_hist_quantile(&st->system, 0.95) / min);
    put(r, rep, "system_max", "min", st->system.max / min);
    put(r, rep, "in_system_mean", "trucks", st->mean_in_system);
    put(r, rep, "no_shows_per_day", "trucks/day", (double)st->no_shows / days);
    put(r, rep, "late_at_gate_per_day", "trucks/day", (double)st->late_at_gate / days);
    put(r, rep, "removed_per_day", "trucks/day", (double)st->removed / days);
    put(r, rep, "outside_yard_per_day", "trucks/day", (double)st->outside / days);
    if (s->gate.yard_fee.amount > 0) {
        put(r, rep, "yard_fee_mean", "VND/truck", st->crossed ? st->yard_fees_vnd / (double)st->crossed : 0);
        put(r, rep, "yard_fees_per_day", "MVND/day", st->yard_fees_vnd / days / 1e6);
    }
    for (g = 0; g < LP_SIM_GROUPS; g++)
        for (l = 0; l < s->gate.group[g].lanes; l++) {
            snprintf(name, sizeof name, "util_%s_lane_%d", group_name[g], l + 1);
            put(r, rep, name, "share", st->lane_util[g][l]);
        }
    for (a = 0; a < LP_SIM_AGENCIES; a++) {
        snprintf(name, sizeof name, "util_%s", agency_name[a]);
        put(r, rep, name, "share", st->agency_util[a]);
    }
    if (s->gate.agv_enabled) {
        double w = st->agv.windows > 0 ? (double)st->agv.windows : 1;
        put(r, rep, "agv_trips_per_window", "containers", (double)st->agv.trips / w);
        put(r, rep, "agv_left_per_window", "containers", (double)st->agv.left / w);
        put(r, rep, "agv_late_per_window", "missions", (double)st->agv.late / w);
        put(r, rep, "agv_mission_mean", "min", st->agv.missions ? st->agv.mission_ms / (double)st->agv.missions / min : 0);
        put(r, rep, "agv_section_wait_mean", "min",
            st->agv.section_waits ? st->agv.section_wait_ms / (double)st->agv.section_waits / min : 0);
    }
}

int lp_simrun_exec(const lp_scenario *s, lp_simrun_progress progress, void *ud, lp_simrun **out, lp_err *err)
{
    lp_simrun *r = lp_calloc(1, sizeof *r);
    lp_des *d = NULL;
    lp_simgate *g = NULL;
    int rep, day, rc = LP_OK, total = s->gate.warmup_days + s->days;
    *out = NULL;
    r->reps = s->replications;
    r->days = s->days;
    r->lanes[0] = s->gate.group[0].lanes;
    r->lanes[1] = s->gate.group[1].lanes;
    lp_hist_init(&r->wait, 10000, 6 * 24 * 60 * 2);
    lp_hist_init(&r->system, 10000, 6 * 24 * 60 * 2);
    for (rep = 0; rep < s->replications; rep++) {
        lp_simgate_stats st;
        if ((rc = lp_des_create(0, lp_rng_mix(s->seed + (uint64_t)rep), &d)) != LP_OK ||
            (rc = lp_simgate_create(&s->gate, d, &g, err)) != LP_OK)
            goto fail;
        for (day = 1; day <= total; day++) {
            lp_des_run_until(d, day * LP_SIM_DAY_MS);
            if (progress) progress(ud, (rep * (double)total + day) / ((double)total * s->replications));
        }
        lp_simgate_stats_get(g, &st);
        collect(r, rep, s, &st);
        lp_hist_merge(&r->wait, &st.wait);
        lp_hist_merge(&r->system, &st.system);
        if (rep == 0 && st.nsamples > 0) {
            size_t n = (size_t)st.nsamples * sizeof(int64_t);
            r->nsamples = st.nsamples;
            r->sample_t = lp_malloc(n);
            r->sample_n = lp_malloc(n);
            memcpy(r->sample_t, st.sample_t, n);
            memcpy(r->sample_n, st.sample_n, n);
        }
        r->events += lp_des_count(d);
        lp_simgate_destroy(g);
        lp_des_destroy(d);
        g = NULL;
        d = NULL;
    }
    *out = r;
    return LP_OK;
fail:
    lp_simgate_destroy(g);
    lp_des_destroy(d);
    lp_simrun_destroy(r);
    return rc;
}

void lp_simrun_destroy(lp_simrun *r)
{
    int i;
    if (!r) return;
    for (i = 0; i < r->nmetrics; i++) lp_free(r->m[i].v);
    lp_hist_deinit(&r->wait);
    lp_hist_deinit(&r->system);
    lp_free(r->sample_t);
    lp_free(r->sample_n);
    lp_free(r);
}

const lp_simrun_metric *lp_simrun_metric_get(const lp_simrun *r, const char *name)
{
    int i;
    for (i = 0; r && i < r->nmetrics; i++)
        if (!strcmp(r->m[i].name, name)) return &r->m[i];
    return NULL;
}

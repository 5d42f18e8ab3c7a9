/* simgate.c - the gate model (see simgate.h for what it models).
 *
 * Trucks live in a pool; a truck's lp_queue id is its pool index + 1
 * (unique while it is in the queue, which is all lp_queue asks).  Each
 * truck is in at most one FIFO at a time (outside the yard, an agency
 * queue, a lane approach), linked through its `next` field.  Events that
 * may be overtaken (a called truck's drive to the lane) carry the truck's
 * epoch, bumped whenever the queue takes the truck back, so a stale event
 * does nothing. */
#include "simgate.h"
#include "err.h"
#include "mem.h"
#include "queue.h"

#include <stdio.h>
#include <string.h>

#define HOUR_MS INT64_C(3600000)
#define NONE (-1)

typedef struct truck {
    int64_t arrive;  /* at the yard gate */
    int64_t called;
    int group, cls, channel, food;
    int step;        /* next agency step */
    int next;        /* FIFO link */
    int lane;
    uint32_t epoch;
    int inyard;
} truck;

typedef struct fifo { int head, tail, n; } fifo;

typedef struct lane {
    fifo approach;
    int busy;       /* the barrier serves a truck */
    int closed;     /* outside its hours */
    int down;       /* failed */
    lp_level util;
} lane;

typedef struct agency {
    fifo q;
    int busy;
    lp_level util;
} agency;

struct lp_simgate {
    lp_simgate_config c;
    lp_des *d;
    lp_rng *rng;
    double hourly[24];        /* normalised weights */
    truck *t;
    int cap, ntrucks, freel;  /* pool; freel links free records through next */
    lp_queue *q[LP_SIM_GROUPS];
    lane lanes[LP_SIM_GROUPS][LP_SIM_LANES_MAX];
    agency ag[LP_SIM_AGENCIES];
    fifo outside;
    int inyard;
    lp_level insys;    /* trucks arrived and not yet gone */
    int64_t *sample_t, *sample_n;
    int64_t nsamples, samples_cap;
    lp_simagv *agv;
    lp_simgate_stats st;
};

/* FIFOs ------------------------------------------------------------------------ */

static void fifo_init(fifo *f) { f->head = f->tail = NONE, f->n = 0; }

static void fifo_push(lp_simgate *g, fifo *f, int k)
{
    g->t[k].next = NONE;
    if (f->tail == NONE) f->head = k;
    else g->t[f->tail].next = k;
    f->tail = k;
    f->n++;
}

static int fifo_pop(lp_simgate *g, fifo *f)
{
    int k = f->head;
    if (k == NONE) return NONE;
    f->head = g->t[k].next;
    if (f->head == NONE) f->tail = NONE;
    f->n--;
    return k;
}

/* Takes k out of f if it is there; returns 1 if it was. */
static int fifo_remove(lp_simgate *g, fifo *f, int k)
{
    int p = NONE, i;
    for (i = f->head; i != NONE && i != k; i = g->t[i].next) p = i;
    if (i == NONE) return 0;
    if (p == NONE) f->head = g->t[k].next;
    else g->t[p].next = g->t[k].next;
    if (f->tail == k) f->tail = p;
    f->n--;
    return 1;
}

/* Pool ------------------------------------------------------------------------- */

static int truck_new(lp_simgate *g)
{
    int k;
    if (g->freel == NONE) {
        int old = g->cap, i;
        g->cap = g->cap ? g->cap * 2 : 1024;
        g->t = lp_realloc(g->t, (size_t)g->cap * sizeof *g->t);
        for (i = g->cap - 1; i >= old; i--) {
            g->t[i].next = g->freel;
            g->t[i].epoch = 0;
            g->freel = i;
        }
    }
    k = g->freel;
    g->freel = g->t[k].next;
    g->t[k].next = NONE;
    g->t[k].epoch++;
    g->ntrucks++;
    return k;
}

static void truck_free(lp_simgate *g, int k)
{
    g->t[k].epoch++;
    g->t[k].next = g->freel;
    g->freel = k;
    g->ntrucks--;
}

static int64_t now(const lp_simgate *g) { return lp_des_now(g->d); }
static int64_t tag(const lp_simgate *g, int k) { return (int64_t)k | ((int64_t)g->t[k].epoch << 32); }
static int untag(const lp_simgate *g, int64_t arg)
{
    int k = (int)(arg & 0xffffffff);
    return k < g->cap && g->t[k].epoch == (uint32_t)(arg >> 32) ? k : NONE;
}

/* The yard ------------------------------------------------------------------------ */

static void kick(lp_simgate *g, int grp);
static void agency_next(lp_simgate *g, int k);

static void insys_add(lp_simgate *g, int delta) { lp_level_add(&g->insys, now(g), delta); }

static void yard_enter(lp_simgate *g, int k)
{
    g->t[k].inyard = 1;
    g->inyard++;
    agency_next(g, k);
}

static void yard_leave(lp_simgate *g, int k)
{
    int o;
    if (!g->t[k].inyard) return;
    g->t[k].inyard = 0;
    g->inyard--;
    if ((o = fifo_pop(g, &g->outside)) != NONE) yard_enter(g, o);
}

/* Agencies: a FIFO in front of `servers` officers or machines. */
static void ev_agency_done(lp_des *d, void *ud, int64_t arg);

static void agency_start(lp_simgate *g, int a, int k)
{
    g->ag[a].busy++;
    lp_level_add(&g->ag[a].util, now(g), 1);
    lp_des_after(g->d, lp_dist_sample(&g->c.agency[a].service, g->rng), ev_agency_done, g,
                 (int64_t)k | ((int64_t)a << 32));
}

static void ev_agency_done(lp_des *d, void *ud, int64_t arg)
{
    lp_simgate *g = ud;
    int a = (int)(arg >> 32), k = (int)(arg & 0xffffffff), n;
    (void)d;
    g->ag[a].busy--;
    lp_level_add(&g->ag[a].util, now(g), -1);
    if ((n = fifo_pop(g, &g->ag[a].q)) != NONE) agency_start(g, a, n);
    agency_next(g, k);
}

/* The agency a truck needs at step s, or -1 when it is done. */
static int agency_at(const truck *t, int s)
{
    int list[2], n = 0;
    if (t->channel == LP_RISK_YELLOW) list[n++] = LP_SIM_DOCS;
    if (t->channel == LP_RISK_RED) list[n++] = LP_SIM_SCANNER;
    if (t->food) list[n++] = LP_SIM_QUARANTINE;
    return s < n ? list[s] : -1;
}

static void agency_next(lp_simgate *g, int k)
{
    truck *t = &g->t[k];
    int a = agency_at(t, t->step++);
    if (a >= 0) {
        if (g->ag[a].busy < g->c.agency[a].servers) agency_start(g, a, k);
        else fifo_push(g, &g->ag[a].q, k);
        return;
    }
    /* Cleared: joins the e-queue with its booked slot (the hour it came in). */
    lp_queue_add(g->q[t->group], k + 1, (lp_queue_class)t->cls,
                 t->cls == LP_QUEUE_WALKIN ? 0 : (t->arrive / HOUR_MS) * HOUR_MS + 1, t->arrive);
    kick(g, t->group);
}

/* Arrivals ---------------------------------------------------------------------- */

static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

static int month_of(const lp_simgate *g, int64_t t)
{
    int64_t day = t / LP_SIM_DAY_MS + g->c.start_day - 1;
    int m = g->c.start_month - 1;
    while (day >= month_days[m]) {
        day -= month_days[m];
        m = (m + 1) % 12;
    }
    return m;
}

/* Trucks per ms in the hour holding t. */
static double rate_at(const lp_simgate *g, int64_t t)
{
    int h = (int)((t / HOUR_MS) % 24);
    return g->c.trucks_per_day * g->c.monthly[month_of(g, t)] * g->hourly[h] / (double)HOUR_MS;
}

/* The next arrival after t: exponential gaps at the rate of each hour; a
 * gap that crosses the hour starts again at the boundary (exact for a
 * piecewise constant rate, the process having no memory). */
static int64_t next_arrival(lp_simgate *g, int64_t t)
{
    int i;
    for (i = 0; i < 24 * 400; i++) {
        int64_t end = (t / HOUR_MS + 1) * HOUR_MS;
        double r = rate_at(g, t), gap;
        if (r > 0) {
            gap = lp_rng_exp(g->rng, 1.0 / r);
            if ((double)t + gap < (double)end) return t + (int64_t)(gap + 0.5);
        }
        t = end;
    }
    return -1; /* no truck for 400 days: stop arriving */
}

static void ev_arrival(lp_des *d, void *ud, int64_t arg)
{
    lp_simgate *g = ud;
    int k = truck_new(g), perm;
    truck *t = &g->t[k];
    int64_t nx;
    (void)arg;
    t->arrive = now(g);
    t->step = 0;
    t->lane = -1;
    t->inyard = 0;
    t->group = g->c.group[1].lanes == 0 ? 0 : g->c.group[0].lanes == 0 ? 1
             : lp_rng_uniform(g->rng) < g->c.export_share ? 0 : 1;
    t->cls = lp_rng_uniform(g->rng) < g->c.walkin_share ? LP_QUEUE_WALKIN
           : lp_rng_uniform(g->rng) < g->c.perishable_share ? LP_QUEUE_PERISHABLE : LP_QUEUE_NORMAL;
    /* The random minimum of risk.h: one draw decides red, then yellow. */
    perm = (int)lp_rng_below(g->rng, 1000);
    t->channel = perm < g->c.channels.min_red_permille ? LP_RISK_RED
               : perm < g->c.channels.min_red_permille + g->c.channels.min_yellow_permille ? LP_RISK_YELLOW
               : LP_RISK_GREEN;
    t->food = lp_rng_uniform(g->rng) < g->c.food_share;
    g->st.arrived++;
    insys_add(g, 1);
    if (g->c.yard_bays > 0 && g->inyard >= g->c.yard_bays) {
        g->st.outside++;
        fifo_push(g, &g->outside, k);
    } else {
        yard_enter(g, k);
    }
    if ((nx = next_arrival(g, now(g))) >= 0) lp_des_at(d, nx, ev_arrival, g, 0);
}

/* Lanes and call forward ------------------------------------------------------------ */

static void ev_at_lane(lp_des *d, void *ud, int64_t arg);
static void ev_tick(lp_des *d, void *ud, int64_t arg);
static void ev_served(lp_des *d, void *ud, int64_t arg);

static void lane_pause_sync(lp_simgate *g, int grp, int l)
{
    lane *ln = &g->lanes[grp][l];
    lp_queue_lane_pause(g->q[grp], l, ln->closed || ln->down);
}

/* The queue took truck k back (no-show) or removed it: it leaves its lane.
 * A truck that was already queueing at the barrier when its window ran
 * out (behind a slow truck or an exception) counts as late at the gate. */
static void unhook(lp_simgate *g, int grp, int k)
{
    truck *t = &g->t[k];
    if (t->lane >= 0 && fifo_remove(g, &g->lanes[grp][t->lane].approach, k)) g->st.late_at_gate++;
    t->lane = -1;
    t->epoch++; /* its drive to the lane, if any, is void */
}

static void on_event(lp_simgate *g, int grp, const lp_queue_event *e)
{
    int k = (int)e->truck_id - 1;
    truck *t = &g->t[k];
    switch (e->kind) {
    case LP_QUEUE_EV_CALLED:
        t->lane = e->lane;
        t->called = now(g);
        lp_des_after(g->d, g->c.no_show_window_ms + 1, ev_tick, g, grp);
        if (lp_rng_uniform(g->rng) >= g->c.no_show_prob)
            lp_des_after(g->d, lp_dist_sample(&g->c.travel, g->rng), ev_at_lane, g, tag(g, k));
        break;
    case LP_QUEUE_EV_NO_SHOW:
        g->st.no_shows++;
        unhook(g, grp, k);
        break;
    case LP_QUEUE_EV_REMOVED:
        g->st.no_shows++;
        g->st.removed++;
        unhook(g, grp, k);
        insys_add(g, -1);
        yard_leave(g, k);
        truck_free(g, k);
        break;
    default: break;
    }
}

static void kick(lp_simgate *g, int grp)
{
    lp_queue_event ev[32];
    int n, i;
    do {
        n = 0;
        lp_queue_call(g->q[grp], now(g), ev, 32, &n);
        for (i = 0; i < n; i++) on_event(g, grp, &ev[i]);
    } while (n == 32);
}

static void ev_tick(lp_des *d, void *ud, int64_t arg)
{
    (void)d;
    kick(ud, (int)arg);
}

/* The barrier of lane l takes the first truck of its approach that is
 * still on time; a late one loses its turn by the queue's rule. */
static void lane_serve(lp_simgate *g, int grp, int l)
{
    lane *ln = &g->lanes[grp][l];
    int k, rc;
    lp_queue_event e;
    while (!ln->busy && (k = fifo_pop(g, &ln->approach)) != NONE) {
        rc = lp_queue_arrived_at_gate(g->q[grp], k + 1, now(g), &e);
        if (rc != LP_OK) {
            g->st.late_at_gate++;
            g->t[k].lane = -1; /* already out of the approach */
            on_event(g, grp, &e);
            continue;
        }
        ln->busy = 1;
        lp_level_add(&ln->util, now(g), 1);
        lp_queue_lane_set_capacity(g->q[grp], l, g->c.group[grp].places - 1);
        {
            int64_t s = lp_dist_sample(&g->c.group[grp].service, g->rng);
            if (g->c.exception_prob > 0 && lp_rng_uniform(g->rng) < g->c.exception_prob)
                s += lp_dist_sample(&g->c.exception, g->rng);
            lp_des_after(g->d, s, ev_served, g, (int64_t)k | ((int64_t)(grp * LP_SIM_LANES_MAX + l) << 32));
        }
    }
}

static void ev_at_lane(lp_des *d, void *ud, int64_t arg)
{
    lp_simgate *g = ud;
    int k = untag(g, arg);
    (void)d;
    if (k == NONE) return;
    fifo_push(g, &g->lanes[g->t[k].group][g->t[k].lane].approach, k);
    lane_serve(g, g->t[k].group, g->t[k].lane);
}

static void ev_served(lp_des *d, void *ud, int64_t arg)
{
    lp_simgate *g = ud;
    int k = (int)(arg & 0xffffffff), gl = (int)(arg >> 32);
    int grp = gl / LP_SIM_LANES_MAX, l = gl % LP_SIM_LANES_MAX;
    truck *t = &g->t[k];
    (void)d;
    g->st.crossed++;
    lp_hist_add(&g->st.wait, (double)(t->called - t->arrive));
    lp_hist_add(&g->st.system, (double)(now(g) - t->arrive));
    insys_add(g, -1);
    yard_leave(g, k);
    truck_free(g, k);
    g->lanes[grp][l].busy = 0;
    lp_level_add(&g->lanes[grp][l].util, now(g), -1);
    lp_queue_lane_set_capacity(g->q[grp], l, g->c.group[grp].places);
    lane_serve(g, grp, l);
    kick(g, grp);
}

/* Hours, failures, sampling, warm-up ------------------------------------------------ */

static void ev_hours(lp_des *d, void *ud, int64_t arg)
{
    lp_simgate *g = ud;
    int grp = (int)(arg >> 1), open = (int)(arg & 1), l;
    for (l = 0; l < g->c.group[grp].lanes; l++) {
        g->lanes[grp][l].closed = !open;
        lane_pause_sync(g, grp, l);
    }
    lp_des_after(d, LP_SIM_DAY_MS, ev_hours, g, arg);
    if (open) kick(g, grp);
}

static void ev_lane_fail(lp_des *d, void *ud, int64_t arg);

static void ev_lane_repair(lp_des *d, void *ud, int64_t arg)
{
    lp_simgate *g = ud;
    int grp = (int)(arg / LP_SIM_LANES_MAX), l = (int)(arg % LP_SIM_LANES_MAX);
    g->lanes[grp][l].down = 0;
    lane_pause_sync(g, grp, l);
    kick(g, grp);
    lp_des_after(d, (int64_t)lp_rng_exp(g->rng, g->c.lane_mtbf_h * HOUR_MS), ev_lane_fail, g, arg);
}

static void ev_lane_fail(lp_des *d, void *ud, int64_t arg)
{
    lp_simgate *g = ud;
    int grp = (int)(arg / LP_SIM_LANES_MAX), l = (int)(arg % LP_SIM_LANES_MAX);
    g->lanes[grp][l].down = 1; /* the truck at the barrier finishes; no new call */
    lane_pause_sync(g, grp, l);
    lp_des_after(d, (int64_t)lp_rng_exp(g->rng, g->c.lane_mttr_h * HOUR_MS), ev_lane_repair, g, arg);
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
    g->sample_t[g->nsamples] = now(g);
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
    int64_t t0 = now(g), open = gc->open_min * 60000LL, close = gc->close_min * 60000LL;
    int l;
    if (gc->open_min == gc->close_min || gc->lanes == 0) return; /* always open */
    /* Closed at midnight if the open period does not span it. */
    for (l = 0; l < gc->lanes; l++) {
        g->lanes[grp][l].closed = open < close;
        lane_pause_sync(g, grp, l);
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
    g->freel = NONE;
    for (i = 0; i < 24; i++) sum += c->hourly[i];
    for (i = 0; i < 24; i++) g->hourly[i] = c->hourly[i] / sum;
    fifo_init(&g->outside);
    lp_level_init(&g->insys, now(g));
    for (i = 0; i < LP_SIM_AGENCIES; i++) {
        fifo_init(&g->ag[i].q);
        lp_level_init(&g->ag[i].util, now(g));
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
            fifo_init(&g->lanes[i][l].approach);
            lp_level_init(&g->lanes[i][l].util, now(g));
        }
        schedule_hours(g, i);
        for (l = 0; c->lane_mtbf_h > 0 && l < c->group[i].lanes; l++)
            lp_des_after(d, (int64_t)lp_rng_exp(g->rng, c->lane_mtbf_h * HOUR_MS), ev_lane_fail, g,
                         i * LP_SIM_LANES_MAX + l);
    }
    lp_hist_init(&g->st.wait, 10000, 6 * 24 * 60 * 2); /* 10 s bins up to 48 h */
    lp_hist_init(&g->st.system, 10000, 6 * 24 * 60 * 2);
    if (c->agv_enabled && (rc = lp_simagv_create(&c->agv, d, &g->agv)) != LP_OK) goto fail;
    if (c->warmup_days > 0) lp_des_at(d, now(g) + c->warmup_days * LP_SIM_DAY_MS, ev_warm, g, 0);
    if (c->sample_ms > 0) lp_des_at(d, now(g), ev_sample, g, 0);
    if ((first = next_arrival(g, now(g))) >= 0) lp_des_at(d, first, ev_arrival, g, 0);
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

void lp_simgate_stats_get(lp_simgate *g, lp_simgate_stats *s)
{
    int64_t t = now(g);
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

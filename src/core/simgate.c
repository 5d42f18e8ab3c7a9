/* simgate.c - the gate model (see simgate.h for what it models).
 *
 * Trucks live in a pool; a truck's lp_queue id is its pool index + 1
 * (unique while it is in the queue, which is all lp_queue asks).  Each
 * truck is in at most one FIFO at a time (outside the yard, an agency
 * queue, a lane approach), linked through its `next` field.  Events that
 * may be overtaken (a called truck's drive to the lane) carry the truck's
 * epoch, bumped whenever the queue takes the truck back, so a stale event
 * does nothing. */
#include "simgate_internal.h"
#include "err.h"
#include "mem.h"

#include <string.h>

#define HOUR_MS SIMGATE_HOUR_MS
#define NONE SIMGATE_NONE

typedef simgate_truck truck;
typedef simgate_fifo fifo;
typedef simgate_lane lane;
typedef simgate_agency agency;

/* FIFOs ------------------------------------------------------------------------ */

void simgate__fifo_init(fifo *f) { f->head = f->tail = NONE, f->n = 0; }

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

static int64_t now(const lp_simgate *g) { return simgate__now(g); }

static void emit(lp_simgate *g, int k, lp_simgate_ev_kind kind)
{
    const truck *t = &g->t[k];
    lp_simgate_event e;
    if (!g->observer) return;
    e.kind = kind;
    e.at_ms = now(g);
    e.truck = t->serial;
    e.direction = t->group;
    e.cls = t->cls;
    e.channel = t->channel;
    e.food = t->food;
    e.lane = kind == LP_SIMGATE_CALLED || kind == LP_SIMGATE_GATE || kind == LP_SIMGATE_EXIT ? t->lane : -1;
    g->observer(g->observer_ud, &e);
}
static int64_t tag(const lp_simgate *g, int k) { return (int64_t)k | ((int64_t)g->t[k].epoch << 32); }
static int untag(const lp_simgate *g, int64_t arg)
{
    int k = (int)(arg & 0xffffffff);
    return k < g->cap && g->t[k].epoch == (uint32_t)(arg >> 32) ? k : NONE;
}

/* The yard ------------------------------------------------------------------------ */

static void agency_next(lp_simgate *g, int k);

static void insys_add(lp_simgate *g, int delta) { lp_level_add(&g->insys, now(g), delta); }

static void yard_enter(lp_simgate *g, int k)
{
    g->t[k].inyard = 1;
    g->t[k].yard_in = now(g);
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
    emit(g, k, LP_SIMGATE_CLEARED);
    lp_queue_add(g->q[t->group], k + 1, (lp_queue_class)t->cls,
                 t->cls == LP_QUEUE_WALKIN ? 0 : (t->arrive / HOUR_MS) * HOUR_MS + 1, t->arrive);
    simgate__kick(g, t->group);
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
int64_t simgate__next_arrival(lp_simgate *g, int64_t t)
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

void simgate__ev_arrival(lp_des *d, void *ud, int64_t arg)
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
    t->serial = ++g->serial;
    g->st.arrived++;
    emit(g, k, LP_SIMGATE_YARD);
    insys_add(g, 1);
    if (g->c.yard_bays > 0 && g->inyard >= g->c.yard_bays) {
        g->st.outside++;
        fifo_push(g, &g->outside, k);
    } else {
        yard_enter(g, k);
    }
    if ((nx = simgate__next_arrival(g, now(g))) >= 0) lp_des_at(d, nx, simgate__ev_arrival, g, 0);
}

/* Lanes and call forward ------------------------------------------------------------ */

static void ev_at_lane(lp_des *d, void *ud, int64_t arg);
static void ev_tick(lp_des *d, void *ud, int64_t arg);
static void ev_served(lp_des *d, void *ud, int64_t arg);

void simgate__lane_pause_sync(lp_simgate *g, int grp, int l)
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
        emit(g, k, LP_SIMGATE_CALLED);
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
        emit(g, k, LP_SIMGATE_GONE);
        insys_add(g, -1);
        yard_leave(g, k);
        truck_free(g, k);
        break;
    default: break;
    }
}

void simgate__kick(lp_simgate *g, int grp)
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
    simgate__kick(ud, (int)arg);
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
        g->t[k].lane = l;
        emit(g, k, LP_SIMGATE_GATE);
        lp_queue_lane_set_capacity(g->q[grp], l, g->c.group[grp].places - 1);
        {
            int64_t s = lp_dist_sample(&g->c.group[grp].service, g->rng);
            if (g->c.exception_prob > 0 && lp_rng_uniform(g->rng) < g->c.exception_prob)
                s += lp_dist_sample(&g->c.exception, g->rng);
            lp_des_after(g->d, s, ev_served, g, (int64_t)k | ((int64_t)(grp * LP_SIM_LANES_MAX + l) << 32));
        }
    }
}

/* The truck's yard fee by the rate table of fees.h (yard entry to call;
 * 30 t gross, the typical loaded container truck). */
static void yard_fee(lp_simgate *g, const truck *t)
{
    lp_fee_table tab = {&g->c.yard_fee, 1};
    lp_fee_trip trip;
    lp_fee_line lines[4];
    int n = 0;
    int64_t total = 0;
    if (g->c.yard_fee.amount <= 0) return;
    trip.gross_kg = 30000;
    trip.goods = t->cls == LP_QUEUE_PERISHABLE ? LP_FEE_GOODS_PERISHABLE : LP_FEE_GOODS_NORMAL;
    trip.journey = t->group == 0 ? LP_FEE_JOURNEY_EXPORT : LP_FEE_JOURNEY_IMPORT;
    trip.yard_ms = t->called - t->yard_in;
    if (trip.yard_ms > LP_FEE_YARD_MS_MAX) trip.yard_ms = LP_FEE_YARD_MS_MAX;
    if (lp_fees_invoice(&tab, &trip, lines, 4, &n, &total, NULL) == LP_OK) g->st.yard_fees_vnd += (double)total;
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
    t->lane = l;
    emit(g, k, LP_SIMGATE_EXIT);
    lp_hist_add(&g->st.wait, (double)(t->called - t->arrive));
    lp_hist_add(&g->st.system, (double)(now(g) - t->arrive));
    yard_fee(g, t);
    insys_add(g, -1);
    yard_leave(g, k);
    truck_free(g, k);
    g->lanes[grp][l].busy = 0;
    lp_level_add(&g->lanes[grp][l].util, now(g), -1);
    lp_queue_lane_set_capacity(g->q[grp], l, g->c.group[grp].places);
    lane_serve(g, grp, l);
    simgate__kick(g, grp);
}


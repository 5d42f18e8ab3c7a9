/* simagv.c - the AGV shuttle on a road of legs (see simagv.h).
 *
 * A mission drives the legs out (NORTH, China to Vietnam), stops for the
 * handover, the inspection and the unloading, and drives them back
 * (SOUTH).  Each step is an event carrying the AGV, the direction and the
 * leg.  A single-lane block is requested when an AGV is about to enter its
 * first leg and released when it leaves its last one.  With a road file
 * the driving is simagv_traffic.c's; windows and dispatch stay here. */
#include "simagv_internal.h"
#include "mem.h"

#include <stdio.h>
#include <string.h>

#define DAY_MS INT64_C(86400000)
#define NORTH SIMAGV_NORTH
#define SOUTH SIMAGV_SOUTH

typedef simagv_agv agv;
typedef simagv_block block;

/* Configuration ---------------------------------------------------------------- */

int lp_simagv_config_simple(lp_simagv_config *c, double length_m, double speed_mps, double single_from_m,
                            double single_to_m)
{
    double cut[4] = {0, single_from_m, single_to_m, length_m};
    int i;
    if (!(0 <= single_from_m && single_from_m <= single_to_m && single_to_m <= length_m && length_m > 0 &&
          speed_mps > 0))
        return LP_EINVAL;
    c->nlegs = 0;
    for (i = 0; i < 3; i++) {
        if (cut[i + 1] <= cut[i]) continue;
        c->leg[c->nlegs].length_m = cut[i + 1] - cut[i];
        c->leg[c->nlegs].speed_mps = speed_mps;
        c->leg[c->nlegs].block = i == 1 ? 0 : -1;
        c->nlegs++;
    }
    c->handover_leg = c->inspection_leg = c->nlegs - 1;
    return LP_OK;
}

void lp_simagv_config_default(lp_simagv_config *c)
{
    memset(c, 0, sizeof *c);
    c->fleet = 6;
    c->window_start_min = 18 * 60 + 30;
    c->window_end_min = 20 * 60;
    c->containers_per_window = 40;
    lp_simagv_config_simple(c, 2400, 25 / 3.6, 900, 1500);
    c->load.kind = LP_DIST_UNIFORM, c->load.lo = 3 * 60000.0, c->load.hi = 6 * 60000.0;
    c->load.mean = 4.5 * 60000.0;
    c->handover.kind = LP_DIST_CONST, c->handover.mean = 2 * 60000.0;
    c->inspection.kind = LP_DIST_LOGNORMAL, c->inspection.mean = 6 * 60000.0, c->inspection.cv = 0.5;
    c->unload = c->load;
}

static void check_d(const lp_dist *d, const char *prefix, const char *name, lp_err *err)
{
    char p[96];
    snprintf(p, sizeof p, "%s/%s", prefix, name);
    if ((unsigned)d->kind >= LP_DIST_KINDS || !(d->mean >= 0) || !(d->lo >= 0 && d->hi >= d->lo) ||
        (d->kind == LP_DIST_LOGNORMAL && !(d->cv > 0 && d->mean > 0)) ||
        (d->kind == LP_DIST_ERLANG && !(d->k >= 1 && d->k <= 100)))
        lp_err_field_add(err, p, "not a valid duration distribution");
}

int lp_simagv_config_check(const lp_simagv_config *c, const char *prefix, lp_err *err)
{
    char p[96];
    lp_err local;
    int before, i;
    if (!err) {
        lp_err_init(&local);
        err = &local;
    }
    before = err->nfields + err->more;
#define BAD(name, msg) (snprintf(p, sizeof p, "%s/%s", prefix, name), lp_err_field_add(err, p, msg))
    if (c->fleet < 1 || c->fleet > 1000) BAD("fleet", "must be 1..1000");
    if (c->window_start_min < 0 || c->window_start_min >= 1440) BAD("window/start", "must be 00:00..23:59");
    if (c->window_end_min <= c->window_start_min || c->window_end_min > 1440)
        BAD("window/end", "must be after the start, the same day");
    if (c->containers_per_window < 0 || c->containers_per_window > 100000)
        BAD("containers_per_window", "must be 0..100000");
    if (c->road) {
        if (c->from_node < 0 || c->to_node < 0 || c->from_node == c->to_node || c->handover_node < 0 ||
            c->inspection_node < 0 || !(c->vehicle_length_m > 0) || !(c->gap_m >= 0))
            BAD("road", "needs distinct from and to places, handover and inspection places on the road");
    } else if (c->nlegs < 1 || c->nlegs > LP_SIMAGV_LEGS_MAX) BAD("road", "must have 1..64 legs");
    for (i = 0; !c->road && i < c->nlegs && i < LP_SIMAGV_LEGS_MAX; i++)
        if (!(c->leg[i].length_m > 0 && c->leg[i].speed_mps > 0 && c->leg[i].speed_mps <= 40 &&
              c->leg[i].block >= -1 && c->leg[i].block < c->nlegs)) {
            BAD("road", "every leg needs a length > 0 and a speed of at most 144 km/h");
            break;
        }
    if (!c->road && (c->handover_leg < 0 || c->inspection_leg < c->handover_leg || c->inspection_leg >= c->nlegs))
        BAD("road", "the handover must come before the inspection, both on the road");
#undef BAD
    check_d(&c->load, prefix, "load", err);
    check_d(&c->handover, prefix, "handover", err);
    check_d(&c->inspection, prefix, "inspection", err);
    check_d(&c->unload, prefix, "unload", err);
    return err->nfields + err->more > before ? LP_EINVAL : LP_OK;
}

/* Missions --------------------------------------------------------------------- */

static void ev_step(lp_des *d, void *ud, int64_t arg);

void simagv__next(lp_simagv *a, int i, int dir, int leg, int kind, int64_t after)
{
    int64_t arg = (int64_t)i | (int64_t)(leg & 0xfff) << 20 | (int64_t)dir << 32 | (int64_t)kind << 33;
    lp_des_after(a->d, after, ev_step, a, arg);
}

static int64_t drive_ms(const lp_simagv_leg *l) { return (int64_t)(l->length_m / l->speed_mps * 1000 + 0.5); }

/* The leg after leg k in direction dir, or -1 at the end of the road. */
static int after(const lp_simagv *a, int dir, int k)
{
    k += dir == NORTH ? 1 : -1;
    return k >= 0 && k < a->c.nlegs ? k : -1;
}

static void block_enter(lp_simagv *a, int i, int dir, int k)
{
    block *b = &a->b[a->c.leg[k].block];
    b->dir = dir;
    b->users++;
    simagv__next(a, i, dir, k, SIMAGV_K_LEG_END, drive_ms(&a->c.leg[k]));
}

/* Starts leg k: through a single-lane block's gate when it begins one. */
static void leg_start(lp_simagv *a, int i, int dir, int k)
{
    int bk = a->c.leg[k].block, prev = after(a, !dir, k);
    block *b;
    if (bk < 0 || (prev >= 0 && a->c.leg[prev].block == bk)) {
        simagv__next(a, i, dir, k, SIMAGV_K_LEG_END, drive_ms(&a->c.leg[k]));
        return;
    }
    b = &a->b[bk];
    if (b->users == 0 || (b->dir == dir && b->wn[!dir] == 0)) {
        block_enter(a, i, dir, k);
        return;
    }
    a->v[i].leg = k;
    a->v[i].wait_from = lp_des_now(a->d);
    b->wq[dir][(b->wh[dir] + b->wn[dir]++) % a->c.fleet] = i;
    a->st.section_waits++;
}

static void block_leave(lp_simagv *a, int bk)
{
    block *b = &a->b[bk];
    int dir;
    if (--b->users > 0) return;
    /* Turn round if someone waits at the other end, else let this side in. */
    dir = b->wn[!b->dir] > 0 ? !b->dir : b->dir;
    while (b->wn[dir] > 0) {
        int i = b->wq[dir][b->wh[dir]];
        b->wh[dir] = (b->wh[dir] + 1) % a->c.fleet;
        b->wn[dir]--;
        a->st.section_wait_ms += (double)(lp_des_now(a->d) - a->v[i].wait_from);
        block_enter(a, i, dir, a->v[i].leg);
    }
}

static void leg_end(lp_simagv *a, int i, int dir, int k)
{
    int bk = a->c.leg[k].block, nx = after(a, dir, k);
    int64_t stop = 0;
    if (bk >= 0 && (nx < 0 || a->c.leg[nx].block != bk)) block_leave(a, bk);
    if (dir == SOUTH) {
        if (nx < 0) simagv__next(a, i, dir, 0, SIMAGV_K_HOME, 0);
        else simagv__next(a, i, dir, nx, SIMAGV_K_LEG, 0);
        return;
    }
    if (k == a->c.handover_leg) stop += lp_dist_sample(&a->c.handover, a->rng);
    if (k == a->c.inspection_leg) stop += lp_dist_sample(&a->c.inspection, a->rng);
    if (nx < 0) simagv__next(a, i, dir, k, SIMAGV_K_TURN, stop + lp_dist_sample(&a->c.unload, a->rng));
    else simagv__next(a, i, dir, nx, SIMAGV_K_LEG, stop);
}

/* Mean duration of a whole mission: the test of "can it finish in time". */
static int64_t nominal_ms(const lp_simagv *a)
{
    int64_t t = (int64_t)(lp_dist_mean(&a->c.load) + lp_dist_mean(&a->c.handover) +
                          lp_dist_mean(&a->c.inspection) + lp_dist_mean(&a->c.unload));
    int k;
    if (a->traffic) t += simagv__tr_drive_ms(a);
    else
        for (k = 0; k < a->c.nlegs; k++) t += 2 * drive_ms(&a->c.leg[k]);
    return a->observed_ms > (double)t ? (int64_t)a->observed_ms : t;
}

static void dispatch(lp_simagv *a)
{
    int i;
    for (i = 0; i < a->c.fleet && a->remaining > 0; i++) {
        if (a->v[i].busy) continue;
        if (lp_des_now(a->d) + nominal_ms(a) > a->window_end) return;
        a->v[i].busy = 1;
        a->v[i].started = lp_des_now(a->d);
        a->remaining--;
        simagv__next(a, i, NORTH, 0, SIMAGV_K_LEG, lp_dist_sample(&a->c.load, a->rng));
    }
}

static void ev_step(lp_des *d, void *ud, int64_t arg)
{
    lp_simagv *a = ud;
    int i = (int)(arg & 0xfffff), leg = (int)((arg >> 20) & 0xfff), dir = (int)((arg >> 32) & 1);
    (void)d;
    switch ((int)(arg >> 33)) {
    case SIMAGV_K_LEG:
        if (a->traffic) simagv__tr_start(a, i, NORTH);
        else leg_start(a, i, dir, leg);
        break;
    case SIMAGV_K_LEG_END: leg_end(a, i, dir, leg); break;
    case SIMAGV_K_TURN:
        a->st.trips++;
        if (a->traffic) simagv__tr_start(a, i, SOUTH);
        else leg_start(a, i, SOUTH, a->c.nlegs - 1);
        break;
    case SIMAGV_K_TR_ARRIVE:
    case SIMAGV_K_TR_CLEAR:
    case SIMAGV_K_TR_GO: simagv__tr_step(a, i, (int)(arg >> 33)); break;
    case SIMAGV_K_HOME: {
        /* Weight 0.2: about the last five missions, enough to follow the
         * road getting busier during the window. */
        double took = (double)(lp_des_now(a->d) - a->v[i].started);
        a->observed_ms = a->observed_ms > 0 ? a->observed_ms + 0.2 * (took - a->observed_ms) : took;
        a->st.missions++;
        a->st.mission_ms += took;
        a->v[i].busy = 0;
        if (lp_des_now(a->d) > a->window_end) a->st.late++;
        dispatch(a);
        break;
    }
    default: break;
    }
}

static void ev_window(lp_des *d, void *ud, int64_t open)
{
    lp_simagv *a = ud;
    int64_t len = (a->c.window_end_min - a->c.window_start_min) * 60000LL;
    if (open) {
        a->st.windows++;
        a->remaining = a->c.containers_per_window;
        a->observed_ms = 0; /* each evening learns its own road */
        a->window_end = lp_des_now(d) + len;
        dispatch(a);
        lp_des_after(d, len, ev_window, a, 0);
        lp_des_after(d, DAY_MS, ev_window, a, 1);
    } else {
        a->st.left += a->remaining;
        a->remaining = 0;
    }
}

/* Create and destroy ------------------------------------------------------------- */

int lp_simagv_create(const lp_simagv_config *c, lp_des *d, lp_simagv **out)
{
    lp_simagv *a;
    int k, rc;
    if (out) *out = NULL;
    if (!c || !d || !out || lp_simagv_config_check(c, "/agv", NULL) != LP_OK) return LP_EINVAL;
    a = lp_calloc(1, sizeof *a);
    a->c = *c;
    a->d = d;
    a->rng = lp_des_rng(d);
    a->v = lp_calloc((size_t)c->fleet, sizeof *a->v);
    if (c->road) {
        a->c.nlegs = 0; /* the legs are not used */
        if ((rc = simagv__tr_create(a)) != LP_OK) {
            lp_simagv_destroy(a);
            return rc;
        }
    }
    a->b = lp_calloc((size_t)(a->c.nlegs ? a->c.nlegs : 1), sizeof *a->b);
    for (k = 0; k < a->c.nlegs; k++) {
        a->b[k].wq[0] = lp_calloc((size_t)c->fleet, sizeof(int));
        a->b[k].wq[1] = lp_calloc((size_t)c->fleet, sizeof(int));
    }
    lp_des_after(d, c->window_start_min * 60000LL, ev_window, a, 1);
    *out = a;
    return LP_OK;
}

void lp_simagv_destroy(lp_simagv *a)
{
    int k;
    if (!a) return;
    for (k = 0; a->b && k < a->c.nlegs; k++) {
        lp_free(a->b[k].wq[0]);
        lp_free(a->b[k].wq[1]);
    }
    lp_free(a->b);
    lp_traffic_destroy(a->traffic);
    lp_free(a->v);
    lp_free(a);
}

void lp_simagv_stats_reset(lp_simagv *a) { memset(&a->st, 0, sizeof a->st); }
void lp_simagv_stats_get(const lp_simagv *a, lp_simagv_stats *s) { *s = a->st; }

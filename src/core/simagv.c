/* simagv.c - the AGV shuttle on a small model of road 1088 (see simagv.h).
 *
 * A mission is a chain of stages, each an event carrying the AGV's index
 * and the next stage.  The single-lane section is granted to one direction
 * at a time; AGVs going the same way may follow each other in, unless an
 * AGV waits at the other end (then the section drains and turns round, so
 * neither side starves). */
#include "simagv.h"
#include "mem.h"
#include "simstat.h"

#include <stdio.h>
#include <string.h>

#define DAY_MS INT64_C(86400000)

enum { NORTH = 0, SOUTH = 1 }; /* to Vietnam, back to China */

enum stage {
    S_LOADED, S_AT_SECTION_N, S_PAST_SECTION_N, S_HANDED_OVER, S_RELEASED, S_UNLOADED,
    S_AT_SECTION_S, S_PAST_SECTION_S, S_HOME
};

typedef struct agv {
    int busy;
    int64_t wait_from;
} agv;

struct lp_simagv {
    lp_simagv_config c;
    lp_des *d;
    lp_rng *rng;
    agv *v;
    int remaining;
    int64_t window_end;   /* absolute, of the current window */
    int dir, users;       /* the section */
    int *wq[2];           /* AGVs waiting at each end (FIFO rings of fleet) */
    int wh[2], wn[2];
    lp_simagv_stats st;
};

void lp_simagv_config_default(lp_simagv_config *c)
{
    memset(c, 0, sizeof *c);
    c->fleet = 6;
    c->window_start_min = 18 * 60 + 30;
    c->window_end_min = 20 * 60;
    c->containers_per_window = 40;
    c->length_m = 2400;
    c->speed_mps = 25 / 3.6;
    c->single_from_m = 900;
    c->single_to_m = 1500;
    c->load.kind = LP_DIST_UNIFORM, c->load.lo = 3 * 60000.0, c->load.hi = 6 * 60000.0;
    c->handover.kind = LP_DIST_CONST, c->handover.mean = 2 * 60000.0;
    c->inspection.kind = LP_DIST_LOGNORMAL, c->inspection.mean = 6 * 60000.0, c->inspection.cv = 0.5;
    c->unload.kind = LP_DIST_UNIFORM, c->unload.lo = 3 * 60000.0, c->unload.hi = 6 * 60000.0;
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
    int before;
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
    if (!(c->length_m > 0 && c->length_m <= 100000)) BAD("road/length_m", "must be > 0 and at most 100 km");
    if (!(c->speed_mps > 0 && c->speed_mps <= 40)) BAD("road/speed_kmh", "must be > 0 and at most 144");
    if (!(c->single_from_m >= 0 && c->single_to_m >= c->single_from_m && c->single_to_m <= c->length_m))
        BAD("road/single_lane", "must satisfy 0 <= from_m <= to_m <= length_m");
#undef BAD
    check_d(&c->load, prefix, "load", err);
    check_d(&c->handover, prefix, "handover", err);
    check_d(&c->inspection, prefix, "inspection", err);
    check_d(&c->unload, prefix, "unload", err);
    return err->nfields + err->more > before ? LP_EINVAL : LP_OK;
}

static int64_t drive_ms(const lp_simagv *a, double m) { return (int64_t)(m / a->c.speed_mps * 1000 + 0.5); }
static int64_t arg_of(int i, int stage) { return (int64_t)i | ((int64_t)stage << 32); }
static void ev_stage(lp_des *d, void *ud, int64_t arg);

static void next_stage(lp_simagv *a, int i, int stage, int64_t after)
{
    lp_des_after(a->d, after, ev_stage, a, arg_of(i, stage));
}

/* Enters the section (granted): drive through it. */
static void section_enter(lp_simagv *a, int i, int dir)
{
    a->dir = dir;
    a->users++;
    next_stage(a, i, dir == NORTH ? S_PAST_SECTION_N : S_PAST_SECTION_S,
                drive_ms(a, a->c.single_to_m - a->c.single_from_m));
}

static void section_request(lp_simagv *a, int i, int dir)
{
    int n = a->c.fleet;
    if (a->c.single_to_m <= a->c.single_from_m) {
        next_stage(a, i, dir == NORTH ? S_PAST_SECTION_N : S_PAST_SECTION_S, 0);
        return;
    }
    if (a->users == 0 || (a->dir == dir && a->wn[!dir] == 0)) {
        section_enter(a, i, dir);
        return;
    }
    a->v[i].wait_from = lp_des_now(a->d);
    a->wq[dir][(a->wh[dir] + a->wn[dir]++) % n] = i;
    a->st.section_waits++;
}

static void section_leave(lp_simagv *a)
{
    int dir, n = a->c.fleet;
    if (a->c.single_to_m <= a->c.single_from_m) return;
    if (--a->users > 0) return;
    /* Turn round if someone waits at the other end, else let this side in. */
    dir = a->wn[!a->dir] > 0 ? !a->dir : a->dir;
    while (a->wn[dir] > 0) {
        int i = a->wq[dir][a->wh[dir]];
        a->wh[dir] = (a->wh[dir] + 1) % n;
        a->wn[dir]--;
        a->st.section_wait_ms += (double)(lp_des_now(a->d) - a->v[i].wait_from);
        section_enter(a, i, dir);
    }
}

/* Mean duration of a whole mission: the test of "can it finish in time". */
static int64_t nominal_ms(const lp_simagv *a)
{
    return (int64_t)(lp_dist_mean(&a->c.load) + lp_dist_mean(&a->c.handover) +
                     lp_dist_mean(&a->c.inspection) + lp_dist_mean(&a->c.unload)) +
           2 * drive_ms(a, a->c.length_m);
}

static void dispatch(lp_simagv *a)
{
    int i;
    for (i = 0; i < a->c.fleet && a->remaining > 0; i++) {
        if (a->v[i].busy) continue;
        if (lp_des_now(a->d) + nominal_ms(a) > a->window_end) return;
        a->v[i].busy = 1;
        a->remaining--;
        next_stage(a, i, S_LOADED, lp_dist_sample(&a->c.load, a->rng));
    }
}

static void ev_stage(lp_des *d, void *ud, int64_t arg)
{
    lp_simagv *a = ud;
    int i = (int)(arg & 0xffffffff), stage = (int)(arg >> 32);
    (void)d;
    switch (stage) {
    case S_LOADED: next_stage(a, i, S_AT_SECTION_N, drive_ms(a, a->c.single_from_m)); break;
    case S_AT_SECTION_N: section_request(a, i, NORTH); break;
    case S_PAST_SECTION_N:
        section_leave(a);
        next_stage(a, i, S_HANDED_OVER,
                   drive_ms(a, a->c.length_m - a->c.single_to_m) + lp_dist_sample(&a->c.handover, a->rng));
        break;
    case S_HANDED_OVER: next_stage(a, i, S_RELEASED, lp_dist_sample(&a->c.inspection, a->rng)); break;
    case S_RELEASED: next_stage(a, i, S_UNLOADED, lp_dist_sample(&a->c.unload, a->rng)); break;
    case S_UNLOADED:
        a->st.trips++;
        next_stage(a, i, S_AT_SECTION_S, drive_ms(a, a->c.length_m - a->c.single_to_m));
        break;
    case S_AT_SECTION_S: section_request(a, i, SOUTH); break;
    case S_PAST_SECTION_S:
        section_leave(a);
        next_stage(a, i, S_HOME, drive_ms(a, a->c.single_from_m));
        break;
    case S_HOME:
        a->v[i].busy = 0;
        if (lp_des_now(a->d) > a->window_end) a->st.late++;
        dispatch(a);
        break;
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
        a->window_end = lp_des_now(d) + len;
        dispatch(a);
        lp_des_after(d, len, ev_window, a, 0);
        lp_des_after(d, DAY_MS, ev_window, a, 1);
    } else {
        a->st.left += a->remaining;
        a->remaining = 0;
    }
}

int lp_simagv_create(const lp_simagv_config *c, lp_des *d, lp_simagv **out)
{
    lp_simagv *a;
    if (out) *out = NULL;
    if (!c || !d || !out || lp_simagv_config_check(c, "/agv", NULL) != LP_OK) return LP_EINVAL;
    a = lp_calloc(1, sizeof *a);
    a->c = *c;
    a->d = d;
    a->rng = lp_des_rng(d);
    a->v = lp_calloc((size_t)c->fleet, sizeof *a->v);
    a->wq[0] = lp_calloc((size_t)c->fleet, sizeof(int));
    a->wq[1] = lp_calloc((size_t)c->fleet, sizeof(int));
    lp_des_after(d, c->window_start_min * 60000LL, ev_window, a, 1);
    *out = a;
    return LP_OK;
}

void lp_simagv_destroy(lp_simagv *a)
{
    if (!a) return;
    lp_free(a->v);
    lp_free(a->wq[0]);
    lp_free(a->wq[1]);
    lp_free(a);
}

void lp_simagv_stats_reset(lp_simagv *a) { memset(&a->st, 0, sizeof a->st); }
void lp_simagv_stats_get(const lp_simagv *a, lp_simagv_stats *s) { *s = a->st; }

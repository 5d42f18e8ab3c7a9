/* queue.c - the fair electronic queue (see queue.h for the rules).
 *
 * Trucks live in a pool of records; three arrays of pool indices give the
 * views: order[] holds the waiting trucks sorted by the order key (so a
 * position is an index and all positions are one pass), byid[] all trucks
 * sorted by id (lookup by binary search), called[] the called ones.
 * Inserting shifts an array of ints: for the 5,000 trucks we design for
 * that is a 20 KB memmove, cheaper than any pointer-chasing tree. */
#include "queue.h"
#include "err.h"
#include "mem.h"

#include <assert.h>
#include <string.h>

struct lp_queue {
    lp_queue_config cfg;
    int paused[LP_QUEUE_LANES_MAX];
    int busy[LP_QUEUE_LANES_MAX]; /* called trucks holding a place in the lane */

    lp_queue_truck *t; /* pool; state GONE marks a free record */
    int cap, used;     /* records allocated, records ever handed out */
    int *freel;
    int nfree;
    int *order;
    int nwait;
    int *byid;
    int ntrucks;
    int *called;
    int ncalled;

    /* The rate estimate (see lp_queue_rate). */
    double service_ms;
    int64_t samples;
    int64_t last_gate_ms;
    int have_last;
    int saturated; /* trucks have been waiting since the last gate arrival */
};

/* Helpers -------------------------------------------------------------------- */

static int time_ok(int64_t t) { return t >= 0 && t <= LP_QUEUE_TIME_MAX; }

/* The order of rule 1: class, slot, arrival, id. */
static int before(const lp_queue_truck *a, const lp_queue_truck *b)
{
    if (a->cls != b->cls) return a->cls < b->cls;
    if (a->slot_ms != b->slot_ms) return a->slot_ms < b->slot_ms;
    if (a->arrival_ms != b->arrival_ms) return a->arrival_ms < b->arrival_ms;
    return a->id < b->id;
}

/* The index in order[] where truck k is or would go. */
static int order_find(const lp_queue *q, const lp_queue_truck *k)
{
    int lo = 0, hi = q->nwait;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (before(&q->t[q->order[mid]], k)) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The index in byid[] where id is or would go. */
static int id_find(const lp_queue *q, int64_t id)
{
    int lo = 0, hi = q->ntrucks;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (q->t[q->byid[mid]].id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The pool index of truck id, or -1. */
static int lookup(const lp_queue *q, int64_t id)
{
    int i = id_find(q, id);
    return i < q->ntrucks && q->t[q->byid[i]].id == id ? q->byid[i] : -1;
}

static void arr_insert(int *a, int *n, int at, int v)
{
    memmove(a + at + 1, a + at, (size_t)(*n - at) * sizeof *a);
    a[at] = v;
    (*n)++;
}

static void arr_remove(int *a, int *n, int at)
{
    memmove(a + at, a + at + 1, (size_t)(*n - at - 1) * sizeof *a);
    (*n)--;
}

/* Puts waiting truck r into order[]; returns its 1-based position. */
static int order_insert(lp_queue *q, int r)
{
    int at = order_find(q, &q->t[r]);
    arr_insert(q->order, &q->nwait, at, r);
    return at + 1;
}

/* Takes waiting truck r out of order[]; returns the position it had. */
static int order_remove(lp_queue *q, int r)
{
    int at = order_find(q, &q->t[r]);
    assert(at < q->nwait && q->order[at] == r);
    arr_remove(q->order, &q->nwait, at);
    if (q->nwait == 0) q->saturated = 0;
    return at + 1;
}

static void called_remove(lp_queue *q, int r)
{
    int i;
    for (i = 0; i < q->ncalled; i++)
        if (q->called[i] == r) break;
    assert(i < q->ncalled);
    arr_remove(q->called, &q->ncalled, i);
    q->busy[q->t[r].lane]--;
}

/* Returns record r to the pool and drops it from byid[]. */
static void release(lp_queue *q, int r)
{
    int at = id_find(q, q->t[r].id);
    assert(at < q->ntrucks && q->byid[at] == r);
    arr_remove(q->byid, &q->ntrucks, at);
    q->t[r].state = LP_QUEUE_GONE;
    q->freel[q->nfree++] = r;
}

static void grow(lp_queue *q)
{
    int cap = q->cap ? q->cap * 2 : 64;
    size_t ni = (size_t)cap * sizeof(int);
    q->t = lp_realloc(q->t, (size_t)cap * sizeof *q->t);
    q->freel = lp_realloc(q->freel, ni);
    q->order = lp_realloc(q->order, ni);
    q->byid = lp_realloc(q->byid, ni);
    q->called = lp_realloc(q->called, ni);
    q->cap = cap;
}

static int open_places(const lp_queue *q)
{
    int l, n = 0;
    for (l = 0; l < q->cfg.nlanes; l++)
        if (!q->paused[l]) n += q->cfg.capacity[l];
    return n;
}

static int free_places(const lp_queue *q)
{
    int l, n = 0;
    for (l = 0; l < q->cfg.nlanes; l++)
        if (!q->paused[l] && q->cfg.capacity[l] > q->busy[l]) n += q->cfg.capacity[l] - q->busy[l];
    return n;
}

static int free_lane(const lp_queue *q)
{
    int l;
    for (l = 0; l < q->cfg.nlanes; l++)
        if (!q->paused[l] && q->busy[l] < q->cfg.capacity[l]) return l;
    return -1;
}

static void event(const lp_queue *q, int r, lp_queue_event_kind kind, int64_t at, int position,
                  lp_queue_event *ev)
{
    const lp_queue_truck *t = &q->t[r];
    if (!ev) return;
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    ev->truck_id = t->id;
    ev->at_ms = at;
    ev->state = kind == LP_QUEUE_EV_CALLED ? LP_QUEUE_CALLED
              : kind == LP_QUEUE_EV_NO_SHOW ? LP_QUEUE_WAITING : LP_QUEUE_GONE;
    ev->cls = t->cls;
    ev->slot_ms = t->slot_ms;
    ev->arrival_ms = t->arrival_ms;
    ev->position = position;
    ev->lane = t->lane;
    ev->called_at_ms = t->called_at_ms;
    ev->no_shows = t->no_shows;
    ev->waiting = q->nwait;
}

/* Rule 3 for called truck r: back to waiting behind its class, or out. */
static void no_show(lp_queue *q, int r, lp_queue_event *ev)
{
    lp_queue_truck *t = &q->t[r];
    int64_t late = t->called_at_ms + q->cfg.no_show_window_ms + 1;
    int64_t slot = t->slot_ms;
    int i, pos;
    called_remove(q, r);
    t->no_shows++;
    if (t->no_shows >= q->cfg.no_show_limit) {
        event(q, r, LP_QUEUE_EV_REMOVED, late, 0, ev);
        release(q, r);
        return;
    }
    /* The trucks of its class waiting at T are those with an order arrival
     * before T (a later arrival came after it lost its turn).  One scan;
     * no-shows are rare next to calls.  Walk-ins all have slot 0. */
    for (i = 0; i < q->nwait; i++) {
        const lp_queue_truck *o = &q->t[q->order[i]];
        if (o->cls == t->cls && o->arrival_ms < late && o->slot_ms > slot) slot = o->slot_ms;
    }
    t->slot_ms = slot;
    t->arrival_ms = late;
    t->state = LP_QUEUE_WAITING;
    pos = order_insert(q, r);
    event(q, r, LP_QUEUE_EV_NO_SHOW, late, pos, ev);
    t->lane = -1;
}

/* A free record for new truck id: *r its pool index, *at its place in
 * byid[].  LP_OK, LP_ECONFLICT (id is in the queue) or LP_ETOOBIG. */
static int take_record(lp_queue *q, int64_t id, int *r, int *at)
{
    *at = id_find(q, id);
    if (*at < q->ntrucks && q->t[q->byid[*at]].id == id) return LP_ECONFLICT;
    if (q->ntrucks >= LP_QUEUE_TRUCKS_MAX) return LP_ETOOBIG;
    if (q->nfree) *r = q->freel[--q->nfree];
    else {
        if (q->used == q->cap) grow(q);
        *r = q->used++;
    }
    return LP_OK;
}

/* Create and destroy ------------------------------------------------------------ */

void lp_queue_config_default(lp_queue_config *c)
{
    memset(c, 0, sizeof *c);
    c->nlanes = 1;
    c->capacity[0] = 1;
    c->no_show_window_ms = LP_QUEUE_WINDOW_DEFAULT_MS;
    c->no_show_limit = LP_QUEUE_NO_SHOW_LIMIT_DEFAULT;
    c->walk_ins = 1;
    c->rate_alpha_permille = 30;
    c->prior_service_ms = 10 * 60 * 1000;
}

int lp_queue_create(const lp_queue_config *c, lp_queue **out)
{
    const int64_t day = INT64_C(24) * 3600 * 1000;
    lp_queue *q;
    int l;
    if (out) *out = NULL;
    if (!c || !out) return LP_EINVAL;
    if (c->nlanes < 1 || c->nlanes > LP_QUEUE_LANES_MAX) return LP_EINVAL;
    for (l = 0; l < c->nlanes; l++)
        if (c->capacity[l] < 0 || c->capacity[l] > LP_QUEUE_CAPACITY_MAX) return LP_EINVAL;
    if (c->no_show_window_ms < 1 || c->no_show_window_ms > day) return LP_EINVAL;
    if (c->no_show_limit < 1 || (c->walk_ins != 0 && c->walk_ins != 1)) return LP_EINVAL;
    if (c->rate_alpha_permille < 1 || c->rate_alpha_permille > 1000) return LP_EINVAL;
    if (c->prior_service_ms < 1 || c->prior_service_ms > day) return LP_EINVAL;
    q = lp_calloc(1, sizeof *q);
    q->cfg = *c;
    q->service_ms = (double)c->prior_service_ms;
    *out = q;
    return LP_OK;
}

void lp_queue_destroy(lp_queue *q)
{
    if (!q) return;
    lp_free(q->t);
    lp_free(q->freel);
    lp_free(q->order);
    lp_free(q->byid);
    lp_free(q->called);
    lp_free(q);
}

/* Trucks ------------------------------------------------------------------------ */

int lp_queue_add(lp_queue *q, int64_t id, lp_queue_class cls, int64_t slot_ms, int64_t arrival_ms)
{
    lp_queue_truck *t;
    int r, at, rc;
    if (!q || id < 1 || !time_ok(arrival_ms) || !time_ok(slot_ms)) return LP_EINVAL;
    if (cls != LP_QUEUE_PERISHABLE && cls != LP_QUEUE_NORMAL && cls != LP_QUEUE_WALKIN) return LP_EINVAL;
    if ((cls == LP_QUEUE_WALKIN) != (slot_ms == 0)) return LP_EINVAL;
    if (cls == LP_QUEUE_WALKIN && !q->cfg.walk_ins) return LP_EFORBIDDEN;
    if ((rc = take_record(q, id, &r, &at))) return rc;
    t = &q->t[r];
    memset(t, 0, sizeof *t);
    t->id = id;
    t->cls = cls;
    t->slot_ms = t->booked_slot_ms = slot_ms;
    t->arrival_ms = t->yard_arrival_ms = arrival_ms;
    t->state = LP_QUEUE_WAITING;
    t->lane = -1;
    arr_insert(q->byid, &q->ntrucks, at, r);
    order_insert(q, r);
    return LP_OK;
}

/* Called trucks late at now, earliest call first (then id), so that the
 * order of their events does not depend on the order of called[]. */
static int next_late(const lp_queue *q, int64_t now)
{
    int i, best = -1;
    for (i = 0; i < q->ncalled; i++) {
        const lp_queue_truck *t = &q->t[q->called[i]];
        if (now - t->called_at_ms <= q->cfg.no_show_window_ms) continue;
        if (best < 0 || t->called_at_ms < q->t[best].called_at_ms ||
            (t->called_at_ms == q->t[best].called_at_ms && t->id < q->t[best].id))
            best = q->called[i];
    }
    return best;
}

int lp_queue_call(lp_queue *q, int64_t now_ms, lp_queue_event *out, int max, int *n)
{
    int r, lane;
    if (n) *n = 0;
    if (!q || !n || max < 0 || (!out && max > 0) || !time_ok(now_ms)) return LP_EINVAL;
    while (*n < max && (r = next_late(q, now_ms)) >= 0)
        no_show(q, r, &out[(*n)++]);
    while (*n < max && q->nwait > 0 && (lane = free_lane(q)) >= 0) {
        lp_queue_truck *t;
        r = q->order[0];
        t = &q->t[r];
        order_remove(q, r);
        t->state = LP_QUEUE_CALLED;
        t->called_at_ms = now_ms;
        t->lane = lane;
        q->busy[lane]++;
        q->called[q->ncalled++] = r;
        event(q, r, LP_QUEUE_EV_CALLED, now_ms, 1, &out[(*n)++]);
    }
    return LP_OK;
}

/* A gate arrival ends an interval; it is a sample of the service time per
 * place only if trucks waited all through it (see lp_queue_rate). */
static void rate_sample(lp_queue *q, int64_t now)
{
    int places = open_places(q);
    if (q->have_last && q->saturated && places > 0 && now >= q->last_gate_ms) {
        double s = (double)(now - q->last_gate_ms) * places;
        if (q->samples == 0) q->service_ms = s;
        else q->service_ms += (s - q->service_ms) * q->cfg.rate_alpha_permille / 1000.0;
        q->samples++;
    }
    q->last_gate_ms = now;
    q->have_last = 1;
    q->saturated = q->nwait > 0;
}

int lp_queue_arrived_at_gate(lp_queue *q, int64_t id, int64_t now_ms, lp_queue_event *ev)
{
    lp_queue_event tmp;
    lp_queue_truck *t;
    int r;
    if (!q || !time_ok(now_ms)) return LP_EINVAL;
    if ((r = lookup(q, id)) < 0) return LP_ENOTFOUND;
    t = &q->t[r];
    if (t->state != LP_QUEUE_CALLED) return LP_ECONFLICT;
    if (now_ms < t->called_at_ms) return LP_EINVAL;
    if (now_ms - t->called_at_ms > q->cfg.no_show_window_ms) {
        no_show(q, r, ev ? ev : &tmp);
        return LP_ECONFLICT;
    }
    called_remove(q, r);
    rate_sample(q, now_ms);
    event(q, r, LP_QUEUE_EV_ARRIVED, now_ms, 0, ev);
    release(q, r);
    return LP_OK;
}

int lp_queue_withdraw(lp_queue *q, int64_t id, int64_t now_ms, lp_queue_event *ev)
{
    int r, pos = 0;
    if (!q || !time_ok(now_ms)) return LP_EINVAL;
    if ((r = lookup(q, id)) < 0) return LP_ENOTFOUND;
    if (q->t[r].state == LP_QUEUE_WAITING) pos = order_remove(q, r);
    else called_remove(q, r);
    event(q, r, LP_QUEUE_EV_WITHDRAWN, now_ms, pos, ev);
    release(q, r);
    return LP_OK;
}

int lp_queue_get(const lp_queue *q, int64_t id, lp_queue_truck *out)
{
    int r;
    if (!q || !out) return LP_EINVAL;
    if ((r = lookup(q, id)) < 0) return LP_ENOTFOUND;
    *out = q->t[r];
    return LP_OK;
}

/* Lanes ----------------------------------------------------------------------------- */

int lp_queue_lane_pause(lp_queue *q, int lane, int paused)
{
    if (!q || lane < 0 || lane >= q->cfg.nlanes || (paused != 0 && paused != 1)) return LP_EINVAL;
    if (q->paused[lane] != paused) q->saturated = 0; /* the interval under way is no sample */
    q->paused[lane] = paused;
    return LP_OK;
}

int lp_queue_lane_set_capacity(lp_queue *q, int lane, int capacity)
{
    if (!q || lane < 0 || lane >= q->cfg.nlanes || capacity < 0 || capacity > LP_QUEUE_CAPACITY_MAX)
        return LP_EINVAL;
    if (q->cfg.capacity[lane] != capacity) q->saturated = 0;
    q->cfg.capacity[lane] = capacity;
    return LP_OK;
}

int lp_queue_lane_get(const lp_queue *q, int lane, int *capacity, int *paused, int *in_service)
{
    if (!q || lane < 0 || lane >= q->cfg.nlanes) return LP_EINVAL;
    if (capacity) *capacity = q->cfg.capacity[lane];
    if (paused) *paused = q->paused[lane];
    if (in_service) *in_service = q->busy[lane];
    return LP_OK;
}

/* Restoring ---------------------------------------------------------------------------- */

void lp_queue_rate_state_get(const lp_queue *q, lp_queue_rate_state *out)
{
    out->service_ms = q->service_ms;
    out->samples = q->samples;
    out->last_gate_ms = q->last_gate_ms;
    out->have_last = q->have_last;
    out->saturated = q->saturated;
}

int lp_queue_rate_state_set(lp_queue *q, const lp_queue_rate_state *s)
{
    const double day = 24.0 * 3600 * 1000;
    if (!q || !s || !(s->service_ms > 0 && s->service_ms <= day) || s->samples < 0 || !time_ok(s->last_gate_ms) ||
        (s->have_last != 0 && s->have_last != 1) || (s->saturated != 0 && s->saturated != 1))
        return LP_EINVAL;
    q->service_ms = s->service_ms;
    q->samples = s->samples;
    q->last_gate_ms = s->last_gate_ms;
    q->have_last = s->have_last;
    q->saturated = s->saturated;
    return LP_OK;
}

int lp_queue_restore(lp_queue *q, const lp_queue_truck *t)
{
    lp_queue_truck *d;
    int r, at, rc;
    if (!q || !t || t->id < 1 || !time_ok(t->slot_ms) || !time_ok(t->arrival_ms) || !time_ok(t->booked_slot_ms) ||
        !time_ok(t->yard_arrival_ms) || !time_ok(t->called_at_ms))
        return LP_EINVAL;
    if (t->cls != LP_QUEUE_PERISHABLE && t->cls != LP_QUEUE_NORMAL && t->cls != LP_QUEUE_WALKIN) return LP_EINVAL;
    if ((t->cls == LP_QUEUE_WALKIN) != (t->slot_ms == 0) || t->no_shows < 0 || t->no_shows >= q->cfg.no_show_limit)
        return LP_EINVAL;
    if (t->state != LP_QUEUE_WAITING && t->state != LP_QUEUE_CALLED) return LP_EINVAL;
    if (t->state == LP_QUEUE_CALLED && (t->lane < 0 || t->lane >= q->cfg.nlanes)) return LP_EINVAL;
    if ((rc = take_record(q, t->id, &r, &at))) return rc;
    d = &q->t[r];
    *d = *t;
    arr_insert(q->byid, &q->ntrucks, at, r);
    if (t->state == LP_QUEUE_WAITING) {
        d->lane = -1;
        order_insert(q, r);
    } else {
        q->busy[t->lane]++;
        q->called[q->ncalled++] = r;
    }
    return LP_OK;
}

/* Queries ------------------------------------------------------------------------------ */

int lp_queue_waiting(const lp_queue *q) { return q ? q->nwait : 0; }
int lp_queue_called(const lp_queue *q) { return q ? q->ncalled : 0; }

/* Expected time between calls now, or LP_QUEUE_ETA_UNKNOWN. */
static double interval(const lp_queue *q)
{
    int places = open_places(q);
    return places > 0 ? q->service_ms / places : LP_QUEUE_ETA_UNKNOWN;
}

void lp_queue_rate(const lp_queue *q, int64_t *service_ms, int64_t *interval_ms, int64_t *samples)
{
    double iv = q ? interval(q) : LP_QUEUE_ETA_UNKNOWN;
    if (service_ms) *service_ms = q ? (int64_t)(q->service_ms + 0.5) : 0;
    if (interval_ms) *interval_ms = iv < 0 ? LP_QUEUE_ETA_UNKNOWN : (int64_t)(iv + 0.5);
    if (samples) *samples = q ? q->samples : 0;
}

/* The p-th waiting truck is called when p - free more places have freed,
 * one per interval on average. */
static int64_t eta(double iv, int freep, int pos)
{
    if (iv < 0) return LP_QUEUE_ETA_UNKNOWN;
    return pos <= freep ? 0 : (int64_t)((pos - freep) * iv + 0.5);
}

int lp_queue_position(const lp_queue *q, int64_t id, int *pos, int64_t *eta_ms)
{
    int r, p;
    if (!q || !pos || !eta_ms) return LP_EINVAL;
    *pos = 0;
    *eta_ms = 0;
    if ((r = lookup(q, id)) < 0) return LP_ENOTFOUND;
    if (q->t[r].state != LP_QUEUE_WAITING) return LP_OK;
    p = order_find(q, &q->t[r]);
    assert(p < q->nwait && q->order[p] == r);
    *pos = p + 1;
    *eta_ms = eta(interval(q), free_places(q), p + 1);
    return LP_OK;
}

int lp_queue_positions(const lp_queue *q, lp_queue_pos *out, int max, int *n)
{
    double iv;
    int i, freep;
    if (n) *n = 0;
    if (!q || !n || max < 0 || (!out && max > 0)) return LP_EINVAL;
    iv = interval(q);
    freep = free_places(q);
    for (i = 0; i < q->nwait && i < max; i++) {
        out[i].truck_id = q->t[q->order[i]].id;
        out[i].position = i + 1;
        out[i].eta_ms = eta(iv, freep, i + 1);
    }
    *n = i;
    return LP_OK;
}

/* Names --------------------------------------------------------------------------------- */

const char *lp_queue_class_name(lp_queue_class c)
{
    switch (c) {
    case LP_QUEUE_PERISHABLE: return "perishable";
    case LP_QUEUE_NORMAL: return "normal";
    case LP_QUEUE_WALKIN: return "walk_in";
    default: return "?";
    }
}

const char *lp_queue_state_name(lp_queue_state s)
{
    switch (s) {
    case LP_QUEUE_WAITING: return "waiting";
    case LP_QUEUE_CALLED: return "called";
    case LP_QUEUE_GONE: return "gone";
    default: return "?";
    }
}

const char *lp_queue_event_name(lp_queue_event_kind k)
{
    switch (k) {
    case LP_QUEUE_EV_CALLED: return "called";
    case LP_QUEUE_EV_ARRIVED: return "arrived";
    case LP_QUEUE_EV_NO_SHOW: return "no_show";
    case LP_QUEUE_EV_REMOVED: return "removed";
    case LP_QUEUE_EV_WITHDRAWN: return "withdrawn";
    default: return "?";
    }
}

/* des.c - the discrete-event engine (see des.h).
 *
 * The pending events are a binary min-heap in one growable array, keyed
 * by (time, seq); seq is a 64-bit counter so it never wraps in practice.
 * A heap rather than a calendar queue: O(log n) with small constants and
 * no tuning, and the gate model keeps only a few hundred events pending. */
#include "des.h"
#include "err.h"
#include "mem.h"

typedef struct ev {
    int64_t t;
    uint64_t seq;
    lp_des_fn fn;
    void *ud;
    int64_t arg;
} ev;

struct lp_des {
    int64_t now;
    uint64_t seq;
    int64_t count;
    int stop;
    ev *heap;
    size_t n, cap;
    lp_rng rng;
};

int lp_des_create(int64_t start_ms, uint64_t seed, lp_des **out)
{
    lp_des *d;
    if (out) *out = NULL;
    if (!out || start_ms < 0) return LP_EINVAL;
    d = lp_calloc(1, sizeof *d);
    d->now = start_ms;
    d->cap = 256;
    d->heap = lp_malloc(d->cap * sizeof *d->heap);
    lp_rng_seed(&d->rng, seed);
    *out = d;
    return LP_OK;
}

void lp_des_destroy(lp_des *d)
{
    if (!d) return;
    lp_free(d->heap);
    lp_free(d);
}

static int less(const ev *a, const ev *b) { return a->t < b->t || (a->t == b->t && a->seq < b->seq); }

int lp_des_at(lp_des *d, int64_t t_ms, lp_des_fn fn, void *ud, int64_t arg)
{
    size_t i;
    ev e;
    if (!d || !fn || t_ms < d->now) return LP_EINVAL;
    if (d->n == d->cap) {
        d->cap *= 2;
        d->heap = lp_realloc(d->heap, d->cap * sizeof *d->heap);
    }
    e.t = t_ms;
    e.seq = d->seq++;
    e.fn = fn;
    e.ud = ud;
    e.arg = arg;
    /* Sift up: move parents down until e's place is found. */
    for (i = d->n++; i > 0 && less(&e, &d->heap[(i - 1) / 2]); i = (i - 1) / 2)
        d->heap[i] = d->heap[(i - 1) / 2];
    d->heap[i] = e;
    return LP_OK;
}

int lp_des_after(lp_des *d, int64_t delay_ms, lp_des_fn fn, void *ud, int64_t arg)
{
    if (!d || delay_ms < 0) return LP_EINVAL;
    return lp_des_at(d, d->now + delay_ms, fn, ud, arg);
}

/* Removes the first event into *top.  The heap must not be empty. */
static void pop(lp_des *d, ev *top)
{
    size_t i = 0, c;
    ev last;
    *top = d->heap[0];
    last = d->heap[--d->n];
    /* Sift the last element down from the root. */
    while ((c = 2 * i + 1) < d->n) {
        if (c + 1 < d->n && less(&d->heap[c + 1], &d->heap[c])) c++;
        if (!less(&d->heap[c], &last)) break;
        d->heap[i] = d->heap[c];
        i = c;
    }
    d->heap[i] = last;
}

int lp_des_step(lp_des *d)
{
    ev e;
    if (!d || d->n == 0) return 0;
    pop(d, &e);
    d->now = e.t;
    d->count++;
    e.fn(d, e.ud, e.arg);
    return 1;
}

int64_t lp_des_run_until(lp_des *d, int64_t t_ms)
{
    int64_t n = 0;
    if (!d) return 0;
    d->stop = 0;
    while (!d->stop && d->n > 0 && d->heap[0].t <= t_ms) n += lp_des_step(d);
    if (!d->stop && t_ms > d->now) d->now = t_ms;
    return n;
}

int64_t lp_des_run(lp_des *d)
{
    int64_t n = 0;
    if (!d) return 0;
    d->stop = 0;
    while (!d->stop && lp_des_step(d)) n++;
    return n;
}

void lp_des_stop(lp_des *d)
{
    if (d) d->stop = 1;
}

int64_t lp_des_now(const lp_des *d) { return d ? d->now : 0; }
int64_t lp_des_next_time(const lp_des *d) { return d && d->n > 0 ? d->heap[0].t : -1; }
int64_t lp_des_pending(const lp_des *d) { return d ? (int64_t)d->n : 0; }
int64_t lp_des_count(const lp_des *d) { return d ? d->count : 0; }
lp_rng *lp_des_rng(lp_des *d) { return d ? &d->rng : NULL; }

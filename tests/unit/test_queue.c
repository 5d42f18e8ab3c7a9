/* test_queue.c - unit tests for src/core/queue.c.
 *
 * Times are virtual milliseconds; H is 10:00 on an arbitrary day.  The
 * last test drives the queue with a seeded Poisson arrival / exponential
 * service process and measures the error of the estimated wait. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/queue.h"

#define MIN (60 * 1000)
#define H (INT64_C(1700000000000))

static lp_queue *make(int nlanes, int cap)
{
    lp_queue_config c;
    lp_queue *q = NULL;
    int l;
    lp_queue_config_default(&c);
    c.nlanes = nlanes;
    for (l = 0; l < nlanes; l++) c.capacity[l] = cap;
    assert_int_equal(lp_queue_create(&c, &q), LP_OK);
    return q;
}

/* Calls once and asserts the ids of the events, in order. */
static int call(lp_queue *q, int64_t now, lp_queue_event *ev, int n, ...)
{
    lp_queue_event buf[64];
    va_list ap;
    int got = -1, i;
    if (!ev) ev = buf;
    assert_int_equal(lp_queue_call(q, now, ev, 64, &got), LP_OK);
    if (got != n)
        for (i = 0; i < got; i++)
            print_error("event %s truck %lld\n", lp_queue_event_name(ev[i].kind), (long long)ev[i].truck_id);
    assert_int_equal(got, n);
    va_start(ap, n);
    for (i = 0; i < n; i++) assert_int_equal(ev[i].truck_id, va_arg(ap, int));
    va_end(ap);
    return got;
}

static int pos_of(lp_queue *q, int64_t id)
{
    int pos = -1;
    int64_t eta = -2;
    assert_int_equal(lp_queue_position(q, id, &pos, &eta), LP_OK);
    return pos;
}

/* Order ------------------------------------------------------------------------ */

static void test_order(void **state)
{
    lp_queue *q = make(1, 0); /* nobody is called: only the order */
    (void)state;
    /* A normal truck booked for 9:00 and in the yard since 8:00 ... */
    assert_int_equal(lp_queue_add(q, 10, LP_QUEUE_NORMAL, H - 60 * MIN, H - 120 * MIN), LP_OK);
    /* ... is behind a perishable booked later and just arrived. */
    assert_int_equal(lp_queue_add(q, 20, LP_QUEUE_PERISHABLE, H + 60 * MIN, H), LP_OK);
    /* Slot before arrival: an earlier slot wins over an earlier arrival. */
    assert_int_equal(lp_queue_add(q, 30, LP_QUEUE_NORMAL, H - 120 * MIN, H - 1), LP_OK);
    /* Same slot: arrival; same slot and arrival: id. */
    assert_int_equal(lp_queue_add(q, 41, LP_QUEUE_NORMAL, H - 60 * MIN, H - 130 * MIN), LP_OK);
    assert_int_equal(lp_queue_add(q, 9, LP_QUEUE_NORMAL, H - 60 * MIN, H - 120 * MIN), LP_OK);
    assert_int_equal(pos_of(q, 20), 1);
    assert_int_equal(pos_of(q, 30), 2);
    assert_int_equal(pos_of(q, 41), 3);
    assert_int_equal(pos_of(q, 9), 4);
    assert_int_equal(pos_of(q, 10), 5);
    assert_int_equal(lp_queue_add(q, 9, LP_QUEUE_NORMAL, H, H), LP_ECONFLICT);
    lp_queue_destroy(q);
}

/* Walk-ins: a class of their own behind booked trucks, only if admitted. */
static void test_walkins(void **state)
{
    lp_queue_config c;
    lp_queue *q = make(1, 0), *q2 = NULL;
    lp_queue_truck t;
    (void)state;
    assert_int_equal(lp_queue_add(q, 1, LP_QUEUE_WALKIN, 0, H - 300 * MIN), LP_OK);
    assert_int_equal(lp_queue_add(q, 2, LP_QUEUE_NORMAL, H + 600 * MIN, H), LP_OK);
    assert_int_equal(lp_queue_add(q, 3, LP_QUEUE_WALKIN, 0, H - 400 * MIN), LP_OK);
    assert_int_equal(pos_of(q, 2), 1);
    assert_int_equal(pos_of(q, 3), 2);
    assert_int_equal(pos_of(q, 1), 3);
    /* A walk-in has no slot; a booked truck has one. */
    assert_int_equal(lp_queue_add(q, 4, LP_QUEUE_WALKIN, H, H), LP_EINVAL);
    assert_int_equal(lp_queue_add(q, 4, LP_QUEUE_PERISHABLE, 0, H), LP_EINVAL);
    assert_int_equal(lp_queue_get(q, 3, &t), LP_OK);
    assert_int_equal(t.cls, LP_QUEUE_WALKIN);
    assert_string_equal(lp_queue_class_name(t.cls), "walk_in");
    lp_queue_destroy(q);

    lp_queue_config_default(&c);
    c.walk_ins = 0;
    assert_int_equal(lp_queue_create(&c, &q2), LP_OK);
    assert_int_equal(lp_queue_add(q2, 1, LP_QUEUE_WALKIN, 0, H), LP_EFORBIDDEN);
    assert_int_equal(lp_queue_waiting(q2), 0);
    lp_queue_destroy(q2);
}

/* Lanes ------------------------------------------------------------------------- */

static void test_capacity_and_pause(void **state)
{
    lp_queue *q = make(2, 1);
    lp_queue_event ev[64];
    int i, cap, paused, busy;
    (void)state;
    for (i = 1; i <= 6; i++) assert_int_equal(lp_queue_add(q, i, LP_QUEUE_NORMAL, H, H + i), LP_OK);
    assert_int_equal(lp_queue_lane_set_capacity(q, 1, 2), LP_OK);
    /* Only up to capacity: 1 on lane 0, 2 on lane 1. */
    call(q, H + MIN, ev, 3, 1, 2, 3);
    assert_int_equal(ev[0].lane, 0);
    assert_int_equal(ev[1].lane, 1);
    assert_int_equal(ev[2].lane, 1);
    call(q, H + MIN, NULL, 0);
    assert_int_equal(lp_queue_called(q), 3);
    assert_int_equal(lp_queue_waiting(q), 3);
    assert_int_equal(pos_of(q, 4), 1);
    assert_int_equal(pos_of(q, 1), 0); /* called */

    /* Pausing lane 0 keeps truck 1's place but gives lane 0 no new call. */
    assert_int_equal(lp_queue_lane_pause(q, 0, 1), LP_OK);
    assert_int_equal(lp_queue_arrived_at_gate(q, 1, H + 2 * MIN, NULL), LP_OK);
    call(q, H + 2 * MIN, NULL, 0);
    assert_int_equal(lp_queue_arrived_at_gate(q, 2, H + 3 * MIN, NULL), LP_OK);
    call(q, H + 3 * MIN, ev, 1, 4);
    assert_int_equal(ev[0].lane, 1);
    assert_int_equal(lp_queue_lane_pause(q, 0, 0), LP_OK);
    call(q, H + 4 * MIN, ev, 1, 5);
    assert_int_equal(ev[0].lane, 0);

    /* Lowering capacity below the trucks in service recalls nobody. */
    assert_int_equal(lp_queue_lane_set_capacity(q, 1, 0), LP_OK);
    assert_int_equal(lp_queue_lane_get(q, 1, &cap, &paused, &busy), LP_OK);
    assert_int_equal(cap, 0);
    assert_int_equal(paused, 0);
    assert_int_equal(busy, 2);
    assert_int_equal(lp_queue_arrived_at_gate(q, 3, H + 5 * MIN, NULL), LP_OK);
    call(q, H + 5 * MIN, NULL, 0);

    /* Everything paused: position known, wait unknown. */
    assert_int_equal(lp_queue_lane_pause(q, 0, 1), LP_OK);
    {
        int pos;
        int64_t eta;
        assert_int_equal(lp_queue_position(q, 6, &pos, &eta), LP_OK);
        assert_int_equal(pos, 1);
        assert_int_equal(eta, LP_QUEUE_ETA_UNKNOWN);
    }
    assert_int_equal(lp_queue_lane_pause(q, 2, 1), LP_EINVAL);
    assert_int_equal(lp_queue_lane_set_capacity(q, 0, -1), LP_EINVAL);
    assert_int_equal(lp_queue_arrived_at_gate(q, 6, H + 6 * MIN, NULL), LP_ECONFLICT); /* waiting */
    assert_int_equal(lp_queue_arrived_at_gate(q, 1, H + 6 * MIN, NULL), LP_ENOTFOUND); /* gone */
    lp_queue_destroy(q);
}

/* The no-show rule ---------------------------------------------------------------------- */

static void test_no_show_exactly_at_window(void **state)
{
    lp_queue *q = make(1, 1);
    lp_queue_event ev;
    (void)state;
    assert_int_equal(lp_queue_add(q, 1, LP_QUEUE_NORMAL, H, H), LP_OK);
    assert_int_equal(lp_queue_add(q, 2, LP_QUEUE_NORMAL, H, H + 1), LP_OK);
    call(q, H, NULL, 1, 1);
    call(q, H + 20 * MIN, NULL, 0); /* 20:00: still on time */
    assert_int_equal(lp_queue_arrived_at_gate(q, 1, H + 20 * MIN, &ev), LP_OK);
    assert_int_equal(ev.kind, LP_QUEUE_EV_ARRIVED);
    assert_int_equal(ev.state, LP_QUEUE_GONE);
    assert_int_equal(ev.called_at_ms, H);
    assert_int_equal(ev.no_shows, 0);
    lp_queue_destroy(q);
}

static void test_no_show_behind_waiting_then_removed(void **state)
{
    lp_queue *q = make(1, 1);
    lp_queue_event ev[8];
    lp_queue_truck t;
    (void)state;
    /* Truck 1 has the earliest slot; 2 and 3 are booked later; 4, booked
     * later still, comes after truck 1 has lost its turn. */
    assert_int_equal(lp_queue_add(q, 1, LP_QUEUE_NORMAL, H, H), LP_OK);
    assert_int_equal(lp_queue_add(q, 2, LP_QUEUE_NORMAL, H + 60 * MIN, H + 1), LP_OK);
    assert_int_equal(lp_queue_add(q, 3, LP_QUEUE_NORMAL, H + 120 * MIN, H + 2), LP_OK);
    assert_int_equal(lp_queue_add(q, 5, LP_QUEUE_PERISHABLE, H + 180 * MIN, H + 3), LP_OK);
    call(q, H, ev, 1, 5);
    assert_int_equal(lp_queue_arrived_at_gate(q, 5, H + MIN, NULL), LP_OK);
    call(q, H + MIN, ev, 1, 1);
    /* 20:01 after the call: late; the event is dated at the first late ms,
     * 20:00.001.  Truck 4 comes after that, before the queue is run. */
    assert_int_equal(lp_queue_add(q, 4, LP_QUEUE_NORMAL, H + 180 * MIN, H + 21 * MIN + 30000), LP_OK);
    call(q, H + 22 * MIN, ev, 2, 1, 2);
    assert_int_equal(ev[0].kind, LP_QUEUE_EV_NO_SHOW);
    assert_int_equal(ev[0].at_ms, H + 21 * MIN + 1);
    assert_int_equal(ev[0].state, LP_QUEUE_WAITING);
    assert_int_equal(ev[0].no_shows, 1);
    assert_int_equal(ev[0].called_at_ms, H + MIN);
    assert_int_equal(ev[0].lane, 0);
    /* Behind 2 and 3 who were waiting then (its slot is pushed back to
     * 3's), ahead of 4 who came later (whose slot is later). */
    assert_int_equal(ev[0].slot_ms, H + 120 * MIN);
    assert_int_equal(ev[0].arrival_ms, H + 21 * MIN + 1);
    assert_int_equal(ev[0].position, 3);
    assert_int_equal(ev[0].waiting, 4);
    assert_int_equal(ev[1].kind, LP_QUEUE_EV_CALLED);
    assert_int_equal(pos_of(q, 3), 1);
    assert_int_equal(pos_of(q, 1), 2);
    assert_int_equal(pos_of(q, 4), 3);
    assert_int_equal(lp_queue_get(q, 1, &t), LP_OK);
    assert_int_equal(t.booked_slot_ms, H);
    assert_int_equal(t.yard_arrival_ms, H);
    assert_int_equal(t.state, LP_QUEUE_WAITING);
    assert_int_equal(t.lane, -1);

    /* Called again, late again (arriving late at the gate): removed on the 2nd. */
    assert_int_equal(lp_queue_withdraw(q, 4, H + 22 * MIN, ev), LP_OK);
    assert_int_equal(ev[0].kind, LP_QUEUE_EV_WITHDRAWN);
    assert_int_equal(ev[0].position, 3);
    assert_int_equal(ev[0].state, LP_QUEUE_GONE);
    assert_int_equal(lp_queue_withdraw(q, 2, H + 22 * MIN, NULL), LP_OK); /* called */
    call(q, H + 22 * MIN, ev, 1, 3);
    assert_int_equal(lp_queue_arrived_at_gate(q, 3, H + 23 * MIN, NULL), LP_OK);
    call(q, H + 23 * MIN, ev, 1, 1);
    assert_int_equal(lp_queue_arrived_at_gate(q, 1, H + 44 * MIN, ev), LP_ECONFLICT);
    assert_int_equal(ev[0].kind, LP_QUEUE_EV_REMOVED);
    assert_int_equal(ev[0].state, LP_QUEUE_GONE);
    assert_int_equal(ev[0].no_shows, 2);
    assert_int_equal(ev[0].at_ms, H + 43 * MIN + 1);
    assert_int_equal(lp_queue_get(q, 1, &t), LP_ENOTFOUND);
    assert_int_equal(lp_queue_waiting(q) + lp_queue_called(q), 0);
    lp_queue_destroy(q);
}

/* Walk-ins go behind the walk-ins waiting then, by arrival. */
static void test_no_show_walkin(void **state)
{
    lp_queue *q = make(1, 1);
    lp_queue_event ev[4];
    (void)state;
    assert_int_equal(lp_queue_add(q, 1, LP_QUEUE_WALKIN, 0, H), LP_OK);
    assert_int_equal(lp_queue_add(q, 2, LP_QUEUE_WALKIN, 0, H + 10 * MIN), LP_OK);
    call(q, H, ev, 1, 1);
    assert_int_equal(ev[0].cls, LP_QUEUE_WALKIN);
    assert_int_equal(ev[0].slot_ms, 0);
    assert_int_equal(ev[0].arrival_ms, H);
    assert_int_equal(ev[0].position, 1);
    assert_int_equal(ev[0].waiting, 1);
    assert_int_equal(ev[0].at_ms, H);
    assert_int_equal(lp_queue_add(q, 3, LP_QUEUE_WALKIN, 0, H + 30 * MIN), LP_OK);
    call(q, H + 40 * MIN, ev, 2, 1, 2);
    assert_int_equal(ev[0].slot_ms, 0);
    assert_int_equal(ev[0].position, 2); /* behind 2 (waiting then), ahead of 3 (came later) */
    assert_int_equal(pos_of(q, 1), 1);
    assert_int_equal(pos_of(q, 3), 2);
    lp_queue_destroy(q);
}

/* Output full: the queue stops before a change it could not report. */
static void test_events_bounded(void **state)
{
    lp_queue *q = make(1, 5);
    lp_queue_event ev[2];
    int n = -1, i;
    (void)state;
    for (i = 1; i <= 5; i++) assert_int_equal(lp_queue_add(q, i, LP_QUEUE_NORMAL, H, H + i), LP_OK);
    assert_int_equal(lp_queue_call(q, H, ev, 2, &n), LP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(lp_queue_called(q), 2);
    assert_int_equal(lp_queue_call(q, H, NULL, 0, &n), LP_OK);
    assert_int_equal(n, 0);
    assert_int_equal(lp_queue_call(q, H, ev, 2, &n), LP_OK);
    assert_int_equal(ev[0].truck_id, 3);
    assert_int_equal(lp_queue_call(q, -1, ev, 2, &n), LP_EINVAL);
    lp_queue_destroy(q);
}

/* 5,000 trucks --------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static double rng_unit(uint64_t *s) { return ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0; }

static void test_backlog_5000(void **state)
{
    enum { N = 5000 };
    lp_queue *q = make(4, 2);
    lp_queue_pos *pos = lp_malloc(N * sizeof *pos);
    lp_queue_event *ev = lp_malloc(N * sizeof *ev);
    uint64_t seed = 42;
    int i, n = -1, p;
    int64_t eta;
    lp_queue_truck a, b;
    (void)state;
    for (i = 0; i < N; i++) {
        int cls = (int)(rng_next(&seed) % 3);
        int64_t slot = cls == LP_QUEUE_WALKIN ? 0 : H + (int64_t)(rng_next(&seed) % 48) * 60 * MIN;
        assert_int_equal(lp_queue_add(q, 1 + (int64_t)(rng_next(&seed) % 1000000) * N + i,
                                      (lp_queue_class)cls, slot, H + (int64_t)(rng_next(&seed) % 1000) * MIN),
                         LP_OK);
    }
    assert_int_equal(lp_queue_positions(q, pos, N, &n), LP_OK);
    assert_int_equal(n, N);
    for (i = 0; i < N; i++) {
        assert_int_equal(pos[i].position, i + 1);
        assert_int_equal(lp_queue_position(q, pos[i].truck_id, &p, &eta), LP_OK);
        assert_int_equal(p, i + 1);
        assert_int_equal(eta, pos[i].eta_ms);
        if (i) { /* strictly increasing in the order of rule 1 */
            assert_int_equal(lp_queue_get(q, pos[i - 1].truck_id, &a), LP_OK);
            assert_int_equal(lp_queue_get(q, pos[i].truck_id, &b), LP_OK);
            assert_true(a.cls < b.cls || (a.cls == b.cls && (a.slot_ms < b.slot_ms ||
                        (a.slot_ms == b.slot_ms && (a.arrival_ms < b.arrival_ms ||
                        (a.arrival_ms == b.arrival_ms && a.id < b.id))))));
            assert_true(pos[i].eta_ms >= pos[i - 1].eta_ms);
        }
    }
    /* Calling everyone, 8 at a time, follows the same order. */
    for (i = 0; i < N; i += 8) {
        int j;
        assert_int_equal(lp_queue_call(q, H, ev, N, &n), LP_OK);
        assert_int_equal(n, 8);
        for (j = 0; j < 8; j++) {
            assert_int_equal(ev[j].truck_id, pos[i + j].truck_id);
            assert_int_equal(lp_queue_arrived_at_gate(q, ev[j].truck_id, H + MIN, NULL), LP_OK);
        }
    }
    assert_int_equal(lp_queue_waiting(q), 0);
    lp_free(pos);
    lp_free(ev);
    lp_queue_destroy(q);
}

/* The estimate against a simulated queue --------------------------------------------------
 *
 * Virtual time.  Trucks (all booked normal, slot = arrival, so the order is
 * first come first served) arrive as a Poisson process of 0.45 per minute
 * into 2 lanes of 2 places; a called truck reaches the gate after an
 * exponential time of mean 8 minutes (so 0.5 per minute are served and the
 * load is 0.9) and always within the window.  The lanes are operated
 * promptly: the queue is called at every arrival and gate arrival.  Each
 * truck's estimate is read right after its arrival; its actual wait is the
 * time to its call.  3,000 trucks; the first 300 (warm-up, while the rate
 * has no samples) are not scored.
 *
 * The bound.  Even a predictor that knows the true rate cannot beat the
 * randomness of the service: with k trucks to be served ahead of a truck,
 * the time to its call is a sum of k exponential gaps (mean 2 min), whose
 * spread grows like sqrt(k).  So the test computes that oracle's error on
 * the same trucks and asserts that ours, which learns the rate, is within
 * 1.25 times it, and below 50 % of the mean actual wait. */
typedef struct sim_truck {
    int64_t arrival, called, predicted, oracle;
} sim_truck;

typedef struct sim {
    lp_queue *q;
    sim_truck *tr;
    int64_t *gate; /* when each called truck will reach the gate; -1 */
    uint64_t seed;
    double service_ms;
} sim;

static void sim_call(sim *s, int64_t now)
{
    lp_queue_event ev[16];
    int n, i;
    do {
        assert_int_equal(lp_queue_call(s->q, now, ev, 16, &n), LP_OK);
        for (i = 0; i < n; i++) {
            int k = (int)ev[i].truck_id - 1;
            assert_int_equal(ev[i].kind, LP_QUEUE_EV_CALLED);
            s->tr[k].called = now;
            s->gate[k] = now + (int64_t)(-log(rng_unit(&s->seed)) * s->service_ms);
        }
    } while (n == 16);
}

static int free_places(const lp_queue *q, int nlanes)
{
    int l, cap, paused, busy, f = 0;
    for (l = 0; l < nlanes; l++) {
        assert_int_equal(lp_queue_lane_get(q, l, &cap, &paused, &busy), LP_OK);
        if (!paused && cap > busy) f += cap - busy;
    }
    return f;
}

static void test_eta_simulated(void **state)
{
    enum { N = 3000, WARM = 300, PLACES = 4 };
    const double lambda = 0.45 / MIN;
    lp_queue_config c;
    sim s;
    int64_t now = H, next_arrival, samples = 0, service_est = 0;
    int added = 0, done = 0, i, scored = 0;
    double err = 0, oerr = 0, wait = 0;
    (void)state;
    lp_queue_config_default(&c);
    c.nlanes = 2;
    c.capacity[0] = c.capacity[1] = 2;
    c.no_show_window_ms = INT64_C(24) * 3600 * 1000; /* nobody is late here */
    memset(&s, 0, sizeof s);
    assert_int_equal(lp_queue_create(&c, &s.q), LP_OK);
    s.tr = lp_calloc(N, sizeof *s.tr);
    s.gate = lp_malloc(N * sizeof *s.gate);
    s.seed = 20210101;
    s.service_ms = 8.0 * MIN;
    for (i = 0; i < N; i++) s.gate[i] = -1;
    next_arrival = H + (int64_t)(-log(rng_unit(&s.seed)) / lambda);
    while (done < N) {
        int g = -1;
        for (i = 0; i < added; i++)
            if (s.gate[i] >= 0 && (g < 0 || s.gate[i] < s.gate[g])) g = i;
        if (added < N && (g < 0 || next_arrival <= s.gate[g])) {
            sim_truck *t = &s.tr[added];
            int pos, k;
            int64_t eta;
            now = next_arrival;
            t->arrival = now;
            assert_int_equal(lp_queue_add(s.q, added + 1, LP_QUEUE_NORMAL, now, now), LP_OK);
            added++;
            next_arrival = now + (int64_t)(-log(rng_unit(&s.seed)) / lambda);
            sim_call(&s, now);
            assert_int_equal(lp_queue_position(s.q, added, &pos, &eta), LP_OK);
            k = pos - free_places(s.q, 2);
            t->predicted = eta;
            t->oracle = k > 0 ? (int64_t)(k * s.service_ms / PLACES) : 0;
        } else {
            now = s.gate[g];
            s.gate[g] = -1;
            assert_int_equal(lp_queue_arrived_at_gate(s.q, g + 1, now, NULL), LP_OK);
            done++;
            sim_call(&s, now);
        }
    }
    for (i = WARM; i < N; i++) {
        double actual = (double)(s.tr[i].called - s.tr[i].arrival);
        err += fabs((double)s.tr[i].predicted - actual);
        oerr += fabs((double)s.tr[i].oracle - actual);
        wait += actual;
        scored++;
    }
    err /= scored;
    oerr /= scored;
    wait /= scored;
    lp_queue_rate(s.q, &service_est, NULL, &samples);
    print_message("eta: %d trucks, mean wait %.1f min, mean abs error %.2f min (oracle knowing the "
                  "true rate %.2f min, ratio %.2f); service per place at the end %.2f min (true 8.00), %lld samples\n",
                  scored, wait / MIN, err / MIN, oerr / MIN, err / oerr, (double)service_est / MIN,
                  (long long)samples);
    assert_true(wait > 5.0 * MIN); /* the queue was really loaded */
    assert_true(err <= 1.25 * oerr);
    assert_true(err <= 0.5 * wait);
    lp_free(s.gate);
    lp_free(s.tr);
    lp_queue_destroy(s.q);
}

/* A queue rebuilt from what lp_queue_get and the rate state give (as the
 * store does from its rows) behaves exactly as the original from then on. */
static void test_restore(void **state)
{
    lp_queue *a = make(2, 1), *b = make(2, 1);
    lp_queue_event ea[64], eb[64];
    lp_queue_rate_state rs;
    lp_queue_truck t;
    int na, nb, i, id;
    int64_t now = H;
    (void)state;

    for (id = 1; id <= 6; id++)
        assert_int_equal(lp_queue_add(a, id, id == 4 ? LP_QUEUE_PERISHABLE : LP_QUEUE_NORMAL, H + id % 3 * 60 * MIN,
                                      H - id * MIN), LP_OK);
    call(a, now, NULL, 2, 4, 6);
    now += 5 * MIN;
    assert_int_equal(lp_queue_arrived_at_gate(a, 4, now, NULL), LP_OK);
    call(a, now, NULL, 1, 3);
    now += 25 * MIN; /* 6 and 3 are late, then 1 and 5 are called */
    call(a, now, NULL, 4, 6, 3, 1, 5);
    assert_int_equal(lp_queue_lane_pause(a, 1, 1), LP_OK);

    /* Rebuild b from a. */
    assert_int_equal(lp_queue_lane_pause(b, 1, 1), LP_OK);
    for (id = 1; id <= 6; id++)
        if (lp_queue_get(a, id, &t) == LP_OK) assert_int_equal(lp_queue_restore(b, &t), LP_OK);
    lp_queue_rate_state_get(a, &rs);
    assert_int_equal(lp_queue_rate_state_set(b, &rs), LP_OK);
    assert_int_equal(lp_queue_waiting(b), lp_queue_waiting(a));
    assert_int_equal(lp_queue_called(b), lp_queue_called(a));
    for (id = 1; id <= 6; id++) {
        int pa = -1, pb = -2;
        int64_t xa = -1, xb = -2;
        if (lp_queue_position(a, id, &pa, &xa) != LP_OK) continue;
        assert_int_equal(lp_queue_position(b, id, &pb, &xb), LP_OK);
        assert_int_equal(pa, pb);
        assert_true(xa == xb);
    }

    /* The same steps give the same events on both. */
    for (i = 0; i < 4; i++) {
        now += 21 * MIN;
        assert_int_equal(lp_queue_call(a, now, ea, 64, &na), LP_OK);
        assert_int_equal(lp_queue_call(b, now, eb, 64, &nb), LP_OK);
        assert_int_equal(na, nb);
        assert_memory_equal(ea, eb, (size_t)na * sizeof ea[0]);
    }

    /* Out of range: a called truck on a lane that does not exist, a gone
     * one, a no-show count at the limit, a duplicate id, a bad rate. */
    memset(&t, 0, sizeof t);
    t.id = 99;
    t.cls = LP_QUEUE_NORMAL;
    t.slot_ms = t.booked_slot_ms = H;
    t.arrival_ms = t.yard_arrival_ms = H;
    t.state = LP_QUEUE_CALLED;
    t.lane = 2;
    assert_int_equal(lp_queue_restore(b, &t), LP_EINVAL);
    t.state = LP_QUEUE_GONE;
    assert_int_equal(lp_queue_restore(b, &t), LP_EINVAL);
    t.state = LP_QUEUE_WAITING;
    t.no_shows = 2;
    assert_int_equal(lp_queue_restore(b, &t), LP_EINVAL);
    t.no_shows = 0;
    t.cls = LP_QUEUE_WALKIN; /* a walk-in has slot 0 */
    assert_int_equal(lp_queue_restore(b, &t), LP_EINVAL);
    t.cls = LP_QUEUE_NORMAL;
    assert_int_equal(lp_queue_restore(b, &t), LP_OK);
    assert_int_equal(lp_queue_restore(b, &t), LP_ECONFLICT);
    rs.service_ms = 0;
    assert_int_equal(lp_queue_rate_state_set(b, &rs), LP_EINVAL);
    lp_queue_destroy(a);
    lp_queue_destroy(b);
}

static void test_invalid(void **state)
{
    lp_queue_config c;
    lp_queue *q = (lp_queue *)&c;
    int pos;
    int64_t eta;
    (void)state;
    lp_queue_config_default(&c);
    c.nlanes = 0;
    assert_int_equal(lp_queue_create(&c, &q), LP_EINVAL);
    assert_null(q);
    lp_queue_config_default(&c);
    c.no_show_limit = 0;
    assert_int_equal(lp_queue_create(&c, &q), LP_EINVAL);
    assert_int_equal(lp_queue_create(NULL, &q), LP_EINVAL);
    q = make(1, 1);
    assert_int_equal(lp_queue_add(q, 0, LP_QUEUE_NORMAL, H, H), LP_EINVAL);
    assert_int_equal(lp_queue_add(q, 1, (lp_queue_class)3, H, H), LP_EINVAL);
    assert_int_equal(lp_queue_add(q, 1, LP_QUEUE_NORMAL, H, -5), LP_EINVAL);
    assert_int_equal(lp_queue_position(q, 1, &pos, &eta), LP_ENOTFOUND);
    assert_int_equal(lp_queue_withdraw(q, 1, H, NULL), LP_ENOTFOUND);
    assert_int_equal(lp_queue_add(q, 1, LP_QUEUE_NORMAL, H, H), LP_OK);
    call(q, H, NULL, 1, 1);
    assert_int_equal(lp_queue_arrived_at_gate(q, 1, H - 1, NULL), LP_EINVAL); /* before its call */
    assert_string_equal(lp_queue_event_name(LP_QUEUE_EV_NO_SHOW), "no_show");
    assert_string_equal(lp_queue_state_name(LP_QUEUE_CALLED), "called");
    lp_queue_destroy(q);
    lp_queue_destroy(NULL);
}

/* The prior is used until the first sample, then the observed rate. */
static void test_rate(void **state)
{
    lp_queue *q = make(1, 2);
    int64_t service, iv, samples;
    int i, pos;
    int64_t eta;
    (void)state;
    lp_queue_rate(q, &service, &iv, &samples);
    assert_int_equal(service, 10 * MIN);
    assert_int_equal(iv, 5 * MIN);
    assert_int_equal(samples, 0);
    for (i = 1; i <= 6; i++) assert_int_equal(lp_queue_add(q, i, LP_QUEUE_NORMAL, H, H + i), LP_OK);
    call(q, H, NULL, 2, 1, 2);
    /* Gate arrivals 3 minutes apart with 2 places: 6 minutes per place. */
    assert_int_equal(lp_queue_arrived_at_gate(q, 1, H + 3 * MIN, NULL), LP_OK);
    call(q, H + 3 * MIN, NULL, 1, 3);
    assert_int_equal(lp_queue_arrived_at_gate(q, 2, H + 6 * MIN, NULL), LP_OK);
    call(q, H + 6 * MIN, NULL, 1, 4);
    lp_queue_rate(q, &service, &iv, &samples);
    assert_int_equal(samples, 1);
    assert_int_equal(service, 6 * MIN);
    assert_int_equal(iv, 3 * MIN);
    /* Truck 6 is second, no free place: 2 intervals. */
    assert_int_equal(lp_queue_position(q, 6, &pos, &eta), LP_OK);
    assert_int_equal(pos, 2);
    assert_int_equal(eta, 6 * MIN);
    /* Halve the capacity: the interval doubles at once. */
    assert_int_equal(lp_queue_lane_set_capacity(q, 0, 1), LP_OK);
    assert_int_equal(lp_queue_position(q, 6, &pos, &eta), LP_OK);
    assert_int_equal(eta, 12 * MIN);
    lp_queue_destroy(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_walkins),
        cmocka_unit_test(test_capacity_and_pause),
        cmocka_unit_test(test_no_show_exactly_at_window),
        cmocka_unit_test(test_no_show_behind_waiting_then_removed),
        cmocka_unit_test(test_no_show_walkin),
        cmocka_unit_test(test_events_bounded),
        cmocka_unit_test(test_rate),
        cmocka_unit_test(test_backlog_5000),
        cmocka_unit_test(test_eta_simulated),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_restore),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

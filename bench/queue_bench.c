/* queue_bench.c - figures for bench/queue.sh: the fair e-queue (core/queue.h)
 * with thousands of trucks waiting in one lane group, in process.
 *
 *   lp_bench_queue [N ...]      default: 5000 50000
 *
 * For each N (trucks waiting; the 2021 backlog at Lạng Sơn was about 4,800)
 * on 4 lanes of capacity 2 (8 places), one thread:
 *   add        N trucks into an empty queue (10 % perishable, 80 % booked in
 *              15-minute slots, 10 % walk-ins, arrivals spread over a day)
 *   cycle      one call-forward + that truck's gate arrival + a new truck
 *              joining, so that N stay waiting (steady state)
 *   withdraw   a waiting truck taken out at a random place, then added back
 *   no-show    8 called trucks late at once: lp_queue_call moves each back
 *              (or removes it on its 2nd no-show) and calls 8 others
 *   positions  lp_queue_positions: position and estimated wait of all N
 *   position   lp_queue_position of one random truck
 * and, measured in the same run, two references any queue has to pay at
 * least: qsort of the same N order keys (class, slot, arrival, id) and a
 * sequential scan that reads the N keys once.  Ratios are printed against
 * them.  Timings are printed, never asserted (tests do not time things). */
#include "core/queue.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LANES 4
#define CAPACITY 2
#define PLACES (LANES * CAPACITY)
#define T0 INT64_C(1790000000000) /* a morning in 2026, ms */
#define MIN_MS INT64_C(60000)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*: the same trucks on every run. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15u;
static uint64_t rnd(void)
{
    rnd_state ^= rnd_state >> 12;
    rnd_state ^= rnd_state << 25;
    rnd_state ^= rnd_state >> 27;
    return rnd_state * 0x2545f4914f6cdd1du;
}

/* The order key of one truck, as the queue and the reference sort see it. */
typedef struct key {
    lp_queue_class cls;
    int64_t slot_ms, arrival_ms, id;
} key;

static key make_key(int64_t id)
{
    key k;
    unsigned c = (unsigned)(rnd() % 10);
    k.id = id;
    k.cls = c == 0 ? LP_QUEUE_PERISHABLE : c == 9 ? LP_QUEUE_WALKIN : LP_QUEUE_NORMAL;
    k.slot_ms = k.cls == LP_QUEUE_WALKIN ? 0 : T0 + (int64_t)(rnd() % 96) * 15 * MIN_MS;
    k.arrival_ms = T0 + (int64_t)(rnd() % (24 * 60)) * MIN_MS - 24 * 60 * MIN_MS;
    return k;
}

static int cmp_key(const void *pa, const void *pb)
{
    const key *a = pa, *b = pb;
    if (a->cls != b->cls) return a->cls < b->cls ? -1 : 1;
    if (a->slot_ms != b->slot_ms) return a->slot_ms < b->slot_ms ? -1 : 1;
    if (a->arrival_ms != b->arrival_ms) return a->arrival_ms < b->arrival_ms ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static void must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "lp_bench_queue: %s failed (%d)\n", what, rc);
        exit(1);
    }
}

static lp_queue *new_queue(void)
{
    lp_queue_config cfg;
    lp_queue *q = NULL;
    int i;
    lp_queue_config_default(&cfg);
    cfg.nlanes = LANES;
    for (i = 0; i < LANES; i++) cfg.capacity[i] = CAPACITY;
    must(lp_queue_create(&cfg, &q), "lp_queue_create");
    return q;
}

static void add(lp_queue *q, const key *k)
{
    must(lp_queue_add(q, k->id, k->cls, k->slot_ms, k->arrival_ms), "lp_queue_add");
}

static volatile int64_t sink;

/* One line of the table: what, how many operations, seconds. */
static void row(const char *what, long ops, double secs, const char *note)
{
    printf("  %-40s %10.0f ops/s %11.3f us/op  %s\n", what, (double)ops / secs, secs * 1e6 / (double)ops,
           note ? note : "");
}

static int bench(int n)
{
    key *keys = malloc((size_t)n * sizeof *keys), *sorted = malloc((size_t)n * sizeof *sorted);
    lp_queue_pos *pos = malloc((size_t)n * sizeof *pos);
    lp_queue_event ev[64];
    lp_queue *q;
    int64_t next_id, now = T0, eta;
    double t0, t_add, t_cycle, t_wd, t_ns, t_all, t_one, t_sort, t_scan;
    long cycles = 20000, wds = 20000, ns_rounds = 500, reps_all, reps_one = 200000, reps_sort, i;
    long noshows = 0;
    int j, got, p;

    if (!keys || !sorted || !pos) return 1;
    for (i = 0; i < n; i++) keys[i] = make_key(i + 1);
    next_id = n + 1;
    printf("N = %d trucks waiting, %d lanes x capacity %d\n", n, LANES, CAPACITY);

    /* add */
    q = new_queue();
    t0 = now_s();
    for (i = 0; i < n; i++) add(q, &keys[i]);
    t_add = now_s() - t0;
    row("add (empty -> N waiting)", n, t_add, NULL);

    /* call-forward + gate arrival + a new truck, N kept waiting */
    t0 = now_s();
    for (i = 0; i < cycles;) {
        now += MIN_MS;
        must(lp_queue_call(q, now, ev, 64, &got), "lp_queue_call");
        for (j = 0; j < got; j++)
            if (ev[j].kind == LP_QUEUE_EV_CALLED) {
                key k = make_key(next_id++);
                must(lp_queue_arrived_at_gate(q, ev[j].truck_id, now + MIN_MS, NULL), "arrived");
                add(q, &k);
                i++;
            }
    }
    t_cycle = now_s() - t0;
    row("call + gate arrival + add (steady N)", i, t_cycle, "per truck called");
    if (lp_queue_waiting(q) < n - PLACES) fprintf(stderr, "lp_bench_queue: the queue drained\n");

    /* withdraw a random waiting truck and add it back */
    must(lp_queue_positions(q, pos, n, &got), "lp_queue_positions");
    t0 = now_s();
    for (i = 0; i < wds; i++) {
        lp_queue_truck t;
        int64_t id = pos[rnd() % (uint64_t)got].truck_id;
        if (lp_queue_get(q, id, &t) != 0) continue;
        must(lp_queue_withdraw(q, id, now, NULL), "lp_queue_withdraw");
        must(lp_queue_add(q, id, t.cls, t.slot_ms, t.arrival_ms), "re-add");
    }
    t_wd = now_s() - t0;
    row("withdraw + add back (random place)", wds, t_wd, NULL);

    /* no-show: fill the places, let every called truck be late at once */
    must(lp_queue_call(q, now, ev, 64, &got), "lp_queue_call");
    t0 = now_s();
    for (i = 0; i < ns_rounds; i++) {
        now += LP_QUEUE_WINDOW_DEFAULT_MS + 1;
        must(lp_queue_call(q, now, ev, 64, &got), "lp_queue_call");
        for (j = 0; j < got; j++) {
            if (ev[j].kind == LP_QUEUE_EV_NO_SHOW || ev[j].kind == LP_QUEUE_EV_REMOVED) noshows++;
            if (ev[j].kind == LP_QUEUE_EV_REMOVED) {
                key k = make_key(next_id++); /* the backlog stays at N */
                add(q, &k);
            }
        }
    }
    t_ns = now_s() - t0;
    row("no-show (late truck back or out)", noshows, t_ns, "each round also calls 8 others");

    /* positions and estimates of everyone; one truck's */
    reps_all = n >= 50000 ? 200 : 2000;
    t0 = now_s();
    for (i = 0; i < reps_all; i++) {
        must(lp_queue_positions(q, pos, n + PLACES, &got), "lp_queue_positions");
        sink = pos[got - 1].eta_ms;
    }
    t_all = now_s() - t0;
    row("positions + waits of all waiting", reps_all, t_all, NULL);
    t0 = now_s();
    for (i = 0; i < reps_one; i++) {
        must(lp_queue_position(q, pos[rnd() % (uint64_t)got].truck_id, &p, &eta), "lp_queue_position");
        sink = eta;
    }
    t_one = now_s() - t0;
    row("position + wait of one truck", reps_one, t_one, NULL);

    /* references */
    reps_sort = n >= 50000 ? 20 : 200;
    t0 = now_s();
    for (i = 0; i < reps_sort; i++) {
        memcpy(sorted, keys, (size_t)n * sizeof *keys);
        qsort(sorted, (size_t)n, sizeof *sorted, cmp_key);
        sink = sorted[n / 2].id;
    }
    t_sort = now_s() - t0;
    row("reference: qsort of the N order keys", reps_sort, t_sort, "(copy + sort)");
    t0 = now_s();
    for (i = 0; i < reps_all; i++) {
        int64_t s = 0;
        for (j = 0; j < n; j++) s += keys[j].slot_ms ^ keys[j].id;
        sink = s;
    }
    t_scan = now_s() - t0;
    row("reference: sequential scan of N keys", reps_all, t_scan, NULL);
    printf("  ratio all positions / qsort: %.4f   / scan: %.2f   one position / all positions: %.5f\n",
           (t_all / (double)reps_all) / (t_sort / (double)reps_sort), t_all / t_scan,
           (t_one / (double)reps_one) / (t_all / (double)reps_all));
    printf("  ratio add of N / qsort of N: %.2f   (%d waiting, %d called at the end)\n\n",
           t_add / (t_sort / (double)reps_sort), lp_queue_waiting(q), lp_queue_called(q));
    lp_queue_destroy(q);
    free(keys);
    free(sorted);
    free(pos);
    return 0;
}

int main(int argc, char **argv)
{
    static const int defaults[] = {5000, 50000};
    int i, rc = 0;
    if (argc < 2) {
        for (i = 0; i < 2 && !rc; i++) rc = bench(defaults[i]);
        return rc;
    }
    for (i = 1; i < argc && !rc; i++) {
        int n = atoi(argv[i]);
        if (n < 100 || n > LP_QUEUE_TRUCKS_MAX / 2) {
            fprintf(stderr, "usage: lp_bench_queue [N ...]   (100 <= N <= %d)\n", LP_QUEUE_TRUCKS_MAX / 2);
            return 2;
        }
        rc = bench(n);
    }
    return rc;
}

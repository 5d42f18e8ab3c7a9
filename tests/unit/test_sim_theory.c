/* test_sim_theory.c - the gate model against queueing theory.
 *
 * One lane group with c lanes of one place, no travel, no agency, no
 * no-show, lanes always open, homogeneous Poisson arrivals: an M/G/c
 * queue whose order of service (lp_queue's call-forward order: one class,
 * then arrival) does not change the mean wait.
 *
 * Tolerance, and why: each check runs R = 20 replications of 40 days after
 * a day of warm-up (about 10,000 trucks per replication for M/M/3, 4,000
 * for M/D/1) and asks that the mean over replications be within 5% of the
 * formula for the mean wait and within 2.5% for utilisation.  At rho = 0.7
 * the replication means of Wq have a coefficient of variation of about 8%
 * (waits are strongly correlated in time), so the standard error of their
 * mean is about 1.8%: 5% is 2.8 standard errors, so a correct model fails
 * for fewer than 1 seed in 100, yet a wrong one -- a server counted twice,
 * a wait measured from the wrong event, service drawn at the wrong mean:
 * errors of 10% and more -- cannot pass.  The test also asserts that the
 * theory lies inside the 99.9% band of the replications.  Run time: the
 * sizes are chosen to stay near 5 s under ASan.  The runs are seeded, so
 * the result is the same on every machine: no flakiness. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/des.h"
#include "core/err.h"
#include "core/simgate.h"

#define MIN 60000.0
#define REPS 20
#define DAYS 40

static void mgc_config(lp_simgate_config *c, int servers, double lambda_per_min, lp_dist service)
{
    int i;
    lp_simgate_config_default(c);
    c->trucks_per_day = lambda_per_min * 1440;
    for (i = 0; i < 24; i++) c->hourly[i] = 1;
    c->export_share = 1;
    c->perishable_share = c->walkin_share = c->food_share = 0;
    c->channels.min_yellow_permille = c->channels.min_red_permille = 0;
    c->yard_bays = 0;
    memset(&c->travel, 0, sizeof c->travel); /* const 0 */
    c->no_show_prob = 0;
    c->no_show_window_ms = LP_SIM_DAY_MS;
    c->group[0].lanes = servers;
    c->group[0].places = 1;
    c->group[0].open_min = c->group[0].close_min = 0;
    c->group[0].service = service;
    c->group[1].lanes = 0;
    c->exception_prob = 0;
    c->lane_mtbf_h = 0;
    c->warmup_days = 1;
    c->sample_ms = 0;
    c->agv_enabled = 0;
}

typedef struct result {
    double wq[REPS], util[REPS], l[REPS], w[REPS], lambda[REPS];
} result;

static void run(const lp_simgate_config *c, uint64_t seed, int reps, result *r)
{
    int i, l;
    for (i = 0; i < reps; i++) {
        lp_des *d = NULL;
        lp_simgate *g = NULL;
        lp_simgate_stats s;
        double u = 0;
        assert_int_equal(lp_des_create(0, lp_rng_mix(seed + (uint64_t)i), &d), LP_OK);
        assert_int_equal(lp_simgate_create(c, d, &g, NULL), LP_OK);
        lp_des_run_until(d, (c->warmup_days + DAYS) * LP_SIM_DAY_MS);
        lp_simgate_stats_get(g, &s);
        for (l = 0; l < c->group[0].lanes; l++) u += s.lane_util[0][l];
        r->wq[i] = lp_hist_mean(&s.wait) / MIN;
        r->w[i] = lp_hist_mean(&s.system) / MIN;
        r->util[i] = u / c->group[0].lanes;
        r->l[i] = s.mean_in_system;
        r->lambda[i] = (double)s.arrived / ((double)s.measured_ms / MIN);
        lp_simgate_destroy(g);
        lp_des_destroy(d);
    }
}

static void expect_near(const char *what, const double *x, int n, double theory, double tol_rel)
{
    double mean, half, se;
    lp_stat_ci95(x, n, &mean, &half);
    se = half / lp_stat_t975(n - 1);
    print_message("%-28s sim %.4f +- %.4f (95%%)   theory %.4f   error %+.2f%%\n", what, mean, half, theory,
                  100 * (mean - theory) / theory);
    assert_true(fabs(mean - theory) <= tol_rel * theory);
    assert_true(fabs(mean - theory) <= 3.3 * se + 1e-12); /* the 99.9% band */
}

/* Erlang C: probability of waiting in M/M/c with offered load a = lambda/mu. */
static double erlang_c(int c, double a)
{
    double term = 1, sum = 0, rho = a / c;
    int k;
    for (k = 0; k < c; k++) {
        sum += term;
        term *= a / (k + 1);
    }
    /* term is now a^c / c! */
    return term / (1 - rho) / (sum + term / (1 - rho));
}

static void test_mmc_erlang_c(void **state)
{
    lp_simgate_config c;
    lp_dist svc = {LP_DIST_EXP, 10 * MIN, 0, 0, 0, 0};
    int servers = 3;
    double mu = 1 / 10.0, lambda = 0.7 * servers * mu, a = lambda / mu;
    double wq = erlang_c(servers, a) / (servers * mu - lambda);
    result r;
    (void)state;
    mgc_config(&c, servers, lambda, svc);
    run(&c, 7, REPS, &r);
    expect_near("M/M/3 rho 0.7: Wq (min)", r.wq, REPS, wq, 0.05);
    expect_near("M/M/3 rho 0.7: utilisation", r.util, REPS, 0.7, 0.025);
    /* Little's law holds inside the model: L = lambda W, to 2%. */
    {
        double l, w, lam;
        lp_stat_ci95(r.l, REPS, &l, NULL);
        lp_stat_ci95(r.w, REPS, &w, NULL);
        lp_stat_ci95(r.lambda, REPS, &lam, NULL);
        assert_true(fabs(l - lam * w) <= 0.02 * l);
    }
}

static void test_md1_pollaczek_khinchine(void **state)
{
    lp_simgate_config c;
    lp_dist svc = {LP_DIST_CONST, 10 * MIN, 0, 0, 0, 0};
    double d = 10, rho = 0.7, lambda = rho / d;
    double wq = rho * d / (2 * (1 - rho)); /* P-K with zero service variance */
    result r;
    (void)state;
    mgc_config(&c, 1, lambda, svc);
    run(&c, 11, REPS, &r);
    expect_near("M/D/1 rho 0.7: Wq (min)", r.wq, REPS, wq, 0.05);
    expect_near("M/D/1 rho 0.7: utilisation", r.util, REPS, rho, 0.025);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mmc_erlang_c),
        cmocka_unit_test(test_md1_pollaczek_khinchine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* rng.h - seeded pseudo-random numbers and the service-time distributions
 * of the simulator: xoshiro256** seeded through splitmix64, so a 64-bit
 * seed gives the same stream on every machine (never rand()).
 *
 * Plain values, no allocation, no globals.  Used by the discrete-event
 * engine (des.h), the gate model (simgate.h) and their tests. */
#ifndef LP_RNG_H
#define LP_RNG_H

#include <stdint.h>

typedef struct lp_rng {
    uint64_t s[4]; /* private */
} lp_rng;

/* Seeds r from seed (any value; 0 is fine). */
void lp_rng_seed(lp_rng *r, uint64_t seed);
/* The next 64 random bits. */
uint64_t lp_rng_next(lp_rng *r);
/* splitmix64 of x: derives independent seeds (replication r of seed s is
 * seeded with lp_rng_mix(s + r)). */
uint64_t lp_rng_mix(uint64_t x);
/* Uniform in (0, 1): never 0, never 1 (safe for log). */
double lp_rng_uniform(lp_rng *r);
/* Uniform integer in 0..n-1 (n >= 1), without modulo bias. */
uint64_t lp_rng_below(lp_rng *r, uint64_t n);
/* Exponential with the given mean. */
double lp_rng_exp(lp_rng *r, double mean);
/* Standard normal (Box-Muller, one value per call). */
double lp_rng_normal(lp_rng *r);

/* Distributions ----------------------------------------------------------- */

typedef enum lp_dist_kind {
    LP_DIST_CONST = 0, /* always mean */
    LP_DIST_EXP,       /* exponential(mean) */
    LP_DIST_UNIFORM,   /* uniform on [lo, hi]; mean = (lo + hi) / 2 */
    LP_DIST_LOGNORMAL, /* lognormal with the given mean and coefficient of variation cv */
    LP_DIST_ERLANG,    /* sum of k exponentials, mean = mean (cv = 1 / sqrt k) */
    LP_DIST_KINDS
} lp_dist_kind;

/* A duration distribution, in milliseconds. */
typedef struct lp_dist {
    lp_dist_kind kind;
    double mean; /* ms, > 0 (>= 0 for CONST) */
    double cv;   /* LOGNORMAL: > 0 */
    double lo, hi; /* UNIFORM: 0 <= lo <= hi */
    int k;       /* ERLANG: 1..100 */
} lp_dist;

/* One draw, in whole milliseconds (rounded to nearest, >= 0). */
int64_t lp_dist_sample(const lp_dist *d, lp_rng *r);
/* Its mean in ms (lo/hi for UNIFORM). */
double lp_dist_mean(const lp_dist *d);
/* "const", "exp", "uniform", "lognormal", "erlang"; "?" otherwise. */
const char *lp_dist_name(lp_dist_kind k);
/* The kind named s, or -1. */
int lp_dist_parse(const char *s);

#endif

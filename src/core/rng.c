/* rng.c - xoshiro256** with splitmix64 seeding, and the duration
 * distributions (see rng.h).  The generator follows the published
 * algorithms of Blackman and Vigna; written here from their description. */
#include "rng.h"

#include <math.h>
#include <string.h>

uint64_t lp_rng_mix(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

void lp_rng_seed(lp_rng *r, uint64_t seed)
{
    int i;
    /* Four successive splitmix64 outputs: never all zero. */
    for (i = 0; i < 4; i++) r->s[i] = lp_rng_mix(seed + (uint64_t)i * UINT64_C(0x9e3779b97f4a7c15));
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t lp_rng_next(lp_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

double lp_rng_uniform(lp_rng *r)
{
    /* 53 random bits, shifted by half a step: strictly inside (0, 1). */
    return ((double)(lp_rng_next(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

uint64_t lp_rng_below(lp_rng *r, uint64_t n)
{
    /* Rejection of the incomplete last block keeps every value equally likely. */
    uint64_t lim = UINT64_MAX - UINT64_MAX % n, x;
    do x = lp_rng_next(r);
    while (x >= lim);
    return x % n;
}

double lp_rng_exp(lp_rng *r, double mean) { return -mean * log(lp_rng_uniform(r)); }

double lp_rng_normal(lp_rng *r)
{
    double u = lp_rng_uniform(r), v = lp_rng_uniform(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static double draw(const lp_dist *d, lp_rng *r)
{
    double x = 0, sigma2;
    int i;
    switch (d->kind) {
    case LP_DIST_CONST: return d->mean;
    case LP_DIST_EXP: return lp_rng_exp(r, d->mean);
    case LP_DIST_UNIFORM: return d->lo + (d->hi - d->lo) * lp_rng_uniform(r);
    case LP_DIST_LOGNORMAL:
        /* mean m, cv c: sigma^2 = ln(1 + c^2), mu = ln m - sigma^2 / 2. */
        sigma2 = log(1.0 + d->cv * d->cv);
        return exp(log(d->mean) - sigma2 / 2 + sqrt(sigma2) * lp_rng_normal(r));
    case LP_DIST_ERLANG:
        for (i = 0; i < d->k; i++) x += lp_rng_exp(r, d->mean / d->k);
        return x;
    default: return d->mean;
    }
}

int64_t lp_dist_sample(const lp_dist *d, lp_rng *r)
{
    double x = draw(d, r);
    return x <= 0 ? 0 : (int64_t)(x + 0.5);
}

double lp_dist_mean(const lp_dist *d)
{
    return d->kind == LP_DIST_UNIFORM ? (d->lo + d->hi) / 2 : d->mean;
}

static const char *const names[LP_DIST_KINDS] = {"const", "exp", "uniform", "lognormal", "erlang"};

const char *lp_dist_name(lp_dist_kind k) { return (unsigned)k < LP_DIST_KINDS ? names[k] : "?"; }

int lp_dist_parse(const char *s)
{
    int i;
    for (i = 0; s && i < LP_DIST_KINDS; i++)
        if (!strcmp(s, names[i])) return i;
    return -1;
}

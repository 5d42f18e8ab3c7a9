/* simstat.c - histogram, time-weighted level and confidence intervals
 * (see simstat.h). */
#include "simstat.h"
#include "mem.h"

#include <math.h>
#include <string.h>

void lp_hist_init(lp_hist *h, double width, int nbins)
{
    memset(h, 0, sizeof *h);
    h->width = width > 0 ? width : 1;
    h->nbins = nbins >= 1 ? nbins : 1;
    h->bins = lp_calloc((size_t)h->nbins, sizeof *h->bins);
}

void lp_hist_deinit(lp_hist *h)
{
    if (!h) return;
    lp_free(h->bins);
    h->bins = NULL;
}

void lp_hist_reset(lp_hist *h)
{
    memset(h->bins, 0, (size_t)h->nbins * sizeof *h->bins);
    h->n = 0;
    h->sum = h->sumsq = h->max = 0;
}

void lp_hist_add(lp_hist *h, double x)
{
    double b = x / h->width;
    int i = b >= h->nbins - 1 ? h->nbins - 1 : (int)b;
    if (i < 0) i = 0;
    h->bins[i]++;
    h->n++;
    h->sum += x;
    h->sumsq += x * x;
    if (x > h->max) h->max = x;
}

void lp_hist_merge(lp_hist *dst, const lp_hist *src)
{
    int i;
    if (dst->nbins != src->nbins || dst->width != src->width) return;
    for (i = 0; i < dst->nbins; i++) dst->bins[i] += src->bins[i];
    dst->n += src->n;
    dst->sum += src->sum;
    dst->sumsq += src->sumsq;
    if (src->max > dst->max) dst->max = src->max;
}

double lp_hist_mean(const lp_hist *h) { return h->n ? h->sum / (double)h->n : 0; }

double lp_hist_quantile(const lp_hist *h, double q)
{
    int64_t need, acc = 0;
    int i;
    if (h->n == 0) return 0;
    need = (int64_t)ceil(q * (double)h->n);
    if (need < 1) need = 1;
    for (i = 0; i < h->nbins; i++) {
        acc += h->bins[i];
        if (acc >= need) break;
    }
    return fmin((i + 1) * h->width, h->max);
}

void lp_level_init(lp_level *l, int64_t t)
{
    memset(l, 0, sizeof *l);
    l->since = l->start = t;
}

void lp_level_add(lp_level *l, int64_t t, int64_t delta)
{
    l->area += (double)l->level * (double)(t - l->since);
    l->since = t;
    l->level += delta;
}

void lp_level_restart(lp_level *l, int64_t t)
{
    l->area = 0;
    l->since = l->start = t;
}

double lp_level_mean(const lp_level *l, int64_t t)
{
    double area = l->area + (double)l->level * (double)(t - l->since);
    return t > l->start ? area / (double)(t - l->start) : 0;
}

/* t(0.975, df) for df = 1..30. */
static const double t975[30] = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

double lp_stat_t975(int df)
{
    double z = 1.959964, v;
    if (df < 1) df = 1;
    if (df <= 30) return t975[df - 1];
    /* Cornish-Fisher expansion of t in powers of 1/df. */
    v = (double)df;
    return z + (z * z * z + z) / (4 * v) + (5 * pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v);
}

void lp_stat_ci95(const double *x, int n, double *mean, double *half)
{
    double m = 0, ss = 0;
    int i;
    for (i = 0; i < n; i++) m += x[i];
    m = n > 0 ? m / n : 0;
    for (i = 0; i < n; i++) ss += (x[i] - m) * (x[i] - m);
    if (mean) *mean = m;
    if (half) *half = n >= 2 ? lp_stat_t975(n - 1) * sqrt(ss / (n - 1)) / sqrt((double)n) : 0;
}

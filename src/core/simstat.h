/* simstat.h - the statistics of the simulator: a fixed-width histogram
 * with exact mean and maximum (percentiles to one bin), a time-weighted
 * level (utilisation, queue length), and 95% confidence intervals over
 * replications with Student's t.
 *
 * Plain values; lp_hist owns its bins (lp_hist_init / lp_hist_deinit).
 * No I/O, no globals.  Used by simgate.c, simagv.c and `landport sim`. */
#ifndef LP_SIMSTAT_H
#define LP_SIMSTAT_H

#include <stdint.h>

/* Histogram ------------------------------------------------------------------- */

typedef struct lp_hist {
    double width;   /* of a bin, > 0 */
    int nbins;      /* the last bin also takes everything above */
    int64_t *bins;  /* owned */
    int64_t n;
    double sum, sumsq, max;
} lp_hist;

/* Allocates nbins (>= 1) bins of width (> 0).  Free with lp_hist_deinit. */
void lp_hist_init(lp_hist *h, double width, int nbins);
void lp_hist_deinit(lp_hist *h);
/* Forgets every sample (the bins stay allocated). */
void lp_hist_reset(lp_hist *h);
/* Adds one sample x >= 0. */
void lp_hist_add(lp_hist *h, double x);
/* Adds every sample of src into dst (same width and nbins, else nothing). */
void lp_hist_merge(lp_hist *dst, const lp_hist *src);
/* Mean (0 with no sample). */
double lp_hist_mean(const lp_hist *h);
/* The q-quantile (0 < q < 1) to one bin: the upper edge of the bin that
 * holds it, never above the maximum.  0 with no sample. */
double lp_hist_quantile(const lp_hist *h, double q);

/* Time-weighted level ---------------------------------------------------------- */

/* A level (servers busy, trucks waiting) integrated over time. */
typedef struct lp_level {
    int64_t level;
    int64_t since;  /* time of the last change */
    int64_t start;  /* start of the measured period */
    double area;    /* integral of level over [start, since] */
} lp_level;

/* Starts measuring at t with level 0. */
void lp_level_init(lp_level *l, int64_t t);
/* The level changes by delta at t (t >= since). */
void lp_level_add(lp_level *l, int64_t t, int64_t delta);
/* Forgets the area; measuring starts again at t with the current level. */
void lp_level_restart(lp_level *l, int64_t t);
/* The mean level over [start, t]; 0 for an empty period. */
double lp_level_mean(const lp_level *l, int64_t t);

/* Confidence intervals ------------------------------------------------------------ */

/* The 0.975 quantile of Student's t with df >= 1 degrees of freedom (exact
 * table to 30, then the normal-based expansion). */
double lp_stat_t975(int df);
/* Mean of x[0..n-1] and the half-width of its 95% confidence interval
 * (t975(n-1) * s / sqrt n; 0 when n < 2).  Either out may be NULL. */
void lp_stat_ci95(const double *x, int n, double *mean, double *half);

#endif

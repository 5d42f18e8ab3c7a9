/* report.c - the terminal table and the CSV files (see report.h). */
#include "report.h"

#include <errno.h>
#include <string.h>

static void summarise(const lp_simrun_metric *m, int n, double *mean, double *half, double *lo, double *hi)
{
    int i;
    lp_stat_ci95(m->v, n, mean, half);
    *lo = *hi = m->v[0];
    for (i = 1; i < n; i++) {
        if (m->v[i] < *lo) *lo = m->v[i];
        if (m->v[i] > *hi) *hi = m->v[i];
    }
}

void lp_simreport_table(FILE *f, const lp_scenario *s, const lp_simrun *r)
{
    int i;
    fprintf(f, "scenario %s: %.0f trucks/day, %d day%s x %d replication%s after %d warm-up day%s, seed %llu\n",
            s->name, s->gate.trucks_per_day, s->days, s->days == 1 ? "" : "s", s->replications,
            s->replications == 1 ? "" : "s", s->gate.warmup_days, s->gate.warmup_days == 1 ? "" : "s",
            (unsigned long long)s->seed);
    fprintf(f, "%-28s %-11s %10s %9s %10s %10s\n", "metric", "unit", "mean", "+-95%", "min", "max");
    for (i = 0; i < r->nmetrics; i++) {
        double mean, half, lo, hi;
        summarise(&r->m[i], r->reps, &mean, &half, &lo, &hi);
        fprintf(f, "%-28s %-11s %10.2f %9.2f %10.2f %10.2f\n", r->m[i].name, r->m[i].unit, mean, half, lo, hi);
    }
}

FILE *lp_simreport__open(const char *dir, const char *name, lp_err *err)
{
    char path[4096];
    FILE *f;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        lp_err_set(err, LP_EIO, "%s: path too long", dir);
        return NULL;
    }
    if (!(f = fopen(path, "w"))) lp_err_set(err, LP_EIO, "cannot write %s: %s", path, strerror(errno));
    return f;
}

int lp_simreport__close(FILE *f, const char *name, lp_err *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) return lp_err_set(err, LP_EIO, "cannot write %s", name);
    return LP_OK;
}

static int summary_csv(const char *dir, const lp_simrun *r, lp_err *err)
{
    FILE *f = lp_simreport__open(dir, "summary.csv", err);
    int i;
    if (!f) return LP_EIO;
    fprintf(f, "metric,unit,mean,ci95_half_width,min,max,replications\n");
    for (i = 0; i < r->nmetrics; i++) {
        double mean, half, lo, hi;
        summarise(&r->m[i], r->reps, &mean, &half, &lo, &hi);
        fprintf(f, "%s,%s,%.6f,%.6f,%.6f,%.6f,%d\n", r->m[i].name, r->m[i].unit, mean, half, lo, hi, r->reps);
    }
    return lp_simreport__close(f, "summary.csv", err);
}

static int queue_csv(const char *dir, const lp_simrun *r, lp_err *err)
{
    FILE *f = lp_simreport__open(dir, "queue.csv", err);
    int64_t i;
    if (!f) return LP_EIO;
    fprintf(f, "hour,trucks_waiting\n");
    for (i = 0; i < r->nsamples; i++)
        fprintf(f, "%.3f,%lld\n", (double)r->sample_t[i] / 3600000.0, (long long)r->sample_n[i]);
    return lp_simreport__close(f, "queue.csv", err);
}

/* Counts of h in whole minutes [m, m + 1). */
static int64_t minute_count(const lp_hist *h, int m)
{
    int per = (int)(60000.0 / h->width + 0.5), i;
    int64_t n = 0;
    for (i = m * per; i < (m + 1) * per && i < h->nbins; i++) n += h->bins[i];
    return n;
}

static int wait_csv(const char *dir, const lp_simrun *r, lp_err *err)
{
    FILE *f = lp_simreport__open(dir, "wait.csv", err);
    int m, last = (int)(r->system.max / 60000.0) + 1, cap = (int)(r->system.nbins * r->system.width / 60000.0);
    int64_t cw = 0, cs = 0;
    if (!f) return LP_EIO;
    if (last > cap) last = cap;
    fprintf(f, "minute,wait_count,wait_cdf,system_count,system_cdf\n");
    for (m = 0; m < last; m++) {
        int64_t w = minute_count(&r->wait, m), s = minute_count(&r->system, m);
        cw += w;
        cs += s;
        fprintf(f, "%d,%lld,%.6f,%lld,%.6f\n", m + 1, (long long)w, r->wait.n ? (double)cw / r->wait.n : 0,
                (long long)s, r->system.n ? (double)cs / r->system.n : 0);
    }
    return lp_simreport__close(f, "wait.csv", err);
}

int lp_simreport_csv(const char *dir, const lp_simrun *r, lp_err *err)
{
    int rc;
    if ((rc = summary_csv(dir, r, err)) != LP_OK) return rc;
    if ((rc = queue_csv(dir, r, err)) != LP_OK) return rc;
    return wait_csv(dir, r, err);
}

/* svg.c - the SVG plots of `landport sim`, written as text (see report.h):
 * a line chart with axes and round ticks, and a bar chart with whiskers. */
#include "report.h"

#include <math.h>
#include <string.h>

#define W 720
#define H 400
#define ML 70  /* margins: left, right, top, bottom */
#define MR 20
#define MT 40
#define MB 50

typedef struct plot {
    FILE *f;
    double xmax, ymax;
} plot;

static double nice_step(double range)
{
    double e = pow(10, floor(log10(range / 5))), r = range / 5 / e;
    return e * (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10);
}

static double px(const plot *p, double x) { return ML + (W - ML - MR) * x / p->xmax; }
static double py(const plot *p, double y) { return H - MB - (H - MT - MB) * y / p->ymax; }

static void head(FILE *f, int h, const char *title)
{
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
               "font-family=\"sans-serif\" font-size=\"12\">\n", W, h, W, h);
    fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, h);
    fprintf(f, "<text x=\"%d\" y=\"24\" font-size=\"15\" text-anchor=\"middle\">%s</text>\n", W / 2, title);
}

static void axes(plot *p, const char *title, const char *xlabel, const char *ylabel)
{
    double s, v;
    if (!(p->xmax > 0)) p->xmax = 1;
    if (!(p->ymax > 0)) p->ymax = 1;
    p->xmax = ceil(p->xmax / nice_step(p->xmax)) * nice_step(p->xmax);
    p->ymax = ceil(p->ymax / nice_step(p->ymax)) * nice_step(p->ymax);
    head(p->f, H, title);
    s = nice_step(p->xmax);
    for (v = 0; v <= p->xmax + s / 2; v += s)
        fprintf(p->f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                      "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
                px(p, v), MT, px(p, v), H - MB, px(p, v), H - MB + 16, v);
    s = nice_step(p->ymax);
    for (v = 0; v <= p->ymax + s / 2; v += s)
        fprintf(p->f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                      "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                ML, py(p, v), W - MR, py(p, v), ML - 6, py(p, v) + 4, v);
    fprintf(p->f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n", ML, MT,
            W - ML - MR, H - MT - MB);
    fprintf(p->f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", (ML + W - MR) / 2, H - 12, xlabel);
    fprintf(p->f, "<text transform=\"translate(16 %d) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
            (MT + H - MB) / 2, ylabel);
}

/* A polyline of n points given by the callback, in colour. */
static void line(plot *p, int64_t n, void (*pt)(const void *, int64_t, double *, double *), const void *ud,
                 const char *colour, const char *label, int row)
{
    int64_t i;
    fprintf(p->f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", colour);
    for (i = 0; i < n; i++) {
        double x, y;
        pt(ud, i, &x, &y);
        fprintf(p->f, "%s%.1f,%.1f", i ? " " : "", px(p, x), py(p, y));
    }
    /* Labels bottom right, where a rising curve leaves room. */
    fprintf(p->f, "\"/>\n<text x=\"%d\" y=\"%d\" fill=\"%s\" text-anchor=\"end\">%s</text>\n", W - MR - 10,
            H - MB - 12 - 16 * row, colour, label);
}

static int finish(FILE *f, const char *name, lp_err *err)
{
    fprintf(f, "</svg>\n");
    return lp_simreport__close(f, name, err);
}

static void queue_pt(const void *ud, int64_t i, double *x, double *y)
{
    const lp_simrun *r = ud;
    *x = (double)r->sample_t[i] / 86400000.0;
    *y = (double)r->sample_n[i];
}

static int queue_svg(const char *dir, const lp_simrun *r, lp_err *err)
{
    plot p = {NULL, 1, 1};
    int64_t i;
    if (!(p.f = lp_simreport__open(dir, "queue.svg", err))) return LP_EIO;
    for (i = 0; i < r->nsamples; i++) {
        if ((double)r->sample_n[i] > p.ymax) p.ymax = (double)r->sample_n[i];
        p.xmax = (double)r->sample_t[i] / 86400000.0;
    }
    axes(&p, "Trucks waiting (yard queue, agencies, outside) - replication 1", "day", "trucks");
    line(&p, r->nsamples, queue_pt, r, "#1f77b4", "trucks waiting", 0);
    return finish(p.f, "queue.svg", err);
}

typedef struct cdf { const lp_hist *h; int per; } cdf;

static void cdf_pt(const void *ud, int64_t i, double *x, double *y)
{
    const cdf *c = ud;
    int64_t acc = 0;
    int b;
    for (b = 0; b < (i + 1) * c->per && b < c->h->nbins; b++) acc += c->h->bins[b];
    *x = (double)(i + 1) * c->per * c->h->width / 60000.0;
    *y = c->h->n ? (double)acc / (double)c->h->n : 0;
}

static int wait_svg(const char *dir, const lp_simrun *r, lp_err *err)
{
    plot p = {NULL, 1, 1};
    cdf w = {&r->wait, 6}, s = {&r->system, 6}; /* one point a minute */
    int64_t n;
    if (!(p.f = lp_simreport__open(dir, "wait.svg", err))) return LP_EIO;
    p.xmax = lp_hist_quantile(&r->system, 0.995) / 60000.0;
    axes(&p, "Distribution of the wait and of the time in the system (all replications)", "minutes",
         "share of trucks");
    n = (int64_t)(p.xmax + 1);
    line(&p, n, cdf_pt, &w, "#1f77b4", "wait for the call", 0);
    line(&p, n, cdf_pt, &s, "#d62728", "time in the system (yard arrival to gate exit)", 1);
    return finish(p.f, "wait.svg", err);
}

static int util_svg(const char *dir, const lp_simrun *r, lp_err *err)
{
    FILE *f;
    int i, row = 0, n = 0, h;
    for (i = 0; i < r->nmetrics; i++) n += !strncmp(r->m[i].name, "util_", 5);
    h = MT + 22 * n + 30;
    if (!(f = lp_simreport__open(dir, "utilisation.svg", err))) return LP_EIO;
    head(f, h, "Utilisation of lanes and agencies (mean and 95% interval)");
    for (i = 0; i < r->nmetrics; i++) {
        double mean, half, x0 = 200, span = W - 200 - MR - 60;
        int y = MT + 22 * row;
        if (strncmp(r->m[i].name, "util_", 5)) continue;
        lp_stat_ci95(r->m[i].v, r->reps, &mean, &half);
        fprintf(f, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"end\">%s</text>\n", x0 - 8, y + 14, r->m[i].name + 5);
        fprintf(f, "<rect x=\"%.0f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#2ca02c\"/>\n", x0, y + 2,
                span * fmin(mean, 1));
        fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\"/>\n",
                x0 + span * fmax(mean - half, 0), y + 10, x0 + span * fmin(mean + half, 1), y + 10);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\">%.0f%%</text>\n", x0 + span * fmin(mean, 1) + 6, y + 14, 100 * mean);
        row++;
    }
    return finish(f, "utilisation.svg", err);
}

int lp_simreport_svg(const char *dir, const lp_simrun *r, lp_err *err)
{
    int rc;
    if ((rc = queue_svg(dir, r, err)) != LP_OK) return rc;
    if ((rc = wait_svg(dir, r, err)) != LP_OK) return rc;
    return util_svg(dir, r, err);
}

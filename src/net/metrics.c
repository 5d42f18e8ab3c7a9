/* metrics.c - Prometheus counters and histograms (see metrics.h). */
#include "metrics.h"
#include "../core/mem.h"

#include <stdio.h>
#include <string.h>

static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NB ((int)(sizeof bounds / sizeof bounds[0]))
#define MAX_STATUS 16
#define MAX_OPS 128

typedef struct hist {
    unsigned long long b[NB + 1]; /* per bucket (not cumulative); last = +Inf */
    unsigned long long count;
    double sum;
} hist;

typedef struct route_stats {
    int status[MAX_STATUS];
    unsigned long long count[MAX_STATUS];
    int nstatus;
    hist lat;
} route_stats;

struct lp_metrics {
    const char *const *names;
    int nroutes;
    route_stats *routes; /* nroutes + 1: the last is "unmatched" */
    char *ops[MAX_OPS];
    hist ophist[MAX_OPS];
    int nops;
};

lp_metrics *lp_metrics_create(const char *const *routes, int nroutes)
{
    lp_metrics *m = lp_calloc(1, sizeof *m);
    m->names = routes;
    m->nroutes = nroutes;
    m->routes = lp_calloc((size_t)nroutes + 1, sizeof *m->routes);
    return m;
}

void lp_metrics_destroy(lp_metrics *m)
{
    int i;
    if (!m) return;
    for (i = 0; i < m->nops; i++) lp_free(m->ops[i]);
    lp_free(m->routes);
    lp_free(m);
}

static void observe(hist *h, double s)
{
    int i = 0;
    while (i < NB && s > bounds[i]) i++;
    h->b[i]++;
    h->count++;
    h->sum += s;
}

void lp_metrics_request(lp_metrics *m, int route, int status, double seconds)
{
    route_stats *r = &m->routes[(route >= 0 && route < m->nroutes) ? route : m->nroutes];
    int i;
    for (i = 0; i < r->nstatus && r->status[i] != status; i++) {}
    if (i == r->nstatus) {
        if (r->nstatus == MAX_STATUS) i = MAX_STATUS - 1; /* fold the rare extra codes */
        else r->status[r->nstatus++] = status;
    }
    r->count[i]++;
    observe(&r->lat, seconds);
}

void lp_metrics_store(lp_metrics *m, const char *op, double seconds)
{
    int i;
    for (i = 0; i < m->nops && strcmp(m->ops[i], op) != 0; i++) {}
    if (i == m->nops) {
        if (m->nops == MAX_OPS) i = MAX_OPS - 1;
        else {
            const char *name = m->nops == MAX_OPS - 1 ? "other" : op;
            m->ops[m->nops] = lp_strdup(name);
            m->nops++;
        }
    }
    observe(&m->ophist[i], seconds);
}

static void split_label(const char *name, char *method, size_t mn, const char **path)
{
    const char *sp = strchr(name, ' ');
    size_t n = sp ? (size_t)(sp - name) : 0;
    if (n >= mn) n = mn - 1;
    memcpy(method, name, n);
    method[n] = '\0';
    *path = sp ? sp + 1 : name;
}

static void format_hist(lp_buf *out, const char *metric, const char *labels, const hist *h)
{
    unsigned long long cum = 0;
    int i;
    for (i = 0; i < NB; i++) {
        cum += h->b[i];
        lp_buf_printf(out, "%s_bucket{%s,le=\"%g\"} %llu\n", metric, labels, bounds[i], cum);
    }
    cum += h->b[NB];
    lp_buf_printf(out, "%s_bucket{%s,le=\"+Inf\"} %llu\n", metric, labels, cum);
    lp_buf_printf(out, "%s_sum{%s} %.6f\n", metric, labels, h->sum);
    lp_buf_printf(out, "%s_count{%s} %llu\n", metric, labels, h->count);
}

void lp_metrics_format(const lp_metrics *m, lp_buf *out)
{
    int r, i;
    char labels[256], method[16];
    const char *path;

    lp_buf_puts(out, "# HELP landport_http_requests_total HTTP requests by route and status.\n"
                     "# TYPE landport_http_requests_total counter\n");
    for (r = 0; r <= m->nroutes; r++) {
        const route_stats *s = &m->routes[r];
        if (r < m->nroutes) split_label(m->names[r], method, sizeof method, &path);
        else {
            strcpy(method, "any");
            path = "unmatched";
        }
        for (i = 0; i < s->nstatus; i++)
            lp_buf_printf(out, "landport_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} %llu\n",
                          method, path, s->status[i], s->count[i]);
    }
    lp_buf_puts(out, "# HELP landport_http_request_duration_seconds Time from request read to reply, by route.\n"
                     "# TYPE landport_http_request_duration_seconds histogram\n");
    for (r = 0; r <= m->nroutes; r++) {
        const route_stats *s = &m->routes[r];
        if (!s->lat.count) continue;
        if (r < m->nroutes) split_label(m->names[r], method, sizeof method, &path);
        else {
            strcpy(method, "any");
            path = "unmatched";
        }
        snprintf(labels, sizeof labels, "method=\"%s\",route=\"%s\"", method, path);
        format_hist(out, "landport_http_request_duration_seconds", labels, &s->lat);
    }
    lp_buf_puts(out, "# HELP landport_store_operation_duration_seconds Store operations (queries, commits) by name.\n"
                     "# TYPE landport_store_operation_duration_seconds histogram\n");
    for (i = 0; i < m->nops; i++) {
        snprintf(labels, sizeof labels, "op=\"%s\"", m->ops[i]);
        format_hist(out, "landport_store_operation_duration_seconds", labels, &m->ophist[i]);
    }
}

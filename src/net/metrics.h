/* metrics.h - counters and latency histograms for /metrics (Prometheus text
 * format 0.0.4): HTTP requests by route and status, request latency by route,
 * and store operation timings.  Single-threaded, owned by the server. */
#ifndef LP_METRICS_H
#define LP_METRICS_H

#include "../core/buf.h"

typedef struct lp_metrics lp_metrics;

/* routes: nroutes route labels ("GET /api/v1/companies"), borrowed for the
 * life of the metrics.  Caller owns the result; lp_metrics_destroy() frees it. */
lp_metrics *lp_metrics_create(const char *const *routes, int nroutes);
void lp_metrics_destroy(lp_metrics *m);

/* route: index into routes, or -1 for requests that matched no route. */
void lp_metrics_request(lp_metrics *m, int route, int status, double seconds);
/* op is copied on first sight (at most 128 distinct ops; more are folded into "other"). */
void lp_metrics_store(lp_metrics *m, const char *op, double seconds);
/* Appends the exposition text. */
void lp_metrics_format(const lp_metrics *m, lp_buf *out);

#endif

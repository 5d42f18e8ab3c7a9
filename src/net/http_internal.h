/* http_internal.h - what the HTTP server's files share (http.c: server and
 * dispatch; reply.c: replies and request helpers).  Internal to src/net. */
#ifndef LP_HTTP_INTERNAL_H
#define LP_HTTP_INTERNAL_H

#include <event2/keyvalq_struct.h>
#include "http.h"
#include "metrics.h"

struct lp_server {
    struct event_base *base;
    struct evhttp *http;
    lp_store *store;
    lp_metrics *metrics;
    const char **labels; /* "METHOD pattern" per route, owned */
    int nroutes;
    int port;
    size_t max_body;
    int access_log;
    char *web_root;
    char *openapi;       /* built on first request, owned */
    struct lp_events *events; /* the live event hub, borrowed; NULL for none */
    struct lp_fleet *fleet;   /* the AGV fleet manager, borrowed; NULL for none */
};

/* Per-request state that handlers do not see. */
typedef struct net__req_state {
    lp_req pub;
    struct evkeyvalq query;
    int has_query;
    int route_index;
    double t0;
    char *decoded[4];
    const char *path;
    const char *method;
} net__req_state;

#endif

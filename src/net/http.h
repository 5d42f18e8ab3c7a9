/* http.h - landport's HTTP API server on libevent's evhttp.
 *
 * One server per process, on the process's one event loop.  Each request is
 * matched against the declarative route table (routes.c): unknown paths get
 * 404, known paths with another method 405; then the bearer token is checked
 * against the route's roles (401/403), the query parameters and the JSON body
 * against its declarations (400/413/415), and only then is the handler called.
 * Every reply is counted in /metrics. */
#ifndef LP_HTTP_H
#define LP_HTTP_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include <event2/event.h>
#include "../core/err.h"
#include "../store/store.h"
#include "../store/tokens.h"

typedef struct lp_server lp_server;
typedef struct lp_route lp_route;

typedef struct lp_server_opts {
    const char *listen;    /* "HOST:PORT"; port 0 picks a free one */
    size_t max_body;       /* bytes of request body accepted (default 1 MiB) */
    size_t max_headers;    /* bytes of request headers accepted (default 16 KiB) */
    int timeout_s;         /* idle connection timeout (default 30) */
    int access_log;        /* 1: a line per request on stderr */
    const char *web_root;  /* directory of the dashboard, or NULL */
} lp_server_opts;

/* Starts listening.  base and store are borrowed and must outlive the server.
 * Caller owns *out; stop with lp_server_destroy(). Returns LP_EIO when the
 * address cannot be bound, LP_EINVAL for a malformed address. */
int lp_server_create(struct event_base *base, lp_store *store, const lp_server_opts *opts,
                     lp_server **out, lp_err *err);
void lp_server_destroy(lp_server *srv);
/* The port actually bound. */
int lp_server_port(const lp_server *srv);

/* One request, as handlers see it.  Everything is borrowed for the duration
 * of the handler call. */
typedef struct lp_req {
    struct evhttp_request *ev;
    lp_server *srv;
    lp_store *store;
    const lp_route *route;
    const char *params[4]; /* path parameters in pattern order, percent-decoded */
    int nparams;
    cJSON *body;           /* parsed JSON body, NULL when the route takes none */
    lp_principal who;      /* role NONE on public routes */
    lp_actor actor;        /* who, as recorded in the audit log */
    int replied;
} lp_req;

/* Replies -------------------------------------------------------------------- */

/* Sends body (takes ownership; may be NULL for no content) with status. */
void lp_reply_json(lp_req *r, int status, cJSON *body);
/* Sends text with the given content type. */
void lp_reply_text(lp_req *r, int status, const char *content_type, const char *text, size_t len);
/* Sends an RFC 9457 problem for err, with status chosen from err->code
 * (LP_EINVAL 400 unless status_hint says 422, LP_ENOTFOUND 404, ...). */
void lp_reply_error(lp_req *r, const lp_err *err);
/* Sends a problem with an explicit status, title and detail. */
void lp_reply_problem(lp_req *r, int status, const char *detail, const lp_err *fields);

/* Request helpers ------------------------------------------------------------ */

/* A query parameter's value (borrowed) or NULL. */
const char *lp_req_query(lp_req *r, const char *name);
/* A request header (borrowed) or NULL. */
const char *lp_req_header(lp_req *r, const char *name);
/* Reads limit (1..500, default 50) and cursor; on a bad limit replies 400 and
 * returns LP_EINVAL. */
int lp_req_page(lp_req *r, int *limit, const char **cursor);
/* Reads If-Match ("N" or W/"N", the record's version): -1 when absent;
 * replies 400 and returns LP_EINVAL when malformed. */
int lp_req_if_match(lp_req *r, int64_t *version);
/* The company a company token is limited to, 0 for every other role. */
int64_t lp_req_scope(const lp_req *r);
/* Sends {"items": items, "next_cursor": next} (takes items; next borrowed). */
void lp_reply_page(lp_req *r, cJSON *items, const char *next);

/* The OpenAPI document (borrowed; built once). */
const char *lp_server_openapi(lp_server *srv);

/* The live event hub (events.h), borrowed: it serves GET /api/v1/events and
 * is kicked after every request that may have written (not GET or HEAD).
 * NULL (the default): no hub. */
struct lp_events;
void lp_server_set_events(lp_server *srv, struct lp_events *hub);
struct lp_events *lp_server_events(const lp_server *srv);

/* The AGV fleet manager (agv/fleet.h), borrowed; NULL (the default): the
 * fleet routes answer 503. */
struct lp_fleet;
void lp_server_set_fleet(lp_server *srv, struct lp_fleet *fleet);
struct lp_fleet *lp_server_fleet(const lp_server *srv);

#endif

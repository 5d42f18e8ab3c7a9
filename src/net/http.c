/* http.c - the server and request dispatch: route match, authentication,
 * role check, query and body checks, then the handler (see http.h); the
 * replies are in reply.c. */
#include "http.h"
#include "events.h"
#include "handlers.h"
#include "http_internal.h"
#include "metrics.h"
#include "openapi.h"
#include "routes.h"
#include "../core/buf.h"
#include "../core/mem.h"
#include "../os/sysclock.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

typedef net__req_state req_state;

static void store_timing(void *ud, const char *op, double seconds)
{
    lp_server *srv = ud;
    lp_metrics_store(srv->metrics, op, seconds);
}

static int parse_listen(const char *listen, char *host, size_t hn, int *port)
{
    const char *colon = strrchr(listen, ':');
    char *end;
    long p;
    if (!colon || (size_t)(colon - listen) >= hn || colon == listen) return LP_EINVAL;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    p = strtol(colon + 1, &end, 10);
    if (*end || p < 0 || p > 65535 || colon[1] == '\0') return LP_EINVAL;
    *port = (int)p;
    return LP_OK;
}

static void dispatch(struct evhttp_request *ev, void *arg);

int lp_server_create(struct event_base *base, lp_store *store, const lp_server_opts *opts,
                     lp_server **out, lp_err *err)
{
    char host[128];
    int port, i, rc = LP_OK;
    struct evhttp_bound_socket *bs;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    const lp_route *routes;
    lp_server *srv;

    *out = NULL;
    if (parse_listen(opts->listen ? opts->listen : "127.0.0.1:8080", host, sizeof host, &port))
        return lp_err_set(err, LP_EINVAL, "--listen must be HOST:PORT (got '%s')", opts->listen);
    srv = lp_calloc(1, sizeof *srv);
    srv->base = base;
    srv->store = store;
    srv->max_body = opts->max_body ? opts->max_body : 1024 * 1024;
    srv->access_log = opts->access_log;
    srv->web_root = lp_strdup(opts->web_root);
    routes = lp_routes(&srv->nroutes);
    srv->labels = lp_calloc((size_t)srv->nroutes, sizeof *srv->labels);
    for (i = 0; i < srv->nroutes; i++)
        srv->labels[i] = lp_sprintf("%s %s", routes[i].method, routes[i].pattern);
    srv->metrics = lp_metrics_create(srv->labels, srv->nroutes);
    lp_store_set_timing(store, store_timing, srv);

    srv->http = evhttp_new(base);
    /* evhttp answers bodies over its own limit with an HTML 413 before we see
     * them; keep its limit well above ours so that the usual oversized body
     * gets our problem+json answer, and only abuse meets evhttp's. */
    evhttp_set_max_body_size(srv->http, (ev_ssize_t)(srv->max_body * 4 + 65536));
    evhttp_set_max_headers_size(srv->http, (ev_ssize_t)(opts->max_headers ? opts->max_headers : 16384));
    evhttp_set_timeout(srv->http, opts->timeout_s > 0 ? opts->timeout_s : 30);
    evhttp_set_allowed_methods(srv->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
                                              EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD |
                                              EVHTTP_REQ_OPTIONS);
    evhttp_set_gencb(srv->http, dispatch, srv);
    bs = evhttp_bind_socket_with_handle(srv->http, host, (ev_uint16_t)port);
    if (!bs) {
        rc = lp_err_set(err, LP_EIO, "cannot listen on %s:%d (address in use or not local?)", host, port);
        goto fail;
    }
    if (getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET) srv->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        else if (ss.ss_family == AF_INET6) srv->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    *out = srv;
    return LP_OK;
fail:
    lp_server_destroy(srv);
    return rc;
}

void lp_server_destroy(lp_server *srv)
{
    int i;
    if (!srv) return;
    if (srv->http) evhttp_free(srv->http);
    lp_store_set_timing(srv->store, NULL, NULL);
    lp_metrics_destroy(srv->metrics);
    for (i = 0; i < srv->nroutes; i++) lp_free((void *)srv->labels[i]);
    lp_free(srv->labels);
    lp_free(srv->web_root);
    lp_free(srv->openapi);
    lp_free(srv);
}

int lp_server_port(const lp_server *srv) { return srv->port; }

const char *lp_server_openapi(lp_server *srv)
{
    if (!srv->openapi) srv->openapi = lp_openapi_build();
    return srv->openapi;
}

void lp_server_metrics_text(lp_server *srv, lp_buf *out)
{
    lp_metrics_format(srv->metrics, out);
}

const char *lp_server_web_root(const lp_server *srv) { return srv->web_root; }

void lp_server_set_events(lp_server *srv, struct lp_events *hub) { srv->events = hub; }
struct lp_events *lp_server_events(const lp_server *srv) { return srv->events; }
void lp_server_set_fleet(lp_server *srv, struct lp_fleet *fleet) { srv->fleet = fleet; }
struct lp_fleet *lp_server_fleet(const lp_server *srv) { return srv->fleet; }

/* Dispatch ------------------------------------------------------------------- */

static const char *method_name(enum evhttp_cmd_type c)
{
    switch (c) {
    case EVHTTP_REQ_GET: return "GET";
    case EVHTTP_REQ_POST: return "POST";
    case EVHTTP_REQ_PUT: return "PUT";
    case EVHTTP_REQ_PATCH: return "PATCH";
    case EVHTTP_REQ_DELETE: return "DELETE";
    case EVHTTP_REQ_HEAD: return "HEAD";
    case EVHTTP_REQ_OPTIONS: return "OPTIONS";
    default: return "OTHER";
    }
}

/* Matches path against pattern; on a match stores the raw parameter segments
 * (pointers into path, with lengths) and returns 1. */
static int match(const char *pattern, const char *path, const char **seg, size_t *len, int *nseg)
{
    const char *p = pattern, *q = path;
    *nseg = 0;
    while (*p && *q) {
        if (*p == '{') {
            const char *end = q;
            while (*end && *end != '/') end++;
            if (end == q || *nseg >= 4) return 0;
            seg[*nseg] = q;
            len[(*nseg)++] = (size_t)(end - q);
            q = end;
            while (*p && *p != '}') p++;
            if (*p) p++;
            continue;
        }
        if (*p != *q) return 0;
        p++;
        q++;
    }
    return *p == '\0' && *q == '\0';
}

static int authenticate(req_state *s, const lp_route *rt)
{
    lp_req *r = &s->pub;
    const char *h = lp_req_header(r, "Authorization");
    lp_err e;
    lp_err_init(&e);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) {
        lp_reply_problem(r, 401, "this route needs a bearer token (Authorization: Bearer lp_...)", NULL);
        return LP_EUNAUTH;
    }
    h += 7;
    while (*h == ' ') h++;
    if (lp_tokens_check(r->store, h, &r->who, &e)) {
        if (e.code == LP_EUNAUTH) lp_reply_problem(r, 401, e.msg, NULL);
        else lp_reply_error(r, &e);
        return LP_EUNAUTH;
    }
    r->actor.name = r->who.name;
    r->actor.role = r->who.role;
    r->actor.company_id = r->who.company_id;
    r->actor.reason = lp_req_header(r, "X-Reason");
    if (!lp_roleset_has(rt->roles, r->who.role)) {
        char msg[160];
        snprintf(msg, sizeof msg, "role %s may not %s %s", lp_role_name(r->who.role), rt->method, rt->pattern);
        lp_reply_problem(r, 403, msg, NULL);
        return LP_EFORBIDDEN;
    }
    return LP_OK;
}

static int check_query(req_state *s, const lp_route *rt)
{
    struct evkeyval *kv;
    lp_err e;
    lp_err_init(&e);
    if (!s->has_query) return LP_OK;
    for (kv = s->query.tqh_first; kv; kv = kv->next.tqe_next) {
        const lp_qparam *q;
        int known = rt->list && (strcmp(kv->key, "limit") == 0 || strcmp(kv->key, "cursor") == 0);
        for (q = rt->query; q && q->name && !known; q++)
            if (strcmp(q->name, kv->key) == 0) known = 1;
        if (!known) {
            char ptr[96];
            snprintf(ptr, sizeof ptr, "?%.90s", kv->key);
            lp_err_field_add(&e, ptr, "is not a query parameter of this route");
        } else {
            struct evkeyval *o;
            for (o = s->query.tqh_first; o != kv; o = o->next.tqe_next)
                if (strcmp(o->key, kv->key) == 0) {
                    char ptr[96];
                    snprintf(ptr, sizeof ptr, "?%.90s", kv->key);
                    lp_err_field_add(&e, ptr, "is given more than once");
                    break;
                }
        }
    }
    if (e.code) {
        lp_reply_problem(&s->pub, 400, "the request has invalid query parameters", &e);
        return LP_EINVAL;
    }
    return LP_OK;
}

static int read_body(req_state *s, const lp_route *rt)
{
    lp_req *r = &s->pub;
    struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
    size_t n = evbuffer_get_length(in);
    const char *ct;
    char *text;
    const char *end = NULL;
    lp_err e;

    lp_err_init(&e);
    if (!rt->body) {
        if (n > 0) {
            lp_reply_problem(r, 400, "this route takes no request body", NULL);
            return LP_EINVAL;
        }
        return LP_OK;
    }
    if (n > r->srv->max_body) {
        char msg[128];
        snprintf(msg, sizeof msg, "the request body is %zu bytes; the limit is %zu", n, r->srv->max_body);
        lp_reply_problem(r, 413, msg, NULL);
        return LP_ETOOBIG;
    }
    ct = lp_req_header(r, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
        lp_reply_problem(r, 415, "send the body as Content-Type: application/json", NULL);
        return LP_EINVAL;
    }
    text = lp_malloc(n + 1);
    evbuffer_copyout(in, text, n);
    text[n] = '\0';
    if (strlen(text) != n) {
        lp_free(text);
        lp_reply_problem(r, 400, "the request body contains a NUL byte", NULL);
        return LP_EINVAL;
    }
    r->body = cJSON_ParseWithOpts(text, &end, 1);
    if (!r->body) {
        char msg[160];
        const char *at = cJSON_GetErrorPtr();
        snprintf(msg, sizeof msg, "the body is not valid JSON (error near byte %ld)",
                 at && at >= text && at <= text + n ? (long)(at - text) : 0L);
        lp_free(text);
        lp_reply_problem(r, 400, msg, NULL);
        return LP_EINVAL;
    }
    lp_free(text);
    lp_jspec_check(rt->body, r->body, rt->body_mode, "", &e);
    if (rt->check && cJSON_IsObject(r->body)) rt->check(r, &e);
    if (e.code == LP_EFORBIDDEN) {
        lp_reply_problem(r, 403, e.msg, &e);
        return LP_EFORBIDDEN;
    }
    if (e.code) {
        lp_reply_problem(r, 400, "the request body has invalid fields", &e);
        return LP_EINVAL;
    }
    return LP_OK;
}

static void not_routed(req_state *s, const char *allow)
{
    lp_req *r = &s->pub;
    if (allow[0]) {
        char msg[160];
        evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Allow", allow);
        snprintf(msg, sizeof msg, "%s is not allowed here; allowed: %s", s->method, allow);
        lp_reply_problem(r, 405, msg, NULL);
    } else if (!lp_web_serve(r, s->path)) {
        lp_reply_problem(r, 404, "no such route; see /api/v1/openapi.json", NULL);
    }
}

static void dispatch(struct evhttp_request *ev, void *arg)
{
    lp_server *srv = arg;
    req_state s;
    const lp_route *routes, *rt = NULL;
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
    const char *seg[4], *query;
    size_t len[4];
    char allow[96] = "";
    int n, i, nseg = 0;
    enum evhttp_cmd_type cmd = evhttp_request_get_command(ev);

    memset(&s, 0, sizeof s);
    s.t0 = lp_monotonic();
    s.route_index = -1;
    s.pub.ev = ev;
    s.pub.srv = srv;
    s.pub.store = srv->store;
    s.method = method_name(cmd);
    s.path = uri ? evhttp_uri_get_path(uri) : NULL;
    if (!s.path || !*s.path) s.path = "/";
    query = uri ? evhttp_uri_get_query(uri) : NULL;
    if (query && *query) {
        if (evhttp_parse_query_str(query, &s.query) != 0) {
            lp_reply_problem(&s.pub, 400, "the query string is malformed", NULL);
            return;
        }
        s.has_query = 1;
    }

    routes = lp_routes(&n);
    for (i = 0; i < n; i++) {
        int nseg_i;
        const char *m = cmd == EVHTTP_REQ_HEAD ? "GET" : s.method;
        if (!match(routes[i].pattern, s.path, seg, len, &nseg_i)) continue;
        if (strcmp(routes[i].method, m) == 0) {
            rt = &routes[i];
            nseg = nseg_i;
            s.route_index = i;
            break;
        }
        if (!strstr(allow, routes[i].method) && strlen(allow) + strlen(routes[i].method) + 3 < sizeof allow) {
            if (allow[0]) strcat(allow, ", ");
            strcat(allow, routes[i].method);
        }
    }
    if (!rt) {
        not_routed(&s, allow);
        goto out;
    }
    s.pub.route = rt;
    for (i = 0; i < nseg; i++) {
        char *raw = lp_strndup(seg[i], len[i]);
        s.decoded[i] = evhttp_uridecode(raw, 0, NULL);
        lp_free(raw);
        s.pub.params[i] = s.decoded[i] ? s.decoded[i] : "";
    }
    s.pub.nparams = nseg;
    if (rt->roles && authenticate(&s, rt)) goto out;
    if (check_query(&s, rt) || read_body(&s, rt)) goto out;
    rt->handler(&s.pub);
    if (!s.pub.replied) {
        lp_err e;
        lp_err_init(&e);
        lp_err_set(&e, LP_ESTORE, "handler for %s %s sent no reply", rt->method, rt->pattern);
        lp_reply_error(&s.pub, &e);
    }
    if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) lp_events_kick(srv->events);
out:
    cJSON_Delete(s.pub.body);
    for (i = 0; i < 4; i++) free(s.decoded[i]);
    if (s.has_query) evhttp_clear_headers(&s.query);
}

/* reply.c - sending replies (JSON, text, RFC 9457 problems, pages) and the
 * request helpers handlers use (query, headers, paging, If-Match, scope). */
#include "handlers.h"
#include "http_internal.h"
#include "../os/sysclock.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef net__req_state req_state;

/* Replies ----------------------------------------------------------------- */

void net__finish(lp_req *r, int status)
{
    req_state *s = (req_state *)r;
    double dt = lp_monotonic() - s->t0;
    r->replied = 1;
    lp_metrics_request(r->srv->metrics, s->route_index, status, dt);
    if (r->srv->access_log)
        fprintf(stderr, "%s %s %d %.2fms %s\n", s->method, s->path, status, dt * 1000, lp_role_name(r->who.role));
}

static const char *reason_phrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

void lp_reply_text(lp_req *r, int status, const char *content_type, const char *text, size_t len)
{
    struct evbuffer *b;
    if (r->replied) return;
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Content-Type", content_type);
    b = evbuffer_new();
    if (text && len) evbuffer_add(b, text, len);
    evhttp_send_reply(r->ev, status, reason_phrase(status), b);
    evbuffer_free(b);
    net__finish(r, status);
}

void lp_reply_json(lp_req *r, int status, cJSON *body)
{
    char *text;
    if (r->replied) {
        cJSON_Delete(body);
        return;
    }
    if (!body) {
        evhttp_send_reply(r->ev, status, reason_phrase(status), NULL);
        net__finish(r, status);
        return;
    }
    text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    lp_reply_text(r, status, "application/json", text, strlen(text));
    cJSON_free(text);
}

static const char *problem_slug(int status)
{
    switch (status) {
    case 400: return "invalid-request";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not-found";
    case 405: return "method-not-allowed";
    case 409: return "conflict";
    case 412: return "version-mismatch";
    case 413: return "too-large";
    case 415: return "unsupported-media-type";
    default: return "server-error";
    }
}

void lp_reply_problem(lp_req *r, int status, const char *detail, const lp_err *fields)
{
    req_state *s = (req_state *)r;
    cJSON *p = cJSON_CreateObject();
    char type[64], *text;
    int i;

    if (r->replied) {
        cJSON_Delete(p);
        return;
    }
    snprintf(type, sizeof type, "/problems/%s", problem_slug(status));
    cJSON_AddStringToObject(p, "type", type);
    cJSON_AddStringToObject(p, "title", reason_phrase(status));
    cJSON_AddNumberToObject(p, "status", status);
    cJSON_AddStringToObject(p, "detail", detail ? detail : reason_phrase(status));
    cJSON_AddStringToObject(p, "instance", s->path ? s->path : "");
    if (fields && fields->nfields) {
        cJSON *errs = cJSON_AddArrayToObject(p, "errors");
        for (i = 0; i < fields->nfields; i++) {
            const lp_err_field *f = &fields->fields[i];
            cJSON *e = cJSON_CreateObject();
            if (f->pointer[0] == '?') cJSON_AddStringToObject(e, "parameter", f->pointer + 1);
            else if (strncmp(f->pointer, "header:", 7) == 0) cJSON_AddStringToObject(e, "header", f->pointer + 7);
            else cJSON_AddStringToObject(e, "pointer", f->pointer);
            cJSON_AddStringToObject(e, "detail", f->msg);
            cJSON_AddItemToArray(errs, e);
        }
        if (fields->more) cJSON_AddNumberToObject(p, "more_errors", fields->more);
    }
    if (status == 401)
        evhttp_add_header(evhttp_request_get_output_headers(r->ev), "WWW-Authenticate", "Bearer realm=\"landport\"");
    text = cJSON_PrintUnformatted(p);
    cJSON_Delete(p);
    lp_reply_text(r, status, "application/problem+json", text, strlen(text));
    cJSON_free(text);
}

void lp_reply_error(lp_req *r, const lp_err *err)
{
    int status;
    const char *detail = err->msg[0] ? err->msg : lp_strerror(err->code);
    switch (err->code) {
    case LP_EINVAL: status = 400; break;
    case LP_ENOTFOUND: status = 404; break;
    case LP_ECONFLICT: status = 409; break;
    case LP_EFORBIDDEN: status = 403; break;
    case LP_EUNAUTH: status = 401; break;
    case LP_ETOOBIG: status = 413; break;
    case LP_ESTALE: status = 412; break;
    default:
        /* Store and system errors: log the cause, do not show SQL to callers. */
        fprintf(stderr, "landport: %s %s: %s\n", ((req_state *)r)->method, ((req_state *)r)->path, detail);
        status = 500;
        detail = "the server could not complete the request; nothing was changed";
        break;
    }
    lp_reply_problem(r, status, detail, err);
}

void lp_reply_page(lp_req *r, cJSON *items, const char *next)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "items", items);
    if (next) cJSON_AddStringToObject(o, "next_cursor", next);
    else cJSON_AddNullToObject(o, "next_cursor");
    lp_reply_json(r, 200, o);
}

/* Request helpers ---------------------------------------------------------- */

const char *lp_req_query(lp_req *r, const char *name)
{
    req_state *s = (req_state *)r;
    return s->has_query ? evhttp_find_header(&s->query, name) : NULL;
}

const char *lp_req_header(lp_req *r, const char *name)
{
    return evhttp_find_header(evhttp_request_get_input_headers(r->ev), name);
}

int lp_req_page(lp_req *r, int *limit, const char **cursor)
{
    const char *l = lp_req_query(r, "limit");
    lp_err e;
    *limit = 50;
    *cursor = lp_req_query(r, "cursor");
    if (l) {
        char *end;
        long v = strtol(l, &end, 10);
        if (!*l || *end || v < 1 || v > 500) {
            lp_err_init(&e);
            lp_err_field_add(&e, "?limit", "must be an integer from 1 to 500");
            lp_reply_problem(r, 400, "the query parameter limit is invalid", &e);
            return LP_EINVAL;
        }
        *limit = (int)v;
    }
    if (*cursor && (strlen(*cursor) > 64 || !**cursor)) {
        lp_err_init(&e);
        lp_err_field_add(&e, "?cursor", "is not a cursor this server gave out");
        lp_reply_problem(r, 400, "the query parameter cursor is invalid", &e);
        return LP_EINVAL;
    }
    return LP_OK;
}

int lp_req_if_match(lp_req *r, int64_t *version)
{
    const char *h = lp_req_header(r, "If-Match");
    char *end;
    long long v;
    *version = -1;
    if (!h || strcmp(h, "*") == 0) return LP_OK; /* "*": any current version */
    if (strncmp(h, "W/", 2) == 0) h += 2;
    if (*h == '"') {
        v = strtoll(h + 1, &end, 10);
        if (end != h + 1 && end[0] == '"' && end[1] == '\0' && v > 0) {
            *version = v;
            return LP_OK;
        }
    }
    {
        lp_err e;
        lp_err_init(&e);
        lp_err_field_add(&e, "header:If-Match", "must be the record's ETag, e.g. \"3\"");
        lp_reply_problem(r, 400, "the If-Match header is malformed", &e);
    }
    return LP_EINVAL;
}

int64_t lp_req_scope(const lp_req *r)
{
    return r->who.role == LP_ROLE_COMPANY ? r->who.company_id : 0;
}


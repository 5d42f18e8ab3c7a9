/* events.c - the live event hub: follows the audit log, scopes each event
 * for each Server-Sent Events stream and writes it there (see events.h).
 * A stream is a chunked text/event-stream reply kept open on its evhttp
 * request; it ends when the client goes away (evhttp's close callback), when
 * it falls too far behind, or when the hub is destroyed. */
#include "events.h"
#include "dispatch.h"
#include "http_internal.h"
#include "handlers.h"
#include "../core/mem.h"
#include "../store/webhooks.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 200
#define MAX_BACKLOG (4u * 1024 * 1024) /* bytes not yet taken by a client: then it is dropped */

typedef struct client {
    struct client *next, *prev;
    lp_events *hub;
    struct evhttp_request *req;
    struct evhttp_connection *con;
    lp_role role;
    int64_t company;
    int64_t after; /* events up to this seq were sent (catch-up) */
    char *types;   /* ",declaration,yard_visit," or NULL for all; owned */
    char *actions; /* ",declaration.,gate.," prefixes, or NULL; owned */
} client;

struct lp_events {
    struct event_base *base;
    lp_store *store;
    struct event *kick, *poll, *heartbeat;
    int poll_ms;
    int64_t last_seq;  /* the last audit event sent to the streams */
    int64_t ephemeral; /* numbers ephemeral events */
    client *clients;
    int nclients;
    lp_dispatch *dispatch;
};

/* Scoping ------------------------------------------------------------------- */

/* After members a company may see of its own events: where its things are and
 * what was decided, never risk scores, rules or other companies' data. */
static const char *const company_members[] = {"status", "state",   "position", "eta",     "bay", "bay_id",
                                              "lane",   "lane_id", "decision", "channel", NULL};

static void copy_member(cJSON *to, const cJSON *from, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, name);
    if (v) cJSON_AddItemToObject(to, name, cJSON_Duplicate(v, 1));
}

static cJSON *view_head(const cJSON *ev)
{
    static const char *const head[] = {"seq", "ts", "action", "object_type", "object_id", NULL};
    cJSON *o = cJSON_CreateObject();
    const char *const *m;
    for (m = head; *m; m++) copy_member(o, ev, *m);
    return o;
}

static int member_set(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return v && !cJSON_IsNull(v);
}

cJSON *lp_events_view(const cJSON *ev, lp_role role, int64_t company)
{
    const cJSON *after = cJSON_GetObjectItemCaseSensitive(ev, "after");
    const cJSON *before = cJSON_GetObjectItemCaseSensitive(ev, "before");
    const char *type = lp_json_str(ev, "object_type");
    const char *const *m;
    cJSON *o, *data;

    switch (role) {
    case LP_ROLE_OPERATOR:
    case LP_ROLE_CUSTOMS:
    case LP_ROLE_BORDER_GUARD:
    case LP_ROLE_QUARANTINE:
    case LP_ROLE_ADMIN:
        o = view_head(ev);
        copy_member(o, ev, "company_id");
        copy_member(o, ev, "actor");
        copy_member(o, ev, "role");
        copy_member(o, ev, "reason");
        copy_member(o, ev, "before");
        copy_member(o, ev, "after");
        return o;
    case LP_ROLE_COMPANY:
        if (company <= 0 || lp_json_int(ev, "company_id", 0) != company) return NULL;
        o = view_head(ev);
        data = cJSON_AddObjectToObject(o, "data");
        if (cJSON_IsObject(after))
            for (m = company_members; *m; m++) copy_member(data, after, *m);
        return o;
    case LP_ROLE_PARTNER:
        /* The crossing's update that recorded the exit at km 0. */
        if (!type || strcmp(type, "crossing") != 0 || !member_set(after, "exit_at") || member_set(before, "exit_at"))
            return NULL;
        o = view_head(ev);
        copy_member(o, after, "handover");
        return o;
    default:
        return NULL;
    }
}

/* Streams ------------------------------------------------------------------- */

/* 1 when item is in the comma list (",a,b,"); prefix: item only has to start with an entry. */
static int in_list(const char *list, const char *item, int prefix)
{
    const char *p;
    size_t n;
    if (!list) return 1;
    if (!item) return 0;
    for (p = list + 1; *p; p += n + 1) {
        n = strcspn(p, ",");
        if (n && (prefix ? strncmp(item, p, n) == 0 : strlen(item) == n && strncmp(item, p, n) == 0)) return 1;
    }
    return 0;
}

static void drop(client *c)
{
    lp_events *h = c->hub;
    if (c->prev) c->prev->next = c->next;
    else h->clients = c->next;
    if (c->next) c->next->prev = c->prev;
    h->nclients--;
    lp_free(c->types);
    lp_free(c->actions);
    lp_free(c);
}

/* The client went away.  evhttp has detached the unfinished request from
 * the connection it is about to free (its reply never ended), so the request
 * is ours to free. */
static void on_close(struct evhttp_connection *con, void *arg)
{
    client *c = arg;
    (void)con;
    if (!evhttp_request_get_connection(c->req)) evhttp_request_free(c->req);
    drop(c);
}

/* Ends the reply and forgets the client. */
static void end_stream(client *c)
{
    evhttp_connection_set_closecb(c->con, NULL, NULL);
    evhttp_send_reply_end(c->req);
    drop(c);
}

/* Writes text to the stream; returns 1 when the client was dropped for
 * falling behind. */
static int send_text(client *c, const char *text, size_t n)
{
    struct bufferevent *bev = evhttp_connection_get_bufferevent(c->con);
    struct evbuffer *b;
    if (bev && evbuffer_get_length(bufferevent_get_output(bev)) > MAX_BACKLOG) {
        end_stream(c);
        return 1;
    }
    b = evbuffer_new();
    evbuffer_add(b, text, n);
    evhttp_send_reply_chunk(c->req, b);
    evbuffer_free(b);
    return 0;
}

/* The SSE frame of an event: id NULL for an ephemeral event, sent without an
 * id line so that the stream's last event id stays the last audit seq (what
 * a reconnect resumes from).  Caller owns the result (lp_free). */
static char *format_frame(const char *id, const char *action, const cJSON *view)
{
    char *data = cJSON_PrintUnformatted(view), *frame;
    frame = id ? lp_sprintf("id: %s\nevent: %s\ndata: %s\n\n", id, action, data)
               : lp_sprintf("event: %s\ndata: %s\n\n", action, data);
    cJSON_free(data);
    return frame;
}

/* Sends frame to c if its filters let the event through.  Returns 1 when c
 * was dropped. */
static int offer(client *c, const char *action, const char *object_type, const char *frame)
{
    if (!frame || !in_list(c->types, object_type, 0) || !in_list(c->actions, action, 1)) return 0;
    return send_text(c, frame, strlen(frame));
}

/* The frames of one audit event, built at most once per kind of viewer: all
 * staff and admin share a view, only the event's own company sees it as a
 * company, partners share theirs.  So an event costs three views at most,
 * however many streams are open. */
enum { VIEW_STAFF, VIEW_COMPANY, VIEW_PARTNER, VIEW_KINDS };

typedef struct ev_frames {
    const cJSON *ev;
    char *text[VIEW_KINDS]; /* owned; "" when that kind of viewer sees nothing */
} ev_frames;

static int view_kind(const client *c, const cJSON *ev)
{
    switch (c->role) {
    case LP_ROLE_OPERATOR:
    case LP_ROLE_CUSTOMS:
    case LP_ROLE_BORDER_GUARD:
    case LP_ROLE_QUARANTINE:
    case LP_ROLE_ADMIN: return VIEW_STAFF;
    case LP_ROLE_COMPANY: return c->company > 0 && lp_json_int(ev, "company_id", 0) == c->company ? VIEW_COMPANY : -1;
    case LP_ROLE_PARTNER: return VIEW_PARTNER;
    default: return -1;
    }
}

/* The frame c gets of the event, or NULL (borrowed from f). */
static const char *frame_for(ev_frames *f, const client *c)
{
    int k = view_kind(c, f->ev);
    if (k < 0) return NULL;
    if (!f->text[k]) {
        cJSON *view = lp_events_view(f->ev, c->role, c->company);
        char id[32];
        snprintf(id, sizeof id, "%" PRId64, lp_json_int(f->ev, "seq", 0));
        f->text[k] = view ? format_frame(id, lp_json_str(f->ev, "action"), view) : lp_strdup("");
        cJSON_Delete(view);
    }
    return f->text[k][0] ? f->text[k] : NULL;
}

static void frames_deinit(ev_frames *f)
{
    int k;
    for (k = 0; k < VIEW_KINDS; k++) lp_free(f->text[k]);
}

static int offer_audit(client *c, ev_frames *f)
{
    if (lp_json_int(f->ev, "seq", 0) <= c->after) return 0;
    return offer(c, lp_json_str(f->ev, "action"), lp_json_str(f->ev, "object_type"), frame_for(f, c));
}

/* Following the log ------------------------------------------------------------- */

/* The audit log's head seq, or -1 on a store error (logged). */
static int64_t head_seq(lp_store *st)
{
    lp_db_res *r = NULL;
    int64_t seq = -1;
    lp_err err;
    lp_err_init(&err);
    if (lp_db_query(lp_store_db(st), "SELECT seq FROM audit_head WHERE id = 1", NULL, 0, &r, &err))
        fprintf(stderr, "landport: events: %s\n", err.msg);
    else if (lp_db_res_nrows(r) == 1)
        seq = lp_db_res_int(r, 0, 0);
    lp_db_res_free(r);
    return seq;
}

/* Sends the events after h->last_seq to every stream and moves last_seq.
 * With no stream open it only moves last_seq to the head. */
static void follow(lp_events *h)
{
    cJSON *items = NULL;
    const cJSON *ev;
    int64_t next;
    lp_err err;

    lp_err_init(&err);
    if (!h->clients) {
        int64_t head = head_seq(h->store);
        if (head > h->last_seq) h->last_seq = head;
        return;
    }
    do {
        if (lp_store_audit_list(h->store, NULL, NULL, NULL, 0, h->last_seq, PAGE, &items, &next, &err)) {
            fprintf(stderr, "landport: events: %s\n", err.msg);
            return;
        }
        cJSON_ArrayForEach(ev, items) {
            ev_frames f = {ev, {NULL}};
            client *c = h->clients, *nx;
            for (; c; c = nx) {
                nx = c->next;
                offer_audit(c, &f);
            }
            frames_deinit(&f);
            h->last_seq = lp_json_int(ev, "seq", h->last_seq);
        }
        cJSON_Delete(items);
        items = NULL;
    } while (next);
}

static void on_kick(evutil_socket_t fd, short what, void *arg)
{
    lp_events *h = arg;
    (void)fd, (void)what;
    follow(h);
    lp_dispatch_kick(h->dispatch);
}

static void on_heartbeat(evutil_socket_t fd, short what, void *arg)
{
    lp_events *h = arg;
    client *c, *nx;
    (void)fd, (void)what;
    for (c = h->clients; c; c = nx) {
        nx = c->next;
        send_text(c, ": heartbeat\n\n", 13);
    }
}

static struct timeval ms_tv(int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    return tv;
}

int lp_events_create(struct event_base *base, lp_store *store, const lp_events_opts *opts, lp_events **out,
                     lp_err *err)
{
    lp_events *h = lp_calloc(1, sizeof *h);
    int hb = opts && opts->heartbeat_ms > 0 ? opts->heartbeat_ms : 15000, rc;
    struct timeval tv;

    *out = NULL;
    h->base = base;
    h->store = store;
    h->poll_ms = opts && opts->poll_ms > 0 ? opts->poll_ms : 1000;
    rc = lp_dispatch_create(base, store, &h->dispatch, err);
    if (rc) goto fail;
    /* Start at the head: a new stream gets earlier events only by asking. */
    if ((h->last_seq = head_seq(store)) < 0) {
        rc = lp_err_set(err, LP_ESTORE, "cannot read the audit log's head");
        goto fail;
    }
    h->kick = event_new(base, -1, 0, on_kick, h);
    h->poll = event_new(base, -1, EV_PERSIST, on_kick, h);
    h->heartbeat = event_new(base, -1, EV_PERSIST, on_heartbeat, h);
    tv = ms_tv(h->poll_ms);
    event_add(h->poll, &tv);
    tv = ms_tv(hb);
    event_add(h->heartbeat, &tv);
    *out = h;
    return LP_OK;
fail:
    lp_events_destroy(h);
    return rc;
}

void lp_events_destroy(lp_events *h)
{
    if (!h) return;
    while (h->clients) end_stream(h->clients);
    if (h->kick) event_free(h->kick);
    if (h->poll) event_free(h->poll);
    if (h->heartbeat) event_free(h->heartbeat);
    lp_dispatch_destroy(h->dispatch);
    lp_free(h);
}

void lp_events_kick(lp_events *h)
{
    if (h && !event_pending(h->kick, EV_TIMEOUT, NULL)) event_active(h->kick, EV_TIMEOUT, 0);
}

int lp_events_clients(const lp_events *h) { return h ? h->nclients : 0; }

void lp_events_publish(lp_events *h, const char *type, int64_t company_id, cJSON *data)
{
    char id[32], otype[64], *full_text, *own_text;
    client *c, *nx;
    cJSON *full;

    if (!h) {
        cJSON_Delete(data);
        return;
    }
    snprintf(id, sizeof id, "e-%" PRId64, ++h->ephemeral);
    snprintf(otype, sizeof otype, "%.*s", (int)strcspn(type, "."), type);
    full = cJSON_CreateObject();
    cJSON_AddStringToObject(full, "id", id);
    cJSON_AddStringToObject(full, "type", type);
    cJSON_AddItemToObject(full, "data", data);
    own_text = format_frame(NULL, type, full); /* the company's: without company_id */
    if (company_id) cJSON_AddNumberToObject(full, "company_id", (double)company_id);
    full_text = format_frame(NULL, type, full);
    for (c = h->clients; c; c = nx) {
        nx = c->next;
        if (c->role == LP_ROLE_COMPANY) {
            if (company_id && c->company == company_id) offer(c, type, otype, own_text);
        } else if (c->role != LP_ROLE_PARTNER && c->role != LP_ROLE_DEVICE) {
            offer(c, type, otype, full_text);
        }
    }
    cJSON_Delete(full);
    lp_free(full_text);
    lp_free(own_text);
}

/* ",a,b," from "a,b" (spaces dropped), or NULL when q is NULL or empty.
 * Caller owns the result. */
static char *comma_list(const char *q)
{
    char *out, *w;
    if (!q || !*q) return NULL;
    out = lp_malloc(strlen(q) + 3);
    w = out;
    *w++ = ',';
    for (; *q; q++)
        if (*q != ' ') *w++ = *q;
    *w++ = ',';
    *w = '\0';
    return out;
}

/* The seq to resume after: Last-Event-ID (what a browser sends when it
 * reconnects) before ?after=; -1 when neither is given. */
static int resume_point(lp_req *r, int64_t *after, lp_err *err)
{
    const char *h = lp_req_header(r, "Last-Event-ID"), *q = lp_req_query(r, "after"), *v = h ? h : q;
    char *end;
    long long x;
    *after = -1;
    if (!v) return LP_OK;
    x = strtoll(v, &end, 10);
    if (!*v || *end || x < 0) {
        if (h) lp_err_field_add(err, "header:Last-Event-ID", "must be the seq of an event (a number), as sent in id:");
        else lp_err_field_add(err, "?after", "must be the seq of an event (a number >= 0)");
        return LP_EINVAL;
    }
    *after = x;
    return LP_OK;
}

/* Sends the stored events in (c->after, h->last_seq] to c alone.  Returns 1
 * when c was dropped. */
static int catch_up(lp_events *h, client *c)
{
    cJSON *items = NULL;
    const cJSON *ev;
    int64_t from = c->after, next;
    lp_err err;

    lp_err_init(&err);
    if (from >= h->last_seq) return 0; /* live only, or a resume point ahead of us: offer_audit skips */
    c->after = -1;
    while (from < h->last_seq) {
        if (lp_store_audit_list(h->store, NULL, NULL, NULL, 0, from, PAGE, &items, &next, &err)) {
            fprintf(stderr, "landport: events: %s\n", err.msg);
            return 0;
        }
        cJSON_ArrayForEach(ev, items) {
            from = lp_json_int(ev, "seq", 0);
            if (from > h->last_seq) break;
            ev_frames f = {ev, {NULL}};
            int gone;
            gone = offer_audit(c, &f);
            frames_deinit(&f);
            if (gone) {
                cJSON_Delete(items);
                return 1;
            }
        }
        cJSON_Delete(items);
        items = NULL;
        if (!next) break;
    }
    return 0;
}

void lp_events_subscribe(lp_events *h, lp_req *r)
{
    struct evkeyvalq *hdr = evhttp_request_get_output_headers(r->ev);
    lp_webhook_settings ws;
    int64_t after;
    client *c;
    lp_err err;

    lp_err_init(&err);
    if (!h) {
        lp_reply_problem(r, 503, "this server runs without the event hub", NULL);
        return;
    }
    if (resume_point(r, &after, &err)) {
        lp_reply_problem(r, 400, "the resume point is not valid", &err);
        return;
    }
    if (lp_webhooks_settings_get(h->store, &ws, &err)) {
        lp_reply_error(r, &err);
        return;
    }
    if (h->nclients >= ws.max_stream_clients) {
        char msg[160];
        evhttp_add_header(hdr, "Retry-After", "5");
        snprintf(msg, sizeof msg, "this server already streams to %d clients (setting notifications.max_stream_clients)",
                 h->nclients);
        lp_reply_problem(r, 503, msg, NULL);
        return;
    }
    follow(h); /* everyone up to date: then the catch-up ends where live begins */
    c = lp_calloc(1, sizeof *c);
    c->hub = h;
    c->req = r->ev;
    c->con = evhttp_request_get_connection(r->ev);
    c->role = r->who.role;
    c->company = r->who.company_id;
    c->after = after < 0 ? h->last_seq : after;
    c->types = comma_list(lp_req_query(r, "types"));
    c->actions = comma_list(lp_req_query(r, "actions"));
    c->next = h->clients;
    if (h->clients) h->clients->prev = c;
    h->clients = c;
    h->nclients++;

    evhttp_add_header(hdr, "Content-Type", "text/event-stream");
    evhttp_add_header(hdr, "Cache-Control", "no-cache");
    evhttp_add_header(hdr, "X-Accel-Buffering", "no");
    evhttp_send_reply_start(r->ev, 200, "OK");
    net__finish(r, 200);
    /* The stream is idle between events: the heartbeat, not evhttp's idle
     * timeout, finds clients that went away. */
    evhttp_connection_set_timeout(c->con, -1);
    evhttp_connection_set_closecb(c->con, on_close, c);
    if (send_text(c, "retry: 3000\n\n", 13)) return;
    catch_up(h, c);
}

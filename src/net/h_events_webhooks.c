/* h_events_webhooks.c - company webhooks over HTTP: register (the secret is
 * shown once), read, change, remove, the delivery log and a test ping.  A
 * company manages its own; operator and admin any company's.  Sending is the
 * dispatcher's (dispatch.c). */
#include "h_events.h"
#include "../core/mem.h"
#include "../store/webhooks.h"

#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define WEBHOOK_FIELDS(req, idflag)                                                                              \
    {"company_id", LP_J_INT, idflag, 1, 9007199254740991LL, NULL, NULL,                                        \
     "Company whose events it receives (required for staff; a company token registers for itself)", "1"},      \
    {"url", LP_J_STRING, req, 10, 2048, NULL, NULL, "Receiver: an http:// or https:// URL",                     \
     "\"https://example.com/landport\""},                                                                        \
    {"description", LP_J_STRING, LP_JF_NULLABLE, 0, 200, NULL, NULL, "What it is for", NULL},                  \
    {"actions", LP_J_STRING_ARRAY, 0, 1, 64, NULL, NULL, "Action prefixes to send (empty or absent: all)",     \
     "[\"declaration.\",\"crossing.\"]"},                                                                        \
    {"object_types", LP_J_STRING_ARRAY, 0, 1, 64, NULL, NULL, "Object types to send (empty or absent: all)",   \
     "[\"declaration\"]"},                                                                                       \
    {"active", LP_J_BOOL, 0, 0, 0, NULL, NULL, "false: nothing is sent (default true)", "true"}

static const lp_jfield create_fields[] = {WEBHOOK_FIELDS(LP_JF_REQUIRED, 0)};
const lp_jspec lp_spec_webhook_create = {create_fields, N(create_fields)};
static const lp_jfield patch_fields[] = {WEBHOOK_FIELDS(0, LP_JF_CREATE_ONLY)};
const lp_jspec lp_spec_webhook_patch = {patch_fields, N(patch_fields)};

/* Only http and https with a host: no file://, gopher:// or bare words. */
static void check_url(lp_req *r, lp_err *err)
{
    const char *url = lp_json_str(r->body, "url");
    struct evhttp_uri *u;
    const char *scheme, *host;
    if (!url) return;
    u = evhttp_uri_parse(url);
    scheme = u ? evhttp_uri_get_scheme(u) : NULL;
    host = u ? evhttp_uri_get_host(u) : NULL;
    if (!scheme || (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0))
        lp_err_field_add(err, "/url", "must be an http:// or https:// URL");
    else if (!host || !*host)
        lp_err_field_add(err, "/url", "must name a host");
    if (u) evhttp_uri_free(u);
}

void lp_check_webhook_create(lp_req *r, lp_err *err)
{
    if (net__owner(r, r->body, "webhooks", err) == LP_EFORBIDDEN) return;
    check_url(r, err);
}

void lp_check_webhook_patch(lp_req *r, lp_err *err) { check_url(r, err); }

static const char *const webhook_filters[] = {"company_id", NULL};

void lp_h_webhooks_list(lp_req *r) { net__list(r, &lp_tbl_webhooks, webhook_filters, NULL); }
void lp_h_webhooks_get(lp_req *r) { net__get(r, &lp_tbl_webhooks, NULL); }
void lp_h_webhooks_patch(lp_req *r) { net__patch(r, &lp_tbl_webhooks, r->body, NULL, NULL); }

static void set_default(cJSON *o, const char *name, cJSON *v)
{
    if (cJSON_GetObjectItemCaseSensitive(o, name)) cJSON_Delete(v);
    else cJSON_AddItemToObject(o, name, v);
}

void lp_h_webhooks_create(lp_req *r)
{
    cJSON *values = cJSON_Duplicate(r->body, 1), *rec = NULL;
    char secret[LP_WEBHOOK_SECRET_LEN], loc[96];
    lp_err err;

    lp_err_init(&err);
    set_default(values, "actions", cJSON_CreateArray());
    set_default(values, "object_types", cJSON_CreateArray());
    set_default(values, "active", cJSON_CreateTrue());
    if (lp_webhooks_create(r->store, &r->actor, values, &rec, secret, &err)) {
        net__fail(r, &err, NULL);
        goto out;
    }
    snprintf(loc, sizeof loc, "/api/v1/webhooks/%" PRId64, lp_json_int(rec, "id", 0));
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
    net__etag(r, rec);
    cJSON_AddStringToObject(rec, "secret", secret);
    lp_reply_json(r, 201, rec);
    rec = NULL;
out:
    cJSON_Delete(values);
    cJSON_Delete(rec);
}

void lp_h_webhooks_delete(lp_req *r)
{
    cJSON *rec = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_webhooks_delete(r->store, &r->actor, r->params[0], lp_req_scope(r), &rec, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    lp_reply_json(r, 200, rec);
}

/* The webhook of the path within the caller's scope: its id, or 0 after
 * replying 404 (or the store's error). */
static int64_t visible_webhook(lp_req *r, int64_t *company)
{
    cJSON *rec = NULL;
    int64_t id;
    lp_err err;
    lp_err_init(&err);
    if (lp_table_get(r->store, &lp_tbl_webhooks, r->params[0], lp_req_scope(r), &rec, &err)) {
        net__fail(r, &err, NULL);
        return 0;
    }
    id = lp_json_int(rec, "id", 0);
    if (company) *company = lp_json_int(rec, "company_id", 0);
    cJSON_Delete(rec);
    return id;
}

void lp_h_webhooks_deliveries(lp_req *r)
{
    cJSON *items = NULL;
    const char *cursor;
    char next_s[32], *end;
    int64_t hook, before = 0, next = 0;
    int limit;
    lp_err err;

    lp_err_init(&err);
    if (lp_req_page(r, &limit, &cursor)) return;
    if (cursor) {
        before = strtoll(cursor, &end, 10);
        if (!*cursor || *end || before <= 0) {
            lp_err_field_add(&err, "?cursor", "must be the next_cursor of the page before");
            lp_reply_problem(r, 400, "the cursor is not valid", &err);
            return;
        }
    }
    if (!(hook = visible_webhook(r, NULL))) return;
    if (lp_webhooks_deliveries(r->store, hook, before, limit, &items, &next, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    snprintf(next_s, sizeof next_s, "%" PRId64, next);
    lp_reply_page(r, items, next ? next_s : NULL);
}

void lp_h_webhooks_test(lp_req *r)
{
    cJSON *ping = cJSON_CreateObject(), *rec = NULL;
    const lp_clock *ck = lp_store_clock(r->store);
    char *body = NULL, ts[40], loc[128];
    int64_t hook, company = 0, id = 0;
    lp_err err;

    lp_err_init(&err);
    if (!(hook = visible_webhook(r, &company))) goto out;
    lp_time_format(ck->now_ms(ck->ud), ts, sizeof ts);
    cJSON_AddStringToObject(ping, "type", "ping");
    cJSON_AddNumberToObject(ping, "webhook_id", (double)hook);
    cJSON_AddStringToObject(ping, "ts", ts);
    body = cJSON_PrintUnformatted(ping);
    if (lp_webhooks_enqueue(r->store, hook, company, 0, "ping", body, &id, &err) ||
        lp_webhooks_delivery_get(r->store, hook, id, &rec, &err)) {
        net__fail(r, &err, NULL);
        goto out;
    }
    snprintf(loc, sizeof loc, "/api/v1/webhooks/%" PRId64 "/deliveries", hook);
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
    lp_reply_json(r, 201, rec);
    rec = NULL;
out:
    cJSON_Delete(ping);
    cJSON_free(body);
    cJSON_Delete(rec);
}

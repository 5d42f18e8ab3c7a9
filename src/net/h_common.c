/* h_common.c - the get / list / create / patch steps most resources share. */
#include "handlers.h"
#include "routes.h"
#include "../core/mem.h"
#include "../store/resources.h"

#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void net__etag(lp_req *r, const cJSON *rec)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "version");
    char tag[32];
    if (!cJSON_IsNumber(v)) return;
    snprintf(tag, sizeof tag, "\"%" PRId64 "\"", (int64_t)v->valuedouble);
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "ETag", tag);
}

void net__fail(lp_req *r, lp_err *err, const char *unique_pointer)
{
    if (err->code == LP_ECONFLICT && unique_pointer && err->nfields == 0) {
        lp_err e;
        lp_err_init(&e);
        lp_err_set(&e, LP_ECONFLICT, "a record with this %s already exists", unique_pointer + 1);
        lp_err_field_add(&e, unique_pointer, "is already registered");
        e.code = LP_ECONFLICT;
        lp_reply_error(r, &e);
        return;
    }
    lp_reply_error(r, err);
}

void net__get(lp_req *r, const lp_table *t, void (*decorate)(lp_req *, cJSON *))
{
    cJSON *rec = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_table_get(r->store, t, r->params[0], lp_req_scope(r), &rec, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    if (decorate) decorate(r, rec);
    net__etag(r, rec);
    lp_reply_json(r, 200, rec);
}

void net__list(lp_req *r, const lp_table *t, const char *const *filter_params,
               void (*decorate)(lp_req *, cJSON *))
{
    lp_filter f[16];
    int nf = 0, limit;
    const char *cursor;
    cJSON *items = NULL, *it;
    char *next = NULL;
    lp_err err;

    lp_err_init(&err);
    if (lp_req_page(r, &limit, &cursor)) return;
    for (; filter_params && *filter_params && nf < 16; filter_params++) {
        const char *v = lp_req_query(r, *filter_params);
        if (v) {
            f[nf].col = *filter_params;
            f[nf].value = v;
            nf++;
        }
    }
    if (lp_table_list(r->store, t, f, nf, lp_req_scope(r), cursor, limit, &items, &next, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    if (decorate) cJSON_ArrayForEach(it, items) decorate(r, it);
    lp_reply_page(r, items, next);
    lp_free(next);
}

void net__create(lp_req *r, const lp_table *t, const char *text_id, const cJSON *values,
                 const char *unique_pointer, void (*decorate)(lp_req *, cJSON *))
{
    cJSON *rec = NULL;
    const cJSON *id;
    char loc[256];
    lp_err err;

    lp_err_init(&err);
    if (lp_table_insert(r->store, t, &r->actor, text_id, values, &rec, &err)) {
        net__fail(r, &err, unique_pointer);
        return;
    }
    id = cJSON_GetObjectItemCaseSensitive(rec, "id");
    if (cJSON_IsString(id)) snprintf(loc, sizeof loc, "%s/%s", r->route->pattern, id->valuestring);
    else snprintf(loc, sizeof loc, "%s/%" PRId64, r->route->pattern, (int64_t)(id ? id->valuedouble : 0));
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
    if (decorate) decorate(r, rec);
    net__etag(r, rec);
    lp_reply_json(r, 201, rec);
}

void net__patch(lp_req *r, const lp_table *t, const cJSON *patch, const char *unique_pointer,
                void (*decorate)(lp_req *, cJSON *))
{
    cJSON *rec = NULL;
    int64_t ver;
    lp_err err;

    lp_err_init(&err);
    if (lp_req_if_match(r, &ver)) return;
    if (lp_table_update(r->store, t, &r->actor, r->params[0], lp_req_scope(r), ver, "update",
                        patch, &rec, &err)) {
        net__fail(r, &err, unique_pointer);
        return;
    }
    if (decorate) decorate(r, rec);
    net__etag(r, rec);
    lp_reply_json(r, 200, rec);
}

static int company_exists(lp_req *r, int64_t id)
{
    char ids[32];
    cJSON *rec = NULL;
    lp_err err;
    int rc;
    lp_err_init(&err);
    snprintf(ids, sizeof ids, "%" PRId64, id);
    rc = lp_table_get(r->store, &lp_tbl_companies, ids, 0, &rec, &err);
    cJSON_Delete(rec);
    return rc == LP_OK;
}

int net__owner(lp_req *r, cJSON *values, const char *what, lp_err *err)
{
    int64_t cid = lp_json_int(values, "company_id", 0);
    if (r->who.role == LP_ROLE_COMPANY) {
        if (cid && cid != r->who.company_id) {
            lp_err_field_add(err, "/company_id", "a company registers %s only for itself", what);
            err->code = LP_EFORBIDDEN;
            snprintf(err->msg, sizeof err->msg, "a company registers %s only for itself", what);
            return LP_EFORBIDDEN;
        }
        cJSON_DeleteItemFromObjectCaseSensitive(values, "company_id");
        cJSON_AddNumberToObject(values, "company_id", (double)r->who.company_id);
        return LP_OK;
    }
    if (!cid) return lp_err_field_add(err, "/company_id", "is required");
    if (!company_exists(r, cid)) return lp_err_field_add(err, "/company_id", "no company with id %" PRId64, cid);
    return LP_OK;
}

/* h_yard_bookings.c - crossing slots over HTTP: the hourly quotas per
 * crossing point and direction (operators change them, audited), the free
 * hours, and the bookings a company makes for its declared trucks (book,
 * rebook, cancel, change vehicle or driver: the slot stays).  Rules are in
 * store/bookings.c and core/slots.c; this file checks bodies and answers,
 * with the next free hour when the asked one is full or closed. */
#include "h_yard.h"
#include "../core/slots.h"
#include "../os/vclock.h"
#include "../store/bookings.h"

#include <event2/http.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAX_ID 9007199254740991LL

int64_t net__yard_now(lp_req *r)
{
    const lp_clock *ck = lp_store_clock(r->store);
    return ck->now_ms(ck->ud);
}

int net__yard_time(const char *s, int64_t *ms)
{
    char *end;
    if (!s || !*s) return LP_EINVAL;
    if (strspn(s, "0123456789") == strlen(s)) {
        if (strlen(s) > 15) return LP_EINVAL;
        *ms = strtoll(s, &end, 10);
        return LP_OK;
    }
    return lp_vclock_parse_time(s, ms) == LP_OK && *ms >= 0 ? LP_OK : LP_EINVAL;
}

/* Slot quotas ---------------------------------------------------------------------- */

const lp_qparam lp_query_slot_quotas[] = {
    {"crossing_point_id", "string", "Only this crossing point's quotas"},
    {"direction", "string", "export or import"},
    {0}};

static const lp_jfield quota_fields[] = {
    /* An object keyed by hour: jsonspec's any-object, checked below. */
    {"hours", LP_J_OBJECT, LP_JF_REQUIRED, 0, 0, NULL, NULL,
     "Quotas to set, by hour of day in gate time (UTC+7): {\"07\": 30, \"22\": 0}, keys \"00\"-\"23\", values "
     "0-10000 (0 closes the hour); hours not sent keep their quota",
     "{\"07\":30,\"08\":30}"},
};
const lp_jspec lp_spec_slot_quota_patch = {quota_fields, N(quota_fields)};

/* Hour of a key "00".."23", or -1. */
static int hour_key(const char *k)
{
    if (!k || strlen(k) != 2 || k[0] < '0' || k[0] > '2' || k[1] < '0' || k[1] > '9') return -1;
    return (k[0] - '0') * 10 + (k[1] - '0') < 24 ? (k[0] - '0') * 10 + (k[1] - '0') : -1;
}

void lp_check_slot_quota_patch(lp_req *r, lp_err *err)
{
    const cJSON *m;
    char ptr[96];
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(r->body, "hours")) {
        snprintf(ptr, sizeof ptr, "/hours/%.40s", m->string);
        if (hour_key(m->string) < 0) lp_err_field_add(err, ptr, "is not an hour of day \"00\" to \"23\"");
        else if (!cJSON_IsNumber(m) || m->valuedouble != floor(m->valuedouble) || m->valuedouble < 0 ||
                 m->valuedouble > LP_SLOTS_QUOTA_MAX)
            lp_err_field_add(err, ptr, "must be an integer from 0 to %d", LP_SLOTS_QUOTA_MAX);
    }
}

static const char *const quota_filters[] = {"crossing_point_id", "direction", NULL};

void lp_h_slot_quotas_list(lp_req *r) { net__list(r, &lp_tbl_slot_quotas, quota_filters, NULL); }
void lp_h_slot_quotas_get(lp_req *r) { net__get(r, &lp_tbl_slot_quotas, NULL); }

void lp_h_slot_quotas_patch(lp_req *r)
{
    cJSON *rec = NULL, *q, *patch;
    const cJSON *m;
    lp_err err;
    lp_err_init(&err);
    if (lp_table_get(r->store, &lp_tbl_slot_quotas, r->params[0], 0, &rec, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    q = cJSON_DetachItemFromObjectCaseSensitive(rec, "quota");
    cJSON_Delete(rec);
    if (!cJSON_IsArray(q) || cJSON_GetArraySize(q) != 24) {
        cJSON_Delete(q);
        lp_err_set(&err, LP_ESTORE, "the stored quota of %.60s is damaged", r->params[0]);
        lp_reply_error(r, &err);
        return;
    }
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(r->body, "hours"))
        cJSON_ReplaceItemInArray(q, hour_key(m->string), cJSON_CreateNumber(m->valuedouble));
    patch = cJSON_CreateObject();
    cJSON_AddItemToObject(patch, "quota", q);
    /* Bookings made stay valid: a lower quota takes no booking away, it
     * only closes the hour to new ones until enough are cancelled. */
    net__patch(r, &lp_tbl_slot_quotas, patch, NULL, NULL);
    cJSON_Delete(patch);
}

/* Availability ------------------------------------------------------------------------ */

const lp_qparam lp_query_slots[] = {
    {"crossing_point_id", "string", "Crossing point (required)"},
    {"direction", "string", "export or import (required)"},
    {"from", "string", "First hour: RFC 3339 time or ms since 1970 (default: now)"},
    {"hours", "integer", "How many hours, 1-168 (default 24)"},
    {0}};

void lp_h_slots_list(lp_req *r)
{
    const char *point = lp_req_query(r, "crossing_point_id"), *dir = lp_req_query(r, "direction");
    const char *from = lp_req_query(r, "from"), *hs = lp_req_query(r, "hours");
    int64_t t = net__yard_now(r);
    long hours = 24;
    char *end;
    cJSON *items = NULL, *reply;
    lp_err err;

    lp_err_init(&err);
    if (!point) lp_err_field_add(&err, "?crossing_point_id", "is required");
    if (!dir || (strcmp(dir, "export") && strcmp(dir, "import"))) lp_err_field_add(&err, "?direction", "must be export or import");
    if (from && net__yard_time(from, &t)) lp_err_field_add(&err, "?from", "must be an RFC 3339 time or ms since 1970");
    if (hs && ((hours = strtol(hs, &end, 10)) < 1 || hours > LP_SLOTS_SUGGEST_HOURS || *end))
        lp_err_field_add(&err, "?hours", "must be an integer from 1 to %d", LP_SLOTS_SUGGEST_HOURS);
    if (err.code) {
        lp_reply_problem(r, 400, "the request has invalid query parameters", &err);
        return;
    }
    if (lp_bookings_availability(r->store, &r->actor, point, dir, t, (int)hours, &items, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    reply = cJSON_CreateObject();
    cJSON_AddStringToObject(reply, "crossing_point_id", point);
    cJSON_AddStringToObject(reply, "direction", dir);
    cJSON_AddItemToObject(reply, "items", items);
    lp_reply_json(r, 200, reply);
}

/* Bookings ------------------------------------------------------------------------------- */

const lp_qparam lp_query_bookings[] = {
    {"status", "string", "active, arrived or cancelled"},
    {"declaration_id", "integer", "Only this declaration's"},
    {"crossing_point_id", "string", "Only this crossing point's"},
    {"direction", "string", "export or import"},
    {"plate", "string", "Exact plate (canonical form)"},
    {"company_id", "integer", "Only this company's (staff)"},
    {0}};

static const lp_jfield booking_fields[] = {
    {"declaration_id", LP_J_INT, LP_JF_REQUIRED, 1, MAX_ID, NULL, NULL,
     "The truck's declaration: it gives crossing point, direction, vehicle and goods", "42"},
    {"slot", LP_J_STRING, LP_JF_REQUIRED, 1, 40, NULL, NULL,
     "Any time within the wanted hour: RFC 3339 (gate time is UTC+7) or ms since 1970",
     "\"2026-11-24T09:00:00+07:00\""},
    {"driver_id", LP_J_INT, 0, 1, MAX_ID, NULL, NULL, "Driver (default: the declaration's)", NULL},
};
const lp_jspec lp_spec_booking_create = {booking_fields, N(booking_fields)};

static const lp_jfield booking_patch_fields[] = {
    {"vehicle_id", LP_J_INT, 0, 1, MAX_ID, NULL, NULL, "Another active truck of the company (the slot stays)", NULL},
    {"driver_id", LP_J_INT, 0, 1, MAX_ID, NULL, NULL, "Another active driver of the company (the slot stays)", NULL},
};
const lp_jspec lp_spec_booking_patch = {booking_patch_fields, N(booking_patch_fields)};

static const lp_jfield rebook_fields[] = {
    {"slot", LP_J_STRING, LP_JF_REQUIRED, 1, 40, NULL, NULL, "Any time within the new hour (same forms as when booking)",
     "\"2026-11-24T11:00:00+07:00\""},
};
const lp_jspec lp_spec_booking_rebook = {rebook_fields, N(rebook_fields)};

static const lp_jfield cancel_fields[] = {
    {"reason", LP_J_STRING, 0, 0, 200, NULL, NULL, "Why (kept on the booking and in the audit log)", "\"load delayed\""},
};
const lp_jspec lp_spec_booking_cancel = {cancel_fields, N(cancel_fields)};

void lp_check_booking_slot(lp_req *r, lp_err *err)
{
    int64_t t;
    const char *s = lp_json_str(r->body, "slot");
    if (s && net__yard_time(s, &t)) lp_err_field_add(err, "/slot", "must be an RFC 3339 time with offset or ms since 1970");
}

static const char *const booking_filters[] = {"status", "declaration_id", "crossing_point_id", "direction",
                                              "plate", "company_id", NULL};

void lp_h_bookings_list(lp_req *r) { net__list(r, &lp_tbl_bookings, booking_filters, NULL); }
void lp_h_bookings_get(lp_req *r) { net__get(r, &lp_tbl_bookings, NULL); }

/* 409 with the reason and, when there is one, the next hour with room as
 * suggested_slot (a problem member of its own, so clients need not parse
 * the text). */
static void reply_refused(lp_req *r, const lp_err *err, const lp_booking_result *res)
{
    cJSON *p = cJSON_CreateObject(), *e;
    char ts[40], *text;
    if (err->code != LP_ECONFLICT) {
        lp_reply_error(r, err);
        cJSON_Delete(p);
        return;
    }
    cJSON_AddStringToObject(p, "type", "/problems/conflict");
    cJSON_AddStringToObject(p, "title", "Conflict");
    cJSON_AddNumberToObject(p, "status", 409);
    cJSON_AddStringToObject(p, "detail", err->msg);
    cJSON_AddStringToObject(p, "instance", evhttp_request_get_uri(r->ev));
    cJSON_AddStringToObject(p, "reason", res->why[0] ? res->why : "CONFLICT");
    if (res->suggest_ms >= 0) {
        lp_time_format(res->suggest_ms, ts, sizeof ts);
        cJSON_AddStringToObject(p, "suggested_slot", ts);
    } else {
        cJSON_AddNullToObject(p, "suggested_slot");
    }
    e = cJSON_AddArrayToObject(p, "errors");
    {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "pointer", "/slot");
        cJSON_AddStringToObject(f, "detail", err->msg);
        cJSON_AddItemToArray(e, f);
    }
    text = cJSON_PrintUnformatted(p);
    cJSON_Delete(p);
    lp_reply_text(r, 409, "application/problem+json", text, strlen(text));
    cJSON_free(text);
}

static void reply_booking(lp_req *r, int status, cJSON *rec)
{
    char loc[64];
    if (status == 201) {
        snprintf(loc, sizeof loc, "/api/v1/bookings/%" PRId64, lp_json_int(rec, "id", 0));
        evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
    }
    net__etag(r, rec);
    lp_reply_json(r, status, rec);
}

static int64_t path_id(lp_req *r)
{
    char *end;
    long long v = strtoll(r->params[0], &end, 10);
    return *end || v < 1 ? 0 : (int64_t)v;
}

void lp_h_bookings_create(lp_req *r)
{
    cJSON *rec = NULL;
    lp_booking_result res;
    int64_t slot = 0;
    lp_err err;
    lp_err_init(&err);
    net__yard_time(lp_json_str(r->body, "slot"), &slot);
    if (lp_bookings_create(r->store, &r->actor, lp_req_scope(r), lp_json_int(r->body, "declaration_id", 0), slot,
                           lp_json_int(r->body, "driver_id", 0), &rec, &res, &err)) {
        reply_refused(r, &err, &res);
        return;
    }
    reply_booking(r, 201, rec);
}

static void not_found(lp_req *r)
{
    lp_err err;
    lp_err_init(&err);
    lp_err_set(&err, LP_ENOTFOUND, "no booking with id '%.40s'", r->params[0]);
    lp_reply_error(r, &err);
}

/* The changes of an existing booking, one path each: the id, then the
 * store call, then the booking as it now is. */
typedef enum { BOOKING_REBOOK, BOOKING_CANCEL, BOOKING_CHANGE } booking_op;

static void booking_change(lp_req *r, booking_op op)
{
    cJSON *rec = NULL;
    lp_booking_result res = {-1, ""};
    int64_t slot = 0, id = path_id(r);
    int64_t scope = lp_req_scope(r);
    int rc;
    lp_err err;

    lp_err_init(&err);
    if (!id) {
        not_found(r);
        return;
    }
    if (op == BOOKING_REBOOK) {
        net__yard_time(lp_json_str(r->body, "slot"), &slot);
        rc = lp_bookings_rebook(r->store, &r->actor, scope, id, slot, &rec, &res, &err);
    } else if (op == BOOKING_CANCEL) {
        rc = lp_bookings_cancel(r->store, &r->actor, scope, id, lp_json_str(r->body, "reason"), &rec, &err);
    } else {
        rc = lp_bookings_change(r->store, &r->actor, scope, id, lp_json_int(r->body, "vehicle_id", 0),
                                lp_json_int(r->body, "driver_id", 0), &rec, &err);
    }
    if (rc) {
        if (op == BOOKING_REBOOK) reply_refused(r, &err, &res);
        else net__fail(r, &err, NULL);
        return;
    }
    reply_booking(r, 200, rec);
}

void lp_h_bookings_rebook(lp_req *r) { booking_change(r, BOOKING_REBOOK); }
void lp_h_bookings_cancel(lp_req *r) { booking_change(r, BOOKING_CANCEL); }
void lp_h_bookings_patch(lp_req *r) { booking_change(r, BOOKING_CHANGE); }

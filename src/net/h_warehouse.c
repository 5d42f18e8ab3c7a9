/* h_warehouse.c - warehouses, their storage units, availability over a
 * period and reservations of units (see h_warehouse.h).  Staff and devices
 * read the warehouses and units; the operator changes them; a company
 * reserves, sees and cancels only its own reservations. */
#include "h_warehouse.h"
#include "../core/ident.h"
#include "../core/wh.h"
#include "../os/vclock.h"
#include "../store/warehouse.h"

#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAX_ID 9007199254740991LL

/* Shared helpers ------------------------------------------------------------------ */

int net__wh_time(const char *text, const char *pointer, int64_t fallback, int64_t *ms, lp_err *err)
{
    *ms = fallback;
    if (!text) return LP_OK;
    if (lp_vclock_parse_time(text, ms) != LP_OK)
        return lp_err_field_add(err, pointer, "must be an RFC 3339 time, e.g. 2026-12-01T08:00:00+07:00");
    return LP_OK;
}

int net__wh_plate(const char *plate, const char *pointer, char *out, size_t n, lp_err *err)
{
    char why[160];
    if (plate && lp_ident_plate("VN", plate, out, n, NULL, 0) == LP_OK) return LP_OK;
    if (plate && lp_ident_plate("CN", plate, out, n, NULL, 0) == LP_OK) return LP_OK;
    if (plate) lp_ident_plate("VN", plate, NULL, 0, why, sizeof why);
    return lp_err_field_add(err, pointer, "is not a Vietnamese or Chinese plate%s%s", plate ? ": " : "",
                            plate ? why : "");
}

int net__wh_id(lp_req *r, const char *what, int64_t *id)
{
    char *end;
    long long v = strtoll(r->params[0], &end, 10);
    lp_err err;
    *id = v;
    if (!*end && v >= 1) return LP_OK;
    lp_err_init(&err);
    lp_err_set(&err, LP_ENOTFOUND, "no %s '%.40s'", what, r->params[0]);
    net__fail(r, &err, NULL);
    return LP_ENOTFOUND;
}

static int64_t now_of(lp_req *r)
{
    const lp_clock *ck = lp_store_clock(r->store);
    return ck->now_ms(ck->ud);
}

/* Warehouses ---------------------------------------------------------------------- */

static const char *const wh_statuses[] = {"open", "closed", NULL};

static const lp_jfield warehouse_patch_fields[] = {
    {"name", LP_J_STRING, 0, 1, 120, NULL, NULL, "Name", NULL},
    {"name_vi", LP_J_STRING, LP_JF_NULLABLE, 1, 120, NULL, NULL, "Name in Vietnamese", NULL},
    {"name_zh", LP_J_STRING, LP_JF_NULLABLE, 1, 120, NULL, NULL, "Name in Chinese", NULL},
    {"address", LP_J_STRING, LP_JF_NULLABLE, 1, 200, NULL, NULL, "Address", NULL},
    {"status", LP_J_ENUM, 0, 0, 0, wh_statuses, NULL, "open or closed", NULL},
    {"overstay_days", LP_J_INT, 0, 1, 365, NULL, NULL,
     "A lot on hand this many days overstays: listed in /warehouse-overstays and audited once", "30"},
    {"code_validity_minutes", LP_J_INT, 0, 5, 1440, NULL, NULL,
     "How long an access code is valid after it is issued (default 120)", "120"},
    {"max_code_attempts", LP_J_INT, 0, 1, 20, NULL, NULL,
     "Wrong attempts at the kiosk that lock a code for good (default 5)", "5"},
};
const lp_jspec lp_spec_warehouse_patch = {warehouse_patch_fields, N(warehouse_patch_fields)};

void lp_h_warehouses_list(lp_req *r) { net__list(r, &lp_tbl_warehouses, NULL, NULL); }
void lp_h_warehouses_get(lp_req *r) { net__get(r, &lp_tbl_warehouses, NULL); }
void lp_h_warehouses_patch(lp_req *r) { net__patch(r, &lp_tbl_warehouses, r->body, NULL, NULL); }

/* Storage units ------------------------------------------------------------------------ */

static const char *const unit_kinds[] = {"dry", "cold", "bonded", NULL};
static const char *const unit_statuses[] = {"available", "maintenance", "closed", NULL};

#define UNIT_FIELDS(req, idflag)                                                                                   \
    {"warehouse_id", LP_J_STRING, req | idflag, 1, 64, NULL, NULL, "The warehouse", "\"huunghi-bw1\""},          \
    {"code", LP_J_STRING, req | idflag, 1, 16, NULL, NULL, "Unit code, unique in its warehouse", "\"D-04\""},      \
    {"kind", LP_J_ENUM, req | idflag, 0, 0, unit_kinds, NULL,                                                      \
     "dry, cold (temperature controlled) or bonded (goods not yet cleared by customs)", "\"dry\""},               \
    {"area_m2", LP_J_INT, LP_JF_NULLABLE, 1, 100000, NULL, NULL, "Floor area in m²", "500"},                       \
    {"pallet_places", LP_J_INT, LP_JF_NULLABLE, 1, 100000, NULL, NULL, "Pallet places", NULL},                     \
    {"temp_min_c", LP_J_INT, LP_JF_NULLABLE, -40, 30, NULL, NULL, "Cold units: lowest temperature kept, °C", "2"}, \
    {"temp_max_c", LP_J_INT, LP_JF_NULLABLE, -40, 30, NULL, NULL, "Cold units: highest temperature kept, °C", "8"}, \
    {"status", LP_J_ENUM, req, 0, 0, unit_statuses, NULL, "Only available units can be reserved", "\"available\""}, \
    {"notes", LP_J_STRING, LP_JF_NULLABLE, 1, 200, NULL, NULL, "Notes", NULL}

static const lp_jfield unit_create_fields[] = {UNIT_FIELDS(LP_JF_REQUIRED, 0)};
const lp_jspec lp_spec_unit_create = {unit_create_fields, N(unit_create_fields)};
static const lp_jfield unit_patch_fields[] = {UNIT_FIELDS(0, LP_JF_CREATE_ONLY)};
const lp_jspec lp_spec_unit_patch = {unit_patch_fields, N(unit_patch_fields)};

const lp_qparam lp_query_wh_units[] = {
    {"from", "string", "Start of the period (RFC 3339); default now"},
    {"to", "string", "End of the period, exclusive (RFC 3339); default one hour after from"},
    {"kind", "string", "dry, cold or bonded"},
    {"free", "boolean", "true: only the units free over the whole period"},
    {0}};

/* The member of the body, else of the stored record. */
static const cJSON *pick(const cJSON *body, const cJSON *stored, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);
    return v ? v : cJSON_GetObjectItemCaseSensitive(stored, name);
}

/* Size and temperature range of the unit the body and stored record make. */
static void check_unit(const cJSON *body, const cJSON *stored, lp_err *err)
{
    const cJSON *kind = pick(body, stored, "kind"), *lo = pick(body, stored, "temp_min_c"),
                *hi = pick(body, stored, "temp_max_c"), *area = pick(body, stored, "area_m2"),
                *pallets = pick(body, stored, "pallet_places");
    int cold = cJSON_IsString(kind) && strcmp(kind->valuestring, "cold") == 0;
    if (!cJSON_IsNumber(area) && !cJSON_IsNumber(pallets))
        lp_err_field_add(err, "/area_m2", "a unit has a size: area_m2, pallet_places or both");
    if (cold && (!cJSON_IsNumber(lo) || !cJSON_IsNumber(hi)))
        lp_err_field_add(err, cJSON_IsNumber(lo) ? "/temp_max_c" : "/temp_min_c",
                         "a cold unit needs its temperature range (temp_min_c and temp_max_c)");
    else if (!cold && (cJSON_IsNumber(lo) || cJSON_IsNumber(hi)))
        lp_err_field_add(err, "/temp_min_c", "only cold units have a temperature range");
    else if (cold && lo->valuedouble >= hi->valuedouble)
        lp_err_field_add(err, "/temp_max_c", "must be above temp_min_c");
}

void lp_check_unit_create(lp_req *r, lp_err *err)
{
    const char *wh = lp_json_str(r->body, "warehouse_id");
    cJSON *rec = NULL;
    lp_err e;
    lp_err_init(&e);
    if (wh && lp_table_get(r->store, &lp_tbl_warehouses, wh, 0, &rec, &e))
        lp_err_field_add(err, "/warehouse_id", "no warehouse '%.64s'", wh);
    cJSON_Delete(rec);
    check_unit(r->body, NULL, err);
}

void lp_check_unit_patch(lp_req *r, lp_err *err)
{
    cJSON *stored = NULL;
    lp_err e;
    lp_err_init(&e);
    if (lp_table_get(r->store, &lp_tbl_storage_units, r->params[0], 0, &stored, &e)) return; /* the handler's 404 */
    check_unit(r->body, stored, err);
    cJSON_Delete(stored);
}

void lp_h_units_create(lp_req *r) { net__create(r, &lp_tbl_storage_units, NULL, r->body, "/code", NULL); }
void lp_h_units_get(lp_req *r) { net__get(r, &lp_tbl_storage_units, NULL); }
void lp_h_units_patch(lp_req *r) { net__patch(r, &lp_tbl_storage_units, r->body, NULL, NULL); }

void lp_h_wh_units(lp_req *r)
{
    const char *kind = lp_req_query(r, "kind"), *free_q = lp_req_query(r, "free");
    int64_t from = 0, to = 0;
    cJSON *items = NULL, *o;
    char a[40], b[40];
    lp_err err;

    lp_err_init(&err);
    net__wh_time(lp_req_query(r, "from"), "?from", now_of(r), &from, &err);
    net__wh_time(lp_req_query(r, "to"), "?to", from + 3600000, &to, &err);
    if (!err.code && to <= from) lp_err_field_add(&err, "?to", "must be after from");
    if (kind && lp_wh_kind_parse(kind) < 0) lp_err_field_add(&err, "?kind", "must be dry, cold or bonded");
    if (free_q && strcmp(free_q, "true") && strcmp(free_q, "false")) lp_err_field_add(&err, "?free", "must be true or false");
    if (err.code || lp_wh_units_free(r->store, r->params[0], kind, from, to, free_q && !strcmp(free_q, "true"), &items,
                                     &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "warehouse_id", r->params[0]);
    lp_time_format(from, a, sizeof a);
    lp_time_format(to, b, sizeof b);
    cJSON_AddStringToObject(o, "from", a);
    cJSON_AddStringToObject(o, "to", b);
    cJSON_AddItemToObject(o, "items", items);
    lp_reply_json(r, 200, o);
}

/* Reservations ---------------------------------------------------------------------------- */

static const lp_jfield reservation_fields[] = {
    {"company_id", LP_J_INT, 0, 1, MAX_ID, NULL, NULL,
     "The company reserving (required for staff; a company token reserves for itself)", NULL},
    {"unit_id", LP_J_INT, LP_JF_REQUIRED, 1, MAX_ID, NULL, NULL, "The storage unit", "1"},
    {"from", LP_J_STRING, LP_JF_REQUIRED, 10, 40, NULL, NULL, "Start (RFC 3339), inclusive",
     "\"2026-12-01T08:00:00+07:00\""},
    {"to", LP_J_STRING, LP_JF_REQUIRED, 10, 40, NULL, NULL, "End (RFC 3339), exclusive",
     "\"2026-12-08T08:00:00+07:00\""},
    {"note", LP_J_STRING, LP_JF_NULLABLE, 1, 200, NULL, NULL, "For people", NULL},
};
const lp_jspec lp_spec_wh_reservation = {reservation_fields, N(reservation_fields)};

const lp_qparam lp_query_wh_reservations[] = {
    {"company_id", "integer", "The reserving company"}, {"unit_id", "integer", "The storage unit"},
    {"warehouse_id", "string", "The warehouse"},         {"status", "string", "active or cancelled"},
    {0}};
static const char *const reservation_filters[] = {"company_id", "unit_id", "warehouse_id", "status", NULL};

void lp_check_wh_reservation(lp_req *r, lp_err *err)
{
    int64_t from = 0, to = 0;
    if (net__owner(r, r->body, "reservations", err) == LP_EFORBIDDEN) return;
    net__wh_time(lp_json_str(r->body, "from"), "/from", 0, &from, err);
    net__wh_time(lp_json_str(r->body, "to"), "/to", 0, &to, err);
    if (from && to && to <= from) lp_err_field_add(err, "/to", "must be after from");
}

void lp_h_wh_reservations_create(lp_req *r)
{
    int64_t from = 0, to = 0, conflict = 0;
    cJSON *rec = NULL;
    char loc[96];
    lp_err err;

    lp_err_init(&err);
    net__wh_time(lp_json_str(r->body, "from"), "/from", 0, &from, &err);
    net__wh_time(lp_json_str(r->body, "to"), "/to", 0, &to, &err);
    if (lp_wh_reserve(r->store, &r->actor, lp_json_int(r->body, "company_id", 0), lp_json_int(r->body, "unit_id", 0),
                      from, to, lp_json_str(r->body, "note"), &rec, &conflict, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    snprintf(loc, sizeof loc, "%s/%" PRId64, r->route->pattern, lp_json_int(rec, "id", 0));
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
    net__etag(r, rec);
    lp_reply_json(r, 201, rec);
}

void lp_h_wh_reservations_list(lp_req *r) { net__list(r, &lp_tbl_wh_reservations, reservation_filters, NULL); }
void lp_h_wh_reservations_get(lp_req *r) { net__get(r, &lp_tbl_wh_reservations, NULL); }

void lp_h_wh_reservations_cancel(lp_req *r)
{
    cJSON *rec = NULL;
    int64_t id;
    lp_err err;
    lp_err_init(&err);
    if (net__wh_id(r, "reservation", &id)) return;
    if (lp_wh_reservation_cancel(r->store, &r->actor, id, lp_req_scope(r), &rec, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    net__etag(r, rec);
    lp_reply_json(r, 200, rec);
}

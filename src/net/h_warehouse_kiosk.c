/* h_warehouse_kiosk.c - one-time access codes and the kiosk's check-in and
 * check-out (see h_warehouse.h).  A company (or the operator for it) gets a
 * code for one drop-off or pick-up under its reservation, shown once; the
 * kiosk (device role) posts the code with the plate it read and the goods.
 * Refusals answer RFC 9457 problems with an "outcome" member naming the
 * reason (expired, used, wrong_plate, locked, customs_hold, ...), the same
 * name the audit event records. */
#include "h_warehouse.h"
#include "http_internal.h"
#include "../core/cargo.h"
#include "../store/warehouse.h"
#include "../store/warehouse_codes.h"
#include "../store/warehouse_stock.h"

#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAX_ID 9007199254740991LL
#define MAX_ITEMS 50

/* Codes ------------------------------------------------------------------------------- */

static const char *const purposes[] = {"drop_off", "pick_up", NULL};

static const lp_jfield code_fields[] = {
    {"purpose", LP_J_ENUM, LP_JF_REQUIRED, 0, 0, purposes, NULL, "drop_off (check-in) or pick_up (check-out)",
     "\"drop_off\""},
    {"declaration_id", LP_J_INT, LP_JF_REQUIRED, 1, MAX_ID, NULL, NULL,
     "The declaration the goods are recorded against; of the reservation's company", "1"},
    {"plate", LP_J_STRING, LP_JF_REQUIRED, 4, 20, NULL, NULL, "Plate of the vehicle that will come (VN or CN)",
     "\"29C-123.45\""},
    {"valid_minutes", LP_J_INT, 0, 1, 1440, NULL, NULL,
     "Validity from now; at most the warehouse's code_validity_minutes (the default)", "120"},
};
const lp_jspec lp_spec_wh_code = {code_fields, N(code_fields)};

const lp_qparam lp_query_wh_codes[] = {
    {"reservation_id", "integer", "Codes of this reservation"}, {"declaration_id", "integer", "Of this declaration"},
    {"status", "string", "active, used or locked"},               {"purpose", "string", "drop_off or pick_up"},
    {0}};
static const char *const code_filters[] = {"reservation_id", "declaration_id", "status", "purpose", NULL};

/* The body's plate in canonical form, or a field error. */
static void check_plate(lp_req *r, lp_err *err)
{
    char canon[64];
    const char *plate = lp_json_str(r->body, "plate");
    if (plate && net__wh_plate(plate, "/plate", canon, sizeof canon, err) == LP_OK)
        cJSON_ReplaceItemInObjectCaseSensitive(r->body, "plate", cJSON_CreateString(canon));
}

void lp_check_wh_code(lp_req *r, lp_err *err) { check_plate(r, err); }

void lp_h_wh_codes_create(lp_req *r)
{
    char code[LP_WH_CODE_MAX], loc[96];
    cJSON *rec = NULL;
    lp_wh_code_req rq;
    lp_err err;

    lp_err_init(&err);
    if (net__wh_id(r, "reservation", &rq.reservation_id)) return;
    rq.purpose = lp_json_str(r->body, "purpose");
    rq.declaration_id = lp_json_int(r->body, "declaration_id", 0);
    rq.plate = lp_json_str(r->body, "plate");
    rq.valid_minutes = (int)lp_json_int(r->body, "valid_minutes", 0);
    if (lp_wh_code_issue(r->store, &r->actor, lp_req_scope(r), &rq, code, &rec, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    /* The only time the secret leaves the server. */
    cJSON_AddStringToObject(rec, "code", code);
    snprintf(loc, sizeof loc, "/api/v1/warehouse-codes/%" PRId64, lp_json_int(rec, "id", 0));
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Cache-Control", "no-store");
    lp_reply_json(r, 201, rec);
    memset(code, 0, sizeof code);
}

void lp_h_wh_codes_list(lp_req *r) { net__list(r, &lp_tbl_wh_codes, code_filters, NULL); }
void lp_h_wh_codes_get(lp_req *r) { net__get(r, &lp_tbl_wh_codes, NULL); }

/* Kiosk --------------------------------------------------------------------------------- */

static const lp_jfield checkin_item_fields[] = {
    {"container", LP_J_STRING, 0, 11, 16, NULL, NULL, "Container number (ISO 6346, check digit verified)",
     "\"CSQU3054383\""},
    {"package_id", LP_J_STRING, 0, 1, 40, NULL, NULL, "Package or pallet id (instead of a container)", NULL},
    {"packages", LP_J_INT, LP_JF_REQUIRED, 1, 1000000, NULL, NULL, "Packages brought in", "800"},
    {"gross_kg", LP_J_NUMBER, LP_JF_REQUIRED, 0, 100000000, NULL, NULL, "Gross weight, kg (up to 3 decimals)",
     "18500.5"},
};
static const lp_jspec checkin_item = {checkin_item_fields, N(checkin_item_fields)};

#define KIOSK_FIELDS                                                                                              \
    {"code", LP_J_STRING, LP_JF_REQUIRED, 3, 40, NULL, NULL, "The access code as typed, e.g. 417-K7M3P9QX", NULL}, \
    {"plate", LP_J_STRING, LP_JF_REQUIRED, 4, 20, NULL, NULL, "Plate the kiosk's camera read", "\"29C-123.45\""}

static const lp_jfield checkin_fields[] = {
    KIOSK_FIELDS,
    {"items", LP_J_OBJECT_ARRAY, LP_JF_REQUIRED, 1, MAX_ITEMS, NULL, &checkin_item,
     "Containers or packages brought in: each becomes a stock lot", NULL},
};
const lp_jspec lp_spec_wh_checkin = {checkin_fields, N(checkin_fields)};

static const lp_jfield checkout_item_fields[] = {
    {"lot_id", LP_J_INT, LP_JF_REQUIRED, 1, MAX_ID, NULL, NULL, "The stock lot", "1"},
    {"packages", LP_J_INT, 0, 1, 1000000, NULL, NULL, "Packages taken; absent: everything on hand", "10"},
};
static const lp_jspec checkout_item = {checkout_item_fields, N(checkout_item_fields)};

static const lp_jfield checkout_fields[] = {
    KIOSK_FIELDS,
    {"items", LP_J_OBJECT_ARRAY, LP_JF_REQUIRED, 1, MAX_ITEMS, NULL, &checkout_item, "Lots (or parts) taken out",
     NULL},
};
const lp_jspec lp_spec_wh_checkout = {checkout_fields, N(checkout_fields)};

void lp_check_wh_checkin(lp_req *r, lp_err *err)
{
    cJSON *it;
    int i = 0;
    check_plate(r, err);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r->body, "items")) {
        const char *c = lp_json_str(it, "container"), *p = lp_json_str(it, "package_id");
        const cJSON *kg = cJSON_GetObjectItemCaseSensitive(it, "gross_kg");
        char ptr[48], canon[LP_CARGO_CONTAINER_SIZE], why[160];
        int64_t g;
        snprintf(ptr, sizeof ptr, "/items/%d", i);
        if (!c == !p) lp_err_field_add(err, ptr, "give either container or package_id");
        if (c) {
            snprintf(ptr, sizeof ptr, "/items/%d/container", i);
            if (lp_cargo_container(c, canon, sizeof canon, why, sizeof why)) lp_err_field_add(err, ptr, "%s", why);
            else cJSON_ReplaceItemInObjectCaseSensitive(it, "container", cJSON_CreateString(canon));
        }
        snprintf(ptr, sizeof ptr, "/items/%d/gross_kg", i);
        if (cJSON_IsNumber(kg) && lp_cargo_kg_grams(kg->valuedouble, &g, why, sizeof why))
            lp_err_field_add(err, ptr, "%s", why);
        i++;
    }
}

void lp_check_wh_checkout(lp_req *r, lp_err *err) { check_plate(r, err); }

/* A refusal: the problem for err with the outcome as an extension member. */
static void reply_refusal(lp_req *r, lp_wh_outcome o, const lp_err *err)
{
    int status = err->code == LP_EFORBIDDEN ? 403 : err->code == LP_ENOTFOUND ? 404
                 : err->code == LP_ECONFLICT ? 409 : 0;
    cJSON *p, *errs;
    char *text;
    int i;
    if (!status || o == LP_WH_ACCEPTED) {
        net__fail(r, (lp_err *)err, NULL);
        return;
    }
    p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "type", status == 403 ? "/problems/access-refused" : "/problems/conflict");
    cJSON_AddStringToObject(p, "title", status == 403 ? "Forbidden" : status == 404 ? "Not Found" : "Conflict");
    cJSON_AddNumberToObject(p, "status", status);
    cJSON_AddStringToObject(p, "detail", err->msg);
    cJSON_AddStringToObject(p, "instance", ((net__req_state *)r)->path);
    cJSON_AddStringToObject(p, "outcome", lp_wh_outcome_name(o));
    errs = cJSON_AddArrayToObject(p, "errors");
    for (i = 0; i < err->nfields; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "pointer", err->fields[i].pointer);
        cJSON_AddStringToObject(e, "detail", err->fields[i].msg);
        cJSON_AddItemToArray(errs, e);
    }
    text = cJSON_PrintUnformatted(p);
    cJSON_Delete(p);
    lp_reply_text(r, status, "application/problem+json", text, strlen(text));
    cJSON_free(text);
}

/* items of the body into it[0..*n). */
static void read_items(lp_req *r, lp_wh_item *it, int *n)
{
    cJSON *o;
    *n = 0;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(r->body, "items")) {
        const char *c = lp_json_str(o, "container");
        const cJSON *kg = cJSON_GetObjectItemCaseSensitive(o, "gross_kg");
        lp_wh_item *x = &it[(*n)++];
        memset(x, 0, sizeof *x);
        x->kind = c ? "container" : "package";
        x->ref = c ? c : lp_json_str(o, "package_id");
        x->packages = lp_json_int(o, "packages", 0);
        if (cJSON_IsNumber(kg)) lp_cargo_kg_grams(kg->valuedouble, &x->grams, NULL, 0);
        x->lot_id = lp_json_int(o, "lot_id", 0);
        if (*n == MAX_ITEMS) break;
    }
}

static void kiosk(lp_req *r, int checkin)
{
    lp_wh_item items[MAX_ITEMS];
    lp_wh_outcome o = LP_WH_ACCEPTED;
    cJSON *out = NULL;
    int n, rc;
    lp_err err;

    lp_err_init(&err);
    read_items(r, items, &n);
    rc = (checkin ? lp_wh_checkin : lp_wh_checkout)(r->store, &r->actor, lp_json_str(r->body, "code"),
                                                     lp_json_str(r->body, "plate"), items, n, &out, &o, &err);
    if (rc) {
        reply_refusal(r, o, &err);
        return;
    }
    cJSON_AddStringToObject(out, "outcome", lp_wh_outcome_name(LP_WH_ACCEPTED));
    lp_reply_json(r, checkin ? 201 : 200, out);
}

void lp_h_wh_checkin(lp_req *r) { kiosk(r, 1); }
void lp_h_wh_checkout(lp_req *r) { kiosk(r, 0); }

/* h_vehicles.c - vehicles (trucks and AGVs) with their plates and trailers.
 * A company registers and sees only its own; staff and devices (ANPR at the
 * yard and gate) read all. Plates are stored in canonical form. */
#include "handlers.h"
#include "../core/ident.h"
#include "../store/resources.h"

#include <stdio.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const countries[] = {"VN", "CN", NULL};
static const char *const kinds[] = {"truck", "agv", NULL};
static const char *const statuses[] = {"active", "inactive", NULL};

#define VEHICLE_FIELDS(req, idflag)                                                                        \
    {"company_id", LP_J_INT, idflag, 1, 9007199254740991LL, NULL, NULL,                                  \
     "Owner company (required for staff; a company token registers for itself)", "1"},                   \
    {"kind", LP_J_ENUM, req | idflag, 0, 0, kinds, NULL, "truck or agv (driverless electric truck)", NULL}, \
    {"plate_country", LP_J_ENUM, req | idflag, 0, 0, countries, NULL, "Country that issued the plate", "\"VN\""}, \
    {"plate", LP_J_STRING, req | idflag, 4, 20, NULL, NULL, "Plate, e.g. 29C-123.45 or 桂A12345", "\"29C-123.45\""}, \
    {"trailer_country", LP_J_ENUM, LP_JF_NULLABLE, 0, 0, countries, NULL, "Country of the trailer plate", NULL}, \
    {"trailer_plate", LP_J_STRING, LP_JF_NULLABLE, 4, 20, NULL, NULL, "Trailer plate (VN series R, CN ending 挂)", "\"29R-012.34\""}, \
    {"max_gross_kg", LP_J_INT, LP_JF_NULLABLE, 1000, 100000, NULL, NULL, "Maximum gross weight in kg", NULL}, \
    {"status", LP_J_ENUM, 0, 0, 0, statuses, NULL, "active or inactive", NULL}

static const lp_jfield create_fields[] = {VEHICLE_FIELDS(LP_JF_REQUIRED, 0)};
const lp_jspec lp_spec_vehicle_create = {create_fields, N(create_fields)};
static const lp_jfield patch_fields[] = {VEHICLE_FIELDS(0, LP_JF_CREATE_ONLY)};
const lp_jspec lp_spec_vehicle_patch = {patch_fields, N(patch_fields)};

static const char *const vehicle_filters[] = {"company_id", "kind", "plate", "plate_country", "status", NULL};

void lp_h_vehicles_list(lp_req *r) { net__list(r, &lp_tbl_vehicles, vehicle_filters, NULL); }
void lp_h_vehicles_get(lp_req *r) { net__get(r, &lp_tbl_vehicles, NULL); }

/* Normalises the trailer pair in values (both or neither; a trailer plate
 * must be a trailer's). */
static void check_trailer(cJSON *values, lp_err *err)
{
    const cJSON *tc = cJSON_GetObjectItemCaseSensitive(values, "trailer_country");
    const cJSON *tp = cJSON_GetObjectItemCaseSensitive(values, "trailer_plate");
    char canon[64], why[160];
    size_t n;
    if (!tc && !tp) return;
    if (!tc || !tp || cJSON_IsNull(tc) != cJSON_IsNull(tp)) {
        lp_err_field_add(err, tc ? "/trailer_plate" : "/trailer_country",
                         "trailer_country and trailer_plate go together (both, or both null)");
        return;
    }
    if (cJSON_IsNull(tp)) return;
    if (lp_ident_plate(tc->valuestring, tp->valuestring, canon, sizeof canon, why, sizeof why)) {
        lp_err_field_add(err, "/trailer_plate", "%s", why);
        return;
    }
    n = strlen(canon);
    if (strcmp(tc->valuestring, "VN") == 0 ? canon[2] != 'R' : (n < 3 || strcmp(canon + n - 3, "挂") != 0)) {
        lp_err_field_add(err, "/trailer_plate", "is not a trailer plate (Vietnam: series R; China: ends with 挂)");
        return;
    }
    cJSON_ReplaceItemInObjectCaseSensitive(values, "trailer_plate", cJSON_CreateString(canon));
}

/* A PATCH may change one half of the trailer pair; the other half is the
 * stored one. */
static void complete_trailer(lp_req *r, cJSON *values)
{
    int has_c = cJSON_GetObjectItemCaseSensitive(values, "trailer_country") != NULL;
    int has_p = cJSON_GetObjectItemCaseSensitive(values, "trailer_plate") != NULL;
    cJSON *cur = NULL, *v;
    lp_err e;
    if (has_c == has_p) return;
    lp_err_init(&e);
    if (lp_table_get(r->store, &lp_tbl_vehicles, r->params[0], lp_req_scope(r), &cur, &e)) return;
    v = cJSON_GetObjectItemCaseSensitive(cur, has_c ? "trailer_plate" : "trailer_country");
    if (v) cJSON_AddItemToObject(values, has_c ? "trailer_plate" : "trailer_country", cJSON_Duplicate(v, 1));
    cJSON_Delete(cur);
}

void lp_check_vehicle_create(lp_req *r, lp_err *err)
{
    const char *pc = lp_json_str(r->body, "plate_country"), *plate = lp_json_str(r->body, "plate");
    char canon[64], why[160];
    if (net__owner(r, r->body, "vehicles", err) == LP_EFORBIDDEN) return;
    if (pc && plate) {
        if (lp_ident_plate(pc, plate, canon, sizeof canon, why, sizeof why))
            lp_err_field_add(err, "/plate", "%s", why);
        else
            cJSON_ReplaceItemInObjectCaseSensitive(r->body, "plate", cJSON_CreateString(canon));
    }
    check_trailer(r->body, err);
}

void lp_check_vehicle_patch(lp_req *r, lp_err *err)
{
    complete_trailer(r, r->body);
    check_trailer(r->body, err);
}

void lp_h_vehicles_create(lp_req *r)
{
    net__create(r, &lp_tbl_vehicles, NULL, r->body, "/plate", NULL);
}

void lp_h_vehicles_patch(lp_req *r)
{
    net__patch(r, &lp_tbl_vehicles, r->body, NULL, NULL);
}

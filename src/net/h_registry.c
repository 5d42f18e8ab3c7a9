/* h_registry.c - the gate registry: the gate pair and its crossing points
 * (road-1088, tanthanh-1090, cocnam-1104, huunghi-main by default).  Every
 * role may read it; operators and admins change it. */
#include "handlers.h"
#include "../store/resources.h"
#include "h_agv.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const kinds[] = {"goods_road", "lane", "main_road", NULL};
static const char *const directions[] = {"export", "import", NULL};
static const char *const statuses[] = {"open", "closed", "restricted", NULL};

static const lp_jfield window_fields[] = {
    {"open", LP_J_STRING, LP_JF_REQUIRED, 5, 5, NULL, NULL, "Local time HH:MM (gate time zone)", "\"18:30\""},
    {"close", LP_J_STRING, LP_JF_REQUIRED, 5, 5, NULL, NULL, "Local time HH:MM, after open; 24:00 = midnight", "\"20:00\""},
};
static const lp_jspec window_spec = {window_fields, N(window_fields)};

#define POINT_FIELDS(req, idflag)                                                                          \
    {"gate_pair_id", LP_J_STRING, req | idflag, 1, 40, NULL, NULL, "The gate pair this point belongs to", "\"huu-nghi\""}, \
    {"name", LP_J_STRING, req, 1, 200, NULL, NULL, "Name (English)", NULL},                                \
    {"name_vi", LP_J_STRING, LP_JF_NULLABLE, 1, 200, NULL, NULL, "Name in Vietnamese", NULL},              \
    {"name_zh", LP_J_STRING, LP_JF_NULLABLE, 1, 200, NULL, NULL, "Name in Chinese", NULL},                 \
    {"kind", LP_J_ENUM, req, 0, 0, kinds, NULL, "Kind of crossing", NULL},                                 \
    {"markers", LP_J_STRING, req, 1, 60, NULL, NULL, "Border marker area", "\"1088/2–1089\""},             \
    {"directions", LP_J_ENUM_ARRAY, req, 1, 2, directions, NULL, "Directions of travel served", NULL},     \
    {"lanes", LP_J_INT, req, 1, 32, NULL, NULL, "Number of lanes", NULL},                                   \
    {"opening_hours", LP_J_OBJECT_ARRAY, req, 0, 8, NULL, &window_spec, "Daily opening windows", NULL},    \
    {"capacity_per_hour", LP_J_INT, req, 0, 10000, NULL, NULL, "Vehicles per hour it can clear", NULL},    \
    {"status", LP_J_ENUM, req, 0, 0, statuses, NULL, "Operating status", NULL},                            \
    {"agv", LP_J_BOOL, 0, 0, 0, NULL, NULL, "Whether driverless AGV trucks use it", NULL},                 \
    {"agv_windows", LP_J_OBJECT_ARRAY, 0, 0, 8, NULL, &window_spec, "Daily AGV operating windows", NULL},  \
    {"length_m", LP_J_INT, LP_JF_NULLABLE, 1, 1000000, NULL, NULL, "Length of the road in metres", NULL},  \
    {"notes", LP_J_STRING, LP_JF_NULLABLE, 0, 1000, NULL, NULL, "Free text", NULL}

static const lp_jfield point_create_fields[] = {
    {"id", LP_J_STRING, LP_JF_REQUIRED, 2, 40, NULL, NULL, "Identifier: lower-case letters, digits and '-'", "\"road-1088\""},
    POINT_FIELDS(LP_JF_REQUIRED, 0),
};
const lp_jspec lp_spec_crossing_point_create = {point_create_fields, N(point_create_fields)};

static const lp_jfield point_patch_fields[] = {POINT_FIELDS(0, LP_JF_CREATE_ONLY)};
const lp_jspec lp_spec_crossing_point_patch = {point_patch_fields, N(point_patch_fields)};

void lp_h_gates_list(lp_req *r) { net__list(r, &lp_tbl_gate_pairs, NULL, NULL); }
void lp_h_gates_get(lp_req *r) { net__get(r, &lp_tbl_gate_pairs, NULL); }

static const char *const point_filters[] = {"gate_pair_id", "kind", "status", "agv", NULL};
void lp_h_points_list(lp_req *r) { net__list(r, &lp_tbl_crossing_points, point_filters, NULL); }
void lp_h_points_get(lp_req *r) { net__get(r, &lp_tbl_crossing_points, NULL); }

/* "HH:MM" to minutes after midnight; 24:00 allowed as an end. -1 if malformed. */
static int minutes(const char *s, int allow_24)
{
    int h, m;
    if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
        !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return -1;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24))) return -1;
    return h * 60 + m;
}

/* Windows must be well-formed, each open before close, and not overlap. */
static void check_windows(const cJSON *arr, const char *name, lp_err *err)
{
    int open[8], close[8], n = 0, i, j;
    const cJSON *w;
    char ptr[64];
    if (!cJSON_IsArray(arr)) return;
    cJSON_ArrayForEach(w, arr) {
        const char *o = lp_json_str(w, "open"), *c = lp_json_str(w, "close");
        int om = o ? minutes(o, 0) : -1, cm = c ? minutes(c, 1) : -1;
        if (n >= 8) break;
        snprintf(ptr, sizeof ptr, "/%s/%d/open", name, n);
        if (o && om < 0) lp_err_field_add(err, ptr, "must be a time HH:MM from 00:00 to 23:59");
        snprintf(ptr, sizeof ptr, "/%s/%d/close", name, n);
        if (c && cm < 0) lp_err_field_add(err, ptr, "must be a time HH:MM from 00:01 to 24:00");
        else if (om >= 0 && cm >= 0 && cm <= om) lp_err_field_add(err, ptr, "must be after open (%s)", o);
        open[n] = om;
        close[n] = cm;
        n++;
    }
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            if (open[i] >= 0 && open[j] >= 0 && close[i] > open[i] && close[j] > open[j] &&
                open[i] < close[j] && open[j] < close[i]) {
                snprintf(ptr, sizeof ptr, "/%s/%d", name, j);
                lp_err_field_add(err, ptr, "overlaps window %d", i);
            }
}

static int gate_pair_exists(lp_req *r, const char *id)
{
    cJSON *rec = NULL;
    lp_err e;
    int rc;
    lp_err_init(&e);
    rc = lp_table_get(r->store, &lp_tbl_gate_pairs, id, 0, &rec, &e);
    cJSON_Delete(rec);
    return rc == LP_OK;
}

static void check_point(lp_req *r, const cJSON *b, lp_err *err)
{
    const char *gp = lp_json_str(b, "gate_pair_id");
    check_windows(cJSON_GetObjectItemCaseSensitive(b, "opening_hours"), "opening_hours", err);
    check_windows(cJSON_GetObjectItemCaseSensitive(b, "agv_windows"), "agv_windows", err);
    if (gp && !gate_pair_exists(r, gp)) lp_err_field_add(err, "/gate_pair_id", "no gate pair '%s'", gp);
}

void lp_check_point_create(lp_req *r, lp_err *err)
{
    const char *id = lp_json_str(r->body, "id"), *p;
    for (p = id; p && *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-')) {
            lp_err_field_add(err, "/id", "may hold only lower-case letters, digits and '-'");
            break;
        }
    check_point(r, r->body, err);
}

void lp_check_point_patch(lp_req *r, lp_err *err)
{
    check_point(r, r->body, err);
}

void lp_h_points_create(lp_req *r)
{
    cJSON *values = cJSON_Duplicate(r->body, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(values, "id");
    if (!cJSON_GetObjectItemCaseSensitive(values, "agv_windows"))
        cJSON_AddItemToObject(values, "agv_windows", cJSON_CreateArray());
    net__create(r, &lp_tbl_crossing_points, lp_json_str(r->body, "id"), values, "/id", NULL);
    cJSON_Delete(values);
    lp_h_agv_windows_refresh(r);
}

void lp_h_points_patch(lp_req *r)
{
    net__patch(r, &lp_tbl_crossing_points, r->body, NULL, NULL);
    lp_h_agv_windows_refresh(r);
}

/* h_yard.c - the electronic parking yard over HTTP: yards with their bays
 * and occupancy, the ANPR reads devices post at a yard's entry and exit
 * (each stored with its outcome and audited), and the visits they open and
 * close.  The decisions are store/yardstore.c's and core/yard.c's. */
#include "h_yard.h"
#include "../core/ident.h"
#include "../core/yard.h"
#include "../store/queuestore.h"
#include "../store/resources.h"
#include "../store/yardstore.h"

#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const directions[] = {"export", "import", NULL};
static const char *const gates[] = {"entry", "exit", NULL};

/* Yards ------------------------------------------------------------------------------ */

const lp_qparam lp_query_yards[] = {
    {"crossing_point_id", "string", "Only this crossing point's yards"},
    {"direction", "string", "export or import"},
    {0}};

static const lp_jfield bays_fields[] = {
    {"normal", LP_J_INT, LP_JF_REQUIRED, 0, 999, NULL, NULL, "Normal bays (ids A-001 ...)", "200"},
    {"refrigerated", LP_J_INT, LP_JF_REQUIRED, 0, 999, NULL, NULL, "Bays with reefer power (R-001 ...)", "20"},
    {"dangerous", LP_J_INT, LP_JF_REQUIRED, 0, 999, NULL, NULL, "Dangerous goods bays (D-001 ...)", "8"},
};
static const lp_jspec bays_spec = {bays_fields, N(bays_fields)};

static const lp_jfield yard_fields[] = {
    {"id", LP_J_STRING, LP_JF_REQUIRED, 2, 40, NULL, NULL, "Yard id: lower-case letters, digits and '-'",
     "\"cocnam-export\""},
    {"crossing_point_id", LP_J_STRING, LP_JF_REQUIRED, 2, 40, NULL, NULL, "The crossing point it serves",
     "\"cocnam-1104\""},
    {"direction", LP_J_ENUM, LP_JF_REQUIRED, 0, 0, directions, NULL, "The direction its trucks go", NULL},
    {"name", LP_J_STRING, LP_JF_REQUIRED, 1, 120, NULL, NULL, "For people", "\"Cốc Nam export yard\""},
    {"bays", LP_J_OBJECT, LP_JF_REQUIRED, 0, 0, NULL, &bays_spec, "How many bays of each kind", NULL},
};
const lp_jspec lp_spec_yard_create = {yard_fields, N(yard_fields)};

void lp_check_yard_create(lp_req *r, lp_err *err)
{
    const char *id = lp_json_str(r->body, "id"), *point = lp_json_str(r->body, "crossing_point_id");
    cJSON *rec = NULL;
    lp_err e;
    if (id && strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(id))
        lp_err_field_add(err, "/id", "may hold lower-case letters, digits and '-' only");
    if (!point) return;
    lp_err_init(&e);
    if (lp_table_get(r->store, &lp_tbl_crossing_points, point, 0, &rec, &e))
        lp_err_field_add(err, "/crossing_point_id", "no crossing point '%.40s'", point);
    cJSON_Delete(rec);
}

static void decorate_yard(lp_req *r, cJSON *rec)
{
    lp_err e;
    lp_err_init(&e);
    lp_yardstore_occupancy(r->store, rec, &e);
}

static const char *const yard_filters[] = {"crossing_point_id", "direction", NULL};

void lp_h_yards_list(lp_req *r) { net__list(r, &lp_tbl_yards, yard_filters, decorate_yard); }
void lp_h_yards_get(lp_req *r) { net__get(r, &lp_tbl_yards, decorate_yard); }

void lp_h_yards_create(lp_req *r)
{
    const cJSON *bays = cJSON_GetObjectItemCaseSensitive(r->body, "bays");
    lp_yard_spec y;
    cJSON *rec = NULL;
    char loc[96];
    lp_err err;

    lp_err_init(&err);
    memset(&y, 0, sizeof y);
    y.id = lp_json_str(r->body, "id");
    y.crossing_point_id = lp_json_str(r->body, "crossing_point_id");
    y.direction = lp_json_str(r->body, "direction");
    y.name = lp_json_str(r->body, "name");
    y.bays[LP_BAY_NORMAL] = (int)lp_json_int(bays, "normal", 0);
    y.bays[LP_BAY_REFRIGERATED] = (int)lp_json_int(bays, "refrigerated", 0);
    y.bays[LP_BAY_DANGEROUS] = (int)lp_json_int(bays, "dangerous", 0);
    if (lp_yardstore_create(r->store, &r->actor, &y, &rec, &err)) {
        net__fail(r, &err, "/id");
        return;
    }
    decorate_yard(r, rec);
    snprintf(loc, sizeof loc, "/api/v1/yards/%s", y.id);
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
    net__etag(r, rec);
    lp_reply_json(r, 201, rec);
}

/* Reads ------------------------------------------------------------------------------- */

static const lp_jfield plate_read_fields[] = {
    {"text", LP_J_STRING, LP_JF_REQUIRED, 0, 32, NULL, NULL, "What the camera read; \"\" when nothing", "\"29C-123.45\""},
    {"confidence", LP_J_INT, LP_JF_REQUIRED, 0, 1000, NULL, NULL, "Reader confidence, per mille", "960"},
};
static const lp_jspec plate_read_spec = {plate_read_fields, N(plate_read_fields)};

static const lp_jfield read_fields[] = {
    {"yard_id", LP_J_STRING, LP_JF_REQUIRED, 2, 40, NULL, NULL, "The yard whose gate read", "\"huu-nghi-export\""},
    {"gate", LP_J_ENUM, LP_JF_REQUIRED, 0, 0, gates, NULL, "entry or exit", NULL},
    {"plate", LP_J_OBJECT, LP_JF_REQUIRED, 0, 0, NULL, &plate_read_spec, "The ANPR read {text, confidence}", NULL},
    {"read_at", LP_J_STRING, 0, 1, 40, NULL, NULL,
     "When the camera read it (RFC 3339 or ms since 1970); default: now. Reads may arrive late.", NULL},
};
const lp_jspec lp_spec_yard_read = {read_fields, N(read_fields)};

void lp_check_yard_read(lp_req *r, lp_err *err)
{
    const char *at = lp_json_str(r->body, "read_at");
    int64_t t;
    if (at && net__yard_time(at, &t)) lp_err_field_add(err, "/read_at", "must be an RFC 3339 time or ms since 1970");
}

void lp_h_yard_reads_create(lp_req *r)
{
    const cJSON *plate = cJSON_GetObjectItemCaseSensitive(r->body, "plate");
    const char *text = lp_json_str(plate, "text"), *at = lp_json_str(r->body, "read_at"), *gate = lp_json_str(r->body, "gate");
    char canon[64];
    lp_yard_read_req rq;
    cJSON *rec = NULL;
    lp_err err;

    lp_err_init(&err);
    memset(&rq, 0, sizeof rq);
    rq.yard_id = lp_json_str(r->body, "yard_id");
    rq.gate = gate && strcmp(gate, "exit") == 0 ? LP_YARD_GATE_EXIT : LP_YARD_GATE_ENTRY;
    rq.confidence = (int)lp_json_int(plate, "confidence", 0);
    rq.read_at = net__yard_now(r);
    if (at) net__yard_time(at, &rq.read_at);
    rq.device = r->who.name;
    /* A text that is no Vietnamese or Chinese plate was misread: it is
     * recorded as such (confidence 0, so nothing is decided on it). */
    if (text && (lp_ident_plate("VN", text, canon, sizeof canon, NULL, 0) == LP_OK ||
                 lp_ident_plate("CN", text, canon, sizeof canon, NULL, 0) == LP_OK) &&
        strlen(canon) < LP_YARD_PLATE_MAX) {
        rq.plate = canon;
    } else {
        snprintf(canon, sizeof canon, "%s", text && *text && strlen(text) < LP_YARD_PLATE_MAX ? text : "?");
        rq.plate = canon;
        rq.confidence = 0;
    }
    if (lp_yardstore_read(r->store, &r->actor, &rq, &rec, &err)) {
        if (err.code == LP_ENOTFOUND) {
            lp_err e;
            lp_err_init(&e);
            lp_err_field_add(&e, "/yard_id", "no yard '%.40s'", rq.yard_id);
            lp_reply_error(r, &e);
            return;
        }
        net__fail(r, &err, NULL);
        return;
    }
    lp_reply_json(r, 201, rec);
}

const lp_qparam lp_query_yard_reads[] = {
    {"yard_id", "string", "Only this yard's reads"},
    {"plate", "string", "Exact plate (canonical form)"},
    {"outcome", "string", "e.g. admitted, refused_full, duplicate_read, out_of_order"},
    {"gate", "string", "entry or exit"},
    {0}};

static const char *const read_filters[] = {"yard_id", "plate", "outcome", "gate", NULL};

void lp_h_yard_reads_list(lp_req *r) { net__list(r, &lp_tbl_yard_reads, read_filters, NULL); }

/* Visits ------------------------------------------------------------------------------ */

const lp_qparam lp_query_yard_visits[] = {
    {"yard_id", "string", "Only this yard's visits"},
    {"status", "string", "inside or exited"},
    {"plate", "string", "Exact plate (canonical form)"},
    {"booking_id", "integer", "The visit of this booking"},
    {0}};

static const char *const visit_filters[] = {"yard_id", "status", "plate", "booking_id", NULL};

/* Adds the truck's queue state: position and estimated wait. */
static void decorate_visit(lp_req *r, cJSON *rec)
{
    int pos = 0;
    int64_t eta = 0;
    char state[16] = "";
    cJSON *q;
    lp_err e;
    lp_err_init(&e);
    if (lp_queuestore_position(r->store, lp_json_int(rec, "id", 0), &pos, &eta, state, &e) || !state[0]) {
        cJSON_AddNullToObject(rec, "queue");
        return;
    }
    q = cJSON_AddObjectToObject(rec, "queue");
    cJSON_AddStringToObject(q, "state", state);
    cJSON_AddNumberToObject(q, "position", pos);
    if (eta == LP_QUEUE_ETA_UNKNOWN) cJSON_AddNullToObject(q, "eta_s");
    else cJSON_AddNumberToObject(q, "eta_s", (double)(eta / 1000));
}

void lp_h_yard_visits_list(lp_req *r) { net__list(r, &lp_tbl_yard_visits, visit_filters, NULL); }
void lp_h_yard_visits_get(lp_req *r) { net__get(r, &lp_tbl_yard_visits, decorate_visit); }

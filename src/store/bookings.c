/* bookings.c - slot quotas and bookings in the store (see bookings.h).
 * Each change loads the lane's quota row (locked on PostgreSQL; SQLite's
 * write transaction is exclusive already) and the active bookings of the
 * hours lp_slots may look at, runs lp_slots, and writes what it decided. */
#include "bookings.h"
#include "resources.h"
#include "yardstore.h"
#include "../core/mem.h"
#include "../core/slots.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const lp_col quota_cols[] = {
    {"crossing_point_id", LP_COL_TEXT}, {"direction", LP_COL_TEXT}, {"quota", LP_COL_JSON},
};
const lp_table lp_tbl_slot_quotas = {"slot_quotas", "slot_quota", 1, NULL, quota_cols, N(quota_cols)};

static const lp_col booking_cols[] = {
    {"company_id", LP_COL_INT}, {"declaration_id", LP_COL_INT}, {"crossing_point_id", LP_COL_TEXT},
    {"direction", LP_COL_TEXT}, {"slot_at", LP_COL_TIME}, {"vehicle_id", LP_COL_INT}, {"plate", LP_COL_TEXT},
    {"driver_id", LP_COL_INT}, {"status", LP_COL_TEXT}, {"rebookings", LP_COL_INT}, {"reason", LP_COL_TEXT},
};
const lp_table lp_tbl_bookings = {"bookings", "booking", 0, "company_id", booking_cols, N(booking_cols)};

static int64_t now_ms(lp_store *st)
{
    const lp_clock *c = lp_store_clock(st);
    return c->now_ms(c->ud);
}

/* Quotas -------------------------------------------------------------------- */

/* Minutes of "HH:MM", or -1. */
static int minutes(const char *s)
{
    int h, m;
    char tail;
    if (!s || sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 24 || m < 0 || m > 59) return -1;
    return h * 60 + m;
}

int lp_bookings_quota_ensure(lp_store *st, const lp_actor *who, const char *point, const char *dir, lp_err *err)
{
    cJSON *cp = NULL, *row = NULL, *v = NULL, *q;
    const cJSON *iv;
    char id[96];
    int quota[24] = {0}, h, per, rc;
    lp_err e;

    snprintf(id, sizeof id, "%s:%s", point, dir);
    lp_err_init(&e);
    if (lp_table_get(st, &lp_tbl_slot_quotas, id, 0, &row, &e) == LP_OK) {
        cJSON_Delete(row);
        return LP_OK;
    }
    rc = lp_table_get(st, &lp_tbl_crossing_points, point, 0, &cp, err);
    if (rc) return rc;
    per = (int)((lp_json_int(cp, "capacity_per_hour", 0) + 1) / 2);
    if (per > 10000) per = 10000;
    /* An hour is open when it starts inside an opening interval. */
    cJSON_ArrayForEach(iv, cJSON_GetObjectItemCaseSensitive(cp, "opening_hours")) {
        int o = minutes(lp_json_str(iv, "open")), c = minutes(lp_json_str(iv, "close"));
        if (o < 0 || c < 0) continue;
        for (h = 0; h < 24; h++)
            if (h * 60 >= o && h * 60 < c) quota[h] = per;
    }
    v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "crossing_point_id", point);
    cJSON_AddStringToObject(v, "direction", dir);
    q = cJSON_AddArrayToObject(v, "quota");
    for (h = 0; h < 24; h++) cJSON_AddItemToArray(q, cJSON_CreateNumber(quota[h]));
    rc = lp_table_insert(st, &lp_tbl_slot_quotas, who, id, v, NULL, err);
    cJSON_Delete(v);
    cJSON_Delete(cp);
    return rc;
}

/* The lane in memory ----------------------------------------------------------- */

/* One lane's quota and the active bookings lp_slots needs, with their ids
 * in the store (ids[i] for bookings[i]; 0 for a free entry). */
typedef struct lane_book {
    lp_slots_lane lane;
    lp_slots_booking *b;
    int64_t *ids;
    int n, cap;
    lp_slots s;
} lane_book;

static void lane_free(lane_book *lb)
{
    lp_free(lb->b);
    lp_free(lb->ids);
}

static void lane_add(lane_book *lb, lp_db_res *r, int row)
{
    lp_slots_booking *b = &lb->b[lb->n];
    memset(b, 0, sizeof *b);
    b->active = 1;
    b->lane = 0;
    b->hour_ms = lp_db_res_int(r, row, 1);
    b->rebookings = (int)lp_db_res_int(r, row, 2);
    snprintf(b->plate, sizeof b->plate, "%s", lp_db_res_text(r, row, 3));
    snprintf(b->driver, sizeof b->driver, "%s", lp_db_res_text(r, row, 4));
    lb->ids[lb->n++] = lp_db_res_int(r, row, 0);
}

/* Loads the lane of point/dir (quota row locked) with booking `first` (0:
 * none) at index 0 and the other active bookings of the hours from
 * hour_ms to the end of lp_slots' search for a free hour. */
static int lane_load(lp_store *st, const char *point, const char *dir, int64_t hour_ms, int64_t first,
                     const lp_yard_settings *ys, lane_book *lb, lp_err *err)
{
    lp_db *db = lp_store_db(st);
    const char *cols = "SELECT id, slot_at, rebookings, plate, COALESCE(driver_id, 0) FROM bookings";
    char id[96], sql[512];
    lp_db_res *r = NULL, *rq = NULL;
    const cJSON *it;
    cJSON *quota = NULL;
    int i = 0, rc, rows;
    lp_slots_rules rules;

    memset(lb, 0, sizeof *lb);
    snprintf(id, sizeof id, "%s:%s", point, dir);
    snprintf(sql, sizeof sql, "SELECT quota FROM slot_quotas WHERE id = ?%s",
             lp_db_dialect_of(db) == LP_DB_PG ? " FOR UPDATE" : "");
    rc = lp_db_query(db, sql, (lp_db_val[]){LP_DB_S(id)}, 1, &rq, err);
    if (rc) goto out;
    if (lp_db_res_nrows(rq) == 0) {
        rc = lp_err_set(err, LP_ENOTFOUND, "no slot quota for %s %s", point, dir);
        goto out;
    }
    quota = cJSON_Parse(lp_db_res_text(rq, 0, 0));
    snprintf(lb->lane.point, sizeof lb->lane.point, "%s", point);
    lb->lane.dir = strcmp(dir, "import") == 0 ? LP_SLOTS_IMPORT : LP_SLOTS_EXPORT;
    cJSON_ArrayForEach(it, quota) if (i < 24) lb->lane.quota[i++] = (int)it->valuedouble;
    {
        lp_db_val p[5] = {LP_DB_S(point), LP_DB_S(dir), LP_DB_I(hour_ms - LP_SLOTS_HOUR_MS),
                          LP_DB_I(hour_ms + (LP_SLOTS_SUGGEST_HOURS + 2) * LP_SLOTS_HOUR_MS), LP_DB_I(first)};
        snprintf(sql, sizeof sql,
                 "%s WHERE crossing_point_id = ? AND direction = ? AND status IN ('active', 'arrived')"
                 " AND slot_at >= ?"
                 " AND slot_at <= ? AND id <> ? ORDER BY id",
                 cols);
        rc = lp_db_query(db, sql, p, 5, &r, err);
        if (rc) goto out;
    }
    rows = lp_db_res_nrows(r);
    lb->cap = rows + 2;
    lb->b = lp_calloc((size_t)lb->cap, sizeof *lb->b);
    lb->ids = lp_calloc((size_t)lb->cap, sizeof *lb->ids);
    if (first) {
        lp_db_res *rf = NULL;
        snprintf(sql, sizeof sql, "%s WHERE id = ? AND status = 'active'", cols);
        rc = lp_db_query(db, sql, (lp_db_val[]){LP_DB_I(first)}, 1, &rf, err);
        if (rc == LP_OK && lp_db_res_nrows(rf) == 0)
            rc = lp_err_set(err, LP_ECONFLICT, "booking %" PRId64 " is not active", first);
        if (rc == LP_OK) lane_add(lb, rf, 0);
        lp_db_res_free(rf);
        if (rc) goto out;
    }
    for (i = 0; i < rows; i++) lane_add(lb, r, i);
    rules.min_notice_ms = ys->min_notice_ms;
    rules.max_rebookings = ys->max_rebookings;
    /* lp_slots_init marks every entry free; the loaded ones are put back. */
    {
        lp_slots_booking *keep = lp_malloc((size_t)lb->cap * sizeof *keep);
        memcpy(keep, lb->b, (size_t)lb->cap * sizeof *keep);
        rc = lp_slots_init(&lb->s, &lb->lane, 1, lb->b, lb->cap, &rules);
        memcpy(lb->b, keep, (size_t)lb->n * sizeof *keep);
        lp_free(keep);
        if (rc) rc = lp_err_set(err, LP_ESTORE, "the slot quota of %s %s is out of range", point, dir);
    }
out:
    cJSON_Delete(quota);
    lp_db_res_free(r);
    lp_db_res_free(rq);
    return rc;
}

/* Fills res and err from a refused outcome; returns its status. */
static int refused(int rc, const lp_slots_outcome *o, lp_booking_result *res, lp_err *err)
{
    res->suggest_ms = o->suggest_ms;
    snprintf(res->why, sizeof res->why, "%s", lp_slots_result_name(o->result));
    if (o->result == LP_SLOTS_BAD_INPUT) return lp_err_field_add(err, "/slot", "%s", o->msg);
    return lp_err_set(err, rc, "%s", o->msg);
}

/* Create ------------------------------------------------------------------------ */

static int one_int(lp_store *st, const char *sql, const lp_db_val *p, int n, int64_t *out, lp_err *err)
{
    lp_db_res *r = NULL;
    int rc = lp_db_query(lp_store_db(st), sql, p, n, &r, err);
    *out = rc == LP_OK && lp_db_res_nrows(r) > 0 ? lp_db_res_int(r, 0, 0) : 0;
    lp_db_res_free(r);
    return rc;
}

/* 1 if driver id works for company (and is active). */
static int driver_ok(lp_store *st, int64_t company, int64_t driver, lp_err *err)
{
    int64_t n = 0;
    lp_db_val p[2] = {LP_DB_I(driver), LP_DB_I(company)};
    if (one_int(st, "SELECT COUNT(*) FROM drivers WHERE id = ? AND company_id = ? AND status = 'active'", p, 2, &n,
                err))
        return 0;
    return n > 0;
}

static int in_tx_fail(lp_store *st, int rc)
{
    lp_store_rollback(st);
    return rc;
}

int lp_bookings_create(lp_store *st, const lp_actor *who, int64_t company, int64_t decl_id, int64_t slot_ms,
                       int64_t driver_id, cJSON **out, lp_booking_result *res, lp_err *err)
{
    cJSON *decl = NULL, *v = NULL;
    const char *status, *point, *dir, *plate;
    char ids[32], drv[32];
    int64_t cid, other = 0;
    lp_yard_settings ys;
    lane_book lb;
    lp_slots_outcome o;
    int rc, slot;

    *out = NULL;
    res->suggest_ms = -1;
    res->why[0] = '\0';
    memset(&lb, 0, sizeof lb);
    rc = lp_store_begin(st, err);
    if (rc) return rc;
    snprintf(ids, sizeof ids, "%" PRId64, decl_id);
    if ((rc = lp_table_get(st, &lp_tbl_declarations, ids, company, &decl, err))) {
        if (rc == LP_ENOTFOUND) {
            lp_err_init(err);
            rc = lp_err_field_add(err, "/declaration_id", "no declaration %" PRId64 " of yours", decl_id);
        }
        goto out;
    }
    status = lp_json_str(decl, "status");
    point = lp_json_str(decl, "crossing_point_id");
    dir = lp_json_str(decl, "direction");
    plate = lp_json_str(decl, "vehicle_plate");
    cid = lp_json_int(decl, "company_id", 0);
    if (!lp_json_str(decl, "transport") || strcmp(lp_json_str(decl, "transport"), "truck") != 0 || !plate) {
        rc = lp_err_field_add(err, "/declaration_id", "only a truck's declaration books a slot (AGVs run by mission)");
        goto out;
    }
    if (!status || (strcmp(status, "pending") && strcmp(status, "held") && strcmp(status, "cleared"))) {
        rc = lp_err_set(err, LP_ECONFLICT, "declaration %" PRId64 " is %s: only a pending, held or cleared one books",
                        decl_id, status ? status : "?");
        snprintf(res->why, sizeof res->why, "DECLARATION_STATUS");
        goto out;
    }
    if ((rc = one_int(st, "SELECT id FROM bookings WHERE declaration_id = ? AND status = 'active'",
                      (lp_db_val[]){LP_DB_I(decl_id)}, 1, &other, err)))
        goto out;
    if (other) {
        rc = lp_err_set(err, LP_ECONFLICT,
                        "declaration %" PRId64 " already has booking %" PRId64 "; rebook or cancel it", decl_id, other);
        snprintf(res->why, sizeof res->why, "ALREADY_BOOKED");
        goto out;
    }
    if (!driver_id) driver_id = lp_json_int(decl, "driver_id", 0);
    if (driver_id && !driver_ok(st, cid, driver_id, err)) {
        rc = lp_err_field_add(err, "/driver_id", "no active driver %" PRId64 " of the declaring company", driver_id);
        goto out;
    }
    if ((rc = lp_yard_settings_get(st, &ys, err)) || (rc = lp_bookings_quota_ensure(st, who, point, dir, err)) ||
        (rc = lane_load(st, point, dir, slot_ms, 0, &ys, &lb, err)))
        goto out;
    snprintf(drv, sizeof drv, "%" PRId64, driver_id);
    {
        lp_slots_request rq = {point, lb.lane.dir, slot_ms, plate, drv};
        rc = lp_slots_book(&lb.s, &rq, now_ms(st), &o);
    }
    if (rc) {
        rc = refused(rc, &o, res, err);
        goto out;
    }
    slot = o.id - 1;
    v = cJSON_CreateObject();
    cJSON_AddNumberToObject(v, "company_id", (double)cid);
    cJSON_AddNumberToObject(v, "declaration_id", (double)decl_id);
    cJSON_AddStringToObject(v, "crossing_point_id", point);
    cJSON_AddStringToObject(v, "direction", dir);
    cJSON_AddNumberToObject(v, "slot_at", (double)lb.b[slot].hour_ms);
    cJSON_AddItemToObject(v, "vehicle_id", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(decl, "vehicle_id"), 1));
    cJSON_AddStringToObject(v, "plate", plate);
    if (driver_id) cJSON_AddNumberToObject(v, "driver_id", (double)driver_id);
    cJSON_AddStringToObject(v, "status", "active");
    cJSON_AddNumberToObject(v, "rebookings", 0);
    rc = lp_table_insert(st, &lp_tbl_bookings, who, NULL, v, out, err);
out:
    lane_free(&lb);
    cJSON_Delete(decl);
    cJSON_Delete(v);
    if (rc) return in_tx_fail(st, rc);
    rc = lp_store_commit(st, err);
    if (rc) {
        cJSON_Delete(*out);
        *out = NULL;
    }
    return rc;
}

/* Changes of a booking ----------------------------------------------------------- */

/* Reads active booking id within company scope, inside the caller's transaction. */
static int load_booking(lp_store *st, int64_t company, int64_t id, cJSON **rec, lp_err *err)
{
    char ids[32];
    const char *status;
    int rc;
    snprintf(ids, sizeof ids, "%" PRId64, id);
    /* Locked (then the quota row, never the other way) so that two changes
     * of one booking on two nodes run one after the other. */
    if (lp_db_dialect_of(lp_store_db(st)) == LP_DB_PG &&
        (rc = lp_db_query(lp_store_db(st), "SELECT id FROM bookings WHERE id = ? FOR UPDATE",
                          (lp_db_val[]){LP_DB_I(id)}, 1, NULL, err)))
        return rc;
    rc = lp_table_get(st, &lp_tbl_bookings, ids, company, rec, err);
    if (rc) return rc;
    status = lp_json_str(*rec, "status");
    if (!status || strcmp(status, "active") != 0)
        return lp_err_set(err, LP_ECONFLICT, "booking %" PRId64 " is %s, not active", id, status ? status : "?");
    return LP_OK;
}

/* Applies patch to booking id (audited as booking.<action>) and commits. */
static int finish(lp_store *st, const lp_actor *who, int64_t id, const char *action, cJSON *patch, cJSON **out,
                  lp_err *err)
{
    char ids[32];
    int rc;
    snprintf(ids, sizeof ids, "%" PRId64, id);
    rc = lp_table_update(st, &lp_tbl_bookings, who, ids, 0, -1, action, patch, out, err);
    cJSON_Delete(patch);
    if (rc) return in_tx_fail(st, rc);
    rc = lp_store_commit(st, err);
    if (rc) {
        cJSON_Delete(*out);
        *out = NULL;
    }
    return rc;
}

int lp_bookings_rebook(lp_store *st, const lp_actor *who, int64_t company, int64_t id, int64_t slot_ms,
                       cJSON **out, lp_booking_result *res, lp_err *err)
{
    cJSON *rec = NULL, *patch;
    lp_yard_settings ys;
    lane_book lb;
    lp_slots_outcome o;
    int rc;

    *out = NULL;
    res->suggest_ms = -1;
    res->why[0] = '\0';
    memset(&lb, 0, sizeof lb);
    if ((rc = lp_store_begin(st, err))) return rc;
    if ((rc = load_booking(st, company, id, &rec, err)) || (rc = lp_yard_settings_get(st, &ys, err)) ||
        (rc = lane_load(st, lp_json_str(rec, "crossing_point_id"), lp_json_str(rec, "direction"), slot_ms, id, &ys,
                        &lb, err)))
        goto fail;
    if ((rc = lp_slots_rebook(&lb.s, 1, slot_ms, now_ms(st), &o))) {
        rc = refused(rc, &o, res, err);
        goto fail;
    }
    patch = cJSON_CreateObject();
    cJSON_AddNumberToObject(patch, "slot_at", (double)lb.b[0].hour_ms);
    cJSON_AddNumberToObject(patch, "rebookings", lb.b[0].rebookings);
    lane_free(&lb);
    cJSON_Delete(rec);
    return finish(st, who, id, "rebook", patch, out, err);
fail:
    lane_free(&lb);
    cJSON_Delete(rec);
    return in_tx_fail(st, rc);
}

int lp_bookings_cancel(lp_store *st, const lp_actor *who, int64_t company, int64_t id, const char *reason,
                       cJSON **out, lp_err *err)
{
    cJSON *rec = NULL, *patch;
    int rc;
    *out = NULL;
    if ((rc = lp_store_begin(st, err))) return rc;
    rc = load_booking(st, company, id, &rec, err);
    cJSON_Delete(rec);
    if (rc) return in_tx_fail(st, rc);
    patch = cJSON_CreateObject();
    cJSON_AddStringToObject(patch, "status", "cancelled");
    if (reason) cJSON_AddStringToObject(patch, "reason", reason);
    return finish(st, who, id, "cancel", patch, out, err);
}

int lp_bookings_change(lp_store *st, const lp_actor *who, int64_t company, int64_t id, int64_t vehicle_id,
                       int64_t driver_id, cJSON **out, lp_err *err)
{
    cJSON *rec = NULL, *veh = NULL, *patch = NULL;
    int64_t cid;
    char ids[32];
    int rc;
    lp_err e;

    *out = NULL;
    if ((rc = lp_store_begin(st, err))) return rc;
    if ((rc = load_booking(st, company, id, &rec, err))) goto fail;
    cid = lp_json_int(rec, "company_id", 0);
    patch = cJSON_CreateObject();
    if (vehicle_id) {
        const char *kind, *status;
        snprintf(ids, sizeof ids, "%" PRId64, vehicle_id);
        lp_err_init(&e);
        if (lp_table_get(st, &lp_tbl_vehicles, ids, cid, &veh, &e) == LP_OK) {
            kind = lp_json_str(veh, "kind");
            status = lp_json_str(veh, "status");
            if (!kind || strcmp(kind, "truck") || !status || strcmp(status, "active")) {
                cJSON_Delete(veh);
                veh = NULL;
            }
        }
        if (!veh) rc = lp_err_field_add(err, "/vehicle_id", "no active truck %" PRId64 " of the booking's company", vehicle_id);
        else {
            cJSON_AddNumberToObject(patch, "vehicle_id", (double)vehicle_id);
            cJSON_AddStringToObject(patch, "plate", lp_json_str(veh, "plate"));
        }
    }
    if (driver_id) {
        if (!driver_ok(st, cid, driver_id, err))
            rc = lp_err_field_add(err, "/driver_id", "no active driver %" PRId64 " of the booking's company", driver_id);
        else cJSON_AddNumberToObject(patch, "driver_id", (double)driver_id);
    }
    if (rc) goto fail;
    cJSON_Delete(rec);
    cJSON_Delete(veh);
    return finish(st, who, id, "change", patch, out, err);
fail:
    cJSON_Delete(rec);
    cJSON_Delete(veh);
    cJSON_Delete(patch);
    return in_tx_fail(st, rc);
}

int lp_bookings_for_plate(lp_store *st, const char *point, const char *dir, const char *plate, int64_t min_slot_ms,
                          cJSON **out, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_db_val p[4] = {LP_DB_S(point), LP_DB_S(dir), LP_DB_S(plate), LP_DB_I(min_slot_ms)};
    char ids[32];
    int rc;
    *out = NULL;
    rc = lp_db_query(lp_store_db(st),
                     "SELECT id FROM bookings WHERE crossing_point_id = ? AND direction = ? AND plate = ?"
                     " AND status = 'active' AND slot_at >= ? ORDER BY slot_at, id LIMIT 1",
                     p, 4, &r, err);
    if (rc == LP_OK && lp_db_res_nrows(r) > 0) {
        snprintf(ids, sizeof ids, "%" PRId64, lp_db_res_int(r, 0, 0));
        rc = lp_table_get(st, &lp_tbl_bookings, ids, 0, out, err);
    }
    lp_db_res_free(r);
    return rc;
}

int lp_bookings_availability(lp_store *st, const lp_actor *who, const char *point, const char *dir, int64_t from_ms,
                             int hours, cJSON **items, lp_err *err)
{
    char id[96], ts[40];
    cJSON *q = NULL;
    lp_db_res *r = NULL, *rq = NULL;
    int64_t start = from_ms - ((from_ms % LP_SLOTS_HOUR_MS) + LP_SLOTS_HOUR_MS) % LP_SLOTS_HOUR_MS;
    int rc, h, i;

    *items = NULL;
    if ((rc = lp_store_begin(st, err))) return rc;
    if ((rc = lp_bookings_quota_ensure(st, who, point, dir, err))) {
        lp_store_rollback(st);
        return rc;
    }
    if ((rc = lp_store_commit(st, err))) return rc;
    snprintf(id, sizeof id, "%s:%s", point, dir);
    if ((rc = lp_db_query(lp_store_db(st), "SELECT quota FROM slot_quotas WHERE id = ?", (lp_db_val[]){LP_DB_S(id)}, 1,
                          &rq, err)))
        goto out;
    q = cJSON_Parse(lp_db_res_nrows(rq) ? lp_db_res_text(rq, 0, 0) : "[]");
    {
        lp_db_val p[4] = {LP_DB_S(point), LP_DB_S(dir), LP_DB_I(start), LP_DB_I(start + hours * LP_SLOTS_HOUR_MS)};
        if ((rc = lp_db_query(lp_store_db(st),
                              "SELECT slot_at, COUNT(*) FROM bookings WHERE crossing_point_id = ? AND direction = ?"
                              " AND status IN ('active', 'arrived') AND slot_at >= ? AND slot_at < ? GROUP BY slot_at",
                              p, 4, &r, err)))
            goto out;
    }
    *items = cJSON_CreateArray();
    for (h = 0; h < hours; h++) {
        int64_t t = start + h * LP_SLOTS_HOUR_MS, booked = 0;
        int hod = lp_slots_hour_of_day(t);
        const cJSON *qi = cJSON_GetArrayItem(q, hod);
        int quota = cJSON_IsNumber(qi) ? (int)qi->valuedouble : 0;
        cJSON *o = cJSON_CreateObject();
        for (i = 0; i < lp_db_res_nrows(r); i++)
            if (lp_db_res_int(r, i, 0) == t) booked = lp_db_res_int(r, i, 1);
        lp_time_format(t, ts, sizeof ts);
        cJSON_AddStringToObject(o, "slot", ts);
        cJSON_AddNumberToObject(o, "hour_of_day", hod);
        cJSON_AddNumberToObject(o, "quota", quota);
        cJSON_AddNumberToObject(o, "booked", (double)booked);
        cJSON_AddNumberToObject(o, "free", (double)(quota > booked ? quota - booked : 0));
        cJSON_AddItemToArray(*items, o);
    }
out:
    cJSON_Delete(q);
    lp_db_res_free(r);
    lp_db_res_free(rq);
    return rc;
}

/* warehouse.c - warehouses, storage units, reservations and availability
 * (see warehouse.h). */
#include "warehouse.h"
#include "../core/mem.h"
#include "../core/wh.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const lp_col warehouse_cols[] = {
    {"name", LP_COL_TEXT},          {"name_vi", LP_COL_TEXT},           {"name_zh", LP_COL_TEXT},
    {"crossing_point_id", LP_COL_TEXT}, {"address", LP_COL_TEXT},       {"status", LP_COL_TEXT},
    {"overstay_days", LP_COL_INT},  {"code_validity_minutes", LP_COL_INT}, {"max_code_attempts", LP_COL_INT},
};
const lp_table lp_tbl_warehouses = {"warehouses", "warehouse", 1, NULL, warehouse_cols, N(warehouse_cols)};

static const lp_col unit_cols[] = {
    {"warehouse_id", LP_COL_TEXT}, {"code", LP_COL_TEXT},        {"kind", LP_COL_TEXT},
    {"area_m2", LP_COL_INT},       {"pallet_places", LP_COL_INT}, {"temp_min_c", LP_COL_INT},
    {"temp_max_c", LP_COL_INT},    {"status", LP_COL_TEXT},       {"notes", LP_COL_TEXT},
};
const lp_table lp_tbl_storage_units = {"storage_units", "storage_unit", 0, NULL, unit_cols, N(unit_cols)};

static const lp_col reservation_cols[] = {
    {"company_id", LP_COL_INT}, {"unit_id", LP_COL_INT},  {"warehouse_id", LP_COL_TEXT},
    {"starts_at", LP_COL_TIME}, {"ends_at", LP_COL_TIME}, {"status", LP_COL_TEXT},
    {"note", LP_COL_TEXT},      {"cancelled_at", LP_COL_TIME},
};
const lp_table lp_tbl_wh_reservations = {"wh_reservations", "wh_reservation", 0, "company_id", reservation_cols,
                                         N(reservation_cols)};

static const lp_col code_cols[] = {
    {"company_id", LP_COL_INT},  {"reservation_id", LP_COL_INT}, {"declaration_id", LP_COL_INT},
    {"purpose", LP_COL_TEXT},    {"plate", LP_COL_TEXT},         {"valid_from", LP_COL_TIME},
    {"expires_at", LP_COL_TIME},
    {"used_at", LP_COL_TIME},    {"attempts", LP_COL_INT},       {"status", LP_COL_TEXT},
    {"last_outcome", LP_COL_TEXT},
};
const lp_table lp_tbl_wh_codes = {"wh_codes", "wh_code", 0, "company_id", code_cols, N(code_cols)};

static const lp_col lot_cols[] = {
    {"company_id", LP_COL_INT},       {"declaration_id", LP_COL_INT},  {"reservation_id", LP_COL_INT},
    {"unit_id", LP_COL_INT},          {"warehouse_id", LP_COL_TEXT},   {"unit_kind", LP_COL_TEXT},
    {"checkin_code_id", LP_COL_INT},  {"kind", LP_COL_TEXT},           {"ref", LP_COL_TEXT},
    {"packages_in", LP_COL_INT},      {"grams_in", LP_COL_INT},        {"packages_out", LP_COL_INT},
    {"grams_out", LP_COL_INT},        {"packages_on_hand", LP_COL_INT}, {"grams_on_hand", LP_COL_INT},
    {"checked_in_at", LP_COL_TIME},   {"closed_at", LP_COL_TIME},      {"overstay_at", LP_COL_TIME},
    {"invoice_id", LP_COL_INT},       {"status", LP_COL_TEXT},
};
const lp_table lp_tbl_wh_lots = {"wh_lots", "wh_lot", 0, "company_id", lot_cols, N(lot_cols)};

static const lp_col move_cols[] = {
    {"lot_id", LP_COL_INT},  {"company_id", LP_COL_INT}, {"declaration_id", LP_COL_INT}, {"unit_id", LP_COL_INT},
    {"direction", LP_COL_TEXT}, {"packages", LP_COL_INT}, {"grams", LP_COL_INT},        {"code_id", LP_COL_INT},
};
const lp_table lp_tbl_wh_moves = {"wh_moves", "wh_move", 0, "company_id", move_cols, N(move_cols)};

int lp_wh_config_get(lp_store *st, const char *warehouse_id, lp_wh_config *out, lp_err *err)
{
    cJSON *w = NULL;
    int rc = lp_table_get(st, &lp_tbl_warehouses, warehouse_id, 0, &w, err);
    if (rc) return rc;
    out->overstay_days = (int)lp_json_int(w, "overstay_days", 30);
    out->code_validity_minutes = (int)lp_json_int(w, "code_validity_minutes", 120);
    out->max_code_attempts = (int)lp_json_int(w, "max_code_attempts", 5);
    cJSON_Delete(w);
    return LP_OK;
}

int warehouse__finish(lp_store *st, int rc, int in_tx, cJSON **out, lp_err *err)
{
    if (in_tx && rc == LP_OK) rc = lp_store_commit(st, err);
    else if (in_tx) lp_store_rollback(st);
    if (rc && out && *out) {
        cJSON_Delete(*out);
        *out = NULL;
    }
    return rc;
}

/* Reservations ------------------------------------------------------------------ */

/* The active reservation of unit that overlaps [from, to) and starts first:
 * *id (0 if none), *rfrom, *rto. */
static int find_overlap(lp_store *st, int64_t unit, int64_t from, int64_t to, int64_t *id, int64_t *rfrom,
                        int64_t *rto, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_db_val p[] = {LP_DB_I(unit), LP_DB_I(to), LP_DB_I(from)};
    int rc = lp_db_query(lp_store_db(st),
                         "SELECT id, starts_at, ends_at FROM wh_reservations WHERE unit_id = ? AND status = 'active'"
                         " AND starts_at < ? AND ends_at > ? ORDER BY starts_at, id LIMIT 1",
                         p, 3, &r, err);
    if (rc) return rc;
    *id = 0;
    if (lp_db_res_nrows(r)) {
        *id = lp_db_res_int(r, 0, 0);
        *rfrom = lp_db_res_int(r, 0, 1);
        *rto = lp_db_res_int(r, 0, 2);
    }
    lp_db_res_free(r);
    return LP_OK;
}

int lp_wh_reserve(lp_store *st, const lp_actor *who, int64_t company, int64_t unit_id, int64_t from, int64_t to,
                  const char *note, cJSON **out, int64_t *conflict, lp_err *err)
{
    const lp_clock *ck = lp_store_clock(st);
    int64_t now = ck->now_ms(ck->ud), other = 0, ofrom = 0, oto = 0;
    cJSON *unit = NULL, *rec = NULL;
    lp_db_res *res = NULL;
    char ids[32];
    int rc, in_tx = 0;

    if (out) *out = NULL;
    if (conflict) *conflict = 0;
    if (from >= to) return lp_err_field_add(err, "/to", "must be after from");
    if (to <= now) return lp_err_field_add(err, "/to", "is in the past");
    rc = lp_store_begin(st, err);
    if (rc) goto done;
    in_tx = 1;
    /* The unit's row lock first: whoever holds it sees every reservation
     * committed before it, so two requests cannot both find the period free. */
    {
        lp_db_val p[] = {LP_DB_I(unit_id)};
        rc = lp_db_query(lp_store_db(st), "UPDATE storage_units SET lock_seq = lock_seq + 1 WHERE id = ?", p, 1,
                         &res, err);
        if (rc) goto done;
        if (lp_db_res_changes(res) != 1) {
            rc = lp_err_set(err, LP_ENOTFOUND, "no storage unit with id %" PRId64, unit_id);
            lp_err_field_add(err, "/unit_id", "no storage unit with id %" PRId64, unit_id);
            goto done;
        }
    }
    snprintf(ids, sizeof ids, "%" PRId64, unit_id);
    rc = lp_table_get(st, &lp_tbl_storage_units, ids, 0, &unit, err);
    if (rc) goto done;
    if (strcmp(lp_json_str(unit, "status") ? lp_json_str(unit, "status") : "", "available") != 0) {
        rc = lp_err_field_add(err, "/unit_id", "storage unit %" PRId64 " is %s, not available", unit_id,
                              lp_json_str(unit, "status"));
        goto done;
    }
    {
        cJSON *w = NULL;
        rc = lp_table_get(st, &lp_tbl_warehouses, lp_json_str(unit, "warehouse_id"), 0, &w, err);
        if (!rc && strcmp(lp_json_str(w, "status") ? lp_json_str(w, "status") : "", "open") != 0)
            rc = lp_err_set(err, LP_ECONFLICT, "warehouse '%s' is %s: no new reservations",
                            lp_json_str(unit, "warehouse_id"), lp_json_str(w, "status"));
        cJSON_Delete(w);
        if (rc) goto done;
    }
    rc = find_overlap(st, unit_id, from, to, &other, &ofrom, &oto, err);
    if (rc) goto done;
    if (other) {
        char a[40], b[40];
        lp_time_format(ofrom, a, sizeof a);
        lp_time_format(oto, b, sizeof b);
        if (conflict) *conflict = other;
        rc = lp_err_set(err, LP_ECONFLICT,
                        "storage unit %" PRId64 " is already reserved from %s to %s by reservation %" PRId64, unit_id,
                        a, b, other);
        lp_err_field_add(err, "/unit_id", "overlaps reservation %" PRId64, other);
        goto done;
    }
    rec = cJSON_CreateObject();
    cJSON_AddNumberToObject(rec, "company_id", (double)company);
    cJSON_AddNumberToObject(rec, "unit_id", (double)unit_id);
    cJSON_AddStringToObject(rec, "warehouse_id", lp_json_str(unit, "warehouse_id"));
    cJSON_AddNumberToObject(rec, "starts_at", (double)from);
    cJSON_AddNumberToObject(rec, "ends_at", (double)to);
    cJSON_AddStringToObject(rec, "status", "active");
    if (note) cJSON_AddStringToObject(rec, "note", note);
    rc = lp_table_insert(st, &lp_tbl_wh_reservations, who, NULL, rec, out, err);
done:
    rc = warehouse__finish(st, rc, in_tx, out, err);
    lp_db_res_free(res);
    cJSON_Delete(unit);
    cJSON_Delete(rec);
    return rc;
}

int lp_wh_reservation_cancel(lp_store *st, const lp_actor *who, int64_t id, int64_t scope, cJSON **out,
                             lp_err *err)
{
    const lp_clock *ck = lp_store_clock(st);
    cJSON *rec = NULL, *patch = NULL;
    lp_db_res *r = NULL;
    char ids[32];
    int rc, in_tx = 0;

    if (out) *out = NULL;
    snprintf(ids, sizeof ids, "%" PRId64, id);
    rc = lp_store_begin(st, err);
    if (rc) goto done;
    in_tx = 1;
    rc = lp_table_get(st, &lp_tbl_wh_reservations, ids, scope, &rec, err);
    if (rc) goto done;
    if (strcmp(lp_json_str(rec, "status"), "active") != 0) {
        rc = lp_err_set(err, LP_ECONFLICT, "reservation %" PRId64 " is already %s", id, lp_json_str(rec, "status"));
        goto done;
    }
    {
        lp_db_val p[] = {LP_DB_I(id)};
        rc = lp_db_query(lp_store_db(st),
                         "SELECT COUNT(*) FROM wh_lots WHERE reservation_id = ? AND packages_on_hand > 0", p, 1, &r,
                         err);
        if (rc) goto done;
        if (lp_db_res_int(r, 0, 0) > 0) {
            rc = lp_err_set(err, LP_ECONFLICT,
                            "reservation %" PRId64 " still holds %" PRId64 " lot(s) on hand; pick them up first", id,
                            lp_db_res_int(r, 0, 0));
            goto done;
        }
    }
    patch = cJSON_CreateObject();
    cJSON_AddStringToObject(patch, "status", "cancelled");
    cJSON_AddNumberToObject(patch, "cancelled_at", (double)ck->now_ms(ck->ud));
    rc = lp_table_update(st, &lp_tbl_wh_reservations, who, ids, scope, -1, "cancel", patch, out, err);
done:
    rc = warehouse__finish(st, rc, in_tx, out, err);
    lp_db_res_free(r);
    cJSON_Delete(rec);
    cJSON_Delete(patch);
    return rc;
}

/* Availability ---------------------------------------------------------------------- */

#define UNIT_SELECT                                                                                          \
    "SELECT id, warehouse_id, code, kind, area_m2, pallet_places, temp_min_c, temp_max_c, status, notes, version," \
    " created_at, updated_at FROM storage_units"

int lp_wh_units_free(lp_store *st, const char *warehouse_id, const char *kind, int64_t from, int64_t to,
                     int only_free, cJSON **items, lp_err *err)
{
    cJSON *w = NULL, *all = NULL, *it, *keep = NULL;
    lp_db_res *r = NULL;
    int rc, i;

    *items = NULL;
    rc = lp_table_get(st, &lp_tbl_warehouses, warehouse_id, 0, &w, err);
    if (rc) goto done;
    {
        lp_db_val p[] = {LP_DB_S(warehouse_id), LP_DB_S(kind)};
        const char *sql = kind ? UNIT_SELECT " WHERE warehouse_id = ? AND kind = ? ORDER BY code"
                               : UNIT_SELECT " WHERE warehouse_id = ? ORDER BY code";
        rc = lp_db_query(lp_store_db(st), sql, p, kind ? 2 : 1, &r, err);
        if (rc) goto done;
    }
    all = cJSON_CreateArray();
    for (i = 0; i < lp_db_res_nrows(r); i++) cJSON_AddItemToArray(all, lp_table_row_json(&lp_tbl_storage_units, r, i));
    lp_db_res_free(r);
    r = NULL;
    keep = cJSON_CreateArray();
    while ((it = cJSON_DetachItemFromArray(all, 0)) != NULL) {
        int64_t unit = lp_json_int(it, "id", 0), until = 0;
        int avail = strcmp(lp_json_str(it, "status"), "available") == 0;
        lp_db_val p[] = {LP_DB_I(unit), LP_DB_I(to), LP_DB_I(from)};
        rc = lp_db_query(lp_store_db(st),
                         "SELECT MAX(ends_at), COUNT(*) FROM wh_reservations WHERE unit_id = ? AND status = 'active'"
                         " AND starts_at < ? AND ends_at > ?",
                         p, 3, &r, err);
        if (rc) {
            cJSON_Delete(it);
            goto done;
        }
        if (lp_db_res_int(r, 0, 1) > 0) until = lp_db_res_int(r, 0, 0);
        lp_db_res_free(r);
        r = NULL;
        cJSON_AddBoolToObject(it, "free", avail && !until);
        if (until) {
            char ts[40];
            lp_time_format(until, ts, sizeof ts);
            cJSON_AddStringToObject(it, "reserved_until", ts);
        } else {
            cJSON_AddNullToObject(it, "reserved_until");
        }
        if (only_free && (!avail || until)) cJSON_Delete(it);
        else cJSON_AddItemToArray(keep, it);
    }
    *items = keep;
    keep = NULL;
done:
    lp_db_res_free(r);
    cJSON_Delete(w);
    cJSON_Delete(all);
    cJSON_Delete(keep);
    return rc;
}

/* yardstore.c - yards and bays, the yard settings and the yard's KPI
 * figures in the store (see yardstore.h); the reads are in
 * yardstore_reads.c. */
#include "yardstore.h"
#include "resources.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const lp_col yard_cols[] = {
    {"crossing_point_id", LP_COL_TEXT}, {"direction", LP_COL_TEXT}, {"name", LP_COL_TEXT}, {"bays", LP_COL_JSON},
};
const lp_table lp_tbl_yards = {"yards", "yard", 1, NULL, yard_cols, N(yard_cols)};

static const lp_col visit_cols[] = {
    {"yard_id", LP_COL_TEXT},      {"company_id", LP_COL_INT},   {"booking_id", LP_COL_INT},
    {"declaration_id", LP_COL_INT}, {"plate", LP_COL_TEXT},      {"bay_id", LP_COL_TEXT},
    {"bay_kind", LP_COL_TEXT},     {"class", LP_COL_TEXT},       {"goods", LP_COL_TEXT},
    {"priority", LP_COL_TEXT},     {"status", LP_COL_TEXT},      {"entered_at", LP_COL_TIME},
    {"last_read_at", LP_COL_TIME}, {"exited_at", LP_COL_TIME},   {"yard_ms", LP_COL_INT},
    {"out_of_order", LP_COL_BOOL}, {"invoice_id", LP_COL_INT},
};
const lp_table lp_tbl_yard_visits = {"yard_visits", "yard_visit", 0, "company_id", visit_cols, N(visit_cols)};

static const lp_col read_cols[] = {
    {"yard_id", LP_COL_TEXT},  {"gate", LP_COL_TEXT},     {"plate", LP_COL_TEXT},    {"confidence", LP_COL_INT},
    {"read_at", LP_COL_TIME},  {"outcome", LP_COL_TEXT},  {"message", LP_COL_TEXT},  {"visit_id", LP_COL_INT},
    {"bay_id", LP_COL_TEXT},   {"company_id", LP_COL_INT}, {"device", LP_COL_TEXT},
};
const lp_table lp_tbl_yard_reads = {"yard_reads", "yard_read", 0, "company_id", read_cols, N(read_cols)};

/* Settings --------------------------------------------------------------------- */

int lp_yard_settings_get(lp_store *st, lp_yard_settings *out, lp_err *err)
{
    static const struct { const char *name; int64_t lo, hi, def; } m[] = {
        {"no_show_window_minutes", 1, 1440, 20}, {"no_show_limit", 1, 10, 2},
        {"min_plate_confidence", 0, 1000, 900},  {"debounce_seconds", 0, 3600, 60},
        {"booking_min_notice_minutes", 0, 10080, 60}, {"max_rebookings", 0, 100, 3},
        {"booking_grace_minutes", 0, 1440, 120},
    };
    int64_t v[N(m)];
    cJSON *row = NULL;
    const cJSON *val, *w;
    int i, rc;
    lp_err e;

    lp_err_init(&e);
    rc = lp_table_get(st, &lp_tbl_settings, "yard", 0, &row, &e);
    if (rc == LP_ENOTFOUND) return lp_err_set(err, LP_ESTORE, "the settings row 'yard' is missing");
    if (rc) {
        if (err) *err = e;
        return rc;
    }
    val = cJSON_GetObjectItemCaseSensitive(row, "value");
    for (i = 0; i < N(m); i++) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(val, m[i].name);
        v[i] = m[i].def;
        if (!x) continue;
        if (!cJSON_IsNumber(x) || x->valuedouble != (double)(int64_t)x->valuedouble || x->valuedouble < (double)m[i].lo ||
            x->valuedouble > (double)m[i].hi) {
            cJSON_Delete(row);
            return lp_err_set(err, LP_ESTORE, "settings 'yard': %s must be an integer from %" PRId64 " to %" PRId64,
                              m[i].name, m[i].lo, m[i].hi);
        }
        v[i] = (int64_t)x->valuedouble;
    }
    w = cJSON_GetObjectItemCaseSensitive(val, "walk_ins");
    out->walk_ins = cJSON_IsTrue(w);
    out->no_show_window_ms = v[0] * 60000;
    out->no_show_limit = (int)v[1];
    out->min_plate_confidence = (int)v[2];
    out->debounce_ms = v[3] * 1000;
    out->min_notice_ms = v[4] * 60000;
    out->max_rebookings = (int)v[5];
    out->grace_ms = v[6] * 60000;
    cJSON_Delete(row);
    return LP_OK;
}

/* Yards ------------------------------------------------------------------------------ */

static const char bay_prefix[LP_BAY__COUNT] = {'A', 'R', 'D'};

int lp_yardstore_create(lp_store *st, const lp_actor *who, const lp_yard_spec *y, cJSON **out, lp_err *err)
{
    cJSON *v, *bays;
    int rc, k, i, seq = 0, total = 0;

    if (out) *out = NULL;
    for (k = 0; k < LP_BAY__COUNT; k++) {
        if (y->bays[k] < 0 || y->bays[k] > 999) return lp_err_field_add(err, "/bays", "each kind has 0 to 999 bays");
        total += y->bays[k];
    }
    if (total == 0) return lp_err_field_add(err, "/bays", "a yard needs at least one bay");
    v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "crossing_point_id", y->crossing_point_id);
    cJSON_AddStringToObject(v, "direction", y->direction);
    cJSON_AddStringToObject(v, "name", y->name);
    bays = cJSON_AddObjectToObject(v, "bays");
    for (k = 0; k < LP_BAY__COUNT; k++) cJSON_AddNumberToObject(bays, lp_bay_kind_name((lp_bay_kind)k), y->bays[k]);
    if ((rc = lp_store_begin(st, err))) goto out;
    rc = lp_table_insert(st, &lp_tbl_yards, who, y->id, v, out, err);
    for (k = 0; rc == LP_OK && k < LP_BAY__COUNT; k++)
        for (i = 1; rc == LP_OK && i <= y->bays[k]; i++) {
            char id[16];
            snprintf(id, sizeof id, "%c-%03d", bay_prefix[k], i);
            lp_db_val p[4] = {LP_DB_S(y->id), LP_DB_S(id), LP_DB_S(lp_bay_kind_name((lp_bay_kind)k)), LP_DB_I(++seq)};
            rc = lp_db_query(lp_store_db(st), "INSERT INTO yard_bays (yard_id, id, kind, seq) VALUES (?, ?, ?, ?)", p,
                             4, NULL, err);
        }
    if (rc) lp_store_rollback(st);
    else rc = lp_store_commit(st, err);
    if (rc && out) {
        cJSON_Delete(*out);
        *out = NULL;
    }
out:
    cJSON_Delete(v);
    return rc;
}

int lp_yardstore_occupancy(lp_store *st, cJSON *rec, lp_err *err)
{
    lp_db_res *r = NULL;
    cJSON *occ;
    int rc, i, k;
    const char *id = lp_json_str(rec, "id");
    rc = lp_db_query(lp_store_db(st),
                     "SELECT b.kind, COUNT(*), COUNT(v.id) FROM yard_bays b LEFT JOIN yard_visits v"
                     " ON v.yard_id = b.yard_id AND v.bay_id = b.id AND v.status = 'inside'"
                     " WHERE b.yard_id = ? GROUP BY b.kind",
                     (lp_db_val[]){LP_DB_S(id)}, 1, &r, err);
    if (rc) return rc;
    occ = cJSON_AddObjectToObject(rec, "occupancy");
    for (k = 0; k < LP_BAY__COUNT; k++) {
        const char *kind = lp_bay_kind_name((lp_bay_kind)k);
        cJSON *o = cJSON_AddObjectToObject(occ, kind);
        int64_t n = 0, used = 0;
        for (i = 0; i < lp_db_res_nrows(r); i++)
            if (strcmp(lp_db_res_text(r, i, 0), kind) == 0) {
                n = lp_db_res_int(r, i, 1);
                used = lp_db_res_int(r, i, 2);
            }
        cJSON_AddNumberToObject(o, "bays", (double)n);
        cJSON_AddNumberToObject(o, "occupied", (double)used);
        cJSON_AddNumberToObject(o, "free", (double)(n - used));
    }
    lp_db_res_free(r);
    return LP_OK;
}

/* KPIs ------------------------------------------------------------------------------------ */

int lp_yardstore_entry_to_exit(lp_store *st, const char *point, int64_t from, int64_t to,
                               void (*fn)(void *ud, const char *channel, int64_t entered_at, int64_t exit_at),
                               void *ud, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_db_val p[6];
    int n = 0, rc, i;
    p[n++] = LP_DB_I(point ? 1 : 0);
    p[n++] = LP_DB_S(point ? point : "");
    p[n++] = LP_DB_I(from);
    p[n++] = LP_DB_I(from);
    p[n++] = LP_DB_I(to);
    p[n++] = LP_DB_I(to);
    rc = lp_db_query(lp_store_db(st),
                     "SELECT c.channel, MIN(v.entered_at), c.exit_at FROM crossings c"
                     " JOIN yard_visits v ON v.declaration_id = c.declaration_id"
                     " WHERE c.exit_at IS NOT NULL AND (? = 0 OR c.crossing_point_id = ?)"
                     " AND (? < 0 OR c.exit_at >= ?) AND (? < 0 OR c.exit_at < ?)"
                     " GROUP BY c.id, c.channel, c.exit_at",
                     p, n, &r, err);
    if (rc) return rc;
    for (i = 0; i < lp_db_res_nrows(r); i++)
        fn(ud, lp_db_res_isnull(r, i, 0) ? NULL : lp_db_res_text(r, i, 0), lp_db_res_int(r, i, 1),
           lp_db_res_int(r, i, 2));
    lp_db_res_free(r);
    return LP_OK;
}

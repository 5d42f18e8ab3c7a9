/* agvstore.c - the AGV fleet's audited records (agvstore.h). */
#include "agvstore.h"

#include <stdio.h>
#include <string.h>

#include "../core/mem.h"

static const lp_col agv_cols[] = {
    {"manufacturer", LP_COL_TEXT}, {"state", LP_COL_TEXT},   {"battery", LP_COL_INT},
    {"position", LP_COL_JSON},     {"last_seen", LP_COL_TIME}, {"mode", LP_COL_TEXT},
    {"lost", LP_COL_BOOL},         {"holds", LP_COL_INT},
};
const lp_table lp_tbl_agvs = {"agvs", "agv", 1, NULL, agv_cols, (int)(sizeof agv_cols / sizeof agv_cols[0])};

static const lp_col mission_cols[] = {
    {"agv", LP_COL_TEXT},          {"from_zone", LP_COL_TEXT},     {"to_zone", LP_COL_TEXT},
    {"declaration_id", LP_COL_TEXT}, {"state", LP_COL_TEXT},       {"order_id", LP_COL_TEXT},
    {"route", LP_COL_JSON},        {"length_m", LP_COL_INT},       {"estimate_s", LP_COL_INT},
    {"distance_m", LP_COL_INT},    {"track", LP_COL_JSON},         {"stops", LP_COL_JSON},
    {"started_at", LP_COL_TIME},   {"handover_at", LP_COL_TIME},   {"released_at", LP_COL_TIME},
    {"release_reason", LP_COL_TEXT}, {"released_by", LP_COL_TEXT}, {"finished_at", LP_COL_TIME},
    {"reason", LP_COL_TEXT},       {"kind", LP_COL_TEXT},          {"waiting_for", LP_COL_TEXT},
    {"customs_cleared_at", LP_COL_TIME}, {"cancelled_at", LP_COL_TIME}, {"cancelled_by", LP_COL_TEXT},
    {"cancel_reason", LP_COL_TEXT}, {"alerts", LP_COL_JSON},
};
const lp_table lp_tbl_agv_missions = {"agv_missions", "agv_mission", 0, NULL, mission_cols,
                                      (int)(sizeof mission_cols / sizeof mission_cols[0])};

int lp_agvstore_agv_put(lp_store *st, const lp_actor *who, const char *serial, const char *action,
                        const cJSON *values, lp_err *err)
{
    cJSON *cur = NULL;
    int rc = lp_table_get(st, &lp_tbl_agvs, serial, 0, &cur, err);
    if (rc == LP_ENOTFOUND) {
        lp_err_init(err);
        return lp_table_insert(st, &lp_tbl_agvs, who, serial, values, NULL, err);
    }
    cJSON_Delete(cur);
    if (rc) return rc;
    return lp_table_update(st, &lp_tbl_agvs, who, serial, 0, -1, action, values, NULL, err);
}

int lp_agvstore_windows(lp_store *st, char **out, lp_err *err)
{
    lp_db_res *res = NULL;
    cJSON *all = cJSON_CreateArray();
    int i, rc;
    *out = NULL;
    rc = lp_db_query(lp_store_db(st), "SELECT agv_windows FROM crossing_points WHERE agv = 1 ORDER BY id", NULL, 0,
                     &res, err);
    if (rc) goto cleanup;
    for (i = 0; i < lp_db_res_nrows(res); i++) {
        cJSON *w = cJSON_Parse(lp_db_res_text(res, i, 0)), *it;
        if (!w) continue;
        cJSON_ArrayForEach(it, w) cJSON_AddItemToArray(all, cJSON_Duplicate(it, 1));
        cJSON_Delete(w);
    }
    {
        char *s = cJSON_PrintUnformatted(all);
        *out = lp_strdup(s);
        cJSON_free(s);
    }
cleanup:
    lp_db_res_free(res);
    cJSON_Delete(all);
    return rc;
}

int lp_agvstore_decl_status(lp_store *st, const char *id, char *status, size_t n, lp_err *err)
{
    return lp_agvstore_decl(st, id, status, n, NULL, 0, err);
}

int lp_agvstore_decl(lp_store *st, const char *id, char *status, size_t n, char *transport, size_t tn, lp_err *err)
{
    lp_db_res *res = NULL;
    lp_db_val p[1];
    int rc;
    p[0] = lp_db_text(id);
    rc = lp_db_query(lp_store_db(st), "SELECT status, transport FROM declarations WHERE id = ?", p, 1, &res, err);
    if (rc) goto cleanup;
    if (lp_db_res_nrows(res) == 0) {
        rc = lp_err_set(err, LP_ENOTFOUND, "no declaration %s", id);
        goto cleanup;
    }
    snprintf(status, n, "%s", lp_db_res_text(res, 0, 0));
    if (transport) snprintf(transport, tn, "%s", lp_db_res_text(res, 0, 1));
cleanup:
    lp_db_res_free(res);
    return rc;
}

int lp_agvstore_decl_crossing_ok(const char *status)
{
    static const char *const ok[] = {"cleared", "gate_open", "exited"};
    size_t i;
    for (i = 0; status && i < sizeof ok / sizeof ok[0]; i++)
        if (!strcmp(status, ok[i])) return 1;
    return 0;
}

int lp_agvstore_missions_open(lp_store *st, cJSON **out, lp_err *err)
{
    static const char *const states[] = {"running", "held_at_inspection"};
    cJSON *all = cJSON_CreateArray(), *page = NULL, *it;
    size_t k;
    int rc = LP_OK;
    *out = NULL;
    for (k = 0; k < sizeof states / sizeof states[0] && rc == LP_OK; k++) {
        lp_filter fl = {"state", states[k]};
        char *next = NULL;
        rc = lp_table_list(st, &lp_tbl_agv_missions, &fl, 1, 0, NULL, 1000, &page, &next, err);
        lp_free(next);
        if (rc) break;
        cJSON_ArrayForEach(it, page) cJSON_AddItemToArray(all, cJSON_Duplicate(it, 1));
        cJSON_Delete(page);
        page = NULL;
    }
    if (rc) cJSON_Delete(all);
    else *out = all;
    return rc;
}

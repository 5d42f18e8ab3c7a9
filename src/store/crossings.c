/* crossings.c - the SQL behind the gate, the crossing records and the KPIs
 * (see crossings.h).  Values always travel as parameters; only column names
 * chosen here from fixed lists are written into the statement text. */
#include "crossings.h"
#include "resources.h"
#include "table.h"
#include "../core/buf.h"
#include "../core/mem.h"

#include <stdio.h>
#include <string.h>

/* Finding the declaration at a gate ------------------------------------------ */

int lp_crossings_gate_declaration(lp_store *st, const char *point, lp_crossings_by by, const char *value,
                                  int64_t *id, lp_err *err)
{
    const char *col = by == LP_CROSSINGS_BY_PLATE ? "vehicle_plate"
                      : by == LP_CROSSINGS_BY_TRAILER ? "trailer_plate"
                                                      : "containers";
    int like = by == LP_CROSSINGS_BY_CONTAINER;
    char sql[256], pattern[64];
    lp_db_val p[2];
    lp_db_res *res = NULL;
    int rc;

    /* The containers column holds JSON; a canonical number (letters and
     * digits alone) is safe inside a LIKE pattern. */
    if (like) snprintf(pattern, sizeof pattern, "%%\"number\":\"%s\"%%", value);
    p[0] = LP_DB_S(point);
    p[1] = LP_DB_S(like ? pattern : value);
    snprintf(sql, sizeof sql,
             "SELECT id FROM declarations WHERE crossing_point_id = ? AND %s %s ?"
             " AND status IN ('cleared', 'pending', 'held') ORDER BY id DESC LIMIT 1",
             col, like ? "LIKE" : "=");
    *id = 0;
    rc = lp_db_query(lp_store_db(st), sql, p, 2, &res, err);
    if (rc == LP_OK && lp_db_res_nrows(res) > 0) *id = lp_db_res_int(res, 0, 0);
    lp_db_res_free(res);
    return rc;
}

/* Crossing records -------------------------------------------------------------- */

/* Appends the WHERE conditions of f to sql and their parameters to p. */
static void list_where(lp_buf *sql, const lp_crossings_filter *f, lp_db_val *p, int *n)
{
    const char *const eq[] = {"crossing_point_id", "channel", "direction"};
    const char *const val[] = {f->crossing_point_id, f->channel, f->direction};
    int i;

    for (i = 0; i < 3; i++) {
        if (!val[i]) continue;
        p[(*n)++] = LP_DB_S(val[i]);
        lp_buf_printf(sql, " AND %s = ?", eq[i]);
    }
    if (f->has_declaration_id) {
        p[(*n)++] = LP_DB_I(f->declaration_id);
        lp_buf_puts(sql, " AND declaration_id = ?");
    }
    if (f->exited_only) lp_buf_puts(sql, " AND exit_at IS NOT NULL");
    if (f->exited >= 0) lp_buf_puts(sql, f->exited ? " AND exit_at IS NOT NULL" : " AND exit_at IS NULL");
    if (f->company_id) {
        lp_buf_puts(sql, " AND company_id = ?");
        p[(*n)++] = LP_DB_I(f->company_id);
    }
    if (f->has_after) {
        lp_buf_puts(sql, " AND id > ?");
        p[(*n)++] = LP_DB_I(f->after_id);
    }
}

int lp_crossings_list(lp_store *st, const lp_crossings_filter *f, int limit, cJSON **items, char **next,
                      lp_err *err)
{
    lp_buf sql;
    lp_db_val p[12];
    lp_db_res *res = NULL;
    int n = 0, i, rows, rc;

    *items = NULL;
    *next = NULL;
    lp_buf_init(&sql);
    lp_buf_puts(&sql, "SELECT id");
    for (i = 0; i < lp_tbl_crossings.ncols; i++) lp_buf_printf(&sql, ", %s", lp_tbl_crossings.cols[i].name);
    lp_buf_puts(&sql, ", version, created_at, updated_at FROM crossings WHERE 1=1");
    list_where(&sql, f, p, &n);
    lp_buf_puts(&sql, " ORDER BY id LIMIT ?");
    p[n++] = LP_DB_I(limit + 1);
    rc = lp_db_query(lp_store_db(st), lp_buf_str(&sql), p, n, &res, err);
    if (rc) goto out;
    rows = lp_db_res_nrows(res);
    *items = cJSON_CreateArray();
    for (i = 0; i < rows && i < limit; i++) cJSON_AddItemToArray(*items, lp_table_row_json(&lp_tbl_crossings, res, i));
    if (rows > limit) *next = lp_strdup(lp_db_res_text(res, limit - 1, 0));
out:
    lp_db_res_free(res);
    lp_buf_deinit(&sql);
    return rc;
}

/* KPI figures ----------------------------------------------------------------- */

/* Appends " AND col >= ? AND col < ?" (and the crossing point) for the
 * bounds present. */
static void period_where(lp_buf *sql, lp_db_val *p, int *n, const char *point, const char *col, int64_t from,
                         int64_t to)
{
    if (point) {
        lp_buf_puts(sql, " AND crossing_point_id = ?");
        p[(*n)++] = LP_DB_S(point);
    }
    if (from >= 0) {
        lp_buf_printf(sql, " AND %s >= ?", col);
        p[(*n)++] = LP_DB_I(from);
    }
    if (to >= 0) {
        lp_buf_printf(sql, " AND %s < ?", col);
        p[(*n)++] = LP_DB_I(to);
    }
}

int lp_crossings_exits(lp_store *st, const char *point, int64_t from, int64_t to,
                       void (*fn)(void *ud, const lp_crossings_exit *e), void *ud, lp_err *err)
{
    lp_buf sql;
    lp_db_val p[3];
    lp_db_res *res = NULL;
    int n = 0, i, rc;

    lp_buf_init(&sql);
    lp_buf_puts(&sql, "SELECT channel, filed_at, cleared_at, gate_open_at, exit_at FROM crossings"
                      " WHERE exit_at IS NOT NULL");
    period_where(&sql, p, &n, point, "exit_at", from, to);
    rc = lp_db_query(lp_store_db(st), lp_buf_str(&sql), p, n, &res, err);
    lp_buf_deinit(&sql);
    if (rc) return rc;
    for (i = 0; i < lp_db_res_nrows(res); i++) {
        lp_crossings_exit e;
        e.channel = lp_db_res_text(res, i, 0);
        e.filed_at = lp_db_res_int(res, i, 1);
        e.cleared_at = lp_db_res_isnull(res, i, 2) ? LP_CROSSINGS_NO_TIME : lp_db_res_int(res, i, 2);
        e.gate_open_at = lp_db_res_isnull(res, i, 3) ? LP_CROSSINGS_NO_TIME : lp_db_res_int(res, i, 3);
        e.exit_at = lp_db_res_int(res, i, 4);
        fn(ud, &e);
    }
    lp_db_res_free(res);
    return LP_OK;
}

int lp_crossings_status_counts(lp_store *st, const char *point, int64_t from, int64_t to,
                               void (*fn)(void *ud, const char *channel, const char *status, int64_t count),
                               void *ud, lp_err *err)
{
    lp_buf sql;
    lp_db_val p[3];
    lp_db_res *res = NULL;
    int n = 0, i, rc;

    lp_buf_init(&sql);
    lp_buf_puts(&sql, "SELECT channel, status, COUNT(*) FROM declarations WHERE 1=1");
    period_where(&sql, p, &n, point, "created_at", from, to);
    lp_buf_puts(&sql, " GROUP BY channel, status ORDER BY channel, status");
    rc = lp_db_query(lp_store_db(st), lp_buf_str(&sql), p, n, &res, err);
    lp_buf_deinit(&sql);
    if (rc) return rc;
    for (i = 0; i < lp_db_res_nrows(res); i++)
        fn(ud, lp_db_res_text(res, i, 0), lp_db_res_text(res, i, 1), lp_db_res_int(res, i, 2));
    lp_db_res_free(res);
    return LP_OK;
}

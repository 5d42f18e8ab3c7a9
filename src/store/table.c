/* table.c - generic audited records (see table.h). */
#include "table.h"
#include "../core/buf.h"
#include "../core/mem.h"
#include "../os/sysclock.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const lp_col implicit_cols[] = {
    {"version", LP_COL_INT}, {"created_at", LP_COL_TIME}, {"updated_at", LP_COL_TIME},
};

static const lp_col *find_col(const lp_table *t, const char *name)
{
    int i;
    if (!t) return NULL;
    for (i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0) return &t->cols[i];
    for (i = 0; i < 3; i++)
        if (strcmp(implicit_cols[i].name, name) == 0) return &implicit_cols[i];
    return NULL;
}

static cJSON *cell_json(const lp_col *c, const lp_db_res *r, int row, int col)
{
    lp_db_type ty = lp_db_res_type(r, row, col);
    if (ty == LP_DB_NULL) return cJSON_CreateNull();
    if (c && c->kind == LP_COL_BOOL) return cJSON_CreateBool(lp_db_res_int(r, row, col) != 0);
    if (c && c->kind == LP_COL_TIME) {
        char ts[40];
        lp_time_format(lp_db_res_int(r, row, col), ts, sizeof ts);
        return cJSON_CreateString(ts);
    }
    if (c && c->kind == LP_COL_JSON) {
        cJSON *j = cJSON_Parse(lp_db_res_text(r, row, col));
        return j ? j : cJSON_CreateNull();
    }
    if (ty == LP_DB_INT || (c && c->kind == LP_COL_INT)) return cJSON_CreateNumber((double)lp_db_res_int(r, row, col));
    if (ty == LP_DB_REAL) return cJSON_CreateNumber(lp_db_res_real(r, row, col));
    return cJSON_CreateString(lp_db_res_text(r, row, col));
}

cJSON *lp_table_row_json(const lp_table *t, const lp_db_res *r, int row)
{
    cJSON *o = cJSON_CreateObject();
    int c;
    for (c = 0; c < lp_db_res_ncols(r); c++) {
        const char *name = lp_db_res_colname(r, c);
        const lp_col *col = find_col(t, name);
        if (strcmp(name, "id") == 0 && t && t->text_id)
            cJSON_AddItemToObject(o, name, cJSON_CreateString(lp_db_res_text(r, row, c)));
        else
            cJSON_AddItemToObject(o, name, cell_json(col, r, row, c));
    }
    return o;
}

/* "id, col1, ..., version, created_at, updated_at" */
static void select_list(const lp_table *t, lp_buf *b)
{
    int i;
    lp_buf_puts(b, "id");
    for (i = 0; i < t->ncols; i++) lp_buf_printf(b, ", %s", t->cols[i].name);
    lp_buf_puts(b, ", version, created_at, updated_at");
}

/* Converts a JSON member to a parameter for column c.  Text it allocates is
 * appended to *keep (freed by the caller). */
static int json_param(const lp_col *c, const cJSON *v, lp_db_val *out, char **keep, lp_err *err)
{
    *keep = NULL;
    if (cJSON_IsNull(v)) {
        *out = LP_DB_NUL;
        return LP_OK;
    }
    switch (c->kind) {
    case LP_COL_BOOL:
        if (!cJSON_IsBool(v)) break;
        *out = LP_DB_I(cJSON_IsTrue(v) ? 1 : 0);
        return LP_OK;
    case LP_COL_INT:
    case LP_COL_TIME:
        if (!cJSON_IsNumber(v)) break;
        *out = LP_DB_I((int64_t)v->valuedouble);
        return LP_OK;
    case LP_COL_JSON:
        *keep = cJSON_PrintUnformatted(v);
        *out = LP_DB_S(*keep);
        return LP_OK;
    case LP_COL_TEXT:
        if (!cJSON_IsString(v)) break;
        *out = LP_DB_S(v->valuestring);
        return LP_OK;
    }
    return lp_err_field_add(err, "", "member '%s' has the wrong type for the store", c->name);
}

/* Appends a parameter for each member of obj (all must be writable columns
 * of t) and, per member, fmt (%s = the column) to sql and "?, " to qs (may be
 * NULL).  Texts it allocates go to keep[*nkeep] for the caller to free. */
static int add_members(const lp_table *t, const cJSON *obj, lp_db_val *params, int *n, char **keep,
                       int *nkeep, lp_buf *sql, lp_buf *qs, const char *fmt, lp_err *err)
{
    const cJSON *v;
    int rc;
    cJSON_ArrayForEach(v, obj) {
        const lp_col *c = find_col(t, v->string);
        if (!c || c == &implicit_cols[0] || c == &implicit_cols[1] || c == &implicit_cols[2])
            return lp_err_field_add(err, "", "'%s' is not a column of %s", v->string, t->name);
        if (*n >= 60) return lp_err_set(err, LP_EINVAL, "too many columns");
        rc = json_param(c, v, &params[*n], &keep[*nkeep], err);
        if (rc) return rc;
        if (keep[*nkeep]) (*nkeep)++;
        lp_buf_printf(sql, fmt, c->name);
        if (qs) lp_buf_puts(qs, "?, ");
        (*n)++;
    }
    return LP_OK;
}

static int64_t now_ms(lp_store *st)
{
    const lp_clock *ck = lp_store_clock(st);
    return ck->now_ms(ck->ud);
}

static int64_t record_company(const lp_table *t, const cJSON *rec)
{
    const cJSON *c;
    if (!t->company_col || !rec) return 0;
    c = cJSON_GetObjectItemCaseSensitive(rec, t->company_col);
    return cJSON_IsNumber(c) ? (int64_t)c->valuedouble : 0;
}

static int audit_change(lp_store *st, const lp_table *t, const lp_actor *who, const char *verb,
                        const cJSON *before, const cJSON *after, lp_err *err)
{
    const cJSON *rec = after ? after : before;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
    char idbuf[64], action[96];
    char *b = before ? cJSON_PrintUnformatted(before) : NULL;
    char *a = after ? cJSON_PrintUnformatted(after) : NULL;
    int rc;
    if (cJSON_IsString(id)) snprintf(idbuf, sizeof idbuf, "%s", id->valuestring);
    else snprintf(idbuf, sizeof idbuf, "%" PRId64, cJSON_IsNumber(id) ? (int64_t)id->valuedouble : 0);
    snprintf(action, sizeof action, "%s.%s", t->object_type, verb);
    rc = lp_store_audit_append(st, who, action, t->object_type, idbuf, record_company(t, rec), b, a, err);
    cJSON_free(b);
    cJSON_free(a);
    return rc;
}

static void observe(lp_store *st, const lp_table *t, const char *op, double t0)
{
    char name[96];
    snprintf(name, sizeof name, "%s.%s", t->name, op);
    lp_store_observe(st, name, lp_monotonic() - t0);
}

int lp_table_insert(lp_store *st, const lp_table *t, const lp_actor *who,
                    const char *text_id, const cJSON *values, cJSON **out, lp_err *err)
{
    lp_buf sql, qs;
    lp_db_val params[64];
    char *keep[64];
    int n = 0, nkeep = 0, rc, in_tx = 0, i;
    lp_db_res *r = NULL;
    cJSON *rec = NULL;
    int64_t now = now_ms(st);
    double t0 = lp_monotonic();

    if (out) *out = NULL;
    lp_buf_init(&sql);
    lp_buf_init(&qs);
    lp_buf_printf(&sql, "INSERT INTO %s (", t->name);
    if (t->text_id) {
        lp_buf_puts(&sql, "id, ");
        lp_buf_puts(&qs, "?, ");
        params[n++] = LP_DB_S(text_id);
    }
    rc = add_members(t, values, params, &n, keep, &nkeep, &sql, &qs, "%s, ", err);
    if (rc) goto out;
    lp_buf_printf(&sql, "version, created_at, updated_at) VALUES (%s?, ?, ?) RETURNING ", lp_buf_str(&qs));
    params[n++] = LP_DB_I(1);
    params[n++] = LP_DB_I(now);
    params[n++] = LP_DB_I(now);
    select_list(t, &sql);

    rc = lp_store_begin(st, err);
    if (rc) goto out;
    in_tx = 1;
    rc = lp_db_query(lp_store_db(st), lp_buf_str(&sql), params, n, &r, err);
    if (rc) goto out;
    rec = lp_table_row_json(t, r, 0);
    rc = audit_change(st, t, who, "create", NULL, rec, err);
    if (rc) goto out;
    rc = lp_store_commit(st, err);
    in_tx = 0;
    if (rc) goto out;
    if (out) {
        *out = rec;
        rec = NULL;
    }
    observe(st, t, "insert", t0);
out:
    if (in_tx) lp_store_rollback(st);
    for (i = 0; i < nkeep; i++) cJSON_free(keep[i]);
    cJSON_Delete(rec);
    lp_db_res_free(r);
    lp_buf_deinit(&sql);
    lp_buf_deinit(&qs);
    return rc;
}

/* The id as a parameter: text tables bind text, others an integer (a
 * non-numeric id can match nothing). */
static int id_param(const lp_table *t, const char *id, lp_db_val *out)
{
    char *end;
    long long v;
    if (t->text_id) {
        *out = LP_DB_S(id);
        return 1;
    }
    v = strtoll(id, &end, 10);
    if (!*id || *end || v <= 0) return 0;
    *out = LP_DB_I(v);
    return 1;
}

/* Reads one record by id (for update: inside the transaction). */
static int fetch(lp_store *st, const lp_table *t, const char *id, int64_t company, int for_update,
                 cJSON **out, lp_err *err)
{
    lp_buf sql;
    lp_db_val p[2];
    lp_db_res *r = NULL;
    int n = 0, rc;

    *out = NULL;
    if (!id_param(t, id, &p[n++])) return lp_err_set(err, LP_ENOTFOUND, "no %s with id '%s'", t->object_type, id);
    lp_buf_init(&sql);
    lp_buf_puts(&sql, "SELECT ");
    select_list(t, &sql);
    lp_buf_printf(&sql, " FROM %s WHERE id = ?", t->name);
    if (company && t->company_col) {
        lp_buf_printf(&sql, " AND %s = ?", t->company_col);
        p[n++] = LP_DB_I(company);
    }
    if (for_update && lp_db_dialect_of(lp_store_db(st)) == LP_DB_PG) lp_buf_puts(&sql, " FOR UPDATE");
    rc = lp_db_query(lp_store_db(st), lp_buf_str(&sql), p, n, &r, err);
    lp_buf_deinit(&sql);
    if (rc) return rc;
    if (lp_db_res_nrows(r) == 0) rc = lp_err_set(err, LP_ENOTFOUND, "no %s with id '%s'", t->object_type, id);
    else *out = lp_table_row_json(t, r, 0);
    lp_db_res_free(r);
    return rc;
}

int lp_table_get(lp_store *st, const lp_table *t, const char *id, int64_t company,
                 cJSON **out, lp_err *err)
{
    double t0 = lp_monotonic();
    int rc = fetch(st, t, id, company, 0, out, err);
    observe(st, t, "get", t0);
    return rc;
}

int lp_table_update(lp_store *st, const lp_table *t, const lp_actor *who,
                    const char *id, int64_t company, int64_t if_version,
                    const char *action, const cJSON *patch, cJSON **out, lp_err *err)
{
    lp_buf sql;
    lp_db_val params[64];
    char *keep[64];
    int n = 0, nkeep = 0, rc, in_tx = 0, i;
    lp_db_res *r = NULL;
    cJSON *before = NULL, *after = NULL;
    const cJSON *ver;
    double t0 = lp_monotonic();

    if (out) *out = NULL;
    lp_buf_init(&sql);
    lp_buf_printf(&sql, "UPDATE %s SET ", t->name);
    rc = add_members(t, patch, params, &n, keep, &nkeep, &sql, NULL, "%s = ?, ", err);
    if (rc) goto out;
    lp_buf_puts(&sql, "version = version + 1, updated_at = ? WHERE id = ? RETURNING ");
    select_list(t, &sql);
    params[n++] = LP_DB_I(now_ms(st));

    rc = lp_store_begin(st, err);
    if (rc) goto out;
    in_tx = 1;
    rc = fetch(st, t, id, company, 1, &before, err);
    if (rc) goto out;
    ver = cJSON_GetObjectItemCaseSensitive(before, "version");
    if (if_version >= 0 && (!cJSON_IsNumber(ver) || (int64_t)ver->valuedouble != if_version)) {
        rc = lp_err_set(err, LP_ESTALE, "%s '%s' is at version %d, not %" PRId64 " (it changed since you read it)",
                        t->object_type, id, cJSON_IsNumber(ver) ? (int)ver->valuedouble : 0, if_version);
        goto out;
    }
    id_param(t, id, &params[n++]);
    rc = lp_db_query(lp_store_db(st), lp_buf_str(&sql), params, n, &r, err);
    if (rc) goto out;
    after = lp_table_row_json(t, r, 0);
    rc = audit_change(st, t, who, action ? action : "update", before, after, err);
    if (rc) goto out;
    rc = lp_store_commit(st, err);
    in_tx = 0;
    if (rc) goto out;
    if (out) {
        *out = after;
        after = NULL;
    }
    observe(st, t, "update", t0);
out:
    if (in_tx) lp_store_rollback(st);
    for (i = 0; i < nkeep; i++) cJSON_free(keep[i]);
    cJSON_Delete(before);
    cJSON_Delete(after);
    lp_db_res_free(r);
    lp_buf_deinit(&sql);
    return rc;
}

/* A filter value as a parameter of its column's type; a value that cannot
 * be of that type is the caller's mistake, not an empty result. */
static int filter_param(const lp_col *c, const char *name, const char *value, lp_db_val *out, lp_err *err)
{
    char ptr[96];
    snprintf(ptr, sizeof ptr, "?%.90s", name);
    if (c && (c->kind == LP_COL_INT || c->kind == LP_COL_TIME)) {
        char *end;
        long long v = strtoll(value, &end, 10);
        if (!*value || *end) return lp_err_field_add(err, ptr, "must be an integer");
        *out = LP_DB_I(v);
    } else if (c && c->kind == LP_COL_BOOL) {
        if (strcmp(value, "true") && strcmp(value, "false")) return lp_err_field_add(err, ptr, "must be true or false");
        *out = LP_DB_I(strcmp(value, "true") == 0);
    } else {
        *out = LP_DB_S(value);
    }
    return LP_OK;
}

int lp_table_list(lp_store *st, const lp_table *t, const lp_filter *filters, int nfilters,
                  int64_t company, const char *cursor, int limit,
                  cJSON **items, char **next, lp_err *err)
{
    lp_buf sql;
    lp_db_val p[40];
    lp_db_res *r = NULL;
    int n = 0, rc, i, rows;
    double t0 = lp_monotonic();

    *items = NULL;
    *next = NULL;
    if (nfilters > 32) return lp_err_set(err, LP_EINVAL, "too many filters");
    lp_buf_init(&sql);
    lp_buf_puts(&sql, "SELECT ");
    select_list(t, &sql);
    lp_buf_printf(&sql, " FROM %s WHERE 1=1", t->name);
    for (i = 0; i < nfilters; i++) {
        const lp_col *c = find_col(t, filters[i].col);
        if (!c && strcmp(filters[i].col, "id") != 0) {
            rc = lp_err_set(err, LP_EINVAL, "cannot filter on '%s'", filters[i].col);
            goto out;
        }
        lp_buf_printf(&sql, " AND %s = ?", filters[i].col);
        rc = filter_param(c, filters[i].col, filters[i].value, &p[n++], err);
        if (rc) goto out;
    }
    if (company && t->company_col) {
        lp_buf_printf(&sql, " AND %s = ?", t->company_col);
        p[n++] = LP_DB_I(company);
    }
    if (cursor && *cursor) {
        char *end;
        long long c = strtoll(cursor, &end, 10);
        if (!t->text_id && (*end || c < 0)) {
            rc = lp_err_field_add(err, "?cursor", "is not a cursor this server gave out");
            goto out;
        }
        lp_buf_puts(&sql, " AND id > ?");
        p[n++] = t->text_id ? LP_DB_S(cursor) : LP_DB_I(c);
    }
    lp_buf_puts(&sql, " ORDER BY id LIMIT ?");
    p[n++] = LP_DB_I(limit + 1);
    rc = lp_db_query(lp_store_db(st), lp_buf_str(&sql), p, n, &r, err);
    if (rc) goto out;
    rows = lp_db_res_nrows(r);
    *items = cJSON_CreateArray();
    for (i = 0; i < rows && i < limit; i++) cJSON_AddItemToArray(*items, lp_table_row_json(t, r, i));
    if (rows > limit && limit > 0) *next = lp_strdup(lp_db_res_text(r, limit - 1, 0));
    observe(st, t, "list", t0);
out:
    lp_db_res_free(r);
    lp_buf_deinit(&sql);
    return rc;
}

const char *lp_json_str(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int64_t lp_json_int(const cJSON *o, const char *name, int64_t fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : fallback;
}

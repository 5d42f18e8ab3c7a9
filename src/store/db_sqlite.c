/* db_sqlite.c - the SQLite backend of the portable SQL connection.
 *
 * The database runs in WAL mode with synchronous=FULL: a COMMIT returns only
 * after the WAL is on disk, so an acknowledged write survives kill -9 and
 * power loss.  Prepared statements are kept in a small cache keyed by their
 * SQL text: the store issues the same few statements over and over, and
 * parsing them was a tenth of the cost of a read request. */
#include "db_impl.h"
#include "../core/mem.h"

#include <sqlite3.h>
#include <string.h>

#define CACHE_SIZE 64

typedef struct cached {
    char *sql;
    sqlite3_stmt *st;
    unsigned hash;
} cached;

typedef struct sq_conn {
    sqlite3 *h;
    cached cache[CACHE_SIZE];
    int next; /* slot to reuse when the cache is full (round robin) */
} sq_conn;

static unsigned hash_sql(const char *s)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* A prepared statement for sql, from the cache or newly prepared (and cached). */
static int prepare_cached(sq_conn *c, const char *sql, sqlite3_stmt **out)
{
    unsigned h = hash_sql(sql);
    int i, rc;
    cached *slot;
    for (i = 0; i < CACHE_SIZE; i++)
        if (c->cache[i].st && c->cache[i].hash == h && strcmp(c->cache[i].sql, sql) == 0) {
            *out = c->cache[i].st;
            return SQLITE_OK;
        }
    rc = sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    if (rc != SQLITE_OK) return rc;
    slot = &c->cache[c->next];
    c->next = (c->next + 1) % CACHE_SIZE;
    if (slot->st) sqlite3_finalize(slot->st);
    lp_free(slot->sql);
    slot->sql = lp_strdup(sql);
    slot->st = *out;
    slot->hash = h;
    return SQLITE_OK;
}

static int fail(sqlite3 *h, int rc, lp_err *err, const char *what)
{
    int ext = h ? sqlite3_extended_errcode(h) : rc;
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return lp_err_set(err, LP_ECONFLICT, "%s: %s", what, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
    return lp_err_set(err, LP_ESTORE, "%s: %s", what, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
}

static int sq_open(const char *path, void **conn, lp_err *err)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        lp_err_set(err, LP_ESTORE, "cannot open SQLite database '%s': %s", path,
                   h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_busy_timeout(h, 5000);
    sqlite3_extended_result_codes(h, 1);
    rc = sqlite3_exec(h,
                      "PRAGMA journal_mode=WAL;"
                      "PRAGMA synchronous=FULL;"
                      "PRAGMA foreign_keys=ON;",
                      NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        fail(h, rc, err, "cannot configure SQLite database");
        goto fail;
    }
    {
        sq_conn *c = lp_calloc(1, sizeof *c);
        c->h = h;
        *conn = c;
    }
    return LP_OK;
fail:
    sqlite3_close(h);
    return err ? err->code : LP_ESTORE;
}

static void sq_close(void *conn)
{
    sq_conn *c = conn;
    int i;
    if (!c) return;
    for (i = 0; i < CACHE_SIZE; i++) {
        sqlite3_finalize(c->cache[i].st);
        lp_free(c->cache[i].sql);
    }
    sqlite3_close_v2(c->h);
    lp_free(c);
}

static int sq_exec_script(void *conn, const char *sql, lp_err *err)
{
    sq_conn *c = conn;
    char *msg = NULL;
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int code = fail(c->h, rc, err, "SQLite");
        sqlite3_free(msg);
        return code;
    }
    return LP_OK;
}

static int bind_all(sqlite3_stmt *st, const lp_db_val *p, int n)
{
    int i, rc = SQLITE_OK;
    for (i = 0; i < n && rc == SQLITE_OK; i++) {
        switch (p[i].type) {
        case LP_DB_INT: rc = sqlite3_bind_int64(st, i + 1, p[i].i); break;
        case LP_DB_REAL: rc = sqlite3_bind_double(st, i + 1, p[i].r); break;
        case LP_DB_TEXT: rc = sqlite3_bind_text(st, i + 1, p[i].s, -1, SQLITE_STATIC); break;
        default: rc = sqlite3_bind_null(st, i + 1); break;
        }
    }
    return rc;
}

static void copy_row(sqlite3_stmt *st, lp_db_res *res)
{
    int row = db__res_add_row(res), c;
    for (c = 0; c < res->ncols; c++) {
        db_cell *cell = db__res_cell(res, row, c);
        switch (sqlite3_column_type(st, c)) {
        case SQLITE_INTEGER:
            cell->type = LP_DB_INT;
            cell->i = sqlite3_column_int64(st, c);
            break;
        case SQLITE_FLOAT:
            cell->type = LP_DB_REAL;
            cell->r = sqlite3_column_double(st, c);
            break;
        case SQLITE_NULL:
            cell->type = LP_DB_NULL;
            break;
        default: {
            const unsigned char *t = sqlite3_column_text(st, c);
            int len = sqlite3_column_bytes(st, c);
            cell->type = LP_DB_TEXT;
            cell->s = lp_strndup(t ? (const char *)t : "", (size_t)len);
            break;
        }
        }
    }
}

static int sq_query(void *conn, const char *sql, const lp_db_val *p, int n,
                    lp_db_res *res, lp_err *err)
{
    sq_conn *conn_ = conn;
    sqlite3 *h = conn_->h;
    sqlite3_stmt *st = NULL;
    int rc, c, code = LP_OK;

    rc = prepare_cached(conn_, sql, &st);
    if (rc != SQLITE_OK) {
        code = fail(h, rc, err, "SQLite prepare");
        goto out;
    }
    rc = bind_all(st, p, n);
    if (rc != SQLITE_OK) {
        code = fail(h, rc, err, "SQLite bind");
        goto out;
    }
    db__res_set_cols(res, sqlite3_column_count(st));
    for (c = 0; c < res->ncols; c++) db__res_set_colname(res, c, sqlite3_column_name(st, c));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) copy_row(st, res);
    if (rc != SQLITE_DONE) {
        code = fail(h, rc, err, "SQLite");
        goto out;
    }
    res->changes = sqlite3_stmt_readonly(st) ? 0 : sqlite3_changes64(h);
out:
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    return code;
}

const db_backend db__sqlite_backend = {
    .name = "sqlite",
    .dialect = LP_DB_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .exec_script = sq_exec_script,
    .query = sq_query,
    .begin_sql = "BEGIN IMMEDIATE",
};

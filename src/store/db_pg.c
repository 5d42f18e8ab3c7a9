/* db_pg.c - the PostgreSQL backend of the portable SQL connection (libpq).
 *
 * Statements arrive with SQLite-style '?' placeholders; they are rewritten to
 * $1..$n and sent with PQexecParams, parameters as text of unknown type so the
 * server infers each from its context (as it would for a quoted literal).
 * Results are copied into an lp_db_res and the PGresult freed at once.  Error
 * messages never contain the URL, which may hold a password. */
#include "db_impl.h"
#include "../core/buf.h"
#include "../core/mem.h"

#include <ctype.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

/* Type OIDs from the server's catalog/pg_type.h, which libpq does not ship;
 * they are fixed since PostgreSQL 7. */
enum {
    OID_BOOL = 16,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_OID = 26,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_NUMERIC = 1700,
};

/* Errors -------------------------------------------------------------------- */

/* Copies s into dst with runs of white space (libpq's messages end in a
 * newline and may span lines) squeezed to one space. */
static void flatten(char *dst, size_t cap, const char *s)
{
    size_t n = 0;
    int space = 0;
    if (!s) s = "";
    while (isspace((unsigned char)*s)) s++;
    for (; *s && n + 1 < cap; s++) {
        if (isspace((unsigned char)*s)) {
            space = 1;
            continue;
        }
        if (space && n + 2 < cap) dst[n++] = ' ';
        space = 0;
        dst[n++] = *s;
    }
    dst[n] = '\0';
}

/* Sets err from a failed result (which may be NULL when libpq could not even
 * build one, e.g. after losing the connection) and returns the code:
 * LP_ECONFLICT for unique_violation (SQLSTATE 23505), LP_ESTORE otherwise. */
static int fail(PGconn *pc, const PGresult *r, lp_err *err)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char text[256];
    int code = (state && strcmp(state, "23505") == 0) ? LP_ECONFLICT : LP_ESTORE;

    if (!msg && r) msg = PQresultErrorMessage(r);
    if (!msg || !*msg) msg = PQerrorMessage(pc);
    flatten(text, sizeof text, msg);
    return lp_err_set(err, code, "PostgreSQL: %s", *text ? text : "unknown error");
}

static int result_ok(const PGresult *r)
{
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
}

/* Open and close ------------------------------------------------------------ */

/* Whether a URL that libpq cannot parse might hold a password: its parse
 * error may quote any part of the URL, so then we do not pass it on. */
static int may_hold_secret(const char *url)
{
    const char *p = strstr(url, "://");
    const char *at, *end;
    if (!p) return 1;
    p += 3;
    end = p + strcspn(p, "/?");
    at = memchr(p, '@', (size_t)(end - p));
    if (at && memchr(p, ':', (size_t)(at - p))) return 1;
    return strstr(url, "password") != NULL || strstr(url, "PASSWORD") != NULL;
}

static int pg_open(const char *url, void **conn, lp_err *err)
{
    /* dbname is expanded in place, so connect_timeout in the URL overrides
     * our default and fallback_application_name never overrides the URL's. */
    static const char *const keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
    const char *vals[] = {"10", "landport", url, NULL};
    PQconninfoOption *opts = NULL;
    PGconn *pc = NULL;
    PGresult *r = NULL;
    char *perr = NULL;
    char text[200];

    opts = PQconninfoParse(url, &perr);
    if (!opts) {
        flatten(text, sizeof text, perr ? perr : "out of memory");
        if (may_hold_secret(url))
            lp_err_set(err, LP_EINVAL, "malformed PostgreSQL URL (not shown: it may hold a password)");
        else
            lp_err_set(err, LP_EINVAL, "malformed PostgreSQL URL '%s': %s", url, text);
        goto fail;
    }
    pc = PQconnectdbParams(keys, vals, 1);
    if (!pc || PQstatus(pc) != CONNECTION_OK) {
        /* libpq's message names host, port and user, never the password. */
        flatten(text, sizeof text, pc ? PQerrorMessage(pc) : "out of memory");
        lp_err_set(err, LP_ESTORE, "cannot connect to PostgreSQL database '%s': %s",
                   pc && PQdb(pc) ? PQdb(pc) : "?", text);
        goto fail;
    }
    r = PQexec(pc, "SET client_min_messages = warning");
    if (!result_ok(r)) {
        fail(pc, r, err);
        goto fail;
    }
    PQclear(r);
    PQconninfoFree(opts);
    PQfreemem(perr);
    *conn = pc;
    return LP_OK;
fail:
    PQclear(r);
    PQfinish(pc);
    PQconninfoFree(opts);
    PQfreemem(perr);
    return err ? err->code : LP_ESTORE;
}

static void pg_close(void *conn)
{
    PQfinish(conn);
}

static int pg_exec_script(void *conn, const char *sql, lp_err *err)
{
    PGresult *r = PQexec(conn, sql);
    int code = result_ok(r) ? LP_OK : fail(conn, r, err);
    PQclear(r);
    return code;
}

/* Placeholders ---------------------------------------------------------------- */

static int is_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* If p starts a dollar-quote delimiter ($$ or $tag$), returns its length,
 * else 0.  prev is the character before p (a '$' inside an identifier or a
 * positional parameter like $1 starts no quote). */
static size_t dollar_tag(const char *p, char prev)
{
    size_t n = 1;
    if (prev && is_ident_char(prev)) return 0;
    if (isalpha((unsigned char)p[1]) || p[1] == '_' || (unsigned char)p[1] >= 0x80) {
        while (p[n] && p[n] != '$' && is_ident_char(p[n])) n++;
    }
    return p[n] == '$' ? n + 1 : 0;
}

/* Rewrites each '?' outside string literals, quoted identifiers and comments
 * to $1, $2, ... and stores the count in *count.  Skipped: '...' (with ''
 * escapes, and backslash escapes in E'...'), "..." , $tag$...$tag$, -- to end
 * of line and nested block comments.  Caller frees with lp_free(). */
static char *rewrite_placeholders(const char *sql, int *count)
{
    lp_buf b;
    const char *p = sql;
    int n = 0;

    lp_buf_init(&b);
    while (*p) {
        const char *start = p;
        char prev = p > sql ? p[-1] : '\0';
        if (*p == '?') {
            lp_buf_printf(&b, "$%d", ++n);
            p++;
            continue;
        }
        if (*p == '\'') {
            /* E'..' (not the tail of an identifier like "name'") honours
             * backslash escapes; the doubled quote '' reads as leave and
             * re-enter, which copies the same bytes. */
            int esc = (prev == 'E' || prev == 'e') && (p - sql < 2 || !is_ident_char(p[-2]));
            for (p++; *p && *p != '\''; p++)
                if (esc && *p == '\\' && p[1]) p++;
            if (*p) p++;
        } else if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {}
            if (*p) p++;
        } else if (p[0] == '-' && p[1] == '-') {
            p += strcspn(p, "\n");
        } else if (p[0] == '/' && p[1] == '*') {
            int depth = 1;
            for (p += 2; *p && depth; p++) {
                if (p[0] == '/' && p[1] == '*') depth++, p++;
                else if (p[0] == '*' && p[1] == '/') depth--, p++;
            }
        } else if (*p == '$') {
            size_t tag = dollar_tag(p, prev);
            if (tag) {
                const char *close;
                for (close = p + tag; *close && strncmp(close, p, tag) != 0; close++) {}
                p = *close ? close + tag : close;
            } else {
                p++;
            }
        } else {
            p++;
        }
        lp_buf_append(&b, start, (size_t)(p - start));
    }
    *count = n;
    return lp_buf_take(&b);
}

/* Queries ------------------------------------------------------------------- */

static void copy_cell(const PGresult *r, int row, int col, db_cell *cell)
{
    const char *v = PQgetvalue(r, row, col);

    if (PQgetisnull(r, row, col)) {
        cell->type = LP_DB_NULL;
        return;
    }
    switch (PQftype(r, col)) {
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
        cell->type = LP_DB_INT;
        cell->i = strtoll(v, NULL, 10);
        break;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
        /* strtod reads "NaN", "Infinity" and "-Infinity" as the server
         * writes them. */
        cell->type = LP_DB_REAL;
        cell->r = strtod(v, NULL);
        break;
    case OID_BOOL:
        cell->type = LP_DB_INT;
        cell->i = v[0] == 't';
        break;
    default:
        cell->type = LP_DB_TEXT;
        cell->s = lp_strndup(v, (size_t)PQgetlength(r, row, col));
        break;
    }
}

static void copy_result(PGresult *r, lp_db_res *res)
{
    int ncols = PQnfields(r), nrows = PQntuples(r), row, col;
    const char *status = PQcmdStatus(r);

    db__res_set_cols(res, ncols);
    for (col = 0; col < ncols; col++) db__res_set_colname(res, col, PQfname(r, col));
    for (row = 0; row < nrows; row++) {
        int k = db__res_add_row(res);
        for (col = 0; col < ncols; col++) copy_cell(r, row, col, db__res_cell(res, k, col));
    }
    /* PQcmdTuples also counts the rows of a SELECT; like SQLite's changes,
     * only statements that write count. */
    if (strncmp(status, "INSERT ", 7) == 0 || strncmp(status, "UPDATE ", 7) == 0 ||
        strncmp(status, "DELETE ", 7) == 0 || strncmp(status, "MERGE ", 6) == 0)
        res->changes = strtoll(PQcmdTuples(r), NULL, 10);
}

static int pg_query(void *conn, const char *sql, const lp_db_val *p, int n,
                    lp_db_res *res, lp_err *err)
{
    const char **values = NULL;
    char **owned = NULL; /* text renderings of numeric parameters */
    PGresult *r = NULL;
    char *stmt;
    int i, count, code = LP_OK;

    stmt = rewrite_placeholders(sql, &count);
    if (count != n) {
        code = lp_err_set(err, LP_ESTORE, "PostgreSQL: statement has %d placeholders but %d parameters were given",
                          count, n);
        goto out;
    }
    values = lp_calloc((size_t)n, sizeof *values);
    owned = lp_calloc((size_t)n, sizeof *owned);
    for (i = 0; i < n; i++) {
        switch (p[i].type) {
        case LP_DB_INT: values[i] = owned[i] = lp_sprintf("%" PRId64, p[i].i); break;
        case LP_DB_REAL: values[i] = owned[i] = lp_sprintf("%.17g", p[i].r); break;
        case LP_DB_TEXT: values[i] = p[i].s; break;
        default: values[i] = NULL; break;
        }
    }
    r = PQexecParams(conn, stmt, n, NULL, values, NULL, NULL, 0);
    if (!result_ok(r)) {
        code = fail(conn, r, err);
        goto out;
    }
    copy_result(r, res);
out:
    PQclear(r);
    for (i = 0; owned && i < n; i++) lp_free(owned[i]);
    lp_free(owned);
    lp_free(values);
    lp_free(stmt);
    return code;
}

const db_backend db__pg_backend = {
    .name = "postgresql",
    .dialect = LP_DB_PG,
    .open = pg_open,
    .close = pg_close,
    .exec_script = pg_exec_script,
    .query = pg_query,
    /* The store serialises its writers with a row lock of its own, so the
     * default level is enough and never fails a commit on serialisation. */
    .begin_sql = "BEGIN ISOLATION LEVEL READ COMMITTED",
};

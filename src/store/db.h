/* db.h - a small portable SQL connection over SQLite and PostgreSQL.
 *
 * The store modules write their SQL once, with '?' placeholders, and run it on
 * either backend: SQLite (a file path, or "sqlite:PATH") or PostgreSQL (a
 * "postgresql://" or "postgres://" URL).  Results are materialised (like a
 * PGresult) so callers can read them in any order.  Scripts (migrations) may
 * use the tokens below, which the connection replaces for its dialect:
 *   {{AUTOID}}  an auto-incrementing 64-bit primary key column type
 *   {{BLOB}}    a binary column type
 * One connection is used by one thread (the event loop). */
#ifndef LP_DB_H
#define LP_DB_H

#include <stdint.h>
#include "../core/err.h"

typedef struct lp_db lp_db;
typedef struct lp_db_res lp_db_res;

typedef enum { LP_DB_SQLITE = 1, LP_DB_PG = 2 } lp_db_dialect;

typedef enum {
    LP_DB_NULL = 0,
    LP_DB_INT = 1,  /* 64-bit integer (also booleans) */
    LP_DB_REAL = 2,
    LP_DB_TEXT = 3,
} lp_db_type;

/* A parameter value.  Text is borrowed for the duration of the call. */
typedef struct lp_db_val {
    lp_db_type type;
    int64_t i;
    double r;
    const char *s;
} lp_db_val;

#define LP_DB_I(v) ((lp_db_val){.type = LP_DB_INT, .i = (v)})
/* Text, or NULL for a NULL text. */
static inline lp_db_val lp_db_text(const char *s)
{
    lp_db_val v = {.type = s ? LP_DB_TEXT : LP_DB_NULL, .s = s};
    return v;
}
#define LP_DB_S(v) lp_db_text(v)
#define LP_DB_R(v) ((lp_db_val){.type = LP_DB_REAL, .r = (v)})
#define LP_DB_NUL ((lp_db_val){.type = LP_DB_NULL})

/* Open and close ------------------------------------------------------------ */

/* Opens the database named by url (see above).  SQLite files are created if
 * missing and put in WAL mode with synchronous=FULL so that a committed
 * transaction survives a crash.  On success *out is the connection; caller
 * owns it and frees it with lp_db_close().  Returns LP_ESTORE (or LP_EINVAL for
 * a malformed url) with a message in err. */
int lp_db_open(const char *url, lp_db **out, lp_err *err);
void lp_db_close(lp_db *db);
lp_db_dialect lp_db_dialect_of(const lp_db *db);
/* "sqlite" or "postgresql". */
const char *lp_db_backend_name(const lp_db *db);

/* Statements ------------------------------------------------------------------ */

/* Runs several ';'-separated statements without parameters, after replacing
 * the dialect tokens.  Returns 0 or LP_ESTORE. */
int lp_db_exec_script(lp_db *db, const char *sql, lp_err *err);

/* Runs one statement with n parameters bound to its '?' placeholders in order.
 * On success, if out is not NULL, *out receives the result (rows, or only the
 * count of changed rows); caller frees it with lp_db_res_free().
 * Returns 0, LP_ECONFLICT for a unique/primary-key violation, or LP_ESTORE. */
int lp_db_query(lp_db *db, const char *sql, const lp_db_val *params, int n,
                lp_db_res **out, lp_err *err);

/* Transactions: begin takes the write lock at once (SQLite BEGIN IMMEDIATE) so
 * that writers serialise at the start rather than fail at commit. */
int lp_db_begin(lp_db *db, lp_err *err);
int lp_db_commit(lp_db *db, lp_err *err);
/* Never fails from the caller's view: an error is logged and ignored. */
void lp_db_rollback(lp_db *db);

/* Results ---------------------------------------------------------------- */

int lp_db_res_nrows(const lp_db_res *r);
int lp_db_res_ncols(const lp_db_res *r);
/* Borrowed; valid until lp_db_res_free(). */
const char *lp_db_res_colname(const lp_db_res *r, int col);
/* Rows changed by an INSERT/UPDATE/DELETE. */
int64_t lp_db_res_changes(const lp_db_res *r);
lp_db_type lp_db_res_type(const lp_db_res *r, int row, int col);
int lp_db_res_isnull(const lp_db_res *r, int row, int col);
int64_t lp_db_res_int(const lp_db_res *r, int row, int col);
double lp_db_res_real(const lp_db_res *r, int row, int col);
/* Text of the cell ("" for NULL, a decimal rendering for numbers).
 * Borrowed; valid until lp_db_res_free(). */
const char *lp_db_res_text(const lp_db_res *r, int row, int col);
void lp_db_res_free(lp_db_res *r);

#endif

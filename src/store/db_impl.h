/* db_impl.h - what the SQL backends (db_sqlite.c, db_pg.c) share with db.c:
 * the backend table of operations and the materialised result. Internal to
 * src/store. */
#ifndef LP_DB_IMPL_H
#define LP_DB_IMPL_H

#include "db.h"

typedef struct db_cell {
    lp_db_type type;
    int64_t i;
    double r;
    char *s; /* owned; for TEXT, and the rendering of numbers once asked */
} db_cell;

struct lp_db_res {
    int nrows, ncols, cap;
    char **colnames; /* owned */
    db_cell *cells;  /* nrows * ncols, row-major; owned */
    int64_t changes;
};

typedef struct db_backend {
    const char *name;
    lp_db_dialect dialect;
    /* Connects; *conn is the backend's handle. */
    int (*open)(const char *url, void **conn, lp_err *err);
    void (*close)(void *conn);
    /* Runs a script with no parameters (tokens already replaced). */
    int (*exec_script)(void *conn, const char *sql, lp_err *err);
    /* Runs one statement ('?' placeholders) and fills res (already
     * initialised empty by the caller). */
    int (*query)(void *conn, const char *sql, const lp_db_val *p, int n,
                 lp_db_res *res, lp_err *err);
    const char *begin_sql; /* e.g. "BEGIN IMMEDIATE" */
} db_backend;

extern const db_backend db__sqlite_backend;
extern const db_backend db__pg_backend;

/* Result building, for backends. */
void db__res_set_cols(lp_db_res *r, int ncols);
void db__res_set_colname(lp_db_res *r, int col, const char *name);
/* Appends a row of NULL cells and returns its index. */
int db__res_add_row(lp_db_res *r);
db_cell *db__res_cell(lp_db_res *r, int row, int col);

#endif

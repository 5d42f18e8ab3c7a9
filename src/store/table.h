/* table.h - generic, audited create/read/update/list of one kind of record.
 *
 * A resource (crossing point, company, vehicle, driver, ...) is described by
 * an lp_table: its SQL table, the JSON type of each column, and which column
 * ties a row to a company.  The functions here map rows to cJSON objects shaped
 * like the API's resources and write every change with its audit event (before
 * and after) in one transaction.  Every table has the implicit columns id,
 * version (bumped on each update), created_at and updated_at (ms, shown as
 * RFC 3339). */
#ifndef LP_TABLE_H
#define LP_TABLE_H

#include <cjson/cJSON.h>
#include "store.h"

typedef enum {
    LP_COL_TEXT = 0,
    LP_COL_INT,  /* 64-bit integer */
    LP_COL_BOOL, /* stored 0/1 */
    LP_COL_JSON, /* stored as JSON text, shown as JSON */
    LP_COL_TIME, /* stored as ms since the epoch, shown as RFC 3339 */
} lp_col_kind;

typedef struct lp_col {
    const char *name; /* SQL column and JSON member name */
    lp_col_kind kind;
} lp_col;

typedef struct lp_table {
    const char *name;        /* SQL table */
    const char *object_type; /* audit object type, e.g. "vehicle" */
    int text_id;             /* 1: id is TEXT given by the caller; 0: generated integer */
    const char *company_col; /* column holding the owning company id, NULL if none */
    const lp_col *cols;      /* writable and read-only columns besides the implicit ones */
    int ncols;
} lp_table;

/* Inserts values (a cJSON object whose members are columns of t; unknown
 * members are an error) with id text_id (text-id tables) and appends the
 * audit event "<object_type>.create".  On success *out (may be NULL) receives
 * the stored record; caller owns it (cJSON_Delete).  Returns LP_ECONFLICT on a
 * duplicate key, LP_ESTORE otherwise. */
int lp_table_insert(lp_store *st, const lp_table *t, const lp_actor *who,
                    const char *text_id, const cJSON *values, cJSON **out, lp_err *err);

/* Reads one record.  company (0 = any) limits the read to that company's
 * records: others are LP_ENOTFOUND, as if they did not exist.  Caller owns *out. */
int lp_table_get(lp_store *st, const lp_table *t, const char *id, int64_t company,
                 cJSON **out, lp_err *err);

/* Applies patch (members = columns to set) to one record, optionally only if
 * its version is if_version (-1: any), and appends "<object_type>.<action>"
 * with before and after.  Returns LP_ENOTFOUND, LP_ESTALE (version differs),
 * LP_ECONFLICT (duplicate key) or LP_ESTORE.  Caller owns *out (may be NULL). */
int lp_table_update(lp_store *st, const lp_table *t, const lp_actor *who,
                    const char *id, int64_t company, int64_t if_version,
                    const char *action, const cJSON *patch, cJSON **out, lp_err *err);

/* An equality filter on a column; value is text (converted for INT/BOOL). */
typedef struct lp_filter {
    const char *col;
    const char *value;
} lp_filter;

/* Lists up to limit records in id order after cursor (NULL = from the start),
 * matching every filter and, if company != 0, that company.  *items receives a
 * cJSON array (caller owns); *next (caller frees with lp_free) the cursor for
 * the next page, or NULL at the end. */
int lp_table_list(lp_store *st, const lp_table *t, const lp_filter *filters, int nfilters,
                  int64_t company, const char *cursor, int limit,
                  cJSON **items, char **next, lp_err *err);

/* Members of a record or checked body: the string (borrowed) or NULL, the
 * number or fallback, when the member is absent or of another type. */
const char *lp_json_str(const cJSON *o, const char *name);
int64_t lp_json_int(const cJSON *o, const char *name, int64_t fallback);

/* Converts row i of a result to a record of table t (or, with t NULL, by the
 * cells' own types).  Caller owns the result. */
cJSON *lp_table_row_json(const lp_table *t, const lp_db_res *r, int row);

#endif

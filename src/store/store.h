/* store.h - landport's persistence: one interface over SQLite (the embedded
 * default) and PostgreSQL (scale-out), selected by the database URL.
 *
 * Invariant: every change of gate state is written in one transaction together
 * with its audit event, and audit events are hash-chained (SHA-256) so that
 * `landport audit verify` finds any edited, removed or reordered event.
 * Records cross this interface as cJSON objects shaped like the API's
 * resources; the column mapping lives in lp_table descriptors (store_table.h).
 * Used by the HTTP handlers and the CLI. */
#ifndef LP_STORE_H
#define LP_STORE_H

#include <stdint.h>
#include "../core/clock.h"
#include "../core/err.h"
#include "../core/role.h"
#include "db.h"

typedef struct lp_store lp_store;

/* Who makes a change: recorded on every audit event.  Borrowed by calls. */
typedef struct lp_actor {
    const char *name;   /* token name, "cli:<user>", "system" */
    lp_role role;
    int64_t company_id; /* for role company, else 0 */
    const char *reason; /* optional free text, NULL if none */
} lp_actor;

/* Called after each store operation with its name and duration in seconds
 * (feeds /metrics). */
typedef void (*lp_store_timing_fn)(void *ud, const char *op, double seconds);

/* Open and close ------------------------------------------------------------ */

/* Opens the database at url (see db.h) without migrating it.  clock is
 * borrowed and must outlive the store.  Caller owns *out; close it with
 * lp_store_close(). */
int lp_store_open(const char *url, const lp_clock *clock, lp_store **out, lp_err *err);
void lp_store_close(lp_store *st);
void lp_store_set_timing(lp_store *st, lp_store_timing_fn fn, void *ud);
/* Borrowed; for store modules and tests. */
lp_db *lp_store_db(lp_store *st);
const lp_clock *lp_store_clock(lp_store *st);
/* Reports a duration to the timing observer (store modules use it). */
void lp_store_observe(lp_store *st, const char *op, double seconds);

/* Schema ------------------------------------------------------------------ */

/* The schema version this binary knows. */
int lp_store_schema_latest(void);
/* Current version of the open database (0 for an empty one). */
int lp_store_schema_version(lp_store *st, int *version, lp_err *err);
/* Applies the missing migrations in order, each in its own transaction, and
 * seeds the default data (the Hữu Nghị gate pair) on first creation.  *from
 * and *to (may be NULL) receive the versions before and after.  Returns
 * LP_ESCHEMA when the database is newer than this binary. */
int lp_store_migrate(lp_store *st, int *from, int *to, lp_err *err);

/* Transactions -------------------------------------------------------------- */

int lp_store_begin(lp_store *st, lp_err *err);
int lp_store_commit(lp_store *st, lp_err *err);
void lp_store_rollback(lp_store *st);

/* Audit log ----------------------------------------------------------------- */

/* Appends an audit event inside the current transaction.  before/after are
 * JSON texts or NULL; company_id (0 = none) says which company the event
 * concerns, for scoping reads.  Returns 0 or LP_ESTORE. */
int lp_store_audit_append(lp_store *st, const lp_actor *who, const char *action,
                          const char *object_type, const char *object_id,
                          int64_t company_id, const char *before, const char *after,
                          lp_err *err);

/* Lists audit events in order after seq after (0 = from the first), up to
 * limit, filtered by object_type / object_id / action (NULL = any) and, when
 * company != 0, to events about that company.  *items receives a cJSON array
 * (caller owns, cJSON_Delete); *next the seq to pass as after for the next
 * page, 0 at the end. */
struct cJSON;
int lp_store_audit_list(lp_store *st, const char *object_type, const char *object_id,
                        const char *action, int64_t company, int64_t after, int limit,
                        struct cJSON **items, int64_t *next, lp_err *err);

typedef struct lp_audit_report {
    int64_t events;       /* events checked */
    int64_t first_bad;    /* seq of the first bad event, 0 if the chain is intact */
    char why[256];        /* what is wrong with it */
    char head_hash[65];   /* hash of the last event (anchor it elsewhere) */
} lp_audit_report;

/* Walks the whole chain; returns 0 when intact, LP_ECORRUPT (with rep filled)
 * when not, or LP_ESTORE. progress (may be NULL) is called every 10,000 events. */
int lp_store_audit_verify(lp_store *st, lp_audit_report *rep,
                          void (*progress)(void *ud, int64_t done, int64_t total), void *ud,
                          lp_err *err);

#endif

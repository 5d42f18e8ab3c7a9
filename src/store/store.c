/* store.c - opening the store, transactions and timing (see store.h). */
#include "store.h"
#include "../core/mem.h"
#include "../os/sysclock.h"

struct lp_store {
    lp_db *db;
    const lp_clock *clock;
    lp_store_timing_fn timing;
    void *timing_ud;
    int depth;  /* nesting of lp_store_begin: only the outermost is real */
    int failed; /* an inner level rolled back: the outermost must too */
};

int lp_store_open(const char *url, const lp_clock *clock, lp_store **out, lp_err *err)
{
    lp_db *db = NULL;
    int rc = lp_db_open(url, &db, err);
    *out = NULL;
    if (rc) return rc;
    lp_store *st = lp_calloc(1, sizeof *st);
    st->db = db;
    st->clock = clock ? clock : lp_sysclock();
    *out = st;
    return LP_OK;
}

void lp_store_close(lp_store *st)
{
    if (!st) return;
    lp_db_close(st->db);
    lp_free(st);
}

void lp_store_set_timing(lp_store *st, lp_store_timing_fn fn, void *ud)
{
    st->timing = fn;
    st->timing_ud = ud;
}

lp_db *lp_store_db(lp_store *st) { return st->db; }
const lp_clock *lp_store_clock(lp_store *st) { return st->clock; }

void lp_store_observe(lp_store *st, const char *op, double seconds)
{
    if (st->timing) st->timing(st->timing_ud, op, seconds);
}

/* Transactions nest: inner levels only count, so a store function that opens
 * its own transaction can also run inside a caller's (the migration that
 * seeds data, a handler that changes two records at once). */
int lp_store_begin(lp_store *st, lp_err *err)
{
    int rc;
    if (st->depth > 0) {
        st->depth++;
        return LP_OK;
    }
    rc = lp_db_begin(st->db, err);
    if (rc == LP_OK) {
        st->depth = 1;
        st->failed = 0;
    }
    return rc;
}

int lp_store_commit(lp_store *st, lp_err *err)
{
    double t0;
    int rc;
    if (st->depth > 1) {
        st->depth--;
        return LP_OK;
    }
    st->depth = 0;
    if (st->failed) {
        lp_db_rollback(st->db);
        st->failed = 0;
        return lp_err_set(err, LP_ESTORE, "transaction rolled back by an inner failure");
    }
    t0 = lp_monotonic();
    rc = lp_db_commit(st->db, err);
    lp_store_observe(st, "commit", lp_monotonic() - t0);
    if (rc) lp_db_rollback(st->db);
    return rc;
}

void lp_store_rollback(lp_store *st)
{
    if (st->depth > 1) {
        st->depth--;
        st->failed = 1;
        return;
    }
    st->depth = 0;
    st->failed = 0;
    lp_db_rollback(st->db);
}

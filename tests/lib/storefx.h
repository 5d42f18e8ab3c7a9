/* storefx.h - the fixture of the store's unit tests (test_store, test_audit):
 * a store on a fresh database of the backend LANDPORT_TEST_BACKEND names, on a
 * fake clock that starts at LP_FX_T0 and a deterministic random generator, so
 * every timestamp and token is known; and the JSON helpers those tests share.
 * Everything fails the running test on error instead of returning a code. */
#ifndef LP_STOREFX_H
#define LP_STOREFX_H

#include "testlib.h"
#include "core/clock.h"
#include "store/store.h"

#include <cjson/cJSON.h>
#include <stdint.h>

/* The store fixture -------------------------------------------------------- */

#define LP_FX_T0 INT64_C(1790000000000) /* the fake clock at open and migration */

/* Fake time and randomness: tests move now forward by assigning it. */
typedef struct lp_fx_clock {
    int64_t now;  /* ms since the epoch, as lp_clock.now_ms answers */
    uint64_t rnd; /* state of a deterministic generator */
} lp_fx_clock;

typedef struct lp_fx {
    char *dir;       /* SQLite only: the database's directory; NULL on pg */
    char *url;       /* the database URL (for a second connection) */
    lp_fx_clock fc;  /* what clock reads; tests set fc.now */
    lp_clock clock;  /* on fc; the store borrows it */
    lp_store *st;    /* the store under test */
} lp_fx;

/* A store on a fresh database (named after tag) at LP_FX_T0, migrated when
 * migrate is set.  Fails the test when the store cannot be opened or
 * migrated.  Caller owns the result; free with lp_fx_close(). */
lp_fx *lp_fx_open(const char *tag, int migrate);
/* Closes the store and removes its directory; NULL does nothing. */
void lp_fx_close(lp_fx *f);
/* cmocka teardown: lp_fx_close(*state).  Returns 0. */
int lp_fx_teardown(void **state);

/* Runs sql (no parameters) on the store's connection; fails the test on error. */
void lp_fx_exec(lp_fx *f, const char *sql);
/* The integer in the first column of the first row of sql; fails the test on error. */
int64_t lp_fx_scalar(lp_fx *f, const char *sql);
/* How many rows audit_events holds. */
int64_t lp_fx_events(lp_fx *f);
/* The number of audit events a freshly migrated store holds (the default
 * data of every migration, all by "system:migration"); at least 8. */
int lp_fx_nseed(void);

/* JSON ---------------------------------------------------------------------- */

/* Parses printf-formatted JSON written with ' for " (at most 4 KiB); fails
 * the test on bad JSON.  Caller owns the result; free with cJSON_Delete(). */
__attribute__((format(printf, 1, 2))) cJSON *lp_test_jf(const char *fmt, ...);
/* Asserts got (borrowed; NULL fails) equals want (taken: freed here). */
void lp_test_assert_json(const cJSON *got, cJSON *want);
/* Asserts every member of want (taken) is in got (borrowed) with the same value. */
void lp_test_assert_subset(const cJSON *got, cJSON *want);
/* The number member name of o; fails the test when missing or not a number. */
int64_t lp_test_jnum(const cJSON *o, const char *name);
/* The record's id as text (integer ids in decimal) in buf; returns buf.
 * Fails the test when rec has no id. */
const char *lp_test_idof(const cJSON *rec, char buf[32]);

#endif

/* testlib.h - helpers shared by landport's test programs: temporary
 * directories, which store backend a test runs on, and (in proc.c / http.c)
 * the landport process and an HTTP client. */
#ifndef LP_TESTLIB_H
#define LP_TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* A fresh private directory under $TMPDIR (or /tmp); caller frees the string
 * with free() and may remove the directory with lp_test_rmtree(). */
char *lp_test_mkdtemp(const char *prefix);
void lp_test_rmtree(const char *path);

/* 1 when LANDPORT_TEST_BACKEND=pg. */
int lp_test_backend_is_pg(void);

/* A database URL for one test: a new SQLite file in dir, or, on the pg
 * backend, a new empty database on the test PostgreSQL server (created by
 * this call, named after tag).  Fails the test (not skips) when the pg
 * backend is asked for and no server is running.  Caller frees with free(). */
char *lp_test_db_url(const char *dir, const char *tag);

#endif

/* testlib.h - helpers shared by landport's test programs: failing a test,
 * temporary directories, which store backend a test runs on, and (in proc.c /
 * http.c) the landport process, an HTTP client and the API tests' helpers.
 * The store fixture of the store's unit tests is in storefx.h. */
#ifndef LP_TESTLIB_H
#define LP_TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* Failing ------------------------------------------------------------------ */

/* Fails the running test with a printf-style message (printed on its own
 * line); never returns.  For errors of the test machinery, not for checks. */
__attribute__((format(printf, 1, 2))) _Noreturn void lp_test_fail(const char *fmt, ...);

/* Directories and databases --------------------------------------------------- */

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

/* The landport process ------------------------------------------------------ (proc.c) */

typedef struct lp_test_server {
    int pid;          /* of the landport serve process */
    int port;         /* bound port (read from its --port-file) */
    char *dir;        /* private directory: port file, log, SQLite file */
    char *db;         /* database URL it serves */
    char *admin;      /* an admin token created with `landport token create` */
    char base[64];    /* "http://127.0.0.1:PORT" */
} lp_test_server;

/* Runs `landport ARGS...` (NULL-terminated) to completion with stdin closed;
 * *out and *err (may be NULL) receive its stdout and stderr (caller frees
 * with free()). Returns the exit status (128+signal if killed). */
int lp_test_run(char **out, char **err, const char *arg, ...);

/* Starts `landport serve --db db --listen 127.0.0.1:0 --port-file ...` (db
 * NULL: a fresh database from lp_test_db_url(dir, tag)), waits until
 * /healthz answers (fails the test after 20 s), and creates an admin token.
 * extra: more arguments (NULL-terminated list, may be NULL). */
void lp_test_server_start(lp_test_server *s, const char *tag, const char *db, const char *const *extra);
/* Sends signal (SIGTERM for a clean stop, SIGKILL for a crash) and waits for
 * the process; returns its wait status. Keeps dir and db for a restart. */
int lp_test_server_kill(lp_test_server *s, int sig);
/* Starts the server again on the same database (new port). */
void lp_test_server_restart(lp_test_server *s);
/* Stops it (SIGTERM) if running and frees everything, removing dir. */
void lp_test_server_stop(lp_test_server *s);
/* Creates a token with `landport token create` against the server's database
 * for role (company: company_id > 0). Caller frees. */
char *lp_test_token(lp_test_server *s, const char *role, long company_id);

/* HTTP ---------------------------------------------------------------------- (http.c) */

typedef struct lp_test_resp {
    long status;
    char *body;          /* NUL-terminated */
    char *content_type;  /* NULL if none */
    char *etag, *location, *allow;
    struct cJSON *json;  /* parsed body, NULL if not JSON */
} lp_test_resp;

/* Sends method path (relative to s->base) with token (NULL: no
 * Authorization) and body (NULL: none; sent as application/json unless
 * headers set Content-Type).  headers: extra "Name: value" lines,
 * NULL-terminated, may be NULL.  Fails the test on a transport error. */
lp_test_resp lp_test_http(lp_test_server *s, const char *method, const char *path, const char *token,
                          const char *body, const char *const *headers);
/* As lp_test_http, with a body of body_len bytes that may hold NUL bytes. */
lp_test_resp lp_test_http_n(lp_test_server *s, const char *method, const char *path, const char *token,
                            const char *body, size_t body_len, const char *const *headers);
void lp_test_resp_free(lp_test_resp *r);
/* Asserts the reply is an RFC 9457 problem with that status; when pointer is
 * not NULL, also that one of its errors names it (pointer, parameter or header). */
void lp_test_assert_problem(const lp_test_resp *r, long status, const char *pointer);
/* Asserts r has status; the failure shows the body. */
void lp_test_expect(const lp_test_resp *r, long status);

/* Helpers for the API tests ------------------------------------------------- (http.c) */

/* The string member name of o; NULL when missing or not a string.  Borrowed
 * from o. */
const char *lp_test_jstr(const struct cJSON *o, const char *name);
/* The number member name of o; fails the test when missing or not a number. */
long lp_test_jint(const struct cJSON *o, const char *name);

/* A valid Vietnamese tax code (MST) made from seed into out: two digits of
 * province (0-99), 7 digits and the check digit 10 - (weighted sum mod 11),
 * skipping seeds whose check digit would be 10 (never issued). */
void lp_test_vn_taxid(int province, unsigned seed, char out[11]);

/* Writes pattern (an OpenAPI path such as "/api/v1/vehicles/{id}") to out
 * (n bytes, truncated to fit, always terminated) with each {param} replaced
 * by id. */
void lp_test_fill_path(const char *pattern, const char *id, char *out, size_t n);

/* One landport server for a group of tests, with an operator token.  A test
 * program's context struct starts with it (so a pointer to the context is a
 * pointer to it). */
typedef struct lp_test_group {
    lp_test_server srv;
    char *operator; /* an operator token; owned */
} lp_test_group;

/* cmocka group setup, called from the program's own: allocates a zeroed
 * context of size bytes (starting with an lp_test_group) into *state, starts
 * its server (tag as for lp_test_server_start) and creates the operator
 * token.  Returns the context (owned by *state; freed by
 * lp_test_group_teardown); fails the test on any error. */
void *lp_test_group_setup(void **state, size_t size, const char *tag);
/* cmocka group teardown for lp_test_group_setup: frees the token, stops the
 * server and frees the context.  Returns 0. */
int lp_test_group_teardown(void **state);

#endif

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

#endif

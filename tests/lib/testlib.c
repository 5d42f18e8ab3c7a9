/* testlib.c - temporary directories and per-test databases for landport's
 * test programs (see testlib.h).  On the pg backend each call of
 * lp_test_db_url creates a new database on the private server started by
 * scripts/pg-test-server.sh (the ctest fixture "pg"), so tests never share
 * state; the databases go away with the server. */
#include "testlib.h"

#include <errno.h>
#include <ctype.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* cmocka's fail() jumps back to the runner, so the abort() is only for the
 * compiler. */
_Noreturn void lp_test_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint_error(fmt, ap);
    va_end(ap);
    print_error("\n");
    fail();
    abort();
}

char *lp_test_mkdtemp(const char *prefix)
{
    const char *tmp = getenv("TMPDIR");
    size_t n;
    char *path;

    if (!tmp || !*tmp) tmp = "/tmp";
    n = strlen(tmp) + strlen(prefix) + 16;
    path = malloc(n);
    if (!path) lp_test_fail("out of memory");
    snprintf(path, n, "%s/%s-XXXXXX", tmp, prefix);
    if (!mkdtemp(path)) {
        int e = errno;
        free(path);
        lp_test_fail("cannot create a temporary directory in %s: %s", tmp, strerror(e));
    }
    return path;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0 && errno != ENOENT)
        fprintf(stderr, "lp_test_rmtree: cannot remove %s: %s\n", path, strerror(errno));
    return 0;
}

void lp_test_rmtree(const char *path)
{
    if (!path || !*path) return;
    /* Depth first so directories are empty when removed; FTW_PHYS so a
     * symlink is removed, never followed. */
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int lp_test_backend_is_pg(void)
{
    const char *b = getenv("LANDPORT_TEST_BACKEND");
    return b && (strcmp(b, "pg") == 0 || strcmp(b, "postgresql") == 0);
}

/* The URL of the test server, from the file named by the environment
 * variable LANDPORT_TEST_PG_URL_FILE, else by LP_TEST_PG_URL_FILE (the
 * build's fixture).  Caller frees with free(); fails the test without it. */
static char *read_server_url(void)
{
    const char *file = getenv("LANDPORT_TEST_PG_URL_FILE");
    char line[1024];
    FILE *f;
    size_t n;

    if (!file || !*file) file = LP_TEST_PG_URL_FILE;
    f = fopen(file, "r");
    if (!f)
        lp_test_fail("LANDPORT_TEST_BACKEND=pg but no PostgreSQL test server: cannot read %s (%s). "
                 "Run the tests through ctest (fixture pg_start), or start one with "
                 "'bash scripts/pg-test-server.sh start DIR' and set LANDPORT_TEST_PG_URL_FILE=DIR/url",
                 file, strerror(errno));
    if (!fgets(line, sizeof line, f)) line[0] = '\0';
    fclose(f);
    n = strcspn(line, "\r\n");
    line[n] = '\0';
    if (n == 0) lp_test_fail("the PostgreSQL test server's URL file %s is empty", file);
    return strdup(line);
}

/* url with its database (the path after host[:port]) replaced by db.
 * Caller frees with free(). */
static char *url_with_db(const char *url, const char *db)
{
    const char *auth = strstr(url, "://");
    const char *path, *query;
    size_t n;
    char *out;

    auth = auth ? auth + 3 : url;
    path = auth + strcspn(auth, "/?");
    query = path + strcspn(path, "?");
    n = strlen(url) + strlen(db) + 2;
    out = malloc(n);
    if (!out) lp_test_fail("out of memory");
    snprintf(out, n, "%.*s/%s%s", (int)(path - url), url, db, query);
    return out;
}

/* A database name from tag: lower-case letters, digits and '_' only, short
 * enough that the whole name fits PostgreSQL's 63 bytes. */
static void sanitize_tag(char *dst, size_t cap, const char *tag)
{
    size_t n = 0;
    for (; tag && *tag && n + 1 < cap; tag++)
        dst[n++] = isalnum((unsigned char)*tag) ? (char)tolower((unsigned char)*tag) : '_';
    dst[n] = '\0';
}

/* Creates a database named t_<tag>_<pid>_<k> for the first k that is free
 * (k counts up from 1; a leftover of an earlier process with the same pid is
 * stepped over) and writes its name to name.  Returns 0, or -1 with a
 * message in msg. */
static int create_database(PGconn *pc, const char *tag, char *name, size_t cap,
                           char *msg, size_t msgcap)
{
    char clean[32], sql[128];
    unsigned k;

    sanitize_tag(clean, sizeof clean, tag);
    for (k = 1; k < 100000; k++) {
        PGresult *r;
        const char *state;
        int ok, dup;

        snprintf(name, cap, "t_%s_%ld_%u", clean, (long)getpid(), k);
        snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", name);
        r = PQexec(pc, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        dup = state && strcmp(state, "42P04") == 0; /* duplicate_database */
        if (!ok && !dup) snprintf(msg, msgcap, "cannot create test database %s: %s", name, PQresultErrorMessage(r));
        PQclear(r);
        if (ok) return 0;
        if (!dup) return -1;
    }
    snprintf(msg, msgcap, "no free name for a test database t_%s_%ld_*", clean, (long)getpid());
    return -1;
}

char *lp_test_db_url(const char *dir, const char *tag)
{
    char *server, *url;
    char name[64], msg[600];
    PGconn *pc;
    int rc = 0;

    if (!lp_test_backend_is_pg()) {
        size_t n = strlen(dir) + strlen(tag) + 8;
        url = malloc(n);
        if (!url) lp_test_fail("out of memory");
        snprintf(url, n, "%s/%s.db", dir, tag);
        return url;
    }
    server = read_server_url();
    pc = PQconnectdb(server);
    if (PQstatus(pc) != CONNECTION_OK) {
        snprintf(msg, sizeof msg, "cannot connect to the PostgreSQL test server (is the pg fixture running?): %s",
                 PQerrorMessage(pc));
        rc = -1;
    } else {
        rc = create_database(pc, tag, name, sizeof name, msg, sizeof msg);
    }
    PQfinish(pc);
    url = rc ? NULL : url_with_db(server, name);
    free(server);
    if (rc) lp_test_fail("%s", msg);
    return url;
}

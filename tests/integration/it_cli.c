/* it_cli.c - the landport command line: help and usage errors, settings
 * precedence (flags > LANDPORT_* > INI file > defaults), bad configuration,
 * a database newer than the binary, and token management errors. */
#include "testlib.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int exists(const char *dir, const char *name)
{
    char p[1024];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &sb) == 0;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char p[1024];
    FILE *f;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void expect(int want, const char *needle_out, const char *needle_err, const char *arg, ...)
{
    /* Up to 12 arguments, NULL-terminated; more is a mistake in the test,
     * not something to drop silently. */
    const char *a[13] = {0};
    va_list ap;
    char *out = NULL, *err = NULL;
    int i = 0, rc;
    va_start(ap, arg);
    for (a[i++] = arg; i < 13 && (a[i] = va_arg(ap, const char *)) != NULL; i++) {}
    va_end(ap);
    if (i > 12) fail_msg("expect(): more than 12 arguments");
    rc = lp_test_run(&out, &err, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], NULL);
    if (rc != want || (needle_out && !strstr(out, needle_out)) || (needle_err && !strstr(err, needle_err)))
        print_error("landport %s ...: exit %d\nstdout: %s\nstderr: %s\n", arg, rc, out, err);
    assert_int_equal(rc, want);
    if (needle_out) assert_non_null(strstr(out, needle_out));
    if (needle_err) assert_non_null(strstr(err, needle_err));
    free(out);
    free(err);
}

static void test_help_and_usage(void **state)
{
    (void)state;
    expect(0, "commands:", NULL, "--help", NULL);
    expect(0, "landport ", NULL, "version", NULL);
    expect(2, NULL, "unknown command", "fly", NULL);
    expect(0, "usage: landport serve", NULL, "serve", "--help", NULL);
    expect(0, "usage: landport migrate", NULL, "migrate", "--help", NULL);
    expect(0, "usage: landport token", NULL, "token", "--help", NULL);
    expect(0, "usage: landport audit", NULL, "audit", "--help", NULL);
    expect(2, NULL, "unknown option", "serve", "--bogus", NULL);
    expect(2, NULL, "does not apply", "migrate", "--listen", "127.0.0.1:1", NULL);
    expect(2, NULL, "listen must be HOST:PORT", "serve", "--listen", "8080", NULL);
    expect(2, NULL, "max_body", "serve", "--max-body", "lots", NULL);
    expect(2, NULL, "say create, list or revoke", "token", NULL);
}

static void test_precedence(void **state)
{
    char *dir = lp_test_mkdtemp("lp-cli"), ini[1200], fdb[1100];
    (void)state;
    snprintf(fdb, sizeof fdb, "%s/from-file.db", dir);
    snprintf(ini, sizeof ini, "[store]\ndb = %s\n[server]\nlisten = 127.0.0.1:9\n", fdb);
    write_file(dir, "landport.ini", ini);
    assert_int_equal(chdir(dir), 0);

    /* File only. */
    unsetenv("LANDPORT_DB");
    expect(0, "migrated", NULL, "migrate", "--config", "landport.ini", NULL);
    assert_true(exists(dir, "from-file.db"));
    /* Environment beats the file. */
    setenv("LANDPORT_DB", "from-env.db", 1);
    expect(0, "migrated", NULL, "migrate", "--config", "landport.ini", NULL);
    assert_true(exists(dir, "from-env.db"));
    /* A flag beats both. */
    expect(0, "migrated", NULL, "migrate", "--config", "landport.ini", "--db", "from-flag.db", NULL);
    assert_true(exists(dir, "from-flag.db"));
    /* LANDPORT_CONFIG names the file when --config is absent. */
    unsetenv("LANDPORT_DB");
    setenv("LANDPORT_CONFIG", "landport.ini", 1);
    expect(0, "nothing to do", NULL, "migrate", NULL);
    unsetenv("LANDPORT_CONFIG");
    /* Defaults: landport.db in the working directory. */
    expect(0, "migrated", NULL, "migrate", NULL);
    assert_true(exists(dir, "landport.db"));

    /* Bad settings are named, by source. */
    setenv("LANDPORT_MAX_BODY", "-5", 1);
    expect(2, NULL, "LANDPORT_MAX_BODY", "migrate", NULL);
    unsetenv("LANDPORT_MAX_BODY");
    write_file(dir, "bad.ini", "[server]\nlisten = 127.0.0.1:1\nspeed = 11\n");
    expect(2, NULL, "unknown setting 'speed'", "migrate", "--config", "bad.ini", NULL);
    write_file(dir, "bad2.ini", "[gate]\nx = 1\n");
    expect(2, NULL, "unknown section [gate]", "migrate", "--config", "bad2.ini", NULL);
    expect(2, NULL, "cannot read config file", "migrate", "--config", "missing.ini", NULL);
    assert_int_equal(chdir("/"), 0);
    lp_test_rmtree(dir);
    free(dir);
}

static void test_newer_schema_refused(void **state)
{
    char *dir = lp_test_mkdtemp("lp-cli"), db[1100];
    sqlite3 *h = NULL;
    (void)state;
    snprintf(db, sizeof db, "%s/new.db", dir);
    expect(0, "migrated", NULL, "migrate", "--db", db, NULL);
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "UPDATE schema_meta SET value = '999' WHERE key = 'version'", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    expect(1, NULL, "schema version 999", "migrate", "--db", db, NULL);
    expect(1, NULL, "run a newer landport", "serve", "--db", db, "--listen", "127.0.0.1:0", NULL);
    lp_test_rmtree(dir);
    free(dir);
}

static void test_tokens(void **state)
{
    char *dir = lp_test_mkdtemp("lp-cli"), db[1100];
    char *out = NULL, *err = NULL;
    (void)state;
    snprintf(db, sizeof db, "%s/t.db", dir);
    expect(2, NULL, "--role must be one of", "token", "create", "--role", "king", "--name", "x", "--db", db, NULL);
    expect(2, NULL, "--name is required", "token", "create", "--role", "operator", "--db", db, NULL);
    expect(1, NULL, "needs the company", "token", "create", "--role", "company", "--name", "x", "--db", db, NULL);
    expect(1, NULL, "no company with id 42", "token", "create", "--role", "company", "--company", "42", "--name",
           "x", "--db", db, NULL);
    expect(2, NULL, "--company must be", "token", "create", "--role", "company", "--company", "x1", "--name", "x",
           "--db", db, NULL);
    assert_int_equal(lp_test_run(&out, &err, "token", "create", "--role", "customs", "--name", "officer-1", "--db", db,
                                 NULL), 0);
    assert_int_equal(strncmp(out, "lp_", 3), 0);
    free(out);
    free(err);
    expect(0, "officer-1", NULL, "token", "list", "--db", db, NULL);
    expect(0, "token 1 revoked", NULL, "token", "revoke", "1", "--db", db, NULL);
    expect(0, "(revoked)", NULL, "token", "list", "--db", db, NULL);
    expect(1, NULL, "no token with id 99", "token", "revoke", "99", "--db", db, NULL);
    expect(2, NULL, "not a token id", "token", "revoke", "abc", "--db", db, NULL);
    /* Every token change is in the audit log. */
    expect(0, "audit log intact", NULL, "audit", "verify", "--db", db, NULL);
    lp_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_usage),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_newer_schema_refused),
        cmocka_unit_test(test_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* it_audit_cli.c - `landport audit verify` on a real server's SQLite file:
 * the append-only triggers refuse edits, and each kind of tampering done
 * around them (edit, removal in the middle or at the end, reordering) makes
 * verify exit 1 and name the first bad event. */
#include "testlib.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHANGES 6

/* A fresh database with seed events plus CHANGES audited changes. */
static char *make_db(lp_test_server *s)
{
    int i;
    lp_test_server_start(s, "tamper", NULL, NULL);
    for (i = 0; i < CHANGES; i++) {
        char body[64];
        lp_test_resp r;
        snprintf(body, sizeof body, "{\"capacity_per_hour\":%d}", 10 + i);
        r = lp_test_http(s, "PATCH", "/api/v1/crossing-points/tanthanh-1090", s->admin, body, NULL);
        assert_int_equal(r.status, 200);
        lp_test_resp_free(&r);
    }
    lp_test_server_kill(s, SIGTERM);
    return s->db;
}

static int exec_sql(const char *db, const char *sql, char **errmsg)
{
    sqlite3 *h = NULL;
    int rc;
    const char *path = strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    rc = sqlite3_exec(h, sql, NULL, NULL, errmsg);
    sqlite3_close(h);
    return rc;
}

static void tamper(const char *db, const char *sql)
{
    char *msg = NULL;
    char full[1024];
    /* Someone with the file can drop the triggers; verify must still catch it. */
    snprintf(full, sizeof full,
             "DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete; %s", sql);
    if (exec_sql(db, full, &msg) != SQLITE_OK) {
        print_error("tamper SQL failed: %s\n", msg ? msg : "?");
        sqlite3_free(msg);
        fail();
    }
}

static void expect_verify(const char *db, int exit_code, const char *needle)
{
    char *out = NULL, *err = NULL;
    int rc = lp_test_run(&out, &err, "audit", "verify", "--db", db, NULL);
    if (rc != exit_code || (needle && !strstr(out, needle)))
        print_error("verify exit %d, said: %s / %s\n", rc, out ? out : "", err ? err : "");
    assert_int_equal(rc, exit_code);
    if (needle) assert_non_null(strstr(out, needle));
    free(out);
    free(err);
}

static void test_intact_and_append_only(void **state)
{
    lp_test_server s;
    char *msg = NULL;
    (void)state;
    make_db(&s);
    expect_verify(s.db, 0, "audit log intact");
    assert_int_not_equal(exec_sql(s.db, "UPDATE audit_events SET reason = 'x' WHERE seq = 3", &msg), SQLITE_OK);
    assert_non_null(strstr(msg, "append-only"));
    sqlite3_free(msg);
    msg = NULL;
    assert_int_not_equal(exec_sql(s.db, "DELETE FROM audit_events WHERE seq = 3", &msg), SQLITE_OK);
    sqlite3_free(msg);
    expect_verify(s.db, 0, "audit log intact");
    lp_test_server_stop(&s);
}

static void test_edited_event(void **state)
{
    lp_test_server s;
    (void)state;
    make_db(&s);
    tamper(s.db, "UPDATE audit_events SET after_json = replace(after_json, '\"capacity_per_hour\":12', "
                 "'\"capacity_per_hour\":99') WHERE action = 'crossing_point.update'");
    expect_verify(s.db, 1, "TAMPERED");
    lp_test_server_stop(&s);
}

static void test_edited_actor_names_seq(void **state)
{
    lp_test_server s;
    (void)state;
    make_db(&s);
    tamper(s.db, "UPDATE audit_events SET actor = 'someone-else' WHERE seq = 7");
    expect_verify(s.db, 1, "first bad event is seq 7:");
    lp_test_server_stop(&s);
}

static void test_removed_middle(void **state)
{
    lp_test_server s;
    (void)state;
    make_db(&s);
    tamper(s.db, "DELETE FROM audit_events WHERE seq = 5");
    expect_verify(s.db, 1, "first bad event is seq 5:");
    lp_test_server_stop(&s);
}

static void test_removed_last(void **state)
{
    lp_test_server s;
    (void)state;
    make_db(&s);
    tamper(s.db, "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)");
    expect_verify(s.db, 1, "TAMPERED");
    lp_test_server_stop(&s);
}

static void test_reordered(void **state)
{
    lp_test_server s;
    (void)state;
    make_db(&s);
    /* Swap the contents of events 7 and 8 (their seq numbers stay). */
    tamper(s.db,
           "UPDATE audit_events SET seq = -7 WHERE seq = 7; UPDATE audit_events SET seq = 7 WHERE seq = 8;"
           "UPDATE audit_events SET seq = 8 WHERE seq = -7;");
    expect_verify(s.db, 1, "first bad event is seq 7:");
    lp_test_server_stop(&s);
}

static void test_bad_usage(void **state)
{
    char *out = NULL, *err = NULL;
    (void)state;
    assert_int_equal(lp_test_run(&out, &err, "audit", "check", NULL), 2);
    assert_non_null(strstr(err, "verify"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intact_and_append_only),
        cmocka_unit_test(test_edited_event),
        cmocka_unit_test(test_edited_actor_names_seq),
        cmocka_unit_test(test_removed_middle),
        cmocka_unit_test(test_removed_last),
        cmocka_unit_test(test_reordered),
        cmocka_unit_test(test_bad_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

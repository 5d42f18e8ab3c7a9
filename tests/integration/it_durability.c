/* it_durability.c - what the API acknowledged survives kill -9, and the
 * audit log's tampering is caught by `landport audit verify`.
 *
 * Start the real server, write through the API, SIGKILL it (no clean
 * shutdown, no checkpoint), start it again on the same database and read
 * every acknowledged write back.  Runs on SQLite and (it_durability_pg) on
 * PostgreSQL. */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define WRITES 60

static void test_kill9_keeps_acknowledged_writes(void **state)
{
    lp_test_server s;
    char body[256], path[64];
    long ids[WRITES];
    int i, acked = 0, status;
    (void)state;

    lp_test_server_start(&s, "kill9", NULL, NULL);
    {
        lp_test_resp r = lp_test_http(&s, "POST", "/api/v1/companies", s.admin,
                                      "{\"name\":\"Bảo Nguyên\",\"country\":\"VN\",\"tax_id\":\"0100109106\"}", NULL);
        assert_int_equal(r.status, 201);
        lp_test_resp_free(&r);
    }
    /* Vehicles 29C-100.00 .. : each acknowledged 201 must come back. */
    for (i = 0; i < WRITES; i++) {
        lp_test_resp r;
        snprintf(body, sizeof body,
                 "{\"company_id\":1,\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"29C-1%02d.%02d\"}",
                 i / 100, i % 100 + 1);
        r = lp_test_http(&s, "POST", "/api/v1/vehicles", s.admin, body, NULL);
        assert_int_equal(r.status, 201);
        ids[acked++] = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "id"));
        lp_test_resp_free(&r);
    }
    {
        lp_test_resp r = lp_test_http(&s, "PATCH", "/api/v1/crossing-points/road-1088", s.admin,
                                      "{\"capacity_per_hour\":77}", NULL);
        assert_int_equal(r.status, 200);
        lp_test_resp_free(&r);
    }
    status = lp_test_server_kill(&s, SIGKILL);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);

    lp_test_server_restart(&s);
    for (i = 0; i < acked; i++) {
        lp_test_resp r;
        snprintf(path, sizeof path, "/api/v1/vehicles/%ld", ids[i]);
        r = lp_test_http(&s, "GET", path, s.admin, NULL, NULL);
        assert_int_equal(r.status, 200);
        lp_test_resp_free(&r);
    }
    {
        lp_test_resp r = lp_test_http(&s, "GET", "/api/v1/crossing-points/road-1088", s.admin, NULL, NULL);
        assert_int_equal(r.status, 200);
        assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "capacity_per_hour")), 77);
        lp_test_resp_free(&r);
    }
    /* The audit chain is whole after the crash too. */
    {
        char *out = NULL, *err = NULL;
        int rc = lp_test_run(&out, &err, "audit", "verify", "--db", s.db, NULL);
        assert_int_equal(rc, 0);
        assert_non_null(strstr(out, "intact"));
        free(out);
        free(err);
    }
    lp_test_server_stop(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill9_keeps_acknowledged_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_core.c - the small core modules: error structure, buffers, roles,
 * RFC 3339 time formatting, and the Prometheus metrics text. */
#include "testlib.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/role.h"
#include "net/metrics.h"

#include <string.h>

static void test_err(void **state)
{
    lp_err e;
    int i;
    (void)state;
    lp_err_init(&e);
    assert_int_equal(e.code, LP_OK);
    assert_int_equal(lp_err_set(&e, LP_ENOTFOUND, "no %s", "truck"), LP_ENOTFOUND);
    assert_int_equal(lp_err_set(&e, LP_ESTORE, "later"), LP_ENOTFOUND); /* first error wins */
    assert_string_equal(e.msg, "no truck");
    lp_err_init(&e);
    for (i = 0; i < LP_ERR_FIELDS_MAX + 5; i++) lp_err_field_add(&e, "/x", "bad %d", i);
    assert_int_equal(e.code, LP_EINVAL);
    assert_int_equal(e.nfields, LP_ERR_FIELDS_MAX);
    assert_int_equal(e.more, 5);
    assert_string_equal(lp_strerror(LP_ECONFLICT), "conflict");
}

static void test_buf(void **state)
{
    lp_buf b;
    char *s;
    (void)state;
    lp_buf_init(&b);
    assert_string_equal(lp_buf_str(&b), "");
    lp_buf_puts(&b, "Hữu ");
    lp_buf_printf(&b, "Nghị %d", 1088);
    assert_string_equal(lp_buf_str(&b), "Hữu Nghị 1088");
    s = lp_buf_take(&b);
    assert_string_equal(s, "Hữu Nghị 1088");
    assert_null(b.data);
    lp_free(s);
    for (int i = 0; i < 1000; i++) lp_buf_puts(&b, "0123456789");
    assert_int_equal(b.len, 10000);
    lp_buf_deinit(&b);
}

static void test_roles(void **state)
{
    (void)state;
    assert_int_equal(lp_role_parse("border_guard"), LP_ROLE_BORDER_GUARD);
    assert_int_equal(lp_role_parse("king"), LP_ROLE_NONE);
    assert_int_equal(lp_role_parse(NULL), LP_ROLE_NONE);
    assert_string_equal(lp_role_name(LP_ROLE_ADMIN), "admin");
    assert_true(lp_roleset_has(LP_RS_STAFF, LP_ROLE_QUARANTINE));
    assert_false(lp_roleset_has(LP_RS_STAFF, LP_ROLE_COMPANY));
    assert_false(lp_roleset_has(LP_RS_ALL, LP_ROLE_NONE));
    for (int r = 1; r < LP_ROLE__COUNT; r++) assert_true(lp_roleset_has(LP_RS_ALL, (lp_role)r));
}

static void test_time(void **state)
{
    char t[40];
    (void)state;
    lp_time_format(0, t, sizeof t);
    assert_string_equal(t, "1970-01-01T00:00:00.000Z");
    lp_time_format(1795425000123LL, t, sizeof t); /* 2026-11-22T... */
    assert_string_equal(t, "2026-11-23T09:10:00.123Z");
    lp_time_format(951782400000LL, t, sizeof t); /* leap day 2000 */
    assert_string_equal(t, "2000-02-29T00:00:00.000Z");
    lp_time_format(-1, t, sizeof t);
    assert_string_equal(t, "1969-12-31T23:59:59.999Z");
}

static void test_metrics(void **state)
{
    const char *routes[] = {"GET /api/v1/vehicles", "POST /api/v1/vehicles"};
    lp_metrics *m = lp_metrics_create(routes, 2);
    lp_buf b;
    (void)state;
    lp_metrics_request(m, 0, 200, 0.0004);
    lp_metrics_request(m, 0, 200, 0.02);
    lp_metrics_request(m, 1, 400, 0.001);
    lp_metrics_request(m, -1, 404, 0.0001);
    lp_metrics_store(m, "commit", 0.003);
    lp_buf_init(&b);
    lp_metrics_format(m, &b);
    assert_non_null(strstr(lp_buf_str(&b),
                           "landport_http_requests_total{method=\"GET\",route=\"/api/v1/vehicles\",status=\"200\"} 2\n"));
    assert_non_null(strstr(lp_buf_str(&b),
                           "landport_http_requests_total{method=\"POST\",route=\"/api/v1/vehicles\",status=\"400\"} 1\n"));
    assert_non_null(strstr(lp_buf_str(&b), "route=\"unmatched\",status=\"404\"} 1\n"));
    assert_non_null(strstr(lp_buf_str(&b),
                           "landport_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/vehicles\",le=\"0.0005\"} 1\n"));
    assert_non_null(strstr(lp_buf_str(&b),
                           "landport_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/vehicles\",le=\"+Inf\"} 2\n"));
    assert_non_null(strstr(lp_buf_str(&b), "landport_store_operation_duration_seconds_count{op=\"commit\"} 1\n"));
    lp_buf_deinit(&b);
    lp_metrics_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err),    cmocka_unit_test(test_buf),     cmocka_unit_test(test_roles),
        cmocka_unit_test(test_time),   cmocka_unit_test(test_metrics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

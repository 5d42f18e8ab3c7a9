/* test_vclock.c - the configurable process clock: RFC 3339 parsing, the
 * file-driven clock tests use, the scaled clock the demo uses, and the
 * errors a bad spec gets. */
#include "testlib.h"
#include "os/vclock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_parse_time(void **state)
{
    int64_t ms;
    (void)state;
    assert_int_equal(lp_vclock_parse_time("1970-01-01T00:00:00Z", &ms), LP_OK);
    assert_int_equal(ms, 0);
    assert_int_equal(lp_vclock_parse_time("2026-11-23T18:00:00+07:00", &ms), LP_OK);
    assert_int_equal(ms, INT64_C(1795431600000));
    assert_int_equal(lp_vclock_parse_time("2026-11-23T11:00:00.25Z", &ms), LP_OK);
    assert_int_equal(ms, INT64_C(1795431600250));
    assert_int_equal(lp_vclock_parse_time("2024-02-29T00:00:00-01:30", &ms), LP_OK);
    assert_int_equal(ms, INT64_C(1709170200000));
    assert_int_equal(lp_vclock_parse_time("2026-11-23 18:00:00Z", &ms), LP_EINVAL);
    assert_int_equal(lp_vclock_parse_time("2026-13-01T00:00:00Z", &ms), LP_EINVAL);
    assert_int_equal(lp_vclock_parse_time("2026-11-23T18:00:00", &ms), LP_EINVAL);
    assert_int_equal(lp_vclock_parse_time("2026-11-23T18:00:00+0700", &ms), LP_EINVAL);
}

static void test_specs(void **state)
{
    lp_vclock vc;
    lp_err err;
    const lp_clock *c;
    (void)state;
    lp_err_init(&err);
    assert_int_equal(lp_vclock_init(&vc, NULL, &err), LP_OK);
    c = lp_vclock_clock(&vc);
    assert_true(c->now_ms(c->ud) > INT64_C(1700000000000));
    assert_int_equal(lp_vclock_init(&vc, "scaled:2026-11-23T18:00:00+07:00:1000", &err), LP_OK);
    c = lp_vclock_clock(&vc);
    {
        int64_t a = c->now_ms(c->ud), b;
        assert_true(a >= INT64_C(1795431600000) && a < INT64_C(1795431600000) + 60000);
        usleep(20000);
        b = c->now_ms(c->ud);
        assert_true(b - a >= 20000); /* 20 ms of real time is 20 s at 1000x */
    }
    assert_int_equal(lp_vclock_init(&vc, "scaled:2026-11-23T18:00:00Z:0", &err), LP_EINVAL);
    assert_non_null(strstr(err.msg, "SPEED"));
    lp_err_init(&err);
    assert_int_equal(lp_vclock_init(&vc, "scaled:yesterday:2", &err), LP_EINVAL);
    assert_non_null(strstr(err.msg, "yesterday"));
    lp_err_init(&err);
    assert_int_equal(lp_vclock_init(&vc, "sundial", &err), LP_EINVAL);
    assert_non_null(strstr(err.msg, "sundial"));
    lp_err_init(&err);
    assert_int_equal(lp_vclock_init(&vc, "file:", &err), LP_EINVAL);
}

static void test_file_clock(void **state)
{
    char *dir = lp_test_mkdtemp("vclock"), path[300];
    lp_vclock vc;
    const lp_clock *c;
    FILE *f;
    (void)state;
    assert_non_null(dir);
    snprintf(path, sizeof path, "%s/now", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "1800000000000\n");
    fclose(f);
    {
        char spec[320];
        snprintf(spec, sizeof spec, "file:%s", path);
        assert_int_equal(lp_vclock_init(&vc, spec, NULL), LP_OK);
    }
    c = lp_vclock_clock(&vc);
    assert_int_equal(c->now_ms(c->ud), INT64_C(1800000000000));
    f = fopen(path, "w");
    fprintf(f, "1800001200001");
    fclose(f);
    assert_int_equal(c->now_ms(c->ud), INT64_C(1800001200001));
    lp_test_rmtree(dir);
    free(dir);
    /* gone: the wall clock, reported once */
    assert_true(c->now_ms(c->ud) < INT64_C(1800000000000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_time),
        cmocka_unit_test(test_specs),
        cmocka_unit_test(test_file_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

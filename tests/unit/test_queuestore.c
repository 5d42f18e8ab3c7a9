/* test_queuestore.c - the e-queue in the store (src/store/queuestore.c):
 * groups created on first use with the crossing point's lanes, the order
 * as lp_queue computes it, lane changes audited, the no-show rule applied
 * by the tick on the store clock, gate arrival by plate, yard exit of a
 * waiting truck, walk-ins refused by the settings, and a second connection
 * (another process) seeing the same queue.  Runs on the backend
 * LANDPORT_TEST_BACKEND names (test_queuestore, test_queuestore_pg). */
#include "storefx.h"
#include "store/queuestore.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#define GROUP "tanthanh-1090:export"
#define MIN INT64_C(60000)
#define HOUR INT64_C(3600000)

static const lp_actor OP = {"tok:operator", LP_ROLE_OPERATOR, 0, NULL};

static int setup(void **state)
{
    *state = lp_fx_open("queuestore", 1);
    return 0;
}

static void must(int rc, const lp_err *err, const char *what)
{
    if (rc) fail_msg("%s: %s", what, err->msg);
}

static void add(lp_fx *f, int64_t visit, const char *plate, lp_queue_class cls, int64_t slot, int expect)
{
    lp_queuestore_truck t = {"tanthanh-1090", "export", visit, 7, plate, cls, slot, f->fc.now};
    lp_err err;
    int rc;
    lp_err_init(&err);
    rc = lp_queuestore_add(f->st, &OP, &t, NULL, NULL, &err);
    if (rc != expect) fail_msg("add %s: %d %s", plate, rc, err.msg);
}

/* The view's entries as "plate:state:position" joined by spaces. */
static void entries(lp_store *st, int64_t company, char *out, size_t n)
{
    cJSON *v = NULL;
    const cJSON *e;
    size_t k = 0;
    lp_err err;
    lp_err_init(&err);
    must(lp_queuestore_view(st, GROUP, company, &v, &err), &err, "view");
    out[0] = '\0';
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(v, "entries"))
        k += (size_t)snprintf(out + k, n - k, "%s%s:%s:%d", k ? " " : "", lp_test_jstr(e, "plate"),
                              lp_test_jstr(e, "state"), (int)lp_test_jnum(e, "position"));
    cJSON_Delete(v);
}

static void lane(lp_fx *f, int l, int paused, int cap)
{
    lp_err err;
    lp_err_init(&err);
    must(lp_queuestore_lane_set(f->st, &OP, GROUP, l, paused, cap, NULL, &err), &err, "lane");
}

static int64_t count_events(lp_fx *f, const char *action)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_events WHERE action = '%s'", action);
    return lp_fx_scalar(f, sql);
}

static void test_order_calls_and_no_show(void **state)
{
    lp_fx *f = *state;
    char got[512];
    int n = 0;
    lp_err err;
    int64_t slot = LP_FX_T0 + 2 * HOUR;

    /* tanthanh-1090 has two gate lanes: both paused, nobody is called. */
    lane(f, 1, 1, 1);
    lane(f, 2, 1, -1);
    assert_int_equal(count_events(f, "queue_lane.update"), 2);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM queue_lanes WHERE group_id = '" GROUP "'"), 2);
    add(f, 11, "29C-111.11", LP_QUEUE_NORMAL, slot + HOUR, 0);
    f->fc.now += MIN;
    add(f, 12, "29C-111.12", LP_QUEUE_NORMAL, slot, 0);
    f->fc.now += MIN;
    add(f, 13, "29C-111.13", LP_QUEUE_PERISHABLE, slot + 2 * HOUR, 0);
    add(f, 14, "29C-111.14", LP_QUEUE_WALKIN, 0, LP_EFORBIDDEN); /* walk-ins are off by default */
    add(f, 13, "29C-111.13", LP_QUEUE_PERISHABLE, slot, LP_ECONFLICT);
    entries(f->st, 0, got, sizeof got);
    assert_string_equal(got, "29C-111.13:waiting:1 29C-111.12:waiting:2 29C-111.11:waiting:3");

    /* Lane 1 resumes with one place: the perishable truck is called. */
    lane(f, 1, 0, -1);
    entries(f->st, 0, got, sizeof got);
    assert_string_equal(got, "29C-111.13:called:0 29C-111.12:waiting:1 29C-111.11:waiting:2");
    assert_int_equal(count_events(f, "queue.called"), 1);

    /* On time at exactly 20 minutes: the tick changes nothing. */
    f->fc.now += 20 * MIN;
    lp_err_init(&err);
    must(lp_queuestore_tick(f->st, &OP, &n, &err), &err, "tick");
    assert_int_equal(n, 0);
    /* One millisecond later it is late: no-show.  It waits again behind its
     * class, which is still ahead of the normal trucks: called again. */
    f->fc.now += 1;
    must(lp_queuestore_tick(f->st, &OP, &n, &err), &err, "tick");
    assert_int_equal(n, 2);
    assert_int_equal(count_events(f, "queue.no_show"), 1);
    assert_int_equal(count_events(f, "queue.called"), 2);
    entries(f->st, 0, got, sizeof got);
    assert_string_equal(got, "29C-111.13:called:0 29C-111.12:waiting:1 29C-111.11:waiting:2");

    /* Its gate passage is its arrival; the next call follows at once. */
    {
        const char *kind = NULL;
        must(lp_queuestore_gate_arrival(f->st, &OP, "tanthanh-1090", "29C-111.13", &kind, &err), &err, "gate");
        assert_string_equal(kind, "arrived");
        must(lp_queuestore_gate_arrival(f->st, &OP, "tanthanh-1090", "29C-999.99", &kind, &err), &err, "gate");
        assert_string_equal(kind, "");
    }
    entries(f->st, 0, got, sizeof got);
    assert_string_equal(got, "29C-111.12:called:0 29C-111.11:waiting:1");

    /* A waiting truck that leaves the yard is withdrawn; a called one is not. */
    {
        int w = -1;
        must(lp_queuestore_yard_exit(f->st, &OP, 11, &w, &err), &err, "exit");
        assert_int_equal(w, 1);
        must(lp_queuestore_yard_exit(f->st, &OP, 12, &w, &err), &err, "exit");
        assert_int_equal(w, 0);
    }
    entries(f->st, 0, got, sizeof got);
    assert_string_equal(got, "29C-111.12:called:0");
    entries(f->st, 99, got, sizeof got);
    assert_string_equal(got, "");
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM queue_entries WHERE state = 'withdrawn'"), 1);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM queue_entries WHERE state = 'arrived'"), 1);
}

/* Another process (a second connection) sees and changes the same queue:
 * nothing is cached across operations. */
static void test_second_connection(void **state)
{
    lp_fx *f = *state;
    lp_store *other = NULL;
    char a[512], b[512];
    int64_t v0, v1;
    lp_err err;

    lp_err_init(&err);
    must(lp_store_open(f->url, &f->clock, &other, &err), &err, "open");
    entries(f->st, 0, a, sizeof a);
    entries(other, 0, b, sizeof b);
    assert_string_equal(a, b);
    v0 = lp_fx_scalar(f, "SELECT state_version FROM queue_groups WHERE id = '" GROUP "'");
    f->fc.now += 20 * MIN + 1;
    must(lp_queuestore_tick(other, &OP, NULL, &err), &err, "tick");
    v1 = lp_fx_scalar(f, "SELECT state_version FROM queue_groups WHERE id = '" GROUP "'");
    assert_true(v1 > v0);
    entries(f->st, 0, a, sizeof a);
    assert_string_equal(a, "29C-111.12:called:0"); /* its first no-show, called again */
    f->fc.now += 20 * MIN + 1;
    must(lp_queuestore_tick(f->st, &OP, NULL, &err), &err, "tick");
    /* Second no-show: removed. */
    entries(f->st, 0, a, sizeof a);
    assert_string_equal(a, "");
    assert_int_equal(count_events(f, "queue.removed"), 1);
    lp_store_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_calls_and_no_show),
        cmocka_unit_test(test_second_connection),
    };
    return cmocka_run_group_tests(tests, setup, lp_fx_teardown);
}

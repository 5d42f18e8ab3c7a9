/* it_bookings.c - crossing slots against the real server on a file clock:
 * hourly quotas changed by an operator (audited), booking a declared truck,
 * a full hour answering 409 with the next free hour, a closed hour, the
 * notice, rebooking within its limit, change of vehicle and driver keeping
 * the slot, cancellation freeing it, and company scoping. */
#include "yard_fx.h"

#define POINT "tanthanh-1090"

static int setup(void **state) { return fx_setup(state, "it_bookings"); }

static void expect_refused(lp_test_resp r, const char *reason, const char *suggested)
{
    const char *s;
    lp_test_assert_problem(&r, 409, "/slot");
    if (strcmp(lp_test_jstr(r.json, "reason"), reason) != 0) fail_msg("expected %s: %s", reason, r.body);
    s = lp_test_jstr(r.json, "suggested_slot");
    if (suggested ? !s || strcmp(s, suggested) != 0 : s != NULL) fail_msg("suggested slot: %s", r.body);
    lp_test_resp_free(&r);
}

static void test_quota_full_closed_and_notice(void **state)
{
    yfx *f = *state;
    long d1 = fx_truck(f, 0, "29C-101.01", POINT, "export", "84713020", NULL);
    long d2 = fx_truck(f, 1, "29C-101.02", POINT, "export", "84713020", NULL);
    long d3 = fx_truck(f, 1, "29C-101.03", POINT, "export", "84713020", NULL);
    lp_test_resp r;

    /* 10:00 takes one truck, 11:00 none, 12:00 two (gate time). */
    r = fx_call(f, "PATCH", "/api/v1/slot-quotas/" POINT ":export", f->operator,
                "{\"hours\":{\"10\":1,\"11\":0,\"12\":2}}");
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "quota"), 10)->valueint, 1);
    assert_int_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "quota"), 9)->valueint, 20);
    lp_test_resp_free(&r);
    fx_ok(fx_call(f, "PATCH", "/api/v1/slot-quotas/" POINT ":export", f->company_a, "{\"hours\":{\"10\":5}}"), 403);
    r = fx_call(f, "PATCH", "/api/v1/slot-quotas/" POINT ":export", f->operator, "{\"hours\":{\"24\":1,\"09\":-1}}");
    lp_test_assert_problem(&r, 400, "/hours/24");
    lp_test_assert_problem(&r, 400, "/hours/09");
    lp_test_resp_free(&r);
    r = fx_call(f, "GET", "/api/v1/audit-events?object_type=slot_quota&action=slot_quota.update", f->operator, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")), 1);
    lp_test_resp_free(&r);

    fx_book(f, 0, d1, 2);
    /* Full: the next hour with room is 12:00 (11:00 is closed). */
    expect_refused(fx_call(f, "POST", "/api/v1/bookings", f->company_b,
                           "{\"declaration_id\":%ld,\"slot\":\"2026-11-24T10:30:00+07:00\"}", d2),
                   "FULL", "2026-11-24T05:00:00.000Z");
    expect_refused(fx_call(f, "POST", "/api/v1/bookings", f->company_b,
                           "{\"declaration_id\":%ld,\"slot\":\"2026-11-24T11:00:00+07:00\"}", d2),
                   "CLOSED", "2026-11-24T05:00:00.000Z");
    /* Within the notice (60 minutes): the hour under way is too late. */
    expect_refused(fx_call(f, "POST", "/api/v1/bookings", f->company_b,
                           "{\"declaration_id\":%ld,\"slot\":\"2026-11-24T08:00:00+07:00\"}", d2),
                   "TOO_LATE", NULL);
    fx_book(f, 1, d2, 4);
    fx_book(f, 1, d3, 4);

    r = fx_call(f, "GET", "/api/v1/slots?crossing_point_id=" POINT "&direction=export&from=2026-11-24T10:00:00%2B07:00&hours=3",
                f->company_a, NULL);
    lp_test_expect(&r, 200);
    {
        const cJSON *it = cJSON_GetObjectItem(r.json, "items");
        assert_int_equal(lp_test_jint(cJSON_GetArrayItem(it, 0), "booked"), 1);
        assert_int_equal(lp_test_jint(cJSON_GetArrayItem(it, 0), "free"), 0);
        assert_int_equal(lp_test_jint(cJSON_GetArrayItem(it, 1), "quota"), 0);
        assert_int_equal(lp_test_jint(cJSON_GetArrayItem(it, 2), "booked"), 2);
    }
    lp_test_resp_free(&r);
}

static void test_rebook_change_cancel(void **state)
{
    yfx *f = *state;
    long v2, d = fx_truck(f, 0, "29C-102.01", POINT, "import", "84713020", NULL);
    long other = fx_truck(f, 0, "29C-102.02", POINT, "import", "84713020", &v2);
    long id = fx_book(f, 0, d, 6), id2, drv;
    char path[96];
    lp_test_resp r;

    /* One active booking per declaration. */
    r = fx_call(f, "POST", "/api/v1/bookings", f->company_a, "{\"declaration_id\":%ld,\"slot\":\"2026-11-24T15:00:00+07:00\"}", d);
    lp_test_assert_problem(&r, 409, NULL);
    lp_test_resp_free(&r);
    /* Another company's declaration does not exist for B. */
    r = fx_call(f, "POST", "/api/v1/bookings", f->company_b, "{\"declaration_id\":%ld,\"slot\":\"2026-11-24T15:00:00+07:00\"}", other);
    lp_test_assert_problem(&r, 400, "/declaration_id");
    lp_test_resp_free(&r);

    /* Rebook: three moves are allowed, the fourth is not; the id stays. */
    snprintf(path, sizeof path, "/api/v1/bookings/%ld/rebook", id);
    for (int h = 15; h <= 17; h++) {
        r = fx_call(f, "POST", path, f->company_a, "{\"slot\":\"2026-11-24T%02d:00:00+07:00\"}", h);
        lp_test_expect(&r, 200);
        assert_int_equal(lp_test_jint(r.json, "id"), id);
        assert_int_equal(lp_test_jint(r.json, "rebookings"), h - 14);
        lp_test_resp_free(&r);
    }
    expect_refused(fx_call(f, "POST", path, f->company_a, "{\"slot\":\"2026-11-24T18:00:00+07:00\"}"), "REBOOK_LIMIT",
                   NULL);

    /* Change of vehicle and driver: the slot stays. */
    drv = fx_driver(f, f->a);
    snprintf(path, sizeof path, "/api/v1/bookings/%ld", id);
    r = fx_call(f, "PATCH", path, f->company_a, "{\"vehicle_id\":%ld,\"driver_id\":%ld}", v2, drv);
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "plate"), "29C-102.02");
    assert_int_equal(lp_test_jint(r.json, "driver_id"), drv);
    assert_string_equal(lp_test_jstr(r.json, "slot_at"), "2026-11-24T10:00:00.000Z");
    lp_test_resp_free(&r);
    r = fx_call(f, "PATCH", path, f->company_a, "{\"driver_id\":%ld}", f->driver_b);
    lp_test_assert_problem(&r, 400, "/driver_id");
    lp_test_resp_free(&r);
    /* Company B sees nothing of it. */
    fx_ok(fx_call(f, "GET", path, f->company_b, NULL), 404);
    fx_ok(fx_call(f, "PATCH", path, f->company_b, "{\"driver_id\":%ld}", f->driver_b), 404);

    /* Cancel frees the place: with a quota of 1 another truck gets it. */
    fx_ok(fx_call(f, "PATCH", "/api/v1/slot-quotas/" POINT ":import", f->operator, "{\"hours\":{\"17\":1}}"), 200);
    r = fx_call(f, "POST", "/api/v1/bookings", f->company_a, "{\"declaration_id\":%ld,\"slot\":\"2026-11-24T17:00:00+07:00\"}",
                other);
    lp_test_assert_problem(&r, 409, "/slot");
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/bookings/%ld/cancel", id);
    r = fx_call(f, "POST", path, f->company_a, "{\"reason\":\"load delayed\"}");
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "status"), "cancelled");
    lp_test_resp_free(&r);
    fx_ok(fx_call(f, "POST", path, f->company_a, "{}"), 409);
    id2 = fx_book(f, 0, other, 9);
    assert_true(id2 > id);
    r = fx_call(f, "GET", "/api/v1/bookings?status=active", f->company_b, NULL);
    lp_test_expect(&r, 200);
    {
        const cJSON *it;
        cJSON_ArrayForEach(it, cJSON_GetObjectItem(r.json, "items")) assert_int_equal(lp_test_jint(it, "company_id"), f->b);
    }
    lp_test_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quota_full_closed_and_notice),
        cmocka_unit_test(test_rebook_change_cancel),
    };
    return cmocka_run_group_tests(tests, setup, fx_teardown);
}

/* it_e2e.c - a truck's whole crossing through the real API only, on SQLite
 * and (it_e2e_pg) PostgreSQL: a company declares before arrival, risk gives
 * the channel, the agencies decide their tasks, the device at the gate posts
 * its readings and the barrier opens by itself, exit at km 0 gives the
 * partner its handover record; and the same with a seal mismatch, where the
 * gate holds and a customs officer decides. */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct ctx {
    lp_test_server srv;
    char *customs, *quarantine, *border_guard, *device, *partner, *operator, *company;
    long company_id, driver_id;
} ctx;

static lp_test_resp call(ctx *c, const char *method, const char *path, const char *token, const char *body)
{
    return lp_test_http(&c->srv, method, path, token, body, NULL);
}

static lp_test_resp call_ok(ctx *c, const char *method, const char *path, const char *token, const char *body,
                            long status)
{
    lp_test_resp r = call(c, method, path, token, body);
    if (r.status != status) fail_msg("%s %s: expected %ld, got %ld: %s", method, path, status, r.status, r.body);
    return r;
}

static long create(ctx *c, const char *path, const char *token, const char *body)
{
    lp_test_resp r = call_ok(c, "POST", path, token, body, 201);
    long id = (long)lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    return id;
}

static int setup(void **state)
{
    ctx *c = calloc(1, sizeof *c);
    lp_test_resp r;
    char body[512];
    assert_non_null(c);
    *state = c;
    lp_test_server_start(&c->srv, "e2e", NULL, NULL);
    c->customs = lp_test_token(&c->srv, "customs", 0);
    c->quarantine = lp_test_token(&c->srv, "quarantine", 0);
    c->border_guard = lp_test_token(&c->srv, "border_guard", 0);
    c->device = lp_test_token(&c->srv, "device", 0);
    c->partner = lp_test_token(&c->srv, "partner", 0);
    c->operator = lp_test_token(&c->srv, "operator", 0);
    c->company_id = create(c, "/api/v1/companies", c->srv.admin,
                           "{\"name\":\"Công ty TNHH Vận tải Bảo Nguyên\",\"country\":\"VN\",\"tax_id\":\"0100109106\","
                           "\"kinds\":[\"exporter\",\"transport\"]}");
    c->company = lp_test_token(&c->srv, "company", c->company_id);
    snprintf(body, sizeof body,
             "{\"full_name\":\"Nguyễn Văn An\",\"nationality\":\"VN\",\"document_kind\":\"vn_cccd\","
             "\"document_number\":\"001089012345\",\"licence_number\":\"LS000123\",\"licence_class\":\"FC\","
             "\"licence_valid_until\":\"2031-06-30\"}");
    c->driver_id = create(c, "/api/v1/drivers", c->company, body);
    /* No random inspection: with no rules every declaration is green, so
     * the test knows the channel in advance.  Customs owns this setting. */
    r = call_ok(c, "PATCH", "/api/v1/settings/risk_policy", c->customs,
                "{\"value\":{\"min_yellow_permille\":0,\"min_red_permille\":0}}", 200);
    lp_test_resp_free(&r);
    return 0;
}

static int teardown(void **state)
{
    ctx *c = *state;
    char **toks[] = {&c->customs, &c->quarantine, &c->border_guard, &c->device, &c->partner, &c->operator, &c->company};
    size_t i;
    for (i = 0; i < sizeof toks / sizeof toks[0]; i++) free(*toks[i]);
    lp_test_server_stop(&c->srv);
    free(c);
    return 0;
}

/* Files a declaration for a new truck with plate, one container with one
 * seal, one goods line; returns its id. */
static long declare(ctx *c, const char *number, const char *plate, const char *container, const char *seal,
                    const char *hs, const char *desc, cJSON **out)
{
    char body[2048], when[32];
    time_t t = time(NULL) + 3600;
    struct tm tm;
    long vehicle, id;
    lp_test_resp r;

    snprintf(body, sizeof body, "{\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"%s\",\"max_gross_kg\":40000}",
             plate);
    vehicle = create(c, "/api/v1/vehicles", c->company, body);
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(body, sizeof body,
             "{\"number\":\"%s\",\"direction\":\"export\",\"crossing_point_id\":\"tanthanh-1090\","
             "\"transport\":\"truck\",\"vehicle_id\":%ld,\"driver_id\":%ld,\"expected_arrival\":\"%s\","
             "\"currency\":\"VND\",\"containers\":[{\"number\":\"%s\",\"seals\":[\"%s\"]}],"
             "\"goods\":[{\"hs_code\":\"%s\",\"description\":\"%s\",\"packages\":800,\"gross_weight_kg\":18500.5,"
             "\"value\":1250000000,\"origin\":\"VN\"}],"
             "\"totals\":{\"packages\":800,\"gross_weight_kg\":18500.5,\"value\":1250000000}}",
             number, vehicle, c->driver_id, when, container, seal, hs, desc);
    r = call_ok(c, "POST", "/api/v1/declarations", c->company, body, 201);
    id = (long)lp_test_jint(r.json, "id");
    if (out) *out = cJSON_Duplicate(r.json, 1);
    lp_test_resp_free(&r);
    return id;
}

static const cJSON *task_of(const cJSON *decl, const char *agency)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(decl, "tasks"))
        if (!strcmp(lp_test_jstr(t, "agency"), agency)) return t;
    return NULL;
}

static void passage_body(char *out, size_t n, const char *plate, const char *container, const char *seal)
{
    snprintf(out, n,
             "{\"crossing_point_id\":\"tanthanh-1090\",\"lane\":1,\"plate\":{\"text\":\"%s\",\"confidence\":970},"
             "\"containers\":[{\"number\":\"%s\",\"confidence\":950}],\"seals\":[\"%s\"],\"gross_weight_kg\":33120}",
             plate, container, seal);
}

static void status_is(ctx *c, long id, const char *status)
{
    char path[64];
    lp_test_resp r;
    snprintf(path, sizeof path, "/api/v1/declarations/%ld", id);
    r = call_ok(c, "GET", path, c->operator, NULL, 200);
    if (strcmp(lp_test_jstr(r.json, "status"), status) != 0)
        fail_msg("declaration %ld: expected status %s: %s", id, status, r.body);
    lp_test_resp_free(&r);
}

static void exit_km0(ctx *c, long id, const char *number)
{
    char path[96];
    lp_test_resp r;
    const cJSON *it, *found = NULL;
    snprintf(path, sizeof path, "/api/v1/declarations/%ld/exit", id);
    r = call_ok(c, "POST", path, c->border_guard, NULL, 200);
    lp_test_resp_free(&r);
    status_is(c, id, "exited");
    /* The partner side reads the handover record. */
    r = call_ok(c, "GET", "/api/v1/crossings?limit=500", c->partner, NULL, 200);
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(r.json, "items"))
        if ((long)lp_test_jint(it, "declaration_id") == id) found = it;
    assert_non_null(found);
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItem(found, "handover"), "declaration_number"), number);
    assert_non_null(lp_test_jstr(found, "exit_at"));
    lp_test_resp_free(&r);
}

/* declare -> green channel -> quarantine approves -> device readings -> gate
 * opens by itself -> exit at km 0 -> handover; KPIs and audit follow. */
static void test_green_crossing_opens_by_itself(void **state)
{
    ctx *c = *state;
    cJSON *d = NULL;
    char body[512], path[96];
    lp_test_resp r;
    long id, qtask;

    /* Durian (HS 0810.60): food, so quarantine must decide. */
    id = declare(c, "305000000001", "29C-123.45", "CSQU3054383", "VN00000101", "08106000", "Fresh durian", &d);
    assert_string_equal(lp_test_jstr(d, "channel"), "green");
    assert_string_equal(lp_test_jstr(d, "status"), "pending");
    assert_string_equal(lp_test_jstr(task_of(d, "customs"), "state"), "approved");
    assert_string_equal(lp_test_jstr(task_of(d, "border_guard"), "state"), "approved");
    assert_string_equal(lp_test_jstr(task_of(d, "quarantine"), "state"), "pending");
    qtask = (long)lp_test_jint(task_of(d, "quarantine"), "id");
    cJSON_Delete(d);

    /* Only quarantine decides its own task; it shows in its task list. */
    snprintf(path, sizeof path, "/api/v1/tasks/%ld/decision", qtask);
    r = call(c, "POST", path, c->customs, "{\"decision\":\"approve\",\"reason\":\"not mine\"}");
    lp_test_assert_problem(&r, 403, NULL);
    lp_test_resp_free(&r);
    r = call_ok(c, "GET", "/api/v1/tasks?state=pending", c->quarantine, NULL, 200);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")) >= 1);
    lp_test_resp_free(&r);
    r = call_ok(c, "POST", path, c->quarantine,
                "{\"decision\":\"approve\",\"reason\":\"phytosanitary certificate checked\"}", 200);
    lp_test_resp_free(&r);
    status_is(c, id, "cleared");

    /* The gate: plate written differently, container and seal as declared. */
    passage_body(body, sizeof body, "29C 12345", "CSQU 305438 3", "VN00000101");
    r = call_ok(c, "POST", "/api/v1/gate-passages", c->device, body, 201);
    assert_string_equal(lp_test_jstr(r.json, "decision"), "open");
    assert_string_equal(lp_test_jstr(r.json, "barrier"), "open");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "reasons")), 0);
    lp_test_resp_free(&r);
    status_is(c, id, "gate_open");
    exit_km0(c, id, "305000000001");

    r = call_ok(c, "GET", "/api/v1/kpis", c->operator, NULL, 200);
    assert_non_null(strstr(r.body, "green"));
    lp_test_resp_free(&r);
    r = call_ok(c, "GET", "/api/v1/audit-events/verify", c->srv.admin, NULL, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "intact")));
    lp_test_resp_free(&r);
}

/* The same with a seal that does not match: the gate holds with the precise
 * reasons and opens an exception task; customs decides, and the same
 * readings then open the barrier. */
static void test_seal_mismatch_holds_until_officer_decides(void **state)
{
    ctx *c = *state;
    cJSON *d = NULL;
    char body[512], path[96];
    lp_test_resp r;
    const cJSON *reason;
    long id, task;
    int missing = 0, unexpected = 0;

    /* Laptops (HS 8471.30): no quarantine, so cleared at filing. */
    id = declare(c, "305000000002", "29C-234.56", "TCNU7200794", "VN00000202", "84713020", "Laptops", &d);
    assert_string_equal(lp_test_jstr(d, "status"), "cleared");
    assert_null(task_of(d, "quarantine"));
    cJSON_Delete(d);

    passage_body(body, sizeof body, "29C-234.56", "TCNU7200794", "VN00000999");
    r = call_ok(c, "POST", "/api/v1/gate-passages", c->device, body, 201);
    assert_string_equal(lp_test_jstr(r.json, "decision"), "hold");
    assert_string_equal(lp_test_jstr(r.json, "barrier"), "closed");
    cJSON_ArrayForEach(reason, cJSON_GetObjectItem(r.json, "reasons")) {
        if (!strcmp(lp_test_jstr(reason, "code"), "SEAL_MISSING")) missing++;
        else if (!strcmp(lp_test_jstr(reason, "code"), "SEAL_UNEXPECTED")) unexpected++;
        else fail_msg("unexpected reason: %s", r.body);
    }
    assert_int_equal(missing, 1);
    assert_int_equal(unexpected, 1);
    task = (long)lp_test_jint(r.json, "exception_task_id");
    assert_true(task > 0);
    lp_test_resp_free(&r);
    status_is(c, id, "pending");

    /* Exit is refused while the barrier stayed closed. */
    snprintf(path, sizeof path, "/api/v1/declarations/%ld/exit", id);
    r = call(c, "POST", path, c->border_guard, NULL);
    lp_test_assert_problem(&r, 409, NULL);
    lp_test_resp_free(&r);

    /* The officer sees the exception in customs' list and decides it. */
    r = call_ok(c, "GET", "/api/v1/tasks?kind=gate_exception&state=pending", c->customs, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")), 1);
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/tasks/%ld/decision", task);
    r = call(c, "POST", path, c->customs, "{\"decision\":\"hold\"}");
    lp_test_assert_problem(&r, 400, "/reason"); /* a hold needs its reason */
    lp_test_resp_free(&r);
    r = call_ok(c, "POST", path, c->customs,
                "{\"decision\":\"approve\",\"reason\":\"seal replaced under customs supervision; VN00000999 recorded\"}",
                200);
    lp_test_resp_free(&r);

    /* The same readings now open the barrier on the officer's decision. */
    r = call_ok(c, "POST", "/api/v1/gate-passages", c->device, body, 201);
    assert_string_equal(lp_test_jstr(r.json, "decision"), "open");
    assert_int_equal((long)lp_test_jint(r.json, "override_task_id"), task);
    lp_test_resp_free(&r);
    status_is(c, id, "gate_open");
    exit_km0(c, id, "305000000002");

    /* Who decided, and why, is in the audit log. */
    snprintf(path, sizeof path, "/api/v1/audit-events?object_type=task&object_id=%ld&action=task.decide", task);
    r = call_ok(c, "GET", path, c->operator, NULL, 200);
    assert_non_null(strstr(r.body, "seal replaced under customs supervision"));
    assert_non_null(strstr(r.body, "\"role\":\"customs\""));
    lp_test_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_green_crossing_opens_by_itself),
        cmocka_unit_test(test_seal_mismatch_holds_until_officer_decides),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

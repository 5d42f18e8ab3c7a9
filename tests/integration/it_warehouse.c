/* it_warehouse.c - the self-service bonded warehouse through the real API,
 * on a server whose clock a file drives (--clock file:PATH), so the test
 * moves time for code expiry and overstay: availability and reservations
 * (double booking 409 naming the reservation, company scoping), one-time
 * access codes at the kiosk (shown once, wrong plate, reused, expired,
 * locked after five wrong attempts: distinct outcomes, audited), check-in of
 * containers and packages, check-out blocked until customs clears the
 * declaration and allowed after the officer's decision, partial pick-ups,
 * never more than on hand, the invoice at the last pick-up, stock per
 * company and declaration, and the overstay alert. */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define H (INT64_C(3600000))
#define PLATE "29C-345.67"

typedef struct ctx {
    lp_test_server srv;
    char *customs, *device, *operator, *company, *other;
    char *tmp, clockfile[512];
    int64_t now;
    long company_id, other_id, driver_id, vehicle_id;
    long unit_bonded, unit_dry, unit_dry2;
} ctx;

/* Helpers --------------------------------------------------------------------------- */

static void set_now(ctx *c, int64_t ms)
{
    FILE *f = fopen(c->clockfile, "w");
    assert_non_null(f);
    fprintf(f, "%" PRId64 "\n", ms);
    fclose(f);
    c->now = ms;
}

static void iso(int64_t ms, char *out, size_t n)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static lp_test_resp call(ctx *c, const char *method, const char *path, const char *token, const char *body)
{
    return lp_test_http(&c->srv, method, path, token, body, NULL);
}

static lp_test_resp call_ok(ctx *c, const char *method, const char *path, const char *token, const char *body, long status)
{
    lp_test_resp r = call(c, method, path, token, body);
    if (r.status != status) fail_msg("%s %s: expected %ld, got %ld: %s", method, path, status, r.status, r.body);
    return r;
}

static long create(ctx *c, const char *path, const char *token, const char *body)
{
    lp_test_resp r = call_ok(c, "POST", path, token, body, 201);
    long id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    return id;
}

/* Asserts a refusal with status and outcome. */
static void refused(lp_test_resp *r, long status, const char *outcome)
{
    lp_test_assert_problem(r, status, NULL);
    if (!lp_test_jstr(r->json, "outcome") || strcmp(lp_test_jstr(r->json, "outcome"), outcome) != 0)
        fail_msg("expected outcome %s: %s", outcome, r->body);
    lp_test_resp_free(r);
}

static long unit_of(ctx *c, const char *code)
{
    lp_test_resp r = call_ok(c, "GET", "/api/v1/warehouses/huunghi-bw1/units", c->operator, NULL, 200);
    const cJSON *it;
    long id = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(r.json, "items"))
        if (!strcmp(lp_test_jstr(it, "code"), code)) id = lp_test_jint(it, "id");
    lp_test_resp_free(&r);
    assert_true(id > 0);
    return id;
}

static long reserve(ctx *c, const char *token, long unit, int64_t from, int64_t to, long expect, lp_test_resp *out)
{
    char body[256], a[40], b[40];
    lp_test_resp r;
    long id;
    iso(from, a, sizeof a);
    iso(to, b, sizeof b);
    snprintf(body, sizeof body, "{\"unit_id\":%ld,\"from\":\"%s\",\"to\":\"%s\"}", unit, a, b);
    r = call_ok(c, "POST", "/api/v1/warehouse-reservations", token, body, expect);
    id = expect == 201 ? lp_test_jint(r.json, "id") : 0;
    if (out) *out = r;
    else lp_test_resp_free(&r);
    return id;
}

/* A declaration of the company, yellow (document check pending: status pending). */
static long declare(ctx *c, const char *number)
{
    char body[1024], when[40];
    iso(c->now + H, when, sizeof when);
    snprintf(body, sizeof body,
             "{\"number\":\"%s\",\"direction\":\"import\",\"crossing_point_id\":\"huunghi-main\","
             "\"transport\":\"truck\",\"vehicle_id\":%ld,\"driver_id\":%ld,\"expected_arrival\":\"%s\","
             "\"currency\":\"VND\",\"goods\":[{\"hs_code\":\"84713020\",\"description\":\"laptops\",\"packages\":120,"
             "\"gross_weight_kg\":2400,\"value\":1500000000,\"origin\":\"CN\"}],"
             "\"totals\":{\"packages\":120,\"gross_weight_kg\":2400,\"value\":1500000000}}",
             number, c->vehicle_id, c->driver_id, when);
    return create(c, "/api/v1/declarations", c->company, body);
}

/* Issues a code; returns its text (caller frees) and id. */
static char *code_for(ctx *c, long res, const char *purpose, long decl, const char *plate, long *id)
{
    char path[96], body[256], *code;
    lp_test_resp r;
    snprintf(path, sizeof path, "/api/v1/warehouse-reservations/%ld/codes", res);
    snprintf(body, sizeof body, "{\"purpose\":\"%s\",\"declaration_id\":%ld,\"plate\":\"%s\"}", purpose, decl, plate);
    r = call_ok(c, "POST", path, c->company, body, 201);
    assert_non_null(lp_test_jstr(r.json, "code"));
    assert_null(cJSON_GetObjectItem(r.json, "hash"));
    code = strdup(lp_test_jstr(r.json, "code"));
    if (id) *id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    return code;
}

static lp_test_resp checkin(ctx *c, const char *code, const char *plate, const char *items)
{
    char body[1024];
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"plate\":\"%s\",\"items\":%s}", code, plate, items);
    return call(c, "POST", "/api/v1/warehouse-checkins", c->device, body);
}

static lp_test_resp checkout(ctx *c, const char *code, const char *items)
{
    char body[512];
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"plate\":\"%s\",\"items\":%s}", code, PLATE, items);
    return call(c, "POST", "/api/v1/warehouse-checkouts", c->device, body);
}

static long audit_count(ctx *c, const char *action)
{
    char path[128];
    lp_test_resp r;
    long n;
    snprintf(path, sizeof path, "/api/v1/audit-events?action=%s&limit=500", action);
    r = call_ok(c, "GET", path, c->srv.admin, NULL, 200);
    n = cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items"));
    lp_test_resp_free(&r);
    return n;
}

/* Setup ------------------------------------------------------------------------------ */

static int setup(void **state)
{
    ctx *c = calloc(1, sizeof *c);
    struct timeval tv;
    char clockarg[600], body[512];
    const char *extra[3];
    lp_test_resp r;

    assert_non_null(c);
    *state = c;
    c->tmp = lp_test_mkdtemp("it_wh_clock");
    snprintf(c->clockfile, sizeof c->clockfile, "%s/now", c->tmp);
    gettimeofday(&tv, NULL);
    set_now(c, (int64_t)tv.tv_sec * 1000);
    snprintf(clockarg, sizeof clockarg, "file:%s", c->clockfile);
    extra[0] = "--clock";
    extra[1] = clockarg;
    extra[2] = NULL;
    lp_test_server_start(&c->srv, "warehouse", NULL, extra);
    c->customs = lp_test_token(&c->srv, "customs", 0);
    c->device = lp_test_token(&c->srv, "device", 0);
    c->operator = lp_test_token(&c->srv, "operator", 0);
    c->company_id = create(c, "/api/v1/companies", c->srv.admin,
                           "{\"name\":\"Công ty TNHH Vận tải Bảo Nguyên\",\"country\":\"VN\",\"tax_id\":\"0100109106\"}");
    c->other_id = create(c, "/api/v1/companies", c->srv.admin,
                         "{\"name\":\"Công ty Khác\",\"country\":\"VN\",\"tax_id\":\"0101248141\"}");
    c->company = lp_test_token(&c->srv, "company", c->company_id);
    c->other = lp_test_token(&c->srv, "company", c->other_id);
    c->driver_id = create(c, "/api/v1/drivers", c->company,
                          "{\"full_name\":\"Nguyễn Văn An\",\"nationality\":\"VN\",\"document_kind\":\"vn_cccd\","
                          "\"document_number\":\"001089012345\",\"licence_number\":\"LS000123\","
                          "\"licence_valid_until\":\"2031-06-30\"}");
    snprintf(body, sizeof body, "{\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"%s\",\"max_gross_kg\":40000}", PLATE);
    c->vehicle_id = create(c, "/api/v1/vehicles", c->company, body);
    /* Every declaration yellow: a document check keeps it pending until customs decides. */
    r = call_ok(c, "PATCH", "/api/v1/settings/risk_policy", c->customs,
                "{\"value\":{\"min_yellow_permille\":1000,\"min_red_permille\":0}}", 200);
    lp_test_resp_free(&r);
    c->unit_bonded = unit_of(c, "B-01");
    c->unit_dry = unit_of(c, "D-01");
    c->unit_dry2 = unit_of(c, "D-02");
    return 0;
}

static int teardown(void **state)
{
    ctx *c = *state;
    char **toks[] = {&c->customs, &c->device, &c->operator, &c->company, &c->other};
    size_t i;
    for (i = 0; i < sizeof toks / sizeof toks[0]; i++) free(*toks[i]);
    lp_test_server_stop(&c->srv);
    lp_test_rmtree(c->tmp);
    free(c->tmp);
    free(c);
    return 0;
}

/* Tests ------------------------------------------------------------------------------- */

static void test_booking(void **state)
{
    ctx *c = *state;
    char path[256], a[40], b[40];
    lp_test_resp r;
    long res, other;
    const cJSON *it;
    int seen = 0;

    res = reserve(c, c->company, c->unit_dry, c->now + 24 * H, c->now + 72 * H, 201, NULL);
    /* Another company, overlapping: 409 naming the reservation. */
    reserve(c, c->other, c->unit_dry, c->now + 48 * H, c->now + 96 * H, 409, &r);
    lp_test_assert_problem(&r, 409, "/unit_id");
    snprintf(path, sizeof path, "reservation %ld", res);
    if (!strstr(lp_test_jstr(r.json, "detail"), path)) fail_msg("409 does not name reservation %ld: %s", res, r.body);
    lp_test_resp_free(&r);
    /* Right after it: fine. */
    other = reserve(c, c->other, c->unit_dry, c->now + 72 * H, c->now + 96 * H, 201, NULL);
    /* Availability over the period. */
    iso(c->now + 30 * H, a, sizeof a);
    iso(c->now + 31 * H, b, sizeof b);
    snprintf(path, sizeof path, "/api/v1/warehouses/huunghi-bw1/units?from=%s&to=%s&free=true", a, b);
    r = call_ok(c, "GET", path, c->company, NULL, 200);
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(r.json, "items")) {
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(it, "free")));
        if (lp_test_jint(it, "id") == c->unit_dry) seen = 1;
    }
    assert_int_equal(seen, 0);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")) >= 7);
    lp_test_resp_free(&r);
    r = call(c, "GET", "/api/v1/warehouses/huunghi-bw1/units?kind=frozen", c->company, NULL);
    lp_test_assert_problem(&r, 400, "kind");
    lp_test_resp_free(&r);
    /* Scoping: the other company sees neither the reservation nor can cancel it. */
    snprintf(path, sizeof path, "/api/v1/warehouse-reservations/%ld", res);
    r = call(c, "GET", path, c->other, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/warehouse-reservations/%ld/cancel", res);
    r = call(c, "POST", path, c->other, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);
    r = call_ok(c, "GET", "/api/v1/warehouse-reservations", c->other, NULL, 200);
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(r.json, "items")) assert_int_equal(lp_test_jint(it, "company_id"), c->other_id);
    lp_test_resp_free(&r);
    /* Cancel: then the period is free for the other company. */
    r = call_ok(c, "POST", path, c->company, NULL, 200);
    assert_string_equal(lp_test_jstr(r.json, "status"), "cancelled");
    lp_test_resp_free(&r);
    reserve(c, c->other, c->unit_dry, c->now + 48 * H, c->now + 72 * H, 201, NULL);
    (void)other;
    /* A closed warehouse takes no reservations. */
    r = call_ok(c, "PATCH", "/api/v1/warehouses/huunghi-bw1", c->operator, "{\"status\":\"closed\"}", 200);
    lp_test_resp_free(&r);
    reserve(c, c->company, c->unit_dry, c->now + 500 * H, c->now + 501 * H, 409, &r);
    assert_non_null(strstr(lp_test_jstr(r.json, "detail"), "closed"));
    lp_test_resp_free(&r);
    r = call_ok(c, "PATCH", "/api/v1/warehouses/huunghi-bw1", c->operator, "{\"status\":\"open\"}", 200);
    lp_test_resp_free(&r);
    r = call(c, "POST", "/api/v1/warehouse-reservations/abc/cancel", c->company, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);
    /* Bad input, all at once. */
    r = call(c, "POST", "/api/v1/warehouse-reservations", c->company, "{\"unit_id\":0,\"from\":\"soon\",\"to\":\"later\"}");
    lp_test_assert_problem(&r, 400, "/unit_id");
    lp_test_assert_problem(&r, 400, "/from");
    lp_test_assert_problem(&r, 400, "/to");
    lp_test_resp_free(&r);
}

static void test_codes_at_kiosk(void **state)
{
    ctx *c = *state;
    long res = reserve(c, c->company, c->unit_dry2, c->now, c->now + 240 * H, 201, NULL);
    long decl = declare(c, "305000000001"), code_id;
    char *code = code_for(c, res, "drop_off", decl, PLATE, &code_id), path[96];
    char wrong[64];
    lp_test_resp r;
    int i;

    /* The code is not shown again. */
    snprintf(path, sizeof path, "/api/v1/warehouse-codes/%ld", code_id);
    r = call_ok(c, "GET", path, c->company, NULL, 200);
    assert_null(cJSON_GetObjectItem(r.json, "code"));
    assert_null(strstr(r.body, strchr(code, '-') + 1));
    lp_test_resp_free(&r);
    r = call(c, "GET", path, c->other, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);

    /* Bad container check digit: 400 before anything happens. */
    r = checkin(c, code, PLATE, "[{\"container\":\"CSQU3054384\",\"packages\":1,\"gross_kg\":1}]");
    lp_test_assert_problem(&r, 400, "/items/0/container");
    lp_test_resp_free(&r);
    /* Wrong plate, then the right one; then reused. */
    refused((r = checkin(c, code, "51C-999.99", "[{\"package_id\":\"P1\",\"packages\":1,\"gross_kg\":1}]"), &r), 403,
            "wrong_plate");
    r = checkin(c, code, "29c-345.67", "[{\"container\":\"CSQU3054383\",\"packages\":800,\"gross_kg\":18500.5},"
                                       "{\"package_id\":\"PAL-0001\",\"packages\":20,\"gross_kg\":400}]");
    lp_test_expect(&r, 201);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "lots")), 2);
    assert_string_equal(lp_test_jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "lots"), 0), "ref"), "CSQU3054383");
    lp_test_resp_free(&r);
    refused((r = checkin(c, code, PLATE, "[{\"package_id\":\"P1\",\"packages\":1,\"gross_kg\":1}]"), &r), 403, "used");
    free(code);

    /* Expired: two hours by default. */
    code = code_for(c, res, "drop_off", decl, PLATE, NULL);
    set_now(c, c->now + 2 * H + 1000);
    refused((r = checkin(c, code, PLATE, "[{\"package_id\":\"P1\",\"packages\":1,\"gross_kg\":1}]"), &r), 403, "expired");
    free(code);

    /* Five wrong attempts lock the code; the right one is then refused too. */
    code = code_for(c, res, "drop_off", decl, PLATE, NULL);
    snprintf(wrong, sizeof wrong, "%s", code);
    wrong[strlen(wrong) - 1] = wrong[strlen(wrong) - 1] == '2' ? '3' : '2';
    for (i = 0; i < 5; i++)
        refused((r = checkin(c, wrong, PLATE, "[{\"package_id\":\"P1\",\"packages\":1,\"gross_kg\":1}]"), &r), 403,
                "wrong_code");
    refused((r = checkin(c, code, PLATE, "[{\"package_id\":\"P1\",\"packages\":1,\"gross_kg\":1}]"), &r), 403, "locked");
    refused((r = checkin(c, "12345-ABCDEFGH", PLATE, "[{\"package_id\":\"P1\",\"packages\":1,\"gross_kg\":1}]"), &r), 403,
            "unknown_code");
    free(code);
    assert_int_equal(audit_count(c, "wh_code.lock"), 1);
    assert_true(audit_count(c, "wh_code.refuse") >= 8);
    assert_int_equal(audit_count(c, "wh_code.use"), 1);
    /* A company cannot get a code for another company's declaration. */
    {
        char body[128];
        snprintf(path, sizeof path, "/api/v1/warehouse-reservations/%ld/codes", res);
        snprintf(body, sizeof body, "{\"purpose\":\"pick_up\",\"declaration_id\":%ld,\"plate\":\"%s\"}", decl, PLATE);
        r = call(c, "POST", path, c->other, body);
        lp_test_assert_problem(&r, 404, NULL);
        lp_test_resp_free(&r);
    }
}

static long task_of(ctx *c, long decl)
{
    char path[128];
    lp_test_resp r;
    const cJSON *t;
    long id = 0;
    snprintf(path, sizeof path, "/api/v1/tasks?declaration_id=%ld", decl);
    r = call_ok(c, "GET", path, c->customs, NULL, 200);
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(r.json, "items"))
        if (!strcmp(lp_test_jstr(t, "state"), "pending")) id = lp_test_jint(t, "id");
    lp_test_resp_free(&r);
    assert_true(id > 0);
    return id;
}

static void test_checkout_after_clearance(void **state)
{
    ctx *c = *state;
    long res = reserve(c, c->company, c->unit_bonded, c->now, c->now + 2000 * H, 201, NULL);
    long decl = declare(c, "305000000002"), lot, task;
    char *in = code_for(c, res, "drop_off", decl, PLATE, NULL), *out, path[128], items[128];
    lp_test_resp r;
    const cJSON *st;

    r = checkin(c, in, PLATE, "[{\"package_id\":\"PAL-7\",\"packages\":100,\"gross_kg\":2000}]");
    lp_test_expect(&r, 201);
    lot = lp_test_jint(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "lots"), 0), "id");
    lp_test_resp_free(&r);
    free(in);
    set_now(c, c->now + 30 * H);

    /* Bonded goods stay while the declaration is pending. */
    out = code_for(c, res, "pick_up", decl, PLATE, NULL);
    snprintf(items, sizeof items, "[{\"lot_id\":%ld,\"packages\":40}]", lot);
    refused((r = checkout(c, out, items), &r), 409, "customs_hold");
    /* The customs officer approves the document check: cleared. */
    task = task_of(c, decl);
    snprintf(path, sizeof path, "/api/v1/tasks/%ld/decision", task);
    r = call_ok(c, "POST", path, c->customs, "{\"decision\":\"approve\",\"reason\":\"invoice and packing list checked\"}", 200);
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/declarations/%ld", decl);
    r = call_ok(c, "GET", path, c->company, NULL, 200);
    assert_string_equal(lp_test_jstr(r.json, "status"), "cleared");
    lp_test_resp_free(&r);
    /* The same code works now: a partial pick-up. */
    r = checkout(c, out, items);
    lp_test_expect(&r, 200);
    assert_int_equal(lp_test_jint(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "lots"), 0), "packages_on_hand"), 60);
    lp_test_resp_free(&r);
    free(out);
    /* Never more than on hand. */
    out = code_for(c, res, "pick_up", decl, PLATE, NULL);
    snprintf(items, sizeof items, "[{\"lot_id\":%ld,\"packages\":61}]", lot);
    refused((r = checkout(c, out, items), &r), 409, "over_stock");
    /* The rest: the lot closes with its invoice (30 h: 6 billable hours, handling up to 10 t). */
    snprintf(items, sizeof items, "[{\"lot_id\":%ld}]", lot);
    r = checkout(c, out, items);
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "lots"), 0), "status"), "closed");
    assert_int_equal(lp_test_jint(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "invoices"), 0), "total"), 260000);
    lp_test_resp_free(&r);
    free(out);

    /* Stock: in - out = on hand, per company and declaration; the other company sees none of it. */
    snprintf(path, sizeof path, "/api/v1/warehouse-stock?declaration_id=%ld", decl);
    r = call_ok(c, "GET", path, c->company, NULL, 200);
    st = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "declarations"), 0);
    assert_int_equal(lp_test_jint(cJSON_GetObjectItem(st, "in"), "packages"), 100);
    assert_int_equal(lp_test_jint(cJSON_GetObjectItem(st, "out"), "packages"), 100);
    assert_int_equal(lp_test_jint(cJSON_GetObjectItem(st, "on_hand"), "packages"), 0);
    lp_test_resp_free(&r);
    r = call_ok(c, "GET", path, c->other, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "declarations")), 0);
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/warehouse-lots/%ld", lot);
    r = call(c, "GET", path, c->other, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);
    r = call_ok(c, "GET", path, c->company, NULL, 200);
    assert_int_equal(lp_test_jint(r.json, "dwell_minutes"), 30 * 60);
    lp_test_resp_free(&r);
}

static void test_overstay(void **state)
{
    ctx *c = *state;
    lp_test_resp r;
    const cJSON *it;
    int n = 0;

    /* The lots of test_codes_at_kiosk are still on hand. */
    r = call_ok(c, "GET", "/api/v1/warehouse-overstays", c->company, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")), 0);
    lp_test_resp_free(&r);
    set_now(c, c->now + 31 * 24 * H);
    /* A read of the lots finds them first. */
    r = call_ok(c, "GET", "/api/v1/warehouse-lots?status=in_stock", c->company, NULL, 200);
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(r.json, "items")) {
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(it, "overstaying")));
        assert_true(lp_test_jint(it, "dwell_minutes") >= 31 * 24 * 60);
        n++;
    }
    assert_int_equal(n, 2);
    n = 0;
    lp_test_resp_free(&r);
    r = call_ok(c, "GET", "/api/v1/warehouse-overstays", c->company, NULL, 200);
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(r.json, "items")) {
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(it, "overstaying")));
        n++;
    }
    assert_int_equal(n, 2);
    lp_test_resp_free(&r);
    r = call_ok(c, "GET", "/api/v1/warehouse-overstays", c->operator, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")), 2);
    lp_test_resp_free(&r);
    r = call_ok(c, "GET", "/api/v1/warehouse-overstays", c->other, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")), 0);
    lp_test_resp_free(&r);
    /* Audited once per lot, however often it is read. */
    assert_int_equal(audit_count(c, "wh_lot.overstay"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_booking),
        cmocka_unit_test(test_codes_at_kiosk),
        cmocka_unit_test(test_checkout_after_clearance),
        cmocka_unit_test(test_overstay),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

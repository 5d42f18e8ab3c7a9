/* it_tasks.c - risk rules, clearance settings and agency tasks over HTTP,
 * against the real landport binary on SQLite: rules checked as the risk
 * engine reads them (each problem on its pointer), who may manage rules and
 * change which setting, which tasks each agency sees, the decision rules
 * (own agency, reason, final versus hold) and the declaration status and
 * audit events a decision produces.
 *
 * Declarations are filed by the declarations API; to stay independent of it
 * the setup registers a company, vehicle and driver over HTTP, stops the
 * server and writes declarations, crossing records and tasks straight into
 * the SQLite file, then starts the server again. */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct ctx {
    lp_test_group g; /* first: the server and an operator token */
    char *customs, *guard, *quarantine, *company;
    long company_id, vehicle_id, driver_id;
    long d1, t1_docs, t1_guard, t1_quar;  /* hold, approve, approve: cleared */
    long d2, t2_phys, t2_guard;           /* reject: rejected */
    long d3, t3_docs;                     /* cancelled: nothing to decide */
    long d4, t4_quar, t4_guard;           /* the decision rules */
} ctx;

/* Helpers ------------------------------------------------------------------ */

static lp_test_resp call(ctx *c, const char *method, const char *path, const char *token, const char *body)
{
    return lp_test_http(&c->g.srv, method, path, token, body, NULL);
}

static void refused(ctx *c, const char *method, const char *path, const char *token, const char *body, long status,
                    const char *pointer)
{
    lp_test_resp r = call(c, method, path, token, body);
    lp_test_assert_problem(&r, status, pointer);
    lp_test_resp_free(&r);
}

static long created(ctx *c, const char *path, const char *token, const char *body)
{
    lp_test_resp r = call(c, "POST", path, token, body);
    long id;
    lp_test_expect(&r, 201);
    id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    return id;
}

/* Runs printf-formatted SQL on the stopped server's file; returns the rowid
 * of the last insert. */
__attribute__((format(printf, 2, 3))) static long sql(sqlite3 *h, const char *fmt, ...)
{
    char text[2048], *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (sqlite3_exec(h, text, NULL, NULL, &msg) != SQLITE_OK) {
        print_error("%s\n-> %s\n", text, msg ? msg : "?");
        sqlite3_free(msg);
        fail();
    }
    return (long)sqlite3_last_insert_rowid(h);
}

/* A filed declaration of the test company in status, with its crossing
 * record, as the declarations code would leave it. */
static long seed_declaration(ctx *c, sqlite3 *h, const char *number, const char *status, long long now)
{
    long id = sql(h,
                  "INSERT INTO declarations (company_id, number, direction, crossing_point_id, transport, vehicle_id,"
                  " vehicle_plate, driver_id, expected_arrival, currency, containers, goods, totals, status, channel,"
                  " channel_source, risk_seed, risk_algo, risk, needs_quarantine, valid_until, amendments, version,"
                  " created_at, updated_at) VALUES (%ld, '%s', 'export', 'road-1088', 'truck', %ld, '51C-101.01', %ld,"
                  " %lld, 'VND', '[]', '[{\"hs_code\":\"08109010\"}]', '{}', '%s', 'yellow', 'risk', '42', 1, '{}',"
                  " 1, %lld, 0, 1, %lld, %lld)",
                  c->company_id, number, c->vehicle_id, c->driver_id, now + 3600000, status, now + 72 * 3600000LL,
                  now, now);
    sql(h,
        "INSERT INTO crossings (declaration_id, company_id, crossing_point_id, direction, channel, filed_at, version,"
        " created_at, updated_at) VALUES (%ld, %ld, 'road-1088', 'export', 'yellow', %lld, 1, %lld, %lld)",
        id, c->company_id, now, now, now);
    return id;
}

static long seed_task(ctx *c, sqlite3 *h, long decl, const char *agency, const char *kind, const char *state,
                      long long now)
{
    return sql(h,
               "INSERT INTO tasks (declaration_id, company_id, agency, kind, state, details, version, created_at,"
               " updated_at) VALUES (%ld, %ld, '%s', '%s', '%s', '{}', 1, %lld, %lld)",
               decl, c->company_id, agency, kind, state, now, now);
}

static void seed(ctx *c)
{
    const char *path = strncmp(c->g.srv.db, "sqlite:", 7) == 0 ? c->g.srv.db + 7 : c->g.srv.db;
    long long now = (long long)time(NULL) * 1000;
    sqlite3 *h = NULL;

    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    sql(h, "BEGIN");
    c->d1 = seed_declaration(c, h, "300100000001", "pending", now);
    c->t1_docs = seed_task(c, h, c->d1, "customs", "document_check", "pending", now);
    c->t1_guard = seed_task(c, h, c->d1, "border_guard", "vehicle_driver_check", "approved", now);
    c->t1_quar = seed_task(c, h, c->d1, "quarantine", "quarantine_check", "pending", now);
    c->d2 = seed_declaration(c, h, "300100000002", "pending", now);
    c->t2_phys = seed_task(c, h, c->d2, "customs", "physical_check", "pending", now);
    c->t2_guard = seed_task(c, h, c->d2, "border_guard", "vehicle_driver_check", "approved", now);
    c->d3 = seed_declaration(c, h, "300100000003", "cancelled", now);
    c->t3_docs = seed_task(c, h, c->d3, "customs", "document_check", "pending", now);
    c->d4 = seed_declaration(c, h, "300100000004", "pending", now);
    c->t4_quar = seed_task(c, h, c->d4, "quarantine", "quarantine_check", "pending", now);
    c->t4_guard = seed_task(c, h, c->d4, "border_guard", "vehicle_driver_check", "pending", now);
    sql(h, "COMMIT");
    sqlite3_close(h);
}

static int group_setup(void **state)
{
    ctx *c = lp_test_group_setup(state, sizeof(ctx), "tasks");
    char tax[11], body[512];

    lp_test_vn_taxid(3, 777u, tax);
    snprintf(body, sizeof body, "{\"name\":\"Công ty Nông sản Lạng Sơn\",\"country\":\"VN\",\"tax_id\":\"%s\"}", tax);
    c->company_id = created(c, "/api/v1/companies", c->g.operator, body);
    snprintf(body, sizeof body,
             "{\"company_id\":%ld,\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"51C-101.01\"}", c->company_id);
    c->vehicle_id = created(c, "/api/v1/vehicles", c->g.operator, body);
    snprintf(body, sizeof body,
             "{\"company_id\":%ld,\"full_name\":\"Trần Thị Lan\",\"nationality\":\"VN\",\"document_kind\":\"vn_cccd\","
             "\"document_number\":\"001089012345\",\"licence_number\":\"LS123456\","
             "\"licence_valid_until\":\"2031-01-31\"}",
             c->company_id);
    c->driver_id = created(c, "/api/v1/drivers", c->g.operator, body);
    c->customs = lp_test_token(&c->g.srv, "customs", 0);
    c->guard = lp_test_token(&c->g.srv, "border_guard", 0);
    c->quarantine = lp_test_token(&c->g.srv, "quarantine", 0);
    c->company = lp_test_token(&c->g.srv, "company", c->company_id);

    lp_test_server_kill(&c->g.srv, SIGTERM);
    seed(c);
    lp_test_server_restart(&c->g.srv);
    return 0;
}

static int group_teardown(void **state)
{
    ctx *c = *state;
    if (c) {
        free(c->customs);
        free(c->guard);
        free(c->quarantine);
        free(c->company);
    }
    return lp_test_group_teardown(state);
}

/* Risk rules ------------------------------------------------------------------ */

#define GOOD_RULE                                                                                               \
    "\"name\":\"Quả tươi từ CN\",\"hs_prefix\":\"0810\",\"origin\":\"CN\",\"direction\":\"import\","            \
    "\"crossing_point_id\":\"road-1088\",\"max_vnd_per_kg\":20000,\"channel\":\"red\",\"probability\":300"

static void test_risk_rule_create_and_patch(void **state)
{
    ctx *c = *state;
    char body[512], path[64];
    lp_test_resp r;
    long id;

    snprintf(body, sizeof body, "{" GOOD_RULE ",\"company_id\":%ld}", c->company_id);
    r = call(c, "POST", "/api/v1/risk-rules", c->customs, body);
    lp_test_expect(&r, 201);
    id = lp_test_jint(r.json, "id");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "enabled"))); /* the default */
    assert_string_equal(lp_test_jstr(r.json, "hs_prefix"), "0810");
    assert_string_equal(lp_test_jstr(r.json, "channel"), "red");
    assert_int_equal(lp_test_jint(r.json, "probability"), 300);
    assert_int_equal(lp_test_jint(r.json, "company_id"), c->company_id);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r.json, "min_vnd_per_kg")));
    assert_non_null(r.location);
    snprintf(path, sizeof path, "/api/v1/risk-rules/%ld", id);
    assert_string_equal(r.location, path);
    assert_non_null(r.etag);
    lp_test_resp_free(&r);

    /* Switched off, not deleted; the band is checked with the stored side. */
    r = lp_test_http(&c->g.srv, "PATCH", path, c->customs, "{\"enabled\":false,\"probability\":1000}",
                     (const char *const[]){"If-Match: \"1\"", "X-Reason: season over", NULL});
    lp_test_expect(&r, 200);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "enabled")));
    assert_int_equal(lp_test_jint(r.json, "probability"), 1000);
    assert_string_equal(lp_test_jstr(r.json, "name"), "Quả tươi từ CN");
    lp_test_resp_free(&r);
    refused(c, "PATCH", path, c->customs, "{\"min_vnd_per_kg\":30000}", 400, "/max_vnd_per_kg");
    r = lp_test_http(&c->g.srv, "PATCH", path, c->customs, "{\"probability\":5}",
                     (const char *const[]){"If-Match: \"1\"", NULL});
    lp_test_assert_problem(&r, 412, NULL);
    lp_test_resp_free(&r);
    r = call(c, "PATCH", path, c->customs, "{\"hs_prefix\":null,\"origin\":null,\"max_vnd_per_kg\":null}");
    lp_test_expect(&r, 200);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r.json, "hs_prefix")));
    lp_test_resp_free(&r);
    refused(c, "DELETE", path, c->customs, NULL, 405, NULL);
    refused(c, "PATCH", "/api/v1/risk-rules/999999", c->customs, "{\"probability\":5}", 404, NULL);
    refused(c, "GET", "/api/v1/risk-rules/999999", c->customs, NULL, 404, NULL);

    /* Listed with the disabled ones, and filtered. */
    r = call(c, "GET", "/api/v1/risk-rules?enabled=false", c->g.srv.admin, NULL);
    lp_test_expect(&r, 200);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")) >= 1);
    lp_test_resp_free(&r);
    r = call(c, "GET", path, c->g.srv.admin, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(lp_test_jint(r.json, "version"), 3);
    lp_test_resp_free(&r);

    /* Audited with who and why. */
    snprintf(path, sizeof path, "/api/v1/audit-events?action=risk_rule.update&object_id=%ld", id);
    r = call(c, "GET", path, c->g.srv.admin, NULL);
    lp_test_expect(&r, 200);
    {
        const cJSON *ev = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "items"), 0);
        assert_non_null(ev);
        assert_string_equal(lp_test_jstr(ev, "actor"), "test-customs");
        assert_string_equal(lp_test_jstr(ev, "reason"), "season over");
    }
    lp_test_resp_free(&r);
}

static void test_risk_rule_validation(void **state)
{
    ctx *c = *state;
    static const struct {
        const char *body, *pointer;
    } bad[] = {
        {"{\"name\":\"x\",\"hs_prefix\":\"08a1\",\"channel\":\"red\",\"probability\":10}", "/hs_prefix"},
        {"{\"name\":\"x\",\"hs_prefix\":\"0\",\"channel\":\"red\",\"probability\":10}", "/hs_prefix"},
        {"{\"name\":\"x\",\"channel\":\"red\",\"probability\":1001}", "/probability"},
        {"{\"name\":\"x\",\"channel\":\"red\",\"probability\":-1}", "/probability"},
        {"{\"name\":\"x\",\"min_vnd_per_kg\":5000,\"max_vnd_per_kg\":4999,\"channel\":\"red\",\"probability\":10}",
         "/max_vnd_per_kg"},
        {"{\"name\":\"x\",\"channel\":\"green\",\"probability\":10}", "/channel"},
        {"{\"name\":\"x\",\"crossing_point_id\":\"nowhere-1\",\"channel\":\"red\",\"probability\":10}",
         "/crossing_point_id"},
        {"{\"name\":\"x\",\"crossing_point_id\":\"Road 1088\",\"channel\":\"red\",\"probability\":10}",
         "/crossing_point_id"},
        {"{\"name\":\"x\",\"company_id\":999999,\"channel\":\"red\",\"probability\":10}", "/company_id"},
        {"{\"name\":\"x\",\"origin\":\"XX\",\"channel\":\"red\",\"probability\":10}", "/origin"},
        {"{\"name\":\"x\",\"origin\":\"cn\",\"channel\":\"red\",\"probability\":10}", "/origin"},
        {"{\"name\":\"x\",\"direction\":\"sideways\",\"channel\":\"red\",\"probability\":10}", "/direction"},
        {"{\"name\":\"\",\"channel\":\"red\",\"probability\":10}", "/name"},
        {"{\"name\":\"x\\u0007\",\"channel\":\"red\",\"probability\":10}", "/name"},
        {"{\"name\":\"x\",\"probability\":10}", "/channel"},
        {"{\"name\":\"x\",\"channel\":\"red\",\"probability\":10,\"weight\":1}", "/weight"},
    };
    size_t i;
    lp_test_resp r;
    int before;

    r = call(c, "GET", "/api/v1/risk-rules?limit=500", c->customs, NULL);
    lp_test_expect(&r, 200);
    before = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items"));
    lp_test_resp_free(&r);

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = call(c, "POST", "/api/v1/risk-rules", c->customs, bad[i].body);
        if (r.status != 400) print_error("body %s\n", bad[i].body);
        lp_test_assert_problem(&r, 400, bad[i].pointer);
        lp_test_resp_free(&r);
    }

    /* Every problem at once, each once. */
    r = call(c, "POST", "/api/v1/risk-rules", c->customs,
             "{\"name\":\"all wrong\",\"hs_prefix\":\"8x\",\"origin\":\"ZZ\",\"crossing_point_id\":\"nowhere-2\","
             "\"company_id\":999999,\"min_vnd_per_kg\":9,\"max_vnd_per_kg\":1,\"channel\":\"green\","
             "\"probability\":1001}");
    lp_test_assert_problem(&r, 400, "/hs_prefix");
    lp_test_assert_problem(&r, 400, "/origin");
    lp_test_assert_problem(&r, 400, "/crossing_point_id");
    lp_test_assert_problem(&r, 400, "/company_id");
    lp_test_assert_problem(&r, 400, "/max_vnd_per_kg");
    lp_test_assert_problem(&r, 400, "/channel");
    lp_test_assert_problem(&r, 400, "/probability");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "errors")), 7);
    lp_test_resp_free(&r);

    /* Nothing was stored. */
    r = call(c, "GET", "/api/v1/risk-rules?limit=500", c->customs, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), before);
    lp_test_resp_free(&r);
}

static void test_risk_rule_roles(void **state)
{
    ctx *c = *state;
    const char *body = "{" GOOD_RULE "}";
    long id = created(c, "/api/v1/risk-rules", c->customs, body);
    char path[64];
    lp_test_resp r;

    snprintf(path, sizeof path, "/api/v1/risk-rules/%ld", id);
    refused(c, "POST", "/api/v1/risk-rules", c->g.operator, body, 403, NULL);
    refused(c, "POST", "/api/v1/risk-rules", c->g.srv.admin, body, 403, NULL);
    refused(c, "POST", "/api/v1/risk-rules", c->company, body, 403, NULL);
    refused(c, "POST", "/api/v1/risk-rules", c->quarantine, body, 403, NULL);
    refused(c, "POST", "/api/v1/risk-rules", NULL, body, 401, NULL);
    refused(c, "PATCH", path, c->g.srv.admin, "{\"enabled\":false}", 403, NULL);
    refused(c, "PATCH", path, c->g.operator, "{\"enabled\":false}", 403, NULL);
    refused(c, "GET", "/api/v1/risk-rules", c->g.operator, NULL, 403, NULL);
    refused(c, "GET", path, c->company, NULL, 403, NULL);
    refused(c, "GET", path, c->guard, NULL, 403, NULL);
    r = call(c, "GET", path, c->g.srv.admin, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    r = call(c, "GET", path, c->customs, NULL);
    lp_test_expect(&r, 200);
    assert_non_null(r.etag);
    lp_test_resp_free(&r);
}

/* Settings ------------------------------------------------------------------ */

static cJSON *setting_value(ctx *c, const char *id)
{
    char path[64];
    lp_test_resp r;
    cJSON *v;
    snprintf(path, sizeof path, "/api/v1/settings/%s", id);
    r = call(c, "GET", path, c->guard, NULL);
    lp_test_expect(&r, 200);
    v = cJSON_DetachItemFromObjectCaseSensitive(r.json, "value");
    lp_test_resp_free(&r);
    assert_true(cJSON_IsObject(v));
    return v;
}

static void test_settings(void **state)
{
    ctx *c = *state;
    lp_test_resp r;
    cJSON *v;

    r = call(c, "GET", "/api/v1/settings", c->quarantine, NULL);
    lp_test_expect(&r, 200);
    /* risk_policy and clearance, and the settings of other features (notifications, yard, ...) */
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")) >= 2);
    lp_test_resp_free(&r);
    refused(c, "GET", "/api/v1/settings", c->company, NULL, 403, NULL);
    refused(c, "GET", "/api/v1/settings/clearance", c->company, NULL, 403, NULL);
    refused(c, "GET", "/api/v1/settings/nothing", c->customs, NULL, 404, NULL);

    /* risk_policy: customs only; members not sent keep their value. */
    r = lp_test_http(&c->g.srv, "PATCH", "/api/v1/settings/risk_policy", c->customs,
                     "{\"value\":{\"min_red_permille\":50}}", (const char *const[]){"X-Reason: circular 12/2026", NULL});
    lp_test_expect(&r, 200);
    v = cJSON_GetObjectItemCaseSensitive(r.json, "value");
    assert_int_equal(lp_test_jint(v, "min_red_permille"), 50);
    assert_int_equal(lp_test_jint(v, "min_yellow_permille"), 296);
    assert_int_equal(lp_test_jint(r.json, "version"), 2);
    lp_test_resp_free(&r);
    refused(c, "PATCH", "/api/v1/settings/risk_policy", c->g.operator, "{\"value\":{\"min_red_permille\":0}}", 403,
            NULL);
    refused(c, "PATCH", "/api/v1/settings/risk_policy", c->g.srv.admin, "{\"value\":{\"min_red_permille\":0}}", 403,
            NULL);
    refused(c, "PATCH", "/api/v1/settings/risk_policy", c->quarantine, "{\"value\":{\"min_red_permille\":0}}", 403,
            NULL);
    refused(c, "PATCH", "/api/v1/settings/risk_policy", c->customs,
            "{\"value\":{\"min_yellow_permille\":900,\"min_red_permille\":200}}", 400, "/value/min_red_permille");
    refused(c, "PATCH", "/api/v1/settings/risk_policy", c->customs, "{\"value\":{\"min_yellow_permille\":1001}}", 400,
            "/value/min_yellow_permille");
    refused(c, "PATCH", "/api/v1/settings/risk_policy", c->customs, "{\"value\":{\"min_red_permille\":2.5}}", 400,
            "/value/min_red_permille");
    refused(c, "PATCH", "/api/v1/settings/risk_policy", c->customs, "{\"value\":{\"max_red_permille\":5}}", 400,
            "/value/max_red_permille");
    refused(c, "PATCH", "/api/v1/settings/risk_policy", c->customs, "{\"value\":5}", 400, "/value");
    refused(c, "PATCH", "/api/v1/settings/risk_policy", c->customs, "{\"value\":null}", 400, "/value");
    refused(c, "PATCH", "/api/v1/settings/risk_policy", c->customs, "{}", 400, "/value");
    refused(c, "PATCH", "/api/v1/settings/risk_policy", c->customs, "{\"value\":{},\"other\":1}", 400, "/other");
    refused(c, "PATCH", "/api/v1/settings/nothing", c->customs, "{\"value\":{}}", 404, NULL);
    v = setting_value(c, "risk_policy");
    assert_int_equal(lp_test_jint(v, "min_yellow_permille"), 296);
    assert_int_equal(lp_test_jint(v, "min_red_permille"), 50);
    cJSON_Delete(v);

    /* clearance: operator and admin only; every member checked. */
    refused(c, "PATCH", "/api/v1/settings/clearance", c->customs, "{\"value\":{\"weight_required\":true}}", 403, NULL);
    refused(c, "PATCH", "/api/v1/settings/clearance", c->guard, "{\"value\":{\"weight_required\":true}}", 403, NULL);
    r = call(c, "PATCH", "/api/v1/settings/clearance", c->g.operator,
             "{\"value\":{\"declaration_validity_hours\":48,\"weight_required\":true}}");
    lp_test_expect(&r, 200);
    v = cJSON_GetObjectItemCaseSensitive(r.json, "value");
    assert_int_equal(lp_test_jint(v, "declaration_validity_hours"), 48);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "weight_required")));
    assert_int_equal(lp_test_jint(v, "weight_tolerance_g"), 200000);
    lp_test_resp_free(&r);
    r = call(c, "PATCH", "/api/v1/settings/clearance", c->g.srv.admin, "{\"value\":{\"min_ocr_confidence\":800}}");
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    r = call(c, "PATCH", "/api/v1/settings/clearance", c->g.operator,
             "{\"value\":{\"declaration_validity_hours\":0,\"weight_tolerance_permille\":201,"
             "\"weight_tolerance_g\":5000001,\"min_plate_confidence\":-1,\"min_ocr_confidence\":1001,"
             "\"weight_required\":\"yes\",\"colour\":\"red\"}}");
    lp_test_assert_problem(&r, 400, "/value/declaration_validity_hours");
    lp_test_assert_problem(&r, 400, "/value/weight_tolerance_permille");
    lp_test_assert_problem(&r, 400, "/value/weight_tolerance_g");
    lp_test_assert_problem(&r, 400, "/value/min_plate_confidence");
    lp_test_assert_problem(&r, 400, "/value/min_ocr_confidence");
    lp_test_assert_problem(&r, 400, "/value/weight_required");
    lp_test_assert_problem(&r, 400, "/value/colour");
    lp_test_resp_free(&r);
    refused(c, "PATCH", "/api/v1/settings/clearance", c->g.operator,
            "{\"value\":{\"declaration_validity_hours\":721}}", 400, "/value/declaration_validity_hours");
    r = lp_test_http(&c->g.srv, "PATCH", "/api/v1/settings/clearance", c->g.operator,
                     "{\"value\":{\"declaration_validity_hours\":24}}", (const char *const[]){"If-Match: \"1\"", NULL});
    lp_test_assert_problem(&r, 412, NULL);
    lp_test_resp_free(&r);
    v = setting_value(c, "clearance");
    assert_int_equal(lp_test_jint(v, "declaration_validity_hours"), 48);
    assert_int_equal(lp_test_jint(v, "min_ocr_confidence"), 800);
    assert_int_equal(lp_test_jint(v, "min_plate_confidence"), 900);
    cJSON_Delete(v);

    r = call(c, "GET", "/api/v1/audit-events?action=setting.update&object_id=risk_policy", c->g.srv.admin, NULL);
    lp_test_expect(&r, 200);
    {
        const cJSON *ev = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "items"), 0);
        assert_non_null(ev);
        assert_string_equal(lp_test_jstr(ev, "role"), "customs");
        assert_string_equal(lp_test_jstr(ev, "reason"), "circular 12/2026");
    }
    lp_test_resp_free(&r);
}

/* Task lists ---------------------------------------------------------------- */

/* GETs path as token and asserts count items, all of agency (NULL: any). */
static void expect_tasks(ctx *c, const char *path, const char *token, int count, const char *agency)
{
    lp_test_resp r = call(c, "GET", path, token, NULL);
    const cJSON *items, *it;
    lp_test_expect(&r, 200);
    items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
    if (cJSON_GetArraySize(items) != count) fail_msg("%s: want %d tasks, got %s", path, count, r.body);
    cJSON_ArrayForEach(it, items)
        if (agency && strcmp(lp_test_jstr(it, "agency"), agency) != 0) fail_msg("%s: another agency's task: %s", path, r.body);
    lp_test_resp_free(&r);
}

static void test_task_visibility(void **state)
{
    ctx *c = *state;
    char path[96];
    lp_test_resp r;

    expect_tasks(c, "/api/v1/tasks", c->customs, 3, "customs");
    expect_tasks(c, "/api/v1/tasks", c->guard, 3, "border_guard");
    expect_tasks(c, "/api/v1/tasks", c->quarantine, 2, "quarantine");
    expect_tasks(c, "/api/v1/tasks", c->g.operator, 8, NULL);
    expect_tasks(c, "/api/v1/tasks", c->g.srv.admin, 8, NULL);
    /* An agency cannot ask for another's list. */
    expect_tasks(c, "/api/v1/tasks?agency=quarantine", c->customs, 0, NULL);
    expect_tasks(c, "/api/v1/tasks?agency=customs", c->customs, 3, "customs");
    expect_tasks(c, "/api/v1/tasks?agency=quarantine", c->g.operator, 2, "quarantine");
    snprintf(path, sizeof path, "/api/v1/tasks?declaration_id=%ld&state=pending", c->d3);
    expect_tasks(c, path, c->customs, 1, "customs");
    expect_tasks(c, path, c->guard, 0, NULL);
    snprintf(path, sizeof path, "/api/v1/tasks?declaration_id=%ld&kind=quarantine_check", c->d4);
    expect_tasks(c, path, c->g.operator, 1, "quarantine");
    expect_tasks(c, "/api/v1/tasks?limit=1", c->g.operator, 1, NULL);
    refused(c, "GET", "/api/v1/tasks", c->company, NULL, 403, NULL);
    refused(c, "GET", "/api/v1/tasks", NULL, NULL, 401, NULL);
    refused(c, "GET", "/api/v1/tasks?declaration_id=x", c->customs, NULL, 400, "declaration_id");
    refused(c, "GET", "/api/v1/tasks?colour=red", c->customs, NULL, 400, "colour");

    /* One task: its own agency and the managers see it; others get 404. */
    snprintf(path, sizeof path, "/api/v1/tasks/%ld", c->t4_quar);
    refused(c, "GET", path, c->customs, NULL, 404, NULL);
    refused(c, "GET", path, c->guard, NULL, 404, NULL);
    refused(c, "GET", path, c->company, NULL, 403, NULL);
    r = call(c, "GET", path, c->quarantine, NULL);
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "agency"), "quarantine");
    assert_string_equal(lp_test_jstr(r.json, "state"), "pending");
    assert_int_equal(lp_test_jint(r.json, "declaration_id"), c->d4);
    assert_non_null(r.etag);
    lp_test_resp_free(&r);
    r = call(c, "GET", path, c->g.operator, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    refused(c, "GET", "/api/v1/tasks/999999", c->g.srv.admin, NULL, 404, NULL);
    refused(c, "GET", "/api/v1/tasks/abc", c->g.srv.admin, NULL, 404, NULL);
}

/* Decisions ------------------------------------------------------------------- */

/* Decides task as token; asserts status and, on 200, the task's new state and
 * the declaration's status in the answer. */
static void decide(ctx *c, const char *token, long task, const char *body, const char *x_reason, long status,
                   const char *state, const char *decl_status)
{
    char path[96], xr[160];
    lp_test_resp r;
    snprintf(path, sizeof path, "/api/v1/tasks/%ld/decision", task);
    snprintf(xr, sizeof xr, "X-Reason: %s", x_reason ? x_reason : "");
    r = lp_test_http(&c->g.srv, "POST", path, token, body, x_reason ? (const char *const[]){xr, NULL} : NULL);
    if (status != 200) {
        lp_test_assert_problem(&r, status, NULL);
    } else {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(r.json, "task");
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(r.json, "declaration");
        lp_test_expect(&r, 200);
        assert_int_equal(lp_test_jint(t, "id"), task);
        assert_string_equal(lp_test_jstr(t, "state"), state);
        assert_non_null(lp_test_jstr(t, "decided_at"));
        assert_string_equal(lp_test_jstr(d, "status"), decl_status);
    }
    lp_test_resp_free(&r);
}

static const char *task_state(ctx *c, long task, char out[32])
{
    char path[64];
    lp_test_resp r;
    snprintf(path, sizeof path, "/api/v1/tasks/%ld", task);
    r = call(c, "GET", path, c->g.srv.admin, NULL);
    lp_test_expect(&r, 200);
    snprintf(out, 32, "%s", lp_test_jstr(r.json, "state"));
    lp_test_resp_free(&r);
    return out;
}

static void test_decision_rules(void **state)
{
    ctx *c = *state;
    char path[96], st[32];

    /* Only the task's own agency decides. */
    decide(c, c->customs, c->t4_quar, "{\"decision\":\"approve\"}", NULL, 403, NULL, NULL);
    decide(c, c->guard, c->t4_quar, "{\"decision\":\"approve\"}", NULL, 403, NULL, NULL);
    decide(c, c->g.operator, c->t4_quar, "{\"decision\":\"approve\"}", NULL, 403, NULL, NULL);
    decide(c, c->g.srv.admin, c->t4_quar, "{\"decision\":\"approve\"}", NULL, 403, NULL, NULL);
    decide(c, c->company, c->t4_quar, "{\"decision\":\"approve\"}", NULL, 403, NULL, NULL);
    decide(c, NULL, c->t4_quar, "{\"decision\":\"approve\"}", NULL, 401, NULL, NULL);
    /* ... even with a body that is wrong as well. */
    decide(c, c->customs, c->t4_quar, "{\"decision\":\"reject\"}", NULL, 403, NULL, NULL);

    /* A reason for reject and hold; a known decision; nothing else. */
    snprintf(path, sizeof path, "/api/v1/tasks/%ld/decision", c->t4_quar);
    refused(c, "POST", path, c->quarantine, "{\"decision\":\"reject\"}", 400, "/reason");
    refused(c, "POST", path, c->quarantine, "{\"decision\":\"hold\",\"reason\":\"  \"}", 400, "/reason");
    refused(c, "POST", path, c->quarantine, "{\"decision\":\"hold\",\"reason\":\"\"}", 400, "/reason");
    refused(c, "POST", path, c->quarantine, "{\"decision\":\"maybe\",\"reason\":\"x\"}", 400, "/decision");
    refused(c, "POST", path, c->quarantine, "{\"reason\":\"x\"}", 400, "/decision");
    refused(c, "POST", path, c->quarantine, "{\"decision\":\"approve\",\"state\":\"approved\"}", 400, "/state");
    refused(c, "POST", path, c->quarantine, "[]", 400, "");
    refused(c, "POST", "/api/v1/tasks/999999/decision", c->quarantine, "{\"decision\":\"approve\"}", 404, NULL);
    refused(c, "GET", path, c->quarantine, NULL, 405, NULL);
    assert_string_equal(task_state(c, c->t4_quar, st), "pending");

    /* A hold may be decided again, by another hold too. */
    decide(c, c->guard, c->t4_guard, "{\"decision\":\"hold\",\"reason\":\"driver's licence unreadable\"}", NULL, 200,
           "hold", "held");
    decide(c, c->guard, c->t4_guard, "{\"decision\":\"hold\",\"reason\":\"waiting for the original\"}", NULL, 200,
           "hold", "held");
    decide(c, c->guard, c->t4_guard, "{\"decision\":\"approve\"}", NULL, 200, "approved", "pending");
    decide(c, c->guard, c->t4_guard, "{\"decision\":\"approve\"}", NULL, 409, NULL, NULL);

    /* The declaration was withdrawn: nothing to decide. */
    decide(c, c->customs, c->t3_docs, "{\"decision\":\"approve\"}", NULL, 409, NULL, NULL);
    assert_string_equal(task_state(c, c->t3_docs, st), "pending");
}

/* The first audit event of the query (caller owns), or fails. */
static cJSON *events(ctx *c, const char *query)
{
    char path[256];
    lp_test_resp r;
    cJSON *items;
    snprintf(path, sizeof path, "/api/v1/audit-events?%s", query);
    r = call(c, "GET", path, c->g.srv.admin, NULL);
    lp_test_expect(&r, 200);
    items = cJSON_DetachItemFromObjectCaseSensitive(r.json, "items");
    lp_test_resp_free(&r);
    assert_true(cJSON_IsArray(items));
    return items;
}

static void assert_event(const cJSON *ev, const char *actor, const char *role, const char *reason)
{
    assert_non_null(ev);
    assert_string_equal(lp_test_jstr(ev, "actor"), actor);
    assert_string_equal(lp_test_jstr(ev, "role"), role);
    if (reason) assert_string_equal(lp_test_jstr(ev, "reason"), reason);
}

static void test_clearance_flow(void **state)
{
    ctx *c = *state;
    char q[160];
    cJSON *evs;
    const cJSON *after;
    lp_test_resp r;

    /* pending -> held -> pending -> cleared */
    decide(c, c->customs, c->t1_docs, "{\"decision\":\"hold\",\"reason\":\"invoice missing\"}", NULL, 200, "hold",
           "held");
    decide(c, c->customs, c->t1_docs, "{\"decision\":\"approve\",\"reason\":\"invoice seen\"}", "invoice received",
           200, "approved", "pending");
    decide(c, c->quarantine, c->t1_quar, "{\"decision\":\"approve\"}", NULL, 200, "approved", "cleared");
    decide(c, c->customs, c->t1_docs, "{\"decision\":\"reject\",\"reason\":\"second thoughts\"}", NULL, 409, NULL,
           NULL);
    snprintf(q, sizeof q, "/api/v1/tasks/%ld", c->t1_docs);
    r = call(c, "GET", q, c->customs, NULL);
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "state"), "approved");
    assert_string_equal(lp_test_jstr(r.json, "reason"), "invoice seen");
    assert_string_equal(lp_test_jstr(r.json, "decided_by"), "test-customs");
    lp_test_resp_free(&r);

    /* task.decide: the body's reason, or X-Reason when given. */
    snprintf(q, sizeof q, "action=task.decide&object_id=%ld", c->t1_docs);
    evs = events(c, q);
    assert_int_equal(cJSON_GetArraySize(evs), 2);
    assert_event(cJSON_GetArrayItem(evs, 0), "test-customs", "customs", "invoice missing");
    assert_event(cJSON_GetArrayItem(evs, 1), "test-customs", "customs", "invoice received");
    after = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(evs, 1), "after");
    assert_string_equal(lp_test_jstr(after, "state"), "approved");
    assert_int_equal(lp_test_jint(cJSON_GetArrayItem(evs, 1), "company_id"), c->company_id);
    cJSON_Delete(evs);

    /* declaration.status: one event per change, by whoever caused it. */
    snprintf(q, sizeof q, "action=declaration.status&object_id=%ld", c->d1);
    evs = events(c, q);
    assert_int_equal(cJSON_GetArraySize(evs), 3);
    assert_event(cJSON_GetArrayItem(evs, 0), "test-customs", "customs", "invoice missing");
    assert_event(cJSON_GetArrayItem(evs, 1), "test-customs", "customs", "invoice received");
    assert_event(cJSON_GetArrayItem(evs, 2), "test-quarantine", "quarantine", NULL);
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(evs, 0), "after"), "status"),
                        "held");
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(evs, 1), "after"), "status"),
                        "pending");
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(evs, 2), "after"), "status"),
                        "cleared");
    cJSON_Delete(evs);

    /* The crossing record says when it was cleared. */
    evs = events(c, "action=crossing.cleared");
    assert_int_equal(cJSON_GetArraySize(evs), 1);
    after = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(evs, 0), "after");
    assert_int_equal(lp_test_jint(after, "declaration_id"), c->d1);
    assert_non_null(lp_test_jstr(after, "cleared_at"));
    cJSON_Delete(evs);
}

static void test_rejection(void **state)
{
    ctx *c = *state;
    char q[96];
    cJSON *evs;

    decide(c, c->customs, c->t2_phys, "{\"decision\":\"reject\",\"reason\":\"undeclared goods in container 2\"}", NULL,
           200, "rejected", "rejected");
    decide(c, c->customs, c->t2_phys, "{\"decision\":\"hold\",\"reason\":\"recheck\"}", NULL, 409, NULL, NULL);
    decide(c, c->customs, c->t2_phys, "{\"decision\":\"approve\"}", NULL, 409, NULL, NULL);
    snprintf(q, sizeof q, "action=declaration.status&object_id=%ld", c->d2);
    evs = events(c, q);
    assert_int_equal(cJSON_GetArraySize(evs), 1);
    assert_event(cJSON_GetArrayItem(evs, 0), "test-customs", "customs", "undeclared goods in container 2");
    cJSON_Delete(evs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_risk_rule_create_and_patch),
        cmocka_unit_test(test_risk_rule_validation),
        cmocka_unit_test(test_risk_rule_roles),
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_task_visibility),
        cmocka_unit_test(test_decision_rules),
        cmocka_unit_test(test_clearance_flow),
        cmocka_unit_test(test_rejection),
    };
    return cmocka_run_group_tests_name("risk rules, settings and tasks", tests, group_setup, group_teardown);
}

/* it_validation.c - what the real landport server refuses, and how: every
 * malformed request gets a 4xx RFC 9457 problem that names the offending
 * field (JSON pointer), query parameter or header.  Routing (404, 405 with
 * Allow), bodies (syntax, types, unknown and duplicate members, size, NUL
 * bytes, media type), query parameters, opening hours, tax ids, plates,
 * trailers and identity documents.  Nothing here depends on the store
 * backend, so it runs on SQLite only; the tests share one server (and start
 * one with --max-body). */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ctx {
    lp_test_group g; /* first: the server and an operator token */
    long company;    /* a registered company for vehicles and drivers */
} ctx;

static lp_test_resp post(ctx *c, const char *path, const char *body)
{
    return lp_test_http(&c->g.srv, "POST", path, c->g.srv.admin, body, NULL);
}

/* Sends method path body as admin and asserts a problem naming pointer. */
static void refused(ctx *c, const char *method, const char *path, const char *body, long status, const char *pointer)
{
    lp_test_resp r = lp_test_http(&c->g.srv, method, path, c->g.srv.admin, body, NULL);
    lp_test_assert_problem(&r, status, pointer);
    lp_test_resp_free(&r);
}

/* Routing ------------------------------------------------------------------ */

static void test_routing(void **state)
{
    ctx *c = *state;
    lp_test_resp r;

    refused(c, "GET", "/api/v1/nothing-here", NULL, 404, NULL);
    refused(c, "GET", "/api/v1/vehicles/1/extra", NULL, 404, NULL);
    r = lp_test_http(&c->g.srv, "DELETE", "/api/v1/vehicles/1", c->g.srv.admin, NULL, NULL);
    lp_test_assert_problem(&r, 405, NULL);
    assert_non_null(r.allow);
    assert_non_null(strstr(r.allow, "GET"));
    assert_non_null(strstr(r.allow, "PATCH"));
    assert_null(strstr(r.allow, "DELETE"));
    lp_test_resp_free(&r);
    /* Routing comes before authentication: no token needed to learn either. */
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/gates", NULL, "{}", NULL);
    lp_test_assert_problem(&r, 405, NULL);
    assert_string_equal(r.allow, "GET");
    lp_test_resp_free(&r);
}

/* Companies ---------------------------------------------------------------- */

static void test_company_tax_id(void **state)
{
    ctx *c = *state;
    refused(c, "POST", "/api/v1/companies", "{\"name\":\"A\",\"country\":\"VN\",\"tax_id\":\"0100109107\"}", 400,
            "/tax_id");
    refused(c, "POST", "/api/v1/companies", "{\"name\":\"A\",\"country\":\"CN\",\"tax_id\":\"91350100M000100Y44\"}", 400,
            "/tax_id");
    /* A valid Vietnamese code is not a Chinese one. */
    refused(c, "POST", "/api/v1/companies", "{\"name\":\"A\",\"country\":\"CN\",\"tax_id\":\"0100109106\"}", 400,
            "/tax_id");
    refused(c, "POST", "/api/v1/companies", "{\"name\":\"A\",\"country\":\"LA\",\"tax_id\":\"0100109106\"}", 400,
            "/country");
}

static void test_company_body_members(void **state)
{
    ctx *c = *state;
    lp_test_resp r;

    refused(c, "POST", "/api/v1/companies",
            "{\"name\":\"A\",\"country\":\"VN\",\"tax_id\":\"0100109106\",\"foo\":1}", 400, "/foo");
    refused(c, "POST", "/api/v1/companies", "{\"name\":5,\"country\":\"VN\",\"tax_id\":\"0100109106\"}", 400, "/name");
    refused(c, "POST", "/api/v1/companies", "{\"name\":\"A\",\"country\":\"VN\"}", 400, "/tax_id");
    refused(c, "POST", "/api/v1/companies", "{\"name\":\"A\",\"name\":\"B\",\"country\":\"VN\",\"tax_id\":\"0100109106\"}",
            400, "/name");
    refused(c, "POST", "/api/v1/companies",
            "{\"name\":\"A\",\"country\":\"VN\",\"tax_id\":\"0100109106\",\"email\":\"not-an-address\"}", 400, "/email");
    refused(c, "POST", "/api/v1/companies",
            "{\"name\":\"A\",\"country\":\"VN\",\"tax_id\":\"0100109106\",\"kinds\":[\"exporter\",\"exporter\"]}", 400,
            "/kinds/1");

    /* An empty object names every required member. */
    r = post(c, "/api/v1/companies", "{}");
    lp_test_assert_problem(&r, 400, "/name");
    lp_test_assert_problem(&r, 400, "/country");
    lp_test_assert_problem(&r, 400, "/tax_id");
    lp_test_resp_free(&r);

    /* Nothing of the above was stored. */
    r = lp_test_http(&c->g.srv, "GET", "/api/v1/companies?tax_id=0100109106", c->g.operator, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 0);
    lp_test_resp_free(&r);
}

static void test_body_syntax(void **state)
{
    ctx *c = *state;
    static const char nul_body[] = "{\"name\":\"A\0B\",\"country\":\"VN\",\"tax_id\":\"0100109106\"}";
    lp_test_resp r;

    refused(c, "POST", "/api/v1/companies", "{\"name\": ", 400, NULL);
    refused(c, "POST", "/api/v1/companies", "{\"name\":\"A\"} trailing", 400, NULL);
    refused(c, "POST", "/api/v1/companies", "[]", 400, NULL);
    refused(c, "POST", "/api/v1/companies", "", 400, NULL);
    r = lp_test_http_n(&c->g.srv, "POST", "/api/v1/companies", c->g.srv.admin, nul_body, sizeof nul_body - 1, NULL);
    lp_test_assert_problem(&r, 400, NULL);
    assert_non_null(strstr(r.body, "NUL"));
    lp_test_resp_free(&r);
    /* A body on a route that takes none. */
    r = lp_test_http(&c->g.srv, "GET", "/api/v1/companies", c->g.srv.admin, "{}",
                     (const char *const[]){"Content-Type: application/json", NULL});
    lp_test_assert_problem(&r, 400, NULL);
    lp_test_resp_free(&r);
}

static void test_content_type(void **state)
{
    ctx *c = *state;
    const char *body = "{\"name\":\"A\",\"country\":\"VN\",\"tax_id\":\"0100109106x\"}";
    lp_test_resp r;

    r = lp_test_http(&c->g.srv, "POST", "/api/v1/companies", c->g.srv.admin, body,
                     (const char *const[]){"Content-Type: text/plain", NULL});
    lp_test_assert_problem(&r, 415, NULL);
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/companies", c->g.srv.admin, body,
                     (const char *const[]){"Content-Type: application/jsonx", NULL});
    lp_test_assert_problem(&r, 415, NULL);
    lp_test_resp_free(&r);
    /* "Content-Type:" with no value makes curl send no Content-Type at all. */
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/companies", c->g.srv.admin, body,
                     (const char *const[]){"Content-Type:", NULL});
    lp_test_assert_problem(&r, 415, NULL);
    lp_test_resp_free(&r);
    /* With parameters it is JSON: the body is read (and its tax id refused). */
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/companies", c->g.srv.admin, body,
                     (const char *const[]){"Content-Type: application/json; charset=utf-8", NULL});
    lp_test_assert_problem(&r, 400, "/tax_id");
    lp_test_resp_free(&r);
}

/* A JSON body of exactly n bytes: a company whose address pads it out (far
 * beyond the 500 characters an address may have). */
static char *padded_body(size_t n)
{
    static const char head[] = "{\"name\":\"A\",\"country\":\"VN\",\"tax_id\":\"0100109106\",\"address\":\"";
    char *b = malloc(n + 1);
    assert_non_null(b);
    assert_true(n > sizeof head + 2);
    memcpy(b, head, sizeof head - 1);
    memset(b + sizeof head - 1, 'x', n - (sizeof head - 1) - 2);
    memcpy(b + n - 2, "\"}", 3);
    return b;
}

static void test_body_limit_default(void **state)
{
    ctx *c = *state;
    char *big = padded_body(1024 * 1024 + 1), *fits = padded_body(1024 * 1024);
    lp_test_resp r;

    r = post(c, "/api/v1/companies", big);
    lp_test_assert_problem(&r, 413, NULL);
    lp_test_resp_free(&r);
    /* At the limit the body is read, and refused for what it says. */
    r = post(c, "/api/v1/companies", fits);
    lp_test_assert_problem(&r, 400, "/address");
    lp_test_resp_free(&r);
    free(big);
    free(fits);
}

static void test_body_limit_option(void **state)
{
    static const char *const extra[] = {"--max-body", "4k", NULL};
    char *big = padded_body(4097), *fits = padded_body(4096);
    lp_test_server s;
    lp_test_resp r;
    (void)state;

    lp_test_server_start(&s, "it_validation_4k", NULL, extra);
    r = lp_test_http(&s, "POST", "/api/v1/companies", s.admin, big, NULL);
    lp_test_assert_problem(&r, 413, NULL);
    assert_non_null(strstr(r.body, "4096"));
    lp_test_resp_free(&r);
    r = lp_test_http(&s, "POST", "/api/v1/companies", s.admin, fits, NULL);
    lp_test_assert_problem(&r, 400, "/address");
    lp_test_resp_free(&r);
    /* A restart keeps the option (and the admin token, in the database). */
    lp_test_server_restart(&s);
    r = lp_test_http(&s, "POST", "/api/v1/companies", s.admin, big, NULL);
    lp_test_assert_problem(&r, 413, NULL);
    lp_test_resp_free(&r);
    lp_test_server_stop(&s);
    free(big);
    free(fits);
}

/* Query parameters ------------------------------------------------------------ */

static void test_query_parameters(void **state)
{
    ctx *c = *state;
    static const char *const bad_limit[] = {"limit=0", "limit=501", "limit=abc", "limit=", "limit=-1", "limit=5x", NULL};
    char path[128];
    lp_test_resp r;
    int i;

    r = lp_test_http(&c->g.srv, "GET", "/api/v1/companies?foo=1", c->g.operator, NULL, NULL);
    lp_test_assert_problem(&r, 400, "foo");
    lp_test_resp_free(&r);
    /* limit and cursor belong to lists only. */
    r = lp_test_http(&c->g.srv, "GET", "/api/v1/gates/huu-nghi?limit=5", c->g.operator, NULL, NULL);
    lp_test_assert_problem(&r, 400, "limit");
    lp_test_resp_free(&r);
    for (i = 0; bad_limit[i]; i++) {
        snprintf(path, sizeof path, "/api/v1/vehicles?%s", bad_limit[i]);
        r = lp_test_http(&c->g.srv, "GET", path, c->g.operator, NULL, NULL);
        lp_test_assert_problem(&r, 400, "limit");
        lp_test_resp_free(&r);
    }
    r = lp_test_http(&c->g.srv, "GET", "/api/v1/vehicles?limit=500", c->g.operator, NULL, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "GET", "/api/v1/audit-events?limit=1&cursor=abc", c->g.operator, NULL, NULL);
    lp_test_assert_problem(&r, 400, "cursor");
    lp_test_resp_free(&r);
    /* Cursors and filters of integer and boolean columns are checked, not
     * read as an empty result; a parameter may be given once. */
    {
        static const struct { const char *path, *param; } bad[] = {
            {"/api/v1/vehicles?cursor=abc", "cursor"},
            {"/api/v1/vehicles?cursor=-5", "cursor"},
            {"/api/v1/tokens?cursor=x", "cursor"},
            {"/api/v1/vehicles?company_id=abc", "company_id"},
            {"/api/v1/crossing-points?agv=maybe", "agv"},
            {"/api/v1/vehicles?limit=1&limit=600", "limit"},
        };
        size_t k;
        for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
            r = lp_test_http(&c->g.srv, "GET", bad[k].path, c->g.srv.admin, NULL, NULL);
            lp_test_assert_problem(&r, 400, bad[k].param);
            lp_test_resp_free(&r);
        }
    }
}

/* Registry ------------------------------------------------------------------- */

static void test_opening_hours(void **state)
{
    ctx *c = *state;
    const char *p = "/api/v1/crossing-points/cocnam-1104";
    lp_test_resp r;

    refused(c, "PATCH", p, "{\"opening_hours\":[{\"open\":\"19:00\",\"close\":\"07:00\"}]}", 400, "/opening_hours/0/close");
    refused(c, "PATCH", p, "{\"opening_hours\":[{\"open\":\"07:00\",\"close\":\"07:00\"}]}", 400, "/opening_hours/0/close");
    refused(c, "PATCH", p,
            "{\"opening_hours\":[{\"open\":\"07:00\",\"close\":\"12:00\"},{\"open\":\"11:00\",\"close\":\"19:00\"}]}",
            400, "/opening_hours/1");
    refused(c, "PATCH", p, "{\"opening_hours\":[{\"open\":\"25:00\",\"close\":\"26:00\"}]}", 400, "/opening_hours/0/open");
    refused(c, "PATCH", p, "{\"opening_hours\":[{\"open\":\"07:00\",\"close\":\"25:00\"}]}", 400, "/opening_hours/0/close");
    refused(c, "PATCH", p, "{\"opening_hours\":[{\"open\":\"7:00\",\"close\":\"19:00\"}]}", 400, "/opening_hours/0/open");
    refused(c, "PATCH", p, "{\"opening_hours\":[{\"open\":\"07:00\"}]}", 400, "/opening_hours/0/close");
    refused(c, "PATCH", p, "{\"agv_windows\":[{\"open\":\"24:00\",\"close\":\"24:00\"}]}", 400, "/agv_windows/0/open");
    refused(c, "PATCH", p, "{\"gate_pair_id\":\"other\"}", 400, "/gate_pair_id");
    refused(c, "PATCH", p, "{}", 400, NULL);

    /* Back-to-back windows and a close at midnight are fine. */
    r = lp_test_http(&c->g.srv, "PATCH", p, c->g.operator,
                     "{\"opening_hours\":[{\"open\":\"07:00\",\"close\":\"12:00\"},"
                     "{\"open\":\"12:00\",\"close\":\"24:00\"}]}",
                     NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "opening_hours")), 2);
    lp_test_resp_free(&r);
}

/* Vehicles and drivers ------------------------------------------------------- */

/* A vehicle body for the fixture's company with extra members appended. */
static void vehicle_body(ctx *c, char *out, size_t n, const char *country, const char *plate, const char *extra)
{
    snprintf(out, n, "{\"company_id\":%ld,\"kind\":\"truck\",\"plate_country\":\"%s\",\"plate\":\"%s\"%s%s}", c->company,
             country, plate, extra ? "," : "", extra ? extra : "");
}

static void test_vehicle_plates(void **state)
{
    ctx *c = *state;
    static const struct { const char *country, *plate; } bad[] = {
        {"VN", "13C-123.45"},  /* unassigned province */
        {"VN", "29C-000.00"},  /* all zero */
        {"VN", "29C-123"},     /* three digits */
        {"VN", "桂A12345"},    /* a Chinese plate said to be Vietnamese */
        {"CN", "桂I12345"},    /* I is not an office letter */
        {"CN", "学A12345"},    /* not a province */
        {"CN", "29C-123.45"},
    };
    char body[256];
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vehicle_body(c, body, sizeof body, bad[i].country, bad[i].plate, NULL);
        refused(c, "POST", "/api/v1/vehicles", body, 400, "/plate");
    }
    vehicle_body(c, body, sizeof body, "VN", "29C", NULL);
    refused(c, "POST", "/api/v1/vehicles", body, 400, "/plate");
}

static void test_vehicle_trailer(void **state)
{
    ctx *c = *state;
    char body[256];
    lp_test_resp r;

    vehicle_body(c, body, sizeof body, "VN", "29C-555.01", "\"trailer_country\":\"VN\",\"trailer_plate\":\"29C-543.21\"");
    refused(c, "POST", "/api/v1/vehicles", body, 400, "/trailer_plate");
    vehicle_body(c, body, sizeof body, "VN", "29C-555.01", "\"trailer_country\":\"CN\",\"trailer_plate\":\"桂A12345\"");
    refused(c, "POST", "/api/v1/vehicles", body, 400, "/trailer_plate");
    vehicle_body(c, body, sizeof body, "VN", "29C-555.01", "\"trailer_plate\":\"29R-012.34\"");
    refused(c, "POST", "/api/v1/vehicles", body, 400, "/trailer_country");
    vehicle_body(c, body, sizeof body, "VN", "29C-555.01", "\"trailer_country\":\"VN\"");
    refused(c, "POST", "/api/v1/vehicles", body, 400, "/trailer_plate");
    vehicle_body(c, body, sizeof body, "VN", "29C-555.01", "\"trailer_country\":\"VN\",\"trailer_plate\":null");
    refused(c, "POST", "/api/v1/vehicles", body, 400, "/trailer_plate");

    /* A Chinese trailer (挂) behind a Chinese tractor is accepted. */
    vehicle_body(c, body, sizeof body, "CN", "桂A55501", "\"trailer_country\":\"CN\",\"trailer_plate\":\"桂A1234挂\"");
    r = post(c, "/api/v1/vehicles", body);
    lp_test_expect(&r, 201);
    {
        /* Swapping only the trailer plate keeps the stored trailer country,
         * and If-Match: * matches any version. */
        char path[64];
        const char *const hdr[] = {"If-Match: *", NULL};
        lp_test_resp p;
        snprintf(path, sizeof path, "/api/v1/vehicles/%.0f", cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "id")));
        p = lp_test_http(&c->g.srv, "PATCH", path, c->g.srv.admin, "{\"trailer_plate\":\"桂A9876挂\"}", hdr);
        lp_test_expect(&p, 200);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(p.json, "trailer_plate")), "桂A9876挂");
        lp_test_resp_free(&p);
        p = lp_test_http(&c->g.srv, "PATCH", path, c->g.srv.admin, "{\"trailer_plate\":\"29R-012.34\"}", NULL);
        lp_test_assert_problem(&p, 400, "/trailer_plate");
        lp_test_resp_free(&p);
    }
    lp_test_resp_free(&r);
}

static void test_vehicle_company(void **state)
{
    ctx *c = *state;
    refused(c, "POST", "/api/v1/vehicles",
            "{\"company_id\":999999,\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"29C-555.02\"}", 400,
            "/company_id");
    refused(c, "POST", "/api/v1/vehicles", "{\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"29C-555.02\"}", 400,
            "/company_id");
    refused(c, "POST", "/api/v1/vehicles",
            "{\"company_id\":1.5,\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"29C-555.02\"}", 400,
            "/company_id");
    refused(c, "POST", "/api/v1/vehicles",
            "{\"company_id\":\"1\",\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"29C-555.02\"}", 400,
            "/company_id");
}

/* A driver body for the fixture's company; kind, number and date vary. */
static void driver_body(ctx *c, char *out, size_t n, const char *kind, const char *number, const char *until)
{
    snprintf(out, n,
             "{\"company_id\":%ld,\"full_name\":\"Hoàng Văn Bình\",\"nationality\":\"VN\",\"document_kind\":\"%s\","
             "\"document_number\":\"%s\",\"licence_number\":\"AB123456\",\"licence_valid_until\":\"%s\"}",
             c->company, kind, number, until);
}

static void test_driver_documents(void **state)
{
    ctx *c = *state;
    char body[512];
    lp_test_resp r;

    driver_body(c, body, sizeof body, "cn_id", "110105194912310021", "2030-06-30");
    refused(c, "POST", "/api/v1/drivers", body, 400, "/document_number");
    driver_body(c, body, sizeof body, "cn_id", "110105194902300020", "2030-06-30"); /* 30 February */
    refused(c, "POST", "/api/v1/drivers", body, 400, "/document_number");
    driver_body(c, body, sizeof body, "vn_cccd", "999089012345", "2030-06-30");
    refused(c, "POST", "/api/v1/drivers", body, 400, "/document_number");
    driver_body(c, body, sizeof body, "vn_cccd", "00108901234", "2030-06-30");
    refused(c, "POST", "/api/v1/drivers", body, 400, "/document_number");
    driver_body(c, body, sizeof body, "id_card", "001089012345", "2030-06-30");
    refused(c, "POST", "/api/v1/drivers", body, 400, "/document_kind");

    driver_body(c, body, sizeof body, "vn_cccd", "001089099999", "2025-02-29");
    refused(c, "POST", "/api/v1/drivers", body, 400, "/licence_valid_until");
    driver_body(c, body, sizeof body, "vn_cccd", "001089099999", "2025-13-01");
    refused(c, "POST", "/api/v1/drivers", body, 400, "/licence_valid_until");
    driver_body(c, body, sizeof body, "vn_cccd", "001089099999", "30/06/2030");
    refused(c, "POST", "/api/v1/drivers", body, 400, "/licence_valid_until");

    /* 2028 is a leap year. */
    driver_body(c, body, sizeof body, "vn_cccd", "001089099999", "2028-02-29");
    r = post(c, "/api/v1/drivers", body);
    lp_test_expect(&r, 201);
    lp_test_resp_free(&r);
}

/* Runner ---------------------------------------------------------------------- */

static int group_setup(void **state)
{
    ctx *c = lp_test_group_setup(state, sizeof(ctx), "it_validation");
    lp_test_resp r = post(c, "/api/v1/companies", "{\"name\":\"Vận tải Lạng Sơn\",\"country\":\"VN\",\"tax_id\":\"4900100068\"}");
    lp_test_expect(&r, 201);
    c->company = (long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r.json, "id"));
    lp_test_resp_free(&r);
    return 0;
}

/* Declaration errors (types, unknown members) and errors of meaning (check
 * digits, plates) come back together in one answer. */
static void test_all_errors_at_once(void **state)
{
    ctx *c = *state;
    lp_test_resp r = post(c, "/api/v1/companies",
                          "{\"name\":5,\"country\":\"VN\",\"tax_id\":\"0100109107\",\"email\":\"no-at-sign\",\"x\":1}");
    lp_test_assert_problem(&r, 400, "/name");
    lp_test_assert_problem(&r, 400, "/tax_id");
    lp_test_assert_problem(&r, 400, "/email");
    lp_test_assert_problem(&r, 400, "/x");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "errors")), 4);
    lp_test_resp_free(&r);
    r = post(c, "/api/v1/vehicles",
             "{\"company_id\":999999,\"kind\":\"bus\",\"plate_country\":\"VN\",\"plate\":\"29C-12\"}");
    lp_test_assert_problem(&r, 400, "/company_id");
    lp_test_assert_problem(&r, 400, "/kind");
    lp_test_assert_problem(&r, 400, "/plate");
    lp_test_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routing),
        cmocka_unit_test(test_company_tax_id),
        cmocka_unit_test(test_company_body_members),
        cmocka_unit_test(test_body_syntax),
        cmocka_unit_test(test_content_type),
        cmocka_unit_test(test_body_limit_default),
        cmocka_unit_test(test_body_limit_option),
        cmocka_unit_test(test_query_parameters),
        cmocka_unit_test(test_opening_hours),
        cmocka_unit_test(test_vehicle_plates),
        cmocka_unit_test(test_vehicle_trailer),
        cmocka_unit_test(test_vehicle_company),
        cmocka_unit_test(test_driver_documents),
        cmocka_unit_test(test_all_errors_at_once),
    };
    return cmocka_run_group_tests(tests, group_setup, lp_test_group_teardown);
}

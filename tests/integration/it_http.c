/* it_http.c - the HTTP API of the real landport binary on loopback, on the
 * backend LANDPORT_TEST_BACKEND names (ctest runs this program as it_http on
 * SQLite and as it_http_pg on PostgreSQL): the API description, the default
 * registry, optimistic concurrency, records round-tripped through the store
 * in canonical form, paging, metrics and the audit log.  Input validation
 * and routing errors, which do not depend on the store, are in it_validation.c;
 * roles and company scoping in it_roles.c.  All tests share one server. */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct ctx {
    lp_test_group g; /* first: the server and an operator token */
    int seq;         /* makes the tax ids and plates of each test unique */
} ctx;

/* Helpers ------------------------------------------------------------------ */

static lp_test_resp call(ctx *c, const char *method, const char *path, const char *token, const char *body)
{
    return lp_test_http(&c->g.srv, method, path, token, body, NULL);
}

/* Sends the request and asserts a problem with status naming pointer. */
static void refused(ctx *c, const char *method, const char *path, const char *token, const char *body, long status,
                    const char *pointer)
{
    lp_test_resp r = call(c, method, path, token, body);
    lp_test_assert_problem(&r, status, pointer);
    lp_test_resp_free(&r);
}

/* POSTs body to path as admin, asserts 201 and returns the new id. */
static long create(ctx *c, const char *path, const char *body)
{
    lp_test_resp r = call(c, "POST", path, c->g.srv.admin, body);
    long id;
    lp_test_expect(&r, 201);
    id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    return id;
}

/* Registers a Vietnamese company with a fresh tax id (to tax); returns its id. */
static long create_company(ctx *c, char tax[11])
{
    char body[256];
    lp_test_vn_taxid(1, 5000u + (unsigned)++c->seq * 7u, tax);
    snprintf(body, sizeof body, "{\"name\":\"Công ty %d\",\"country\":\"VN\",\"tax_id\":\"%s\"}", c->seq, tax);
    return create(c, "/api/v1/companies", body);
}

/* The array member items of a page, asserting the page's shape. */
static const cJSON *items_of(const lp_test_resp *r)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(r->json, "items");
    assert_true(cJSON_IsArray(items));
    assert_non_null(cJSON_GetObjectItemCaseSensitive(r->json, "next_cursor"));
    return items;
}

static const cJSON *find_by_id(const cJSON *items, const char *id)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, items) {
        const char *s = lp_test_jstr(it, "id");
        if (s && strcmp(s, id) == 0) return it;
    }
    return NULL;
}

/* System -------------------------------------------------------------------- */

static void test_healthz(void **state)
{
    ctx *c = *state;
    lp_test_resp r = call(c, "GET", "/healthz", NULL, NULL);
    lp_test_expect(&r, 200);
    assert_non_null(r.content_type);
    assert_string_equal(r.content_type, "application/json");
    assert_string_equal(lp_test_jstr(r.json, "status"), "ok");
    assert_string_equal(lp_test_jstr(r.json, "store"), lp_test_backend_is_pg() ? "postgresql" : "sqlite");
    assert_true(lp_test_jint(r.json, "schema_version") >= 1);
    lp_test_resp_free(&r);
}

/* The routes of the foundation; the document may list more, never fewer. */
static const char *const known_routes[] = {
    "GET /healthz", "GET /metrics", "GET /api/v1/openapi.json", "GET /api/v1/whoami",
    "GET /api/v1/gates", "GET /api/v1/gates/{id}", "GET /api/v1/crossing-points",
    "POST /api/v1/crossing-points", "GET /api/v1/crossing-points/{id}", "PATCH /api/v1/crossing-points/{id}",
    "GET /api/v1/companies", "POST /api/v1/companies", "GET /api/v1/companies/{id}",
    "PATCH /api/v1/companies/{id}", "GET /api/v1/vehicles", "POST /api/v1/vehicles", "GET /api/v1/vehicles/{id}",
    "PATCH /api/v1/vehicles/{id}", "GET /api/v1/drivers", "POST /api/v1/drivers", "GET /api/v1/drivers/{id}",
    "PATCH /api/v1/drivers/{id}", "GET /api/v1/tokens", "POST /api/v1/tokens", "DELETE /api/v1/tokens/{id}",
    "GET /api/v1/audit-events", "GET /api/v1/audit-events/verify", NULL};

/* path with each {param} replaced by an existing record's id where one is
 * known (gate pair, crossing point), else by an id that does not exist. */
static void fill_path(const char *pattern, char *out, size_t n)
{
    const char *id = strstr(pattern, "/gates/") ? "huu-nghi" : strstr(pattern, "/crossing-points/") ? "road-1088"
                                                                                                    : "999999";
    lp_test_fill_path(pattern, id, out, n);
}

static void upper(const char *s, char *out, size_t n)
{
    size_t i;
    for (i = 0; s[i] && i + 1 < n; i++) out[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
    out[i] = '\0';
}

/* 1 when the Allow header lists exactly the methods of the path item. */
static int allow_matches(const char *allow, const cJSON *item)
{
    const cJSON *op;
    int listed = 1, documented = 0;
    const char *p;
    for (p = allow; *p; p++) listed += *p == ',';
    cJSON_ArrayForEach(op, item) {
        char m[16];
        size_t l;
        upper(op->string, m, sizeof m);
        l = strlen(m);
        for (p = allow; (p = strstr(p, m)) != NULL; p += l)
            if ((p == allow || p[-1] == ' ' || p[-1] == ',') && (p[l] == '\0' || p[l] == ',')) break;
        if (!p) return 0;
        documented++;
    }
    return listed == documented;
}

static void test_openapi(void **state)
{
    ctx *c = *state;
    lp_test_resp doc = call(c, "GET", "/api/v1/openapi.json", NULL, NULL);
    const cJSON *paths, *item, *op;
    int i, nops = 0;

    lp_test_expect(&doc, 200);
    assert_string_equal(doc.content_type, "application/json");
    assert_string_equal(lp_test_jstr(doc.json, "openapi"), "3.1.0");
    paths = cJSON_GetObjectItemCaseSensitive(doc.json, "paths");
    assert_true(cJSON_IsObject(paths));
    for (i = 0; known_routes[i]; i++) {
        char m[16];
        const char *sp = strchr(known_routes[i], ' ');
        snprintf(m, sizeof m, "%.*s", (int)(sp - known_routes[i]), known_routes[i]);
        for (char *q = m; *q; q++) *q = (char)(*q | 0x20);
        item = cJSON_GetObjectItemCaseSensitive(paths, sp + 1);
        if (!item || !cJSON_GetObjectItemCaseSensitive(item, m)) fail_msg("%s is not documented", known_routes[i]);
    }
    /* The server's route table answers for exactly the documented methods of
     * each path (405 lists them in Allow), and every documented operation is
     * routed: never 405, never the 404 of an unknown route. */
    cJSON_ArrayForEach(item, paths) {
        char path[256];
        lp_test_resp r;
        fill_path(item->string, path, sizeof path);
        /* a method the path does not document (PUT, or DELETE where PUT is routed) */
        r = call(c, cJSON_GetObjectItemCaseSensitive(item, "put") ? "DELETE" : "PUT", path, c->g.srv.admin, NULL);
        lp_test_assert_problem(&r, 405, NULL);
        assert_non_null(r.allow);
        if (!allow_matches(r.allow, item))
            fail_msg("%s: the server allows %s, not the documented methods", item->string, r.allow);
        lp_test_resp_free(&r);
        cJSON_ArrayForEach(op, item) {
            char m[16];
            const int has_body = cJSON_GetObjectItemCaseSensitive(op, "requestBody") != NULL;
            upper(op->string, m, sizeof m);
            const cJSON *ok = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(op, "responses"), "200");
            if (cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ok, "content"), "text/event-stream"))
                continue; /* a stream never ends: tested by its own suite (it_events) */
            r = call(c, m, path, c->g.srv.admin, has_body ? "{}" : NULL);
            if (r.status == 405 || (r.status == 404 && strstr(r.body, "no such route")))
                fail_msg("%s %s is documented but not routed: %ld %s", m, path, r.status, r.body);
            assert_true(r.status < 500 || (r.status == 503 && strstr(r.body, "AGV fleet is off"))); /* no --mqtt */
            lp_test_resp_free(&r);
            nops++;
        }
    }
    assert_true(nops >= 27);
    lp_test_resp_free(&doc);
}

/* Registry ------------------------------------------------------------------- */

static void test_registry_defaults(void **state)
{
    ctx *c = *state;
    static const char *const points[] = {"road-1088", "tanthanh-1090", "cocnam-1104", "huunghi-main", NULL};
    lp_test_resp r = call(c, "GET", "/api/v1/crossing-points", c->g.operator, NULL);
    const cJSON *items, *p;
    int i;

    lp_test_expect(&r, 200);
    items = items_of(&r);
    for (i = 0; points[i]; i++) {
        p = find_by_id(items, points[i]);
        if (!p) fail_msg("crossing point %s missing: %s", points[i], r.body);
        assert_string_equal(lp_test_jstr(p, "gate_pair_id"), "huu-nghi");
        assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(p, "opening_hours")));
    }
    lp_test_resp_free(&r);

    r = call(c, "GET", "/api/v1/crossing-points?agv=true", c->g.operator, NULL);
    lp_test_expect(&r, 200);
    items = items_of(&r);
    assert_int_equal(cJSON_GetArraySize(items), 1);
    assert_string_equal(lp_test_jstr(cJSON_GetArrayItem(items, 0), "id"), "road-1088");
    lp_test_resp_free(&r);

    r = call(c, "GET", "/api/v1/gates", c->g.operator, NULL);
    lp_test_expect(&r, 200);
    assert_non_null(find_by_id(items_of(&r), "huu-nghi"));
    lp_test_resp_free(&r);

    r = call(c, "GET", "/api/v1/gates/huu-nghi", c->g.operator, NULL);
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "country"), "VN");
    assert_string_equal(lp_test_jstr(r.json, "partner_country"), "CN");
    assert_string_equal(r.etag, "\"1\"");
    lp_test_resp_free(&r);
}

static void test_point_if_match(void **state)
{
    ctx *c = *state;
    const char *path = "/api/v1/crossing-points/tanthanh-1090";
    lp_test_resp r = call(c, "GET", path, c->g.operator, NULL);
    char old_etag[32], hdr[64], weak[64];
    long version;

    lp_test_expect(&r, 200);
    assert_non_null(r.etag);
    snprintf(old_etag, sizeof old_etag, "%s", r.etag);
    version = lp_test_jint(r.json, "version");
    lp_test_resp_free(&r);

    snprintf(hdr, sizeof hdr, "If-Match: %s", old_etag);
    r = lp_test_http(&c->g.srv, "PATCH", path, c->g.operator, "{\"capacity_per_hour\":33}",
                     (const char *const[]){hdr, NULL});
    lp_test_expect(&r, 200);
    assert_int_equal(lp_test_jint(r.json, "version"), version + 1);
    assert_int_equal(lp_test_jint(r.json, "capacity_per_hour"), 33);
    snprintf(weak, sizeof weak, "\"%ld\"", version + 1);
    assert_string_equal(r.etag, weak);
    lp_test_resp_free(&r);

    /* The same If-Match again is stale now, and changes nothing. */
    r = lp_test_http(&c->g.srv, "PATCH", path, c->g.operator, "{\"capacity_per_hour\":34}",
                     (const char *const[]){hdr, NULL});
    lp_test_assert_problem(&r, 412, NULL);
    lp_test_resp_free(&r);
    r = call(c, "GET", path, c->g.operator, NULL);
    assert_int_equal(lp_test_jint(r.json, "capacity_per_hour"), 33);
    lp_test_resp_free(&r);

    r = lp_test_http(&c->g.srv, "PATCH", path, c->g.operator, "{\"capacity_per_hour\":35}",
                     (const char *const[]){"If-Match: abc", NULL});
    lp_test_assert_problem(&r, 400, "If-Match");
    lp_test_resp_free(&r);

    /* A weak validator of the current version is accepted. */
    snprintf(weak, sizeof weak, "If-Match: W/\"%ld\"", version + 1);
    r = lp_test_http(&c->g.srv, "PATCH", path, c->g.operator, "{\"capacity_per_hour\":40}",
                     (const char *const[]){weak, NULL});
    lp_test_expect(&r, 200);
    assert_int_equal(lp_test_jint(r.json, "version"), version + 2);
    lp_test_resp_free(&r);
}

/* Parties through the store ---------------------------------------------------- */

static void test_companies_create(void **state)
{
    ctx *c = *state;
    lp_test_resp r, g;
    char loc[64];

    r = call(c, "POST", "/api/v1/companies", c->g.srv.admin,
             "{\"name\":\"Tổng công ty Thương mại Hà Nội\",\"country\":\"VN\",\"tax_id\":\"0100109106\","
             "\"kinds\":[\"exporter\",\"transport\"],\"phone\":\"+84 24 3826 7984\"}");
    lp_test_expect(&r, 201);
    assert_string_equal(r.etag, "\"1\"");
    snprintf(loc, sizeof loc, "/api/v1/companies/%ld", lp_test_jint(r.json, "id"));
    assert_string_equal(r.location, loc);
    assert_string_equal(lp_test_jstr(r.json, "tax_id"), "0100109106");
    assert_string_equal(lp_test_jstr(r.json, "status"), "active");
    g = call(c, "GET", loc, c->g.operator, NULL);
    lp_test_expect(&g, 200);
    assert_true(cJSON_Compare(r.json, g.json, 1));
    assert_string_equal(g.etag, "\"1\"");
    lp_test_resp_free(&g);
    lp_test_resp_free(&r);

    /* A Chinese USCC is stored upper case. */
    r = call(c, "POST", "/api/v1/companies", c->g.srv.admin,
             "{\"name\":\"福建省投资开发集团\",\"country\":\"CN\",\"tax_id\":\"91350100m000100y43\"}");
    lp_test_expect(&r, 201);
    assert_non_null(r.location);
    assert_non_null(r.etag);
    assert_string_equal(lp_test_jstr(r.json, "tax_id"), "91350100M000100Y43");
    lp_test_resp_free(&r);

    /* The same tax id, even written differently, is a conflict. */
    refused(c, "POST", "/api/v1/companies", c->g.srv.admin,
            "{\"name\":\"Again\",\"country\":\"VN\",\"tax_id\":\"0100-109-106\"}", 409, "/tax_id");
    refused(c, "POST", "/api/v1/companies", c->g.srv.admin,
            "{\"name\":\"Again\",\"country\":\"CN\",\"tax_id\":\"91350100M000100Y43\"}", 409, "/tax_id");
}

static void test_vehicles_canonical(void **state)
{
    ctx *c = *state;
    char tax[11], body[512];
    long company = create_company(c, tax);
    lp_test_resp r;

    snprintf(body, sizeof body,
             "{\"company_id\":%ld,\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"29C 12345\","
             "\"trailer_country\":\"VN\",\"trailer_plate\":\"29R01234\",\"max_gross_kg\":40000}", company);
    r = call(c, "POST", "/api/v1/vehicles", c->g.srv.admin, body);
    lp_test_expect(&r, 201);
    assert_string_equal(lp_test_jstr(r.json, "plate"), "29C-123.45");
    assert_string_equal(lp_test_jstr(r.json, "trailer_plate"), "29R-012.34");
    assert_int_equal(lp_test_jint(r.json, "company_id"), company);
    lp_test_resp_free(&r);

    snprintf(body, sizeof body,
             "{\"company_id\":%ld,\"kind\":\"truck\",\"plate_country\":\"CN\",\"plate\":\"桂a·12345\"}", company);
    r = call(c, "POST", "/api/v1/vehicles", c->g.srv.admin, body);
    lp_test_expect(&r, 201);
    assert_string_equal(lp_test_jstr(r.json, "plate"), "桂A12345");
    lp_test_resp_free(&r);

    /* Found by its canonical plate; a second registration conflicts. */
    r = call(c, "GET", "/api/v1/vehicles?plate=29C-123.45", c->g.operator, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(items_of(&r)), 1);
    lp_test_resp_free(&r);
    snprintf(body, sizeof body, "{\"company_id\":%ld,\"kind\":\"agv\",\"plate_country\":\"VN\",\"plate\":\"29C-123.45\"}",
             company);
    refused(c, "POST", "/api/v1/vehicles", c->g.srv.admin, body, 409, NULL);
}

static void test_drivers_licence(void **state)
{
    ctx *c = *state;
    char tax[11], body[512], soon[16], path[64];
    long company = create_company(c, tax);
    time_t t = time(NULL) + 7 * 3600 + 10 * 86400; /* ten days ahead in the gate's time zone */
    struct tm tm;
    lp_test_resp r;

    gmtime_r(&t, &tm);
    strftime(soon, sizeof soon, "%Y-%m-%d", &tm);
    snprintf(body, sizeof body,
             "{\"company_id\":%ld,\"full_name\":\"Lý Văn Minh\",\"nationality\":\"CN\",\"document_kind\":\"cn_id\","
             "\"document_number\":\"11010519491231002x\",\"licence_number\":\"A1234567\","
             "\"licence_valid_until\":\"2099-12-31\"}", company);
    r = call(c, "POST", "/api/v1/drivers", c->g.srv.admin, body);
    lp_test_expect(&r, 201);
    assert_string_equal(lp_test_jstr(r.json, "document_number"), "11010519491231002X");
    assert_string_equal(lp_test_jstr(r.json, "licence_status"), "valid");
    snprintf(path, sizeof path, "/api/v1/drivers/%ld", lp_test_jint(r.json, "id"));
    lp_test_resp_free(&r);

    /* Computed on every read: expired after a PATCH into the past. */
    r = call(c, "PATCH", path, c->g.operator, "{\"licence_valid_until\":\"2000-01-01\"}");
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "licence_status"), "expired");
    lp_test_resp_free(&r);
    r = call(c, "GET", path, c->g.operator, NULL);
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "licence_status"), "expired");
    lp_test_resp_free(&r);

    snprintf(body, sizeof body,
             "{\"company_id\":%ld,\"full_name\":\"Nguyễn Văn An\",\"nationality\":\"VN\",\"document_kind\":\"vn_cccd\","
             "\"document_number\":\"001089012345\",\"licence_number\":\"790123456789\","
             "\"licence_valid_until\":\"%s\"}", company, soon);
    r = call(c, "POST", "/api/v1/drivers", c->g.srv.admin, body);
    lp_test_expect(&r, 201);
    assert_string_equal(lp_test_jstr(r.json, "licence_status"), "expiring");
    lp_test_resp_free(&r);
}

static void test_pagination(void **state)
{
    ctx *c = *state;
    char tax[11], body[256], path[256], cursor[128] = "";
    long company = create_company(c, tax), ids[7], seen[16];
    int i, n = 0, pages = 0;

    for (i = 0; i < 7; i++) {
        snprintf(body, sizeof body,
                 "{\"company_id\":%ld,\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"30H-%03d.%02d\"}",
                 company, 100 + c->seq, 10 + i);
        ids[i] = create(c, "/api/v1/vehicles", body);
    }
    do {
        lp_test_resp r;
        const cJSON *it, *next;
        if (cursor[0]) snprintf(path, sizeof path, "/api/v1/vehicles?company_id=%ld&limit=3&cursor=%s", company, cursor);
        else snprintf(path, sizeof path, "/api/v1/vehicles?company_id=%ld&limit=3", company);
        r = call(c, "GET", path, c->g.operator, NULL);
        lp_test_expect(&r, 200);
        assert_true(cJSON_GetArraySize(items_of(&r)) <= 3);
        cJSON_ArrayForEach(it, items_of(&r)) {
            assert_true(n < 16);
            seen[n++] = lp_test_jint(it, "id");
        }
        next = cJSON_GetObjectItemCaseSensitive(r.json, "next_cursor");
        if (cJSON_IsString(next)) {
            /* Cursors are opaque; these are plain tokens that need no escaping. */
            assert_true(strspn(next->valuestring, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~") ==
                        strlen(next->valuestring));
            snprintf(cursor, sizeof cursor, "%s", next->valuestring);
        } else {
            assert_true(cJSON_IsNull(next));
            cursor[0] = '\0';
        }
        lp_test_resp_free(&r);
        assert_true(++pages <= 4);
    } while (cursor[0]);
    assert_int_equal(n, 7);
    for (i = 0; i < 7; i++) assert_int_equal(seen[i], ids[i]);
}

/* Missing records and metrics ---------------------------------------------------- */

/* Ids that do not exist, or cannot (a text id of an integer-keyed table:
 * PostgreSQL must not see it as a bigint). */
static void test_missing_records(void **state)
{
    ctx *c = *state;
    refused(c, "GET", "/api/v1/vehicles/999999", c->g.operator, NULL, 404, NULL);
    refused(c, "GET", "/api/v1/vehicles/not-a-number", c->g.operator, NULL, 404, NULL);
    refused(c, "PATCH", "/api/v1/drivers/99999999999999999999", c->g.operator, "{\"phone\":\"+84 912 000 000\"}",
            404, NULL);
    refused(c, "GET", "/api/v1/companies/-1", c->g.operator, NULL, 404, NULL);
    refused(c, "GET", "/api/v1/crossing-points/no-such-point", c->g.operator, NULL, 404, NULL);
    refused(c, "DELETE", "/api/v1/tokens/999999", c->g.srv.admin, NULL, 404, NULL);
}


static void test_metrics(void **state)
{
    ctx *c = *state;
    lp_test_resp r = call(c, "GET", "/healthz", NULL, NULL);
    lp_test_resp_free(&r);

    r = call(c, "GET", "/metrics", c->g.operator, NULL);
    lp_test_expect(&r, 200);
    assert_non_null(r.content_type);
    assert_true(strncmp(r.content_type, "text/plain", 10) == 0);
    assert_non_null(strstr(r.body, "landport_http_requests_total{"));
    assert_non_null(strstr(r.body, "route=\"/healthz\""));
    assert_non_null(strstr(r.body, "landport_store_operation_duration_seconds"));
    lp_test_resp_free(&r);

    refused(c, "GET", "/metrics", NULL, NULL, 401, NULL);
}

/* Audit ------------------------------------------------------------------------ */

/* The first audit event of query (as operator), duplicated; caller frees. */
static cJSON *first_event(ctx *c, const char *query)
{
    char path[256];
    lp_test_resp r;
    cJSON *ev;
    snprintf(path, sizeof path, "/api/v1/audit-events?%s", query);
    r = call(c, "GET", path, c->g.operator, NULL);
    lp_test_expect(&r, 200);
    if (cJSON_GetArraySize(items_of(&r)) < 1) fail_msg("no audit event for %s: %s", query, r.body);
    ev = cJSON_Duplicate(cJSON_GetArrayItem(items_of(&r), 0), 1);
    lp_test_resp_free(&r);
    return ev;
}

static void test_audit_company_create(void **state)
{
    ctx *c = *state;
    char tax[11], q[128];
    long id = create_company(c, tax);
    const cJSON *after;
    lp_test_resp r;
    cJSON *ev;

    snprintf(q, sizeof q, "object_type=company&object_id=%ld&action=company.create", id);
    ev = first_event(c, q);
    assert_string_equal(lp_test_jstr(ev, "actor"), "test-admin");
    assert_string_equal(lp_test_jstr(ev, "role"), "admin");
    assert_int_equal(lp_test_jint(ev, "company_id"), id);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(ev, "before")));
    after = cJSON_GetObjectItemCaseSensitive(ev, "after");
    assert_true(cJSON_IsObject(after));
    assert_string_equal(lp_test_jstr(after, "tax_id"), tax);
    assert_int_equal(lp_test_jint(after, "id"), id);
    cJSON_Delete(ev);

    /* The log cannot be changed through the API. */
    r = call(c, "PATCH", "/api/v1/audit-events", c->g.srv.admin, "{\"reason\":\"x\"}");
    lp_test_assert_problem(&r, 405, NULL);
    assert_string_equal(r.allow, "GET");
    lp_test_resp_free(&r);
    refused(c, "DELETE", "/api/v1/audit-events", c->g.srv.admin, NULL, 405, NULL);
    refused(c, "PATCH", "/api/v1/audit-events/1", c->g.srv.admin, "{\"reason\":\"x\"}", 404, NULL);
    refused(c, "DELETE", "/api/v1/audit-events/1", c->g.srv.admin, NULL, 404, NULL);

    r = call(c, "GET", "/api/v1/audit-events/verify", c->g.operator, NULL);
    lp_test_expect(&r, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "intact")));
    assert_true(lp_test_jint(r.json, "events_checked") >= 1);
    lp_test_resp_free(&r);
}

static void test_audit_reason(void **state)
{
    ctx *c = *state;
    char tax[11], path[64], q[128];
    long id = create_company(c, tax);
    lp_test_resp r;
    cJSON *ev;

    snprintf(path, sizeof path, "/api/v1/companies/%ld", id);
    r = lp_test_http(&c->g.srv, "PATCH", path, c->g.operator, "{\"phone\":\"+84 205 3851 234\"}",
                     (const char *const[]){"X-Reason: phone changed at the company's request (ticket 42)", NULL});
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    snprintf(q, sizeof q, "object_type=company&object_id=%ld&action=company.update", id);
    ev = first_event(c, q);
    assert_string_equal(lp_test_jstr(ev, "reason"), "phone changed at the company's request (ticket 42)");
    assert_string_equal(lp_test_jstr(ev, "role"), "operator");
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(ev, "after"), "phone"), "+84 205 3851 234");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "before"), "phone")));
    cJSON_Delete(ev);
}

/* Runner ----------------------------------------------------------------------- */

static int group_setup(void **state)
{
    lp_test_group_setup(state, sizeof(ctx), "it_http");
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_healthz),
        cmocka_unit_test(test_openapi),
        cmocka_unit_test(test_registry_defaults),
        cmocka_unit_test(test_point_if_match),
        cmocka_unit_test(test_companies_create),
        cmocka_unit_test(test_vehicles_canonical),
        cmocka_unit_test(test_drivers_licence),
        cmocka_unit_test(test_pagination),
        cmocka_unit_test(test_missing_records),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_audit_company_create),
        cmocka_unit_test(test_audit_reason),
    };
    return cmocka_run_group_tests(tests, group_setup, lp_test_group_teardown);
}

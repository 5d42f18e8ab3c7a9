/* it_roles.c - who may do what, against the real landport server.
 *
 * The role matrix walks the server's own OpenAPI document: every operation is
 * called with a token of each of the eight roles and with none, and the
 * answer must agree with the operation's x-roles and security (403 for a role
 * not listed, never 401/403 for one listed, 401 without a token).  Then the
 * company scoping (a company token sees and changes only its own records) and
 * token revocation. */
#include "testlib.h"
#include "core/role.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <time.h>

#define NROLES (LP_ROLE__COUNT - 1)

typedef struct ctx {
    lp_test_server srv;
    char *tok[LP_ROLE__COUNT]; /* by role; [0] unused (no token) */
    long company_a, company_b;
    long vehicle_a, vehicle_b, driver_a, driver_b;
    long spare_token; /* a token the matrix may revoke */
    long risk_rule;   /* a rule made by customs */
    long decl_a;      /* a declaration of company A */
    long crossing_a;  /* its crossing record */
    long task_a;      /* one of its agency tasks */
    int seq;          /* makes tax ids, plates and document numbers unique */
    /* Registered by the feature fixtures (roles_*.inc): */
    struct { char frag[64], id[48]; } ids[48]; /* path fragment -> id to put in its {id} */
    int nids;
    char lenient[48][128]; /* "METHOD pattern": the answer depends on the record's state */
    int nlenient;
    char skip[8][128];     /* "METHOD pattern": streams, tested on their own */
    int nskip;
} ctx;

/* Helpers ------------------------------------------------------------------- */

/* For the feature fixtures: a path whose pattern contains frag (e.g.
 * "/bookings/") gets id in its path parameters. */
static void roles_id(ctx *c, const char *frag, const char *fmt, ...) __attribute__((format(printf, 3, 4), unused));
static void roles_id(ctx *c, const char *frag, const char *fmt, ...)
{
    va_list ap;
    assert_true(c->nids < (int)(sizeof c->ids / sizeof c->ids[0]));
    snprintf(c->ids[c->nids].frag, sizeof c->ids[0].frag, "%s", frag);
    va_start(ap, fmt);
    vsnprintf(c->ids[c->nids].id, sizeof c->ids[0].id, fmt, ap);
    va_end(ap);
    c->nids++;
}

/* Operation "METHOD pattern" answers by the record's state as well: a listed
 * role may get 400, 403, 404 or 409 for a valid request. */
__attribute__((unused)) static void roles_lenient(ctx *c, const char *op)
{
    assert_true(c->nlenient < (int)(sizeof c->lenient / sizeof c->lenient[0]));
    snprintf(c->lenient[c->nlenient++], sizeof c->lenient[0], "%s", op);
}

/* Operation "METHOD pattern" is a stream that does not end: its suite tests it. */
__attribute__((unused)) static void roles_skip(ctx *c, const char *op)
{
    assert_true(c->nskip < (int)(sizeof c->skip / sizeof c->skip[0]));
    snprintf(c->skip[c->nskip++], sizeof c->skip[0], "%s", op);
}

static int op_listed(char (*list)[128], int n, const char *method, const char *pattern)
{
    char op[160];
    int i;
    snprintf(op, sizeof op, "%s %s", method, pattern);
    for (i = 0; i < n; i++)
        if (!strcmp(list[i], op)) return 1;
    return 0;
}

/* Sends the request and asserts the status; returns the id of the answer. */
static long id_of(ctx *c, const char *method, const char *path, const char *token, const char *body, long status)
{
    lp_test_resp r = lp_test_http(&c->srv, method, path, token, body, NULL);
    long id;
    lp_test_expect(&r, status);
    id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    return id;
}

/* Valid bodies, unique on each call (k). */
static void company_body(char *out, size_t n, int k)
{
    char tax[11];
    lp_test_vn_taxid(2, 100u + (unsigned)k * 13u, tax);
    snprintf(out, n, "{\"name\":\"Công ty Vận tải số %d\",\"country\":\"VN\",\"tax_id\":\"%s\"}", k, tax);
}

static void vehicle_body(char *out, size_t n, long company, int k)
{
    snprintf(out, n, "{\"company_id\":%ld,\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"51C-%03d.%02d\"}",
             company, 100 + k / 100, k % 100);
}

static void driver_body(char *out, size_t n, long company, int k)
{
    snprintf(out, n,
             "{\"company_id\":%ld,\"full_name\":\"Trần Thị Lan\",\"nationality\":\"VN\",\"document_kind\":\"vn_cccd\","
             "\"document_number\":\"0010890%05d\",\"licence_number\":\"LS%06d\",\"licence_valid_until\":\"2031-01-31\"}",
             company, k, k);
}

/* Feature fixtures: each roles_<feature>.inc defines
 *   static void roles_<feature>_setup(ctx *c)   creates the records its routes need (after the
 *                                                base records) and registers ids with roles_id()
 *   static int roles_<feature>_body(ctx *c, const char *method, const char *pattern, char *out, size_t n)
 *                                                a valid body for one of its operations, 1; or 0
 * and may mark operations with roles_lenient() or roles_skip(). */
#include "roles_yard.inc"
#include "roles_fees.inc"
#include "roles_events.inc"
#include "roles_warehouse.inc"
#include "roles_agv.inc"

static void features_setup(ctx *c)
{
    roles_yard_setup(c);
    roles_fees_setup(c);
    roles_events_setup(c);
    roles_warehouse_setup(c);
    roles_agv_setup(c);
}

static int features_body(ctx *c, const char *method, const char *pattern, char *out, size_t n)
{
    return roles_yard_body(c, method, pattern, out, n) || roles_fees_body(c, method, pattern, out, n) ||
           roles_events_body(c, method, pattern, out, n) || roles_warehouse_body(c, method, pattern, out, n) ||
           roles_agv_body(c, method, pattern, out, n);
}

/* A valid body for the operation "METHOD pattern", or NULL if none is known.
 * Bodies for the company routes speak for company A, so that a company token
 * (of A) may send them too. */
static int good_body(ctx *c, const char *method, const char *pattern, char *out, size_t n)
{
    int k = ++c->seq;
    if (!strcmp(method, "POST") && !strcmp(pattern, "/api/v1/crossing-points"))
        snprintf(out, n,
                 "{\"id\":\"matrix-%d\",\"gate_pair_id\":\"huu-nghi\",\"name\":\"Test lane %d\",\"kind\":\"lane\","
                 "\"markers\":\"1092\",\"directions\":[\"export\"],\"lanes\":1,"
                 "\"opening_hours\":[{\"open\":\"08:00\",\"close\":\"17:00\"}],\"capacity_per_hour\":10,"
                 "\"status\":\"closed\"}",
                 k, k);
    else if (!strcmp(method, "PATCH") && !strcmp(pattern, "/api/v1/crossing-points/{id}"))
        snprintf(out, n, "{\"capacity_per_hour\":%d}", 40 + k % 10);
    else if (!strcmp(method, "POST") && !strcmp(pattern, "/api/v1/companies")) company_body(out, n, k);
    else if (!strcmp(method, "PATCH") && !strcmp(pattern, "/api/v1/companies/{id}"))
        snprintf(out, n, "{\"phone\":\"+84 205 385 %04d\"}", k);
    else if (!strcmp(method, "POST") && !strcmp(pattern, "/api/v1/vehicles")) vehicle_body(out, n, c->company_a, k);
    else if (!strcmp(method, "PATCH") && !strcmp(pattern, "/api/v1/vehicles/{id}"))
        snprintf(out, n, "{\"max_gross_kg\":%d}", 40000 + k);
    else if (!strcmp(method, "POST") && !strcmp(pattern, "/api/v1/drivers")) driver_body(out, n, c->company_a, k);
    else if (!strcmp(method, "PATCH") && !strcmp(pattern, "/api/v1/drivers/{id}"))
        snprintf(out, n, "{\"phone\":\"+84 912 %06d\"}", k);
    else if (!strcmp(method, "POST") && !strcmp(pattern, "/api/v1/risk-rules"))
        snprintf(out, n, "{\"name\":\"matrix %d\",\"hs_prefix\":\"0810\",\"channel\":\"yellow\",\"probability\":%d}", k, k % 1000);
    else if (!strcmp(method, "PATCH") && !strcmp(pattern, "/api/v1/risk-rules/{id}"))
        snprintf(out, n, "{\"probability\":%d}", k % 1000);
    else if (!strcmp(method, "POST") && !strcmp(pattern, "/api/v1/tokens"))
        snprintf(out, n, "{\"name\":\"matrix-%d\",\"role\":\"device\"}", k);
    else return features_body(c, method, pattern, out, n);
    return 1;
}

/* pattern with its path parameters replaced by ids of records that exist
 * (company A's, for the company routes). */
static void fill_path(ctx *c, const char *pattern, char *out, size_t n)
{
    char id[48] = "1";
    int i;
    for (i = 0; i < c->nids; i++)
        if (strstr(pattern, c->ids[i].frag)) {
            lp_test_fill_path(pattern, c->ids[i].id, out, n);
            return;
        }
    if (strstr(pattern, "/gates/")) snprintf(id, sizeof id, "huu-nghi");
    else if (strstr(pattern, "/crossing-points/")) snprintf(id, sizeof id, "road-1088");
    else if (strstr(pattern, "/companies/")) snprintf(id, sizeof id, "%ld", c->company_a);
    else if (strstr(pattern, "/vehicles/")) snprintf(id, sizeof id, "%ld", c->vehicle_a);
    else if (strstr(pattern, "/drivers/")) snprintf(id, sizeof id, "%ld", c->driver_a);
    else if (strstr(pattern, "/tokens/")) snprintf(id, sizeof id, "%ld", c->spare_token);
    else if (strstr(pattern, "/declarations/")) snprintf(id, sizeof id, "%ld", c->decl_a);
    else if (strstr(pattern, "/crossings/")) snprintf(id, sizeof id, "%ld", c->crossing_a);
    else if (strstr(pattern, "/tasks/")) snprintf(id, sizeof id, "%ld", c->task_a);
    else if (strstr(pattern, "/risk-rules/")) snprintf(id, sizeof id, "%ld", c->risk_rule);
    else if (strstr(pattern, "/settings/")) snprintf(id, sizeof id, "clearance");
    lp_test_fill_path(pattern, id, out, n);
}

/* Operations whose roles depend on the record as well: a listed role may be
 * refused one record (a setting another role owns: 403) or not see it (another
 * agency's task: 404). */
static int per_record(const char *method, const char *pattern)
{
    static const char *const ops[] = {"PATCH /api/v1/settings/{id}", "GET /api/v1/tasks/{id}",
                                      "POST /api/v1/tasks/{id}/decision",
                                      /* the partner sees a crossing only after exit */
                                      "GET /api/v1/crossings/{id}", NULL};
    char op[160];
    const char *const *o;
    snprintf(op, sizeof op, "%s %s", method, pattern);
    for (o = ops; *o; o++)
        if (!strcmp(*o, op)) return 1;
    return 0;
}

static int listed(const cJSON *roles, const char *name)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, roles)
        if (cJSON_IsString(r) && strcmp(r->valuestring, name) == 0) return 1;
    return 0;
}

/* The role matrix ------------------------------------------------------------- */

/* Calls one operation as role (LP_ROLE_NONE: no token) and checks the answer
 * against its x-roles and security. */
static void check_cell(ctx *c, const char *method, const char *pattern, const cJSON *op, lp_role role)
{
    const cJSON *roles = cJSON_GetObjectItemCaseSensitive(op, "x-roles");
    const int secured = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(op, "security")) > 0;
    const int has_body = cJSON_GetObjectItemCaseSensitive(op, "requestBody") != NULL;
    char path[256], body[1024];
    int known = 0;
    lp_test_resp r;

    if (op_listed(c->skip, c->nskip, method, pattern)) return;
    fill_path(c, pattern, path, sizeof path);
    if (has_body && !(known = good_body(c, method, pattern, body, sizeof body))) snprintf(body, sizeof body, "{}");
    if (!has_body) known = 1; /* nothing to get wrong */
    r = lp_test_http(&c->srv, method, path, role ? c->tok[role] : NULL, has_body ? body : NULL, NULL);

    if (!secured) {
        /* Public: anyone, with or without a token. */
        if (r.status == 401 || r.status == 403 || r.status >= 500)
            fail_msg("public %s %s as %s: %ld %s", method, path, lp_role_name(role), r.status, r.body);
    } else if (role == LP_ROLE_NONE) {
        lp_test_assert_problem(&r, 401, NULL);
    } else if (!listed(roles, lp_role_name(role))) {
        if (r.status != 403)
            fail_msg("%s %s as %s (not in x-roles): %ld %s", method, path, lp_role_name(role), r.status, r.body);
        lp_test_assert_problem(&r, 403, NULL);
    } else if (op_listed(c->lenient, c->nlenient, method, pattern) &&
               (r.status == 400 || r.status == 403 || r.status == 404 || r.status == 409)) {
        /* depends on the record's state (a feature fixture said so) */
    } else if (per_record(method, pattern) && (r.status == 403 || r.status == 404)) {
        /* refused or not seen by a rule on the record itself */
    } else if (!strcmp(method, "POST") && strstr(pattern, "/exit") && r.status == 409) {
        /* exit depends on the declaration's state (gate_open), not only on the role */
    } else if (r.status == 503 && strstr(r.body, "AGV fleet is off")) {
        /* this server runs without --mqtt; it_fleet calls the fleet's routes with a fleet */
    } else if (known && (r.status < 200 || r.status > 299)) {
        fail_msg("%s %s as %s (in x-roles, valid request): %ld %s", method, path, lp_role_name(role), r.status, r.body);
    } else if (r.status != 200 && r.status != 201 && r.status != 400 && r.status != 404 && r.status != 409) {
        fail_msg("%s %s as %s (in x-roles): %ld %s", method, path, lp_role_name(role), r.status, r.body);
    }
    lp_test_resp_free(&r);
}

static void test_role_matrix(void **state)
{
    ctx *c = *state;
    lp_test_resp doc = lp_test_http(&c->srv, "GET", "/api/v1/openapi.json", NULL, NULL, NULL);
    const cJSON *item, *op;
    int nops = 0, cells = 0, role;

    lp_test_expect(&doc, 200);
    assert_int_equal(NROLES, 8);
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(doc.json, "paths")) {
        cJSON_ArrayForEach(op, item) {
            char method[16];
            size_t i;
            const cJSON *roles = cJSON_GetObjectItemCaseSensitive(op, "x-roles");
            for (i = 0; op->string[i] && i + 1 < sizeof method; i++)
                method[i] = (char)(op->string[i] >= 'a' && op->string[i] <= 'z' ? op->string[i] - 32 : op->string[i]);
            method[i] = '\0';
            assert_true(cJSON_IsArray(roles));
            assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(op, "security")));
            /* Secured operations name their roles; public ones name none. */
            assert_int_equal(cJSON_GetArraySize(roles) > 0,
                             cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(op, "security")) > 0);
            nops++;
            for (role = LP_ROLE_NONE; role < LP_ROLE__COUNT; role++) {
                check_cell(c, method, item->string, op, (lp_role)role);
                cells++;
            }
        }
    }
    assert_true(nops >= 27);
    assert_int_equal(cells, nops * 9);
    print_message("role matrix: %d operations x 9 callers = %d cells checked\n", nops, cells);
    lp_test_resp_free(&doc);
}

/* Company scoping ------------------------------------------------------------- */

static void expect_status(ctx *c, const char *method, const char *path, const char *body, long status,
                          const char *pointer)
{
    lp_test_resp r = lp_test_http(&c->srv, method, path, c->tok[LP_ROLE_COMPANY], body, NULL);
    if (status >= 400) lp_test_assert_problem(&r, status, pointer);
    else lp_test_expect(&r, status);
    lp_test_resp_free(&r);
}

/* Asserts that every item of a list, as company A, has company_id (or id,
 * for companies) A, and that there are at least min of them. */
static void expect_own_list(ctx *c, const char *path, const char *member, int min)
{
    lp_test_resp r = lp_test_http(&c->srv, "GET", path, c->tok[LP_ROLE_COMPANY], NULL, NULL);
    const cJSON *items, *it;
    lp_test_expect(&r, 200);
    items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
    assert_true(cJSON_IsArray(items));
    if (cJSON_GetArraySize(items) < min) fail_msg("%s: fewer than %d items: %s", path, min, r.body);
    cJSON_ArrayForEach(it, items)
        if (lp_test_jint(it, member) != c->company_a)
            fail_msg("%s: company A sees another company's record: %s", path, r.body);
    lp_test_resp_free(&r);
}

static void test_company_scope(void **state)
{
    ctx *c = *state;
    char path[128], body[512], q[128];

    snprintf(path, sizeof path, "/api/v1/vehicles/%ld", c->vehicle_b);
    expect_status(c, "GET", path, NULL, 404, NULL);
    expect_status(c, "PATCH", path, "{\"max_gross_kg\":30000}", 404, NULL);
    snprintf(path, sizeof path, "/api/v1/drivers/%ld", c->driver_b);
    expect_status(c, "GET", path, NULL, 404, NULL);
    expect_status(c, "PATCH", path, "{\"phone\":\"+86 771 123 4567\"}", 404, NULL);
    snprintf(path, sizeof path, "/api/v1/companies/%ld", c->company_b);
    expect_status(c, "GET", path, NULL, 404, NULL);
    expect_status(c, "PATCH", path, "{\"phone\":\"+86 771 123 4567\"}", 404, NULL);
    snprintf(path, sizeof path, "/api/v1/vehicles/%ld", c->vehicle_a);
    expect_status(c, "GET", path, NULL, 200, NULL);

    expect_own_list(c, "/api/v1/vehicles", "company_id", 1);
    expect_own_list(c, "/api/v1/drivers", "company_id", 1);
    expect_own_list(c, "/api/v1/companies", "id", 1);
    snprintf(q, sizeof q, "/api/v1/vehicles?company_id=%ld", c->company_b);
    expect_own_list(c, q, "company_id", 0);

    /* Registering for another company is forbidden; for itself, implied. */
    vehicle_body(body, sizeof body, c->company_b, ++c->seq);
    expect_status(c, "POST", "/api/v1/vehicles", body, 403, "/company_id");
    driver_body(body, sizeof body, c->company_b, ++c->seq);
    expect_status(c, "POST", "/api/v1/drivers", body, 403, "/company_id");
    snprintf(body, sizeof body, "{\"kind\":\"agv\",\"plate_country\":\"VN\",\"plate\":\"51C-999.%02d\"}", ++c->seq % 100);
    {
        lp_test_resp r = lp_test_http(&c->srv, "POST", "/api/v1/vehicles", c->tok[LP_ROLE_COMPANY], body, NULL);
        lp_test_expect(&r, 201);
        assert_int_equal(lp_test_jint(r.json, "company_id"), c->company_a);
        lp_test_resp_free(&r);
    }

    /* Its own record: contact details only. */
    snprintf(path, sizeof path, "/api/v1/companies/%ld", c->company_a);
    expect_status(c, "PATCH", path, "{\"tax_id\":\"0100109106\"}", 400, "/tax_id");
    expect_status(c, "PATCH", path, "{\"status\":\"suspended\"}", 403, "/status");
    expect_status(c, "PATCH", path, "{\"name\":\"Renamed\"}", 403, "/name");
    expect_status(c, "PATCH", path, "{\"phone\":\"+84 205 3851 999\",\"email\":\"dispatch@example.vn\"}", 200, NULL);
    {
        lp_test_resp r = lp_test_http(&c->srv, "GET", path, c->tok[LP_ROLE_COMPANY], NULL, NULL);
        lp_test_expect(&r, 200);
        assert_string_equal(lp_test_jstr(r.json, "phone"), "+84 205 3851 999");
        assert_string_equal(lp_test_jstr(r.json, "status"), "active");
        lp_test_resp_free(&r);
    }

    /* The audit log, as far as it concerns A. */
    expect_own_list(c, "/api/v1/audit-events", "company_id", 3);
    snprintf(q, sizeof q, "/api/v1/audit-events?object_type=vehicle&object_id=%ld", c->vehicle_b);
    expect_own_list(c, q, "company_id", 0);
    {
        lp_test_resp r = lp_test_http(&c->srv, "GET", q, c->tok[LP_ROLE_COMPANY], NULL, NULL);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 0);
        lp_test_resp_free(&r);
    }
}

/* Tokens ---------------------------------------------------------------------- */

static void test_revoked_token(void **state)
{
    ctx *c = *state;
    lp_test_resp r;
    char path[64], *secret;
    long id;

    r = lp_test_http(&c->srv, "POST", "/api/v1/tokens", c->srv.admin, "{\"name\":\"short-lived\",\"role\":\"operator\"}",
                     NULL);
    lp_test_expect(&r, 201);
    id = lp_test_jint(r.json, "id");
    assert_non_null(lp_test_jstr(r.json, "token"));
    secret = strdup(lp_test_jstr(r.json, "token"));
    assert_non_null(secret);
    lp_test_resp_free(&r);

    r = lp_test_http(&c->srv, "GET", "/api/v1/whoami", secret, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "role"), "operator");
    assert_string_equal(lp_test_jstr(r.json, "name"), "short-lived");
    lp_test_resp_free(&r);

    snprintf(path, sizeof path, "/api/v1/tokens/%ld", id);
    r = lp_test_http(&c->srv, "DELETE", path, c->srv.admin, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_non_null(lp_test_jstr(r.json, "revoked_at"));
    lp_test_resp_free(&r);

    r = lp_test_http(&c->srv, "GET", "/api/v1/whoami", secret, NULL, NULL);
    lp_test_assert_problem(&r, 401, NULL);
    lp_test_resp_free(&r);
    r = lp_test_http(&c->srv, "GET", "/api/v1/vehicles", secret, NULL, NULL);
    lp_test_assert_problem(&r, 401, NULL);
    lp_test_resp_free(&r);
    free(secret);

    /* Unknown tokens and other schemes are 401 too; a missing token id 404. */
    r = lp_test_http(&c->srv, "GET", "/api/v1/whoami", "lp_not-a-real-token", NULL, NULL);
    lp_test_assert_problem(&r, 401, NULL);
    lp_test_resp_free(&r);
    r = lp_test_http(&c->srv, "GET", "/api/v1/whoami", NULL, NULL,
                     (const char *const[]){"Authorization: Basic YWRtaW46YWRtaW4=", NULL});
    lp_test_assert_problem(&r, 401, NULL);
    lp_test_resp_free(&r);
    r = lp_test_http(&c->srv, "DELETE", "/api/v1/tokens/999999", c->srv.admin, NULL, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);
}

/* Runner ----------------------------------------------------------------------- */

static int group_setup(void **state)
{
    ctx *c = calloc(1, sizeof *c);
    char body[512];
    int role;

    assert_non_null(c);
    *state = c;
    lp_test_server_start(&c->srv, "it_roles", NULL, NULL);
    company_body(body, sizeof body, ++c->seq);
    c->company_a = id_of(c, "POST", "/api/v1/companies", c->srv.admin, body, 201);
    company_body(body, sizeof body, ++c->seq);
    c->company_b = id_of(c, "POST", "/api/v1/companies", c->srv.admin, body, 201);
    vehicle_body(body, sizeof body, c->company_a, ++c->seq);
    c->vehicle_a = id_of(c, "POST", "/api/v1/vehicles", c->srv.admin, body, 201);
    vehicle_body(body, sizeof body, c->company_b, ++c->seq);
    c->vehicle_b = id_of(c, "POST", "/api/v1/vehicles", c->srv.admin, body, 201);
    driver_body(body, sizeof body, c->company_a, ++c->seq);
    c->driver_a = id_of(c, "POST", "/api/v1/drivers", c->srv.admin, body, 201);
    driver_body(body, sizeof body, c->company_b, ++c->seq);
    c->driver_b = id_of(c, "POST", "/api/v1/drivers", c->srv.admin, body, 201);
    c->spare_token = id_of(c, "POST", "/api/v1/tokens", c->srv.admin, "{\"name\":\"spare\",\"role\":\"partner\"}", 201);
    for (role = 1; role < LP_ROLE__COUNT; role++)
        c->tok[role] = lp_test_token(&c->srv, lp_role_name((lp_role)role), role == LP_ROLE_COMPANY ? c->company_a : 0);
    {
        char d[1024], when[32];
        time_t t = time(NULL) + 86400;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        snprintf(d, sizeof d,
                 "{\"number\":\"305123456789\",\"direction\":\"export\",\"crossing_point_id\":\"tanthanh-1090\","
                 "\"transport\":\"truck\",\"vehicle_id\":%ld,\"driver_id\":%ld,\"expected_arrival\":\"%s\","
                 "\"currency\":\"VND\",\"goods\":[{\"hs_code\":\"84713020\",\"description\":\"laptops\",\"packages\":1,"
                 "\"gross_weight_kg\":1,\"value\":1,\"origin\":\"VN\"}],"
                 "\"totals\":{\"packages\":1,\"gross_weight_kg\":1,\"value\":1}}",
                 c->vehicle_a, c->driver_a, when);
        c->decl_a = id_of(c, "POST", "/api/v1/declarations", c->tok[LP_ROLE_COMPANY], d, 201);
    }
    {
        char path[96];
        lp_test_resp r;
        snprintf(path, sizeof path, "/api/v1/crossings?limit=1");
        r = lp_test_http(&c->srv, "GET", path, c->srv.admin, NULL, NULL);
        assert_int_equal(r.status, 200);
        c->crossing_a = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "items"), 0), "id"));
        lp_test_resp_free(&r);
        snprintf(path, sizeof path, "/api/v1/tasks?declaration_id=%ld&limit=1", c->decl_a);
        r = lp_test_http(&c->srv, "GET", path, c->srv.admin, NULL, NULL);
        assert_int_equal(r.status, 200);
        c->task_a = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "items"), 0), "id"));
        lp_test_resp_free(&r);
        assert_true(c->crossing_a > 0 && c->task_a > 0);
    }
    c->risk_rule = id_of(c, "POST", "/api/v1/risk-rules", c->tok[LP_ROLE_CUSTOMS],
                         "{\"name\":\"matrix\",\"channel\":\"yellow\",\"probability\":0}", 201);
    features_setup(c);
    return 0;
}

static int group_teardown(void **state)
{
    ctx *c = *state;
    int role;
    if (!c) return 0;
    for (role = 0; role < LP_ROLE__COUNT; role++) free(c->tok[role]);
    lp_test_server_stop(&c->srv);
    free(c);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_matrix),
        cmocka_unit_test(test_company_scope),
        cmocka_unit_test(test_revoked_token),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

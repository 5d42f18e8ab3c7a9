/* it_declarations.c - customs declarations against the real landport server:
 * filing with its channel, tasks and canonical forms; every validation rule
 * with real bad inputs, each naming its JSON pointer, and several mistakes
 * reported at once; the risk replay with rules put into the SQLite file while
 * the server is stopped (the risk-rule API is another module's); amendments
 * (X-Reason, same seed, the channel never goes down, history); cancel; the
 * customs override; company scoping; expiry.
 *
 * Setup stops the fresh server once to set the random minimum to zero and
 * add two rules, so that every channel here is known in advance:
 *   rule 1  HS 080550 (lemons)            red,    probability 1000
 *   rule 2  HS 84 from CN (machinery)     yellow, probability 500
 * SQLite only (the rules are written with the sqlite3 API). */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DURIAN "0810.90.10"  /* fresh fruit: quarantine */
#define LEMONS "08055010"    /* rule 1: always red */
#define MACHINE "84713020"   /* rule 2 when from CN */

typedef struct ctx {
    lp_test_group g; /* first: the server and an operator token */
    char *company_a, *company_b, *customs, *guard;
    long a, b;                       /* companies */
    long truck_a, truck_a2, truck_b; /* active trucks */
    long truck_off, agv_a;           /* A's inactive truck, A's AGV */
    long driver_a, driver_b, driver_expired;
    int seq; /* makes numbers, containers and seals unique */
} ctx;

/* Helpers ------------------------------------------------------------------ */

static lp_test_resp call(ctx *c, const char *method, const char *path, const char *token, const char *body)
{
    return lp_test_http(&c->g.srv, method, path, token, body, NULL);
}

static long create(ctx *c, const char *path, const char *token, const char *body)
{
    lp_test_resp r = call(c, "POST", path, token, body);
    long id;
    lp_test_expect(&r, 201);
    id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    return id;
}

static void exec_sql(ctx *c, const char *sql)
{
    sqlite3 *h = NULL;
    char *msg = NULL;
    const char *db = c->g.srv.db;
    const char *path = strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        print_error("SQL failed: %s\n", msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(h);
        fail();
    }
    sqlite3_close(h);
}

/* Runs sql on the database with the server stopped, then starts it again. */
static void with_server_stopped(ctx *c, const char *sql)
{
    lp_test_server_kill(&c->g.srv, SIGTERM);
    exec_sql(c, sql);
    lp_test_server_restart(&c->g.srv);
}

/* An ISO 6346 container number: owner code (4 letters), serial, and the
 * check digit computed as the standard says. */
static void container_number(const char *owner, unsigned serial, char out[12])
{
    long sum = 0;
    int i;
    snprintf(out, 12, "%.4s%06u", owner, serial % 1000000u);
    for (i = 0; i < 10; i++) {
        int v;
        if (out[i] >= '0' && out[i] <= '9') {
            v = out[i] - '0';
        } else {
            int ch;
            for (v = 10, ch = 'A'; ch < out[i]; ch++) v += (v + 1) % 11 == 0 ? 2 : 1;
        }
        sum += (long)v << i;
    }
    out[10] = (char)('0' + sum % 11 % 10);
    out[11] = '\0';
}

static void rfc3339(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static cJSON *line(const char *hs, const char *desc, double packages, double kg, double value, const char *origin)
{
    cJSON *l = cJSON_CreateObject();
    cJSON_AddStringToObject(l, "hs_code", hs);
    cJSON_AddStringToObject(l, "description", desc);
    cJSON_AddNumberToObject(l, "packages", packages);
    cJSON_AddNumberToObject(l, "gross_weight_kg", kg);
    cJSON_AddNumberToObject(l, "value", value);
    cJSON_AddStringToObject(l, "origin", origin);
    return l;
}

/* Sets totals to the sums of the goods lines. */
static void fix_totals(cJSON *b)
{
    const cJSON *l;
    double p = 0, kg = 0, v = 0;
    cJSON *t = cJSON_CreateObject();
    cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(b, "goods")) {
        p += cJSON_GetObjectItemCaseSensitive(l, "packages")->valuedouble;
        kg += cJSON_GetObjectItemCaseSensitive(l, "gross_weight_kg")->valuedouble;
        v += cJSON_GetObjectItemCaseSensitive(l, "value")->valuedouble;
    }
    cJSON_AddNumberToObject(t, "packages", p);
    cJSON_AddNumberToObject(t, "gross_weight_kg", kg);
    cJSON_AddNumberToObject(t, "value", v);
    if (cJSON_GetObjectItemCaseSensitive(b, "totals")) cJSON_ReplaceItemInObjectCaseSensitive(b, "totals", t);
    else cJSON_AddItemToObject(b, "totals", t);
}

/* A valid export by truck of company A with one container and one goods
 * line (hs, from Vietnam), in VND.  Caller owns it. */
static cJSON *good_body(ctx *c, const char *hs, const char *desc)
{
    cJSON *b = cJSON_CreateObject(), *cs, *ct, *seals, *goods;
    char num[16], cn[12], seal[24], when[32];
    int k = ++c->seq;

    snprintf(num, sizeof num, "30%010d", 5000 + k);
    container_number("MSKU", 300000u + (unsigned)k, cn);
    snprintf(seal, sizeof seal, "VN%08d", 100 + k);
    rfc3339(time(NULL) + 86400, when);
    cJSON_AddStringToObject(b, "number", num);
    cJSON_AddStringToObject(b, "direction", "export");
    cJSON_AddStringToObject(b, "crossing_point_id", "tanthanh-1090");
    cJSON_AddStringToObject(b, "transport", "truck");
    cJSON_AddNumberToObject(b, "vehicle_id", (double)c->truck_a);
    cJSON_AddNumberToObject(b, "driver_id", (double)c->driver_a);
    cJSON_AddStringToObject(b, "expected_arrival", when);
    cJSON_AddStringToObject(b, "currency", "VND");
    cs = cJSON_AddArrayToObject(b, "containers");
    ct = cJSON_CreateObject();
    cJSON_AddStringToObject(ct, "number", cn);
    seals = cJSON_AddArrayToObject(ct, "seals");
    cJSON_AddItemToArray(seals, cJSON_CreateString(seal));
    cJSON_AddItemToArray(cs, ct);
    goods = cJSON_AddArrayToObject(b, "goods");
    cJSON_AddItemToArray(goods, line(hs, desc, 1200, 18500.5, 1250000000, "VN"));
    fix_totals(b);
    return b;
}

/* Sends body (deleted) as token. */
static lp_test_resp send_json(ctx *c, const char *method, const char *path, const char *token, cJSON *body,
                         const char *const *headers)
{
    char *text = cJSON_PrintUnformatted(body);
    lp_test_resp r = lp_test_http(&c->g.srv, method, path, token, text, headers);
    cJSON_Delete(body);
    free(text);
    return r;
}

/* Files body (deleted) as company A and asserts a problem naming pointer. */
static void refused(ctx *c, cJSON *body, long status, const char *pointer)
{
    lp_test_resp r = send_json(c, "POST", "/api/v1/declarations", c->company_a, body, NULL);
    lp_test_assert_problem(&r, status, pointer);
    lp_test_resp_free(&r);
}

/* Files body (deleted) as company A; asserts 201.  Caller frees. */
static lp_test_resp filed(ctx *c, cJSON *body)
{
    lp_test_resp r = send_json(c, "POST", "/api/v1/declarations", c->company_a, body, NULL);
    lp_test_expect(&r, 201);
    return r;
}

static const cJSON *task(const cJSON *decl, const char *kind)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(decl, "tasks")) {
        const char *k = lp_test_jstr(t, "kind");
        if (k && strcmp(k, kind) == 0) return t;
    }
    return NULL;
}

static void expect_task(const cJSON *decl, const char *kind, const char *state)
{
    const cJSON *t = task(decl, kind);
    char *text;
    if (t && strcmp(lp_test_jstr(t, "state"), state) == 0) return;
    text = cJSON_PrintUnformatted(decl);
    fail_msg("expected a %s task in state %s: %s", kind, state, text);
    free(text);
}

static long count_declarations(ctx *c)
{
    lp_test_resp r = call(c, "GET", "/api/v1/declarations?limit=500", c->g.srv.admin, NULL);
    long n;
    lp_test_expect(&r, 200);
    n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items"));
    lp_test_resp_free(&r);
    return n;
}

static void decl_path(char *out, size_t n, long id, const char *suffix)
{
    snprintf(out, n, "/api/v1/declarations/%ld%s", id, suffix ? suffix : "");
}

/* Filing ------------------------------------------------------------------- */

static void test_file_valid(void **state)
{
    ctx *c = *state;
    cJSON *b = good_body(c, DURIAN, "Sầu riêng tươi (fresh durian)");
    cJSON *ct = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "containers"), 0);
    char want_cn[12], spaced[24], path[96];
    const cJSON *t, *risk, *ctr;
    lp_test_resp r;
    long id;

    /* Identifiers as people write them come back canonical. */
    snprintf(want_cn, sizeof want_cn, "%s", lp_test_jstr(ct, "number"));
    snprintf(spaced, sizeof spaced, "%.4s %.6s-%c", want_cn, want_cn + 4, want_cn[10]);
    cJSON_ReplaceItemInObjectCaseSensitive(ct, "number", cJSON_CreateString(spaced));
    cJSON_AddStringToObject(b, "trailer_plate", "29R 012.34");
    r = filed(c, b);
    id = lp_test_jint(r.json, "id");
    assert_non_null(r.location);
    assert_string_equal(lp_test_jstr(r.json, "status"), "pending"); /* quarantine waits */
    assert_string_equal(lp_test_jstr(r.json, "channel"), "green");  /* no rule, no random minimum */
    assert_string_equal(lp_test_jstr(r.json, "channel_source"), "risk");
    assert_int_equal(strlen(lp_test_jstr(r.json, "risk_seed")), 16);
    assert_int_equal(lp_test_jint(r.json, "risk_algo"), 1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "needs_quarantine")));
    assert_string_equal(lp_test_jstr(r.json, "vehicle_plate"), "51C-100.01");
    assert_string_equal(lp_test_jstr(r.json, "trailer_plate"), "29R-012.34");
    assert_int_equal(lp_test_jint(r.json, "company_id"), c->a);
    assert_int_equal(lp_test_jint(r.json, "amendments"), 0);
    ctr = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "containers"), 0);
    assert_string_equal(lp_test_jstr(ctr, "number"), want_cn);
    assert_string_equal(lp_test_jstr(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "goods"), 0), "hs_code"),
                        "08109010");
    risk = cJSON_GetObjectItemCaseSensitive(r.json, "risk");
    assert_string_equal(lp_test_jstr(risk, "channel"), "green");
    assert_non_null(lp_test_jstr(risk, "explanation"));
    assert_string_equal(lp_test_jstr(risk, "value_bands"), "applied");
    assert_non_null(lp_test_jstr(r.json, "valid_until"));

    expect_task(r.json, "risk_release", "approved");
    assert_string_equal(lp_test_jstr(task(r.json, "risk_release"), "decided_by"), "system:risk");
    expect_task(r.json, "quarantine_check", "pending");
    expect_task(r.json, "vehicle_driver_check", "approved");
    t = task(r.json, "vehicle_driver_check");
    assert_string_equal(lp_test_jstr(t, "agency"), "border_guard");
    assert_string_equal(lp_test_jstr(t, "decided_by"), "system");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "tasks")), 3);
    lp_test_resp_free(&r);

    /* Read back by the company, by staff; not by another company. */
    decl_path(path, sizeof path, id, NULL);
    r = call(c, "GET", path, c->company_a, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "tasks")), 3);
    assert_non_null(r.etag);
    lp_test_resp_free(&r);
    r = call(c, "GET", path, c->customs, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    r = call(c, "GET", path, c->company_b, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);
}

static void test_file_foreign_currency_and_agv(void **state)
{
    ctx *c = *state;
    cJSON *b = good_body(c, "8471.30.20", "Máy tính xách tay (laptops)"), *g;
    cJSON *cs;
    lp_test_resp r;

    /* USD with cents; no exchange-rate table: the value bands are skipped. */
    cJSON_ReplaceItemInObjectCaseSensitive(b, "currency", cJSON_CreateString("usd"));
    g = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "goods"), 0);
    cJSON_ReplaceItemInObjectCaseSensitive(g, "value", cJSON_CreateNumber(48250.75));
    fix_totals(b);
    r = filed(c, b);
    assert_string_equal(lp_test_jstr(r.json, "currency"), "USD");
    assert_string_equal(lp_test_jstr(r.json, "status"), "cleared"); /* green, no quarantine, crew approved */
    assert_non_null(strstr(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(r.json, "risk"), "value_bands"), "skipped"));
    assert_true(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "goods"), 0),
                                                 "value")->valuedouble == 48250.75);
    lp_test_resp_free(&r);

    /* An AGV import on road-1088: no vehicle, no driver; the border guard releases it. */
    b = good_body(c, "8471.30.20", "Máy tính xách tay (laptops)");
    cJSON_ReplaceItemInObjectCaseSensitive(b, "direction", cJSON_CreateString("import"));
    cJSON_ReplaceItemInObjectCaseSensitive(b, "transport", cJSON_CreateString("agv"));
    cJSON_ReplaceItemInObjectCaseSensitive(b, "crossing_point_id", cJSON_CreateString("road-1088"));
    cJSON_DeleteItemFromObjectCaseSensitive(b, "vehicle_id");
    cJSON_DeleteItemFromObjectCaseSensitive(b, "driver_id");
    r = filed(c, b);
    assert_string_equal(lp_test_jstr(r.json, "transport"), "agv");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r.json, "vehicle_plate")));
    expect_task(r.json, "agv_release", "pending");
    assert_null(task(r.json, "vehicle_driver_check"));
    lp_test_resp_free(&r);

    /* An AGV elsewhere, or with a vehicle named, or without a container. */
    b = good_body(c, "8471.30.20", "Laptops");
    cJSON_ReplaceItemInObjectCaseSensitive(b, "transport", cJSON_CreateString("agv"));
    cJSON_DeleteItemFromObjectCaseSensitive(b, "driver_id");
    cs = cJSON_GetObjectItemCaseSensitive(b, "containers");
    cJSON_DeleteItemFromArray(cs, 0);
    r = send_json(c, "POST", "/api/v1/declarations", c->company_a, b, NULL);
    lp_test_assert_problem(&r, 400, "/crossing_point_id");
    lp_test_assert_problem(&r, 400, "/vehicle_id");
    lp_test_assert_problem(&r, 400, "/containers");
    lp_test_resp_free(&r);
}

/* Validation ---------------------------------------------------------------- */

static void set_line(cJSON *b, int i, const char *member, cJSON *v)
{
    cJSON *l = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "goods"), i);
    if (cJSON_GetObjectItemCaseSensitive(l, member)) cJSON_ReplaceItemInObjectCaseSensitive(l, member, v);
    else cJSON_AddItemToObject(l, member, v);
}

static void set(cJSON *b, const char *member, cJSON *v)
{
    if (cJSON_GetObjectItemCaseSensitive(b, member)) cJSON_ReplaceItemInObjectCaseSensitive(b, member, v);
    else cJSON_AddItemToObject(b, member, v);
}

static void test_each_rule(void **state)
{
    ctx *c = *state;
    long before = count_declarations(c);
    cJSON *b, *ct, *cs;
    char when[32], cn[12];
    int i;

    /* Container check digit: CSQU3054383 is right, ...384 is not. */
    b = good_body(c, DURIAN, "durian");
    ct = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "containers"), 0);
    cJSON_ReplaceItemInObjectCaseSensitive(ct, "number", cJSON_CreateString("CSQU3054384"));
    refused(c, b, 400, "/containers/0/number");
    /* Two containers with the same seal (as the gate reads it). */
    b = good_body(c, DURIAN, "durian");
    cs = cJSON_GetObjectItemCaseSensitive(b, "containers");
    ct = cJSON_CreateObject();
    cJSON_AddStringToObject(ct, "number", "CSQU3054383");
    cJSON_AddItemToObject(ct, "seals", cJSON_CreateStringArray((const char *const[]){"VN-00000101"}, 1));
    cJSON_AddItemToArray(cs, ct);
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetArrayItem(cs, 0), "seals",
                                           cJSON_CreateStringArray((const char *const[]){"VN00000101"}, 1));
    refused(c, b, 400, "/containers/1/seals/0");
    /* A seal that is not a string, and a container too many seals. */
    b = good_body(c, DURIAN, "durian");
    ct = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "containers"), 0);
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(ct, "seals"), cJSON_CreateNumber(12345));
    refused(c, b, 400, "/containers/0/seals/1");
    b = good_body(c, DURIAN, "durian");
    ct = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "containers"), 0);
    cJSON_ReplaceItemInObjectCaseSensitive(
        ct, "seals", cJSON_CreateStringArray((const char *const[]){"SA1111", "SA2222", "SA3333", "SA4444", "SA5555"}, 5));
    refused(c, b, 400, "/containers/0/seals");

    /* HS codes: 7 digits; the reserved chapter 77; a 10-digit Chinese code. */
    b = good_body(c, "0810901", "durian");
    refused(c, b, 400, "/goods/0/hs_code");
    b = good_body(c, "7701.32.00", "durian");
    refused(c, b, 400, "/goods/0/hs_code");
    b = good_body(c, "0810901000", "durian");
    refused(c, b, 400, "/goods/0/hs_code");

    /* Totals that disagree with the lines. */
    b = good_body(c, DURIAN, "durian");
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(b, "totals"), "packages", cJSON_CreateNumber(1201));
    refused(c, b, 400, "/totals/packages");
    b = good_body(c, DURIAN, "durian");
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(b, "totals"), "gross_weight_kg",
                                           cJSON_CreateNumber(18500.4));
    refused(c, b, 400, "/totals/gross_weight_kg");
    b = good_body(c, DURIAN, "durian");
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(b, "totals"), "value", cJSON_CreateNumber(1));
    refused(c, b, 400, "/totals/value");
    /* totals is an object; a missing member of it is named. */
    b = good_body(c, DURIAN, "durian");
    set(b, "totals", cJSON_CreateArray());
    refused(c, b, 400, "/totals");
    b = good_body(c, DURIAN, "durian");
    cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(b, "totals"), "value");
    refused(c, b, 400, "/totals/value");

    /* Quantities: VND has no decimals, weight at most 3, no negative. */
    b = good_body(c, DURIAN, "durian");
    set_line(b, 0, "value", cJSON_CreateNumber(1250000000.5));
    fix_totals(b);
    refused(c, b, 400, "/goods/0/value");
    b = good_body(c, DURIAN, "durian");
    set_line(b, 0, "gross_weight_kg", cJSON_CreateNumber(18500.1234));
    fix_totals(b);
    refused(c, b, 400, "/goods/0/gross_weight_kg");
    b = good_body(c, DURIAN, "durian");
    set_line(b, 0, "packages", cJSON_CreateNumber(0));
    refused(c, b, 400, "/goods/0/packages");
    b = good_body(c, DURIAN, "durian");
    set_line(b, 0, "origin", cJSON_CreateString("XX"));
    refused(c, b, 400, "/goods/0/origin");
    b = good_body(c, DURIAN, "durian");
    set(b, "currency", cJSON_CreateString("XYZ"));
    refused(c, b, 400, "/currency");

    /* Declaration numbers: too short; a Chinese export number on our export. */
    b = good_body(c, DURIAN, "durian");
    set(b, "number", cJSON_CreateString("12345"));
    refused(c, b, 400, "/number");
    b = good_body(c, DURIAN, "durian");
    set(b, "number", cJSON_CreateString("5312 2024 0 000000123"));
    refused(c, b, 400, "/number");

    /* Arrival: three days ago; not a date. */
    b = good_body(c, DURIAN, "durian");
    rfc3339(time(NULL) - 3 * 86400, when);
    set(b, "expected_arrival", cJSON_CreateString(when));
    refused(c, b, 400, "/expected_arrival");
    b = good_body(c, DURIAN, "durian");
    set(b, "expected_arrival", cJSON_CreateString("2026-13-01T08:00:00+07:00"));
    refused(c, b, 400, "/expected_arrival");

    /* References: unknown vehicle, another company's, inactive, an AGV as a truck. */
    b = good_body(c, DURIAN, "durian");
    set(b, "vehicle_id", cJSON_CreateNumber(999999));
    refused(c, b, 400, "/vehicle_id");
    b = good_body(c, DURIAN, "durian");
    set(b, "vehicle_id", cJSON_CreateNumber((double)c->truck_b));
    refused(c, b, 400, "/vehicle_id");
    b = good_body(c, DURIAN, "durian");
    set(b, "vehicle_id", cJSON_CreateNumber((double)c->truck_off));
    refused(c, b, 400, "/vehicle_id");
    b = good_body(c, DURIAN, "durian");
    set(b, "vehicle_id", cJSON_CreateNumber((double)c->agv_a));
    refused(c, b, 400, "/vehicle_id");
    /* Drivers: expired licence, another company's, missing. */
    b = good_body(c, DURIAN, "durian");
    set(b, "driver_id", cJSON_CreateNumber((double)c->driver_expired));
    refused(c, b, 400, "/driver_id");
    b = good_body(c, DURIAN, "durian");
    set(b, "driver_id", cJSON_CreateNumber((double)c->driver_b));
    refused(c, b, 400, "/driver_id");
    b = good_body(c, DURIAN, "durian");
    cJSON_DeleteItemFromObjectCaseSensitive(b, "driver_id");
    refused(c, b, 400, "/driver_id");
    /* Crossing points: unknown, closed, not for this direction. */
    b = good_body(c, DURIAN, "durian");
    set(b, "crossing_point_id", cJSON_CreateString("no-such-point"));
    refused(c, b, 400, "/crossing_point_id");
    b = good_body(c, DURIAN, "durian");
    set(b, "crossing_point_id", cJSON_CreateString("it-closed"));
    refused(c, b, 400, "/crossing_point_id");
    b = good_body(c, DURIAN, "durian");
    set(b, "crossing_point_id", cJSON_CreateString("it-import-only"));
    refused(c, b, 400, "/crossing_point_id");
    /* A trailer plate that is no plate, or the truck's own. */
    b = good_body(c, DURIAN, "durian");
    set(b, "trailer_plate", cJSON_CreateString("ABCDEFG"));
    refused(c, b, 400, "/trailer_plate");
    b = good_body(c, DURIAN, "durian");
    set(b, "trailer_plate", cJSON_CreateString("51C-100.01"));
    refused(c, b, 400, "/trailer_plate");

    /* Limits: 201 goods lines; 9 containers; a description over 512 bytes;
     * an unknown member; a body over the server's 1 MiB. */
    b = good_body(c, DURIAN, "durian");
    for (i = 1; i < 201; i++)
        cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(b, "goods"), line(DURIAN, "durian", 1, 1, 1, "VN"));
    fix_totals(b);
    refused(c, b, 400, "/goods");
    b = good_body(c, DURIAN, "durian");
    cs = cJSON_GetObjectItemCaseSensitive(b, "containers");
    for (i = 1; i < 9; i++) {
        ct = cJSON_CreateObject();
        container_number("TGHU", 700000u + (unsigned)i, cn);
        cJSON_AddStringToObject(ct, "number", cn);
        cJSON_AddItemToArray(cs, ct);
    }
    refused(c, b, 400, "/containers");
    {
        /* 200 characters of Vietnamese are 600 bytes. */
        char desc[700] = "";
        for (i = 0; i < 200; i++) strcat(desc, "ả");
        b = good_body(c, DURIAN, desc);
        refused(c, b, 400, "/goods/0/description");
    }
    b = good_body(c, DURIAN, "durian");
    cJSON_AddStringToObject(b, "priority", "high");
    refused(c, b, 400, "/priority");
    {
        size_t n = 1100 * 1024;
        char *big = malloc(n + 64);
        lp_test_resp r;
        assert_non_null(big);
        memset(big, ' ', n + 63);
        memcpy(big, "{\"number\":\"", 11);
        big[n + 62] = '}';
        big[n + 61] = '"';
        big[n + 63] = '\0';
        r = call(c, "POST", "/api/v1/declarations", c->company_a, big);
        lp_test_assert_problem(&r, 413, NULL);
        lp_test_resp_free(&r);
        free(big);
    }

    /* Only a company files; nothing of the above was stored. */
    b = good_body(c, DURIAN, "durian");
    {
        lp_test_resp r = send_json(c, "POST", "/api/v1/declarations", c->customs, b, NULL);
        lp_test_assert_problem(&r, 403, NULL);
        lp_test_resp_free(&r);
    }
    assert_int_equal(count_declarations(c), before);

    /* The same number twice is a conflict. */
    b = good_body(c, DURIAN, "durian");
    {
        lp_test_resp r = filed(c, cJSON_Duplicate(b, 1));
        lp_test_resp_free(&r);
    }
    refused(c, b, 409, "/number");
}

static void test_three_mistakes_at_once(void **state)
{
    ctx *c = *state;
    cJSON *b = good_body(c, "0810.9O.10", "durian"); /* letter O for zero */
    cJSON *ct = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "containers"), 0);
    lp_test_resp r;

    cJSON_ReplaceItemInObjectCaseSensitive(ct, "number", cJSON_CreateString("CSQU3054384"));
    set(b, "vehicle_id", cJSON_CreateNumber(987654));
    r = send_json(c, "POST", "/api/v1/declarations", c->company_a, b, NULL);
    lp_test_assert_problem(&r, 400, "/containers/0/number");
    lp_test_assert_problem(&r, 400, "/goods/0/hs_code");
    lp_test_assert_problem(&r, 400, "/vehicle_id");
    /* Each once: a wrong field is not also reported by the rules behind it. */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "errors")), 3);
    lp_test_resp_free(&r);

    /* A wrong type and an unknown check digit in the same body, plus a
     * missing member: three pointers. */
    b = good_body(c, DURIAN, "durian");
    ct = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "containers"), 0);
    cJSON_ReplaceItemInObjectCaseSensitive(ct, "number", cJSON_CreateString("MSKU1234566"));
    set_line(b, 0, "packages", cJSON_CreateString("1200"));
    cJSON_DeleteItemFromObjectCaseSensitive(b, "currency");
    r = send_json(c, "POST", "/api/v1/declarations", c->company_a, b, NULL);
    lp_test_assert_problem(&r, 400, "/containers/0/number");
    lp_test_assert_problem(&r, 400, "/goods/0/packages");
    lp_test_assert_problem(&r, 400, "/currency");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "errors")), 3);
    lp_test_resp_free(&r);
}

/* Risk ---------------------------------------------------------------------- */

static void test_risk_rules_and_replay(void **state)
{
    ctx *c = *state;
    cJSON *b = good_body(c, LEMONS, "Chanh tươi (fresh lemons)");
    const cJSON *risk, *m, *st, *rp;
    char path[96];
    lp_test_resp r;
    long id;
    int i;

    r = filed(c, b);
    id = lp_test_jint(r.json, "id");
    assert_string_equal(lp_test_jstr(r.json, "channel"), "red");
    risk = cJSON_GetObjectItemCaseSensitive(r.json, "risk");
    assert_int_equal(lp_test_jint(risk, "decided_by"), 1);
    m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(risk, "matches"), 0);
    assert_int_equal(lp_test_jint(m, "rule_id"), 1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "fired")));
    assert_non_null(strstr(lp_test_jstr(risk, "explanation"), "rule 1"));
    expect_task(r.json, "physical_check", "pending");
    assert_null(task(r.json, "risk_release"));
    lp_test_resp_free(&r);

    decl_path(path, sizeof path, id, "/risk");
    r = call(c, "GET", path, c->customs, NULL);
    lp_test_expect(&r, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "same_channel")));
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(r.json, "replay"), "channel"), "red");
    lp_test_resp_free(&r);
    r = call(c, "GET", path, c->company_a, NULL);
    lp_test_assert_problem(&r, 403, NULL);
    lp_test_resp_free(&r);

    /* A rule with probability 500: whatever the draw, the replay draws the
     * same from the stored seed. */
    for (i = 0; i < 6; i++) {
        b = good_body(c, MACHINE, "Máy tính xách tay (laptops)");
        set_line(b, 0, "origin", cJSON_CreateString("CN"));
        r = filed(c, b);
        id = lp_test_jint(r.json, "id");
        lp_test_resp_free(&r);
        decl_path(path, sizeof path, id, "/risk");
        r = call(c, "GET", path, c->g.srv.admin, NULL);
        lp_test_expect(&r, 200);
        assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "same_channel")));
        st = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r.json, "stored"), "matches"), 0);
        rp = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r.json, "replay"), "matches"), 0);
        assert_int_equal(lp_test_jint(st, "rule_id"), 2);
        assert_int_equal(lp_test_jint(st, "draw"), lp_test_jint(rp, "draw"));
        assert_int_equal(lp_test_jint(cJSON_GetObjectItemCaseSensitive(r.json, "stored"), "random_draw"),
                         lp_test_jint(cJSON_GetObjectItemCaseSensitive(r.json, "replay"), "random_draw"));
        lp_test_resp_free(&r);
    }
}

/* Amendments ------------------------------------------------------------------ */

static lp_test_resp amend(ctx *c, long id, const char *token, cJSON *patch, const char *reason)
{
    char path[96], hdr[600];
    const char *const with[] = {hdr, NULL};
    decl_path(path, sizeof path, id, NULL);
    snprintf(hdr, sizeof hdr, "X-Reason: %s", reason ? reason : "");
    return send_json(c, "PATCH", path, token, patch, reason ? with : NULL);
}

static void test_amend(void **state)
{
    ctx *c = *state;
    cJSON *b = good_body(c, DURIAN, "Sầu riêng tươi"), *goods, *p;
    char seed[20], path[96];
    const cJSON *it;
    lp_test_resp r;
    long id;

    r = filed(c, cJSON_Duplicate(b, 1));
    id = lp_test_jint(r.json, "id");
    snprintf(seed, sizeof seed, "%s", lp_test_jstr(r.json, "risk_seed"));
    assert_string_equal(lp_test_jstr(r.json, "channel"), "green");
    lp_test_resp_free(&r);

    /* X-Reason is required. */
    p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "trailer_plate", "29R-012.35");
    r = amend(c, id, c->company_a, p, NULL);
    lp_test_assert_problem(&r, 400, "X-Reason");
    lp_test_resp_free(&r);
    /* The number is fixed; the whole result is checked (totals now disagree). */
    p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "number", "301234567890");
    r = amend(c, id, c->company_a, p, "typo");
    lp_test_assert_problem(&r, 400, "/number");
    lp_test_resp_free(&r);
    goods = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(b, "goods"), 1);
    cJSON_AddItemToArray(goods, line(LEMONS, "Chanh tươi", 10, 200, 3000000, "VN"));
    p = cJSON_CreateObject();
    cJSON_AddItemToObject(p, "goods", goods);
    r = amend(c, id, c->company_a, cJSON_Duplicate(p, 1), "forgot a line");
    lp_test_assert_problem(&r, 400, "/totals/packages");
    lp_test_resp_free(&r);
    /* Another company cannot. */
    r = amend(c, id, c->company_b, cJSON_Duplicate(p, 1), "not mine");
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);

    /* With totals: the lemon line brings rule 1, the channel goes up. */
    set(b, "goods", cJSON_Duplicate(goods, 1));
    fix_totals(b);
    cJSON_AddItemToObject(p, "totals", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(b, "totals"), 1));
    r = amend(c, id, c->company_a, p, "forgot the lemons");
    lp_test_expect(&r, 200);
    assert_int_equal(lp_test_jint(r.json, "amendments"), 1);
    assert_string_equal(lp_test_jstr(r.json, "risk_seed"), seed);
    assert_string_equal(lp_test_jstr(r.json, "channel"), "red");
    assert_string_equal(lp_test_jstr(r.json, "status"), "pending");
    expect_task(r.json, "physical_check", "pending");
    expect_task(r.json, "risk_release", "approved");
    lp_test_resp_free(&r);

    /* Taking the lemons out again never lowers the channel. */
    set(b, "goods", cJSON_CreateArray());
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(b, "goods"), line(DURIAN, "Sầu riêng tươi", 1200, 18500.5, 1250000000, "VN"));
    fix_totals(b);
    p = cJSON_CreateObject();
    cJSON_AddItemToObject(p, "goods", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(b, "goods"), 1));
    cJSON_AddItemToObject(p, "totals", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(b, "totals"), 1));
    r = amend(c, id, c->company_a, p, "lemons go on another truck");
    lp_test_expect(&r, 200);
    assert_int_equal(lp_test_jint(r.json, "amendments"), 2);
    assert_string_equal(lp_test_jstr(r.json, "risk_seed"), seed);
    assert_string_equal(lp_test_jstr(r.json, "channel"), "red");
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(r.json, "risk"), "channel"), "green");
    lp_test_resp_free(&r);

    /* The history: who, when, why, what changed. */
    decl_path(path, sizeof path, id, "/amendments");
    r = call(c, "GET", path, c->company_a, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 2);
    it = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "items"), 0);
    assert_string_equal(lp_test_jstr(it, "reason"), "forgot the lemons");
    assert_string_equal(lp_test_jstr(it, "role"), "company");
    assert_non_null(strstr(lp_test_jstr(it, "by"), "company"));
    assert_non_null(lp_test_jstr(it, "at"));
    assert_int_equal(lp_test_jint(it, "amendment"), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(it, "before"), "goods")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(it, "after"), "goods")), 2);
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(it, "after"), "channel"), "red");
    assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(it, "after"), "number"));
    lp_test_resp_free(&r);
    r = call(c, "GET", path, c->company_b, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);
    r = call(c, "GET", path, c->customs, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    cJSON_Delete(b);
}

static void test_amend_adds_quarantine_and_checks_crew(void **state)
{
    ctx *c = *state;
    cJSON *b = good_body(c, "8471.30.20", "Laptops"), *p;
    lp_test_resp r;
    long id;

    r = filed(c, cJSON_Duplicate(b, 1));
    id = lp_test_jint(r.json, "id");
    assert_string_equal(lp_test_jstr(r.json, "status"), "cleared");
    assert_null(task(r.json, "quarantine_check"));
    lp_test_resp_free(&r);

    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(b, "goods"), line(DURIAN, "Sầu riêng", 5, 50, 1000000, "VN"));
    fix_totals(b);
    p = cJSON_CreateObject();
    cJSON_AddItemToObject(p, "goods", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(b, "goods"), 1));
    cJSON_AddItemToObject(p, "totals", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(b, "totals"), 1));
    r = amend(c, id, c->company_a, p, "added durian");
    lp_test_expect(&r, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "needs_quarantine")));
    expect_task(r.json, "quarantine_check", "pending");
    assert_string_equal(lp_test_jstr(r.json, "status"), "pending");
    lp_test_resp_free(&r);

    /* References are checked again: another truck of the company is fine,
     * a driver with an expired licence is not. */
    p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "vehicle_id", (double)c->truck_a2);
    r = amend(c, id, c->company_a, p, "other truck");
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "vehicle_plate"), "51C-100.02");
    lp_test_resp_free(&r);
    p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "driver_id", (double)c->driver_expired);
    r = amend(c, id, c->company_a, p, "other driver");
    lp_test_assert_problem(&r, 400, "/driver_id");
    lp_test_resp_free(&r);
    cJSON_Delete(b);
}

/* Cancel and override ---------------------------------------------------------- */

static void test_cancel(void **state)
{
    ctx *c = *state;
    char path[96];
    lp_test_resp r;
    const cJSON *t;
    long id, id2;

    r = filed(c, good_body(c, DURIAN, "durian"));
    id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    decl_path(path, sizeof path, id, "/cancel");
    r = call(c, "POST", path, c->company_a, "{}");
    lp_test_assert_problem(&r, 400, "/reason");
    lp_test_resp_free(&r);
    r = call(c, "POST", path, c->company_a, "{\"reason\":\"    \"}");
    lp_test_assert_problem(&r, 400, "/reason");
    lp_test_resp_free(&r);
    r = call(c, "POST", path, c->company_b, "{\"reason\":\"not mine\"}");
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);
    r = call(c, "POST", path, c->guard, "{\"reason\":\"border guard cannot\"}");
    lp_test_assert_problem(&r, 403, NULL);
    lp_test_resp_free(&r);

    r = call(c, "POST", path, c->company_a, "{\"reason\":\"Shipment postponed by the buyer\"}");
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "status"), "cancelled");
    expect_task(r.json, "quarantine_check", "cancelled");
    expect_task(r.json, "risk_release", "approved"); /* decided tasks stay as they were */
    t = task(r.json, "quarantine_check");
    assert_non_null(strstr(lp_test_jstr(t, "reason"), "Shipment postponed"));
    lp_test_resp_free(&r);
    r = call(c, "POST", path, c->company_a, "{\"reason\":\"again\"}");
    lp_test_assert_problem(&r, 409, NULL);
    lp_test_resp_free(&r);
    r = amend(c, id, c->company_a, cJSON_Parse("{\"trailer_plate\":null}"), "too late");
    lp_test_assert_problem(&r, 409, NULL);
    lp_test_resp_free(&r);

    /* Customs may cancel any company's declaration. */
    r = filed(c, good_body(c, DURIAN, "durian"));
    id2 = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    decl_path(path, sizeof path, id2, "/cancel");
    r = call(c, "POST", path, c->customs, "{\"reason\":\"Declarant asked by phone; ticket 4411\"}");
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "status"), "cancelled");
    lp_test_resp_free(&r);
}

static void test_override(void **state)
{
    ctx *c = *state;
    char path[96], q[160];
    lp_test_resp r;
    const cJSON *t, *ev;
    long id;

    r = filed(c, good_body(c, "8471.30.20", "Laptops"));
    id = lp_test_jint(r.json, "id");
    assert_string_equal(lp_test_jstr(r.json, "status"), "cleared");
    lp_test_resp_free(&r);
    decl_path(path, sizeof path, id, "/channel");

    r = call(c, "POST", path, c->company_a, "{\"channel\":\"green\",\"reason\":\"please\"}");
    lp_test_assert_problem(&r, 403, NULL);
    lp_test_resp_free(&r);
    r = call(c, "POST", path, c->customs, "{\"channel\":\"red\"}");
    lp_test_assert_problem(&r, 400, "/reason");
    lp_test_resp_free(&r);
    r = call(c, "POST", path, c->customs, "{\"channel\":\"purple\",\"reason\":\"x-ray\"}");
    lp_test_assert_problem(&r, 400, "/channel");
    lp_test_resp_free(&r);
    r = call(c, "POST", path, c->customs, "{\"channel\":\"green\",\"reason\":\"already green\"}");
    lp_test_assert_problem(&r, 409, NULL);
    lp_test_resp_free(&r);

    /* Up: a physical check opens and the declaration waits for it. */
    r = call(c, "POST", path, c->customs, "{\"channel\":\"red\",\"reason\":\"Intelligence report on this consignee\"}");
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "channel"), "red");
    assert_string_equal(lp_test_jstr(r.json, "channel_source"), "override");
    assert_string_equal(lp_test_jstr(r.json, "status"), "pending");
    expect_task(r.json, "physical_check", "pending");
    lp_test_resp_free(&r);
    /* Down: the open check is closed by the officer; cleared again. */
    r = call(c, "POST", path, c->customs, "{\"channel\":\"green\",\"reason\":\"Report withdrawn\"}");
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "channel"), "green");
    assert_string_equal(lp_test_jstr(r.json, "status"), "cleared");
    t = task(r.json, "physical_check");
    assert_string_equal(lp_test_jstr(t, "state"), "approved");
    assert_string_equal(lp_test_jstr(t, "decided_by"), "test-customs");
    assert_non_null(strstr(lp_test_jstr(t, "reason"), "Report withdrawn"));
    lp_test_resp_free(&r);

    /* Both overrides are audit events with their reasons. */
    snprintf(q, sizeof q, "/api/v1/audit-events?object_type=declaration&object_id=%ld&action=declaration.override", id);
    r = call(c, "GET", q, c->g.srv.admin, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 2);
    ev = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "items"), 0);
    assert_string_equal(lp_test_jstr(ev, "reason"), "Intelligence report on this consignee");
    assert_string_equal(lp_test_jstr(ev, "actor"), "test-customs");
    lp_test_resp_free(&r);

    /* An override to a lower channel stands through an amendment that does
     * not make the risk run stricter (same seed, same red verdict). */
    r = filed(c, good_body(c, LEMONS, "Chanh tươi"));
    id = lp_test_jint(r.json, "id");
    assert_string_equal(lp_test_jstr(r.json, "channel"), "red");
    lp_test_resp_free(&r);
    decl_path(path, sizeof path, id, "/channel");
    r = call(c, "POST", path, c->customs, "{\"channel\":\"green\",\"reason\":\"Inspected at origin, certificate 118\"}");
    lp_test_expect(&r, 200);
    expect_task(r.json, "physical_check", "approved");
    lp_test_resp_free(&r);
    r = amend(c, id, c->company_a, cJSON_Parse("{\"trailer_plate\":\"29R-012.36\"}"), "trailer changed");
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "channel"), "green");
    assert_string_equal(lp_test_jstr(r.json, "channel_source"), "override");
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(r.json, "risk"), "channel"), "red");
    lp_test_resp_free(&r);
}

/* Lists and scope ----------------------------------------------------------------- */

static void test_list_and_scope(void **state)
{
    ctx *c = *state;
    cJSON *b = good_body(c, DURIAN, "durian");
    char num[16], q[160];
    const cJSON *it;
    lp_test_resp r;
    long id_b;

    /* Company B files with its own truck and driver. */
    set(b, "vehicle_id", cJSON_CreateNumber((double)c->truck_b));
    set(b, "driver_id", cJSON_CreateNumber((double)c->driver_b));
    snprintf(num, sizeof num, "%s", lp_test_jstr(b, "number"));
    r = send_json(c, "POST", "/api/v1/declarations", c->company_b, b, NULL);
    lp_test_expect(&r, 201);
    id_b = lp_test_jint(r.json, "id");
    assert_int_equal(lp_test_jint(r.json, "company_id"), c->b);
    lp_test_resp_free(&r);

    r = call(c, "GET", "/api/v1/declarations?limit=500", c->company_a, NULL);
    lp_test_expect(&r, 200);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")) > 3);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r.json, "items"))
        assert_int_equal(lp_test_jint(it, "company_id"), c->a);
    lp_test_resp_free(&r);
    snprintf(q, sizeof q, "/api/v1/declarations/%ld", id_b);
    r = call(c, "GET", q, c->company_a, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);

    /* Filters, with identifiers written any accepted way. */
    snprintf(q, sizeof q, "/api/v1/declarations?number=%.4s-%s", num, num + 4);
    r = call(c, "GET", q, c->customs, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 1);
    lp_test_resp_free(&r);
    r = call(c, "GET", q, c->company_a, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 0);
    lp_test_resp_free(&r);
    r = call(c, "GET", "/api/v1/declarations?vehicle_plate=51C10003&channel=green&limit=500", c->customs, NULL);
    lp_test_expect(&r, 200);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")) >= 1);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r.json, "items"))
        assert_string_equal(lp_test_jstr(it, "vehicle_plate"), "51C-100.03");
    lp_test_resp_free(&r);
    r = call(c, "GET", "/api/v1/declarations?status=cancelled&direction=export&limit=500", c->g.operator, NULL);
    lp_test_expect(&r, 200);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")) >= 2);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r.json, "items"))
        assert_string_equal(lp_test_jstr(it, "status"), "cancelled");
    lp_test_resp_free(&r);
    r = call(c, "GET", "/api/v1/declarations?company_id=abc", c->customs, NULL);
    lp_test_assert_problem(&r, 400, "company_id");
    lp_test_resp_free(&r);
    r = call(c, "GET", "/api/v1/declarations", c->guard, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
}

/* Expiry and changed rules (the server is stopped once more) -------------------------- */

static void test_expiry_and_replay_after_rule_change(void **state)
{
    ctx *c = *state;
    char sql[512], path[96];
    lp_test_resp r;
    long old, lemon;

    r = filed(c, good_body(c, DURIAN, "durian"));
    old = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    r = filed(c, good_body(c, LEMONS, "lemons"));
    lemon = lp_test_jint(r.json, "id");
    assert_string_equal(lp_test_jstr(r.json, "channel"), "red");
    lp_test_resp_free(&r);

    snprintf(sql, sizeof sql,
             "UPDATE declarations SET valid_until = 1000 WHERE id = %ld;"
             "UPDATE risk_rules SET enabled = 0 WHERE id = 1;", old);
    with_server_stopped(c, sql);

    decl_path(path, sizeof path, old, NULL);
    r = call(c, "GET", path, c->company_a, NULL);
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "status"), "expired");
    lp_test_resp_free(&r);
    r = call(c, "GET", "/api/v1/declarations?status=expired", c->company_a, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 1);
    assert_int_equal(lp_test_jint(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "items"), 0), "id"), old);
    lp_test_resp_free(&r);
    r = call(c, "GET", "/api/v1/declarations?status=pending&limit=500", c->company_a, NULL);
    lp_test_expect(&r, 200);
    {
        const cJSON *it;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r.json, "items"))
            assert_int_not_equal(lp_test_jint(it, "id"), old);
    }
    lp_test_resp_free(&r);
    r = amend(c, old, c->company_a, cJSON_Parse("{\"trailer_plate\":null}"), "late");
    lp_test_assert_problem(&r, 409, NULL);
    lp_test_resp_free(&r);

    /* The rule that made the lemons red is gone: the replay says so. */
    decl_path(path, sizeof path, lemon, "/risk");
    r = call(c, "GET", path, c->customs, NULL);
    lp_test_expect(&r, 200);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "same_channel")));
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(r.json, "stored"), "channel"), "red");
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(r.json, "replay"), "channel"), "green");
    lp_test_resp_free(&r);
}

/* Runner ---------------------------------------------------------------------------- */

static long vehicle(ctx *c, long company, const char *kind, const char *plate)
{
    char body[256];
    snprintf(body, sizeof body, "{\"company_id\":%ld,\"kind\":\"%s\",\"plate_country\":\"VN\",\"plate\":\"%s\"}", company,
             kind, plate);
    return create(c, "/api/v1/vehicles", c->g.srv.admin, body);
}

static long driver(ctx *c, long company, const char *doc, const char *until)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"company_id\":%ld,\"full_name\":\"Nguyễn Văn An\",\"nationality\":\"VN\",\"document_kind\":\"vn_cccd\","
             "\"document_number\":\"%s\",\"licence_number\":\"LS%s\",\"licence_valid_until\":\"%s\"}",
             company, doc, doc + 6, until);
    return create(c, "/api/v1/drivers", c->g.srv.admin, body);
}

/* Registers a crossing point (text id) as the operator. */
static void point(ctx *c, const char *body)
{
    lp_test_resp r = call(c, "POST", "/api/v1/crossing-points", c->g.operator, body);
    lp_test_expect(&r, 201);
    lp_test_resp_free(&r);
}

static int group_setup(void **state)
{
    ctx *c = lp_test_group_setup(state, sizeof(ctx), "it_declarations");
    char body[512], tax[11], path[64];
    lp_test_resp r;

    /* Known channels: no random minimum; two rules (see the file's head). */
    with_server_stopped(c,
                        "UPDATE settings SET value = '{\"min_yellow_permille\":0,\"min_red_permille\":0}'"
                        " WHERE id = 'risk_policy';"
                        "INSERT INTO risk_rules (name, enabled, hs_prefix, origin, company_id, direction,"
                        " crossing_point_id, min_vnd_per_kg, max_vnd_per_kg, channel, probability, version,"
                        " created_at, updated_at) VALUES"
                        " ('lemons always red', 1, '080550', NULL, NULL, NULL, NULL, NULL, NULL, 'red', 1000, 1, 0, 0),"
                        " ('half of CN machinery', 1, '84', 'CN', NULL, NULL, NULL, NULL, NULL, 'yellow', 500, 1, 0, 0);");

    lp_test_vn_taxid(20, 4242u, tax);
    snprintf(body, sizeof body, "{\"name\":\"Công ty TNHH Bảo Nguyên\",\"country\":\"VN\",\"tax_id\":\"%s\"}", tax);
    c->a = create(c, "/api/v1/companies", c->g.srv.admin, body);
    lp_test_vn_taxid(20, 4343u, tax);
    snprintf(body, sizeof body, "{\"name\":\"Công ty Vận tải Hữu Nghị\",\"country\":\"VN\",\"tax_id\":\"%s\"}", tax);
    c->b = create(c, "/api/v1/companies", c->g.srv.admin, body);

    c->truck_a = vehicle(c, c->a, "truck", "51C-100.01");
    c->truck_a2 = vehicle(c, c->a, "truck", "51C-100.02");
    c->truck_b = vehicle(c, c->b, "truck", "51C-100.03");
    c->truck_off = vehicle(c, c->a, "truck", "51C-100.04");
    c->agv_a = vehicle(c, c->a, "agv", "51C-100.05");
    snprintf(path, sizeof path, "/api/v1/vehicles/%ld", c->truck_off);
    r = call(c, "PATCH", path, c->g.srv.admin, "{\"status\":\"inactive\"}");
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    c->driver_a = driver(c, c->a, "001089012345", "2031-01-31");
    c->driver_b = driver(c, c->b, "001089012346", "2031-01-31");
    c->driver_expired = driver(c, c->a, "001089012347", "2020-01-31");

    point(c, "{\"id\":\"it-closed\",\"gate_pair_id\":\"huu-nghi\",\"name\":\"Closed lane\",\"kind\":\"lane\","
           "\"markers\":\"1092\",\"directions\":[\"export\",\"import\"],\"lanes\":1,"
           "\"opening_hours\":[{\"open\":\"08:00\",\"close\":\"17:00\"}],\"capacity_per_hour\":10,\"status\":\"closed\"}");
    point(c, "{\"id\":\"it-import-only\",\"gate_pair_id\":\"huu-nghi\",\"name\":\"Import lane\",\"kind\":\"lane\","
           "\"markers\":\"1093\",\"directions\":[\"import\"],\"lanes\":1,"
           "\"opening_hours\":[{\"open\":\"08:00\",\"close\":\"17:00\"}],\"capacity_per_hour\":10,\"status\":\"open\"}");

    c->company_a = lp_test_token(&c->g.srv, "company", c->a);
    c->company_b = lp_test_token(&c->g.srv, "company", c->b);
    c->customs = lp_test_token(&c->g.srv, "customs", 0);
    c->guard = lp_test_token(&c->g.srv, "border_guard", 0);
    return 0;
}

static int group_teardown(void **state)
{
    ctx *c = *state;
    if (c) {
        free(c->company_a);
        free(c->company_b);
        free(c->customs);
        free(c->guard);
    }
    return lp_test_group_teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_valid),
        cmocka_unit_test(test_file_foreign_currency_and_agv),
        cmocka_unit_test(test_each_rule),
        cmocka_unit_test(test_three_mistakes_at_once),
        cmocka_unit_test(test_risk_rules_and_replay),
        cmocka_unit_test(test_amend),
        cmocka_unit_test(test_amend_adds_quarantine_and_checks_crew),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_list_and_scope),
        cmocka_unit_test(test_expiry_and_replay_after_rule_change),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/* it_gate.c - the automatic gate against the real landport server: gate
 * passages and the barrier decision (open on a full match with every
 * approval; hold with the precise reasons and an exception task otherwise),
 * the officer's approval of an exception, exit at km 0 with the handover
 * record, crossing records as the partner side sees them, KPIs, and who may
 * do what.  Declarations, tasks and crossing records are written straight
 * into the SQLite file while the server is stopped (filing is tested with
 * its own handlers), so these tests depend only on the gate. */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POINT "huunghi-main"
#define HOUR_MS (3600 * 1000LL)

typedef struct ctx {
    lp_test_server srv;
    char *device, *company, *company_b, *border_guard, *operator, *customs, *partner;
    long company_a, company_b_id;
    char containers[8][12]; /* valid ISO 6346 numbers, one or two per declaration */
    long long t_filed;      /* when the prepared declarations were filed (ms) */
} ctx;

/* The declaration numbers of the prepared declarations. */
#define D_GREEN "100000000001"
#define D_SEAL "100000000002"
#define D_PLATE "100000000003"
#define D_QUAR "100000000004"
#define D_OTHER "100000000005"

/* Setup: the database ---------------------------------------------------------- */

/* ISO 6346: owner code and category (4 letters) + 6 digits, then the check
 * digit. */
static void container_number(const char *owner, int serial, char out[12])
{
    static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    long sum = 0, weight = 1;
    int i;
    snprintf(out, 12, "%.4s%06d", owner, serial);
    for (i = 0; i < 10; i++, weight *= 2) {
        int v;
        if (out[i] >= '0' && out[i] <= '9') {
            v = out[i] - '0';
        } else {
            int k = (int)(strchr(letters, out[i]) - letters);
            v = 10 + k + (k >= 1) + (k >= 11) + (k >= 21); /* skipping 11, 22, 33 */
        }
        sum += v * weight;
    }
    out[10] = (char)('0' + sum % 11 % 10);
    out[11] = '\0';
}

static void sql_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        print_error("SQL failed: %s\n%s\n", msg ? msg : "?", sql);
        sqlite3_free(msg);
        fail();
    }
}

static sqlite3 *open_db(ctx *c)
{
    sqlite3 *db = NULL;
    const char *path = strncmp(c->srv.db, "sqlite:", 7) == 0 ? c->srv.db + 7 : c->srv.db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

/* Inserts a declaration as filing leaves it (status, channel, containers
 * JSON, totals), its crossing record and its tasks ("agency/kind/state",
 * NULL-terminated). */
static void insert_declaration(ctx *c, sqlite3 *db, long company, const char *number, const char *plate,
                               const char *trailer, const char *status, const char *containers, const char *const *tasks)
{
    char sql[4096], trailer_sql[64], cleared_sql[32];
    long long filed = c->t_filed;

    if (trailer) snprintf(trailer_sql, sizeof trailer_sql, "'%s'", trailer);
    else snprintf(trailer_sql, sizeof trailer_sql, "NULL");
    /* Cleared an hour after filing, when it is. */
    if (strcmp(status, "cleared") == 0) snprintf(cleared_sql, sizeof cleared_sql, "%lld", filed + HOUR_MS);
    else snprintf(cleared_sql, sizeof cleared_sql, "NULL");
    snprintf(sql, sizeof sql,
             "INSERT INTO declarations (company_id, number, direction, crossing_point_id, transport, vehicle_plate,"
             " trailer_plate, expected_arrival, currency, containers, goods, totals, status, channel, channel_source,"
             " risk_seed, risk_algo, risk, needs_quarantine, valid_until, amendments, version, created_at, updated_at)"
             " VALUES (%ld, '%s', 'export', '" POINT "', 'truck', '%s', %s, %lld, 'USD', '%s',"
             " '[{\"hs_code\":\"08109010\",\"description\":\"Fresh durian\",\"packages\":1200,"
             "\"gross_weight_kg\":24000.5,\"value\":48000,\"origin\":\"VN\"}]',"
             " '{\"packages\":1200,\"gross_weight_kg\":24000.5,\"value\":48000}', '%s', 'green', 'risk',"
             " 'seed-%s', 1, '{}', %d, %lld, 0, 1, %lld, %lld);"
             "INSERT INTO crossings (declaration_id, company_id, crossing_point_id, direction, channel, filed_at,"
             " cleared_at, version, created_at, updated_at)"
             " SELECT id, company_id, crossing_point_id, direction, channel, %lld, %s, 1, %lld, %lld"
             " FROM declarations WHERE number = '%s';",
             company, number, plate, trailer_sql, filed + 4 * HOUR_MS, containers, status, number,
             strcmp(status, "pending") == 0, filed + 72 * HOUR_MS, filed, filed, filed, cleared_sql, filed, filed,
             number);
    sql_exec(db, sql);
    for (; tasks && *tasks; tasks++) {
        char agency[32], kind[48], state[16];
        assert_int_equal(sscanf(*tasks, "%31[^/]/%47[^/]/%15s", agency, kind, state), 3);
        snprintf(sql, sizeof sql,
                 "INSERT INTO tasks (declaration_id, company_id, agency, kind, state, details, version, created_at,"
                 " updated_at) SELECT id, company_id, '%s', '%s', '%s', '{}', 1, %lld, %lld FROM declarations"
                 " WHERE number = '%s'",
                 agency, kind, state, filed, filed, number);
        sql_exec(db, sql);
    }
}

/* containers JSON for numbers a, b (b may be NULL) with two seals each. */
static void containers_json(char *out, size_t n, const char *a, const char *sa, const char *b, const char *sb)
{
    if (b)
        snprintf(out, n, "[{\"number\":\"%s\",\"seals\":[\"%s-1\",\"%s-2\"]},{\"number\":\"%s\",\"seals\":[\"%s-1\",\"%s-2\"]}]",
                 a, sa, sa, b, sb, sb);
    else
        snprintf(out, n, "[{\"number\":\"%s\",\"seals\":[\"%s-1\",\"%s-2\"]}]", a, sa, sa);
}

static void prepare_declarations(ctx *c)
{
    static const char *const approved[] = {"customs/risk_release/approved",
                                           "border_guard/vehicle_driver_check/approved", NULL};
    static const char *const quarantine[] = {"customs/risk_release/approved",
                                             "border_guard/vehicle_driver_check/approved",
                                             "quarantine/quarantine_check/pending", NULL};
    sqlite3 *db = open_db(c);
    char js[512];

    sql_exec(db, "BEGIN");
    containers_json(js, sizeof js, c->containers[0], "VNSEAL101", c->containers[1], "VNSEAL102");
    insert_declaration(c, db, c->company_a, D_GREEN, "29C-123.45", "29R-012.34", "cleared", js, approved);
    containers_json(js, sizeof js, c->containers[2], "VNSEAL201", c->containers[3], "VNSEAL202");
    insert_declaration(c, db, c->company_a, D_SEAL, "29C-222.22", NULL, "cleared", js, approved);
    containers_json(js, sizeof js, c->containers[4], "VNSEAL301", NULL, NULL);
    insert_declaration(c, db, c->company_a, D_PLATE, "29C-333.33", NULL, "cleared", js, approved);
    containers_json(js, sizeof js, c->containers[5], "VNSEAL401", NULL, NULL);
    insert_declaration(c, db, c->company_a, D_QUAR, "29C-444.44", NULL, "pending", js, quarantine);
    containers_json(js, sizeof js, c->containers[6], "VNSEAL501", NULL, NULL);
    insert_declaration(c, db, c->company_b_id, D_OTHER, "51C-555.55", NULL, "cleared", js, approved);
    sql_exec(db, "COMMIT");
    sqlite3_close(db);
}

/* A text cell of the first row of sql on the server's database ("" if
 * none; NULL cells are "NULL").  The server may run: SQLite in WAL mode
 * lets this reader in. */
static void db_text(ctx *c, const char *sql, char *out, size_t n)
{
    sqlite3 *db = open_db(c);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    out[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(out, n, "%s", t ? (const char *)t : "NULL");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static long db_long(ctx *c, const char *sql)
{
    char buf[64];
    db_text(c, sql, buf, sizeof buf);
    return strtol(buf, NULL, 10);
}

static long decl_id(ctx *c, const char *number)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id FROM declarations WHERE number = '%s'", number);
    return db_long(c, sql);
}

static void decl_status(ctx *c, const char *number, char out[32])
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT status FROM declarations WHERE number = '%s'", number);
    db_text(c, sql, out, 32);
}

/* Helpers ------------------------------------------------------------------------ */

static lp_test_resp call(ctx *c, const char *method, const char *path, const char *token, const char *body)
{
    return lp_test_http(&c->srv, method, path, token, body, NULL);
}

static void expect_status(ctx *c, const char *method, const char *path, const char *token, const char *body,
                          long status, const char *pointer)
{
    lp_test_resp r = call(c, method, path, token, body);
    if (status >= 400) lp_test_assert_problem(&r, status, pointer);
    else lp_test_expect(&r, status);
    lp_test_resp_free(&r);
}

/* A passage body: lane 1, plate (and trailer, if any) at confidence 960,
 * the containers at 930, the seals given as a JSON array text. */
static void passage_body(char *out, size_t n, const char *plate, const char *trailer, const char *c1, const char *c2,
                         const char *seals)
{
    char tr[96] = "", cs[160];
    if (trailer) snprintf(tr, sizeof tr, "\"trailer_plate\":{\"text\":\"%s\",\"confidence\":955},", trailer);
    if (c2) snprintf(cs, sizeof cs, "[{\"number\":\"%s\",\"confidence\":930},{\"number\":\"%s\",\"confidence\":925}]", c1, c2);
    else if (c1) snprintf(cs, sizeof cs, "[{\"number\":\"%s\",\"confidence\":930}]", c1);
    else snprintf(cs, sizeof cs, "[]");
    snprintf(out, n,
             "{\"crossing_point_id\":\"" POINT "\",\"lane\":1,\"plate\":{\"text\":\"%s\",\"confidence\":960},%s"
             "\"containers\":%s,\"seals\":%s,\"gross_weight_kg\":38120.5}",
             plate, tr, cs, seals);
}

/* Posts a passage as the device; asserts 201 and the decision. */
static lp_test_resp post_passage(ctx *c, const char *body, const char *decision)
{
    lp_test_resp r = call(c, "POST", "/api/v1/gate-passages", c->device, body);
    lp_test_expect(&r, 201);
    if (strcmp(lp_test_jstr(r.json, "decision"), decision) != 0)
        fail_msg("expected decision %s: %s", decision, r.body);
    assert_string_equal(lp_test_jstr(r.json, "barrier"), strcmp(decision, "open") == 0 ? "open" : "closed");
    return r;
}

/* The reason with code in the answer's reasons, or NULL. */
static const cJSON *reason(const lp_test_resp *r, const char *code)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r->json, "reasons")) {
        const char *s = lp_test_jstr(it, "code");
        if (s && strcmp(s, code) == 0) return it;
    }
    return NULL;
}

static void expect_reason(const lp_test_resp *r, const char *code, const char *agency, const char *needle)
{
    const cJSON *it = reason(r, code);
    if (!it) fail_msg("no reason %s in %s", code, r->body);
    if (agency) assert_string_equal(lp_test_jstr(it, "agency"), agency);
    if (needle && !strstr(lp_test_jstr(it, "message"), needle))
        fail_msg("reason %s does not mention %s: %s", code, needle, r->body);
}

static void exit_path(ctx *c, const char *number, char *out, size_t n)
{
    snprintf(out, n, "/api/v1/declarations/%ld/exit", decl_id(c, number));
}

/* The green truck: everything matches -------------------------------------------- */

static void test_green_opens_then_exits(void **state)
{
    ctx *c = *state;
    char body[1024], path[96], st[32], q[160];
    lp_test_resp r;
    const cJSON *decl, *cross, *h, *items;
    long id = decl_id(c, D_GREEN), passage;

    /* Cameras write plates their own way: "29C 123.45" is 29C-123.45. */
    passage_body(body, sizeof body, "29C 123.45", "29R-01234", c->containers[0], c->containers[1],
                 "[\"VNSEAL102-2\",\"VNSEAL101-1\",\"VNSEAL102-1\",\"VNSEAL101-2\"]");
    r = post_passage(c, body, "open");
    assert_int_equal(lp_test_jint(r.json, "declaration_id"), id);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "reasons")), 0);
    assert_string_equal(lp_test_jstr(r.json, "matched_by"), "plate");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r.json, "exception_task_id")));
    passage = lp_test_jint(cJSON_GetObjectItemCaseSensitive(r.json, "passage"), "id");
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(r.json, "passage"), "device"), "gate-device");
    lp_test_resp_free(&r);
    decl_status(c, D_GREEN, st);
    assert_string_equal(st, "gate_open");
    snprintf(q, sizeof q, "SELECT gate_open_at IS NOT NULL FROM crossings WHERE declaration_id = %ld", id);
    assert_int_equal(db_long(c, q), 1);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM audit_events WHERE action = 'declaration.gate_open' AND object_id = '%ld'", id);
    assert_int_equal(db_long(c, q), 1);

    /* The barrier command, as the lane's controller follows it. */
    snprintf(q, sizeof q, "/api/v1/gate-passages?crossing_point_id=" POINT "&lane=1&cursor=%ld", passage - 1);
    r = call(c, "GET", q, c->device, NULL);
    lp_test_expect(&r, 200);
    items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
    assert_true(cJSON_GetArraySize(items) >= 1);
    assert_int_equal(lp_test_jint(cJSON_GetArrayItem(items, 0), "id"), passage);
    assert_string_equal(lp_test_jstr(cJSON_GetArrayItem(items, 0), "barrier"), "open");
    lp_test_resp_free(&r);

    /* Passing the gate again finds no declaration to act on. */
    r = post_passage(c, body, "hold");
    expect_reason(&r, "NO_DECLARATION", NULL, NULL);
    lp_test_resp_free(&r);

    /* Exit at km 0: device or border guard only; then once. */
    exit_path(c, D_GREEN, path, sizeof path);
    expect_status(c, "POST", path, c->company, NULL, 403, NULL);
    expect_status(c, "POST", path, c->operator, NULL, 403, NULL);
    expect_status(c, "POST", path, c->customs, NULL, 403, NULL);
    r = call(c, "POST", path, c->border_guard, NULL);
    lp_test_expect(&r, 200);
    decl = cJSON_GetObjectItemCaseSensitive(r.json, "declaration");
    cross = cJSON_GetObjectItemCaseSensitive(r.json, "crossing");
    assert_string_equal(lp_test_jstr(decl, "status"), "exited");
    assert_non_null(lp_test_jstr(cross, "exit_at"));
    assert_non_null(lp_test_jstr(cross, "gate_open_at"));
    assert_non_null(lp_test_jstr(cross, "cleared_at"));
    h = cJSON_GetObjectItemCaseSensitive(cross, "handover");
    assert_string_equal(lp_test_jstr(h, "declaration_number"), D_GREEN);
    assert_string_equal(lp_test_jstr(h, "direction"), "export");
    assert_string_equal(lp_test_jstr(h, "crossing_point_id"), POINT);
    assert_string_equal(lp_test_jstr(h, "vehicle_plate"), "29C-123.45");
    assert_string_equal(lp_test_jstr(h, "trailer_plate"), "29R-012.34");
    assert_string_equal(lp_test_jstr(h, "channel"), "green");
    assert_string_equal(lp_test_jstr(h, "exit_at"), lp_test_jstr(cross, "exit_at"));
    assert_string_equal(lp_test_jstr(h, "gate_open_at"), lp_test_jstr(cross, "gate_open_at"));
    assert_string_equal(lp_test_jstr(h, "cleared_at"), lp_test_jstr(cross, "cleared_at"));
    {
        const cJSON *c0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(h, "containers"), 0);
        const cJSON *g0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(h, "goods"), 0);
        assert_string_equal(lp_test_jstr(c0, "number"), c->containers[0]);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(c0, "seals")), 2);
        assert_string_equal(lp_test_jstr(g0, "hs_code"), "08109010");
        assert_int_equal(lp_test_jint(g0, "packages"), 1200);
        assert_null(cJSON_GetObjectItemCaseSensitive(g0, "value")); /* no commercial values */
        assert_int_equal(lp_test_jint(cJSON_GetObjectItemCaseSensitive(h, "totals"), "packages"), 1200);
    }
    lp_test_resp_free(&r);
    decl_status(c, D_GREEN, st);
    assert_string_equal(st, "exited");
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM audit_events WHERE action = 'crossing.exit'");
    assert_int_equal(db_long(c, q), 1);
    expect_status(c, "POST", path, c->border_guard, NULL, 409, NULL);
}

/* Seals that differ: hold, one exception task, the officer decides ---------------- */

static void test_seal_mismatch_holds_until_officer_approves(void **state)
{
    ctx *c = *state;
    char body[1024], path[96], st[32], q[200];
    lp_test_resp r;
    long id = decl_id(c, D_SEAL), task;

    /* VNSEAL202-2 was not read; VNSEAL999-9 is on no container. */
    passage_body(body, sizeof body, "29C-222.22", NULL, c->containers[2], c->containers[3],
                 "[\"VNSEAL201-1\",\"VNSEAL201-2\",\"VNSEAL202-1\",\"VNSEAL999-9\"]");
    r = post_passage(c, body, "hold");
    assert_int_equal(lp_test_jint(r.json, "declaration_id"), id);
    expect_reason(&r, "SEAL_MISSING", NULL, "VNSEAL202-2");
    expect_reason(&r, "SEAL_UNEXPECTED", NULL, "VNSEAL999-9");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "reasons")), 2);
    task = lp_test_jint(r.json, "exception_task_id");
    lp_test_resp_free(&r);
    snprintf(q, sizeof q,
             "SELECT agency || '/' || state || '/' || json_extract(details, '$.reasons[0].code') FROM tasks"
             " WHERE id = %ld AND kind = 'gate_exception' AND declaration_id = %ld",
             task, id);
    db_text(c, q, st, sizeof st);
    assert_string_equal(st, "customs/pending/SEAL_MISSING");
    decl_status(c, D_SEAL, st);
    assert_string_equal(st, "pending"); /* its status follows its tasks */

    /* Exit before the gate opened is refused. */
    exit_path(c, D_SEAL, path, sizeof path);
    expect_status(c, "POST", path, c->device, NULL, 409, NULL);

    /* The same truck again: still held, now also for the open exception,
     * and no second exception task. */
    r = post_passage(c, body, "hold");
    expect_reason(&r, "APPROVAL_PENDING", "customs", NULL);
    assert_int_equal(lp_test_jint(r.json, "exception_task_id"), task);
    lp_test_resp_free(&r);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM tasks WHERE kind = 'gate_exception' AND declaration_id = %ld", id);
    assert_int_equal(db_long(c, q), 1);

    /* The customs officer approves the exception as seen: the barrier opens
     * for exactly these readings ... */
    snprintf(path, sizeof path, "/api/v1/tasks/%ld/decision", task);
    expect_status(c, "POST", path, c->customs, "{\"decision\":\"approve\",\"reason\":\"seal replaced at inspection\"}",
                  200, NULL);
    {
        /* ... not for another problem. */
        char other[1024];
        passage_body(other, sizeof other, "29C-222.22", NULL, c->containers[2], c->containers[3],
                     "[\"VNSEAL201-1\",\"VNSEAL201-2\",\"VNSEAL202-1\",\"VNSEAL888-8\"]");
        r = post_passage(c, other, "hold");
        expect_reason(&r, "SEAL_UNEXPECTED", NULL, "VNSEAL888-8");
        assert_int_not_equal(lp_test_jint(r.json, "exception_task_id"), task);
        lp_test_resp_free(&r);
        /* That opened a second exception, which the officer rejects. */
        snprintf(q, sizeof q,
                 "SELECT MAX(id) FROM tasks WHERE kind = 'gate_exception' AND state = 'pending' AND declaration_id = %ld",
                 id);
        snprintf(path, sizeof path, "/api/v1/tasks/%ld/decision", db_long(c, q));
        expect_status(c, "POST", path, c->customs, "{\"decision\":\"reject\",\"reason\":\"unknown seal\"}", 200, NULL);
        /* A rejection holds the truck whatever is read: the declaration is
         * rejected, no longer one the gate acts on. */
        r = post_passage(c, body, "hold");
        expect_reason(&r, "NO_DECLARATION", NULL, NULL);
        lp_test_resp_free(&r);
    }
    decl_status(c, D_SEAL, st);
    assert_string_equal(st, "rejected");
}

/* The approved exception opens the barrier for the readings it listed. */
static void test_approved_exception_opens(void **state)
{
    ctx *c = *state;
    char body[1024], path[96], st[32], q[200];
    lp_test_resp r;
    long id = decl_id(c, D_PLATE), task;

    /* D_PLATE: the ANPR reads 29C-333.38; the declaration is found by its
     * container and the border guard gets the exception. */
    passage_body(body, sizeof body, "29C-333.38", NULL, c->containers[4], NULL, "[\"VNSEAL301-1\",\"VNSEAL301-2\"]");
    r = post_passage(c, body, "hold");
    assert_int_equal(lp_test_jint(r.json, "declaration_id"), id);
    assert_string_equal(lp_test_jstr(r.json, "matched_by"), "container");
    expect_reason(&r, "PLATE_MISMATCH", NULL, "29C-333.38");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "reasons")), 1);
    task = lp_test_jint(r.json, "exception_task_id");
    lp_test_resp_free(&r);
    snprintf(q, sizeof q, "SELECT agency FROM tasks WHERE id = %ld", task);
    db_text(c, q, st, sizeof st);
    assert_string_equal(st, "border_guard");

    /* Customs may not decide the border guard's exception. */
    snprintf(path, sizeof path, "/api/v1/tasks/%ld/decision", task);
    expect_status(c, "POST", path, c->customs, "{\"decision\":\"approve\"}", 403, NULL);
    expect_status(c, "POST", path, c->border_guard, "{\"decision\":\"approve\",\"reason\":\"plate damaged, checked\"}",
                  200, NULL);
    decl_status(c, D_PLATE, st);
    assert_string_equal(st, "cleared");
    r = post_passage(c, body, "open");
    assert_int_equal(lp_test_jint(r.json, "override_task_id"), task);
    expect_reason(&r, "PLATE_MISMATCH", NULL, NULL);
    assert_int_equal(lp_test_jint(reason(&r, "PLATE_MISMATCH"), "overridden_by_task"), task);
    lp_test_resp_free(&r);
    decl_status(c, D_PLATE, st);
    assert_string_equal(st, "gate_open");

    /* The device at km 0 records the exit. */
    exit_path(c, D_PLATE, path, sizeof path);
    expect_status(c, "POST", path, c->device, NULL, 200, NULL);
}

/* No declaration, pending approval ----------------------------------------------- */

static void test_unknown_plate(void **state)
{
    ctx *c = *state;
    char body[1024];
    long before = db_long(c, "SELECT COUNT(*) FROM tasks"), passage;
    lp_test_resp r;

    passage_body(body, sizeof body, "30A-999.99", NULL, NULL, NULL, "[]");
    r = post_passage(c, body, "hold");
    expect_reason(&r, "NO_DECLARATION", NULL, NULL);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r.json, "declaration_id")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r.json, "exception_task_id")));
    passage = lp_test_jint(cJSON_GetObjectItemCaseSensitive(r.json, "passage"), "id");
    lp_test_resp_free(&r);
    {
        char q[128];
        snprintf(q, sizeof q, "SELECT declaration_id IS NULL AND decision = 'hold' FROM gate_passages WHERE id = %ld",
                 passage);
        assert_int_equal(db_long(c, q), 1);
    }
    assert_int_equal(db_long(c, "SELECT COUNT(*) FROM tasks"), before);

    /* A plate in neither format cannot name a declaration either. */
    passage_body(body, sizeof body, "", NULL, NULL, NULL, "[]");
    r = post_passage(c, body, "hold");
    expect_reason(&r, "NO_DECLARATION", NULL, NULL);
    lp_test_resp_free(&r);
}

static void test_pending_quarantine(void **state)
{
    ctx *c = *state;
    char body[1024], path[96];
    lp_test_resp r;

    passage_body(body, sizeof body, "29C-444.44", NULL, c->containers[5], NULL, "[\"VNSEAL401-1\",\"VNSEAL401-2\"]");
    r = post_passage(c, body, "hold");
    expect_reason(&r, "APPROVAL_PENDING", "quarantine", NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "reasons")), 1);
    assert_true(lp_test_jint(r.json, "exception_task_id") > 0);
    lp_test_resp_free(&r);
    exit_path(c, D_QUAR, path, sizeof path);
    expect_status(c, "POST", path, c->border_guard, NULL, 409, NULL);
}

/* Bodies, roles ------------------------------------------------------------------- */

static void test_bad_bodies(void **state)
{
    ctx *c = *state;
    const char *p = "/api/v1/gate-passages";
    expect_status(c, "POST", p, c->device,
                  "{\"crossing_point_id\":\"" POINT "\",\"lane\":1,\"plate\":{\"text\":\"29C-123.45\",\"confidence\":1001}}",
                  400, "/plate/confidence");
    expect_status(c, "POST", p, c->device,
                  "{\"crossing_point_id\":\"nowhere-1\",\"lane\":1,\"plate\":{\"text\":\"29C-123.45\",\"confidence\":900}}",
                  400, "/crossing_point_id");
    expect_status(c, "POST", p, c->device,
                  "{\"crossing_point_id\":\"cocnam-1104\",\"lane\":2,\"plate\":{\"text\":\"29C-123.45\",\"confidence\":900}}",
                  400, "/lane");
    expect_status(c, "POST", p, c->device, "{\"crossing_point_id\":\"" POINT "\",\"lane\":1}", 400, "/plate");
    expect_status(c, "POST", p, c->device,
                  "{\"crossing_point_id\":\"" POINT "\",\"lane\":1,\"plate\":{\"text\":\"29C-123.45\",\"confidence\":900},"
                  "\"seals\":[\"\"]}",
                  400, "/seals/0");
    expect_status(c, "POST", p, c->device,
                  "{\"crossing_point_id\":\"" POINT "\",\"lane\":1,\"plate\":{\"text\":\"29C-123.45\",\"confidence\":900},"
                  "\"containers\":[{\"number\":\"MSKU1234565\"}]}",
                  400, "/containers/0/confidence");
    expect_status(c, "POST", p, c->device,
                  "{\"crossing_point_id\":\"" POINT "\",\"lane\":1,\"plate\":{\"text\":\"29C-123.45\",\"confidence\":900},"
                  "\"gross_weight_kg\":-5}",
                  400, "/gross_weight_kg");
}

static void test_roles(void **state)
{
    ctx *c = *state;
    char body[1024];
    passage_body(body, sizeof body, "30A-999.99", NULL, NULL, NULL, "[]");
    expect_status(c, "POST", "/api/v1/gate-passages", c->company, body, 403, NULL);
    expect_status(c, "POST", "/api/v1/gate-passages", c->border_guard, body, 403, NULL);
    expect_status(c, "POST", "/api/v1/gate-passages", c->partner, body, 403, NULL);
    expect_status(c, "GET", "/api/v1/gate-passages", c->company, NULL, 403, NULL);
    expect_status(c, "GET", "/api/v1/gate-passages", c->customs, NULL, 200, NULL);
    expect_status(c, "GET", "/api/v1/crossings", c->device, NULL, 403, NULL);
    expect_status(c, "GET", "/api/v1/kpis", c->company, NULL, 403, NULL);
    expect_status(c, "GET", "/api/v1/kpis", c->partner, NULL, 403, NULL);
    expect_status(c, "GET", "/api/v1/kpis", c->customs, NULL, 200, NULL);
    expect_status(c, "POST", "/api/v1/declarations/999999/exit", c->device, NULL, 404, NULL);
}

/* Crossing records and KPIs -------------------------------------------------------- */

/* The items of a page of crossings as token sees them. */
static lp_test_resp crossings(ctx *c, const char *token, const char *query)
{
    char path[160];
    lp_test_resp r;
    snprintf(path, sizeof path, "/api/v1/crossings%s", query);
    r = call(c, "GET", path, token, NULL);
    lp_test_expect(&r, 200);
    return r;
}

static int lists_declaration(const lp_test_resp *r, long id)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r->json, "items"))
        if (lp_test_jint(it, "declaration_id") == id) return 1;
    return 0;
}

static void test_crossings_as_each_party_sees_them(void **state)
{
    ctx *c = *state;
    lp_test_resp r;
    const cJSON *it;
    char path[64];
    long green = decl_id(c, D_GREEN), quar = decl_id(c, D_QUAR), other = decl_id(c, D_OTHER);
    long quar_crossing = 0;

    /* The partner side: every company's handover records, nothing before km 0. */
    r = crossings(c, c->partner, "");
    assert_true(lists_declaration(&r, green));
    assert_false(lists_declaration(&r, quar));
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r.json, "items")) {
        assert_non_null(lp_test_jstr(it, "exit_at"));
        assert_non_null(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(it, "handover"), "declaration_number"));
    }
    lp_test_resp_free(&r);
    r = crossings(c, c->partner, "?exited=false");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 0);
    lp_test_resp_free(&r);

    /* Staff see all, with every timestamp and the durations between them. */
    r = crossings(c, c->operator, "?crossing_point_id=" POINT);
    assert_true(lists_declaration(&r, green) && lists_declaration(&r, quar) && lists_declaration(&r, other));
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r.json, "items")) {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(it, "durations_s");
        assert_non_null(lp_test_jstr(it, "filed_at"));
        if (lp_test_jint(it, "declaration_id") == green) {
            double f2e = cJSON_GetObjectItemCaseSensitive(d, "filing_to_exit")->valuedouble;
            assert_true(f2e > 3 * 3600 - 60 && f2e < 3 * 3600 + 600);
            assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(d, "clearance_to_gate")));
        }
        if (lp_test_jint(it, "declaration_id") == quar) {
            quar_crossing = lp_test_jint(it, "id");
            assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(it, "exit_at")));
        }
    }
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/crossings/%ld", quar_crossing);
    expect_status(c, "GET", path, c->partner, NULL, 404, NULL);
    expect_status(c, "GET", path, c->customs, NULL, 200, NULL);
    expect_status(c, "GET", path, c->company_b, NULL, 404, NULL);
    expect_status(c, "GET", path, c->company, NULL, 200, NULL);

    /* Companies see their own. */
    r = crossings(c, c->company_b, "");
    assert_true(lists_declaration(&r, other));
    assert_false(lists_declaration(&r, green));
    lp_test_resp_free(&r);
    r = crossings(c, c->company, "?exited=true");
    assert_true(lists_declaration(&r, green));
    assert_false(lists_declaration(&r, other) || lists_declaration(&r, quar));
    lp_test_resp_free(&r);
    expect_status(c, "GET", "/api/v1/crossings?exited=maybe", c->operator, NULL, 400, "exited");
}

static void test_kpis(void **state)
{
    ctx *c = *state;
    lp_test_resp r;
    const cJSON *green, *f2e, *c2g, *all;
    char path[160];
    /* Tomorrow in the gate's time zone (UTC+7): the UTC date is a day behind from 17:00 UTC. */
    time_t tomorrow = time(NULL) + 7 * 3600 + 86400;
    struct tm tm;

    r = call(c, "GET", "/api/v1/kpis?crossing_point_id=" POINT, c->operator, NULL);
    lp_test_expect(&r, 200);
    green = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r.json, "channels"), "green");
    all = cJSON_GetObjectItemCaseSensitive(r.json, "all");
    /* Two exited: D_GREEN and D_PLATE, both filed 3 h before the test. */
    assert_int_equal(lp_test_jint(green, "exited"), 2);
    assert_int_equal(lp_test_jint(all, "exited"), 2);
    f2e = cJSON_GetObjectItemCaseSensitive(green, "filing_to_exit_s");
    assert_int_equal(lp_test_jint(f2e, "n"), 2);
    assert_true(cJSON_GetObjectItemCaseSensitive(f2e, "p50")->valuedouble > 3 * 3600 - 60);
    assert_true(cJSON_GetObjectItemCaseSensitive(f2e, "p95")->valuedouble < 3 * 3600 + 600);
    assert_true(cJSON_GetObjectItemCaseSensitive(f2e, "mean")->valuedouble >=
                cJSON_GetObjectItemCaseSensitive(f2e, "p50")->valuedouble - 600);
    c2g = cJSON_GetObjectItemCaseSensitive(green, "clearance_to_gate_s");
    assert_true(lp_test_jint(c2g, "n") >= 1);
    {
        const cJSON *bs = cJSON_GetObjectItemCaseSensitive(green, "by_status");
        assert_int_equal(lp_test_jint(bs, "exited"), 2);
        assert_int_equal(lp_test_jint(bs, "rejected"), 1); /* D_SEAL */
    }
    assert_int_equal(lp_test_jint(cJSON_GetObjectItemCaseSensitive(
                                      cJSON_GetObjectItemCaseSensitive(r.json, "channels"), "red"), "exited"), 0);
    lp_test_resp_free(&r);

    /* A window that starts tomorrow holds nothing; a bad time is refused. */
    gmtime_r(&tomorrow, &tm);
    snprintf(path, sizeof path, "/api/v1/kpis?from=%04d-%02d-%02dT00:00:00%%2B07:00", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday);
    r = call(c, "GET", path, c->customs, NULL);
    lp_test_expect(&r, 200);
    all = cJSON_GetObjectItemCaseSensitive(r.json, "all");
    assert_int_equal(lp_test_jint(all, "exited"), 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(all, "filing_to_exit_s"), "p50")));
    lp_test_resp_free(&r);
    expect_status(c, "GET", "/api/v1/kpis?from=yesterday", c->operator, NULL, 400, "from");
    expect_status(c, "GET", "/api/v1/kpis?from=2026-01-02&to=2026-01-01", c->operator, NULL, 400, "to");
}

/* Runner --------------------------------------------------------------------------- */

static long create_company(ctx *c, int k)
{
    char tax[11], body[256];
    lp_test_resp r;
    long id;
    lp_test_vn_taxid(3, 700u + (unsigned)k * 17u, tax);
    snprintf(body, sizeof body, "{\"name\":\"Công ty Xuất khẩu %d\",\"country\":\"VN\",\"tax_id\":\"%s\"}", k, tax);
    r = call(c, "POST", "/api/v1/companies", c->srv.admin, body);
    lp_test_expect(&r, 201);
    id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    return id;
}

static char *named_token(ctx *c, const char *role, const char *name, long company)
{
    char body[160];
    lp_test_resp r;
    char *tok;
    if (company) snprintf(body, sizeof body, "{\"name\":\"%s\",\"role\":\"%s\",\"company_id\":%ld}", name, role, company);
    else snprintf(body, sizeof body, "{\"name\":\"%s\",\"role\":\"%s\"}", name, role);
    r = call(c, "POST", "/api/v1/tokens", c->srv.admin, body);
    lp_test_expect(&r, 201);
    tok = strdup(lp_test_jstr(r.json, "token"));
    assert_non_null(tok);
    lp_test_resp_free(&r);
    return tok;
}

static int group_setup(void **state)
{
    ctx *c = calloc(1, sizeof *c);
    static const char *const owners[] = {"MSKU", "CSQU", "TGHU", "OOLU", "HLXU", "CAIU", "TCNU", "SEGU"};
    int i;

    assert_non_null(c);
    *state = c;
    for (i = 0; i < 8; i++) container_number(owners[i], 305438 + i * 1111, c->containers[i]);
    lp_test_server_start(&c->srv, "it_gate", NULL, NULL);
    c->company_a = create_company(c, 1);
    c->company_b_id = create_company(c, 2);
    c->device = named_token(c, "device", "gate-device", 0);
    c->company = named_token(c, "company", "company-a", c->company_a);
    c->company_b = named_token(c, "company", "company-b", c->company_b_id);
    c->border_guard = named_token(c, "border_guard", "bg-post", 0);
    c->operator = named_token(c, "operator", "centre", 0);
    c->customs = named_token(c, "customs", "customs-officer", 0);
    c->partner = named_token(c, "partner", "youyiguan", 0);
    c->t_filed = (long long)time(NULL) * 1000 - 3 * HOUR_MS;
    lp_test_server_kill(&c->srv, SIGTERM);
    prepare_declarations(c);
    lp_test_server_restart(&c->srv);
    return 0;
}

static int group_teardown(void **state)
{
    ctx *c = *state;
    if (!c) return 0;
    lp_test_server_stop(&c->srv);
    free(c->device);
    free(c->company);
    free(c->company_b);
    free(c->border_guard);
    free(c->operator);
    free(c->customs);
    free(c->partner);
    free(c);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_green_opens_then_exits),
        cmocka_unit_test(test_seal_mismatch_holds_until_officer_approves),
        cmocka_unit_test(test_approved_exception_opens),
        cmocka_unit_test(test_unknown_plate),
        cmocka_unit_test(test_pending_quarantine),
        cmocka_unit_test(test_bad_bodies),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_crossings_as_each_party_sees_them),
        cmocka_unit_test(test_kpis),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

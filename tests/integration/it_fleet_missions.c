/* it_fleet_missions.c - the life of an AGV mission end to end, on the
 * harness of fleet_fx.inc (private mosquitto, `landport serve --mqtt` on a
 * file clock, four `landport agv-sim` vehicles).  Checks: missions from
 * declarations with transport agv (unknown 400, a truck's 400, an
 * uncleared one starts and holds at the inspection stop even after the
 * border guard's release until customs clears it through the API, a held
 * declaration raises an alert); cancel (cancelOrder, the vehicle stands and
 * is idle where it stands, its reservations ahead released, 409 once
 * finished); the end of the operating window (a mission still at its start
 * is cancelled, one on the road finishes with a window_overrun alert); a
 * restart of the server with kill -9 (the running mission is re-adopted and
 * completes with its record whole; one whose vehicle reports no order is
 * interrupted).  Every order and instantActions message is validated
 * against the VDA 5050 2.1.0 schemas at the end. */
#include "fleet_fx.inc"

#include <math.h>

#define T_1940 1795437600000LL /* 2026-11-23 19:40 +07:00 */
#define T_2001 1795438860000LL /* 2026-11-23 20:01 +07:00 */

/* Helpers ------------------------------------------------------------------------ */

/* POST /api/v1/agv-missions with body as the operator; returns the reply. */
static lp_test_resp post_mission(ctx *c, const char *body)
{
    return lp_test_http(&c->g.srv, "POST", "/api/v1/agv-missions", c->g.operator, body, NULL);
}

static long created(lp_test_resp r)
{
    long id;
    lp_test_expect(&r, 201);
    id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    return id;
}

/* Creates a record as token; returns its id. */
static long create_as(ctx *c, const char *token, const char *path, const char *body)
{
    return created(lp_test_http(&c->g.srv, "POST", path, token, body, NULL));
}

/* Files a declaration as the company: an import on road-1088 by AGV, or
 * (truck) an export by truck through Tân Thanh.  Returns its id. */
static long declaration(ctx *c, int seq, const char *container, long truck, long driver)
{
    char body[1400], vehicle[96] = "";
    if (truck) snprintf(vehicle, sizeof vehicle, "\"vehicle_id\":%ld,\"driver_id\":%ld,", truck, driver);
    snprintf(body, sizeof body,
             "{\"number\":\"40%010d\",\"direction\":\"%s\",\"crossing_point_id\":\"%s\",\"transport\":\"%s\",%s"
             "\"expected_arrival\":\"2026-11-23T12:30:00Z\",\"currency\":\"VND\","
             "\"containers\":[{\"number\":\"%s\",\"seals\":[\"CN%08d\"]}],"
             "\"goods\":[{\"hs_code\":\"8471.30.20\",\"description\":\"Laptops\",\"packages\":100,"
             "\"gross_weight_kg\":1500,\"value\":950000000,\"origin\":\"CN\"}],"
             "\"totals\":{\"packages\":100,\"gross_weight_kg\":1500,\"value\":950000000}}",
             seq, truck ? "export" : "import", truck ? "tanthanh-1090" : "road-1088", truck ? "truck" : "agv", vehicle,
             container, seq);
    return create_as(c, c->company, "/api/v1/declarations", body);
}

static char *decl_status(ctx *c, long decl)
{
    char path[64];
    cJSON *d;
    char *s;
    snprintf(path, sizeof path, "/api/v1/declarations/%ld", decl);
    d = get_json(c, path);
    s = strdup(lp_test_jstr(d, "status"));
    cJSON_Delete(d);
    return s;
}

/* Decides every open task of the declaration (customs' and the border
 * guard's agv_release; the risk channel may have approved customs' already)
 * with decision and a reason. */
static void decide_tasks(ctx *c, long decl, const char *decision)
{
    char path[96], body[160];
    cJSON *d, *t;
    snprintf(path, sizeof path, "/api/v1/declarations/%ld", decl);
    d = get_json(c, path);
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(d, "tasks")) {
        const char *agency = lp_test_jstr(t, "agency"), *state = lp_test_jstr(t, "state");
        int is_customs = !strcmp(agency, "customs");
        lp_test_resp r;
        if (strcmp(state, "pending") && strcmp(state, "hold")) continue;
        snprintf(path, sizeof path, "/api/v1/tasks/%ld/decision", lp_test_jint(t, "id"));
        snprintf(body, sizeof body, "{\"decision\":\"%s\",\"reason\":\"documents checked\"}", decision);
        r = lp_test_http(&c->g.srv, "POST", path, is_customs ? c->customs : c->guard, body, NULL);
        lp_test_expect(&r, 200);
        lp_test_resp_free(&r);
    }
    cJSON_Delete(d);
}

/* 1 when the mission's alerts hold one of kind. */
static int has_alert(ctx *c, long id, const char *kind)
{
    cJSON *m = mission_get(c, id), *it;
    int found = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(m, "alerts")) {
        if (!strcmp(lp_test_jstr(it, "kind"), kind)) found = 1;
    }
    cJSON_Delete(m);
    return found;
}

static void wait_alert(ctx *c, long id, const char *kind)
{
    double end = lp_monotonic() + WAIT_S;
    while (!has_alert(c, id, kind)) {
        if (lp_monotonic() > end) lp_test_fail("mission %ld never had a %s alert", id, kind);
        pump(c, 0.1);
    }
}

/* The vehicle serial's member name in GET /api/v1/agvs (caller frees). */
static char *agv_field(ctx *c, const char *serial, const char *name)
{
    cJSON *a = get_json(c, "/api/v1/agvs"), *it;
    char *v = NULL;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(a, "items")) {
        if (!strcmp(lp_test_jstr(it, "serial"), serial)) {
            cJSON *x = cJSON_GetObjectItem(it, name);
            v = cJSON_IsString(x) ? strdup(x->valuestring) : cJSON_PrintUnformatted(x);
        }
    }
    cJSON_Delete(a);
    if (!v) lp_test_fail("no vehicle %s", serial);
    return v;
}

static void wait_agv(ctx *c, const char *serial, const char *name, const char *want)
{
    double end = lp_monotonic() + WAIT_S;
    for (;;) {
        char *v = agv_field(c, serial, name);
        int ok = !strcmp(v, want);
        free(v);
        if (ok) return;
        if (lp_monotonic() > end) lp_test_fail("%s never had %s %s", serial, name, want);
        pump(c, 0.1);
    }
}

static char *mission_agv(ctx *c, long id)
{
    cJSON *m = mission_get(c, id);
    char *s = strdup(lp_test_jstr(m, "agv"));
    cJSON_Delete(m);
    return s;
}

static lp_test_resp cancel(ctx *c, long id, const char *token, const char *body)
{
    char path[80];
    snprintf(path, sizeof path, "/api/v1/agv-missions/%ld/cancel", id);
    return lp_test_http(&c->g.srv, "POST", path, token, body, NULL);
}

/* Whether the audit trail of mission id has action. */
static int audited(ctx *c, long id, const char *action)
{
    char path[160];
    lp_test_resp r;
    int n;
    snprintf(path, sizeof path, "/api/v1/audit-events?object_type=agv_mission&object_id=%ld&action=%s", id, action);
    r = lp_test_http(&c->g.srv, "GET", path, c->g.srv.admin, NULL, NULL);
    lp_test_expect(&r, 200);
    n = cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items"));
    lp_test_resp_free(&r);
    return n > 0;
}

/* Tests ---------------------------------------------------------------------------- */

/* Declarations: unknown 400, a truck's 400; an uncleared AGV declaration
 * starts, holds at the inspection stop after the guard's release until
 * customs clears it; a hold on it raises an alert. */
static void test_customs_hold(void **state)
{
    ctx *c = *state;
    long decl = declaration(c, 1, "MSKU4000010", 0, 0), truck, driver, tdecl, id;
    char body[256], *st;
    lp_test_resp r;
    cJSON *m, *it;
    int customs_stop = 0;

    snprintf(body, sizeof body, "{\"company_id\":%ld,\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"51C-200.01\"}",
             c->company_id);
    truck = create_as(c, c->g.srv.admin, "/api/v1/vehicles", body);
    snprintf(body, sizeof body,
             "{\"company_id\":%ld,\"full_name\":\"Nguyen Van Binh\",\"nationality\":\"VN\",\"document_kind\":"
             "\"vn_cccd\",\"document_number\":\"001089022222\",\"licence_number\":\"LS022222\","
             "\"licence_valid_until\":\"2031-01-31\"}",
             c->company_id);
    driver = create_as(c, c->g.srv.admin, "/api/v1/drivers", body);
    tdecl = declaration(c, 2, "MSKU4000025", truck, driver);
    r = post_mission(c, "{\"from\":\"china_yard\",\"to\":\"vn_yard\",\"declaration_id\":\"999999\"}");
    lp_test_assert_problem(&r, 400, "/declaration_id");
    lp_test_resp_free(&r);
    snprintf(body, sizeof body, "{\"from\":\"china_yard\",\"to\":\"vn_yard\",\"declaration_id\":\"%ld\"}", tdecl);
    r = post_mission(c, body);
    lp_test_assert_problem(&r, 400, "/declaration_id");
    assert_non_null(strstr(r.body, "not agv"));
    lp_test_resp_free(&r);

    st = decl_status(c, decl);
    assert_string_not_equal(st, "cleared");
    free(st);
    snprintf(body, sizeof body, "{\"from\":\"china_yard\",\"to\":\"vn_yard\",\"declaration_id\":\"%ld\"}", decl);
    r = post_mission(c, body);
    lp_test_expect(&r, 201);
    assert_string_equal(lp_test_jstr(r.json, "state"), "running");
    assert_string_equal(lp_test_jstr(r.json, "waiting_for"), "customs,inspection");
    id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);

    wait_state(c, id, "held_at_inspection", NULL, NULL);
    decide_tasks(c, decl, "hold"); /* customs holds the declaration: an alert */
    wait_alert(c, id, "customs_held");
    release(c, id, c->guard, 200);
    m = mission_get(c, id);
    assert_string_equal(lp_test_jstr(m, "state"), "held_at_inspection"); /* the declaration still holds it */
    assert_string_equal(lp_test_jstr(m, "waiting_for"), "customs");
    assert_non_null(lp_test_jstr(m, "released_at"));
    cJSON_Delete(m);
    pump(c, 2.0);
    st = mission_state(c, id);
    assert_string_equal(st, "held_at_inspection"); /* it stays */
    free(st);

    decide_tasks(c, decl, "approve"); /* customs and the border guard clear it */
    st = decl_status(c, decl);
    assert_string_equal(st, "cleared");
    free(st);
    wait_state(c, id, "completed", NULL, NULL);
    m = mission_get(c, id);
    assert_non_null(lp_test_jstr(m, "customs_cleared_at"));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(m, "waiting_for")));
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(m, "stops")) {
        if (!strcmp(lp_test_jstr(it, "cause"), "customs")) customs_stop = 1;
    }
    assert_true(customs_stop);
    cJSON_Delete(m);
    assert_true(audited(c, id, "agv_mission.customs_cleared"));
    assert_true(audited(c, id, "agv_mission.alert"));
}

/* Cancel at the inspection stop: 400 without a reason, 403 for a border
 * guard; the vehicle stands, is idle where it stands with nothing ahead
 * reserved, and takes the next mission from there; 409 once finished. */
static void test_cancel(void **state)
{
    ctx *c = *state;
    long id = mission(c, "china_yard", "vn_yard"), next;
    char *serial = mission_agv(c, id), *holds;
    lp_test_resp r;
    cJSON *tr, *it;

    wait_state(c, id, "held_at_inspection", NULL, NULL);
    r = cancel(c, id, c->g.operator, "{}");
    lp_test_assert_problem(&r, 400, "/reason");
    lp_test_resp_free(&r);
    r = cancel(c, id, c->guard, "{\"reason\":\"load withdrawn\"}");
    lp_test_assert_problem(&r, 403, NULL);
    lp_test_resp_free(&r);
    r = cancel(c, id, c->g.operator, "{\"reason\":\"load withdrawn\"}");
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "state"), "cancelled");
    assert_string_equal(lp_test_jstr(r.json, "cancel_reason"), "load withdrawn");
    assert_non_null(lp_test_jstr(r.json, "cancelled_at"));
    assert_non_null(lp_test_jstr(r.json, "cancelled_by"));
    lp_test_resp_free(&r);
    wait_agv(c, serial, "state", "idle");
    assert_true(audited(c, id, "agv_mission.stand"));
    /* it holds only its spots at the inspection stop: no edge ahead */
    tr = get_json(c, "/api/v1/traffic");
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(tr, "edges")) {
        if (!strcmp(lp_test_jstr(it, "agv"), serial)) lp_test_fail("%s still holds edge %s", serial, lp_test_jstr(it, "edge"));
    }
    cJSON_Delete(tr);
    holds = agv_field(c, serial, "holds");
    assert_true(atoi(holds) <= 2);
    free(holds);
    r = cancel(c, id, c->g.operator, "{\"reason\":\"again\"}");
    lp_test_assert_problem(&r, 409, NULL);
    lp_test_resp_free(&r);
    r = cancel(c, 999999, c->g.operator, "{\"reason\":\"none\"}");
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);

    next = mission(c, "inspection", "vn_yard"); /* from where it stands */
    wait_state(c, next, "completed", NULL, NULL);
    free(serial);
}

/* Node id's coordinates from GET /api/v1/road. */
static void node_xy(ctx *c, const char *id, double *x, double *y)
{
    cJSON *road = get_json(c, "/api/v1/road"), *n;
    int found = 0;
    cJSON_ArrayForEach(n, cJSON_GetObjectItem(road, "nodes")) {
        if (strcmp(lp_test_jstr(n, "id"), id)) continue;
        *x = cJSON_GetNumberValue(cJSON_GetObjectItem(n, "x"));
        *y = cJSON_GetNumberValue(cJSON_GetObjectItem(n, "y"));
        found = 1;
    }
    cJSON_Delete(road);
    if (!found) lp_test_fail("the road has no node %s", id);
}

/* Cancel while the vehicle drives: it stops at the next node, not between
 * two, holds no edge, and an operator's mission naming it (agv, no from)
 * takes it from there; bad agv and from are refused at their field. */
static void test_cancel_on_the_road(void **state)
{
    ctx *c = *state;
    long id = mission(c, "vn_yard", "china_yard"), back; /* the earlier tests left all four in Vietnam */
    char *serial = mission_agv(c, id), *node, body[160];
    double end = lp_monotonic() + WAIT_S, x, y, nx, ny;
    lp_test_resp r;
    cJSON *a, *tr, *it, *m;

    wait_agv(c, serial, "driving", "true");
    while (1) { /* off its first node, on an edge */
        char *last;
        a = agv_get(c, serial);
        last = strdup(lp_test_jstr(cJSON_GetObjectItem(a, "position"), "last_node"));
        x = cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "position"), "x"));
        y = cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "position"), "y"));
        cJSON_Delete(a);
        node_xy(c, last, &nx, &ny);
        free(last);
        if (hypot(x - nx, y - ny) > 1.0) break;
        if (lp_monotonic() > end) lp_test_fail("%s never left a node", serial);
        pump(c, 0.02);
    }
    r = cancel(c, id, c->g.operator, "{\"reason\":\"container seal doubtful\"}");
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    wait_agv(c, serial, "state", "idle");
    a = agv_get(c, serial);
    node = strdup(lp_test_jstr(cJSON_GetObjectItem(a, "position"), "last_node"));
    node_xy(c, node, &nx, &ny);
    assert_true(hypot(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "position"), "x")) - nx,
                      cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "position"), "y")) - ny) < 0.5);
    cJSON_Delete(a);
    assert_string_not_equal(node, "vn-yard");
    tr = get_json(c, "/api/v1/traffic");
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(tr, "edges")) {
        if (!strcmp(lp_test_jstr(it, "agv"), serial)) lp_test_fail("%s still holds edge %s", serial, lp_test_jstr(it, "edge"));
    }
    cJSON_Delete(tr);

    /* bad requests, each at its field */
    r = post_mission(c, "{\"to\":\"vn_yard\"}");
    lp_test_assert_problem(&r, 400, "/from");
    lp_test_resp_free(&r);
    r = post_mission(c, "{\"agv\":\"no-such-agv\",\"to\":\"vn_yard\"}");
    lp_test_assert_problem(&r, 400, "/agv");
    lp_test_resp_free(&r);
    snprintf(body, sizeof body, "{\"agv\":\"%s\",\"from\":\"china_yard\",\"to\":\"vn_yard\"}", serial);
    r = post_mission(c, body); /* it would cross km 0 empty to get there */
    lp_test_assert_problem(&r, 409, NULL);
    lp_test_resp_free(&r);

    /* the operator sends it back to the Vietnamese yard from where it stands */
    snprintf(body, sizeof body, "{\"agv\":\"%s\",\"to\":\"vn_yard\"}", serial);
    back = created(post_mission(c, body));
    m = mission_get(c, back);
    assert_string_equal(lp_test_jstr(m, "agv"), serial);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(m, "route"), 0)), node);
    cJSON_Delete(m);
    r = post_mission(c, body); /* it is busy now */
    lp_test_assert_problem(&r, 409, NULL);
    assert_non_null(strstr(r.body, "on a mission"));
    lp_test_resp_free(&r);
    wait_state(c, back, "completed", NULL, NULL);
    free(node);
    free(serial);
}

/* 19:40: one mission on the road northbound, one whose vehicle is stalled
 * at its start; at 20:01 the window has closed: the first finishes with a
 * window_overrun alert, the second is cancelled. */
static void test_window_end(void **state)
{
    ctx *c = *state;
    static const char *const all[] = {"cn1", "cn2", "vn1", "vn2"};
    long a, b;
    char *sa, *sb, *y;
    double end = lp_monotonic() + WAIT_S;
    cJSON *m;
    size_t i;

    set_clock(c, T_1940);
    a = mission(c, "vn_yard", "china_yard");
    sa = mission_agv(c, a);
    for (;;) { /* on the road */
        y = agv_field(c, sa, "position");
        m = cJSON_Parse(y);
        free(y);
        if (cJSON_GetNumberValue(cJSON_GetObjectItem(m, "y")) > -1150) break;
        cJSON_Delete(m);
        if (lp_monotonic() > end) lp_test_fail("%s never left the yard", sa);
        pump(c, 0.05);
    }
    cJSON_Delete(m);
    for (i = 0; i < 4; i++)
        if (strcmp(all[i], sa)) fault(c, all[i], "stall");
    pump(c, 0.3);
    b = mission(c, "vn_yard", "china_yard");
    sb = mission_agv(c, b);
    set_clock(c, T_2001);
    wait_state(c, b, "cancelled", NULL, NULL);
    m = mission_get(c, b);
    assert_string_equal(lp_test_jstr(m, "cancel_reason"), "operating window closed");
    cJSON_Delete(m);
    wait_alert(c, a, "window_overrun");
    wait_state(c, a, "completed", NULL, NULL);
    wait_agv(c, sb, "state", "idle");
    for (i = 0; i < 4; i++) fault(c, all[i], "clear");
    set_clock(c, T_1840);
    free(sa);
    free(sb);
}

/* kill -9 while a mission waits at the inspection stop: after the restart
 * the fleet re-adopts it, the border guard releases it, it completes with
 * its record whole.  A mission whose vehicle comes back without its order
 * is interrupted. */
static void test_restart(void **state)
{
    ctx *c = *state;
    long id = mission(c, "china_yard", "vn_yard");
    double end;
    lp_test_resp r;
    char path[80];
    cJSON *m;

    wait_state(c, id, "held_at_inspection", NULL, NULL);
    lp_test_server_kill(&c->g.srv, SIGKILL);
    lp_test_server_restart(&c->g.srv);
    snprintf(path, sizeof path, "/api/v1/agv-missions/%ld/release", id);
    end = lp_monotonic() + WAIT_S;
    for (;;) { /* 409 until its vehicle reported and the fleet re-adopted it */
        r = lp_test_http(&c->g.srv, "POST", path, c->guard, "{\"reason\":\"seal checked after restart\"}", NULL);
        if (r.status == 200) break;
        lp_test_assert_problem(&r, 409, NULL);
        lp_test_resp_free(&r);
        if (lp_monotonic() > end) lp_test_fail("mission %ld was never re-adopted", id);
        pump(c, 0.2);
    }
    lp_test_resp_free(&r);
    wait_state(c, id, "completed", NULL, NULL);
    m = mission_get(c, id);
    assert_non_null(lp_test_jstr(m, "started_at"));
    assert_non_null(lp_test_jstr(m, "handover_at"));
    assert_non_null(lp_test_jstr(m, "released_at"));
    assert_non_null(lp_test_jstr(m, "finished_at"));
    assert_true(lp_test_jint(m, "distance_m") > 2300 && lp_test_jint(m, "distance_m") < 2600);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(m, "track")) >= 10);
    cJSON_Delete(m);
    assert_true(audited(c, id, "agv_mission.adopt"));
}

/* kill -9 with a mission on the road, and its vehicle's simulator
 * restarted meanwhile: the vehicle comes back without the order, the
 * mission is marked interrupted with an alert. */
static void test_restart_interrupted(void **state)
{
    ctx *c = *state;
    long id = mission(c, "vn_yard", "china_yard");
    char *serial = mission_agv(c, id), *holds;
    int k = serial[0] == 'c' ? 0 : 1;
    double end = lp_monotonic() + WAIT_S;
    cJSON *m;

    for (;;) { /* on the road */
        holds = agv_field(c, serial, "holds");
        if (atoi(holds) > 0) break;
        free(holds);
        if (lp_monotonic() > end) lp_test_fail("%s never held a segment", serial);
        pump(c, 0.05);
    }
    free(holds);
    lp_test_server_kill(&c->g.srv, SIGKILL);
    kill(c->sims[k], SIGKILL);
    waitpid(c->sims[k], NULL, 0);
    /* the new process takes the old one's place in c->sims */
    c->sims[k] = spawn_sim(c, k ? "vn" : "cn", "40", "-1198", "vn-yard");
    c->sims[--c->nsims] = 0;
    lp_test_server_restart(&c->g.srv);
    wait_state(c, id, "interrupted", NULL, NULL);
    m = mission_get(c, id);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(m, "waiting_for")));
    cJSON_Delete(m);
    assert_true(has_alert(c, id, "interrupted"));
    wait_agv(c, serial, "state", "idle");
    free(serial);
}

/* Every order and instantActions landport sent is valid VDA 5050 2.1.0. */
static void test_schemas(void **state)
{
    check_schemas(*state, 1, 1); /* at least the cancelOrders */
}

/* Setup ---------------------------------------------------------------------------- */

static int group_setup(void **state)
{
    ctx *c;
    char tax[11], body[256];
    fx_four_vehicles(fx_setup(state, "it_fleet_missions", NULL));
    c = *state;
    lp_test_vn_taxid(20, 5151u, tax);
    snprintf(body, sizeof body, "{\"name\":\"Cong ty AGV Huu Nghi\",\"country\":\"VN\",\"tax_id\":\"%s\"}", tax);
    c->company_id = create_as(c, c->g.srv.admin, "/api/v1/companies", body);
    c->company = lp_test_token(&c->g.srv, "company", c->company_id);
    c->customs = lp_test_token(&c->g.srv, "customs", 0);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_customs_hold), cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_cancel_on_the_road), cmocka_unit_test(test_window_end),
        cmocka_unit_test(test_restart),      cmocka_unit_test(test_restart_interrupted),
        cmocka_unit_test(test_schemas),
    };
    return cmocka_run_group_tests(tests, group_setup, fx_teardown);
}

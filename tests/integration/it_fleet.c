/* it_fleet.c - the AGV fleet manager of `landport serve --mqtt` end to end,
 * against a private mosquitto (scripts/mqtt-test-broker.sh) and real `landport
 * agv-sim` processes (two vehicles in the China yard, two in the Vietnamese
 * yard of road-1088).  The server runs on a file clock set inside the AGV
 * window (18:30-20:00 gate time).  Checks: a mission China yard ->
 * Vietnamese yard that holds at the inspection stop until a border guard
 * releases it (an operator's release is 403), its trip record and audit;
 * the operating window (409 when the mission cannot finish before 20:00);
 * two-way traffic (no single-lane block ever held by both directions, all
 * finish); a dropped connection marks the vehicle lost and keeps its
 * reservations; pause-all/resume-all; the fleet off without --mqtt (503).
 * Every order and instantActions message landport sends is captured by a
 * subscriber and validated against the VDA 5050 2.1.0 schemas. */
#include "fleet_fx.inc"

/* Tests ---------------------------------------------------------------------------- */

/* China yard -> Vietnamese yard: held at the inspection stop until a border
 * guard releases it; the trip record and the audit trail. */
static void test_mission_end_to_end(void **state)
{
    ctx *c = *state;
    long id = mission(c, "china_yard", "vn_yard");
    char path[80];
    lp_test_resp r;
    cJSON *m, *stops, *it;
    int inspection = 0;

    wait_state(c, id, "held_at_inspection", NULL, NULL);
    pump(c, 1.5);
    {
        char *st = mission_state(c, id);
        assert_string_equal(st, "held_at_inspection"); /* it stays */
        free(st);
    }
    release(c, id, c->g.operator, 403);
    snprintf(path, sizeof path, "/api/v1/agv-missions/%ld/release", id);
    r = lp_test_http(&c->g.srv, "POST", path, c->guard, "{}", NULL);
    lp_test_assert_problem(&r, 400, "/reason");
    lp_test_resp_free(&r);
    set_clock(c, T_1840 + 120000); /* the guard releases two minutes later */
    release(c, id, c->guard, 200);
    release(c, id, c->guard, 409);
    wait_state(c, id, "completed", NULL, NULL);
    release(c, id, c->guard, 409); /* finished */
    release(c, 999999, c->guard, 404);

    snprintf(path, sizeof path, "/api/v1/agv-missions/%ld", id);
    m = get_json(c, path);
    assert_non_null(lp_test_jstr(m, "handover_at"));
    assert_non_null(lp_test_jstr(m, "released_at"));
    assert_non_null(lp_test_jstr(m, "finished_at"));
    assert_true(lp_test_jint(m, "distance_m") > 2300 && lp_test_jint(m, "distance_m") < 2600);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(m, "track")) >= 10);
    stops = cJSON_GetObjectItem(m, "stops");
    cJSON_ArrayForEach(it, stops) {
        if (!strcmp(lp_test_jstr(it, "cause"), "inspection")) {
            inspection = 1;
            assert_string_equal(lp_test_jstr(it, "place"), "inspection");
            assert_true(lp_test_jint(it, "duration_s") >= 120);
        }
    }
    assert_true(inspection);
    cJSON_Delete(m);

    snprintf(path, sizeof path, "/api/v1/agv-missions/%ld/trip.csv", id);
    r = lp_test_http(&c->g.srv, "GET", path, c->g.operator, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_non_null(strstr(r.content_type, "text/csv"));
    assert_non_null(strstr(r.body, "kind,time,x,y,place,cause,duration_s,note\n"));
    assert_non_null(strstr(r.body, "stop,"));
    assert_non_null(strstr(r.body, "safety driver took over supervision"));
    lp_test_resp_free(&r);

    snprintf(path, sizeof path, "/api/v1/audit-events?object_type=agv_mission&object_id=%ld", id);
    r = lp_test_http(&c->g.srv, "GET", path, c->g.srv.admin, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_non_null(strstr(r.body, "agv_mission.release"));
    assert_non_null(strstr(r.body, "agv_mission.handover"));
    assert_non_null(strstr(r.body, "agv_mission.complete"));
    assert_non_null(strstr(r.body, "seal and load checked"));
    lp_test_resp_free(&r);
}

/* At gate time clock, the mission body is refused with 409 saying why. */
static void window_refuses(ctx *c, int64_t clock, const char *body, const char *why)
{
    lp_test_resp r;
    set_clock(c, clock);
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/agv-missions", c->g.operator, body, NULL);
    lp_test_assert_problem(&r, 409, NULL);
    assert_non_null(strstr(r.body, why));
    lp_test_resp_free(&r);
}

/* 19:55: a mission of about 11 minutes cannot finish before 20:00. */
static void test_window(void **state)
{
    ctx *c = *state;
    lp_test_resp r;
    window_refuses(c, T_1955, "{\"from\":\"vn_yard\",\"to\":\"china_yard\"}", "20:00");
    /* no mission outside the window, even one that stays on one side of km 0
     * (only the fleet's own way to the charger may: it_fleet_charge) */
    window_refuses(c, T_2100, "{\"from\":\"vn_yard\",\"to\":\"charging\"}", "outside the AGV operating window");
    {
        /* an edited window reaches the fleet at once (window end, charging) */
        static const char *const win[] = {"20:15", "20:00"};
        int k;
        for (k = 0; k < 2; k++) {
            char body[128];
            cJSON *t;
            snprintf(body, sizeof body, "{\"agv_windows\":[{\"open\":\"18:30\",\"close\":\"%s\"}]}", win[k]);
            r = lp_test_http(&c->g.srv, "PATCH", "/api/v1/crossing-points/road-1088", c->g.srv.admin, body, NULL);
            lp_test_expect(&r, 200);
            lp_test_resp_free(&r);
            t = get_json(c, "/api/v1/traffic");
            assert_string_equal(lp_test_jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(t, "windows"), 0), "close"),
                                win[k]);
            cJSON_Delete(t);
        }
    }
    set_clock(c, T_1840 + 3600000); /* 19:40 */
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/agv-missions", c->g.operator,
                     "{\"from\":\"vn_yard\",\"to\":\"china_yard\",\"declaration_id\":\"no-such\"}", NULL);
    lp_test_assert_problem(&r, 400, "/declaration_id");
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/agv-missions", c->g.operator,
                     "{\"from\":\"nowhere\",\"to\":\"china_yard\"}", NULL);
    lp_test_assert_problem(&r, 400, "/from");
    lp_test_resp_free(&r);
    set_clock(c, T_1840);
}

typedef struct twoway {
    long ids[3];
    const char *dir[3]; /* per mission: "s" southbound (China -> Vietnam), "n" */
    int snapshots, both_on_road;
} twoway;

/* The single-lane edges and inner nodes of road-1088 by block. */
static int block_of(const char *seg)
{
    static const char *const b[3][3] = {{"cn-single", NULL, NULL}, {"km0-north", "km0-south", "km0"},
                                        {"vn-single", NULL, NULL}};
    int i, k;
    for (i = 0; i < 3; i++)
        for (k = 0; k < 3; k++)
            if (b[i][k] && !strcmp(b[i][k], seg)) return i;
    return -1;
}

/* One snapshot of GET /api/v1/traffic: no block held by both directions. */
static void check_traffic(ctx *c, void *arg)
{
    twoway *t = arg;
    cJSON *tr = get_json(c, "/api/v1/traffic"), *agvs = get_json(c, "/api/v1/agvs"), *it, *a;
    char held[3] = {0, 0, 0};
    int s = 0, n = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(tr, "edges")) {
        int b = block_of(lp_test_jstr(it, "edge")), k;
        char dir = 0;
        cJSON_ArrayForEach(a, cJSON_GetObjectItem(agvs, "items")) {
            if (strcmp(lp_test_jstr(a, "serial"), lp_test_jstr(it, "agv"))) continue;
            for (k = 0; k < 3; k++)
                if (cJSON_IsNumber(cJSON_GetObjectItem(a, "mission_id")) && lp_test_jint(a, "mission_id") == t->ids[k])
                    dir = t->dir[k][0];
        }
        if (dir == 's') s++;
        if (dir == 'n') n++;
        if (b < 0 || !dir) continue;
        if (held[b] && held[b] != dir) lp_test_fail("block %d held by both directions", b);
        held[b] = dir;
    }
    if (s && n) t->both_on_road = 1;
    t->snapshots++;
    cJSON_Delete(tr);
    cJSON_Delete(agvs);
}

/* One vehicle southbound, two northbound at once: the single-lane blocks
 * carry one direction at a time and all three finish. */
static void test_two_way(void **state)
{
    ctx *c = *state;
    twoway t = {{0}, {"s", "n", "n"}, 0, 0};
    int i;
    t.ids[0] = mission(c, "china_yard", "vn_yard");
    t.ids[1] = mission(c, "vn_yard", "china_yard");
    t.ids[2] = mission(c, "vn_yard", "china_yard");
    wait_state(c, t.ids[0], "held_at_inspection", check_traffic, &t);
    release(c, t.ids[0], c->guard, 200);
    for (i = 0; i < 3; i++) wait_state(c, t.ids[i], "completed", check_traffic, &t);
    assert_true(t.snapshots > 10);
    assert_true(t.both_on_road); /* the two directions were on the road together */
    {
        /* the window estimate of the way into Vietnam plans the inspection
         * stop (agv_inspection_s, 300 s by default); the way back has none */
        cJSON *in = mission_get(c, t.ids[0]), *out = mission_get(c, t.ids[1]);
        long d = (long)(lp_test_jint(in, "estimate_s") - lp_test_jint(out, "estimate_s"));
        if (d < 290 || d > 310) lp_test_fail("estimates differ by %ld s, not the 300 s of the inspection stop", d);
        cJSON_Delete(in);
        cJSON_Delete(out);
    }
}

/* A dropped connection (last will CONNECTIONBROKEN) marks the vehicle lost
 * with its reservations kept; it is found again and finishes. */
static void test_lost(void **state)
{
    ctx *c = *state;
    long id = mission(c, "vn_yard", "china_yard");
    char serial[32];
    cJSON *m, *after;
    m = mission_get(c, id);
    snprintf(serial, sizeof serial, "%s", lp_test_jstr(m, "agv"));
    cJSON_Delete(m);
    wait_holds(c, serial); /* on the road, holding segments */
    fault(c, serial, "drop_connection");
    wait_audit(c, serial, "agv.lost");
    m = audit_of(c, serial, "agv.lost");
    after = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(m, "items"), 0), "after");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(after, "lost")));
    assert_true(lp_test_jint(after, "holds") > 0); /* reservations kept */
    cJSON_Delete(m);
    wait_state(c, id, "completed", NULL, NULL);
}

/* pause-all / resume-all: operator yes (instant actions sent), border guard no. */
static void test_pause_all(void **state)
{
    ctx *c = *state;
    unsigned long before = c->ninstant;
    double end = lp_monotonic() + WAIT_S;
    lp_test_resp r = lp_test_http(&c->g.srv, "POST", "/api/v1/agvs/pause-all", c->g.operator, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(lp_test_jint(r.json, "vehicles"), 4);
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/agvs/resume-all", c->g.operator, NULL, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/agvs/pause-all", c->guard, NULL, NULL);
    lp_test_assert_problem(&r, 403, NULL);
    lp_test_resp_free(&r);
    while (c->ninstant < before + 8) {
        if (lp_monotonic() > end) lp_test_fail("instant actions not seen");
        pump(c, 0.05);
    }
}

/* An e-stop raises an alert (audited); malformed VDA 5050 messages are
 * rejected and the server carries on. */
static void test_estop_and_bad_input(void **state)
{
    ctx *c = *state;
    static const char *const bad[] = {"not json", "{}", "{\"headerId\":-1}", "[1,2]", ""};
    char topic[128];
    lp_test_resp r;
    size_t i;
    assert_int_equal(lp_mqtt_publish(c->cli, "landport-sim/vn1/fault", "{\"fault\":\"estop\"}", 17, 1, 0), 0);
    wait_audit(c, "vn1", "agv.estop");
    { /* one alert: the vehicle's emergencyStop error is the e-stop's detail */
        cJSON *j = audit_of(c, "vn1", "agv.alert_raised"), *it;
        int n = 0;
        cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "items")) { /* (it may have been lost in test_lost) */
            const cJSON *after = cJSON_GetObjectItem(it, "after");
            if (!strcmp(lp_test_jstr(after, "kind"), "error")) lp_test_fail("a second alert: %s", lp_test_jstr(after, "detail"));
            if (strcmp(lp_test_jstr(after, "kind"), "estop")) continue;
            n++;
            assert_non_null(strstr(lp_test_jstr(after, "detail"), "emergencyStop"));
        }
        cJSON_Delete(j);
        assert_int_equal(n, 1);
        j = audit_of(c, "vn1", "agv.error");
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")), 0);
        cJSON_Delete(j);
    }
    assert_int_equal(lp_mqtt_publish(c->cli, "landport-sim/vn1/fault", "{\"fault\":\"clear\"}", 17, 1, 0), 0);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        static const char *const kinds[] = {"state", "connection", "factsheet"};
        int k;
        for (k = 0; k < 3; k++) {
            snprintf(topic, sizeof topic, "uagv/v2/%s/bad%zu/%s", c->manuf, i, kinds[k]);
            assert_int_equal(lp_mqtt_publish(c->cli, topic, bad[i], strlen(bad[i]), 1, 0), 0);
        }
    }
    assert_int_equal(lp_mqtt_publish(c->cli, "uagv/v2/x", "{}", 2, 1, 0), 0);
    pump(c, 0.5);
    r = lp_test_http(&c->g.srv, "GET", "/api/v1/agvs", c->g.operator, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")), 4); /* none registered */
    lp_test_resp_free(&r);
}

/* Every order and instantActions landport sent is valid VDA 5050 2.1.0. */
static void test_schemas(void **state)
{
    ctx *c = *state;
    check_schemas(c, 11, 8);
}

/* Without --mqtt the fleet routes answer 503 saying why. */
static void test_fleet_off(void **state)
{
    lp_test_server s;
    lp_test_resp r;
    char *op;
    (void)state;
    lp_test_server_start(&s, "it_fleet_off", NULL, NULL);
    op = lp_test_token(&s, "operator", 0);
    r = lp_test_http(&s, "GET", "/api/v1/agvs", op, NULL, NULL);
    lp_test_assert_problem(&r, 503, NULL);
    assert_non_null(strstr(r.body, "--mqtt"));
    lp_test_resp_free(&r);
    r = lp_test_http(&s, "POST", "/api/v1/agv-missions", op, "{\"from\":\"china_yard\",\"to\":\"vn_yard\"}", NULL);
    lp_test_assert_problem(&r, 503, NULL);
    lp_test_resp_free(&r);
    free(op);
    lp_test_server_stop(&s);
}

static int group_setup(void **state)
{
    fx_four_vehicles(fx_setup(state, "it_fleet", NULL));
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mission_end_to_end), cmocka_unit_test(test_window), cmocka_unit_test(test_two_way),
        cmocka_unit_test(test_lost),               cmocka_unit_test(test_pause_all),
        cmocka_unit_test(test_estop_and_bad_input), cmocka_unit_test(test_schemas),
        cmocka_unit_test(test_fleet_off),
    };
    return cmocka_run_group_tests(tests, group_setup, fx_teardown);
}

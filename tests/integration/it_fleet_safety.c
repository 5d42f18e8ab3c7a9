/* it_fleet_safety.c - the fleet manager's safety behaviour end to end, with a
 * private mosquitto and two `landport agv-sim` processes (fleet_fx.inc; lost
 * after 2 s of state silence): GET /api/v1/agvs paged and filtered by state;
 * a schema-invalid state of a known vehicle is counted (rejected_messages),
 * raises one invalid_message alert a minute naming the JSON pointer (live
 * event agv.alert and audit) and leaves its last good state; state silence
 * (agv-sim fault "silence": connected, no will) marks the vehicle lost with
 * its reservations still in GET /api/v1/traffic; the trip record's stops
 * have cause "pause" after pause-all and "e-stop" after an e-stop, with
 * their durations; the event stream carries agv.position with moving
 * coordinates and the e-stop's agv.alert. */
#include "fleet_fx.inc"

#include "agv/vda5050.h"
#include "core/mem.h"

#define WAIT_MS 20000 /* bound on waiting for an event */
#include "sse_client.inc"

/* Pages and the state filter ------------------------------------------------------- */

static void test_agvs_page(void **state)
{
    ctx *c = *state;
    char path[128], seen[4][32];
    int n = 0, pages = 0, i;
    char cursor[32] = "";
    static const char *const bad[][2] = {{"/api/v1/agvs?state=asleep", "state"},
                                         {"/api/v1/agvs?cursor=x1", "cursor"},
                                         {"/api/v1/agvs?limit=0", "limit"},
                                         {"/api/v1/agvs?cursor=-3", "cursor"},
                                         {NULL, NULL}};
    lp_test_resp r;
    for (;;) {
        cJSON *j, *it;
        const char *next;
        snprintf(path, sizeof path, "/api/v1/agvs?limit=3%s%s", cursor[0] ? "&cursor=" : "", cursor);
        j = get_json(c, path);
        pages++;
        cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "items")) {
            assert_true(n < 4);
            snprintf(seen[n++], sizeof seen[0], "%s", lp_test_jstr(it, "serial"));
            assert_false(cJSON_IsTrue(cJSON_GetObjectItem(it, "charging")));
            assert_int_equal(lp_test_jint(it, "rejected_messages"), 0);
        }
        next = lp_test_jstr(j, "next_cursor");
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
        cJSON_Delete(j);
        if (!cursor[0]) break;
    }
    assert_int_equal(pages, 2);
    assert_int_equal(n, 4);
    for (i = 1; i < 4; i++) assert_string_not_equal(seen[i], seen[i - 1]);
    assert_int_equal(idle_agvs(c), 4);
    {
        cJSON *j = get_json(c, "/api/v1/agvs?state=lost");
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")), 0);
        assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "next_cursor")));
        cJSON_Delete(j);
    }
    for (i = 0; bad[i][0]; i++) {
        r = lp_test_http(&c->g.srv, "GET", bad[i][0], c->g.operator, NULL, NULL);
        lp_test_assert_problem(&r, 400, bad[i][1]);
        lp_test_resp_free(&r);
    }
}

/* Invalid messages ----------------------------------------------------------------- */

/* A state of serial that is valid but for "driving": "yes", with battery 3 %. */
static char *broken_state(ctx *c, const char *serial)
{
    lp_vda_state s;
    char *text, *out;
    cJSON *j;
    memset(&s, 0, sizeof s);
    lp_vda_header_init(&s.h, c->manuf, serial, 999, T_1840);
    snprintf(s.last_node_id, sizeof s.last_node_id, "vn-yard");
    s.battery.charge = 3;
    s.battery.reach = -1;
    s.distance_since_last_node = -1;
    text = lp_vda_state_format(&s);
    j = cJSON_Parse(text);
    assert_non_null(j);
    cJSON_ReplaceItemInObjectCaseSensitive(j, "driving", cJSON_CreateString("yes"));
    out = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    lp_free(text);
    return out;
}

/* The payload of a live event frame ({"id","type","data"}). */
static const cJSON *payload(const frame *f)
{
    return cJSON_GetObjectItem(f->data, "data");
}

static void publish_state(ctx *c, const char *serial, const char *text)
{
    char topic[128];
    snprintf(topic, sizeof topic, "uagv/v2/%s/%s/state", c->manuf, serial);
    assert_int_equal(lp_mqtt_publish(c->cli, topic, text, strlen(text), 1, 0), 0);
}

static int count_alerts(ctx *c, const char *serial, const char *kind)
{
    cJSON *j = audit_of(c, serial, "agv.alert_raised"), *it;
    int n = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "items")) {
        if (!strcmp(lp_test_jstr(cJSON_GetObjectItem(it, "after"), "kind"), kind)) n++;
    }
    cJSON_Delete(j);
    return n;
}

static void test_invalid_message(void **state)
{
    ctx *c = *state;
    char *bad = broken_state(c, "vn1");
    cJSON *a, *j, *it;
    sse s;
    double end;
    int found = 0;
    sse_open(&s, &c->g.srv, "/api/v1/events", c->g.operator, NULL);
    assert_int_equal(s.status, 200);
    publish_state(c, "vn1", bad);
    assert_true(sse_wait(&s, "invalid_message"));
    wait_audit(c, "vn1", "agv.alert_raised");
    j = audit_of(c, "vn1", "agv.alert_raised");
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "items")) {
        const char *d = lp_test_jstr(cJSON_GetObjectItem(it, "after"), "detail");
        if (strcmp(lp_test_jstr(cJSON_GetObjectItem(it, "after"), "kind"), "invalid_message")) continue;
        found++;
        assert_non_null(strstr(d, "state rejected at /driving"));
    }
    assert_int_equal(found, 1);
    cJSON_Delete(j);
    {
        frame f[64];
        int n = sse_frames(&s, f, 64), i, alert = 0;
        for (i = 0; i < n; i++)
            if (!strcmp(f[i].event, "agv.alert") && !strcmp(lp_test_jstr(payload(&f[i]), "kind"), "invalid_message")) {
                alert = 1;
                assert_string_equal(lp_test_jstr(payload(&f[i]), "serial"), "vn1");
                assert_non_null(strstr(lp_test_jstr(payload(&f[i]), "detail"), "/driving"));
            }
        frames_free(f, n);
        assert_true(alert);
    }
    /* a second one within the minute: counted, no second alert */
    publish_state(c, "vn1", bad);
    end = lp_monotonic() + WAIT_S;
    for (;;) {
        long n;
        a = agv_get(c, "vn1");
        n = lp_test_jint(a, "rejected_messages");
        if (n == 2) break;
        cJSON_Delete(a);
        if (lp_monotonic() > end) lp_test_fail("the second broken state was not counted");
        pump(c, 0.1);
    }
    assert_true(lp_test_jint(a, "battery") > 50); /* its last good state, not the 3 % */
    assert_string_equal(lp_test_jstr(a, "state"), "idle");
    cJSON_Delete(a);
    assert_int_equal(count_alerts(c, "vn1", "invalid_message"), 1);
    /* unknown vehicles and topics: logged only */
    publish_state(c, "nobody", bad);
    assert_int_equal(lp_mqtt_publish(c->cli, "uagv/v2/x", "{}", 2, 1, 0), 0);
    pump(c, 0.5);
    j = get_json(c, "/api/v1/agvs");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")), 4);
    cJSON_Delete(j);
    sse_close(&s);
    free(bad);
}

/* State silence -------------------------------------------------------------------- */

/* The edges GET /api/v1/traffic shows held by serial. */
static int traffic_holds(ctx *c, const char *serial)
{
    cJSON *t = get_json(c, "/api/v1/traffic"), *it;
    int n = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(t, "edges")) {
        if (!strcmp(lp_test_jstr(it, "agv"), serial)) n++;
    }
    cJSON_Delete(t);
    return n;
}

static void test_silence_lost(void **state)
{
    ctx *c = *state;
    long id = mission(c, "vn_yard", "china_yard");
    char serial[32];
    cJSON *m = mission_get(c, id), *a;
    int held;
    snprintf(serial, sizeof serial, "%s", lp_test_jstr(m, "agv"));
    cJSON_Delete(m);
    wait_holds(c, serial);
    fault(c, serial, "silence");
    wait_audit(c, serial, "agv.lost");
    a = agv_get(c, serial);
    assert_string_equal(lp_test_jstr(a, "state"), "lost");
    cJSON_Delete(a);
    held = traffic_holds(c, serial);
    assert_true(held > 0); /* its reservations stay */
    pump(c, 1.5);
    assert_int_equal(traffic_holds(c, serial), held); /* and nothing takes them */
    assert_int_equal(count_alerts(c, serial, "lost"), 1);
    fault(c, serial, "clear");
    wait_audit(c, serial, "agv.found");
    wait_state(c, id, "completed", NULL, NULL);
}

/* Stops and live events ------------------------------------------------------------ */

/* Waits until GET /api/v1/agvs shows member of serial true. */
static void wait_flag(ctx *c, const char *serial, const char *member)
{
    double end = lp_monotonic() + WAIT_S;
    for (;;) {
        cJSON *a = agv_get(c, serial);
        int ok = cJSON_IsTrue(cJSON_GetObjectItem(a, member)) && !cJSON_IsTrue(cJSON_GetObjectItem(a, "driving"));
        cJSON_Delete(a);
        if (ok) return;
        if (lp_monotonic() > end) lp_test_fail("%s never stood with %s", serial, member);
        pump(c, 0.05);
    }
}

/* Waits until the mission's record has a stop with cause; returns its
 * duration in seconds. */
static long wait_stop(ctx *c, long id, const char *cause)
{
    double end = lp_monotonic() + WAIT_S;
    for (;;) {
        cJSON *m = mission_get(c, id), *it;
        long d = -1;
        cJSON_ArrayForEach(it, cJSON_GetObjectItem(m, "stops")) {
            if (!strcmp(lp_test_jstr(it, "cause"), cause)) d = lp_test_jint(it, "duration_s");
        }
        cJSON_Delete(m);
        if (d >= 0) return d;
        if (lp_monotonic() > end) lp_test_fail("mission %ld has no stop %s", id, cause);
        pump(c, 0.1);
    }
}

static void post(ctx *c, const char *path)
{
    lp_test_resp r = lp_test_http(&c->g.srv, "POST", path, c->g.operator, NULL, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
}

static void test_stops_and_events(void **state)
{
    ctx *c = *state;
    long id, t = T_1840 + 600000;
    char serial[32];
    cJSON *m;
    static frame f[4096];
    int n, i, positions = 0, moved = 0, estop = 0;
    double x0 = 0, y0 = 0;
    sse s;
    set_clock(c, t);
    sse_open(&s, &c->g.srv, "/api/v1/events", c->g.operator, NULL);
    id = mission(c, "vn_yard", "china_yard");
    m = mission_get(c, id);
    snprintf(serial, sizeof serial, "%s", lp_test_jstr(m, "agv"));
    cJSON_Delete(m);
    wait_holds(c, serial);
    post(c, "/api/v1/agvs/pause-all");
    wait_flag(c, serial, "paused");
    pump(c, 0.5); /* the fleet has the paused state */
    set_clock(c, t += 30000);
    post(c, "/api/v1/agvs/resume-all");
    assert_true(wait_stop(c, id, "pause") >= 30);
    fault(c, serial, "estop");
    wait_flag(c, serial, "estop");
    pump(c, 0.5);
    set_clock(c, t += 20000);
    fault(c, serial, "clear");
    assert_true(wait_stop(c, id, "e-stop") >= 20);
    wait_state(c, id, "completed", NULL, NULL);
    assert_true(sse_wait(&s, "\"kind\":\"estop\""));
    for (i = 0; i < 100000 && sse_read(&s, 0); i++) {} /* what is there */
    n = sse_frames(&s, f, 4096);
    for (i = 0; i < n; i++) {
        const char *who = lp_test_jstr(payload(&f[i]), "serial");
        if (!who || strcmp(who, serial)) continue;
        if (!strcmp(f[i].event, "agv.alert") && !strcmp(lp_test_jstr(payload(&f[i]), "kind"), "estop")) estop = 1;
        if (!strcmp(f[i].event, "agv.position")) {
            const cJSON *p = cJSON_GetObjectItem(payload(&f[i]), "position");
            double x = cJSON_GetNumberValue(cJSON_GetObjectItem(p, "x")), y = cJSON_GetNumberValue(cJSON_GetObjectItem(p, "y"));
            if (positions++ && (x != x0 || y != y0)) moved++;
            x0 = x, y0 = y;
        }
    }
    frames_free(f, n);
    sse_close(&s);
    assert_true(estop);
    assert_true(positions >= 3);
    assert_true(moved >= 2); /* the vehicle moved between events */
}

/* Every order and instantActions landport sent is valid VDA 5050 2.1.0. */
static void test_schemas(void **state)
{
    ctx *c = *state;
    check_schemas(c, 2, 8); /* two missions, pause-all and resume-all to four */
}

static int group_setup(void **state)
{
    ctx *c;
    setenv("LANDPORT_AGV_LOST_MS", "2000", 1); /* for the server it starts */
    c = fx_setup(state, "it_fleet_safety", NULL);
    unsetenv("LANDPORT_AGV_LOST_MS");
    fx_four_vehicles(c);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agvs_page),         cmocka_unit_test(test_invalid_message),
        cmocka_unit_test(test_silence_lost),      cmocka_unit_test(test_stops_and_events),
        cmocka_unit_test(test_schemas),
    };
    return cmocka_run_group_tests(tests, group_setup, fx_teardown);
}

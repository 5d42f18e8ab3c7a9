/* it_fleet_charge.c - charging end to end, with a private mosquitto and
 * `landport agv-sim` vehicles whose battery starts at 25 % (under the
 * default agv_charge_below of 30 %; fleet_fx.inc).  At 21:00 gate time,
 * outside the AGV window: a vehicle in the Vietnamese yard gets a mission of
 * kind "charge" to the charging station at once (the window does not apply:
 * it does not cross the road), shows state "charging" there, and at 90 %
 * the fleet sends stopCharging and the mission completes ("charged"); the
 * next mission from the Vietnamese yard takes it from the charger (it
 * drives to the yard first, on its side of km 0).  A vehicle in
 * the China yard would have to cross: it raises battery_low once and waits
 * for the window, then crosses (held at the inspection stop like any other)
 * and charges.  Bad charge settings stop the server at start with a clear
 * message.  Every order (with the startCharging node action) and instant
 * action sent is valid VDA 5050 2.1.0. */
#include "fleet_fx.inc"

/* The missions of vehicle serial (caller owns the page). */
static cJSON *missions_of(ctx *c, const char *serial)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/agv-missions?agv=%s", serial);
    return get_json(c, path);
}

/* Waits for the charge mission of serial; returns its id. */
static long wait_charge_mission(ctx *c, const char *serial)
{
    double end = lp_monotonic() + WAIT_S;
    for (;;) {
        cJSON *j = missions_of(c, serial), *it;
        long id = 0;
        cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "items")) {
            if (!strcmp(lp_test_jstr(it, "kind"), "charge")) id = lp_test_jint(it, "id");
        }
        cJSON_Delete(j);
        if (id) return id;
        if (lp_monotonic() > end) lp_test_fail("%s never went to charge", serial);
        pump(c, 0.1);
    }
}

/* Waits until GET /api/v1/agvs shows serial in state. */
static void wait_agv_state(ctx *c, const char *serial, const char *state)
{
    double end = lp_monotonic() + WAIT_S;
    for (;;) {
        cJSON *a = agv_get(c, serial);
        int ok = a && !strcmp(lp_test_jstr(a, "state"), state);
        if (ok && !strcmp(state, "charging")) assert_true(cJSON_IsTrue(cJSON_GetObjectItem(a, "charging")));
        cJSON_Delete(a);
        if (ok) return;
        if (lp_monotonic() > end) lp_test_fail("%s never was %s", serial, state);
        pump(c, 0.05);
    }
}

/* The charge mission's record once done: completed, charged, at the charger. */
static void check_charged(ctx *c, long id, const char *serial)
{
    cJSON *m = mission_get(c, id), *a, *route;
    assert_string_equal(lp_test_jstr(m, "state"), "completed");
    assert_string_equal(lp_test_jstr(m, "reason"), "charged");
    assert_string_equal(lp_test_jstr(m, "to_zone"), "charging");
    route = cJSON_GetObjectItem(m, "route");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(route, cJSON_GetArraySize(route) - 1)), "vn-charge");
    assert_non_null(lp_test_jstr(m, "finished_at"));
    cJSON_Delete(m);
    wait_agv_state(c, serial, "idle");
    a = agv_get(c, serial);
    assert_true(lp_test_jint(a, "battery") >= 90);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(a, "charging")));
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItem(a, "position"), "last_node"), "vn-charge");
    cJSON_Delete(a);
}

/* Waits until the log of the messages landport sent holds needle (the
 * client may get a message after the record that followed it). */
static void wait_sent(ctx *c, const char *needle)
{
    double end = lp_monotonic() + WAIT_S;
    char line[65536];
    int found = 0;
    while (!found) {
        FILE *f = fopen(c->log_path, "r");
        assert_non_null(f);
        while (!found && fgets(line, sizeof line, f)) found = strstr(line, needle) != NULL;
        fclose(f);
        if (!found && lp_monotonic() > end) lp_test_fail("landport never sent %s", needle);
        if (!found) pump(c, 0.1);
    }
}

/* Tests ---------------------------------------------------------------------------- */

static void test_charge_in_vn_yard(void **state)
{
    ctx *c = *state;
    static const char *const audit[] = {"agv_mission.create", "system:fleet", "agv_mission.charging",
                                        "agv_mission.complete", NULL};
    long id = wait_charge_mission(c, "vn1"), back;
    cJSON *m;
    m = mission_get(c, id);
    assert_string_equal(lp_test_jstr(m, "from_zone"), "vn_yard");
    cJSON_Delete(m);
    wait_agv_state(c, "vn1", "charging");
    wait_state(c, id, "completed", NULL, NULL);
    check_charged(c, id, "vn1");
    wait_sent(c, "startCharging");
    wait_sent(c, "stopCharging");
    mission_audit_has(c, id, audit);
    /* the next mission from the Vietnamese yard takes the charged vehicle
     * from the charger next door: vn-charge, vn-yard, ... to the China yard */
    set_clock(c, T_1840);
    back = mission(c, "vn_yard", "china_yard");
    m = mission_get(c, back);
    assert_string_equal(lp_test_jstr(m, "agv"), "vn1");
    assert_string_equal(lp_test_jstr(m, "from_zone"), "vn_yard");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(m, "route"), 0)), "vn-charge");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(m, "route"), 1)), "vn-yard");
    cJSON_Delete(m);
    wait_state(c, back, "completed", NULL, NULL);
    wait_agv_state(c, "vn1", "idle");
    m = agv_get(c, "vn1");
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItem(m, "position"), "last_node"), "cn-yard");
    cJSON_Delete(m);
}

static void test_battery_low_waits_for_window(void **state)
{
    ctx *c = *state;
    cJSON *j, *it;
    long id;
    int n = 0;
    set_clock(c, T_2100);
    spawn_sims(c, "cn", "1", "40", "1200", "cn-yard", "25");
    wait_audit(c, "cn1", "agv.battery_low");
    pump(c, 2.5); /* more states at 1 Hz: still one alert, no mission */
    j = audit_of(c, "cn1", "agv.alert_raised");
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "items")) {
        const cJSON *after = cJSON_GetObjectItem(it, "after");
        if (strcmp(lp_test_jstr(after, "kind"), "battery_low")) continue;
        n++;
        assert_non_null(strstr(lp_test_jstr(after, "detail"), "km 0"));
    }
    cJSON_Delete(j);
    assert_int_equal(n, 1);
    j = missions_of(c, "cn1");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")), 0);
    cJSON_Delete(j);
    /* the window opens: it crosses, held at the inspection stop like any other */
    set_clock(c, T_1840 + 60000);
    id = wait_charge_mission(c, "cn1");
    wait_state(c, id, "held_at_inspection", NULL, NULL);
    release(c, id, c->guard, 200);
    wait_state(c, id, "completed", NULL, NULL);
    check_charged(c, id, "cn1");
}

/* agv_charge_below must lie above agv_battery_min and below agv_charge_to. */
static void test_bad_settings(void **state)
{
    ctx *c = *state;
    static const char *const bad[][2] = {{"agv_charge_below = 15", "agv_charge_below (15 %) must be above agv_battery_min"},
                                         {"agv_charge_to = 25", "agv_charge_to (25 %) must be above agv_charge_below"},
                                         {"agv_charge_to = 101", "agv_charge_to must be a whole number from 2 to 100"}};
    char ini[700], *err = NULL;
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FILE *f;
        snprintf(ini, sizeof ini, "%s/bad.ini", c->dir);
        f = fopen(ini, "w");
        assert_non_null(f);
        fprintf(f, "[server]\n%s\n", bad[i][0]);
        fclose(f);
        assert_int_equal(lp_test_run(NULL, &err, "serve", "--config", ini, "--listen", "127.0.0.1:0", NULL), 2);
        if (!strstr(err, bad[i][1])) lp_test_fail("serve said: %s", err);
        free(err);
        err = NULL;
    }
}

static void test_schemas(void **state)
{
    ctx *c = *state;
    check_schemas(c, 3, 2); /* three missions, two stopCharging */
}

static int group_setup(void **state)
{
    ctx *c = fx_setup(state, "it_fleet_charge", NULL);
    set_clock(c, T_2100); /* outside the window */
    spawn_sims(c, "vn", "1", "40", "-1198", "vn-yard", "25");
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charge_in_vn_yard),
        cmocka_unit_test(test_battery_low_waits_for_window),
        cmocka_unit_test(test_bad_settings),
        cmocka_unit_test(test_schemas),
    };
    return cmocka_run_group_tests(tests, group_setup, fx_teardown);
}

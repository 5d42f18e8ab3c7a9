/* it_agv_sim.c - landport agv-sim against a real mosquitto (ctest fixture
 * "mqtt"): three simulated vehicles driven by a test client over VDA 5050.
 * Checks driving through base nodes only and stopping at the end of the
 * base, continuing after an update extends the base, the order-update
 * rejections, pause/resume (actionStatus PAUSED), cancelOrder, state at
 * 1 Hz, e-stop and stall faults, the last will on a dropped connection,
 * OFFLINE on SIGTERM, and (second group, private broker) reconnection after
 * a broker restart.  Every VDA 5050 message on the vehicles' topics (both
 * directions: the client subscribes to uagv/v2/{manufacturer}/#) is logged
 * and validated against the 2.1.0 JSON schemas by tests/tools/vda5050_validate.py. */
#include "it_agv_sim_client.inc"

/* Tests ------------------------------------------------------------------------ */

/* Usage: --help, missing or bad options. */
static void test_usage(void **state)
{
    char *out = NULL, *err = NULL;
    (void)state;
    assert_int_equal(lp_test_run(&out, &err, "agv-sim", "--help", NULL), 0);
    assert_non_null(strstr(out, "landport-sim/SERIAL/fault"));
    free(out), free(err);
    assert_int_equal(lp_test_run(&out, &err, "agv-sim", "--count", "2", NULL), 2);
    assert_non_null(strstr(err, "--broker HOST:PORT are required"));
    free(out), free(err);
    assert_int_equal(lp_test_run(&out, &err, "agv-sim", "--count", "2", "--broker", "nohost", NULL), 2);
    assert_non_null(strstr(err, "bad value"));
    free(out), free(err);
    assert_int_equal(lp_test_run(&out, &err, "agv-sim", "--count", "1", "--broker", "127.0.0.1:1", "--serial-prefix",
                                 "a/b", NULL), 1);
    assert_non_null(strstr(err, "must not hold"));
    free(out), free(err);
}

/* v1 drives A-B-C (base) and stops at C, before the horizon node D. */
static void test_base_only(void **state)
{
    ctx *c = *state;
    path p = {.order_id = "o1", .n = 4, .nbase = 3, .ids = {"A", "B", "C", "D"}, .xs = {0, 100, 200, 300},
              .max_speed = 6};
    const lp_vda_state *s = &c->v[0].st;
    send_order(c, "v1", &p);
    WAIT(c, "v1 driving", .vi = 0, .driving = 1);
    WAIT(c, "v1 at C, standing", .vi = 0, .node = "C", .standing = 1);
    assert_string_equal(s->order_id, "o1");
    assert_int_equal(s->last_node_seq, 4);
    assert_true(s->new_base_request);
    assert_int_equal(s->nnode_states, 1);
    assert_string_equal(s->node_states[0].node_id, "D");
    assert_false(s->node_states[0].released);
    assert_int_equal(s->nedge_states, 1);
    assert_false(s->edge_states[0].released);
    assert_true(fabs(s->position.x - 200) < 1e-6);
    assert_true(s->battery.charge < 100); /* drained by 200 m */
    /* Standing at the base end: ten more simulated seconds change nothing. */
    wait_states(c, 0, 2);
    assert_string_equal(c->v[0].st.last_node_id, "C");
    assert_false(c->v[0].st.driving);
    assert_true(c->v[0].max_x <= 200 + 1e-6);
}

/* An update stitched at C releases D and E; a lower orderUpdateId and a
 * wrong stitching node are rejected; a new order elsewhere has no route. */
static void test_update_extends_base(void **state)
{
    ctx *c = *state;
    path up = {.order_id = "o1", .update_id = 1, .first_seq = 4, .n = 3, .nbase = 3, .ids = {"C", "D", "E"},
               .xs = {200, 300, 400}};
    path old = {.order_id = "o1", .update_id = 0, .first_seq = 4, .n = 2, .nbase = 2, .ids = {"C", "D"},
                .xs = {200, 300}};
    path badstitch = {.order_id = "o1", .update_id = 2, .first_seq = 2, .n = 2, .nbase = 2, .ids = {"B", "C"},
                      .xs = {100, 200}};
    path far = {.order_id = "o2", .n = 2, .nbase = 2, .ids = {"Y", "Z"}, .xs = {5000, 6000}};
    send_order(c, "v1", &up);
    WAIT(c, "v1 at E, order done", .vi = 0, .node = "E", .standing = 1, .no_nodes = 1);
    assert_int_equal(c->v[0].st.order_update_id, 1);
    assert_int_equal(c->v[0].st.last_node_seq, 8);
    assert_false(c->v[0].st.new_base_request);
    assert_true(fabs(c->v[0].st.position.x - 400) < 1e-6);
    send_order(c, "v1", &old);
    WAIT(c, "orderUpdateError", .vi = 0, .error = "orderUpdateError");
    assert_int_equal(c->v[0].st.order_update_id, 1);
    send_order(c, "v1", &badstitch);
    wait_states(c, 0, 1);
    assert_non_null(lp_vda_state_find_error(&c->v[0].st, "orderUpdateError"));
    assert_int_equal(c->v[0].st.order_update_id, 1);
    send_order(c, "v1", &far);
    WAIT(c, "noRouteError", .vi = 0, .error = "noRouteError");
    assert_string_equal(c->v[0].st.order_id, "o1");
}

/* v2: a blocking node action runs, pauses (PAUSED) and resumes; cancelOrder
 * fails it; then driving pauses and resumes, cancelOrder stops the vehicle
 * and a second cancelOrder finds nothing to cancel. */
static void test_pause_resume_cancel(void **state)
{
    ctx *c = *state;
    path p = {.order_id = "p1", .n = 2, .nbase = 2, .ids = {"A", "B"}, .xs = {0, 2000}, .act_node = 0,
              .act_id = "pick-1", .act_type = "pick", .act_duration = "600"};
    path q = {.order_id = "p2", .n = 2, .nbase = 2, .ids = {"A", "B"}, .xs = {0, 2000}};
    double x;
    send_order(c, "v2", &p);
    WAIT(c, "pick running", .vi = 1, .action = "pick-1", .status = LP_VDA_AS_RUNNING, .standing = 1);
    send_instant(c, "v2", "pause-1", "startPause");
    WAIT(c, "pick paused", .vi = 1, .action = "pick-1", .status = LP_VDA_AS_PAUSED, .paused = 1);
    assert_non_null(lp_vda_state_find_action(&c->v[1].st, "pause-1"));
    send_instant(c, "v2", "resume-1", "stopPause");
    WAIT(c, "pick running again", .vi = 1, .action = "pick-1", .status = LP_VDA_AS_RUNNING, .paused = -1);
    send_instant(c, "v2", "cancel-1", "cancelOrder");
    WAIT(c, "cancel finished", .vi = 1, .action = "cancel-1", .status = LP_VDA_AS_FINISHED, .no_nodes = 1);
    assert_int_equal(lp_vda_state_find_action(&c->v[1].st, "pick-1")->status, LP_VDA_AS_FAILED);

    send_order(c, "v2", &q);
    WAIT(c, "v2 driving", .vi = 1, .driving = 1, .min_x = 20);
    send_instant(c, "v2", "pause-2", "startPause");
    WAIT(c, "v2 paused and standing", .vi = 1, .paused = 1, .standing = 1);
    x = c->v[1].st.position.x;
    wait_states(c, 1, 2);
    assert_true(fabs(c->v[1].st.position.x - x) < 1e-9);
    assert_false(c->v[1].st.driving);
    send_instant(c, "v2", "resume-2", "stopPause");
    WAIT(c, "v2 moving again", .vi = 1, .driving = 1, .paused = -1, .min_x = x + 1);
    send_instant(c, "v2", "cancel-2", "cancelOrder");
    WAIT(c, "v2 cancelled", .vi = 1, .action = "cancel-2", .status = LP_VDA_AS_FINISHED, .no_nodes = 1,
         .standing = 1);
    assert_string_equal(c->v[1].st.order_id, "p2");
    /* cancelled on the edge, it stops at the next node, where a new order can start */
    assert_true(fabs(c->v[1].st.position.x - 2000) < 1e-6);
    assert_string_equal(c->v[1].st.last_node_id, "B");
    send_instant(c, "v2", "cancel-3", "cancelOrder");
    WAIT(c, "noOrderToCancel", .vi = 1, .action = "cancel-3", .status = LP_VDA_AS_FAILED,
         .error = "noOrderToCancel");
}

/* An idle vehicle reports once a second: consecutive headerIds, timestamps
 * about a second apart (bounds are wide: the machine may be loaded). */
static void test_state_1hz(void **state)
{
    ctx *c = *state;
    int i;
    wait_states(c, 2, 5);
    for (i = 4; i < 8; i++) {
        int64_t gap = c->v[2].ts[i] - c->v[2].ts[i - 1];
        assert_int_equal(c->v[2].hid[i], c->v[2].hid[i - 1] + 1);
        if (gap < 800 || gap > 5000) lp_test_fail("state gap of %lld ms at an idle vehicle", (long long)gap);
    }
}

/* e-stop and stall stop the vehicle with a FATAL error; clear lets it go. */
static void test_estop_and_stall(void **state)
{
    ctx *c = *state;
    path p = {.order_id = "f1", .n = 2, .nbase = 2, .ids = {"A", "B"}, .xs = {0, 3000}};
    const lp_vda_error *e;
    send_order(c, "v3", &p);
    WAIT(c, "v3 driving", .vi = 2, .driving = 1, .min_x = 10);
    send_fault(c, "v3", "estop");
    WAIT(c, "e-stop", .vi = 2, .estop = 1, .standing = 1, .error = "emergencyStop");
    e = lp_vda_state_find_error(&c->v[2].st, "emergencyStop");
    assert_true(e->fatal);
    assert_int_equal(c->v[2].st.estop, LP_VDA_ESTOP_REMOTE);
    send_fault(c, "v3", "clear");
    WAIT(c, "e-stop cleared", .vi = 2, .estop = -1, .no_error = "emergencyStop", .driving = 1);
    send_fault(c, "v3", "stall");
    WAIT(c, "stall", .vi = 2, .standing = 1, .error = "driveStall");
    assert_true(lp_vda_state_find_error(&c->v[2].st, "driveStall")->fatal);
    send_fault(c, "v3", "clear");
    WAIT(c, "stall cleared", .vi = 2, .no_error = "driveStall", .driving = 1);
}

/* drop_connection: the broker publishes the last will CONNECTIONBROKEN; the
 * vehicle reconnects and says ONLINE again. */
static void test_last_will(void **state)
{
    ctx *c = *state;
    unsigned long seen = c->v[2].nconn;
    send_fault(c, "v3", "drop_connection");
    WAIT(c, "CONNECTIONBROKEN", .vi = 2, .conn = "CONNECTIONBROKEN", .nconn = seen);
    WAIT(c, "ONLINE again", .vi = 2, .conn = "ONLINE", .nconn = seen);
    wait_states(c, 2, 1);
}

/* SIGTERM: every vehicle says OFFLINE and the process exits 0. */
static void test_sigterm_offline(void **state)
{
    ctx *c = *state;
    unsigned long seen[NV];
    int i, st;
    for (i = 0; i < NV; i++) seen[i] = c->v[i].nconn;
    kill(c->sim, SIGTERM);
    for (i = 0; i < NV; i++) WAIT(c, "OFFLINE", .vi = i, .conn = "OFFLINE", .nconn = seen[i]);
    assert_int_equal(waitpid(c->sim, &st, 0), c->sim);
    c->sim = 0;
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* Every message seen, both directions, against the 2.1.0 schemas; and the
 * validator itself rejects a broken message. */
static void test_schema_valid(void **state)
{
    ctx *c = *state;
    char cmd[2048], bad[600];
    FILE *f;
    int rc;
    fflush(c->log);
    snprintf(cmd, sizeof cmd, "python3 %s/tests/tools/vda5050_validate.py %s/2.1.0 %s", LP_SOURCE_DIR,
             LP_VDA5050_SCHEMA_DIR, c->log_path);
    rc = system(cmd);
    assert_int_equal(rc, 0);
    snprintf(bad, sizeof bad, "%s/bad.jsonl", c->dir);
    f = fopen(bad, "w");
    assert_non_null(f);
    fprintf(f, "{\"topic\":\"uagv/v2/m/s/connection\",\"payload\":\"{\\\"headerId\\\":1,"
               "\\\"timestamp\\\":\\\"2026-11-23T10:00:00.000Z\\\",\\\"version\\\":\\\"2.1.0\\\","
               "\\\"manufacturer\\\":\\\"m\\\",\\\"serialNumber\\\":\\\"s\\\",\\\"connectionState\\\":\\\"GONE\\\"}\"}\n");
    fclose(f);
    snprintf(cmd, sizeof cmd, "python3 %s/tests/tools/vda5050_validate.py %s/2.1.0 %s >/dev/null", LP_SOURCE_DIR,
             LP_VDA5050_SCHEMA_DIR, bad);
    rc = system(cmd);
    assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 1);
}

/* The broker restarts on the same port: the vehicles and the client
 * reconnect with backoff, the vehicles say ONLINE again and renew their
 * subscriptions (an order sent afterwards is driven). */
static void test_broker_restart(void **state)
{
    ctx *c = *state;
    path p = {.order_id = "r1", .n = 2, .nbase = 2, .ids = {"A", "B"}, .xs = {0, 100}};
    unsigned long seen[NV];
    int i;
    for (i = 0; i < NV; i++) seen[i] = c->v[i].nconn;
    broker_script("stop", c->broker_dir, 0);
    pump_for(c, 0.5);
    assert_false(lp_mqtt_connected(c->cli));
    broker_script("start", c->broker_dir, c->port);
    for (i = 0; i < NV; i++) WAIT(c, "ONLINE after the restart", .vi = i, .conn = "ONLINE", .nconn = seen[i]);
    send_order(c, "v1", &p);
    WAIT(c, "v1 drove after the restart", .vi = 0, .node = "B", .standing = 1, .no_nodes = 1);
    test_sigterm_offline(state);
    test_schema_valid(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_base_only),
        cmocka_unit_test(test_update_extends_base),
        cmocka_unit_test(test_pause_resume_cancel),
        cmocka_unit_test(test_state_1hz),
        cmocka_unit_test(test_estop_and_stall),
        cmocka_unit_test(test_last_will),
        cmocka_unit_test(test_sigterm_offline),
        cmocka_unit_test(test_schema_valid),
    };
    const struct CMUnitTest restart[] = {
        cmocka_unit_test(test_broker_restart),
    };
    int failed;
    signal(SIGPIPE, SIG_IGN);
    failed = cmocka_run_group_tests_name("agv_sim", tests, group_setup, group_teardown);
    failed += cmocka_run_group_tests_name("agv_sim_restart", restart, restart_setup, group_teardown);
    return failed;
}

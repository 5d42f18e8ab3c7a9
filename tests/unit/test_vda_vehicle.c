/* test_vda_vehicle.c - the simulated vehicle without MQTT: acceleration and
 * edge speed limits, stopping at the base end and never entering the
 * horizon, newBaseRequest, battery drain and charging by a node action,
 * blocking node actions, pause, cancel, faults and rejected orders. */
#include "testlib.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "agv/vehicle.h"
#include "core/mem.h"

/* Nodes along x at xs[], the first nbase released; edge limit vmax (0 none);
 * an optional action on node act_node. */
static void make(lp_vda_order *o, const char *id, int n, int nbase, const double *xs, double vmax, int act_node,
                 const char *act_type, const char *duration)
{
    int i;
    memset(o, 0, sizeof *o);
    snprintf(o->order_id, sizeof o->order_id, "%s", id);
    for (i = 0; i < n; i++) {
        lp_vda_node nd;
        lp_vda_action a;
        lp_vda_param p;
        memset(&nd, 0, sizeof nd);
        snprintf(nd.node_id, sizeof nd.node_id, "N%d", i);
        nd.seq = 2 * i;
        nd.released = i < nbase;
        nd.pos.present = 1;
        nd.pos.x = xs[i];
        nd.pos.allowed_dev_xy = -1;
        strcpy(nd.pos.map_id, "road");
        if (i == act_node) {
            memset(&a, 0, sizeof a);
            strcpy(a.action_id, "act");
            snprintf(a.action_type, sizeof a.action_type, "%s", act_type);
            a.blocking = LP_VDA_BLOCK_HARD;
            if (duration) {
                strcpy(p.key, "duration");
                p.value_json = (char *)duration;
                a.params = &p;
                a.nparams = 1;
            }
            nd.actions = &a;
            nd.nactions = 1;
        }
        lp_vda_order_add_node(o, &nd);
        if (i > 0) {
            lp_vda_edge e;
            memset(&e, 0, sizeof e);
            snprintf(e.edge_id, sizeof e.edge_id, "E%d", i);
            e.seq = nd.seq - 1;
            e.released = nd.released;
            snprintf(e.start_node, sizeof e.start_node, "N%d", i - 1);
            snprintf(e.end_node, sizeof e.end_node, "N%d", i);
            e.max_speed = vmax;
            lp_vda_order_add_edge(o, &e);
        }
    }
}

typedef struct run {
    double max_speed, max_x, max_accel;
    int new_base_seen;
} run;

/* Steps t seconds in 0.1 s steps, recording extremes. */
static void drive(lp_vehicle *v, double t, run *r)
{
    lp_vda_state s;
    double prev = -1;
    int i;
    for (i = 0; i < (int)(t * 10 + 0.5); i++) {
        lp_vehicle_step(v, 0.1);
        lp_vehicle_state(v, &s);
        if (s.velocity.vx > r->max_speed) r->max_speed = s.velocity.vx;
        if (s.position.x > r->max_x) r->max_x = s.position.x;
        if (prev >= 0 && (s.velocity.vx - prev) / 0.1 > r->max_accel) r->max_accel = (s.velocity.vx - prev) / 0.1;
        if (s.new_base_request) r->new_base_seen = 1;
        prev = s.velocity.vx;
        lp_vda_state_deinit(&s);
    }
}

static void state_of(const lp_vehicle *v, lp_vda_state *s)
{
    lp_vehicle_state(v, s);
}

static void test_kinematics_and_base_end(void **state)
{
    const double xs[] = {0, 500, 1000, 1500};
    lp_vehicle_params p = {.speed_max = 10, .accel = 1, .decel = 2};
    lp_vehicle *v = lp_vehicle_create("m", "s", 0, 0, NULL, &p);
    lp_vda_order o;
    lp_vda_state s;
    run r = {0};
    (void)state;
    make(&o, "o", 4, 3, xs, 6, -1, NULL, NULL);
    assert_int_equal(lp_vehicle_order(v, &o), LP_VEHICLE_EV_STATE);
    drive(v, 400, &r);
    state_of(v, &s);
    assert_string_equal(s.last_node_id, "N2");
    assert_false(s.driving);
    assert_true(fabs(s.position.x - 1000) < 1e-9);
    assert_true(r.max_x <= 1000 + 1e-9);          /* never into the horizon */
    assert_true(r.max_speed <= 6 + 1e-9);         /* the edges' maxSpeed */
    assert_true(r.max_speed > 5.9);               /* and it does reach it */
    assert_true(r.max_accel <= 1 + 1e-6);         /* the acceleration limit */
    assert_true(s.new_base_request);
    assert_int_equal(s.nnode_states, 1);
    assert_true(fabs(s.battery.charge - 95) < 0.01); /* 1 km at 5 %/km */
    lp_vda_state_deinit(&s);
    lp_vda_order_deinit(&o);
    lp_vehicle_destroy(v);
}

static void test_blocking_action_and_charging(void **state)
{
    const double xs[] = {0, 100};
    lp_vehicle_params p = {.battery = 50, .charge_per_s = 10};
    lp_vehicle *v = lp_vehicle_create("m", "s", 0, 0, NULL, &p);
    lp_vda_order o;
    lp_vda_state s;
    run r = {0};
    (void)state;
    make(&o, "o", 2, 2, xs, 0, 0, "pick", "5");
    lp_vehicle_order(v, &o);
    drive(v, 4.5, &r);
    assert_true(r.max_x == 0); /* the HARD pick holds it */
    state_of(v, &s);
    assert_int_equal(lp_vda_state_find_action(&s, "act")->status, LP_VDA_AS_RUNNING);
    lp_vda_state_deinit(&s);
    drive(v, 60, &r);
    state_of(v, &s);
    assert_int_equal(lp_vda_state_find_action(&s, "act")->status, LP_VDA_AS_FINISHED);
    assert_string_equal(s.last_node_id, "N1");
    lp_vda_state_deinit(&s);
    lp_vda_order_deinit(&o);

    /* startCharging on the first node: it charges to full, then drives. */
    lp_vehicle_destroy(v);
    v = lp_vehicle_create("m", "s", 0, 0, NULL, &p);
    make(&o, "c", 2, 2, xs, 0, 0, "startCharging", NULL);
    lp_vehicle_order(v, &o);
    lp_vehicle_step(v, 1);
    state_of(v, &s);
    assert_true(s.battery.charging);
    assert_true(s.battery.charge > 50 && s.position.x == 0);
    lp_vda_state_deinit(&s);
    drive(v, 60, &r);
    state_of(v, &s);
    assert_false(s.battery.charging);
    assert_string_equal(s.last_node_id, "N1");
    assert_true(s.battery.charge > 99);
    lp_vda_state_deinit(&s);
    lp_vda_order_deinit(&o);
    lp_vehicle_destroy(v);
}

static void instant(lp_vehicle *v, const char *id, const char *type)
{
    lp_vda_instant m;
    memset(&m, 0, sizeof m);
    lp_vda_instant_add(&m, id, type, LP_VDA_BLOCK_NONE);
    lp_vehicle_instant(v, &m);
    lp_vda_instant_deinit(&m);
}

static void test_pause_cancel_faults(void **state)
{
    const double xs[] = {0, 1000};
    lp_vehicle *v = lp_vehicle_create("m", "s", 0, 0, NULL, NULL);
    lp_vda_order o;
    lp_vda_state s;
    run r = {0};
    double x;
    (void)state;
    make(&o, "o", 2, 2, xs, 0, -1, NULL, NULL);
    lp_vehicle_order(v, &o);
    drive(v, 10, &r);
    instant(v, "p", "startPause");
    drive(v, 20, &r);
    state_of(v, &s);
    assert_true(s.paused && !s.driving);
    x = s.position.x;
    lp_vda_state_deinit(&s);
    drive(v, 5, &r);
    state_of(v, &s);
    assert_true(s.position.x == x);
    lp_vda_state_deinit(&s);
    instant(v, "r", "stopPause");
    drive(v, 5, &r);
    state_of(v, &s);
    assert_true(s.position.x > x && s.driving);
    lp_vda_state_deinit(&s);
    assert_int_equal(lp_vehicle_fault(v, "estop"), LP_VEHICLE_EV_STATE);
    lp_vehicle_step(v, 0.1);
    state_of(v, &s);
    assert_false(s.driving);
    assert_int_equal(s.estop, LP_VDA_ESTOP_REMOTE);
    assert_true(lp_vda_state_find_error(&s, "emergencyStop")->fatal);
    lp_vda_state_deinit(&s);
    lp_vehicle_fault(v, "clear");
    assert_int_equal(lp_vehicle_fault(v, "teleport"), -1);
    drive(v, 2, &r);
    instant(v, "c", "cancelOrder");
    drive(v, 2, &r);
    state_of(v, &s); /* on the edge the cancel runs until it reaches the next node */
    assert_true(s.driving && s.position.x < 1000);
    assert_int_equal(lp_vda_state_find_action(&s, "c")->status, LP_VDA_AS_RUNNING);
    lp_vda_state_deinit(&s);
    drive(v, 600, &r);
    state_of(v, &s);
    assert_false(s.driving);
    assert_int_equal(s.nnode_states, 0);
    assert_int_equal(lp_vda_state_find_action(&s, "c")->status, LP_VDA_AS_FINISHED);
    assert_true(fabs(s.position.x - 1000) < 1e-6); /* stopped at the next node, not between two */
    assert_null(lp_vda_state_find_error(&s, "emergencyStop"));
    lp_vda_state_deinit(&s);
    /* Hours of pause/resume without a new order keep a bounded state. */
    {
        char id[32];
        int k;
        for (k = 0; k < 500; k++) {
            snprintf(id, sizeof id, "st-%d", k);
            instant(v, id, "stateRequest");
        }
        state_of(v, &s);
        assert_true(s.naction_states <= 40);
        assert_non_null(lp_vda_state_find_action(&s, "st-499"));
        assert_null(lp_vda_state_find_action(&s, "st-0"));
        lp_vda_state_deinit(&s);
    }
    /* An update of the cancelled order is refused. */
    o.order_update_id = 1;
    lp_vehicle_order(v, &o);
    state_of(v, &s);
    assert_non_null(lp_vda_state_find_error(&s, "orderUpdateError"));
    lp_vda_state_deinit(&s);
    lp_vda_order_deinit(&o);
    lp_vehicle_destroy(v);
}

static void test_rejects(void **state)
{
    const double xs[] = {0, 100};
    lp_vehicle *v = lp_vehicle_create("m", "s", 0, 0, "N0", NULL);
    lp_vda_order o;
    lp_vda_state s;
    lp_err err;
    (void)state;
    make(&o, "o", 2, 2, xs, 0, -1, NULL, NULL);
    o.nodes[1].pos.present = 0; /* this vehicle needs positions */
    lp_vehicle_order(v, &o);
    state_of(v, &s);
    assert_non_null(lp_vda_state_find_error(&s, "validationError"));
    assert_string_equal(s.order_id, "");
    lp_vda_state_deinit(&s);
    lp_err_init(&err);
    lp_err_field_add(&err, "/nodes/0/sequenceId", "must be an integer");
    lp_vehicle_reject(v, "order", &err);
    state_of(v, &s);
    assert_int_equal(s.nerrors, 2);
    assert_string_equal(s.errors[1].refs[1].value, "/nodes/0/sequenceId");
    lp_vda_state_deinit(&s);
    /* An accepted order clears the order errors; its first node may omit
     * the position (the vehicle stands on it by lastNodeId). */
    o.nodes[1].pos.present = 1;
    o.nodes[0].pos.present = 0;
    lp_vehicle_order(v, &o);
    state_of(v, &s);
    assert_int_equal(s.nerrors, 0);
    assert_string_equal(s.order_id, "o");
    lp_vda_state_deinit(&s);
    {
        run r = {0};
        drive(v, 60, &r);
    }
    state_of(v, &s);
    assert_string_equal(s.last_node_id, "N1");
    assert_true(fabs(s.position.x - 100) < 1e-9);
    lp_vda_state_deinit(&s);
    lp_vda_order_deinit(&o);
    lp_vehicle_destroy(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinematics_and_base_end),
        cmocka_unit_test(test_blocking_action_and_charging),
        cmocka_unit_test(test_pause_cancel_faults),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

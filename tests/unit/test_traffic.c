/* test_traffic.c - targeted cases of src/core/traffic*.c on road-1088: a
 * head-on request is refused until the other direction has cleared the
 * single-lane block, releases happen only on reports that the vehicle has
 * left, headway in one lane, fairness at a block, lost vehicles, and bad
 * input.  test_traffic_sim.c drives many vehicles at random. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/traffic.h"
#include "roadfx.h"

#define LEN 16.0 /* vehicle length, m */
#define GAP 10.0 /* headway, m */

typedef struct fx {
    lp_road *r;
    lp_traffic *t;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    lp_traffic_config cfg = {LEN, GAP, 0};
    f->r = lp_test_road("road-1088");
    assert_int_equal(lp_traffic_create(f->r, &cfg, &f->t, NULL), LP_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    lp_traffic_destroy(f->t);
    lp_road_destroy(f->r);
    free(f);
    return 0;
}

static int node(fx *f, const char *id)
{
    int n = lp_road_place(f->r, id);
    assert_true(n >= 0);
    return n;
}

static int add(fx *f, const char *name, const char *at)
{
    int v = -1;
    assert_int_equal(lp_traffic_vehicle_add(f->t, name, node(f, at), &v, NULL), LP_OK);
    return v;
}

/* Requests the quickest route from the vehicle's base end to `to` (NULL:
 * ask again for the current route); returns the id of the base end node. */
static const char *drive_to(fx *f, int v, const char *to)
{
    lp_traffic_vehicle_state st;
    lp_road_route rt;
    int g = -1;
    assert_int_equal(lp_traffic_vehicle_get(f->t, v, &st), LP_OK);
    if (to) {
        assert_int_equal(lp_road_plan(f->r, st.at_node, node(f, to), &rt, NULL), LP_OK);
        assert_int_equal(lp_traffic_request(f->t, v, &rt, 0, &g, NULL), LP_OK);
    } else assert_int_equal(lp_traffic_request(f->t, v, NULL, 0, &g, NULL), LP_OK);
    return f->r->nodes[lp_traffic_route(f->t, v)->nodes[g]].id;
}

/* Route position of node id on the vehicle's route. */
static double at(fx *f, int v, const char *id)
{
    const lp_road_route *rt = lp_traffic_route(f->t, v);
    int i;
    for (i = 0; i < rt->n; i++)
        if (rt->nodes[i] == node(f, id)) return lp_road_route_pos(f->r, rt, i);
    fail_msg("%s is not on the route", id);
    return 0;
}

static void test_head_on_refused_until_clear(void **state)
{
    fx *f = *state;
    int a = add(f, "agv-a", "china_yard"), b = add(f, "agv-b", "vn_yard");
    int blk = f->r->edges[lp_road_edge_find(f->r, "vn-single")].block;
    assert_string_equal(drive_to(f, a, "vn_yard"), "vn-yard");     /* the road is free: all of it */
    assert_string_equal(drive_to(f, b, "china_yard"), "vn-widen"); /* stops before the single lane */
    assert_int_equal(lp_traffic_block_dir(f->t, blk, NULL), LP_TRAFFIC_OUT);
    /* a is almost out of the last block: still refused */
    assert_int_equal(lp_traffic_progress(f->t, a, at(f, a, "vn-widen") - 0.5), LP_OK);
    assert_string_equal(drive_to(f, b, NULL), "vn-widen");
    /* a's front reaches the two-lane road: the block is free, and b is
     * granted the rest of the way (a has left the other blocks before) */
    assert_int_equal(lp_traffic_progress(f->t, a, at(f, a, "vn-widen")), LP_OK);
    assert_int_equal(lp_traffic_block_dir(f->t, blk, NULL), -1);
    assert_string_equal(drive_to(f, b, NULL), "cn-yard");
    assert_int_equal(lp_traffic_block_dir(f->t, blk, NULL), LP_TRAFFIC_IN);
}

static void test_release_only_after_leaving(void **state)
{
    fx *f = *state;
    int a = add(f, "agv-a", "china_yard"), e1 = lp_road_edge_find(f->r, "cn-yard-gate");
    int gate = node(f, "cn-gate");
    lp_traffic_hold h[64];
    assert_string_equal(drive_to(f, a, "china_exit"), "cn-exit");
    assert_int_equal(lp_traffic_holds(f->t, a, h, 64), 4); /* 2 edges + 2 spots (the yard has none) */
    assert_int_equal(lp_traffic_edge_holder(f->t, e1, LP_TRAFFIC_OUT), a);
    assert_int_equal(lp_traffic_edge_holder(f->t, e1, LP_TRAFFIC_IN), -1); /* the other lane */
    /* reports behind the end keep everything; the front at the gate frees the edge */
    assert_int_equal(lp_traffic_progress(f->t, a, 119), LP_OK);
    assert_int_equal(lp_traffic_edge_holder(f->t, e1, LP_TRAFFIC_OUT), a);
    assert_int_equal(lp_traffic_progress(f->t, a, 120), LP_OK);
    assert_int_equal(lp_traffic_edge_holder(f->t, e1, LP_TRAFFIC_OUT), -1);
    /* the gate's spot stays until the rear is GAP past it */
    assert_int_equal(lp_traffic_progress(f->t, a, 120 + LEN + GAP - 1), LP_OK);
    assert_int_equal(lp_traffic_node_holder(f->t, gate, LP_TRAFFIC_OUT), a);
    /* an explicit report: left the gate */
    assert_int_equal(lp_traffic_left(f->t, a, LP_TRAFFIC_NODE, gate), LP_OK);
    assert_int_equal(lp_traffic_node_holder(f->t, gate, LP_TRAFFIC_OUT), -1);
    assert_int_equal(lp_traffic_left(f->t, a, LP_TRAFFIC_NODE, gate), LP_ENOTFOUND);
    /* a report beyond the base counts as the base end; china_exit is no parking: the spot stays */
    assert_int_equal(lp_traffic_progress(f->t, a, 1e6), LP_OK);
    assert_int_equal(lp_traffic_node_holder(f->t, node(f, "china_exit"), LP_TRAFFIC_OUT), a);
    assert_int_equal(lp_traffic_holds(f->t, a, h, 64), 1);
}

static void test_headway(void **state)
{
    fx *f = *state;
    int a = add(f, "agv-a", "china_yard"), b = add(f, "agv-b", "china_yard");
    assert_string_equal(drive_to(f, a, "vn_yard"), "vn-yard");
    assert_string_equal(drive_to(f, b, "vn_yard"), "cn-yard"); /* a holds the lane */
    assert_int_equal(lp_traffic_progress(f->t, a, 120), LP_OK);
    assert_string_equal(drive_to(f, b, NULL), "cn-yard"); /* a stands at the gate */
    assert_int_equal(lp_traffic_progress(f->t, a, 120 + LEN + GAP - 0.1), LP_OK);
    assert_string_equal(drive_to(f, b, NULL), "cn-yard"); /* a's rear is < GAP past it */
    assert_int_equal(lp_traffic_progress(f->t, a, 120 + LEN + GAP), LP_OK);
    assert_string_equal(drive_to(f, b, NULL), "cn-gate"); /* not onto a's edge */
}

/* x holds the km 0 block going IN; a waits for it going OUT at passing bay 1;
 * y arrives at passing bay 2 going IN, the direction the block is held in:
 * a waited first, so y waits behind it. */
static void test_fairness(void **state)
{
    fx *f = *state;
    int x = add(f, "agv-x", "pb-vn"), a, y;
    int blk = f->r->nodes[node(f, "km0")].block;
    lp_traffic_vehicle_state st;
    assert_string_equal(drive_to(f, x, "pb-cn"), "pb-cn");
    assert_int_equal(lp_traffic_progress(f->t, x, 200), LP_OK); /* clear of bay 2, before km 0 */
    a = add(f, "agv-a", "china_yard");
    assert_string_equal(drive_to(f, a, "vn_yard"), "pb-cn");
    assert_int_equal(lp_traffic_vehicle_get(f->t, a, &st), LP_OK);
    assert_int_equal(st.waiting_block, blk);
    y = add(f, "agv-y", "vn_yard");
    assert_string_equal(drive_to(f, y, "china_yard"), "pb-vn");
    assert_int_equal(lp_traffic_progress(f->t, y, at(f, y, "pb-vn")), LP_OK);
    assert_int_equal(lp_traffic_block_dir(f->t, blk, NULL), LP_TRAFFIC_IN);
    /* x arrives: a goes first, y waits for a */
    assert_int_equal(lp_traffic_progress(f->t, x, 600), LP_OK);
    assert_string_equal(drive_to(f, y, NULL), "pb-vn");
    assert_string_equal(drive_to(f, a, NULL), "vn-yard");
    assert_int_equal(lp_traffic_block_dir(f->t, blk, NULL), LP_TRAFFIC_OUT);
    assert_string_equal(drive_to(f, y, NULL), "pb-vn");
}

/* A vehicle that arrived going IN and leaves going OUT (turning round at a
 * two-lane node) needs the node's OUT spot too. */
static void test_turn_round(void **state)
{
    fx *f = *state;
    int a = add(f, "agv-a", "vn_yard"), c = add(f, "agv-c", "china_yard");
    lp_traffic_vehicle_state st;
    assert_string_equal(drive_to(f, a, "china_exit"), "cn-exit");
    assert_int_equal(lp_traffic_progress(f->t, a, at(f, a, "cn-exit")), LP_OK);
    assert_string_equal(drive_to(f, c, "china_exit"), "cn-exit"); /* the OUT spot: c's */
    drive_to(f, a, "vn_yard");
    assert_int_equal(lp_traffic_vehicle_get(f->t, a, &st), LP_OK);
    assert_int_equal(st.granted, 0);
    assert_int_equal(lp_traffic_node_holder(f->t, node(f, "china_exit"), LP_TRAFFIC_OUT), c);
    assert_int_equal(lp_traffic_node_holder(f->t, node(f, "china_exit"), LP_TRAFFIC_IN), a);
    /* c goes on to the Vietnamese yard and parks: a may turn */
    assert_int_equal(lp_traffic_progress(f->t, c, at(f, c, "cn-exit")), LP_OK);
    assert_string_equal(drive_to(f, c, "vn_yard"), "vn-yard");
    assert_int_equal(lp_traffic_progress(f->t, c, 1e6), LP_OK);
    assert_string_equal(drive_to(f, a, NULL), "vn-yard");
    assert_int_equal(lp_traffic_node_holder(f->t, node(f, "china_exit"), LP_TRAFFIC_OUT), a);
}

static void test_lost_keeps_reservations(void **state)
{
    fx *f = *state;
    int a = add(f, "agv-a", "china_yard"), b = add(f, "agv-b", "vn_yard"), g = -1;
    int blk = f->r->nodes[node(f, "km0")].block;
    lp_err err;
    assert_string_equal(drive_to(f, a, "vn_yard"), "vn-yard");
    assert_int_equal(lp_traffic_progress(f->t, a, at(f, a, "km0")), LP_OK);
    assert_int_equal(lp_traffic_vehicle_lost(f->t, a), LP_OK);
    assert_string_equal(drive_to(f, b, "china_yard"), "vn-widen");
    lp_err_init(&err);
    assert_int_equal(lp_traffic_request(f->t, a, NULL, 0, &g, &err), LP_ECONFLICT);
    assert_non_null(strstr(err.msg, "lost"));
    assert_int_equal(lp_traffic_block_dir(f->t, blk, NULL), LP_TRAFFIC_OUT);
    assert_int_equal(lp_traffic_vehicle_found(f->t, a), LP_OK);
    assert_int_equal(lp_traffic_progress(f->t, a, at(f, a, "vn-handover")), LP_OK);
    assert_string_equal(drive_to(f, b, NULL), "cn-yard");
    /* removing a vehicle frees what it held */
    assert_int_equal(lp_traffic_vehicle_remove(f->t, a), LP_OK);
    assert_int_equal(lp_traffic_node_holder(f->t, node(f, "vn-inspect"), LP_TRAFFIC_OUT), -1);
    assert_int_equal(lp_traffic_vehicle_lost(f->t, a), LP_ENOTFOUND);
}

/* A cancelled order: the vehicle stands mid-edge; it keeps what it is on
 * and the node ahead, the rest goes; standing inside a single-lane block it
 * keeps the block up to its far end. */
static void test_halt(void **state)
{
    fx *f = *state;
    int a = add(f, "agv-a", "china_yard"), b = add(f, "agv-b", "vn_yard"), k = -1;
    int e1 = lp_road_edge_find(f->r, "cn-yard-gate"), blk = f->r->nodes[node(f, "km0")].block;
    const lp_road_route *rt;
    assert_string_equal(drive_to(f, a, "china_exit"), "cn-exit");
    assert_int_equal(lp_traffic_progress(f->t, a, 60), LP_OK);
    assert_int_equal(lp_traffic_halt(f->t, a, &k), LP_OK);
    assert_int_equal(k, 1); /* cn-gate, ahead of it */
    assert_int_equal(lp_traffic_edge_holder(f->t, e1, LP_TRAFFIC_OUT), a);
    assert_int_equal(lp_traffic_node_holder(f->t, node(f, "cn-gate"), LP_TRAFFIC_OUT), a);
    assert_int_equal(lp_traffic_node_holder(f->t, node(f, "china_exit"), LP_TRAFFIC_OUT), -1);
    /* once it has reached cn-gate it may take a new route from there */
    assert_int_equal(lp_traffic_progress(f->t, a, 1e6), LP_OK);
    assert_string_equal(drive_to(f, a, "vn_yard"), "vn-yard");
    assert_int_equal(lp_traffic_progress(f->t, a, at(f, a, "km0")), LP_OK);
    assert_int_equal(lp_traffic_halt(f->t, a, &k), LP_OK);
    rt = lp_traffic_route(f->t, a);
    assert_true(f->r->nodes[rt->nodes[k]].spots != LP_ROAD_SPOTS_ONE);
    assert_int_equal(lp_traffic_block_dir(f->t, blk, NULL), LP_TRAFFIC_OUT); /* still in it */
    assert_int_equal(lp_traffic_node_holder(f->t, node(f, "vn-inspect"), LP_TRAFFIC_OUT), -1);
    /* the next block is free again: b comes up to the bay before km0 */
    assert_string_equal(drive_to(f, b, "china_yard"), "pb-vn");
    assert_int_equal(lp_traffic_halt(f->t, 99, NULL), LP_ENOTFOUND);
}

static void test_bad_requests(void **state)
{
    fx *f = *state;
    int a = add(f, "agv-a", "china_yard"), v = -1, g = -1;
    lp_road_route rt;
    lp_err err;
    lp_err_init(&err);
    assert_int_equal(lp_traffic_vehicle_add(f->t, "agv-a", node(f, "vn_yard"), &v, &err), LP_ECONFLICT);
    lp_err_init(&err);
    assert_int_equal(lp_traffic_vehicle_add(f->t, "agv-z", node(f, "km0"), &v, &err), LP_EINVAL);
    assert_non_null(strstr(err.msg, "single-lane block"));
    /* not from the base end; into km 0; not yet at the base end */
    assert_int_equal(lp_road_plan(f->r, node(f, "vn_yard"), node(f, "china_yard"), &rt, NULL), LP_OK);
    lp_err_init(&err);
    assert_int_equal(lp_traffic_request(f->t, a, &rt, 0, &g, &err), LP_EINVAL);
    assert_non_null(strstr(err.msg, "must start at node \"cn-yard\""));
    assert_int_equal(lp_road_plan(f->r, node(f, "china_yard"), node(f, "km0"), &rt, NULL), LP_OK);
    lp_err_init(&err);
    assert_int_equal(lp_traffic_request(f->t, a, &rt, 0, &g, &err), LP_EINVAL);
    assert_non_null(strstr(err.msg, "ends at node \"km0\" inside a single-lane block"));
    assert_string_equal(drive_to(f, a, "china_exit"), "cn-exit");
    assert_int_equal(lp_road_plan(f->r, node(f, "china_exit"), node(f, "vn_yard"), &rt, NULL), LP_OK);
    lp_err_init(&err);
    assert_int_equal(lp_traffic_request(f->t, a, &rt, 0, &g, &err), LP_ECONFLICT);
    assert_int_equal(lp_traffic_request(f->t, 99, NULL, 0, &g, NULL), LP_ENOTFOUND);
}

static void test_tree_required(void **state)
{
    const char *text =
        "{\"format\":\"landport-road/1\",\"id\":\"loop\",\"nodes\":["
        "{\"id\":\"A\",\"x\":0,\"y\":0,\"kind\":\"parking\"},{\"id\":\"B\",\"x\":100,\"y\":0},"
        "{\"id\":\"C\",\"x\":100,\"y\":100}],\"edges\":["
        "{\"id\":\"ab\",\"from\":\"A\",\"to\":\"B\",\"length_m\":100,\"speed_kmh\":20},"
        "{\"id\":\"bc\",\"from\":\"B\",\"to\":\"C\",\"length_m\":100,\"speed_kmh\":20},"
        "{\"id\":\"ca\",\"from\":\"C\",\"to\":\"A\",\"length_m\":142,\"speed_kmh\":20}],\"zones\":["
        "{\"id\":\"china_yard\",\"node\":\"A\"},{\"id\":\"china_exit\",\"node\":\"A\"},{\"id\":\"km0\",\"node\":\"B\"},"
        "{\"id\":\"handover\",\"node\":\"B\"},{\"id\":\"inspection\",\"node\":\"C\"},{\"id\":\"vn_yard\",\"node\":\"C\"},"
        "{\"id\":\"charging\",\"node\":\"C\"}]}";
    lp_road *r = NULL;
    lp_traffic *t = (lp_traffic *)1;
    lp_traffic_config cfg = {LEN, GAP, 0}, bad = {0, GAP, 0};
    lp_err err;
    (void)state;
    assert_int_equal(lp_road_parse(text, strlen(text), &r, NULL), LP_OK);
    lp_err_init(&err);
    assert_int_equal(lp_traffic_create(r, &cfg, &t, &err), LP_EINVAL);
    assert_null(t);
    assert_non_null(strstr(err.msg, "without loops"));
    assert_int_equal(lp_traffic_create(r, &bad, &t, NULL), LP_EINVAL);
    lp_road_destroy(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_head_on_refused_until_clear, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release_only_after_leaving, setup, teardown),
        cmocka_unit_test_setup_teardown(test_headway, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fairness, setup, teardown),
        cmocka_unit_test_setup_teardown(test_turn_round, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lost_keeps_reservations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_halt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
        cmocka_unit_test(test_tree_required),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

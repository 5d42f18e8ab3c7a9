/* test_road.c - unit tests for src/core/road*.c: the road-1088 file, route
 * planning, geometry, and validation of bad road files with precise errors
 * (each case asserts the JSON pointer and words of the message). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/mem.h"
#include "core/road.h"
#include "roadfx.h"

/* A small valid road: yard A - two-lane - B - single - C (passing) - single -
 * D - two-lane - yard E, every required zone on one of them. */
#define NODES                                                                                   \
    "{\"id\":\"A\",\"x\":0,\"y\":0,\"kind\":\"parking\"},{\"id\":\"B\",\"x\":100,\"y\":0},"     \
    "{\"id\":\"C\",\"x\":200,\"y\":0,\"kind\":\"passing\"},{\"id\":\"D\",\"x\":300,\"y\":0},"   \
    "{\"id\":\"E\",\"x\":400,\"y\":0,\"kind\":\"parking\"}"
#define EDGE(id, a, b, len, lane)                                                               \
    "{\"id\":\"" id "\",\"from\":\"" a "\",\"to\":\"" b "\",\"length_m\":" len                  \
    ",\"speed_kmh\":36,\"lane\":\"" lane "\"}"
#define EDGES                                                                                   \
    EDGE("ab", "A", "B", "100", "double") "," EDGE("bc", "B", "C", "100", "single") ","         \
    EDGE("cd", "C", "D", "100", "single") "," EDGE("de", "D", "E", "100", "double")
#define ZONES                                                                                   \
    "{\"id\":\"china_yard\",\"node\":\"A\"},{\"id\":\"china_exit\",\"node\":\"B\"},"            \
    "{\"id\":\"km0\",\"node\":\"C\"},{\"id\":\"handover\",\"node\":\"D\"},"                     \
    "{\"id\":\"inspection\",\"node\":\"D\"},{\"id\":\"vn_yard\",\"node\":\"E\"},"               \
    "{\"id\":\"charging\",\"node\":\"E\"}"
#define ROAD(nodes, edges, zones)                                                               \
    "{\"format\":\"landport-road/1\",\"id\":\"t\",\"nodes\":[" nodes "],\"edges\":[" edges      \
    "],\"zones\":[" zones "]}"

static lp_road *parse_ok(const char *text)
{
    lp_road *r = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_road_parse(text, strlen(text), &r, &err) != LP_OK)
        fail_msg("%s (%s: %s)", err.msg, err.nfields ? err.fields[0].pointer : "",
                 err.nfields ? err.fields[0].msg : "");
    return r;
}

/* Parsing fails with a field at `pointer` whose message contains `words`. */
static void parse_bad(const char *text, const char *pointer, const char *words)
{
    lp_road *r = (lp_road *)1;
    lp_err err;
    int i;
    lp_err_init(&err);
    assert_int_equal(lp_road_parse(text, strlen(text), &r, &err), LP_EINVAL);
    assert_null(r);
    for (i = 0; i < err.nfields; i++)
        if (strcmp(err.fields[i].pointer, pointer) == 0 && strstr(err.fields[i].msg, words)) return;
    for (i = 0; i < err.nfields; i++) print_error("%s: %s\n", err.fields[i].pointer, err.fields[i].msg);
    fail_msg("no error at %s saying \"%s\" (%s)", pointer, words, err.msg);
}

static void test_road_1088(void **state)
{
    lp_road *r = lp_test_road("road-1088");
    int km0 = lp_road_zone_node(r, "km0"), b, i;
    double main_len = 0;
    (void)state;
    assert_string_equal(r->id, "road-1088");
    assert_int_equal(r->nzones, LP_ROAD_REQUIRED_ZONES);
    assert_int_equal(r->nodes[km0].spots, LP_ROAD_SPOTS_ONE);
    assert_int_equal(r->nodes[lp_road_node_find(r, "pb-cn")].spots, LP_ROAD_SPOTS_TWO);
    assert_int_equal(r->nodes[lp_road_zone_node(r, "china_yard")].spots, LP_ROAD_SPOTS_MANY);
    /* three single-lane blocks: to passing bay 1, across km 0 to bay 2, on to the two-lane road */
    assert_int_equal(r->nblocks, 3);
    b = r->nodes[km0].block;
    assert_true(b >= 0);
    assert_int_equal(r->blocks[b].nedges, 2);
    assert_int_equal(r->blocks[b].nodes[1], km0);
    assert_true((r->blocks[b].end[0] == lp_road_node_find(r, "pb-cn") &&
                 r->blocks[b].end[1] == lp_road_node_find(r, "pb-vn")) ||
                (r->blocks[b].end[1] == lp_road_node_find(r, "pb-cn") &&
                 r->blocks[b].end[0] == lp_road_node_find(r, "pb-vn")));
    for (i = 0; i < r->nedges; i++)
        if (strcmp(r->edges[i].id, "vn-yard-charge") != 0) main_len += r->edges[i].length_m;
    assert_true(main_len > 2300 && main_len < 2500);
    lp_road_destroy(r);
}

static void test_plan_across(void **state)
{
    lp_road *r = lp_test_road("road-1088");
    lp_road_route rt, back;
    const char *want[] = {"cn-yard", "cn-gate", "cn-exit", "cn-narrow", "pb-cn", "km0", "pb-vn",
                          "vn-widen", "vn-handover", "vn-inspect", "vn-gate", "vn-yard"};
    int i;
    (void)state;
    assert_int_equal(lp_road_plan(r, lp_road_place(r, "china_yard"), lp_road_place(r, "vn_yard"), &rt, NULL),
                     LP_OK);
    assert_int_equal(rt.n, 12);
    for (i = 0; i < 12; i++) assert_string_equal(r->nodes[rt.nodes[i]].id, want[i]);
    for (i = 0; i < 11; i++) assert_int_equal(rt.fwd[i], 1);
    assert_true(fabs(rt.length_m - lp_road_route_pos(r, &rt, 11)) < 1e-9);
    assert_true(rt.time_s > rt.length_m / (30 / 3.6));
    assert_int_equal(lp_road_plan(r, rt.nodes[11], rt.nodes[0], &back, NULL), LP_OK);
    assert_int_equal(back.n, 12);
    assert_int_equal(back.fwd[0], 0);
    assert_true(fabs(back.time_s - rt.time_s) < 1e-9);
    /* a node to itself: one node; an unknown node */
    assert_int_equal(lp_road_plan(r, 3, 3, &rt, NULL), LP_OK);
    assert_int_equal(rt.n, 1);
    assert_int_equal(lp_road_plan(r, 3, r->nnodes, &rt, NULL), LP_EINVAL);
    lp_road_destroy(r);
}

/* Dijkstra picks the quicker of two ways, not the shorter, and never drives
 * a one-way edge backwards. */
static void test_plan_time_and_one_way(void **state)
{
    lp_road *r = parse_ok(ROAD(NODES ",{\"id\":\"F\",\"x\":200,\"y\":100,\"kind\":\"passing\"}",
                               EDGES "," "{\"id\":\"bf\",\"from\":\"B\",\"to\":\"F\",\"length_m\":150,"
                               "\"speed_kmh\":90,\"lane\":\"double\",\"directions\":\"forward\"},"
                               "{\"id\":\"fd\",\"from\":\"F\",\"to\":\"D\",\"length_m\":150,"
                               "\"speed_kmh\":90,\"lane\":\"double\",\"directions\":\"forward\"}",
                               ZONES));
    lp_road_route rt;
    lp_err err;
    int b = lp_road_node_find(r, "B"), d = lp_road_node_find(r, "D");
    (void)state;
    assert_int_equal(lp_road_plan(r, b, d, &rt, NULL), LP_OK);
    assert_int_equal(rt.n, 3);
    assert_string_equal(r->nodes[rt.nodes[1]].id, "F"); /* 300 m at 90 beats 200 m at 36 */
    assert_int_equal(lp_road_plan(r, d, b, &rt, NULL), LP_OK);
    assert_string_equal(r->nodes[rt.nodes[1]].id, "C"); /* F is one-way B -> F -> D */
    lp_err_init(&err);
    {
        int nodes[3] = {d, lp_road_node_find(r, "F"), b};
        assert_int_equal(lp_road_route_from_nodes(r, nodes, 3, &rt, &err), LP_EINVAL);
        assert_non_null(strstr(err.msg, "\"D\" to node \"F\""));
    }
    lp_road_destroy(r);
}

static void test_geometry(void **state)
{
    lp_road *r = parse_ok(ROAD(NODES, EDGES, ZONES));
    lp_road_route rt;
    lp_road_point p;
    double off;
    (void)state;
    p = lp_road_edge_point(r, 0, 25, 1);
    assert_true(fabs(p.x - 25) < 1e-9 && fabs(p.y) < 1e-9 && fabs(p.heading) < 1e-9);
    p = lp_road_edge_point(r, 0, 25, 0);
    assert_true(fabs(fabs(p.heading) - M_PI) < 1e-9);
    assert_int_equal(lp_road_plan(r, 4, 0, &rt, NULL), LP_OK); /* E to A, backwards */
    p = lp_road_route_point(r, &rt, 130);
    assert_true(fabs(p.x - 270) < 1e-9);
    assert_int_equal(p.edge, lp_road_edge_find(r, "cd"));
    assert_true(fabs(p.edge_m - 70) < 1e-9);
    p = lp_road_route_point(r, &rt, 1e9); /* clamped to the end */
    assert_true(fabs(p.x) < 1e-9);
    assert_true(fabs(lp_road_edge_project(r, 1, 142, 5, &off) - 42) < 1e-9);
    assert_true(fabs(off - 5) < 1e-9);
    lp_road_destroy(r);
}

static void test_bad_references(void **state)
{
    (void)state;
    parse_bad(ROAD(NODES, EDGES "," EDGE("bx", "B", "X", "10", "double"), ZONES), "/edges/4/to",
              "unknown node \"X\"");
    parse_bad(ROAD(NODES, EDGES, ZONES ",{\"id\":\"extra\",\"node\":\"Q\"}"), "/zones/7/node",
              "unknown node \"Q\"");
    parse_bad(ROAD(NODES ",{\"id\":\"A\",\"x\":0,\"y\":1}", EDGES, ZONES), "/nodes/5/id", "duplicate node id");
    parse_bad(ROAD(NODES, EDGES "," EDGE("ab", "A", "C", "200", "double"), ZONES), "/edges/4/id",
              "duplicate edge id");
    parse_bad(ROAD(NODES, EDGES "," EDGE("aa", "A", "A", "10", "double"), ZONES), "/edges/4/to",
              "same node");
}

static void test_bad_values(void **state)
{
    (void)state;
    parse_bad(ROAD(NODES, EDGE("ab", "A", "B", "0", "double") "," EDGE("bc", "B", "C", "100", "single") ","
                   EDGE("cd", "C", "D", "100", "single") "," EDGE("de", "D", "E", "100", "double"), ZONES),
              "/edges/0/length_m", "zero or negative length");
    parse_bad(ROAD(NODES, EDGE("ab", "A", "B", "50", "double") "," EDGE("bc", "B", "C", "100", "single") ","
                   EDGE("cd", "C", "D", "100", "single") "," EDGE("de", "D", "E", "100", "double"), ZONES),
              "/edges/0/length_m", "50.0 m long but its nodes are 100.0 m apart");
    parse_bad(ROAD(NODES, EDGES "," EDGE("ae", "A", "E", "400", "triple"), ZONES), "/edges/4/lane",
              "unknown value \"triple\"");
    parse_bad(ROAD(NODES ",{\"id\":\"Z\",\"x\":\"far\",\"y\":0}", EDGES, ZONES), "/nodes/5/x", "must be a number");
    parse_bad("{\"format\":\"landport-road/9\",\"id\":\"t\",\"nodes\":[" NODES "],\"edges\":[" EDGES
              "],\"zones\":[" ZONES "]}", "/format", "landport-road/1");
}

static void test_bad_structure(void **state)
{
    lp_road *r = (lp_road *)1;
    lp_err err;
    const char *nojson = "{\"nodes\": [";
    (void)state;
    /* missing zones: every one is named */
    parse_bad(ROAD(NODES, EDGES, "{\"id\":\"km0\",\"node\":\"C\"}"), "/zones", "missing zone \"china_yard\"");
    parse_bad(ROAD(NODES, EDGES, "{\"id\":\"km0\",\"node\":\"C\"}"), "/zones", "missing zone \"charging\"");
    /* F is not joined to anything */
    parse_bad(ROAD(NODES ",{\"id\":\"F\",\"x\":9,\"y\":9,\"kind\":\"parking\"}", EDGES, ZONES), "/nodes/5",
              "disconnected");
    /* a single-lane dead end, and three single-lane edges meeting at a point */
    parse_bad(ROAD(NODES ",{\"id\":\"F\",\"x\":300,\"y\":50}", EDGES "," EDGE("df", "D", "F", "50", "single"),
                   ZONES), "/nodes/5", "dead end of a single-lane edge");
    parse_bad(ROAD(NODES ",{\"id\":\"F\",\"x\":200,\"y\":50}",
                   EDGE("ab", "A", "B", "100", "double") "," EDGE("bf", "B", "F", "112", "single") ","
                   EDGE("fc", "F", "C", "50", "single") "," EDGE("fd", "F", "D", "112", "single") ","
                   EDGE("de", "D", "E", "100", "double"), ZONES), "/nodes/5", "joins 3 single-lane edges");
    lp_err_init(&err);
    assert_int_equal(lp_road_parse(nojson, strlen(nojson), &r, &err), LP_EINVAL);
    assert_null(r);
    assert_non_null(strstr(err.msg, "not a JSON object"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_road_1088),
        cmocka_unit_test(test_plan_across),
        cmocka_unit_test(test_plan_time_and_one_way),
        cmocka_unit_test(test_geometry),
        cmocka_unit_test(test_bad_references),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_bad_structure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

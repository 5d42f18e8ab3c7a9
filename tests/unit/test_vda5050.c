/* test_vda5050.c - the VDA 5050 codecs: round trips of every message,
 * topics, and precise errors (JSON pointer per wrong member) on bad input. */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "agv/vda5050.h"
#include "core/mem.h"

static const char *order_json =
    "{\"headerId\":7,\"timestamp\":\"2026-11-23T11:40:03.120Z\",\"version\":\"2.1.0\","
    "\"manufacturer\":\"acme\",\"serialNumber\":\"t1\",\"orderId\":\"o1\",\"orderUpdateId\":2,"
    "\"nodes\":[{\"nodeId\":\"A\",\"sequenceId\":0,\"released\":true,"
    "\"nodePosition\":{\"x\":1.5,\"y\":-2,\"theta\":0.5,\"mapId\":\"road\"},"
    "\"actions\":[{\"actionId\":\"a1\",\"actionType\":\"pick\",\"blockingType\":\"HARD\","
    "\"actionParameters\":[{\"key\":\"duration\",\"value\":12.5},{\"key\":\"lhd\",\"value\":\"front\"}]}]},"
    "{\"nodeId\":\"B\",\"sequenceId\":2,\"released\":false,\"actions\":[]}],"
    "\"edges\":[{\"edgeId\":\"AB\",\"sequenceId\":1,\"released\":false,\"startNodeId\":\"A\","
    "\"endNodeId\":\"B\",\"maxSpeed\":4.2,\"actions\":[]}]}";

/* Whether err names pointer among its fields. */
static int names(const lp_err *err, const char *pointer)
{
    int i;
    for (i = 0; i < err->nfields; i++)
        if (!strcmp(err->fields[i].pointer, pointer)) return 1;
    return 0;
}

static void test_order_round_trip(void **state)
{
    lp_vda_order o, o2;
    lp_err err;
    char *txt;
    double d;
    (void)state;
    lp_err_init(&err);
    assert_int_equal(lp_vda_order_parse(order_json, strlen(order_json), &o, &err), 0);
    assert_int_equal(o.h.header_id, 7);
    assert_int_equal(o.h.timestamp_ms % 1000, 120);
    assert_string_equal(o.h.serial, "t1");
    assert_string_equal(o.order_id, "o1");
    assert_int_equal(o.order_update_id, 2);
    assert_int_equal(o.nnodes, 2);
    assert_true(o.nodes[0].released);
    assert_false(o.nodes[1].released);
    assert_true(o.nodes[0].pos.present && o.nodes[0].pos.has_theta);
    assert_false(o.nodes[1].pos.present);
    assert_int_equal(o.nodes[0].nactions, 1);
    assert_int_equal(o.nodes[0].actions[0].blocking, LP_VDA_BLOCK_HARD);
    assert_true(lp_vda_action_param_num(&o.nodes[0].actions[0], "duration", &d));
    assert_true(d == 12.5);
    assert_false(lp_vda_action_param_num(&o.nodes[0].actions[0], "nothing", &d));
    assert_true(o.edges[0].max_speed == 4.2);
    txt = lp_vda_order_format(&o);
    assert_int_equal(lp_vda_order_parse(txt, strlen(txt), &o2, &err), 0);
    assert_string_equal(o2.edges[0].end_node, "B");
    assert_int_equal(o2.nodes[0].actions[0].nparams, 2);
    assert_string_equal(o2.nodes[0].actions[0].params[1].value_json, "\"front\"");
    assert_non_null(strstr(txt, "\"timestamp\":\"2026-11-23T11:40:03.120Z\""));
    lp_free(txt);
    lp_vda_order_deinit(&o);
    lp_vda_order_deinit(&o2);
}

static void test_order_errors_name_members(void **state)
{
    const char *bad =
        "{\"headerId\":-1,\"timestamp\":\"yesterday\",\"version\":\"2.1.0\",\"manufacturer\":\"acme\","
        "\"orderId\":5,\"orderUpdateId\":1.5,\"nodes\":[{\"nodeId\":\"A\",\"sequenceId\":0,\"released\":\"yes\","
        "\"actions\":[{\"actionId\":\"a\",\"actionType\":\"pick\",\"blockingType\":\"MAYBE\"}]},7],"
        "\"edges\":{}}";
    lp_vda_order o;
    lp_err err;
    (void)state;
    lp_err_init(&err);
    assert_int_equal(lp_vda_order_parse(bad, strlen(bad), &o, &err), LP_EINVAL);
    assert_true(names(&err, "/headerId"));
    assert_true(names(&err, "/timestamp"));
    assert_true(names(&err, "/serialNumber"));
    assert_true(names(&err, "/orderId"));
    assert_true(names(&err, "/orderUpdateId"));
    assert_true(names(&err, "/nodes/0/released"));
    assert_true(names(&err, "/nodes/0/actions/0/blockingType"));
    assert_true(names(&err, "/nodes/1"));
    assert_true(names(&err, "/edges"));
    assert_int_equal(o.nnodes, 0);
    lp_err_init(&err);
    assert_int_equal(lp_vda_order_parse("[1]", 3, &o, &err), LP_EINVAL);
    assert_true(names(&err, ""));
    lp_err_init(&err);
    assert_int_equal(lp_vda_order_parse("{", 1, &o, &err), LP_EINVAL);
}

static void test_state_round_trip(void **state)
{
    lp_vda_state s, s2;
    lp_vda_error *e;
    lp_err err;
    char *txt;
    (void)state;
    memset(&s, 0, sizeof s);
    lp_vda_header_init(&s.h, "acme", "t1", 3, 1795000000123LL);
    strcpy(s.order_id, "o1");
    s.order_update_id = 1;
    strcpy(s.last_node_id, "A");
    s.node_states = lp_calloc(1, sizeof *s.node_states);
    s.nnode_states = 1;
    strcpy(s.node_states[0].node_id, "B");
    s.node_states[0].seq = 2;
    s.action_states = lp_calloc(1, sizeof *s.action_states);
    s.naction_states = 1;
    strcpy(s.action_states[0].action_id, "a1");
    s.action_states[0].status = LP_VDA_AS_PAUSED;
    e = lp_vda_state_add_error(&s, "orderUpdateError", 0, "lower orderUpdateId");
    lp_vda_error_ref(e, "orderId", "o1");
    s.has_position = 1;
    s.position.x = 10;
    strcpy(s.position.map_id, "road");
    s.position.initialized = 1;
    s.battery.charge = 80;
    s.battery.reach = -1;
    s.distance_since_last_node = 3.5;
    s.estop = LP_VDA_ESTOP_REMOTE;
    s.paused = 1;
    txt = lp_vda_state_format(&s);
    lp_err_init(&err);
    assert_int_equal(lp_vda_state_parse(txt, strlen(txt), &s2, &err), 0);
    assert_int_equal(s2.h.header_id, 3);
    assert_string_equal(s2.node_states[0].node_id, "B");
    assert_int_equal(s2.action_states[0].status, LP_VDA_AS_PAUSED);
    assert_non_null(lp_vda_state_find_error(&s2, "orderUpdateError"));
    assert_null(lp_vda_state_find_error(&s2, "other"));
    assert_string_equal(s2.errors[0].refs[0].value, "o1");
    assert_int_equal(s2.estop, LP_VDA_ESTOP_REMOTE);
    assert_true(s2.paused);
    assert_true(s2.position.x == 10);
    assert_true(s2.battery.reach < 0);
    lp_free(txt);
    lp_vda_state_deinit(&s);
    lp_vda_state_deinit(&s2);
}

static void test_state_errors(void **state)
{
    const char *bad = "{\"headerId\":1,\"timestamp\":\"2026-11-23T11:40:03Z\",\"version\":\"3.0.0\","
                      "\"manufacturer\":\"a\",\"serialNumber\":\"b\",\"orderId\":\"\",\"orderUpdateId\":0,"
                      "\"lastNodeId\":\"\",\"lastNodeSequenceId\":0,\"driving\":false,\"operatingMode\":\"AUTO\","
                      "\"nodeStates\":[],\"edgeStates\":[],\"actionStates\":[{\"actionId\":\"x\",\"actionStatus\":\"DONE\"}],"
                      "\"errors\":[{\"errorType\":\"e\"}],\"batteryState\":{\"batteryCharge\":50},"
                      "\"safetyState\":{\"eStop\":\"NONE\",\"fieldViolation\":false}}";
    lp_vda_state s;
    lp_err err;
    (void)state;
    lp_err_init(&err);
    assert_int_equal(lp_vda_state_parse(bad, strlen(bad), &s, &err), LP_EINVAL);
    assert_true(names(&err, "/version"));
    assert_true(names(&err, "/operatingMode"));
    assert_true(names(&err, "/actionStates/0/actionStatus"));
    assert_true(names(&err, "/errors/0/errorLevel"));
    assert_true(names(&err, "/batteryState/charging"));
    assert_false(names(&err, "/safetyState/eStop"));
}

static void test_instant_connection_factsheet(void **state)
{
    lp_vda_instant m, m2;
    lp_vda_connection c, c2;
    lp_vda_factsheet f, f2;
    lp_err err;
    char *txt;
    (void)state;
    lp_err_init(&err);
    memset(&m, 0, sizeof m);
    lp_vda_header_init(&m.h, "acme", "t1", 0, 0);
    lp_vda_instant_add(&m, "i1", "startPause", LP_VDA_BLOCK_HARD);
    lp_vda_instant_add(&m, "i2", "cancelOrder", LP_VDA_BLOCK_NONE);
    txt = lp_vda_instant_format(&m);
    assert_int_equal(lp_vda_instant_parse(txt, strlen(txt), &m2, &err), 0);
    assert_int_equal(m2.nactions, 2);
    assert_string_equal(m2.actions[1].action_type, "cancelOrder");
    assert_non_null(strstr(txt, "\"timestamp\":\"1970-01-01T00:00:00.000Z\""));
    lp_free(txt);
    lp_vda_instant_deinit(&m);
    lp_vda_instant_deinit(&m2);

    lp_vda_header_init(&c.h, "acme", "t1", 4, 1000);
    c.state = LP_VDA_CONN_BROKEN;
    txt = lp_vda_connection_format(&c);
    assert_int_equal(lp_vda_connection_parse(txt, strlen(txt), &c2, &err), 0);
    assert_int_equal(c2.state, LP_VDA_CONN_BROKEN);
    assert_non_null(strstr(txt, "CONNECTIONBROKEN"));
    lp_free(txt);
    assert_int_equal(lp_vda_connection_parse("{\"connectionState\":\"GONE\"}", 26, &c2, &err), LP_EINVAL);

    memset(&f, 0, sizeof f);
    lp_vda_header_init(&f.h, "acme", "t1", 0, 0);
    strcpy(f.series_name, "s");
    f.speed_max = 8.3;
    f.accel_max = 0.8;
    f.nactions = 1;
    strcpy(f.actions[0].type, "pick");
    f.actions[0].node = 1;
    txt = lp_vda_factsheet_format(&f);
    lp_err_init(&err);
    assert_int_equal(lp_vda_factsheet_parse(txt, strlen(txt), &f2, &err), 0);
    assert_true(f2.speed_max == 8.3);
    assert_string_equal(f2.actions[0].type, "pick");
    assert_true(f2.actions[0].node && !f2.actions[0].instant);
    lp_free(txt);
}

/* 2.0.0 spells allowedDeviationXy: read either, written per version. */
static void test_version_200_spelling(void **state)
{
    const char *j = "{\"headerId\":1,\"timestamp\":\"2026-11-23T11:40:03.12Z\",\"version\":\"2.0.0\","
                    "\"manufacturer\":\"a\",\"serialNumber\":\"b\",\"orderId\":\"o\",\"orderUpdateId\":0,"
                    "\"nodes\":[{\"nodeId\":\"A\",\"sequenceId\":0,\"released\":true,\"actions\":[],"
                    "\"nodePosition\":{\"x\":0,\"y\":0,\"mapId\":\"m\",\"allowedDeviationXy\":0.25}}],\"edges\":[]}";
    lp_vda_order o;
    lp_err err;
    char *txt;
    (void)state;
    lp_err_init(&err);
    assert_int_equal(lp_vda_order_parse(j, strlen(j), &o, &err), 0);
    assert_true(o.nodes[0].pos.allowed_dev_xy == 0.25);
    txt = lp_vda_order_format(&o);
    assert_non_null(strstr(txt, "\"allowedDeviationXy\":0.25"));
    lp_free(txt);
    strcpy(o.h.version, "2.1.0");
    txt = lp_vda_order_format(&o);
    assert_non_null(strstr(txt, "\"allowedDeviationXY\":0.25"));
    lp_free(txt);
    lp_vda_order_deinit(&o);
}

/* Decoders on damaged input (every truncation, random byte changes, from
 * a fixed seed): they never crash and either succeed or say what is wrong. */
static void test_damaged_input(void **state)
{
    static const char bytes[] = "{}[],:\"0123456789.-eE truefalsnul\\x";
    size_t len = strlen(order_json), n;
    char *buf = malloc(len + 1);
    unsigned seed = 12345;
    int i, k, ok = 0, bad = 0;
    (void)state;
    for (i = 0; i < 4000; i++) {
        lp_vda_order o;
        lp_vda_state s;
        lp_vda_instant m;
        lp_err err;
        memcpy(buf, order_json, len + 1);
        n = len;
        if (i < (int)len) {
            n = (size_t)i; /* every prefix */
        } else {
            for (k = 0; k < 1 + i % 4; k++) {
                seed = seed * 1103515245u + 12345u;
                buf[(seed >> 8) % len] = bytes[(seed >> 20) % (sizeof bytes - 1)];
            }
        }
        lp_err_init(&err);
        if (lp_vda_order_parse(buf, n, &o, &err) == 0) {
            ok++;
            lp_vda_order_deinit(&o);
        } else {
            bad++;
            assert_true(err.nfields > 0);
        }
        lp_err_init(&err);
        if (lp_vda_state_parse(buf, n, &s, &err) == 0) lp_vda_state_deinit(&s);
        lp_err_init(&err);
        if (lp_vda_instant_parse(buf, n, &m, &err) == 0) lp_vda_instant_deinit(&m);
    }
    assert_true(ok > 0 && bad > (int)len);
    free(buf);
}

static void test_topics(void **state)
{
    char t[128], m[LP_VDA_ID_MAX], s[LP_VDA_ID_MAX];
    lp_vda_topic k;
    (void)state;
    assert_int_equal(lp_vda_topic_format(t, sizeof t, "acme", "t1", LP_VDA_T_INSTANT_ACTIONS), 0);
    assert_string_equal(t, "uagv/v2/acme/t1/instantActions");
    assert_int_equal(lp_vda_topic_parse("uagv/v2/acme/t1/state", m, s, &k), 0);
    assert_string_equal(m, "acme");
    assert_string_equal(s, "t1");
    assert_int_equal(k, LP_VDA_T_STATE);
    assert_int_equal(lp_vda_topic_parse("uagv/v2/acme/t1/other", m, s, &k), LP_EINVAL);
    assert_int_equal(lp_vda_topic_parse("uagv/v1/acme/t1/state", m, s, &k), LP_EINVAL);
    assert_int_equal(lp_vda_topic_format(t, sizeof t, "ac/me", "t1", LP_VDA_T_STATE), LP_EINVAL);
    assert_int_equal(lp_vda_topic_format(t, sizeof t, "acme", "#", LP_VDA_T_STATE), LP_EINVAL);
    assert_int_equal(lp_vda_topic_format(t, 10, "acme", "t1", LP_VDA_T_STATE), LP_ETOOBIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_round_trip),   cmocka_unit_test(test_order_errors_name_members),
        cmocka_unit_test(test_state_round_trip),   cmocka_unit_test(test_state_errors),
        cmocka_unit_test(test_instant_connection_factsheet), cmocka_unit_test(test_topics),
        cmocka_unit_test(test_version_200_spelling), cmocka_unit_test(test_damaged_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

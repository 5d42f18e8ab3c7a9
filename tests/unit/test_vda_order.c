/* test_vda_order.c - the VDA 5050 order rules: structure (sequenceIds,
 * edges, base before horizon), new order vs update, stitching, lower and
 * equal orderUpdateId, updates of a cancelled order, the merge that replaces
 * the horizon, and cancelOrder. */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

#include "agv/vda5050_order.h"

/* An order over nodes ids[0..n-1] at x = 100*i (offset by x0), sequenceIds
 * from seq0, the first nbase released. */
static void make(lp_vda_order *o, const char *id, int64_t upd, int64_t seq0, const char *ids, int nbase, double x0)
{
    int i, n = (int)strlen(ids);
    memset(o, 0, sizeof *o);
    snprintf(o->order_id, sizeof o->order_id, "%s", id);
    o->order_update_id = upd;
    for (i = 0; i < n; i++) {
        lp_vda_node nd;
        memset(&nd, 0, sizeof nd);
        nd.node_id[0] = ids[i];
        nd.seq = seq0 + 2 * i;
        nd.released = i < nbase;
        nd.pos.present = 1;
        nd.pos.x = x0 + 100 * i;
        nd.pos.allowed_dev_xy = -1;
        lp_vda_order_add_node(o, &nd);
        if (i > 0) {
            lp_vda_edge e;
            memset(&e, 0, sizeof e);
            snprintf(e.edge_id, sizeof e.edge_id, "%c%c", ids[i - 1], ids[i]);
            e.seq = nd.seq - 1;
            e.released = nd.released;
            e.start_node[0] = ids[i - 1];
            e.end_node[0] = ids[i];
            lp_vda_order_add_edge(o, &e);
        }
    }
}

static int names(const lp_err *err, const char *pointer)
{
    int i;
    for (i = 0; i < err->nfields; i++)
        if (!strcmp(err->fields[i].pointer, pointer)) return 1;
    return 0;
}

static void test_structure(void **state)
{
    lp_vda_order o;
    lp_err err;
    (void)state;
    make(&o, "o", 0, 0, "ABCD", 2, 0);
    lp_err_init(&err);
    assert_int_equal(lp_vda_order_check(&o, &err), 0);
    assert_int_equal(lp_vda_order_base_end(&o), 1);
    o.nodes[1].seq = 3;                       /* odd node */
    o.edges[0].seq = 2;                       /* even edge */
    o.nodes[3].released = 1;                  /* base after horizon */
    strcpy(o.edges[2].end_node, "X");         /* wrong end */
    o.edges[1].released = 1;                  /* edge into a horizon node released */
    lp_err_init(&err);
    assert_int_equal(lp_vda_order_check(&o, &err), LP_EINVAL);
    assert_true(names(&err, "/nodes/1/sequenceId"));
    assert_true(names(&err, "/edges/0/sequenceId"));
    assert_true(names(&err, "/nodes/3/released"));
    assert_true(names(&err, "/edges/2/endNodeId"));
    assert_true(names(&err, "/edges/1/released"));
    lp_vda_order_deinit(&o);
    make(&o, "o", 0, 0, "AB", 0, 0); /* first node in the horizon */
    lp_err_init(&err);
    assert_int_equal(lp_vda_order_check(&o, &err), LP_EINVAL);
    assert_true(names(&err, "/nodes/0/released"));
    lp_vda_order_deinit(&o);
    memset(&o, 0, sizeof o);
    lp_err_init(&err);
    assert_int_equal(lp_vda_order_check(&o, &err), LP_EINVAL);
    assert_true(names(&err, "/nodes"));
}

static void view_of(lp_vda_view *w, const lp_vda_order *cur, int executing, const char *last, int64_t seq, double x)
{
    memset(w, 0, sizeof *w);
    w->current = cur;
    w->executing = executing;
    w->has_horizon = cur && lp_vda_order_base_end(cur) < cur->nnodes - 1;
    w->last_node_id = last;
    w->last_node_seq = seq;
    w->has_position = 1;
    w->x = x;
}

static void test_new_order(void **state)
{
    lp_vda_order cur, in;
    lp_vda_view w;
    lp_vda_reject why;
    (void)state;
    make(&in, "o1", 0, 0, "ABC", 3, 0);
    view_of(&w, NULL, 0, "", 0, 0.4); /* fresh vehicle near A */
    assert_int_equal(lp_vda_order_judge(&w, &in, &why), LP_VDA_ORDER_NEW);
    view_of(&w, NULL, 0, "", 0, 50); /* 50 m away from A */
    assert_int_equal(lp_vda_order_judge(&w, &in, &why), LP_VDA_ORDER_REJECT);
    assert_string_equal(why.error_type, "noRouteError");
    assert_string_equal(why.pointer, "/nodes/0");
    view_of(&w, NULL, 0, "A", 4, 50); /* standing on node A by id */
    assert_int_equal(lp_vda_order_judge(&w, &in, &why), LP_VDA_ORDER_NEW);
    /* A different orderId while the current one executes. */
    make(&cur, "o0", 0, 0, "XA", 2, -100);
    view_of(&w, &cur, 1, "X", 0, -100);
    assert_int_equal(lp_vda_order_judge(&w, &in, &why), LP_VDA_ORDER_REJECT);
    assert_string_equal(why.error_type, "orderError");
    /* ... and once it is done, at A. */
    view_of(&w, &cur, 0, "A", 2, 0);
    assert_int_equal(lp_vda_order_judge(&w, &in, &why), LP_VDA_ORDER_NEW);
    /* A structurally bad order is a validationError whatever the view. */
    in.nodes[1].seq = 1;
    assert_int_equal(lp_vda_order_judge(&w, &in, &why), LP_VDA_ORDER_REJECT);
    assert_string_equal(why.error_type, "validationError");
    assert_string_equal(why.pointer, "/nodes/1/sequenceId");
    lp_vda_order_deinit(&cur);
    lp_vda_order_deinit(&in);
}

static void test_update_rules(void **state)
{
    lp_vda_order cur, up, low, same, wrong, merged;
    lp_vda_view w;
    lp_vda_reject why;
    (void)state;
    make(&cur, "o1", 3, 0, "ABCD", 3, 0);     /* base A B C, horizon D */
    make(&up, "o1", 4, 4, "CDEF", 3, 200);    /* stitched at C (seq 4) */
    make(&low, "o1", 2, 4, "CD", 2, 200);
    make(&same, "o1", 3, 4, "CD", 2, 200);
    make(&wrong, "o1", 5, 2, "BC", 2, 100);   /* starts at B, not the base end */
    view_of(&w, &cur, 1, "B", 2, 100);
    assert_int_equal(lp_vda_order_judge(&w, &up, &why), LP_VDA_ORDER_UPDATE);
    assert_int_equal(lp_vda_order_judge(&w, &low, &why), LP_VDA_ORDER_REJECT);
    assert_string_equal(why.error_type, "orderUpdateError");
    assert_string_equal(why.pointer, "/orderUpdateId");
    assert_int_equal(lp_vda_order_judge(&w, &same, &why), LP_VDA_ORDER_DUPLICATE);
    assert_int_equal(lp_vda_order_judge(&w, &wrong, &why), LP_VDA_ORDER_REJECT);
    assert_string_equal(why.error_type, "orderUpdateError");
    assert_string_equal(why.pointer, "/nodes/0");
    /* Same node id but another sequenceId does not stitch either. */
    up.nodes[0].seq = 6;
    up.edges[0].seq = 7;
    up.nodes[1].seq = 8; up.edges[1].seq = 9; up.nodes[2].seq = 10; up.edges[2].seq = 11; up.nodes[3].seq = 12;
    assert_int_equal(lp_vda_order_judge(&w, &up, &why), LP_VDA_ORDER_REJECT);
    lp_vda_order_deinit(&up);
    make(&up, "o1", 4, 4, "CDEF", 3, 200);
    /* The merge keeps A B, takes C D E (base) F (horizon): the old horizon D is replaced. */
    lp_vda_order_merge(&cur, &up, &merged);
    assert_int_equal(merged.nnodes, 6);
    assert_int_equal(merged.nedges, 5);
    assert_int_equal(merged.order_update_id, 4);
    assert_string_equal(merged.nodes[2].node_id, "C");
    assert_true(merged.nodes[3].released);
    assert_int_equal(lp_vda_order_base_end(&merged), 4);
    {
        lp_err err;
        lp_err_init(&err);
        assert_int_equal(lp_vda_order_check(&merged, &err), 0);
    }
    /* An update after the order was cancelled is refused. */
    w.cancelled = 1;
    assert_int_equal(lp_vda_order_judge(&w, &up, &why), LP_VDA_ORDER_REJECT);
    assert_string_equal(why.error_type, "orderUpdateError");
    /* An update of a finished order (vehicle at the base end) is fine. */
    w.cancelled = 0;
    view_of(&w, &cur, 0, "C", 4, 200);
    assert_int_equal(lp_vda_order_judge(&w, &up, &why), LP_VDA_ORDER_UPDATE);
    lp_vda_order_deinit(&merged);
    lp_vda_order_deinit(&cur);
    lp_vda_order_deinit(&up);
    lp_vda_order_deinit(&low);
    lp_vda_order_deinit(&same);
    lp_vda_order_deinit(&wrong);
}

static void test_cancel(void **state)
{
    lp_vda_order cur;
    lp_vda_view w;
    lp_vda_reject why;
    (void)state;
    view_of(&w, NULL, 0, "", 0, 0);
    assert_int_equal(lp_vda_cancel_judge(&w, &why), LP_ECONFLICT);
    assert_string_equal(why.error_type, "noOrderToCancel");
    make(&cur, "o1", 0, 0, "AB", 2, 0);
    view_of(&w, &cur, 1, "A", 0, 0);
    assert_int_equal(lp_vda_cancel_judge(&w, &why), 0);
    w.cancelled = 1;
    assert_int_equal(lp_vda_cancel_judge(&w, &why), LP_ECONFLICT);
    /* Done with the base but a horizon waits: there is still an order. */
    lp_vda_order_deinit(&cur);
    make(&cur, "o1", 0, 0, "ABC", 2, 0);
    view_of(&w, &cur, 0, "B", 2, 100);
    assert_int_equal(lp_vda_cancel_judge(&w, &why), 0);
    /* A new order while a horizon waits is refused: update or cancel first. */
    {
        lp_vda_order in;
        make(&in, "o2", 0, 0, "BX", 2, 100);
        assert_int_equal(lp_vda_order_judge(&w, &in, &why), LP_VDA_ORDER_REJECT);
        assert_string_equal(why.error_type, "orderError");
        w.cancelled = 1;
        assert_int_equal(lp_vda_order_judge(&w, &in, &why), LP_VDA_ORDER_NEW);
        lp_vda_order_deinit(&in);
    }
    lp_vda_order_deinit(&cur);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_new_order),
        cmocka_unit_test(test_update_rules),
        cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

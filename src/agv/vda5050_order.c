/* vda5050_order.c - order structure checks, the accept/reject rules for new
 * orders and updates, stitching updates onto the current order, and
 * cancelOrder.  Pure functions; see vda5050_order.h. */
#include "vda5050_order.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void ferr(lp_err *err, const char *fmt_ptr, int i, const char *member, const char *msg)
{
    char ptr[96];
    snprintf(ptr, sizeof ptr, fmt_ptr, i);
    if (member) {
        size_t n = strlen(ptr);
        snprintf(ptr + n, sizeof ptr - n, "/%s", member);
    }
    lp_err_field_add(err, ptr, "%s", msg);
}

int lp_vda_order_check(const lp_vda_order *o, lp_err *err)
{
    int i, bad = 0, horizon = 0;
    if (o->nnodes < 1) {
        lp_err_field_add(err, "/nodes", "an order needs at least one node");
        return LP_EINVAL;
    }
    if (o->nedges != o->nnodes - 1) {
        lp_err_field_add(err, "/edges", "must hold one edge less than nodes (%d, not %d)", o->nnodes - 1,
                         o->nedges);
        bad = 1;
    }
    if (!o->nodes[0].released) {
        lp_err_field_add(err, "/nodes/0/released", "the first node must be released (base)");
        bad = 1;
    }
    for (i = 0; i < o->nnodes; i++) {
        const lp_vda_node *n = &o->nodes[i];
        if (n->seq % 2 != 0)
            ferr(err, "/nodes/%d", i, "sequenceId", "must be even for nodes"), bad = 1;
        else if (n->seq != o->nodes[0].seq + 2 * i)
            ferr(err, "/nodes/%d", i, "sequenceId", "must continue the sequence (previous + 2)"), bad = 1;
        if (!n->released) horizon = 1;
        else if (horizon)
            ferr(err, "/nodes/%d", i, "released", "a base node cannot follow a horizon node"), bad = 1;
    }
    for (i = 0; i < o->nedges && i + 1 < o->nnodes; i++) {
        const lp_vda_edge *e = &o->edges[i];
        if (e->seq != o->nodes[i].seq + 1)
            ferr(err, "/edges/%d", i, "sequenceId", "must be odd and lie between its nodes' sequenceIds"), bad = 1;
        if (strcmp(e->start_node, o->nodes[i].node_id) != 0)
            ferr(err, "/edges/%d", i, "startNodeId", "must be the nodeId of the node before it"), bad = 1;
        if (strcmp(e->end_node, o->nodes[i + 1].node_id) != 0)
            ferr(err, "/edges/%d", i, "endNodeId", "must be the nodeId of the node after it"), bad = 1;
        if (e->released != o->nodes[i + 1].released)
            ferr(err, "/edges/%d", i, "released", "must equal the released flag of its end node"), bad = 1;
    }
    return bad ? lp_err_set(err, LP_EINVAL, "order structure invalid") : 0;
}

int lp_vda_order_base_end(const lp_vda_order *o)
{
    int i, last = -1;
    for (i = 0; i < o->nnodes && o->nodes[i].released; i++) last = i;
    return last;
}

static lp_vda_verdict reject(lp_vda_reject *why, const char *type, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static lp_vda_verdict reject(lp_vda_reject *why, const char *type, const char *pointer, const char *fmt, ...)
{
    va_list ap;
    snprintf(why->error_type, sizeof why->error_type, "%s", type);
    snprintf(why->pointer, sizeof why->pointer, "%s", pointer);
    va_start(ap, fmt);
    vsnprintf(why->msg, sizeof why->msg, fmt, ap);
    va_end(ap);
    return LP_VDA_ORDER_REJECT;
}

/* A new order must begin where the vehicle stands. */
static int starts_here(const lp_vda_view *v, const lp_vda_node *first)
{
    double tol;
    if (v->last_node_id && v->last_node_id[0] && !strcmp(v->last_node_id, first->node_id)) return 1;
    if (!first->pos.present || !v->has_position) return !v->has_position && !(v->last_node_id && v->last_node_id[0]);
    tol = first->pos.allowed_dev_xy > 0 ? first->pos.allowed_dev_xy : 1.0;
    return hypot(first->pos.x - v->x, first->pos.y - v->y) <= tol;
}

lp_vda_verdict lp_vda_order_judge(const lp_vda_view *v, const lp_vda_order *in, lp_vda_reject *why)
{
    const lp_vda_order *cur = v->current;
    lp_err err;
    int end;
    lp_err_init(&err);
    if (lp_vda_order_check(in, &err) != 0)
        return reject(why, "validationError", err.nfields ? err.fields[0].pointer : "", "%s",
                      err.nfields ? err.fields[0].msg : err.msg);
    if (!cur || strcmp(cur->order_id, in->order_id) != 0) {
        if (v->executing || (v->has_horizon && !v->cancelled))
            return reject(why, "orderError", "/orderId",
                          "order %s is still active; cancel it or send an update of it", cur ? cur->order_id : "?");
        if (!starts_here(v, &in->nodes[0]))
            return reject(why, "noRouteError", "/nodes/0",
                          "the first node %s is not where the vehicle is", in->nodes[0].node_id);
        return LP_VDA_ORDER_NEW;
    }
    if (in->order_update_id < cur->order_update_id)
        return reject(why, "orderUpdateError", "/orderUpdateId", "orderUpdateId %lld is lower than the current %lld",
                      (long long)in->order_update_id, (long long)cur->order_update_id);
    if (in->order_update_id == cur->order_update_id) return LP_VDA_ORDER_DUPLICATE;
    if (v->cancelled)
        return reject(why, "orderUpdateError", "/orderId", "order %s was cancelled; send a new order",
                      cur->order_id);
    end = lp_vda_order_base_end(cur);
    if (end < 0 || strcmp(cur->nodes[end].node_id, in->nodes[0].node_id) != 0 ||
        cur->nodes[end].seq != in->nodes[0].seq)
        return reject(why, "orderUpdateError", "/nodes/0",
                      "an update must start at the last base node %s (sequenceId %lld)",
                      end >= 0 ? cur->nodes[end].node_id : "?", end >= 0 ? (long long)cur->nodes[end].seq : -1LL);
    return LP_VDA_ORDER_UPDATE;
}

void lp_vda_order_merge(const lp_vda_order *current, const lp_vda_order *update, lp_vda_order *out)
{
    int i, end = lp_vda_order_base_end(current);
    memset(out, 0, sizeof *out);
    out->h = update->h;
    memcpy(out->order_id, update->order_id, sizeof out->order_id);
    out->order_update_id = update->order_update_id;
    memcpy(out->zone_set_id, update->zone_set_id, sizeof out->zone_set_id);
    for (i = 0; i < end; i++) lp_vda_order_add_node(out, &current->nodes[i]);
    for (i = 0; i < end && i < current->nedges; i++) lp_vda_order_add_edge(out, &current->edges[i]);
    for (i = 0; i < update->nnodes; i++) lp_vda_order_add_node(out, &update->nodes[i]);
    for (i = 0; i < update->nedges; i++) lp_vda_order_add_edge(out, &update->edges[i]);
}

int lp_vda_cancel_judge(const lp_vda_view *v, lp_vda_reject *why)
{
    if (v->current && !v->cancelled && (v->executing || v->has_horizon)) return 0;
    reject(why, "noOrderToCancel", "", "there is no active order to cancel");
    return LP_ECONFLICT;
}

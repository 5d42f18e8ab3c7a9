/* vda5050_msg.c - the codecs of the two messages master control sends:
 * order and instantActions.  Parsing checks types and schema constraints
 * only; the order's structure (sequenceIds, base/horizon, edge ends) and
 * the update rules are lp_vda_order_check / lp_vda_order_judge
 * (vda5050_order.c). */
#include "vda5050.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vda5050_json.h"

static int node_parse(const cJSON *it, const char *ptr, lp_vda_node *n, lp_err *err)
{
    const cJSON *pos, *acts;
    char ap[128];
    int bad = 0;
    bad |= vda__str(it, ptr, "nodeId", 1, n->node_id, sizeof n->node_id, err) < 0;
    bad |= vda__int(it, ptr, "sequenceId", 1, 0, &n->seq, err) < 0;
    bad |= vda__bool(it, ptr, "released", 1, &n->released, err) < 0;
    n->pos.allowed_dev_xy = -1;
    pos = vda__object(it, ptr, "nodePosition", 0, err);
    if (pos) {
        char pp[128];
        snprintf(pp, sizeof pp, "%s/nodePosition", ptr);
        bad |= vda__node_pos_parse(pos, pp, &n->pos, err) < 0;
    } else if (cJSON_GetObjectItemCaseSensitive(it, "nodePosition")) {
        bad = 1;
    }
    acts = vda__array(it, ptr, "actions", 1, err);
    snprintf(ap, sizeof ap, "%s/actions", ptr);
    if (acts)
        bad |= vda__actions_parse(acts, ap, &n->nactions, &n->actions, err) < 0;
    else
        bad = 1;
    return bad ? -1 : 1;
}

static int edge_parse(const cJSON *it, const char *ptr, lp_vda_edge *e, lp_err *err)
{
    const cJSON *acts;
    char ap[128];
    int bad = 0;
    bad |= vda__str(it, ptr, "edgeId", 1, e->edge_id, sizeof e->edge_id, err) < 0;
    bad |= vda__int(it, ptr, "sequenceId", 1, 0, &e->seq, err) < 0;
    bad |= vda__bool(it, ptr, "released", 1, &e->released, err) < 0;
    bad |= vda__str(it, ptr, "startNodeId", 1, e->start_node, sizeof e->start_node, err) < 0;
    bad |= vda__str(it, ptr, "endNodeId", 1, e->end_node, sizeof e->end_node, err) < 0;
    bad |= vda__num(it, ptr, "maxSpeed", 0, 0, HUGE_VAL, &e->max_speed, err) < 0;
    bad |= vda__num(it, ptr, "length", 0, 0, HUGE_VAL, &e->length, err) < 0;
    acts = vda__array(it, ptr, "actions", 1, err);
    snprintf(ap, sizeof ap, "%s/actions", ptr);
    if (acts)
        bad |= vda__actions_parse(acts, ap, &e->nactions, &e->actions, err) < 0;
    else
        bad = 1;
    return bad ? -1 : 1;
}

int lp_vda_order_parse(const char *json, size_t len, lp_vda_order *o, lp_err *err)
{
    cJSON *root = vda__root(json, len, err);
    const cJSON *nodes, *edges, *it;
    char ptr[64];
    int bad = 0, i;
    memset(o, 0, sizeof *o);
    if (!root) return LP_EINVAL;
    bad |= vda__header_parse(root, &o->h, err) < 0;
    bad |= vda__str(root, "", "orderId", 1, o->order_id, sizeof o->order_id, err) < 0;
    bad |= vda__int(root, "", "orderUpdateId", 1, 0, &o->order_update_id, err) < 0;
    bad |= vda__str(root, "", "zoneSetId", 0, o->zone_set_id, sizeof o->zone_set_id, err) < 0;
    nodes = vda__array(root, "", "nodes", 1, err);
    edges = vda__array(root, "", "edges", 1, err);
    if (!nodes || !edges) bad = 1;
    i = 0;
    if (nodes) cJSON_ArrayForEach(it, nodes) {
        snprintf(ptr, sizeof ptr, "/nodes/%d", i++);
        if (!cJSON_IsObject(it)) {
            vda__ferr(err, ptr, NULL, "must be an object");
            bad = 1;
            continue;
        }
        o->nodes = vda__grow(o->nodes, o->nnodes, sizeof *o->nodes);
        bad |= node_parse(it, ptr, &o->nodes[o->nnodes++], err) < 0;
    }
    i = 0;
    if (edges) cJSON_ArrayForEach(it, edges) {
        snprintf(ptr, sizeof ptr, "/edges/%d", i++);
        if (!cJSON_IsObject(it)) {
            vda__ferr(err, ptr, NULL, "must be an object");
            bad = 1;
            continue;
        }
        o->edges = vda__grow(o->edges, o->nedges, sizeof *o->edges);
        bad |= edge_parse(it, ptr, &o->edges[o->nedges++], err) < 0;
    }
    cJSON_Delete(root);
    if (bad) {
        lp_vda_order_deinit(o);
        return lp_err_set(err, LP_EINVAL, "invalid order message");
    }
    return 0;
}

char *lp_vda_order_format(const lp_vda_order *o)
{
    cJSON *root = cJSON_CreateObject(), *nodes, *edges;
    int i;
    vda__header_add(root, &o->h);
    cJSON_AddStringToObject(root, "orderId", o->order_id);
    cJSON_AddNumberToObject(root, "orderUpdateId", (double)o->order_update_id);
    if (o->zone_set_id[0]) cJSON_AddStringToObject(root, "zoneSetId", o->zone_set_id);
    nodes = cJSON_AddArrayToObject(root, "nodes");
    for (i = 0; i < o->nnodes; i++) {
        const lp_vda_node *n = &o->nodes[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "nodeId", n->node_id);
        cJSON_AddNumberToObject(j, "sequenceId", (double)n->seq);
        cJSON_AddBoolToObject(j, "released", n->released);
        if (n->pos.present) cJSON_AddItemToObject(j, "nodePosition", vda__node_pos_json(&n->pos, o->h.version));
        cJSON_AddItemToObject(j, "actions", vda__actions_json(n->actions, n->nactions));
        cJSON_AddItemToArray(nodes, j);
    }
    edges = cJSON_AddArrayToObject(root, "edges");
    for (i = 0; i < o->nedges; i++) {
        const lp_vda_edge *e = &o->edges[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "edgeId", e->edge_id);
        cJSON_AddNumberToObject(j, "sequenceId", (double)e->seq);
        cJSON_AddBoolToObject(j, "released", e->released);
        cJSON_AddStringToObject(j, "startNodeId", e->start_node);
        cJSON_AddStringToObject(j, "endNodeId", e->end_node);
        if (e->max_speed > 0) cJSON_AddNumberToObject(j, "maxSpeed", e->max_speed);
        if (e->length > 0) cJSON_AddNumberToObject(j, "length", e->length);
        cJSON_AddItemToObject(j, "actions", vda__actions_json(e->actions, e->nactions));
        cJSON_AddItemToArray(edges, j);
    }
    return vda__print(root);
}

int lp_vda_instant_parse(const char *json, size_t len, lp_vda_instant *m, lp_err *err)
{
    cJSON *root = vda__root(json, len, err);
    const cJSON *acts;
    int bad = 0;
    memset(m, 0, sizeof *m);
    if (!root) return LP_EINVAL;
    bad |= vda__header_parse(root, &m->h, err) < 0;
    acts = vda__array(root, "", "actions", 1, err);
    if (acts)
        bad |= vda__actions_parse(acts, "/actions", &m->nactions, &m->actions, err) < 0;
    else
        bad = 1;
    cJSON_Delete(root);
    if (bad) {
        lp_vda_instant_deinit(m);
        return lp_err_set(err, LP_EINVAL, "invalid instantActions message");
    }
    return 0;
}

char *lp_vda_instant_format(const lp_vda_instant *m)
{
    cJSON *root = cJSON_CreateObject();
    vda__header_add(root, &m->h);
    cJSON_AddItemToObject(root, "actions", vda__actions_json(m->actions, m->nactions));
    return vda__print(root);
}

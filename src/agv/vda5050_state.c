/* vda5050_state.c - the codec of the state message (vehicle to master
 * control).  actionStatus PAUSED is written and accepted: the 2.1.0 text
 * lists it although its JSON schema omits it. */
#include "vda5050.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vda5050_json.h"

static const char *const status_names[] = {"WAITING", "INITIALIZING", "RUNNING", "PAUSED", "FINISHED", "FAILED"};
static const char *const mode_names[] = {"AUTOMATIC", "SEMIAUTOMATIC", "MANUAL", "SERVICE", "TEACHIN"};
static const char *const estop_names[] = {"NONE", "AUTOACK", "MANUAL", "REMOTE"};
static const char *const level_names[] = {"WARNING", "FATAL"};

/* Each array element must be an object; calls fn for it with its pointer. */
#define EACH_OBJECT(arr, base, ptr, it, i, bad)                       \
    for (it = (arr) ? (arr)->child : NULL, i = 0; it; it = it->next, i++) \
        if (snprintf(ptr, sizeof ptr, "%s/%d", base, i), !cJSON_IsObject(it)) { \
            vda__ferr(err, ptr, NULL, "must be an object");           \
            bad = 1;                                                  \
        } else

static int errors_parse(const cJSON *arr, lp_vda_state *s, lp_err *err)
{
    const cJSON *it;
    char ptr[64];
    int i, bad = 0;
    EACH_OBJECT(arr, "/errors", ptr, it, i, bad) {
        lp_vda_error *e = lp_vda_state_add_error(s, "", 0, "");
        const cJSON *refs = vda__array(it, ptr, "errorReferences", 0, err), *r;
        int lvl = 0, k;
        char rp[96];
        bad |= vda__str(it, ptr, "errorType", 1, e->type, sizeof e->type, err) < 0;
        bad |= vda__enum(it, ptr, "errorLevel", 1, level_names, 2, &lvl, err) < 0;
        e->fatal = lvl;
        bad |= vda__str(it, ptr, "errorDescription", 0, e->description, sizeof e->description, err) < 0;
        for (r = refs ? refs->child : NULL, k = 0; r; r = r->next, k++) {
            snprintf(rp, sizeof rp, "%s/errorReferences/%d", ptr, k);
            if (!cJSON_IsObject(r)) {
                vda__ferr(err, rp, NULL, "must be an object");
                bad = 1;
                continue;
            }
            if (e->nrefs < LP_VDA_REFS_MAX) {
                bad |= vda__str(r, rp, "referenceKey", 1, e->refs[e->nrefs].key, LP_VDA_ID_MAX, err) < 0;
                bad |= vda__str(r, rp, "referenceValue", 1, e->refs[e->nrefs].value, LP_VDA_ID_MAX, err) < 0;
                e->nrefs++;
            }
        }
    }
    return bad ? -1 : 1;
}

static int lists_parse(const cJSON *root, lp_vda_state *s, lp_err *err)
{
    const cJSON *ns = vda__array(root, "", "nodeStates", 1, err);
    const cJSON *es = vda__array(root, "", "edgeStates", 1, err);
    const cJSON *as = vda__array(root, "", "actionStates", 1, err);
    const cJSON *er = vda__array(root, "", "errors", 1, err);
    const cJSON *it;
    char ptr[64];
    int i, bad = !ns || !es || !as || !er;
    EACH_OBJECT(ns, "/nodeStates", ptr, it, i, bad) {
        lp_vda_node_state *n;
        const cJSON *pos = vda__object(it, ptr, "nodePosition", 0, err);
        s->node_states = vda__grow(s->node_states, s->nnode_states, sizeof *s->node_states);
        n = &s->node_states[s->nnode_states++];
        bad |= vda__str(it, ptr, "nodeId", 1, n->node_id, sizeof n->node_id, err) < 0;
        bad |= vda__int(it, ptr, "sequenceId", 1, 0, &n->seq, err) < 0;
        bad |= vda__bool(it, ptr, "released", 1, &n->released, err) < 0;
        if (pos) {
            char pp[96];
            snprintf(pp, sizeof pp, "%s/nodePosition", ptr);
            bad |= vda__node_pos_parse(pos, pp, &n->pos, err) < 0;
        }
    }
    EACH_OBJECT(es, "/edgeStates", ptr, it, i, bad) {
        lp_vda_edge_state *e;
        s->edge_states = vda__grow(s->edge_states, s->nedge_states, sizeof *s->edge_states);
        e = &s->edge_states[s->nedge_states++];
        bad |= vda__str(it, ptr, "edgeId", 1, e->edge_id, sizeof e->edge_id, err) < 0;
        bad |= vda__int(it, ptr, "sequenceId", 1, 0, &e->seq, err) < 0;
        bad |= vda__bool(it, ptr, "released", 1, &e->released, err) < 0;
    }
    EACH_OBJECT(as, "/actionStates", ptr, it, i, bad) {
        lp_vda_action_state *a;
        int st = 0;
        s->action_states = vda__grow(s->action_states, s->naction_states, sizeof *s->action_states);
        a = &s->action_states[s->naction_states++];
        bad |= vda__str(it, ptr, "actionId", 1, a->action_id, sizeof a->action_id, err) < 0;
        bad |= vda__str(it, ptr, "actionType", 0, a->action_type, sizeof a->action_type, err) < 0;
        bad |= vda__enum(it, ptr, "actionStatus", 1, status_names, 6, &st, err) < 0;
        a->status = (lp_vda_action_status)st;
        bad |= vda__str(it, ptr, "resultDescription", 0, a->result, sizeof a->result, err) < 0;
    }
    bad |= errors_parse(er, s, err) < 0;
    return bad ? -1 : 1;
}

static int objects_parse(const cJSON *root, lp_vda_state *s, lp_err *err)
{
    const cJSON *pos = vda__object(root, "", "agvPosition", 0, err);
    const cJSON *vel = vda__object(root, "", "velocity", 0, err);
    const cJSON *bat = vda__object(root, "", "batteryState", 1, err);
    const cJSON *saf = vda__object(root, "", "safetyState", 1, err);
    int bad = !bat || !saf, e = 0;
    if (pos) {
        s->has_position = 1;
        bad |= vda__num(pos, "/agvPosition", "x", 1, -HUGE_VAL, HUGE_VAL, &s->position.x, err) < 0;
        bad |= vda__num(pos, "/agvPosition", "y", 1, -HUGE_VAL, HUGE_VAL, &s->position.y, err) < 0;
        bad |= vda__num(pos, "/agvPosition", "theta", 1, -HUGE_VAL, HUGE_VAL, &s->position.theta, err) < 0;
        bad |= vda__str(pos, "/agvPosition", "mapId", 1, s->position.map_id, LP_VDA_ID_MAX, err) < 0;
        bad |= vda__bool(pos, "/agvPosition", "positionInitialized", 1, &s->position.initialized, err) < 0;
    }
    if (vel) {
        s->has_velocity = 1;
        bad |= vda__num(vel, "/velocity", "vx", 0, -HUGE_VAL, HUGE_VAL, &s->velocity.vx, err) < 0;
        bad |= vda__num(vel, "/velocity", "vy", 0, -HUGE_VAL, HUGE_VAL, &s->velocity.vy, err) < 0;
        bad |= vda__num(vel, "/velocity", "omega", 0, -HUGE_VAL, HUGE_VAL, &s->velocity.omega, err) < 0;
    }
    s->battery.reach = -1;
    if (bat) {
        bad |= vda__num(bat, "/batteryState", "batteryCharge", 1, -HUGE_VAL, HUGE_VAL, &s->battery.charge, err) < 0;
        bad |= vda__bool(bat, "/batteryState", "charging", 1, &s->battery.charging, err) < 0;
        bad |= vda__num(bat, "/batteryState", "reach", 0, 0, HUGE_VAL, &s->battery.reach, err) < 0;
    }
    if (saf) {
        bad |= vda__enum(saf, "/safetyState", "eStop", 1, estop_names, 4, &e, err) < 0;
        s->estop = (lp_vda_estop)e;
        bad |= vda__bool(saf, "/safetyState", "fieldViolation", 1, &s->field_violation, err) < 0;
    }
    return bad ? -1 : 1;
}

int lp_vda_state_parse(const char *json, size_t len, lp_vda_state *s, lp_err *err)
{
    cJSON *root = vda__root(json, len, err);
    int bad = 0, mode = 0;
    memset(s, 0, sizeof *s);
    s->distance_since_last_node = -1;
    if (!root) return LP_EINVAL;
    bad |= vda__header_parse(root, &s->h, err) < 0;
    bad |= vda__str(root, "", "orderId", 1, s->order_id, sizeof s->order_id, err) < 0;
    bad |= vda__int(root, "", "orderUpdateId", 1, 0, &s->order_update_id, err) < 0;
    bad |= vda__str(root, "", "lastNodeId", 1, s->last_node_id, sizeof s->last_node_id, err) < 0;
    bad |= vda__int(root, "", "lastNodeSequenceId", 1, 0, &s->last_node_seq, err) < 0;
    bad |= vda__bool(root, "", "driving", 1, &s->driving, err) < 0;
    bad |= vda__bool(root, "", "paused", 0, &s->paused, err) < 0;
    bad |= vda__bool(root, "", "newBaseRequest", 0, &s->new_base_request, err) < 0;
    bad |= vda__num(root, "", "distanceSinceLastNode", 0, 0, HUGE_VAL, &s->distance_since_last_node, err) < 0;
    bad |= vda__enum(root, "", "operatingMode", 1, mode_names, 5, &mode, err) < 0;
    s->mode = (lp_vda_opmode)mode;
    bad |= lists_parse(root, s, err) < 0;
    bad |= objects_parse(root, s, err) < 0;
    cJSON_Delete(root);
    if (bad) {
        lp_vda_state_deinit(s);
        return lp_err_set(err, LP_EINVAL, "invalid state message");
    }
    return 0;
}

static void lists_add(cJSON *root, const lp_vda_state *s)
{
    cJSON *arr;
    int i, k;
    arr = cJSON_AddArrayToObject(root, "nodeStates");
    for (i = 0; i < s->nnode_states; i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "nodeId", s->node_states[i].node_id);
        cJSON_AddNumberToObject(j, "sequenceId", (double)s->node_states[i].seq);
        cJSON_AddBoolToObject(j, "released", s->node_states[i].released);
        if (s->node_states[i].pos.present)
            cJSON_AddItemToObject(j, "nodePosition", vda__node_pos_json(&s->node_states[i].pos, s->h.version));
        cJSON_AddItemToArray(arr, j);
    }
    arr = cJSON_AddArrayToObject(root, "edgeStates");
    for (i = 0; i < s->nedge_states; i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "edgeId", s->edge_states[i].edge_id);
        cJSON_AddNumberToObject(j, "sequenceId", (double)s->edge_states[i].seq);
        cJSON_AddBoolToObject(j, "released", s->edge_states[i].released);
        cJSON_AddItemToArray(arr, j);
    }
    arr = cJSON_AddArrayToObject(root, "actionStates");
    for (i = 0; i < s->naction_states; i++) {
        const lp_vda_action_state *a = &s->action_states[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "actionId", a->action_id);
        if (a->action_type[0]) cJSON_AddStringToObject(j, "actionType", a->action_type);
        cJSON_AddStringToObject(j, "actionStatus", status_names[a->status]);
        if (a->result[0]) cJSON_AddStringToObject(j, "resultDescription", a->result);
        cJSON_AddItemToArray(arr, j);
    }
    arr = cJSON_AddArrayToObject(root, "errors");
    for (i = 0; i < s->nerrors; i++) {
        const lp_vda_error *e = &s->errors[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "errorType", e->type);
        if (e->nrefs) {
            cJSON *refs = cJSON_AddArrayToObject(j, "errorReferences");
            for (k = 0; k < e->nrefs; k++) {
                cJSON *r = cJSON_CreateObject();
                cJSON_AddStringToObject(r, "referenceKey", e->refs[k].key);
                cJSON_AddStringToObject(r, "referenceValue", e->refs[k].value);
                cJSON_AddItemToArray(refs, r);
            }
        }
        if (e->description[0]) cJSON_AddStringToObject(j, "errorDescription", e->description);
        cJSON_AddStringToObject(j, "errorLevel", level_names[e->fatal ? 1 : 0]);
        cJSON_AddItemToArray(arr, j);
    }
}

char *lp_vda_state_format(const lp_vda_state *s)
{
    cJSON *root = cJSON_CreateObject(), *o;
    vda__header_add(root, &s->h);
    cJSON_AddStringToObject(root, "orderId", s->order_id);
    cJSON_AddNumberToObject(root, "orderUpdateId", (double)s->order_update_id);
    cJSON_AddStringToObject(root, "lastNodeId", s->last_node_id);
    cJSON_AddNumberToObject(root, "lastNodeSequenceId", (double)s->last_node_seq);
    cJSON_AddBoolToObject(root, "driving", s->driving);
    cJSON_AddBoolToObject(root, "paused", s->paused);
    cJSON_AddBoolToObject(root, "newBaseRequest", s->new_base_request);
    if (s->distance_since_last_node >= 0)
        cJSON_AddNumberToObject(root, "distanceSinceLastNode", s->distance_since_last_node);
    cJSON_AddStringToObject(root, "operatingMode", mode_names[s->mode]);
    lists_add(root, s);
    if (s->has_position) {
        o = cJSON_AddObjectToObject(root, "agvPosition");
        cJSON_AddNumberToObject(o, "x", s->position.x);
        cJSON_AddNumberToObject(o, "y", s->position.y);
        cJSON_AddNumberToObject(o, "theta", s->position.theta);
        cJSON_AddStringToObject(o, "mapId", s->position.map_id);
        cJSON_AddBoolToObject(o, "positionInitialized", s->position.initialized);
    }
    if (s->has_velocity) {
        o = cJSON_AddObjectToObject(root, "velocity");
        cJSON_AddNumberToObject(o, "vx", s->velocity.vx);
        cJSON_AddNumberToObject(o, "vy", s->velocity.vy);
        cJSON_AddNumberToObject(o, "omega", s->velocity.omega);
    }
    o = cJSON_AddObjectToObject(root, "batteryState");
    cJSON_AddNumberToObject(o, "batteryCharge", s->battery.charge);
    cJSON_AddBoolToObject(o, "charging", s->battery.charging);
    if (s->battery.reach >= 0) cJSON_AddNumberToObject(o, "reach", s->battery.reach);
    o = cJSON_AddObjectToObject(root, "safetyState");
    cJSON_AddStringToObject(o, "eStop", estop_names[s->estop]);
    cJSON_AddBoolToObject(o, "fieldViolation", s->field_violation);
    return vda__print(root);
}

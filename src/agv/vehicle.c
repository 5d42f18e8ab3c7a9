/* vehicle.c - order acceptance, actions and faults of a simulated vehicle;
 * the motion along the order is vehicle_drive.c.  See vehicle.h. */
#include "vehicle_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/mem.h"

static double or_default(double v, double d)
{
    return v > 0 ? v : d;
}

lp_vehicle *lp_vehicle_create(const char *manufacturer, const char *serial, double x, double y,
                              const char *start_node, const lp_vehicle_params *p)
{
    lp_vehicle *v = lp_calloc(1, sizeof *v);
    lp_vehicle_params z = {0};
    if (!p) p = &z;
    snprintf(v->manufacturer, sizeof v->manufacturer, "%s", manufacturer);
    snprintf(v->serial, sizeof v->serial, "%s", serial);
    snprintf(v->last_node_id, sizeof v->last_node_id, "%s", start_node ? start_node : "");
    snprintf(v->map_id, sizeof v->map_id, "%s", p->map_id ? p->map_id : "road");
    v->speed_max = or_default(p->speed_max, 8.3);
    v->accel = or_default(p->accel, 0.8);
    v->decel = or_default(p->decel, 1.2);
    v->drain_per_m = or_default(p->drain_per_km, 5.0) / 1000.0;
    v->charge_per_s = or_default(p->charge_per_s, 0.5);
    v->battery = p->battery > 0 && p->battery <= 100 ? p->battery : 100;
    v->x = x;
    v->y = y;
    v->mode = LP_VDA_MODE_AUTOMATIC;
    return v;
}

void lp_vehicle_destroy(lp_vehicle *v)
{
    if (!v) return;
    lp_vda_order_deinit(&v->order);
    lp_free(v->acts);
    lp_free(v->errors);
    lp_free(v);
}

const char *lp_vehicle_serial(const lp_vehicle *v)
{
    return v->serial;
}

int lp_vehicle_driving(const lp_vehicle *v)
{
    return v->speed > 0;
}

/* Errors ---------------------------------------------------------------- */

lp_vda_error *vehicle__error(lp_vehicle *v, const char *type, int fatal, const char *desc)
{
    lp_vda_error *e;
    v->errors = lp_realloc(v->errors, (size_t)(v->nerrors + 1) * sizeof *v->errors);
    e = &v->errors[v->nerrors++];
    memset(e, 0, sizeof *e);
    snprintf(e->type, sizeof e->type, "%s", type);
    snprintf(e->description, sizeof e->description, "%s", desc);
    e->fatal = fatal;
    return e;
}

void vehicle__clear_error(lp_vehicle *v, const char *type)
{
    int i, k = 0;
    for (i = 0; i < v->nerrors; i++)
        if (strcmp(v->errors[i].type, type) != 0) v->errors[k++] = v->errors[i];
    v->nerrors = k;
}

/* The errors a new accepted order makes obsolete. */
static void clear_order_errors(lp_vehicle *v)
{
    static const char *const types[] = {"validationError", "orderError", "orderUpdateError", "noRouteError",
                                        "noOrderToCancel", "actionNotSupported"};
    size_t i;
    for (i = 0; i < sizeof types / sizeof types[0]; i++) vehicle__clear_error(v, types[i]);
}

/* Action states -------------------------------------------------------------- */

vehicle_act *vehicle__act_find(lp_vehicle *v, const char *id)
{
    int i;
    for (i = 0; i < v->nacts; i++)
        if (!strcmp(v->acts[i].st.action_id, id)) return &v->acts[i];
    return NULL;
}

static vehicle_act *act_add(lp_vehicle *v, const lp_vda_action *a, int node)
{
    vehicle_act *x;
    v->acts = lp_realloc(v->acts, (size_t)(v->nacts + 1) * sizeof *v->acts);
    x = &v->acts[v->nacts++];
    memset(x, 0, sizeof *x);
    snprintf(x->st.action_id, sizeof x->st.action_id, "%s", a->action_id);
    snprintf(x->st.action_type, sizeof x->st.action_type, "%s", a->action_type);
    x->st.status = LP_VDA_AS_WAITING;
    x->node = node;
    x->edge = -1;
    x->blocking = a->blocking;
    if (!lp_vda_action_param_num(a, "duration", &x->remaining)) x->remaining = 1.0;
    return x;
}

/* Keeps the state of actions already known, adds the new ones (WAITING). */
static void sync_actions(lp_vehicle *v)
{
    int i, k;
    for (i = 0; i < v->order.nnodes; i++)
        for (k = 0; k < v->order.nodes[i].nactions; k++)
            if (!vehicle__act_find(v, v->order.nodes[i].actions[k].action_id))
                act_add(v, &v->order.nodes[i].actions[k], i);
    for (i = 0; i < v->order.nedges; i++)
        for (k = 0; k < v->order.edges[i].nactions; k++)
            if (!vehicle__act_find(v, v->order.edges[i].actions[k].action_id))
                act_add(v, &v->order.edges[i].actions[k], -1)->edge = i;
}

static int supported(const char *type)
{
    return !strcmp(type, "pick") || !strcmp(type, "drop") || !strcmp(type, "startCharging") ||
           !strcmp(type, "stopCharging") || !strcmp(type, "wait");
}

/* Starts the actions of node i (just reached). */
int vehicle__start_node_actions(lp_vehicle *v, int i)
{
    int k, ev = 0;
    for (k = 0; k < v->nacts; k++) {
        vehicle_act *x = &v->acts[k];
        if (x->node != i || x->st.status != LP_VDA_AS_WAITING) continue;
        ev = LP_VEHICLE_EV_STATE;
        if (!supported(x->st.action_type)) {
            x->st.status = LP_VDA_AS_FAILED;
            lp_vda_error_ref(vehicle__error(v, "actionNotSupported", 0, "this vehicle does not know the action"),
                             "actionId", x->st.action_id);
            continue;
        }
        if (!strcmp(x->st.action_type, "startCharging")) {
            v->charging = 1;
            x->st.status = LP_VDA_AS_FINISHED;
        } else if (!strcmp(x->st.action_type, "stopCharging")) {
            v->charging = 0;
            x->st.status = LP_VDA_AS_FINISHED;
        } else {
            x->st.status = v->paused ? LP_VDA_AS_PAUSED : LP_VDA_AS_RUNNING;
        }
    }
    return ev;
}

int vehicle__blocked_at(const lp_vehicle *v, int node)
{
    int k;
    for (k = 0; k < v->nacts; k++) {
        const vehicle_act *x = &v->acts[k];
        if (x->node == node && x->blocking != LP_VDA_BLOCK_NONE &&
            (x->st.status == LP_VDA_AS_WAITING || x->st.status == LP_VDA_AS_RUNNING ||
             x->st.status == LP_VDA_AS_PAUSED || x->st.status == LP_VDA_AS_INITIALIZING))
            return 1;
    }
    return 0;
}

static int running_actions(const lp_vehicle *v)
{
    int k;
    for (k = 0; k < v->nacts; k++)
        if (v->acts[k].node >= 0 && (v->acts[k].st.status == LP_VDA_AS_RUNNING ||
                                     v->acts[k].st.status == LP_VDA_AS_PAUSED))
            return 1;
    return 0;
}

/* Orders ---------------------------------------------------------------------- */

void vehicle__view(const lp_vehicle *v, lp_vda_view *w)
{
    int end = v->has_order ? lp_vda_order_base_end(&v->order) : -1;
    memset(w, 0, sizeof *w);
    w->current = v->has_order ? &v->order : NULL;
    w->cancelled = v->cancelled;
    w->executing = v->has_order && !v->cancelled && (v->next <= end || running_actions(v));
    w->has_horizon = v->has_order && !v->cancelled && end < v->order.nnodes - 1;
    w->last_node_id = v->last_node_id;
    w->last_node_seq = v->last_node_seq;
    w->has_position = 1;
    w->x = v->x;
    w->y = v->y;
}

static int reject(lp_vehicle *v, const lp_vda_order *o, const lp_vda_reject *why)
{
    char upd[24];
    lp_vda_error *e = vehicle__error(v, why->error_type, 0, why->msg);
    snprintf(upd, sizeof upd, "%lld", (long long)o->order_update_id);
    lp_vda_error_ref(e, "topic", "order");
    lp_vda_error_ref(e, "orderId", o->order_id);
    lp_vda_error_ref(e, "orderUpdateId", upd);
    if (why->pointer[0]) lp_vda_error_ref(e, "field", why->pointer);
    return LP_VEHICLE_EV_STATE;
}

int lp_vehicle_order(lp_vehicle *v, const lp_vda_order *o)
{
    lp_vda_view w;
    lp_vda_reject why;
    lp_vda_order merged;
    int i, end;
    for (i = 1; i < o->nnodes; i++)
        if (!o->nodes[i].pos.present) {
            snprintf(why.error_type, sizeof why.error_type, "validationError");
            snprintf(why.pointer, sizeof why.pointer, "/nodes/%d/nodePosition", i);
            snprintf(why.msg, sizeof why.msg, "this vehicle needs the nodePosition of every node");
            return reject(v, o, &why);
        }
    vehicle__view(v, &w);
    switch (lp_vda_order_judge(&w, o, &why)) {
    case LP_VDA_ORDER_REJECT: return reject(v, o, &why);
    case LP_VDA_ORDER_DUPLICATE: return 0;
    case LP_VDA_ORDER_UPDATE:
        end = lp_vda_order_base_end(&v->order);
        lp_vda_order_merge(&v->order, o, &merged);
        /* The stitching node may come without a position: it has one. */
        if (!merged.nodes[end].pos.present) merged.nodes[end].pos = v->order.nodes[end].pos;
        lp_vda_order_deinit(&v->order);
        v->order = merged;
        clear_order_errors(v);
        sync_actions(v);
        /* Standing on the old base end: new actions there start now. */
        if (v->next == end + 1) vehicle__start_node_actions(v, end);
        return LP_VEHICLE_EV_STATE;
    case LP_VDA_ORDER_NEW: break;
    }
    lp_vda_order_deinit(&v->order);
    lp_vda_order_copy(&v->order, o);
    v->has_order = 1;
    v->cancelled = 0;
    v->nacts = 0; /* action states are kept until a new order */
    clear_order_errors(v);
    sync_actions(v);
    v->next = 1;
    v->seg_pos = 0;
    v->dist_since_last = 0;
    snprintf(v->last_node_id, sizeof v->last_node_id, "%s", o->nodes[0].node_id);
    v->last_node_seq = o->nodes[0].seq;
    if (o->nodes[0].pos.present) {
        v->x = o->nodes[0].pos.x;
        v->y = o->nodes[0].pos.y;
        snprintf(v->map_id, sizeof v->map_id, "%s", o->nodes[0].pos.map_id);
    } else {
        /* The first node may omit its position: it is where the vehicle stands. */
        lp_vda_node_pos *p = &v->order.nodes[0].pos;
        p->present = 1;
        p->x = v->x;
        p->y = v->y;
        p->allowed_dev_xy = -1;
        snprintf(p->map_id, sizeof p->map_id, "%s", v->map_id);
    }
    vehicle__start_node_actions(v, 0);
    return LP_VEHICLE_EV_STATE;
}

/* instantActions ------------------------------------------------------------- */

static void set_paused(lp_vehicle *v, int paused)
{
    int k;
    v->paused = paused;
    for (k = 0; k < v->nacts; k++) {
        if (v->acts[k].node < 0 && v->acts[k].instant) continue;
        if (paused && v->acts[k].st.status == LP_VDA_AS_RUNNING) v->acts[k].st.status = LP_VDA_AS_PAUSED;
        else if (!paused && v->acts[k].st.status == LP_VDA_AS_PAUSED) v->acts[k].st.status = LP_VDA_AS_RUNNING;
    }
}

/* Instant actions' states are kept until the next order; a fleet that
 * pauses and resumes for hours without one must not grow the state without
 * bound, so beyond MAX_INSTANTS the oldest finished ones go. */
#define MAX_INSTANTS 32
static void forget_old_instants(lp_vehicle *v)
{
    int k, n = 0, w = 0, drop;
    for (k = 0; k < v->nacts; k++) n += v->acts[k].instant;
    drop = n - (MAX_INSTANTS - 1);
    for (k = 0; k < v->nacts; k++) {
        vehicle_act *x = &v->acts[k];
        if (drop > 0 && x->instant &&
            (x->st.status == LP_VDA_AS_FINISHED || x->st.status == LP_VDA_AS_FAILED)) {
            drop--;
            continue;
        }
        v->acts[w++] = *x;
    }
    v->nacts = w;
}

static int instant_one(lp_vehicle *v, const lp_vda_action *a)
{
    vehicle_act *x;
    lp_vda_view w;
    lp_vda_reject why;
    const char *t = a->action_type;
    if (vehicle__act_find(v, a->action_id)) return 0; /* seen already */
    forget_old_instants(v);
    x = act_add(v, a, -1);
    x->instant = 1;
    x->st.status = LP_VDA_AS_FINISHED;
    if (!strcmp(t, "startPause")) {
        set_paused(v, 1);
    } else if (!strcmp(t, "stopPause")) {
        set_paused(v, 0);
    } else if (!strcmp(t, "stateRequest")) {
    } else if (!strcmp(t, "factsheetRequest")) {
        return LP_VEHICLE_EV_STATE | LP_VEHICLE_EV_FACTSHEET;
    } else if (!strcmp(t, "startCharging")) {
        v->charging = 1;
    } else if (!strcmp(t, "stopCharging")) {
        v->charging = 0;
    } else if (!strcmp(t, "cancelOrder")) {
        vehicle__view(v, &w);
        if (lp_vda_cancel_judge(&w, &why) != 0) {
            x->st.status = LP_VDA_AS_FAILED;
            lp_vda_error_ref(vehicle__error(v, why.error_type, 0, why.msg), "actionId", a->action_id);
        } else {
            /* Finished once the vehicle stands (vehicle_drive.c). */
            x->st.status = LP_VDA_AS_RUNNING;
            v->cancelling = 1;
        }
    } else {
        x->st.status = LP_VDA_AS_FAILED;
        lp_vda_error_ref(vehicle__error(v, "actionNotSupported", 0, "unknown instant action"), "actionId",
                         a->action_id);
    }
    return LP_VEHICLE_EV_STATE;
}

int lp_vehicle_instant(lp_vehicle *v, const lp_vda_instant *m)
{
    int i, ev = 0;
    for (i = 0; i < m->nactions; i++) ev |= instant_one(v, &m->actions[i]);
    return ev | LP_VEHICLE_EV_STATE;
}

int lp_vehicle_reject(lp_vehicle *v, const char *topic, const lp_err *err)
{
    lp_vda_error *e = vehicle__error(v, "validationError", 0, err->nfields ? err->fields[0].msg : err->msg);
    lp_vda_error_ref(e, "topic", topic);
    if (err->nfields) lp_vda_error_ref(e, "field", err->fields[0].pointer);
    return LP_VEHICLE_EV_STATE;
}

int lp_vehicle_fault(lp_vehicle *v, const char *fault)
{
    if (!strcmp(fault, "estop")) {
        if (!v->estop) vehicle__error(v, "emergencyStop", 1, "remote emergency stop (simulated fault)");
        v->estop = 1;
        v->speed = 0;
    } else if (!strcmp(fault, "stall")) {
        if (!v->stalled) vehicle__error(v, "driveStall", 1, "the drive does not move (simulated fault)");
        v->stalled = 1;
        v->speed = 0;
    } else if (!strcmp(fault, "clear")) {
        v->estop = v->stalled = 0;
        vehicle__clear_error(v, "emergencyStop");
        vehicle__clear_error(v, "driveStall");
    } else {
        return -1;
    }
    return LP_VEHICLE_EV_STATE;
}

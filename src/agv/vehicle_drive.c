/* vehicle_drive.c - motion, battery and timed actions of a simulated
 * vehicle, and its state and factsheet messages.
 *
 * Speed follows a trapezoid: accelerate up to the edge's limit, brake
 * (decel) so as to meet the next edge's limit at the node and to stand
 * still at the stop point: the first node with a blocking action, else the
 * end of the base.  Nothing past the base end is ever entered. */
#include "vehicle_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/mem.h"

#define CREEP 0.3 /* m/s: the last metres before a stop, so it arrives */

static double seg_len(const lp_vehicle *v, int i)
{
    const lp_vda_node *a = &v->order.nodes[i], *b = &v->order.nodes[i + 1];
    return hypot(b->pos.x - a->pos.x, b->pos.y - a->pos.y);
}

static double edge_limit(const lp_vehicle *v, int i)
{
    double m = i < v->order.nedges ? v->order.edges[i].max_speed : 0;
    return m > 0 && m < v->speed_max ? m : v->speed_max;
}

static void place(lp_vehicle *v)
{
    const lp_vda_node *a, *b;
    double len, f;
    if (!v->has_order || v->next < 1) return;
    a = &v->order.nodes[v->next - 1];
    if (v->next >= v->order.nnodes || v->seg_pos <= 0) {
        if (a->pos.present) v->x = a->pos.x, v->y = a->pos.y;
        if (v->next >= v->order.nnodes) return;
    }
    b = &v->order.nodes[v->next];
    len = seg_len(v, v->next - 1);
    if (len > 1e-9) v->theta = atan2(b->pos.y - a->pos.y, b->pos.x - a->pos.x);
    if (v->seg_pos <= 0) return;
    f = len > 1e-9 ? v->seg_pos / len : 1;
    v->x = a->pos.x + f * (b->pos.x - a->pos.x);
    v->y = a->pos.y + f * (b->pos.y - a->pos.y);
}

/* Node i reached. */
static int arrive(lp_vehicle *v, int i)
{
    int k;
    snprintf(v->last_node_id, sizeof v->last_node_id, "%s", v->order.nodes[i].node_id);
    v->last_node_seq = v->order.nodes[i].seq;
    v->dist_since_last = 0;
    v->seg_pos = 0;
    v->next = i + 1;
    for (k = 0; k < v->nacts; k++)
        if (v->acts[k].edge == i - 1 && v->acts[k].st.status == LP_VDA_AS_WAITING)
            v->acts[k].st.status = LP_VDA_AS_FINISHED;
    vehicle__start_node_actions(v, i);
    return LP_VEHICLE_EV_STATE;
}

/* Distance from here to node `to` along the order. */
static double dist_to(const lp_vehicle *v, int to)
{
    double d = 0;
    int i;
    if (v->next > to) return 0;
    d = seg_len(v, v->next - 1) - v->seg_pos;
    for (i = v->next; i < to; i++) d += seg_len(v, i);
    return d;
}

static int drive(lp_vehicle *v, double dt)
{
    int end, stop, i, ev = 0, halt;
    double target, adv, moved = 0;
    if (!v->has_order || v->cancelled || v->estop || v->stalled || v->battery <= 0) {
        v->speed = 0;
        return 0;
    }
    end = lp_vda_order_base_end(&v->order);
    if (v->next > end) {
        v->speed = 0;
        return 0;
    }
    /* Standing on a node: blocking actions, charging and a cancel keep it there. */
    if (v->seg_pos <= 0 && v->speed <= 0 && (vehicle__blocked_at(v, v->next - 1) || v->charging || v->cancelling))
        return 0;
    /* cancelOrder on an edge: it stops at the next node (VDA 5050 lets a
     * vehicle stop there or at once), where it can take a new order. */
    if (v->cancelling && v->next < end) end = v->next;
    halt = v->paused;
    for (stop = v->next; stop < end && !vehicle__blocked_at(v, stop); stop++) {}
    target = fmin(edge_limit(v, v->next - 1), sqrt(2 * v->decel * dist_to(v, stop)));
    if (v->next < stop)
        target = fmin(target, sqrt(pow(edge_limit(v, v->next), 2) + 2 * v->decel * dist_to(v, v->next)));
    if (halt)
        target = 0;
    else if (target < CREEP)
        target = CREEP;
    if (v->speed < target)
        v->speed = fmin(target, v->speed + v->accel * dt);
    else
        v->speed = fmax(target, v->speed - v->decel * dt);
    adv = v->speed * dt;
    if (adv > dist_to(v, stop)) adv = dist_to(v, stop);
    while (adv > 1e-9 || (v->next <= stop && dist_to(v, v->next) <= 1e-9)) {
        double rem = seg_len(v, v->next - 1) - v->seg_pos;
        if (adv >= rem - 1e-9) {
            adv -= fmax(rem, 0);
            moved += fmax(rem, 0);
            i = v->next;
            ev |= arrive(v, i);
            if (i >= stop) {
                v->speed = 0;
                break;
            }
        } else {
            v->seg_pos += adv;
            v->dist_since_last += adv;
            moved += adv;
            adv = 0;
        }
    }
    v->battery = fmax(0, v->battery - moved * v->drain_per_m);
    if (v->battery <= 0 && moved > 0) {
        v->speed = 0;
        vehicle__error(v, "batteryEmpty", 1, "the battery is empty");
        ev |= LP_VEHICLE_EV_STATE;
    }
    place(v);
    return ev;
}

static int step_actions(lp_vehicle *v, double dt)
{
    int k, ev = 0;
    if (v->paused) return 0;
    for (k = 0; k < v->nacts; k++) {
        vehicle_act *x = &v->acts[k];
        if (x->node < 0 || x->st.status != LP_VDA_AS_RUNNING) continue;
        x->remaining -= dt;
        if (x->remaining <= 0) {
            x->st.status = LP_VDA_AS_FINISHED;
            ev = LP_VEHICLE_EV_STATE;
        }
    }
    return ev;
}

static int step_charge(lp_vehicle *v, double dt)
{
    if (!v->charging || v->speed > 0) return 0; /* charges standing only */
    v->battery += v->charge_per_s * dt;
    if (v->battery < 100) return 0;
    v->battery = 100;
    v->charging = 0;
    return LP_VEHICLE_EV_STATE;
}

/* cancelOrder completes once the vehicle stands: the order's unfinished
 * actions fail, nodeStates and edgeStates empty. */
static int finish_cancel(lp_vehicle *v)
{
    int k;
    if (!v->cancelling || v->speed > 0) return 0;
    for (k = 0; k < v->nacts; k++) {
        vehicle_act *x = &v->acts[k];
        if (x->instant && !strcmp(x->st.action_type, "cancelOrder") && x->st.status == LP_VDA_AS_RUNNING)
            x->st.status = LP_VDA_AS_FINISHED;
        else if (!x->instant && x->st.status != LP_VDA_AS_FINISHED && x->st.status != LP_VDA_AS_FAILED)
            x->st.status = LP_VDA_AS_FAILED;
    }
    v->cancelling = 0;
    v->cancelled = 1;
    v->new_base_request = 0;
    return LP_VEHICLE_EV_STATE;
}

static int update_new_base(lp_vehicle *v)
{
    int end, want = 0;
    if (v->has_order && !v->cancelled) {
        end = lp_vda_order_base_end(&v->order);
        if (end < v->order.nnodes - 1) {
            double brake = v->speed_max * v->speed_max / (2 * v->decel) + 3 * v->speed_max;
            want = v->next > end || dist_to(v, end) <= brake;
        }
    }
    if (want == v->new_base_request) return 0;
    v->new_base_request = want;
    return LP_VEHICLE_EV_STATE;
}

int lp_vehicle_step(lp_vehicle *v, double dt)
{
    int was = v->speed > 0, ev = 0;
    ev |= step_actions(v, dt);
    ev |= step_charge(v, dt);
    ev |= drive(v, dt);
    ev |= finish_cancel(v);
    ev |= update_new_base(v);
    if (was != (v->speed > 0)) ev |= LP_VEHICLE_EV_STATE;
    return ev;
}

/* Messages ------------------------------------------------------------------ */

static void order_lists(const lp_vehicle *v, lp_vda_state *s)
{
    int i;
    if (!v->has_order || v->cancelled) return;
    for (i = v->next; i < v->order.nnodes; i++) {
        lp_vda_node_state *n;
        s->node_states = lp_realloc(s->node_states, (size_t)(s->nnode_states + 1) * sizeof *n);
        n = &s->node_states[s->nnode_states++];
        memset(n, 0, sizeof *n);
        memcpy(n->node_id, v->order.nodes[i].node_id, sizeof n->node_id);
        n->seq = v->order.nodes[i].seq;
        n->released = v->order.nodes[i].released;
        n->pos = v->order.nodes[i].pos;
    }
    for (i = v->next - 1; i >= 0 && i < v->order.nedges; i++) {
        lp_vda_edge_state *e;
        s->edge_states = lp_realloc(s->edge_states, (size_t)(s->nedge_states + 1) * sizeof *e);
        e = &s->edge_states[s->nedge_states++];
        memset(e, 0, sizeof *e);
        memcpy(e->edge_id, v->order.edges[i].edge_id, sizeof e->edge_id);
        e->seq = v->order.edges[i].seq;
        e->released = v->order.edges[i].released;
    }
}

void lp_vehicle_state(const lp_vehicle *v, lp_vda_state *s)
{
    int i;
    memset(s, 0, sizeof *s);
    if (v->has_order) {
        memcpy(s->order_id, v->order.order_id, sizeof s->order_id);
        s->order_update_id = v->order.order_update_id;
    }
    memcpy(s->last_node_id, v->last_node_id, sizeof s->last_node_id);
    s->last_node_seq = v->last_node_seq;
    order_lists(v, s);
    if (v->nacts) {
        s->action_states = lp_calloc((size_t)v->nacts, sizeof *s->action_states);
        for (i = 0; i < v->nacts; i++) s->action_states[i] = v->acts[i].st;
        s->naction_states = v->nacts;
    }
    if (v->nerrors) {
        s->errors = lp_calloc((size_t)v->nerrors, sizeof *s->errors);
        memcpy(s->errors, v->errors, (size_t)v->nerrors * sizeof *s->errors);
        s->nerrors = v->nerrors;
    }
    s->has_position = 1;
    s->position.x = v->x;
    s->position.y = v->y;
    s->position.theta = v->theta;
    memcpy(s->position.map_id, v->map_id, sizeof s->position.map_id);
    s->position.initialized = 1;
    s->has_velocity = 1;
    s->velocity.vx = v->speed;
    s->driving = v->speed > 0;
    s->paused = v->paused;
    s->new_base_request = v->new_base_request;
    s->distance_since_last_node = v->dist_since_last;
    s->battery.charge = round(v->battery * 100) / 100;
    s->battery.charging = v->charging;
    s->battery.reach = v->battery / v->drain_per_m;
    s->mode = v->mode;
    s->estop = v->estop ? LP_VDA_ESTOP_REMOTE : LP_VDA_ESTOP_NONE;
}

void lp_vehicle_factsheet(const lp_vehicle *v, lp_vda_factsheet *f)
{
    static const struct { const char *type; int instant, node; } acts[] = {
        {"startPause", 1, 0},    {"stopPause", 1, 0},     {"cancelOrder", 1, 0}, {"stateRequest", 1, 0},
        {"factsheetRequest", 1, 0}, {"startCharging", 1, 1}, {"stopCharging", 1, 1}, {"pick", 0, 1},
        {"drop", 0, 1},          {"wait", 0, 1},
    };
    size_t i;
    memset(f, 0, sizeof *f);
    snprintf(f->series_name, sizeof f->series_name, "landport-sim container carrier");
    f->speed_min = 0.1;
    f->speed_max = v->speed_max;
    f->accel_max = v->accel;
    f->decel_max = v->decel;
    f->height_max = 4.2;
    f->width = 2.9;
    f->length = 15.0;
    f->max_load_mass = 40000;
    for (i = 0; i < sizeof acts / sizeof acts[0]; i++) {
        snprintf(f->actions[i].type, sizeof f->actions[i].type, "%s", acts[i].type);
        f->actions[i].instant = acts[i].instant;
        f->actions[i].node = acts[i].node;
    }
    f->nactions = (int)i;
}

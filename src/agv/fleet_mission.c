/* fleet_mission.c - missions of the fleet manager (fleet.h): planning with
 * the operating window, orders whose base is the traffic-granted prefix,
 * order updates as traffic grants more, the inspection hold and release,
 * the handover record, and the trip record (track, distance, stops). */
#include "fleet_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mem.h"

#define TRACK_EVERY_M 25.0
#define TRACK_EVERY_MS 5000

void fleet__mission_free(fleet_mission *m)
{
    if (!m) return;
    cJSON_Delete(m->rec);
    lp_free(m);
}

void fleet__rec_set(cJSON *rec, const char *name, cJSON *v)
{
    if (cJSON_GetObjectItemCaseSensitive(rec, name)) cJSON_ReplaceItemInObjectCaseSensitive(rec, name, v);
    else cJSON_AddItemToObject(rec, name, v);
}

void fleet__save(lp_fleet *f, fleet_mission *m, const char *action)
{
    fleet__rec_set(m->rec, "distance_m", cJSON_CreateNumber((double)(int64_t)m->dist_m));
    if (f->o.sink.mission) f->o.sink.mission(f->o.sink.ud, m->id, action, m->rec);
}

void fleet__set_state(lp_fleet *f, fleet_mission *m, const char *state, const char *action)
{
    fleet__rec_set(m->rec, "state", cJSON_CreateString(state));
    fleet__save(f, m, action);
    if (f->o.sink.publish) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "id", (double)m->id);
        cJSON_AddStringToObject(d, "state", state);
        f->o.sink.publish(f->o.sink.ud, "agv_mission.state", d);
    }
}

cJSON *fleet__mission_rec(const lp_fleet *f, int ai, const char *from, const char *to, const lp_road_route *rt,
                          double estimate_s)
{
    cJSON *rec = cJSON_CreateObject(), *route;
    int i;
    cJSON_AddStringToObject(rec, "agv", f->agvs[ai].serial);
    cJSON_AddStringToObject(rec, "from_zone", from);
    cJSON_AddStringToObject(rec, "to_zone", to);
    cJSON_AddStringToObject(rec, "state", "planned");
    route = cJSON_AddArrayToObject(rec, "route");
    for (i = 0; i < rt->n; i++) cJSON_AddItemToArray(route, cJSON_CreateString(f->road->nodes[rt->nodes[i]].id));
    cJSON_AddNumberToObject(rec, "length_m", (double)(int64_t)rt->length_m);
    cJSON_AddNumberToObject(rec, "estimate_s", (double)(int64_t)estimate_s);
    cJSON_AddItemToObject(rec, "track", cJSON_CreateArray());
    cJSON_AddItemToObject(rec, "stops", cJSON_CreateArray());
    return rec;
}

/* Sends route nodes first..n-1 with first..cap released: the new order the
 * first time, else an update (orderUpdateId + 1) stitched at the current
 * base end (route node first). */
void fleet__send_order(lp_fleet *f, fleet_mission *m, int first, int cap)
{
    fleet_agv *a = &f->agvs[m->agv];
    const lp_road *r = f->road;
    lp_vda_order o;
    int i;
    memset(&o, 0, sizeof o);
    lp_vda_header_init(&o.h, a->manufacturer, a->serial, a->hid_order++, fleet__now(f));
    snprintf(o.order_id, sizeof o.order_id, "%s", m->order_id);
    o.order_update_id = m->update_id++;
    for (i = first; i < m->rt.n; i++) {
        const lp_road_node *rn = &r->nodes[m->rt.nodes[i]];
        lp_vda_node n;
        memset(&n, 0, sizeof n);
        snprintf(n.node_id, sizeof n.node_id, "%s", rn->id);
        n.seq = 2 * i;
        n.released = i <= cap;
        n.pos.present = 1;
        n.pos.x = rn->x, n.pos.y = rn->y;
        n.pos.allowed_dev_xy = -1;
        snprintf(n.pos.map_id, sizeof n.pos.map_id, "road");
        fleet__node_actions(f, m, i, lp_vda_order_add_node(&o, &n));
        if (i + 1 < m->rt.n) {
            const lp_road_edge *re = &r->edges[m->rt.edges[i]];
            lp_vda_edge e;
            memset(&e, 0, sizeof e);
            snprintf(e.edge_id, sizeof e.edge_id, "%s", re->id);
            e.seq = 2 * i + 1;
            e.released = i + 1 <= cap;
            snprintf(e.start_node, sizeof e.start_node, "%s", rn->id);
            snprintf(e.end_node, sizeof e.end_node, "%s", r->nodes[m->rt.nodes[i + 1]].id);
            e.max_speed = re->speed_mps;
            e.length = re->length_m;
            lp_vda_order_add_edge(&o, &e);
        }
    }
    m->base_sent = cap;
    fleet__send(f, a, LP_VDA_T_ORDER, lp_vda_order_format(&o));
    lp_vda_order_deinit(&o);
}

/* The base never passes the hold (fleet__hold_index).  Traffic's route
 * starts at route index m->first (0 but after a restart). */
int fleet__grant(lp_fleet *f, fleet_mission *m, const lp_road_route *rt)
{
    int g = 0, hold = fleet__hold_index(m);
    lp_err err;
    lp_err_init(&err);
    if (lp_traffic_request(f->traffic, f->agvs[m->agv].tv, rt, fleet__now(f), &g, &err)) {
        fprintf(stderr, "landport fleet: mission %lld: traffic refused: %s\n", (long long)m->id, err.msg);
        return m->base_sent;
    }
    g += m->first;
    if (hold >= 0 && g > hold) g = hold;
    return g;
}

void fleet__extend(lp_fleet *f, fleet_mission *m)
{
    int g = fleet__grant(f, m, NULL);
    if (g > m->base_sent) fleet__send_order(f, m, m->base_sent, g);
}

int fleet__route_index(const lp_fleet *f, const lp_road_route *rt, const char *zone)
{
    int n = lp_road_zone_node(f->road, zone), i;
    for (i = 0; n >= 0 && i < rt->n; i++)
        if (rt->nodes[i] == n) return i;
    return -1;
}

double fleet__estimate(const lp_fleet *f, const lp_road_route *rt)
{
    int km0 = fleet__route_index(f, rt, "km0"), insp = fleet__route_index(f, rt, "inspection");
    double s = rt->time_s * 1.2 + 60; /* speed limits plus slack for stops and starting */
    if (km0 >= 0 && insp > km0 && f->o.inspection_s > 0) s += f->o.inspection_s;
    return s;
}

int lp_fleet_mission_start(lp_fleet *f, int64_t id, const cJSON *rec, lp_err *err)
{
    const char *serial = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "agv"));
    int i, ai = -1;
    for (i = 0; serial && i < f->nagvs; i++)
        if (!strcmp(f->agvs[i].serial, serial)) ai = i;
    if (ai < 0 || f->agvs[ai].mission >= 0 || f->agvs[ai].lost)
        return lp_err_set(err, LP_ECONFLICT, "AGV %s is no longer available", serial ? serial : "?");
    return fleet__mission_begin(f, ai, id, rec, err);
}

int fleet__mission_make(lp_fleet *f, int ai, int64_t id, const cJSON *rec, fleet_mission **out, lp_err *err)
{
    const cJSON *route = cJSON_GetObjectItemCaseSensitive(rec, "route"), *it;
    fleet_mission *m;
    int nodes[LP_ROAD_ROUTE_MAX], n = 0, rc, slot;
    for (slot = 0; slot < f->nmissions && f->missions[slot]; slot++) {
    }
    if (slot == FLEET_MISSIONS_MAX) return lp_err_set(err, LP_ECONFLICT, "too many missions running");
    cJSON_ArrayForEach(it, route) {
        if (n < LP_ROAD_ROUTE_MAX) nodes[n++] = lp_road_node_find(f->road, cJSON_GetStringValue(it));
    }
    m = lp_calloc(1, sizeof *m);
    rc = lp_road_route_from_nodes(f->road, nodes, n, &m->rt, err);
    if (rc) {
        lp_free(m);
        return rc;
    }
    m->id = id;
    m->agv = ai;
    m->rec = cJSON_Duplicate(rec, 1);
    snprintf(m->order_id, sizeof m->order_id, "mission-%lld", (long long)id);
    /* the inspection stop and the handover apply to vehicles entering
     * Vietnam: when they come after km 0 on the route */
    m->inspect = fleet__route_index(f, &m->rt, "inspection");
    m->handover = fleet__route_index(f, &m->rt, "handover");
    if (fleet__route_index(f, &m->rt, "km0") < 0 || fleet__route_index(f, &m->rt, "km0") > m->inspect) m->inspect = -1;
    if (fleet__route_index(f, &m->rt, "km0") < 0 || fleet__route_index(f, &m->rt, "km0") > m->handover) m->handover = -1;
    m->lx = f->agvs[ai].x, m->ly = f->agvs[ai].y;
    m->last_track_ms = fleet__now(f);
    f->missions[slot] = m;
    f->agvs[ai].mission = slot;
    if (slot == f->nmissions) f->nmissions++;
    *out = m;
    return LP_OK;
}

int fleet__mission_begin(lp_fleet *f, int ai, int64_t id, const cJSON *rec, lp_err *err)
{
    fleet_mission *m;
    int rc = fleet__mission_make(f, ai, id, rec, &m, err);
    if (rc) return rc;
    fleet__rec_set(m->rec, "order_id", cJSON_CreateString(m->order_id));
    fleet__rec_set(m->rec, "started_at", cJSON_CreateNumber((double)fleet__now(f)));
    fleet__customs_begin(f, m);
    fleet__send_order(f, m, 0, fleet__grant(f, m, &m->rt));
    fleet__set_state(f, m, "running", "start");
    return LP_OK;
}

void fleet__mission_end(lp_fleet *f, fleet_mission *m)
{
    if (m->agv >= 0 && f->agvs[m->agv].mission >= 0 && f->missions[f->agvs[m->agv].mission] == m) {
        f->missions[f->agvs[m->agv].mission] = NULL;
        f->agvs[m->agv].mission = -1;
    }
    fleet__mission_free(m);
}

fleet_mission *fleet__mission_find(lp_fleet *f, int64_t id)
{
    int i;
    for (i = 0; i < f->nmissions; i++)
        if (f->missions[i] && f->missions[i]->id == id) return f->missions[i];
    return NULL;
}

int lp_fleet_mission_release(lp_fleet *f, int64_t id, const char *who, const char *reason, lp_err *err)
{
    fleet_mission *m = fleet__mission_find(f, id);
    if (!m || m->cancelling) return lp_err_set(err, LP_ECONFLICT, "mission %lld is not running", (long long)id);
    if (m->released) return lp_err_set(err, LP_ECONFLICT, "mission %lld is already released", (long long)id);
    m->released = 1;
    fleet__rec_set(m->rec, "released_at", cJSON_CreateNumber((double)fleet__now(f)));
    fleet__rec_set(m->rec, "release_reason", cJSON_CreateString(reason));
    fleet__rec_set(m->rec, "released_by", cJSON_CreateString(who));
    fleet__customs_poll(f, m); /* the declaration may have cleared meanwhile */
    fleet__waiting(m);
    fleet__unhold(f, m, "release"); /* still held while the declaration does not allow crossing */
    fleet__extend(f, m);
    return LP_OK;
}

void fleet__stop(lp_fleet *f, fleet_mission *m, const char *cause)
{
    int64_t now = fleet__now(f);
    if (m->stopped && (!cause || strcmp(cause, m->stop_cause))) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "place", m->stop_place);
        cJSON_AddStringToObject(s, "cause", m->stop_cause);
        cJSON_AddNumberToObject(s, "start", (double)m->stop_ms);
        cJSON_AddNumberToObject(s, "end", (double)now);
        cJSON_AddNumberToObject(s, "duration_s", (double)(now - m->stop_ms) / 1000.0);
        cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(m->rec, "stops"), s);
        m->stopped = 0;
        fleet__save(f, m, "stop");
    }
    if (cause && !m->stopped) {
        int node = lp_road_node_find(f->road, f->agvs[m->agv].last_node);
        const char *place = node >= 0 ? fleet__place_name(f, node) : f->agvs[m->agv].last_node;
        m->stopped = 1;
        m->stop_ms = now;
        snprintf(m->stop_cause, sizeof m->stop_cause, "%s", cause);
        snprintf(m->stop_place, sizeof m->stop_place, "%.*s", (int)sizeof m->stop_place - 1, place);
    }
}

static void track(lp_fleet *f, fleet_mission *m, double x, double y)
{
    int64_t now = fleet__now(f);
    cJSON *p;
    m->dist_m += hypot(x - m->lx, y - m->ly);
    m->lx = x, m->ly = y;
    if (m->front_m - m->last_track_m < TRACK_EVERY_M && now - m->last_track_ms < TRACK_EVERY_MS) return;
    m->last_track_m = m->front_m;
    m->last_track_ms = now;
    p = cJSON_CreateArray();
    cJSON_AddItemToArray(p, cJSON_CreateNumber((double)now));
    cJSON_AddItemToArray(p, cJSON_CreateNumber(round(x * 10) / 10));
    cJSON_AddItemToArray(p, cJSON_CreateNumber(round(y * 10) / 10));
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(m->rec, "track"), p);
}

void fleet__mission_state(lp_fleet *f, fleet_agv *a, const lp_vda_state *s)
{
    fleet_mission *m = f->missions[a->mission];
    int at = -1, i;
    double front = m->front_m;
    if (strcmp(s->order_id, m->order_id)) return; /* not yet on our order */

    for (i = 0; i < m->rt.n && s->last_node_id[0]; i++)
        if (2 * i == s->last_node_seq && !strcmp(f->road->nodes[m->rt.nodes[i]].id, s->last_node_id)) at = i;
    if (at >= 0 && lp_road_route_pos(f->road, &m->rt, at) > front) front = lp_road_route_pos(f->road, &m->rt, at);
    if (s->has_position) {
        double p = lp_road_route_project(f->road, &m->rt, s->position.x, s->position.y, m->front_m, NULL);
        if (p > front) front = p;
    }
    m->front_m = front;
    lp_traffic_progress(f->traffic, a->tv, front - lp_road_route_pos(f->road, &m->rt, m->first));
    if (s->has_position) track(f, m, s->position.x, s->position.y);
    if (m->cancelling) {
        fleet__cancel_state(f, m, s);
        return;
    }
    if (m->handover >= 0 && !m->handed && at >= m->handover) {
        m->handed = 1;
        fleet__rec_set(m->rec, "handover_at", cJSON_CreateNumber((double)fleet__now(f)));
        fleet__save(f, m, "handover"); /* the safety driver took over supervision */
    }
    if (at == m->rt.n - 1 && !s->driving) {
        fleet__mission_finish(f, a, "completed", "complete");
        return;
    }
    /* Every state asks traffic for more: a vehicle's newBaseRequest (set as
     * it nears its base end) is answered by the order update of the next
     * grant, and a state without one loses nothing by asking. */
    fleet__extend(f, m);
    if (s->driving) fleet__stop(f, m, NULL);
    else if (a->estop) fleet__stop(f, m, "e-stop");
    else if (s->paused) fleet__stop(f, m, "pause");
    else if (at >= 0 && at == fleet__hold_index(m)) {
        /* the border guard's release first, then the declaration's */
        fleet__stop(f, m, m->released || at != m->inspect ? "customs" : "inspection");
        if (at == m->inspect && strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m->rec, "state")),
                                       "held_at_inspection"))
            fleet__set_state(f, m, "held_at_inspection", "hold");
    } else if (at >= 0 && at == m->base_sent)
        fleet__stop(f, m, "traffic");
}

void fleet__mission_finish(lp_fleet *f, fleet_agv *a, const char *state, const char *action)
{
    fleet_mission *m = f->missions[a->mission];
    fleet__stop(f, m, NULL);
    m->done = 1;
    fleet__rec_set(m->rec, "finished_at", cJSON_CreateNumber((double)fleet__now(f)));
    fleet__set_state(f, m, state, action);
    fleet__mission_end(f, m); /* its record is in the store */
}

/* fleet_lifecycle.c - the life of a mission beyond driving it
 * (fleet_mission.c): the customs hold (the base stays short of the
 * inspection stop until the border guard released it AND the declaration's
 * gate decision lets the load cross), cancelling (cancelOrder; the
 * reservations ahead go only once the vehicle stands), the end of the
 * operating window (missions still at their start are cancelled, those on
 * the road finish with an alert) and re-adopting running missions after a
 * restart of the server. */
#include "fleet_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mem.h"
#include "../os/sysclock.h"

#define ADOPT_WAIT_S 60.0 /* a vehicle that has not reported by then interrupts its mission */
#define ADOPT_UPDATE_JUMP 100 /* orderUpdateIds skipped after a restart */
#define LEFT_START_M 0.5  /* front position past which a mission has left its start */

/* The time columns of a mission: the store gives them as text, patches
 * take ms.  A re-adopted record marks the stored ones true (fleet__adopt
 * reads whether they are set) and leaves them out of its patches. */
static const char *const times[] = {"started_at",         "handover_at",  "released_at", "finished_at",
                                    "customs_cleared_at", "cancelled_at", "created_at",  "updated_at"};

static void strip_times(cJSON *rec)
{
    size_t k;
    for (k = 0; k < sizeof times / sizeof times[0]; k++)
        if (cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(rec, times[k])))
            cJSON_DeleteItemFromObjectCaseSensitive(rec, times[k]);
}

static const char *rec_str(const cJSON *rec, const char *name)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, name));
}

static int rec_has(const cJSON *rec, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, name);
    return v && !cJSON_IsNull(v);
}

/* Customs --------------------------------------------------------------------------- */

int fleet__hold_index(const fleet_mission *m)
{
    if (m->inspect >= 0 && !m->released) return m->inspect;
    if (!m->customs) return m->gate;
    return -1;
}

int fleet__waiting(fleet_mission *m)
{
    char w[32] = "";
    const char *old = rec_str(m->rec, "waiting_for");
    if (!m->cancelling && !m->customs) snprintf(w, sizeof w, "customs");
    if (!m->cancelling && m->inspect >= 0 && !m->released)
        snprintf(w + strlen(w), sizeof w - strlen(w), "%sinspection", w[0] ? "," : "");
    if (old ? !strcmp(old, w) : !w[0]) return 0;
    fleet__rec_set(m->rec, "waiting_for", w[0] ? cJSON_CreateString(w) : cJSON_CreateNull());
    return 1;
}

void fleet__mission_alert(lp_fleet *f, fleet_mission *m, const char *kind, const char *detail)
{
    cJSON *al = cJSON_GetObjectItemCaseSensitive(m->rec, "alerts"), *o = cJSON_CreateObject(), *d;
    const char *serial = rec_str(m->rec, "agv");
    fprintf(stderr, "landport fleet: mission %lld alert %s: %s\n", (long long)m->id, kind, detail);
    if (!cJSON_IsArray(al)) {
        al = cJSON_CreateArray();
        fleet__rec_set(m->rec, "alerts", al);
    }
    cJSON_AddNumberToObject(o, "at", (double)fleet__now(f));
    cJSON_AddStringToObject(o, "kind", kind);
    cJSON_AddStringToObject(o, "detail", detail);
    cJSON_AddItemToArray(al, o);
    fleet__save(f, m, "alert");
    if (!f->o.sink.publish) return;
    d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "serial", serial ? serial : "");
    cJSON_AddStringToObject(d, "kind", kind);
    cJSON_AddStringToObject(d, "detail", detail);
    cJSON_AddNumberToObject(d, "mission_id", (double)m->id);
    f->o.sink.publish(f->o.sink.ud, "agv.alert", d);
}

int fleet__customs_poll(lp_fleet *f, fleet_mission *m)
{
    char status[24] = "", detail[160];
    int ok;
    if (m->customs) return 0;
    ok = f->o.sink.decl_ok ? f->o.sink.decl_ok(f->o.sink.ud, m->decl, status, sizeof status) : 1;
    if (ok > 0) {
        m->customs = 1;
        fleet__rec_set(m->rec, "customs_cleared_at", cJSON_CreateNumber((double)fleet__now(f)));
        return 1;
    }
    if (ok == 0 && strcmp(status, m->decl_status)) {
        snprintf(m->decl_status, sizeof m->decl_status, "%s", status);
        if (strcmp(status, "pending")) { /* held, rejected, cancelled, expired */
            char kind[40];
            snprintf(kind, sizeof kind, "customs_%s", status);
            snprintf(detail, sizeof detail, "declaration %s is %s: the AGV stays held short of the border", m->decl,
                     status);
            fleet__mission_alert(f, m, kind, detail);
        }
    }
    return 0;
}

void fleet__customs_begin(lp_fleet *f, fleet_mission *m)
{
    const char *d = rec_str(m->rec, "declaration_id");
    snprintf(m->decl, sizeof m->decl, "%s", d ? d : "");
    m->customs = !m->decl[0] || rec_has(m->rec, "customs_cleared_at");
    /* where the load must not pass uncleared: the inspection stop on the
     * way into Vietnam, else the start (it does not leave its yard) */
    m->gate = m->inspect >= 0 ? m->inspect : 0;
    fleet__customs_poll(f, m);
    fleet__waiting(m);
}

void fleet__unhold(lp_fleet *f, fleet_mission *m, const char *action)
{
    const char *st = rec_str(m->rec, "state");
    fleet__waiting(m);
    if (fleet__hold_index(m) < 0 && st && !strcmp(st, "held_at_inspection"))
        fleet__set_state(f, m, "running", action);
    else
        fleet__save(f, m, action);
}

/* Cancel ---------------------------------------------------------------------------- */

static void cancel_action_id(const fleet_mission *m, char *out, size_t n)
{
    snprintf(out, n, "cancel-%lld", (long long)m->id);
}

static void cancel(lp_fleet *f, fleet_mission *m, const char *who, const char *reason)
{
    fleet_agv *a = &f->agvs[m->agv];
    lp_vda_instant im;
    char id[LP_VDA_ID_MAX];
    memset(&im, 0, sizeof im);
    cancel_action_id(m, id, sizeof id);
    lp_vda_header_init(&im.h, a->manufacturer, a->serial, a->hid_instant++, fleet__now(f));
    lp_vda_instant_add(&im, id, "cancelOrder", LP_VDA_BLOCK_HARD);
    fleet__send(f, a, LP_VDA_T_INSTANT_ACTIONS, lp_vda_instant_format(&im));
    lp_vda_instant_deinit(&im);
    m->cancelling = 1;
    fleet__waiting(m);
    fleet__rec_set(m->rec, "cancelled_at", cJSON_CreateNumber((double)fleet__now(f)));
    fleet__rec_set(m->rec, "cancelled_by", cJSON_CreateString(who));
    fleet__rec_set(m->rec, "cancel_reason", cJSON_CreateString(reason));
    fleet__set_state(f, m, "cancelled", "cancel");
}

int lp_fleet_mission_cancel(lp_fleet *f, int64_t id, const char *who, const char *reason, lp_err *err)
{
    fleet_mission *m = fleet__mission_find(f, id);
    cJSON *it;
    if (!m) { /* one waiting to be re-adopted is dropped: the caller records the cancellation */
        cJSON_ArrayForEach(it, f->adopt) {
            if ((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(it, "id")) == id) {
                cJSON_Delete(cJSON_DetachItemViaPointer(f->adopt, it));
                break;
            }
        }
        return lp_err_set(err, LP_ENOTFOUND, "the fleet does not run mission %lld", (long long)id);
    }
    if (m->cancelling) return lp_err_set(err, LP_ECONFLICT, "mission %lld is already cancelled", (long long)id);
    cancel(f, m, who, reason);
    return LP_OK;
}

void fleet__cancel_state(lp_fleet *f, fleet_mission *m, const lp_vda_state *s)
{
    fleet_agv *a = &f->agvs[m->agv];
    const lp_vda_action_state *as;
    char id[LP_VDA_ID_MAX];
    cancel_action_id(m, id, sizeof id);
    as = lp_vda_state_find_action(s, id);
    /* FAILED: there was nothing left to cancel (it had arrived) */
    if (s->driving || !as || (as->status != LP_VDA_AS_FINISHED && as->status != LP_VDA_AS_FAILED)) return;
    fleet__stop(f, m, NULL);
    if (a->tv >= 0) lp_traffic_halt(f->traffic, a->tv, NULL);
    fleet__save(f, m, "stand"); /* the vehicle stands: idle where it is */
    fleet__mission_end(f, m);
}

/* The window end and re-adoption ------------------------------------------------------ */

static void window_closed(lp_fleet *f, fleet_mission *m)
{
    const char *kind = rec_str(m->rec, "kind");
    if (m->cancelling || m->overrun || (kind && strcmp(kind, "delivery"))) return;
    if (m->front_m <= LEFT_START_M && !f->agvs[m->agv].driving) {
        cancel(f, m, "system:fleet", "operating window closed");
        return;
    }
    m->overrun = 1;
    fleet__mission_alert(f, m, "window_overrun",
                         "the AGV operating window closed with the mission on the road: it continues to its end");
}

/* Marks the stored mission rec (owned) interrupted with an alert. */
static void interrupt(lp_fleet *f, cJSON *rec, const char *detail)
{
    fleet_mission tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.id = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rec, "id"));
    tmp.agv = -1;
    tmp.rec = rec;
    tmp.dist_m = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rec, "distance_m"));
    if (tmp.dist_m != tmp.dist_m) tmp.dist_m = 0; /* NaN: none yet */
    strip_times(rec);
    fleet__rec_set(rec, "state", cJSON_CreateString("interrupted"));
    fleet__rec_set(rec, "waiting_for", cJSON_CreateNull());
    fleet__mission_alert(f, &tmp, "interrupted", detail);
    cJSON_Delete(rec);
}

void fleet__lifecycle_tick(lp_fleet *f)
{
    lp_err err;
    int i, open;
    lp_err_init(&err);
    open = fleet__window_check(f, 0, &err) == LP_OK;
    for (i = 0; i < f->nmissions; i++) {
        fleet_mission *m = f->missions[i];
        if (!m || m->cancelling) continue;
        if (!m->customs && fleet__customs_poll(f, m)) {
            fleet__unhold(f, m, "customs_cleared");
            fleet__extend(f, m);
        }
        if (!open) window_closed(f, m);
    }
    if (f->adopt && lp_monotonic() - f->adopt_since > ADOPT_WAIT_S) {
        cJSON *rec;
        while ((rec = cJSON_DetachItemFromArray(f->adopt, 0)))
            interrupt(f, rec, "its vehicle did not report after the server restarted");
        cJSON_Delete(f->adopt);
        f->adopt = NULL;
    }
}

void lp_fleet_mission_adopt(lp_fleet *f, int64_t id, const cJSON *rec)
{
    cJSON *c = cJSON_Duplicate(rec, 1);
    size_t k;
    for (k = 0; k < sizeof times / sizeof times[0]; k++)
        if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, times[k])))
            cJSON_ReplaceItemInObjectCaseSensitive(c, times[k], cJSON_CreateTrue());
    fleet__rec_set(c, "id", cJSON_CreateNumber((double)id));
    if (!f->adopt) {
        f->adopt = cJSON_CreateArray();
        f->adopt_since = lp_monotonic();
    }
    cJSON_AddItemToArray(f->adopt, c);
}

/* Rebuilds mission rec (borrowed) on vehicle a from its state s. */
static int adopt(lp_fleet *f, fleet_agv *a, const cJSON *rec, const lp_vda_state *s, lp_err *err)
{
    fleet_mission *m;
    lp_road_route rest;
    int nodes[LP_ROAD_ROUTE_MAX], at = -1, base, i, n = 0, g, rc;
    rc = fleet__mission_make(f, (int)(a - f->agvs), (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rec, "id")),
                             rec, &m, err);
    if (rc) return rc;
    for (i = 0; i < m->rt.n; i++)
        if (2 * i == s->last_node_seq && !strcmp(f->road->nodes[m->rt.nodes[i]].id, s->last_node_id)) at = i;
    if (at < 0) {
        fleet__mission_end(f, m);
        return lp_err_set(err, LP_EINVAL, "the vehicle reports node %s, not on the mission's route", s->last_node_id);
    }
    base = at;
    for (i = 0; i < s->nnode_states; i++)
        if (s->node_states[i].released && s->node_states[i].seq / 2 > base) base = (int)(s->node_states[i].seq / 2);
    m->released = rec_has(rec, "released_at");
    m->handed = rec_has(rec, "handover_at");
    fleet__customs_begin(f, m);
    strip_times(m->rec);
    m->dist_m = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rec, "distance_m"));
    if (m->dist_m != m->dist_m) m->dist_m = 0;
    /* above anything sent before the restart, also an update still on its
     * way to the vehicle (a repeated orderUpdateId would be ignored) */
    m->update_id = s->order_update_id + ADOPT_UPDATE_JUMP;
    m->base_sent = base;
    m->first = at;
    m->front_m = m->last_track_m = lp_road_route_pos(f->road, &m->rt, at);
    for (i = at; i < m->rt.n; i++) nodes[n++] = m->rt.nodes[i];
    if (lp_road_route_from_nodes(f->road, nodes, n, &rest, err) == LP_OK) {
        g = fleet__grant(f, m, &rest);
        if (g < base)
            fprintf(stderr, "landport fleet: mission %lld: the base the vehicle drives reaches past its grant\n",
                    (long long)m->id);
        if (g > base) fleet__send_order(f, m, base, g);
    }
    lp_err_init(err);
    fleet__save(f, m, "adopt");
    fleet__mission_state(f, a, s);
    return LP_OK;
}

void fleet__adopt_state(lp_fleet *f, fleet_agv *a, const lp_vda_state *s)
{
    cJSON *rec = NULL, *it;
    char order[LP_VDA_ID_MAX], detail[400];
    lp_err err;
    if (!f->adopt || a->tv < 0) return; /* not placed yet: inside a block, wait for the next node */
    cJSON_ArrayForEach(it, f->adopt) {
        const char *serial = rec_str(it, "agv");
        if (serial && !strcmp(serial, a->serial)) rec = it;
    }
    if (!rec) return;
    rec = cJSON_DetachItemViaPointer(f->adopt, rec);
    snprintf(order, sizeof order, "%s", rec_str(rec, "order_id") ? rec_str(rec, "order_id") : "");
    lp_err_init(&err);
    if (strcmp(s->order_id, order)) {
        snprintf(detail, sizeof detail, "after the server restarted, %s reports %s%s instead of order %s", a->serial,
                 s->order_id[0] ? "order " : "no order", s->order_id, order);
        interrupt(f, rec, detail);
    } else if (adopt(f, a, rec, s, &err)) {
        snprintf(detail, sizeof detail, "cannot re-adopt it after the server restarted: %s", err.msg);
        interrupt(f, rec, detail);
    } else {
        cJSON_Delete(rec);
    }
    if (cJSON_GetArraySize(f->adopt) == 0) {
        cJSON_Delete(f->adopt);
        f->adopt = NULL;
    }
}

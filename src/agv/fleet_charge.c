/* fleet_charge.c - charging in the fleet manager (fleet_internal.h): an idle
 * vehicle whose battery falls under charge_below gets a mission of kind
 * "charge" to the road's charging zone, whose last node carries the node
 * action startCharging; at the station, once the state shows charge_to, the
 * fleet sends stopCharging and the mission completes (reason "charged").
 * Charge missions follow the traffic rules like any other; the operating
 * window applies only when the way to the charger crosses km 0. */
#include "fleet_internal.h"

#include <stdio.h>
#include <string.h>

#include "../core/mem.h"
#include "../os/sysclock.h"

#define CHARGE_ZONE "charging"
#define RETRY_S 10.0 /* after a charge mission could not start */

static int is_charge(const fleet_mission *m)
{
    const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m->rec, "kind"));
    return k && !strcmp(k, "charge");
}

static void action_id(const fleet_mission *m, char *out, size_t n)
{
    snprintf(out, n, "charge-%lld", (long long)m->id);
}

void fleet__node_actions(const lp_fleet *f, const fleet_mission *m, int i, lp_vda_node *n)
{
    lp_vda_action *a;
    (void)f;
    if (!is_charge(m) || i != m->rt.n - 1) return;
    n->actions = lp_realloc(n->actions, (size_t)(n->nactions + 1) * sizeof *n->actions);
    a = &n->actions[n->nactions++];
    memset(a, 0, sizeof *a);
    action_id(m, a->action_id, sizeof a->action_id);
    snprintf(a->action_type, sizeof a->action_type, "startCharging");
    /* NONE: charging keeps a vehicle at its node anyway, and the order is
     * finished once it stands there charging */
    a->blocking = LP_VDA_BLOCK_NONE;
}

void fleet__charge_check(lp_fleet *f, fleet_agv *a)
{
    int cn = lp_road_zone_node(f->road, CHARGE_ZONE), ai = (int)(a - f->agvs);
    lp_traffic_vehicle_state vs;
    lp_road_route rt;
    double estimate;
    cJSON *rec;
    int64_t id = 0;
    lp_err err;
    if (a->mission >= 0 || a->lost || !a->online || !a->have_state || a->tv < 0 || a->charging || a->estop) return;
    if (a->battery >= f->o.charge_below || !f->o.sink.mission_new || cn < 0) return;
    if (lp_monotonic() < a->charge_retry_mono) return;
    if (lp_traffic_vehicle_get(f->traffic, a->tv, &vs) || vs.at_node < 0) return;
    lp_err_init(&err);
    if (lp_road_plan(f->road, vs.at_node, cn, &rt, &err)) {
        fprintf(stderr, "landport fleet: %s cannot go to charge: %s\n", a->serial, err.msg);
        a->charge_retry_mono = lp_monotonic() + RETRY_S;
        return;
    }
    estimate = fleet__estimate(f, &rt);
    if (fleet__crosses(f, &rt) && fleet__window_check(f, estimate, &err)) {
        char d[sizeof err.msg + 96];
        if (a->low_alerted) return;
        a->low_alerted = 1;
        snprintf(d, sizeof d, "battery %.0f%% under %.0f%%; the way to the charger crosses km 0: %s", a->battery,
                 f->o.charge_below, err.msg);
        fleet__alert(f, a, "battery_low", d);
        return;
    }
    rec = fleet__mission_rec(f, ai, fleet__place_name(f, vs.at_node), CHARGE_ZONE, &rt, estimate);
    cJSON_AddStringToObject(rec, "kind", "charge");
    a->charge_stop_sent = 0;
    if (f->o.sink.mission_new(f->o.sink.ud, rec, &id) || fleet__mission_begin(f, ai, id, rec, &err)) {
        fprintf(stderr, "landport fleet: %s: charge mission %lld not started: %s\n", a->serial, (long long)id,
                err.msg[0] ? err.msg : "not stored");
        a->charge_retry_mono = lp_monotonic() + RETRY_S;
    }
    cJSON_Delete(rec);
}

static void rec_put(cJSON *rec, const char *name, cJSON *v)
{
    if (cJSON_GetObjectItemCaseSensitive(rec, name)) cJSON_ReplaceItemInObjectCaseSensitive(rec, name, v);
    else cJSON_AddItemToObject(rec, name, v);
}

/* Sends the instant action stopCharging to a. */
static void stop_charging(lp_fleet *f, fleet_agv *a, const fleet_mission *m)
{
    lp_vda_instant ia;
    char id[LP_VDA_ID_MAX];
    memset(&ia, 0, sizeof ia);
    lp_vda_header_init(&ia.h, a->manufacturer, a->serial, a->hid_instant++, fleet__now(f));
    snprintf(id, sizeof id, "charged-%lld", (long long)m->id);
    lp_vda_instant_add(&ia, id, "stopCharging", LP_VDA_BLOCK_NONE);
    fleet__send(f, a, LP_VDA_T_INSTANT_ACTIONS, lp_vda_instant_format(&ia));
    lp_vda_instant_deinit(&ia);
}

int fleet__charge_state(lp_fleet *f, fleet_agv *a, const lp_vda_state *s)
{
    fleet_mission *m = f->missions[a->mission];
    int last = m->rt.n - 1;
    const char *state = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m->rec, "state"));
    const lp_vda_action_state *as;
    char aid[LP_VDA_ID_MAX];
    if (!is_charge(m) || strcmp(s->order_id, m->order_id) || s->driving) return 0;
    if (s->last_node_seq != 2 * last || strcmp(s->last_node_id, f->road->nodes[m->rt.nodes[last]].id)) return 0;
    action_id(m, aid, sizeof aid);
    as = lp_vda_state_find_action(s, aid);
    if (!state || strcmp(state, "charging")) { /* arrived: what it left is free */
        lp_traffic_progress(f->traffic, a->tv, m->rt.length_m);
        fleet__stop(f, m, NULL);
        fleet__set_state(f, m, "charging", "charging");
    }
    if (as && as->status == LP_VDA_AS_FAILED) {
        fleet__alert(f, a, "charge_failed", "the vehicle did not start charging");
        rec_put(m->rec, "reason", cJSON_CreateString("startCharging failed"));
        fleet__mission_finish(f, a, "failed", "fail");
        a->charge_retry_mono = lp_monotonic() + RETRY_S;
        return 1;
    }
    if (s->battery.charge < f->o.charge_to) return 1;
    if (!a->charge_stop_sent) stop_charging(f, a, m);
    a->charge_stop_sent = 1;
    a->low_alerted = 0;
    rec_put(m->rec, "reason", cJSON_CreateString("charged"));
    fleet__mission_finish(f, a, "completed", "complete");
    return 1;
}

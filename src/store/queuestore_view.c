/* queuestore_view.c - the e-queue as people see it (see queuestore.h):
 * a group's lanes, estimate and trucks in call order, the list of groups,
 * one truck's position. */
#include "queuestore_internal.h"
#include "../core/mem.h"

#include <stdio.h>
#include <string.h>

/* Views ---------------------------------------------------------------------------- */

static cJSON *eta_json(int64_t eta)
{
    return eta == LP_QUEUE_ETA_UNKNOWN ? cJSON_CreateNull() : cJSON_CreateNumber((double)(eta / 1000));
}

static cJSON *entry_json(const qgroup *g, int i, int pos, int64_t eta)
{
    lp_queue_truck t;
    cJSON *o = cJSON_CreateObject();
    lp_queue_get(g->q, g->ids[i], &t);
    cJSON_AddNumberToObject(o, "visit_id", (double)t.id);
    cJSON_AddStringToObject(o, "plate", g->plates[i]);
    if (g->company[i]) cJSON_AddNumberToObject(o, "company_id", (double)g->company[i]);
    else cJSON_AddNullToObject(o, "company_id");
    cJSON_AddStringToObject(o, "class", lp_queue_class_name(t.cls));
    cJSON_AddStringToObject(o, "state", lp_queue_state_name(t.state));
    cJSON_AddNumberToObject(o, "position", pos);
    cJSON_AddItemToObject(o, "eta_s", t.state == LP_QUEUE_CALLED ? cJSON_CreateNumber(0) : eta_json(eta));
    if (t.lane >= 0) cJSON_AddNumberToObject(o, "lane", t.lane + 1);
    else cJSON_AddNullToObject(o, "lane");
    queuestore__add_time(o, "slot", t.booked_slot_ms);
    queuestore__add_time(o, "order_slot", t.slot_ms);
    queuestore__add_time(o, "arrival", t.yard_arrival_ms);
    queuestore__add_time(o, "order_arrival", t.arrival_ms);
    queuestore__add_time(o, "called_at", t.state == LP_QUEUE_CALLED ? t.called_at_ms : 0);
    cJSON_AddNumberToObject(o, "no_shows", t.no_shows);
    return o;
}

int lp_queuestore_view(lp_store *st, const char *group, int64_t company, cJSON **out, lp_err *err)
{
    static const lp_actor sys = {"system:queue", LP_ROLE_ADMIN, 0, "first use of the queue"};
    qgroup g;
    lp_queue_pos *pos = NULL;
    cJSON *o, *lanes, *entries, *rate;
    char point[64], dir[16];
    int rc, i, n = 0, l;
    int64_t service, interval, samples;
    lp_err e;

    *out = NULL;
    if (!queuestore__split_group(group, point, dir)) return lp_err_set(err, LP_ENOTFOUND, "no queue '%.60s'", group);
    lp_err_init(&e);
    rc = queuestore__group_open(st, group, 0, &g, &e);
    if (rc == LP_ENOTFOUND) {
        /* Not used yet: show it as it will be created. */
        if ((rc = lp_store_begin(st, err))) return rc;
        if ((rc = queuestore__group_ensure(st, &sys, point, dir, err)) || (rc = lp_store_commit(st, err))) {
            if (rc != LP_OK) lp_store_rollback(st);
            return rc;
        }
        rc = queuestore__group_open(st, group, 0, &g, err);
    } else if (rc) {
        *err = e;
    }
    if (rc) return rc;
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", group);
    cJSON_AddStringToObject(o, "crossing_point_id", point);
    cJSON_AddStringToObject(o, "direction", dir);
    cJSON_AddNumberToObject(o, "state_version", (double)g.state_version);
    cJSON_AddNumberToObject(o, "waiting", lp_queue_waiting(g.q));
    cJSON_AddNumberToObject(o, "called", lp_queue_called(g.q));
    lanes = cJSON_AddArrayToObject(o, "lanes");
    for (l = 0; l < LP_QUEUE_LANES_MAX; l++) {
        int cap, paused, busy;
        cJSON *lo;
        if (lp_queue_lane_get(g.q, l, &cap, &paused, &busy)) break;
        lo = cJSON_CreateObject();
        cJSON_AddNumberToObject(lo, "lane", l + 1);
        cJSON_AddNumberToObject(lo, "capacity", cap);
        cJSON_AddBoolToObject(lo, "paused", paused);
        cJSON_AddNumberToObject(lo, "in_service", busy);
        cJSON_AddItemToArray(lanes, lo);
    }
    lp_queue_rate(g.q, &service, &interval, &samples);
    rate = cJSON_AddObjectToObject(o, "rate");
    cJSON_AddNumberToObject(rate, "service_s_per_place", (double)service / 1000.0);
    cJSON_AddItemToObject(rate, "interval_s", interval < 0 ? cJSON_CreateNull() : cJSON_CreateNumber((double)interval / 1000.0));
    cJSON_AddNumberToObject(rate, "samples", (double)samples);
    entries = cJSON_AddArrayToObject(o, "entries");
    for (i = 0; i < g.n; i++) {
        lp_queue_truck t;
        if (lp_queue_get(g.q, g.ids[i], &t) == LP_OK && t.state == LP_QUEUE_CALLED &&
            (!company || g.company[i] == company))
            cJSON_AddItemToArray(entries, entry_json(&g, i, 0, 0));
    }
    pos = lp_calloc((size_t)g.n + 1, sizeof *pos);
    lp_queue_positions(g.q, pos, g.n, &n);
    for (i = 0; i < n; i++) {
        int k = queuestore__entry_index(&g, pos[i].truck_id);
        if (k >= 0 && (!company || g.company[k] == company))
            cJSON_AddItemToArray(entries, entry_json(&g, k, pos[i].position, pos[i].eta_ms));
    }
    lp_free(pos);
    queuestore__group_free(&g);
    *out = o;
    return LP_OK;
}

int lp_queuestore_groups(lp_store *st, cJSON **items, lp_err *err)
{
    lp_db_res *r = NULL;
    int rc, i;
    *items = NULL;
    rc = lp_db_query(lp_store_db(st),
                     "SELECT g.id, g.crossing_point_id, g.direction, g.state_version,"
                     " (SELECT COUNT(*) FROM queue_entries e WHERE e.group_id = g.id AND e.state = 'waiting'),"
                     " (SELECT COUNT(*) FROM queue_entries e WHERE e.group_id = g.id AND e.state = 'called'),"
                     " (SELECT COUNT(*) FROM queue_lanes l WHERE l.group_id = g.id)"
                     " FROM queue_groups g ORDER BY g.id",
                     NULL, 0, &r, err);
    if (rc) return rc;
    *items = cJSON_CreateArray();
    for (i = 0; i < lp_db_res_nrows(r); i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", lp_db_res_text(r, i, 0));
        cJSON_AddStringToObject(o, "crossing_point_id", lp_db_res_text(r, i, 1));
        cJSON_AddStringToObject(o, "direction", lp_db_res_text(r, i, 2));
        cJSON_AddNumberToObject(o, "state_version", (double)lp_db_res_int(r, i, 3));
        cJSON_AddNumberToObject(o, "waiting", (double)lp_db_res_int(r, i, 4));
        cJSON_AddNumberToObject(o, "called", (double)lp_db_res_int(r, i, 5));
        cJSON_AddNumberToObject(o, "lanes", (double)lp_db_res_int(r, i, 6));
        cJSON_AddItemToArray(*items, o);
    }
    lp_db_res_free(r);
    return LP_OK;
}

int lp_queuestore_position(lp_store *st, int64_t visit_id, int *pos, int64_t *eta_ms, char state[16], lp_err *err)
{
    char group[96];
    qgroup g;
    int rc;
    *pos = 0;
    *eta_ms = 0;
    if ((rc = queuestore__entry_group(st, visit_id, group, state, err))) return rc;
    if (!group[0] || (strcmp(state, "waiting") && strcmp(state, "called"))) return LP_OK;
    if ((rc = queuestore__group_open(st, group, 0, &g, err))) return rc;
    lp_queue_position(g.q, visit_id, pos, eta_ms);
    queuestore__group_free(&g);
    return LP_OK;
}

/* fleet_plan.c - planning a mission of the fleet manager (fleet.h): which
 * vehicle takes it and the route it drives.
 *
 * A mission goes from zone `from` to zone `to`.  The vehicle is the one
 * named (agv), else the idle vehicle nearest to `from`: one standing there,
 * or one that can drive to it first without crossing km 0 and without
 * turning round on the road (a vehicle that charged at the charging station
 * takes a mission from the Vietnamese yard next door).  Its route is that
 * positioning leg followed by the way from `from` to `to`.  With agv and no
 * `from`, the mission starts where the vehicle stands: how an operator
 * moves a vehicle that stopped between zones (a cancelled mission stops at
 * the next node).  Every mission must finish inside an operating window,
 * its positioning leg included (DESIGN: no mission is started that cannot
 * finish inside the window); only the fleet's own way to the charger on one
 * side of km 0 may run outside it (fleet_charge.c). */
#include "fleet_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Minutes of the gate day for ms since the epoch. */
static int gate_minute(const lp_fleet *f, int64_t ms)
{
    int64_t m = ms / 60000 + f->o.tz_offset_min;
    return (int)(((m % 1440) + 1440) % 1440);
}

static int hhmm(const char *s)
{
    int h, m;
    if (!s || sscanf(s, "%d:%d", &h, &m) != 2) return -1;
    return h * 60 + m;
}

int fleet__window_check(const lp_fleet *f, double estimate_s, lp_err *err)
{
    int now = gate_minute(f, fleet__now(f)), n = 0;
    double end = now + estimate_s / 60.0;
    const cJSON *w;
    char list[256] = "";
    if (!f->windows || cJSON_GetArraySize(f->windows) == 0) return LP_OK;
    cJSON_ArrayForEach(w, f->windows) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(w, "open"), *c = cJSON_GetObjectItemCaseSensitive(w, "close");
        int a = hhmm(cJSON_GetStringValue(o)), b = hhmm(cJSON_GetStringValue(c));
        size_t len = strlen(list);
        if (a < 0 || b < 0) continue;
        snprintf(list + len, sizeof list - len, "%s%s-%s", n++ ? ", " : "", o->valuestring, c->valuestring);
        if (now >= a && now < b) {
            if (end <= b) return LP_OK;
            return lp_err_set(err, LP_ECONFLICT,
                              "the mission cannot finish inside the AGV operating window: it needs about %.0f min"
                              " from %02d:%02d gate time and the window closes at %s",
                              ceil(estimate_s / 60.0), now / 60, now % 60, c->valuestring);
        }
    }
    return lp_err_set(err, LP_ECONFLICT, "outside the AGV operating window (%s gate time; now %02d:%02d)", list,
                      now / 60, now % 60);
}

int fleet__crosses(const lp_fleet *f, const lp_road_route *rt)
{
    return fleet__route_index(f, rt, "km0") >= 0;
}

const char *fleet__place_name(const lp_fleet *f, int n)
{
    int i;
    for (i = 0; i < f->road->nzones; i++)
        if (f->road->zones[i].node == n) return f->road->zones[i].id;
    return f->road->nodes[n].id;
}

/* The route from node at to the start of leg q and along it into *out:
 * LP_OK, or LP_ECONFLICT when the way at -> start crosses km 0, when it and
 * q share a node (the vehicle would turn round on the road), or when there
 * is no way. */
static int compose(const lp_fleet *f, int at, const lp_road_route *q, lp_road_route *out)
{
    lp_road_route p;
    int nodes[2 * LP_ROAD_ROUTE_MAX], n = 0, i, j;
    lp_err e;
    lp_err_init(&e);
    if (lp_road_plan(f->road, at, q->nodes[0], &p, &e)) return LP_ECONFLICT;
    if (p.n > 1 && fleet__crosses(f, &p)) return LP_ECONFLICT;
    for (i = 0; i < p.n; i++) nodes[n++] = p.nodes[i];
    for (i = 1; i < q->n; i++) nodes[n++] = q->nodes[i];
    if (n > LP_ROAD_ROUTE_MAX) return LP_ECONFLICT;
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            if (nodes[i] == nodes[j]) return LP_ECONFLICT;
    return lp_road_route_from_nodes(f->road, nodes, n, out, &e) ? LP_ECONFLICT : LP_OK;
}

/* Whether vehicle a can take a mission; NULL or why not. */
static const char *unavailable(const lp_fleet *f, const fleet_agv *a, int *at)
{
    lp_traffic_vehicle_state vs;
    if (a->mission >= 0) return "is on a mission";
    if (a->lost) return "is lost";
    if (!a->online || a->tv < 0) return "is offline";
    if (a->estop) return "is in emergency stop";
    if (a->battery < f->o.battery_min) return "has too little battery";
    if (lp_traffic_vehicle_get(f->traffic, a->tv, &vs) || vs.at_node < 0) return "stands off the road's nodes";
    *at = vs.at_node;
    return NULL;
}

/* Vehicle named serial (LP_EINVAL at /agv if the fleet has none). */
static int named(lp_fleet *f, const char *serial, lp_err *err)
{
    int i;
    for (i = 0; i < f->nagvs; i++)
        if (!strcmp(f->agvs[i].serial, serial)) return i;
    lp_err_field_add(err, "/agv", "no AGV %s in the fleet", serial);
    lp_err_set(err, LP_EINVAL, "unknown AGV %s", serial);
    return -1;
}

/* LP_OK when a mission on rt starting now finishes inside a window. */
static int window(const lp_fleet *f, const lp_road_route *rt, lp_err *err)
{
    return fleet__window_check(f, fleet__estimate(f, rt), err);
}

int lp_fleet_mission_plan(lp_fleet *f, const char *from, const char *to, const char *agv, cJSON **rec, lp_err *err)
{
    int fn = from ? lp_road_zone_node(f->road, from) : -1, tn = lp_road_zone_node(f->road, to), i, pick = -1, rc;
    int at = -1;
    double best = 0;
    const char *why;
    lp_road_route rt, leg; /* the vehicle's whole route; the way from -> to */
    *rec = NULL;
    if (from && fn < 0) lp_err_field_add(err, "/from", "no zone %s on road %s", from, f->road->id);
    if (!from && !agv) lp_err_field_add(err, "/from", "is required unless agv names the vehicle");
    if (tn < 0) lp_err_field_add(err, "/to", "no zone %s on road %s", to, f->road->id);
    if ((from && fn < 0) || (!from && !agv) || tn < 0) return lp_err_set(err, LP_EINVAL, "unknown zone");
    if (agv) {
        if ((pick = named(f, agv, err)) < 0) return LP_EINVAL;
        if ((why = unavailable(f, &f->agvs[pick], &at)))
            return lp_err_set(err, LP_ECONFLICT, "AGV %s %s", agv, why);
        if (!from) fn = at;
    }
    if (fn == tn) {
        lp_err_field_add(err, "/to", from ? "must differ from from" : "must differ from where the AGV stands");
        return lp_err_set(err, LP_EINVAL, "a mission must go somewhere");
    }
    rc = lp_road_plan(f->road, fn, tn, &leg, err);
    if (rc == LP_ENOTFOUND) {
        lp_err_init(err);
        return lp_err_set(err, LP_ECONFLICT, "no route from %s to %s", fleet__place_name(f, fn), to);
    }
    if (rc || (rc = window(f, &leg, err))) return rc;
    if (agv) {
        if (compose(f, at, &leg, &rt))
            return lp_err_set(err, LP_ECONFLICT,
                              "AGV %s stands at %s: it cannot reach %s without crossing km 0 or turning round on the "
                              "way to %s; send it to %s first",
                              agv, fleet__place_name(f, at), fleet__place_name(f, fn), to, fleet__place_name(f, fn));
    } else {
        for (i = 0; i < f->nagvs; i++) {
            lp_road_route c;
            double lead;
            if (unavailable(f, &f->agvs[i], &at) || compose(f, at, &leg, &c)) continue;
            lead = c.length_m - leg.length_m; /* the positioning leg */
            if (pick >= 0 && lead >= best) continue;
            pick = i, best = lead, rt = c;
        }
        if (pick < 0)
            return lp_err_set(err, LP_ECONFLICT,
                              "no idle AGV with at least %.0f%% battery stands at %s or can get there on its side of "
                              "km 0",
                              f->o.battery_min, from);
    }
    if (rt.n > leg.n && (rc = window(f, &rt, err))) return rc;
    *rec = fleet__mission_rec(f, pick, from ? from : fleet__place_name(f, fn), to, &rt, fleet__estimate(f, &rt));
    return LP_OK;
}

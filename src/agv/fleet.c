/* fleet.c - the fleet manager's vehicles: MQTT session, registration from
 * connection/factsheet/state, lost detection and alerts (also for rejected
 * messages, at most one a minute per vehicle), pause-all, views (fleet.h).
 * Missions are in fleet_mission.c, charging in fleet_charge.c. */
#include "fleet_internal.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mem.h"
#include "../os/sysclock.h"

int64_t fleet__now(const lp_fleet *f)
{
    return f->o.clock->now_ms(f->o.clock->ud);
}

void fleet__send(lp_fleet *f, fleet_agv *a, lp_vda_topic t, char *json)
{
    char topic[256];
    if (json && lp_vda_topic_format(topic, sizeof topic, a->manufacturer, a->serial, t) == 0 &&
        lp_mqtt_publish(f->mqtt, topic, json, strlen(json), 1, 0) == 0)
        f->sent++;
    else
        fprintf(stderr, "landport fleet: could not send %s to %s\n", lp_vda_topic_name(t), a->serial);
    lp_free(json);
}

#define INVALID_ALERT_EVERY_S 60.0

static const char *const agv_states[] = {"idle", "on_mission", "charging", "lost", "offline", NULL};

static const char *agv_state(const fleet_agv *a)
{
    return a->lost ? "lost" : !a->online ? "offline" : a->charging ? "charging" : a->mission >= 0 ? "on_mission" : "idle";
}

int lp_fleet_agv_state_known(const char *s)
{
    int i;
    for (i = 0; s && agv_states[i]; i++)
        if (!strcmp(s, agv_states[i])) return 1;
    return 0;
}

static cJSON *agv_json(const lp_fleet *f, const fleet_agv *a, int full)
{
    cJSON *o = cJSON_CreateObject(), *p = cJSON_CreateObject();
    if (full) cJSON_AddStringToObject(o, "serial", a->serial);
    cJSON_AddStringToObject(o, "manufacturer", a->manufacturer);
    cJSON_AddStringToObject(o, "state", agv_state(a));
    cJSON_AddNumberToObject(o, "battery", (int)a->battery);
    cJSON_AddNumberToObject(p, "x", a->x);
    cJSON_AddNumberToObject(p, "y", a->y);
    cJSON_AddNumberToObject(p, "theta", a->theta);
    cJSON_AddStringToObject(p, "last_node", a->last_node);
    cJSON_AddItemToObject(o, "position", p);
    cJSON_AddNumberToObject(o, "last_seen", (double)a->seen_ms);
    cJSON_AddStringToObject(o, "mode", a->mode);
    cJSON_AddBoolToObject(o, "lost", a->lost);
    cJSON_AddNumberToObject(o, "holds", a->tv >= 0 ? lp_traffic_holds(f->traffic, a->tv, NULL, 0) : 0);
    if (full) {
        cJSON_AddBoolToObject(o, "driving", a->driving);
        cJSON_AddBoolToObject(o, "paused", a->paused);
        cJSON_AddBoolToObject(o, "estop", a->estop);
        cJSON_AddBoolToObject(o, "charging", a->charging);
        cJSON_AddNumberToObject(o, "rejected_messages", (double)a->rejected);
        if (a->mission >= 0) cJSON_AddNumberToObject(o, "mission_id", (double)f->missions[a->mission]->id);
        else cJSON_AddNullToObject(o, "mission_id");
    }
    return o;
}

void fleet__agv_record(lp_fleet *f, fleet_agv *a, const char *action)
{
    cJSON *rec;
    if (!f->o.sink.agv) return;
    rec = agv_json(f, a, 0);
    /* last_seen is a time column: the sink's table takes ms */
    f->o.sink.agv(f->o.sink.ud, a->serial, action, rec);
    cJSON_Delete(rec);
}

void fleet__alert(lp_fleet *f, fleet_agv *a, const char *kind, const char *detail)
{
    cJSON *d = cJSON_CreateObject();
    fprintf(stderr, "landport fleet: alert %s %s: %s\n", a->serial, kind, detail);
    cJSON_AddStringToObject(d, "serial", a->serial);
    cJSON_AddStringToObject(d, "kind", kind);
    cJSON_AddStringToObject(d, "detail", detail);
    if (f->o.sink.publish) f->o.sink.publish(f->o.sink.ud, "agv.alert", d);
    else cJSON_Delete(d);
    if (f->o.sink.alert) f->o.sink.alert(f->o.sink.ud, a->serial, kind, detail);
    fleet__agv_record(f, a, kind);
}

static fleet_agv *find_agv(lp_fleet *f, const char *manuf, const char *serial, int add)
{
    int i;
    fleet_agv *a;
    for (i = 0; i < f->nagvs; i++)
        if (!strcmp(f->agvs[i].serial, serial) && !strcmp(f->agvs[i].manufacturer, manuf)) return &f->agvs[i];
    if (!add || f->nagvs == FLEET_AGVS_MAX) return NULL;
    a = &f->agvs[f->nagvs++];
    memset(a, 0, sizeof *a);
    snprintf(a->manufacturer, sizeof a->manufacturer, "%s", manuf);
    snprintf(a->serial, sizeof a->serial, "%s", serial);
    snprintf(a->mode, sizeof a->mode, "AUTOMATIC");
    a->tv = -1;
    a->mission = -1;
    a->online = 1;
    a->seen_ms = fleet__now(f);
    fleet__agv_record(f, a, "register");
    return a;
}

static void set_lost(lp_fleet *f, fleet_agv *a, const char *why)
{
    if (a->lost) return;
    a->lost = 1;
    if (a->tv >= 0) lp_traffic_vehicle_lost(f->traffic, a->tv);
    if (a->mission >= 0) fleet__stop(f, f->missions[a->mission], "lost");
    fleet__alert(f, a, "lost", why);
}

static void set_found(lp_fleet *f, fleet_agv *a)
{
    if (!a->lost) return;
    a->lost = 0;
    if (a->tv >= 0) lp_traffic_vehicle_found(f->traffic, a->tv);
    fleet__agv_record(f, a, "found");
}

static void on_state(lp_fleet *f, fleet_agv *a, const lp_vda_state *s)
{
    int estop = s->estop != LP_VDA_ESTOP_NONE;
    a->have_state = 1;
    a->online = 1;
    a->seen_mono = lp_monotonic();
    a->seen_ms = fleet__now(f);
    set_found(f, a);
    a->battery = s->battery.charge;
    if (s->has_position) a->x = s->position.x, a->y = s->position.y, a->theta = s->position.theta;
    a->driving = s->driving;
    a->paused = s->paused;
    a->charging = s->battery.charging;
    snprintf(a->last_node, sizeof a->last_node, "%s", s->last_node_id);
    if (strcmp(a->mode, lp_vda_opmode_name(s->mode))) {
        snprintf(a->mode, sizeof a->mode, "%s", lp_vda_opmode_name(s->mode));
        fleet__agv_record(f, a, "mode");
    }
    {
        /* One event, one alert: an error the vehicle reports with the state
         * that starts its e-stop is the e-stop's detail, not an alert of its own. */
        char d[LP_VDA_TEXT_MAX + LP_VDA_ID_MAX + 4] = "", e[sizeof d + 32];
        int new_error = s->nerrors > a->nerrors;
        if (new_error)
            snprintf(d, sizeof d, "%s: %s", s->errors[s->nerrors - 1].type, s->errors[s->nerrors - 1].description);
        if (estop && !a->estop) {
            snprintf(e, sizeof e, "%s%s%s", lp_vda_estop_name(s->estop), new_error ? "; " : "", d);
            fleet__alert(f, a, "estop", e);
            new_error = 0;
        }
        a->estop = estop;
        if (new_error) fleet__alert(f, a, "error", d);
        a->nerrors = s->nerrors;
    }
    if (a->tv < 0 && s->last_node_id[0]) {
        int node = lp_road_node_find(f->road, s->last_node_id);
        lp_err err;
        lp_err_init(&err);
        if (node >= 0 && lp_traffic_vehicle_add(f->traffic, a->serial, node, &a->tv, &err))
            fprintf(stderr, "landport fleet: %s not placed at %s: %s\n", a->serial, s->last_node_id, err.msg);
    }
    if (a->mission >= 0 && !fleet__charge_state(f, a, s)) fleet__mission_state(f, a, s);
    else if (a->mission < 0 && f->adopt) fleet__adopt_state(f, a, s); /* after a restart */
    if (a->mission < 0) fleet__charge_check(f, a);
    if (lp_monotonic() - a->pos_pub_mono >= 1.0 && f->o.sink.publish) { /* at most 1 Hz per vehicle */
        a->pos_pub_mono = lp_monotonic();
        f->o.sink.publish(f->o.sink.ud, "agv.position", agv_json(f, a, 1));
    }
}

/* A message of a known vehicle failed its checks (its last good state
 * stays): counted, and an alert naming the first wrong member, at most one
 * a minute per vehicle so that a babbling vehicle does not flood the log. */
static void rejected(lp_fleet *f, fleet_agv *a, lp_vda_topic t, const lp_err *err)
{
    char d[LP_VDA_ID_MAX + sizeof err->msg + sizeof err->fields[0].msg + 128];
    double now = lp_monotonic();
    a->rejected++;
    if (a->invalid_alerted && now - a->invalid_alert_mono < INVALID_ALERT_EVERY_S) return;
    a->invalid_alerted = 1;
    a->invalid_alert_mono = now;
    if (err->nfields)
        snprintf(d, sizeof d, "%s rejected at %s: %s (%lu rejected so far)", lp_vda_topic_name(t),
                 err->fields[0].pointer[0] ? err->fields[0].pointer : "/", err->fields[0].msg, a->rejected);
    else
        snprintf(d, sizeof d, "%s rejected at /: %s (%lu rejected so far)", lp_vda_topic_name(t), err->msg,
                 a->rejected);
    fleet__alert(f, a, "invalid_message", d);
}

static void on_message(lp_mqtt *m, const char *topic, const void *payload, size_t len, void *ud)
{
    lp_fleet *f = ud;
    char manuf[LP_VDA_ID_MAX], serial[LP_VDA_ID_MAX];
    lp_vda_topic t;
    fleet_agv *a;
    lp_err err;
    (void)m;
    lp_err_init(&err);
    if (lp_vda_topic_parse(topic, manuf, serial, &t) != 0) {
        fprintf(stderr, "landport fleet: rejected message on unknown topic %s\n", topic);
        return;
    }
    if (t == LP_VDA_T_CONNECTION) {
        lp_vda_connection c;
        if (lp_vda_connection_parse(payload, len, &c, &err)) goto bad;
        a = find_agv(f, manuf, serial, c.state == LP_VDA_CONN_ONLINE);
        if (!a) return;
        if (c.state == LP_VDA_CONN_BROKEN) set_lost(f, a, "connection broken");
        else if (c.state == LP_VDA_CONN_OFFLINE && a->mission >= 0) set_lost(f, a, "offline during a mission");
        else if (c.state == LP_VDA_CONN_OFFLINE) a->online = 0, fleet__agv_record(f, a, "offline");
        else a->online = 1;
    } else if (t == LP_VDA_T_FACTSHEET) {
        lp_vda_factsheet fs;
        if (lp_vda_factsheet_parse(payload, len, &fs, &err)) goto bad;
        find_agv(f, manuf, serial, 1);
    } else if (t == LP_VDA_T_STATE) {
        lp_vda_state s;
        if (lp_vda_state_parse(payload, len, &s, &err)) goto bad;
        a = find_agv(f, manuf, serial, 1);
        if (a) on_state(f, a, &s);
        lp_vda_state_deinit(&s);
    }
    return;
bad:
    fprintf(stderr, "landport fleet: rejected %s from %s/%s: %s %s %s\n", lp_vda_topic_name(t), manuf, serial,
            err.msg, err.nfields ? err.fields[0].pointer : "", err.nfields ? err.fields[0].msg : "");
    a = find_agv(f, manuf, serial, 0);
    if (a) rejected(f, a, t, &err);
}

static void on_connect(lp_mqtt *m, void *ud)
{
    (void)ud;
    lp_mqtt_subscribe(m, "uagv/v2/+/+/state", 0);
    lp_mqtt_subscribe(m, "uagv/v2/+/+/connection", 1);
    lp_mqtt_subscribe(m, "uagv/v2/+/+/factsheet", 1);
}

/* Every second: state silence beyond the limit marks a vehicle lost. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    lp_fleet *f = arg;
    double now = lp_monotonic();
    int i;
    (void)fd, (void)what;
    for (i = 0; i < f->nagvs; i++) {
        fleet_agv *a = &f->agvs[i];
        if (a->have_state && (a->online || a->mission >= 0) && !a->lost &&
            (now - a->seen_mono) * 1000 > f->o.lost_after_ms)
            set_lost(f, a, "state silent");
    }
    fleet__lifecycle_tick(f);
}

int lp_fleet_create(struct event_base *base, lp_road *road, const lp_fleet_opts *o, lp_fleet **out, lp_err *err)
{
    lp_fleet *f = lp_calloc(1, sizeof *f);
    lp_traffic_config tc = {12.0, 5.0, 0};
    lp_mqtt_opts mo;
    const struct timeval sec = {1, 0};
    int rc;
    *out = NULL;
    f->base = base;
    f->road = road;
    f->o = *o;
    if (f->o.battery_min <= 0) f->o.battery_min = 20;
    if (f->o.lost_after_ms <= 0) f->o.lost_after_ms = 5000;
    if (f->o.charge_below <= 0) f->o.charge_below = 30;
    if (f->o.charge_to <= 0) f->o.charge_to = 90;
    if (f->o.charge_below <= f->o.battery_min || f->o.charge_to <= f->o.charge_below || f->o.charge_to > 100) {
        rc = lp_err_set(err, LP_EINVAL,
                        "agv_charge_below (%.0f%%) must be above agv_battery_min (%.0f%%) and below agv_charge_to"
                        " (%.0f%%, at most 100)", f->o.charge_below, f->o.battery_min, f->o.charge_to);
        goto fail;
    }
    if (!f->o.clock) f->o.clock = lp_sysclock();
    rc = lp_traffic_create(road, &tc, &f->traffic, err);
    if (rc) goto fail;
    memset(&mo, 0, sizeof mo);
    mo.host = o->host;
    mo.port = o->port;
    mo.client_id = o->client_id ? o->client_id : "landport-fleet";
    mo.on_connect = on_connect;
    mo.on_message = on_message;
    mo.ud = f;
    rc = lp_mqtt_create(base, &mo, &f->mqtt, err);
    if (rc) goto fail;
    lp_mqtt_start(f->mqtt); /* retries on its own */
    f->tick = event_new(base, -1, EV_PERSIST, on_tick, f);
    event_add(f->tick, &sec);
    *out = f;
    return LP_OK;
fail:
    f->road = NULL; /* the caller still owns it on failure */
    lp_fleet_destroy(f);
    return rc;
}

void lp_fleet_destroy(lp_fleet *f)
{
    int i;
    if (!f) return;
    if (f->tick) event_free(f->tick);
    if (f->mqtt) lp_mqtt_stop(f->mqtt), lp_mqtt_destroy(f->mqtt);
    for (i = 0; i < f->nmissions; i++) fleet__mission_free(f->missions[i]);
    lp_traffic_destroy(f->traffic);
    lp_road_destroy(f->road);
    cJSON_Delete(f->windows);
    cJSON_Delete(f->adopt);
    lp_free(f);
}

const lp_road *lp_fleet_road(const lp_fleet *f)
{
    return f->road;
}

void lp_fleet_set_windows(lp_fleet *f, const char *json)
{
    cJSON_Delete(f->windows);
    f->windows = json ? cJSON_Parse(json) : NULL;
}

int lp_fleet_pause_all(lp_fleet *f, int pause)
{
    int i, n = 0;
    for (i = 0; i < f->nagvs; i++) {
        fleet_agv *a = &f->agvs[i];
        lp_vda_instant m;
        char id[64];
        memset(&m, 0, sizeof m);
        lp_vda_header_init(&m.h, a->manufacturer, a->serial, a->hid_instant++, fleet__now(f));
        snprintf(id, sizeof id, "%s-%lu", pause ? "pause" : "resume", f->sent);
        lp_vda_instant_add(&m, id, pause ? "startPause" : "stopPause", LP_VDA_BLOCK_HARD);
        fleet__send(f, a, LP_VDA_T_INSTANT_ACTIONS, lp_vda_instant_format(&m));
        lp_vda_instant_deinit(&m);
        n++;
    }
    return n;
}

cJSON *lp_fleet_agvs_json(const lp_fleet *f)
{
    int start = 0;
    return lp_fleet_agvs_page(f, NULL, &start, FLEET_AGVS_MAX);
}

cJSON *lp_fleet_agvs_page(const lp_fleet *f, const char *state, int *start, int limit)
{
    cJSON *arr = cJSON_CreateArray();
    int i, n = 0;
    for (i = *start < 0 ? f->nagvs : *start; i < f->nagvs && n < limit; i++) {
        if (state && strcmp(state, agv_state(&f->agvs[i]))) continue;
        cJSON_AddItemToArray(arr, agv_json(f, &f->agvs[i], 1));
        n++;
    }
    /* more when a later vehicle matches */
    for (*start = -1; i < f->nagvs && *start < 0; i++)
        if (!state || !strcmp(state, agv_state(&f->agvs[i]))) *start = i;
    return arr;
}

static const char *holder_name(const lp_fleet *f, int v)
{
    lp_traffic_vehicle_state vs;
    if (v < 0 || lp_traffic_vehicle_get(f->traffic, v, &vs)) return NULL;
    return vs.name;
}

cJSON *lp_fleet_traffic_json(const lp_fleet *f)
{
    cJSON *o = cJSON_CreateObject(), *edges = cJSON_AddArrayToObject(o, "edges");
    cJSON *nodes = cJSON_AddArrayToObject(o, "nodes"), *blocks = cJSON_AddArrayToObject(o, "blocks");
    static const char *const dirs[] = {"out", "in"};
    int i, d;
    /* the operating windows the fleet applies (gate time) */
    cJSON_AddItemToObject(o, "windows", f->windows ? cJSON_Duplicate(f->windows, 1) : cJSON_CreateArray());
    for (i = 0; i < f->road->nedges; i++)
        for (d = 0; d < 2; d++) {
            const char *h = holder_name(f, lp_traffic_edge_holder(f->traffic, i, d));
            cJSON *e;
            if (!h) continue;
            e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "edge", f->road->edges[i].id);
            cJSON_AddStringToObject(e, "dir", f->road->edges[i].block >= 0 ? "single" : dirs[d]);
            cJSON_AddStringToObject(e, "agv", h);
            cJSON_AddItemToArray(edges, e);
            if (f->road->edges[i].block >= 0) break; /* one lane for both */
        }
    for (i = 0; i < f->road->nnodes; i++)
        for (d = 0; d < 2; d++) {
            const char *h = holder_name(f, lp_traffic_node_holder(f->traffic, i, d));
            cJSON *e;
            if (!h) continue;
            e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "node", f->road->nodes[i].id);
            cJSON_AddStringToObject(e, "dir", dirs[d]);
            cJSON_AddStringToObject(e, "agv", h);
            cJSON_AddItemToArray(nodes, e);
        }
    for (i = 0; i < f->road->nblocks; i++) {
        int n = 0, dir = lp_traffic_block_dir(f->traffic, i, &n);
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "from", f->road->nodes[f->road->blocks[i].end[0]].id);
        cJSON_AddStringToObject(b, "to", f->road->nodes[f->road->blocks[i].end[1]].id);
        if (dir < 0) cJSON_AddNullToObject(b, "dir");
        else cJSON_AddStringToObject(b, "dir", dirs[dir]);
        cJSON_AddNumberToObject(b, "vehicles", n);
        cJSON_AddItemToArray(blocks, b);
    }
    return o;
}

unsigned long lp_fleet_orders_sent(const lp_fleet *f)
{
    return f->sent;
}

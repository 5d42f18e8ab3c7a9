/* fleet_internal.h - what fleet.c (vehicles, MQTT, safety) and
 * fleet_mission.c (missions, orders, trip records) share.  Internal. */
#ifndef LP_FLEET_INTERNAL_H
#define LP_FLEET_INTERNAL_H

#include "../core/traffic.h"
#include "fleet.h"
#include "mqtt.h"
#include "vda5050.h"

#define FLEET_AGVS_MAX 2048
#define FLEET_MISSIONS_MAX 1024

typedef struct fleet_agv {
    char manufacturer[LP_VDA_ID_MAX], serial[LP_VDA_ID_MAX];
    int tv;              /* traffic vehicle number, -1 until placed */
    int online, lost, have_state;
    double seen_mono;    /* monotonic s of the last state */
    int64_t seen_ms;     /* gate clock of the last message */
    double battery;
    double x, y, theta;
    int driving, paused, estop, nerrors;
    char last_node[LP_VDA_ID_MAX];
    char mode[16];
    int mission;         /* index into missions, -1: idle */
    double pos_pub_mono; /* monotonic s of the last agv.position event */
    int64_t hid_order, hid_instant;
} fleet_agv;

typedef struct fleet_mission {
    int64_t id;
    int agv;
    lp_road_route rt;
    char order_id[LP_VDA_ID_MAX];
    int64_t update_id;
    int base_sent;       /* route index of the base end sent */
    int inspect;         /* route index of the inspection node, -1 */
    int handover;        /* route index of the handover node, -1 */
    int released, handed, done;
    double front_m, dist_m, last_track_m;
    double lx, ly;       /* last position, for the distance */
    int64_t last_track_ms;
    cJSON *rec;          /* the record as stored (owned) */
    /* the stop in progress */
    int stopped;
    int64_t stop_ms;
    char stop_cause[16], stop_place[LP_ROAD_ID_MAX];
} fleet_mission;

struct lp_fleet {
    struct event_base *base;
    lp_road *road;
    lp_traffic *traffic;
    lp_mqtt *mqtt;
    lp_fleet_opts o;
    struct event *tick;
    cJSON *windows;
    int nagvs, nmissions;
    fleet_agv agvs[FLEET_AGVS_MAX];
    fleet_mission *missions[FLEET_MISSIONS_MAX]; /* running ones; NULL: a free slot */
    unsigned long sent;
};

int64_t fleet__now(const lp_fleet *f);
/* Publishes an order / instant actions message to vehicle a (takes text). */
void fleet__send(lp_fleet *f, fleet_agv *a, lp_vda_topic t, char *json);
/* A state message of a vehicle with a mission: progress, grants, stops,
 * track, handover, arrival (fleet_mission.c). */
void fleet__mission_state(lp_fleet *f, fleet_agv *a, const lp_vda_state *s);
/* Tells the sink a vehicle changed (action e.g. "register", "lost"). */
void fleet__agv_record(lp_fleet *f, fleet_agv *a, const char *action);
/* An alert: audit through the sink and an "agv.alert" live event. */
void fleet__alert(lp_fleet *f, fleet_agv *a, const char *kind, const char *detail);
/* Starts / ends the stop of mission m (cause NULL: ends it). */
void fleet__stop(lp_fleet *f, fleet_mission *m, const char *cause);
void fleet__mission_free(fleet_mission *m);
/* Starts mission id (rec as stored, borrowed: agv, route) on vehicle ai,
 * which must be idle: sends the first order.  LP_OK, LP_ECONFLICT (too many
 * missions), LP_EINVAL (a route the road does not have). */
int fleet__mission_begin(lp_fleet *f, int ai, int64_t id, const cJSON *rec, lp_err *err);

#endif

/* fleet_internal.h - what fleet.c (vehicles, MQTT, safety) and
 * fleet_mission.c (missions, orders, trip records) share.  Internal. */
#ifndef LP_FLEET_INTERNAL_H
#define LP_FLEET_INTERNAL_H

#include "../core/traffic.h"
#include "fleet.h"
#include "mqtt.h"
#include "vda5050.h"

#define FLEET_AGVS_MAX 2048
#define FLEET_MISSIONS_MAX FLEET_AGVS_MAX /* at most one per vehicle */

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
    /* charging and rejected messages (fleet_charge.c, fleet.c) */
    int charging;               /* the last state says the battery charges */
    int low_alerted;            /* battery_low raised; again only after it charged */
    int charge_stop_sent;       /* stopCharging sent for the running charge mission */
    double charge_retry_mono;   /* no charge mission before this monotonic s */
    unsigned long rejected;     /* messages of this vehicle rejected (JSON, schema) */
    double invalid_alert_mono;  /* monotonic s of the last invalid_message alert */
    int invalid_alerted;
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
    /* the lifecycle (fleet_lifecycle.c) */
    char decl[64];       /* declaration of the load, "" if none */
    char decl_status[24];/* its status when last polled */
    int customs;         /* the declaration lets the load cross (or there is none) */
    int gate;            /* route index where customs holds it, -1 */
    int cancelling;      /* cancelOrder sent; ends when the vehicle stands */
    int overrun;         /* the operating window closed with it on the road */
    int first;           /* route index traffic's route starts at (after a restart) */
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
    cJSON *adopt;        /* missions of the store to re-adopt after a restart (owned) */
    double adopt_since;  /* monotonic s they were loaded */
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
/* The record of a planned mission of vehicle ai on route rt from zone
 * `from` to zone `to` (caller owns): agv, zones, state "planned", route,
 * length_m, estimate_s, empty track and stops. */
cJSON *fleet__mission_rec(const lp_fleet *f, int ai, const char *from, const char *to, const lp_road_route *rt,
                          double estimate_s);
/* Ends the mission of vehicle a: closes the stop in progress, sets
 * finished_at and state (audited as action), frees its slot; a is idle. */
void fleet__mission_finish(lp_fleet *f, fleet_agv *a, const char *state, const char *action);

/* Charging (fleet_charge.c) */
/* An idle vehicle under charge_below starts a charge mission to the
 * charging zone (or raises battery_low when that must wait for the window). */
void fleet__charge_check(lp_fleet *f, fleet_agv *a);
/* A state of a vehicle on a charge mission standing at its charging node:
 * stops charging at charge_to and completes the mission.  Returns 1 when
 * it took the state, 0 to leave it to fleet__mission_state. */
int fleet__charge_state(lp_fleet *f, fleet_agv *a, const lp_vda_state *s);
/* Appends the actions node i of mission m carries to n (startCharging at
 * the end of a charge mission). */
void fleet__node_actions(const lp_fleet *f, const fleet_mission *m, int i, lp_vda_node *n);

/* The lifecycle (fleet_lifecycle.c) ------------------------------------ */

/* Rec member helpers shared by the mission files. */
void fleet__rec_set(cJSON *rec, const char *name, cJSON *v);
/* Writes m's record through the sink (audited as agv_mission.<action>). */
void fleet__save(lp_fleet *f, fleet_mission *m, const char *action);
/* Sets the state of mission m: saved through the sink (audited as action)
 * and an agv_mission.state live event. */
void fleet__set_state(lp_fleet *f, fleet_mission *m, const char *state, const char *action);
/* How long a mission on rt takes, for the operating window: the time at
 * the speed limits x 1.2 + 60 s, plus the planned inspection stop
 * (inspection_s) when it enters Vietnam. */
double fleet__estimate(const lp_fleet *f, const lp_road_route *rt);
/* Route index of the node of zone on m's route, -1. */
int fleet__route_index(const lp_fleet *f, const lp_road_route *rt, const char *zone);
/* Where the base must end for now: the inspection stop until a border guard
 * released the mission and its declaration allows crossing, -1: no hold. */
int fleet__hold_index(const fleet_mission *m);
/* Sets m->customs (polling the sink), m->gate and the record's waiting_for
 * when a mission starts or is adopted. */
void fleet__customs_begin(lp_fleet *f, fleet_mission *m);
/* Asks the sink whether m's declaration now lets the load cross; records
 * customs_cleared_at (1 returned) or alerts on a hold or rejection. */
int fleet__customs_poll(lp_fleet *f, fleet_mission *m);
/* Recomputes the record's waiting_for; 1 when it changed. */
int fleet__waiting(fleet_mission *m);
/* An alert about mission m: kept in its record's alerts (audited as
 * agv_mission.alert) and an agv.alert live event. */
void fleet__mission_alert(lp_fleet *f, fleet_mission *m, const char *kind, const char *detail);
/* A state message of a vehicle whose mission is being cancelled: when it
 * stands, its reservations ahead are released and it becomes idle.
 * (m may be freed.) */
void fleet__cancel_state(lp_fleet *f, fleet_mission *m, const lp_vda_state *s);
/* Every second: customs polls, the window end, stale re-adoptions. */
void fleet__lifecycle_tick(lp_fleet *f);
/* A state message of a vehicle without a mission: re-adopts its mission
 * after a restart (or marks it interrupted). */
void fleet__adopt_state(lp_fleet *f, fleet_agv *a, const lp_vda_state *s);
/* Asks traffic for more (the route on a new request); the base end granted
 * as a route index, capped at the hold. */
int fleet__grant(lp_fleet *f, fleet_mission *m, const lp_road_route *rt);
/* Sends route nodes first..n-1 with first..cap released (fleet_mission.c). */
void fleet__send_order(lp_fleet *f, fleet_mission *m, int first, int cap);
/* Builds mission id on vehicle ai (idle) from rec (borrowed: route, ...;
 * copied into m->rec) and registers it as running: *out (owned by the
 * fleet).  Sends nothing.  LP_OK, LP_ECONFLICT (too many), LP_EINVAL. */
int fleet__mission_make(lp_fleet *f, int ai, int64_t id, const cJSON *rec, fleet_mission **out, lp_err *err);
/* The running mission id, or NULL. */
fleet_mission *fleet__mission_find(lp_fleet *f, int64_t id);
/* After a release or a clearance: back to "running" (audited as action)
 * when it was held and nothing holds it any more, else just saved. */
void fleet__unhold(lp_fleet *f, fleet_mission *m, const char *action);
/* LP_OK when a mission of estimate_s seconds starting now ends inside an
 * operating window (always without windows), else LP_ECONFLICT saying why. */
int fleet__window_check(const lp_fleet *f, double estimate_s, lp_err *err);
/* 1 when route rt passes km 0 (fleet_plan.c). */
int fleet__crosses(const lp_fleet *f, const lp_road_route *rt);
/* The zone id of road node n, else its node id. */
const char *fleet__place_name(const lp_fleet *f, int n);
/* Extends m's base as far as traffic grants and the hold allow. */
void fleet__extend(lp_fleet *f, fleet_mission *m);
/* Removes m from the running missions and frees it. */
void fleet__mission_end(lp_fleet *f, fleet_mission *m);

#endif

/* fleet.h - the AGV fleet manager (VDA 5050 master control) of `landport
 * serve --mqtt`: vehicles register by their connection/factsheet/state
 * messages; a mission plans a route on the road (core/road.h), asks traffic
 * control (core/traffic.h) for the prefix it may drive and sends it as the
 * order's base (the rest as horizon); state messages release what the
 * vehicle has left and extend the base with order updates.  The base stops
 * at the inspection node until a border guard releases the mission; passing
 * the handover node is recorded; lost vehicles (CONNECTIONBROKEN, state
 * silence) keep their reservations.  Each mission keeps its trip record
 * (track, stops with cause and duration, distance).
 *
 * Persistence and live events go through a sink (filled by the HTTP layer,
 * src/net/h_agv_sink.c), so this module needs only the loop, MQTT and the
 * clock.  One libevent loop, no threads. */
#ifndef LP_FLEET_H
#define LP_FLEET_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/clock.h"
#include "../core/err.h"
#include "../core/road.h"

struct event_base;
typedef struct lp_fleet lp_fleet;

typedef struct lp_fleet_sink {
    /* A vehicle registered (action "register") or changed (lost, found,
     * alert, ...); rec is its record (borrowed). */
    void (*agv)(void *ud, const char *serial, const char *action, const cJSON *rec);
    /* A mission changed; rec is its full record (borrowed); action names the
     * audit event ("agv_mission.started", ...). */
    void (*mission)(void *ud, int64_t id, const char *action, const cJSON *rec);
    /* A mission the fleet starts by itself (a vehicle going to charge, ...):
     * stores rec (borrowed; the record as lp_fleet_mission_plan makes it)
     * audited as "agv_mission.create" and sets *id.  Returns 0 or -1. */
    int (*mission_new)(void *ud, const cJSON *rec, int64_t *id);
    /* An ephemeral event for the live streams (takes data). */
    void (*publish)(void *ud, const char *type, cJSON *data);
    /* Whether declaration decl_id lets its load cross (its status is
     * cleared, gate_open or exited): 1 yes, 0 no, -1 when it cannot be
     * read; status (n bytes) receives its status.  NULL: every load may. */
    int (*decl_ok)(void *ud, const char *decl_id, char *status, size_t n);
    /* An alert about vehicle serial (kind "lost", "estop", "invalid_message",
     * "battery_low", ...; detail says what): audited as "agv.alert_raised" with kind
     * and detail.  May be NULL. */
    void (*alert)(void *ud, const char *serial, const char *kind, const char *detail);
    void *ud;
} lp_fleet_sink;

typedef struct lp_fleet_opts {
    const char *host;       /* broker */
    int port;
    const char *client_id;  /* "landport-fleet" when NULL */
    double battery_min;     /* % a vehicle needs to take a mission (20 when 0) */
    int lost_after_ms;      /* state silence that marks a vehicle lost (5000 when 0) */
    int tz_offset_min;      /* gate time - UTC, minutes (+420) */
    double charge_below;    /* % under which an idle vehicle goes to charge (30 when 0); > battery_min */
    double charge_to;       /* % at which charging stops (90 when 0) */
    int inspection_s;       /* time planned for the inspection stop of a mission entering Vietnam (s) */
    const lp_clock *clock;  /* gate time (windows, records); borrowed */
    lp_fleet_sink sink;
} lp_fleet_opts;

/* Creates the fleet on road (taken: the fleet owns and destroys it) and
 * connects to the broker.  Returns LP_OK and *out (free with
 * lp_fleet_destroy), or LP_EINVAL / LP_ENOMEM with err set. */
int lp_fleet_create(struct event_base *base, lp_road *road, const lp_fleet_opts *o, lp_fleet **out, lp_err *err);
void lp_fleet_destroy(lp_fleet *f);

/* The road (borrowed). */
const lp_road *lp_fleet_road(const lp_fleet *f);

/* Sets the AGV operating windows: a JSON array text of
 * {"open":"HH:MM","close":"HH:MM"} in gate time.  Empty: no limit. */
void lp_fleet_set_windows(lp_fleet *f, const char *json);

/* Missions -------------------------------------------------------------- */

/* Plans a mission from zone `from` to zone `to` (fleet_plan.c says how):
 * the vehicle is agv (a serial; NULL: the idle vehicle with enough battery
 * nearest to `from` on its side of km 0), the route runs from where it
 * stands through `from` (NULL with agv: from where it stands) to `to`, and
 * the mission must finish inside the operating window.  Fills rec
 * (caller owns it) with the record to insert (agv, zones, route, length_m,
 * estimate_s, state "planned").  Returns LP_OK, LP_EINVAL (unknown zone or
 * AGV, with field pointers /from, /to, /agv), LP_ECONFLICT with the reason
 * (no vehicle, outside the window, ...). */
int lp_fleet_mission_plan(lp_fleet *f, const char *from, const char *to, const char *agv, cJSON **rec, lp_err *err);

/* Starts the planned mission id (rec as stored, borrowed): sends the first
 * order.  Returns LP_OK or LP_ECONFLICT (the vehicle was taken meanwhile). */
int lp_fleet_mission_start(lp_fleet *f, int64_t id, const cJSON *rec, lp_err *err);

/* A border guard releases the mission at the inspection stop (who and
 * reason go to the record); the base passes it once the declaration (if
 * any) lets the load cross too.  LP_ENOTFOUND, LP_ECONFLICT (already released,
 * finished). */
int lp_fleet_mission_release(lp_fleet *f, int64_t id, const char *who, const char *reason, lp_err *err);

/* Cancels the running mission id (operator who, reason, recorded): sends
 * the instant action cancelOrder, the record becomes "cancelled"; the
 * vehicle's reservations ahead are released once its state says it stands,
 * and it is idle where it stands.  LP_ENOTFOUND when the fleet does not run
 * it, LP_ECONFLICT when it is already cancelled. */
int lp_fleet_mission_cancel(lp_fleet *f, int64_t id, const char *who, const char *reason, lp_err *err);

/* After a restart: mission id (rec as stored, borrowed) was running.  It is
 * re-adopted when its vehicle reports state with its orderId (orders
 * continue from the vehicle's orderUpdateId, traffic is asked again from
 * its position); a vehicle reporting another or no order, or none within
 * a minute, gets the mission marked "interrupted" with an alert. */
void lp_fleet_mission_adopt(lp_fleet *f, int64_t id, const cJSON *rec);

/* Sends startPause (pause = 1) or stopPause to every vehicle; returns how
 * many. */
int lp_fleet_pause_all(lp_fleet *f, int pause);

/* Views ------------------------------------------------------------------ */

/* The vehicles as a JSON array (caller owns). */
cJSON *lp_fleet_agvs_json(const lp_fleet *f);
/* A page of the vehicles in registration order (vehicles are never removed,
 * so an index is a stable cursor): those in state (NULL: any; see
 * lp_fleet_agv_state_known) from index *start on, at most limit of them, as
 * a JSON array (caller owns).  *start becomes the index to continue from,
 * or -1 when there are no more. */
cJSON *lp_fleet_agvs_page(const lp_fleet *f, const char *state, int *start, int limit);
/* 1 when s is a vehicle state: idle, on_mission, charging, lost, offline. */
int lp_fleet_agv_state_known(const char *s);
/* Who holds which segment: {"edges":[...], "nodes":[...], "blocks":[...],
 * "windows":[...]} (caller owns). */
cJSON *lp_fleet_traffic_json(const lp_fleet *f);

/* For the tests and the bench: orders and instant actions sent. */
unsigned long lp_fleet_orders_sent(const lp_fleet *f);

#endif

/* vehicle.h - one simulated VDA 5050 vehicle: order handling, kinematics,
 * battery and actions, without I/O (time comes in as seconds stepped).
 *
 * The vehicle drives straight from node to node along the order's
 * nodePositions, with acceleration/deceleration limits and each edge's
 * maxSpeed; it stops at the end of the base (never entering the horizon)
 * and at nodes with blocking actions, and asks for a new base
 * (newBaseRequest) when it gets close to the base end.  agvsim.c puts many
 * of these on MQTT; tests drive it directly. */
#ifndef LP_VEHICLE_H
#define LP_VEHICLE_H

#include "vda5050.h"

typedef struct lp_vehicle lp_vehicle;

typedef struct lp_vehicle_params {
    double speed_max;     /* m/s, 8.3 (30 km/h) when 0 */
    double accel, decel;  /* m/s^2, 0.8 / 1.2 when 0 */
    double drain_per_km;  /* battery % per km driven, 5 when 0 */
    double charge_per_s;  /* battery % per second charging, 0.5 when 0 */
    double battery;       /* initial %, 100 when 0 */
    const char *map_id;   /* "road" when NULL */
} lp_vehicle_params;

/* Events a call may cause: the caller publishes a state (and factsheet). */
enum {
    LP_VEHICLE_EV_STATE = 1,     /* something changed that master control must hear now */
    LP_VEHICLE_EV_FACTSHEET = 2, /* a factsheetRequest arrived */
};

/* A vehicle standing at (x, y) with lastNodeId start_node ("" or NULL for
 * none).  Strings are copied.  Caller frees with lp_vehicle_destroy. */
lp_vehicle *lp_vehicle_create(const char *manufacturer, const char *serial, double x, double y,
                              const char *start_node, const lp_vehicle_params *p);
void lp_vehicle_destroy(lp_vehicle *v);

/* A received order: judged by the rules of vda5050_order.h, then accepted
 * (new or update) or rejected with an error in the state.  Returns events. */
int lp_vehicle_order(lp_vehicle *v, const lp_vda_order *o);
/* Received instantActions (startPause, stopPause, cancelOrder, stateRequest,
 * factsheetRequest, startCharging, stopCharging).  Returns events. */
int lp_vehicle_instant(lp_vehicle *v, const lp_vda_instant *m);
/* A message that could not be parsed: a validationError in the state. */
int lp_vehicle_reject(lp_vehicle *v, const char *topic, const lp_err *err);
/* Faults for tests: "estop", "stall", "clear".  Returns events, or -1 for an
 * unknown name. */
int lp_vehicle_fault(lp_vehicle *v, const char *fault);
/* Advances the simulation by dt seconds.  Returns events (node reached,
 * action state changed, newBaseRequest changed, stopped). */
int lp_vehicle_step(lp_vehicle *v, double dt);

/* The state message body (header left for the caller).  Caller deinits. */
void lp_vehicle_state(const lp_vehicle *v, lp_vda_state *s);
/* The factsheet body (header left for the caller). */
void lp_vehicle_factsheet(const lp_vehicle *v, lp_vda_factsheet *f);
/* Read-only views for the simulator and tests. */
const char *lp_vehicle_serial(const lp_vehicle *v);
int lp_vehicle_driving(const lp_vehicle *v);

#endif

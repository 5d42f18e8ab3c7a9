/* agvsim.h - N simulated VDA 5050 vehicles on one MQTT broker and one
 * libevent loop (landport agv-sim).
 *
 * Each vehicle has its own MQTT session (client id = serial number) with
 * the last will CONNECTIONBROKEN on uagv/v2/{manufacturer}/{serial}/connection,
 * announces ONLINE and its factsheet on connect, subscribes to its order
 * and instantActions topics, and publishes state every second of wall time
 * and at once on events.  Test faults arrive on landport-sim/{serial}/fault
 * as {"fault":"drop_connection"|"estop"|"stall"|"silence"|"clear"} (silence:
 * no more state messages, connection kept, until clear). */
#ifndef LP_AGVSIM_H
#define LP_AGVSIM_H

#include "../core/clock.h"
#include "../core/err.h"
#include "vehicle.h"

struct event_base;
typedef struct lp_agvsim lp_agvsim;

typedef struct lp_agvsim_opts {
    const char *host;          /* broker */
    int port;
    const char *manufacturer;  /* "landport-sim" when NULL */
    const char *serial_prefix; /* serials are PREFIX1..PREFIXN; "agv-" when NULL */
    int count;                 /* vehicles, >= 1 */
    double start_x, start_y;   /* where every vehicle stands at start */
    const char *start_node;    /* its lastNodeId at start; NULL: none */
    double speedup;            /* simulated seconds per wall second, 1 when 0 */
    int state_ms;              /* periodic state interval, 1000 when 0 */
    int tick_ms;               /* simulation step, 100 when 0 */
    lp_vehicle_params vehicle;
    const lp_clock *clock;     /* message timestamps; borrowed */
} lp_agvsim_opts;

/* Creates the vehicles (not yet connected).  Returns 0 and *out (caller
 * frees with lp_agvsim_destroy) or LP_EINVAL / LP_ENOMEM with err set. */
int lp_agvsim_create(struct event_base *base, const lp_agvsim_opts *o, lp_agvsim **out, lp_err *err);
/* Connects every vehicle and starts the simulation timers. */
int lp_agvsim_start(lp_agvsim *s);
/* Publishes OFFLINE for each vehicle and disconnects cleanly. */
void lp_agvsim_stop(lp_agvsim *s);
/* Messages published so far (all vehicles, all topics). */
unsigned long lp_agvsim_sent(const lp_agvsim *s);
/* Vehicles currently connected. */
int lp_agvsim_connected(const lp_agvsim *s);
void lp_agvsim_destroy(lp_agvsim *s);

#endif

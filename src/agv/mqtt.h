/* mqtt.h - one MQTT client session (libmosquitto) driven by a libevent loop.
 *
 * No threads: the session watches mosquitto_socket() with a read event, a
 * write event armed while mosquitto_want_write(), and a 1 s timer for
 * keepalive (mosquitto_loop_misc).  A lost connection is retried with
 * exponential backoff; the will set at creation (or by lp_mqtt_set_will)
 * goes with every connect.  Many sessions may share one loop (agv-sim runs
 * one per vehicle).  Used by agv-sim, the fleet manager and the tests. */
#ifndef LP_MQTT_H
#define LP_MQTT_H

#include <stddef.h>

#include "../core/err.h"

struct event_base;
typedef struct lp_mqtt lp_mqtt;

typedef struct lp_mqtt_opts {
    const char *host;      /* broker host, e.g. "127.0.0.1" */
    int port;              /* 1883 when 0 */
    const char *client_id; /* unique per broker */
    int keepalive;         /* seconds, 10 when 0 */
    int backoff_min_ms;    /* first reconnect delay, 250 when 0 */
    int backoff_max_ms;    /* cap of the doubling delay, 10000 when 0 */
    /* Called after each successful CONNACK (subscribe and announce here). */
    void (*on_connect)(lp_mqtt *m, void *ud);
    /* Called for every message received; payload is borrowed for the call. */
    void (*on_message)(lp_mqtt *m, const char *topic, const void *payload, size_t len, void *ud);
    /* Called when an established connection ends (clean stop or loss). */
    void (*on_disconnect)(lp_mqtt *m, int unexpected, void *ud);
    void *ud;
} lp_mqtt_opts;

/* Creates a session on base (borrowed; must outlive it).  Strings in o are
 * copied.  Returns 0 and *out (caller frees with lp_mqtt_destroy), or
 * LP_ENOMEM / LP_EINVAL with err set. */
int lp_mqtt_create(struct event_base *base, const lp_mqtt_opts *o, lp_mqtt **out, lp_err *err);
/* Sets the last will used from the next connect on (copied). */
int lp_mqtt_set_will(lp_mqtt *m, const char *topic, const void *payload, size_t len, int qos, int retain);
/* Connects (the TCP connect itself is blocking; the rest runs on the loop).
 * On failure schedules a retry and returns LP_EIO; the session keeps trying
 * until lp_mqtt_stop. */
int lp_mqtt_start(lp_mqtt *m);
/* 1 when connected (CONNACK received). */
int lp_mqtt_connected(const lp_mqtt *m);
/* Subscribe / publish; LP_EIO when not connected or refused by the library.
 * A publish is written at once when the socket takes it. */
int lp_mqtt_subscribe(lp_mqtt *m, const char *pattern, int qos);
int lp_mqtt_publish(lp_mqtt *m, const char *topic, const void *payload, size_t len, int qos, int retain);
/* Sends DISCONNECT after what is queued and stops retrying (the broker
 * discards the will). */
void lp_mqtt_stop(lp_mqtt *m);
/* Fault injection: closes the socket without DISCONNECT, so the broker
 * publishes the will; the session reconnects after the backoff. */
void lp_mqtt_drop(lp_mqtt *m);
/* Counters: messages published and received since creation. */
unsigned long lp_mqtt_sent(const lp_mqtt *m);
unsigned long lp_mqtt_received(const lp_mqtt *m);
/* Closes the connection (no DISCONNECT if still open) and frees m; NULL-safe. */
void lp_mqtt_destroy(lp_mqtt *m);

#endif

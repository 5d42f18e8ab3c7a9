/* bench_mqtt.h - an MQTT session of the bench programs (mqtt_bench.c,
 * fleet_bench.c): connects to the broker on 127.0.0.1:port and runs base
 * until CONNACK; exits the program when that fails within 10 s. */
#ifndef LP_BENCH_MQTT_H
#define LP_BENCH_MQTT_H

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>

#include "agv/mqtt.h"
#include "os/sysclock.h"

static lp_mqtt *bench_session(struct event_base *base, int port, const char *id,
                              void (*on_msg)(lp_mqtt *, const char *, const void *, size_t, void *), void *ud)
{
    lp_mqtt_opts o = {0};
    lp_mqtt *m;
    lp_err err;
    double end = lp_monotonic() + 10;
    struct timeval tv = {0, 10000};
    lp_err_init(&err);
    o.host = "127.0.0.1";
    o.port = port;
    o.client_id = id;
    o.on_message = on_msg;
    o.ud = ud;
    if (lp_mqtt_create(base, &o, &m, &err) != 0 || lp_mqtt_start(m) != 0) {
        fprintf(stderr, "bench: cannot connect to the broker\n");
        exit(1);
    }
    while (!lp_mqtt_connected(m)) {
        if (lp_monotonic() > end) {
            fprintf(stderr, "bench: no CONNACK\n");
            exit(1);
        }
        event_base_loopexit(base, &tv);
        event_base_dispatch(base);
    }
    return m;
}

#endif

/* agvsim.c - simulated vehicles on MQTT: one lp_vehicle and one lp_mqtt
 * session each, a shared simulation tick, state every state_ms per vehicle
 * (staggered so N vehicles spread over the interval) and on events. */
#include "agvsim.h"

#include <cjson/cJSON.h>
#include <event2/event.h>
#include <stdio.h>
#include <string.h>

#include "../core/mem.h"
#include "../os/sysclock.h"
#include "mqtt.h"

typedef struct sim_agv {
    lp_agvsim *sim;
    lp_vehicle *v;
    lp_mqtt *m;
    char serial[LP_VDA_ID_MAX];
    char topic[LP_VDA_T_COUNT][200];
    char fault_topic[200];
    int64_t header_id[LP_VDA_T_COUNT];
    double next_state; /* monotonic seconds */
    int silent;        /* fault "silence": no state messages until "clear" */
} sim_agv;

struct lp_agvsim {
    struct event_base *base;
    lp_agvsim_opts o;
    char manufacturer[LP_VDA_ID_MAX];
    sim_agv *agv;
    struct event *tick;
    double last_tick;
};

static int64_t now_ms(const lp_agvsim *s)
{
    return s->o.clock->now_ms(s->o.clock->ud);
}

static void header(sim_agv *a, lp_vda_topic t, lp_vda_header *h)
{
    lp_vda_header_init(h, a->sim->manufacturer, a->serial, a->header_id[t]++, now_ms(a->sim));
}

static void publish(sim_agv *a, lp_vda_topic t, char *json, int qos, int retain)
{
    if (json) lp_mqtt_publish(a->m, a->topic[t], json, strlen(json), qos, retain);
    lp_free(json);
}

static void send_state(sim_agv *a)
{
    lp_vda_state st;
    if (!lp_mqtt_connected(a->m) || a->silent) return;
    lp_vehicle_state(a->v, &st);
    header(a, LP_VDA_T_STATE, &st.h);
    publish(a, LP_VDA_T_STATE, lp_vda_state_format(&st), 0, 0);
    lp_vda_state_deinit(&st);
}

static void send_factsheet(sim_agv *a)
{
    lp_vda_factsheet f;
    lp_vehicle_factsheet(a->v, &f);
    header(a, LP_VDA_T_FACTSHEET, &f.h);
    publish(a, LP_VDA_T_FACTSHEET, lp_vda_factsheet_format(&f), 1, 1);
}

static char *connection_json(sim_agv *a, lp_vda_conn state)
{
    lp_vda_connection c;
    header(a, LP_VDA_T_CONNECTION, &c.h);
    c.state = state;
    return lp_vda_connection_format(&c);
}

/* The will goes with the next connect, so it is made before each one. */
static void arm_will(sim_agv *a)
{
    char *will = connection_json(a, LP_VDA_CONN_BROKEN);
    lp_mqtt_set_will(a->m, a->topic[LP_VDA_T_CONNECTION], will, strlen(will), 1, 1);
    lp_free(will);
}

static void events(sim_agv *a, int ev)
{
    if (ev & LP_VEHICLE_EV_FACTSHEET) send_factsheet(a);
    if (ev & LP_VEHICLE_EV_STATE) send_state(a);
}

static void on_connect(lp_mqtt *m, void *ud)
{
    sim_agv *a = ud;
    lp_mqtt_subscribe(m, a->topic[LP_VDA_T_ORDER], 1);
    lp_mqtt_subscribe(m, a->topic[LP_VDA_T_INSTANT_ACTIONS], 1);
    lp_mqtt_subscribe(m, a->fault_topic, 0);
    publish(a, LP_VDA_T_CONNECTION, connection_json(a, LP_VDA_CONN_ONLINE), 1, 1);
    send_factsheet(a);
    send_state(a);
}

static void on_disconnect(lp_mqtt *m, int unexpected, void *ud)
{
    (void)m;
    if (unexpected) arm_will(ud);
}

static void on_fault(sim_agv *a, const void *payload, size_t len)
{
    cJSON *j = cJSON_ParseWithLength(payload, len);
    const char *f = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "fault"));
    int ev;
    if (f && !strcmp(f, "drop_connection")) {
        lp_mqtt_drop(a->m);
    } else if (f && !strcmp(f, "silence")) {
        a->silent = 1; /* connected, no will: only the missing states tell */
    } else if (f && (ev = lp_vehicle_fault(a->v, f)) >= 0) {
        if (!strcmp(f, "clear")) a->silent = 0;
        events(a, ev);
    } else {
        fprintf(stderr, "agv-sim %s: unknown fault message ignored: %.*s\n", a->serial, (int)len,
                (const char *)payload);
    }
    cJSON_Delete(j);
}

static void on_message(lp_mqtt *m, const char *topic, const void *payload, size_t len, void *ud)
{
    sim_agv *a = ud;
    lp_err err;
    (void)m;
    lp_err_init(&err);
    if (!strcmp(topic, a->fault_topic)) {
        on_fault(a, payload, len);
    } else if (!strcmp(topic, a->topic[LP_VDA_T_ORDER])) {
        lp_vda_order o;
        if (lp_vda_order_parse(payload, len, &o, &err) != 0) {
            events(a, lp_vehicle_reject(a->v, "order", &err));
            return;
        }
        events(a, lp_vehicle_order(a->v, &o));
        lp_vda_order_deinit(&o);
    } else if (!strcmp(topic, a->topic[LP_VDA_T_INSTANT_ACTIONS])) {
        lp_vda_instant ia;
        if (lp_vda_instant_parse(payload, len, &ia, &err) != 0) {
            events(a, lp_vehicle_reject(a->v, "instantActions", &err));
            return;
        }
        events(a, lp_vehicle_instant(a->v, &ia));
        lp_vda_instant_deinit(&ia);
    }
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    lp_agvsim *s = arg;
    double now = lp_monotonic(), dt = (now - s->last_tick) * s->o.speedup, step;
    int i, ev;
    (void)fd, (void)what;
    s->last_tick = now;
    for (i = 0; i < s->o.count; i++) {
        sim_agv *a = &s->agv[i];
        double left = dt;
        ev = 0;
        /* Sub-steps of at most half a simulated second keep the motion
         * smooth at high speedups. */
        while (left > 1e-9) {
            step = left > 0.5 ? 0.5 : left;
            ev |= lp_vehicle_step(a->v, step);
            left -= step;
        }
        /* The periodic states keep their phase (events do not move it), so
         * the fleet's states stay spread and the rate is exactly 1/interval. */
        if (now >= a->next_state) {
            a->next_state += s->o.state_ms / 1000.0;
            if (a->next_state < now) a->next_state = now + s->o.state_ms / 1000.0;
            ev |= LP_VEHICLE_EV_STATE;
        }
        if (ev) send_state(a);
    }
}

int lp_agvsim_create(struct event_base *base, const lp_agvsim_opts *o, lp_agvsim **out, lp_err *err)
{
    lp_agvsim *s;
    int i, t;
    *out = NULL;
    if (o->count < 1 || !o->host || !o->clock) return lp_err_set(err, LP_EINVAL, "agv-sim: count, broker and clock are required");
    s = lp_calloc(1, sizeof *s);
    s->base = base;
    s->o = *o;
    if (s->o.speedup <= 0) s->o.speedup = 1;
    if (s->o.state_ms <= 0) s->o.state_ms = 1000;
    if (s->o.tick_ms <= 0) s->o.tick_ms = 100;
    snprintf(s->manufacturer, sizeof s->manufacturer, "%s", o->manufacturer ? o->manufacturer : "landport-sim");
    s->agv = lp_calloc((size_t)o->count, sizeof *s->agv);
    for (i = 0; i < o->count; i++) {
        sim_agv *a = &s->agv[i];
        lp_mqtt_opts mo = {0};
        a->sim = s;
        snprintf(a->serial, sizeof a->serial, "%s%d", o->serial_prefix ? o->serial_prefix : "agv-", i + 1);
        for (t = 0; t < LP_VDA_T_COUNT; t++)
            if (lp_vda_topic_format(a->topic[t], sizeof a->topic[t], s->manufacturer, a->serial, (lp_vda_topic)t)) {
                lp_agvsim_destroy(s);
                return lp_err_set(err, LP_EINVAL, "agv-sim: manufacturer and serial prefix must not hold / + #");
            }
        snprintf(a->fault_topic, sizeof a->fault_topic, "landport-sim/%s/fault", a->serial);
        a->v = lp_vehicle_create(s->manufacturer, a->serial, o->start_x, o->start_y, o->start_node, &o->vehicle);
        mo.host = o->host;
        mo.port = o->port;
        mo.client_id = a->serial;
        mo.on_connect = on_connect;
        mo.on_message = on_message;
        mo.on_disconnect = on_disconnect;
        mo.ud = a;
        if (lp_mqtt_create(base, &mo, &a->m, err) != 0) {
            lp_agvsim_destroy(s);
            return LP_ENOMEM;
        }
        arm_will(a);
    }
    s->tick = event_new(base, -1, EV_PERSIST, on_tick, s);
    *out = s;
    return 0;
}

int lp_agvsim_start(lp_agvsim *s)
{
    struct timeval tv = {s->o.tick_ms / 1000, (s->o.tick_ms % 1000) * 1000};
    double now = lp_monotonic();
    int i, failed = 0;
    s->last_tick = now;
    for (i = 0; i < s->o.count; i++) {
        /* Staggered so the fleet's states spread over the interval. */
        s->agv[i].next_state = now + (double)s->o.state_ms / 1000.0 * i / s->o.count;
        if (lp_mqtt_start(s->agv[i].m) != 0) failed++;
    }
    event_add(s->tick, &tv);
    return failed ? LP_EIO : 0;
}

void lp_agvsim_stop(lp_agvsim *s)
{
    int i;
    event_del(s->tick);
    for (i = 0; i < s->o.count; i++) {
        sim_agv *a = &s->agv[i];
        if (lp_mqtt_connected(a->m)) publish(a, LP_VDA_T_CONNECTION, connection_json(a, LP_VDA_CONN_OFFLINE), 1, 1);
        lp_mqtt_stop(a->m);
    }
}

unsigned long lp_agvsim_sent(const lp_agvsim *s)
{
    unsigned long n = 0;
    int i;
    for (i = 0; i < s->o.count; i++) n += lp_mqtt_sent(s->agv[i].m);
    return n;
}

int lp_agvsim_connected(const lp_agvsim *s)
{
    int i, n = 0;
    for (i = 0; i < s->o.count; i++) n += lp_mqtt_connected(s->agv[i].m);
    return n;
}

void lp_agvsim_destroy(lp_agvsim *s)
{
    int i;
    if (!s) return;
    if (s->tick) event_free(s->tick);
    for (i = 0; i < s->o.count; i++) {
        lp_mqtt_destroy(s->agv[i].m);
        lp_vehicle_destroy(s->agv[i].v);
    }
    lp_free(s->agv);
    lp_free(s);
}

/* mqtt.c - an MQTT session on libmosquitto without its thread: libevent
 * tells us when the socket is readable or writable and we call
 * mosquitto_loop_read / mosquitto_loop_write; a 1 s timer runs
 * mosquitto_loop_misc (keepalive).  After a loss the events are dropped and
 * a timer reconnects with a doubling delay. */
#include "mqtt.h"

#include <event2/event.h>
#include <mosquitto.h>
#include <string.h>
#include <sys/socket.h>

#include "../core/mem.h"

struct lp_mqtt {
    struct event_base *base;
    struct mosquitto *mosq;
    lp_mqtt_opts o;
    char *host, *client_id;
    struct event *ev_read, *ev_write, *ev_misc, *ev_retry;
    int connected;  /* CONNACK received */
    int watching;   /* socket events installed */
    int stopping;   /* lp_mqtt_stop called: no retries */
    int configured; /* mosquitto_connect was called once (host, will, ...) */
    int backoff_ms; /* next retry delay */
    unsigned long sent, received;
};

static void unwatch(lp_mqtt *m)
{
    if (!m->watching) return;
    event_free(m->ev_read);
    event_free(m->ev_write);
    m->ev_read = m->ev_write = NULL;
    m->watching = 0;
}

static void schedule_retry(lp_mqtt *m)
{
    struct timeval tv;
    if (m->stopping) return;
    tv.tv_sec = m->backoff_ms / 1000;
    tv.tv_usec = (m->backoff_ms % 1000) * 1000;
    evtimer_add(m->ev_retry, &tv);
    m->backoff_ms *= 2;
    if (m->backoff_ms > m->o.backoff_max_ms) m->backoff_ms = m->o.backoff_max_ms;
}

/* The connection ended (error, EOF, keepalive, or our own stop). */
static void lost(lp_mqtt *m)
{
    int was = m->connected;
    if (!m->watching && !was) return; /* already handled */
    unwatch(m);
    m->connected = 0;
    if (was && m->o.on_disconnect) m->o.on_disconnect(m, !m->stopping, m->o.ud);
    schedule_retry(m);
}

static void arm_write(lp_mqtt *m)
{
    if (m->watching && mosquitto_want_write(m->mosq)) event_add(m->ev_write, NULL);
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
    lp_mqtt *m = arg;
    (void)fd, (void)what;
    if (mosquitto_loop_read(m->mosq, 1) != MOSQ_ERR_SUCCESS) {
        lost(m);
        return;
    }
    arm_write(m);
}

static void on_write(evutil_socket_t fd, short what, void *arg)
{
    lp_mqtt *m = arg;
    (void)fd, (void)what;
    if (mosquitto_loop_write(m->mosq, 1) != MOSQ_ERR_SUCCESS) {
        lost(m);
        return;
    }
    arm_write(m);
}

static void on_misc(evutil_socket_t fd, short what, void *arg)
{
    lp_mqtt *m = arg;
    (void)fd, (void)what;
    if (!m->watching) return;
    if (mosquitto_loop_misc(m->mosq) != MOSQ_ERR_SUCCESS) {
        lost(m);
        return;
    }
    arm_write(m);
}

static int watch(lp_mqtt *m)
{
    int fd = mosquitto_socket(m->mosq);
    if (fd < 0) return LP_EIO;
    m->ev_read = event_new(m->base, fd, EV_READ | EV_PERSIST, on_read, m);
    m->ev_write = event_new(m->base, fd, EV_WRITE, on_write, m);
    if (!m->ev_read || !m->ev_write) {
        if (m->ev_read) event_free(m->ev_read);
        if (m->ev_write) event_free(m->ev_write);
        m->ev_read = m->ev_write = NULL;
        return LP_ENOMEM;
    }
    m->watching = 1;
    event_add(m->ev_read, NULL);
    arm_write(m);
    return 0;
}

static int connect_now(lp_mqtt *m)
{
    int rc = m->configured ? mosquitto_reconnect(m->mosq)
                           : mosquitto_connect(m->mosq, m->host, m->o.port, m->o.keepalive);
    m->configured = 1;
    if (rc != MOSQ_ERR_SUCCESS || watch(m) != 0) {
        schedule_retry(m);
        return LP_EIO;
    }
    return 0;
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
    lp_mqtt *m = arg;
    (void)fd, (void)what;
    if (m->stopping || m->watching) return;
    connect_now(m);
}

static void cb_connect(struct mosquitto *mosq, void *ud, int rc)
{
    lp_mqtt *m = ud;
    (void)mosq;
    if (rc != 0) return; /* refused: the broker closes, lost() retries */
    m->connected = 1;
    m->backoff_ms = m->o.backoff_min_ms;
    if (m->o.on_connect) m->o.on_connect(m, m->o.ud);
}

static void cb_message(struct mosquitto *mosq, void *ud, const struct mosquitto_message *msg)
{
    lp_mqtt *m = ud;
    (void)mosq;
    m->received++;
    if (m->o.on_message) m->o.on_message(m, msg->topic, msg->payload, (size_t)msg->payloadlen, m->o.ud);
}

/* The library reports a loss from inside loop_read/misc; the events go
 * before it closes the socket. */
static void cb_disconnect(struct mosquitto *mosq, void *ud, int rc)
{
    (void)mosq, (void)rc;
    lost(ud);
}

int lp_mqtt_create(struct event_base *base, const lp_mqtt_opts *o, lp_mqtt **out, lp_err *err)
{
    lp_mqtt *m;
    *out = NULL;
    if (!o->host || !o->client_id) return lp_err_set(err, LP_EINVAL, "mqtt: host and client id are required");
    mosquitto_lib_init();
    m = lp_calloc(1, sizeof *m);
    m->base = base;
    m->o = *o;
    if (!m->o.port) m->o.port = 1883;
    if (!m->o.keepalive) m->o.keepalive = 10;
    if (!m->o.backoff_min_ms) m->o.backoff_min_ms = 250;
    if (!m->o.backoff_max_ms) m->o.backoff_max_ms = 10000;
    m->backoff_ms = m->o.backoff_min_ms;
    m->host = lp_strdup(o->host);
    m->client_id = lp_strdup(o->client_id);
    m->o.host = m->host;
    m->o.client_id = m->client_id;
    m->mosq = mosquitto_new(m->client_id, true, m);
    if (!m->mosq) {
        lp_mqtt_destroy(m);
        return lp_err_set(err, LP_ENOMEM, "mqtt: cannot create a client");
    }
    /* Orders and states are small and latency-bound: without TCP_NODELAY,
     * Nagle's algorithm and the peer's delayed ACK hold some of them ~40 ms. */
    mosquitto_int_option(m->mosq, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_connect_callback_set(m->mosq, cb_connect);
    mosquitto_message_callback_set(m->mosq, cb_message);
    mosquitto_disconnect_callback_set(m->mosq, cb_disconnect);
    m->ev_misc = event_new(base, -1, EV_PERSIST, on_misc, m);
    m->ev_retry = evtimer_new(base, on_retry, m);
    if (!m->ev_misc || !m->ev_retry) {
        lp_mqtt_destroy(m);
        return lp_err_set(err, LP_ENOMEM, "mqtt: cannot create events");
    }
    *out = m;
    return 0;
}

int lp_mqtt_set_will(lp_mqtt *m, const char *topic, const void *payload, size_t len, int qos, int retain)
{
    return mosquitto_will_set(m->mosq, topic, (int)len, payload, qos, retain != 0) == MOSQ_ERR_SUCCESS ? 0 : LP_EINVAL;
}

int lp_mqtt_start(lp_mqtt *m)
{
    struct timeval one = {1, 0};
    m->stopping = 0;
    event_add(m->ev_misc, &one);
    if (m->watching) return 0;
    return connect_now(m);
}

int lp_mqtt_connected(const lp_mqtt *m)
{
    return m->connected;
}

int lp_mqtt_subscribe(lp_mqtt *m, const char *pattern, int qos)
{
    int rc;
    if (!m->watching) return LP_EIO;
    rc = mosquitto_subscribe(m->mosq, NULL, pattern, qos);
    arm_write(m);
    return rc == MOSQ_ERR_SUCCESS ? 0 : LP_EIO;
}

int lp_mqtt_publish(lp_mqtt *m, const char *topic, const void *payload, size_t len, int qos, int retain)
{
    int rc;
    if (!m->connected) return LP_EIO;
    rc = mosquitto_publish(m->mosq, NULL, topic, (int)len, payload, qos, retain != 0);
    if (rc != MOSQ_ERR_SUCCESS) return LP_EIO;
    m->sent++;
    arm_write(m);
    return 0;
}

void lp_mqtt_stop(lp_mqtt *m)
{
    int i;
    if (!m) return;
    m->stopping = 1;
    evtimer_del(m->ev_retry);
    if (m->watching) {
        mosquitto_disconnect(m->mosq);
        /* Flush what is queued (DISCONNECT last) before leaving the loop. */
        for (i = 0; i < 100 && m->watching && mosquitto_want_write(m->mosq); i++)
            if (mosquitto_loop_write(m->mosq, 1) != MOSQ_ERR_SUCCESS) break;
    }
    unwatch(m);
    m->connected = 0;
}

void lp_mqtt_drop(lp_mqtt *m)
{
    int fd = mosquitto_socket(m->mosq);
    if (fd >= 0) shutdown(fd, SHUT_RDWR); /* the read event sees EOF next */
}

unsigned long lp_mqtt_sent(const lp_mqtt *m)
{
    return m->sent;
}

unsigned long lp_mqtt_received(const lp_mqtt *m)
{
    return m->received;
}

void lp_mqtt_destroy(lp_mqtt *m)
{
    if (!m) return;
    m->stopping = 1;
    unwatch(m);
    m->connected = 0;
    if (m->ev_misc) event_free(m->ev_misc);
    if (m->ev_retry) event_free(m->ev_retry);
    if (m->mosq) mosquitto_destroy(m->mosq);
    mosquitto_lib_cleanup();
    lp_free(m->host);
    lp_free(m->client_id);
    lp_free(m);
}

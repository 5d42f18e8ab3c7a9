/* fleet_bench.c - latency figures of the AGV fleet manager (bench/fleet.sh).
 *
 *   lp_bench_fleet ref PORT COUNT      one publisher -> broker -> one subscriber,
 *       one message in flight: "ref <p50 ms> <p99 ms>" of the one-hop latency
 *   lp_bench_fleet watch PORT MANUF N SECS
 *       subscribes to the vehicles' state and order topics for SECS seconds;
 *       for every order update (orderUpdateId > 0, sent by the fleet when a
 *       state released what it waited for) the time since that vehicle's last
 *       state was seen: "watch <states/s> <vehicles seen> <updates> <p50 ms> <p99 ms>"
 * Both hops pass the same broker, so the update latency is state -> broker ->
 * landport -> broker -> here, next to one hop of the reference. */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agv/mqtt.h"
#include "bench_mqtt.h"
#include "agv/vda5050.h"
#include "os/sysclock.h"

#define MAXV 4096
#define MAXL 200000

typedef struct bench {
    struct event_base *base;
    lp_mqtt *pub, *sub;
    double t_sent, last[MAXV];
    double lat[MAXL];
    long nlat, states, count, got;
    int seen[MAXV], nseen;
    char manuf[64];
} bench;

static lp_mqtt *session(bench *b, int port, const char *id,
                        void (*on_msg)(lp_mqtt *, const char *, const void *, size_t, void *))
{
    return bench_session(b->base, port, id, on_msg, b);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(bench *b, double p)
{
    if (!b->nlat) return 0;
    qsort(b->lat, (size_t)b->nlat, sizeof b->lat[0], cmp);
    return b->lat[(long)(p * (double)(b->nlat - 1))] * 1000.0;
}

static void pump(bench *b, double s)
{
    struct timeval tv = {(long)s, (long)((s - (long)s) * 1e6)};
    event_base_loopexit(b->base, &tv);
    event_base_dispatch(b->base);
}

static void ref_msg(lp_mqtt *m, const char *topic, const void *p, size_t len, void *ud)
{
    bench *b = ud;
    (void)m, (void)topic, (void)p, (void)len;
    if (b->nlat < MAXL) b->lat[b->nlat++] = lp_monotonic() - b->t_sent;
    b->got++;
}

static int run_ref(int port, long count)
{
    bench *b = calloc(1, sizeof *b);
    char payload[1100];
    long i;
    memset(payload, 'x', sizeof payload);
    b->base = event_base_new();
    b->sub = session(b, port, "bench-fleet-ref-sub", ref_msg);
    b->pub = session(b, port, "bench-fleet-ref-pub", NULL);
    lp_mqtt_subscribe(b->sub, "bench/fleetref", 0);
    pump(b, 0.2);
    for (i = 0; i < count; i++) {
        double end = lp_monotonic() + 5;
        b->t_sent = lp_monotonic();
        lp_mqtt_publish(b->pub, "bench/fleetref", payload, sizeof payload, 0, 0);
        while (b->got <= i && lp_monotonic() < end) event_base_loop(b->base, EVLOOP_ONCE);
    }
    printf("ref %.3f %.3f\n", pct(b, 0.5), pct(b, 0.99));
    return 0;
}

static int serial_index(const char *serial)
{
    const char *p = serial + strlen(serial);
    while (p > serial && p[-1] >= '0' && p[-1] <= '9') p--;
    return atoi(p) % MAXV;
}

static void watch_msg(lp_mqtt *m, const char *topic, const void *p, size_t len, void *ud)
{
    bench *b = ud;
    char manuf[LP_VDA_ID_MAX], serial[LP_VDA_ID_MAX];
    lp_vda_topic t;
    int v;
    (void)m;
    if (lp_vda_topic_parse(topic, manuf, serial, &t) != 0) return;
    v = serial_index(serial);
    if (t == LP_VDA_T_STATE) {
        b->last[v] = lp_monotonic();
        b->states++;
        if (!b->seen[v]) b->seen[v] = 1, b->nseen++;
    } else if (t == LP_VDA_T_ORDER) {
        lp_vda_order o;
        lp_err err;
        lp_err_init(&err);
        if (lp_vda_order_parse(p, len, &o, &err) != 0) return;
        if (o.order_update_id > 0 && b->last[v] > 0 && b->nlat < MAXL) b->lat[b->nlat++] = lp_monotonic() - b->last[v];
        lp_vda_order_deinit(&o);
    }
}

static int run_watch(int port, const char *manuf, double secs)
{
    bench *b = calloc(1, sizeof *b);
    char pat[128];
    b->base = event_base_new();
    b->sub = session(b, port, "bench-fleet-watch", watch_msg);
    snprintf(pat, sizeof pat, "uagv/v2/%s/+/state", manuf);
    lp_mqtt_subscribe(b->sub, pat, 0);
    snprintf(pat, sizeof pat, "uagv/v2/%s/+/order", manuf);
    lp_mqtt_subscribe(b->sub, pat, 0);
    pump(b, secs);
    printf("watch %.1f %d %ld %.3f %.3f\n", (double)b->states / secs, b->nseen, b->nlat, pct(b, 0.5), pct(b, 0.99));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "ref")) return run_ref(atoi(argv[2]), atol(argv[3]));
    if (argc == 6 && !strcmp(argv[1], "watch")) return run_watch(atoi(argv[2]), argv[3], atof(argv[5]));
    fprintf(stderr, "usage: lp_bench_fleet ref PORT COUNT | watch PORT MANUF N SECS\n");
    return 2;
}

/* mqtt_bench.c - MQTT figures for bench/mqtt.sh, on the project's own MQTT
 * session (src/agv/mqtt.c) and one libevent loop.
 *
 *   lp_bench_mqtt raw PORT COUNT SIZE   one publisher -> broker -> one
 *       subscriber, QoS 0, COUNT messages of SIZE bytes: prints
 *       "raw <msgs/s received> <received> <seconds>"
 *   lp_bench_mqtt sim PORT MANUF N SECS PID   counts the state messages of the
 *       N vehicles of `landport agv-sim --manufacturer MANUF` for SECS
 *       seconds (after all N have reported once): prints
 *       "sim <states/s> <vehicles seen> <vehicles at >= 1 Hz> <max gap ms> <cpu %>",
 *       gaps taken from the states' own timestamps, cpu the share of one
 *       core agv-sim (process PID) used while counting. */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agv/mqtt.h"
#include "bench_mqtt.h"
#include "agv/vda5050.h"
#include "core/mem.h"
#include "os/sysclock.h"
#include "os/vclock.h"

typedef struct bench {
    struct event_base *base;
    lp_mqtt *pub, *sub;
    struct event *pump;
    long count, sent, received;
    size_t size;
    char *payload;
    double t0, t_last;
    /* sim */
    int n, seen, measuring;
    double *last, *gap_max; /* per vehicle, indexed by the serial's number */
    long *states;
    long total;
} bench;

static lp_mqtt *session(bench *b, int port, const char *id,
                        void (*on_msg)(lp_mqtt *, const char *, const void *, size_t, void *))
{
    return bench_session(b->base, port, id, on_msg, b);
}

static void raw_msg(lp_mqtt *m, const char *topic, const void *p, size_t len, void *ud)
{
    bench *b = ud;
    (void)m, (void)topic, (void)p, (void)len;
    b->received++;
    b->t_last = lp_monotonic();
    if (b->received >= b->count) event_base_loopbreak(b->base);
}

/* Publishes in slices so the loop also reads (the subscriber shares it). */
static void raw_pump(evutil_socket_t fd, short what, void *arg)
{
    bench *b = arg;
    struct timeval zero = {0, 0};
    int i;
    (void)fd, (void)what;
    /* A window of 2000 messages in flight: the broker drops QoS 0 messages
     * a subscriber cannot take, and dropped ones would flatter the rate. */
    for (i = 0; i < 200 && b->sent < b->count && b->sent - b->received < 2000; i++, b->sent++)
        lp_mqtt_publish(b->pub, "bench/raw", b->payload, b->size, 0, 0);
    if (b->sent < b->count) event_add(b->pump, i ? &zero : &(struct timeval){0, 1000});
}

static int run_raw(int port, long count, size_t size)
{
    bench b = {0};
    struct event *pump;
    struct timeval zero = {0, 0}, limit = {60, 0};
    b.base = event_base_new();
    b.count = count;
    b.size = size;
    b.payload = lp_malloc(size);
    memset(b.payload, 'x', size);
    b.sub = session(&b, port, "bench-raw-sub", raw_msg);
    b.pub = session(&b, port, "bench-raw-pub", NULL);
    lp_mqtt_subscribe(b.sub, "bench/raw", 0);
    event_base_loopexit(b.base, &(struct timeval){0, 300000}); /* SUBACK */
    event_base_dispatch(b.base);
    pump = b.pump = event_new(b.base, -1, 0, raw_pump, &b);
    event_add(pump, &zero);
    b.t0 = lp_monotonic();
    event_base_loopexit(b.base, &limit);
    event_base_dispatch(b.base);
    printf("raw %.0f %ld %.3f\n", b.received / (b.t_last - b.t0), b.received, b.t_last - b.t0);
    event_free(pump);
    lp_mqtt_destroy(b.pub);
    lp_mqtt_destroy(b.sub);
    lp_free(b.payload);
    event_base_free(b.base);
    return 0;
}

static void sim_msg(lp_mqtt *m, const char *topic, const void *p, size_t len, void *ud)
{
    bench *b = ud;
    char manuf[LP_VDA_ID_MAX], serial[LP_VDA_ID_MAX];
    lp_vda_topic t;
    const char *d, *ts;
    char buf[40];
    int64_t ms;
    double now;
    int k;
    (void)m;
    if (lp_vda_topic_parse(topic, manuf, serial, &t) != 0 || t != LP_VDA_T_STATE) return;
    /* Gaps are measured on the vehicles' own timestamps: what agv-sim
     * does, not how late a loaded machine delivers it. */
    ts = memmem(p, len, "\"timestamp\":\"", 13);
    if (!ts || (size_t)((const char *)p + len - ts) < 13 + 24) return;
    memcpy(buf, ts + 13, 24);
    buf[24] = '\0';
    if (lp_vclock_parse_time(buf, &ms) != 0) return;
    now = ms / 1000.0;
    for (d = serial; *d && (*d < '0' || *d > '9'); d++) {}
    k = atoi(d) - 1;
    if (k < 0 || k >= b->n) return;
    if (b->last[k] == 0) b->seen++;
    else if (b->measuring && now - b->last[k] > b->gap_max[k]) b->gap_max[k] = now - b->last[k];
    b->last[k] = now;
    if (b->measuring) {
        b->states[k]++;
        b->total++;
    }
}

/* utime + stime of pid in seconds, from /proc; -1 if unreadable. */
static double cpu_seconds(int pid)
{
    char path[64], buf[1024], *p;
    unsigned long ut, st;
    FILE *f;
    size_t len;
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    f = fopen(path, "r");
    if (!f) return -1;
    len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    p = strrchr(buf, ')'); /* the command name may hold spaces */
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2) return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int run_sim(int port, const char *manuf, int n, double secs, int pid)
{
    bench b = {0};
    char pattern[128];
    double end, gap = 0, t0, c0, c1;
    struct timeval tv = {0, 50000};
    int k, ok = 0;
    b.base = event_base_new();
    b.n = n;
    b.last = lp_calloc((size_t)n, sizeof *b.last);
    b.gap_max = lp_calloc((size_t)n, sizeof *b.gap_max);
    b.states = lp_calloc((size_t)n, sizeof *b.states);
    b.sub = session(&b, port, "bench-sim-sub", sim_msg);
    snprintf(pattern, sizeof pattern, "uagv/v2/%s/+/state", manuf);
    lp_mqtt_subscribe(b.sub, pattern, 0);
    end = lp_monotonic() + 60;
    while (b.seen < n && lp_monotonic() < end) {
        event_base_loopexit(b.base, &tv);
        event_base_dispatch(b.base);
    }
    /* Warm up: the connect burst is over before counting starts. */
    event_base_loopexit(b.base, &(struct timeval){3, 0});
    event_base_dispatch(b.base);
    b.measuring = 1;
    t0 = lp_monotonic();
    c0 = cpu_seconds(pid);
    event_base_loopexit(b.base, &(struct timeval){(long)secs, (long)((secs - (long)secs) * 1e6)});
    event_base_dispatch(b.base);
    secs = lp_monotonic() - t0;
    c1 = cpu_seconds(pid);
    for (k = 0; k < n; k++) {
        /* At 1 Hz: about one state per second and never 1.5 s of silence. */
        if (b.states[k] >= (long)(secs * 0.9) && b.gap_max[k] < 1.5) ok++;
        if (b.gap_max[k] > gap) gap = b.gap_max[k];
    }
    printf("sim %.0f %d %d %.0f %.1f\n", b.total / secs, b.seen, ok, gap * 1000,
           c0 >= 0 && c1 >= 0 ? 100 * (c1 - c0) / secs : -1.0);
    lp_mqtt_destroy(b.sub);
    lp_free(b.last);
    lp_free(b.gap_max);
    lp_free(b.states);
    event_base_free(b.base);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "raw")) return run_raw(atoi(argv[2]), atol(argv[3]), (size_t)atol(argv[4]));
    if (argc == 7 && !strcmp(argv[1], "sim"))
        return run_sim(atoi(argv[2]), argv[3], atoi(argv[4]), atof(argv[5]), atoi(argv[6]));
    fprintf(stderr, "usage: lp_bench_mqtt raw PORT COUNT SIZE | sim PORT MANUF N SECS PID\n");
    return 2;
}

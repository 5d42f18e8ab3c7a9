/* traffic_bench.c - figures for bench/traffic.sh: traffic control requests
 * and progress reports per second with N vehicles shuttling between the two
 * yards of a road, next to a reference measured in the same run.
 *
 *   lp_bench_traffic ROAD_JSON [TICKS]
 *
 * Each tick every vehicle asks for more of its route (lp_traffic_request),
 * drives 3-8 m within its base and reports its position
 * (lp_traffic_progress); at a yard it takes the route back.  Runs on the
 * given road (road-1088) and on a generated 20 km corridor with 40
 * single-lane blocks.  The reference drives the same vehicles on the same
 * routes with the least any reservation scheme must do: a table of edge
 * locks per direction, lock the next edges ahead, unlock the ones left
 * behind (no blocks, spots, headway or fairness, and no head-on conflicts).
 * Ratio = controller calls/s over reference calls/s. */
#include "core/mem.h"
#include "core/road.h"
#include "core/traffic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOOKAHEAD 400.0

/* CPU time of this thread: the runs are single-threaded and in process, and
 * the machine is shared, so CPU time is steadier than wall time. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long n = -1;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0) n = ftell(f);
    if (n < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    text = lp_malloc((size_t)n + 1);
    *len = fread(text, 1, (size_t)n, f);
    text[*len] = '\0';
    fclose(f);
    return text;
}

/* A corridor: yard, then `blocks` times (two-lane 200 m, single-lane
 * 2 x 150 m with an inner node, passing bay), two-lane 200 m, yard. */
static char *corridor(int blocks)
{
    size_t cap = (size_t)blocks * 800 + 4096, n = 0;
    char *s = lp_malloc(cap);
    double x = 0;
    int b, k = 0;
#define P(...) (n += (size_t)snprintf(s + n, cap - n, __VA_ARGS__))
    P("{\"format\":\"landport-road/1\",\"id\":\"corridor\",\"nodes\":[{\"id\":\"n0\",\"x\":0,\"y\":0,\"kind\":\"parking\"}");
    for (b = 0; b < blocks; b++) {
        P(",{\"id\":\"n%d\",\"x\":%.0f,\"y\":0}", ++k, x += 200);
        P(",{\"id\":\"n%d\",\"x\":%.0f,\"y\":0}", ++k, x += 150);
        P(",{\"id\":\"n%d\",\"x\":%.0f,\"y\":0,\"kind\":\"passing\"}", ++k, x += 150);
    }
    P(",{\"id\":\"n%d\",\"x\":%.0f,\"y\":0,\"kind\":\"parking\"}],\"edges\":[", ++k, x += 200);
    for (b = 0; b < k; b++) {
        int single = b % 3 != 0 && b != k - 1;
        P("%s{\"id\":\"e%d\",\"from\":\"n%d\",\"to\":\"n%d\",\"length_m\":%d,\"speed_kmh\":20,\"lane\":\"%s\"}",
          b ? "," : "", b, b, b + 1, b % 3 == 0 || b == k - 1 ? 200 : 150, single ? "single" : "double");
    }
    P("],\"zones\":[{\"id\":\"china_yard\",\"node\":\"n0\"},{\"id\":\"china_exit\",\"node\":\"n1\"},"
      "{\"id\":\"km0\",\"node\":\"n2\"},{\"id\":\"handover\",\"node\":\"n4\"},{\"id\":\"inspection\",\"node\":\"n4\"},"
      "{\"id\":\"vn_yard\",\"node\":\"n%d\"},{\"id\":\"charging\",\"node\":\"n%d\"}]}", k, k);
#undef P
    return s;
}

typedef struct car {
    int id, home;      /* traffic number; 0 or 1: which yard it starts from */
    int leg;           /* 0: outbound route, 1: back */
    double front, speed;
    int edge_lo, edge_hi; /* reference: route edges locked, [lo, hi) */
} car;

typedef struct run_result {
    double calls, secs, trips;
} run_result;

static void controller(const lp_road *r, const lp_road_route routes[2], int nv, int ticks, run_result *out)
{
    lp_traffic_config cfg = {16, 10, LOOKAHEAD};
    lp_traffic *t = NULL;
    car *c = lp_calloc((size_t)nv, sizeof *c);
    int i, tick, g;
    double t0;
    unsigned seed = 7;
    if (lp_traffic_create(r, &cfg, &t, NULL) != LP_OK) abort();
    memset(out, 0, sizeof *out);
    for (i = 0; i < nv; i++) {
        char name[16];
        snprintf(name, sizeof name, "agv-%d", i);
        c[i].home = i % 2;
        c[i].speed = 3 + (seed = seed * 1103515245 + 12345) % 6;
        if (lp_traffic_vehicle_add(t, name, routes[c[i].home].nodes[0], &c[i].id, NULL) != LP_OK) abort();
        if (lp_traffic_request(t, c[i].id, &routes[c[i].home], 0, &g, NULL) != LP_OK) abort();
    }
    t0 = now_s();
    for (tick = 0; tick < ticks; tick++)
        for (i = 0; i < nv; i++) {
            int r_i = c[i].home ^ c[i].leg;
            const lp_road_route *rt = &routes[r_i];
            lp_traffic_request(t, c[i].id, NULL, tick * 1000, &g, NULL);
            c[i].front += c[i].speed;
            if (c[i].front > lp_road_route_pos(r, rt, g)) c[i].front = lp_road_route_pos(r, rt, g);
            lp_traffic_progress(t, c[i].id, c[i].front);
            out->calls += 2;
            if (g == rt->n - 1 && c[i].front >= rt->length_m) {
                c[i].leg ^= 1;
                c[i].front = 0;
                out->trips++;
                if (lp_traffic_request(t, c[i].id, &routes[c[i].home ^ c[i].leg], tick * 1000, &g, NULL) != LP_OK)
                    abort();
                out->calls++;
            }
        }
    out->secs = now_s() - t0;
    lp_traffic_destroy(t);
    lp_free(c);
}

/* The reference: per-direction edge locks, locked up to LOOKAHEAD ahead and
 * unlocked behind the front. */
static void reference(const lp_road *r, const lp_road_route routes[2], int nv, int ticks, run_result *out)
{
    int *lock = lp_malloc((size_t)r->nedges * 2 * sizeof *lock);
    car *c = lp_calloc((size_t)nv, sizeof *c);
    double *pos[2], t0;
    int i, k, tick;
    unsigned seed = 7;
    memset(out, 0, sizeof *out);
    for (k = 0; k < r->nedges * 2; k++) lock[k] = -1;
    for (k = 0; k < 2; k++) {
        int j;
        pos[k] = lp_calloc((size_t)routes[k].n + 1, sizeof(double));
        for (j = 1; j < routes[k].n; j++) pos[k][j] = pos[k][j - 1] + r->edges[routes[k].edges[j - 1]].length_m;
    }
    for (i = 0; i < nv; i++) {
        c[i].home = i % 2;
        c[i].speed = 3 + (seed = seed * 1103515245 + 12345) % 6;
    }
    t0 = now_s();
    for (tick = 0; tick < ticks; tick++)
        for (i = 0; i < nv; i++) {
            int r_i = c[i].home ^ c[i].leg;
            const lp_road_route *rt = &routes[r_i];
            double end;
            /* request: lock edges ahead while free */
            while (c[i].edge_hi < rt->n - 1 && pos[r_i][c[i].edge_hi] - c[i].front < LOOKAHEAD &&
                   lock[rt->edges[c[i].edge_hi] * 2 + r_i] < 0)
                lock[rt->edges[c[i].edge_hi++] * 2 + r_i] = i;
            end = pos[r_i][c[i].edge_hi];
            c[i].front += c[i].speed;
            if (c[i].front > end) c[i].front = end;
            /* report: unlock edges behind */
            while (c[i].edge_lo < c[i].edge_hi && pos[r_i][c[i].edge_lo + 1] <= c[i].front)
                lock[rt->edges[c[i].edge_lo++] * 2 + r_i] = -1;
            out->calls += 2;
            if (c[i].edge_lo == rt->n - 1) {
                c[i].leg ^= 1;
                c[i].front = 0;
                c[i].edge_lo = c[i].edge_hi = 0;
                out->trips++;
                out->calls++;
            }
        }
    out->secs = now_s() - t0;
    lp_free(pos[0]);
    lp_free(pos[1]);
    lp_free(lock);
    lp_free(c);
}

static void bench(const char *label, const lp_road *r, const int *sizes, int nsizes, int ticks)
{
    lp_road_route routes[2];
    int a = lp_road_zone_node(r, "china_yard"), b = lp_road_zone_node(r, "vn_yard"), k;
    if (lp_road_plan(r, a, b, &routes[0], NULL) != LP_OK || lp_road_plan(r, b, a, &routes[1], NULL) != LP_OK) abort();
    for (k = 0; k < nsizes; k++) {
        run_result tr, rf;
        controller(r, routes, sizes[k], ticks, &tr);
        reference(r, routes, sizes[k], ticks, &rf);
        printf("%-10s %5d vehicles: traffic %9.0f calls/s (%6.0f trips)   reference locks %10.0f calls/s   "
               "ratio %.3f\n",
               label, sizes[k], tr.calls / tr.secs, tr.trips, rf.calls / rf.secs,
               (tr.calls / tr.secs) / (rf.calls / rf.secs));
    }
}

int main(int argc, char **argv)
{
    static const int small[] = {12, 40, 200};
    static const int large[] = {40, 400, 2000};
    lp_road *r = NULL, *c = NULL;
    lp_err err;
    size_t len = 0;
    char *text, *ctext;
    int ticks = argc > 2 ? atoi(argv[2]) : 200000;
    if (argc < 2) {
        fprintf(stderr, "usage: lp_bench_traffic ROAD_JSON [TICKS]\n");
        return 2;
    }
    text = read_text(argv[1], &len);
    lp_err_init(&err);
    if (!text || lp_road_parse(text, len, &r, &err) != LP_OK) {
        fprintf(stderr, "lp_bench_traffic: %s: %s\n", argv[1], text ? err.msg : "cannot read");
        return 1;
    }
    ctext = corridor(40);
    if (lp_road_parse(ctext, strlen(ctext), &c, &err) != LP_OK) {
        fprintf(stderr, "lp_bench_traffic: corridor: %s\n", err.msg);
        return 1;
    }
    printf("%d ticks of 1 s per run (corridor: a quarter); calls = requests + progress reports, "
           "per second of CPU time\n", ticks);
    bench(r->id, r, small, 3, ticks);
    bench("corridor", c, large, 3, ticks / 4);
    lp_road_destroy(r);
    lp_road_destroy(c);
    lp_free(text);
    lp_free(ctext);
    return 0;
}

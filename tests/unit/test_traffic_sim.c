/* test_traffic_sim.c - traffic control under load: a stepping simulation
 * with 12 to 40 vehicles shuttling both ways between the two yards (with
 * stops on the way), random speeds, stalls, lagging reports, sparse
 * requests and lost connections, on road-1088 and on a longer corridor with
 * more blocks, over many seeds.  At every step it asserts:
 *   - no two vehicles of opposite directions on a single-lane stretch;
 *   - vehicles in one lane at least the gap apart;
 *   - every vehicle within its base, on an edge lane and node spots it holds;
 * and that every vehicle finishes its trips (no deadlock), none waits at a
 * block longer than a bound (no starvation), and nothing is held at the end.
 * Positions are metres of chainage along the corridor (node i and i + 1 are
 * joined by edge i in these road files). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/traffic.h"
#include "roadfx.h"

#define LEN 16.0
#define GAP 10.0
#define EPS 1e-6
#define MAXV 40
#define MAX_STEPS 100000

/* A corridor with more blocks than road-1088: a block with two inner nodes,
 * two passing bays in a row, a block of one edge, and a block that ends at
 * the far yard. */
static const char *const corridor =
    "{\"format\":\"landport-road/1\",\"id\":\"corridor\",\"nodes\":["
    "{\"id\":\"A\",\"x\":0,\"y\":0,\"kind\":\"parking\"},{\"id\":\"n1\",\"x\":100,\"y\":0},"
    "{\"id\":\"n2\",\"x\":200,\"y\":0},{\"id\":\"i1\",\"x\":350,\"y\":0},{\"id\":\"i2\",\"x\":500,\"y\":0},"
    "{\"id\":\"P1\",\"x\":650,\"y\":0,\"kind\":\"passing\"},{\"id\":\"P2\",\"x\":800,\"y\":0,\"kind\":\"passing\"},"
    "{\"id\":\"i3\",\"x\":950,\"y\":0},{\"id\":\"n3\",\"x\":1100,\"y\":0},{\"id\":\"n4\",\"x\":1250,\"y\":0},"
    "{\"id\":\"P3\",\"x\":1400,\"y\":0,\"kind\":\"passing\"},{\"id\":\"Z\",\"x\":1600,\"y\":0,\"kind\":\"parking\"}"
    "],\"edges\":["
    "{\"id\":\"e0\",\"from\":\"A\",\"to\":\"n1\",\"length_m\":100,\"speed_kmh\":15,\"lane\":\"double\"},"
    "{\"id\":\"e1\",\"from\":\"n1\",\"to\":\"n2\",\"length_m\":100,\"speed_kmh\":30,\"lane\":\"double\"},"
    "{\"id\":\"e2\",\"from\":\"n2\",\"to\":\"i1\",\"length_m\":150,\"speed_kmh\":20,\"lane\":\"single\"},"
    "{\"id\":\"e3\",\"from\":\"i1\",\"to\":\"i2\",\"length_m\":150,\"speed_kmh\":20,\"lane\":\"single\"},"
    "{\"id\":\"e4\",\"from\":\"i2\",\"to\":\"P1\",\"length_m\":150,\"speed_kmh\":20,\"lane\":\"single\"},"
    "{\"id\":\"e5\",\"from\":\"P1\",\"to\":\"P2\",\"length_m\":150,\"speed_kmh\":20,\"lane\":\"single\"},"
    "{\"id\":\"e6\",\"from\":\"P2\",\"to\":\"i3\",\"length_m\":150,\"speed_kmh\":20,\"lane\":\"single\"},"
    "{\"id\":\"e7\",\"from\":\"i3\",\"to\":\"n3\",\"length_m\":150,\"speed_kmh\":20,\"lane\":\"single\"},"
    "{\"id\":\"e8\",\"from\":\"n3\",\"to\":\"n4\",\"length_m\":150,\"speed_kmh\":30,\"lane\":\"double\"},"
    "{\"id\":\"e9\",\"from\":\"n4\",\"to\":\"P3\",\"length_m\":150,\"speed_kmh\":20,\"lane\":\"single\"},"
    "{\"id\":\"e10\",\"from\":\"P3\",\"to\":\"Z\",\"length_m\":200,\"speed_kmh\":20,\"lane\":\"single\"}"
    "],\"zones\":["
    "{\"id\":\"china_yard\",\"node\":\"A\"},{\"id\":\"china_exit\",\"node\":\"n2\"},{\"id\":\"km0\",\"node\":\"P2\"},"
    "{\"id\":\"handover\",\"node\":\"n3\"},{\"id\":\"inspection\",\"node\":\"n4\"},{\"id\":\"vn_yard\",\"node\":\"Z\"},"
    "{\"id\":\"charging\",\"node\":\"Z\"}]}";

typedef struct simv {
    int id;             /* traffic vehicle number */
    int legs[4], nlegs, leg;
    int trips_left;
    int yard;           /* yard node of the current trip's start */
    double speed;       /* m/s */
    double front;       /* on the current route */
    int stall, dwell, lost;
    int arrived;        /* at the end of a leg, dwelling */
    int waiting, max_wait;
    int done;
} simv;

typedef struct sim {
    const lp_road *r;
    lp_traffic *t;
    int nv, last;       /* vehicles; index of the far yard */
    simv v[MAXV];
    double chain[LP_ROAD_NODES_MAX];
    uint64_t rng;
    long step;
    int max_wait_bound;
} sim;

static uint64_t next(sim *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return s->rng;
}

static double uniform(sim *s)
{
    return (double)(next(s) >> 11) / 9007199254740992.0;
}

static int pick(sim *s, int n)
{
    return (int)(next(s) % (uint64_t)n);
}

static int parking(const sim *s, int n)
{
    return s->r->nodes[n].spots == LP_ROAD_SPOTS_MANY;
}

static void dump(const sim *s)
{
    int i;
    for (i = 0; i < s->nv; i++) {
        lp_traffic_vehicle_state st;
        lp_traffic_vehicle_get(s->t, s->v[i].id, &st);
        print_error("v%d at %s granted %d front %.1f wait block %d lost %d stall %d dwell %d holds %d done %d\n", i,
                    s->r->nodes[st.at_node].id, st.granted, s->v[i].front, st.waiting_block, st.lost,
                    s->v[i].stall, s->v[i].dwell, st.nholds, s->v[i].done);
    }
}

#define CHECK(cond, ...)                                                                            \
    do {                                                                                            \
        if (!(cond)) {                                                                              \
            dump(s);                                                                                \
            fail_msg("step %ld: " __VA_ARGS__);                                                     \
        }                                                                                           \
    } while (0)

/* Plans a trip from the vehicle's yard to the other one with up to two
 * stops at two-spot nodes on the way (never turning round on the road). */
static void plan_trip(sim *s, simv *v)
{
    int to = v->yard == 0 ? s->last : 0, step = to > v->yard ? 1 : -1, n, k = 0;
    for (n = v->yard + step; n != to && k < 2; n += step)
        if (s->r->nodes[n].spots == LP_ROAD_SPOTS_TWO && uniform(s) < 0.15) v->legs[k++] = n;
    v->legs[k++] = to;
    v->nlegs = k;
    v->leg = 0;
}

/* The vehicle has reached the end of its route: next leg or next trip. */
static void next_leg(sim *s, simv *v)
{
    const lp_road_route *cur = lp_traffic_route(s->t, v->id);
    lp_road_route rt;
    int here = cur->nodes[cur->n - 1], g = -1;
    assert_int_equal(lp_traffic_progress(s->t, v->id, v->front), LP_OK);
    if (v->leg == v->nlegs) {
        if (--v->trips_left == 0) {
            v->done = 1;
            return;
        }
        v->yard = here;
        plan_trip(s, v);
    }
    assert_int_equal(lp_road_plan(s->r, here, v->legs[v->leg++], &rt, NULL), LP_OK);
    assert_int_equal(lp_traffic_request(s->t, v->id, &rt, s->step * 1000, &g, NULL), LP_OK);
    v->front = 0;
}

static void move(sim *s, simv *v)
{
    const lp_road_route *rt = lp_traffic_route(s->t, v->id);
    lp_traffic_vehicle_state st;
    double end, before = v->front;
    lp_road_point p;
    int g = -1;
    if (v->lost > 0 && --v->lost == 0) {
        assert_int_equal(lp_traffic_vehicle_found(s->t, v->id), LP_OK);
        assert_int_equal(lp_traffic_progress(s->t, v->id, v->front), LP_OK);
    } else if (v->lost == 0 && uniform(s) < 0.0005) {
        v->lost = 10 + pick(s, 50);
        assert_int_equal(lp_traffic_vehicle_lost(s->t, v->id), LP_OK);
    }
    if (v->stall > 0) v->stall--;
    else if (uniform(s) < 0.01) v->stall = 5 + pick(s, 55);
    assert_int_equal(lp_traffic_vehicle_get(s->t, v->id, &st), LP_OK);
    end = lp_road_route_pos(s->r, rt, st.granted);
    if (st.granted == rt->n - 1 && v->front >= end - EPS) { /* at the leg's end */
        if (!v->arrived) {
            v->arrived = 1;
            v->dwell = parking(s, rt->nodes[rt->n - 1]) ? pick(s, 120) : pick(s, 60);
        }
        if (v->dwell > 0) v->dwell--;
        else if (!v->lost) {
            next_leg(s, v);
            v->arrived = 0;
        }
        v->waiting = 0;
        return;
    }
    if (!v->lost && uniform(s) < 0.7) {
        assert_int_equal(lp_traffic_request(s->t, v->id, NULL, s->step * 1000, &g, NULL), LP_OK);
        end = lp_road_route_pos(s->r, rt, g);
    }
    if (!v->stall) {
        p = lp_road_route_point(s->r, rt, v->front);
        v->front = fmin(v->front + fmin(v->speed, p.edge >= 0 ? s->r->edges[p.edge].speed_mps : v->speed), end);
    }
    if (!v->lost && uniform(s) < 0.6) assert_int_equal(lp_traffic_progress(s->t, v->id, v->front), LP_OK);
    if (v->front == before && !v->stall && !v->lost && v->front >= end - EPS) {
        if (++v->waiting > v->max_wait) v->max_wait = v->waiting;
    } else v->waiting = 0;
}

/* Where a vehicle's body is, in chainage; 0 if it is parked in a yard. */
static int body(const sim *s, const simv *v, double *lo, double *hi, int *dir, double *front)
{
    const lp_road_route *rt = lp_traffic_route(s->t, v->id);
    double c0, sign, f;
    if (v->done || rt->n < 2) return 0;
    if (v->front <= EPS && parking(s, rt->nodes[0])) return 0;
    if (v->front >= rt->length_m - EPS && parking(s, rt->nodes[rt->n - 1])) return 0;
    c0 = s->chain[rt->nodes[0]];
    sign = rt->nodes[1] > rt->nodes[0] ? 1 : -1;
    f = c0 + sign * v->front;
    *dir = lp_traffic_route_dir(s->t, rt, 0);
    *front = f;
    *lo = fmax(fmin(f, f - sign * LEN), 0);
    *hi = fmin(fmax(f, f - sign * LEN), s->chain[s->last]);
    return 1;
}

/* The vehicle stands on what it holds: its front's edge lane (or node
 * spot), and the spot of every node under its body. */
static void check_holds(sim *s, int i, double lo, double hi, int dir)
{
    const simv *v = &s->v[i];
    const lp_road_route *rt = lp_traffic_route(s->t, v->id);
    lp_traffic_vehicle_state st;
    int k;
    assert_int_equal(lp_traffic_vehicle_get(s->t, v->id, &st), LP_OK);
    CHECK(v->front <= lp_road_route_pos(s->r, rt, st.granted) + EPS, "v%d beyond its base", i);
    for (k = 0; k + 1 < rt->n; k++) {
        double a = lp_road_route_pos(s->r, rt, k), b = lp_road_route_pos(s->r, rt, k + 1);
        if (v->front > a + EPS && v->front < b - EPS)
            CHECK(lp_traffic_edge_holder(s->t, rt->edges[k], dir) == v->id, "v%d on edge %s it does not hold", i,
                  s->r->edges[rt->edges[k]].id);
    }
    for (k = 0; k < s->r->nnodes; k++)
        if (!parking(s, k) && s->chain[k] >= lo - EPS && s->chain[k] <= hi + EPS)
            CHECK(lp_traffic_node_holder(s->t, k, dir) == v->id, "v%d over node %s it does not hold", i,
                  s->r->nodes[k].id);
}

typedef struct pos {
    double lo, hi, front;
    int dir, i;
} pos;

static int by_front(const void *a, const void *b)
{
    const pos *x = a, *y = b;
    return (x->front > y->front) - (x->front < y->front);
}

static void check_safety(sim *s)
{
    pos p[MAXV];
    double pocket = LEN + GAP;
    int n = 0, i, b;
    for (i = 0; i < s->nv; i++)
        if (body(s, &s->v[i], &p[n].lo, &p[n].hi, &p[n].dir, &p[n].front)) {
            p[n].i = i;
            check_holds(s, i, p[n].lo, p[n].hi, p[n].dir);
            n++;
        }
    /* one direction per single-lane stretch (the pockets at its ends are
     * the bays where a vehicle leaving the block stands) */
    for (b = 0; b < s->r->nblocks; b++) {
        double a = s->chain[s->r->blocks[b].end[0]], z = s->chain[s->r->blocks[b].end[1]];
        double lo = fmin(a, z) + pocket, hi = fmax(a, z) - pocket;
        int seen = -1;
        for (i = 0; i < n; i++)
            if (p[i].hi > lo && p[i].lo < hi) {
                CHECK(seen < 0 || seen == p[i].dir, "opposite directions in block %d (v%d)", b, p[i].i);
                seen = p[i].dir;
            }
    }
    /* headway: consecutive vehicles of one direction */
    qsort(p, (size_t)n, sizeof *p, by_front);
    for (i = 0; i < n; i++) {
        int j;
        for (j = i + 1; j < n && p[j].dir != p[i].dir; j++) {}
        if (j < n) CHECK(p[j].lo - p[i].hi >= GAP - EPS, "v%d and v%d %.2f m apart", p[i].i, p[j].i, p[j].lo - p[i].hi);
    }
}

static void run(const lp_road *r, int nv, int trips, uint64_t seed)
{
    sim *s = lp_calloc(1, sizeof *s);
    lp_traffic_config cfg = {LEN, GAP, 0};
    const double looks[3] = {0, 200, 600};
    int i, idle = 0;
    char name[16];
    s->r = r;
    s->nv = nv;
    s->rng = seed * 0x9E3779B97F4A7C15u + 1;
    for (i = 0; i + 1 < r->nnodes; i++) {
        assert_true(r->edges[i].from == i && r->edges[i].to == i + 1);
        s->chain[i + 1] = s->chain[i] + r->edges[i].length_m;
    }
    s->last = lp_road_zone_node(r, "vn_yard");
    cfg.lookahead_m = looks[pick(s, 3)];
    assert_int_equal(lp_traffic_create(r, &cfg, &s->t, NULL), LP_OK);
    /* a vehicle may wait for every other one to pass twice, each taking the
     * longest block at walking pace with a stall and a lost spell */
    s->max_wait_bound = nv * 2 * (int)(1200 / 2.0 + 60 + 60);
    for (i = 0; i < nv; i++) {
        simv *v = &s->v[i];
        snprintf(name, sizeof name, "agv-%02d", i);
        v->yard = pick(s, 2) ? 0 : s->last;
        assert_int_equal(lp_traffic_vehicle_add(s->t, name, v->yard, &v->id, NULL), LP_OK);
        v->speed = 2.0 + 6.0 * uniform(s);
        v->trips_left = trips + 1; /* next_leg starts the first trip from the yard */
    }
    for (s->step = 0; s->step < MAX_STEPS; s->step++) {
        int moving = 0, busy = 0, left = 0;
        for (i = 0; i < nv; i++) {
            simv *v = &s->v[(i + (int)s->step) % nv];
            double before = v->front;
            if (v->done) continue;
            left++;
            move(s, v);
            moving += v->front != before;
            busy += v->stall > 0 || (v->arrived && v->dwell > 0) || v->lost > 0;
            CHECK(v->max_wait <= s->max_wait_bound, "v%d waited %d steps", (int)(v - s->v), v->max_wait);
        }
        check_safety(s);
        if (left == 0) break;
        idle = moving || busy ? 0 : idle + 1;
        CHECK(idle < 200, "no vehicle can move: deadlock (seed %llu)", (unsigned long long)seed);
    }
    if (getenv("LP_SIM_VERBOSE")) print_message("seed %llu: %d vehicles, %ld steps, lookahead %.0f\n", (unsigned long long)seed, nv, s->step, cfg.lookahead_m);
    CHECK(s->step < MAX_STEPS, "not all trips done (seed %llu)", (unsigned long long)seed);
    for (i = 0; i < r->nedges; i++)
        CHECK(lp_traffic_edge_holder(s->t, i, 0) < 0 && lp_traffic_edge_holder(s->t, i, 1) < 0, "edge %d held", i);
    for (i = 0; i < r->nblocks; i++) CHECK(lp_traffic_block_dir(s->t, i, NULL) < 0, "block %d held", i);
    lp_traffic_destroy(s->t);
    lp_free(s);
}

static void test_road_1088_many_seeds(void **state)
{
    lp_road *r = lp_test_road("road-1088");
    const int sizes[3] = {12, 24, 40};
    uint64_t seed;
    (void)state;
    for (seed = 1; seed <= 24; seed++) run(r, sizes[seed % 3], 2, seed);
    lp_road_destroy(r);
}

static void test_corridor_many_seeds(void **state)
{
    lp_road *r = NULL;
    uint64_t seed;
    (void)state;
    assert_int_equal(lp_road_parse(corridor, strlen(corridor), &r, NULL), LP_OK);
    assert_int_equal(r->nblocks, 5);
    for (seed = 100; seed < 124; seed++) run(r, seed % 2 ? 16 : 32, 2, seed);
    lp_road_destroy(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_road_1088_many_seeds),
        cmocka_unit_test(test_corridor_many_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

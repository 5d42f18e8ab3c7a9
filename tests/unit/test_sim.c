/* test_sim.c - the scenario reader (src/sim/scenario.c), replications
 * (src/sim/run.c) and the behaviour of the gate and AGV models beyond
 * queueing theory: every field error at once with its JSON pointer, the
 * shipped scenarios load, determinism by seed, the no-show rule of the
 * real queue, lane hours, and the AGV window rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "core/des.h"
#include "core/err.h"
#include "core/simgate.h"
#include "sim/run.h"
#include "sim/scenario.h"

static int has_field(const lp_err *e, const char *pointer)
{
    int i;
    for (i = 0; i < e->nfields; i++)
        if (!strcmp(e->fields[i].pointer, pointer)) return 1;
    return 0;
}

/* Parses text (base directory: the source tree) and returns the error. */
static int parse(const char *text, lp_err *e)
{
    lp_scenario s;
    int rc;
    lp_err_init(e);
    rc = lp_scenario_parse(text, LP_SOURCE_DIR "/scenarios", &s, e);
    lp_scenario_deinit(&s);
    return rc;
}

static void test_scenario_errors(void **state)
{
    lp_scenario s;
    lp_err e;
    (void)state;
    assert_int_equal(parse("[1]", &e), LP_EINVAL);
    assert_true(has_field(&e, ""));
    assert_int_equal(parse("{\"arrivals\": {\"trucks_per_day\": \"many\", \"hourly\": [1, 2]},"
                           " \"lanes\": {\"export\": {\"open\": \"7am\", \"count\": 1.5}},"
                           " \"agencies\": {\"scanner\": {\"service\": {\"dist\": \"gamma\"}}},"
                           " \"agv\": {\"fleet\": 3, \"window\": {\"start\": \"18:30\", \"edn\": 1}},"
                           " \"colour\": 1}",
                           &e),
                     LP_EINVAL);
    /* All at once, each with its pointer. */
    assert_true(has_field(&e, "/arrivals/trucks_per_day"));
    assert_true(has_field(&e, "/arrivals/hourly"));
    assert_true(has_field(&e, "/lanes/export/open"));
    assert_true(has_field(&e, "/lanes/export/count"));
    assert_true(has_field(&e, "/agencies/scanner/service/dist"));
    assert_true(has_field(&e, "/agv/window/edn"));
    assert_true(has_field(&e, "/colour"));
    assert_int_equal(e.nfields, 7);
    assert_int_equal(parse("{\"days\": 0}", &e), LP_EINVAL);
    assert_true(has_field(&e, "/days"));
    /* Types right, ranges wrong: the model's check names the fields. */
    assert_int_equal(parse("{\"mix\": {\"export\": 1.5}, \"channels\": {\"red_permille\": 900,"
                           " \"yellow_permille\": 200}, \"lanes\": {\"import\": {\"count\": 17}},"
                           " \"agv\": {\"window\": {\"start\": \"20:00\", \"end\": \"18:30\"}}}",
                           &e),
                     LP_EINVAL);
    assert_true(has_field(&e, "/mix/export"));
    assert_true(has_field(&e, "/channels"));
    assert_true(has_field(&e, "/lanes/import/count"));
    assert_true(has_field(&e, "/agv/window/end"));
    /* The road file: missing, or a place that is not on it. */
    assert_int_equal(parse("{\"agv\": {\"road\": {\"file\": \"nowhere.json\"}}}", &e), LP_EINVAL);
    assert_true(has_field(&e, "/agv/road/file"));
    assert_int_equal(parse("{\"agv\": {\"road\": {\"file\": \"../data/roads/road-1088.json\","
                           " \"handover\": \"moon\"}}}",
                           &e),
                     LP_EINVAL);
    assert_true(has_field(&e, "/agv/road/handover"));
    assert_int_equal(e.nfields, 1);
    /* Defaults: an empty object is today's gate. */
    lp_err_init(&e);
    assert_int_equal(lp_scenario_parse("{\"agv\": false}", NULL, &s, &e), LP_OK);
    assert_true(s.gate.trucks_per_day == 1500 && s.days == 30 && s.replications == 10 && !s.gate.agv_enabled);
    lp_scenario_deinit(&s);
    lp_err_init(&e);
    assert_int_equal(lp_scenario_load(LP_SOURCE_DIR "/scenarios/nonexistent.json", &s, &e), LP_EIO);
    lp_scenario_deinit(&s);
}

static void test_shipped_scenarios_load(void **state)
{
    DIR *dir = opendir(LP_SOURCE_DIR "/scenarios");
    struct dirent *de;
    int n = 0;
    (void)state;
    assert_non_null(dir);
    while ((de = readdir(dir)) != NULL) {
        char path[1024];
        lp_scenario s;
        lp_err e;
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json")) continue;
        snprintf(path, sizeof path, "%s/scenarios/%s", LP_SOURCE_DIR, de->d_name);
        lp_err_init(&e);
        if (lp_scenario_load(path, &s, &e) != LP_OK)
            print_error("%s: %s %s\n", de->d_name, e.nfields ? e.fields[0].pointer : "", e.nfields ? e.fields[0].msg : e.msg);
        assert_int_equal(e.code, LP_OK);
        lp_scenario_deinit(&s);
        n++;
    }
    closedir(dir);
    assert_true(n >= 4);
}

/* A short run of today's gate: 2 days x 2 replications. */
static lp_simrun *run_today(uint64_t seed, lp_scenario *s)
{
    lp_simrun *r = NULL;
    lp_err e;
    lp_err_init(&e);
    assert_int_equal(lp_scenario_load(LP_SOURCE_DIR "/scenarios/today.json", s, &e), LP_OK);
    s->days = 2;
    s->replications = 2;
    s->seed = seed;
    assert_int_equal(lp_simrun_exec(s, NULL, NULL, &r, &e), LP_OK);
    lp_scenario_deinit(s); /* the run is over: its road may go */
    return r;
}

static void test_determinism(void **state)
{
    lp_scenario s;
    lp_simrun *a = run_today(5, &s), *b = run_today(5, &s), *c = run_today(6, &s);
    int i, same = 1, differ = 0;
    (void)state;
    assert_int_equal(a->nmetrics, b->nmetrics);
    for (i = 0; i < a->nmetrics; i++) {
        same &= !memcmp(a->m[i].v, b->m[i].v, 2 * sizeof(double));
        differ += memcmp(a->m[i].v, c->m[i].v, 2 * sizeof(double)) != 0;
    }
    assert_true(same);
    assert_true(a->events == b->events && a->nsamples == b->nsamples);
    assert_true(!memcmp(a->sample_n, b->sample_n, (size_t)a->nsamples * sizeof(int64_t)));
    assert_true(differ > 10);
    /* Sanity of the figures: today's gate clears what arrives. */
    {
        const lp_simrun_metric *in = lp_simrun_metric_get(a, "arrived_per_day");
        const lp_simrun_metric *out = lp_simrun_metric_get(a, "throughput_per_day");
        assert_non_null(in);
        assert_non_null(out);
        assert_true(in->v[0] > 1300 && in->v[0] < 1700);
        assert_true(out->v[0] > 0.9 * in->v[0]);
        /* Yard fees by the rate table: some trucks stay past the 4 free hours. */
        assert_non_null(lp_simrun_metric_get(a, "yard_fee_mean"));
        assert_true(lp_simrun_metric_get(a, "yard_fee_mean")->v[0] > 0);
    }
    lp_simrun_destroy(a);
    lp_simrun_destroy(b);
    lp_simrun_destroy(c);
}

/* A model on its own engine, for the tests below. */
typedef struct model {
    lp_des *d;
    lp_simgate *g;
} model;

static void model_start(model *m, const lp_simgate_config *c)
{
    assert_int_equal(lp_des_create(0, 99, &m->d), LP_OK);
    assert_int_equal(lp_simgate_create(c, m->d, &m->g, NULL), LP_OK);
}

/* Runs the model to t and returns its statistics then. */
static lp_simgate_stats model_until(model *m, int64_t t)
{
    lp_simgate_stats st;
    lp_des_run_until(m->d, t);
    lp_simgate_stats_get(m->g, &st);
    return st;
}

static void model_end(model *m)
{
    lp_simgate_destroy(m->g);
    lp_des_destroy(m->d);
}

/* Today's gate without warm-up (and without AGVs unless agv). */
static void config(lp_simgate_config *c, int agv)
{
    lp_simgate_config_default(c);
    c->agv_enabled = agv;
    c->warmup_days = 0;
}

/* Drivers who never come: each truck is called no_show_limit times and
 * then removed, by the queue's own rule; nobody crosses. */
static void test_no_show_rule(void **state)
{
    lp_simgate_config c;
    lp_simgate_stats st;
    model m;
    (void)state;
    config(&c, 0);
    c.trucks_per_day = 200;
    c.no_show_prob = 1;
    model_start(&m, &c);
    st = model_until(&m, 3 * LP_SIM_DAY_MS);
    assert_int_equal(st.crossed, 0);
    assert_true(st.removed > 300);
    /* Every removed truck missed exactly twice (the default limit); at most
     * the trucks called at the end (8 lanes x 4 places) missed once more. */
    assert_true(st.no_shows >= 2 * st.removed && st.no_shows <= 2 * st.removed + 2 * 32);
    model_end(&m);
}

/* Lanes open 07:00-22:00: nobody leaves the gate before 07:00 on day 1. */
static void test_lane_hours(void **state)
{
    lp_simgate_config c;
    lp_simgate_stats st;
    model m;
    (void)state;
    config(&c, 0);
    model_start(&m, &c);
    st = model_until(&m, 7 * 3600000 - 1);
    assert_true(st.arrived > 20);
    assert_int_equal(st.crossed, 0);
    st = model_until(&m, 8 * 3600000);
    assert_true(st.crossed > 20);
    model_end(&m);
}

/* The AGV window: more AGVs carry more, never beyond the demand; with a
 * window too short for any mission, none starts. */
static void test_agv(void **state)
{
    lp_simgate_config c;
    lp_simgate_stats st;
    model m;
    int64_t trips[3];
    int fleets[3] = {2, 6, 40}, i;
    (void)state;
    config(&c, 1);
    c.trucks_per_day = 0;
    for (i = 0; i < 3; i++) {
        c.agv.fleet = fleets[i];
        model_start(&m, &c);
        st = model_until(&m, 5 * LP_SIM_DAY_MS);
        assert_int_equal(st.agv.windows, 5);
        trips[i] = st.agv.trips;
        assert_true(st.agv.trips + st.agv.left <= 5 * c.agv.containers_per_window);
        model_end(&m);
    }
    assert_true(trips[0] < trips[1] && trips[1] < trips[2]);
    assert_true(trips[2] <= 5 * 40);
    c.agv.window_end_min = c.agv.window_start_min + 10; /* a mission takes ~30 min */
    model_start(&m, &c);
    st = model_until(&m, 2 * LP_SIM_DAY_MS);
    assert_int_equal(st.agv.trips, 0);
    assert_int_equal(st.agv.left, 2 * 40);
    model_end(&m);
}

/* On road-1088 with the traffic rules: every mission started is delivered
 * by the next morning (no deadlock, nothing lost), more AGVs carry more,
 * and the single-lane blocks make AGVs wait. */
static void test_agv_on_road_file(void **state)
{
    lp_scenario s;
    lp_simgate_stats st;
    lp_err e;
    model m;
    int64_t trips[2];
    int fleets[2] = {3, 12}, i;
    (void)state;
    for (i = 0; i < 2; i++) {
        lp_err_init(&e);
        assert_int_equal(lp_scenario_load(LP_SOURCE_DIR "/scenarios/today.json", &s, &e), LP_OK);
        assert_non_null(s.gate.agv.road);
        s.gate.warmup_days = 0;
        s.gate.trucks_per_day = 0;
        s.gate.agv.fleet = fleets[i];
        model_start(&m, &s.gate);
        st = model_until(&m, 4 * LP_SIM_DAY_MS);
        assert_int_equal(st.agv.windows, 4);
        assert_int_equal(st.agv.trips + st.agv.left, 4 * s.gate.agv.containers_per_window);
        trips[i] = st.agv.trips;
        if (i == 1) assert_true(st.agv.section_waits > 0 && st.agv.section_wait_ms > 0);
        model_end(&m);
        lp_scenario_deinit(&s);
    }
    assert_true(trips[0] > 0 && trips[0] < trips[1]);
}

/* What the demo's traffic generator sees: every truck's steps in order,
 * and the same run whether it is stepped minute by minute (as a clock-
 * driven caller does with lp_des_run_until) or run in one go. */
typedef struct seen {
    int64_t n[LP_SIMGATE_GONE + 1];
    uint64_t digest; /* of every event, in order */
    int64_t last_at;
    int ordered;
} seen;

static void observe(void *ud, const lp_simgate_event *e)
{
    seen *s = ud;
    s->n[e->kind]++;
    if (e->at_ms < s->last_at) s->ordered = 0;
    s->last_at = e->at_ms;
    s->digest = lp_rng_mix(s->digest ^ (uint64_t)e->at_ms ^ ((uint64_t)e->truck << 20) ^ ((uint64_t)e->kind << 60) ^
                           ((uint64_t)(e->lane + 1) << 52));
}

static void run_observed(seen *s, int64_t step_ms)
{
    lp_simgate_config c;
    lp_simgate_stats st;
    model m;
    int64_t t;
    memset(s, 0, sizeof *s);
    s->ordered = 1;
    config(&c, 1);
    model_start(&m, &c);
    lp_simgate_observe(m.g, observe, s);
    for (t = step_ms; t <= 2 * LP_SIM_DAY_MS; t += step_ms) st = model_until(&m, t);
    assert_int_equal(s->n[LP_SIMGATE_YARD], st.arrived);
    assert_int_equal(s->n[LP_SIMGATE_EXIT], st.crossed);
    assert_int_equal(s->n[LP_SIMGATE_GONE], st.removed);
    assert_true(s->n[LP_SIMGATE_CALLED] >= s->n[LP_SIMGATE_GATE]);
    assert_true(s->n[LP_SIMGATE_GATE] >= s->n[LP_SIMGATE_EXIT]);
    assert_true(s->ordered);
    model_end(&m);
}

static void test_observer_and_stepping(void **state)
{
    seen once, stepped;
    (void)state;
    run_observed(&once, 2 * LP_SIM_DAY_MS);
    run_observed(&stepped, 60000);
    assert_true(once.n[LP_SIMGATE_EXIT] > 2000);
    assert_memory_equal(once.n, stepped.n, sizeof once.n);
    assert_true(once.digest == stepped.digest);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_errors), cmocka_unit_test(test_shipped_scenarios_load),
        cmocka_unit_test(test_determinism),     cmocka_unit_test(test_no_show_rule),
        cmocka_unit_test(test_lane_hours),      cmocka_unit_test(test_agv),
        cmocka_unit_test(test_agv_on_road_file), cmocka_unit_test(test_observer_and_stepping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

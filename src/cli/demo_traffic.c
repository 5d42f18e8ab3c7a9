/* demo_traffic.c - the demo's evening of trucks through the API
 * (demo_traffic.h). */
#include "demo_traffic.h"
#include "../core/clock.h"
#include "../core/rng.h"
#include "../core/simgate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_MS INT64_C(60000)
#define HOUR_MS INT64_C(3600000)
#define NOTICE_MS (30 * MIN_MS) /* booking notice the demo sets (lp_demo_setup) */
#define POINT "huunghi-main"
#define YARD "huu-nghi-export"
#define QUEUE "/api/v1/queues/" POINT ":export"
#define SEEN_MAX 4096

enum { T_FILED, T_IN_YARD, T_TO_GATE, T_HELD, T_CROSSING, T_DONE };

typedef struct truck {
    int state, company, lane, bad_seal, excepted, queued;
    long decl;
    int64_t next; /* virtual ms of its next step */
    char plate[16], container[16], seal[16];
} truck;

typedef struct seen_task {
    long id;
    int64_t first; /* virtual ms it was first seen pending */
} seen_task;

struct lp_demo_traffic {
    lp_demo_http *h;
    const lp_demo_cast *c;
    lp_rng rng;
    double rate[24]; /* export trucks per hour, by hour of the gate's day */
    double food;     /* share of loads quarantine must see */
    double except;   /* share of gate passages that open an exception */
    double walkin;   /* share of trucks that come without a booking */
    int64_t next_filing;
    long seq, run_tag;
    truck *trucks;
    size_t n, cap;
    int (*skip)(void *ud, long decl); /* declarations whose tasks others decide */
    void *skip_ud;
    seen_task seen[SEEN_MAX];
    size_t nseen;
    lp_demo_stats st;
};

/* Goods on the road to China in the evening: fruit (quarantine decides),
 * frozen fish (refrigerated, quarantine), laptops, rubber, garments; the first FOOD_GOODS
 * need quarantine. */
#define FOOD_GOODS 3
static const struct {
    const char *hs, *desc;
    double kg, value;
} goods[] = {
    {"08106000", "Sầu riêng tươi / fresh durian", 18500, 950000000},
    {"08109010", "Thanh long tươi / fresh dragon fruit", 17000, 420000000},
    {"03038900", "Cá đông lạnh / frozen fish", 20000, 1150000000},
    {"84713020", "Máy tính xách tay / laptops", 6200, 5400000000},
    {"40012290", "Cao su tự nhiên / natural rubber", 20000, 900000000},
    {"61091010", "Áo phông cotton / cotton T-shirts", 9000, 2100000000},
};

/* The arrival rate by hour and the food share from the simulator's model
 * of the main gate road today (lp_simgate_config_default, the figures of
 * scenarios/today.json): its trucks a day times the export share, spread
 * by its hourly profile; per_hour > 0 scales that profile to per_hour at
 * its busiest hour instead. */
static void profile(lp_demo_traffic *t, double per_hour)
{
    lp_simgate_config c;
    double sum = 0, max = 0;
    int h;
    lp_simgate_config_default(&c);
    for (h = 0; h < 24; h++) {
        sum += c.hourly[h];
        if (c.hourly[h] > max) max = c.hourly[h];
    }
    for (h = 0; h < 24; h++)
        t->rate[h] = per_hour > 0 ? per_hour * c.hourly[h] / max : c.trucks_per_day * c.export_share * c.hourly[h] / sum;
    t->food = c.food_share;
    t->except = c.exception_prob;
    t->walkin = c.walkin_share;
}

/* Trucks per hour at virtual time ms (gate time, +07:00); never 0. */
static double rate_at(const lp_demo_traffic *t, int64_t ms)
{
    double r = t->rate[(ms / 1000 + 7 * 3600) / 3600 % 24];
    return r > 0.01 ? r : 0.01;
}

/* ISO 6346 container number: owner + serial + check digit. */
void lp_demo_container_number(const char *owner, long serial, char out[16])
{
    static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    char s[12];
    long sum = 0;
    int i, v;
    snprintf(s, sizeof s, "%.4s%06ld", owner, serial % 1000000);
    for (i = 0; i < 10; i++) {
        if (isdigit((unsigned char)s[i])) {
            v = s[i] - '0';
        } else {
            v = 10 + (int)(strchr(letters, s[i]) - letters);
            v += v >= 11 ? (v >= 22 ? (v >= 33 ? 3 : 2) : 1) : 0; /* values skip multiples of 11 */
        }
        sum += (long)v << i;
    }
    snprintf(out, 16, "%s%ld", s, sum % 11 % 10);
}

static int64_t minutes(lp_demo_traffic *t, double lo, double hi)
{
    return (int64_t)((lo + (hi - lo) * lp_rng_uniform(&t->rng)) * (double)MIN_MS);
}

lp_demo_traffic *lp_demo_traffic_new(lp_demo_http *h, const lp_demo_cast *cast, double trucks_per_hour,
                                     uint64_t seed, int64_t now_ms)
{
    lp_demo_traffic *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->h = h;
    t->c = cast;
    profile(t, trucks_per_hour);
    lp_rng_seed(&t->rng, seed);
    t->next_filing = now_ms;
    t->run_tag = (long)(time(NULL) % 100000); /* declaration numbers stay unique with --keep */
    return t;
}

void lp_demo_traffic_skip(lp_demo_traffic *t, int (*skip)(void *ud, long decl), void *ud)
{
    t->skip = skip;
    t->skip_ud = ud;
}

void lp_demo_traffic_free(lp_demo_traffic *t)
{
    if (!t) return;
    free(t->trucks);
    free(t);
}

static truck *add_truck(lp_demo_traffic *t)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        truck *a = realloc(t->trucks, cap * sizeof *a);
        if (!a) return NULL;
        t->trucks = a;
        t->cap = cap;
    }
    memset(&t->trucks[t->n], 0, sizeof t->trucks[0]);
    return &t->trucks[t->n++];
}

#define json_id lp_demo_json_long
#define json_str lp_demo_json_str

/* A company registers a new truck and files its declaration; it comes to
 * the yard at arrive.  With book it books the hour of its arrival, or the
 * first hour after it that the booking notice still allows (the truck is
 * then early for its slot and waits in the booked class). */
static void file_one(lp_demo_traffic *t, int64_t now, int64_t arrive, int book)
{
    truck *k = add_truck(t);
    const char *tok;
    char when[40];
    cJSON *j = NULL;
    long vehicle, st, seq;
    int g;

    if (!k) return;
    seq = ++t->seq;
    k->company = (int)lp_rng_below(&t->rng, LP_DEMO_COMPANIES);
    tok = t->c->company_token[k->company];
    g = lp_rng_uniform(&t->rng) < t->food ? (int)lp_rng_below(&t->rng, FOOD_GOODS)
                                          : FOOD_GOODS + (int)lp_rng_below(&t->rng, sizeof goods / sizeof goods[0] - FOOD_GOODS);
    snprintf(k->plate, sizeof k->plate, "12C-%03ld.%02ld", (t->run_tag * 7 + seq) / 100 % 1000,
             (t->run_tag * 7 + seq) % 100);
    lp_demo_container_number(seq % 2 ? "CSQU" : "TCNU", t->run_tag * 10 + seq, k->container);
    snprintf(k->seal, sizeof k->seal, "VN%08ld", (t->run_tag * 1000 + seq) % 100000000);
    k->bad_seal = lp_rng_uniform(&t->rng) < t->except;
    st = lp_demo_http_call(t->h, "POST", "/api/v1/vehicles", tok, &j,
                           "{\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"%s\",\"max_gross_kg\":40000}",
                           k->plate);
    vehicle = st == 201 ? json_id(j, "id") : 0;
    cJSON_Delete(j);
    if (vehicle <= 0) {
        t->n--;
        return;
    }
    lp_time_format(arrive, when, sizeof when);
    st = lp_demo_http_call(
        t->h, "POST", "/api/v1/declarations", tok, &j,
        "{\"number\":\"3%05ld%06ld\",\"direction\":\"export\",\"crossing_point_id\":\"" POINT "\","
        "\"transport\":\"truck\",\"vehicle_id\":%ld,\"driver_id\":%ld,\"expected_arrival\":\"%s\",\"currency\":\"VND\","
        "\"containers\":[{\"number\":\"%s\",\"seals\":[\"%s\"]}],"
        "\"goods\":[{\"hs_code\":\"%s\",\"description\":\"%s\",\"packages\":800,\"gross_weight_kg\":%.0f,"
        "\"value\":%.0f,\"origin\":\"VN\"}],\"totals\":{\"packages\":800,\"gross_weight_kg\":%.0f,\"value\":%.0f}}",
        t->run_tag, seq % 1000000, vehicle, t->c->driver_id[k->company], when, k->container, k->seal, goods[g].hs,
        goods[g].desc, goods[g].kg, goods[g].value, goods[g].kg, goods[g].value);
    k->decl = st == 201 ? json_id(j, "id") : 0;
    if (k->decl > 0) {
        const char *ch = json_str(j, "channel");
        t->st.filed++;
        if (!strcmp(ch, "red")) t->st.red++;
        else if (!strcmp(ch, "yellow")) t->st.yellow++;
        else t->st.green++;
    }
    cJSON_Delete(j);
    if (k->decl <= 0) {
        t->n--;
        return;
    }
    if (book) {
        int64_t slot = arrive - arrive % HOUR_MS; /* gate hours are UTC hours: +07:00 */
        while (slot - now < NOTICE_MS) slot += HOUR_MS;
        lp_time_format(slot, when, sizeof when);
        st = lp_demo_http_call(t->h, "POST", "/api/v1/bookings", tok, &j,
                               "{\"declaration_id\":%ld,\"slot\":\"%s\"}", k->decl, when);
        if (st == 201) t->st.booked++; /* else (a full hour) it comes as a walk-in */
        cJSON_Delete(j);
    }
    k->state = T_FILED;
    k->next = arrive;
}

/* The yard's ANPR at gate ("entry"/"exit") reads k; returns the outcome's
 * first letter ('a'dmitted, 'e'xited, ...) or 0. */
static char yard_read(lp_demo_traffic *t, const truck *k, const char *gate)
{
    cJSON *j = NULL;
    char o = 0;
    if (lp_demo_http_call(t->h, "POST", "/api/v1/yard-reads", t->c->token[LP_DEMO_R_DEVICE], &j,
                          "{\"yard_id\":\"" YARD "\",\"gate\":\"%s\",\"plate\":{\"text\":\"%s\",\"confidence\":%d}}",
                          gate, k->plate, 940 + (int)lp_rng_below(&t->rng, 60)) == 201)
        o = json_str(j, "outcome")[0];
    cJSON_Delete(j);
    return o;
}

/* The gate device's readings of k at lane. */
static void gate_passage(lp_demo_traffic *t, truck *k, int lane, int64_t now)
{
    cJSON *j = NULL;
    long st = lp_demo_http_call(
        t->h, "POST", "/api/v1/gate-passages", t->c->token[LP_DEMO_R_DEVICE], &j,
        "{\"crossing_point_id\":\"" POINT "\",\"lane\":%d,\"plate\":{\"text\":\"%s\",\"confidence\":%d},"
        "\"containers\":[{\"number\":\"%s\",\"confidence\":950}],\"seals\":[\"%s%s\"],\"gross_weight_kg\":%d}",
        lane, k->plate, 950 + (int)lp_rng_below(&t->rng, 50), k->container, k->bad_seal ? "VN9" : "",
        k->bad_seal ? k->seal + 3 : k->seal, 30000 + (int)lp_rng_below(&t->rng, 5000));
    if (st == 201 && !strcmp(json_str(j, "decision"), "open")) {
        k->state = T_CROSSING;
        k->next = now + minutes(t, 2, 4); /* the road from the gate to km 0 */
    } else {
        if (st == 201 && json_id(j, "exception_task_id") > 0 && !k->excepted) {
            k->excepted = 1;
            t->st.exceptions++;
        }
        k->state = T_HELD;
        k->next = now + minutes(t, 6, 10);
    }
    cJSON_Delete(j);
}

static void step_truck(lp_demo_traffic *t, truck *k, int64_t now)
{
    char path[96];
    cJSON *j = NULL;
    switch (k->state) {
    case T_FILED:
        if (yard_read(t, k, "entry") == 'a') {
            k->state = T_IN_YARD;
            k->next = INT64_MAX; /* until the queue calls it */
        } else {
            k->state = T_DONE;
            t->st.refused++;
        }
        break;
    case T_TO_GATE:
    case T_HELD:
        gate_passage(t, k, k->lane, now);
        break;
    case T_CROSSING:
        snprintf(path, sizeof path, "/api/v1/declarations/%ld/exit", k->decl);
        if (lp_demo_http_call(t->h, "POST", path, t->c->token[LP_DEMO_R_DEVICE], &j, NULL) == 200) {
            k->state = T_DONE;
            t->st.crossed++;
        } else {
            k->next = now + 5 * MIN_MS;
        }
        cJSON_Delete(j);
        break;
    default:
        break;
    }
}

static int same_plate(const char *a, const char *b)
{
    for (;; a++, b++) {
        while (*a && !isalnum((unsigned char)*a)) a++;
        while (*b && !isalnum((unsigned char)*b)) b++;
        if (toupper((unsigned char)*a) != toupper((unsigned char)*b)) return 0;
        if (!*a) return 1;
    }
}

/* Whether k's declaration is cleared (all agencies agreed); asked at most
 * every two minutes of virtual time per truck. */
static int cleared(lp_demo_traffic *t, truck *k, int64_t now)
{
    char path[64];
    cJSON *j = NULL;
    int ok = 0;
    if (k->next > now && k->next != INT64_MAX) return 0;
    snprintf(path, sizeof path, "/api/v1/declarations/%ld", k->decl);
    if (lp_demo_http_call(t->h, "GET", path, t->c->token[LP_DEMO_R_OPERATOR], &j, NULL) == 200)
        ok = !strcmp(json_str(j, "status"), "cleared");
    cJSON_Delete(j);
    k->next = ok ? INT64_MAX : now + 2 * MIN_MS;
    return ok;
}

/* k leaves the yard for the gate lane it was called to. */
static void leave_yard(lp_demo_traffic *t, truck *k, int lane, int64_t now)
{
    yard_read(t, k, "exit");
    k->state = T_TO_GATE;
    k->next = now + minutes(t, 3, 6);
    k->lane = lane < 1 ? 1 : lane;
}

/* Reads the export queue: a called truck whose declaration is cleared
 * leaves the yard for its lane (one still waiting for an officer stays and
 * misses its turn, as the no-show rule says).  A truck the queue dropped
 * after missing its turns goes to lane 1 once cleared. */
static void poll_queue(lp_demo_traffic *t, int64_t now)
{
    cJSON *j = NULL;
    const cJSON *e;
    size_t i;
    long waiting = 0;
    if (lp_demo_http_call(t->h, "GET", QUEUE, t->c->token[LP_DEMO_R_OPERATOR], &j, NULL) != 200) {
        cJSON_Delete(j);
        return;
    }
    for (i = 0; i < t->n; i++) t->trucks[i].queued = 0;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "entries")) {
        int called = !strcmp(json_str(e, "state"), "called");
        waiting += !called;
        for (i = 0; i < t->n; i++) {
            truck *k = &t->trucks[i];
            if (k->state != T_IN_YARD || !same_plate(k->plate, json_str(e, "plate"))) continue;
            k->queued = 1;
            if (called && cleared(t, k, now)) leave_yard(t, k, (int)json_id((cJSON *)e, "lane"), now);
            break;
        }
    }
    for (i = 0; i < t->n; i++) {
        truck *k = &t->trucks[i];
        if (k->state == T_IN_YARD && !k->queued && cleared(t, k, now)) leave_yard(t, k, 1, now);
    }
    t->st.waiting = waiting;
    cJSON_Delete(j);
}

/* When a pending task was first seen; remembers it if new. */
static int64_t first_seen(lp_demo_traffic *t, long id, int64_t now)
{
    size_t i;
    for (i = 0; i < t->nseen; i++)
        if (t->seen[i].id == id) return t->seen[i].first;
    if (t->nseen == SEEN_MAX) { /* forget the oldest half: those were decided long ago */
        memmove(t->seen, t->seen + SEEN_MAX / 2, (SEEN_MAX / 2) * sizeof t->seen[0]);
        t->nseen = SEEN_MAX / 2;
    }
    t->seen[t->nseen].id = id;
    t->seen[t->nseen].first = now;
    t->nseen++;
    return now;
}

/* Why an officer approves a task of this kind, as they would write it. */
static const char *reason_for(int role, const char *kind)
{
    if (!strcmp(kind, "gate_exception")) return "seal checked on site and re-recorded under customs supervision";
    if (role == LP_DEMO_R_QUARANTINE) return "phytosanitary certificate and sample checked";
    if (role == LP_DEMO_R_BORDER_GUARD) return "driver and vehicle documents checked";
    if (strstr(kind, "physical") || strstr(kind, "inspect")) return "physical inspection done, goods as declared";
    return "documents checked, consistent with the declaration";
}

/* Each agency's officer decides its pending tasks some 8-25 minutes (of
 * virtual time) after they appear: documents quickly, inspections slower. */
static void officers(lp_demo_traffic *t, int64_t now)
{
    static const int roles[] = {LP_DEMO_R_CUSTOMS, LP_DEMO_R_QUARANTINE, LP_DEMO_R_BORDER_GUARD};
    size_t r;
    for (r = 0; r < sizeof roles / sizeof roles[0]; r++) {
        cJSON *j = NULL, *d = NULL;
        const cJSON *task;
        const char *tok = t->c->token[roles[r]];
        if (lp_demo_http_call(t->h, "GET", "/api/v1/tasks?state=pending&limit=100", tok, &j, NULL) != 200) {
            cJSON_Delete(j);
            continue;
        }
        cJSON_ArrayForEach(task, cJSON_GetObjectItem(j, "items")) {
            long id = json_id((cJSON *)task, "id");
            const char *kind = json_str(task, "kind");
            int64_t wait = (strstr(kind, "physical") || strstr(kind, "inspect") ? 25 : 8) * MIN_MS;
            char path[64];
            if (t->skip && t->skip(t->skip_ud, json_id(task, "declaration_id"))) continue;
            if (id <= 0 || now - first_seen(t, id, now) < wait + (id % 7) * MIN_MS) continue;
            snprintf(path, sizeof path, "/api/v1/tasks/%ld/decision", id);
            if (lp_demo_http_call(t->h, "POST", path, tok, &d, "{\"decision\":\"approve\",\"reason\":\"%s\"}",
                                  reason_for(roles[r], kind)) == 200)
                t->st.decided++;
            cJSON_Delete(d);
            d = NULL;
        }
        cJSON_Delete(j);
    }
}

void lp_demo_traffic_step(lp_demo_traffic *t, int64_t now, int poll)
{
    size_t i;
    /* Arrivals: the first trucks come within minutes, booked for the first
     * hour they can (early); each filing after that is the next of a Poisson
     * process at the hour's rate, booked 40-130 minutes ahead, except the
     * simulator's share of walk-ins, which come 10-60 minutes after filing. */
    while (t->next_filing <= now) {
        int walk_in = t->seq >= 8 && lp_rng_uniform(&t->rng) < t->walkin;
        int64_t lead = t->seq < 8 ? minutes(t, 1, 6) : walk_in ? minutes(t, 10, 60) : minutes(t, 40, 130);
        file_one(t, now, now + lead, !walk_in);
        t->next_filing += (int64_t)lp_rng_exp(&t->rng, 3600000.0 / rate_at(t, t->next_filing));
    }
    for (i = 0; i < t->n; i++)
        if (t->trucks[i].state != T_DONE && t->trucks[i].state != T_IN_YARD && t->trucks[i].next <= now)
            step_truck(t, &t->trucks[i], now);
    if (poll) {
        poll_queue(t, now);
        officers(t, now);
    }
}

void lp_demo_traffic_stats(const lp_demo_traffic *t, lp_demo_stats *s)
{
    size_t i;
    *s = t->st;
    s->in_yard = s->to_gate = 0;
    for (i = 0; i < t->n; i++) {
        int st = t->trucks[i].state;
        if (st == T_IN_YARD) s->in_yard++;
        else if (st == T_TO_GATE || st == T_HELD || st == T_CROSSING) s->to_gate++;
    }
}

/* demo_agv.c - the demo's AGV evening on road 1088 through the API
 * (demo_agv.h). */
#include "demo_agv.h"
#include "demo_agvdecl.h"
#include "../core/rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_MS INT64_C(60000)
#define POINT "road-1088"
#define MAX_WIN 8
#define MAX_PAGES 20
#define MAX_EVENTS 16

enum { L_FILED, L_DRIVING, L_RETURN_DUE, L_DONE };

/* One crossing: an import load with its declaration, or an empty return. */
typedef struct load {
    int state, ret, cleared, released, held, goods;
    long decl, mission;
    int64_t clear_at, held_since, inspect_ms, next_try, due;
    double dist_m;
} load;

struct lp_demo_agv {
    lp_demo_http *h;
    const lp_demo_cast *c;
    lp_rng rng;
    int manual, nwin, open_min[MAX_WIN], close_min[MAX_WIN];
    char windows[96], cn_node[32], vn_node[32], charge_node[32];
    int needs_clear;  /* the fleet refused a mission for an uncleared declaration */
    int decl_number;  /* the fleet takes declaration_id as a JSON number */
    int idle_cn, idle_vn, idle_charge;
    char events[MAX_EVENTS][LP_DEMO_AGV_EVENT]; /* lines not yet taken, oldest first */
    int nevents;
    int64_t now, note_until; /* virtual time of this step; the note is shown until note_until */
    int64_t next_filing, next_depart, window_retry;
    long seq, run_tag;
    load *l;
    size_t n, cap;
    lp_demo_agv_stats st;
};

static int64_t minutes(lp_demo_agv *a, double lo, double hi)
{
    return (int64_t)((lo + (hi - lo) * lp_rng_uniform(&a->rng)) * (double)MIN_MS);
}

/* Minute of the day at the gate (+07:00). */
static int gate_min(int64_t ms)
{
    return (int)((ms / 1000 + 7 * 3600) / 60 % 1440);
}

/* Whether now is inside a window widened by before and narrowed by after
 * minutes at its ends. */
static int in_window(const lp_demo_agv *a, int64_t now, int before, int after)
{
    int m = gate_min(now), i;
    for (i = 0; i < a->nwin; i++) {
        int o = a->open_min[i] - before, c = a->close_min[i] - after;
        if (o <= c ? m >= o && m < c : m >= o || m < c) return 1;
    }
    return 0;
}

static int hhmm(const char *s)
{
    int h, m;
    return s && sscanf(s, "%d:%d", &h, &m) == 2 && h >= 0 && h < 24 && m >= 0 && m < 60 ? h * 60 + m : -1;
}

/* The AGV windows of road-1088 (18:30-20:00 when it cannot be read). */
static void read_windows(lp_demo_agv *a)
{
    cJSON *j = NULL;
    const cJSON *w;
    size_t len = 0;
    a->nwin = 0;
    if (lp_demo_http_call(a->h, "GET", "/api/v1/crossing-points/" POINT, a->c->token[LP_DEMO_R_OPERATOR], &j,
                          NULL) == 200)
        cJSON_ArrayForEach(w, cJSON_GetObjectItem(j, "agv_windows")) {
            int o = hhmm(lp_demo_json_str(w, "open")), c = hhmm(lp_demo_json_str(w, "close"));
            if (o < 0 || c < 0 || a->nwin == MAX_WIN) continue;
            a->open_min[a->nwin] = o;
            a->close_min[a->nwin++] = c;
        }
    cJSON_Delete(j);
    if (!a->nwin) {
        a->open_min[0] = 18 * 60 + 30;
        a->close_min[0] = 20 * 60;
        a->nwin = 1;
    }
    for (int i = 0; i < a->nwin && len + 16 < sizeof a->windows; i++)
        len += (size_t)snprintf(a->windows + len, sizeof a->windows - len, "%s%02d:%02d-%02d:%02d", i ? ", " : "",
                                a->open_min[i] / 60, a->open_min[i] % 60, a->close_min[i] / 60, a->close_min[i] % 60);
}

/* The road from the fleet: j (caller frees) or NULL. */
static cJSON *get_road(lp_demo_http *h, const char *token)
{
    cJSON *j = NULL;
    if (lp_demo_http_call(h, "GET", "/api/v1/road", token, &j, NULL) == 200) return j;
    cJSON_Delete(j);
    return NULL;
}

/* The node id of zone in road into out (32 bytes); 0 or -1. */
static int zone_node(const cJSON *road, const char *zone, char out[32])
{
    const cJSON *z;
    cJSON_ArrayForEach(z, cJSON_GetObjectItem(road, "zones")) {
        if (strcmp(lp_demo_json_str(z, "id"), zone)) continue;
        snprintf(out, 32, "%s", lp_demo_json_str(z, "node"));
        return out[0] ? 0 : -1;
    }
    return -1;
}

int lp_demo_agv_yard(lp_demo_http *h, const char *token, char node[32], double *x, double *y)
{
    cJSON *road = get_road(h, token);
    const cJSON *n;
    int rc = -1;
    if (road && zone_node(road, "china_yard", node) == 0)
        cJSON_ArrayForEach(n, cJSON_GetObjectItem(road, "nodes")) {
            if (strcmp(lp_demo_json_str(n, "id"), node)) continue;
            *x = cJSON_GetNumberValue(cJSON_GetObjectItem(n, "x"));
            *y = cJSON_GetNumberValue(cJSON_GetObjectItem(n, "y"));
            rc = 0;
        }
    cJSON_Delete(road);
    return rc;
}

lp_demo_agv *lp_demo_agv_new(lp_demo_http *h, const lp_demo_cast *cast, uint64_t seed, int manual_release)
{
    lp_demo_agv *a = calloc(1, sizeof *a);
    cJSON *road;
    if (!a) return NULL;
    a->h = h;
    a->c = cast;
    a->manual = manual_release;
    lp_rng_seed(&a->rng, seed ^ UINT64_C(0xa6e5));
    a->run_tag = (long)(time(NULL) % 100000); /* declaration numbers stay unique with --keep */
    read_windows(a);
    road = get_road(h, cast->token[LP_DEMO_R_OPERATOR]);
    if (!road || zone_node(road, "china_yard", a->cn_node) || zone_node(road, "vn_yard", a->vn_node))
        snprintf(a->st.note, sizeof a->st.note, "the AGV fleet does not answer: no AGV missions");
    else
        zone_node(road, "charging", a->charge_node); /* "" when the road has no charger */
    cJSON_Delete(road);
    return a;
}

void lp_demo_agv_free(lp_demo_agv *a)
{
    if (!a) return;
    free(a->l);
    free(a);
}

const char *lp_demo_agv_windows(const lp_demo_agv *a)
{
    return a->windows;
}

static load *add_load(lp_demo_agv *a)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        load *l = realloc(a->l, cap * sizeof *l);
        if (!l) return NULL;
        a->l = l;
        a->cap = cap;
    }
    memset(&a->l[a->n], 0, sizeof a->l[0]);
    return &a->l[a->n++];
}

/* Queues a line for the terminal: "hh:mm <agv> <what>" (gate time). */
static void event(lp_demo_agv *a, const char *agv, const char *what)
{
    int64_t s = a->now / 1000 + 7 * 3600;
    if (a->nevents == MAX_EVENTS) { /* nobody reads them: keep the newest */
        memmove(a->events[0], a->events[1], (MAX_EVENTS - 1) * sizeof a->events[0]);
        a->nevents--;
    }
    snprintf(a->events[a->nevents++], LP_DEMO_AGV_EVENT, "%02d:%02d %.16s %.90s", (int)(s / 3600 % 24),
             (int)(s / 60 % 60), agv, what);
}

int lp_demo_agv_take_event(lp_demo_agv *a, char *out, size_t n)
{
    if (!a || !a->nevents) return 0;
    snprintf(out, n, "%s", a->events[0]);
    memmove(a->events[0], a->events[1], (size_t)(a->nevents - 1) * sizeof a->events[0]);
    a->nevents--;
    return 1;
}

/* Says what for the next ten minutes of virtual time. */
static void note(lp_demo_agv *a, const char *what)
{
    snprintf(a->st.note, sizeof a->st.note, "%.95s", what);
    a->note_until = a->now + 10 * MIN_MS;
}

/* An importer of the cast files a load's declaration; most are cleared
 * within minutes, one in four waits a quarter of an hour for customs. */
static void file_load(lp_demo_agv *a, int64_t now)
{
    load *l = add_load(a);
    char why[96];
    if (!l) return;
    a->seq++;
    l->goods = (int)lp_rng_below(&a->rng, LP_DEMO_AGV_GOODS);
    l->decl = lp_demo_agv_file(a->h, a->c, a->run_tag, a->seq, (int)lp_rng_below(&a->rng, 2), l->goods, now, why,
                               sizeof why);
    if (l->decl <= 0) {
        note(a, why);
        a->n--;
        return;
    }
    a->st.filed++;
    l->state = L_FILED;
    l->clear_at = now + (lp_rng_uniform(&a->rng) < 0.25 ? minutes(a, 12, 20) : minutes(a, 1, 4));
}

/* Counts the idle vehicles in each yard (every page of GET /agvs). */
static void read_agvs(lp_demo_agv *a)
{
    char path[128] = "/api/v1/agvs", cursor[80];
    int page;
    a->idle_cn = a->idle_vn = a->idle_charge = 0;
    for (page = 0; page < MAX_PAGES && path[0]; page++) {
        cJSON *j = NULL;
        const cJSON *v;
        if (lp_demo_http_call(a->h, "GET", path, a->c->token[LP_DEMO_R_OPERATOR], &j, NULL) != 200) {
            cJSON_Delete(j);
            return;
        }
        cJSON_ArrayForEach(v, cJSON_GetObjectItem(j, "items")) {
            const char *at = lp_demo_json_str(cJSON_GetObjectItem(v, "position"), "last_node");
            if (strcmp(lp_demo_json_str(v, "state"), "idle")) continue;
            a->idle_cn += !strcmp(at, a->cn_node);
            a->idle_vn += !strcmp(at, a->vn_node);
            a->idle_charge += a->charge_node[0] && !strcmp(at, a->charge_node);
        }
        /* a paged list says where the next page starts */
        snprintf(cursor, sizeof cursor, "%s", lp_demo_json_str(j, "next_cursor"));
        if (!cursor[0]) snprintf(cursor, sizeof cursor, "%s", lp_demo_json_str(j, "next"));
        path[0] = '\0';
        if (cursor[0] && strspn(cursor, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~") ==
                             strlen(cursor))
            snprintf(path, sizeof path, "/api/v1/agvs?cursor=%s", cursor);
        cJSON_Delete(j);
    }
}

/* Posts l's mission from -> to as the operator; the HTTP status.  A 409 is
 * the fleet saying "not now": noted, and the caller tries again later. */
static long post_mission(lp_demo_agv *a, load *l, const char *from, const char *to, int64_t now)
{
    cJSON *j = NULL;
    const char *tok = a->c->token[LP_DEMO_R_OPERATOR], *detail;
    long st;
    char decl[40] = "";
    if (l->decl > 0)
        snprintf(decl, sizeof decl, a->decl_number ? ",\"declaration_id\":%ld" : ",\"declaration_id\":\"%ld\"",
                 l->decl);
    st = lp_demo_http_call(a->h, "POST", "/api/v1/agv-missions", tok, &j, "{\"from\":\"%s\",\"to\":\"%s\"%s}", from,
                           to, decl);
    if (st == 400 && decl[0] && !a->decl_number) { /* a fleet that takes the id as a number */
        cJSON_Delete(j);
        a->decl_number = 1;
        return post_mission(a, l, from, to, now);
    }
    detail = lp_demo_json_str(j, "detail");
    if (st == 201) {
        char what[96];
        l->mission = lp_demo_json_long(j, "id");
        l->state = L_DRIVING;
        a->next_depart = now + minutes(a, 1.5, 3);
        if (l->ret) snprintf(what, sizeof what, "leaves the %s empty for the China yard (mission %ld)",
                             strcmp(from, "vn_yard") ? "charging station" : "Vietnamese yard", l->mission);
        else snprintf(what, sizeof what, "leaves the China yard with %.40s (mission %ld)",
                      lp_demo_agv_goods_name(l->goods), l->mission);
        event(a, lp_demo_json_str(j, "agv"), what);
    } else if (st == 409 && strstr(detail, "not cleared")) {
        a->needs_clear = 1;
        if (!l->cleared) note(a, "an AGV waits in the yard for customs clearance (409)");
        l->cleared = 0; /* decided again, the border guard's task too */
    } else if (st == 409 && strstr(detail, "window")) {
        a->window_retry = now + 2 * MIN_MS;
        note(a, strstr(detail, "cannot finish") ? "no new AGV mission: it would not finish in the window (409)"
                                                : "no AGV mission outside the window (409)");
    } else if (st != 409) {
        char msg[96];
        snprintf(msg, sizeof msg, "an AGV mission was refused (HTTP %ld)", st);
        note(a, msg);
        l->next_try = now + 2 * MIN_MS;
    }
    cJSON_Delete(j);
    return st;
}

/* The next import to send: filed, cleared unless the fleet lets uncleared
 * loads start and wait at the inspection stop. */
static load *next_import(lp_demo_agv *a, int64_t now)
{
    size_t i;
    for (i = 0; i < a->n; i++) {
        load *l = &a->l[i];
        if (l->state == L_FILED && (l->cleared || !a->needs_clear) && l->next_try <= now) return l;
    }
    return NULL;
}

/* The border guard releases l at the inspection stop after the inspection. */
static void inspect(lp_demo_agv *a, load *l, int64_t now)
{
    char path[80];
    cJSON *j = NULL;
    if (!l->held) {
        l->held = 1;
        l->held_since = now;
        l->inspect_ms = minutes(a, 3, 8);
    }
    if (a->manual || l->released || now - l->held_since < l->inspect_ms || now < l->next_try) return;
    snprintf(path, sizeof path, "/api/v1/agv-missions/%ld/release", l->mission);
    if (lp_demo_http_call(a->h, "POST", path, a->c->token[LP_DEMO_R_BORDER_GUARD], &j,
                          "{\"reason\":\"container, seals and load checked at the inspection stop%s\"}",
                          l->decl > 0 ? "; documents match the declaration" : "") == 200) {
        l->released = 1;
        event(a, lp_demo_json_str(j, "agv"), "released at the inspection stop by the border guard");
        if (l->decl > 0) lp_demo_agv_decide(a->h, a->c, l->decl, LP_DEMO_AGV_RELEASE); /* if still open */
    } else {
        l->next_try = now + MIN_MS; /* e.g. still waiting for customs */
    }
    cJSON_Delete(j);
}

/* Reads l's mission and acts on its state. */
static void follow(lp_demo_agv *a, load *l, int64_t now)
{
    char path[64], agv[32];
    cJSON *j = NULL;
    const char *s;
    long st;
    snprintf(path, sizeof path, "/api/v1/agv-missions/%ld", l->mission);
    st = lp_demo_http_call(a->h, "GET", path, a->c->token[LP_DEMO_R_OPERATOR], &j, NULL);
    if (st == 404) l->state = L_DONE;
    if (st != 200) {
        cJSON_Delete(j);
        return;
    }
    s = lp_demo_json_str(j, "state");
    snprintf(agv, sizeof agv, "%s", lp_demo_json_str(j, "agv"));
    l->dist_m = cJSON_GetNumberValue(cJSON_GetObjectItem(j, "distance_m"));
    if (l->dist_m != l->dist_m) l->dist_m = 0; /* absent: NaN */
    if (!strcmp(s, "held_at_inspection")) {
        if (!l->held)
            event(a, agv, a->manual ? "waits at the inspection stop: release it as border_guard in the dashboard"
                                    : "stops at the inspection stop; the border guard inspects");
        inspect(a, l, now);
    } else {
        l->held = 0;
        if (!strcmp(s, "completed")) {
            l->state = L_DONE;
            a->st.completed++;
            event(a, agv, l->ret ? "is back in the China yard" : "arrived in the Vietnamese customs yard");
            if (!l->ret) { /* unloaded in the customs yard, it goes back empty; l moves */
                load *r = add_load(a);
                if (r) {
                    r->ret = 1;
                    r->state = L_RETURN_DUE;
                    r->due = now + minutes(a, 3, 6);
                }
            }
        } else if (!strcmp(s, "cancelled") || !strcmp(s, "failed") || !strcmp(s, "aborted")) {
            char msg[96];
            snprintf(msg, sizeof msg, "AGV mission %ld %s", l->mission, s);
            note(a, msg);
            l->state = L_DONE;
        }
    }
    cJSON_Delete(j);
}

void lp_demo_agv_step(lp_demo_agv *a, int64_t now)
{
    size_t i, unsent = 0;
    load *l;
    a->now = now;
    if (!a->cn_node[0]) return;
    if (now > a->note_until) a->st.note[0] = '\0';
    for (i = 0; i < a->n; i++) unsent += a->l[i].state == L_FILED;
    read_agvs(a);
    /* Importers file from half an hour before the window until a quarter
     * of an hour before it closes, a load or so per idle vehicle. */
    if (in_window(a, now, 30, 15) && now >= a->next_filing &&
        unsent < (size_t)(a->idle_cn < 1 ? 1 : a->idle_cn > 4 ? 4 : a->idle_cn)) {
        file_load(a, now);
        a->next_filing = now + minutes(a, 0.5, 1.5);
    }
    for (i = 0; i < a->n; i++) {
        l = &a->l[i];
        if (l->decl > 0 && !l->cleared && l->state != L_DONE && now >= l->clear_at) {
            /* the border guard's task is the release at the inspection stop;
             * a fleet that starts only cleared loads needs it before */
            l->cleared = lp_demo_agv_decide(a->h, a->c, l->decl,
                                            LP_DEMO_AGV_CLEARANCE | (a->needs_clear ? LP_DEMO_AGV_RELEASE : 0)) == 0;
            if (!l->cleared) l->clear_at = now + MIN_MS;
        }
    }
    if (in_window(a, now, 0, 0) && now >= a->window_retry && now >= a->next_depart) {
        if (a->idle_cn > 0 && (l = next_import(a, now)) && post_mission(a, l, "china_yard", "vn_yard", now) == 201)
            a->idle_cn--;
        /* returns from the customs yard, or from the charger where the fleet
         * may have sent a vehicle low on battery */
        for (i = 0; i < a->n && a->idle_vn + a->idle_charge > 0 && now >= a->window_retry; i++) {
            int vn = a->idle_vn > 0;
            l = &a->l[i];
            if (l->state != L_RETURN_DUE || l->due > now) continue;
            if (post_mission(a, l, vn ? "vn_yard" : "charging", "china_yard", now) != 201) break;
            if (vn) a->idle_vn--;
            else a->idle_charge--;
        }
    } else if (!in_window(a, now, 0, 0) && in_window(a, now, 30, 0)) {
        snprintf(a->st.note, sizeof a->st.note, "AGVs wait in the China yard for the window %.40s", a->windows);
        a->note_until = now; /* said until the window opens */
    } else if (!in_window(a, now, 30, 0) && !a->st.note[0]) {
        snprintf(a->st.note, sizeof a->st.note, "outside the AGV window %.40s", a->windows);
        a->note_until = now;
    }
    a->st.running = a->st.held = 0;
    a->st.km = 0;
    for (i = 0; i < a->n; i++) {
        l = &a->l[i];
        if (l->state == L_DRIVING) {
            follow(a, l, now);
            l = &a->l[i]; /* follow may have added a load (and moved the array) */
        }
        a->st.running += l->state == L_DRIVING;
        a->st.held += l->state == L_DRIVING && l->held;
        a->st.km += l->dist_m / 1000.0;
    }
}

int lp_demo_agv_owns(const lp_demo_agv *a, long decl)
{
    size_t i;
    for (i = 0; a && i < a->n; i++)
        if (a->l[i].decl == decl) return 1;
    return 0;
}

void lp_demo_agv_stats_get(const lp_demo_agv *a, lp_demo_agv_stats *s)
{
    *s = a->st;
}

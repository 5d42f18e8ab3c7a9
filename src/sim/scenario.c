/* scenario.c - scenario files into lp_scenario (see scenario.h).
 *
 * The reader walks the document with the JSON pointer of where it is;
 * each getter leaves the default in place when the member is absent and
 * adds a field error when it is there but wrong, so one pass reports
 * every problem.  Durations are in minutes in the file and ms inside. */
#include "scenario.h"
#include "../core/mem.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define PTR_MAX 96

typedef struct rd {
    lp_err *err;
    const char *base_dir; /* of relative file names; NULL: current directory */
    lp_scenario *s;
} rd;

static char *read_text(const char *path, size_t max, size_t *len, lp_err *err);

static void ptr_join(char *out, const char *base, const char *name)
{
    /* A pointer is cut, never overrun; the scenario's names are short. */
    if (snprintf(out, PTR_MAX, "%s/%s", base, name) >= PTR_MAX) out[PTR_MAX - 1] = '\0';
}

/* Reports members of obj not in the NULL-terminated list. */
static void only(rd *r, const cJSON *obj, const char *base, const char *const *names)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, obj) {
        int i, ok = 0;
        char p[PTR_MAX];
        for (i = 0; names[i] && !ok; i++) ok = !strcmp(m->string, names[i]);
        if (!ok) {
            ptr_join(p, base, m->string);
            lp_err_field_add(r->err, p, "unknown member");
        }
    }
}

/* The member, or NULL if absent; an object is required if want_obj. */
static const cJSON *member(rd *r, const cJSON *obj, const char *base, const char *name, int want_obj)
{
    const cJSON *m = obj ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
    char p[PTR_MAX];
    if (m && want_obj && !cJSON_IsObject(m)) {
        ptr_join(p, base, name);
        lp_err_field_add(r->err, p, "must be an object");
        return NULL;
    }
    return m;
}

static void num(rd *r, const cJSON *obj, const char *base, const char *name, double scale, double *out)
{
    const cJSON *m = member(r, obj, base, name, 0);
    char p[PTR_MAX];
    if (!m) return;
    if (!cJSON_IsNumber(m)) {
        ptr_join(p, base, name);
        lp_err_field_add(r->err, p, "must be a number");
        return;
    }
    *out = m->valuedouble * scale;
}

static void integer(rd *r, const cJSON *obj, const char *base, const char *name, int *out)
{
    const cJSON *m = member(r, obj, base, name, 0);
    char p[PTR_MAX];
    if (!m) return;
    if (!cJSON_IsNumber(m) || m->valuedouble != (double)(int)m->valuedouble) {
        ptr_join(p, base, name);
        lp_err_field_add(r->err, p, "must be an integer");
        return;
    }
    *out = (int)m->valuedouble;
}

/* "HH:MM" into minutes of the day ("24:00" allowed: the end of the day). */
static void hhmm(rd *r, const cJSON *obj, const char *base, const char *name, int *out)
{
    const cJSON *m = member(r, obj, base, name, 0);
    char p[PTR_MAX], tail;
    int h, mi;
    if (!m) return;
    if (!cJSON_IsString(m) || sscanf(m->valuestring, "%2d:%2d%c", &h, &mi, &tail) != 2 || h < 0 ||
        h > 24 || mi < 0 || mi > 59 || (h == 24 && mi != 0) || strlen(m->valuestring) != 5) {
        ptr_join(p, base, name);
        lp_err_field_add(r->err, p, "must be a time \"HH:MM\"");
        return;
    }
    *out = h * 60 + mi;
}

static void array(rd *r, const cJSON *obj, const char *base, const char *name, double *out, int n)
{
    const cJSON *m = member(r, obj, base, name, 0), *e;
    char p[PTR_MAX];
    int i = 0;
    if (!m) return;
    ptr_join(p, base, name);
    if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) != n) {
        lp_err_field_add(r->err, p, "must be an array of %d numbers", n);
        return;
    }
    cJSON_ArrayForEach(e, m) {
        if (!cJSON_IsNumber(e)) {
            char q[PTR_MAX + 16];
            snprintf(q, sizeof q, "%s/%d", p, i);
            lp_err_field_add(r->err, q, "must be a number");
        } else {
            out[i] = e->valuedouble;
        }
        i++;
    }
}

/* {"dist": "lognormal", "mean_min": 12, "cv": 0.5} and the like. */
static void dist(rd *r, const cJSON *obj, const char *base, const char *name, lp_dist *d)
{
    static const char *const names[] = {"dist", "mean_min", "cv", "k", "min_min", "max_min", NULL};
    const cJSON *m = member(r, obj, base, name, 1), *kind;
    char p[PTR_MAX], q[PTR_MAX];
    int k;
    if (!m) return;
    ptr_join(p, base, name);
    only(r, m, p, names);
    kind = cJSON_GetObjectItemCaseSensitive(m, "dist");
    ptr_join(q, p, "dist");
    if (!cJSON_IsString(kind) || (k = lp_dist_parse(kind->valuestring)) < 0) {
        lp_err_field_add(r->err, q, "must be one of const, exp, uniform, lognormal, erlang");
        return;
    }
    memset(d, 0, sizeof *d);
    d->kind = (lp_dist_kind)k;
    d->cv = 0.5;
    d->k = 2;
    num(r, m, p, "mean_min", 60000.0, &d->mean);
    num(r, m, p, "cv", 1, &d->cv);
    integer(r, m, p, "k", &d->k);
    num(r, m, p, "min_min", 60000.0, &d->lo);
    num(r, m, p, "max_min", 60000.0, &d->hi);
    if (d->kind == LP_DIST_UNIFORM) d->mean = (d->lo + d->hi) / 2;
}

/* Reads root's object member name whose members are the objects named in
 * names (each with the members inner), calling fn for each one present. */
typedef void (*read_fn)(rd *r, const cJSON *m, const char *p, int i, lp_simgate_config *c);

static void read_each(rd *r, const cJSON *root, const char *name, const char *const *names,
                      const char *const *inner, read_fn fn, lp_simgate_config *c)
{
    const cJSON *o = member(r, root, "", name, 1);
    char base[PTR_MAX];
    int i;
    if (!o) return;
    ptr_join(base, "", name);
    only(r, o, base, names);
    for (i = 0; names[i]; i++) {
        const cJSON *m = member(r, o, base, names[i], 1);
        char p[PTR_MAX];
        if (!m) continue;
        ptr_join(p, base, names[i]);
        only(r, m, p, inner);
        fn(r, m, p, i, c);
    }
}

static void read_agency(rd *r, const cJSON *m, const char *p, int i, lp_simgate_config *c)
{
    integer(r, m, p, "servers", &c->agency[i].servers);
    dist(r, m, p, "service", &c->agency[i].service);
}

static void read_group(rd *r, const cJSON *m, const char *p, int i, lp_simgate_config *c)
{
    integer(r, m, p, "count", &c->group[i].lanes);
    integer(r, m, p, "places", &c->group[i].places);
    hhmm(r, m, p, "open", &c->group[i].open_min);
    hhmm(r, m, p, "close", &c->group[i].close_min);
    if (c->group[i].close_min == 1440) c->group[i].close_min = 0;
    dist(r, m, p, "service", &c->group[i].service);
}

/* A place of the road given by a zone or node id in member name. */
static int place(rd *r, const cJSON *o, const char *name, const char *dflt)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
    const char *id = dflt;
    char p[PTR_MAX];
    int n;
    ptr_join(p, "/agv/road", name);
    if (m && !cJSON_IsString(m)) {
        lp_err_field_add(r->err, p, "must be a zone or node id of the road");
        return -1;
    }
    if (m) id = m->valuestring;
    if ((n = lp_road_place(r->s->road, id)) < 0) lp_err_field_add(r->err, p, "no zone or node '%s' on the road", id);
    return n;
}

/* {"file": "../data/roads/road-1088.json", "from": "china_yard", ...}: the
 * fleet manager's road, driven with its traffic rules. */
static void read_road_file(rd *r, const cJSON *o, lp_simagv_config *g)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "file");
    char path[4096];
    char *text = NULL;
    size_t len = 0;
    lp_err rerr;
    int i;
    if (!cJSON_IsString(f) || !f->valuestring[0]) {
        lp_err_field_add(r->err, "/agv/road/file", "must be the path of a road file");
        return;
    }
    if (f->valuestring[0] == '/' || !r->base_dir) snprintf(path, sizeof path, "%s", f->valuestring);
    else if (snprintf(path, sizeof path, "%s/%s", r->base_dir, f->valuestring) >= (int)sizeof path) path[0] = '\0';
    lp_err_init(&rerr);
    lp_road_destroy(r->s->road);
    r->s->road = NULL;
    if (!(text = read_text(path, LP_ROAD_TEXT_MAX, &len, &rerr)) ||
        lp_road_parse(text, len, &r->s->road, &rerr) != LP_OK) {
        lp_err_field_add(r->err, "/agv/road/file", "%s: %s", f->valuestring, rerr.msg);
        for (i = 0; i < rerr.nfields; i++)
            lp_err_field_add(r->err, "/agv/road/file", "%s: %s", rerr.fields[i].pointer, rerr.fields[i].msg);
        lp_free(text);
        return;
    }
    lp_free(text);
    g->road = r->s->road;
    g->from_node = place(r, o, "from", "china_yard");
    g->to_node = place(r, o, "to", "vn_yard");
    g->handover_node = place(r, o, "handover", "handover");
    g->inspection_node = place(r, o, "inspection", "inspection");
    num(r, o, "/agv/road", "vehicle_length_m", 1, &g->vehicle_length_m);
    num(r, o, "/agv/road", "gap_m", 1, &g->gap_m);
}

static void read_agv(rd *r, const cJSON *root, lp_simgate_config *c)
{
    static const char *const names[] = {"fleet", "window", "containers_per_window", "road",
                                        "load", "handover", "inspection", "unload", NULL};
    static const char *const win[] = {"start", "end", NULL};
    static const char *const road[] = {"length_m", "speed_kmh", "single_lane", "file", "from", "to", "handover",
                                       "inspection", "vehicle_length_m", "gap_m", NULL};
    static const char *const single[] = {"from_m", "to_m", NULL};
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "agv"), *w, *rd_, *s;
    lp_simagv_config *g = &c->agv;
    if (cJSON_IsFalse(a) || cJSON_IsNull(a)) {
        c->agv_enabled = 0;
        return;
    }
    if (!(a = member(r, root, "", "agv", 1))) return;
    only(r, a, "/agv", names);
    integer(r, a, "/agv", "fleet", &g->fleet);
    integer(r, a, "/agv", "containers_per_window", &g->containers_per_window);
    if ((w = member(r, a, "/agv", "window", 1))) {
        only(r, w, "/agv/window", win);
        hhmm(r, w, "/agv/window", "start", &g->window_start_min);
        hhmm(r, w, "/agv/window", "end", &g->window_end_min);
    }
    if ((rd_ = member(r, a, "/agv", "road", 1)) && cJSON_GetObjectItemCaseSensitive(rd_, "file")) {
        only(r, rd_, "/agv/road", road);
        read_road_file(r, rd_, g);
    } else if (rd_) {
        /* The small road model; its defaults are the pilot's. */
        double len = 2400, speed = 25 / 3.6, from = 900, to = 1500;
        only(r, rd_, "/agv/road", road);
        num(r, rd_, "/agv/road", "length_m", 1, &len);
        num(r, rd_, "/agv/road", "speed_kmh", 1 / 3.6, &speed);
        if ((s = member(r, rd_, "/agv/road", "single_lane", 1))) {
            only(r, s, "/agv/road/single_lane", single);
            num(r, s, "/agv/road/single_lane", "from_m", 1, &from);
            num(r, s, "/agv/road/single_lane", "to_m", 1, &to);
        }
        if (!(speed > 0 && speed <= 40)) lp_err_field_add(r->err, "/agv/road/speed_kmh", "must be > 0 and at most 144");
        else if (lp_simagv_config_simple(g, len, speed, from, to) != LP_OK)
            lp_err_field_add(r->err, "/agv/road", "needs 0 <= single_lane from_m <= to_m <= length_m, length_m > 0");
    }
    dist(r, a, "/agv", "load", &g->load);
    dist(r, a, "/agv", "handover", &g->handover);
    dist(r, a, "/agv", "inspection", &g->inspection);
    dist(r, a, "/agv", "unload", &g->unload);
}

static void read_doc(rd *r, const cJSON *root, lp_scenario *s)
{
    static const char *const top[] = {"name", "days", "replications", "seed", "start", "arrivals", "mix",
                                      "channels", "yard", "agencies", "queue", "lanes", "gate", "failures",
                                      "warmup_days", "sample_min", "agv", "description", "fees", NULL};
    static const char *const start[] = {"month", "day", NULL};
    static const char *const arr[] = {"trucks_per_day", "hourly", "monthly", NULL};
    static const char *const mix[] = {"export", "perishable", "walk_in", "food", NULL};
    static const char *const ch[] = {"yellow_permille", "red_permille", NULL};
    static const char *const yard[] = {"bays", NULL};
    static const char *const q[] = {"travel", "no_show_prob", "no_show_window_min", "no_show_limit", NULL};
    static const char *const gate[] = {"exception_prob", "exception", NULL};
    static const char *const fail[] = {"lane_mtbf_h", "lane_mttr_h", NULL};
    lp_simgate_config *c = &s->gate;
    const cJSON *m;
    double seed = -1, win = (double)c->no_show_window_ms, smp = (double)c->sample_ms;
    only(r, root, "", top);
    if ((m = member(r, root, "", "name", 0)) && !cJSON_IsString(m)) lp_err_field_add(r->err, "/name", "must be a string");
    else if (m) snprintf(s->name, sizeof s->name, "%s", m->valuestring);
    integer(r, root, "", "days", &s->days);
    integer(r, root, "", "replications", &s->replications);
    num(r, root, "", "seed", 1, &seed);
    if (seed >= 0) s->seed = (uint64_t)seed;
    else if (member(r, root, "", "seed", 0)) lp_err_field_add(r->err, "/seed", "must be >= 0");
    if ((m = member(r, root, "", "start", 1))) {
        only(r, m, "/start", start);
        integer(r, m, "/start", "month", &c->start_month);
        integer(r, m, "/start", "day", &c->start_day);
    }
    if ((m = member(r, root, "", "arrivals", 1))) {
        only(r, m, "/arrivals", arr);
        num(r, m, "/arrivals", "trucks_per_day", 1, &c->trucks_per_day);
        array(r, m, "/arrivals", "hourly", c->hourly, 24);
        array(r, m, "/arrivals", "monthly", c->monthly, 12);
    }
    if ((m = member(r, root, "", "mix", 1))) {
        only(r, m, "/mix", mix);
        num(r, m, "/mix", "export", 1, &c->export_share);
        num(r, m, "/mix", "perishable", 1, &c->perishable_share);
        num(r, m, "/mix", "walk_in", 1, &c->walkin_share);
        num(r, m, "/mix", "food", 1, &c->food_share);
    }
    if ((m = member(r, root, "", "channels", 1))) {
        only(r, m, "/channels", ch);
        integer(r, m, "/channels", "yellow_permille", &c->channels.min_yellow_permille);
        integer(r, m, "/channels", "red_permille", &c->channels.min_red_permille);
    }
    if ((m = member(r, root, "", "yard", 1))) {
        only(r, m, "/yard", yard);
        integer(r, m, "/yard", "bays", &c->yard_bays);
    }
    {
        static const char *const ag[] = {"customs_docs", "scanner", "quarantine", NULL};
        static const char *const inner[] = {"servers", "service", NULL};
        read_each(r, root, "agencies", ag, inner, read_agency, c);
    }
    if ((m = member(r, root, "", "queue", 1))) {
        only(r, m, "/queue", q);
        dist(r, m, "/queue", "travel", &c->travel);
        num(r, m, "/queue", "no_show_prob", 1, &c->no_show_prob);
        num(r, m, "/queue", "no_show_window_min", 60000.0, &win);
        integer(r, m, "/queue", "no_show_limit", &c->no_show_limit);
        c->no_show_window_ms = (int64_t)win;
    }
    {
        static const char *const grp[] = {"export", "import", NULL};
        static const char *const inner[] = {"count", "places", "open", "close", "service", NULL};
        read_each(r, root, "lanes", grp, inner, read_group, c);
    }
    if ((m = member(r, root, "", "gate", 1))) {
        only(r, m, "/gate", gate);
        num(r, m, "/gate", "exception_prob", 1, &c->exception_prob);
        dist(r, m, "/gate", "exception", &c->exception);
    }
    if ((m = member(r, root, "", "failures", 1))) {
        only(r, m, "/failures", fail);
        num(r, m, "/failures", "lane_mtbf_h", 1, &c->lane_mtbf_h);
        num(r, m, "/failures", "lane_mttr_h", 1, &c->lane_mttr_h);
    }
    if ((m = member(r, root, "", "fees", 1))) {
        static const char *const fees[] = {"yard_free_min", "yard_vnd_per_hour", "yard_daily_cap_vnd", NULL};
        double amount = (double)c->yard_fee.amount, cap = (double)c->yard_fee.daily_cap;
        only(r, m, "/fees", fees);
        integer(r, m, "/fees", "yard_free_min", &c->yard_fee.free_minutes);
        num(r, m, "/fees", "yard_vnd_per_hour", 1, &amount);
        num(r, m, "/fees", "yard_daily_cap_vnd", 1, &cap);
        c->yard_fee.amount = (int64_t)amount;
        c->yard_fee.daily_cap = (int64_t)cap;
    }
    integer(r, root, "", "warmup_days", &c->warmup_days);
    num(r, root, "", "sample_min", 60000.0, &smp);
    c->sample_ms = (int64_t)smp;
    read_agv(r, root, c);
}

int lp_scenario_parse(const char *text, const char *base_dir, lp_scenario *s, lp_err *err)
{
    cJSON *root = NULL;
    rd r;
    lp_err local;
    int rc = LP_OK;
    if (!err) {
        lp_err_init(&local);
        err = &local;
    }
    r.err = err;
    r.base_dir = base_dir;
    r.s = s;
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "scenario");
    s->days = 30;
    s->replications = 10;
    s->seed = 1;
    lp_simgate_config_default(&s->gate);
    root = cJSON_Parse(text ? text : "");
    if (!cJSON_IsObject(root)) {
        lp_err_field_add(err, "", "the scenario must be a JSON object");
        rc = LP_EINVAL;
        goto cleanup;
    }
    read_doc(&r, root, s);
    if (s->days < 1 || s->days > 3650) lp_err_field_add(err, "/days", "must be 1..3650");
    if (s->replications < 1 || s->replications > 1000) lp_err_field_add(err, "/replications", "must be 1..1000");
    /* Ranges only once the types are right, so no error is reported twice. */
    if (err->nfields == 0) lp_simgate_config_check(&s->gate, err);
    rc = err->nfields ? LP_EINVAL : LP_OK;
    if (rc) lp_err_set(err, rc, "bad scenario");
cleanup:
    cJSON_Delete(root);
    return rc;
}

/* The file's text, NUL-terminated, or NULL with err set.  Caller frees
 * with lp_free. */
static char *read_text(const char *path, size_t max, size_t *len, lp_err *err)
{
    FILE *f = NULL;
    char *text = NULL;
    long n;
    if (!(f = fopen(path, "rb")) || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        lp_err_set(err, LP_EIO, "cannot read %s: %s", path, strerror(errno));
        goto cleanup;
    }
    if ((size_t)n > max) {
        lp_err_set(err, LP_ETOOBIG, "%s: larger than %zu bytes", path, max);
        goto cleanup;
    }
    text = lp_malloc((size_t)n + 1);
    if (fread(text, 1, (size_t)n, f) != (size_t)n) {
        lp_err_set(err, LP_EIO, "cannot read %s", path);
        lp_free(text);
        text = NULL;
        goto cleanup;
    }
    text[n] = '\0';
    *len = (size_t)n;
cleanup:
    if (f) fclose(f);
    return text;
}

int lp_scenario_load(const char *path, lp_scenario *s, lp_err *err)
{
    char *text = NULL, *dir = NULL, *slash;
    size_t len = 0;
    int rc;
    memset(s, 0, sizeof *s);
    if (!(text = read_text(path, 1 << 20, &len, err))) return err && err->code ? err->code : LP_EIO;
    dir = lp_strdup(path);
    slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    rc = lp_scenario_parse(text, slash ? dir : NULL, s, err);
    lp_free(dir);
    lp_free(text);
    return rc;
}

void lp_scenario_deinit(lp_scenario *s)
{
    if (!s) return;
    lp_road_destroy(s->road);
    s->road = NULL;
    s->gate.agv.road = NULL;
}

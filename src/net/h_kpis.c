/* h_kpis.c - GET /api/v1/kpis: crossing KPIs per risk channel (green,
 * yellow, red, all) over a period: times from filing to exit and from
 * clearance to gate opening and from yard entry to exit (n, mean, p50, p95
 * in seconds) and declarations
 * filed, counted by status.  The figures come from store/crossings.h; this
 * file groups them and computes the statistics.  Route in routes_gate.inc. */
#include "h_gate_internal.h"
#include "../core/mem.h"
#include "../store/crossings.h"
#include "../store/yardstore.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const lp_qparam lp_query_kpis[] = {
    {"crossing_point_id", "string", "Only this crossing point"},
    {"from", "string", "Start, inclusive: RFC 3339 time, date (UTC) or ms since 1970"},
    {"to", "string", "End, exclusive: same forms"},
    {0}};

typedef struct series {
    int64_t *v; /* milliseconds */
    int n, cap;
} series;

static void series_add(series *s, int64_t v)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = lp_realloc(s->v, (size_t)s->cap * sizeof *s->v);
    }
    s->v[s->n++] = v;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least p% of the values at or
 * below it. */
static double percentile_s(const series *s, int p)
{
    int rank = (int)(((int64_t)p * s->n + 99) / 100);
    return (double)s->v[rank < 1 ? 0 : rank - 1] / 1000.0;
}

/* {n, mean, p50, p95} in seconds; null figures when empty.  Sorts s. */
static cJSON *series_json(series *s)
{
    cJSON *o = cJSON_CreateObject();
    double sum = 0;
    int i;
    cJSON_AddNumberToObject(o, "n", s->n);
    if (s->n == 0) {
        cJSON_AddNullToObject(o, "mean");
        cJSON_AddNullToObject(o, "p50");
        cJSON_AddNullToObject(o, "p95");
        return o;
    }
    qsort(s->v, (size_t)s->n, sizeof *s->v, cmp_i64);
    for (i = 0; i < s->n; i++) sum += (double)s->v[i];
    cJSON_AddNumberToObject(o, "mean", round(sum / s->n) / 1000.0);
    cJSON_AddNumberToObject(o, "p50", percentile_s(s, 50));
    cJSON_AddNumberToObject(o, "p95", percentile_s(s, 95));
    return o;
}

#define KPI_GROUPS 4 /* green, yellow, red, all */
static const char *const kpi_names[KPI_GROUPS] = {"green", "yellow", "red", "all"};

typedef struct kpi_group {
    int64_t exited;
    series filing_to_exit, clearance_to_gate, yard_to_exit;
    cJSON *by_status; /* {status: count} */
} kpi_group;

static int kpi_index(const char *channel)
{
    int i;
    for (i = 0; channel && i < KPI_GROUPS - 1; i++)
        if (strcmp(channel, kpi_names[i]) == 0) return i;
    return -1;
}

/* Adds one exited crossing to its channel's group and to "all". */
static void add_exit(void *ud, const lp_crossings_exit *e)
{
    kpi_group *k = ud;
    int groups[2] = {kpi_index(e->channel), KPI_GROUPS - 1}, j;
    for (j = 0; j < 2; j++) {
        kpi_group *g;
        if (groups[j] < 0) continue;
        g = &k[groups[j]];
        g->exited++;
        series_add(&g->filing_to_exit, e->exit_at - e->filed_at);
        if (e->cleared_at != LP_CROSSINGS_NO_TIME && e->gate_open_at != LP_CROSSINGS_NO_TIME)
            series_add(&g->clearance_to_gate, e->gate_open_at - e->cleared_at);
    }
}

/* Adds one exited crossing whose truck entered a yard (yard entry to km 0). */
static void add_yard(void *ud, const char *channel, int64_t entered_at, int64_t exit_at)
{
    kpi_group *k = ud;
    int g = kpi_index(channel);
    if (exit_at < entered_at) return; /* clocks of two devices disagree: no figure */
    if (g >= 0) series_add(&k[g].yard_to_exit, exit_at - entered_at);
    series_add(&k[KPI_GROUPS - 1].yard_to_exit, exit_at - entered_at);
}

static void count_add(cJSON *by_status, const char *status, int64_t count)
{
    cJSON *c = cJSON_GetObjectItemCaseSensitive(by_status, status);
    if (c) cJSON_SetNumberValue(c, c->valuedouble + (double)count);
    else cJSON_AddNumberToObject(by_status, status, (double)count);
}

/* Adds a count of declarations to its channel's group and to "all". */
static void add_count(void *ud, const char *channel, const char *status, int64_t count)
{
    kpi_group *k = ud;
    int g = kpi_index(channel);
    if (g >= 0) count_add(k[g].by_status, status, count);
    count_add(k[KPI_GROUPS - 1].by_status, status, count);
}

void lp_h_kpis(lp_req *r)
{
    const char *point = lp_req_query(r, "crossing_point_id");
    const char *qs[2] = {lp_req_query(r, "from"), lp_req_query(r, "to")};
    int64_t t[2] = {-1, -1};
    kpi_group k[KPI_GROUPS];
    cJSON *reply = NULL, *chans;
    char ts[40];
    int i, rc;
    lp_err err;

    lp_err_init(&err);
    memset(k, 0, sizeof k);
    for (i = 0; i < 2; i++)
        if (qs[i] && (net__parse_time(qs[i], &t[i]) || t[i] < 0))
            lp_err_field_add(&err, i ? "?to" : "?from",
                             "must be an RFC 3339 time (2026-11-23T07:00:00+07:00), a date or milliseconds");
    if (t[0] >= 0 && t[1] >= 0 && t[1] <= t[0]) lp_err_field_add(&err, "?to", "must be after from");
    if (err.code) {
        lp_reply_problem(r, 400, "the request has invalid query parameters", &err);
        return;
    }
    for (i = 0; i < KPI_GROUPS; i++) k[i].by_status = cJSON_CreateObject();
    if ((rc = lp_crossings_exits(r->store, point, t[0], t[1], add_exit, k, &err)) ||
        (rc = lp_crossings_status_counts(r->store, point, t[0], t[1], add_count, k, &err)) ||
        (rc = lp_yardstore_entry_to_exit(r->store, point, t[0], t[1], add_yard, k, &err))) {
        net__fail(r, &err, NULL);
        goto out;
    }
    reply = cJSON_CreateObject();
    if (point) cJSON_AddStringToObject(reply, "crossing_point_id", point);
    else cJSON_AddNullToObject(reply, "crossing_point_id");
    for (i = 0; i < 2; i++) {
        if (t[i] < 0) {
            cJSON_AddNullToObject(reply, i ? "to" : "from");
            continue;
        }
        lp_time_format(t[i], ts, sizeof ts);
        cJSON_AddStringToObject(reply, i ? "to" : "from", ts);
    }
    chans = cJSON_AddObjectToObject(reply, "channels");
    for (i = 0; i < KPI_GROUPS; i++) {
        cJSON *o = i < KPI_GROUPS - 1 ? cJSON_AddObjectToObject(chans, kpi_names[i]) : cJSON_AddObjectToObject(reply, "all");
        cJSON_AddNumberToObject(o, "exited", (double)k[i].exited);
        cJSON_AddItemToObject(o, "filing_to_exit_s", series_json(&k[i].filing_to_exit));
        cJSON_AddItemToObject(o, "clearance_to_gate_s", series_json(&k[i].clearance_to_gate));
        cJSON_AddItemToObject(o, "yard_entry_to_exit_s", series_json(&k[i].yard_to_exit));
        cJSON_AddItemToObject(o, "by_status", k[i].by_status);
        k[i].by_status = NULL;
    }
    lp_reply_json(r, 200, reply);
out:
    for (i = 0; i < KPI_GROUPS; i++) {
        lp_free(k[i].filing_to_exit.v);
        lp_free(k[i].clearance_to_gate.v);
        lp_free(k[i].yard_to_exit.v);
        cJSON_Delete(k[i].by_status);
    }
}

/* h_decl_record.c - a declaration as stored and as shown (see
 * h_decl_internal.h): its values in canonical form, an amendment merged
 * into it, its status as of now (expiry is computed when read, not
 * written), the risk run that picks its channel, and the replies. */
#include "h_decl_internal.h"
#include "../core/mem.h"
#include "../store/clearance.h"
#include "../store/decl_tasks.h"

#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Small helpers ----------------------------------------------------------------------- */

int64_t net__decl_now(lp_store *st)
{
    const lp_clock *ck = lp_store_clock(st);
    return ck->now_ms(ck->ud);
}

int net__decl_in_set(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0) return 1;
    return 0;
}

lp_risk_channel net__decl_channel_of(const char *s)
{
    return s && strcmp(s, "red") == 0 ? LP_RISK_RED : s && strcmp(s, "yellow") == 0 ? LP_RISK_YELLOW : LP_RISK_GREEN;
}

/* The id of a stored record as text (ids are integers here). */
void net__decl_id_text(const cJSON *rec, char out[32])
{
    snprintf(out, 32, "%" PRId64, lp_json_int(rec, "id", 0));
}

/* The record ----------------------------------------------------------------------------- */

static double major_units(int64_t minor, int exponent)
{
    double v = (double)minor;
    int i;
    for (i = 0; i < exponent; i++) v /= 10.0;
    return v;
}

/* The body members of the declaration in canonical form, as stored. */
cJSON *net__decl_values(const lp_decl_parsed *p)
{
    const lp_decl *d = p->d;
    cJSON *o = cJSON_CreateObject(), *a, *x, *s;
    int i, k;

    cJSON_AddStringToObject(o, "number", d->number);
    cJSON_AddStringToObject(o, "direction", d->direction == LP_DECL_EXPORT ? "export" : "import");
    cJSON_AddStringToObject(o, "crossing_point_id", d->crossing_point);
    cJSON_AddStringToObject(o, "transport", d->transport == LP_DECL_TRUCK ? "truck" : "agv");
    if (d->transport == LP_DECL_TRUCK) {
        cJSON_AddNumberToObject(o, "vehicle_id", (double)d->vehicle_id);
        cJSON_AddStringToObject(o, "vehicle_plate", d->vehicle_plate);
        cJSON_AddNumberToObject(o, "driver_id", (double)d->driver_id);
    } else {
        cJSON_AddNullToObject(o, "vehicle_id");
        cJSON_AddNullToObject(o, "vehicle_plate");
        cJSON_AddNullToObject(o, "driver_id");
    }
    if (d->trailer_plate[0]) cJSON_AddStringToObject(o, "trailer_plate", d->trailer_plate);
    else cJSON_AddNullToObject(o, "trailer_plate");
    cJSON_AddNumberToObject(o, "expected_arrival", (double)d->expected_arrival_ms);
    cJSON_AddStringToObject(o, "currency", d->currency);
    a = cJSON_AddArrayToObject(o, "containers");
    for (i = 0; i < d->ncontainers; i++) {
        x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "number", d->containers[i].number);
        s = cJSON_AddArrayToObject(x, "seals");
        for (k = 0; k < d->containers[i].nseals; k++)
            cJSON_AddItemToArray(s, cJSON_CreateString(d->containers[i].seals[k]));
        cJSON_AddItemToArray(a, x);
    }
    a = cJSON_AddArrayToObject(o, "goods");
    for (i = 0; i < d->ngoods; i++) {
        const lp_decl_line *ln = &d->goods[i];
        x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "hs_code", ln->hs);
        cJSON_AddStringToObject(x, "description", ln->description);
        cJSON_AddNumberToObject(x, "packages", (double)ln->packages);
        cJSON_AddNumberToObject(x, "gross_weight_kg", major_units(ln->gross_g, 3));
        cJSON_AddNumberToObject(x, "value", major_units(ln->value_minor, p->exponent));
        cJSON_AddStringToObject(x, "origin", ln->origin);
        cJSON_AddItemToArray(a, x);
    }
    x = cJSON_AddObjectToObject(o, "totals");
    cJSON_AddNumberToObject(x, "packages", (double)d->total_packages);
    cJSON_AddNumberToObject(x, "gross_weight_kg", major_units(d->total_gross_g, 3));
    cJSON_AddNumberToObject(x, "value", major_units(d->total_value_minor, p->exponent));
    return o;
}

/* The members a body may carry, for merging an amendment into a record. */
static const char *const body_members[] = {"number", "direction", "crossing_point_id", "transport", "vehicle_id",
                                           "driver_id", "trailer_plate", "expected_arrival", "currency",
                                           "containers", "goods", "totals", NULL};

/* stored's body members with patch's replacing them (whole members: an
 * amended goods list is the whole new list).  Caller owns the result. */
cJSON *net__decl_merged(const cJSON *stored, const cJSON *patch)
{
    cJSON *o = cJSON_CreateObject();
    const char *const *m;
    for (m = body_members; *m; m++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(patch, *m);
        if (!v) v = cJSON_GetObjectItemCaseSensitive(stored, *m);
        if (v) cJSON_AddItemToObject(o, *m, cJSON_Duplicate(v, 1));
    }
    return o;
}

/* A declaration past valid_until that nobody finished reads as expired.
 * It is computed on read rather than written, so that a GET changes
 * nothing and the answer never depends on whether someone looked before. */
static int expired(const cJSON *rec, int64_t now)
{
    static const char *const live[] = {"pending", "held", "cleared", NULL};
    const char *vu = lp_json_str(rec, "valid_until");
    int64_t until;
    return net__decl_in_set(lp_json_str(rec, "status"), live) && vu && net__decl_parse_time(vu, &until) == LP_OK &&
           now > until;
}

const char *net__decl_status_now(const cJSON *rec, int64_t now)
{
    const char *s = lp_json_str(rec, "status");
    return expired(rec, now) ? "expired" : s ? s : "?";
}

/* Risk ------------------------------------------------------------------------------------ */


/* Runs the risk selection on d with seed under the rules and policy in the
 * store now.  *channel receives the channel (red when the engine refuses,
 * e.g. a damaged rule: it fails closed) and *json (caller owns) what is
 * stored as declarations.risk.  Values in another currency than VND skip
 * the value-per-kg bands: there is no exchange-rate table yet, and a value
 * of 0 would make every "at most N đồng/kg" band match, so the lines carry
 * -1, which matches no band. */
int net__decl_run_risk(lp_store *st, const lp_decl *d, int64_t company, uint64_t seed, lp_risk_channel *channel,
                       cJSON **json, lp_err *err)
{
    lp_risk_rule *rules = NULL;
    lp_risk_policy policy;
    lp_risk_line *lines = NULL;
    lp_risk_result *res = NULL;
    lp_risk_facts f;
    cJSON *o, *ms;
    int n = 0, rc, i, nl = d->ngoods < LP_DECL_MAX_LINES ? d->ngoods : LP_DECL_MAX_LINES;
    int bands = strcmp(d->currency, "VND") == 0;

    *json = NULL;
    rc = lp_clearance_risk_load(st, &rules, &n, &policy, err);
    if (rc) goto out;
    lines = lp_calloc((size_t)(nl > 0 ? nl : 1), sizeof *lines);
    res = lp_calloc(1, sizeof *res);
    for (i = 0; i < nl; i++) {
        lines[i].hs_code = d->goods[i].hs;
        lines[i].origin = d->goods[i].origin;
        lines[i].value_vnd = bands ? d->goods[i].value_minor : -1;
        lines[i].gross_g = d->goods[i].gross_g;
    }
    f.direction = d->direction == LP_DECL_EXPORT ? LP_RISK_EXPORT : LP_RISK_IMPORT;
    f.crossing_point_id = d->crossing_point;
    f.company_id = company;
    f.lines = lines;
    f.nlines = nl;

    o = cJSON_CreateObject();
    if (lp_risk_decide(rules, n, &policy, &f, seed, res) != LP_OK) {
        *channel = LP_RISK_RED;
        cJSON_AddStringToObject(o, "channel", "red");
        cJSON_AddStringToObject(o, "explanation", res->explain);
        cJSON_AddBoolToObject(o, "failed_closed", 1);
        *json = o;
        goto out;
    }
    *channel = res->channel;
    cJSON_AddStringToObject(o, "channel", lp_risk_channel_name(res->channel));
    cJSON_AddStringToObject(o, "explanation", res->explain);
    if (res->decided_by) cJSON_AddNumberToObject(o, "decided_by", (double)res->decided_by);
    else cJSON_AddNullToObject(o, "decided_by");
    cJSON_AddBoolToObject(o, "by_random", res->by_random);
    cJSON_AddStringToObject(o, "random_channel", lp_risk_channel_name(res->random_channel));
    cJSON_AddNumberToObject(o, "random_draw", res->random_draw);
    ms = cJSON_AddArrayToObject(o, "matches");
    for (i = 0; i < res->nmatches; i++) {
        const lp_risk_match *m = &res->matches[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "rule_id", (double)m->rule_id);
        cJSON_AddStringToObject(x, "rule", rules[m->rule].name);
        if (m->line >= 0) cJSON_AddNumberToObject(x, "line", m->line);
        else cJSON_AddNullToObject(x, "line");
        cJSON_AddStringToObject(x, "channel", lp_risk_channel_name(m->channel));
        cJSON_AddNumberToObject(x, "probability", m->probability);
        cJSON_AddNumberToObject(x, "draw", m->draw);
        cJSON_AddBoolToObject(x, "fired", m->fired);
        cJSON_AddItemToArray(ms, x);
    }
    cJSON_AddNumberToObject(o, "more_matches", res->more);
    cJSON_AddNumberToObject(o, "rules_evaluated", n);
    if (bands) {
        cJSON_AddStringToObject(o, "value_bands", "applied");
    } else {
        char note[160];
        snprintf(note, sizeof note, "skipped: values are in %s and there is no exchange-rate table yet", d->currency);
        cJSON_AddStringToObject(o, "value_bands", note);
    }
    *json = o;
out:
    lp_free(rules);
    lp_free(lines);
    lp_free(res);
    return rc;
}

int net__decl_new_seed(lp_store *st, uint64_t *seed, lp_err *err)
{
    const lp_clock *ck = lp_store_clock(st);
    if (ck->random(ck->ud, seed, sizeof *seed) != 0) return lp_err_set(err, LP_EIO, "no randomness for the risk seed");
    return LP_OK;
}

int net__decl_stored_seed(const cJSON *rec, uint64_t *seed, lp_err *err)
{
    const char *s = lp_json_str(rec, "risk_seed");
    char *end;
    if (!s || strlen(s) != 16) return lp_err_set(err, LP_ESTORE, "declaration has no readable risk_seed");
    *seed = strtoull(s, &end, 16);
    if (*end) return lp_err_set(err, LP_ESTORE, "declaration has no readable risk_seed");
    return LP_OK;
}

/* Replies ----------------------------------------------------------------------------------- */

/* Replies status with rec (taken) as the API shows a declaration: status as
 * of now, and its tasks. */
void net__decl_reply(lp_req *r, int status, cJSON *rec)
{
    cJSON *tasks = NULL;
    lp_err err;
    char loc[96];

    lp_err_init(&err);
    if (lp_decl_tasks_list(r->store, lp_json_int(rec, "id", 0), &tasks, &err)) {
        cJSON_Delete(rec);
        net__fail(r, &err, NULL);
        return;
    }
    cJSON_ReplaceItemInObjectCaseSensitive(rec, "status",
                                           cJSON_CreateString(net__decl_status_now(rec, net__decl_now(r->store))));
    cJSON_AddItemToObject(rec, "tasks", tasks);
    if (status == 201) {
        snprintf(loc, sizeof loc, "/api/v1/declarations/%" PRId64, lp_json_int(rec, "id", 0));
        evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
    }
    net__etag(r, rec);
    lp_reply_json(r, status, rec);
}

void net__decl_reply_problems(lp_req *r, const lp_err *err)
{
    if (err->code == LP_EINVAL && err->nfields) lp_reply_problem(r, 400, "the request body has invalid fields", err);
    else lp_reply_error(r, err);
}

int net__decl_amendable(lp_req *r, const cJSON *rec, const char *verb, lp_err *err)
{
    static const char *const ok[] = {"pending", "held", "cleared", NULL};
    const char *s = net__decl_status_now(rec, net__decl_now(r->store));
    if (net__decl_in_set(s, ok)) return LP_OK;
    return lp_err_set(err, LP_ECONFLICT, "declaration %" PRId64 " is %s; only a pending, held or cleared declaration can %s",
                      lp_json_int(rec, "id", 0), s, verb);
}


/* h_crossings.c - exit at km 0 and the crossing records (DESIGN.md, "A manned
 * truck crossing", steps 8-9): the exit moves a gate_open declaration to
 * exited and stores the handover record for the partner side; a crossing
 * record carries every timestamp of one declaration.  Also the time helpers
 * and net__advance() that the gate passage shares (h_gate_internal.h).
 * Routes in routes_gate.inc. */
#include "h_gate_internal.h"
#include "../core/ident.h"
#include "../core/mem.h"
#include "../store/crossings.h"
#include "../store/resources.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Times ------------------------------------------------------------------------- */

int64_t net__now_ms(lp_store *st)
{
    const lp_clock *ck = lp_store_clock(st);
    return ck->now_ms(ck->ud);
}

static int two_digits(const char *p, int *v)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9') return 0;
    *v = (p[0] - '0') * 10 + (p[1] - '0');
    return 1;
}

/* Reads a time as the API writes it (RFC 3339: "2026-11-23T09:20:00.000Z",
 * any offset, seconds and fraction optional), a date ("2026-11-23", midnight
 * UTC), or milliseconds since 1970.  Returns LP_OK or LP_EINVAL. */
int net__parse_time(const char *s, int64_t *ms)
{
    char date[11], *end;
    long days;
    int hh = 0, mi = 0, ss = 0, oh = 0, om = 0, sign = 0, k;
    int64_t frac = 0;
    const char *p;

    if (!s || !*s) return LP_EINVAL;
    if (strspn(s, "0123456789") == strlen(s)) {
        long long v = strtoll(s, &end, 10);
        if (*end || strlen(s) > 15) return LP_EINVAL;
        *ms = v;
        return LP_OK;
    }
    if (strlen(s) < 10) return LP_EINVAL;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (lp_ident_date(date, &days, NULL, 0)) return LP_EINVAL;
    p = s + 10;
    if (*p) {
        if (*p != 'T' && *p != 't' && *p != ' ') return LP_EINVAL;
        p++;
        if (!two_digits(p, &hh) || p[2] != ':' || !two_digits(p + 3, &mi)) return LP_EINVAL;
        p += 5;
        if (*p == ':') {
            if (!two_digits(p + 1, &ss)) return LP_EINVAL;
            p += 3;
        }
        if (*p == '.') {
            for (p++, k = 0; *p >= '0' && *p <= '9'; p++, k++)
                if (k < 3) frac = frac * 10 + (*p - '0');
            if (k == 0) return LP_EINVAL;
            for (; k < 3; k++) frac *= 10;
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            sign = *p == '-' ? -1 : 1;
            if (!two_digits(p + 1, &oh) || p[3] != ':' || !two_digits(p + 4, &om) || oh > 23 || om > 59)
                return LP_EINVAL;
            p += 6;
        } else {
            return LP_EINVAL; /* a time without its offset is ambiguous at a border */
        }
        if (*p || hh > 23 || mi > 59 || ss > 60) return LP_EINVAL;
    }
    *ms = ((int64_t)days * 86400 + hh * 3600 + mi * 60 + (ss > 59 ? 59 : ss) - sign * (oh * 3600 + om * 60)) * 1000 +
          frac;
    return LP_OK;
}

/* A record's time member (RFC 3339 text) in ms; 0 when null or absent. */
static int64_t time_member(const cJSON *rec, const char *name)
{
    int64_t ms = 0;
    const char *s = lp_json_str(rec, name);
    return s && net__parse_time(s, &ms) == LP_OK ? ms : 0;
}

/* A deep copy of member name of o, or null when o has none. */
static cJSON *dup_member(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
}

static void id_text(int64_t id, char buf[32])
{
    snprintf(buf, 32, "%" PRId64, id);
}

/* Crossing records and the declaration's steps ---------------------------------- */

/* The crossing record of a declaration (caller owns *out).  Filing creates
 * it; a declaration without one (filed before crossings were recorded) gets
 * it here, dated from the declaration's creation. */
static int crossing_of(lp_store *st, const lp_actor *who, const cJSON *decl, cJSON **out, lp_err *err)
{
    char idbuf[32], *next = NULL;
    lp_filter f = {"declaration_id", idbuf};
    cJSON *items = NULL, *v;
    int rc;

    *out = NULL;
    id_text(lp_json_int(decl, "id", 0), idbuf);
    rc = lp_table_list(st, &lp_tbl_crossings, &f, 1, 0, NULL, 1, &items, &next, err);
    lp_free(next);
    if (rc) return rc;
    if (cJSON_GetArraySize(items) > 0) {
        *out = cJSON_DetachItemFromArray(items, 0);
        cJSON_Delete(items);
        return LP_OK;
    }
    cJSON_Delete(items);
    v = cJSON_CreateObject();
    cJSON_AddNumberToObject(v, "declaration_id", (double)lp_json_int(decl, "id", 0));
    cJSON_AddNumberToObject(v, "company_id", (double)lp_json_int(decl, "company_id", 0));
    cJSON_AddStringToObject(v, "crossing_point_id", lp_json_str(decl, "crossing_point_id"));
    cJSON_AddStringToObject(v, "direction", lp_json_str(decl, "direction"));
    cJSON_AddStringToObject(v, "channel", lp_json_str(decl, "channel"));
    cJSON_AddNumberToObject(v, "filed_at", (double)time_member(decl, "created_at"));
    rc = lp_table_insert(st, &lp_tbl_crossings, who, NULL, v, out, err);
    cJSON_Delete(v);
    return rc;
}

/* Moves the declaration (at the version read) to status, and stamps the
 * crossing record's column at now; both audited as action.  *crossing
 * (may be NULL) receives the crossing record, *decl_after the declaration. */
int net__advance(lp_store *st, const lp_actor *who, const cJSON *decl, const char *status, const char *action,
                 cJSON *crossing_patch, cJSON **decl_after, cJSON **crossing, lp_err *err)
{
    char idbuf[32];
    cJSON *patch = cJSON_CreateObject(), *cr = NULL;
    int rc;

    id_text(lp_json_int(decl, "id", 0), idbuf);
    cJSON_AddStringToObject(patch, "status", status);
    rc = lp_table_update(st, &lp_tbl_declarations, who, idbuf, 0, lp_json_int(decl, "version", -1), action, patch,
                         decl_after, err);
    /* On PostgreSQL another node may have moved it since we read it. */
    if (rc == LP_ESTALE) {
        err->code = LP_ECONFLICT;
        rc = LP_ECONFLICT;
    }
    if (rc) goto out;
    rc = crossing_of(st, who, decl, &cr, err);
    if (rc) goto out;
    id_text(lp_json_int(cr, "id", 0), idbuf);
    cJSON_Delete(cr);
    cr = NULL;
    rc = lp_table_update(st, &lp_tbl_crossings, who, idbuf, 0, -1, action, crossing_patch, &cr, err);
    if (rc) goto out;
    if (crossing) {
        *crossing = cr;
        cr = NULL;
    }
out:
    cJSON_Delete(patch);
    cJSON_Delete(cr);
    return rc;
}

/* Exit at km 0 and the handover record ------------------------------------------ */

/* What the partner side needs to receive the truck: identity, seals, a goods
 * summary (no values: those stay with the declarant and customs) and the
 * times of this side's steps. */
static cJSON *handover_json(const cJSON *decl, const cJSON *crossing, int64_t exit_ms)
{
    static const char *const copy[] = {"direction", "crossing_point_id", "transport", "vehicle_plate",
                                       "trailer_plate", "containers", "channel"};
    static const char *const line_keep[] = {"hs_code", "packages", "gross_weight_kg"};
    const cJSON *totals = cJSON_GetObjectItemCaseSensitive(decl, "totals"), *g;
    cJSON *h = cJSON_CreateObject(), *goods, *line, *tot;
    char ts[40];
    int i;

    cJSON_AddStringToObject(h, "format", "landport.handover.v1");
    cJSON_AddItemToObject(h, "declaration_number", dup_member(decl, "number"));
    for (i = 0; i < N(copy); i++) cJSON_AddItemToObject(h, copy[i], dup_member(decl, copy[i]));
    goods = cJSON_AddArrayToObject(h, "goods");
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(decl, "goods")) {
        line = cJSON_CreateObject();
        for (i = 0; i < N(line_keep); i++) cJSON_AddItemToObject(line, line_keep[i], dup_member(g, line_keep[i]));
        cJSON_AddItemToArray(goods, line);
    }
    tot = cJSON_AddObjectToObject(h, "totals");
    cJSON_AddItemToObject(tot, "packages", dup_member(totals, "packages"));
    cJSON_AddItemToObject(tot, "gross_weight_kg", dup_member(totals, "gross_weight_kg"));
    cJSON_AddItemToObject(h, "filed_at", dup_member(crossing, "filed_at"));
    cJSON_AddItemToObject(h, "cleared_at", dup_member(crossing, "cleared_at"));
    cJSON_AddItemToObject(h, "gate_open_at", dup_member(crossing, "gate_open_at"));
    lp_time_format(exit_ms, ts, sizeof ts);
    cJSON_AddStringToObject(h, "exit_at", ts);
    return h;
}

void lp_h_declarations_exit(lp_req *r)
{
    cJSON *decl = NULL, *after = NULL, *crossing = NULL, *cp = NULL, *reply;
    const char *status;
    int64_t exit_ms;
    int rc, in_tx = 0;
    lp_err err;

    lp_err_init(&err);
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    rc = lp_table_get(r->store, &lp_tbl_declarations, r->params[0], lp_req_scope(r), &decl, &err);
    if (rc) goto out;
    status = lp_json_str(decl, "status");
    if (!status || strcmp(status, "gate_open") != 0) {
        rc = lp_err_set(&err, LP_ECONFLICT,
                        "declaration %s is %s: exit at km 0 is recorded only after the gate opened for it (gate_open)",
                        r->params[0], status ? status : "without status");
        goto out;
    }
    rc = crossing_of(r->store, &r->actor, decl, &crossing, &err);
    if (rc) goto out;
    exit_ms = net__now_ms(r->store);
    cp = cJSON_CreateObject();
    cJSON_AddNumberToObject(cp, "exit_at", (double)exit_ms);
    cJSON_AddItemToObject(cp, "handover", handover_json(decl, crossing, exit_ms));
    cJSON_Delete(crossing);
    crossing = NULL;
    rc = net__advance(r->store, &r->actor, decl, "exited", "exit", cp, &after, &crossing, &err);
    if (rc) goto out;
    rc = lp_store_commit(r->store, &err);
    in_tx = 0;
    if (rc) goto out;
    reply = cJSON_CreateObject();
    cJSON_AddItemToObject(reply, "declaration", after);
    cJSON_AddItemToObject(reply, "crossing", crossing);
    after = crossing = NULL;
    lp_reply_json(r, 200, reply);
out:
    if (in_tx) lp_store_rollback(r->store);
    if (rc) net__fail(r, &err, NULL);
    cJSON_Delete(decl);
    cJSON_Delete(after);
    cJSON_Delete(crossing);
    cJSON_Delete(cp);
}

/* Crossing records ----------------------------------------------------------------- */

const lp_qparam lp_query_crossings[] = {
    {"crossing_point_id", "string", "Only this crossing point's"},
    {"channel", "string", "green, yellow or red"},
    {"direction", "string", "export or import"},
    {"declaration_id", "integer", "The crossing of this declaration"},
    {"exited", "boolean", "true: only those recorded at km 0; false: only those not yet"},
    {0}};

/* Seconds between two time members, or null when either is missing. */
static cJSON *span(const cJSON *rec, const char *from, const char *to)
{
    int64_t a = time_member(rec, from), b = time_member(rec, to);
    return a && b ? cJSON_CreateNumber((double)(b - a) / 1000.0) : cJSON_CreateNull();
}

static void decorate_crossing(cJSON *rec)
{
    cJSON *d = cJSON_AddObjectToObject(rec, "durations_s");
    cJSON_AddItemToObject(d, "filing_to_clearance", span(rec, "filed_at", "cleared_at"));
    cJSON_AddItemToObject(d, "clearance_to_gate", span(rec, "cleared_at", "gate_open_at"));
    cJSON_AddItemToObject(d, "gate_to_exit", span(rec, "gate_open_at", "exit_at"));
    cJSON_AddItemToObject(d, "filing_to_exit", span(rec, "filed_at", "exit_at"));
}

/* The partner side sees the crossings that reached km 0, i.e. the handover
 * records; what is still on this side of the border is not its business. */
static int partner(const lp_req *r) { return r->who.role == LP_ROLE_PARTNER; }

void lp_h_crossings_get(lp_req *r)
{
    cJSON *rec = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_table_get(r->store, &lp_tbl_crossings, r->params[0], lp_req_scope(r), &rec, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    if (partner(r) && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(rec, "exit_at"))) {
        cJSON_Delete(rec);
        lp_err_set(&err, LP_ENOTFOUND, "no crossing with id '%s'", r->params[0]);
        net__fail(r, &err, NULL);
        return;
    }
    decorate_crossing(rec);
    net__etag(r, rec);
    lp_reply_json(r, 200, rec);
}

void lp_h_crossings_list(lp_req *r)
{
    const char *cursor, *exited = lp_req_query(r, "exited"), *decl = lp_req_query(r, "declaration_id");
    lp_crossings_filter f;
    cJSON *items = NULL, *rec;
    char *next = NULL, *end;
    int limit;
    lp_err err;

    lp_err_init(&err);
    if (lp_req_page(r, &limit, &cursor)) return;
    memset(&f, 0, sizeof f);
    f.crossing_point_id = lp_req_query(r, "crossing_point_id");
    f.channel = lp_req_query(r, "channel");
    f.direction = lp_req_query(r, "direction");
    if (decl) {
        f.has_declaration_id = 1;
        f.declaration_id = strtoll(decl, &end, 10);
        if (!*decl || *end) lp_err_field_add(&err, "?declaration_id", "must be an integer");
    }
    if (exited && strcmp(exited, "true") && strcmp(exited, "false"))
        lp_err_field_add(&err, "?exited", "must be true or false");
    f.exited = exited ? strcmp(exited, "true") == 0 : -1;
    f.exited_only = partner(r);
    f.company_id = lp_req_scope(r);
    if (cursor) {
        f.has_after = 1;
        f.after_id = strtoll(cursor, &end, 10);
        if (*end || f.after_id < 0) lp_err_field_add(&err, "?cursor", "is not a cursor this server gave out");
    }
    if (err.code) {
        lp_reply_problem(r, 400, "the request has invalid query parameters", &err);
        return;
    }
    if (lp_crossings_list(r->store, &f, limit, &items, &next, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    cJSON_ArrayForEach(rec, items) decorate_crossing(rec);
    lp_reply_page(r, items, next);
    lp_free(next);
}

/* h_gate.c - the automatic gate and what follows it (DESIGN.md, "A manned
 * truck crossing", steps 6-9): devices post what they read at a gate lane and
 * get the barrier decision; exit at km 0 writes the handover record for the
 * partner side; crossing records carry every timestamp; KPIs per channel.
 *
 * Invariant: a passage and everything it changes (declaration status, crossing
 * timestamps, the exception task) are written in one transaction, each change
 * with its audit event.  The barrier opens only when lp_gate_decide says OPEN,
 * or when an officer approved a gate exception that listed every problem read
 * again.  Routes in routes_gate.inc. */
#include "h_gate.h"
#include "../core/cargo.h"
#include "../core/gatecheck.h"
#include "../core/ident.h"
#include "../core/mem.h"
#include "../store/clearance.h"
#include "../store/resources.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Helpers --------------------------------------------------------------------- */

static int64_t now_ms(lp_store *st)
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
static int parse_time(const char *s, int64_t *ms)
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
    return s && parse_time(s, &ms) == LP_OK ? ms : 0;
}

/* The canonical form of a plate read by a camera, trying the Vietnamese
 * format, then the Chinese; "" when it is neither. */
static void canonical_plate(const char *text, char *out, size_t n)
{
    out[0] = '\0';
    if (!text || !*text) return;
    if (lp_ident_plate("VN", text, out, n, NULL, 0) == LP_OK) return;
    if (lp_ident_plate("CN", text, out, n, NULL, 0) == LP_OK) return;
    out[0] = '\0';
}

/* Kilograms (a JSON number) in grams, or fallback when v is not a number or
 * out of the gate's bounds.  Readings are rounded to the gram, not refused:
 * a weighbridge reports what it reports. */
static int64_t kg_to_g(const cJSON *v, int64_t fallback)
{
    double g;
    if (!cJSON_IsNumber(v)) return fallback;
    g = v->valuedouble * 1000.0;
    if (!(g >= 0.0) || g > (double)LP_GATE_WEIGHT_MAX) return fallback;
    return (int64_t)llround(g);
}

static cJSON *id_or_null(int64_t id)
{
    return id > 0 ? cJSON_CreateNumber((double)id) : cJSON_CreateNull();
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

/* The body of POST /api/v1/gate-passages --------------------------------------- */

/* jsonspec has no type for a plain object nor for an array of strings yet
 * (h_declarations.c works around it the same way): plate and trailer_plate
 * are declared as object arrays and seals as an enum array without values,
 * so that their members and limits are in the OpenAPI document; the check
 * step drops what jsonspec then says about them (false_alarm) and checks
 * their shapes itself.  On the wire plates are objects, seals strings. */

static const lp_jfield ocr_fields[] = {
    {"text", LP_J_STRING, LP_JF_REQUIRED, 0, 32, NULL, NULL, "What was read; \"\" when nothing could be read",
     "\"29C-123.45\""},
    {"confidence", LP_J_INT, LP_JF_REQUIRED, 0, 1000, NULL, NULL, "Reader confidence, per mille", "960"},
};
static const lp_jspec ocr_spec = {ocr_fields, N(ocr_fields)};

static const lp_jfield container_read_fields[] = {
    {"number", LP_J_STRING, LP_JF_REQUIRED, 1, 20, NULL, NULL, "Container number as read (OCR)", "\"MSKU1234565\""},
    {"confidence", LP_J_INT, LP_JF_REQUIRED, 0, 1000, NULL, NULL, "OCR confidence, per mille", "910"},
};
static const lp_jspec container_read_spec = {container_read_fields, N(container_read_fields)};

static const lp_jfield passage_fields[] = {
    {"crossing_point_id", LP_J_STRING, LP_JF_REQUIRED, 2, 40, NULL, NULL, "Where the gate is", "\"huunghi-main\""},
    {"lane", LP_J_INT, LP_JF_REQUIRED, 1, 64, NULL, NULL, "Gate lane, 1 .. the crossing point's lanes", "1"},
    {"plate", LP_J_OBJECT_ARRAY, LP_JF_REQUIRED, 0, 0, NULL, &ocr_spec,
     "Front ANPR read: an object {text, confidence}", NULL},
    {"trailer_plate", LP_J_OBJECT_ARRAY, LP_JF_NULLABLE, 0, 0, NULL, &ocr_spec,
     "Rear ANPR read: an object {text, confidence}; absent or null when nothing was read", NULL},
    {"containers", LP_J_OBJECT_ARRAY, 0, 0, LP_GATE_CONTAINER_READS_MAX, NULL, &container_read_spec,
     "Container numbers read, [{number, confidence}]; a number read by two cameras may repeat", NULL},
    {"seals", LP_J_ENUM_ARRAY, 0, 0, LP_GATE_SEAL_READS_MAX, NULL, NULL,
     "Seal numbers read (strings of 1-32 characters), in any order", "[\"VN2024000123\"]"},
    {"gross_weight_kg", LP_J_NUMBER, LP_JF_NULLABLE, 0, 1000000000, NULL, NULL,
     "Weighbridge reading of the whole vehicle in kg; absent or null without a weighbridge", "38250.5"},
};
const lp_jspec lp_spec_gate_passage = {passage_fields, N(passage_fields)};

static int false_alarm(const lp_err_field *f)
{
    int i, n = 0;
    if (strcmp(f->pointer, "/plate") == 0 || strcmp(f->pointer, "/trailer_plate") == 0)
        return strcmp(f->msg, "must be an array") == 0;
    return sscanf(f->pointer, "/seals/%d%n", &i, &n) == 1 && f->pointer[n] == '\0';
}

static void check_shapes(const cJSON *body, lp_err *err)
{
    static const char *const plates[] = {"plate", "trailer_plate"};
    const cJSON *seals = cJSON_GetObjectItemCaseSensitive(body, "seals"), *s;
    char ptr[32];
    int i, n = 0;

    for (i = 0; i < err->nfields; i++) {
        if (false_alarm(&err->fields[i])) continue;
        if (n != i) err->fields[n] = err->fields[i];
        n++;
    }
    err->nfields = n;
    if (n == 0 && err->more == 0 && err->code == LP_EINVAL) lp_err_init(err);
    for (i = 0; i < 2; i++) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(body, plates[i]);
        snprintf(ptr, sizeof ptr, "/%s", plates[i]);
        if (!p || cJSON_IsNull(p)) continue; /* jsonspec said whether that is allowed */
        if (!cJSON_IsObject(p)) lp_err_field_add(err, ptr, "must be an object {text, confidence}");
        else lp_jspec_check(&ocr_spec, p, LP_JSPEC_CREATE, ptr, err);
    }
    i = 0;
    if (cJSON_IsArray(seals))
        cJSON_ArrayForEach(s, seals) {
            snprintf(ptr, sizeof ptr, "/seals/%d", i++);
            if (!cJSON_IsString(s)) lp_err_field_add(err, ptr, "must be a string");
            else if (!s->valuestring[0] || strlen(s->valuestring) > 32)
                lp_err_field_add(err, ptr, "must be 1 to 32 characters");
        }
}

void lp_check_gate_passage(lp_req *r, lp_err *err)
{
    const char *point = lp_json_str(r->body, "crossing_point_id");
    int64_t lane = lp_json_int(r->body, "lane", 0), lanes;
    cJSON *rec = NULL;
    lp_err e;

    check_shapes(r->body, err);
    if (!point) return;
    lp_err_init(&e);
    if (lp_table_get(r->store, &lp_tbl_crossing_points, point, 0, &rec, &e)) {
        if (e.code == LP_ENOTFOUND) lp_err_field_add(err, "/crossing_point_id", "no crossing point '%s'", point);
        else lp_err_set(err, e.code, "%s", e.msg);
        return;
    }
    lanes = lp_json_int(rec, "lanes", 0);
    if (lane > lanes) lp_err_field_add(err, "/lane", "crossing point %s has lanes 1 to %" PRId64, point, lanes);
    cJSON_Delete(rec);
}

/* Finding the declaration --------------------------------------------------------- */

/* One POST's working state.  The strings in `in` are borrowed from decl,
 * tasks and the request body, which all outlive the decision. */
typedef struct gate_ctx {
    lp_gate_input in;
    lp_gate_result res;
    cJSON *decl;                     /* the declaration, NULL if none (owned) */
    cJSON *tasks;                    /* its tasks, an array (owned) */
    const char *matched_by;          /* "plate", "trailer_plate", "container" */
    int64_t open_exception;          /* an open gate_exception task, 0 if none */
    const cJSON *approved_exception; /* the latest approved one (borrowed from tasks) */
    int64_t override_task;           /* the approved exception covering every reason, or 0 */
    int64_t exception_task;          /* the exception this passage opened or found, or 0 */
} gate_ctx;

/* The most recent declaration at point whose column col equals value (or,
 * like, contains it) among those a gate may act on; 0 if none. */
static int lookup(lp_store *st, const char *point, const char *col, const char *value, int like, int64_t *id,
                  lp_err *err)
{
    char sql[256];
    lp_db_val p[] = {LP_DB_S(point), LP_DB_S(value)};
    lp_db_res *res = NULL;
    int rc;
    snprintf(sql, sizeof sql,
             "SELECT id FROM declarations WHERE crossing_point_id = ? AND %s %s ?"
             " AND status IN ('cleared', 'pending', 'held') ORDER BY id DESC LIMIT 1",
             col, like ? "LIKE" : "=");
    *id = 0;
    rc = lp_db_query(lp_store_db(st), sql, p, 2, &res, err);
    if (rc == LP_OK && lp_db_res_nrows(res) > 0) *id = lp_db_res_int(res, 0, 0);
    lp_db_res_free(res);
    return rc;
}

/* The declaration is found by the front plate; failing that by the trailer
 * plate or a container number, so that a misread or swapped tractor still
 * reaches the officer as PLATE_MISMATCH on the right declaration instead of
 * as an anonymous NO_DECLARATION.  Such a find never opens the barrier by
 * itself: the decision still compares the plate. */
static int find_declaration(lp_store *st, const cJSON *body, gate_ctx *g, lp_err *err)
{
    const char *point = lp_json_str(body, "crossing_point_id");
    const cJSON *trailer = cJSON_GetObjectItemCaseSensitive(body, "trailer_plate"), *c;
    char canon[64], pattern[64], idbuf[32];
    int64_t id = 0;
    int rc;

    canonical_plate(lp_json_str(cJSON_GetObjectItemCaseSensitive(body, "plate"), "text"), canon, sizeof canon);
    if (canon[0] && (rc = lookup(st, point, "vehicle_plate", canon, 0, &id, err))) return rc;
    if (id) g->matched_by = "plate";
    if (!id && cJSON_IsObject(trailer)) {
        canonical_plate(lp_json_str(trailer, "text"), canon, sizeof canon);
        if (canon[0] && (rc = lookup(st, point, "trailer_plate", canon, 0, &id, err))) return rc;
        if (id) g->matched_by = "trailer_plate";
    }
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(body, "containers")) {
        char number[LP_CARGO_CONTAINER_SIZE];
        if (id) break;
        /* Only a number with a valid check digit: the canonical form holds
         * letters and digits alone, so it is safe inside a LIKE pattern. */
        if (lp_cargo_container(lp_json_str(c, "number"), number, sizeof number, NULL, 0)) continue;
        snprintf(pattern, sizeof pattern, "%%\"number\":\"%s\"%%", number);
        if ((rc = lookup(st, point, "containers", pattern, 1, &id, err))) return rc;
        if (id) g->matched_by = "container";
    }
    if (!id) return LP_OK;
    id_text(id, idbuf);
    return lp_table_get(st, &lp_tbl_declarations, idbuf, 0, &g->decl, err);
}

/* Building the gate input ------------------------------------------------------- */

static int agency_index(const char *s)
{
    int a;
    for (a = 0; s && a < LP_GATE_AGENCIES; a++)
        if (strcmp(s, lp_gate_agency_name((lp_gate_agency)a)) == 0) return a;
    return -1;
}

static lp_gate_state task_state(const char *s)
{
    if (s && strcmp(s, "approved") == 0) return LP_GATE_ST_APPROVED;
    if (s && strcmp(s, "rejected") == 0) return LP_GATE_ST_REJECTED;
    if (s && strcmp(s, "hold") == 0) return LP_GATE_ST_HOLD;
    return LP_GATE_ST_PENDING; /* pending, or a word we do not know: not approved */
}

/* How much a state stops the truck: a rejection outweighs a hold, a hold
 * waiting, waiting an approval (as lp_clearance_refresh ranks them). */
static int state_rank(lp_gate_state s)
{
    switch (s) {
    case LP_GATE_ST_APPROVED: return 0;
    case LP_GATE_ST_PENDING: return 1;
    case LP_GATE_ST_HOLD: return 2;
    case LP_GATE_ST_REJECTED: return 3;
    }
    return 3;
}

/* Approvals from the declaration's tasks: an agency's approval is required
 * when it has a task, and its state is the worst of its tasks.  A gate
 * exception counts for its agency while it is open (pending or hold) or
 * rejected; an approved one only settles the exception.  A declaration
 * with no task at all is not cleared (filing creates the tasks with it), so
 * customs is then required and pending. */
static int load_approvals(lp_store *st, gate_ctx *g, lp_err *err)
{
    char idbuf[32];
    lp_filter f = {"declaration_id", idbuf};
    char *next = NULL;
    const cJSON *t;
    int rc, counted = 0;

    id_text(lp_json_int(g->decl, "id", 0), idbuf);
    rc = lp_table_list(st, &lp_tbl_tasks, &f, 1, 0, NULL, 500, &g->tasks, &next, err);
    lp_free(next);
    if (rc) return rc;
    cJSON_ArrayForEach(t, g->tasks) {
        int a = agency_index(lp_json_str(t, "agency"));
        const char *kind = lp_json_str(t, "kind");
        lp_gate_state s = task_state(lp_json_str(t, "state"));
        lp_gate_approval *ap;
        if (a < 0) continue;
        if (kind && strcmp(kind, "gate_exception") == 0) {
            if (s == LP_GATE_ST_APPROVED) {
                g->approved_exception = t; /* tasks come in id order: the last is the latest */
                continue;
            }
            if (s == LP_GATE_ST_PENDING || s == LP_GATE_ST_HOLD) g->open_exception = lp_json_int(t, "id", 0);
        }
        ap = &g->in.approvals[a];
        if (!ap->required || state_rank(s) > state_rank(ap->state)) ap->state = s;
        ap->required = 1;
        counted++;
    }
    if (!counted) {
        g->in.approvals[LP_GATE_CUSTOMS].required = 1;
        g->in.approvals[LP_GATE_CUSTOMS].state = LP_GATE_ST_PENDING;
    }
    return LP_OK;
}

static lp_risk_channel channel_of(const char *s)
{
    if (s && strcmp(s, "green") == 0) return LP_RISK_GREEN;
    if (s && strcmp(s, "yellow") == 0) return LP_RISK_YELLOW;
    return LP_RISK_RED; /* red, or unknown: the strictest */
}

/* What the declaration says should arrive.  Tare: the vehicle register keeps
 * only max_gross_kg, so the tare is unknown and the weight is compared only
 * when the settings require it (then TARE_MISSING holds the truck).  A
 * declaration beyond the gate's limits is passed on with a count one above
 * them, which lp_gate_decide refuses (INPUT_INVALID, HOLD) before reading
 * any entry. */
static void expect_from_declaration(gate_ctx *g, const lp_clearance_settings *cs)
{
    lp_gate_expect *e = &g->in.expect;
    const cJSON *c, *s;
    const char *trailer = lp_json_str(g->decl, "trailer_plate");

    e->plate = lp_json_str(g->decl, "vehicle_plate");
    e->trailer = trailer && *trailer ? trailer : NULL;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(g->decl, "containers")) {
        lp_gate_container *gc;
        if (e->ncontainers == LP_GATE_CONTAINERS_MAX) {
            e->ncontainers++;
            break;
        }
        gc = &e->containers[e->ncontainers++];
        gc->number = lp_json_str(c, "number");
        cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(c, "seals")) {
            if (gc->nseals == LP_GATE_SEALS_MAX) {
                gc->nseals++;
                break;
            }
            gc->seals[gc->nseals++] = cJSON_IsString(s) ? s->valuestring : NULL;
        }
    }
    e->goods_g = kg_to_g(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(g->decl, "totals"),
                                                          "gross_weight_kg"),
                         -1);
    e->tare_g = LP_GATE_NO_WEIGHT;
    e->tol_permille = cs->weight_tol_permille;
    e->tol_g = cs->weight_tol_g;
    e->weight_required = cs->weight_required;
    g->in.channel = channel_of(lp_json_str(g->decl, "channel"));
    g->in.min_plate_confidence = cs->min_plate_confidence;
    g->in.min_ocr_confidence = cs->min_ocr_confidence;
}

static void ocr_from(const cJSON *o, lp_gate_ocr *out)
{
    out->text = cJSON_IsObject(o) ? lp_json_str(o, "text") : NULL;
    out->confidence = cJSON_IsObject(o) ? (int)lp_json_int(o, "confidence", 0) : 0;
}

/* What the devices read (the body is checked against lp_spec_gate_passage,
 * which keeps the counts within the gate's limits). */
static void readings_from_body(gate_ctx *g, const cJSON *body)
{
    lp_gate_readings *rd = &g->in.read;
    const cJSON *c;
    ocr_from(cJSON_GetObjectItemCaseSensitive(body, "plate"), &rd->plate);
    ocr_from(cJSON_GetObjectItemCaseSensitive(body, "trailer_plate"), &rd->trailer);
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(body, "containers")) {
        if (rd->ncontainers == LP_GATE_CONTAINER_READS_MAX) break;
        rd->containers[rd->ncontainers].text = lp_json_str(c, "number");
        rd->containers[rd->ncontainers++].confidence = (int)lp_json_int(c, "confidence", 0);
    }
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(body, "seals")) {
        if (rd->nseals == LP_GATE_SEAL_READS_MAX) break;
        if (cJSON_IsString(c)) rd->seals[rd->nseals++] = c->valuestring;
    }
    rd->gross_g = kg_to_g(cJSON_GetObjectItemCaseSensitive(body, "gross_weight_kg"), LP_GATE_NO_WEIGHT);
}

/* The decision's outcome ------------------------------------------------------- */

/* Reasons about approvals and the input itself are never an officer's
 * exception to approve at the gate: the agency decides on its own task. */
static int overridable(lp_gate_code c)
{
    return c != LP_GATE_R_INPUT_INVALID && c != LP_GATE_R_APPROVAL_PENDING && c != LP_GATE_R_APPROVAL_REJECTED &&
           c != LP_GATE_R_APPROVAL_HOLD && c != LP_GATE_R_CHANNEL_NEEDS_OFFICER;
}

/* The approved gate exception whose recorded reasons include every reason of
 * this HOLD (same code, same message: the same plate, seal or container
 * numbers), or 0.  That is the officer's decision "let it pass as seen". */
static int64_t covering_exception(const gate_ctx *g)
{
    const cJSON *listed;
    int i;
    if (g->res.decision == LP_GATE_OPEN || !g->approved_exception || g->res.more) return 0;
    listed = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(g->approved_exception, "details"),
                                              "reasons");
    for (i = 0; i < g->res.nreasons; i++) {
        const lp_gate_reason *rs = &g->res.reasons[i];
        const cJSON *it;
        int found = 0;
        if (!overridable(rs->code)) return 0;
        cJSON_ArrayForEach(it, listed) {
            const char *code = lp_json_str(it, "code"), *msg = lp_json_str(it, "message");
            if (code && msg && strcmp(code, lp_gate_code_name(rs->code)) == 0 && strcmp(msg, rs->msg) == 0) found = 1;
        }
        if (!found) return 0;
    }
    return lp_json_int(g->approved_exception, "id", 0);
}

static int is_open(const gate_ctx *g)
{
    return g->decl && (g->res.decision == LP_GATE_OPEN || g->override_task);
}

/* [{code, agency, message}], the passage's stored reasons. */
static cJSON *reasons_json(const gate_ctx *g)
{
    cJSON *a = cJSON_CreateArray();
    int i;
    if (!g->decl) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", "NO_DECLARATION");
        cJSON_AddNullToObject(o, "agency");
        cJSON_AddStringToObject(o, "message",
                                "no cleared, pending or held declaration at this crossing point for the plate,"
                                " trailer or containers read");
        cJSON_AddItemToArray(a, o);
        return a;
    }
    for (i = 0; i < g->res.nreasons; i++) {
        const lp_gate_reason *rs = &g->res.reasons[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", lp_gate_code_name(rs->code));
        if (rs->agency >= 0) cJSON_AddStringToObject(o, "agency", lp_gate_agency_name((lp_gate_agency)rs->agency));
        else cJSON_AddNullToObject(o, "agency");
        cJSON_AddStringToObject(o, "message", rs->msg);
        if (g->override_task) cJSON_AddNumberToObject(o, "overridden_by_task", (double)g->override_task);
        cJSON_AddItemToArray(a, o);
    }
    if (g->res.more) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", "MORE_REASONS");
        cJSON_AddNullToObject(o, "agency");
        cJSON_AddItemToObject(o, "message", cJSON_CreateString("further reasons were found and not listed"));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

/* The readings as posted, with the weight comparison when one was made. */
static cJSON *readings_json(const gate_ctx *g, const cJSON *body)
{
    cJSON *o = cJSON_Duplicate(body, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "crossing_point_id");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "lane");
    if (g->decl && g->res.weight_expected_g != LP_GATE_NO_WEIGHT) {
        cJSON *w = cJSON_AddObjectToObject(o, "weight_check");
        cJSON_AddNumberToObject(w, "expected_kg", (double)g->res.weight_expected_g / 1000.0);
        cJSON_AddNumberToObject(w, "read_kg", (double)g->res.weight_read_g / 1000.0);
        cJSON_AddNumberToObject(w, "tolerance_kg", (double)g->res.weight_tol_g / 1000.0);
    }
    if (g->matched_by) cJSON_AddStringToObject(o, "matched_by", g->matched_by);
    return o;
}

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
static int advance(lp_store *st, const lp_actor *who, const cJSON *decl, const char *status, const char *action,
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

/* The agency of a gate exception: the border guard for the vehicle's
 * identity (plate or trailer: they check vehicles and drivers), customs for
 * everything else (containers, seals, weight, approvals). */
static const char *exception_agency(const gate_ctx *g)
{
    int i;
    for (i = 0; i < g->res.nreasons; i++)
        if (g->res.reasons[i].code >= LP_GATE_R_PLATE_MISSING && g->res.reasons[i].code <= LP_GATE_R_TRAILER_MISMATCH)
            return "border_guard";
    return "customs";
}

/* Opens a gate_exception task for the held truck unless one is open for the
 * declaration, then lets the declaration's status follow its tasks. */
static int open_exception(lp_store *st, const lp_actor *who, gate_ctx *g, const cJSON *passage, lp_err *err)
{
    cJSON *v, *details, *task = NULL;
    int64_t decl_id = lp_json_int(g->decl, "id", 0);
    int rc;

    if (g->open_exception) {
        g->exception_task = g->open_exception;
        return LP_OK;
    }
    v = cJSON_CreateObject();
    cJSON_AddNumberToObject(v, "declaration_id", (double)decl_id);
    cJSON_AddNumberToObject(v, "company_id", (double)lp_json_int(g->decl, "company_id", 0));
    cJSON_AddStringToObject(v, "agency", exception_agency(g));
    cJSON_AddStringToObject(v, "kind", "gate_exception");
    cJSON_AddStringToObject(v, "state", "pending");
    details = cJSON_AddObjectToObject(v, "details");
    cJSON_AddNumberToObject(details, "passage_id", (double)lp_json_int(passage, "id", 0));
    cJSON_AddStringToObject(details, "crossing_point_id", lp_json_str(passage, "crossing_point_id"));
    cJSON_AddNumberToObject(details, "lane", (double)lp_json_int(passage, "lane", 0));
    cJSON_AddItemToObject(details, "reasons", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(passage, "reasons"), 1));
    cJSON_AddItemToObject(details, "readings",
                          cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(passage, "readings"), 1));
    rc = lp_table_insert(st, &lp_tbl_tasks, who, NULL, v, &task, err);
    cJSON_Delete(v);
    if (rc) return rc;
    g->exception_task = lp_json_int(task, "id", 0);
    cJSON_Delete(task);
    return lp_clearance_refresh(st, who, decl_id, NULL, err);
}

/* Stores the passage and what it causes (inside the caller's transaction). */
static int record_passage(lp_req *r, gate_ctx *g, cJSON **passage, lp_err *err)
{
    cJSON *v = cJSON_CreateObject(), *cp = NULL;
    int64_t decl_id = g->decl ? lp_json_int(g->decl, "id", 0) : 0;
    int rc;

    cJSON_AddItemToObject(v, "declaration_id", id_or_null(decl_id));
    cJSON_AddItemToObject(v, "company_id", id_or_null(g->decl ? lp_json_int(g->decl, "company_id", 0) : 0));
    cJSON_AddStringToObject(v, "crossing_point_id", lp_json_str(r->body, "crossing_point_id"));
    cJSON_AddNumberToObject(v, "lane", (double)lp_json_int(r->body, "lane", 0));
    cJSON_AddItemToObject(v, "readings", readings_json(g, r->body));
    cJSON_AddStringToObject(v, "decision", is_open(g) ? "open" : "hold");
    cJSON_AddItemToObject(v, "reasons", reasons_json(g));
    cJSON_AddStringToObject(v, "device", r->who.name);
    rc = lp_table_insert(r->store, &lp_tbl_gate_passages, &r->actor, NULL, v, passage, err);
    if (rc || !g->decl) goto out;
    if (is_open(g)) {
        cp = cJSON_CreateObject();
        cJSON_AddNumberToObject(cp, "gate_open_at", (double)now_ms(r->store));
        rc = advance(r->store, &r->actor, g->decl, "gate_open", "gate_open", cp, NULL, NULL, err);
    } else {
        rc = open_exception(r->store, &r->actor, g, *passage, err);
    }
out:
    cJSON_Delete(v);
    cJSON_Delete(cp);
    return rc;
}

/* Handlers: gate passages ------------------------------------------------------- */

static void decorate_passage(lp_req *r, cJSON *rec)
{
    const char *d = lp_json_str(rec, "decision");
    (void)r;
    cJSON_AddStringToObject(rec, "barrier", d && strcmp(d, "open") == 0 ? "open" : "closed");
}

void lp_h_gate_passages_create(lp_req *r)
{
    gate_ctx g;
    lp_clearance_settings cs;
    cJSON *passage = NULL, *reply;
    int rc, in_tx = 0;
    lp_err err;

    memset(&g, 0, sizeof g);
    lp_err_init(&err);
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    if ((rc = lp_clearance_settings_get(r->store, &cs, &err)) || (rc = find_declaration(r->store, r->body, &g, &err)))
        goto out;
    if (g.decl) {
        if ((rc = load_approvals(r->store, &g, &err))) goto out;
        expect_from_declaration(&g, &cs);
        readings_from_body(&g, r->body);
        /* LP_EINVAL comes with a HOLD and an INPUT_INVALID reason: the
         * declaration is beyond the gate's limits, a case for the officer. */
        (void)lp_gate_decide(&g.in, &g.res);
        g.override_task = covering_exception(&g);
    }
    if ((rc = record_passage(r, &g, &passage, &err))) goto out;
    rc = lp_store_commit(r->store, &err);
    in_tx = 0;
    if (rc) goto out;

    decorate_passage(r, passage);
    reply = cJSON_CreateObject();
    cJSON_AddStringToObject(reply, "decision", lp_json_str(passage, "decision"));
    cJSON_AddStringToObject(reply, "barrier", lp_json_str(passage, "barrier"));
    cJSON_AddItemToObject(reply, "reasons", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(passage, "reasons"), 1));
    cJSON_AddItemToObject(reply, "declaration_id", id_or_null(g.decl ? lp_json_int(g.decl, "id", 0) : 0));
    if (g.matched_by) cJSON_AddStringToObject(reply, "matched_by", g.matched_by);
    else cJSON_AddNullToObject(reply, "matched_by");
    cJSON_AddItemToObject(reply, "exception_task_id", id_or_null(g.exception_task));
    cJSON_AddItemToObject(reply, "override_task_id", id_or_null(g.override_task));
    cJSON_AddItemToObject(reply, "passage", passage);
    passage = NULL;
    lp_reply_json(r, 201, reply);
out:
    if (in_tx) lp_store_rollback(r->store);
    if (rc) net__fail(r, &err, NULL);
    cJSON_Delete(passage);
    cJSON_Delete(g.decl);
    cJSON_Delete(g.tasks);
}

const lp_qparam lp_query_gate_passages[] = {
    {"crossing_point_id", "string", "Only this crossing point's passages"},
    {"lane", "integer", "Only this lane's"},
    {"decision", "string", "open or hold"},
    {"declaration_id", "integer", "Only this declaration's"},
    {0}};

void lp_h_gate_passages_list(lp_req *r)
{
    const char *filters[N(lp_query_gate_passages)];
    int i;
    for (i = 0; lp_query_gate_passages[i].name; i++) filters[i] = lp_query_gate_passages[i].name;
    filters[i] = NULL;
    net__list(r, &lp_tbl_gate_passages, filters, decorate_passage);
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
    exit_ms = now_ms(r->store);
    cp = cJSON_CreateObject();
    cJSON_AddNumberToObject(cp, "exit_at", (double)exit_ms);
    cJSON_AddItemToObject(cp, "handover", handover_json(decl, crossing, exit_ms));
    cJSON_Delete(crossing);
    crossing = NULL;
    rc = advance(r->store, &r->actor, decl, "exited", "exit", cp, &after, &crossing, &err);
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
    static const char *const eq[] = {"crossing_point_id", "channel", "direction", "declaration_id"};
    lp_buf sql;
    lp_db_val p[12];
    lp_db_res *res = NULL;
    cJSON *items = NULL;
    const char *cursor, *exited = lp_req_query(r, "exited");
    char next[32] = "";
    int limit, n = 0, i, rows, rc;
    lp_err err;

    lp_err_init(&err);
    if (lp_req_page(r, &limit, &cursor)) return;
    lp_buf_init(&sql);
    lp_buf_puts(&sql, "SELECT id");
    for (i = 0; i < lp_tbl_crossings.ncols; i++) lp_buf_printf(&sql, ", %s", lp_tbl_crossings.cols[i].name);
    lp_buf_puts(&sql, ", version, created_at, updated_at FROM crossings WHERE 1=1");
    for (i = 0; i < N(eq); i++) {
        const char *v = lp_req_query(r, eq[i]);
        char *end;
        if (!v) continue;
        if (strcmp(eq[i], "declaration_id") == 0) {
            long long id = strtoll(v, &end, 10);
            if (!*v || *end) lp_err_field_add(&err, "?declaration_id", "must be an integer");
            p[n++] = LP_DB_I(id);
        } else {
            p[n++] = LP_DB_S(v);
        }
        lp_buf_printf(&sql, " AND %s = ?", eq[i]);
    }
    if (exited && strcmp(exited, "true") && strcmp(exited, "false"))
        lp_err_field_add(&err, "?exited", "must be true or false");
    if (partner(r)) lp_buf_puts(&sql, " AND exit_at IS NOT NULL");
    if (exited) lp_buf_puts(&sql, strcmp(exited, "true") == 0 ? " AND exit_at IS NOT NULL" : " AND exit_at IS NULL");
    if (lp_req_scope(r)) {
        lp_buf_puts(&sql, " AND company_id = ?");
        p[n++] = LP_DB_I(lp_req_scope(r));
    }
    if (cursor) {
        char *end;
        long long c = strtoll(cursor, &end, 10);
        if (*end || c < 0) lp_err_field_add(&err, "?cursor", "is not a cursor this server gave out");
        lp_buf_puts(&sql, " AND id > ?");
        p[n++] = LP_DB_I(c);
    }
    if (err.code) {
        lp_reply_problem(r, 400, "the request has invalid query parameters", &err);
        goto out;
    }
    lp_buf_puts(&sql, " ORDER BY id LIMIT ?");
    p[n++] = LP_DB_I(limit + 1);
    rc = lp_db_query(lp_store_db(r->store), lp_buf_str(&sql), p, n, &res, &err);
    if (rc) {
        net__fail(r, &err, NULL);
        goto out;
    }
    rows = lp_db_res_nrows(res);
    items = cJSON_CreateArray();
    for (i = 0; i < rows && i < limit; i++) {
        cJSON *rec = lp_table_row_json(&lp_tbl_crossings, res, i);
        decorate_crossing(rec);
        cJSON_AddItemToArray(items, rec);
    }
    if (rows > limit) snprintf(next, sizeof next, "%s", lp_db_res_text(res, limit - 1, 0));
    lp_reply_page(r, items, next[0] ? next : NULL);
out:
    lp_db_res_free(res);
    lp_buf_deinit(&sql);
}

/* KPIs ---------------------------------------------------------------------------- */

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
    series filing_to_exit, clearance_to_gate;
    cJSON *by_status; /* {status: count} */
} kpi_group;

static int kpi_index(const char *channel)
{
    int i;
    for (i = 0; channel && i < KPI_GROUPS - 1; i++)
        if (strcmp(channel, kpi_names[i]) == 0) return i;
    return -1;
}

/* Appends " AND col >= ? AND col < ?" (and the crossing point) for the
 * parameters present. */
static void kpi_where(lp_buf *sql, lp_db_val *p, int *n, const char *point, const char *col, int64_t from,
                      int64_t to)
{
    if (point) {
        lp_buf_puts(sql, " AND crossing_point_id = ?");
        p[(*n)++] = LP_DB_S(point);
    }
    if (from >= 0) {
        lp_buf_printf(sql, " AND %s >= ?", col);
        p[(*n)++] = LP_DB_I(from);
    }
    if (to >= 0) {
        lp_buf_printf(sql, " AND %s < ?", col);
        p[(*n)++] = LP_DB_I(to);
    }
}

static int kpi_exits(lp_store *st, kpi_group *k, const char *point, int64_t from, int64_t to, lp_err *err)
{
    lp_buf sql;
    lp_db_val p[3];
    lp_db_res *res = NULL;
    int n = 0, i, rc;

    lp_buf_init(&sql);
    lp_buf_puts(&sql, "SELECT channel, filed_at, cleared_at, gate_open_at, exit_at FROM crossings"
                      " WHERE exit_at IS NOT NULL");
    kpi_where(&sql, p, &n, point, "exit_at", from, to);
    rc = lp_db_query(lp_store_db(st), lp_buf_str(&sql), p, n, &res, err);
    lp_buf_deinit(&sql);
    if (rc) return rc;
    for (i = 0; i < lp_db_res_nrows(res); i++) {
        int groups[2] = {kpi_index(lp_db_res_text(res, i, 0)), KPI_GROUPS - 1}, j;
        for (j = 0; j < 2; j++) {
            kpi_group *g;
            if (groups[j] < 0) continue;
            g = &k[groups[j]];
            g->exited++;
            series_add(&g->filing_to_exit, lp_db_res_int(res, i, 4) - lp_db_res_int(res, i, 1));
            if (!lp_db_res_isnull(res, i, 2) && !lp_db_res_isnull(res, i, 3))
                series_add(&g->clearance_to_gate, lp_db_res_int(res, i, 3) - lp_db_res_int(res, i, 2));
        }
    }
    lp_db_res_free(res);
    return LP_OK;
}

static void count_add(cJSON *by_status, const char *status, int64_t count)
{
    cJSON *c = cJSON_GetObjectItemCaseSensitive(by_status, status);
    if (c) cJSON_SetNumberValue(c, c->valuedouble + (double)count);
    else cJSON_AddNumberToObject(by_status, status, (double)count);
}

static int kpi_statuses(lp_store *st, kpi_group *k, const char *point, int64_t from, int64_t to, lp_err *err)
{
    lp_buf sql;
    lp_db_val p[3];
    lp_db_res *res = NULL;
    int n = 0, i, rc;

    lp_buf_init(&sql);
    lp_buf_puts(&sql, "SELECT channel, status, COUNT(*) FROM declarations WHERE 1=1");
    kpi_where(&sql, p, &n, point, "created_at", from, to);
    lp_buf_puts(&sql, " GROUP BY channel, status ORDER BY channel, status");
    rc = lp_db_query(lp_store_db(st), lp_buf_str(&sql), p, n, &res, err);
    lp_buf_deinit(&sql);
    if (rc) return rc;
    for (i = 0; i < lp_db_res_nrows(res); i++) {
        int g = kpi_index(lp_db_res_text(res, i, 0));
        if (g >= 0) count_add(k[g].by_status, lp_db_res_text(res, i, 1), lp_db_res_int(res, i, 2));
        count_add(k[KPI_GROUPS - 1].by_status, lp_db_res_text(res, i, 1), lp_db_res_int(res, i, 2));
    }
    lp_db_res_free(res);
    return LP_OK;
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
        if (qs[i] && (parse_time(qs[i], &t[i]) || t[i] < 0))
            lp_err_field_add(&err, i ? "?to" : "?from",
                             "must be an RFC 3339 time (2026-11-23T07:00:00+07:00), a date or milliseconds");
    if (t[0] >= 0 && t[1] >= 0 && t[1] <= t[0]) lp_err_field_add(&err, "?to", "must be after from");
    if (err.code) {
        lp_reply_problem(r, 400, "the request has invalid query parameters", &err);
        return;
    }
    for (i = 0; i < KPI_GROUPS; i++) k[i].by_status = cJSON_CreateObject();
    if ((rc = kpi_exits(r->store, k, point, t[0], t[1], &err)) ||
        (rc = kpi_statuses(r->store, k, point, t[0], t[1], &err))) {
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
        cJSON_AddItemToObject(o, "by_status", k[i].by_status);
        k[i].by_status = NULL;
    }
    cJSON_AddStringToObject(reply, "note",
                            "yard entry times come with the yard: until then yard entry to exit is filing to exit");
    lp_reply_json(r, 200, reply);
out:
    for (i = 0; i < KPI_GROUPS; i++) {
        lp_free(k[i].filing_to_exit.v);
        lp_free(k[i].clearance_to_gate.v);
        cJSON_Delete(k[i].by_status);
    }
}

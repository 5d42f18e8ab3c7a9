/* h_gate.c - the automatic gate (DESIGN.md, "A manned truck crossing", steps
 * 6-7): devices post what they read at a gate lane and get the barrier
 * decision.  Invariant: a passage and everything it changes (declaration
 * status, crossing timestamps, the exception task) are written in one
 * transaction, each change with its audit event; the barrier opens only when
 * lp_gate_decide says OPEN or an approved gate exception listed every problem. */
#include "h_gate_internal.h"
#include "../core/ident.h"
#include "../store/queuestore.h"
#include "../store/resources.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static cJSON *id_or_null(int64_t id)
{
    return id > 0 ? cJSON_CreateNumber((double)id) : cJSON_CreateNull();
}

/* The body of POST /api/v1/gate-passages --------------------------------------- */

/* On the wire plates are objects {text, confidence} and seals strings. */
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
    {"plate", LP_J_OBJECT, LP_JF_REQUIRED, 0, 0, NULL, &ocr_spec, "Front ANPR read: an object {text, confidence}",
     NULL},
    {"trailer_plate", LP_J_OBJECT, LP_JF_NULLABLE, 0, 0, NULL, &ocr_spec,
     "Rear ANPR read: an object {text, confidence}; absent or null when nothing was read", NULL},
    {"containers", LP_J_OBJECT_ARRAY, 0, 0, LP_GATE_CONTAINER_READS_MAX, NULL, &container_read_spec,
     "Container numbers read, [{number, confidence}]; a number read by two cameras may repeat", NULL},
    {"seals", LP_J_STRING_ARRAY, 0, 1, 32, NULL, NULL,
     "Seal numbers read (strings of 1-32 characters), in any order; at most 32", "[\"VN2024000123\"]"},
    {"gross_weight_kg", LP_J_NUMBER, LP_JF_NULLABLE, 0, 1000000000, NULL, NULL,
     "Weighbridge reading of the whole vehicle in kg; absent or null without a weighbridge", "38250.5"},
};
const lp_jspec lp_spec_gate_passage = {passage_fields, N(passage_fields)};

/* jsonspec checks the shapes; this adds the gate's own limit on seal reads
 * (below jsonspec's 64 for string arrays) and the crossing point's lanes. */
void lp_check_gate_passage(lp_req *r, lp_err *err)
{
    const char *point = lp_json_str(r->body, "crossing_point_id");
    const cJSON *seals = cJSON_GetObjectItemCaseSensitive(r->body, "seals");
    int64_t lane = lp_json_int(r->body, "lane", 0), lanes;
    int nseals = cJSON_IsArray(seals) ? cJSON_GetArraySize(seals) : 0;
    cJSON *rec = NULL;
    lp_err e;

    if (nseals > LP_GATE_SEAL_READS_MAX && nseals <= 64)
        lp_err_field_add(err, "/seals", "must have at most %d entries", LP_GATE_SEAL_READS_MAX);
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
static int64_t covering_exception(const net__gate_ctx *g)
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

static int is_open(const net__gate_ctx *g)
{
    return g->decl && (g->res.decision == LP_GATE_OPEN || g->override_task);
}

/* [{code, agency, message}], the passage's stored reasons. */
static cJSON *reasons_json(const net__gate_ctx *g)
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
static cJSON *readings_json(const net__gate_ctx *g, const cJSON *body)
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

/* The agency of a gate exception: the border guard for the vehicle's
 * identity (plate or trailer: they check vehicles and drivers), customs for
 * everything else (containers, seals, weight, approvals). */
static const char *exception_agency(const net__gate_ctx *g)
{
    int i;
    for (i = 0; i < g->res.nreasons; i++)
        if (g->res.reasons[i].code >= LP_GATE_R_PLATE_MISSING && g->res.reasons[i].code <= LP_GATE_R_TRAILER_MISMATCH)
            return "border_guard";
    return "customs";
}

/* Opens a gate_exception task for the held truck unless one is open for the
 * declaration, then lets the declaration's status follow its tasks. */
static int open_exception(lp_store *st, const lp_actor *who, net__gate_ctx *g, const cJSON *passage, lp_err *err)
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
static int record_passage(lp_req *r, net__gate_ctx *g, cJSON **passage, lp_err *err)
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
        cJSON_AddNumberToObject(cp, "gate_open_at", (double)net__now_ms(r->store));
        rc = net__advance(r->store, &r->actor, g->decl, "gate_open", "gate_open", cp, NULL, NULL, err);
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

/* The e-queue: a passage of a called truck is its arrival at the gate
 * (queuestore.h), in the passage's transaction. */
static int queue_arrival(lp_req *r, const char **kind, lp_err *err)
{
    const char *text = lp_json_str(cJSON_GetObjectItemCaseSensitive(r->body, "plate"), "text");
    char canon[64];
    *kind = "";
    if (!text || (lp_ident_plate("VN", text, canon, sizeof canon, NULL, 0) != LP_OK &&
                  lp_ident_plate("CN", text, canon, sizeof canon, NULL, 0) != LP_OK))
        return LP_OK;
    return lp_queuestore_gate_arrival(r->store, &r->actor, lp_json_str(r->body, "crossing_point_id"), canon, kind, err);
}

void lp_h_gate_passages_create(lp_req *r)
{
    const char *queue_event = "";
    net__gate_ctx g;
    lp_clearance_settings cs;
    cJSON *passage = NULL, *reply;
    int rc, in_tx = 0;
    lp_err err;

    memset(&g, 0, sizeof g);
    lp_err_init(&err);
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    if ((rc = lp_clearance_settings_get(r->store, &cs, &err)) ||
        (rc = net__gate_find_declaration(r->store, r->body, &g, &err)))
        goto out;
    if (g.decl) {
        if ((rc = net__gate_load_approvals(r->store, &g, &err))) goto out;
        net__gate_expect(&g, &cs);
        net__gate_readings(&g, r->body);
        /* LP_EINVAL comes with a HOLD and an INPUT_INVALID reason: the
         * declaration is beyond the gate's limits, a case for the officer. */
        (void)lp_gate_decide(&g.in, &g.res);
        g.override_task = covering_exception(&g);
    }
    if ((rc = record_passage(r, &g, &passage, &err))) goto out;
    if ((rc = queue_arrival(r, &queue_event, &err))) goto out;
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
    if (queue_event[0]) cJSON_AddStringToObject(reply, "queue_event", queue_event);
    else cJSON_AddNullToObject(reply, "queue_event");
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

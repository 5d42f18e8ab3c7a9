/* h_gate_find.c - the gate's input for one passage (see h_gate_internal.h):
 * the declaration the readings belong to (by plate, else trailer plate,
 * else container number), the approvals its tasks give, what it says should
 * arrive and what the devices read.  Reads the store; writes nothing. */
#include "h_gate_internal.h"
#include "../core/cargo.h"
#include "../core/ident.h"
#include "../core/mem.h"
#include "../store/crossings.h"
#include "../store/resources.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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

static void id_text(int64_t id, char buf[32])
{
    snprintf(buf, 32, "%" PRId64, id);
}

/* Finding the declaration --------------------------------------------------------- */

/* The declaration is found by the front plate; failing that by the trailer
 * plate or a container number, so that a misread or swapped tractor still
 * reaches the officer as PLATE_MISMATCH on the right declaration instead of
 * as an anonymous NO_DECLARATION.  Such a find never opens the barrier by
 * itself: the decision still compares the plate. */
int net__gate_find_declaration(lp_store *st, const cJSON *body, net__gate_ctx *g, lp_err *err)
{
    const char *point = lp_json_str(body, "crossing_point_id");
    const cJSON *trailer = cJSON_GetObjectItemCaseSensitive(body, "trailer_plate"), *c;
    char canon[64], idbuf[32];
    int64_t id = 0;
    int rc;

    canonical_plate(lp_json_str(cJSON_GetObjectItemCaseSensitive(body, "plate"), "text"), canon, sizeof canon);
    if (canon[0] && (rc = lp_crossings_gate_declaration(st, point, LP_CROSSINGS_BY_PLATE, canon, &id, err)))
        return rc;
    if (id) g->matched_by = "plate";
    if (!id && cJSON_IsObject(trailer)) {
        canonical_plate(lp_json_str(trailer, "text"), canon, sizeof canon);
        if (canon[0] && (rc = lp_crossings_gate_declaration(st, point, LP_CROSSINGS_BY_TRAILER, canon, &id, err)))
            return rc;
        if (id) g->matched_by = "trailer_plate";
    }
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(body, "containers")) {
        char number[LP_CARGO_CONTAINER_SIZE];
        if (id) break;
        /* Only a number with a valid check digit: the canonical form holds
         * letters and digits alone, so it is safe inside a LIKE pattern. */
        if (lp_cargo_container(lp_json_str(c, "number"), number, sizeof number, NULL, 0)) continue;
        if ((rc = lp_crossings_gate_declaration(st, point, LP_CROSSINGS_BY_CONTAINER, number, &id, err))) return rc;
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
int net__gate_load_approvals(lp_store *st, net__gate_ctx *g, lp_err *err)
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
void net__gate_expect(net__gate_ctx *g, const lp_clearance_settings *cs)
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
void net__gate_readings(net__gate_ctx *g, const cJSON *body)
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

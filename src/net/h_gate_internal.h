/* h_gate_internal.h - what the files of the gate resource share (h_gate.c,
 * h_gate_find.c, h_crossings.c, h_kpis.c) and nothing else includes: one
 * passage's working state, the steps that build the gate's input, and the
 * crossing-record helpers the passage and the exit both use. */
#ifndef LP_H_GATE_INTERNAL_H
#define LP_H_GATE_INTERNAL_H

#include "h_gate.h"
#include "../core/gatecheck.h"
#include "../store/clearance.h"

/* One POST's working state.  The strings in `in` are borrowed from decl,
 * tasks and the request body, which all outlive the decision. */
typedef struct net__gate_ctx {
    lp_gate_input in;
    lp_gate_result res;
    cJSON *decl;                     /* the declaration, NULL if none (owned) */
    cJSON *tasks;                    /* its tasks, an array (owned) */
    const char *matched_by;          /* "plate", "trailer_plate", "container" */
    int64_t open_exception;          /* an open gate_exception task, 0 if none */
    const cJSON *approved_exception; /* the latest approved one (borrowed from tasks) */
    int64_t override_task;           /* the approved exception covering every reason, or 0 */
    int64_t exception_task;          /* the exception this passage opened or found, or 0 */
} net__gate_ctx;

/* Building the gate's input (h_gate_find.c) ----------------------------------- */

/* Finds the declaration the readings in body belong to; g->decl (caller
 * frees) and g->matched_by are left NULL when there is none.  Returns 0 or
 * the store's error. */
int net__gate_find_declaration(lp_store *st, const cJSON *body, net__gate_ctx *g, lp_err *err);
/* Loads g->decl's tasks into g->tasks and the approvals they give into
 * g->in.approvals.  Returns 0 or the store's error. */
int net__gate_load_approvals(lp_store *st, net__gate_ctx *g, lp_err *err);
/* Fills g->in with what g->decl says should arrive, under settings cs. */
void net__gate_expect(net__gate_ctx *g, const lp_clearance_settings *cs);
/* Fills g->in.read from the checked body (strings borrowed from body). */
void net__gate_readings(net__gate_ctx *g, const cJSON *body);

/* Times and crossing records (h_crossings.c) ----------------------------------- */

/* The store clock's now, in ms since 1970. */
int64_t net__now_ms(lp_store *st);
/* Reads a time as the API writes it (RFC 3339 with an offset, seconds and
 * fraction optional), a date (midnight UTC) or ms since 1970.  Returns LP_OK
 * or LP_EINVAL. */
int net__parse_time(const char *s, int64_t *ms);
/* Moves decl (at the version read) to status and applies crossing_patch to
 * its crossing record (created when missing), both audited as action.
 * *decl_after and *crossing (each may be NULL) receive the records (caller
 * owns).  Returns 0, LP_ECONFLICT when decl changed meanwhile, or the
 * store's error. */
int net__advance(lp_store *st, const lp_actor *who, const cJSON *decl, const char *status, const char *action,
                 cJSON *crossing_patch, cJSON **decl_after, cJSON **crossing, lp_err *err);

#endif

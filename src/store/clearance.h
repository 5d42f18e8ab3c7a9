/* clearance.h - the store side of smart clearance: settings, risk rules as
 * the risk engine wants them, agency tasks and the declaration status they
 * produce.  Used by the clearance handlers (src/net/h_declarations.c,
 * h_tasks.c, h_gate.c).
 *
 * Declaration status (column declarations.status):
 *   pending    filed; some required task is not decided yet
 *   held       an agency put a task on hold
 *   rejected   an agency rejected a task
 *   cleared    every required task is approved: the gate may open
 *   gate_open  the automatic gate opened for it
 *   exited     recorded at km 0; a handover record exists
 *   cancelled  withdrawn by the company or customs (terminal)
 *   expired    not presented before valid_until (terminal)
 * Tasks (table tasks): one per required agency check, state
 * pending | approved | rejected | hold; customs (document_check for yellow,
 * physical_check for red, auto-approved "risk_release" for green),
 * quarantine (quarantine_check, when any HS chapter is 01-24), border_guard
 * (vehicle_driver_check; auto-approved at filing when the vehicle is active
 * and the driver's licence valid; agv_release for AGVs), and gate_exception
 * tasks opened by a HOLD at the gate. */
#ifndef LP_CLEARANCE_H
#define LP_CLEARANCE_H

#include <cjson/cJSON.h>
#include "../core/gatecheck.h"
#include "../core/risk.h"
#include "store.h"

typedef struct lp_clearance_settings {
    int validity_hours;         /* a declaration is valid this long after filing (72) */
    int weight_tol_permille;    /* gate weight tolerance, share of the expected gross (20) */
    int64_t weight_tol_g;       /* ... or at least this many grams (200000) */
    int min_plate_confidence;   /* ANPR reads below this are not trusted (900 of 1000) */
    int min_ocr_confidence;     /* container OCR likewise (850) */
    int weight_required;        /* 1: no weighbridge reading holds the truck */
} lp_clearance_settings;

/* Reads the "clearance" settings row. */
int lp_clearance_settings_get(lp_store *st, lp_clearance_settings *out, lp_err *err);

/* Loads the enabled risk rules (caller frees *rules with lp_free) and the
 * "risk_policy" settings row. */
int lp_clearance_risk_load(lp_store *st, lp_risk_rule **rules, int *n, lp_risk_policy *policy, lp_err *err);

/* Recomputes the status of declaration decl_id from its tasks (see above),
 * and when it changes updates the declaration (audited as
 * "declaration.status") and the crossing record (cleared_at).  Runs inside
 * the caller's transaction if there is one.  *out (may be NULL) receives the
 * declaration record (caller owns). */
int lp_clearance_refresh(lp_store *st, const lp_actor *who, int64_t decl_id, cJSON **out, lp_err *err);

#endif

/* decl_tasks.h - the store side of a declaration's agency tasks and its
 * crossing record: which tasks filing plans, how a change of channel adjusts
 * the customs checks, what cancelling closes.  Each call writes through the
 * audited table layer and runs inside the caller's transaction.  Used by the
 * declaration handlers (src/net/h_declarations.c, h_decl_actions.c). */
#ifndef LP_DECL_TASKS_H
#define LP_DECL_TASKS_H

#include <cjson/cJSON.h>
#include "../core/decl.h"
#include "../core/risk.h"
#include "store.h"

/* Tasks ---------------------------------------------------------------------- */

/* The tasks of declaration decl, in id order.  Caller owns *out.  Returns
 * LP_OK or the store's error. */
int lp_decl_tasks_list(lp_store *st, int64_t decl, cJSON **out, lp_err *err);

/* Adds the tasks a new declaration d needs (clearance.h): the customs task
 * of channel ch, the quarantine check when quarantine is set, and the border
 * guard's check (approved by "system" when vehicle_ok: vehicle active and
 * driver's licence valid at arrival).  d is borrowed.  Returns LP_OK or the
 * first store error. */
int lp_decl_tasks_plan(lp_store *st, const lp_actor *who, int64_t decl, int64_t company, const lp_decl *d,
                       int vehicle_ok, lp_risk_channel ch, int quarantine, lp_err *err);

/* Brings the customs tasks in line with channel to (source: "amendment" or
 * "override", named in the tasks' reasons with who->reason).  Returns LP_OK
 * or the first store error. */
int lp_decl_tasks_adjust_customs(lp_store *st, const lp_actor *who, int64_t decl, int64_t company,
                                 lp_risk_channel to, const char *source, lp_err *err);

/* Adds a pending quarantine check for d's lines unless the declaration has
 * one already.  d is borrowed.  Returns LP_OK or the store's error. */
int lp_decl_tasks_ensure_quarantine(lp_store *st, const lp_actor *who, int64_t decl, int64_t company,
                                    const lp_decl *d, lp_err *err);

/* Closes every open task of the declaration as cancelled, giving
 * who->reason.  Returns LP_OK or the first store error. */
int lp_decl_tasks_cancel(lp_store *st, const lp_actor *who, int64_t decl, lp_err *err);

/* The crossing record -------------------------------------------------------- */

/* Inserts the crossing record of a new declaration d filed at now. */
int lp_decl_tasks_add_crossing(lp_store *st, const lp_actor *who, int64_t decl, int64_t company, const lp_decl *d,
                               lp_risk_channel ch, int64_t now, lp_err *err);

/* Copies the crossing point and channel of decl (a declaration record,
 * borrowed) to its crossing record when they differ. */
int lp_decl_tasks_sync_crossing(lp_store *st, const lp_actor *who, const cJSON *decl, lp_err *err);

#endif

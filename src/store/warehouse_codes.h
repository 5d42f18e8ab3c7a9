/* warehouse_codes.h - one-time access codes of the bonded warehouse: issued
 * to a company for one drop-off or pick-up under a reservation, bound to a
 * vehicle plate and a declaration of the same company, valid for a short
 * window, single use.
 *
 * Invariant: only a salted SHA-256 of a code's secret is stored (never read
 * out, never in the audit log), compared in constant time; a code with
 * max_code_attempts wrong secrets is locked for good; every presentation,
 * accepted or refused, is an audit event (wh_code.use, wh_code.refuse with
 * the outcome, wh_code.lock).  Used by warehouse_stock.c and the handlers. */
#ifndef LP_WAREHOUSE_CODES_H
#define LP_WAREHOUSE_CODES_H

#include <cjson/cJSON.h>

#include "../core/wh.h"
#include "store.h"

/* What a code allows. */
typedef struct lp_wh_code_req {
    int64_t reservation_id;
    const char *purpose;    /* "drop_off" or "pick_up" */
    int64_t declaration_id; /* of the reservation's company */
    const char *plate;      /* canonical plate of the vehicle */
    int valid_minutes;      /* 0: the warehouse's code_validity_minutes; else 1..that */
} lp_wh_code_req;

/* Issues a code for rq, within scope.  It is valid over [valid_from,
 * expires_at): from now (a drop-off code: from the reservation's start if
 * that is later) for valid_minutes, and a drop-off code not past the
 * reservation's end.  Scope is 0 for any company, else the
 * reservation and declaration must be that company's: others are
 * LP_ENOTFOUND.  On success code (LP_WH_CODE_MAX bytes) receives the code
 * text, shown this once, and *out (may be NULL; caller owns) the record,
 * audited as wh_code.create.  Returns LP_ENOTFOUND (reservation, or
 * declaration: field /declaration_id), LP_EINVAL (field errors) or
 * LP_ECONFLICT (reservation cancelled or over; declaration cancelled,
 * rejected or expired). */
int lp_wh_code_issue(lp_store *st, const lp_actor *who, int64_t scope, const lp_wh_code_req *rq, char *code,
                     cJSON **out, lp_err *err);

/* A code that was accepted. */
typedef struct lp_wh_code_info {
    int64_t id, company_id, reservation_id, declaration_id, unit_id;
    char plate[24];
    char warehouse_id[48];
    char unit_kind[16];
} lp_wh_code_info;

/* Presents text (as typed) with the vehicle's canonical plate for purpose,
 * inside the caller's transaction.  *outcome tells what happened; only
 * LP_WH_ACCEPTED fills *info and marks the code used (wh_code.use).  A
 * refusal updates the code (attempts, lock, last outcome) and appends
 * wh_code.refuse (and wh_code.lock when this attempt locked it; object id 0
 * for text that is no code): the caller commits those too.  Returns LP_OK whatever the outcome, LP_ESTORE on a
 * store error. */
int lp_wh_code_present(lp_store *st, const lp_actor *who, const char *text, const char *plate, const char *purpose,
                       lp_wh_outcome *outcome, lp_wh_code_info *info, lp_err *err);

/* Records a refusal that came after the code was accepted (the step was then
 * rolled back, so the code stays usable): last_outcome of code id and an
 * audit event wh_code.refuse with outcome and detail, in a transaction of
 * its own or the caller's. */
int lp_wh_code_refusal(lp_store *st, const lp_actor *who, int64_t id, lp_wh_outcome outcome, const char *detail,
                       lp_err *err);

#endif

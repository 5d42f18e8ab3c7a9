/* h_declarations.h - handlers and body declarations of h_declarations.c,
 * h_decl_check.c and h_decl_actions.c (see h_clearance.h): customs
 * declarations filed by companies, their amendments, cancellation, the
 * customs channel override and the risk replay.  Routes in
 * routes_declarations.inc. */
#ifndef LP_H_DECLARATIONS_H
#define LP_H_DECLARATIONS_H

#include "handlers.h"
#include "routes.h"

/* Bodies ---------------------------------------------------------------------- */

/* POST /declarations; PATCH /declarations/{id} (number, direction and
 * transport are fixed at filing). */
extern const lp_jspec lp_spec_declaration_create;
extern const lp_jspec lp_spec_declaration_amend;
/* POST /declarations/{id}/cancel {reason}; /channel {channel, reason}. */
extern const lp_jspec lp_spec_declaration_cancel;
extern const lp_jspec lp_spec_declaration_override;
/* Filters of GET /declarations. */
extern const lp_qparam lp_declaration_query[];

/* Check steps (routes.h) ------------------------------------------------------------ */

/* The whole declaration: formats and check digits, totals against the
 * lines, and the references (vehicle, driver, crossing point) against the
 * registry and the caller's company; every problem with its pointer. */
void lp_check_declaration_create(lp_req *r, lp_err *err);
/* The stored declaration with the patch merged in, checked as on filing;
 * and the X-Reason header, which an amendment requires. */
void lp_check_declaration_amend(lp_req *r, lp_err *err);
/* A reason that is not only blanks (cancel, override). */
void lp_check_declaration_reason(lp_req *r, lp_err *err);

/* Handlers --------------------------------------------------------------------- */

void lp_h_declarations_list(lp_req *r);
void lp_h_declarations_get(lp_req *r);
void lp_h_declarations_create(lp_req *r);
void lp_h_declarations_amend(lp_req *r);
void lp_h_declarations_amendments(lp_req *r);
void lp_h_declarations_cancel(lp_req *r);
void lp_h_declarations_override(lp_req *r);
void lp_h_declarations_risk(lp_req *r);

#endif

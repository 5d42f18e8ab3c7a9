/* h_gate.h - handlers and body declarations of the gate resource (see
 * h_clearance.h): gate passages and the barrier decision (h_gate.c), exit at
 * km 0 with the handover record and crossing records (h_crossings.c), and
 * KPIs (h_kpis.c).  Their routes are in routes_gate.inc. */
#ifndef LP_H_GATE_H
#define LP_H_GATE_H

#include "handlers.h"
#include "routes.h"

/* Gate passages: what a lane's devices read, and the barrier decision. */
extern const lp_jspec lp_spec_gate_passage;
void lp_check_gate_passage(lp_req *r, lp_err *err);
void lp_h_gate_passages_create(lp_req *r);
void lp_h_gate_passages_list(lp_req *r);
extern const lp_qparam lp_query_gate_passages[]; /* also the filters the list applies */

/* Exit at km 0 (declaration gate_open -> exited, handover record): h_crossings.c. */
void lp_h_declarations_exit(lp_req *r);

/* Crossing records (h_crossings.c) and KPIs (h_kpis.c). */
extern const lp_qparam lp_query_crossings[];
extern const lp_qparam lp_query_kpis[];
void lp_h_crossings_list(lp_req *r);
void lp_h_crossings_get(lp_req *r);
void lp_h_kpis(lp_req *r);

#endif

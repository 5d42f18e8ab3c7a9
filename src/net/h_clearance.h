/* h_clearance.h - HTTP handlers of smart clearance: declarations
 * (h_declarations.h), risk rules, settings and agency tasks (h_tasks.h), and
 * the automatic gate, crossings and KPIs (h_gate.h).  Their routes are in
 * routes_declarations.inc, routes_tasks.inc and routes_gate.inc. */
#ifndef LP_H_CLEARANCE_H
#define LP_H_CLEARANCE_H

#include "h_declarations.h"
#include "h_gate.h"
#include "h_tasks.h"

#endif

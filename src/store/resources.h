/* resources.h - the record kinds of the foundation: the gate registry
 * (gate pairs, crossing points) and the parties (companies, vehicles,
 * drivers), and smart clearance.  Constant descriptors for table.h; their SQL is in schema.c. */
#ifndef LP_RESOURCES_H
#define LP_RESOURCES_H

#include "table.h"

extern const lp_table lp_tbl_gate_pairs;
extern const lp_table lp_tbl_crossing_points;
extern const lp_table lp_tbl_companies;
extern const lp_table lp_tbl_vehicles;
extern const lp_table lp_tbl_drivers;

/* Smart clearance (schema v2). */
extern const lp_table lp_tbl_declarations;
extern const lp_table lp_tbl_risk_rules;
extern const lp_table lp_tbl_settings;     /* text ids: "risk_policy", "clearance"; value is JSON */
extern const lp_table lp_tbl_tasks;
extern const lp_table lp_tbl_gate_passages;
extern const lp_table lp_tbl_crossings;

#endif

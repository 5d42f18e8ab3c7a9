/* schema_warehouse.c - schema v6 (bonded warehouse: units, reservations, access codes, stock).  Placeholder: the tables come with the feature. */
#include "schema_parts.h"

const lp_schema_part lp_schema_warehouse = {6, "bonded warehouse: units, reservations, access codes, stock", "", "", "", NULL};

/* schema_yard.c - schema v3 (electronic yard: bookings, yards, bays, visits, lanes).  Placeholder: the tables come with the feature. */
#include "schema_parts.h"

const lp_schema_part lp_schema_yard = {3, "electronic yard: bookings, yards, bays, visits, lanes", "", "", "", NULL};

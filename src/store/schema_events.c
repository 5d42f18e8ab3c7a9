/* schema_events.c - schema v5 (notifications: webhooks and deliveries).  Placeholder: the tables come with the feature. */
#include "schema_parts.h"

const lp_schema_part lp_schema_events = {5, "notifications: webhooks and deliveries", "", "", "", NULL};

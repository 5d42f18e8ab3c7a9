/* h_events.h - HTTP handlers of the live event stream (SSE) and company webhooks; their routes are in routes_events.inc. */
#ifndef LP_H_EVENTS_H
#define LP_H_EVENTS_H

#include "handlers.h"

#endif

/* h_events.c - GET /api/v1/events: the live event stream (Server-Sent
 * Events).  The hub (events.c) does the work; this is the route's side. */
#include "h_events.h"
#include "events.h"

const lp_qparam lp_query_events[] = {
    {"after", "integer", "Resume after this event seq (the Last-Event-ID header, when sent, wins)"},
    {"types", "string", "Comma-separated object types, e.g. declaration,yard_visit"},
    {"actions", "string", "Comma-separated action prefixes, e.g. declaration.,gate."},
    {0}};

void lp_h_events_stream(lp_req *r) { lp_events_subscribe(lp_server_events(r->srv), r); }

/* h_events.h - HTTP handlers of the live event stream (SSE) and company webhooks; their routes are in routes_events.inc. */
#ifndef LP_H_EVENTS_H
#define LP_H_EVENTS_H

#include "handlers.h"
#include "routes.h"

/* h_events.c: GET /api/v1/events */
extern const lp_qparam lp_query_events[];
void lp_h_events_stream(lp_req *r);

/* h_events_webhooks.c */
extern const lp_jspec lp_spec_webhook_create;
extern const lp_jspec lp_spec_webhook_patch;
void lp_check_webhook_create(lp_req *r, lp_err *err);
void lp_check_webhook_patch(lp_req *r, lp_err *err);
void lp_h_webhooks_list(lp_req *r);
void lp_h_webhooks_create(lp_req *r);
void lp_h_webhooks_get(lp_req *r);
void lp_h_webhooks_patch(lp_req *r);
void lp_h_webhooks_delete(lp_req *r);
void lp_h_webhooks_deliveries(lp_req *r);
void lp_h_webhooks_test(lp_req *r);

#endif

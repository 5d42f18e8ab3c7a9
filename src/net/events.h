/* events.h - the live event hub of a serve process: follows the audit log by
 * seq and fans each event out to the Server-Sent Events streams, scoped by
 * the role of each stream's token; also carries ephemeral events that are
 * not audit events (lp_events_publish), and owns the webhook dispatcher.
 *
 * The audit log is the source: an event a client missed while away is sent
 * again when it resumes with Last-Event-ID = seq.  One libevent loop, no
 * threads.  The hub is created by `landport serve` and handed to the HTTP
 * server (lp_server_set_events), which kicks it after each request that may
 * have written; a timer catches writes of other processes and nodes. */
#ifndef LP_EVENTS_H
#define LP_EVENTS_H

#include <cjson/cJSON.h>
#include <event2/event.h>
#include <stdint.h>
#include "http.h"

typedef struct lp_events lp_events;

typedef struct lp_events_opts {
    int poll_ms;      /* follow the log at least this often (default 1000) */
    int heartbeat_ms; /* comment line on idle streams (default 15000) */
} lp_events_opts;

/* Open and close ------------------------------------------------------------ */

/* Starts following the audit log from its current head.  base and store are
 * borrowed and must outlive the hub; opts may be NULL.  Caller owns *out;
 * free with lp_events_destroy() before the HTTP server (it ends the open
 * streams).  Returns LP_ESTORE or LP_EIO (libcurl) with a message. */
int lp_events_create(struct event_base *base, lp_store *store, const lp_events_opts *opts, lp_events **out,
                     lp_err *err);
void lp_events_destroy(lp_events *hub);

/* Feeding ------------------------------------------------------------------- */

/* Asks the hub to read the new audit events soon (on the next loop turn) and
 * the dispatcher to turn them into deliveries.  Cheap; NULL-safe. */
void lp_events_kick(lp_events *hub);
/* Sends an ephemeral event (not stored, not resumable) to the streams: staff
 * see it, a company only when company_id is its own (0: staff only).  type is
 * "<object_type>.<what>", e.g. "agv.position".  Takes ownership of data. */
void lp_events_publish(lp_events *hub, const char *type, int64_t company_id, cJSON *data);

/* Streams ------------------------------------------------------------------- */

/* Takes over request r as an event stream (the handler of GET /api/v1/events):
 * replies 400 for a bad Last-Event-ID or after, 503 when the hub has its
 * maximum of streams, else starts a text/event-stream reply with the events
 * after the resume point, then follows live. */
void lp_events_subscribe(lp_events *hub, lp_req *r);
/* Open streams. */
int lp_events_clients(const lp_events *hub);

/* Scoping ------------------------------------------------------------------- */

/* What a caller of role (with company, for role company) may see of one audit
 * event (a record of lp_store_audit_list): staff and admin all of it; a
 * company its own events only, with the object, action, time and a
 * whitelist of the after members (status, state, position, ...); a partner
 * the handover of crossings that reached km 0; others nothing.  Returns NULL
 * when the event is not for the caller; caller owns the result. */
cJSON *lp_events_view(const cJSON *event, lp_role role, int64_t company);

#endif

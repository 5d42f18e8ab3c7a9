/* webhooks.h - the store side of company webhooks: the endpoints (an audited
 * resource), their signing secrets, the delivery outbox and log, and the
 * dispatcher's cursor in the audit log.
 *
 * Invariant: a delivery is created in the same transaction that moves the
 * cursor past its event, so each event is turned into deliveries exactly
 * once, whichever server node dispatches.  Deliveries are the outbox and the
 * log at once; they are bookkeeping, not gate state, and are not audited
 * (an audited delivery would itself be an event to deliver).
 * Used by the dispatcher (net/dispatch.c) and the webhook handlers. */
#ifndef LP_WEBHOOKS_H
#define LP_WEBHOOKS_H

#include <cjson/cJSON.h>
#include "store.h"
#include "table.h"

/* company_id, url, description, actions, object_types, active. */
extern const lp_table lp_tbl_webhooks;

/* Settings ---------------------------------------------------------------- */

/* The "notifications" settings row; defaults for members it lacks. */
typedef struct lp_webhook_settings {
    int64_t retry_base_ms; /* delay before the 2nd attempt */
    int retry_factor;      /* each further delay is this many times the one before */
    int max_attempts;      /* then the delivery is failed */
    int64_t timeout_ms;    /* per attempt */
    int max_stream_clients; /* live event streams per server */
} lp_webhook_settings;

/* Reads the settings; a missing row gives the defaults.  Returns 0 or LP_ESTORE. */
int lp_webhooks_settings_get(lp_store *st, lp_webhook_settings *out, lp_err *err);

/* Endpoints --------------------------------------------------------------- */

#define LP_WEBHOOK_SECRET_LEN 72 /* "whsec_" + 64 hex digits + NUL (71), rounded up */

/* Inserts a webhook (values: a checked body with company_id settled) with a
 * new secret of 32 random bytes, written as "whsec_<hex>" into secret (the
 * key of the HMAC is this whole text).  Audits "webhook.create" (without the
 * secret).  Caller owns *out.  Returns 0, LP_EIO (no randomness) or LP_ESTORE. */
int lp_webhooks_create(lp_store *st, const lp_actor *who, const cJSON *values, cJSON **out,
                       char secret[LP_WEBHOOK_SECRET_LEN], lp_err *err);
/* Removes a webhook (within company, 0 = any), its secret and its delivery
 * log; audits "webhook.delete" with the record as before.  Caller owns *out
 * (the removed record, may be NULL).  Returns 0, LP_ENOTFOUND or LP_ESTORE. */
int lp_webhooks_delete(lp_store *st, const lp_actor *who, const char *id, int64_t company, cJSON **out,
                       lp_err *err);

/* Dispatch ---------------------------------------------------------------- */

/* The last audit seq turned into deliveries. */
int lp_webhooks_cursor(lp_store *st, int64_t *seq, lp_err *err);
/* Moves the cursor from from to to (inside the caller's transaction);
 * LP_ESTALE when another node moved it first. */
int lp_webhooks_cursor_advance(lp_store *st, int64_t from, int64_t to, lp_err *err);
/* The active webhooks: a cJSON array of {id, company_id, actions, object_types,
 * from_seq}.  Caller owns *items. */
int lp_webhooks_active(lp_store *st, cJSON **items, lp_err *err);
/* Adds a pending delivery of body (event seq, 0 for none such as a ping),
 * due now.  *id (may be NULL) receives its id.  Returns 0 or LP_ESTORE. */
int lp_webhooks_enqueue(lp_store *st, int64_t webhook, int64_t company, int64_t seq, const char *type,
                        const char *body, int64_t *id, lp_err *err);

/* Sending ----------------------------------------------------------------- */

/* Up to limit pending deliveries of active webhooks due at now, oldest first
 * (those of an inactive webhook wait until it is active again): a cJSON array of
 * {id, webhook_id, url, secret, event_type, body, attempts, next_attempt_at}
 * (raw ms).  Caller owns *items. */
int lp_webhooks_due(lp_store *st, int64_t now, int limit, cJSON **items, lp_err *err);
/* The earliest next_attempt_at of the pending deliveries of active webhooks
 * in *at, 0 if none. */
int lp_webhooks_next_due(lp_store *st, int64_t *at, lp_err *err);
/* Takes delivery id for one attempt: moves its next_attempt_at from due to
 * lease_until so that no other node sends it meanwhile (a crash leaves it to
 * be retried after the lease).  LP_ESTALE when another node took it. */
int lp_webhooks_claim(lp_store *st, int64_t id, int64_t due, int64_t lease_until, lp_err *err);
/* Records an attempt's outcome: status "delivered", "pending" (retry at
 * next_at) or "failed"; http_status 0 when there was no answer; error NULL
 * when none. */
int lp_webhooks_record(lp_store *st, int64_t id, int attempts, const char *status, int http_status,
                       const char *error, int64_t next_at, lp_err *err);

/* The delivery log ------------------------------------------------------------ */

/* One delivery of webhook (as the API shows it, with its body) or LP_ENOTFOUND. */
int lp_webhooks_delivery_get(lp_store *st, int64_t webhook, int64_t id, cJSON **out, lp_err *err);
/* A page of webhook's deliveries, newest first, with ids below before
 * (0 = from the newest).  *next: the id to pass as before, 0 at the end. */
int lp_webhooks_deliveries(lp_store *st, int64_t webhook, int64_t before, int limit, cJSON **items,
                           int64_t *next, lp_err *err);

#endif

/* dispatch.h - the webhook dispatcher of a serve process: turns new audit
 * events into deliveries for the companies' webhooks (the outbox in
 * webhooks.h) and sends the due deliveries with libcurl, signed, retrying
 * with exponential backoff and jitter.  Runs on the process's libevent loop,
 * never blocking it.  Created and kicked by the event hub (events.h). */
#ifndef LP_DISPATCH_H
#define LP_DISPATCH_H

#include <event2/event.h>
#include <stddef.h>
#include <stdint.h>
#include "../store/store.h"

typedef struct lp_dispatch lp_dispatch;

/* base and store are borrowed and must outlive it.  Caller owns *out; free
 * with lp_dispatch_destroy() (transfers in flight are abandoned: their lease
 * runs out and another attempt follows).  Returns LP_EIO when libcurl cannot
 * start. */
int lp_dispatch_create(struct event_base *base, lp_store *store, lp_dispatch **out, lp_err *err);
void lp_dispatch_destroy(lp_dispatch *d);
/* Enqueues deliveries for the new audit events and sends what is due, on the
 * next loop turn.  NULL-safe. */
void lp_dispatch_kick(lp_dispatch *d);

/* The signature header value "t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>"
 * into out (at least 96 bytes). */
void lp_dispatch_sign(const char *secret, int64_t t, const char *body, size_t body_len, char *out, size_t n);
/* The delay before attempt number attempts + 1 (attempts >= 1 made): base *
 * factor^(attempts-1), at most a day, scaled by jitter in [0.75, 1.25). */
int64_t lp_dispatch_backoff(int64_t base_ms, int factor, int attempts, double jitter);

#endif

/* queuestore.h - the fair e-queue in the store: one lane group per
 * crossing point and direction ("road-1088:export"), its gate lanes
 * (capacity, paused) and its entries (one per yard visit), with the rate
 * estimator's state.
 *
 * Invariant: the tables are the queue.  Every operation locks the group's
 * row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write transaction is
 * exclusive), rebuilds an lp_queue (core/queue.h) from the rows, applies
 * the operation and lp_queue_call, and writes back every truck an event
 * touched, the estimator and a bumped state_version, each event with its
 * audit event ("queue.called", "queue.no_show", ...) carrying the state that
 * produced it; all in the caller's transaction or one of its own.  So a
 * queue survives kill -9 and two processes never act on a stale copy.
 * Used by the yard store (admission, exit), the gate (arrival), the queue
 * handlers and the server's periodic tick. */
#ifndef LP_QUEUESTORE_H
#define LP_QUEUESTORE_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "../core/queue.h"
#include "store.h"

#define LP_QUEUESTORE_LANE_CAPACITY 2 /* places per gate lane when a group is created */

/* A truck joining the queue of point/dir.  Strings borrowed. */
typedef struct lp_queuestore_truck {
    const char *point, *dir;
    int64_t visit_id;   /* the yard visit: the queue entry's id */
    int64_t company_id; /* 0: unknown (walk-in) */
    const char *plate;
    lp_queue_class cls;
    int64_t slot_ms;    /* booked slot start; 0 for a walk-in */
    int64_t arrival_ms; /* yard entry */
} lp_queuestore_truck;

/* Adds t (creating the group on first use), then calls forward.  *pos and
 * *eta_ms (may be NULL) receive its position and estimated wait after the
 * call (0 and 0 if it was called at once).  Returns 0, LP_EFORBIDDEN for a
 * walk-in the settings do not admit, LP_ENOTFOUND for an unknown point, or
 * the store's error. */
int lp_queuestore_add(lp_store *st, const lp_actor *who, const lp_queuestore_truck *t, int *pos, int64_t *eta_ms,
                      lp_err *err);

/* The yard exit of visit_id: a waiting truck is withdrawn (it left without
 * its call); a called one keeps its call, it is on its way to the gate.
 * *withdrawn (may be NULL) is set to 1 when it was.  Returns 0 or the
 * store's error (a visit not in any queue is fine). */
int lp_queuestore_yard_exit(lp_store *st, const lp_actor *who, int64_t visit_id, int *withdrawn, lp_err *err);

/* A gate passage at point with canonical plate: the called truck with that
 * plate reaches the gate (or, late, loses its turn by the no-show rule).
 * *kind (may be NULL) receives the event's name, "" when the plate was not
 * called at point.  Returns 0 or the store's error. */
int lp_queuestore_gate_arrival(lp_store *st, const lp_actor *who, const char *point, const char *plate,
                               const char **kind, lp_err *err);

/* Applies the no-show rule and calls forward in every group with trucks,
 * at the store clock's now, each group in a transaction of its own.
 * *events (may be NULL) receives how many events were written.  Returns 0
 * or the first store error. */
int lp_queuestore_tick(lp_store *st, const lp_actor *who, int *events, lp_err *err);

/* Lane lane (1-based) of group id: paused (0, 1; -1 keeps) and capacity
 * (0..LP_QUEUE_CAPACITY_MAX; -1 keeps), audited as queue_lane.update, then
 * calls forward.  *out (may be NULL; caller owns) receives the group view.
 * LP_ENOTFOUND for an unknown group or lane. */
int lp_queuestore_lane_set(lp_store *st, const lp_actor *who, const char *group, int lane, int paused, int capacity,
                           cJSON **out, lp_err *err);

/* The view of group id ("point:direction"): lanes, rate, counts and the
 * entries in call order (called first, then waiting by position) with
 * plate, class, state, position, eta_s, lane; only company's when company
 * != 0 (others are left out, positions stay true).  Caller owns *out.
 * LP_ENOTFOUND for an unknown crossing point or direction. */
int lp_queuestore_view(lp_store *st, const char *group, int64_t company, cJSON **out, lp_err *err);

/* The groups that exist, with counts.  Caller owns *items (an array). */
int lp_queuestore_groups(lp_store *st, cJSON **items, lp_err *err);

/* Position and estimated wait of visit_id; *state "waiting", "called" or
 * the final state ("arrived", "removed", "withdrawn"), "" when never queued.
 * Returns 0 or the store's error. */
int lp_queuestore_position(lp_store *st, int64_t visit_id, int *pos, int64_t *eta_ms, char state[16], lp_err *err);

#endif

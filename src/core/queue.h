/* queue.h - the fair electronic queue of one lane group (a crossing point
 * and a direction): trucks wait in the parking yard and are called forward
 * to the gate lanes in an order that is computed, never edited.
 *
 * Pure core: no I/O, no clock (every time is passed in, in milliseconds),
 * no globals.  The caller keeps one lp_queue per lane group and records
 * every lp_queue_event it receives in the audit log.
 *
 * THE RULES, in plain words
 *
 * 1. Order.  Waiting trucks are called in this order, and no other:
 *    priority class (perishable goods, then normal, then walk-ins), then
 *    booked slot start (earlier first), then arrival time at the yard
 *    (earlier first), then truck id (smaller first).  The four together
 *    are a total order, so the same trucks always give the same queue.
 *    Walk-ins (no booking, slot 0) form their own class behind booked
 *    trucks, whatever their goods, and only when the configuration admits
 *    them: coming without a booking must never be a way to jump ahead.
 *
 * 2. Lanes.  Each lane has a capacity: how many called trucks may be on
 *    their way to (or in) it at once.  A called truck holds one place in
 *    its lane until it reaches the gate, is withdrawn, or misses its turn.
 *    Operators can only pause or resume a lane and set its capacity; a
 *    paused lane gets no new calls, trucks already called to it keep their
 *    places.  lp_queue_call calls the first waiting trucks while some open
 *    lane has a free place, each to the open lane of lowest number with
 *    one.
 *
 * 3. No-show.  A called truck must reach the gate within the window
 *    (default 20 minutes) after its call: a truck that arrives at exactly
 *    called_at + window is on time; from called_at + window + 1 ms it is
 *    late.  A late truck loses its turn: it frees its lane place, its
 *    no-show count grows by one and it goes back to waiting as if it had
 *    arrived at the moment it became late (T = called_at + window + 1), so
 *    it is behind every truck of its class that was waiting then.  For
 *    booked trucks the slot is pushed back as well: its slot in the order
 *    becomes the latest slot among the trucks of its class waiting at T
 *    (if later than its own), otherwise an old booking would put it right
 *    back in front.  The booking as made is kept in booked_slot_ms for the
 *    record.  On its Nth no-show (default N = 2) the truck is removed from
 *    the queue instead.  The outcome depends only on the timestamps, not
 *    on how often the caller runs the queue.
 *
 * 4. Audit.  Every call, gate arrival, no-show, removal and withdrawal is
 *    reported as an lp_queue_event with the queue state that produced it
 *    (the truck's class, slot and arrival as used for ordering, its
 *    position, the lane).  The queue never changes state without
 *    returning the event that says so.
 *
 * 5. Estimated wait.  See lp_queue_position: the observed rate at which
 *    called trucks reach the gate, times the number of trucks ahead. */
#ifndef LP_QUEUE_H
#define LP_QUEUE_H

#include <stdint.h>

/* Limits and defaults ------------------------------------------------------ */

#define LP_QUEUE_LANES_MAX 16
#define LP_QUEUE_CAPACITY_MAX 1000       /* per lane */
#define LP_QUEUE_TRUCKS_MAX 1000000      /* trucks in one queue (waiting or called) */
#define LP_QUEUE_TIME_MAX INT64_C(4102444800000) /* 2100-01-01, bounds every time */
#define LP_QUEUE_WINDOW_DEFAULT_MS (20 * 60 * 1000)
#define LP_QUEUE_NO_SHOW_LIMIT_DEFAULT 2
#define LP_QUEUE_ETA_UNKNOWN (-1)        /* no open lane: nobody will be called */

/* Values ------------------------------------------------------------------- */

typedef enum lp_queue_class {
    LP_QUEUE_PERISHABLE = 0, /* booked, perishable goods (declaration data) */
    LP_QUEUE_NORMAL = 1,     /* booked */
    LP_QUEUE_WALKIN = 2,     /* no booking; slot 0; only if the config admits walk-ins */
    LP_QUEUE_CLASSES
} lp_queue_class;

typedef enum lp_queue_state {
    LP_QUEUE_WAITING = 0,
    LP_QUEUE_CALLED,
    LP_QUEUE_GONE /* only in events: the queue keeps no gone trucks */
} lp_queue_state;

typedef struct lp_queue_config {
    int nlanes;                          /* 1..LP_QUEUE_LANES_MAX */
    int capacity[LP_QUEUE_LANES_MAX];    /* initial capacity of each lane, 0..LP_QUEUE_CAPACITY_MAX */
    int64_t no_show_window_ms;           /* 1 ms .. 24 h */
    int no_show_limit;                   /* >= 1: removed on this no-show */
    int walk_ins;                        /* 1: admit LP_QUEUE_WALKIN trucks */
    int rate_alpha_permille;             /* 1..1000: weight of a new sample in the rate average */
    int64_t prior_service_ms;            /* 1 ms .. 24 h: service time per place before any is observed */
} lp_queue_config;

/* A truck as the queue holds it.  All fields are read-only for callers. */
typedef struct lp_queue_truck {
    int64_t id;                /* truck (vehicle visit) id, >= 1, unique in the queue */
    lp_queue_class cls;
    int64_t slot_ms;           /* order key: booked slot start, or later after a no-show; 0: walk-in */
    int64_t arrival_ms;        /* order key: yard arrival, or T of its last no-show */
    int64_t booked_slot_ms;    /* the booking as made */
    int64_t yard_arrival_ms;   /* the yard entry as read */
    lp_queue_state state;
    int64_t called_at_ms;      /* CALLED: when; otherwise that of the last call, 0 if never */
    int lane;                  /* CALLED: its lane; otherwise -1 */
    int no_shows;
} lp_queue_truck;

typedef enum lp_queue_event_kind {
    LP_QUEUE_EV_CALLED = 0, /* called forward to a lane */
    LP_QUEUE_EV_ARRIVED,    /* reached the gate in time; leaves the queue */
    LP_QUEUE_EV_NO_SHOW,    /* late: back to waiting */
    LP_QUEUE_EV_REMOVED,    /* late for the no_show_limit-th time: removed */
    LP_QUEUE_EV_WITHDRAWN   /* removed by the caller (booking cancelled, left the yard) */
} lp_queue_event_kind;

typedef struct lp_queue_event {
    lp_queue_event_kind kind;
    int64_t truck_id;
    int64_t at_ms;        /* when it happened: now, or for NO_SHOW and REMOVED the
                           * first late millisecond, called_at + window + 1 */
    lp_queue_state state; /* the truck's state after the event */
    /* The order key: for CALLED the one that made it first, for NO_SHOW the
     * new one that gives its new position, otherwise the last one. */
    lp_queue_class cls;
    int64_t slot_ms;
    int64_t arrival_ms;
    int position;         /* CALLED: 1 (it was first); WITHDRAWN of a waiting truck:
                           * the position it had; NO_SHOW: its new position; else 0 */
    int lane;             /* the lane it was called to; -1 if it was waiting */
    int64_t called_at_ms; /* the call this event ends or makes; 0 if none */
    int no_shows;         /* after the event */
    int waiting;          /* trucks waiting after the event */
} lp_queue_event;

/* Position and estimate of one waiting truck (see lp_queue_positions). */
typedef struct lp_queue_pos {
    int64_t truck_id;
    int position;   /* 1-based */
    int64_t eta_ms; /* estimated wait until its call, or LP_QUEUE_ETA_UNKNOWN */
} lp_queue_pos;

typedef struct lp_queue lp_queue;

/* Create and destroy -------------------------------------------------------- */

/* Fills *c with the defaults: one lane of capacity 1, a 20 minute window,
 * removal on the 2nd no-show, walk-ins admitted, rate weight 30 per mille
 * (about the last 33 gate arrivals: one sample is as noisy as its mean, so a
 * weight of 100 gave 4.4 min of error against 3.6 in test_queue.c's
 * simulation), prior service time 10 minutes. */
void lp_queue_config_default(lp_queue_config *c);

/* Creates an empty queue with a copy of *c.  Returns LP_OK and sets *out
 * (caller owns it; free with lp_queue_destroy), or LP_EINVAL if an argument
 * is NULL or the config is out of its limits (*out is then NULL). */
int lp_queue_create(const lp_queue_config *c, lp_queue **out);

/* Frees q and everything in it.  NULL is fine. */
void lp_queue_destroy(lp_queue *q);

/* Trucks --------------------------------------------------------------------- */

/* Adds a waiting truck: id >= 1; cls; slot_ms > 0 for the booked classes
 * and 0 for walk-ins; 0 <= arrival_ms <= LP_QUEUE_TIME_MAX.  Returns LP_OK;
 * LP_EINVAL for NULL q or a value out of range; LP_EFORBIDDEN for a walk-in
 * when the config does not admit them; LP_ECONFLICT if the id is already in
 * the queue; LP_ETOOBIG beyond LP_QUEUE_TRUCKS_MAX.  Adding changes no
 * other truck's state, so it produces no event. */
int lp_queue_add(lp_queue *q, int64_t id, lp_queue_class cls, int64_t slot_ms, int64_t arrival_ms);

/* Calls forward: first applies the no-show rule to every called truck late
 * at now (in order of lateness, then id), then calls the first waiting
 * trucks while an open lane has a free place.  Writes one event per change
 * to out (caller's array of max) and their number to *n; when out is full
 * it stops before the next change, which a later call makes.  Returns
 * LP_OK, or LP_EINVAL for NULL q, out (with max > 0) or n, max < 0 or now
 * out of range. */
int lp_queue_call(lp_queue *q, int64_t now_ms, lp_queue_event *out, int max, int *n);

/* The called truck id reached the gate at now: it leaves the queue, frees
 * its place and gives the rate a sample.  Fills *ev (may be NULL) and
 * returns LP_OK.  If it is late (now > called_at + window) the no-show rule
 * applies instead: *ev says NO_SHOW or REMOVED and the return is
 * LP_ECONFLICT.  LP_ENOTFOUND if id is not in the queue; LP_ECONFLICT with
 * no change if it is waiting; LP_EINVAL for NULL q or now out of range or
 * before the call. */
int lp_queue_arrived_at_gate(lp_queue *q, int64_t id, int64_t now_ms, lp_queue_event *ev);

/* Removes truck id, waiting or called (booking cancelled, truck left the
 * yard).  Fills *ev (may be NULL) with WITHDRAWN and returns LP_OK;
 * LP_ENOTFOUND if it is not in the queue; LP_EINVAL for NULL q or now out
 * of range. */
int lp_queue_withdraw(lp_queue *q, int64_t id, int64_t now_ms, lp_queue_event *ev);

/* Copies truck id into *out.  LP_OK, LP_ENOTFOUND, or LP_EINVAL if q or out is NULL. */
int lp_queue_get(const lp_queue *q, int64_t id, lp_queue_truck *out);

/* Lanes ---------------------------------------------------------------------- */

/* Pause (paused = 1) or resume (0) lane 0..nlanes-1.  LP_OK or LP_EINVAL. */
int lp_queue_lane_pause(lp_queue *q, int lane, int paused);

/* Sets the capacity of a lane, 0..LP_QUEUE_CAPACITY_MAX.  Lowering it below
 * the trucks already called to the lane recalls nobody: the lane just gets
 * no new call until enough have arrived.  LP_OK or LP_EINVAL. */
int lp_queue_lane_set_capacity(lp_queue *q, int lane, int capacity);

/* Reads a lane: its capacity, paused flag and called trucks holding places
 * (each pointer may be NULL).  LP_OK or LP_EINVAL. */
int lp_queue_lane_get(const lp_queue *q, int lane, int *capacity, int *paused, int *in_service);

/* Queries -------------------------------------------------------------------- */

/* Trucks waiting, and called (holding a place). */
int lp_queue_waiting(const lp_queue *q);
int lp_queue_called(const lp_queue *q);

/* The estimate.  The queue keeps an exponentially weighted moving average
 * (weight rate_alpha_permille for the newest sample) of the intervals
 * between consecutive gate arrivals, each multiplied by the number of open
 * places at that moment: the average service time of one place, i.e. how
 * long one place stays taken from call to gate, no-shows included.  Only
 * intervals during which trucks were waiting throughout (the lanes kept
 * full) count; an interval cut by a pause or a capacity change does not.
 * Why intervals and not each truck's own call-to-gate time: the interval
 * measures the throughput actually achieved, including the 20 minutes a
 * no-show holds a place and the time between a free place and the next
 * call, which a per-truck service time would miss.  Why per place: when a
 * lane is paused or its capacity changed the estimate follows at once,
 * instead of waiting for the average to forget the old rate.
 *
 * *service_ms (per place), *interval_ms (service divided by the open
 * places now: the expected time between calls; LP_QUEUE_ETA_UNKNOWN with
 * no open place) and *samples (0: the prior is in use); each may be NULL. */
void lp_queue_rate(const lp_queue *q, int64_t *service_ms, int64_t *interval_ms, int64_t *samples);

/* Position of truck id: 1-based among waiting trucks in the call order,
 * and the estimated wait until its call: (position - free open places) x
 * interval, 0 if that is not positive, LP_QUEUE_ETA_UNKNOWN with no open
 * place.  A called truck has position 0 and wait 0.  O(log n).  Returns
 * LP_OK, LP_ENOTFOUND, or LP_EINVAL for NULL arguments. */
int lp_queue_position(const lp_queue *q, int64_t id, int *pos, int64_t *eta_ms);

/* Positions of all waiting trucks in call order, in one pass: writes
 * min(waiting, max) entries to out (caller's array) and their number to
 * *n.  LP_OK, or LP_EINVAL for NULL arguments or max < 0. */
int lp_queue_positions(const lp_queue *q, lp_queue_pos *out, int max, int *n);

/* Restoring from storage ------------------------------------------------------ */

/* The estimator's whole state, for a caller that keeps the queue in tables
 * and rebuilds it (read-only meaning; see lp_queue_rate). */
typedef struct lp_queue_rate_state {
    double service_ms;    /* current average service time per place */
    int64_t samples;      /* samples taken (0: the prior is in use) */
    int64_t last_gate_ms; /* time of the last gate arrival, if have_last */
    int have_last;
    int saturated;        /* trucks have waited all through since the last gate arrival */
} lp_queue_rate_state;

/* Copies the estimator's state into *out (q and out not NULL). */
void lp_queue_rate_state_get(const lp_queue *q, lp_queue_rate_state *out);

/* Sets the estimator's state, as read back from storage: service_ms in
 * (0, 24 h], samples >= 0, last_gate_ms a time, flags 0 or 1.  Call it
 * after restoring lanes and trucks (pausing a lane resets saturated).
 * Returns LP_OK or LP_EINVAL (nothing changed). */
int lp_queue_rate_state_set(lp_queue *q, const lp_queue_rate_state *s);

/* Puts back truck *t exactly as lp_queue_get gave it: waiting (its order
 * keys as they are, so a truck after a no-show keeps its place) or called
 * to t->lane at t->called_at_ms, holding a place there even if the lane is
 * paused or full now.  Produces no event.  Returns LP_OK; LP_EINVAL for a
 * NULL argument or a value out of range (state GONE, no_shows at or above
 * the limit, a lane out of range); LP_ECONFLICT for an id already in the
 * queue; LP_ETOOBIG beyond LP_QUEUE_TRUCKS_MAX.  Walk-ins are restored
 * even when the config no longer admits new ones. */
int lp_queue_restore(lp_queue *q, const lp_queue_truck *t);

/* Names ---------------------------------------------------------------------- */

/* "perishable", "normal", "walk_in"; "?" otherwise. */
const char *lp_queue_class_name(lp_queue_class c);
/* "waiting", "called", "gone"; "?" otherwise. */
const char *lp_queue_state_name(lp_queue_state s);
/* "called", "arrived", "no_show", "removed", "withdrawn"; "?" otherwise. */
const char *lp_queue_event_name(lp_queue_event_kind k);

#endif

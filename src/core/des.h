/* des.h - the discrete-event engine: a binary-heap priority queue of timed
 * events on virtual time, and the seeded random stream of the run.
 *
 * Invariant: events run in order of (time, sequence number); the sequence
 * number is given at scheduling, so events at the same millisecond run in
 * the order they were scheduled and a run is a pure function of the seed
 * and the model.  Virtual time never goes back.  No I/O, no globals, no
 * clock: the caller advances time with lp_des_step, lp_des_run or
 * lp_des_run_until.  Used by the gate model (simgate.h), `landport sim`
 * and, in real time, the demo's traffic generator: a libevent timer reads
 * the process clock (scaled for the demo) and calls lp_des_run_until(now)
 * on every tick, so the same model emits its trucks as they are due. */
#ifndef LP_DES_H
#define LP_DES_H

#include <stdint.h>

#include "rng.h"

typedef struct lp_des lp_des;

/* What an event does when it runs: d is the engine (now is its time), ud
 * and arg are what was given to lp_des_at.  It may schedule more events. */
typedef void (*lp_des_fn)(lp_des *d, void *ud, int64_t arg);

/* Create and destroy ---------------------------------------------------------- */

/* Creates an engine at virtual time start_ms with its random stream seeded
 * by seed.  Returns LP_OK and sets *out (caller owns it; free with
 * lp_des_destroy), or LP_EINVAL for NULL out or start_ms < 0. */
int lp_des_create(int64_t start_ms, uint64_t seed, lp_des **out);
/* Frees d and its pending events (their ud is not touched).  NULL is fine. */
void lp_des_destroy(lp_des *d);

/* Schedule ------------------------------------------------------------------------ */

/* Schedules fn(d, ud, arg) at virtual time t_ms (>= now).  ud is borrowed:
 * it must stay valid until the event runs or d is destroyed.  Returns
 * LP_OK, or LP_EINVAL for NULL d or fn, or t_ms before now. */
int lp_des_at(lp_des *d, int64_t t_ms, lp_des_fn fn, void *ud, int64_t arg);
/* The same, delay_ms (>= 0) after now. */
int lp_des_after(lp_des *d, int64_t delay_ms, lp_des_fn fn, void *ud, int64_t arg);

/* Run ------------------------------------------------------------------------------ */

/* Runs the next event, if any.  Returns 1 if one ran, 0 if none is pending. */
int lp_des_step(lp_des *d);
/* Runs every event due at or before t_ms (also those they schedule up to
 * t_ms), then sets now to t_ms if it is later.  Returns the number of
 * events run.  This is how a caller keeps the model in step with another
 * clock: call it with each new reading of that clock. */
int64_t lp_des_run_until(lp_des *d, int64_t t_ms);
/* Runs until no event is pending or lp_des_stop is called. */
int64_t lp_des_run(lp_des *d);
/* Makes lp_des_run / lp_des_run_until return after the running event. */
void lp_des_stop(lp_des *d);

/* Queries ----------------------------------------------------------------------- */

int64_t lp_des_now(const lp_des *d);
/* Time of the next pending event, or -1 if none. */
int64_t lp_des_next_time(const lp_des *d);
/* Events pending, and run since creation. */
int64_t lp_des_pending(const lp_des *d);
int64_t lp_des_count(const lp_des *d);
/* The run's random stream; borrowed from d. */
lp_rng *lp_des_rng(lp_des *d);

#endif

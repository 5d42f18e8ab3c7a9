/* sysclock.h - the wall clock and the kernel's random source as an lp_clock. */
#ifndef LP_SYSCLOCK_H
#define LP_SYSCLOCK_H

#include "../core/clock.h"

/* A clock reading CLOCK_REALTIME and getrandom(2). The table is constant. */
const lp_clock *lp_sysclock(void);
/* Monotonic seconds, for measuring durations. */
double lp_monotonic(void);

#endif

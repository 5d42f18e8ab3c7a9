/* clock.h - time and randomness as tables of functions, so the same domain
 * code runs on the wall clock in `serve` and on virtual time in tests and the
 * simulator (like SQLite's sqlite3_vfs xCurrentTimeInt64 / xRandomness). */
#ifndef LP_CLOCK_H
#define LP_CLOCK_H

#include <stddef.h>
#include <stdint.h>

typedef struct lp_clock {
    /* Milliseconds since 1970-01-01 UTC. */
    int64_t (*now_ms)(void *ud);
    /* Fills buf with n unpredictable bytes; returns 0 or a negative code. */
    int (*random)(void *ud, void *buf, size_t n);
    void *ud;
} lp_clock;

/* Formats ms since the epoch as RFC 3339 UTC with milliseconds
 * ("2026-11-23T09:20:00.000Z") into out (at least 25 bytes). */
void lp_time_format(int64_t ms, char *out, size_t outlen);

#endif

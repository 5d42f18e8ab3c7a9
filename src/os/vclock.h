/* vclock.h - the clock a process runs on, chosen by configuration:
 *
 *   wall                      the real time (default)
 *   scaled:START:SPEED        virtual time starting at START (RFC 3339, e.g.
 *                             2026-11-23T18:00:00+07:00) when the process
 *                             starts, running SPEED times as fast (0.01-1000):
 *                             the demo plays an evening at 10x
 *   file:PATH                 ms since the epoch read from the text file PATH
 *                             on every reading (tests move time by rewriting
 *                             it; a missing or bad file reads as the wall clock
 *                             and is reported once on stderr)
 *
 * Randomness always comes from the kernel.  No allocation: the lp_vclock is
 * the caller's and must outlive the lp_clock it hands out. */
#ifndef LP_VCLOCK_H
#define LP_VCLOCK_H

#include <stdint.h>

#include "../core/clock.h"
#include "../core/err.h"

#define LP_VCLOCK_SPEC_MAX 1100

typedef struct lp_vclock {
    lp_clock clock;
    int kind;               /* 0 wall, 1 scaled, 2 file */
    int64_t start_virtual;  /* scaled: virtual ms at start */
    double start_mono;      /* scaled: monotonic seconds at start */
    double speed;           /* scaled */
    char path[LP_VCLOCK_SPEC_MAX];
    int warned;             /* file: a bad read was reported */
} lp_vclock;

/* Parses spec (NULL or "" = wall) into *vc and starts it.  Returns LP_OK or
 * LP_EINVAL with a message saying what is wrong. */
int lp_vclock_init(lp_vclock *vc, const char *spec, lp_err *err);

/* The clock; borrowed from vc. */
const lp_clock *lp_vclock_clock(lp_vclock *vc);

/* Parses an RFC 3339 time ("2026-11-23T18:00:00Z", "...+07:00", optional
 * fraction) into ms since the epoch.  LP_OK or LP_EINVAL. */
int lp_vclock_parse_time(const char *s, int64_t *ms);

#endif

/* sysclock.c - wall clock and randomness from the kernel (see sysclock.h). */
#include "sysclock.h"
#include "../core/err.h"

#include <errno.h>
#include <sys/random.h>
#include <time.h>

static int64_t now_ms(void *ud)
{
    struct timespec ts;
    (void)ud;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int rnd(void *ud, void *buf, size_t n)
{
    unsigned char *p = buf;
    (void)ud;
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return LP_EIO;
        }
        p += got;
        n -= (size_t)got;
    }
    return LP_OK;
}

static const lp_clock sys = {now_ms, rnd, NULL};

const lp_clock *lp_sysclock(void)
{
    return &sys;
}

double lp_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

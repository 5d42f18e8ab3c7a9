/* vclock.c - wall, scaled and file-driven clocks (see vclock.h). */
#include "vclock.h"
#include "sysclock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t wall_ms(void)
{
    const lp_clock *s = lp_sysclock();
    return s->now_ms(s->ud);
}

static int kernel_random(void *ud, void *buf, size_t n)
{
    const lp_clock *s = lp_sysclock();
    (void)ud;
    return s->random(s->ud, buf, n);
}

static int64_t vc_now(void *ud)
{
    lp_vclock *vc = ud;
    if (vc->kind == 1) return vc->start_virtual + (int64_t)((lp_monotonic() - vc->start_mono) * vc->speed * 1000.0);
    if (vc->kind == 2) {
        FILE *f = fopen(vc->path, "r");
        long long v = 0;
        int ok = f && fscanf(f, "%lld", &v) == 1 && v > 0;
        if (f) fclose(f);
        if (ok) return (int64_t)v;
        if (!vc->warned) fprintf(stderr, "landport: clock file %s unreadable; using the wall clock\n", vc->path);
        vc->warned = 1;
    }
    return wall_ms();
}

static int days_from_civil(int y, int m, int d)
{
    /* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant) */
    int era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int lp_vclock_parse_time(const char *s, int64_t *ms)
{
    int y, mo, d, h, mi, sec, n = 0, frac = 0, fdig = 0, oh = 0, om = 0;
    const char *p;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
        return LP_EINVAL;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970) return LP_EINVAL;
    p = s + n;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, fdig++)
            if (fdig < 3) frac = frac * 10 + (*p - '0');
        if (!fdig) return LP_EINVAL;
        for (; fdig < 3; fdig++) frac *= 10;
    }
    if (*p == 'Z' || *p == 'z') p++;
    else if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &oh, &om) == 2 && strlen(p) == 6) {
        int sign = *p == '-' ? -1 : 1;
        oh *= sign;
        om *= sign;
        p += 6;
    } else return LP_EINVAL;
    if (*p) return LP_EINVAL;
    *ms = ((((int64_t)days_from_civil(y, mo, d) * 24 + h - oh) * 60 + mi - om) * 60 + sec) * 1000 + frac;
    return LP_OK;
}

int lp_vclock_init(lp_vclock *vc, const char *spec, lp_err *err)
{
    memset(vc, 0, sizeof *vc);
    vc->clock = (lp_clock){vc_now, kernel_random, vc};
    if (!spec || !*spec || !strcmp(spec, "wall")) return LP_OK;
    if (!strncmp(spec, "file:", 5)) {
        if (!spec[5] || strlen(spec + 5) >= sizeof vc->path)
            return lp_err_set(err, LP_EINVAL, "clock file: needs a path (file:PATH)");
        snprintf(vc->path, sizeof vc->path, "%s", spec + 5);
        vc->kind = 2;
        return LP_OK;
    }
    if (!strncmp(spec, "scaled:", 7)) {
        const char *colon = strrchr(spec, ':');
        char when[64], *end;
        size_t n = (size_t)(colon - (spec + 7));
        double speed;
        if (colon <= spec + 7 || n >= sizeof when)
            return lp_err_set(err, LP_EINVAL, "clock scaled: write scaled:START:SPEED, e.g. scaled:2026-11-23T18:00:00+07:00:10");
        memcpy(when, spec + 7, n);
        when[n] = '\0';
        /* START's own zone offset has a colon too: "…+07:00:10" splits at the last one. */
        if (lp_vclock_parse_time(when, &vc->start_virtual))
            return lp_err_set(err, LP_EINVAL, "clock scaled: START '%s' is not an RFC 3339 time", when);
        errno = 0;
        speed = strtod(colon + 1, &end);
        if (errno || *end || end == colon + 1 || !(speed >= 0.01 && speed <= 1000))
            return lp_err_set(err, LP_EINVAL, "clock scaled: SPEED must be a number from 0.01 to 1000, not '%s'",
                              colon + 1);
        vc->speed = speed;
        vc->start_mono = lp_monotonic();
        vc->kind = 1;
        return LP_OK;
    }
    return lp_err_set(err, LP_EINVAL, "clock must be wall, scaled:START:SPEED or file:PATH, not '%s'", spec);
}

const lp_clock *lp_vclock_clock(lp_vclock *vc)
{
    return &vc->clock;
}

/* reason.c - reporting helpers of the validators (see reason.h). */
#include "reason.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int lp_reason_fail(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    if (why && whylen > 0) {
        va_start(ap, fmt);
        vsnprintf(why, whylen, fmt, ap);
        va_end(ap);
    }
    return LP_EINVAL;
}

void lp_reason_reset(char *out, size_t outlen, char *why, size_t whylen)
{
    if (out && outlen > 0) out[0] = '\0';
    if (why && whylen > 0) why[0] = '\0';
}

int lp_reason_emit(const char *s, char *out, size_t outlen, char *why, size_t whylen)
{
    size_t n = strlen(s);
    if (!out && outlen == 0) return LP_OK;
    if (!out || n + 1 > outlen)
        return lp_reason_fail(why, whylen, "output buffer holds %zu bytes, %zu needed", outlen, n + 1);
    memcpy(out, s, n + 1);
    return LP_OK;
}

int lp_reason_bad_at(char c, size_t i, const char *what, char *why, size_t whylen)
{
    char name[24];
    if ((unsigned char)c >= 0x80) snprintf(name, sizeof name, "a non-ASCII character");
    else if ((unsigned char)c < 0x20 || c == 0x7f) snprintf(name, sizeof name, "a control code");
    else snprintf(name, sizeof name, "'%c'", c);
    return lp_reason_fail(why, whylen, "%s at position %zu is not %s", name, i + 1, what);
}

/* reason.h - the reporting helpers shared by the identifier and cargo
 * validators (ident.c, cargo.c, decl.c): a reason written into a caller's
 * buffer, canonical output copied with a size check, and an offending byte
 * named without printing half of a UTF-8 sequence. */
#ifndef LP_REASON_H
#define LP_REASON_H

#include <stddef.h>

/* Writes the reason into why[whylen] (why may be NULL); returns LP_EINVAL. */
int lp_reason_fail(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Clears out and why, so that a failure never leaves an earlier call's output. */
void lp_reason_reset(char *out, size_t outlen, char *why, size_t whylen);
/* Copies s into out[outlen]; out may be NULL with outlen 0 (check only).
 * Returns 0, or LP_EINVAL when it does not fit. */
int lp_reason_emit(const char *s, char *out, size_t outlen, char *why, size_t whylen);
/* "'x' at position i+1 is not <what>" (or "a non-ASCII character", "a
 * control code"); returns LP_EINVAL. */
int lp_reason_bad_at(char c, size_t i, const char *what, char *why, size_t whylen);

#endif

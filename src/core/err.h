/* err.h - status codes and the error structure every layer fills.
 *
 * A function returns 0 (LP_OK) or a negative LP_E* code; when it takes an
 * lp_err it also writes a message a person can read and, for input errors,
 * one entry per offending field (a JSON pointer and a message).  The HTTP
 * layer turns an lp_err into RFC 9457 problem+json, the CLI into a line on
 * stderr.  Used by every module. */
#ifndef LP_ERR_H
#define LP_ERR_H

#include <stddef.h>

enum {
    LP_OK = 0,
    LP_EINVAL = -1,     /* bad input: see the field list */
    LP_ENOTFOUND = -2,  /* no such object */
    LP_ECONFLICT = -3,  /* duplicate key or state conflict */
    LP_EFORBIDDEN = -4, /* authenticated but not allowed */
    LP_EUNAUTH = -5,    /* no or bad credentials */
    LP_ENOMEM = -6,
    LP_EIO = -7,        /* file, socket or process error */
    LP_ESTORE = -8,     /* database error */
    LP_ETOOBIG = -9,    /* a size limit was exceeded */
    LP_ESCHEMA = -10,   /* database schema newer than this binary */
    LP_ESTALE = -11,    /* precondition (version) failed */
    LP_ECORRUPT = -12,  /* integrity check failed (audit chain) */
};

#define LP_ERR_FIELDS_MAX 32

typedef struct lp_err_field {
    char pointer[96]; /* JSON pointer (RFC 6901) of the field, "" if none */
    char msg[160];
} lp_err_field;

typedef struct lp_err {
    int code;      /* first non-zero code set, LP_OK if none */
    char msg[256]; /* summary for people */
    int nfields;
    int more;      /* count of field errors dropped after the first 32 */
    lp_err_field fields[LP_ERR_FIELDS_MAX];
} lp_err;

/* Reset to "no error". */
void lp_err_init(lp_err *e);

/* Set code and message (printf-style) unless one is already set; returns code.
 * e may be NULL, then only the code is returned. */
int lp_err_set(lp_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Add a field error; sets code LP_EINVAL and a generic message if none is set.
 * Returns LP_EINVAL. */
int lp_err_field_add(lp_err *e, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A short constant name for a code ("invalid input", "not found", ...). */
const char *lp_strerror(int code);

#endif

/* err.c - status codes and the error structure (see err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lp_err_init(lp_err *e)
{
    if (!e) return;
    e->code = LP_OK;
    e->msg[0] = '\0';
    e->nfields = 0;
    e->more = 0;
}

int lp_err_set(lp_err *e, int code, const char *fmt, ...)
{
    va_list ap;
    if (!e || e->code != LP_OK) return e ? e->code : code;
    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

int lp_err_field_add(lp_err *e, const char *pointer, const char *fmt, ...)
{
    va_list ap;
    lp_err_field *f;
    if (!e) return LP_EINVAL;
    if (e->code == LP_OK) {
        e->code = LP_EINVAL;
        snprintf(e->msg, sizeof e->msg, "the request has invalid fields");
    }
    if (e->nfields >= LP_ERR_FIELDS_MAX) {
        e->more++;
        return LP_EINVAL;
    }
    f = &e->fields[e->nfields++];
    snprintf(f->pointer, sizeof f->pointer, "%s", pointer ? pointer : "");
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof f->msg, fmt, ap);
    va_end(ap);
    return LP_EINVAL;
}

const char *lp_strerror(int code)
{
    switch (code) {
    case LP_OK: return "ok";
    case LP_EINVAL: return "invalid input";
    case LP_ENOTFOUND: return "not found";
    case LP_ECONFLICT: return "conflict";
    case LP_EFORBIDDEN: return "forbidden";
    case LP_EUNAUTH: return "unauthorized";
    case LP_ENOMEM: return "out of memory";
    case LP_EIO: return "i/o error";
    case LP_ESTORE: return "store error";
    case LP_ETOOBIG: return "too large";
    case LP_ESCHEMA: return "schema version mismatch";
    case LP_ESTALE: return "precondition failed";
    case LP_ECORRUPT: return "integrity check failed";
    default: return "unknown error";
    }
}

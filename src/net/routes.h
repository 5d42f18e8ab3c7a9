/* routes.h - the declarative route table of the HTTP API.
 *
 * Every route says which roles may call it, what query parameters and body it
 * takes, and what it answers; the dispatcher (http.c) enforces it, the OpenAPI
 * document (openapi.c) is generated from it, and the role-matrix test walks it.
 * Handlers live one file per resource (h_*.c) and are declared in handlers.h. */
#ifndef LP_ROUTES_H
#define LP_ROUTES_H

#include "../core/role.h"
#include "http.h"
#include "jsonspec.h"

typedef void (*lp_handler)(lp_req *r);

typedef struct lp_qparam {
    const char *name;
    const char *type; /* "string", "integer", "boolean" */
    const char *description;
} lp_qparam;

struct lp_route {
    const char *method;          /* GET, POST, PATCH, DELETE */
    const char *pattern;         /* "/api/v1/companies/{id}" */
    lp_handler handler;
    lp_roleset roles;            /* 0: public, no token needed */
    const char *tag;             /* OpenAPI tag */
    const char *summary;
    const char *description;     /* incl. how company scoping applies */
    const lp_jspec *body;        /* NULL: no body accepted */
    lp_jspec_mode body_mode;
    const lp_qparam *query;      /* NULL-terminated by name; list routes add limit/cursor */
    int list;                    /* answers a page {items, next_cursor} */
    int status;                  /* success status */
    const char *produces;        /* content type, NULL = application/json */
    /* Checks of meaning on the body (check digits, plates, references),
     * run even when the declaration check found errors so that every
     * problem is reported at once; may put values in canonical form.  The
     * handler runs only when both found nothing.  NULL: none. */
    void (*check)(lp_req *r, lp_err *err);
};

/* The table and its length; constant. */
const lp_route *lp_routes(int *n);

#endif

/* crossings.h - the store side of the gate and the crossing records: which
 * declaration a gate reading belongs to, pages of crossing records by
 * filter, and the raw figures behind the crossing KPIs.  The HTTP layer
 * (src/net/h_gate_find.c, h_crossings.c, h_kpis.c) calls these rather than
 * writing SQL; rules and presentation stay with it. */
#ifndef LP_CROSSINGS_H
#define LP_CROSSINGS_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include "store.h"

/* Finding the declaration at a gate ------------------------------------------ */

typedef enum {
    LP_CROSSINGS_BY_PLATE = 1, /* declarations.vehicle_plate equals the value */
    LP_CROSSINGS_BY_TRAILER,   /* declarations.trailer_plate equals the value */
    LP_CROSSINGS_BY_CONTAINER  /* declarations.containers lists the number */
} lp_crossings_by;

/* The most recent declaration at crossing point `point` that a gate may act
 * on (cleared, pending or held) whose vehicle plate, trailer plate or
 * container list (by) matches value, a canonical plate or a canonical
 * container number (letters and digits only).  *id receives its id, or 0
 * when there is none.  Returns 0 or LP_ESTORE. */
int lp_crossings_gate_declaration(lp_store *st, const char *point, lp_crossings_by by, const char *value,
                                  int64_t *id, lp_err *err);

/* Crossing records -------------------------------------------------------------- */

/* A filter on crossing records; a NULL string or a zero has_ flag means any. */
typedef struct lp_crossings_filter {
    const char *crossing_point_id, *channel, *direction;
    int has_declaration_id;
    int64_t declaration_id;
    int exited;         /* -1 any, 0 not yet at km 0, 1 recorded at km 0 */
    int exited_only;    /* 1: only those recorded at km 0 (the partner side's view) */
    int64_t company_id; /* 0: every company */
    int has_after;
    int64_t after_id;   /* the page cursor: ids above it */
} lp_crossings_filter;

/* Up to limit crossing records matching f, in id order.  *items receives an
 * array of records (caller owns); *next the cursor of the following page or
 * NULL when this is the last (caller frees with lp_free()).  Returns 0 or
 * LP_ESTORE (then *items and *next are NULL). */
int lp_crossings_list(lp_store *st, const lp_crossings_filter *f, int limit, cJSON **items, char **next,
                      lp_err *err);

/* KPI figures ----------------------------------------------------------------- */

#define LP_CROSSINGS_NO_TIME INT64_MIN /* a timestamp column that is null */

/* The timestamps (ms) of one crossing that exited.  channel is borrowed and
 * valid during the callback only; it may be NULL. */
typedef struct lp_crossings_exit {
    const char *channel;
    int64_t filed_at, cleared_at, gate_open_at, exit_at; /* cleared_at, gate_open_at may be LP_CROSSINGS_NO_TIME */
} lp_crossings_exit;

/* Calls fn for each crossing that exited in [from, to) (a bound below 0 is
 * open) at point (NULL: any).  Returns 0 or LP_ESTORE. */
int lp_crossings_exits(lp_store *st, const char *point, int64_t from, int64_t to,
                       void (*fn)(void *ud, const lp_crossings_exit *e), void *ud, lp_err *err);

/* Calls fn with the number of declarations filed in [from, to) at point per
 * channel and status, in channel, status order (strings borrowed for the
 * call; channel may be NULL).  Returns 0 or LP_ESTORE. */
int lp_crossings_status_counts(lp_store *st, const char *point, int64_t from, int64_t to,
                               void (*fn)(void *ud, const char *channel, const char *status, int64_t count),
                               void *ud, lp_err *err);

#endif

/* yardstore.h - the electronic parking yard in the store: yards and their
 * bays, the yard settings, every ANPR read at a yard gate with its outcome,
 * and the visits (entry read -> bay -> exit read -> invoice).
 *
 * Invariant: the bay state is rebuilt from the visits inside the read's
 * transaction, so lp_yard (core/yard.h) decides every outcome on committed
 * data; a read, the visit it opens or closes, the queue change
 * (queuestore.h) and the invoice (invoices.h) are written in one
 * transaction, each with its audit event.  Used by the yard handlers
 * (src/net/h_yard*.c) and the schema's seed. */
#ifndef LP_YARDSTORE_H
#define LP_YARDSTORE_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "../core/yard.h"
#include "store.h"
#include "table.h"

extern const lp_table lp_tbl_yards;       /* text id; crossing_point_id, direction, name, bays {kind: n} */
extern const lp_table lp_tbl_yard_visits; /* one stay of a truck in a yard */
extern const lp_table lp_tbl_yard_reads;  /* every ANPR read with its outcome */

/* Settings ("yard" row of the settings table) ------------------------------- */

typedef struct lp_yard_settings {
    int walk_ins;             /* 1: admit plates without a booking, as walk-ins */
    int64_t no_show_window_ms; /* the queue's no-show window */
    int no_show_limit;        /* removed from the queue on this no-show */
    int min_plate_confidence; /* 0..1000 */
    int64_t debounce_ms;      /* entry reads of a plate inside within this are duplicates */
    int64_t min_notice_ms;    /* bookings close this long before the slot */
    int max_rebookings;
    int64_t grace_ms;         /* a booking is honoured at the yard entry until this long after its hour */
} lp_yard_settings;

/* Reads the "yard" settings row; missing members take the seeded values.
 * Returns 0 or LP_ESTORE. */
int lp_yard_settings_get(lp_store *st, lp_yard_settings *out, lp_err *err);

/* Yards -------------------------------------------------------------------- */

typedef struct lp_yard_spec {
    const char *id, *crossing_point_id, *direction, *name; /* borrowed */
    int bays[LP_BAY__COUNT]; /* how many of each kind: ids A-001.., R-001.., D-001.. */
} lp_yard_spec;

/* Creates yard y with its bays (audited as yard.create).  *out (may be
 * NULL; caller owns) receives the record.  LP_ECONFLICT if the id exists;
 * LP_EINVAL for counts out of 0..LP_YARD_BAYS_MAX in total. */
int lp_yardstore_create(lp_store *st, const lp_actor *who, const lp_yard_spec *y, cJSON **out, lp_err *err);

/* Adds to the yard record rec (borrowed) "occupancy": per bay kind the bays,
 * occupied and free.  Returns 0 or LP_ESTORE. */
int lp_yardstore_occupancy(lp_store *st, cJSON *rec, lp_err *err);

/* Reads ---------------------------------------------------------------------- */

typedef enum lp_yard_gate { LP_YARD_GATE_ENTRY = 0, LP_YARD_GATE_EXIT } lp_yard_gate;

typedef struct lp_yard_read_req {
    const char *yard_id;
    lp_yard_gate gate;
    const char *plate;  /* canonical */
    int confidence;     /* 0..1000 */
    int64_t read_at;    /* ms; the device's time of the read */
    const char *device; /* who sent it */
} lp_yard_read_req;

/* Records one read and what follows from it (see the outcomes in the API
 * description, h_yard_reads.c), in one transaction.  *out (caller owns)
 * receives the read record with "outcome", "visit_id", "bay_id", and for
 * an admission "queue" {position, eta_s}, for an exit "invoice_id".
 * Returns 0 (every outcome, a refusal too), LP_ENOTFOUND for an unknown
 * yard, or the store's error. */
int lp_yardstore_read(lp_store *st, const lp_actor *who, const lp_yard_read_req *rq, cJSON **out, lp_err *err);

/* KPIs ------------------------------------------------------------------------ */

/* Calls fn for each crossing that exited at km 0 in [from, to) (a bound
 * below 0 is open) at point (NULL: any) whose truck entered a yard, with
 * its channel (borrowed for the call; may be NULL), its first yard entry
 * and its exit time (ms).  Returns 0 or LP_ESTORE. */
int lp_yardstore_entry_to_exit(lp_store *st, const char *point, int64_t from, int64_t to,
                               void (*fn)(void *ud, const char *channel, int64_t entered_at, int64_t exit_at),
                               void *ud, lp_err *err);

#endif

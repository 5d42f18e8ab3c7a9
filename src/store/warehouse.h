/* warehouse.h - the store side of the self-service bonded warehouse:
 * warehouses, storage units and their reservations.  Access codes are in
 * warehouse_codes.h, stock (check-in, check-out, lots, overstay) in
 * warehouse_stock.h.
 *
 * Invariant: two active reservations of one unit never overlap ([from, to)
 * periods).  lp_wh_reserve takes the unit's row lock (an UPDATE of the
 * unit row: a row lock on PostgreSQL, the database write lock on SQLite)
 * before it looks for overlaps, so concurrent requests for one unit are
 * serialised on every backend.  Every change is audited.  Used by
 * src/net/h_warehouse*.c. */
#ifndef LP_WAREHOUSE_H
#define LP_WAREHOUSE_H

#include <cjson/cJSON.h>

#include "store.h"
#include "table.h"

#define LP_WH_SEED_ID "huunghi-bw1" /* the warehouse the migration seeds */

extern const lp_table lp_tbl_warehouses;    /* text id; overstay_days, code_validity_minutes, ... */
extern const lp_table lp_tbl_storage_units; /* kind dry|cold|bonded, size, temperature range, status */
extern const lp_table lp_tbl_wh_reservations;
extern const lp_table lp_tbl_wh_codes;      /* without salt and hash: those are never read out */
extern const lp_table lp_tbl_wh_lots;
extern const lp_table lp_tbl_wh_moves;

/* The configuration of a warehouse (columns of warehouses). */
typedef struct lp_wh_config {
    int overstay_days;         /* a lot overstays after this many days (30) */
    int code_validity_minutes; /* an access code is valid this long after issue (120) */
    int max_code_attempts;     /* wrong attempts that lock a code (5) */
} lp_wh_config;

/* Reads warehouse id's configuration.  LP_ENOTFOUND if there is none. */
int lp_wh_config_get(lp_store *st, const char *warehouse_id, lp_wh_config *out, lp_err *err);

/* Reservations -------------------------------------------------------------------- */

/* Reserves unit unit_id for company over [from, to) (ms).  On success *out
 * (may be NULL; caller owns) receives the reservation, audited as
 * wh_reservation.create.  Returns LP_ENOTFOUND (no such unit: field
 * /unit_id), LP_EINVAL (from >= to, a period in the past, or a unit not
 * available: field errors), LP_ECONFLICT when the warehouse is not open, or
 * LP_ECONFLICT when an active reservation of the unit overlaps: *conflict (may be NULL) receives its id and err says its
 * period. */
int lp_wh_reserve(lp_store *st, const lp_actor *who, int64_t company, int64_t unit_id, int64_t from, int64_t to,
                  const char *note, cJSON **out, int64_t *conflict, lp_err *err);

/* Cancels reservation id (scope: 0 = any company, else only that company's;
 * others are LP_ENOTFOUND).  Its unused access codes die with it.  Refused
 * with LP_ECONFLICT when it is already cancelled or goods checked in under it
 * are still on hand.  *out (may be NULL; caller owns) receives the record. */
int lp_wh_reservation_cancel(lp_store *st, const lp_actor *who, int64_t id, int64_t scope, cJSON **out,
                             lp_err *err);

/* Availability ---------------------------------------------------------------------- */

/* The units of warehouse_id (kind NULL = any) each with "free": whether it
 * is available and no active reservation overlaps [from, to), and
 * "reserved_until" of the overlapping reservation that ends last (or null).
 * With only_free, units that are not free are left out.  *items receives a
 * cJSON array (caller owns).  LP_ENOTFOUND for an unknown warehouse. */
int lp_wh_units_free(lp_store *st, const char *warehouse_id, const char *kind, int64_t from, int64_t to,
                     int only_free, cJSON **items, lp_err *err);

/* Shared by warehouse*.c -------------------------------------------------------------- */

/* Ends a write step: with rc LP_OK commits the open transaction (in_tx),
 * else rolls it back; on failure deletes *out (out may be NULL) and sets it
 * to NULL.  Returns the final status. */
int warehouse__finish(lp_store *st, int rc, int in_tx, cJSON **out, lp_err *err);

#endif

/* bookings.h - crossing slots in the store: hourly quotas per crossing
 * point and direction (gate time, UTC+7), and the bookings a company makes
 * for its declared trucks.
 *
 * Invariant: every booking change runs lp_slots (core/slots.h) on the
 * lane's active bookings read inside the same transaction, so a quota is
 * never exceeded by two writers; the slot belongs to the booking, so a
 * change of vehicle or driver keeps it.  Every change is audited.  Used by
 * the booking handlers (src/net/h_yard_bookings.c), the yard entry
 * (yardstore.c) and the schema's seed. */
#ifndef LP_BOOKINGS_H
#define LP_BOOKINGS_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "store.h"
#include "table.h"

extern const lp_table lp_tbl_slot_quotas; /* text id "point:direction"; quota: array of 24 per hour */
extern const lp_table lp_tbl_bookings;

/* Creates the quota row of point and direction unless it exists, from the
 * crossing point's capacity_per_hour (half of it, rounded up, per
 * direction) in its opening hours and 0 outside them.  Audited.  Returns 0,
 * LP_ENOTFOUND for an unknown point, or the store's error. */
int lp_bookings_quota_ensure(lp_store *st, const lp_actor *who, const char *point, const char *dir, lp_err *err);

/* What a booking call may answer besides its record: for LP_ECONFLICT
 * because the hour is full or closed, the next hour with room (or -1). */
typedef struct lp_booking_result {
    int64_t suggest_ms;
    char why[24]; /* "FULL", "CLOSED", "TOO_LATE", "REBOOK_LIMIT", ... */
} lp_booking_result;

/* Books the hour containing slot_ms for declaration decl_id (company: the
 * caller's scope, 0 for staff), with driver_id (0: the declaration's).
 * The declaration must be a truck's, filed and not closed (pending, held or
 * cleared), without another active booking.  *out (caller owns) receives
 * the booking.  Returns 0; LP_ENOTFOUND (declaration, or another company's);
 * LP_EINVAL (fields in err); LP_ECONFLICT (res says why; suggest_ms). */
int lp_bookings_create(lp_store *st, const lp_actor *who, int64_t company, int64_t decl_id, int64_t slot_ms,
                       int64_t driver_id, cJSON **out, lp_booking_result *res, lp_err *err);

/* Moves booking id to the hour containing slot_ms (rules of lp_slots_rebook). */
int lp_bookings_rebook(lp_store *st, const lp_actor *who, int64_t company, int64_t id, int64_t slot_ms,
                       cJSON **out, lp_booking_result *res, lp_err *err);

/* Cancels booking id (reason may be NULL).  LP_ECONFLICT if not active. */
int lp_bookings_cancel(lp_store *st, const lp_actor *who, int64_t company, int64_t id, const char *reason,
                       cJSON **out, lp_err *err);

/* Changes the vehicle (vehicle_id, 0 keeps it: one of the company's active
 * trucks) and/or the driver (driver_id, 0 keeps it) of active booking id;
 * the slot stays.  LP_EINVAL names /vehicle_id or /driver_id. */
int lp_bookings_change(lp_store *st, const lp_actor *who, int64_t company, int64_t id, int64_t vehicle_id,
                       int64_t driver_id, cJSON **out, lp_err *err);

/* The active booking at point/dir for plate with the earliest slot that
 * starts at or after min_slot_ms, as a record (caller owns; NULL when
 * none).  Returns 0 or LP_ESTORE. */
int lp_bookings_for_plate(lp_store *st, const char *point, const char *dir, const char *plate, int64_t min_slot_ms,
                          cJSON **out, lp_err *err);

/* Availability of point/dir for hours whole hours from the hour containing
 * from_ms: *items (caller owns) an array of {slot, hour_of_day, quota,
 * booked, free}.  Creates the quota row if missing.  Returns 0,
 * LP_ENOTFOUND for an unknown point, or the store's error. */
int lp_bookings_availability(lp_store *st, const lp_actor *who, const char *point, const char *dir, int64_t from_ms,
                             int hours, cJSON **items, lp_err *err);

#endif

/* slots.h - crossing slots: hourly quotas per crossing point and direction,
 * and the bookings that hold them (book, cancel, rebook, change of vehicle
 * or driver).
 *
 * Invariant: the active bookings of a lane in an hour never exceed that
 * hour's quota; a slot belongs to the booking (its id), not to the plate,
 * so a change of vehicle or driver keeps it.  Pure: bookings live in the
 * caller's array, time comes in as ms since the epoch, hours of day are in
 * gate time (UTC+7).  Used by the booking API and the yard (booking lookup). */
#ifndef LP_SLOTS_H
#define LP_SLOTS_H

#include <stdint.h>

#define LP_SLOTS_POINT_MAX 24  /* bytes of a crossing point id, with the NUL */
#define LP_SLOTS_PLATE_MAX 16
#define LP_SLOTS_DRIVER_MAX 32 /* driver id (licence or passport number) */
#define LP_SLOTS_QUOTA_MAX 10000
#define LP_SLOTS_SUGGEST_HOURS (7 * 24) /* how far ahead a free hour is sought */
#define LP_SLOTS_HOUR_MS INT64_C(3600000)
#define LP_SLOTS_TZ_MS (7 * LP_SLOTS_HOUR_MS) /* gate time is UTC+7 */

typedef enum lp_slots_dir { LP_SLOTS_EXPORT = 0, LP_SLOTS_IMPORT, LP_SLOTS_DIR__COUNT } lp_slots_dir;

/* Configuration ----------------------------------------------------------------------- */

/* Quotas of one crossing point in one direction, by hour of day in gate
 * time (quota[9] is 09:00-10:00 UTC+7); 0 = closed that hour. */
typedef struct lp_slots_lane {
    char point[LP_SLOTS_POINT_MAX]; /* "road-1088" */
    lp_slots_dir dir;
    int quota[24]; /* 0..LP_SLOTS_QUOTA_MAX */
} lp_slots_lane;

typedef struct lp_slots_rules {
    int64_t min_notice_ms; /* >= 0: booking, rebooking (both hours) close this long before the slot */
    int max_rebookings;    /* >= 0: moves allowed per booking */
} lp_slots_rules;

/* One booking; read-only for the caller (change it through the calls below). */
typedef struct lp_slots_booking {
    int active;   /* 0: a free entry, or cancelled */
    int lane;     /* index in lanes */
    int64_t hour_ms; /* start of the booked hour, ms since the epoch */
    int rebookings;
    char plate[LP_SLOTS_PLATE_MAX];
    char driver[LP_SLOTS_DRIVER_MAX];
} lp_slots_booking;

/* Borrows lanes and bookings (caller's storage, valid while the book is
 * used).  A booking's id is its index in bookings + 1. */
typedef struct lp_slots {
    const lp_slots_lane *lanes;
    int nlanes;
    lp_slots_booking *bookings;
    int cap;
    lp_slots_rules rules;
} lp_slots;

/* Binds the storage and marks every booking free.  Returns LP_OK, or
 * LP_EINVAL for NULL arguments, a negative count, a quota out of range, an
 * unknown direction, an empty point id, two lanes with the same point and
 * direction, or rules out of range. */
int lp_slots_init(lp_slots *s, const lp_slots_lane *lanes, int nlanes, lp_slots_booking *bookings,
                  int cap, const lp_slots_rules *rules);

/* Booking ------------------------------------------------------------------------------ */

typedef enum lp_slots_result {
    LP_SLOTS_OK = 0,
    LP_SLOTS_FULL,          /* quota reached; suggest_ms set if a later hour has room */
    LP_SLOTS_CLOSED,        /* quota 0 that hour; suggest_ms as for FULL */
    LP_SLOTS_TOO_LATE,      /* within min_notice of the slot (or of the booked one) */
    LP_SLOTS_NO_LANE,       /* no such crossing point and direction */
    LP_SLOTS_REBOOK_LIMIT,  /* max_rebookings reached */
    LP_SLOTS_NOT_FOUND,     /* no active booking with that id */
    LP_SLOTS_NO_STORAGE,    /* the bookings array is full */
    LP_SLOTS_BAD_INPUT,     /* see msg */
    LP_SLOTS_R__COUNT
} lp_slots_result;

typedef struct lp_slots_outcome {
    lp_slots_result result;
    int id;            /* OK: the booking's id; 0 otherwise */
    int64_t suggest_ms; /* FULL, CLOSED: the next hour (after the asked one,
                         * within LP_SLOTS_SUGGEST_HOURS) with room, or -1 */
    char msg[128];
} lp_slots_outcome;

typedef struct lp_slots_request {
    const char *point;  /* crossing point id */
    lp_slots_dir dir;
    int64_t hour_ms;    /* any time within the wanted hour, >= 0 */
    const char *plate;  /* canonical, borrowed */
    const char *driver; /* borrowed */
} lp_slots_request;

/* Each call fills *out and returns its status: LP_OK (OK), LP_ECONFLICT
 * (FULL, CLOSED, TOO_LATE, REBOOK_LIMIT), LP_ENOTFOUND (NO_LANE,
 * NOT_FOUND), LP_ETOOBIG (NO_STORAGE) or LP_EINVAL (BAD_INPUT, or out
 * NULL).  Nothing changes unless the result is OK. */

/* Books the hour containing rq->hour_ms if it opens at least min_notice
 * after now_ms and has room. */
int lp_slots_book(lp_slots *s, const lp_slots_request *rq, int64_t now_ms, lp_slots_outcome *out);
/* Moves booking id to the hour containing hour_ms on the same lane, keeping
 * the id: both the booked hour and the new one must be at least min_notice
 * away, the new one must have room, and the booking must have been moved
 * fewer than max_rebookings times.  Moving to the same hour is OK and
 * counts nothing. */
int lp_slots_rebook(lp_slots *s, int id, int64_t hour_ms, int64_t now_ms, lp_slots_outcome *out);
/* Cancels booking id at any time; its place is free at once. */
int lp_slots_cancel(lp_slots *s, int id, lp_slots_outcome *out);
/* Changes the vehicle and/or driver of booking id (NULL keeps one); the slot
 * stays. */
int lp_slots_set_vehicle(lp_slots *s, int id, const char *plate, const char *driver,
                         lp_slots_outcome *out);

/* Queries ---------------------------------------------------------------------------------- */

/* The booking with that id if active, else NULL.  Borrowed from s. */
const lp_slots_booking *lp_slots_get(const lp_slots *s, int id);
/* Lane index of point and dir, or -1. */
int lp_slots_lane_find(const lp_slots *s, const char *point, lp_slots_dir dir);
/* Quota and active bookings of a lane in the hour containing t_ms (0 for a bad lane). */
int lp_slots_quota(const lp_slots *s, int lane, int64_t t_ms);
int lp_slots_used(const lp_slots *s, int lane, int64_t t_ms);
/* Hour of day in gate time (0..23) of t_ms >= 0. */
int lp_slots_hour_of_day(int64_t t_ms);

/* "OK", "FULL", ...; "?" */
const char *lp_slots_result_name(lp_slots_result r);

#endif

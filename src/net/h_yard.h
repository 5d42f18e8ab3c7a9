/* h_yard.h - HTTP handlers of the electronic parking yard (DESIGN.md, truck
 * flow steps 3-5 and 9): slot quotas and bookings (h_yard_bookings.c),
 * yards, ANPR reads and visits (h_yard.c), the e-queue's positions and
 * lanes (h_yard_queue.c).  Their routes are in routes_yard.inc. */
#ifndef LP_H_YARD_H
#define LP_H_YARD_H

#include "handlers.h"
#include "routes.h"

/* Slot quotas, availability and bookings (h_yard_bookings.c). */
extern const lp_jspec lp_spec_slot_quota_patch;
extern const lp_jspec lp_spec_booking_create;
extern const lp_jspec lp_spec_booking_patch;
extern const lp_jspec lp_spec_booking_rebook;
extern const lp_jspec lp_spec_booking_cancel;
extern const lp_qparam lp_query_slot_quotas[];
extern const lp_qparam lp_query_slots[];
extern const lp_qparam lp_query_bookings[];
void lp_h_slot_quotas_list(lp_req *r);
void lp_h_slot_quotas_get(lp_req *r);
void lp_h_slot_quotas_patch(lp_req *r);
void lp_check_slot_quota_patch(lp_req *r, lp_err *err);
void lp_h_slots_list(lp_req *r);
void lp_h_bookings_list(lp_req *r);
void lp_h_bookings_get(lp_req *r);
void lp_h_bookings_create(lp_req *r);
void lp_h_bookings_patch(lp_req *r);
void lp_h_bookings_rebook(lp_req *r);
void lp_h_bookings_cancel(lp_req *r);
void lp_check_booking_slot(lp_req *r, lp_err *err);

/* Yards, reads, visits (h_yard.c). */
extern const lp_jspec lp_spec_yard_create;
extern const lp_jspec lp_spec_yard_read;
extern const lp_qparam lp_query_yards[];
extern const lp_qparam lp_query_yard_reads[];
extern const lp_qparam lp_query_yard_visits[];
void lp_h_yards_list(lp_req *r);
void lp_h_yards_get(lp_req *r);
void lp_h_yards_create(lp_req *r);
void lp_check_yard_create(lp_req *r, lp_err *err);
void lp_h_yard_reads_create(lp_req *r);
void lp_h_yard_reads_list(lp_req *r);
void lp_check_yard_read(lp_req *r, lp_err *err);
void lp_h_yard_visits_list(lp_req *r);
void lp_h_yard_visits_get(lp_req *r);

/* The e-queue (h_yard_queue.c). */
extern const lp_jspec lp_spec_queue_lane_patch;
void lp_h_queues_list(lp_req *r);
void lp_h_queues_get(lp_req *r);
void lp_h_queue_lanes_patch(lp_req *r);

/* Times in bodies and queries: RFC 3339 with an offset, or ms since 1970
 * (digits only).  LP_OK or LP_EINVAL. */
int net__yard_time(const char *s, int64_t *ms);
/* The store clock's now (ms since 1970). */
int64_t net__yard_now(lp_req *r);

#endif

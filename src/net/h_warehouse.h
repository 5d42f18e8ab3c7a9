/* h_warehouse.h - HTTP handlers of the self-service bonded warehouse; their
 * routes are in routes_warehouse.inc.  h_warehouse.c: warehouses, storage
 * units, availability and reservations; h_warehouse_kiosk.c: access codes,
 * check-in and check-out; h_warehouse_stock.c: lots, stock and overstays. */
#ifndef LP_H_WAREHOUSE_H
#define LP_H_WAREHOUSE_H

#include "handlers.h"
#include "routes.h"

/* h_warehouse.c */
extern const lp_jspec lp_spec_warehouse_patch;
extern const lp_jspec lp_spec_unit_create;
extern const lp_jspec lp_spec_unit_patch;
extern const lp_jspec lp_spec_wh_reservation;
extern const lp_qparam lp_query_wh_units[];
extern const lp_qparam lp_query_wh_reservations[];
void lp_h_warehouses_list(lp_req *r);
void lp_h_warehouses_get(lp_req *r);
void lp_h_warehouses_patch(lp_req *r);
void lp_h_wh_units(lp_req *r);
void lp_h_units_create(lp_req *r);
void lp_h_units_get(lp_req *r);
void lp_h_units_patch(lp_req *r);
void lp_check_unit_create(lp_req *r, lp_err *err);
void lp_check_unit_patch(lp_req *r, lp_err *err);
void lp_h_wh_reservations_create(lp_req *r);
void lp_h_wh_reservations_list(lp_req *r);
void lp_h_wh_reservations_get(lp_req *r);
void lp_h_wh_reservations_cancel(lp_req *r);
void lp_check_wh_reservation(lp_req *r, lp_err *err);

/* h_warehouse_kiosk.c */
extern const lp_jspec lp_spec_wh_code;
extern const lp_jspec lp_spec_wh_checkin;
extern const lp_jspec lp_spec_wh_checkout;
extern const lp_qparam lp_query_wh_codes[];
void lp_h_wh_codes_create(lp_req *r);
void lp_h_wh_codes_list(lp_req *r);
void lp_h_wh_codes_get(lp_req *r);
void lp_h_wh_checkin(lp_req *r);
void lp_h_wh_checkout(lp_req *r);
void lp_check_wh_code(lp_req *r, lp_err *err);
void lp_check_wh_checkin(lp_req *r, lp_err *err);
void lp_check_wh_checkout(lp_req *r, lp_err *err);

/* h_warehouse_stock.c */
extern const lp_qparam lp_query_wh_lots[];
extern const lp_qparam lp_query_wh_stock[];
void lp_h_wh_lots_list(lp_req *r);
void lp_h_wh_lots_get(lp_req *r);
void lp_h_wh_stock(lp_req *r);
void lp_h_wh_overstays(lp_req *r);

/* Shared by the three files: the time in query parameter or body member
 * name (RFC 3339) into *ms; a missing one is fallback; a bad one adds a
 * field error (pointer "?name" or "/name") and returns LP_EINVAL. */
int net__wh_time(const char *text, const char *pointer, int64_t fallback, int64_t *ms, lp_err *err);
/* The canonical form of a Vietnamese or Chinese plate into out; LP_EINVAL
 * with a field error on pointer when it is neither. */
int net__wh_plate(const char *plate, const char *pointer, char *out, size_t n, lp_err *err);

/* The integer id in the first path parameter; when it is none, replies 404
 * ("no <what> ...") and returns LP_ENOTFOUND. */
int net__wh_id(lp_req *r, const char *what, int64_t *id);

#endif

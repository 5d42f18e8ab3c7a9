/* h_fees.h - HTTP handlers of fee tables (h_fees.c), invoices and payments
 * (h_fees_invoices.c); their routes are in routes_fees.inc. */
#ifndef LP_H_FEES_H
#define LP_H_FEES_H

#include "handlers.h"
#include "routes.h"

/* h_fees.c: fee tables and quotes */
extern const lp_jspec lp_spec_fee_table_put;
extern const lp_jspec lp_spec_fee_quote;
void lp_h_fee_tables_list(lp_req *r);
void lp_h_fee_tables_get(lp_req *r);
void lp_h_fee_tables_version(lp_req *r);
void lp_h_fee_tables_put(lp_req *r);
void lp_h_fee_tables_quote(lp_req *r);
void lp_check_fee_table_put(lp_req *r, lp_err *err);

/* h_fees_invoices.c: invoices and their payments */
extern const lp_jspec lp_spec_payment_create;
extern const lp_qparam lp_query_invoices[];
void lp_h_invoices_list(lp_req *r);
void lp_h_invoices_get(lp_req *r);
void lp_h_payments_list(lp_req *r);
void lp_h_payments_create(lp_req *r);
void lp_check_payment_create(lp_req *r, lp_err *err);

#endif

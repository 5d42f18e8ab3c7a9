/* payments.h - payments of invoices, recorded by the payer's reference (a
 * bank transfer id, a receipt number).
 *
 * Invariant: an invoice's paid is the sum of its payments and never exceeds
 * its total; its status is "open" (nothing paid), "partly_paid" or "paid"
 * (paid == total, paid_at = when the last payment was made).  A reference
 * is recorded once across all invoices, so posting the same payment twice
 * (a retry after a lost answer) cannot charge twice.  The payment and the
 * invoice change are written with their audit events in one transaction.
 * Used by the invoices API (h_fees_pay.c). */
#ifndef LP_PAYMENTS_H
#define LP_PAYMENTS_H

#include <cjson/cJSON.h>

#include "store.h"

#define LP_PAYMENT_REF_MAX 64 /* bytes of a reference */

/* "bank_transfer", "cash", "card", "e_wallet", then NULL. */
extern const char *const lp_payment_methods[];

typedef struct lp_payment_req {
    const char *reference; /* 1..LP_PAYMENT_REF_MAX bytes, no control characters */
    int64_t amount;        /* đồng, 1..what is outstanding */
    const char *method;    /* one of lp_payment_methods */
    int64_t paid_at_ms;    /* when it was paid, not after now; 0: now */
} lp_payment_req;

/* Records payment rq of invoice invoice_id.  On success *payment and
 * *invoice (each may be NULL; caller owns) receive the payment and the
 * invoice as they are now, and *created (may be NULL) is 1 for a new
 * payment, 0 when rq repeats a recorded payment (same reference, invoice
 * and amount: nothing changes, nothing is audited).
 * Returns LP_OK; LP_ENOTFOUND for no such invoice; LP_EINVAL with field
 * errors ("/amount" naming the amount and what is outstanding, "/method",
 * "/paid_at", "/reference"); LP_ECONFLICT when the reference was recorded
 * for another invoice or amount ("/reference") or the invoice is already
 * paid; LP_ESTORE. */
int lp_payments_record(lp_store *st, const lp_actor *who, const char *invoice_id, const lp_payment_req *rq,
                       cJSON **payment, cJSON **invoice, int *created, lp_err *err);

#endif

/* invoices.h - fee rate tables stored as data, and the invoices issued from
 * them (one per trip through the yard, one per warehouse stay, ...).
 *
 * Invariant: an invoice's lines and total are what lp_fees_invoice (core/fees.h)
 * gives for the recorded facts under the recorded table version; money is
 * integer đồng; one invoice per subject (subject_type, subject_id).  Every
 * write is audited.  Used by the yard exit, the warehouse check-out and the
 * fees API. */
#ifndef LP_INVOICES_H
#define LP_INVOICES_H

#include <cjson/cJSON.h>

#include "../core/fees.h"
#include "store.h"
#include "table.h"

#define LP_FEES_YARD "yard"           /* fee table of the yard and the gate (seeded, schema v4) */
#define LP_FEES_WAREHOUSE "warehouse" /* fee table of the bonded warehouse (seeded by its schema) */

extern const lp_table lp_tbl_fee_tables; /* text id; description, currency, rates (JSON array) */
extern const lp_table lp_tbl_invoices;
extern const lp_table lp_tbl_payments;

/* Parses a JSON array of rates (the API's and the store's shape: code,
 * description, kind "per_trip"|"yard", optional, min_kg, max_kg, goods and
 * journey by name or absent for any, amount, free_minutes, daily_cap) into
 * out[0..max) and checks it as a whole with lp_fees_table_check.  Field
 * errors go to e with pointers prefix + "/3/amount" (prefix like "/rates").
 * Returns LP_OK, LP_EINVAL or LP_ETOOBIG (more than max). */
int lp_fees_rates_parse(const cJSON *rates, const char *prefix, lp_fee_rate *out, int max, int *n, lp_err *e);

/* The inverse: a JSON array of rates.  Caller owns the result (NULL: no memory). */
cJSON *lp_fees_rates_json(const lp_fee_rate *rates, int n);

/* Loads fee table id: *rates (caller frees with lp_free) and *n, *version
 * (may be NULL).  LP_ENOTFOUND if there is no such table, LP_ESTORE if the
 * stored rates do not parse. */
int lp_fees_load(lp_store *st, const char *id, lp_fee_rate **rates, int *n, int64_t *version, lp_err *err);

/* Replaces the rates (and, when description is not NULL, the description)
 * of fee table id, optionally only at version if_version (-1: any), audited
 * as fee_table.update with before and after; the version goes up by one and
 * invoices issued from now on record it.  rates is checked as a whole:
 * every problem is a field error "/rates/N/member" (overlaps name both
 * rates) and nothing is stored.  The stored rates are canonical (every
 * member written out).  *out (may be NULL; caller owns) receives the
 * record; the version it replaces stays readable with lp_fees_table_version.
 * Returns LP_OK, LP_EINVAL, LP_ENOTFOUND, LP_ESTALE, LP_ECONFLICT (changed
 * at the same time by another writer) or LP_ESTORE. */
int lp_fees_table_put(lp_store *st, const lp_actor *who, const char *id, int64_t if_version,
                      const char *description, const cJSON *rates, cJSON **out, lp_err *err);

/* Fee table id as it was at version (the current one included), for
 * explaining an invoice that names it: *out (caller owns) is {id, version,
 * description, currency, rates, valid_from, valid_until (null for the
 * current version)}.  Returns LP_OK, LP_ENOTFOUND (no such table or
 * version) or LP_ESTORE. */
int lp_fees_table_version(lp_store *st, const char *id, int64_t version, cJSON **out, lp_err *err);

/* What a trip would pay under fee table id now, without storing anything:
 * *out (caller owns) is {facts, lines, fee_table_id, fee_table_version,
 * currency, total}, the members an invoice would have.  Returns LP_OK,
 * LP_ENOTFOUND, or LP_EINVAL with field errors on "/gross_kg", "/goods",
 * "/journey" or "/yard_ms" (no rate of a required code applies). */
int lp_fees_quote(lp_store *st, const char *id, const lp_fee_trip *trip, cJSON **out, lp_err *err);

/* What an invoice is for and the facts its fees depend on. */
typedef struct lp_invoice_req {
    int64_t company_id;       /* who pays, >= 1 */
    const char *subject_type; /* "yard_visit", "warehouse_stay", ... */
    const char *subject_id;   /* the subject's id */
    int64_t declaration_id;   /* 0: none */
    const char *plate;        /* NULL: none */
    const char *fee_table;    /* LP_FEES_YARD, ... */
    lp_fee_trip trip;         /* gross weight, goods, journey, time (yard_ms) */
} lp_invoice_req;

/* Computes and stores the invoice of rq (status "open", or "paid" with
 * paid_at = issued_at when the total is 0), audited as invoice.issue, in a transaction of its own or
 * nested in the caller's.  *out (may be NULL; caller owns) receives the
 * record.  LP_ECONFLICT if the subject already has an invoice; LP_EINVAL
 * (e names the fact) when no rate of a required code applies; LP_ENOTFOUND
 * for an unknown fee table. */
int lp_invoices_issue(lp_store *st, const lp_actor *who, const lp_invoice_req *rq, cJSON **out, lp_err *err);

#endif

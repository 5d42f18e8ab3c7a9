/* h_fees_invoices.c - invoices and their payments over HTTP.  Invoices are
 * issued by the yard exit and the warehouse check-out (store/invoices.h),
 * never by hand; here they are read (a company only its own: others answer
 * 404) and paid by reference (operators and admins record what the bank or
 * the cashier received).  Amounts are integer đồng; every invoice shows
 * what is still outstanding. */
#include "h_fees.h"
#include "../core/mem.h"
#include "../os/vclock.h"
#include "../store/invoices.h"
#include "../store/payments.h"

#include <stdio.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

const lp_qparam lp_query_invoices[] = {
    {"status", "string", "open, partly_paid or paid"},
    {"subject_type", "string", "What the invoice is for: yard_visit, warehouse_stay, ..."},
    {"company_id", "integer", "The paying company (staff; a company sees only its own anyway)"},
    {"declaration_id", "integer", "The declaration of the trip"},
    {"plate", "string", "Exact plate (canonical form, e.g. 29C-123.45)"},
    {"fee_table_id", "string", "yard, warehouse, ..."},
    {0}};

static const char *const invoice_filters[] = {"status", "subject_type", "company_id", "declaration_id",
                                              "plate", "fee_table_id", NULL};
static const char *const statuses[] = {"open", "partly_paid", "paid", NULL};

static const lp_jfield payment_fields[] = {
    {"reference", LP_J_STRING, LP_JF_REQUIRED, 1, LP_PAYMENT_REF_MAX, NULL, NULL,
     "The payer's reference (bank transfer id, receipt number), unique across all payments", "\"VCB-20261123-0042\""},
    {"amount", LP_J_INT, LP_JF_REQUIRED, 1, 9007199254740991LL, NULL, NULL,
     "VND (integer đồng), at most what is outstanding", "400000"},
    {"method", LP_J_ENUM, LP_JF_REQUIRED, 0, 0, lp_payment_methods, NULL, "How it was paid", NULL},
    {"paid_at", LP_J_STRING, 0, 20, 40, NULL, NULL, "When it was paid, RFC 3339, not in the future (default now)",
     "\"2026-11-23T09:20:00+07:00\""},
};
const lp_jspec lp_spec_payment_create = {payment_fields, N(payment_fields)};

/* Invoices --------------------------------------------------------------------- */

static void add_outstanding(lp_req *r, cJSON *inv)
{
    (void)r;
    cJSON_AddNumberToObject(inv, "outstanding",
                            (double)(lp_json_int(inv, "total", 0) - lp_json_int(inv, "paid", 0)));
}

void lp_h_invoices_list(lp_req *r)
{
    const char *status = lp_req_query(r, "status");
    const char *const *s;
    for (s = statuses; status && *s && strcmp(*s, status); s++) {}
    if (status && !*s) {
        lp_err e;
        lp_err_init(&e);
        lp_err_field_add(&e, "?status", "must be open, partly_paid or paid");
        lp_reply_problem(r, 400, "the query parameter status is invalid", &e);
        return;
    }
    net__list(r, &lp_tbl_invoices, invoice_filters, add_outstanding);
}

void lp_h_invoices_get(lp_req *r) { net__get(r, &lp_tbl_invoices, add_outstanding); }

/* Payments ------------------------------------------------------------------------ */

void lp_h_payments_list(lp_req *r)
{
    lp_filter f = {"invoice_id", r->params[0]};
    cJSON *inv = NULL, *items = NULL;
    const char *cursor;
    char *next = NULL;
    int limit;
    lp_err err;

    lp_err_init(&err);
    if (lp_req_page(r, &limit, &cursor)) return;
    /* The invoice first: another company's invoice is not there at all. */
    if (lp_table_get(r->store, &lp_tbl_invoices, r->params[0], lp_req_scope(r), &inv, &err) ||
        lp_table_list(r->store, &lp_tbl_payments, &f, 1, lp_req_scope(r), cursor, limit, &items, &next, &err)) {
        cJSON_Delete(inv);
        net__fail(r, &err, NULL);
        return;
    }
    cJSON_Delete(inv);
    lp_reply_page(r, items, next);
    lp_free(next);
}

void lp_check_payment_create(lp_req *r, lp_err *err)
{
    const char *at = lp_json_str(r->body, "paid_at");
    int64_t ms;
    if (at && lp_vclock_parse_time(at, &ms) != LP_OK)
        lp_err_field_add(err, "/paid_at", "must be an RFC 3339 time, e.g. 2026-11-23T09:20:00+07:00");
}

void lp_h_payments_create(lp_req *r)
{
    lp_payment_req rq;
    cJSON *pay = NULL, *inv = NULL;
    const char *at = lp_json_str(r->body, "paid_at");
    int created = 0;
    lp_err err;

    lp_err_init(&err);
    rq.reference = lp_json_str(r->body, "reference");
    rq.amount = lp_json_int(r->body, "amount", 0);
    rq.method = lp_json_str(r->body, "method");
    rq.paid_at_ms = 0;
    if (at) lp_vclock_parse_time(at, &rq.paid_at_ms); /* checked by lp_check_payment_create */
    if (lp_payments_record(r->store, &r->actor, r->params[0], &rq, &pay, &inv, &created, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    add_outstanding(r, inv);
    cJSON_AddItemToObject(pay, "invoice", inv);
    lp_reply_json(r, created ? 201 : 200, pay);
}

/* payments.c - payments recorded by reference (see payments.h).
 *
 * The invoice is changed with lp_table_update at the version read in the
 * same transaction: if another payment of the same invoice committed in
 * between (PostgreSQL runs them concurrently), the update finds a newer
 * version and the whole attempt is made again on the new state, so paid can
 * never pass the total.  Two requests with one new reference race on the
 * unique index instead; the loser's retry finds the winner's payment and
 * answers as a repeat. */
#include "payments.h"
#include "invoices.h"
#include "table.h"
#include "../core/mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ATTEMPTS 3

const char *const lp_payment_methods[] = {"bank_transfer", "cash", "card", "e_wallet", NULL};

static int64_t store_now(lp_store *st)
{
    const lp_clock *clk = lp_store_clock(st);
    return clk->now_ms(clk->ud);
}

/* Every problem of rq that does not depend on the invoice, at once. */
static int check_req(const lp_payment_req *rq, int64_t now, lp_err *err)
{
    const char *const *m;
    const char *p;
    size_t len = rq->reference ? strlen(rq->reference) : 0;
    if (len == 0 || len > LP_PAYMENT_REF_MAX)
        lp_err_field_add(err, "/reference", "must be 1 to %d bytes", LP_PAYMENT_REF_MAX);
    for (p = rq->reference; p && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            lp_err_field_add(err, "/reference", "must not hold control characters");
            break;
        }
    if (rq->amount < 1) lp_err_field_add(err, "/amount", "must be at least 1 VND");
    for (m = lp_payment_methods; rq->method && *m && strcmp(*m, rq->method); m++) {}
    if (!rq->method || !*m) lp_err_field_add(err, "/method", "must be bank_transfer, cash, card or e_wallet");
    if (rq->paid_at_ms < 0 || rq->paid_at_ms > now)
        lp_err_field_add(err, "/paid_at", "must not be later than now (a payment is recorded after it is made)");
    return err->code;
}

/* The payment recorded with reference, or *out NULL. */
static int find_reference(lp_store *st, const char *reference, cJSON **out, lp_err *err)
{
    lp_filter f = {"reference", reference};
    cJSON *items = NULL;
    char *next = NULL;
    int rc = lp_table_list(st, &lp_tbl_payments, &f, 1, 0, NULL, 1, &items, &next, err);
    *out = NULL;
    lp_free(next);
    if (rc == LP_OK && cJSON_GetArraySize(items) > 0) *out = cJSON_DetachItemFromArray(items, 0);
    cJSON_Delete(items);
    return rc;
}

typedef struct attempt {
    cJSON *payment, *invoice;
    int created;
    int retry; /* lost a race: try again on the new state */
} attempt;

/* The new state of invoice inv (total, paid) after amount more is paid at paid_at. */
static cJSON *pay_patch(const cJSON *inv, int64_t amount, int64_t paid_at)
{
    int64_t total = lp_json_int(inv, "total", 0), paid = lp_json_int(inv, "paid", 0) + amount;
    cJSON *patch = cJSON_CreateObject();
    cJSON_AddNumberToObject(patch, "paid", (double)paid);
    cJSON_AddStringToObject(patch, "status", paid >= total ? "paid" : "partly_paid");
    if (paid >= total) cJSON_AddNumberToObject(patch, "paid_at", (double)paid_at);
    return patch;
}

static int try_record(lp_store *st, const lp_actor *who, const char *invoice_id, const lp_payment_req *rq,
                      int64_t paid_at, attempt *a, lp_err *err)
{
    cJSON *inv = NULL, *prev = NULL, *values = NULL, *patch = NULL;
    int64_t total, paid, version, inv_id;
    int rc, in_tx = 0;

    rc = lp_store_begin(st, err);
    if (rc) return rc;
    in_tx = 1;
    rc = lp_table_get(st, &lp_tbl_invoices, invoice_id, 0, &inv, err);
    if (rc == LP_ENOTFOUND && err) snprintf(err->msg, sizeof err->msg, "there is no invoice %s", invoice_id);
    if (rc) goto out;
    inv_id = lp_json_int(inv, "id", 0);
    total = lp_json_int(inv, "total", 0);
    paid = lp_json_int(inv, "paid", 0);
    version = lp_json_int(inv, "version", 0);

    rc = find_reference(st, rq->reference, &prev, err);
    if (rc) goto out;
    if (prev) {
        if (lp_json_int(prev, "invoice_id", 0) == inv_id && lp_json_int(prev, "amount", 0) == rq->amount) {
            a->payment = prev;
            a->invoice = inv;
            prev = inv = NULL;
            goto out; /* a repeat: answered as recorded, nothing written */
        }
        lp_err_set(err, LP_ECONFLICT, "reference %.64s was already recorded for another payment", rq->reference);
        lp_err_field_add(err, "/reference",
                         "was recorded for invoice %" PRId64 " with %" PRId64 " VND; a new payment needs a new reference",
                         lp_json_int(prev, "invoice_id", 0), lp_json_int(prev, "amount", 0));
        rc = LP_ECONFLICT;
        goto out;
    }
    if (paid >= total) {
        rc = lp_err_set(err, LP_ECONFLICT, "invoice %s is already paid (%" PRId64 " VND)", invoice_id, total);
        goto out;
    }
    if (rq->amount > total - paid) {
        lp_err_set(err, LP_EINVAL, "the payment is more than what is outstanding on invoice %s", invoice_id);
        rc = lp_err_field_add(err, "/amount",
                              "is %" PRId64 " VND, more than the %" PRId64 " VND outstanding (total %" PRId64
                              ", paid %" PRId64 ")",
                              rq->amount, total - paid, total, paid);
        goto out;
    }

    values = cJSON_CreateObject();
    cJSON_AddNumberToObject(values, "invoice_id", (double)inv_id);
    cJSON_AddNumberToObject(values, "company_id", (double)lp_json_int(inv, "company_id", 0));
    cJSON_AddStringToObject(values, "reference", rq->reference);
    cJSON_AddNumberToObject(values, "amount", (double)rq->amount);
    cJSON_AddStringToObject(values, "method", rq->method);
    cJSON_AddNumberToObject(values, "paid_at", (double)paid_at);
    cJSON_AddStringToObject(values, "recorded_by", who && who->name ? who->name : "?");
    rc = lp_table_insert(st, &lp_tbl_payments, who, NULL, values, &a->payment, err);
    if (rc == LP_ECONFLICT) a->retry = 1;
    if (rc) goto out;
    patch = pay_patch(inv, rq->amount, paid_at);
    rc = lp_table_update(st, &lp_tbl_invoices, who, invoice_id, 0, version, "pay", patch, &a->invoice, err);
    if (rc == LP_ESTALE) a->retry = 1;
    if (rc) goto out;
    a->created = 1;
out:
    if (in_tx && rc == LP_OK) rc = lp_store_commit(st, err);
    else if (in_tx) lp_store_rollback(st);
    cJSON_Delete(inv);
    cJSON_Delete(prev);
    cJSON_Delete(values);
    cJSON_Delete(patch);
    return rc;
}

int lp_payments_record(lp_store *st, const lp_actor *who, const char *invoice_id, const lp_payment_req *rq,
                       cJSON **payment, cJSON **invoice, int *created, lp_err *err)
{
    attempt a;
    int64_t now = store_now(st);
    int rc = LP_OK, i;
    lp_err local;

    if (payment) *payment = NULL;
    if (invoice) *invoice = NULL;
    if (created) *created = 0;
    if (!err) {
        lp_err_init(&local);
        err = &local;
    }
    if (!rq || !invoice_id) return lp_err_set(err, LP_EINVAL, "no payment given");
    if (check_req(rq, now, err)) return err->code;
    for (i = 0; i < ATTEMPTS; i++) {
        memset(&a, 0, sizeof a);
        if (i > 0) lp_err_init(err);
        rc = try_record(st, who, invoice_id, rq, rq->paid_at_ms ? rq->paid_at_ms : now, &a, err);
        if (rc == LP_OK || !a.retry) break;
        cJSON_Delete(a.payment);
        cJSON_Delete(a.invoice);
        a.payment = a.invoice = NULL;
    }
    if (rc == LP_ESTALE) { /* lost the race every time: the caller may try again */
        err->code = rc = LP_ECONFLICT;
        snprintf(err->msg, sizeof err->msg, "invoice %s kept changing; try the payment again", invoice_id);
    }
    if (rc == LP_OK) {
        if (created) *created = a.created;
        if (payment) {
            *payment = a.payment;
            a.payment = NULL;
        }
        if (invoice) {
            *invoice = a.invoice;
            a.invoice = NULL;
        }
    }
    cJSON_Delete(a.payment);
    cJSON_Delete(a.invoice);
    return rc;
}

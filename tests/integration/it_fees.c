/* it_fees.c - fee tables, invoices and payments over HTTP, against the real
 * landport binary (SQLite; it_fees_pg on PostgreSQL): who reads and who
 * changes a rate table, every problem of a bad table at its pointer,
 * If-Match, quotes, invoice lists with filters and company scoping, and
 * payments by reference (partial, idempotent repeat, conflicting repeat,
 * over-payment, full) with their audit events.
 *
 * Invoices are issued by the yard exit and the warehouse check-out, never
 * through the API; the setup issues them through the store library on the
 * server's own database while the server runs (SQLite in WAL mode and
 * PostgreSQL both take a second connection). */
#include "testlib.h"
#include "store/invoices.h"
#include "store/store.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ctx {
    lp_test_group g; /* first: the server and an operator token */
    char *company_a, *company_b, *customs, *device;
    long a, b;                  /* company ids */
    long inv_a1, inv_a2, inv_b; /* A: 1,000,000 and 150,000 VND; B: 150,000 VND */
} ctx;

/* Helpers ------------------------------------------------------------------ */

static lp_test_resp call(ctx *c, const char *method, const char *path, const char *token, const char *body,
                         const char *const *headers)
{
    return lp_test_http(&c->g.srv, method, path, token, body, headers);
}

__attribute__((format(printf, 2, 3))) static const char *path(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, 256, fmt, ap);
    va_end(ap);
    return buf;
}

static void refused(ctx *c, const char *method, const char *p, const char *token, const char *body, long status,
                    const char *pointer)
{
    lp_test_resp r = call(c, method, p, token, body, NULL);
    lp_test_assert_problem(&r, status, pointer);
    lp_test_resp_free(&r);
}

/* The detail of err's entry for pointer in problem r (fails when absent). */
static const char *detail_of(const lp_test_resp *r, const char *pointer)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r->json, "errors"))
        if (lp_test_jstr(e, "pointer") && !strcmp(lp_test_jstr(e, "pointer"), pointer)) return lp_test_jstr(e, "detail");
    fail_msg("no error at %s: %s", pointer, r->body);
    return NULL;
}

static int nitems(const lp_test_resp *r)
{
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r->json, "items"));
}

static long issue(lp_store *st, long company, const char *subject, long kg, const char *plate)
{
    static const lp_actor yard = {"system:yard", LP_ROLE_ADMIN, 0, NULL};
    lp_invoice_req rq = {company, "yard_visit", subject, 0, plate, LP_FEES_YARD,
                         {kg, LP_FEE_GOODS_NORMAL, LP_FEE_JOURNEY_EXPORT, 60 * 60000}};
    cJSON *rec = NULL;
    long id;
    lp_err err;
    lp_err_init(&err);
    if (lp_invoices_issue(st, &yard, &rq, &rec, &err)) fail_msg("issue %s: %s", subject, err.msg);
    id = lp_test_jint(rec, "id");
    cJSON_Delete(rec);
    return id;
}

static long company(ctx *c, unsigned seed)
{
    char tax[11], body[256];
    lp_test_resp r;
    long id;
    lp_test_vn_taxid(1, seed, tax);
    snprintf(body, sizeof body, "{\"name\":\"Vận tải Lạng Sơn %u\",\"country\":\"VN\",\"tax_id\":\"%s\"}", seed, tax);
    r = call(c, "POST", "/api/v1/companies", c->g.srv.admin, body, NULL);
    lp_test_expect(&r, 201);
    id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    return id;
}

/* Fee tables ------------------------------------------------------------------- */

static void test_fee_tables_read(void **state)
{
    ctx *c = *state;
    lp_test_resp r = call(c, "GET", "/api/v1/fee-tables", c->company_a, NULL, NULL);
    const cJSON *rates;
    lp_test_expect(&r, 200);
    assert_true(nitems(&r) >= 1);
    lp_test_resp_free(&r);

    r = call(c, "GET", "/api/v1/fee-tables/yard", c->customs, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_string_equal(r.etag, "\"1\"");
    assert_string_equal(lp_test_jstr(r.json, "currency"), "VND");
    rates = cJSON_GetObjectItemCaseSensitive(r.json, "rates");
    assert_int_equal(cJSON_GetArraySize(rates), 7);
    assert_int_equal(lp_test_jint(cJSON_GetArrayItem(rates, 0), "amount"), 150000);
    lp_test_resp_free(&r);

    refused(c, "GET", "/api/v1/fee-tables/yard", c->device, NULL, 403, NULL);
    refused(c, "GET", "/api/v1/fee-tables/no-such", c->company_a, NULL, 404, NULL);
}

static void test_quote(void **state)
{
    ctx *c = *state;
    lp_test_resp r = call(c, "POST", "/api/v1/fee-tables/yard/quote", c->company_a,
                          "{\"gross_kg\":24500,\"goods\":\"refrigerated\",\"journey\":\"export\",\"yard_minutes\":1900}",
                          NULL);
    const cJSON *lines, *l;
    long sum = 0;
    lp_test_expect(&r, 200);
    assert_int_equal(lp_test_jint(r.json, "total"), 1480000);
    assert_int_equal(lp_test_jint(r.json, "fee_table_version"), 1);
    assert_string_equal(lp_test_jstr(r.json, "currency"), "VND");
    lines = cJSON_GetObjectItemCaseSensitive(r.json, "lines");
    assert_int_equal(cJSON_GetArraySize(lines), 4);
    cJSON_ArrayForEach(l, lines) sum += lp_test_jint(l, "amount");
    assert_int_equal(sum, 1480000);
    assert_null(cJSON_GetObjectItemCaseSensitive(r.json, "id")); /* nothing stored */
    lp_test_resp_free(&r);

    /* every problem at once */
    r = call(c, "POST", "/api/v1/fee-tables/yard/quote", c->company_a,
             "{\"gross_kg\":-1,\"goods\":\"fish\",\"journey\":\"north\",\"yard_minutes\":1.5,\"toll\":1}", NULL);
    lp_test_assert_problem(&r, 400, "/gross_kg");
    detail_of(&r, "/goods");
    detail_of(&r, "/journey");
    detail_of(&r, "/yard_minutes");
    detail_of(&r, "/toll");
    lp_test_resp_free(&r);
    refused(c, "POST", "/api/v1/fee-tables/yard/quote", c->company_a, "{\"gross_kg\":1000}", 400, "/journey");
    refused(c, "POST", "/api/v1/fee-tables/no-such/quote", c->company_a, "{\"gross_kg\":1000,\"journey\":\"import\"}",
            404, NULL);
}

static void test_fee_table_put(void **state)
{
    ctx *c = *state;
    static const char good[] =
        "{\"description\":\"Tariff 2027\",\"rates\":["
        "{\"code\":\"INFRA\",\"description\":\"Infrastructure fee, up to 20 t\",\"kind\":\"per_trip\",\"max_kg\":20000,"
        "\"amount\":200000},"
        "{\"code\":\"INFRA\",\"description\":\"Infrastructure fee, over 20 t\",\"kind\":\"per_trip\",\"min_kg\":20001,"
        "\"amount\":1200000},"
        "{\"code\":\"YARD\",\"description\":\"Parking yard time\",\"kind\":\"yard\",\"amount\":25000,"
        "\"free_minutes\":240,\"daily_cap\":350000}]}";
    static const char bad[] =
        "{\"description\":\"Broken\",\"rates\":["
        "{\"code\":\"INFRA\",\"description\":\"a\",\"kind\":\"per_trip\",\"max_kg\":20000,\"amount\":1},"
        "{\"code\":\"INFRA\",\"description\":\"b\",\"kind\":\"per_trip\",\"min_kg\":15000,\"amount\":2},"
        "{\"code\":\"YARD\",\"description\":\"c\",\"kind\":\"yard\",\"amount\":-3},"
        "{\"code\":\"yard time\",\"description\":\"d\",\"kind\":\"yard\",\"amount\":4}]}";
    const char *const stale[] = {"If-Match: \"1\"", NULL};
    const char *const current[] = {"If-Match: \"1\"", "X-Reason: tariff decision 12/2027", NULL};
    lp_test_resp r;
    char p[256];

    refused(c, "PUT", "/api/v1/fee-tables/yard", c->company_a, good, 403, NULL);
    refused(c, "PUT", "/api/v1/fee-tables/yard", c->customs, good, 403, NULL);

    r = call(c, "PUT", "/api/v1/fee-tables/yard", c->g.operator, bad, NULL);
    lp_test_assert_problem(&r, 400, "/rates/1");
    assert_non_null(strstr(detail_of(&r, "/rates/1"), "/rates/0"));
    detail_of(&r, "/rates/2/amount");
    detail_of(&r, "/rates/3/code");
    lp_test_resp_free(&r);

    r = call(c, "PUT", "/api/v1/fee-tables/yard", c->g.operator, good, current);
    lp_test_expect(&r, 200);
    assert_string_equal(r.etag, "\"2\"");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "rates")), 3);
    lp_test_resp_free(&r);
    r = call(c, "PUT", "/api/v1/fee-tables/yard", c->g.srv.admin, good, stale);
    lp_test_assert_problem(&r, 412, NULL);
    lp_test_resp_free(&r);
    refused(c, "PUT", "/api/v1/fee-tables/no-such", c->g.operator, good, 404, NULL);

    /* audited with the rates before and after and the reason */
    r = call(c, "GET", path(p, "/api/v1/audit-events?object_type=fee_table&action=fee_table.update"),
             c->g.srv.admin, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(nitems(&r), 1);
    {
        const cJSON *ev = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "items"), 0);
        assert_string_equal(lp_test_jstr(ev, "reason"), "tariff decision 12/2027");
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "before"), "rates")), 7);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "after"), "rates")), 3);
    }
    lp_test_resp_free(&r);

    /* quotes follow the new version; the invoices issued before keep theirs */
    r = call(c, "POST", "/api/v1/fee-tables/yard/quote", c->company_a, "{\"gross_kg\":25000,\"journey\":\"export\"}",
             NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(lp_test_jint(r.json, "total"), 1200000);
    assert_int_equal(lp_test_jint(r.json, "fee_table_version"), 2);
    lp_test_resp_free(&r);
    r = call(c, "GET", path(p, "/api/v1/invoices/%ld", c->inv_a1), c->company_a, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(lp_test_jint(r.json, "fee_table_version"), 1);
    assert_int_equal(lp_test_jint(r.json, "total"), 1000000);
    lp_test_resp_free(&r);
    /* ... and the table they name can be read as it was */
    r = call(c, "GET", "/api/v1/fee-tables/yard/versions/1", c->company_a, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "rates")), 7);
    assert_non_null(lp_test_jstr(r.json, "valid_until"));
    lp_test_resp_free(&r);
    r = call(c, "GET", "/api/v1/fee-tables/yard/versions/2", c->company_a, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r.json, "valid_until")));
    lp_test_resp_free(&r);
    refused(c, "GET", "/api/v1/fee-tables/yard/versions/3", c->company_a, NULL, 404, NULL);
    refused(c, "GET", "/api/v1/fee-tables/yard/versions/latest", c->company_a, NULL, 404, NULL);
}

/* Invoices ------------------------------------------------------------------------ */

static void test_invoices_scope_and_filters(void **state)
{
    ctx *c = *state;
    lp_test_resp r;
    const cJSON *it;
    char p[256];

    r = call(c, "GET", "/api/v1/invoices", c->company_a, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(nitems(&r), 2);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r.json, "items")) {
        assert_int_equal(lp_test_jint(it, "company_id"), c->a);
        assert_int_equal(lp_test_jint(it, "outstanding"), lp_test_jint(it, "total") - lp_test_jint(it, "paid"));
        assert_string_equal(lp_test_jstr(it, "currency"), "VND");
    }
    lp_test_resp_free(&r);

    r = call(c, "GET", path(p, "/api/v1/invoices/%ld", c->inv_a1), c->company_a, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "status"), "open");
    assert_string_equal(lp_test_jstr(r.json, "number"), "YARD-VISIT-A1");
    assert_int_equal(lp_test_jint(r.json, "outstanding"), 1000000);
    assert_int_equal(lp_test_jint(cJSON_GetObjectItemCaseSensitive(r.json, "facts"), "gross_kg"), 25000);
    lp_test_resp_free(&r);

    /* another company's invoice does not exist for A; staff see all */
    refused(c, "GET", path(p, "/api/v1/invoices/%ld", c->inv_b), c->company_a, NULL, 404, NULL);
    refused(c, "GET", path(p, "/api/v1/invoices/%ld/payments", c->inv_b), c->company_a, NULL, 404, NULL);
    r = call(c, "GET", path(p, "/api/v1/invoices?company_id=%ld", c->b), c->company_a, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(nitems(&r), 0);
    lp_test_resp_free(&r);
    r = call(c, "GET", path(p, "/api/v1/invoices/%ld", c->inv_b), c->customs, NULL, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    refused(c, "GET", "/api/v1/invoices", c->device, NULL, 403, NULL);

    /* filters and pages */
    r = call(c, "GET", path(p, "/api/v1/invoices?company_id=%ld&plate=29C-555.01", c->a), c->customs, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(nitems(&r), 1);
    lp_test_resp_free(&r);
    r = call(c, "GET", "/api/v1/invoices?subject_type=warehouse_stay", c->customs, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(nitems(&r), 0);
    lp_test_resp_free(&r);
    r = call(c, "GET", "/api/v1/invoices?status=open&limit=2", c->customs, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(nitems(&r), 2);
    assert_non_null(lp_test_jstr(r.json, "next_cursor"));
    lp_test_resp_free(&r);
    r = call(c, "GET", "/api/v1/invoices?status=overdue", c->customs, NULL, NULL);
    lp_test_assert_problem(&r, 400, NULL);
    assert_non_null(strstr(r.body, "\"parameter\":\"status\""));
    lp_test_resp_free(&r);
}

/* Payments -------------------------------------------------------------------------- */

static void test_payments(void **state)
{
    ctx *c = *state;
    lp_test_resp r;
    long pid;
    char p[256], pp[256];

    path(pp, "/api/v1/invoices/%ld/payments", c->inv_a1);
    refused(c, "POST", pp, c->company_a, "{\"reference\":\"VCB-1\",\"amount\":1,\"method\":\"cash\"}", 403, NULL);

    r = call(c, "POST", pp, c->g.operator,
             "{\"reference\":\"VCB-20261123-0001\",\"amount\":400000,\"method\":\"bank_transfer\"}", NULL);
    lp_test_expect(&r, 201);
    pid = lp_test_jint(r.json, "id");
    assert_int_equal(lp_test_jint(r.json, "amount"), 400000);
    {
        const cJSON *inv = cJSON_GetObjectItemCaseSensitive(r.json, "invoice");
        assert_string_equal(lp_test_jstr(inv, "status"), "partly_paid");
        assert_int_equal(lp_test_jint(inv, "outstanding"), 600000);
    }
    lp_test_resp_free(&r);

    /* a retry: the same payment, 200, nothing new */
    r = call(c, "POST", pp, c->g.srv.admin,
             "{\"reference\":\"VCB-20261123-0001\",\"amount\":400000,\"method\":\"bank_transfer\"}", NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(lp_test_jint(r.json, "id"), pid);
    lp_test_resp_free(&r);
    /* the same reference for something else */
    refused(c, "POST", pp, c->g.operator, "{\"reference\":\"VCB-20261123-0001\",\"amount\":1,\"method\":\"cash\"}", 409,
            "/reference");
    /* more than outstanding: both numbers */
    r = call(c, "POST", pp, c->g.operator, "{\"reference\":\"VCB-20261123-0002\",\"amount\":600001,\"method\":\"card\"}",
             NULL);
    lp_test_assert_problem(&r, 400, "/amount");
    assert_non_null(strstr(detail_of(&r, "/amount"), "600001"));
    assert_non_null(strstr(detail_of(&r, "/amount"), "600000"));
    lp_test_resp_free(&r);
    r = call(c, "POST", pp, c->g.operator,
             "{\"reference\":\"\",\"amount\":0,\"method\":\"cheque\",\"paid_at\":\"yesterday\",\"extra\":1}", NULL);
    lp_test_assert_problem(&r, 400, "/reference");
    detail_of(&r, "/amount");
    detail_of(&r, "/method");
    detail_of(&r, "/paid_at");
    detail_of(&r, "/extra");
    lp_test_resp_free(&r);
    refused(c, "POST", "/api/v1/invoices/999999/payments", c->g.operator,
            "{\"reference\":\"VCB-X\",\"amount\":1,\"method\":\"cash\"}", 404, NULL);

    /* the rest, paid earlier today */
    r = call(c, "POST", pp, c->g.operator,
             "{\"reference\":\"CASH-0002\",\"amount\":600000,\"method\":\"cash\",\"paid_at\":\"2026-01-05T08:30:00+07:00\"}",
             NULL);
    lp_test_expect(&r, 201);
    assert_string_equal(lp_test_jstr(r.json, "paid_at"), "2026-01-05T01:30:00.000Z");
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(r.json, "invoice"), "status"), "paid");
    lp_test_resp_free(&r);
    refused(c, "POST", pp, c->g.operator, "{\"reference\":\"CASH-0003\",\"amount\":1,\"method\":\"cash\"}", 409, NULL);

    /* the company sees its payments and the invoice's audit trail */
    r = call(c, "GET", pp, c->company_a, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(nitems(&r), 2);
    lp_test_resp_free(&r);
    r = call(c, "GET", path(p, "/api/v1/invoices?status=paid"), c->company_a, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(nitems(&r), 1);
    assert_string_equal(lp_test_jstr(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "items"), 0), "paid_at"),
                        "2026-01-05T01:30:00.000Z");
    lp_test_resp_free(&r);
    r = call(c, "GET", path(p, "/api/v1/audit-events?object_type=invoice&object_id=%ld", c->inv_a1), c->company_a, NULL,
             NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(nitems(&r), 3); /* invoice.create, invoice.pay x 2 */
    lp_test_resp_free(&r);
    r = call(c, "GET", "/api/v1/audit-events?action=payment.create", c->company_b, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(nitems(&r), 0);
    lp_test_resp_free(&r);
}

/* Runner ------------------------------------------------------------------------------ */

static int group_setup(void **state)
{
    ctx *c = lp_test_group_setup(state, sizeof(ctx), "it_fees");
    lp_store *st = NULL;
    lp_err err;

    c->a = company(c, 201);
    c->b = company(c, 202);
    c->company_a = lp_test_token(&c->g.srv, "company", c->a);
    c->company_b = lp_test_token(&c->g.srv, "company", c->b);
    c->customs = lp_test_token(&c->g.srv, "customs", 0);
    c->device = lp_test_token(&c->g.srv, "device", 0);
    lp_err_init(&err);
    if (lp_store_open(c->g.srv.db, NULL, &st, &err)) fail_msg("store: %s", err.msg);
    c->inv_a1 = issue(st, c->a, "A1", 25000, "29C-555.01"); /* INFRA 20-30 t: 1,000,000; 1 h in the yard is free */
    c->inv_a2 = issue(st, c->a, "A2", 8000, "29C-555.02");  /* INFRA up to 10 t: 150,000 */
    c->inv_b = issue(st, c->b, "B1", 8000, "20C-777.03");
    lp_store_close(st);
    return 0;
}

static int group_teardown(void **state)
{
    ctx *c = *state;
    if (c) {
        free(c->company_a);
        free(c->company_b);
        free(c->customs);
        free(c->device);
    }
    return lp_test_group_teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fee_tables_read),
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_fee_table_put),
        cmocka_unit_test(test_invoices_scope_and_filters),
        cmocka_unit_test(test_payments),
    };
    return cmocka_run_group_tests_name(lp_test_backend_is_pg() ? "fees over HTTP (postgresql)" : "fees over HTTP (sqlite)",
                                       tests, group_setup, group_teardown);
}

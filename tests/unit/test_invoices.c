/* test_invoices.c - fee tables, invoices and payments in the store
 * (src/store/invoices.c, payments.c): rates checked as a whole with every
 * problem at its pointer, replacing a table (versions, audit before/after),
 * quotes that store nothing, issuing (facts, lines, total = sum of lines,
 * free trips settled, one invoice per subject), payments by reference
 * (partial, full, over-payment, idempotent repeat, conflicting repeat, paid
 * invoice) and company scoping.  Runs on the backend LANDPORT_TEST_BACKEND
 * names (ctest: test_invoices on SQLite, test_invoices_pg on PostgreSQL)
 * with the fixture's fake clock. */
#include "storefx.h"
#include "core/mem.h"
#include "store/invoices.h"
#include "store/payments.h"
#include "store/resources.h"
#include "store/table.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const lp_actor OPERATOR = {"tok:operator", LP_ROLE_OPERATOR, 0, "tariff 2027"};
static const lp_actor SYSTEM = {"system:yard", LP_ROLE_ADMIN, 0, NULL};

static int setup(void **state)
{
    *state = lp_fx_open("invoices", 1);
    return 0;
}

/* Helpers ---------------------------------------------------------------------- */

static int64_t company(lp_fx *f, unsigned seed)
{
    char tax[11];
    cJSON *out = NULL;
    int64_t id;
    lp_err err;
    lp_err_init(&err);
    lp_test_vn_taxid(1, seed, tax);
    cJSON *v = lp_test_jf("{'name':'Vận tải %u','country':'VN','tax_id':'%s'}", seed, tax);
    if (lp_table_insert(f->st, &lp_tbl_companies, &SYSTEM, NULL, v, &out, &err)) fail_msg("company: %s", err.msg);
    id = lp_test_jnum(out, "id");
    cJSON_Delete(v);
    cJSON_Delete(out);
    return id;
}

static int64_t count(lp_fx *f, const char *what)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", what);
    return lp_fx_scalar(f, sql);
}

static int64_t actions(lp_fx *f, const char *action)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_events WHERE action = '%s'", action);
    return lp_fx_scalar(f, sql);
}

/* Asserts err names pointer, with a message holding each of the NULL-terminated words. */
static void has_field(const lp_err *err, const char *pointer, ...)
{
    va_list ap;
    const char *w;
    int i;
    for (i = 0; i < err->nfields; i++)
        if (strcmp(err->fields[i].pointer, pointer) == 0) break;
    if (i == err->nfields) fail_msg("no error at %s (%d errors, first %s)", pointer, err->nfields,
                                    err->nfields ? err->fields[0].pointer : "-");
    va_start(ap, pointer);
    while ((w = va_arg(ap, const char *)) != NULL)
        if (!strstr(err->fields[i].msg, w)) fail_msg("%s: '%s' does not say '%s'", pointer, err->fields[i].msg, w);
    va_end(ap);
}

static lp_invoice_req trip_req(int64_t company_id, const char *subject, int64_t kg, lp_fee_goods g, int64_t yard_min)
{
    lp_invoice_req rq = {company_id, "yard_visit", subject, 42, "29C-123.45", LP_FEES_YARD,
                         {kg, g, LP_FEE_JOURNEY_EXPORT, yard_min * 60000}};
    return rq;
}

static cJSON *issue(lp_fx *f, const lp_invoice_req *rq)
{
    cJSON *out = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_invoices_issue(f->st, &SYSTEM, rq, &out, &err)) fail_msg("issue: %s", err.msg);
    return out;
}

static void put(lp_fx *f, const char *id, const char *rates_json)
{
    cJSON *rates = lp_test_jf("%s", rates_json);
    lp_err err;
    lp_err_init(&err);
    if (lp_fees_table_put(f->st, &OPERATOR, id, -1, NULL, rates, NULL, &err))
        fail_msg("put %s: %s %s", id, err.nfields ? err.fields[0].pointer : "", err.nfields ? err.fields[0].msg : err.msg);
    cJSON_Delete(rates);
}

/* Rate tables -------------------------------------------------------------------- */

static void test_rates_every_error(void **state)
{
    lp_fee_rate rates[16];
    cJSON *j = lp_test_jf(
        "[{'code':'INFRA','description':'a','kind':'per_trip','amount':5,'max_kg':100},"
        "{'code':'INFRA','description':'b','kind':'per_trip','amount':-5,'min_kg':50},"
        "{'code':'INFRA','description':'c','kind':'per_trip','amount':7,'min_kg':90,'colour':1},"
        "{'code':'bad code','description':'d','kind':'yard','amount':7},"
        "{'code':'INFRA','description':'e','kind':'per_trip','amount':7,'min_kg':200,'max_kg':100},"
        "{'code':'INFRA','description':'f','kind':'per_trip','amount':7,'min_kg':100,'max_kg':100},"
        "{'code':'INFRA','description':'g','kind':'yard','amount':7,'min_kg':300},"
        "{'code':'X','description':'h','kind':'hourly','goods':'fish','journey':'x','amount':1.5},"
        "3]");
    lp_err err;
    int n = -1;
    (void)state;
    lp_err_init(&err);
    assert_int_equal(lp_fees_rates_parse(j, "/rates", rates, 16, &n, &err), LP_EINVAL);
    assert_int_equal(n, 0);
    has_field(&err, "/rates/1/amount", "integer", NULL);
    has_field(&err, "/rates/2/colour", "not a member", NULL);
    has_field(&err, "/rates/3/code", "A-Z", NULL);
    has_field(&err, "/rates/4/max_kg", "200", NULL);
    /* the overlap names both rates, with the earlier one's band */
    has_field(&err, "/rates/5", "/rates/0", "0-100 kg", NULL);
    has_field(&err, "/rates/6/kind", "/rates/0", "agree", NULL);
    has_field(&err, "/rates/7/kind", NULL);
    has_field(&err, "/rates/7/goods", NULL);
    has_field(&err, "/rates/7/journey", NULL);
    has_field(&err, "/rates/7/amount", NULL);
    has_field(&err, "/rates/8", "object", NULL);
    assert_int_equal(err.nfields, 11);
    cJSON_Delete(j);

    lp_err_init(&err);
    j = lp_test_jf("{'code':'INFRA'}");
    assert_int_equal(lp_fees_rates_parse(j, "/rates", rates, 16, &n, &err), LP_EINVAL);
    has_field(&err, "/rates", "array", NULL);
    cJSON_Delete(j);
}

static void test_table_put(void **state)
{
    lp_fx *f = *state;
    cJSON *rates, *out = NULL;
    lp_fee_rate *loaded = NULL;
    int64_t ver = 0, updates = actions(f, "fee_table.update");
    int n = 0;
    lp_err err;

    /* replaced whole, stored canonical, version up, audited with before and after */
    rates = lp_test_jf("[{'code':'INFRA','description':'Flat','kind':'per_trip','amount':250000}]");
    lp_err_init(&err);
    assert_int_equal(lp_fees_table_put(f->st, &OPERATOR, LP_FEES_YARD, 1, "Tariff 2027", rates, &out, &err), LP_OK);
    lp_test_assert_subset(out, lp_test_jf("{'id':'yard','description':'Tariff 2027','version':2,'rates':[{'code':'INFRA',"
                                          "'description':'Flat','kind':'per_trip','optional':false,'min_kg':0,'max_kg':1000000,'goods':'any','journey':'any',"
                                          "'amount':250000}]}"));
    cJSON_Delete(out);
    assert_int_equal(actions(f, "fee_table.update"), updates + 1);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM audit_events WHERE action = 'fee_table.update'"
                                     " AND before_json LIKE '%Parking yard time%' AND after_json LIKE '%Flat%'"
                                     " AND reason = 'tariff 2027'"),
                     1);
    assert_int_equal(lp_fees_load(f->st, LP_FEES_YARD, &loaded, &n, &ver, &err), LP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ver, 2);
    assert_int_equal(loaded[0].amount, 250000);
    lp_free(loaded);

    /* at a version that is gone: refused, nothing changed */
    lp_err_init(&err);
    assert_int_equal(lp_fees_table_put(f->st, &OPERATOR, LP_FEES_YARD, 1, NULL, rates, NULL, &err), LP_ESTALE);
    cJSON_Delete(rates);
    /* bad rates: every problem, nothing stored */
    rates = lp_test_jf("[{'code':'INFRA','description':'x','kind':'per_trip','amount':1,'max_kg':10},"
                       "{'code':'INFRA','description':'y','kind':'per_trip','amount':1}]");
    lp_err_init(&err);
    assert_int_equal(lp_fees_table_put(f->st, &OPERATOR, LP_FEES_YARD, -1, NULL, rates, NULL, &err), LP_EINVAL);
    has_field(&err, "/rates/1", "/rates/0", NULL);
    lp_err_init(&err);
    assert_int_equal(lp_fees_table_put(f->st, &OPERATOR, "no-such-table", -1, NULL, rates, NULL, &err), LP_EINVAL);
    cJSON_Delete(rates);
    rates = lp_test_jf("[]");
    lp_err_init(&err);
    assert_int_equal(lp_fees_table_put(f->st, &OPERATOR, "no-such-table", -1, NULL, rates, NULL, &err), LP_ENOTFOUND);
    cJSON_Delete(rates);
    assert_int_equal(lp_fx_scalar(f, "SELECT version FROM fee_tables WHERE id = 'yard'"), 2);
    assert_int_equal(actions(f, "fee_table.update"), updates + 1);

    /* every version stays readable: the replaced one with when it was in force, the current one open */
    f->fc.now = LP_FX_T0 + 1000;
    put(f, LP_FEES_YARD, "[{'code':'INFRA','description':'Flat 2028','kind':'per_trip','amount':300000}]");
    lp_err_init(&err);
    assert_int_equal(lp_fees_table_version(f->st, LP_FEES_YARD, 1, &out, &err), LP_OK);
    lp_test_assert_subset(out, lp_test_jf("{'id':'yard','version':1,'currency':'VND','valid_from':'%s',"
                                          "'valid_until':'%s'}",
                                          "2026-09-21T14:13:20.000Z", "2026-09-21T14:13:20.000Z"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(out, "rates")), 7);
    cJSON_Delete(out);
    assert_int_equal(lp_fees_table_version(f->st, LP_FEES_YARD, 2, &out, &err), LP_OK);
    lp_test_assert_subset(out, lp_test_jf("{'version':2,'description':'Tariff 2027','valid_until':'2026-09-21T14:13:21.000Z'}"));
    assert_int_equal(lp_test_jnum(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(out, "rates"), 0), "amount"), 250000);
    cJSON_Delete(out);
    assert_int_equal(lp_fees_table_version(f->st, LP_FEES_YARD, 3, &out, &err), LP_OK);
    lp_test_assert_subset(out, lp_test_jf("{'version':3,'valid_from':'2026-09-21T14:13:21.000Z','valid_until':null}"));
    cJSON_Delete(out);
    lp_err_init(&err);
    assert_int_equal(lp_fees_table_version(f->st, LP_FEES_YARD, 4, &out, &err), LP_ENOTFOUND);
    assert_null(out);
    lp_err_init(&err);
    assert_int_equal(lp_fees_table_version(f->st, "nope", 1, &out, &err), LP_ENOTFOUND);
    /* a refused replacement keeps no history */
    assert_int_equal(count(f, "fee_table_versions"), 2);
}

/* Quotes and invoices ------------------------------------------------------------- */

static void test_quote_stores_nothing(void **state)
{
    lp_fx *f = *state;
    lp_fee_trip trip = {24500, LP_FEE_GOODS_REFRIGERATED, LP_FEE_JOURNEY_EXPORT, 1900 * 60000};
    int64_t events = lp_fx_events(f);
    cJSON *q = NULL;
    lp_err err;

    lp_err_init(&err);
    assert_int_equal(lp_fees_quote(f->st, LP_FEES_YARD, &trip, &q, &err), LP_OK);
    /* seeded table: 20-30 t band; 1900 min = 4 free h + 27 h 40 min -> 28 started h = one capped day + 4 h */
    lp_test_assert_json(
        q, lp_test_jf("{'facts':{'gross_kg':24500,'goods':'refrigerated','journey':'export','yard_minutes':1900},"
                      "'lines':[{'code':'INFRA','description':'Infrastructure fee, 20-30 t','quantity':1,"
                      "'unit_price':1000000,'amount':1000000},"
                      "{'code':'YARD','description':'Parking yard time, daily cap','quantity':1,'unit_price':300000,"
                      "'amount':300000},"
                      "{'code':'YARD','description':'Parking yard time','quantity':4,'unit_price':20000,'amount':80000},"
                      "{'code':'REEFER','description':'Reefer power supply','quantity':1,'unit_price':100000,"
                      "'amount':100000}],"
                      "'fee_table_id':'yard','fee_table_version':1,'currency':'VND','total':1480000}"));
    cJSON_Delete(q);
    assert_int_equal(lp_fx_events(f), events);
    assert_int_equal(count(f, "invoices"), 0);

    /* no rate applies: the fact is named */
    put(f, LP_FEES_YARD, "[{'code':'INFRA','description':'Light','kind':'per_trip','amount':1,'max_kg':10000}]");
    lp_err_init(&err);
    assert_int_equal(lp_fees_quote(f->st, LP_FEES_YARD, &trip, &q, &err), LP_EINVAL);
    assert_null(q);
    has_field(&err, "/gross_kg", "24500", NULL);
    lp_err_init(&err);
    assert_int_equal(lp_fees_quote(f->st, "nope", &trip, &q, &err), LP_ENOTFOUND);
}

static void test_issue(void **state)
{
    lp_fx *f = *state;
    int64_t a = company(f, 11), sum = 0;
    lp_invoice_req rq = trip_req(a, "7", 38000, LP_FEE_GOODS_DANGEROUS, 300);
    cJSON *inv = issue(f, &rq), *l, *inv2;
    lp_err err;

    lp_test_assert_subset(inv, lp_test_jf("{'company_id':%" PRId64 ",'number':'YARD-VISIT-7','subject_type':'yard_visit',"
                                          "'subject_id':'7','declaration_id':42,'plate':'29C-123.45',"
                                          "'fee_table_id':'yard','fee_table_version':1,'currency':'VND',"
                                          "'facts':{'gross_kg':38000,'goods':'dangerous','journey':'export',"
                                          "'yard_minutes':300},'total':2520000,'paid':0,'status':'open',"
                                          "'paid_at':null}",
                                          a));
    cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(inv, "lines")) {
        assert_int_equal(lp_test_jnum(l, "amount"), lp_test_jnum(l, "quantity") * lp_test_jnum(l, "unit_price"));
        sum += lp_test_jnum(l, "amount");
    }
    /* INFRA over 30 t 2,000,000 + YARD 1 h after 4 free 20,000 + DG 500,000 */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(inv, "lines")), 3);
    assert_int_equal(sum, lp_test_jnum(inv, "total"));
    assert_int_equal(actions(f, "invoice.create"), 1);

    /* one invoice per subject */
    lp_err_init(&err);
    assert_int_equal(lp_invoices_issue(f->st, &SYSTEM, &rq, NULL, &err), LP_ECONFLICT);
    assert_non_null(strstr(err.msg, "already has an invoice"));
    assert_int_equal(count(f, "invoices"), 1);

    /* a new tariff: new invoices record its version, the old one keeps its lines */
    put(f, LP_FEES_YARD, "[{'code':'INFRA','description':'Flat','kind':'per_trip','amount':777000}]");
    rq.subject_id = "8";
    inv2 = issue(f, &rq);
    lp_test_assert_subset(inv2, lp_test_jf("{'fee_table_version':2,'total':777000}"));
    cJSON_Delete(inv2);
    {
        cJSON *again = NULL;
        char id[32];
        lp_err_init(&err);
        assert_int_equal(lp_table_get(f->st, &lp_tbl_invoices, lp_test_idof(inv, id), 0, &again, &err), LP_OK);
        lp_test_assert_subset(again, lp_test_jf("{'fee_table_version':1,'total':2520000}"));
        cJSON_Delete(again);
    }
    /* an unknown table or a trip no required rate covers: nothing stored */
    rq.subject_id = "9";
    rq.fee_table = "nope";
    lp_err_init(&err);
    assert_int_equal(lp_invoices_issue(f->st, &SYSTEM, &rq, NULL, &err), LP_ENOTFOUND);
    assert_int_equal(count(f, "invoices"), 2);
    cJSON_Delete(inv);
}

static void test_issue_free_trip_is_paid(void **state)
{
    lp_fx *f = *state;
    int64_t a = company(f, 12);
    lp_invoice_req rq = trip_req(a, "free-1", 3000, LP_FEE_GOODS_NORMAL, 0);
    cJSON *inv;
    put(f, LP_FEES_YARD, "[{'code':'INFRA','description':'Relief programme','kind':'per_trip','amount':0}]");
    f->fc.now = LP_FX_T0 + 5000;
    inv = issue(f, &rq);
    lp_test_assert_subset(inv, lp_test_jf("{'total':0,'paid':0,'status':'paid','lines':[{'code':'INFRA',"
                                          "'description':'Relief programme','quantity':1,'unit_price':0,'amount':0}]}"));
    assert_string_equal(lp_test_jstr(inv, "paid_at"), lp_test_jstr(inv, "issued_at"));
    cJSON_Delete(inv);
}

/* Payments ----------------------------------------------------------------------- */

static int pay(lp_fx *f, const char *invoice, const char *ref, int64_t amount, const char *method, int64_t at,
               cJSON **payment, cJSON **invoice_out, int *created, lp_err *err)
{
    lp_payment_req rq = {ref, amount, method, at};
    lp_err_init(err);
    return lp_payments_record(f->st, &OPERATOR, invoice, &rq, payment, invoice_out, created, err);
}

static void test_payments(void **state)
{
    lp_fx *f = *state;
    int64_t a = company(f, 13), events;
    lp_invoice_req rq = trip_req(a, "pay-1", 25000, LP_FEE_GOODS_NORMAL, 0); /* 1,000,000 VND */
    cJSON *inv = issue(f, &rq), *p = NULL, *i = NULL, *other;
    char id[32], oid[32];
    int created = -1;
    int64_t pid;
    lp_err err;

    lp_test_idof(inv, id);
    assert_int_equal(lp_test_jnum(inv, "total"), 1000000);
    f->fc.now = LP_FX_T0 + 60000;

    /* partial */
    assert_int_equal(pay(f, id, "VCB-0001", 400000, "bank_transfer", LP_FX_T0 + 1000, &p, &i, &created, &err), LP_OK);
    assert_int_equal(created, 1);
    lp_test_assert_subset(p, lp_test_jf("{'reference':'VCB-0001','amount':400000,'method':'bank_transfer',"
                                        "'company_id':%" PRId64 ",'recorded_by':'tok:operator'}",
                                        a));
    lp_test_assert_subset(i, lp_test_jf("{'paid':400000,'status':'partly_paid','paid_at':null}"));
    pid = lp_test_jnum(p, "id");
    cJSON_Delete(p);
    cJSON_Delete(i);
    events = lp_fx_events(f);

    /* the same payment again (a retry): the recorded one, nothing written */
    assert_int_equal(pay(f, id, "VCB-0001", 400000, "bank_transfer", 0, &p, &i, &created, &err), LP_OK);
    assert_int_equal(created, 0);
    assert_int_equal(lp_test_jnum(p, "id"), pid);
    lp_test_assert_subset(i, lp_test_jf("{'paid':400000,'status':'partly_paid'}"));
    cJSON_Delete(p);
    cJSON_Delete(i);
    assert_int_equal(lp_fx_events(f), events);

    /* the same reference with another amount, or for another invoice: conflict */
    assert_int_equal(pay(f, id, "VCB-0001", 500000, "bank_transfer", 0, &p, &i, &created, &err), LP_ECONFLICT);
    has_field(&err, "/reference", "400000", NULL);
    rq.subject_id = "pay-2";
    other = issue(f, &rq);
    lp_test_idof(other, oid);
    assert_int_equal(pay(f, oid, "VCB-0001", 400000, "cash", 0, &p, &i, &created, &err), LP_ECONFLICT);
    has_field(&err, "/reference", NULL);
    cJSON_Delete(other);

    /* more than outstanding: both numbers */
    assert_int_equal(pay(f, id, "VCB-0002", 700000, "cash", 0, &p, &i, &created, &err), LP_EINVAL);
    has_field(&err, "/amount", "700000", "600000", NULL);
    /* bad values, all at once */
    assert_int_equal(pay(f, id, "", 0, "cheque", f->fc.now + 1, &p, &i, &created, &err), LP_EINVAL);
    has_field(&err, "/reference", NULL);
    has_field(&err, "/amount", NULL);
    has_field(&err, "/method", NULL);
    has_field(&err, "/paid_at", NULL);
    assert_int_equal(pay(f, "999999", "VCB-0003", 1, "cash", 0, &p, &i, &created, &err), LP_ENOTFOUND);
    assert_int_equal(lp_fx_events(f), events + 1); /* only the second invoice's creation */

    /* the rest: paid, paid_at when the last payment was made */
    assert_int_equal(pay(f, id, "CASH-0002", 600000, "cash", 0, &p, &i, &created, &err), LP_OK);
    assert_int_equal(created, 1);
    lp_test_assert_subset(i, lp_test_jf("{'paid':1000000,'status':'paid'}"));
    assert_non_null(lp_test_jstr(i, "paid_at"));
    cJSON_Delete(p);
    cJSON_Delete(i);
    assert_int_equal(pay(f, id, "CASH-0003", 1, "cash", 0, &p, &i, &created, &err), LP_ECONFLICT);
    assert_non_null(strstr(err.msg, "already paid"));
    /* a retry of the last payment still answers it */
    assert_int_equal(pay(f, id, "CASH-0002", 600000, "cash", 0, &p, &i, &created, &err), LP_OK);
    assert_int_equal(created, 0);
    cJSON_Delete(p);
    cJSON_Delete(i);

    assert_int_equal(count(f, "payments"), 2);
    assert_int_equal(actions(f, "payment.create"), 2);
    assert_int_equal(actions(f, "invoice.pay"), 2);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM audit_events WHERE action = 'invoice.pay'"
                                     " AND before_json LIKE '%partly_paid%' AND after_json LIKE '%\"status\":\"paid\"%'"),
                     1);
    cJSON_Delete(inv);
}

static void test_company_scope(void **state)
{
    lp_fx *f = *state;
    int64_t a = company(f, 14), b = company(f, 15);
    lp_invoice_req ra = trip_req(a, "a-1", 5000, LP_FEE_GOODS_NORMAL, 0), rb = trip_req(b, "b-1", 5000, LP_FEE_GOODS_NORMAL, 0);
    cJSON *ia = issue(f, &ra), *ib = issue(f, &rb), *got = NULL, *items = NULL, *it;
    char id[32], *next = NULL;
    lp_err err;

    lp_err_init(&err);
    assert_int_equal(lp_table_get(f->st, &lp_tbl_invoices, lp_test_idof(ib, id), a, &got, &err), LP_ENOTFOUND);
    assert_int_equal(lp_table_get(f->st, &lp_tbl_invoices, lp_test_idof(ia, id), a, &got, &err), LP_OK);
    cJSON_Delete(got);
    assert_int_equal(lp_table_list(f->st, &lp_tbl_invoices, NULL, 0, a, NULL, 50, &items, &next, &err), LP_OK);
    assert_int_equal(cJSON_GetArraySize(items), 1);
    cJSON_ArrayForEach(it, items) assert_int_equal(lp_test_jnum(it, "company_id"), a);
    assert_null(next);
    cJSON_Delete(items);
    /* the audit events of an invoice concern its company */
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM audit_events WHERE action = 'invoice.create'"
                                     " AND company_id IS NOT NULL AND company_id > 0"),
                     2);
    cJSON_Delete(ia);
    cJSON_Delete(ib);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rates_every_error),
        cmocka_unit_test_setup_teardown(test_table_put, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_quote_stores_nothing, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_issue, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_issue_free_trip_is_paid, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_payments, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_company_scope, setup, lp_fx_teardown),
    };
    return cmocka_run_group_tests_name(lp_test_backend_is_pg() ? "invoices (postgresql)" : "invoices (sqlite)", tests,
                                       NULL, NULL);
}

/* test_fees.c - unit tests for src/core/fees.c.
 *
 * The fixture is a Hữu Nghị-like rate table: an infrastructure fee by
 * weight band for export/import/transit (150,000 to 2,000,000 VND), a flat
 * fee for empty returns, a dangerous goods escort surcharge, a reefer plug
 * surcharge and yard time (2 hours free, 20,000 VND per started hour, at
 * most 300,000 VND per day).  Tests check exact lines and totals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/err.h"
#include "core/fees.h"

#define H (INT64_C(3600000))
#define MIN (INT64_C(60000))

enum { NRATES = 8 };

static void fixture(lp_fee_rate r[NRATES])
{
    const lp_fee_rate t[NRATES] = {
        {"INFRA", "Infrastructure fee, up to 4 t", LP_FEE_PER_TRIP, 0, 0, 4000, LP_FEE_ANY,
         LP_FEE_ANY, 150000, 0, 0},
        {"INFRA", "Infrastructure fee, 4-18 t", LP_FEE_PER_TRIP, 0, 4001, 18000, LP_FEE_ANY,
         LP_FEE_ANY, 400000, 0, 0},
        {"INFRA", "Infrastructure fee, 18-30 t", LP_FEE_PER_TRIP, 0, 18001, 30000, LP_FEE_ANY,
         LP_FEE_ANY, 1000000, 0, 0},
        {"INFRA", "Infrastructure fee, over 30 t", LP_FEE_PER_TRIP, 0, 30001, 60000, LP_FEE_ANY,
         LP_FEE_ANY, 2000000, 0, 0},
        {"DG", "Dangerous goods escort", LP_FEE_PER_TRIP, 1, 0, 60000, LP_FEE_GOODS_DANGEROUS,
         LP_FEE_ANY, 500000, 0, 0},
        {"REEFER", "Reefer power supply", LP_FEE_PER_TRIP, 1, 0, 60000,
         LP_FEE_GOODS_REFRIGERATED, LP_FEE_ANY, 200000, 0, 0},
        {"YARD", "Parking yard", LP_FEE_YARD, 0, 0, 60000, LP_FEE_ANY, LP_FEE_ANY, 20000, 120,
         300000},
        {"EMPTY", "Empty return", LP_FEE_PER_TRIP, 1, 0, 60000, LP_FEE_ANY,
         LP_FEE_JOURNEY_EMPTY_RETURN, 100000, 0, 0},
    };
    memcpy(r, t, sizeof t);
}

/* The INFRA rates apply to every journey but empty return, which pays the
 * flat EMPTY rate instead: a table written that way, with INFRA per journey. */
static int infra_by_journey(lp_fee_rate out[32])
{
    lp_fee_rate base[NRATES];
    int n = 0, b, j;
    fixture(base);
    for (j = LP_FEE_JOURNEY_EXPORT; j <= LP_FEE_JOURNEY_TRANSIT; j++)
        for (b = 0; b < 4; b++) {
            out[n] = base[b];
            out[n].journey = j;
            n++;
        }
    for (b = 4; b < NRATES; b++) out[n++] = base[b];
    return n;
}

static lp_fee_trip trip(int64_t kg, lp_fee_goods g, lp_fee_journey j, int64_t yard_ms)
{
    lp_fee_trip t = {kg, g, j, yard_ms};
    return t;
}

static int64_t invoice(const lp_fee_rate *r, int n, lp_fee_trip tr, lp_fee_line *lines, int *nl)
{
    lp_fee_table t = {r, n};
    lp_err e;
    int64_t total = -1;
    int rc = lp_fees_invoice(&t, &tr, lines, 8, nl, &total, &e);
    if (rc != LP_OK) print_error("%s; %s: %s\n", e.msg, e.nfields ? e.fields[0].pointer : "",
                                 e.nfields ? e.fields[0].msg : "");
    assert_int_equal(rc, LP_OK);
    return total;
}

static void line_is(const lp_fee_line *l, const char *code, int64_t qty, int64_t unit)
{
    assert_string_equal(l->code, code);
    assert_int_equal(l->quantity, qty);
    assert_int_equal(l->unit_price, unit);
    assert_int_equal(l->amount, qty * unit);
}

static void fixture_is_valid(void **state)
{
    lp_fee_rate r[NRATES];
    lp_fee_table t = {r, NRATES};
    lp_err e;
    (void)state;
    fixture(r);
    assert_int_equal(lp_fees_table_check(&t, &e), LP_OK);
    assert_int_equal(e.nfields, 0);
}

static void export_truck_with_yard_time(void **state)
{
    lp_fee_rate r[NRATES];
    lp_fee_line l[8];
    int n;
    (void)state;
    fixture(r);
    /* 25 t, 5 h 10 min in the yard: 2 h free, 3 h 10 min -> 4 started hours. */
    assert_int_equal(invoice(r, NRATES, trip(25000, LP_FEE_GOODS_NORMAL, LP_FEE_JOURNEY_EXPORT,
                                             5 * H + 10 * MIN), l, &n),
                     1000000 + 80000);
    assert_int_equal(n, 2);
    line_is(&l[0], "INFRA", 1, 1000000);
    assert_string_equal(l[0].description, "Infrastructure fee, 18-30 t");
    line_is(&l[1], "YARD", 4, 20000);
    assert_string_equal(l[1].description, "Parking yard");
}

static void weight_band_boundaries(void **state)
{
    lp_fee_rate r[NRATES];
    lp_fee_line l[8];
    int n;
    lp_fee_goods g = LP_FEE_GOODS_NORMAL;
    lp_fee_journey j = LP_FEE_JOURNEY_IMPORT;
    (void)state;
    fixture(r);
    assert_int_equal(invoice(r, NRATES, trip(0, g, j, 0), l, &n), 150000);
    assert_int_equal(invoice(r, NRATES, trip(4000, g, j, 0), l, &n), 150000);
    assert_int_equal(invoice(r, NRATES, trip(4001, g, j, 0), l, &n), 400000);
    assert_int_equal(invoice(r, NRATES, trip(18000, g, j, 0), l, &n), 400000);
    assert_int_equal(invoice(r, NRATES, trip(18001, g, j, 0), l, &n), 1000000);
    assert_int_equal(invoice(r, NRATES, trip(30000, g, j, 0), l, &n), 1000000);
    assert_int_equal(invoice(r, NRATES, trip(30001, g, j, 0), l, &n), 2000000);
    assert_int_equal(invoice(r, NRATES, trip(60000, g, j, 0), l, &n), 2000000);
    assert_int_equal(n, 1);
}

static void free_yard_time_boundaries(void **state)
{
    lp_fee_rate r[NRATES];
    lp_fee_line l[8];
    int n;
    lp_fee_goods g = LP_FEE_GOODS_NORMAL;
    lp_fee_journey j = LP_FEE_JOURNEY_EXPORT;
    (void)state;
    fixture(r);
    /* Exactly the free time: no yard line at all. */
    assert_int_equal(invoice(r, NRATES, trip(3000, g, j, 2 * H), l, &n), 150000);
    assert_int_equal(n, 1);
    /* One millisecond more starts an hour. */
    assert_int_equal(invoice(r, NRATES, trip(3000, g, j, 2 * H + 1), l, &n), 170000);
    assert_int_equal(n, 2);
    line_is(&l[1], "YARD", 1, 20000);
    assert_int_equal(invoice(r, NRATES, trip(3000, g, j, 3 * H), l, &n), 170000);
    assert_int_equal(invoice(r, NRATES, trip(3000, g, j, 3 * H + 1), l, &n), 190000);
}

static void daily_cap(void **state)
{
    lp_fee_rate r[NRATES];
    lp_fee_line l[8];
    int n;
    lp_fee_goods g = LP_FEE_GOODS_NORMAL;
    lp_fee_journey j = LP_FEE_JOURNEY_EXPORT;
    (void)state;
    fixture(r);
    /* 15 billable hours = 300,000: exactly the cap, still hours. */
    assert_int_equal(invoice(r, NRATES, trip(3000, g, j, 17 * H), l, &n), 150000 + 300000);
    line_is(&l[1], "YARD", 15, 20000);
    /* 16 billable hours would be 320,000: capped to one day. */
    assert_int_equal(invoice(r, NRATES, trip(3000, g, j, 18 * H), l, &n), 150000 + 300000);
    assert_int_equal(n, 2);
    line_is(&l[1], "YARD", 1, 300000);
    assert_string_equal(l[1].description, "Parking yard, daily cap");
    /* 2 days 3 hours billable (the 2021 backlog: trucks waited days):
     * two capped days, then three hours. */
    assert_int_equal(invoice(r, NRATES, trip(3000, g, j, 2 * H + 51 * H), l, &n),
                     150000 + 600000 + 60000);
    assert_int_equal(n, 3);
    line_is(&l[1], "YARD", 2, 300000);
    line_is(&l[2], "YARD", 3, 20000);
    /* 2 days 20 hours: the last block is capped too. */
    assert_int_equal(invoice(r, NRATES, trip(3000, g, j, 2 * H + 68 * H), l, &n),
                     150000 + 900000);
    assert_int_equal(n, 2);
    line_is(&l[1], "YARD", 3, 300000);
    /* Without a cap, the hours add up. */
    r[6].daily_cap = 0;
    assert_int_equal(invoice(r, NRATES, trip(3000, g, j, 2 * H + 68 * H), l, &n),
                     150000 + 68 * 20000);
    line_is(&l[1], "YARD", 68, 20000);
}

static void surcharges_by_goods(void **state)
{
    lp_fee_rate r[NRATES];
    lp_fee_line l[8];
    int n;
    (void)state;
    fixture(r);
    /* Heavy dangerous goods, a day in the yard: the top of DESIGN's range. */
    assert_int_equal(invoice(r, NRATES, trip(40000, LP_FEE_GOODS_DANGEROUS, LP_FEE_JOURNEY_IMPORT,
                                             26 * H), l, &n),
                     2000000 + 500000 + 300000);
    assert_int_equal(n, 3);
    line_is(&l[0], "INFRA", 1, 2000000);
    line_is(&l[1], "DG", 1, 500000);
    line_is(&l[2], "YARD", 1, 300000);
    assert_int_equal(invoice(r, NRATES, trip(20000, LP_FEE_GOODS_REFRIGERATED,
                                             LP_FEE_JOURNEY_EXPORT, H), l, &n),
                     1000000 + 200000);
    assert_int_equal(n, 2);
    line_is(&l[1], "REEFER", 1, 200000);
    /* Perishable: no surcharge (priority, not price). */
    assert_int_equal(invoice(r, NRATES, trip(20000, LP_FEE_GOODS_PERISHABLE,
                                             LP_FEE_JOURNEY_EXPORT, H), l, &n),
                     1000000);
}

static void empty_return_and_no_rate(void **state)
{
    lp_fee_rate r[32];
    lp_fee_line l[8];
    lp_fee_table t;
    lp_fee_trip tr;
    lp_err e;
    int n, nr = infra_by_journey(r);
    int64_t total = 7;
    (void)state;
    /* Empty return: no INFRA rate for it, the flat EMPTY rate instead. */
    t = (lp_fee_table){r, nr};
    assert_int_equal(lp_fees_table_check(&t, &e), LP_OK);
    assert_int_equal(invoice(r, nr, trip(12000, LP_FEE_GOODS_NORMAL, LP_FEE_JOURNEY_EXPORT, 0), l,
                             &n), 400000);
    tr = trip(12000, LP_FEE_GOODS_NORMAL, LP_FEE_JOURNEY_EMPTY_RETURN, 0);
    assert_int_equal(lp_fees_invoice(&t, &tr, l, 8, &n, &total, &e), LP_EINVAL);
    assert_int_equal(n, 0);
    assert_int_equal(total, 0);
    assert_string_equal(e.msg, "no INFRA rate applies to this trip");
    assert_int_equal(e.nfields, 1);
    assert_string_equal(e.fields[0].pointer, "/journey");
    assert_string_equal(e.fields[0].msg, "no INFRA rate for journey empty_return");
    /* Made optional, INFRA is skipped and EMPTY bills the trip. */
    for (n = 0; n < nr; n++)
        if (!strcmp(r[n].code, "INFRA")) r[n].optional = 1;
    assert_int_equal(invoice(r, nr, tr, l, &n), 100000);
    assert_int_equal(n, 1);
    line_is(&l[0], "EMPTY", 1, 100000);
    /* Over the last band. */
    tr = trip(60001, LP_FEE_GOODS_NORMAL, LP_FEE_JOURNEY_EXPORT, 0);
    fixture(r);
    t = (lp_fee_table){r, NRATES};
    assert_int_equal(lp_fees_invoice(&t, &tr, l, 8, &n, &total, &e), LP_EINVAL);
    assert_string_equal(e.fields[0].pointer, "/gross_kg");
    assert_string_equal(e.fields[0].msg, "no INFRA rate for 60001 kg, normal goods, journey export");
    /* A goods kind no rate has. */
    r[0].goods = r[1].goods = r[2].goods = r[3].goods = LP_FEE_GOODS_NORMAL;
    tr = trip(5000, LP_FEE_GOODS_PERISHABLE, LP_FEE_JOURNEY_EXPORT, 0);
    assert_int_equal(lp_fees_invoice(&t, &tr, l, 8, &n, &total, &e), LP_EINVAL);
    assert_string_equal(e.fields[0].pointer, "/goods");
}

static void overlapping_bands_refused(void **state)
{
    lp_fee_rate r[NRATES];
    lp_fee_table t = {r, NRATES};
    lp_fee_trip tr = {20000, LP_FEE_GOODS_NORMAL, LP_FEE_JOURNEY_EXPORT, 0};
    lp_fee_line l[8];
    lp_err e;
    int n;
    int64_t total;
    (void)state;
    fixture(r);
    r[2].min_kg = 18000; /* shares 18,000 kg with rate 1 */
    assert_int_equal(lp_fees_table_check(&t, &e), LP_EINVAL);
    assert_int_equal(e.nfields, 1);
    assert_string_equal(e.fields[0].pointer, "/rates/2");
    assert_string_equal(e.fields[0].msg, "overlaps /rates/1 (INFRA: 4001-18000 kg, goods any, "
                                         "journey any): a trip would match both");
    /* The invoice refuses the table too, whatever the trip. */
    assert_int_equal(lp_fees_invoice(&t, &tr, l, 8, &n, &total, &e), LP_EINVAL);
    assert_string_equal(e.fields[0].pointer, "/rates/2");
    /* A wildcard overlaps a specific key. */
    fixture(r);
    strcpy(r[4].code, "REEFER");
    r[4].goods = LP_FEE_ANY;
    assert_int_equal(lp_fees_table_check(&t, &e), LP_EINVAL);
    assert_string_equal(e.fields[0].pointer, "/rates/5");
    /* Disjoint goods in the same band are fine. */
    r[4].goods = LP_FEE_GOODS_DANGEROUS;
    assert_int_equal(lp_fees_table_check(&t, &e), LP_OK);
}

static void table_field_errors(void **state)
{
    lp_fee_rate r[NRATES];
    lp_fee_table t = {r, NRATES};
    lp_err e;
    (void)state;
    fixture(r);
    r[3].amount = -1;
    r[1].max_kg = 3000; /* below its min_kg */
    r[0].code[0] = 'i'; /* lower case */
    r[4].free_minutes = 10; /* per trip */
    r[6].daily_cap = -5;
    r[5].goods = 9;
    r[7].description[0] = 0;
    assert_int_equal(lp_fees_table_check(&t, &e), LP_EINVAL);
    assert_int_equal(e.nfields, 7);
    assert_string_equal(e.fields[0].pointer, "/rates/0/code");
    assert_string_equal(e.fields[1].pointer, "/rates/1/max_kg");
    assert_string_equal(e.fields[1].msg, "must be min_kg (4001) to 1000000 kg");
    assert_string_equal(e.fields[2].pointer, "/rates/3/amount");
    assert_string_equal(e.fields[3].pointer, "/rates/4/free_minutes");
    assert_string_equal(e.fields[4].pointer, "/rates/5/goods");
    assert_string_equal(e.fields[5].pointer, "/rates/6/daily_cap");
    assert_string_equal(e.fields[6].pointer, "/rates/7/description");
    /* A code mixing kinds. */
    fixture(r);
    strcpy(r[7].code, "YARD");
    assert_int_equal(lp_fees_table_check(&t, &e), LP_EINVAL);
    assert_string_equal(e.fields[0].pointer, "/rates/7/kind");
    /* Too many rates; no table. */
    t.nrates = LP_FEE_RATES_MAX + 1;
    assert_int_equal(lp_fees_table_check(&t, &e), LP_EINVAL);
    assert_string_equal(e.fields[0].pointer, "/rates");
    assert_int_equal(lp_fees_table_check(NULL, NULL), LP_EINVAL);
}

static void bad_trip_and_limits(void **state)
{
    lp_fee_rate r[NRATES];
    lp_fee_table t = {r, NRATES};
    lp_fee_trip tr = {-1, LP_FEE_GOODS_NORMAL, 7, -1};
    lp_fee_line l[8];
    lp_err e;
    int n = 9;
    int64_t total = 9;
    (void)state;
    fixture(r);
    assert_int_equal(lp_fees_invoice(&t, &tr, l, 8, &n, &total, &e), LP_EINVAL);
    assert_int_equal(e.nfields, 3);
    assert_string_equal(e.fields[0].pointer, "/gross_kg");
    assert_string_equal(e.fields[1].pointer, "/journey");
    assert_string_equal(e.fields[2].pointer, "/yard_ms");
    assert_int_equal(n, 0);
    /* Not enough room for the lines. */
    tr = (lp_fee_trip){40000, LP_FEE_GOODS_DANGEROUS, LP_FEE_JOURNEY_IMPORT, 26 * H};
    assert_int_equal(lp_fees_invoice(&t, &tr, l, 2, &n, &total, &e), LP_ETOOBIG);
    assert_int_equal(n, 0);
    assert_int_equal(total, 0);
    assert_int_equal(lp_fees_invoice(&t, &tr, l, 3, &n, &total, NULL), LP_OK);
    assert_int_equal(total, 2000000 + 500000 + 300000);
    assert_int_equal(lp_fees_invoice(&t, &tr, l, 3, NULL, &total, NULL), LP_EINVAL);
    /* Largest amounts: a year of uncapped hours at 10^12 (8782 * 10^12) fits;
     * the limits keep even 256 such lines under 2^63, so the overflow checks
     * in fees.c are a second line of defence that no valid table reaches. */
    r[6].amount = LP_FEE_AMOUNT_MAX;
    r[6].daily_cap = 0;
    tr.yard_ms = LP_FEE_YARD_MS_MAX;
    assert_int_equal(lp_fees_invoice(&t, &tr, l, 8, &n, &total, &e), LP_OK);
    assert_int_equal(l[2].quantity, 366 * 24 - 2);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(lp_fee_goods_name(LP_FEE_GOODS_REFRIGERATED), "refrigerated");
    assert_string_equal(lp_fee_goods_name(LP_FEE_ANY), "any");
    assert_string_equal(lp_fee_journey_name(LP_FEE_JOURNEY_EMPTY_RETURN), "empty_return");
    assert_string_equal(lp_fee_kind_name(LP_FEE_YARD), "yard");
    assert_string_equal(lp_fee_kind_name(5), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixture_is_valid),
        cmocka_unit_test(export_truck_with_yard_time),
        cmocka_unit_test(weight_band_boundaries),
        cmocka_unit_test(free_yard_time_boundaries),
        cmocka_unit_test(daily_cap),
        cmocka_unit_test(surcharges_by_goods),
        cmocka_unit_test(empty_return_and_no_rate),
        cmocka_unit_test(overlapping_bands_refused),
        cmocka_unit_test(table_field_errors),
        cmocka_unit_test(bad_trip_and_limits),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

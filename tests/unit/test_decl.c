/* test_decl.c - unit tests for src/core/decl.c.
 *
 * Each test starts from a valid declaration (a truck exporting durian and
 * cashew nuts through Tân Thanh, or an AGV importing phones on road-1088),
 * breaks a few independent things and asserts that exactly those JSON
 * pointers come back, in order, in one call. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/decl.h"
#include "core/err.h"

#define NOW INT64_C(1767225600000) /* 2026-01-01T00:00:00Z */
#define HOUR INT64_C(3600000)

/* Fixtures ---------------------------------------------------------------------- */

static void line(lp_decl *d, const char *hs, int chapter, const char *desc, int64_t packages,
                 int64_t gross_g, int64_t value_minor, const char *origin)
{
    lp_decl_line *l = &d->goods[d->ngoods++];
    snprintf(l->hs, sizeof l->hs, "%s", hs);
    l->chapter = chapter;
    snprintf(l->description, sizeof l->description, "%s", desc);
    l->packages = packages;
    l->gross_g = gross_g;
    l->value_minor = value_minor;
    snprintf(l->origin, sizeof l->origin, "%s", origin);
    d->total_packages += packages;
    d->total_gross_g += gross_g;
    d->total_value_minor += value_minor;
}

static void container(lp_decl *d, const char *number, const char *seal1, const char *seal2)
{
    lp_decl_container *c = &d->containers[d->ncontainers++];
    snprintf(c->number, sizeof c->number, "%s", number);
    if (seal1) snprintf(c->seals[c->nseals++], sizeof c->seals[0], "%s", seal1);
    if (seal2) snprintf(c->seals[c->nseals++], sizeof c->seals[0], "%s", seal2);
}

/* Export by truck and trailer (Lạng Sơn plates), two containers, two lines. */
static lp_decl *truck(void)
{
    lp_decl *d = test_calloc(1, sizeof *d);
    lp_decl_init(d);
    snprintf(d->number, sizeof d->number, "305123456780");
    d->direction = LP_DECL_EXPORT;
    snprintf(d->crossing_point, sizeof d->crossing_point, "tanthanh-1090");
    d->transport = LP_DECL_TRUCK;
    snprintf(d->vehicle_plate, sizeof d->vehicle_plate, "12C-123.45");
    snprintf(d->trailer_plate, sizeof d->trailer_plate, "12R-012.34");
    d->vehicle_id = 17;
    d->driver_id = 4;
    d->expected_arrival_ms = NOW + 3 * HOUR;
    snprintf(d->currency, sizeof d->currency, "USD");
    container(d, "CSQU3054383", "CN1234567", NULL);
    container(d, "TCNU7200794", "CN1234568", "ML-CN7654321");
    line(d, "08106000", 8, "Sầu riêng tươi (fresh durian)", 1200, INT64_C(18500000),
         INT64_C(5200000), "VN");
    line(d, "08013200", 8, "Hạt điều nhân (cashew kernels)", 400, INT64_C(9100500),
         INT64_C(6123456), "VN");
    return d;
}

/* Import by AGV on road-1088: no driver, vehicle or plates, one container. */
static lp_decl *agv(void)
{
    lp_decl *d = test_calloc(1, sizeof *d);
    snprintf(d->number, sizeof d->number, "104987654320");
    d->direction = LP_DECL_IMPORT;
    snprintf(d->crossing_point, sizeof d->crossing_point, "road-1088");
    d->transport = LP_DECL_AGV;
    d->expected_arrival_ms = NOW + 18 * HOUR;
    snprintf(d->currency, sizeof d->currency, "CNY");
    container(d, "ZEPU0037255", "CN7777777", NULL);
    line(d, "85171300", 85, "Điện thoại thông minh 手机", 300, INT64_C(2400000),
         INT64_C(45000000), "CN");
    return d;
}

/* Asserts that err lists exactly the pointers in want (NULL-terminated), in
 * order; prints what came back otherwise. */
static void expect(const lp_decl *d, const char *hs_country, const char *const *want)
{
    lp_err e;
    int n = 0, i, same;
    lp_err_init(&e);
    while (want[n]) n++;
    int rc = lp_decl_check(d, hs_country, NOW, &e);
    same = e.nfields == n;
    for (i = 0; same && i < n; i++) same = strcmp(e.fields[i].pointer, want[i]) == 0;
    if (!same) {
        print_error("got %d field errors, want %d:\n", e.nfields, n);
        for (i = 0; i < e.nfields; i++)
            print_error("  %s: %s\n", e.fields[i].pointer, e.fields[i].msg);
    }
    assert_true(same);
    assert_int_equal(rc, n ? LP_EINVAL : LP_OK);
    assert_int_equal(e.code, n ? LP_EINVAL : LP_OK);
}

/* The message of the field error at pointer (which must be there). */
static const char *msg_at(const lp_decl *d, const char *pointer)
{
    static lp_err e;
    int i;
    lp_err_init(&e);
    lp_decl_check(d, "VN", NOW, &e);
    for (i = 0; i < e.nfields; i++)
        if (strcmp(e.fields[i].pointer, pointer) == 0) return e.fields[i].msg;
    fail_msg("no error at %s", pointer);
    return "";
}

#define EXPECT(d, ...) expect((d), "VN", (const char *const[]){__VA_ARGS__, NULL})
#define EXPECT_NONE(d) expect((d), "VN", (const char *const[]){NULL})
#define HAS(d, ptr, part) assert_non_null(strstr(msg_at((d), (ptr)), (part)))

/* Valid declarations ------------------------------------------------------------------ */

static void valid_truck_and_agv(void **state)
{
    lp_decl *t = truck(), *a = agv();
    (void)state;
    EXPECT_NONE(t);
    EXPECT_NONE(a);
    /* Any accepted input form passes, not only the canonical one. */
    snprintf(t->containers[0].number, sizeof t->containers[0].number, "csqu3054383");
    snprintf(t->vehicle_plate, sizeof t->vehicle_plate, "12c12345");
    snprintf(t->goods[0].hs, sizeof t->goods[0].hs, "0810.60.00");
    snprintf(t->trailer_plate, sizeof t->trailer_plate, "%s", "");
    EXPECT_NONE(t);
    /* A Chinese truck and trailer. */
    snprintf(t->vehicle_plate, sizeof t->vehicle_plate, "桂A12345");
    snprintf(t->trailer_plate, sizeof t->trailer_plate, "桂A1234挂");
    EXPECT_NONE(t);
    test_free(t);
    test_free(a);
}

/* All problems at once ------------------------------------------------------------------- */

static void three_mistakes_three_pointers(void **state)
{
    lp_decl *d = truck();
    lp_err e;
    (void)state;
    snprintf(d->containers[1].number, sizeof d->containers[1].number, "TCNU7200795");
    snprintf(d->goods[1].hs, sizeof d->goods[1].hs, "77013200");
    d->total_gross_g += 1000; /* 1 kg more than the lines */
    EXPECT(d, "/containers/1/number", "/goods/1/hs_code", "/totals/gross_weight_kg");
    HAS(d, "/containers/1/number", "check digit is 5, expected 4");
    HAS(d, "/goods/1/hs_code", "chapter 77 is reserved");
    HAS(d, "/totals/gross_weight_kg", "total 27601.500 kg");
    HAS(d, "/totals/gross_weight_kg", "sum of the lines, 27600.500 kg");
    lp_err_init(&e);
    lp_decl_check(d, "VN", NOW, &e);
    assert_string_equal(e.msg, "the declaration has 3 problems");
    /* Without an lp_err, the code alone. */
    assert_int_equal(lp_decl_check(d, "VN", NOW, NULL), LP_EINVAL);
    test_free(d);
}

static void many_problems_are_counted(void **state)
{
    lp_decl *d = truck();
    lp_err e;
    int i;
    (void)state;
    d->ngoods = 0;
    d->total_packages = d->total_gross_g = d->total_value_minor = 0;
    for (i = 0; i < LP_DECL_MAX_LINES; i++)
        line(d, "08106000", 8, "durian", 1, 1000, 100, "UK"); /* UK is not ISO 3166 */
    lp_err_init(&e);
    assert_int_equal(lp_decl_check(d, "VN", NOW, &e), LP_EINVAL);
    assert_int_equal(e.nfields, LP_ERR_FIELDS_MAX);
    assert_int_equal(e.more, LP_DECL_MAX_LINES - LP_ERR_FIELDS_MAX);
    assert_string_equal(e.fields[31].pointer, "/goods/31/origin");
    assert_string_equal(e.msg, "the declaration has 200 problems");
    test_free(d);
}

static void earlier_error_is_kept(void **state)
{
    lp_decl *d = truck();
    lp_err e;
    (void)state;
    lp_err_init(&e);
    lp_err_field_add(&e, "/company_id", "not yours");
    d->currency[0] = 'X';
    assert_int_equal(lp_decl_check(d, "VN", NOW, &e), LP_EINVAL);
    assert_int_equal(e.nfields, 2);
    assert_string_equal(e.fields[1].pointer, "/currency");
    assert_string_equal(e.msg, "the request has invalid fields");
    test_free(d);
}

/* Header --------------------------------------------------------------------------------- */

static void header_fields(void **state)
{
    lp_decl *d = truck();
    (void)state;
    snprintf(d->number, sizeof d->number, "30512345678");
    d->direction = 0;
    snprintf(d->crossing_point, sizeof d->crossing_point, "Tan Thanh");
    d->transport = 3;
    snprintf(d->currency, sizeof d->currency, "RMB");
    EXPECT(d, "/number", "/direction", "/crossing_point", "/transport", "/currency");
    HAS(d, "/number", "got 11");
    HAS(d, "/currency", "'RMB' is not a currency");
    test_free(d);
}

static void unterminated_strings(void **state)
{
    lp_decl *d = truck();
    (void)state;
    memset(d->number, '1', sizeof d->number);
    memset(d->containers[0].seals[0], 'A', sizeof d->containers[0].seals[0]);
    memset(d->goods[1].origin, 'V', sizeof d->goods[1].origin);
    EXPECT(d, "/number", "/containers/0/seals/0", "/goods/1/origin");
    HAS(d, "/number", "longer than 31 bytes");
    test_free(d);
}

static void arrival_window(void **state)
{
    lp_decl *d = truck();
    lp_err e;
    (void)state;
    d->expected_arrival_ms = NOW - LP_DECL_ARRIVAL_PAST_MS; /* late, within tolerance */
    EXPECT_NONE(d);
    d->expected_arrival_ms = NOW - 3 * HOUR - 5 * 60000;
    EXPECT(d, "/expected_arrival");
    HAS(d, "/expected_arrival", "3 h 05 min in the past");
    lp_err_init(&e); /* now_ms 0: an amendment after arrival */
    assert_int_equal(lp_decl_check(d, "VN", 0, &e), LP_OK);
    d->expected_arrival_ms = NOW + LP_DECL_ARRIVAL_AHEAD_MS;
    EXPECT_NONE(d);
    d->expected_arrival_ms = NOW * 1000; /* microseconds */
    EXPECT(d, "/expected_arrival");
    d->expected_arrival_ms = NOW / 1000; /* seconds */
    EXPECT(d, "/expected_arrival");
    d->expected_arrival_ms = INT64_MIN;
    EXPECT(d, "/expected_arrival");
    d->expected_arrival_ms = INT64_MAX;
    EXPECT(d, "/expected_arrival");
    d->expected_arrival_ms = 0;
    EXPECT(d, "/expected_arrival");
    HAS(d, "/expected_arrival", "is required");
    test_free(d);
}

static void declaration_numbers(void **state)
{
    char out[32], why[160];
    (void)state;
    assert_int_equal(lp_decl_number("305 123 456 780", LP_DECL_EXPORT, out, sizeof out, why,
                                    sizeof why), LP_OK);
    assert_string_equal(out, "305123456780");
    /* Chinese: office 7224, year 2025, flag, serial. */
    assert_int_equal(lp_decl_number("722420251000012345", LP_DECL_EXPORT, out, sizeof out, why,
                                    sizeof why), LP_OK);
    assert_int_equal(lp_decl_number("722420250000012345", LP_DECL_IMPORT, NULL, 0, why,
                                    sizeof why), LP_OK);
    assert_int_equal(lp_decl_number("722420250000012345", 0, NULL, 0, why, sizeof why), LP_OK);
    assert_int_equal(lp_decl_number("722420250000012345", LP_DECL_EXPORT, out, sizeof out, why,
                                    sizeof why), LP_EINVAL);
    assert_string_equal(out, "");
    assert_non_null(strstr(why, "Chinese export declaration (digit 9 is 0)"));
    assert_int_equal(lp_decl_number("722419990000012345", 0, NULL, 0, why, sizeof why), LP_EINVAL);
    assert_non_null(strstr(why, "year 1999"));
    assert_int_equal(lp_decl_number("722420252000012345", 0, NULL, 0, why, sizeof why), LP_EINVAL);
    assert_non_null(strstr(why, "digit 9 is 2"));
    assert_int_equal(lp_decl_number("000000000000", 0, NULL, 0, why, sizeof why), LP_EINVAL);
    assert_int_equal(lp_decl_number("30512345678A", 0, NULL, 0, why, sizeof why), LP_EINVAL);
    assert_non_null(strstr(why, "'A' at position 12"));
    assert_int_equal(lp_decl_number("3051234567801", 0, NULL, 0, why, sizeof why), LP_EINVAL);
    assert_int_equal(lp_decl_number(NULL, 0, NULL, 0, why, sizeof why), LP_EINVAL);
    assert_int_equal(lp_decl_number("305123456780", 0, out, 12, why, sizeof why), LP_EINVAL);
}

/* Transport --------------------------------------------------------------------------------- */

static void truck_needs_vehicle_and_driver(void **state)
{
    lp_decl *d = truck();
    (void)state;
    d->vehicle_plate[0] = '\0';
    d->vehicle_id = 0;
    d->driver_id = -4;
    EXPECT(d, "/vehicle_plate", "/vehicle_id", "/driver_id");
    snprintf(d->vehicle_plate, sizeof d->vehicle_plate, "13C-123.45"); /* 13 is not assigned */
    snprintf(d->trailer_plate, sizeof d->trailer_plate, "粤Z1234港");  /* Hong Kong plate */
    d->vehicle_id = 17;
    d->driver_id = 4;
    EXPECT(d, "/vehicle_plate", "/trailer_plate");
    snprintf(d->vehicle_plate, sizeof d->vehicle_plate, "12C-123.45");
    snprintf(d->trailer_plate, sizeof d->trailer_plate, "12C12345");
    EXPECT(d, "/trailer_plate");
    HAS(d, "/trailer_plate", "vehicle's own plate 12C-123.45");
    test_free(d);
}

static void agv_rules(void **state)
{
    lp_decl *d = agv();
    (void)state;
    snprintf(d->crossing_point, sizeof d->crossing_point, "tanthanh-1090");
    snprintf(d->vehicle_plate, sizeof d->vehicle_plate, "12C-123.45");
    d->driver_id = 4;
    EXPECT(d, "/crossing_point", "/vehicle_plate", "/driver_id");
    HAS(d, "/crossing_point", "AGVs run only on road-1088");
    HAS(d, "/driver_id", "an AGV has no driver");
    test_free(d);
    d = agv();
    d->ncontainers = 0;
    d->vehicle_id = 9;
    EXPECT(d, "/vehicle_id", "/containers");
    test_free(d);
}

/* Containers and seals ---------------------------------------------------------------------- */

static void duplicate_containers_and_seals(void **state)
{
    lp_decl *d = truck();
    (void)state;
    container(d, "csqu3054383", "CN1234569", NULL); /* /containers/2: same as 0 */
    snprintf(d->containers[1].seals[1], sizeof d->containers[1].seals[1], "CN-1234567");
    EXPECT(d, "/containers/1/seals/1", "/containers/2/number");
    HAS(d, "/containers/2/number", "container CSQU3054383 is also /containers/0");
    HAS(d, "/containers/1/seals/1", "seal CN-1234567 is also /containers/0/seals/0");
    test_free(d);
}

static void container_limits(void **state)
{
    lp_decl *d = truck();
    (void)state;
    d->containers[0].nseals = LP_DECL_MAX_SEALS + 1;
    snprintf(d->containers[1].seals[0], sizeof d->containers[1].seals[0], "C/N");
    EXPECT(d, "/containers/0/seals", "/containers/0/seals/1", "/containers/0/seals/2",
           "/containers/0/seals/3", "/containers/1/seals/0");
    test_free(d);
    d = truck();
    d->ncontainers = LP_DECL_MAX_CONTAINERS + 1;
    /* Entries 2..7 are empty: each is reported too. */
    EXPECT(d, "/containers", "/containers/2/number", "/containers/3/number",
           "/containers/4/number", "/containers/5/number", "/containers/6/number",
           "/containers/7/number");
    test_free(d);
}

/* Goods and totals ----------------------------------------------------------------------------- */

static void goods_lines(void **state)
{
    lp_decl *d = truck();
    (void)state;
    d->ngoods = 0;
    EXPECT(d, "/goods"); /* no totals noise without lines */
    d->total_packages = d->total_gross_g = d->total_value_minor = 0;
    while (d->ngoods < LP_DECL_MAX_LINES) line(d, "08106000", 8, "durian", 1, 1000, 100, "VN");
    EXPECT_NONE(d);
    d->ngoods = LP_DECL_MAX_LINES + 1; /* the first 200 are checked, totals are not */
    EXPECT(d, "/goods");
    test_free(d);
}

static void line_fields(void **state)
{
    lp_decl *d = truck();
    (void)state;
    snprintf(d->goods[0].description, sizeof d->goods[0].description, "   ");
    snprintf(d->goods[0].origin, sizeof d->goods[0].origin, "XK"); /* Kosovo: not assigned */
    snprintf(d->goods[1].hs, sizeof d->goods[1].hs, "0801320000");
    snprintf(d->goods[1].description, sizeof d->goods[1].description, "bad \xC3\x28 UTF-8");
    EXPECT(d, "/goods/0/description", "/goods/0/origin", "/goods/1/hs_code",
           "/goods/1/description");
    HAS(d, "/goods/1/hs_code", "VN HS codes have 8 digits, got 10");
    test_free(d);
    d = truck();
    d->goods[0].chapter = 85;
    snprintf(d->goods[1].description, sizeof d->goods[1].description, "tab\there");
    EXPECT(d, "/goods/0/hs_code", "/goods/1/description");
    HAS(d, "/goods/0/hs_code", "chapter 08, but the line says chapter 85");
    test_free(d);
}

static void bad_quantities_do_not_add_total_errors(void **state)
{
    lp_decl *d = truck();
    (void)state;
    d->goods[0].packages = 0;
    d->goods[0].gross_g = -5;
    d->goods[1].value_minor = LP_CARGO_MINOR_MAX + 1;
    EXPECT(d, "/goods/0/packages", "/goods/0/gross_weight_kg", "/goods/1/value");
    test_free(d);
}

static void totals_say_both_numbers(void **state)
{
    lp_decl *d = truck();
    (void)state;
    d->total_packages = 1601;
    d->total_value_minor -= 1;
    EXPECT(d, "/totals/packages", "/totals/value");
    HAS(d, "/totals/packages", "total 1601 is not the sum of the lines, 1600");
    HAS(d, "/totals/value", "total 113234.55 USD is not the sum of the lines, 113234.56 USD");
    snprintf(d->currency, sizeof d->currency, "VND");
    HAS(d, "/totals/value", "total 11323455 VND");
    snprintf(d->currency, sizeof d->currency, "RMB");
    HAS(d, "/totals/value", "total 11323455 (minor units)");
    test_free(d);
}

static void hs_country_is_the_callers(void **state)
{
    lp_decl *d = agv();
    lp_err e;
    (void)state;
    expect(d, "CN", (const char *const[]){"/goods/0/hs_code", NULL});
    snprintf(d->goods[0].hs, sizeof d->goods[0].hs, "8517130000");
    expect(d, "CN", (const char *const[]){NULL});
    lp_err_init(&e);
    assert_int_equal(lp_decl_check(d, "US", NOW, &e), LP_EINVAL);
    assert_int_equal(e.nfields, 0);
    assert_non_null(strstr(e.msg, "'US'"));
    lp_err_init(&e);
    assert_int_equal(lp_decl_check(NULL, "VN", NOW, &e), LP_EINVAL);
    assert_string_equal(e.msg, "no declaration given");
    test_free(d);
}

/* Quarantine ------------------------------------------------------------------------------------ */

static void quarantine(void **state)
{
    lp_decl *t = truck(), *a = agv();
    (void)state;
    assert_int_equal(lp_decl_needs_quarantine(t), 1); /* durian, chapter 08 */
    assert_int_equal(lp_decl_needs_quarantine(a), 0); /* phones, chapter 85 */
    line(a, "24022000", 24, "cigarettes", 10, 100000, 50000, "CN");
    assert_int_equal(lp_decl_needs_quarantine(a), 1);
    a->goods[1].chapter = 85; /* inconsistent line: the HS code still counts */
    assert_int_equal(lp_decl_needs_quarantine(a), 1);
    a->ngoods = 0;
    assert_int_equal(lp_decl_needs_quarantine(a), 0);
    assert_int_equal(lp_decl_needs_quarantine(NULL), 0);
    test_free(t);
    test_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_truck_and_agv),
        cmocka_unit_test(three_mistakes_three_pointers),
        cmocka_unit_test(many_problems_are_counted),
        cmocka_unit_test(earlier_error_is_kept),
        cmocka_unit_test(header_fields),
        cmocka_unit_test(unterminated_strings),
        cmocka_unit_test(arrival_window),
        cmocka_unit_test(declaration_numbers),
        cmocka_unit_test(truck_needs_vehicle_and_driver),
        cmocka_unit_test(agv_rules),
        cmocka_unit_test(duplicate_containers_and_seals),
        cmocka_unit_test(container_limits),
        cmocka_unit_test(goods_lines),
        cmocka_unit_test(line_fields),
        cmocka_unit_test(bad_quantities_do_not_add_total_errors),
        cmocka_unit_test(totals_say_both_numbers),
        cmocka_unit_test(hs_country_is_the_callers),
        cmocka_unit_test(quarantine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

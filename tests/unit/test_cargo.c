/* test_cargo.c - unit tests for src/core/cargo.c.
 *
 * Container numbers are real published ones: the ISO 6346 example
 * CSQU3054383 and numbers from python-stdnum's and other validators' test
 * suites (GYOU4047990 is a real number whose remainder is 10, check digit
 * 0).  Invalid inputs change one thing at a time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/cargo.h"
#include "core/err.h"

#include "normcheck.inc"

/* Containers ------------------------------------------------------------------ */

static void container_valid(void **state)
{
    (void)state;
    ok(lp_cargo_container, "CSQU3054383", "CSQU3054383"); /* the standard's example */
    ok(lp_cargo_container, "csqu3054383", "CSQU3054383");
    ok(lp_cargo_container, "CSQU 305438 3", "CSQU3054383");
    ok(lp_cargo_container, "CSQU-305438-3", "CSQU3054383");
    ok(lp_cargo_container, "TCNU7200794", "TCNU7200794"); /* python-stdnum tests */
    ok(lp_cargo_container, "tolu4734787", "TOLU4734787");
    ok(lp_cargo_container, "GYOU4047990", "GYOU4047990"); /* remainder 10 -> 0 */
    ok(lp_cargo_container, "ZEPU 003725 5", "ZEPU0037255"); /* calc-ilu-check-digit README */
    ok(lp_cargo_container, "HLXU2008419", "HLXU2008419"); /* pyvalidator tests */
    ok(lp_cargo_container, "TGHU7599330", "TGHU7599330");
    ok(lp_cargo_container, "MEDU6246078", "MEDU6246078");
    ok(lp_cargo_container, "MRKU0046221", "MRKU0046221");
    ok(lp_cargo_container, "OOLU8643084", "OOLU8643084");
    ok(lp_cargo_container, "MSKU1234565", "MSKU1234565"); /* gatecheck.h's example */
}

static void container_invalid(void **state)
{
    (void)state;
    bad(lp_cargo_container, "CSQU3054384", "check digit is 4, expected 3");
    bad(lp_cargo_container, "OOLU1922713", "expected 8"); /* pyvalidator's invalid list */
    bad(lp_cargo_container, "HJCU1922413", "expected 5");
    bad(lp_cargo_container, "MSCU6639871", "expected 0"); /* a wrong example in the wild */
    bad(lp_cargo_container, "CSQU305438", "check digit is missing (it would be 3)");
    bad(lp_cargo_container, "CSQU30543833", "got 12");
    bad(lp_cargo_container, "CSQU3054Z83", "'Z' at position 9 is not a digit");
    bad(lp_cargo_container, "7SQU3054383", "'7' at position 1 is not a letter");
    bad(lp_cargo_container, "CSQX3054383", "equipment category 'X'");
    bad(lp_cargo_container, "CSQR3054383", "equipment category 'R'");
    bad(lp_cargo_container, "CSQU.305438.3", "got 13"); /* '.' is not a separator */
    bad(lp_cargo_container, "", "got 0");
    bad(lp_cargo_container, NULL, "missing");
}

static void container_buffers(void **state)
{
    char out[11], why[8];
    (void)state;
    /* One byte short of the NUL: refused, never truncated. */
    assert_int_equal(lp_cargo_container("CSQU3054383", out, sizeof out, NULL, 0), LP_EINVAL);
    assert_string_equal(out, "");
    /* Check only; a short why is truncated, not overrun. */
    assert_int_equal(lp_cargo_container("CSQU3054383", NULL, 0, NULL, 0), LP_OK);
    assert_int_equal(lp_cargo_container("CSQU3054384", NULL, 0, why, sizeof why), LP_EINVAL);
    assert_int_equal(strlen(why), sizeof why - 1);
}

/* Seals -------------------------------------------------------------------------- */

static void seal_valid(void **state)
{
    (void)state;
    /* No public registry exists; these are the shapes printed on ISO 17712
     * bolt and cable seals: a prefix and a serial. */
    ok(lp_cargo_seal, "CN1234567", "CN1234567");
    ok(lp_cargo_seal, "ml-cn 1234567", "ML-CN1234567");
    ok(lp_cargo_seal, "0001", "0001");
    ok(lp_cargo_seal, "ABCDEFGHIJ0123456789", "ABCDEFGHIJ0123456789"); /* 20 */
}

static void seal_invalid(void **state)
{
    (void)state;
    bad(lp_cargo_seal, "123", "4 to 20 characters, got 3");
    bad(lp_cargo_seal, "ABCDEFGHIJ01234567890", "got 21");
    bad(lp_cargo_seal, "CN/123456", "'/' at position 3");
    bad(lp_cargo_seal, "CN_123456", "'_'");
    bad(lp_cargo_seal, "Č12345", "non-ASCII");
    bad(lp_cargo_seal, "-CN12345", "start and end");
    bad(lp_cargo_seal, "CN12345-", "start and end");
    bad(lp_cargo_seal, "CN--12345", "\"--\"");
    bad(lp_cargo_seal, NULL, "missing");
}

/* HS codes ---------------------------------------------------------------------------- */

static void hs_ok(const char *country, const char *s, const char *canon, int chapter)
{
    char out[16], why[160];
    int ch = -1;
    int rc = lp_cargo_hs(country, s, out, sizeof out, &ch, why, sizeof why);
    if (rc != LP_OK) print_error("HS '%s' (%s) rejected: %s\n", s, country, why);
    assert_int_equal(rc, LP_OK);
    assert_string_equal(out, canon);
    assert_int_equal(ch, chapter);
}

static void hs_bad(const char *country, const char *s, const char *part)
{
    char out[16], why[160];
    int ch = -1;
    assert_int_equal(lp_cargo_hs(country, s, out, sizeof out, &ch, why, sizeof why), LP_EINVAL);
    assert_string_equal(out, "");
    assert_int_equal(ch, 0);
    if (!strstr(why, part)) print_error("HS '%s': reason '%s' lacks '%s'\n", s, why, part);
    assert_non_null(strstr(why, part));
}

static void hs_valid(void **state)
{
    (void)state;
    hs_ok("VN", "0810.90.10", "08109010", 8);   /* other fresh fruit (the brief's example) */
    hs_ok("VN", "0810.60.00", "08106000", 8);   /* durians (HS 0810.60) */
    hs_ok("VN", "0801 32 00", "08013200", 8);   /* cashew nuts, shelled (HS 0801.32) */
    hs_ok("VN", "8517.13.00", "85171300", 85);  /* smartphones (HS 2022 8517.13) */
    hs_ok("VN", "0101.21.00", "01012100", 1);   /* pure-bred breeding horses: chapter 01 */
    hs_ok("VN", "9706.10.00", "97061000", 97);  /* antiques over 250 years: chapter 97 */
    hs_ok("CN", "0810.6000.00", "0810600000", 8);
    hs_ok("CN", "8517130000", "8517130000", 85);
}

static void hs_invalid(void **state)
{
    (void)state;
    hs_bad("VN", "0810901000", "VN HS codes have 8 digits, got 10");
    hs_bad("CN", "08109010", "CN HS codes have 10 digits, got 8");
    hs_bad("VN", "081090", "got 6");
    hs_bad("VN", "0810-90-10", "'-' at position 5 is not a digit");
    hs_bad("VN", "0810.9O.10", "'O' at position 6");
    hs_bad("VN", "00019010", "chapter 00 does not exist");
    hs_bad("VN", "77019010", "chapter 77 is reserved");
    hs_bad("VN", "98010010", "chapter 98 does not exist"); /* national use: not here */
    hs_bad("VN", "99010010", "chapter 99");
    hs_bad("VN", "08009010", "heading 0800 does not exist");
    hs_bad("US", "08109010", "no HS code rule for country 'US'");
    hs_bad(NULL, "08109010", "no HS code rule");
    hs_bad("VN", NULL, "missing");
}

static void hs_quarantine(void **state)
{
    (void)state;
    assert_int_equal(lp_cargo_hs_needs_quarantine(1), 1);  /* live animals */
    assert_int_equal(lp_cargo_hs_needs_quarantine(8), 1);  /* fruit */
    assert_int_equal(lp_cargo_hs_needs_quarantine(24), 1); /* tobacco */
    assert_int_equal(lp_cargo_hs_needs_quarantine(25), 0); /* salt, stone */
    assert_int_equal(lp_cargo_hs_needs_quarantine(85), 0);
    assert_int_equal(lp_cargo_hs_needs_quarantine(0), 0);
    assert_int_equal(lp_cargo_hs_needs_quarantine(-8), 0);
}

/* Currencies -------------------------------------------------------------------------- */

static void currency_ok(const char *s, const char *canon, int exponent)
{
    char out[8], why[160];
    int e = -2;
    int rc = lp_cargo_currency(s, out, sizeof out, &e, why, sizeof why);
    if (rc != LP_OK) print_error("currency '%s' rejected: %s\n", s, why);
    assert_int_equal(rc, LP_OK);
    assert_string_equal(out, canon);
    assert_int_equal(e, exponent);
}

static void currency_bad(const char *s, const char *part)
{
    char out[8], why[160];
    int e = -2;
    assert_int_equal(lp_cargo_currency(s, out, sizeof out, &e, why, sizeof why), LP_EINVAL);
    assert_string_equal(out, "");
    assert_int_equal(e, -1);
    assert_non_null(strstr(why, part));
}

static void currency_codes(void **state)
{
    static const char *const two[] = {"CNY", "USD", "EUR", "THB", "HKD", "SGD", "LAK", "KHR",
                                      "MYR", "IDR", "PHP", "TWD", "GBP", "AUD", "CHF", NULL};
    int i;
    (void)state;
    /* ISO 4217 list one: no minor unit for the dong, yen and won. */
    currency_ok("VND", "VND", 0);
    currency_ok("JPY", "JPY", 0);
    currency_ok("KRW", "KRW", 0);
    for (i = 0; two[i]; i++) currency_ok(two[i], two[i], 2);
    currency_ok("vnd", "VND", 0);
    currency_ok(" usd ", "USD", 2);
}

static void currency_invalid(void **state)
{
    (void)state;
    currency_bad("RMB", "not a currency accepted"); /* common name, not the ISO code */
    currency_bad("XXX", "not a currency accepted");
    currency_bad("US", "got 2");
    currency_bad("USDT", "got 4");
    currency_bad("U$D", "'$' at position 2");
    currency_bad("", "got 0");
    currency_bad(NULL, "missing");
}

/* Quantities ---------------------------------------------------------------------------- */

static void minor_ok(double v, int exponent, int64_t want)
{
    char why[160];
    int64_t got = -7;
    int rc = lp_cargo_amount_minor(v, exponent, &got, why, sizeof why);
    if (rc != LP_OK) print_error("%.17g (exp %d) rejected: %s\n", v, exponent, why);
    assert_int_equal(rc, LP_OK);
    assert_int_equal(got, want);
}

static void minor_bad(double v, int exponent, const char *part)
{
    char why[160];
    int64_t got = -7;
    assert_int_equal(lp_cargo_amount_minor(v, exponent, &got, why, sizeof why), LP_EINVAL);
    assert_int_equal(got, -7); /* untouched */
    if (!strstr(why, part)) print_error("%.17g: reason '%s' lacks '%s'\n", v, why, part);
    assert_non_null(strstr(why, part));
}

static void amounts(void **state)
{
    (void)state;
    minor_ok(1234.56, 2, 123456);
    minor_ok(0.1 + 0.2, 2, 30);  /* 0.30000000000000004 */
    minor_ok(19.99, 2, 1999);
    minor_ok(4.35, 2, 435);      /* 434.99999999999994 after * 100 */
    minor_ok(250000000, 0, 250000000); /* VND */
    minor_ok(0, 2, 0);
    minor_ok(-0.0, 2, 0);
    minor_ok(999999999999.99, 2, INT64_C(99999999999999));
    minor_ok(1e14, 0, LP_CARGO_MINOR_MAX);
    minor_ok(12.3456, 4, 123456);
    minor_bad(12.345, 2, "more than 2 decimals");
    minor_bad(1.005, 2, "more than 2 decimals"); /* 100.49999999999999 after * 100 */
    minor_bad(1234.5, 0, "whole number");
    minor_bad(0.001, 2, "more than 2 decimals");
    minor_bad(999999999999.991, 2, "more than 2 decimals");
    minor_bad(-1, 2, "negative");
    minor_bad(-0.01, 2, "negative");
    minor_bad(1e14 + 2, 0, "too large");
    minor_bad(1e13, 2, "too large");
    minor_bad(1e300, 2, "too large");
    minor_bad(INFINITY, 2, "not a finite number");
    minor_bad(NAN, 2, "not a finite number");
    minor_bad(1, 5, "exponent 5");
    minor_bad(1, -1, "exponent -1");
}

/* Every amount with at most `exponent` decimals, written as a JSON number
 * would be (the double nearest to n / 10^e, which a correctly rounded
 * division gives), comes back as n; one more non-zero digit never passes.
 * A fixed generator keeps the run reproducible. */
static void amounts_random_sample(void **state)
{
    static const double scale[] = {1, 10, 100, 1000, 10000};
    uint64_t x = 0x9E3779B97F4A7C15u;
    int i, e;
    (void)state;
    for (i = 0; i < 200000; i++) {
        int64_t n, got;
        int k;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        e = (int)(x % 5);
        n = (int64_t)((x >> 8) % (uint64_t)(i % 2 ? LP_CARGO_MINOR_MAX : 100000000));
        k = 1 + (int)((x >> 3) % 9);
        if (lp_cargo_amount_minor((double)n / scale[e], e, &got, NULL, 0) != LP_OK || got != n)
            fail_msg("%lld / 10^%d not read back", (long long)n, e);
        if (e < 4 && n < LP_CARGO_MINOR_MAX / 10 &&
            lp_cargo_amount_minor((double)(n * 10 + k) / (scale[e] * 10), e, &got, NULL, 0) == LP_OK)
            fail_msg("%lld%d / 10^%d accepted", (long long)n, k, e + 1);
    }
}

static void weights(void **state)
{
    char why[160];
    int64_t g = -7;
    (void)state;
    assert_int_equal(lp_cargo_kg_grams(24500.5, &g, why, sizeof why), LP_OK);
    assert_int_equal(g, 24500500);
    assert_int_equal(lp_cargo_kg_grams(0.001, &g, why, sizeof why), LP_OK);
    assert_int_equal(g, 1);
    assert_int_equal(lp_cargo_kg_grams(1.1 + 2.2, &g, why, sizeof why), LP_OK); /* 3.3000000000000003 */
    assert_int_equal(g, 3300);
    assert_int_equal(lp_cargo_kg_grams(1e9, &g, why, sizeof why), LP_OK);
    assert_int_equal(g, LP_CARGO_GRAMS_MAX);
    g = -7;
    assert_int_equal(lp_cargo_kg_grams(12.3456, &g, why, sizeof why), LP_EINVAL);
    assert_non_null(strstr(why, "more than 3 decimals"));
    assert_int_equal(lp_cargo_kg_grams(-1, &g, why, sizeof why), LP_EINVAL);
    assert_int_equal(lp_cargo_kg_grams(1e9 + 1, &g, why, sizeof why), LP_EINVAL);
    assert_non_null(strstr(why, "at most 1000000000.000 kg"));
    assert_int_equal(g, -7);
    /* grams may be NULL to check only; why may be NULL. */
    assert_int_equal(lp_cargo_kg_grams(1.5, NULL, NULL, 0), LP_OK);
    assert_int_equal(lp_cargo_kg_grams(1.5555, NULL, NULL, 0), LP_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(container_valid),  cmocka_unit_test(container_invalid),
        cmocka_unit_test(container_buffers), cmocka_unit_test(seal_valid),
        cmocka_unit_test(seal_invalid),     cmocka_unit_test(hs_valid),
        cmocka_unit_test(hs_invalid),       cmocka_unit_test(hs_quarantine),
        cmocka_unit_test(currency_codes),   cmocka_unit_test(currency_invalid),
        cmocka_unit_test(amounts),          cmocka_unit_test(amounts_random_sample),
        cmocka_unit_test(weights),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

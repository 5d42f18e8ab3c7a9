/* test_wh.c - pure rules of the bonded warehouse (src/core/wh.c): access
 * code text, the order of code states, period overlap, partial pick-ups
 * that never take more than on hand and always balance, the customs release
 * rule, dwell and overstay. */
#include "testlib.h"
#include "core/wh.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void test_code_text(void **state)
{
    unsigned char rnd[LP_WH_SECRET_LEN];
    char secret[LP_WH_SECRET_LEN + 1], code[LP_WH_CODE_MAX], back[LP_WH_SECRET_LEN + 1];
    int64_t id = 0;
    int i;
    (void)state;
    for (i = 0; i < LP_WH_SECRET_LEN; i++) rnd[i] = (unsigned char)(i * 37 + 255);
    lp_wh_secret_make(rnd, secret);
    assert_int_equal(strlen(secret), LP_WH_SECRET_LEN);
    assert_null(strpbrk(secret, "01IO"));
    assert_int_equal(lp_wh_code_format(417, secret, code, sizeof code), LP_OK);
    assert_int_equal(lp_wh_code_parse(code, &id, back), LP_OK);
    assert_int_equal(id, 417);
    assert_string_equal(back, secret);
    /* As typed: lower case and spaces. */
    assert_int_equal(lp_wh_code_parse(" 42 - k7m3 p9qx", &id, back), LP_OK);
    assert_int_equal(id, 42);
    assert_string_equal(back, "K7M3P9QX");
    /* Not codes. */
    assert_int_equal(lp_wh_code_parse("42-K7M3P9Q", &id, back), LP_EINVAL);   /* short */
    assert_int_equal(lp_wh_code_parse("42-K7M3P9QXY", &id, back), LP_EINVAL); /* long */
    assert_int_equal(lp_wh_code_parse("42-K7M3P9Q0", &id, back), LP_EINVAL); /* 0 is not in the alphabet */
    assert_int_equal(lp_wh_code_parse("K7M3P9QX", &id, back), LP_EINVAL);
    assert_int_equal(lp_wh_code_parse("0-K7M3P9QX", &id, back), LP_EINVAL);
    assert_int_equal(lp_wh_code_parse("1234567890123456-K7M3P9QX", &id, back), LP_EINVAL);
    assert_int_equal(lp_wh_code_parse(NULL, &id, back), LP_EINVAL);
    assert_int_equal(lp_wh_code_format(1, secret, code, 5), LP_ETOOBIG);
}

static void test_code_state(void **state)
{
    (void)state;
    assert_int_equal(lp_wh_code_state(0, 0, 0, 1000, 0, 999), LP_WH_ACCEPTED);
    assert_int_equal(lp_wh_code_state(0, 0, 500, 1000, 0, 499), LP_WH_NOT_YET);
    assert_int_equal(lp_wh_code_state(0, 0, 0, 1000, 0, 1000), LP_WH_EXPIRED);
    assert_int_equal(lp_wh_code_state(0, 500, 0, 1000, 0, 999), LP_WH_USED);
    assert_int_equal(lp_wh_code_state(0, 0, 0, 1000, 1, 999), LP_WH_REVOKED);
    /* A locked code says locked, whatever else is true. */
    assert_int_equal(lp_wh_code_state(1, 500, 0, 1000, 1, 2000), LP_WH_LOCKED);
    assert_string_equal(lp_wh_outcome_name(LP_WH_WRONG_PLATE), "wrong_plate");
    assert_string_equal(lp_wh_outcome_name(LP_WH_OVER_STOCK), "over_stock");
    assert_string_equal(lp_wh_outcome_name(LP_WH_OUTCOME__COUNT), "?");
}

static void test_overlap(void **state)
{
    (void)state;
    assert_true(lp_wh_overlaps(0, 10, 5, 15));
    assert_true(lp_wh_overlaps(5, 15, 0, 10));
    assert_true(lp_wh_overlaps(0, 10, 2, 3));
    assert_true(lp_wh_overlaps(0, 10, 0, 10));
    assert_false(lp_wh_overlaps(0, 10, 10, 20)); /* [from, to): touching is fine */
    assert_false(lp_wh_overlaps(10, 20, 0, 10));
}

static void test_take(void **state)
{
    int64_t g = -1, pk = 7, grams = 1001, taken_pk = 0, taken_g = 0;
    (void)state;
    assert_int_equal(lp_wh_take(10, 1000, 3, &g), LP_OK);
    assert_int_equal(g, 300);
    assert_int_equal(lp_wh_take(3, 1000, 1, &g), LP_OK);
    assert_int_equal(g, 333); /* rounded down ... */
    assert_int_equal(lp_wh_take(3, 1000, 3, &g), LP_OK);
    assert_int_equal(g, 1000); /* ... and the last takes the rest */
    assert_int_equal(lp_wh_take(3, 1000, 4, &g), LP_EINVAL);
    assert_int_equal(g, 0);
    assert_int_equal(lp_wh_take(3, 1000, 0, &g), LP_EINVAL);
    assert_int_equal(lp_wh_take(0, 0, 1, &g), LP_EINVAL);
    assert_int_equal(lp_wh_take(LP_WH_PACKAGES_MAX, LP_WH_GRAMS_MAX, LP_WH_PACKAGES_MAX - 1, &g), LP_OK);
    assert_true(g < LP_WH_GRAMS_MAX && g > 0);
    /* One package at a time until empty: everything leaves, nothing more. */
    while (pk > 0) {
        assert_int_equal(lp_wh_take(pk, grams, 1, &g), LP_OK);
        pk--, grams -= g, taken_pk++, taken_g += g;
        assert_true(grams >= 0);
    }
    assert_int_equal(taken_pk, 7);
    assert_int_equal(taken_g, 1001);
    assert_int_equal(grams, 0);
}

static void test_release(void **state)
{
    static const char *const all[] = {"pending", "held", "rejected", "cleared", "gate_open", "exited", "cancelled", "expired"};
    static const int bonded[] = {0, 0, 0, 1, 1, 1, 0, 0};
    static const int other[] = {1, 0, 0, 1, 1, 1, 0, 0};
    static const int drop[] = {1, 1, 0, 1, 1, 1, 0, 0};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof all / sizeof all[0]; i++) {
        assert_int_equal(lp_wh_release_allowed(LP_WH_BONDED, all[i]), bonded[i]);
        assert_int_equal(lp_wh_release_allowed(LP_WH_DRY, all[i]), other[i]);
        assert_int_equal(lp_wh_release_allowed(LP_WH_COLD, all[i]), other[i]);
        assert_int_equal(lp_wh_dropoff_allowed(all[i]), drop[i]);
    }
    assert_int_equal(lp_wh_release_allowed(LP_WH_BONDED, NULL), 0);
    assert_int_equal(lp_wh_kind_parse("cold"), LP_WH_COLD);
    assert_int_equal(lp_wh_kind_parse("frozen"), -1);
    assert_string_equal(lp_wh_kind_name(LP_WH_BONDED), "bonded");
}

static void test_dwell(void **state)
{
    (void)state;
    assert_int_equal(lp_wh_dwell_minutes(0, 59999), 0);
    assert_int_equal(lp_wh_dwell_minutes(0, 60000), 1);
    assert_int_equal(lp_wh_dwell_minutes(1000, 0), 0);
    assert_false(lp_wh_overstays(0, 30 * LP_WH_DAY_MS - 1, 30));
    assert_true(lp_wh_overstays(0, 30 * LP_WH_DAY_MS, 30));
    assert_true(lp_wh_overstays(0, LP_WH_DAY_MS, 0)); /* at least a day */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_text), cmocka_unit_test(test_code_state), cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_take),      cmocka_unit_test(test_release),    cmocka_unit_test(test_dwell),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_yardgoods.c - unit tests for src/core/yardgoods.c: which HS codes
 * need a refrigerated or dangerous goods bay and which are perishable. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/yardgoods.h"

static lp_yardgoods of(const char *a, const char *b)
{
    const char *hs[2] = {a, b};
    lp_yardgoods g;
    lp_yardgoods_classify(hs, b ? 2 : 1, &g);
    return g;
}

static void test_classes(void **state)
{
    lp_yardgoods g;
    (void)state;
    g = of("84713020", NULL); /* laptops */
    assert_int_equal(g.bay, LP_BAY_NORMAL);
    assert_int_equal(g.perishable, 0);
    assert_int_equal(g.fee, LP_FEE_GOODS_NORMAL);
    g = of("0810.60.00", NULL); /* fresh durian, with dots */
    assert_int_equal(g.bay, LP_BAY_NORMAL);
    assert_int_equal(g.perishable, 1);
    assert_int_equal(g.fee, LP_FEE_GOODS_PERISHABLE);
    g = of("03038900", NULL); /* frozen fish */
    assert_int_equal(g.bay, LP_BAY_REFRIGERATED);
    assert_int_equal(g.perishable, 1);
    assert_int_equal(g.fee, LP_FEE_GOODS_REFRIGERATED);
    g = of("08119000", NULL); /* frozen fruit: heading 0811 */
    assert_int_equal(g.bay, LP_BAY_REFRIGERATED);
    g = of("21050000", NULL); /* ice cream: refrigerated, not perishable class */
    assert_int_equal(g.bay, LP_BAY_REFRIGERATED);
    assert_int_equal(g.perishable, 0);
    g = of("36041000", NULL); /* fireworks */
    assert_int_equal(g.bay, LP_BAY_DANGEROUS);
    assert_int_equal(g.fee, LP_FEE_GOODS_DANGEROUS);
    g = of("27101943", "02023000"); /* diesel with frozen beef: dangerous wins the bay */
    assert_int_equal(g.bay, LP_BAY_DANGEROUS);
    assert_int_equal(g.perishable, 1);
    g = of(NULL, "x");
    assert_int_equal(g.bay, LP_BAY_NORMAL);
    lp_yardgoods_classify(NULL, 0, &g);
    assert_int_equal(g.fee, LP_FEE_GOODS_NORMAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_classes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
